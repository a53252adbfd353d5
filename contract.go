package djangocdk

// The env contract: every environment variable the infrastructure hands to
// the Django containers. This file is the single source of truth for the
// names; constructs use these constants, docs/contract.md is generated from
// Contract (see internal/tools/gendocs), and the Python settings helper reads
// exactly these names.

// Names of the environment variables in the contract.
const (
	// EnvSettingsModule is the dotted path of the project's settings module.
	EnvSettingsModule = "DJANGO_SETTINGS_MODULE"
	// EnvSecretKey carries Django's SECRET_KEY (secret, generated).
	EnvSecretKey = "DJANGO_SECRET_KEY"
	// EnvDebug is "false" in every deployed environment.
	EnvDebug = "DJANGO_DEBUG"
	// EnvAllowedHosts is a comma-separated list for ALLOWED_HOSTS.
	EnvAllowedHosts = "DJANGO_ALLOWED_HOSTS"
	// EnvCsrfTrustedOrigins is a comma-separated list of scheme://host origins.
	EnvCsrfTrustedOrigins = "DJANGO_CSRF_TRUSTED_ORIGINS"
	// EnvHTTPS is "true" when the public URL is served over HTTPS by the load balancer.
	EnvHTTPS = "DJANGO_HTTPS"
	// EnvHealthCheckPath is the path the load balancer's health check requests.
	EnvHealthCheckPath = "DJANGO_HEALTH_CHECK_PATH"
	// EnvDatabaseHost is the PostgreSQL host (secret JSON field "host").
	EnvDatabaseHost = "DATABASE_HOST"
	// EnvDatabasePort is the PostgreSQL port (secret JSON field "port").
	EnvDatabasePort = "DATABASE_PORT"
	// EnvDatabaseName is the database name (secret JSON field "dbname").
	EnvDatabaseName = "DATABASE_NAME"
	// EnvDatabaseUser is the database user (secret JSON field "username").
	EnvDatabaseUser = "DATABASE_USER"
	// EnvDatabasePassword is the database password (secret JSON field "password").
	EnvDatabasePassword = "DATABASE_PASSWORD"
	// EnvRedisURL is the cache endpoint as rediss://host:port, without credentials.
	EnvRedisURL = "REDIS_URL"
	// EnvRedisAuthToken is the cache AUTH token (secret, generated).
	EnvRedisAuthToken = "REDIS_AUTH_TOKEN"
	// EnvCeleryBrokerURL is the Celery broker: rediss://host:port/1 (no credentials) or sqs://.
	// Not named CELERY_BROKER_URL: Celery reads that variable itself and would
	// prefer it, without the AUTH token, over the helper's setting.
	EnvCeleryBrokerURL = "TASK_BROKER_URL"
	// EnvCeleryDefaultQueue is the queue the web app sends to and the worker consumes.
	EnvCeleryDefaultQueue = "CELERY_TASK_DEFAULT_QUEUE"
	// EnvCelerySQSQueueURL is the SQS queue URL when SQS is the broker.
	EnvCelerySQSQueueURL = "CELERY_SQS_QUEUE_URL"
	// EnvStorageBucket is the S3 bucket holding static/ and media/.
	EnvStorageBucket = "AWS_STORAGE_BUCKET_NAME"
	// EnvStorageCustomDomain is the CloudFront domain that serves the bucket.
	EnvStorageCustomDomain = "AWS_S3_CUSTOM_DOMAIN"
	// EnvRegion is the AWS region the stack is deployed to.
	EnvRegion = "AWS_REGION"
)

// EnvSource says how a contract variable reaches a container.
type EnvSource string

const (
	// SourcePlain is a plain environment value in the task definition.
	SourcePlain EnvSource = "plain"
	// SourceSecret is injected by ECS from Secrets Manager at task start.
	SourceSecret EnvSource = "secret"
	// SourceYou marks a knob the deployment never sets; you may set it
	// (through DjangoEcsProps.Environment, or in a local sandbox).
	SourceYou EnvSource = "you"
	// SourceECS marks a variable ECS itself sets in every task.
	SourceECS EnvSource = "ECS"
)

// ContractProcesses are the processes that receive the contract: all of them,
// with the same set of variables.
var ContractProcesses = []string{ProcessWeb, ProcessWorker, ProcessBeat, ProcessRelease}

// EnvVar describes one variable of the contract.
type EnvVar struct {
	// Name of the environment variable.
	Name string
	// Source says whether the value is plain or injected from a secret.
	Source EnvSource
	// When says under which configuration the variable is set ("always" or a condition).
	When string
	// Setting is the Django (or Celery/boto3) setting the variable drives.
	Setting string
	// Meaning is the human-readable description.
	Meaning string
}

