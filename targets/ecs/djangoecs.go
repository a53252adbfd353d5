// Package ecs is the ECS Fargate target: DjangoEcs turns the app model
// (appmodel) and the building blocks (blocks/*) into a Django deployment on
// ECS — task definitions and services for web, worker and beat, the load
// balancer's listeners, one IAM role per process, the release task, outputs
// and the cdk-nag suppressions — with its props, defaults and validation.
// See docs/architecture.md.
package ecs

import (
	"fmt"

	"github.com/djangocdk/djangocdk/appmodel"
	"github.com/djangocdk/djangocdk/blocks/cache"
	"github.com/djangocdk/djangocdk/blocks/database"
	"github.com/djangocdk/djangocdk/blocks/domain"
	"github.com/djangocdk/djangocdk/blocks/edge"
	"github.com/djangocdk/djangocdk/blocks/network"
	"github.com/djangocdk/djangocdk/blocks/observability"
	"github.com/djangocdk/djangocdk/blocks/queue"
	"github.com/djangocdk/djangocdk/blocks/release"
	"github.com/djangocdk/djangocdk/blocks/secrets"
	"github.com/djangocdk/djangocdk/blocks/storage"
	"github.com/djangocdk/djangocdk/contract"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsec2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsecrassets"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsecs"
	"github.com/aws/aws-cdk-go/awscdk/v2/awselasticloadbalancingv2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsiam"
	"github.com/aws/aws-cdk-go/awscdk/v2/awskms"
	"github.com/aws/aws-cdk-go/awscdk/v2/awslogs"
	"github.com/aws/aws-cdk-go/awscdk/v2/awssqs"
	"github.com/aws/aws-cdk-go/awscdk/v2/customresources"
	"github.com/aws/constructs-go/constructs/v10"
	"github.com/aws/jsii-runtime-go"
)

// DjangoEcs is a production Django stack on ECS Fargate: web service behind
// an ALB, Celery worker and beat, PostgreSQL, Valkey, S3 + CloudFront, and a
// release step that migrates before each rollout. Every inner construct is
// reachable through its getters.
type DjangoEcs interface {
	constructs.Construct
	// Props are the props after defaults were applied.
	Props() DjangoEcsProps
	// Network is the VPC building block.
	Network() network.Network
	// Cluster is the ECS cluster.
	Cluster() awsecs.Cluster
	// Image is the container image shared by all processes.
	Image() awsecs.ContainerImage
	// TaskRole is the IAM role of the web process.
	TaskRole() awsiam.Role
	// TaskRoleOf is the IAM role of a process ("web", "worker", "beat",
	// "release"): each has its own, with only what that process uses; nil
	// for a process that is not deployed.
	TaskRoleOf(process string) awsiam.Role
	// ExecutionRole pulls the image and injects the secrets.
	ExecutionRole() awsiam.Role
	// LoadBalancer is the ALB: internal behind the CloudFront edge (the
	// default), internet-facing with the "alb-*" edges.
	LoadBalancer() awselasticloadbalancingv2.ApplicationLoadBalancer
	// Edge is the CloudFront distribution in front of the site (or, with the
	// "alb-*" edges, in front of the static and media files only).
	Edge() edge.Edge
	// TargetGroup is the web service's target group.
	TargetGroup() awselasticloadbalancingv2.ApplicationTargetGroup
	// WebService is the gunicorn service.
	WebService() awsecs.FargateService
	// WorkerService is the Celery worker, or nil when disabled.
	WorkerService() awsecs.FargateService
	// BeatService is Celery beat, or nil when not enabled.
	BeatService() awsecs.FargateService
	// TaskDefinition returns the task definition of "web", "worker", "beat"
	// or "release", or nil.
	TaskDefinition(process string) awsecs.FargateTaskDefinition
	// LogGroup returns the log group of a process, or nil.
	LogGroup(process string) awslogs.LogGroup
	// Database is the PostgreSQL building block.
	Database() database.Database
	// Cache is the Valkey/Redis building block, or nil with Cache.Engine "none".
	Cache() cache.Cache
	// BrokerQueue is the SQS queue when Broker is "sqs", else nil.
	BrokerQueue() awssqs.Queue
	// Storage is the bucket building block.
	Storage() storage.Storage
	// Secrets holds the generated application secrets.
	Secrets() secrets.AppSecrets
	// Domain is the domain building block, or nil without a domain.
	Domain() domain.Domain
	// Release is the release step, or nil when disabled.
	Release() release.Release
	// ExecKey encrypts ECS Exec sessions and their logs, or nil when exec is off.
	ExecKey() awskms.Key
	// URL is the public URL of the site.
	URL() *string
	// Alarms is the observability building block (SNS topic, alarms,
	// dashboard), or nil when Alarms.Disabled.
	Alarms() observability.Observability
}

