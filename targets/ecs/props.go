package ecs

import (
	"time"

	"github.com/aws/aws-cdk-go/awscdk/v2/awsecs"
	"github.com/aws/aws-cdk-go/awscdk/v2/awslogs"
	"github.com/aws/constructs-go/constructs/v10"
	"github.com/djangocdk/djangocdk/appmodel"
	"github.com/djangocdk/djangocdk/blocks/cache"
	"github.com/djangocdk/djangocdk/blocks/database"
	"github.com/djangocdk/djangocdk/blocks/domain"
	"github.com/djangocdk/djangocdk/blocks/edge"
	"github.com/djangocdk/djangocdk/blocks/network"
	"github.com/djangocdk/djangocdk/blocks/observability"
	"github.com/djangocdk/djangocdk/blocks/storage"
)

// Architecture is the CPU architecture of the Fargate tasks.
type Architecture string

const (
	// ArchARM64 runs on Graviton (about 20% cheaper). The image must be built for linux/arm64.
	ArchARM64 Architecture = "arm64"
	// ArchX86 runs on x86_64 (linux/amd64 images).
	ArchX86 Architecture = "x86_64"
)

// Profile and Broker are the app model's (see package appmodel).
type (
	// Profile selects a coherent set of defaults.
	Profile = appmodel.Profile
	// Broker selects the Celery message broker.
	Broker = appmodel.Broker
)

// Profiles and brokers.
const (
	ProfileStarter    = appmodel.ProfileStarter
	ProfileProduction = appmodel.ProfileProduction
	BrokerCache       = appmodel.BrokerCache
	BrokerSQS         = appmodel.BrokerSQS
)

// DjangoEcsProps configures NewDjangoEcs. Only ProjectPath (or Image) and
// SettingsModule are required; every other field has a documented default,
// several of which depend on Profile.
type DjangoEcsProps struct {
	// ProjectPath is the directory of the Django project; its Dockerfile builds
	// the image for all processes. Required unless Image is set.
	ProjectPath string
	// Dockerfile is the Dockerfile path relative to ProjectPath. Default "Dockerfile".
	Dockerfile string
	// DockerTarget is the build stage to use. Default: the last stage.
	DockerTarget string
	// Image is a prebuilt image used instead of building ProjectPath. Default: built from ProjectPath.
	Image awsecs.ContainerImage
	// SettingsModule is the value of DJANGO_SETTINGS_MODULE, e.g. "mysite.settings".
	// Its first component names the project package used by the default
	// gunicorn and Celery commands. Required.
	SettingsModule string
	// Profile selects defaults: "starter" (default) or "production".
	Profile Profile
	// Architecture of the tasks: "arm64" (default) or "x86_64".
	Architecture Architecture
	// Environment holds extra plain environment variables for every process.
	// Names of the env contract (and the launcher's Derived names) are
	// reserved. A value may name deployment facts as ${url}, ${host},
	// ${bucket}, ${assets_domain} or ${region} (see Placeholders); "$$" is a
	// literal dollar sign.
	Environment map[string]string
	// Secrets holds extra secrets injected into every process by ECS.
	// Names of the env contract are reserved.
	Secrets map[string]awsecs.Secret
	// EntryPoint of every container. Default: LauncherEntryPoint (the
	// settings helper's launcher, which composes DATABASE_URL and the other
	// Derived variables, then execs the command). To keep an image's own
	// ENTRYPOINT script, append it: {"python", "-m", "djangocdk_settings",
	// "exec", "/entrypoint"}. An empty, non-nil slice uses the image's
	// ENTRYPOINT unchanged (no Derived variables).
	EntryPoint []string
	// ContainerHook, when set, is called with the process name ("web",
	// "worker", "beat", "release") and the container options just before each
	// container is added, to set anything this construct does not expose.
	ContainerHook func(process string, opts *awsecs.ContainerDefinitionOptions)
	// Network configures the VPC. Default: a new VPC, see NetworkProps.
	Network network.Props
	// Database configures PostgreSQL. Default: RDS PostgreSQL 17 on db.t4g.micro.
	Database database.Props
	// Cache configures ElastiCache. Default: Valkey on cache.t4g.micro.
	Cache cache.Props
	// Broker is the Celery broker: "cache" (default) or "sqs".
	Broker Broker
	// Storage configures the static/media bucket and its CDN.
	Storage storage.Props
	// Edge is how visitors reach the site: "cloudfront" (default: HTTPS on a
	// CloudFront distribution whose origin is an internal load balancer
	// reached through a VPC origin; static and media files on the same
	// distribution), "alb-https" (an internet-facing load balancer with the
	// domain's certificate; needs Domain) or "alb-http-insecure" (plain HTTP
	// on an internet-facing load balancer: an explicit opt-out, refused with
	// the production profile).
	Edge edge.EdgeKind
	// Domain, when set, serves the site on a custom domain. Default: none
	// (with the CloudFront edge, the distribution's own *.cloudfront.net
	// name over HTTPS).
	Domain *domain.Props
	// Web configures the gunicorn service behind the load balancer.
	Web WebProps
	// Worker configures the Celery worker service.
	Worker WorkerProps
	// Beat configures the Celery beat service (off by default).
	Beat BeatProps
	// Release configures the migrate/collectstatic step run before each rollout.
	Release ReleaseProps
	// EnableExec turns on ECS Exec (a shell in running containers) with a KMS
	// key and session logging. Default false.
	EnableExec bool
	// LogRetention is how long container logs are kept. Default: one month
	// (starter), three months (production).
	LogRetention awslogs.RetentionDays
	// StatefulScope, when set, is where the stateful building blocks (network,
	// database, cache, storage, secrets) are created, typically a separate
	// Stack, so compute can be replaced without touching data. Default: inside
	// this construct.
	StatefulScope constructs.Construct

	// Alarms configures the alarms, their SNS topic and the dashboard (see
	// AlarmsProps). Default: on, with the profile's thresholds; only the
	// starter profile may turn them off.
	Alarms observability.Props
}

