package djangocdk

import (
	"github.com/aws/constructs-go/constructs/v10"
	"github.com/djangocdk/djangocdk/blocks/network"
)

// The building blocks live in blocks/<name>; these names keep them where CDK
// Go users found them.

// Network is the network building block (see package network).
type Network = network.Network

// NetworkProps configures the network building block.
type NetworkProps = network.Props

// NatMode selects how private subnets reach the internet.
type NatMode = network.NatMode

// Endpoint names an AWS service reachable through a VPC endpoint.
type Endpoint = network.Endpoint

// NAT modes and VPC endpoints (see package network).
const (
	NatGatewayPerAz        = network.NatGatewayPerAz
	NatGatewaySingle       = network.NatGatewaySingle
	NatInstance            = network.NatInstance
	NatNone                = network.NatNone
	EndpointS3             = network.EndpointS3
	EndpointECRAPI         = network.EndpointECRAPI
	EndpointECRDocker      = network.EndpointECRDocker
	EndpointLogs           = network.EndpointLogs
	EndpointSecretsManager = network.EndpointSecretsManager
	EndpointSQS            = network.EndpointSQS
	EndpointSSMMessages    = network.EndpointSSMMessages
	EndpointKMS            = network.EndpointKMS
)

// NewNetwork creates the network building block (network.New).
func NewNetwork(scope constructs.Construct, id string, props *NetworkProps) Network {
	return network.New(scope, id, props)
}
