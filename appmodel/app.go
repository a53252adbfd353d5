// Package appmodel is the target-neutral description of a Django
// deployment: the settings module, the processes and their commands, the
// release step, the health path, and how the env contract's values come
// from the building blocks' resources. Every target (ECS today; Lambda, EKS,
// EC2 next) turns an App into its own resources; the contract's mapping
// exists only here.
package appmodel

import (
	"strconv"
	"strings"
	"time"

	"github.com/aws/aws-cdk-go/awscdk/v2/awssecretsmanager"
	"github.com/aws/jsii-runtime-go"
	"github.com/djangocdk/djangocdk/contract"
)

// App is a Django deployment, wherever it runs.
type App struct {
	// SettingsModule is DJANGO_SETTINGS_MODULE, e.g. "mysite.settings".
	SettingsModule string
	// EntryPoint of every process (the settings helper's launcher by default).
	EntryPoint []string
	// Processes are the long-running processes by name (contract.ProcessWeb,
	// ProcessWorker, ProcessBeat): only those deployed.
	Processes map[string]Process
	// Release is the one-off step run before each rollout.
	Release Release
	// HealthCheckPath is answered with 200 by the web process.
	HealthCheckPath string
	// Port the web process listens on.
	Port int
	// StaticStorage is DJANGO_STATIC_STORAGE ("s3-manifest", "s3", "project").
	StaticStorage string
	// ConnectTimeout is DATABASE_CONNECT_TIMEOUT in seconds.
	ConnectTimeout int
	// ExtraEnvironment holds the user's own plain variables; values may use
	// Placeholders.
	ExtraEnvironment map[string]string
}

// Process is one long-running process of the app.
type Process struct {
	// Command runs it.
	Command []string
	// CPU units and MemoryMiB of one instance (task, pod, function).
	CPU, MemoryMiB int
	// MinCount and MaxCount bound its scaling.
	MinCount, MaxCount int
}

// Release is the step (migrate, collectstatic) run once per release.
type Release struct {
	// Disabled turns the step off; targets that run one-off commands with
	// the release task still create it.
	Disabled bool
	// Commands run in order; the first failure fails the deploy.
	Commands [][]string
	// Timeout of the whole step.
	Timeout time.Duration
	// CPU units and MemoryMiB of the one-off task.
	CPU, MemoryMiB int
}

// Project is the top-level package of the settings module
// ("mysite.settings.production" -> "mysite"), which the default commands name.
func Project(settingsModule string) string {
	project, _, _ := strings.Cut(settingsModule, ".")
	return project
}

// DefaultWebCommand serves the project's WSGI application with gunicorn on
// port, with access logs on stdout.
func DefaultWebCommand(project string, port int) []string {
	return []string{"gunicorn", project + ".wsgi:application",
		"--bind", "0.0.0.0:" + strconv.Itoa(port), "--workers", "2", "--access-logfile", "-"}
}

// DefaultWorkerCommand runs a Celery worker of the project's app.
func DefaultWorkerCommand(project string) []string {
	return []string{"celery", "-A", project, "worker", "--loglevel", "INFO"}
}

// DefaultBeatCommand runs Celery beat with its schedule file in /tmp (the
// image's file system may be read-only elsewhere).
func DefaultBeatCommand(project string) []string {
	return []string{"celery", "-A", project, "beat", "--loglevel", "INFO", "--schedule", "/tmp/celerybeat-schedule"}
}

// DefaultReleaseCommands migrate the database, then collect static files.
func DefaultReleaseCommands() [][]string {
	return [][]string{
		{"python", "manage.py", "migrate", "--noinput"},
		{"python", "manage.py", "collectstatic", "--noinput"},
	}
}

// DefaultQueueName is the one Celery queue the web app sends to and the
// worker consumes (a named SQS queue overrides it).
const DefaultQueueName = "celery"

