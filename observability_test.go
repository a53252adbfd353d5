package djangocdk_test

import (
	"regexp"
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/djangocdk/djangocdk"
)

// alarmID matches the logical ID of an alarm of the observability block.
var alarmID = regexp.MustCompile(`^SiteAlarms([A-Za-z]+)[0-9A-F]{8}$`)

// alarmsByName returns the template's alarms keyed by their construct ID.
func (tp template) alarmsByName(t testing.TB) map[string]map[string]any {
	t.Helper()
	out := map[string]map[string]any{}
	for id, r := range tp.resources("AWS::CloudWatch::Alarm") {
		m := alarmID.FindStringSubmatch(id)
		if m == nil {
			t.Errorf("alarm %s is not under the Alarms building block", id)
			continue
		}
		out[m[1]] = r
	}
	return out
}

func names[V any](m map[string]V) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// Alarms every web deployment has, whatever its data stores (behind the
// CloudFront edge in us-east-1, where the tests synthesize, with the edge's
// own 5xx rate).
var webAlarms = []string{
	djangocdk.AlarmErrorRate, djangocdk.AlarmEdgeErrorRate, djangocdk.AlarmLatency, djangocdk.AlarmUnhealthyTargets,
	djangocdk.AlarmWebTasks, djangocdk.AlarmReleaseFailed,
	djangocdk.AlarmDatabaseCPU, djangocdk.AlarmDatabaseConnections,
}

func with(base []string, more ...string) []string {
	out := append(slices.Clone(base), more...)
	sort.Strings(out)
	return out
}

// TestAlarmsPerConfiguration: each configuration gets the alarms of what it
// deploys, every one notifies the topic on ALARM and on OK, and explains
// itself; the dashboard and the topic exist once.
func TestAlarmsPerConfiguration(t *testing.T) {
	worker, rdsOnly, cache := djangocdk.AlarmWorkerTasks, djangocdk.AlarmDatabaseStorage, []string{djangocdk.AlarmCacheMemory, djangocdk.AlarmCacheEvictions}
	cases := []struct {
		name      string
		configure func(p *djangocdk.DjangoEcsProps)
		want      []string
	}{
		{"starter", func(*djangocdk.DjangoEcsProps) {}, with(webAlarms, append(cache, worker, rdsOnly)...)},
		{"production", func(p *djangocdk.DjangoEcsProps) { p.Profile = djangocdk.ProfileProduction }, with(webAlarms, append(cache, worker, rdsOnly)...)},
		{"sqs broker", func(p *djangocdk.DjangoEcsProps) { p.Broker = djangocdk.BrokerSQS },
			with(webAlarms, append(cache, worker, rdsOnly, djangocdk.AlarmQueueAge, djangocdk.AlarmDeadLetters)...)},
		{"aurora", func(p *djangocdk.DjangoEcsProps) { p.Database.Engine = djangocdk.DatabaseAurora },
			with(webAlarms, append(cache, worker, djangocdk.AlarmDatabaseCapacity)...)},
		{"cache off", func(p *djangocdk.DjangoEcsProps) {
			p.Cache.Engine, p.Broker = djangocdk.CacheNone, djangocdk.BrokerSQS
		}, with(webAlarms, worker, rdsOnly, djangocdk.AlarmQueueAge, djangocdk.AlarmDeadLetters)},
		{"worker off", func(p *djangocdk.DjangoEcsProps) { p.Worker.Disabled = true }, with(webAlarms, append(cache, rdsOnly)...)},
		{"release off", func(p *djangocdk.DjangoEcsProps) { p.Release.Disabled = true },
			with(slices.DeleteFunc(slices.Clone(webAlarms), func(n string) bool { return n == djangocdk.AlarmReleaseFailed }), append(cache, worker, rdsOnly)...)},
		{"alarms disabled", func(p *djangocdk.DjangoEcsProps) { p.Alarms.Disabled = true }, nil},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			s := synth(t, func(awscdk.Stack) *djangocdk.DjangoEcsProps {
				p := baseProps()
				c.configure(p)
				return p
			})
			tp := s.tpl
			alarms := tp.alarmsByName(t)
			if got := names(alarms); !slices.Equal(got, c.want) {
				t.Fatalf("alarms:\n got  %v\n want %v", got, c.want)
			}
			if c.want == nil {
				if s.construct.Alarms() != nil {
					t.Error("Alarms() is not nil with Alarms.Disabled")
				}
				for _, typ := range []string{"AWS::SNS::Topic", "AWS::CloudWatch::Dashboard"} {
					if n := tp.count(typ); n != 0 {
						t.Errorf("%d %s with alarms disabled", n, typ)
					}
				}
				return
			}
			if got := s.construct.Alarms().AlarmNames(); len(got) != len(c.want) {
				t.Errorf("AlarmNames() = %v", got)
			}
			topic := tp.logicalID(t, "AWS::SNS::Topic", "SiteAlarmsTopic")
			ref := `[{"Ref":"` + topic + `"}]`
			for name, a := range alarms {
				pr := props(a)
				if got := jsonOf(pr["AlarmActions"]); got != ref {
					t.Errorf("%s: AlarmActions %s, want %s", name, got, ref)
				}
				if got := jsonOf(pr["OKActions"]); got != ref {
					t.Errorf("%s: OKActions %s, want %s", name, got, ref)
				}
				if pr["TreatMissingData"] == nil {
					t.Errorf("%s: TreatMissingData left to the default", name)
				}
				if d, _ := pr["AlarmDescription"].(string); !strings.Contains(d, " First: ") {
					t.Errorf("%s: description does not say what to do first: %q", name, d)
				}
			}
			if n := tp.count("AWS::CloudWatch::Dashboard"); n != 1 {
				t.Errorf("%d dashboards, want 1", n)
			}
			if name := props(tp.one(t, "AWS::CloudWatch::Dashboard"))["DashboardName"]; name != "Test-Site-us-east-1" {
				t.Errorf("dashboard name %v", name)
			}
			body := jsonOf(props(tp.one(t, "AWS::CloudWatch::Dashboard"))["DashboardBody"])
			if !strings.Contains(body, "RequestCount") || !strings.Contains(body, `\"alarms\"`) {
				t.Errorf("dashboard lacks the request count or the alarm status: %.400s", body)
			}
		})
	}
}

