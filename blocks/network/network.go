// Package network is the network building block: a VPC (new or existing)
// with the subnets compute and data use, its egress (NAT gateway, NAT
// instance or none) and VPC endpoints.
package network

import (
	"fmt"
	"regexp"
	"slices"
	"strings"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsec2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awslogs"
	"github.com/aws/constructs-go/constructs/v10"
	"github.com/aws/jsii-runtime-go"
	"github.com/djangocdk/djangocdk/internal/check"
)

// Subnet group names of a VPC created by New.
const (
	subnetPublic = "Public"
	subnetApp    = "App"
	subnetData   = "Data"
)

// Network is the network building block: a VPC (new or existing) with the
// subnet selections compute and data use, and its VPC endpoints.
type Network interface {
	constructs.Construct
	// Vpc is the VPC.
	Vpc() awsec2.IVpc
	// PublicSubnets hold the internet-facing load balancer.
	PublicSubnets() *awsec2.SubnetSelection
	// AppSubnets hold the tasks (private, with egress unless NAT mode is "none").
	AppSubnets() *awsec2.SubnetSelection
	// DataSubnets hold the database and cache (isolated).
	DataSubnets() *awsec2.SubnetSelection
	// EndpointSecurityGroup guards the interface endpoints, or nil when there are none.
	EndpointSecurityGroup() awsec2.SecurityGroup
	// NatInstances are the NAT instances with NatMode "instance", else empty.
	NatInstances() []awsec2.Instance
}

type network struct {
	constructs.Construct
	vpc        awsec2.IVpc
	public     *awsec2.SubnetSelection
	app        *awsec2.SubnetSelection
	data       *awsec2.SubnetSelection
	endpointSG awsec2.SecurityGroup
	natInsts   []awsec2.Instance
}

func (n *network) Vpc() awsec2.IVpc                            { return n.vpc }
func (n *network) PublicSubnets() *awsec2.SubnetSelection      { return n.public }
func (n *network) AppSubnets() *awsec2.SubnetSelection         { return n.app }
func (n *network) DataSubnets() *awsec2.SubnetSelection        { return n.data }
func (n *network) EndpointSecurityGroup() awsec2.SecurityGroup { return n.endpointSG }
func (n *network) NatInstances() []awsec2.Instance             { return n.natInsts }

// New creates the network building block. Unset props get the
// starter defaults (one NAT gateway, 2 AZs, 10.0.0.0/16, flow logs on).
// A new VPC has three subnet groups per AZ: Public (load balancer), App
// (tasks) and Data (database, cache; isolated).
func New(scope constructs.Construct, id string, props *Props) Network {
	p := Props{}
	if props != nil {
		p = *props
	}
	n := &network{}
	constructs.NewConstruct_Override(n, scope, jsii.String(id))
	if p.Vpc != nil {
		n.vpc = p.Vpc
		n.public = &awsec2.SubnetSelection{SubnetType: awsec2.SubnetType_PUBLIC}
		n.app = p.AppSubnets
		if n.app == nil {
			appType := awsec2.SubnetType_PRIVATE_WITH_EGRESS
			if p.NatMode == NatNone {
				appType = awsec2.SubnetType_PRIVATE_ISOLATED
			}
			n.app = &awsec2.SubnetSelection{SubnetType: appType}
		}
		n.data = p.DataSubnets
		if n.data == nil {
			n.data = &awsec2.SubnetSelection{SubnetType: awsec2.SubnetType_PRIVATE_ISOLATED}
		}
	} else {
		n.vpc = newVpc(n, p)
		n.public = &awsec2.SubnetSelection{SubnetGroupName: jsii.String(subnetPublic)}
		n.app = &awsec2.SubnetSelection{SubnetGroupName: jsii.String(subnetApp)}
		n.data = &awsec2.SubnetSelection{SubnetGroupName: jsii.String(subnetData)}
	}
	n.addEndpoints(p.Endpoints)
	return n
}