type djangoEcs struct {
	constructs.Construct
	props         DjangoEcsProps
	app           *appmodel.App
	dataScope     constructs.Construct
	network       network.Network
	cluster       awsecs.Cluster
	image         awsecs.ContainerImage
	taskRole      awsiam.Role
	taskRoles     map[string]awsiam.Role
	executionRole awsiam.Role
	lb            awselasticloadbalancingv2.ApplicationLoadBalancer
	lbRef         awselasticloadbalancingv2.IApplicationLoadBalancer
	edge          edge.Edge
	// prefixListLookup resolves CloudFront's origin-facing prefix list (CloudFront edge only).
	prefixListLookup customresources.AwsCustomResource
	site             edge.Site
	targetGroup      awselasticloadbalancingv2.ApplicationTargetGroup
	services         map[string]awsecs.FargateService
	taskDefs         map[string]awsecs.FargateTaskDefinition
	logGroups        map[string]awslogs.LogGroup
	albSG            awsec2.SecurityGroup
	webSG            awsec2.SecurityGroup
	workerSG         awsec2.SecurityGroup
	database         database.Database
	cache            cache.Cache
	queue            awssqs.Queue
	storage          storage.Storage
	secrets          secrets.AppSecrets
	domain           domain.Domain
	release          release.Release
	execKey          awskms.Key
	alarms           observability.Observability
}

func (d *djangoEcs) Props() DjangoEcsProps                                           { return d.props }
func (d *djangoEcs) Network() network.Network                                        { return d.network }
func (d *djangoEcs) Cluster() awsecs.Cluster                                         { return d.cluster }
func (d *djangoEcs) Image() awsecs.ContainerImage                                    { return d.image }
func (d *djangoEcs) TaskRole() awsiam.Role                                           { return d.taskRole }
func (d *djangoEcs) TaskRoleOf(process string) awsiam.Role                           { return d.taskRoles[process] }
func (d *djangoEcs) ExecutionRole() awsiam.Role                                      { return d.executionRole }
func (d *djangoEcs) LoadBalancer() awselasticloadbalancingv2.ApplicationLoadBalancer { return d.lb }
func (d *djangoEcs) TargetGroup() awselasticloadbalancingv2.ApplicationTargetGroup {
	return d.targetGroup
}
func (d *djangoEcs) WebService() awsecs.FargateService                    { return d.services[contract.ProcessWeb] }
func (d *djangoEcs) WorkerService() awsecs.FargateService                 { return d.services[contract.ProcessWorker] }
func (d *djangoEcs) BeatService() awsecs.FargateService                   { return d.services[contract.ProcessBeat] }
func (d *djangoEcs) TaskDefinition(p string) awsecs.FargateTaskDefinition { return d.taskDefs[p] }
func (d *djangoEcs) LogGroup(p string) awslogs.LogGroup                   { return d.logGroups[p] }
func (d *djangoEcs) Database() database.Database                          { return d.database }
func (d *djangoEcs) Cache() cache.Cache                                   { return d.cache }
func (d *djangoEcs) BrokerQueue() awssqs.Queue                            { return d.queue }
func (d *djangoEcs) Edge() edge.Edge                                      { return d.edge }
func (d *djangoEcs) Storage() storage.Storage                             { return d.storage }
func (d *djangoEcs) Secrets() secrets.AppSecrets                          { return d.secrets }
func (d *djangoEcs) Domain() domain.Domain                                { return d.domain }
func (d *djangoEcs) Release() release.Release                             { return d.release }
func (d *djangoEcs) ExecKey() awskms.Key                                  { return d.execKey }
func (d *djangoEcs) URL() *string                                         { return d.site.URL }
func (d *djangoEcs) Alarms() observability.Observability                  { return d.alarms }

