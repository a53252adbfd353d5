package ecs

import (
	"slices"

	"github.com/djangocdk/djangocdk/appmodel"
	"github.com/djangocdk/djangocdk/blocks/edge"
	"github.com/djangocdk/djangocdk/blocks/network"
	"github.com/djangocdk/djangocdk/blocks/release"
	"github.com/djangocdk/djangocdk/blocks/storage"
	"github.com/djangocdk/djangocdk/contract"

	"github.com/aws/aws-cdk-go/awscdk/v2/awslogs"
)

// Defaults that do not depend on the profile.
const (
	defaultDockerfile      = "Dockerfile"
	defaultPort            = 8000
	defaultHealthCheckPath = "/healthz"
	defaultCPUTarget       = 60
	defaultRequestsTarget  = 500
)

// resolved returns a copy of p with every unset field given its default.
// Explicitly set fields are kept as they are (validation happens after).
func (p DjangoEcsProps) resolved() DjangoEcsProps {
	prod := p.Profile == ProfileProduction
	pick := func(starter, production int) int {
		if prod {
			return production
		}
		return starter
	}
	if p.Profile == "" {
		p.Profile = ProfileStarter
	}
	if p.Architecture == "" {
		p.Architecture = ArchARM64
	}
	if p.Dockerfile == "" {
		p.Dockerfile = defaultDockerfile
	}
	if p.Edge == "" {
		p.Edge = edge.EdgeCloudFront
	}
	if p.Broker == "" {
		p.Broker = BrokerCache
	}
	if p.EntryPoint == nil {
		p.EntryPoint = slices.Clone(contract.LauncherEntryPoint)
	}
	if p.Storage.StaticStorage == "" {
		p.Storage.StaticStorage = storage.StaticS3Manifest
	}
	if p.LogRetention == "" {
		p.LogRetention = awslogs.RetentionDays_ONE_MONTH
		if prod {
			p.LogRetention = awslogs.RetentionDays_THREE_MONTHS
		}
	}
	project := appmodel.Project(p.SettingsModule)

	// Network.
	natDefault := network.NatGatewaySingle
	if prod {
		natDefault = network.NatGatewayPerAz
	}
	p.Network = p.Network.WithDefaults(natDefault)
	n := &p.Network
	if n.NatMode == network.NatNone && n.Endpoints == nil {
		n.Endpoints = p.requiredEndpoints()
	}

	// Database and cache: their blocks' defaults for the profile.
	p.Database = p.Database.WithDefaults(prod)
	p.Cache = p.Cache.WithDefaults(prod)

	// Storage.
	if p.Storage.PriceClass == "" {
		p.Storage.PriceClass = "PriceClass_100"
	}

	// Web.
	w := &p.Web
	if w.Port == 0 {
		w.Port = defaultPort
	}
	if w.Command == nil {
		w.Command = appmodel.DefaultWebCommand(project, w.Port)
	}
	if w.HealthCheckPath == "" {
		w.HealthCheckPath = defaultHealthCheckPath
	}
	w.Size = sizeOr(w.Size, pick(512, 1024), pick(1024, 2048))
	w.Scaling = scalingOr(w.Scaling, pick(1, 2), pick(2, 10))

	// Worker.
	k := &p.Worker
	if k.Command == nil {
		k.Command = appmodel.DefaultWorkerCommand(project)
	}
	k.Size = sizeOr(k.Size, pick(512, 1024), pick(1024, 2048))
	k.Scaling = scalingOr(k.Scaling, 1, pick(2, 10))

	// Beat.
	b := &p.Beat
	if b.Command == nil {
		b.Command = appmodel.DefaultBeatCommand(project)
	}
	b.Size = sizeOr(b.Size, 256, 512)
	if b.DesiredCount == 0 {
		b.DesiredCount = 1
	}

	// Release.
	r := &p.Release
	if r.Commands == nil {
		r.Commands = appmodel.DefaultReleaseCommands()
	}
	if r.Timeout == 0 {
		r.Timeout = release.DefaultTimeout
	}
	r.Size = sizeOr(r.Size, w.Size.CPU, w.Size.MemoryMiB)

	// Alarms.
	p.Alarms = p.Alarms.WithDefaults(prod)
	return p
}

// requiredEndpoints lists the VPC endpoints the app needs when it has no
// internet egress.
func (p DjangoEcsProps) requiredEndpoints() []network.Endpoint {
	eps := []network.Endpoint{network.EndpointS3, network.EndpointECRAPI, network.EndpointECRDocker, network.EndpointLogs, network.EndpointSecretsManager}
	if p.Broker == BrokerSQS {
		eps = append(eps, network.EndpointSQS)
	}
	if p.EnableExec {
		eps = append(eps, network.EndpointSSMMessages, network.EndpointKMS)
	}
	return eps
}

func sizeOr(s TaskSize, cpu, mem int) TaskSize {
	if s.CPU == 0 && s.MemoryMiB == 0 {
		return TaskSize{CPU: cpu, MemoryMiB: mem}
	}
	return s
}

func scalingOr(s Scaling, minTasks, maxTasks int) Scaling {
	if s.MinTasks == 0 {
		s.MinTasks = minTasks
		if s.MaxTasks > 0 && s.MaxTasks < minTasks {
			s.MinTasks = s.MaxTasks
		}
	}
	if s.MaxTasks == 0 {
		s.MaxTasks = max(maxTasks, s.MinTasks)
	}
	if s.CPUTargetPercent == 0 {
		s.CPUTargetPercent = defaultCPUTarget
	}
	if s.RequestsPerTarget == 0 {
		s.RequestsPerTarget = defaultRequestsTarget
	}
	return s
}

// WithDefaults returns a copy of p with every unset field given its default,
// as NewDjangoEcs would use it (for tools that document or price a
// configuration). It does not validate.
func (p DjangoEcsProps) WithDefaults() DjangoEcsProps { return p.resolved() }