// TaskSize is a Fargate CPU/memory pair.
type TaskSize struct {
	// CPU units (256, 512, 1024, 2048, 4096, 8192 or 16384).
	CPU int
	// MemoryMiB allowed for the CPU value (see Fargate task sizes).
	MemoryMiB int
}

// Scaling configures target-tracking autoscaling of a service.
type Scaling struct {
	// MinTasks. Default 1 (starter), 2 (production web).
	MinTasks int
	// MaxTasks. Default 2 (starter), 10 (production).
	MaxTasks int
	// CPUTargetPercent is the average CPU to track. Default 60.
	CPUTargetPercent int
	// RequestsPerTarget is the ALB request count per task to track (web only). Default 500.
	RequestsPerTarget int
}

// WebProps configures the web service.
type WebProps struct {
	// Command runs the web server. Default: gunicorn <project>.wsgi:application
	// bound to 0.0.0.0:Port with access logs on stdout.
	Command []string
	// Port the container listens on. Default 8000.
	Port int
	// HealthCheckPath answered with 200 by the app. Default "/healthz".
	HealthCheckPath string
	// Size of each task. Default 512 CPU / 1024 MiB (starter), 1024 / 2048 (production).
	Size TaskSize
	// Scaling of the service.
	Scaling Scaling
}

// WorkerProps configures the Celery worker service.
type WorkerProps struct {
	// Disabled removes the worker service. Default false.
	Disabled bool
	// Command runs the worker. Default: celery -A <project> worker --loglevel INFO.
	Command []string
	// Size of each task. Default 512 / 1024 (starter), 1024 / 2048 (production).
	Size TaskSize
	// Scaling of the service (CPU target tracking).
	Scaling Scaling
}

// BeatProps configures the Celery beat service.
type BeatProps struct {
	// Enabled adds the beat service. Default false.
	Enabled bool
	// Command runs beat. Default: celery -A <project> beat --loglevel INFO
	// --schedule /tmp/celerybeat-schedule.
	Command []string
	// Size of the task. Default 256 CPU / 512 MiB.
	Size TaskSize
	// DesiredCount must be 1 (or 0 for the default of 1): two schedulers
	// would send every periodic task twice.
	DesiredCount int
}

// ReleaseProps configures the release step.
type ReleaseProps struct {
	// Disabled turns the release step off. Default false.
	Disabled bool
	// Commands run in order in one task; the first failure fails the deploy.
	// Default: migrate --noinput, then collectstatic --noinput.
	Commands [][]string
	// Timeout of the release task. Default 20 minutes; at most 50 minutes.
	Timeout time.Duration
	// Size of the task. Default: the web task size.
	Size TaskSize
}
