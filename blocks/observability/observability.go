// Package observability is the observability building block: an encrypted
// SNS topic, the alarms of a Django deployment (load balancer and CloudFront
// 5xx, latency, unhealthy targets, running tasks, release failures,
// database, cache, queue) and one dashboard.
package observability

import (
	"fmt"
	"regexp"
	"strings"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awscloudfront"
	cw "github.com/aws/aws-cdk-go/awscdk/v2/awscloudwatch"
	"github.com/aws/aws-cdk-go/awscdk/v2/awscloudwatchactions"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsecs"
	elbv2 "github.com/aws/aws-cdk-go/awscdk/v2/awselasticloadbalancingv2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsiam"
	"github.com/aws/aws-cdk-go/awscdk/v2/awskms"
	"github.com/aws/aws-cdk-go/awscdk/v2/awssns"
	"github.com/aws/aws-cdk-go/awscdk/v2/awssnssubscriptions"
	"github.com/aws/aws-cdk-go/awscdk/v2/awssqs"
	"github.com/aws/aws-cdk-go/awscdk/v2/interfaces/interfacesawscloudwatch"
	"github.com/aws/constructs-go/constructs/v10"
	"github.com/aws/jsii-runtime-go"
	"github.com/djangocdk/djangocdk/blocks/cache"
	"github.com/djangocdk/djangocdk/blocks/database"
	"github.com/djangocdk/djangocdk/contract"
)

// The release step's failure metric, published by its handler in the
// CloudWatch Embedded Metric Format (blocks/release/handler/index.py).
const (
	ReleaseMetricNamespace = "djangocdk"
	ReleaseMetricName      = "ReleaseFailed"
	ReleaseMetricDimension = "App"
)

// Alarm names: the construct IDs of the alarms, stable, and the keys of
// Observability.Alarm.
const (
	AlarmErrorRate           = "ErrorRate"
	AlarmEdgeErrorRate       = "EdgeErrorRate"
	AlarmLatency             = "Latency"
	AlarmUnhealthyTargets    = "UnhealthyTargets"
	AlarmWebTasks            = "WebTasks"
	AlarmWorkerTasks         = "WorkerTasks"
	AlarmReleaseFailed       = "ReleaseFailed"
	AlarmDatabaseCPU         = "DatabaseCpu"
	AlarmDatabaseStorage     = "DatabaseFreeStorage"
	AlarmDatabaseConnections = "DatabaseConnections"
	AlarmDatabaseCapacity    = "DatabaseCapacityAtMax"
	AlarmCacheMemory         = "CacheMemory"
	AlarmCacheEvictions      = "CacheEvictions"
	AlarmQueueAge            = "QueueAge"
	AlarmDeadLetters         = "DeadLetters"
)

// Package observability is the observability building block: an SNS topic, the
// alarms of a Django deployment and one dashboard.
//
// Observability is the observability building block: an SNS topic
// encrypted with its own KMS key (CloudWatch cannot publish to a topic under
// the AWS-managed aws/sns key), alarms that notify it when they fire and when
// they recover, and one dashboard.
type Observability interface {
	constructs.Construct
	// Topic receives every alarm's ALARM and OK notifications; subscribe
	// chat, paging or ticketing tools to it.
	Topic() awssns.Topic
	// TopicKey encrypts the topic.
	TopicKey() awskms.Key
	// Alarm returns an alarm by name (the Alarm* constants), or nil when
	// this configuration has no such alarm.
	Alarm(name string) cw.Alarm
	// AlarmNames lists the alarms created, in creation order.
	AlarmNames() []string
	// Dashboard shows the alarms' signals and the request count.
	Dashboard() cw.Dashboard
}