// TestAlarmTopicIsEncryptedAndPublishable: the topic is encrypted with a
// customer key CloudWatch may use (it cannot use aws/sns), refuses plain
// HTTP, and lets this account's alarms publish.
func TestAlarmTopicIsEncryptedAndPublishable(t *testing.T) {
	tp := synth(t, func(awscdk.Stack) *djangocdk.DjangoEcsProps { return baseProps() }).tpl
	topic := props(tp.one(t, "AWS::SNS::Topic"))
	key := tp.logicalID(t, "AWS::KMS::Key", "SiteAlarmsTopicKey")
	if got := jsonOf(topic["KmsMasterKeyId"]); !strings.Contains(got, key) {
		t.Errorf("topic key %s, want %s", got, key)
	}
	keyProps := props(tp.resources("AWS::KMS::Key")[key])
	if keyProps["EnableKeyRotation"] != true {
		t.Error("topic key without rotation")
	}
	kp := jsonOf(keyProps["KeyPolicy"])
	if !strings.Contains(kp, `"Service":"cloudwatch.amazonaws.com"`) || !strings.Contains(kp, "kms:GenerateDataKey*") {
		t.Errorf("key policy does not let CloudWatch use the key: %s", kp)
	}
	policy := jsonOf(props(tp.one(t, "AWS::SNS::TopicPolicy"))["PolicyDocument"])
	for _, want := range []string{`"aws:SecureTransport":"false"`, `"Effect":"Deny"`, `"Service":"cloudwatch.amazonaws.com"`, `"sns:Publish"`, `"aws:SourceAccount"`} {
		if !strings.Contains(policy, want) {
			t.Errorf("topic policy lacks %s: %s", want, policy)
		}
	}
}

// TestAlarmEmailSubscription: the address is subscribed only when configured.
func TestAlarmEmailSubscription(t *testing.T) {
	for _, email := range []string{"", "ops@example.com"} {
		tp := synth(t, func(awscdk.Stack) *djangocdk.DjangoEcsProps {
			p := baseProps()
			p.Alarms.Email = email
			return p
		}).tpl
		subs := tp.resources("AWS::SNS::Subscription")
		if email == "" {
			if len(subs) != 0 {
				t.Errorf("subscriptions without an email: %v", subs)
			}
			continue
		}
		sub := props(tp.one(t, "AWS::SNS::Subscription"))
		if sub["Protocol"] != "email" || sub["Endpoint"] != email {
			t.Errorf("subscription %v", sub)
		}
	}
}

