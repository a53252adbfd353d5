package ecs

import (
	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsecs"
	"github.com/aws/jsii-runtime-go"
	"github.com/djangocdk/djangocdk/blocks/edge"
	"github.com/djangocdk/djangocdk/blocks/observability"
	"github.com/djangocdk/djangocdk/contract"
)

// appName identifies this deployment in the dashboard's name and the
// release metric's App dimension: "<stack name>-<construct id>".
func (d *djangoEcs) appName() string {
	stack := awscdk.Stack_Of(d)
	name := *stack.StackName()
	if *awscdk.Token_IsUnresolved(jsii.String(name)) {
		name = *stack.Node().Id()
	}
	return name + "-" + *d.Node().Id()
}

// buildAlarms creates the observability building block over what the stack
// deployed, unless Alarms.Disabled.
func (d *djangoEcs) buildAlarms() {
	p := d.props
	if p.Alarms.Disabled {
		return
	}
	opts := &observability.Options{
		AlarmsProps:   p.Alarms,
		Name:          d.appName(),
		LoadBalancer:  d.lb,
		TargetGroup:   d.targetGroup,
		Cluster:       d.cluster,
		Services:      map[string]awsecs.IBaseService{},
		Release:       d.release != nil,
		Database:      d.database,
		DatabaseProps: p.Database,
		Cache:         d.cache,
		CacheNodes:    1 + p.Cache.Replicas,
	}
	if p.Edge == edge.EdgeCloudFront {
		opts.Distribution = d.edge.Distribution()
	}
	for _, process := range []string{contract.ProcessWeb, contract.ProcessWorker} {
		if svc := d.services[process]; svc != nil {
			opts.Services[process] = svc
		}
	}
	if d.queue != nil {
		opts.Queue = d.queue
		opts.DeadLetterQueue = d.queue.DeadLetterQueue().Queue
	}
	d.alarms = observability.New(d, "Alarms", opts)
}
