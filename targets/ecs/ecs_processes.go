package ecs

import (
	"maps"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsapplicationautoscaling"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsec2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsecs"
	"github.com/aws/aws-cdk-go/awscdk/v2/awslogs"
	"github.com/aws/jsii-runtime-go"
	"github.com/djangocdk/djangocdk/blocks/release"
	"github.com/djangocdk/djangocdk/contract"
)

// processSpec describes one Django process: its task and, unless it is the
// release task, its service.
type processSpec struct {
	name    string
	id      string // construct ID prefix, e.g. "Web"
	command []string
	size    TaskSize
	// minCount and maxCount bound a service's scaling.
	minCount, maxCount int
	sg                 awsec2.SecurityGroup
	// stopTimeout lets a process finish in-flight work on SIGTERM.
	stopTimeout int
}

// buildProcesses creates the log groups, task definitions and containers of
// every process, the release step, and the services that depend on it.
func (d *djangoEcs) buildProcesses() {
	p := d.props
	app := d.app
	env, secrets := d.environment()
	var specs []processSpec
	for _, o := range []struct {
		name, id    string
		sg          awsec2.SecurityGroup
		stopTimeout int
	}{
		{contract.ProcessWeb, "Web", d.webSG, 30},
		{contract.ProcessWorker, "Worker", d.workerSG, 120},
		{contract.ProcessBeat, "Beat", d.workerSG, 30},
	} {
		if proc, ok := app.Processes[o.name]; ok {
			specs = append(specs, processSpec{name: o.name, id: o.id, command: proc.Command,
				size: TaskSize{CPU: proc.CPU, MemoryMiB: proc.MemoryMiB}, minCount: proc.MinCount, maxCount: proc.MaxCount,
				sg: o.sg, stopTimeout: o.stopTimeout})
		}
	}
	// The release task definition always exists: the ManageCommand output
	// runs one-off management commands with it.
	specs = append(specs, processSpec{name: contract.ProcessRelease, id: "Release", command: shellCommand(app.Release.Commands),
		size: TaskSize{CPU: app.Release.CPU, MemoryMiB: app.Release.MemoryMiB}, sg: d.webSG, stopTimeout: 30})
	for _, s := range specs {
		d.addTask(s, env, secrets)
	}
	if !app.Release.Disabled {
		d.release = release.New(d, "ReleaseStep", &release.Options{
			Cluster:          d.cluster,
			TaskDefinition:   d.taskDefs[contract.ProcessRelease],
			ContainerName:    contract.ProcessRelease,
			Subnets:          d.network.AppSubnets(),
			SecurityGroups:   []awsec2.ISecurityGroup{d.webSG},
			LogGroup:         d.logGroups[contract.ProcessRelease],
			LogStreamPrefix:  contract.ProcessRelease,
			Timeout:          app.Release.Timeout,
			LogRemovalPolicy: p.stateRemoval(),
			MetricApp:        d.appName(),
		})
	}
	for _, s := range specs {
		if s.name != contract.ProcessRelease {
			d.addService(s)
		}
	}
}

// addTask creates the log group, task definition and container of a process.
func (d *djangoEcs) addTask(s processSpec, env map[string]*string, secrets map[string]awsecs.Secret) {
	p := d.props
	arch := awsecs.CpuArchitecture_ARM64()
	if p.Architecture == ArchX86 {
		arch = awsecs.CpuArchitecture_X86_64()
	}
	logs := awslogs.NewLogGroup(d, jsii.String(s.id+"Logs"), &awslogs.LogGroupProps{
		Retention:     p.LogRetention,
		RemovalPolicy: p.stateRemoval(),
	})
	d.logGroups[s.name] = logs
	td := awsecs.NewFargateTaskDefinition(d, jsii.String(s.id+"TaskDefinition"), &awsecs.FargateTaskDefinitionProps{
		Cpu:            jsii.Number(s.size.CPU),
		MemoryLimitMiB: jsii.Number(s.size.MemoryMiB),
		RuntimePlatform: &awsecs.RuntimePlatform{
			CpuArchitecture:       arch,
			OperatingSystemFamily: awsecs.OperatingSystemFamily_LINUX(),
		},
		TaskRole:      d.taskRoles[s.name],
		ExecutionRole: d.executionRole,
	})
	d.taskDefs[s.name] = td
	opts := &awsecs.ContainerDefinitionOptions{
		Image:      d.image,
		Command:    jsii.Strings(s.command...),
		EntryPoint: entryPoint(d.app.EntryPoint),
		// Each container its own copy: a ContainerHook may change one.
		Environment: ptr(maps.Clone(env)),
		Secrets:     ptr(maps.Clone(secrets)),
		Essential:   jsii.Bool(true),
		StopTimeout: awscdk.Duration_Seconds(jsii.Number(s.stopTimeout)),
		Logging: awsecs.LogDrivers_AwsLogs(&awsecs.AwsLogDriverProps{
			StreamPrefix: jsii.String(s.name),
			LogGroup:     logs,
		}),
	}
	if s.name == contract.ProcessWeb {
		opts.PortMappings = &[]*awsecs.PortMapping{{ContainerPort: jsii.Number(d.app.Port), Protocol: awsecs.Protocol_TCP}}
	}
	if p.EnableExec {
		// An init process reaps the exec agent's children.
		opts.LinuxParameters = awsecs.NewLinuxParameters(d, jsii.String(s.id+"LinuxParameters"),
			&awsecs.LinuxParametersProps{InitProcessEnabled: jsii.Bool(true)})
	}
	if p.ContainerHook != nil {
		p.ContainerHook(s.name, opts)
	}
	td.AddContainer(jsii.String(s.name), opts)
}