// TestAlarmThresholdsAndSignals: thresholds from props reach the alarms, and
// each alarm watches the metric it claims with the deliberate missing-data
// treatment.
func TestAlarmThresholdsAndSignals(t *testing.T) {
	s := synth(t, func(awscdk.Stack) *djangocdk.DjangoEcsProps {
		p := baseProps()
		p.Broker = djangocdk.BrokerSQS
		p.Profile = djangocdk.ProfileProduction
		p.Alarms = djangocdk.AlarmsProps{
			ErrorRatePercent: 7.5, LatencySeconds: 0.8, DatabaseCPUPercent: 70, DatabaseFreeStorageGiB: 9,
			DatabaseConnections: 123, CacheMemoryPercent: 65, QueueAgeSeconds: 420,
		}
		return p
	})
	alarms := s.tpl.alarmsByName(t)
	for name, want := range map[string]float64{
		djangocdk.AlarmErrorRate: 7.5, djangocdk.AlarmLatency: 0.8, djangocdk.AlarmDatabaseCPU: 70,
		djangocdk.AlarmDatabaseStorage: 9, djangocdk.AlarmDatabaseConnections: 123,
		djangocdk.AlarmCacheMemory: 65, djangocdk.AlarmQueueAge: 420,
		djangocdk.AlarmUnhealthyTargets: 0, djangocdk.AlarmWebTasks: 0, djangocdk.AlarmDeadLetters: 0, djangocdk.AlarmReleaseFailed: 1,
	} {
		if got := props(alarms[name])["Threshold"]; got != want {
			t.Errorf("%s: threshold %v, want %v", name, got, want)
		}
	}
	for name, want := range map[string]string{
		djangocdk.AlarmErrorRate: "notBreaching", djangocdk.AlarmLatency: "notBreaching", djangocdk.AlarmReleaseFailed: "notBreaching",
		djangocdk.AlarmQueueAge: "notBreaching", djangocdk.AlarmWebTasks: "breaching", djangocdk.AlarmWorkerTasks: "breaching",
		djangocdk.AlarmDatabaseStorage: "breaching", djangocdk.AlarmDeadLetters: "ignore",
	} {
		if got := props(alarms[name])["TreatMissingData"]; got != want {
			t.Errorf("%s: TreatMissingData %v, want %v", name, got, want)
		}
	}
	rateMetrics := props(alarms[djangocdk.AlarmErrorRate])["Metrics"].([]any)
	if expr := rateMetrics[0].(map[string]any)["Expression"]; expr != "IF(requests > 0, 100 * (FILL(elb5xx, 0) + FILL(target5xx, 0)) / requests, IF(FILL(elb5xx, 0) > 0, 100, 0))" {
		t.Errorf("5xx rate expression: %v", expr)
	}
	rate := jsonOf(rateMetrics)
	for _, want := range []string{`"MetricName":"RequestCount"`, `"MetricName":"HTTPCode_ELB_5XX_Count"`, `"MetricName":"HTTPCode_Target_5XX_Count"`} {
		if !strings.Contains(rate, want) {
			t.Errorf("5xx rate lacks %s: %s", want, rate)
		}
	}
	lat := props(alarms[djangocdk.AlarmLatency])
	if lat["ExtendedStatistic"] != "p95" || lat["MetricName"] != "TargetResponseTime" || lat["EvaluateLowSampleCountPercentile"] != "ignore" {
		t.Errorf("latency alarm: %v", lat)
	}
	if u := props(alarms[djangocdk.AlarmUnhealthyTargets]); u["MetricName"] != "UnHealthyHostCount" || u["EvaluationPeriods"] != 5.0 {
		t.Errorf("unhealthy targets alarm: %v", u)
	}
	tasks := jsonOf(props(alarms[djangocdk.AlarmWorkerTasks])["Metrics"])
	for _, want := range []string{`"Namespace":"ECS/ContainerInsights"`, `"MetricName":"RunningTaskCount"`, `"MetricName":"DesiredTaskCount"`, `"Name":"ClusterName"`, `"Name":"ServiceName"`, `"Expression":"desired - running"`, "SiteWorkerService"} {
		if !strings.Contains(tasks, want) {
			t.Errorf("worker tasks alarm lacks %s: %s", want, tasks)
		}
	}
	// Production cache: primary and replica, the fullest one counts.
	mem := jsonOf(props(alarms[djangocdk.AlarmCacheMemory])["Metrics"])
	for _, want := range []string{`"Expression":"MAX([n1, n2])"`, `"-001"`, `"-002"`, "DatabaseMemoryUsagePercentage"} {
		if !strings.Contains(mem, want) {
			t.Errorf("cache memory alarm lacks %s: %s", want, mem)
		}
	}
	storage := jsonOf(props(alarms[djangocdk.AlarmDatabaseStorage]))
	if !strings.Contains(storage, "FreeStorageSpace") || !strings.Contains(storage, "free / 1073741824") || !strings.Contains(storage, "LessThanThreshold") {
		t.Errorf("free storage alarm: %s", storage)
	}
	if q := props(alarms[djangocdk.AlarmQueueAge]); q["MetricName"] != "ApproximateAgeOfOldestMessage" {
		t.Errorf("queue age alarm: %v", q)
	}
	if q := jsonOf(props(alarms[djangocdk.AlarmDeadLetters])); !strings.Contains(q, "ApproximateNumberOfMessagesVisible") || !strings.Contains(q, "BrokerDeadLetterQueue") {
		t.Errorf("dead letters alarm: %s", q)
	}
	// The release alarm watches the metric the handler publishes, for this app.
	rel := jsonOf(props(alarms[djangocdk.AlarmReleaseFailed])["Metrics"])
	if !strings.Contains(rel, `"Metric":{"Dimensions":[{"Name":"App","Value":"Test-Site"}],"MetricName":"ReleaseFailed","Namespace":"djangocdk"}`) {
		t.Errorf("release alarm: %s", rel)
	}
	for id, fn := range s.tpl.resources("AWS::Lambda::Function") {
		if !strings.HasPrefix(id, "SiteReleaseStepHandler") && !strings.HasPrefix(id, "SiteReleaseStepIsComplete") {
			continue
		}
		if env := jsonOf(props(fn)["Environment"]); env != `{"Variables":{"DJANGOCDK_APP":"Test-Site"}}` {
			t.Errorf("%s: environment %s; the handler needs the App dimension", id, env)
		}
	}
}