// Options configures NewObservability. Every source is
// optional: an alarm is created for each one given.
type Options struct {
	AlarmsProps
	// Name identifies the application: the dashboard's name (with the
	// region: dashboards are global to the account) and the release metric's
	// App dimension. Required.
	Name string
	// LoadBalancer and TargetGroup of the web service: 5xx rate, latency,
	// unhealthy targets and request count.
	LoadBalancer elbv2.IApplicationLoadBalancer
	TargetGroup  elbv2.IApplicationTargetGroup
	// Distribution in front of the load balancer: its 5xx rate, which also
	// counts failures that never reach the load balancer (VPC origin,
	// timeouts). CloudFront publishes its metrics in us-east-1 only, so the
	// alarm exists when the stack is there. Default: none.
	Distribution awscloudfront.IDistribution
	// Cluster and Services ("web", "worker") for the running-tasks alarms
	// (Container Insights must be on for the cluster).
	Cluster  awsecs.ICluster
	Services map[string]awsecs.IBaseService
	// Release adds the release-failure alarm (on the metric its handler
	// publishes with App = Name).
	Release bool
	// Database, with its props (engine, MaxCapacity), for the database alarms.
	Database      database.Database
	DatabaseProps database.Props
	// Cache for the memory and evictions alarms; CacheNodes is its node
	// count (1 + replicas).
	Cache      cache.Cache
	CacheNodes int
	// Queue is the SQS broker queue: age of the oldest message, and its
	// dead-letter queue's messages.
	Queue awssqs.IQueue
	// DeadLetterQueue of Queue.
	DeadLetterQueue awssqs.IQueue
}

type observability struct {
	constructs.Construct
	topic     awssns.Topic
	key       awskms.Key
	alarms    map[string]cw.Alarm
	names     []string
	dashboard cw.Dashboard
	widgets   []cw.IWidget
	action    awscloudwatchactions.SnsAction
}

func (o *observability) Topic() awssns.Topic        { return o.topic }
func (o *observability) TopicKey() awskms.Key       { return o.key }
func (o *observability) Alarm(name string) cw.Alarm { return o.alarms[name] }
func (o *observability) AlarmNames() []string       { return append([]string(nil), o.names...) }
func (o *observability) Dashboard() cw.Dashboard    { return o.dashboard }

var dashboardUnsafe = regexp.MustCompile(`[^A-Za-z0-9_-]+`)

// New creates the topic, the alarms for the sources given and
// the dashboard.
func New(scope constructs.Construct, id string, o *Options) Observability {
	ob := &observability{alarms: map[string]cw.Alarm{}}
	constructs.NewConstruct_Override(ob, scope, jsii.String(id))
	stack := awscdk.Stack_Of(ob)
	ob.key = awskms.NewKey(ob, jsii.String("TopicKey"), &awskms.KeyProps{
		Description:       jsii.String("Encrypts the alarm topic of " + o.Name),
		EnableKeyRotation: jsii.Bool(true),
		// It protects notifications in flight only: nothing to keep.
		RemovalPolicy: awscdk.RemovalPolicy_DESTROY,
		PendingWindow: awscdk.Duration_Days(jsii.Number(7)),
	})
	alarmsOfAccount := &map[string]any{
		"StringEquals": map[string]any{"aws:SourceAccount": stack.Account()},
		"ArnLike": map[string]any{"aws:SourceArn": stack.FormatArn(&awscdk.ArnComponents{
			Service: jsii.String("cloudwatch"), Resource: jsii.String("alarm"), ResourceName: jsii.String("*"),
			ArnFormat: awscdk.ArnFormat_COLON_RESOURCE_NAME,
		})},
	}
	cloudwatch := awsiam.NewServicePrincipal(jsii.String("cloudwatch.amazonaws.com"), nil)
	ob.key.AddToResourcePolicy(awsiam.NewPolicyStatement(&awsiam.PolicyStatementProps{
		Sid:        jsii.String("CloudWatchAlarmsPublish"),
		Principals: &[]awsiam.IPrincipal{cloudwatch},
		Actions:    jsii.Strings("kms:Decrypt", "kms:GenerateDataKey*"),
		Resources:  jsii.Strings("*"),
		Conditions: alarmsOfAccount,
	}), nil)
	ob.topic = awssns.NewTopic(ob, jsii.String("Topic"), &awssns.TopicProps{
		DisplayName: jsii.String(truncate("Alarms of "+o.Name, 100)),
		MasterKey:   ob.key,
		EnforceSSL:  jsii.Bool(true),
	})
	ob.topic.AddToResourcePolicy(awsiam.NewPolicyStatement(&awsiam.PolicyStatementProps{
		Sid:        jsii.String("CloudWatchAlarmsPublish"),
		Principals: &[]awsiam.IPrincipal{cloudwatch},
		Actions:    jsii.Strings("sns:Publish"),
		Resources:  jsii.Strings(*ob.topic.TopicArn()),
		Conditions: alarmsOfAccount,
	}))
	if o.Email != "" {
		ob.topic.AddSubscription(awssnssubscriptions.NewEmailSubscription(jsii.String(o.Email), nil))
	}
	ob.action = awscloudwatchactions.NewSnsAction(ob.topic)

	ob.webAlarms(o)
	ob.edgeAlarm(o)
	ob.taskAlarms(o)
	if o.Release {
		ob.add(AlarmReleaseFailed, "Release step", cw.NewMetric(&cw.MetricProps{
			Namespace:     jsii.String(ReleaseMetricNamespace),
			MetricName:    jsii.String(ReleaseMetricName),
			DimensionsMap: &map[string]*string{ReleaseMetricDimension: jsii.String(o.Name)},
			Statistic:     jsii.String("Sum"),
			Period:        awscdk.Duration_Minutes(jsii.Number(5)),
			Label:         jsii.String("Failed releases"),
		}), alarmSpec{
			threshold: 1, op: cw.ComparisonOperator_GREATER_THAN_OR_EQUAL_TO_THRESHOLD, periods: 1,
			missing: cw.TreatMissingData_NOT_BREACHING, // no release, no data: nothing failed
			what:    "A deploy's release step (migrate, collectstatic) failed and CloudFormation rolled the deploy back; the previous version still serves.",
			todo:    "Read the failure reason in the stack's events (it names the exit code and the release task's log stream) and fix the migration or command before deploying again.",
		})
	}
	ob.databaseAlarms(o)
	ob.cacheAlarms(o)
	ob.queueAlarms(o)
	ob.buildDashboard(o)
	return ob
}

