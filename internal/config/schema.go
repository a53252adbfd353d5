// Package config reads, merges and validates the djangocdk configuration: the
// [tool.djangocdk] table of a project's pyproject.toml, or djangocdk.toml.
//
// The Config struct is the schema. Each field's toml tag is its key, its doc
// tag its documentation (docs/config.md is generated from them), and its prop
// tag the DjangoEcsProps field it sets, so that a props validation error can
// be reported under the config key that caused it.
package config

// Config is the whole configuration of one application.
type Config struct {
	App            string            `toml:"app" doc:"Name of the application, in lower case: letters, digits and dashes, starting with a letter (e.g. \"mysite\"). Names the stacks (MysiteData, MysiteApp). Required."`
	Target         string            `toml:"target" doc:"Compute target. Only \"ecs\" is built; eks, lambda and ec2 are reserved and rejected for now. Default \"ecs\"."`
	Region         string            `toml:"region" doc:"AWS region to deploy to, e.g. \"eu-west-1\". Required."`
	Account        string            `toml:"account" doc:"12-digit AWS account ID. Optional: deploy uses the account of your credentials; when set, deploy refuses any other."`
	Profile        string            `toml:"profile" prop:"Profile" doc:"\"starter\" (cheapest sane setup) or \"production\" (multi-AZ, more tasks, deletion protection)."`
	SettingsModule string            `toml:"settings_module" prop:"SettingsModule" doc:"Dotted path of the settings module used in the cloud."`
	ProjectDir     string            `toml:"project_dir" prop:"ProjectPath" doc:"Django project directory (the Docker build context), relative to the config file."`
	Dockerfile     string            `toml:"dockerfile" prop:"Dockerfile" doc:"Dockerfile path relative to project_dir."`
	DockerTarget   string            `toml:"docker_target" prop:"DockerTarget" doc:"Build target (stage) of the Dockerfile."`
	Architecture   string            `toml:"architecture" prop:"Architecture" doc:"CPU architecture of every task: \"arm64\" (Graviton, cheaper) or \"x86_64\"."`
	NAT            string            `toml:"nat" prop:"Network.NatMode" doc:"Outbound internet for private subnets: \"gateway\" (one per AZ), \"gateway-single\", \"instance\" (a t4g.nano NAT instance) or \"none\" (VPC endpoints only)."`
	Edge           string            `toml:"edge" prop:"Edge" doc:"How visitors reach the site: \"cloudfront\" (HTTPS on a CloudFront distribution, with or without a domain; the load balancer is internal, reached through a VPC origin; static and media files on the same distribution), \"alb-https\" (an internet-facing load balancer with the domain's certificate; needs domain) or \"alb-http-insecure\" (plain HTTP on an internet-facing load balancer: passwords and session cookies in clear; refused with the production profile)."`
	Broker         string            `toml:"broker" prop:"Broker" doc:"Celery broker: \"cache\" (the Valkey/Redis cache) or \"sqs\"."`
	Exec           bool              `toml:"exec" prop:"EnableExec" doc:"Enable ECS Exec: a shell in a running container (the stack's ShellCommand output)."`
	EntryPoint     []string          `toml:"entrypoint" prop:"EntryPoint" doc:"Entry point of every container. Default: the settings helper's launcher [\"python\", \"-m\", \"djangocdk_settings\", \"exec\"], which composes DATABASE_URL and the other URL forms at start and then runs the command. To keep an image's ENTRYPOINT script, append it (init does): [\"python\", \"-m\", \"djangocdk_settings\", \"exec\", \"/entrypoint\"]. [] uses the image's own ENTRYPOINT without the URL forms."`
	StaticStorage  string            `toml:"static_storage" prop:"Storage.StaticStorage" doc:"Static files: \"s3-manifest\" (hashed names on S3, cached for a year), \"s3\" (plain names on S3: for static files referencing files that do not exist, e.g. missing source maps) or \"project\" (keep the project's own STORAGES choice, e.g. WhiteNoise; media still go to S3)."`
	RequiredEnv    []string          `toml:"required_env" doc:"Environment variables the project's settings read without a default (init lists them). validate fails until each has a value in env or a reference in secrets, unless the deployment provides it (docs/contract.md)."`
	Web            Web               `toml:"web" prop:"Web"`
	Worker         Worker            `toml:"worker" prop:"Worker"`
	Beat           Beat              `toml:"beat" prop:"Beat"`
	Release        Release           `toml:"release" prop:"Release"`
	Database       Database          `toml:"database" prop:"Database"`
	Cache          Cache             `toml:"cache" prop:"Cache"`
	Domain         Domain            `toml:"domain" prop:"Domain"`
	Alarms         Alarms            `toml:"alarms" prop:"Alarms"`
	Env            map[string]string `toml:"env" prop:"Environment" doc:"Extra plain environment variables for every process. Names of the env contract are reserved. A value may name facts of the deployment, resolved at synth: ${url} (https://site), ${host} (the site's host name), ${bucket}, ${assets_domain}, ${region}; $$ is a literal dollar sign. Never put a secret here: use secrets."`
	Secrets        map[string]string `toml:"secrets" prop:"Secrets" doc:"Extra secret variables: NAME = \"secretsmanager:<secret name>\" (or \"secretsmanager:<name>:<json field>\") or \"ssm:/<parameter>\". Injected by ECS at task start; the values never enter the template."`
}

