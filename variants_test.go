package djangocdk_test

import (
	"strings"
	"testing"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsec2"
	"github.com/aws/jsii-runtime-go"
	"github.com/djangocdk/djangocdk"
)

func TestNatModes(t *testing.T) {
	cases := []struct {
		mode               djangocdk.NatMode
		natGateways, ec2   int
		interfaceEndpoints int
		isolatedAppSubnets bool
	}{
		{djangocdk.NatGatewayPerAz, 2, 0, 0, false},
		{djangocdk.NatGatewaySingle, 1, 0, 0, false},
		{djangocdk.NatInstance, 0, 1, 0, false},
		// ecr.api, ecr.dkr, logs, secretsmanager (+ the S3 gateway endpoint).
		{djangocdk.NatNone, 0, 0, 4, true},
	}
	for _, c := range cases {
		t.Run(string(c.mode), func(t *testing.T) {
			tp := synth(t, func(awscdk.Stack) *djangocdk.DjangoEcsProps {
				p := baseProps()
				p.Network.NatMode = c.mode
				return p
			}).tpl
			if n := tp.count("AWS::EC2::NatGateway"); n != c.natGateways {
				t.Errorf("NAT gateways: got %d, want %d", n, c.natGateways)
			}
			if n := tp.count("AWS::EC2::Instance"); n != c.ec2 {
				t.Errorf("NAT instances: got %d, want %d", n, c.ec2)
			}
			for _, inst := range tp.resources("AWS::EC2::Instance") {
				p := props(inst)
				if p["InstanceType"] != "t4g.nano" || !strings.Contains(jsonOf(p["BlockDeviceMappings"]), `"Encrypted":true`) {
					t.Errorf("NAT instance must be a t4g.nano with an encrypted root volume: %s", jsonOf(p))
				}
			}
			var iface, gateway int
			for _, e := range tp.resources("AWS::EC2::VPCEndpoint") {
				if props(e)["VpcEndpointType"] == "Interface" {
					iface++
				} else {
					gateway++
				}
			}
			if iface != c.interfaceEndpoints {
				t.Errorf("interface endpoints: got %d, want %d", iface, c.interfaceEndpoints)
			}
			if c.mode == djangocdk.NatNone && gateway != 1 {
				t.Errorf("S3 gateway endpoint: got %d, want 1", gateway)
			}
			// Isolated app subnets have no default route at all.
			routes := 0
			for _, r := range tp.resources("AWS::EC2::Route") {
				if strings.Contains(jsonOf(props(r)["RouteTableId"]), "NetworkVpcAppSubnet") {
					routes++
				}
			}
			if c.isolatedAppSubnets != (routes == 0) {
				t.Errorf("app subnet default routes: %d (isolated=%v)", routes, c.isolatedAppSubnets)
			}
		})
	}

	// The NAT instance must forward the private subnets' traffic: its
	// security group admits the VPC, the app subnets route through it, and
	// its metadata service requires IMDSv2 tokens.
	t.Run("instance forwards the VPC's traffic, with IMDSv2", func(t *testing.T) {
		tp := synth(t, func(awscdk.Stack) *djangocdk.DjangoEcsProps {
			p := baseProps()
			p.Network.NatMode = djangocdk.NatInstance
			return p
		}).tpl
		instID := ""
		for id, inst := range tp.resources("AWS::EC2::Instance") {
			instID = id
			if lt := props(inst)["LaunchTemplate"]; lt == nil {
				t.Errorf("NAT instance has no launch template (IMDSv2): %s", jsonOf(props(inst)))
			}
		}
		imds := false
		for _, lt := range tp.resources("AWS::EC2::LaunchTemplate") {
			imds = imds || strings.Contains(jsonOf(props(lt)), `"HttpTokens":"required"`)
		}
		if !imds {
			t.Error("no launch template requires IMDSv2 tokens")
		}
		admitted := false
		for _, sg := range tp.resources("AWS::EC2::SecurityGroup") {
			if !strings.Contains(jsonOf(props(sg)["GroupDescription"]), "NatSecurityGroup") && !strings.Contains(jsonOf(props(sg)), "NAT") {
				continue
			}
			for _, rule := range asSlice(props(sg)["SecurityGroupIngress"]) {
				if strings.Contains(jsonOf(rule), `"CidrIp":{"Fn::GetAtt":`) && strings.Contains(jsonOf(rule), "CidrBlock") {
					admitted = true
				}
			}
		}
		for _, rule := range tp.resources("AWS::EC2::SecurityGroupIngress") {
			if strings.Contains(jsonOf(props(rule)), "CidrBlock") {
				admitted = true
			}
		}
		if !admitted {
			t.Errorf("the NAT instance's security group admits nothing from the VPC: %s", jsonOf(tp.resources("AWS::EC2::SecurityGroup")))
		}
		routed := false
		for _, r := range tp.resources("AWS::EC2::Route") {
			if strings.Contains(jsonOf(props(r)["RouteTableId"]), "AppSubnet") && strings.Contains(jsonOf(props(r)["InstanceId"]), instID) {
				routed = true
			}
		}
		if !routed {
			t.Error("app subnets do not route through the NAT instance")
		}
	})

	t.Run("none adds the endpoints of the features used", func(t *testing.T) {
		tp := synth(t, func(awscdk.Stack) *djangocdk.DjangoEcsProps {
			p := baseProps()
			p.Network.NatMode = djangocdk.NatNone
			p.Broker = djangocdk.BrokerSQS
			p.EnableExec = true
			return p
		}).tpl
		services := jsonOf(tp.resources("AWS::EC2::VPCEndpoint"))
		for _, svc := range []string{".sqs", ".ssmmessages", ".kms", ".secretsmanager", ".logs", ".ecr.dkr", ".ecr.api", ".s3"} {
			if !strings.Contains(services, svc+`"`) {
				t.Errorf("endpoint %s missing", svc)
			}
		}
	})
}

