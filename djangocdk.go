// Package djangocdk is a library of AWS CDK v2 constructs for Django. This
// root package is the public face: DjangoEcs (targets/ecs), the building
// blocks (blocks/...), the app model (appmodel) and the env contract
// (contract), under the names CDK Go users import. See docs/architecture.md.
package djangocdk

import (
	"github.com/aws/constructs-go/constructs/v10"
	"github.com/djangocdk/djangocdk/targets/ecs"
)

// DjangoEcs is a production Django stack on ECS Fargate (see package ecs).
type DjangoEcs = ecs.DjangoEcs

// DjangoEcsProps configures NewDjangoEcs.
type DjangoEcsProps = ecs.DjangoEcsProps

// NewDjangoEcs creates the Django stack on ECS Fargate (ecs.NewDjangoEcs).
func NewDjangoEcs(scope constructs.Construct, id string, props *DjangoEcsProps) DjangoEcs {
	return ecs.NewDjangoEcs(scope, id, props)
}

// Props of the processes and the release step.
type (
	// WebProps configures the web service.
	WebProps = ecs.WebProps
	// WorkerProps configures the Celery worker service.
	WorkerProps = ecs.WorkerProps
	// BeatProps configures the Celery beat service.
	BeatProps = ecs.BeatProps
	// ReleaseProps configures the release step.
	ReleaseProps = ecs.ReleaseProps
	// TaskSize is a Fargate CPU/memory pair.
	TaskSize = ecs.TaskSize
	// Scaling configures target-tracking autoscaling of a service.
	Scaling = ecs.Scaling
	// Profile selects a coherent set of defaults.
	Profile = ecs.Profile
	// Architecture is the CPU architecture of the tasks.
	Architecture = ecs.Architecture
	// Broker selects the Celery message broker.
	Broker = ecs.Broker
	// PropsError lists every problem found in a props struct.
	PropsError = ecs.PropsError
)

// Profiles, architectures, brokers and the stack outputs' IDs (see package ecs).
const (
	ProfileStarter        = ecs.ProfileStarter
	ProfileProduction     = ecs.ProfileProduction
	ArchARM64             = ecs.ArchARM64
	ArchX86               = ecs.ArchX86
	BrokerCache           = ecs.BrokerCache
	BrokerSQS             = ecs.BrokerSQS
	OutputURL             = ecs.OutputURL
	OutputClusterName     = ecs.OutputClusterName
	OutputWebServiceName  = ecs.OutputWebServiceName
	OutputWorkerService   = ecs.OutputWorkerService
	OutputBeatServiceName = ecs.OutputBeatServiceName
	OutputAssetsDomain    = ecs.OutputAssetsDomain
	OutputShellCommand    = ecs.OutputShellCommand
	OutputManageCommand   = ecs.OutputManageCommand
)