// alarmSpec describes one alarm.
type alarmSpec struct {
	threshold float64
	op        cw.ComparisonOperator
	// periods evaluated, and how many of them must breach (0: all).
	periods, datapoints float64
	missing             cw.TreatMissingData
	// lowSamplePercentile: "ignore" keeps percentiles of a few samples from deciding.
	lowSamplePercentile string
	what, todo          string
}

// add creates an alarm notifying the topic on ALARM and OK, and its widget.
func (ob *observability) add(name, title string, metric cw.IMetric, s alarmSpec) cw.Alarm {
	if s.datapoints == 0 {
		s.datapoints = s.periods
	}
	props := &cw.AlarmProps{
		Metric:             metric,
		Threshold:          jsii.Number(s.threshold),
		ComparisonOperator: s.op,
		EvaluationPeriods:  jsii.Number(s.periods),
		DatapointsToAlarm:  jsii.Number(s.datapoints),
		TreatMissingData:   s.missing,
		AlarmDescription:   jsii.String(truncate(s.what+" First: "+s.todo, 1024)),
	}
	if s.lowSamplePercentile != "" {
		props.EvaluateLowSampleCountPercentile = jsii.String(s.lowSamplePercentile)
	}
	a := cw.NewAlarm(ob, jsii.String(name), props)
	a.AddAlarmAction(ob.action)
	a.AddOkAction(ob.action)
	ob.alarms[name] = a
	ob.names = append(ob.names, name)
	ob.widgets = append(ob.widgets, cw.NewAlarmWidget(&cw.AlarmWidgetProps{
		Alarm: a, Title: jsii.String(title), Width: jsii.Number(8), Height: jsii.Number(6),
	}))
	return a
}

func minutes(n float64) awscdk.Duration { return awscdk.Duration_Minutes(jsii.Number(n)) }

// edgeAlarm: the 5xx rate CloudFront served, which is the only signal when
// requests never reach the load balancer.
func (ob *observability) edgeAlarm(o *Options) {
	if o.Distribution == nil || *awscdk.Stack_Of(ob).Region() != "us-east-1" {
		return
	}
	rate := cw.NewMetric(&cw.MetricProps{
		Namespace:  jsii.String("AWS/CloudFront"),
		MetricName: jsii.String("5xxErrorRate"),
		DimensionsMap: &map[string]*string{
			"DistributionId": o.Distribution.DistributionId(),
			"Region":         jsii.String("Global"),
		},
		Statistic: jsii.String("Average"),
		Period:    minutes(1),
		Region:    jsii.String("us-east-1"),
	})
	ob.add(AlarmEdgeErrorRate, "5xx at CloudFront (% of requests)", rate, alarmSpec{
		threshold: o.ErrorRatePercent, op: cw.ComparisonOperator_GREATER_THAN_THRESHOLD, periods: 5, datapoints: 3,
		missing: cw.TreatMissingData_NOT_BREACHING, // no viewers, no rate
		what:    fmt.Sprintf("More than %g%% of the requests CloudFront served got a 5xx in 3 of the last 5 minutes, including those that never reached the load balancer (VPC origin unreachable, 30 s origin timeout).", o.ErrorRatePercent),
		todo:    "Compare with the ErrorRate alarm: if the load balancer saw no errors, check the distribution's origin (the load balancer's security group, its listener) and slow responses.",
	})
}

