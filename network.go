package djangocdk

import (
	"github.com/aws/aws-cdk-go/awscdk/v2"
	"strings"

	"github.com/aws/aws-cdk-go/awscdk/v2/awsec2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awslogs"
	"github.com/aws/constructs-go/constructs/v10"
	"github.com/aws/jsii-runtime-go"
)

// Subnet group names of a VPC created by NewNetwork.
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

// NewNetwork creates the network building block. Unset props get the
// starter defaults (one NAT gateway, 2 AZs, 10.0.0.0/16, flow logs on).
// A new VPC has three subnet groups per AZ: Public (load balancer), App
// (tasks) and Data (database, cache; isolated).
func NewNetwork(scope constructs.Construct, id string, props *NetworkProps) Network {
	p := NetworkProps{}
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

func newVpc(n *network, p NetworkProps) awsec2.Vpc {
	p = p.withDefaults(NatGatewaySingle)
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