func TestExistingVpc(t *testing.T) {
	tp := synth(t, func(stack awscdk.Stack) *djangocdk.DjangoEcsProps {
		vpc := awsec2.Vpc_FromVpcAttributes(stack, jsii.String("Existing"), &awsec2.VpcAttributes{
			VpcId:             jsii.String("vpc-0123456789abcdef0"),
			AvailabilityZones: jsii.Strings("us-east-1a", "us-east-1b"),
			PublicSubnetIds:   jsii.Strings("subnet-pub1", "subnet-pub2"),
			PrivateSubnetIds:  jsii.Strings("subnet-app1", "subnet-app2"),
			IsolatedSubnetIds: jsii.Strings("subnet-data1", "subnet-data2"),
			VpcCidrBlock:      jsii.String("10.1.0.0/16"),
		})
		p := baseProps()
		p.Network.Vpc = vpc
		return p
	}).tpl
	if n := tp.count("AWS::EC2::VPC") + tp.count("AWS::EC2::Subnet") + tp.count("AWS::EC2::NatGateway"); n != 0 {
		t.Errorf("an existing VPC must not create network resources, found %d", n)
	}
	web := props(tp.resources("AWS::ECS::Service")[tp.logicalID(t, "AWS::ECS::Service", "SiteWebService")])
	if net := jsonOf(web["NetworkConfiguration"]); !strings.Contains(net, "subnet-app1") || strings.Contains(net, "subnet-pub") {
		t.Errorf("tasks must run in the private subnets: %s", net)
	}
	if sg := jsonOf(props(tp.one(t, "AWS::RDS::DBSubnetGroup"))["SubnetIds"]); !strings.Contains(sg, "subnet-data1") {
		t.Errorf("database must use the isolated subnets: %s", sg)
	}
}

func TestAuroraServerless(t *testing.T) {
	for _, prod := range []bool{false, true} {
		name := map[bool]string{false: "starter", true: "production"}[prod]
		t.Run(name, func(t *testing.T) {
			tp := synth(t, func(awscdk.Stack) *djangocdk.DjangoEcsProps {
				p := baseProps()
				p.Database.Engine = djangocdk.DatabaseAurora
				if prod {
					p.Profile = djangocdk.ProfileProduction
				}
				return p
			}, withNag)
			cl := tp.tpl.one(t, "AWS::RDS::DBCluster")
			p := props(cl)
			if p["Engine"] != "aurora-postgresql" || p["StorageEncrypted"] != true || cl["DeletionPolicy"] != "Snapshot" {
				t.Errorf("cluster: %s", jsonOf(p))
			}
			scaling := jsonOf(p["ServerlessV2ScalingConfiguration"])
			wantScaling := `{"MaxCapacity":2,"MinCapacity":0,"SecondsUntilAutoPause":600}`
			instances := 1
			if prod {
				wantScaling, instances = `{"MaxCapacity":8,"MinCapacity":0.5}`, 2
			}
			if scaling != wantScaling {
				t.Errorf("scaling: got %s, want %s", scaling, wantScaling)
			}
			if n := tp.tpl.count("AWS::RDS::DBInstance"); n != instances {
				t.Errorf("cluster instances: got %d, want %d", n, instances)
			}
			if tp.tpl.count("AWS::RDS::DBInstance") > 0 && !strings.Contains(jsonOf(tp.tpl.resources("AWS::RDS::DBInstance")), `"DBInstanceClass":"db.serverless"`) {
				t.Error("instances must be serverless v2")
			}
			if errs, _ := nagFindings(tp.stack); len(errs) > 0 {
				t.Errorf("cdk-nag errors:\n%s", strings.Join(errs, "\n"))
			}
		})
	}
}

