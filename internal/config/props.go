package config

import (
	"path/filepath"
	"strings"
	"time"

	"github.com/aws/aws-cdk-go/awscdk/v2/awsecs"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsroute53"
	"github.com/aws/aws-cdk-go/awscdk/v2/awssecretsmanager"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsssm"
	"github.com/aws/constructs-go/constructs/v10"
	"github.com/aws/jsii-runtime-go"
	"github.com/djangocdk/djangocdk"
)

func filepathDir(file string) string { return filepath.Dir(file) }

// ProjectPath returns the Django project directory, resolved against the
// directory of the configuration file.
func (c *Config) ProjectPath(configFile string) string {
	dir := c.ProjectDirOrDefault()
	if filepath.IsAbs(dir) {
		return dir
	}
	return filepath.Join(filepath.Dir(configFile), dir)
}

// ProjectDirOrDefault is project_dir, or "." when unset.
func (c *Config) ProjectDirOrDefault() string {
	if c.ProjectDir == "" {
		return "."
	}
	return c.ProjectDir
}

// baseProps maps the configuration to DjangoEcsProps without anything that
// needs a construct scope: secrets are present by name only and the domain
// has no hosted zone. Enough for validation and for pricing.
func (c *Config) baseProps(dir string) djangocdk.DjangoEcsProps {
	project := c.ProjectDirOrDefault()
	if !filepath.IsAbs(project) {
		project = filepath.Join(dir, project)
	}
	p := djangocdk.DjangoEcsProps{
		ProjectPath:    project,
		Dockerfile:     c.Dockerfile,
		DockerTarget:   c.DockerTarget,
		SettingsModule: c.SettingsModule,
		Profile:        djangocdk.Profile(c.Profile),
		Architecture:   djangocdk.Architecture(c.Architecture),
		Broker:         djangocdk.Broker(c.Broker),
		EnableExec:     c.Exec,
		EntryPoint:     c.EntryPoint,
		Environment:    c.Env,
		Network:        djangocdk.NetworkProps{NatMode: djangocdk.NatMode(c.NAT)},
		Edge:           djangocdk.EdgeKind(c.Edge),
		Storage:        djangocdk.StorageProps{StaticStorage: djangocdk.StaticStorage(c.StaticStorage)},
		Database: djangocdk.DatabaseProps{
			Engine:                 djangocdk.DatabaseEngine(c.Database.Engine),
			Version:                c.Database.Version,
			InstanceType:           c.Database.InstanceType,
			AllocatedStorageGiB:    c.Database.StorageGiB,
			MaxAllocatedStorageGiB: c.Database.MaxStorageGiB,
			MinCapacity:            c.Database.MinCapacity,
			MaxCapacity:            c.Database.MaxCapacity,
			Name:                   c.Database.Name,
			BackupRetentionDays:    c.Database.BackupRetentionDays,
		},
		Cache: djangocdk.CacheProps{
			Engine:   djangocdk.CacheEngine(c.Cache.Engine),
			NodeType: c.Cache.NodeType,
			Replicas: c.Cache.Replicas,
		},
		Web: djangocdk.WebProps{
			Command:         c.Web.Command,
			Port:            c.Web.Port,
			HealthCheckPath: c.Web.HealthCheckPath,
			Size:            size(c.Web.CPU, c.Web.Memory),
			Scaling: djangocdk.Scaling{
				MinTasks: c.Web.MinTasks, MaxTasks: c.Web.MaxTasks,
				CPUTargetPercent: c.Web.CPUTarget, RequestsPerTarget: c.Web.RequestsPerTarget,
			},
		},
		Worker: djangocdk.WorkerProps{
			Disabled: c.Worker.Enabled != nil && !*c.Worker.Enabled,
			Command:  c.Worker.Command,
			Size:     size(c.Worker.CPU, c.Worker.Memory),
			Scaling:  djangocdk.Scaling{MinTasks: c.Worker.MinTasks, MaxTasks: c.Worker.MaxTasks, CPUTargetPercent: c.Worker.CPUTarget},
		},
		Beat: djangocdk.BeatProps{
			Enabled: c.Beat.Enabled,
			Command: c.Beat.Command,
			Size:    size(c.Beat.CPU, c.Beat.Memory),
		},
		Alarms: djangocdk.AlarmsProps{
			Disabled:               c.Alarms.Enabled != nil && !*c.Alarms.Enabled,
			Email:                  c.Alarms.Email,
			ErrorRatePercent:       c.Alarms.ErrorRatePercent,
			LatencySeconds:         c.Alarms.LatencySeconds,
			DatabaseCPUPercent:     c.Alarms.DatabaseCPUPercent,
			DatabaseFreeStorageGiB: c.Alarms.DatabaseFreeStorageGiB,
			DatabaseConnections:    c.Alarms.DatabaseConnections,
			CacheMemoryPercent:     c.Alarms.CacheMemoryPercent,
			QueueAgeSeconds:        c.Alarms.QueueAgeSeconds,
		},
		Release: djangocdk.ReleaseProps{
			Disabled: c.Release.Enabled != nil && !*c.Release.Enabled,
			Commands: c.Release.Commands,
			Timeout:  time.Duration(c.Release.TimeoutMinutes) * time.Minute,
		},
	}
	if len(c.Secrets) > 0 {
		p.Secrets = make(map[string]awsecs.Secret, len(c.Secrets))
		for name := range c.Secrets {
			p.Secrets[name] = nil
		}
	}
	if c.Domain.Name != "" {
		p.Domain = &djangocdk.DomainProps{Name: c.Domain.Name}
	}
	return p
}

// Props maps the configuration to DjangoEcsProps for a stack: secrets and the
// hosted zone are referenced (never looked up) in scope. configFile locates
// project_dir.
func (c *Config) Props(scope constructs.Construct, configFile string) *djangocdk.DjangoEcsProps {
	p := c.baseProps(filepath.Dir(configFile))
	for name, ref := range c.Secrets {
		p.Secrets[name] = secretFrom(scope, name, ref)
	}
	if c.Domain.Name != "" {
		p.Domain.HostedZone = awsroute53.HostedZone_FromHostedZoneAttributes(scope, jsii.String("HostedZone"),
			&awsroute53.HostedZoneAttributes{
				HostedZoneId: jsii.String(c.Domain.HostedZoneID),
				ZoneName:     jsii.String(c.Domain.HostedZoneName),
			})
	}
	return &p
}

// secretFrom turns "secretsmanager:<name>[:<field>]" or "ssm:/<parameter>"
// (checked by Load) into an ECS secret.
func secretFrom(scope constructs.Construct, name, ref string) awsecs.Secret {
	id := jsii.String("Secret" + name)
	if param, ok := strings.CutPrefix(ref, "ssm:"); ok {
		return awsecs.Secret_FromSsmParameter(awsssm.StringParameter_FromSecureStringParameterAttributes(scope, id,
			&awsssm.SecureStringParameterAttributes{ParameterName: jsii.String(param)}))
	}
	secret, field, _ := strings.Cut(strings.TrimPrefix(ref, "secretsmanager:"), ":")
	var f *string
	if field != "" {
		f = jsii.String(field)
	}
	return awsecs.Secret_FromSecretsManager(awssecretsmanager.Secret_FromSecretNameV2(scope, id, jsii.String(secret)), f)
}

// size is the task size the configuration gives, completed when only one
// of cpu and memory is set.
func size(cpu, memory int) djangocdk.TaskSize {
	return djangocdk.TaskSize{CPU: cpu, MemoryMiB: memory}.Completed()
}