// webAlarms: 5xx rate, latency and unhealthy targets of the load balancer.
func (ob *observability) webAlarms(o *Options) {
	if o.LoadBalancer == nil || o.TargetGroup == nil {
		return
	}
	one := &cw.MetricOptions{Period: minutes(1), Statistic: jsii.String("Sum")}
	lb := o.LoadBalancer.Metrics()
	// Percent of requests answered 5xx; no traffic is no data (not an alarm).
	// ELB 5xx without any counted request (no target to send them to) is 100%.
	rate := cw.NewMathExpression(&cw.MathExpressionProps{
		Expression: jsii.String("IF(requests > 0, 100 * (FILL(elb5xx, 0) + FILL(target5xx, 0)) / requests, IF(FILL(elb5xx, 0) > 0, 100, 0))"),
		UsingMetrics: &map[string]cw.IMetric{
			"requests":  lb.RequestCount(one),
			"elb5xx":    lb.HttpCodeElb(elbv2.HttpCodeElb_ELB_5XX_COUNT, one),
			"target5xx": lb.HttpCodeTarget(elbv2.HttpCodeTarget_TARGET_5XX_COUNT, one),
		},
		Label:  jsii.String("5xx responses (% of requests)"),
		Period: minutes(1),
	})
	ob.add(AlarmErrorRate, "5xx responses (% of requests)", rate, alarmSpec{
		threshold: o.ErrorRatePercent, op: cw.ComparisonOperator_GREATER_THAN_THRESHOLD, periods: 5, datapoints: 3,
		missing: cw.TreatMissingData_NOT_BREACHING, // a rate without requests is no signal
		what:    fmt.Sprintf("More than %g%% of requests got a 5xx (from Django or from the load balancer: 502/503/504 when no healthy task answers) in 3 of the last 5 minutes.", o.ErrorRatePercent),
		todo:    "Look at the web service's logs for tracebacks and at its events for tasks failing to start; if it began with a deploy, roll back.",
	})
	ob.add(AlarmLatency, "Response time p95 (s)", o.TargetGroup.Metrics().TargetResponseTime(&cw.MetricOptions{
		Period: minutes(5), Statistic: jsii.String("p95"),
	}), alarmSpec{
		threshold: o.LatencySeconds, op: cw.ComparisonOperator_GREATER_THAN_THRESHOLD, periods: 3,
		missing:             cw.TreatMissingData_NOT_BREACHING, // no requests, no latency
		lowSamplePercentile: "ignore",
		what:                fmt.Sprintf("The slowest 5%% of requests took longer than %g s for 15 minutes.", o.LatencySeconds),
		todo:                "Check the database (CPU, connections) and the web tasks' CPU on the dashboard; slow queries show in the database's PostgreSQL log.",
	})
	ob.add(AlarmUnhealthyTargets, "Unhealthy web tasks", o.TargetGroup.Metrics().UnhealthyHostCount(&cw.MetricOptions{
		Period: minutes(1), Statistic: jsii.String("Maximum"),
	}), alarmSpec{
		threshold: 0, op: cw.ComparisonOperator_GREATER_THAN_THRESHOLD, periods: 5,
		missing: cw.TreatMissingData_NOT_BREACHING, // the running-tasks alarm covers a service with no task
		what:    "At least one web task has failed the load balancer's health check for 5 minutes in a row.",
		todo:    "Check the web logs for errors on the health check path (a host not in ALLOWED_HOSTS answers 400) and the service's events for restarts.",
	})
}