func newVpc(n *network, p Props) awsec2.Vpc {
	p = p.WithDefaults(NatGatewaySingle)
	appType := awsec2.SubnetType_PRIVATE_WITH_EGRESS
	var natProvider awsec2.NatInstanceProviderV2
	props := &awsec2.VpcProps{
		IpAddresses:                  awsec2.IpAddresses_Cidr(jsii.String(p.Cidr)),
		MaxAzs:                       jsii.Number(p.MaxAzs),
		RestrictDefaultSecurityGroup: jsii.Bool(true),
	}
	switch p.NatMode {
	case NatGatewayPerAz:
		props.NatGateways = jsii.Number(p.MaxAzs)
	case NatGatewaySingle:
		props.NatGateways = jsii.Number(1)
	case NatInstance:
		props.NatGateways = jsii.Number(1)
		natProvider = awsec2.NatProvider_InstanceV2(&awsec2.NatInstanceProps{
			InstanceType: awsec2.NewInstanceType(jsii.String("t4g.nano")),
			MachineImage: awsec2.MachineImage_LatestAmazonLinux2023(&awsec2.AmazonLinux2023ImageSsmParameterProps{
				CpuType: awsec2.AmazonLinuxCpuType_ARM_64,
			}),
			DefaultAllowedTraffic: awsec2.NatTrafficDirection_OUTBOUND_ONLY,
		})
		props.NatGatewayProvider = natProvider
	case NatNone:
		props.NatGateways = jsii.Number(0)
		appType = awsec2.SubnetType_PRIVATE_ISOLATED
	}
	props.SubnetConfiguration = &[]*awsec2.SubnetConfiguration{
		{Name: jsii.String(subnetPublic), SubnetType: awsec2.SubnetType_PUBLIC, CidrMask: jsii.Number(24)},
		{Name: jsii.String(subnetApp), SubnetType: appType, CidrMask: jsii.Number(22)},
		{Name: jsii.String(subnetData), SubnetType: awsec2.SubnetType_PRIVATE_ISOLATED, CidrMask: jsii.Number(24)},
	}
	vpc := awsec2.NewVpc(n, jsii.String("Vpc"), props)
	if natProvider != nil {
		// OUTBOUND_ONLY admits nothing: let the VPC's private subnets send
		// through it (image pulls, Secrets Manager, any outbound call).
		natProvider.Connections().AllowFrom(awsec2.Peer_Ipv4(vpc.VpcCidrBlock()), awsec2.Port_AllTraffic(),
			jsii.String("NAT for the VPC's private subnets"))
		for _, inst := range *natProvider.GatewayInstances() {
			// The provider exposes no block-device setting: encrypt the root
			// volume (gp3) through the L1 resource.
			inst.Node().DefaultChild().(awsec2.CfnInstance).SetBlockDeviceMappings(&[]interface{}{&awsec2.CfnInstance_BlockDeviceMappingProperty{
				DeviceName: jsii.String("/dev/xvda"),
				Ebs: &awsec2.CfnInstance_EbsProperty{
					Encrypted: jsii.Bool(true), VolumeType: jsii.String("gp3"), DeleteOnTermination: jsii.Bool(true),
				},
			}})
			// IMDSv2 only: a stolen-request SSRF cannot read the role's credentials.
			awscdk.Aspects_Of(inst).Add(awsec2.NewInstanceRequireImdsv2Aspect(&awsec2.InstanceRequireImdsv2AspectProps{}), nil)
			n.natInsts = append(n.natInsts, inst)
		}
	}
	if !p.DisableFlowLogs {
		group := awslogs.NewLogGroup(n, jsii.String("FlowLogGroup"), &awslogs.LogGroupProps{
			Retention: awslogs.RetentionDays_ONE_MONTH,
		})
		vpc.AddFlowLog(jsii.String("FlowLog"), &awsec2.FlowLogOptions{
			Destination: awsec2.FlowLogDestination_ToCloudWatchLogs(group, nil),
			TrafficType: awsec2.FlowLogTrafficType_REJECT,
		})
	}
	return vpc
}