func TestSQSBroker(t *testing.T) {
	s := synth(t, func(awscdk.Stack) *djangocdk.DjangoEcsProps {
		p := baseProps()
		p.Broker = djangocdk.BrokerSQS
		p.Cache.Engine = djangocdk.CacheNone
		return p
	}, withNag)
	tp := s.tpl
	if n := tp.count("AWS::ElastiCache::ReplicationGroup"); n != 0 {
		t.Errorf("cache 'none' must not create ElastiCache, found %d", n)
	}
	if n := tp.count("AWS::SQS::Queue"); n != 2 {
		t.Errorf("queues: got %d, want 2 (broker + dead letters)", n)
	}
	worker := tp.container(t, djangocdk.ProcessWorker)
	if v, _ := envValue(worker, djangocdk.EnvCeleryBrokerURL); v != "sqs://" {
		t.Errorf("broker URL: %q", v)
	}
	if v, _ := envValue(worker, djangocdk.EnvCelerySQSQueueURL); !strings.Contains(v, "SiteBrokerQueue") {
		t.Errorf("queue URL: %q", v)
	}
	if v, _ := envValue(worker, djangocdk.EnvCeleryDefaultQueue); !strings.Contains(v, "QueueName") {
		t.Errorf("default queue must be the SQS queue's name: %q", v)
	}
	if _, ok := envValue(worker, djangocdk.EnvRedisURL); ok {
		t.Error("REDIS_URL must not be set without a cache")
	}
	policy := jsonOf(tp.resources("AWS::IAM::Policy"))
	for _, action := range []string{"sqs:SendMessage", "sqs:ReceiveMessage", "sqs:DeleteMessage"} {
		if !strings.Contains(policy, action) {
			t.Errorf("task role lacks %s", action)
		}
	}
	if errs, _ := nagFindings(s.stack); len(errs) > 0 {
		t.Errorf("cdk-nag errors:\n%s", strings.Join(errs, "\n"))
	}
}

// TestStatefulStackSeparation builds the example's two-stack layout: data
// in one stack, compute in another, with no dependency cycle and the
// security-group rules created on the compute side.
func TestStatefulStackSeparation(t *testing.T) {
	var data, app awscdk.Stack
	catch(t, func() {
		a := awscdk.NewApp(&awscdk.AppProps{Outdir: jsii.String(t.TempDir())})
		env := &awscdk.Environment{Region: jsii.String("eu-west-1")}
		data = awscdk.NewStack(a, jsii.String("Data"), &awscdk.StackProps{Env: env})
		app = awscdk.NewStack(a, jsii.String("App"), &awscdk.StackProps{Env: env})
		p := baseProps()
		p.StatefulScope = data
		p.Beat.Enabled = true
		djangocdk.NewDjangoEcs(app, "Site", p)
		a.Synth(nil)
	})
	dt, at := templateOf(data), templateOf(app)
	// The site's name (distribution, load balancer) outlives compute.
	for _, typ := range []string{"AWS::EC2::VPC", "AWS::RDS::DBInstance", "AWS::ElastiCache::ReplicationGroup", "AWS::CloudFront::Distribution", "AWS::CloudFront::VpcOrigin", "AWS::ElasticLoadBalancingV2::LoadBalancer", "AWS::SecretsManager::Secret"} {
		if dt.count(typ) == 0 || at.count(typ) != 0 {
			t.Errorf("%s must live in the data stack only (data %d, app %d)", typ, dt.count(typ), at.count(typ))
		}
	}
	for _, typ := range []string{"AWS::ECS::Service", "AWS::ElasticLoadBalancingV2::Listener", "AWS::ElasticLoadBalancingV2::TargetGroup", "Custom::DjangoRelease"} {
		if at.count(typ) == 0 || dt.count(typ) != 0 {
			t.Errorf("%s must live in the app stack only", typ)
		}
	}
	if n := len(at.resources("AWS::EC2::SecurityGroupIngress")); n < 5 {
		t.Errorf("database/cache/web ingress rules must be created in the app stack, found %d", n)
	}
	if n := len(at.resources("AWS::EC2::SecurityGroupEgress")); n < 1 {
		t.Error("the load balancer's egress to the web tasks must be created in the app stack")
	}
	if strings.Contains(jsonOf(dt), "Fn::ImportValue") {
		t.Error("the data stack must not import from the app stack (that would be a cycle)")
	}
}

func TestRegionRequired(t *testing.T) {
	msg := panicMessage(func() {
		app := awscdk.NewApp(&awscdk.AppProps{Outdir: jsii.String(t.TempDir())})
		stack := awscdk.NewStack(app, jsii.String("NoRegion"), nil)
		djangocdk.NewDjangoEcs(stack, "Site", baseProps())
	})
	if !strings.Contains(msg, "explicit region") {
		t.Errorf("want a clear region error, got %q", msg)
	}
}

func asSlice(v any) []any {
	s, _ := v.([]any)
	return s
}