// Web configures the gunicorn service behind the load balancer.
type Web struct {
	Command           []string `toml:"command" prop:"Command" doc:"Command of the web container."`
	Port              int      `toml:"port" prop:"Port" doc:"Port gunicorn listens on."`
	HealthCheckPath   string   `toml:"health_check_path" prop:"HealthCheckPath" doc:"Path the load balancer checks; must answer 200."`
	CPU               int      `toml:"cpu" prop:"Size.CPU" doc:"vCPU units per task (256 = 0.25 vCPU)."`
	Memory            int      `toml:"memory" prop:"Size.MemoryMiB" doc:"Memory per task in MiB. With only cpu set: the smallest Fargate allows with it."`
	MinTasks          int      `toml:"min_tasks" prop:"Scaling.MinTasks" doc:"Fewest running tasks."`
	MaxTasks          int      `toml:"max_tasks" prop:"Scaling.MaxTasks" doc:"Most running tasks."`
	CPUTarget         int      `toml:"cpu_target" prop:"Scaling.CPUTargetPercent" doc:"Scale out above this average CPU percentage."`
	RequestsPerTarget int      `toml:"requests_per_target" prop:"Scaling.RequestsPerTarget" doc:"Scale out above this many requests per task per minute."`
}

// Worker configures the Celery worker service.
type Worker struct {
	Enabled   *bool    `toml:"enabled" prop:"Disabled" doc:"Run a Celery worker."`
	Command   []string `toml:"command" prop:"Command" doc:"Command of the worker container."`
	CPU       int      `toml:"cpu" prop:"Size.CPU" doc:"vCPU units per task."`
	Memory    int      `toml:"memory" prop:"Size.MemoryMiB" doc:"Memory per task in MiB. With only cpu set: the smallest Fargate allows with it."`
	MinTasks  int      `toml:"min_tasks" prop:"Scaling.MinTasks" doc:"Fewest running tasks."`
	MaxTasks  int      `toml:"max_tasks" prop:"Scaling.MaxTasks" doc:"Most running tasks."`
	CPUTarget int      `toml:"cpu_target" prop:"Scaling.CPUTargetPercent" doc:"Scale out above this average CPU percentage."`
}

// Beat configures Celery beat.
type Beat struct {
	Enabled bool     `toml:"enabled" prop:"Enabled" doc:"Run Celery beat (exactly one task)."`
	Command []string `toml:"command" prop:"Command" doc:"Command of the beat container."`
	CPU     int      `toml:"cpu" prop:"Size.CPU" doc:"vCPU units."`
	Memory  int      `toml:"memory" prop:"Size.MemoryMiB" doc:"Memory in MiB. With only cpu set: the smallest Fargate allows with it."`
}

// Release configures the step that runs before each rollout.
type Release struct {
	Enabled        *bool      `toml:"enabled" prop:"Disabled" doc:"Run the release commands before each rollout."`
	Commands       [][]string `toml:"commands" prop:"Commands" doc:"Commands run in order in one task; the first failure fails the deploy."`
	TimeoutMinutes int        `toml:"timeout_minutes" prop:"Timeout" doc:"Fail the deploy when the release task runs longer."`
}

