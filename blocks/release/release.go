// Package release is the release building block: a one-off Fargate task
// (migrate, collectstatic) run by a custom resource before each rollout,
// once per task-definition revision and never on a rollback.
package release

import (
	"crypto/sha256"
	_ "embed" // the release handler is embedded
	"encoding/hex"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsec2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsecs"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsiam"
	"github.com/aws/aws-cdk-go/awscdk/v2/awslambda"
	"github.com/aws/aws-cdk-go/awscdk/v2/awslogs"
	"github.com/aws/aws-cdk-go/awscdk/v2/customresources"
	"github.com/aws/constructs-go/constructs/v10"
	"github.com/aws/jsii-runtime-go"
)

//go:embed handler/index.py
var releaseHandlerSource []byte

// releaseResourceType is the CloudFormation type of the release step.
const releaseResourceType = "Custom::DjangoRelease"

// releaseAppEnv names the handler's variable holding the App dimension of
// its failure metric.
const releaseAppEnv = "DJANGOCDK_APP"

// DefaultTimeout and MaxTimeout bound the release task (CloudFormation
// waits at most one hour for a custom resource).
const (
	DefaultTimeout = 20 * time.Minute
	MaxTimeout     = 50 * time.Minute
)

// Release is the release building block: it runs a one-off Fargate task on
// every deploy that changes the task definition (new image or new
// configuration), waits for it, and fails the deploy when the task does not
// exit 0. Make the services depend on Resource so they roll out after it.
type Release interface {
	constructs.Construct
	// Resource is the custom resource; depend on it to run after the release.
	Resource() awscdk.CustomResource
	// Provider is the custom-resource provider (its handlers and waiter).
	Provider() customresources.Provider
	// Handler is the function that starts and watches the task.
	Handler() awslambda.Function
}

// Options configures NewRelease.
type Options struct {
	// Cluster runs the task. Required.
	Cluster awsecs.ICluster
	// TaskDefinition is the release task; its ARN changes with every new
	// revision, which is what triggers a run. Required.
	TaskDefinition awsecs.FargateTaskDefinition
	// ContainerName is the container whose exit code decides. Required.
	ContainerName string
	// Subnets and SecurityGroups place the task. Required.
	Subnets        *awsec2.SubnetSelection
	SecurityGroups []awsec2.ISecurityGroup
	// LogGroup and LogStreamPrefix locate the task's logs for the failure reason. Required.
	LogGroup        awslogs.ILogGroup
	LogStreamPrefix string
	// Timeout of the task. Default 20 minutes.
	Timeout time.Duration
	// LogRemovalPolicy of the handler's and waiter's log groups. Default DESTROY.
	LogRemovalPolicy awscdk.RemovalPolicy
	// MetricApp is the App dimension of the ReleaseFailed metric the handler
	// publishes (Embedded Metric Format, namespace "djangocdk") when a release
	// fails. Default: the cluster name the handler is given.
	MetricApp string
}

type release struct {
	constructs.Construct
	resource awscdk.CustomResource
	provider customresources.Provider
	handler  awslambda.Function
}

func (r *release) Resource() awscdk.CustomResource    { return r.resource }
func (r *release) Provider() customresources.Provider { return r.provider }
func (r *release) Handler() awslambda.Function        { return r.handler }