// addEndpoints creates the VPC endpoints: S3 as a free gateway endpoint,
// the others as interface endpoints in the app subnets with private DNS.
func (n *network) addEndpoints(eps []Endpoint) {
	for _, e := range eps {
		id := endpointID(e)
		if e == EndpointS3 {
			n.vpc.AddGatewayEndpoint(jsii.String(id), &awsec2.GatewayVpcEndpointOptions{
				Service: awsec2.GatewayVpcEndpointAwsService_S3(),
				Subnets: &[]*awsec2.SubnetSelection{n.app},
			})
			continue
		}
		if n.endpointSG == nil {
			n.endpointSG = awsec2.NewSecurityGroup(n, jsii.String("EndpointSecurityGroup"), &awsec2.SecurityGroupProps{
				Vpc:              n.vpc,
				Description:      jsii.String("VPC interface endpoints: HTTPS from inside the VPC"),
				AllowAllOutbound: jsii.Bool(false),
			})
			n.endpointSG.AddIngressRule(awsec2.Peer_Ipv4(n.vpc.VpcCidrBlock()), awsec2.Port_Tcp(jsii.Number(443)),
				jsii.String("HTTPS from the VPC"), nil)
		}
		n.vpc.AddInterfaceEndpoint(jsii.String(id), &awsec2.InterfaceVpcEndpointOptions{
			Service:           interfaceService(e),
			Subnets:           n.app,
			PrivateDnsEnabled: jsii.Bool(true),
			SecurityGroups:    &[]awsec2.ISecurityGroup{n.endpointSG},
			Open:              jsii.Bool(false),
		})
	}
}

func interfaceService(e Endpoint) awsec2.InterfaceVpcEndpointAwsService {
	switch e {
	case EndpointECRAPI:
		return awsec2.InterfaceVpcEndpointAwsService_ECR()
	case EndpointECRDocker:
		return awsec2.InterfaceVpcEndpointAwsService_ECR_DOCKER()
	case EndpointLogs:
		return awsec2.InterfaceVpcEndpointAwsService_CLOUDWATCH_LOGS()
	case EndpointSecretsManager:
		return awsec2.InterfaceVpcEndpointAwsService_SECRETS_MANAGER()
	case EndpointSQS:
		return awsec2.InterfaceVpcEndpointAwsService_SQS()
	case EndpointSSMMessages:
		return awsec2.InterfaceVpcEndpointAwsService_SSM_MESSAGES()
	case EndpointKMS:
		return awsec2.InterfaceVpcEndpointAwsService_KMS()
	}
	panic("djangocdk: unknown endpoint " + string(e)) // unreachable after validation
}

// endpointID turns "ecr.dkr" into the construct ID "EcrDkrEndpoint".
func endpointID(e Endpoint) string {
	var b strings.Builder
	for _, part := range strings.Split(string(e), ".") {
		b.WriteString(strings.ToUpper(part[:1]) + part[1:])
	}
	return b.String() + "Endpoint"
}

// NatMode selects how private subnets reach the internet.
type NatMode string

const (
	// NatGatewayPerAz places one managed NAT gateway in each AZ (production default).
	NatGatewayPerAz NatMode = "gateway"
	// NatGatewaySingle places one managed NAT gateway shared by all AZs (starter default).
	NatGatewaySingle NatMode = "gateway-single"
	// NatInstance uses one small EC2 NAT instance (t4g.nano): cheapest, least resilient.
	NatInstance NatMode = "instance"
	// NatNone has no internet egress; AWS services are reached through VPC endpoints.
	NatNone NatMode = "none"
)

// Endpoint names an AWS service reachable through a VPC endpoint.
type Endpoint string

// VPC endpoints djangocdk knows how to create.
const (
	EndpointS3             Endpoint = "s3"
	EndpointECRAPI         Endpoint = "ecr.api"
	EndpointECRDocker      Endpoint = "ecr.dkr"
	EndpointLogs           Endpoint = "logs"
	EndpointSecretsManager Endpoint = "secretsmanager"
	EndpointSQS            Endpoint = "sqs"
	EndpointSSMMessages    Endpoint = "ssmmessages"
	EndpointKMS            Endpoint = "kms"
)

