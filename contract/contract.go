// Package contract is the env contract: every environment variable the
// infrastructure hands to the Django containers, in one place. Every target
// sets these names; docs/contract.md is generated from Contract, and the
// Python settings helper reads exactly these names.
package contract

import (
	"path/filepath"
	"slices"
	"strings"
)

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
	// EnvHTTPS is "true" when visitors reach the site over HTTPS (CloudFront
	// or the load balancer terminates TLS).
	EnvHTTPS = "DJANGO_HTTPS"
	// EnvForwardedProtoHeader names the request header that carries the
	// scheme the visitor used: "CloudFront-Forwarded-Proto" behind the
	// CloudFront edge (the load balancer only sees CloudFront's HTTP hop),
	// "X-Forwarded-Proto" behind an internet-facing load balancer.
	EnvForwardedProtoHeader = "DJANGO_FORWARDED_PROTO_HEADER"
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
	// EnvStaticStorage selects how static files are stored: "s3-manifest",
	// "s3" or "project" (see StaticStorage).
	EnvStaticStorage = "DJANGO_STATIC_STORAGE"
	// EnvDatabaseConnectTimeout is libpq's connect_timeout in seconds: longer
	// than a paused Aurora Serverless v2 takes to resume.
	EnvDatabaseConnectTimeout = "DATABASE_CONNECT_TIMEOUT"
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