// taskAlarms: running tasks below desired (Container Insights) for web and worker.
func (ob *observability) taskAlarms(o *Options) {
	if o.Cluster == nil {
		return
	}
	for _, s := range []struct{ process, name, what string }{
		{contract.ProcessWeb, AlarmWebTasks, "web"},
		{contract.ProcessWorker, AlarmWorkerTasks, "Celery worker"},
	} {
		svc := o.Services[s.process]
		if svc == nil {
			continue
		}
		metric := func(name, stat string) cw.Metric {
			return cw.NewMetric(&cw.MetricProps{
				Namespace:  jsii.String("ECS/ContainerInsights"),
				MetricName: jsii.String(name),
				DimensionsMap: &map[string]*string{
					"ClusterName": o.Cluster.ClusterName(),
					"ServiceName": svc.ServiceName(),
				},
				Statistic: jsii.String(stat),
				Period:    minutes(5),
			})
		}
		// Fewest running against most desired in each 5 minutes: a task
		// crash-looping shows even when it is up part of the time.
		missing := cw.NewMathExpression(&cw.MathExpressionProps{
			Expression: jsii.String("desired - running"),
			UsingMetrics: &map[string]cw.IMetric{
				"desired": metric("DesiredTaskCount", "Maximum"),
				"running": metric("RunningTaskCount", "Minimum"),
			},
			Label:  jsii.String("Missing " + s.what + " tasks"),
			Period: minutes(5),
		})
		ob.add(s.name, "Missing "+s.what+" tasks", missing, alarmSpec{
			threshold: 0, op: cw.ComparisonOperator_GREATER_THAN_THRESHOLD, periods: 3,
			// Container Insights reports every service of the cluster each
			// minute; silence means the service (or the cluster) is gone.
			missing: cw.TreatMissingData_BREACHING,
			what:    "Fewer " + s.what + " tasks run than the service wants, for 15 minutes: tasks are crashing, failing health checks or cannot start.",
			todo:    "Open the " + s.what + " service's events and its stopped tasks' stop reasons (image pull, secrets, out of memory, exit codes), then its logs.",
		})
	}
}

func (ob *observability) databaseAlarms(o *Options) {
	if o.Database == nil {
		return
	}
	five := func(stat string) *cw.MetricOptions {
		return &cw.MetricOptions{Period: minutes(5), Statistic: jsii.String(stat)}
	}
	var cpu, conns cw.Metric
	aurora := o.Database.Cluster()
	if aurora != nil {
		cpu, conns = aurora.MetricCPUUtilization(five("Average")), aurora.MetricDatabaseConnections(five("Maximum"))
	} else {
		inst := o.Database.Instance()
		cpu, conns = inst.MetricCPUUtilization(five("Average")), inst.MetricDatabaseConnections(five("Maximum"))
	}
	// A paused Aurora Serverless v2 (MinCapacity 0) reports nothing: missing
	// data is normal for the database metrics and never breaching.
	ob.add(AlarmDatabaseCPU, "Database CPU (%)", cpu, alarmSpec{
		threshold: float64(o.DatabaseCPUPercent), op: cw.ComparisonOperator_GREATER_THAN_THRESHOLD, periods: 3,
		missing: cw.TreatMissingData_NOT_BREACHING,
		what:    fmt.Sprintf("The database's CPU stayed above %d%% for 15 minutes; queries slow down and requests time out.", o.DatabaseCPUPercent),
		todo:    "Find the expensive queries (Performance Insights or the PostgreSQL log), add the missing index or cache; then consider a larger instance class or MaxCapacity.",
	})
	ob.add(AlarmDatabaseConnections, "Database connections", conns, alarmSpec{
		threshold: float64(o.DatabaseConnections), op: cw.ComparisonOperator_GREATER_THAN_THRESHOLD, periods: 3,
		missing: cw.TreatMissingData_NOT_BREACHING,
		what:    fmt.Sprintf("More than %d connections were open to the database for 15 minutes; near PostgreSQL's max_connections new requests fail.", o.DatabaseConnections),
		todo:    "Check task counts (web, worker) against gunicorn workers and Celery concurrency, and CONN_MAX_AGE; an RDS Proxy or a larger instance raises the limit.",
	})
	if aurora != nil {
		ceiling := o.DatabaseProps.MaxCapacity
		ob.add(AlarmDatabaseCapacity, "Aurora capacity (ACU)", aurora.MetricServerlessDatabaseCapacity(five("Average")), alarmSpec{
			threshold: ceiling * 0.9, op: cw.ComparisonOperator_GREATER_THAN_OR_EQUAL_TO_THRESHOLD, periods: 3,
			missing: cw.TreatMissingData_NOT_BREACHING,
			what:    fmt.Sprintf("Aurora Serverless ran at 90%% or more of its MaxCapacity (%g ACU) for 15 minutes: it cannot scale further and queries queue.", ceiling),
			todo:    "Raise database MaxCapacity (cost grows with it) or find what drives the load (Performance Insights, slow query log).",
		})
		return
	}
	ob.add(AlarmDatabaseStorage, "Database free storage (GiB)", cw.NewMathExpression(&cw.MathExpressionProps{
		Expression:   jsii.String("free / 1073741824"),
		UsingMetrics: &map[string]cw.IMetric{"free": o.Database.Instance().MetricFreeStorageSpace(five("Minimum"))},
		Label:        jsii.String("Free storage (GiB)"),
		Period:       minutes(5),
	}), alarmSpec{
		threshold: float64(o.DatabaseFreeStorageGiB), op: cw.ComparisonOperator_LESS_THAN_THRESHOLD, periods: 3,
		// An RDS instance reports every minute; silence means it is stopped or gone.
		missing: cw.TreatMissingData_BREACHING,
		what:    fmt.Sprintf("The database has had less than %d GiB free for 15 minutes; a full volume stops every write.", o.DatabaseFreeStorageGiB),
		todo:    "Check whether storage autoscaling reached MaxAllocatedStorageGiB (raise it) or is in its 6-hour cooldown; look for tables or logs growing unexpectedly.",
	})
}