// Props configures the network building block.
type Props struct {
	// Vpc is an existing VPC to use. Default: a new VPC.
	Vpc awsec2.IVpc
	// NatMode for a new VPC: "gateway", "gateway-single", "instance" or "none".
	// Default "gateway-single" (starter), "gateway" (production).
	NatMode NatMode
	// MaxAzs is the number of AZs of a new VPC. Default 2.
	MaxAzs int
	// Cidr of a new VPC. Default "10.0.0.0/16".
	Cidr string
	// Endpoints lists the VPC endpoints to create. Default: none with a NAT;
	// with NatMode "none", every endpoint the app needs (S3, ECR, logs,
	// Secrets Manager, plus SQS and SSM messages/KMS when used). When set
	// with NatMode "none", it must include every endpoint the app needs.
	Endpoints []Endpoint
	// DisableFlowLogs turns off VPC flow logs of a new VPC. Default false.
	DisableFlowLogs bool
	// AppSubnets selects the subnets of an existing VPC for tasks.
	// Default: private subnets with egress (isolated ones with NatMode "none").
	AppSubnets *awsec2.SubnetSelection
	// DataSubnets selects the subnets of an existing VPC for the database and
	// cache. Default: isolated subnets.
	DataSubnets *awsec2.SubnetSelection
}

// Defaults of a new VPC.
const (
	defaultMaxAzs = 2
	defaultCidr   = "10.0.0.0/16"
)

var vpcCidr = regexp.MustCompile(`^\d+\.\d+\.\d+\.\d+/(1[6-9]|2[0-4])$`)

// WithDefaults fills the unset fields of a new VPC's props; an existing VPC
// keeps its props as given. Used by DjangoEcs and by NewNetwork alone.
func (n Props) WithDefaults(natDefault NatMode) Props {
	if n.Vpc != nil {
		return n
	}
	if n.NatMode == "" {
		n.NatMode = natDefault
	}
	if n.MaxAzs == 0 {
		n.MaxAzs = defaultMaxAzs
	}
	if n.Cidr == "" {
		n.Cidr = defaultCidr
	}
	return n
}

// Validate checks network props; needed lists the endpoints the app needs
// when there is no NAT.
func (n Props) Validate(field string, needed []Endpoint) []string {
	var errs []string
	if n.Vpc != nil {
		if n.NatMode != "" && n.NatMode != NatNone {
			errs = append(errs, fmt.Sprintf("%s.NatMode: %q applies only to a new VPC; leave it empty with an existing Vpc (or \"none\" to create the endpoints it needs)", field, n.NatMode))
		}
	} else {
		errs = append(errs, check.OneOf(field+".NatMode", n.NatMode, NatGatewayPerAz, NatGatewaySingle, NatInstance, NatNone)...)
		if n.MaxAzs < 2 || n.MaxAzs > 6 {
			errs = append(errs, fmt.Sprintf("%s.MaxAzs: %d is out of range; allowed: 2 to 6 (the load balancer and database need two AZs)", field, n.MaxAzs))
		}
		if !vpcCidr.MatchString(n.Cidr) {
			errs = append(errs, fmt.Sprintf("%s.Cidr: %q is not an IPv4 CIDR with a /16 to /24 prefix", field, n.Cidr))
		}
	}
	known := []Endpoint{EndpointS3, EndpointECRAPI, EndpointECRDocker, EndpointLogs, EndpointSecretsManager, EndpointSQS, EndpointSSMMessages, EndpointKMS}
	for _, e := range n.Endpoints {
		errs = append(errs, check.OneOf(field+".Endpoints", e, known...)...)
	}
	if n.NatMode == NatNone {
		var missing []string
		for _, e := range needed {
			if !slices.Contains(n.Endpoints, e) {
				missing = append(missing, string(e))
			}
		}
		if len(missing) > 0 {
			errs = append(errs, fmt.Sprintf("%s.Endpoints: NAT mode \"none\" has no internet egress, so the app needs VPC endpoints for %s; missing: %s (leave Endpoints unset to create them all)",
				field, joinEndpoints(needed), strings.Join(missing, ", ")))
		}
	}
	return errs
}

func joinEndpoints(eps []Endpoint) string {
	s := make([]string, len(eps))
	for i, e := range eps {
		s[i] = string(e)
	}
	return strings.Join(s, ", ")
}