// NewDjangoEcs creates the Django stack. It validates props first and
// panics with a *PropsError listing every invalid field (call
// props.Validate() to get the error instead). The enclosing stack must
// have an explicit region (ALB access logging and regional endpoints need it).
func NewDjangoEcs(scope constructs.Construct, id string, props *DjangoEcsProps) DjangoEcs {
	if props == nil {
		props = &DjangoEcsProps{}
	}
	if err := props.Validate(); err != nil {
		panic(err)
	}
	if *awscdk.Token_IsUnresolved(awscdk.Stack_Of(scope).Region()) {
		panic(fmt.Errorf("DjangoEcs %q: the stack needs an explicit region (StackProps.Env.Region); ALB access logs and VPC endpoints are regional", id))
	}
	p := props.resolved()
	d := &djangoEcs{
		props:     p,
		app:       p.app(),
		services:  map[string]awsecs.FargateService{},
		taskDefs:  map[string]awsecs.FargateTaskDefinition{},
		logGroups: map[string]awslogs.LogGroup{},
	}
	constructs.NewConstruct_Override(d, scope, jsii.String(id))
	d.buildStateful()
	d.buildCluster()
	d.buildEdge()
	d.buildProcesses()
	d.grantAccess()
	d.orderFirstDeploy()
	d.buildAlarms()
	d.buildOutputs()
	// The suppressions are metadata only cdk-nag reads: an app that runs no
	// cdk-nag (the djangocdk CLI) sets NoNagContext and saves their jsii calls.
	if skip := d.Node().TryGetContext(jsii.String(NoNagContext)); skip != true && skip != "true" {
		applyNagSuppressions(d)
	}
	return d
}

// NoNagContext is the context key that, set to true, skips the cdk-nag
// suppressions (for apps that do not run cdk-nag).
const NoNagContext = "djangocdk:noNagSuppressions"

// buildStateful creates network, secrets, database, cache, queue and
// storage, in StatefulScope when given.
func (d *djangoEcs) buildStateful() {
	p := d.props
	prod := p.Profile == ProfileProduction
	var data constructs.Construct = d
	if p.StatefulScope != nil {
		data = constructs.NewConstruct(p.StatefulScope, d.Node().Id())
	}
	d.dataScope = data
	d.network = network.New(data, "Network", &p.Network)
	d.secrets = secrets.New(data, "Secrets", &secrets.Props{RemovalPolicy: p.stateRemoval()})
	d.database = database.New(data, "Database", &database.Options{
		DatabaseProps: p.Database, Network: d.network, Production: prod, LogRetention: p.LogRetention,
	})
	if p.Cache.Engine != cache.CacheNone {
		d.cache = cache.New(data, "Cache", &cache.Options{CacheProps: p.Cache, Network: d.network})
	}
	if p.Broker == BrokerSQS {
		d.queue = queue.NewBroker(data)
	}
	d.storage = storage.New(data, "Storage", &storage.Options{StorageProps: p.Storage})
	// Production keeps every secret and queued task when compute is replaced
	// or the stack removed (the generated ones are recreated otherwise:
	// a new SECRET_KEY logs every user out).
	if prod {
		var retain []awscdk.IResource // the database's generated secret: NewDatabase
		if d.cache != nil {
			retain = append(retain, d.cache.AuthToken())
		}
		if d.queue != nil {
			retain = append(retain, d.queue, d.queue.DeadLetterQueue().Queue)
		}
		for _, r := range retain {
			r.ApplyRemovalPolicy(awscdk.RemovalPolicy_RETAIN)
		}
	}
}