// New creates the release step.
func New(scope constructs.Construct, id string, o *Options) Release {
	r := &release{}
	constructs.NewConstruct_Override(r, scope, jsii.String(id))
	timeout := o.Timeout
	if timeout == 0 {
		timeout = DefaultTimeout
	}
	dir, err := releaseHandlerDir()
	if err != nil {
		panic(fmt.Errorf("release step: %w", err))
	}
	logRemoval := o.LogRemovalPolicy
	if logRemoval == "" {
		logRemoval = awscdk.RemovalPolicy_DESTROY
	}
	logs := awslogs.NewLogGroup(r, jsii.String("HandlerLogs"), &awslogs.LogGroupProps{
		Retention:     awslogs.RetentionDays_ONE_MONTH,
		RemovalPolicy: logRemoval,
	})
	var env *map[string]*string
	if o.MetricApp != "" {
		env = &map[string]*string{releaseAppEnv: jsii.String(o.MetricApp)}
	}
	newFunction := func(id, handler, desc string) awslambda.Function {
		return awslambda.NewFunction(r, jsii.String(id), &awslambda.FunctionProps{
			Environment:  env,
			Description:  jsii.String("djangocdk release step: " + desc),
			Runtime:      awslambda.Runtime_PYTHON_3_14(),
			Architecture: awslambda.Architecture_ARM_64(),
			Handler:      jsii.String(handler),
			Code:         awslambda.Code_FromAsset(jsii.String(dir), nil),
			Timeout:      awscdk.Duration_Seconds(jsii.Number(60)),
			MemorySize:   jsii.Number(128),
			LogGroup:     logs,
		})
	}
	r.handler = newFunction("Handler", "index.on_event", "runs the release task and waits for it")
	isComplete := newFunction("IsComplete", "index.is_complete", "reports whether the release task has finished")
	// Each function gets only what it calls, every ECS action conditioned on
	// this cluster: the handler starts the release task (and passes it its
	// roles); IsComplete reads, stops and tails it.
	onCluster := &map[string]any{"ArnEquals": map[string]any{"ecs:cluster": *o.Cluster.ClusterArn()}}
	r.handler.AddToRolePolicy(awsiam.NewPolicyStatement(&awsiam.PolicyStatementProps{
		Actions:    jsii.Strings("ecs:RunTask"),
		Resources:  jsii.Strings(*o.TaskDefinition.TaskDefinitionArn()),
		Conditions: onCluster,
	}))
	roles := []string{*o.TaskDefinition.TaskRole().RoleArn()}
	if exec := o.TaskDefinition.ExecutionRole(); exec != nil {
		roles = append(roles, *exec.RoleArn())
	}
	r.handler.AddToRolePolicy(awsiam.NewPolicyStatement(&awsiam.PolicyStatementProps{
		Actions:    jsii.Strings("iam:PassRole"),
		Resources:  jsii.Strings(roles...),
		Conditions: &map[string]any{"StringEquals": map[string]any{"iam:PassedToService": "ecs-tasks.amazonaws.com"}},
	}))
	isComplete.AddToRolePolicy(awsiam.NewPolicyStatement(&awsiam.PolicyStatementProps{
		Actions: jsii.Strings("ecs:DescribeTasks", "ecs:StopTask"),
		Resources: jsii.Strings(*awscdk.Stack_Of(r).FormatArn(&awscdk.ArnComponents{
			Service:      jsii.String("ecs"),
			Resource:     jsii.String("task"),
			ResourceName: jsii.String(*o.Cluster.ClusterName() + "/*"),
		})),
		Conditions: onCluster,
	}))
	isComplete.AddToRolePolicy(awsiam.NewPolicyStatement(&awsiam.PolicyStatementProps{
		Actions:   jsii.Strings("logs:GetLogEvents"),
		Resources: jsii.Strings(*o.LogGroup.LogGroupArn()),
	}))
	r.provider = customresources.NewProvider(r, jsii.String("Provider"), &customresources.ProviderProps{
		OnEventHandler:    r.handler,
		IsCompleteHandler: isComplete,
		QueryInterval:     awscdk.Duration_Seconds(jsii.Number(15)),
		TotalTimeout:      awscdk.Duration_Seconds(jsii.Number((timeout + 5*time.Minute).Seconds())),
		LogGroup:          logs,
		// The framework leaves the waiter's logging off unless asked.
		DisableWaiterStateMachineLogging: jsii.Bool(false),
		WaiterStateMachineLogOptions: &customresources.LogOptions{
			Destination: awslogs.NewLogGroup(r, jsii.String("WaiterLogs"), &awslogs.LogGroupProps{
				Retention:     awslogs.RetentionDays_ONE_MONTH,
				RemovalPolicy: logRemoval,
			}),
			Level: "ALL",
		},
	})
	subnets := o.Cluster.Vpc().SelectSubnets(o.Subnets)
	sgs := make([]*string, len(o.SecurityGroups))
	for i, sg := range o.SecurityGroups {
		sgs[i] = sg.SecurityGroupId()
	}
	r.resource = awscdk.NewCustomResource(r, jsii.String("Resource"), &awscdk.CustomResourceProps{
		ServiceToken: r.provider.ServiceToken(),
		ResourceType: jsii.String(releaseResourceType),
		Properties: &map[string]interface{}{
			"Cluster":         o.Cluster.ClusterArn(),
			"TaskDefinition":  o.TaskDefinition.TaskDefinitionArn(),
			"ContainerName":   o.ContainerName,
			"Subnets":         subnets.SubnetIds,
			"SecurityGroups":  &sgs,
			"LogGroup":        o.LogGroup.LogGroupName(),
			"LogStreamPrefix": o.LogStreamPrefix,
			"TimeoutSeconds":  fmt.Sprint(int(timeout.Seconds())),
		},
	})
	return r
}

// releaseHandlerDir writes the embedded handler to a directory named after
// its content hash, so the Lambda asset hash is stable across synths.
func releaseHandlerDir() (string, error) {
	sum := sha256.Sum256(releaseHandlerSource)
	dir := filepath.Join(os.TempDir(), "djangocdk-release-"+hex.EncodeToString(sum[:8]))
	file := filepath.Join(dir, "index.py")
	if b, err := os.ReadFile(file); err == nil && string(b) == string(releaseHandlerSource) {
		return dir, nil
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return "", fmt.Errorf("write handler: %w", err)
	}
	// Write then rename, so a concurrent synth never reads a partial file.
	tmp, err := os.CreateTemp(dir, "index-*.tmp")
	if err != nil {
		return "", fmt.Errorf("write handler: %w", err)
	}
	defer os.Remove(tmp.Name())
	if _, err := tmp.Write(releaseHandlerSource); err != nil {
		tmp.Close()
		return "", fmt.Errorf("write handler: %w", err)
	}
	if err := tmp.Close(); err != nil {
		return "", fmt.Errorf("write handler: %w", err)
	}
	if err := os.Chmod(tmp.Name(), 0o644); err != nil {
		return "", fmt.Errorf("write handler: %w", err)
	}
	if err := os.Rename(tmp.Name(), file); err != nil {
		return "", fmt.Errorf("write handler: %w", err)
	}
	return dir, nil
}