// Contract lists every variable of the env contract, in documentation order.
// Every process (web, worker, beat and the release task) receives the same set.
var Contract = []EnvVar{
	{EnvSettingsModule, SourcePlain, "always", "settings module", "dotted path of the project's settings module"},
	{EnvSecretKey, SourceSecret, "always", "SECRET_KEY", "generated 50-character key kept in Secrets Manager"},
	{EnvDebug, SourcePlain, "always", "DEBUG", `always "false" in the cloud`},
	{EnvAllowedHosts, SourcePlain, "always", "ALLOWED_HOSTS", "comma list: the domain, or the load balancer's DNS name without a domain; the helper also admits the task's private IP so health checks pass"},
	{EnvCsrfTrustedOrigins, SourcePlain, "always", "CSRF_TRUSTED_ORIGINS", "comma list of scheme://host origins of the site"},
	{EnvHTTPS, SourcePlain, "always", "SECURE_SSL_REDIRECT, SESSION_COOKIE_SECURE, CSRF_COOKIE_SECURE, SECURE_HSTS_SECONDS", `"true" when a domain with TLS is configured, else "false"`},
	{EnvHealthCheckPath, SourcePlain, "always", "SECURE_REDIRECT_EXEMPT", "the web health check path (Web.HealthCheckPath); exempt from the HTTPS redirect because the load balancer checks over plain HTTP"},
	{EnvDatabaseHost, SourceSecret, "always", `DATABASES["default"]["HOST"]`, `database secret JSON field "host"`},
	{EnvDatabasePort, SourceSecret, "always", `DATABASES["default"]["PORT"]`, `database secret JSON field "port"`},
	{EnvDatabaseName, SourceSecret, "always", `DATABASES["default"]["NAME"]`, `database secret JSON field "dbname"`},
	{EnvDatabaseUser, SourceSecret, "always", `DATABASES["default"]["USER"]`, `database secret JSON field "username"`},
	{EnvDatabasePassword, SourceSecret, "always", `DATABASES["default"]["PASSWORD"]`, `database secret JSON field "password"`},
	{EnvRedisURL, SourcePlain, "cache enabled", "CACHES, CELERY_RESULT_BACKEND (database 2)", "rediss://host:port of the Valkey/Redis primary endpoint, without credentials"},
	{EnvRedisAuthToken, SourceSecret, "cache enabled", "CACHES, CELERY_BROKER_URL and CELERY_RESULT_BACKEND password", "generated AUTH token of the cache"},
	{EnvCeleryBrokerURL, SourcePlain, "always", "CELERY_BROKER_URL (+ CELERY_BROKER_USE_SSL or CELERY_BROKER_TRANSPORT_OPTIONS)", "rediss://host:port/1 (the helper adds the AUTH token) or sqs://; not named CELERY_BROKER_URL because Celery would read that one directly, bypassing the helper"},
	{EnvCeleryDefaultQueue, SourcePlain, "always", "CELERY_TASK_DEFAULT_QUEUE", "the one queue the web app sends to and the worker consumes"},
	{EnvCelerySQSQueueURL, SourcePlain, "broker is SQS", "CELERY_BROKER_TRANSPORT_OPTIONS predefined_queues", "URL of the SQS queue"},
	{EnvStorageBucket, SourcePlain, "always", "STORAGES (django-storages S3)", "private S3 bucket; static files under static/, uploads under media/"},
	{EnvStorageCustomDomain, SourcePlain, "always", "STORAGES custom_domain, STATIC_URL, MEDIA_URL", "CloudFront domain that serves the bucket"},
	{EnvRegion, SourcePlain, "always", "AWS_S3_REGION_NAME, boto3 region", "the stack's region"},
}

// Names of the variables the settings helper reads besides the contract.
const (
	// EnvLogLevel is the root log level (a knob; default INFO).
	EnvLogLevel = "DJANGO_LOG_LEVEL"
	// EnvDatabaseSSLMode is libpq's sslmode (a knob; default require).
	EnvDatabaseSSLMode = "DATABASE_SSLMODE"
	// EnvStorageURLProtocol is the scheme of static and media URLs (a knob; default https:).
	EnvStorageURLProtocol = "AWS_S3_URL_PROTOCOL"
	// EnvECSMetadata is the ECS task metadata endpoint (set by ECS).
	EnvECSMetadata = "ECS_CONTAINER_METADATA_URI_V4"
)

// Knobs lists what the settings helper reads besides the contract: variables
// the deployment never sets, with the default the helper uses (in When), and
// the one ECS sets itself.
var Knobs = []EnvVar{
	{EnvLogLevel, SourceYou, `default "INFO"`, "LOGGING root level", "DEBUG, INFO, WARNING, ERROR or CRITICAL"},
	{EnvDatabaseSSLMode, SourceYou, `default "require"`, `DATABASES["default"]["OPTIONS"]["sslmode"]`, `"disable" for a local PostgreSQL without TLS; RDS requires TLS`},
	{EnvStorageURLProtocol, SourceYou, `default "https:"`, "STORAGES url_protocol, STATIC_URL, MEDIA_URL", `"http:" for a local S3 emulator; CloudFront serves HTTPS`},
	{EnvECSMetadata, SourceECS, "in every ECS task", "ALLOWED_HOSTS", "the helper reads the task's private IP from it so load balancer health checks (Host: <private IP>) pass"},
}