// buildCluster creates the cluster (with Container Insights), the roles and
// security groups shared by the processes, and the image.
func (d *djangoEcs) buildCluster() {
	p := d.props
	vpc := d.network.Vpc()
	clusterProps := &awsecs.ClusterProps{
		Vpc:                 vpc,
		ContainerInsightsV2: awsecs.ContainerInsights_ENABLED,
	}
	if p.EnableExec {
		d.execKey = awskms.NewKey(d, jsii.String("ExecKey"), &awskms.KeyProps{
			Description:       jsii.String("Encrypts ECS Exec sessions and their logs"),
			EnableKeyRotation: jsii.Bool(true),
		})
		d.execKey.GrantEncryptDecrypt(awsiam.NewServicePrincipal(
			jsii.String("logs."+*awscdk.Stack_Of(d).Region()+".amazonaws.com"), nil))
		execLogs := awslogs.NewLogGroup(d, jsii.String("ExecLogs"), &awslogs.LogGroupProps{
			Retention:     p.LogRetention,
			EncryptionKey: d.execKey,
		})
		d.logGroups["exec"] = execLogs
		clusterProps.ExecuteCommandConfiguration = &awsecs.ExecuteCommandConfiguration{
			KmsKey:  d.execKey,
			Logging: awsecs.ExecuteCommandLogging_OVERRIDE,
			LogConfiguration: &awsecs.ExecuteCommandLogConfiguration{
				CloudWatchLogGroup:          execLogs,
				CloudWatchEncryptionEnabled: jsii.Bool(true),
			},
		}
	}
	d.cluster = awsecs.NewCluster(d, jsii.String("Cluster"), clusterProps)
	ecsTasks := awsiam.NewServicePrincipal(jsii.String("ecs-tasks.amazonaws.com"), nil)
	// One role per process, each granted only what that process uses
	// (grantAccess). The web role keeps the construct ID "TaskRole".
	d.taskRoles = map[string]awsiam.Role{}
	for _, r := range []struct {
		process, id, what string
		on                bool
	}{
		{contract.ProcessWeb, "TaskRole", "Django web process", true},
		{contract.ProcessRelease, "ReleaseTaskRole", "Django release task (migrate, collectstatic) and one-off commands", true},
		{contract.ProcessWorker, "WorkerTaskRole", "Celery worker", !p.Worker.Disabled},
		{contract.ProcessBeat, "BeatTaskRole", "Celery beat", p.Beat.Enabled},
	} {
		if r.on {
			d.taskRoles[r.process] = awsiam.NewRole(d, jsii.String(r.id), &awsiam.RoleProps{AssumedBy: ecsTasks, Description: jsii.String(r.what)})
		}
	}
	d.taskRole = d.taskRoles[contract.ProcessWeb]
	d.executionRole = awsiam.NewRole(d, jsii.String("ExecutionRole"), &awsiam.RoleProps{
		AssumedBy:   ecsTasks,
		Description: jsii.String("ECS agent: pulls the image, injects secrets, writes logs"),
	})
	d.webSG = awsec2.NewSecurityGroup(d, jsii.String("WebSecurityGroup"), &awsec2.SecurityGroupProps{
		Vpc: vpc, Description: jsii.String("Django web and release tasks"), AllowAllOutbound: jsii.Bool(true),
	})
	d.workerSG = awsec2.NewSecurityGroup(d, jsii.String("WorkerSecurityGroup"), &awsec2.SecurityGroupProps{
		Vpc: vpc, Description: jsii.String("Celery worker and beat tasks"), AllowAllOutbound: jsii.Bool(true),
	})
	if p.Image != nil {
		d.image = p.Image
		return
	}
	platform := awsecrassets.Platform_LINUX_ARM64()
	if p.Architecture == ArchX86 {
		platform = awsecrassets.Platform_LINUX_AMD64()
	}
	assetProps := &awsecs.AssetImageProps{File: jsii.String(p.Dockerfile), Platform: platform}
	if p.DockerTarget != "" {
		assetProps.Target = jsii.String(p.DockerTarget)
	}
	d.image = awsecs.ContainerImage_FromAsset(jsii.String(p.ProjectPath), assetProps)
}

// grantAccess opens the database and cache to the app's security groups
// only, and gives the task role exactly the storage and queue access it needs.
// Rules are created from the client side so they live in the compute stack
// when data is in a separate one.
func (d *djangoEcs) grantAccess() {
	for _, sg := range []awsec2.SecurityGroup{d.webSG, d.workerSG} {
		sg.Connections().AllowTo(d.database.Connections(), d.database.Port(), jsii.String("PostgreSQL from the app"))
		if d.cache != nil {
			sg.Connections().AllowTo(d.cache.Connections(), d.cache.Port(), jsii.String("Valkey/Redis from the app"))
		}
	}
	// Files: uploads (web), collectstatic (release), tasks on media (worker);
	// beat only schedules.
	for _, process := range []string{contract.ProcessWeb, contract.ProcessRelease, contract.ProcessWorker} {
		if role := d.taskRoles[process]; role != nil {
			d.storage.GrantAppAccess(role)
		}
	}
	if d.queue != nil {
		// Web and beat send tasks; the worker consumes them (and may send more).
		for _, process := range []string{contract.ProcessWeb, contract.ProcessBeat, contract.ProcessWorker} {
			if role := d.taskRoles[process]; role != nil {
				d.queue.GrantSendMessages(role)
			}
		}
		if role := d.taskRoles[contract.ProcessWorker]; role != nil {
			d.queue.GrantConsumeMessages(role)
		}
	}
}