// Process names, also the container names.
const (
	ProcessWeb     = "web"
	ProcessWorker  = "worker"
	ProcessBeat    = "beat"
	ProcessRelease = "release"
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
	{EnvAllowedHosts, SourcePlain, "always", "ALLOWED_HOSTS", "comma list: the domain, else the CloudFront distribution's *.cloudfront.net name (or, with the alb-http-insecure edge, the load balancer's DNS name); the helper also admits the task's private IP so health checks pass"},
	{EnvCsrfTrustedOrigins, SourcePlain, "always", "CSRF_TRUSTED_ORIGINS", "comma list of scheme://host origins of the site"},
	{EnvHTTPS, SourcePlain, "always", "SECURE_SSL_REDIRECT, SESSION_COOKIE_SECURE, CSRF_COOKIE_SECURE, SECURE_HSTS_SECONDS", `"true" unless the edge is alb-http-insecure (the CloudFront edge serves HTTPS with or without a domain)`},
	{EnvForwardedProtoHeader, SourcePlain, "always", "SECURE_PROXY_SSL_HEADER", `the header carrying the visitor's scheme: "CloudFront-Forwarded-Proto" (CloudFront edge) or "X-Forwarded-Proto" (internet-facing load balancer); unset means X-Forwarded-Proto`},
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
	{EnvStorageCustomDomain, SourcePlain, "always", "STORAGES custom_domain, STATIC_URL, MEDIA_URL", "the name static and media URLs use: the site's own host with the CloudFront edge (static/ and media/ are behaviours of the same distribution), else the files' distribution"},
	{EnvRegion, SourcePlain, "always", "AWS_S3_REGION_NAME, boto3 region", "the stack's region"},
	{EnvStaticStorage, SourcePlain, "always", `STORAGES["staticfiles"], STATIC_URL`, `"s3-manifest" (hashed names on S3), "s3" (plain names on S3, for static files whose references Django's manifest cannot resolve) or "project" (the project's own choice, e.g. WhiteNoise, is kept)`},
	{EnvDatabaseConnectTimeout, SourcePlain, "always", `DATABASES["default"]["OPTIONS"]["connect_timeout"]`, `seconds to wait for the database: 10, or 30 with Aurora Serverless v2 that auto-pauses (it takes up to about 15 s to resume)`},
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

// SourceLauncher marks a variable the launcher composes at container start
// from injected parts (see Derived).
const SourceLauncher EnvSource = "launcher"

// LauncherEntryPoint is the default entry point of every container: the
// settings helper's launcher. When DJANGO_SECRET_KEY is set it composes the
// Derived variables from the injected parts, then replaces itself (exec) with
// the container's command, which stays PID 1 and receives SIGTERM.
var LauncherEntryPoint = []string{"python", "-m", "djangocdk_settings", "exec"}

// Names of the variables the launcher composes at container start.
const (
	// EnvDatabaseURL is postgres://user:password@host:port/name?sslmode=...
	EnvDatabaseURL = "DATABASE_URL"
	// EnvPostgresHost and the four below are the docker postgres image's
	// convention, which entrypoint scripts (cookiecutter-django's) wait on.
	EnvPostgresHost = "POSTGRES_HOST"
	// EnvPostgresPort is the database port.
	EnvPostgresPort = "POSTGRES_PORT"
	// EnvPostgresDB is the database name.
	EnvPostgresDB = "POSTGRES_DB"
	// EnvPostgresUser is the database user.
	EnvPostgresUser = "POSTGRES_USER"
	// EnvPostgresPassword is the database password.
	EnvPostgresPassword = "POSTGRES_PASSWORD"
	// EnvCacheURL is the cache as django-environ's CACHE_URL (database 0, with the AUTH token).
	EnvCacheURL = "CACHE_URL"
	// EnvCeleryBrokerURLFull is the broker URL with the AUTH token and TLS
	// options: safe to compose at start, since Celery then reads a complete URL.
	EnvCeleryBrokerURLFull = "CELERY_BROKER_URL"
	// EnvBrokerURL is the same URL under Celery 3's name, which older settings read.
	EnvBrokerURL = "BROKER_URL"
)

// Derived lists the URL-style variables many projects (django-environ,
// dj-database-url, entrypoint scripts) read. The template never holds them:
// a password may not appear there. The launcher (LauncherEntryPoint) builds
// them from the injected parts when the container starts, only when every
// part is present, and REDIS_URL is rewritten to carry the AUTH token.
var Derived = []EnvVar{
	{EnvDatabaseURL, SourceLauncher, "always", "DATABASE_URL readers (django-environ env.db(), dj-database-url)", "postgres://USER:PASSWORD@HOST:PORT/NAME?sslmode=require from the DATABASE_* parts (user and password percent-encoded)"},
	{EnvPostgresHost, SourceLauncher, "always", "entrypoint scripts", "= DATABASE_HOST"},
	{EnvPostgresPort, SourceLauncher, "always", "entrypoint scripts", "= DATABASE_PORT"},
	{EnvPostgresDB, SourceLauncher, "always", "entrypoint scripts", "= DATABASE_NAME"},
	{EnvPostgresUser, SourceLauncher, "always", "entrypoint scripts", "= DATABASE_USER"},
	{EnvPostgresPassword, SourceLauncher, "always", "entrypoint scripts", "= DATABASE_PASSWORD"},
	{EnvRedisURL, SourceLauncher, "cache enabled", "REDIS_URL readers", "rediss://:TOKEN@host:port/0?ssl_cert_reqs=required: the template's REDIS_URL with the AUTH token and TLS verification added"},
	{EnvCacheURL, SourceLauncher, "cache enabled", "django-environ env.cache()", "the same URL as REDIS_URL"},
	{EnvCeleryBrokerURLFull, SourceLauncher, "always", "Celery (it reads this variable itself)", "TASK_BROKER_URL completed: rediss://:TOKEN@host:port/1?ssl_cert_reqs=required, or sqs://"},
	{EnvBrokerURL, SourceLauncher, "always", "settings written for Celery 3 (BROKER_URL)", "= CELERY_BROKER_URL"},
}

// Provided reports whether the deployment sets the variable name in every
// container of a deployment with a cache (cache) and the launcher as the
// entry point (launcher): a contract variable or one the launcher composes.
// The cache's variables exist only with a cache; the composed ones only
// through the launcher.
func Provided(name string, cache, launcher bool) bool {
	cacheOnly := map[string]bool{EnvRedisURL: true, EnvRedisAuthToken: true, EnvCacheURL: true}
	if cacheOnly[name] && !cache {
		return false
	}
	for _, v := range Contract {
		if v.Name == name {
			return true
		}
	}
	if !launcher {
		return false
	}
	for _, v := range Derived {
		if v.Name == name {
			return true
		}
	}
	return false
}

// UsesLauncher reports whether an entry point runs the launcher (nil is the
// default, which does).
func UsesLauncher(entryPoint []string) bool {
	if entryPoint == nil {
		return true
	}
	uses, _ := SplitLauncher(entryPoint)
	return uses
}

// SplitLauncher reports whether an entry point starts with the launcher
// (LauncherEntryPoint, with any python interpreter: python3, /venv/bin/python)
// and returns what follows it: an image's own ENTRYPOINT the launcher execs.
func SplitLauncher(entryPoint []string) (bool, []string) {
	want := LauncherEntryPoint
	if len(entryPoint) < len(want) || !strings.HasPrefix(filepath.Base(entryPoint[0]), "python") ||
		!slices.Equal(entryPoint[1:len(want)], want[1:]) {
		return false, entryPoint
	}
	return true, entryPoint[len(want):]
}