// TestAuroraAlarmsOnCapacity: Aurora has no free-storage alarm (its storage
// grows by itself) but one on capacity near MaxCapacity.
func TestAuroraAlarmsOnCapacity(t *testing.T) {
	tp := synth(t, func(awscdk.Stack) *djangocdk.DjangoEcsProps {
		p := baseProps()
		p.Database.Engine = djangocdk.DatabaseAurora
		p.Database.MaxCapacity = 4
		return p
	}).tpl
	c := props(tp.alarmsByName(t)[djangocdk.AlarmDatabaseCapacity])
	if c["MetricName"] != "ServerlessDatabaseCapacity" || c["Threshold"] != 3.6 || c["ComparisonOperator"] != "GreaterThanOrEqualToThreshold" {
		t.Errorf("capacity alarm: %v", c)
	}
	if !strings.Contains(jsonOf(c["Dimensions"]), "DBClusterIdentifier") {
		t.Errorf("capacity alarm dimensions: %v", c["Dimensions"])
	}
}

// TestAlarmsValidation: bad alarm props fail early, naming the field.
func TestAlarmsValidation(t *testing.T) {
	cases := []struct {
		name   string
		change func(p *djangocdk.DjangoEcsProps)
		want   string
	}{
		{"production cannot disable", func(p *djangocdk.DjangoEcsProps) {
			p.Profile, p.Alarms.Disabled = djangocdk.ProfileProduction, true
		}, "Alarms.Disabled: the production profile always has alarms"},
		{"email", func(p *djangocdk.DjangoEcsProps) { p.Alarms.Email = "ops-at-example.com" }, `Alarms.Email: "ops-at-example.com" is not an email address`},
		{"email with name", func(p *djangocdk.DjangoEcsProps) { p.Alarms.Email = "Ops <ops@example.com>" }, "Alarms.Email:"},
		{"email without domain", func(p *djangocdk.DjangoEcsProps) { p.Alarms.Email = "ops@localhost" }, "Alarms.Email:"},
		{"error rate", func(p *djangocdk.DjangoEcsProps) { p.Alarms.ErrorRatePercent = 150 }, "Alarms.ErrorRatePercent: 150 is out of range"},
		{"negative error rate", func(p *djangocdk.DjangoEcsProps) { p.Alarms.ErrorRatePercent = -1 }, "Alarms.ErrorRatePercent: -1 is out of range"},
		{"latency", func(p *djangocdk.DjangoEcsProps) { p.Alarms.LatencySeconds = 120 }, "Alarms.LatencySeconds: 120 is out of range"},
		{"cpu", func(p *djangocdk.DjangoEcsProps) { p.Alarms.DatabaseCPUPercent = 101 }, "Alarms.DatabaseCPUPercent: 101 is out of range"},
		{"storage", func(p *djangocdk.DjangoEcsProps) { p.Alarms.DatabaseFreeStorageGiB = -3 }, "Alarms.DatabaseFreeStorageGiB: -3 is out of range"},
		{"connections", func(p *djangocdk.DjangoEcsProps) { p.Alarms.DatabaseConnections = -5 }, "Alarms.DatabaseConnections: -5 is out of range"},
		{"cache memory", func(p *djangocdk.DjangoEcsProps) { p.Alarms.CacheMemoryPercent = 5 }, "Alarms.CacheMemoryPercent: 5 is out of range"},
		{"queue age", func(p *djangocdk.DjangoEcsProps) { p.Alarms.QueueAgeSeconds = 30 }, "Alarms.QueueAgeSeconds: 30 is out of range"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			p := baseProps()
			c.change(p)
			err := p.Validate()
			if err == nil || !strings.Contains(err.Error(), c.want) {
				t.Fatalf("want an error containing %q, got %v", c.want, err)
			}
		})
	}
	ok := baseProps()
	ok.Alarms = djangocdk.AlarmsProps{Disabled: true, Email: "ops+alarms@example.co.uk", ErrorRatePercent: 0.5, LatencySeconds: 0.25}
	if err := ok.Validate(); err != nil {
		t.Errorf("valid starter alarms refused: %v", err)
	}
	d := baseProps().WithDefaults().Alarms
	if d.ErrorRatePercent != 5 || d.LatencySeconds != 3 || d.DatabaseCPUPercent != 90 || d.QueueAgeSeconds != 900 {
		t.Errorf("starter defaults: %+v", d)
	}
	pp := baseProps()
	pp.Profile = djangocdk.ProfileProduction
	if d := pp.WithDefaults().Alarms; d.ErrorRatePercent != 2 || d.LatencySeconds != 1.5 || d.DatabaseConnections != 300 || d.QueueAgeSeconds != 300 {
		t.Errorf("production defaults: %+v", d)
	}
}