func (ob *observability) cacheAlarms(o *Options) {
	if o.Cache == nil {
		return
	}
	nodes := max(o.CacheNodes, 1)
	group := o.Cache.ReplicationGroup().Ref()
	perNode := func(name, stat string) *map[string]cw.IMetric {
		m := map[string]cw.IMetric{}
		for i := 1; i <= nodes; i++ {
			// Nodes of a replication group are its clusters <group>-001, -002...
			m[fmt.Sprintf("n%d", i)] = cw.NewMetric(&cw.MetricProps{
				Namespace:  jsii.String("AWS/ElastiCache"),
				MetricName: jsii.String(name),
				DimensionsMap: &map[string]*string{
					"CacheClusterId": awscdk.Fn_Join(jsii.String(""), &[]*string{group, jsii.String(fmt.Sprintf("-%03d", i))}),
				},
				Statistic: jsii.String(stat),
				Period:    minutes(5),
			})
		}
		return &m
	}
	ids := make([]string, nodes)
	for i := range ids {
		ids[i] = fmt.Sprintf("n%d", i+1)
	}
	list := "[" + strings.Join(ids, ", ") + "]"
	ob.add(AlarmCacheMemory, "Cache memory used (%)", cw.NewMathExpression(&cw.MathExpressionProps{
		Expression: jsii.String("MAX(" + list + ")"), UsingMetrics: perNode("DatabaseMemoryUsagePercentage", "Maximum"),
		Label: jsii.String("Memory used (%, fullest node)"), Period: minutes(5),
	}), alarmSpec{
		threshold: float64(o.CacheMemoryPercent), op: cw.ComparisonOperator_GREATER_THAN_THRESHOLD, periods: 3,
		missing: cw.TreatMissingData_NOT_BREACHING,
		what:    fmt.Sprintf("The cache used more than %d%% of its memory for 15 minutes; when full it evicts keys, and Celery messages on it can be refused.", o.CacheMemoryPercent),
		todo:    "Check for keys without a timeout and a growing Celery backlog (tasks enqueued faster than workers run them); then choose a larger node type.",
	})
	ob.add(AlarmCacheEvictions, "Cache evictions", cw.NewMathExpression(&cw.MathExpressionProps{
		Expression: jsii.String("SUM(" + list + ")"), UsingMetrics: perNode("Evictions", "Sum"),
		Label: jsii.String("Evicted keys"), Period: minutes(5),
	}), alarmSpec{
		threshold: 0, op: cw.ComparisonOperator_GREATER_THAN_THRESHOLD, periods: 3,
		missing: cw.TreatMissingData_NOT_BREACHING,
		what:    "The cache evicted keys in each of the last three 5-minute periods: it is too small for what it holds, so cached pages and sessions are being lost.",
		todo:    "Look at memory use and key counts on the dashboard; set timeouts on cache keys or choose a larger node type.",
	})
}