// orderFirstDeploy makes the release step (or, without it, the services)
// wait for what a task needs to work: egress or VPC endpoints (everything
// in the network block) and the security-group rules that open the
// database and cache to the app. Without this, a first deploy could run
// migrate before the database admits the task.
func (d *djangoEcs) orderFirstDeploy() {
	deps := []constructs.IDependable{d.network, d.webSG, d.workerSG}
	for _, sg := range *d.database.Connections().SecurityGroups() {
		deps = append(deps, sg)
	}
	if d.cache != nil {
		for _, sg := range *d.cache.Connections().SecurityGroups() {
			deps = append(deps, sg)
		}
	}
	if d.release != nil {
		d.release.Resource().Node().AddDependency(deps...)
		return
	}
	for _, svc := range d.services {
		svc.Node().AddDependency(deps...)
	}
}

// app is the target-neutral description of the deployment (resolved props).
func (p DjangoEcsProps) app() *appmodel.App {
	a := &appmodel.App{
		SettingsModule:   p.SettingsModule,
		EntryPoint:       p.EntryPoint,
		Processes:        map[string]appmodel.Process{},
		HealthCheckPath:  p.Web.HealthCheckPath,
		Port:             p.Web.Port,
		StaticStorage:    string(p.Storage.StaticStorage),
		ConnectTimeout:   p.Database.ConnectTimeout(),
		ExtraEnvironment: p.Environment,
	}
	a.Processes[contract.ProcessWeb] = appmodel.Process{Command: p.Web.Command, CPU: p.Web.Size.CPU, MemoryMiB: p.Web.Size.MemoryMiB,
		MinCount: p.Web.Scaling.MinTasks, MaxCount: p.Web.Scaling.MaxTasks}
	if !p.Worker.Disabled {
		a.Processes[contract.ProcessWorker] = appmodel.Process{Command: p.Worker.Command, CPU: p.Worker.Size.CPU, MemoryMiB: p.Worker.Size.MemoryMiB,
			MinCount: p.Worker.Scaling.MinTasks, MaxCount: p.Worker.Scaling.MaxTasks}
	}
	if p.Beat.Enabled {
		a.Processes[contract.ProcessBeat] = appmodel.Process{Command: p.Beat.Command, CPU: p.Beat.Size.CPU, MemoryMiB: p.Beat.Size.MemoryMiB, MinCount: 1, MaxCount: 1}
	}
	a.Release = appmodel.Release{Disabled: p.Release.Disabled, Commands: p.Release.Commands, Timeout: p.Release.Timeout,
		CPU: p.Release.Size.CPU, MemoryMiB: p.Release.Size.MemoryMiB}
	return a
}

// resources are what the building blocks give the env contract.
func (d *djangoEcs) resources() appmodel.Resources {
	r := appmodel.Resources{
		Host: d.site.Host, URL: d.site.URL, HTTPS: d.site.HTTPS, ForwardedProtoHeader: d.site.ForwardedProtoHeader,
		Bucket: d.storage.Bucket().BucketName(), AssetsHost: d.edge.Host(), Region: awscdk.Stack_Of(d).Region(),
		SecretKey: d.secrets.SecretKey(), Database: d.database.Secret(),
	}
	if d.cache != nil {
		r.CacheURL, r.CacheBrokerURL, r.CacheToken = d.cache.URL(), d.cache.BrokerURL(), d.cache.AuthToken()
	}
	if d.queue != nil {
		r.QueueName, r.QueueURL = d.queue.QueueName(), d.queue.QueueUrl()
	}
	return r
}

// environment returns the plain variables and the ECS secrets of every
// container: the contract (appmodel) plus the user's extra secrets.
func (d *djangoEcs) environment() (map[string]*string, map[string]awsecs.Secret) {
	env, refs := d.app.Environment(d.resources())
	secrets := map[string]awsecs.Secret{}
	for name, ref := range refs {
		var field *string
		if ref.Field != "" {
			field = jsii.String(ref.Field)
		}
		secrets[name] = awsecs.Secret_FromSecretsManager(ref.Secret, field)
	}
	for k, v := range d.props.Secrets {
		secrets[k] = v
	}
	return env, secrets
}

// stateRemoval is the removal policy of what a deployment accumulates
// (secrets, logs): kept in production, removed with a starter stack.
func (p DjangoEcsProps) stateRemoval() awscdk.RemovalPolicy {
	if p.Profile == ProfileProduction {
		return awscdk.RemovalPolicy_RETAIN
	}
	return awscdk.RemovalPolicy_DESTROY
}