// TestSiteDownPagesSomeone is the defect in one assertion, with the default
// props only: when web tasks stop running, an alarm notifies an SNS topic.
func TestSiteDownPagesSomeone(t *testing.T) {
	tp := synth(t, func(awscdk.Stack) *djangocdk.DjangoEcsProps { return baseProps() }).tpl
	topics := tp.resources("AWS::SNS::Topic")
	for _, a := range tp.resources("AWS::CloudWatch::Alarm") {
		body := jsonOf(props(a))
		if !strings.Contains(body, "RunningTaskCount") || !strings.Contains(body, "SiteWebService") {
			continue
		}
		for id := range topics {
			if strings.Contains(jsonOf(props(a)["AlarmActions"]), `"Ref":"`+id+`"`) {
				return
			}
		}
	}
	t.Fatalf("no alarm on the web service's running tasks notifies an SNS topic (%d alarms, %d topics)",
		tp.count("AWS::CloudWatch::Alarm"), len(topics))
}

// TestEdgeFailuresPageSomeone: when requests never reach the load balancer
// (VPC origin, timeouts), only CloudFront's 5xx rate shows it.
func TestEdgeFailuresPageSomeone(t *testing.T) {
	tp := synth(t, func(awscdk.Stack) *djangocdk.DjangoEcsProps { return baseProps() }).tpl
	edge := props(tp.alarmsByName(t)[djangocdk.AlarmEdgeErrorRate])
	body := jsonOf(edge)
	for _, want := range []string{`"Namespace":"AWS/CloudFront"`, `"MetricName":"5xxErrorRate"`, `{"Name":"Region","Value":"Global"}`, `"Ref":"SiteEdgeDistribution`} {
		if !strings.Contains(body, want) {
			t.Errorf("edge alarm lacks %s: %s", want, body)
		}
	}
	public := synth(t, func(awscdk.Stack) *djangocdk.DjangoEcsProps {
		p := baseProps()
		p.Edge = djangocdk.EdgeALBHTTPInsecure
		return p
	}).tpl
	if _, ok := public.alarmsByName(t)[djangocdk.AlarmEdgeErrorRate]; ok {
		t.Error("without the CloudFront edge in front of the site there is no edge alarm")
	}
}