// SecretRef is a contract variable injected from Secrets Manager: the whole
// secret, or one field of its JSON.
type SecretRef struct {
	// Secret holds the value.
	Secret awssecretsmanager.ISecret
	// Field is the JSON field, or "" for the whole secret.
	Field string
}

// Resources are what the building blocks provide to the contract.
type Resources struct {
	// Host is the site's host name; URL its scheme://host.
	Host, URL *string
	// HTTPS is true when visitors reach the site over HTTPS.
	HTTPS bool
	// ForwardedProtoHeader carries the visitor's scheme to Django.
	ForwardedProtoHeader string
	// Bucket holds static/ and media/; AssetsHost serves them.
	Bucket, AssetsHost *string
	// Region of the stack.
	Region *string
	// SecretKey is Django's SECRET_KEY.
	SecretKey awssecretsmanager.ISecret
	// Database holds host, port, dbname, username and password.
	Database awssecretsmanager.ISecret
	// CacheURL and CacheBrokerURL are the cache's rediss:// URLs and
	// CacheToken its AUTH token; all nil without a cache.
	CacheURL, CacheBrokerURL *string
	CacheToken               awssecretsmanager.ISecret
	// QueueName and QueueURL are the SQS broker's queue; nil without it.
	QueueName, QueueURL *string
}

// Environment returns the env contract for every process: its plain
// values and its secrets, plus the user's extra variables with their
// placeholders resolved. This is the one mapping from resources to the
// contract, shared by every target.
func (a *App) Environment(r Resources) (map[string]*string, map[string]SecretRef) {
	env := map[string]*string{
		contract.EnvSettingsModule:         jsii.String(a.SettingsModule),
		contract.EnvDebug:                  jsii.String("false"),
		contract.EnvAllowedHosts:           r.Host,
		contract.EnvCsrfTrustedOrigins:     r.URL,
		contract.EnvHTTPS:                  jsii.String(strconv.FormatBool(r.HTTPS)),
		contract.EnvForwardedProtoHeader:   jsii.String(r.ForwardedProtoHeader),
		contract.EnvHealthCheckPath:        jsii.String(a.HealthCheckPath),
		contract.EnvStorageBucket:          r.Bucket,
		contract.EnvStorageCustomDomain:    r.AssetsHost,
		contract.EnvRegion:                 r.Region,
		contract.EnvCeleryDefaultQueue:     jsii.String(DefaultQueueName),
		contract.EnvStaticStorage:          jsii.String(a.StaticStorage),
		contract.EnvDatabaseConnectTimeout: jsii.String(strconv.Itoa(a.ConnectTimeout)),
	}
	secrets := map[string]SecretRef{
		contract.EnvSecretKey:        {Secret: r.SecretKey},
		contract.EnvDatabaseHost:     {Secret: r.Database, Field: "host"},
		contract.EnvDatabasePort:     {Secret: r.Database, Field: "port"},
		contract.EnvDatabaseName:     {Secret: r.Database, Field: "dbname"},
		contract.EnvDatabaseUser:     {Secret: r.Database, Field: "username"},
		contract.EnvDatabasePassword: {Secret: r.Database, Field: "password"},
	}
	if r.CacheURL != nil {
		env[contract.EnvRedisURL] = r.CacheURL
		secrets[contract.EnvRedisAuthToken] = SecretRef{Secret: r.CacheToken}
	}
	if r.QueueURL != nil {
		env[contract.EnvCeleryBrokerURL] = jsii.String("sqs://")
		env[contract.EnvCeleryDefaultQueue] = r.QueueName
		env[contract.EnvCelerySQSQueueURL] = r.QueueURL
	} else {
		env[contract.EnvCeleryBrokerURL] = r.CacheBrokerURL
	}
	facts := map[string]*string{
		"url":           r.URL,
		"host":          r.Host,
		"bucket":        r.Bucket,
		"assets_domain": r.AssetsHost,
		"region":        r.Region,
	}
	for k, v := range a.ExtraEnvironment {
		env[k] = ExpandPlaceholders(v, facts)
	}
	return env, secrets
}