// addService creates the Fargate service of a process, with its scaling,
// after the release step.
func (d *djangoEcs) addService(s processSpec) {
	p := d.props
	props := &awsecs.FargateServiceProps{
		Cluster:              d.cluster,
		TaskDefinition:       d.taskDefs[s.name],
		SecurityGroups:       &[]awsec2.ISecurityGroup{s.sg},
		VpcSubnets:           d.network.AppSubnets(),
		AssignPublicIp:       jsii.Bool(false),
		CircuitBreaker:       &awsecs.DeploymentCircuitBreaker{Enable: jsii.Bool(true), Rollback: jsii.Bool(true)},
		EnableExecuteCommand: jsii.Bool(p.EnableExec),
		PlatformVersion:      awsecs.FargatePlatformVersion_LATEST,
		PropagateTags:        awsecs.PropagatedTagSource_SERVICE,
		MinHealthyPercent:    jsii.Number(100),
		MaxHealthyPercent:    jsii.Number(200),
	}
	switch s.name {
	case contract.ProcessWeb:
		props.DesiredCount = jsii.Number(s.minCount)
		props.HealthCheckGracePeriod = awscdk.Duration_Seconds(jsii.Number(60))
	case contract.ProcessWorker:
		props.DesiredCount = jsii.Number(s.minCount)
	case contract.ProcessBeat:
		// Exactly one scheduler, even during a deploy: stop the old task
		// before starting the new one.
		props.DesiredCount = jsii.Number(1)
		props.MinHealthyPercent = jsii.Number(0)
		props.MaxHealthyPercent = jsii.Number(100)
	}
	svc := awsecs.NewFargateService(d, jsii.String(s.id+"Service"), props)
	d.services[s.name] = svc
	if d.release != nil {
		svc.Node().AddDependency(d.release.Resource())
	}
	switch s.name {
	case contract.ProcessWeb:
		svc.AttachToApplicationTargetGroup(d.targetGroup)
		scaling := svc.AutoScaleTaskCount(&awsapplicationautoscaling.EnableScalingProps{
			MinCapacity: jsii.Number(s.minCount),
			MaxCapacity: jsii.Number(s.maxCount),
		})
		scaling.ScaleOnCpuUtilization(jsii.String("CpuScaling"), &awsecs.CpuUtilizationScalingProps{
			TargetUtilizationPercent: jsii.Number(p.Web.Scaling.CPUTargetPercent),
		})
		scaling.ScaleOnRequestCount(jsii.String("RequestScaling"), &awsecs.RequestCountScalingProps{
			RequestsPerTarget: jsii.Number(p.Web.Scaling.RequestsPerTarget),
			TargetGroup:       d.targetGroup,
		})
	case contract.ProcessWorker:
		scaling := svc.AutoScaleTaskCount(&awsapplicationautoscaling.EnableScalingProps{
			MinCapacity: jsii.Number(s.minCount),
			MaxCapacity: jsii.Number(s.maxCount),
		})
		scaling.ScaleOnCpuUtilization(jsii.String("CpuScaling"), &awsecs.CpuUtilizationScalingProps{
			TargetUtilizationPercent: jsii.Number(p.Worker.Scaling.CPUTargetPercent),
		})
	}
}

// entryPoint is the container's entry point: nil (the image's own) for an
// empty list.
func entryPoint(args []string) *[]*string {
	if len(args) == 0 {
		return nil
	}
	return jsii.Strings(args...)
}

func ptr[T any](v T) *T { return &v }