// Database configures PostgreSQL.
type Database struct {
	Engine              string  `toml:"engine" prop:"Engine" doc:"\"rds\" (one RDS instance) or \"aurora-serverless\" (Aurora Serverless v2)."`
	Version             int     `toml:"version" prop:"Version" doc:"PostgreSQL major version: 16 or 17."`
	InstanceType        string  `toml:"instance_type" prop:"InstanceType" doc:"RDS instance class, e.g. \"db.t4g.micro\"."`
	StorageGiB          int     `toml:"storage_gib" prop:"AllocatedStorageGiB" doc:"RDS storage in GiB."`
	MaxStorageGiB       int     `toml:"max_storage_gib" prop:"MaxAllocatedStorageGiB" doc:"RDS storage autoscaling ceiling in GiB."`
	MinCapacity         float64 `toml:"min_capacity" prop:"MinCapacity" doc:"Aurora minimum ACUs (0 allows auto-pause)."`
	MaxCapacity         float64 `toml:"max_capacity" prop:"MaxCapacity" doc:"Aurora maximum ACUs."`
	Name                string  `toml:"name" prop:"Name" doc:"Database name."`
	BackupRetentionDays int     `toml:"backup_retention_days" prop:"BackupRetentionDays" doc:"Days of automated backups."`
}

// Cache configures Valkey/Redis.
type Cache struct {
	Engine   string `toml:"engine" prop:"Engine" doc:"\"valkey\", \"redis\" or \"none\" (requires broker = \"sqs\")."`
	NodeType string `toml:"node_type" prop:"NodeType" doc:"ElastiCache node type."`
	Replicas int    `toml:"replicas" prop:"Replicas" doc:"Read replicas (automatic failover when at least 1)."`
}

// Domain configures a custom domain with TLS.
type Domain struct {
	Name           string `toml:"name" prop:"Name" doc:"Domain name of the site, e.g. \"www.example.com\". Optional: without it the site is HTTPS on the CloudFront distribution's own *.cloudfront.net name. With the cloudfront edge outside us-east-1, the certificate is created in a stack of its own in us-east-1 (CloudFront reads certificates only there)."`
	HostedZoneID   string `toml:"hosted_zone_id" doc:"Route 53 hosted zone ID that holds name (required with name; no lookup, so synth works offline)."`
	HostedZoneName string `toml:"hosted_zone_name" doc:"Name of that hosted zone, e.g. \"example.com\" (required with name)."`
}

// Alarms configures the alarms, their SNS topic and the dashboard.
type Alarms struct {
	Enabled                *bool   `toml:"enabled" prop:"Disabled" doc:"Create the alarms (every one notifies an encrypted SNS topic when it fires and when it recovers) and the dashboard. Only the starter profile may turn them off."`
	Email                  string  `toml:"email" prop:"Email" doc:"Email address subscribed to the alarm topic, e.g. \"ops@example.com\". AWS mails a confirmation link first; nothing arrives until it is clicked."`
	ErrorRatePercent       float64 `toml:"error_rate_percent" prop:"ErrorRatePercent" doc:"Alarm when more than this percentage of requests get a 5xx (from Django or the load balancer) in 3 of 5 minutes. No traffic never alarms."`
	LatencySeconds         float64 `toml:"latency_seconds" prop:"LatencySeconds" doc:"Alarm when the p95 response time stays above this many seconds for 15 minutes."`
	DatabaseCPUPercent     int     `toml:"database_cpu_percent" prop:"DatabaseCPUPercent" doc:"Alarm when database CPU stays above this percentage for 15 minutes."`
	DatabaseFreeStorageGiB int     `toml:"database_free_storage_gib" prop:"DatabaseFreeStorageGiB" doc:"Alarm when an RDS database has less free storage than this (GiB) for 15 minutes. Aurora alarms on capacity at 90% of max_capacity instead."`
	DatabaseConnections    int     `toml:"database_connections" prop:"DatabaseConnections" doc:"Alarm when more database connections than this stay open for 15 minutes."`
	CacheMemoryPercent     int     `toml:"cache_memory_percent" prop:"CacheMemoryPercent" doc:"Alarm when the cache uses more than this percentage of its memory for 15 minutes."`
	QueueAgeSeconds        int     `toml:"queue_age_seconds" prop:"QueueAgeSeconds" doc:"Alarm when a Celery task has waited longer than this in the SQS broker queue for 15 minutes (broker = \"sqs\" only)."`
}