func (ob *observability) queueAlarms(o *Options) {
	if o.Queue != nil {
		ob.add(AlarmQueueAge, "Oldest Celery message (s)", o.Queue.MetricApproximateAgeOfOldestMessage(&cw.MetricOptions{
			Period: minutes(5), Statistic: jsii.String("Maximum"),
		}), alarmSpec{
			threshold: float64(o.QueueAgeSeconds), op: cw.ComparisonOperator_GREATER_THAN_THRESHOLD, periods: 3,
			// SQS stops reporting an idle, empty queue: nothing waits.
			missing: cw.TreatMissingData_NOT_BREACHING,
			what:    fmt.Sprintf("A Celery task has waited in the broker queue for more than %d s for 15 minutes: workers are down, stuck or too few.", o.QueueAgeSeconds),
			todo:    "Check the worker service's running tasks and logs (a task that hangs blocks its worker); raise worker MaxTasks if they are simply busy.",
		})
	}
	if o.DeadLetterQueue != nil {
		ob.add(AlarmDeadLetters, "Dead-lettered Celery messages", o.DeadLetterQueue.MetricApproximateNumberOfMessagesVisible(&cw.MetricOptions{
			Period: minutes(5), Statistic: jsii.String("Maximum"),
		}), alarmSpec{
			threshold: 0, op: cw.ComparisonOperator_GREATER_THAN_THRESHOLD, periods: 1,
			// SQS may stop reporting a queue nobody touches even when it holds
			// messages: keep the last state rather than call it OK.
			missing: cw.TreatMissingData_IGNORE,
			what:    "Celery messages were received 5 times without being acknowledged and moved to the dead-letter queue; those tasks will not run.",
			todo:    "Read a message from the dead-letter queue (its task name and arguments), find why the worker crashed or timed out on it in the worker logs, fix, then redrive or purge.",
		})
	}
}

// buildDashboard lays out one dashboard: the alarm states, the request
// count, then one graph per alarm with its threshold.
func (ob *observability) buildDashboard(o *Options) {
	region := *awscdk.Stack_Of(ob).Region()
	name := dashboardUnsafe.ReplaceAllString(o.Name, "-")
	if !*awscdk.Token_IsUnresolved(jsii.String(region)) {
		name += "-" + region
	}
	var alarms []interfacesawscloudwatch.IAlarmRef
	for _, n := range ob.names {
		alarms = append(alarms, ob.alarms[n])
	}
	ob.dashboard = cw.NewDashboard(ob, jsii.String("Dashboard"), &cw.DashboardProps{
		DashboardName:   jsii.String(truncate(name, 255)),
		DefaultInterval: awscdk.Duration_Hours(jsii.Number(3)),
	})
	top := []cw.IWidget{}
	if len(alarms) > 0 {
		top = append(top, cw.NewAlarmStatusWidget(&cw.AlarmStatusWidgetProps{
			Alarms: &alarms, Title: jsii.String("Alarms"), Width: jsii.Number(12), Height: jsii.Number(6),
		}))
	}
	if o.LoadBalancer != nil {
		top = append(top, cw.NewGraphWidget(&cw.GraphWidgetProps{
			Title: jsii.String("Requests"),
			Left: &[]cw.IMetric{o.LoadBalancer.Metrics().RequestCount(&cw.MetricOptions{
				Period: minutes(1), Statistic: jsii.String("Sum"), Label: jsii.String("Requests per minute"),
			})},
			Width: jsii.Number(12), Height: jsii.Number(6),
		}))
	}
	ob.dashboard.AddWidgets(top...)
	for i := 0; i < len(ob.widgets); i += 3 {
		ob.dashboard.AddWidgets(ob.widgets[i:min(i+3, len(ob.widgets))]...)
	}
}

func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n]
}

// AlarmsProps is Props under the name the embedded field of Options has
// carried since before the blocks had packages of their own.
type AlarmsProps = Props
