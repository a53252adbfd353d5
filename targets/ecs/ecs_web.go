package ecs

import (
	"fmt"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsec2"
	elbv2 "github.com/aws/aws-cdk-go/awscdk/v2/awselasticloadbalancingv2"
	"github.com/aws/aws-cdk-go/awscdk/v2/customresources"
	"github.com/aws/constructs-go/constructs/v10"
	"github.com/aws/jsii-runtime-go"
	"github.com/djangocdk/djangocdk/blocks/domain"
	"github.com/djangocdk/djangocdk/blocks/edge"
	"github.com/djangocdk/djangocdk/blocks/storage"
)

// buildEdge creates how visitors reach the site. The load balancer, its
// security group and the distribution live with the stateful blocks (the
// site's name must outlive compute); listeners and the target group live
// with compute, attached through a reference to the load balancer so that
// security-group rules are created on the compute side.
//
//   - EdgeCloudFront: internal load balancer in the app subnets, reached only
//     through CloudFront's VPC origin; HTTPS on the distribution.
//   - EdgeALBHTTPS: internet-facing, HTTPS with the domain's certificate and
//     an HTTP->HTTPS redirect; files on their own distribution.
//   - EdgeALBHTTPInsecure: internet-facing, plain HTTP.
func (d *djangoEcs) buildEdge() {
	p := d.props
	prod := p.Profile == ProfileProduction
	vpc := d.network.Vpc()
	public := p.Edge != edge.EdgeCloudFront
	// The two kinds of load balancer have their own construct IDs: switching
	// the edge creates the other one (a scheme change would replace it in
	// place, under export names the app stack still imports).
	subnets, id, description := d.network.AppSubnets(), "InternalLoadBalancer", "Internal load balancer of the Django site, reached only through the CloudFront VPC origin"
	if public {
		subnets, id, description = d.network.PublicSubnets(), "LoadBalancer", "Public load balancer of the Django site"
	}
	d.albSG = awsec2.NewSecurityGroup(d.dataScope, jsii.String(id+"SecurityGroup"), &awsec2.SecurityGroupProps{
		Vpc:              vpc,
		Description:      jsii.String(description),
		AllowAllOutbound: jsii.Bool(false),
	})
	d.lb = elbv2.NewApplicationLoadBalancer(d.dataScope, jsii.String(id), &elbv2.ApplicationLoadBalancerProps{
		Vpc:                     vpc,
		InternetFacing:          jsii.Bool(public),
		VpcSubnets:              subnets,
		SecurityGroup:           d.albSG,
		DropInvalidHeaderFields: jsii.Bool(true),
		DeletionProtection:      jsii.Bool(prod),
	})
	d.lb.LogAccessLogs(d.storage.LogsBucket(), jsii.String("alb"))

	var dom domain.Domain
	if p.Domain != nil {
		// With the data, whatever the edge: its alias record never moves
		// between stacks when the edge changes (Route 53 would refuse the
		// second record of the same name).
		scope := d.dataScope
		if p.Edge == edge.EdgeCloudFront && p.Domain.Certificate == nil && *awscdk.Stack_Of(scope).Region() != "us-east-1" {
			panic(fmt.Errorf("DjangoEcs: Domain.Certificate is required with Edge %q when the stack is not in us-east-1 (CloudFront reads certificates only there): create one in a us-east-1 stack (the djangocdk CLI does) or use Edge %q", edge.EdgeCloudFront, edge.EdgeALBHTTPS))
		}
		dom = domain.New(scope, "Domain", p.Domain)
		d.domain = dom
	}
	files := &edge.Options{
		Bucket:      d.storage.Bucket(),
		StaticFiles: p.Storage.StaticStorage != storage.StaticProject,
		LogsBucket:  d.storage.LogsBucket(),
		PriceClass:  p.Storage.PriceClass,
	}
	if public {
		// The site's own origin may read the files from scripts and styles.
		files.FilesCorsOrigin = edge.SiteOf(p.Edge, nil, d.lb.LoadBalancerDnsName(), domainName(dom)).URL
	} else {
		files.App = d.lb
		files.Domain = dom
		d.prefixListLookup = admitVpcOrigin(d.dataScope, d.albSG)
	}
	d.edge = edge.New(d.dataScope, "Edge", files)
	d.buildListeners(dom)
}

// domainName is the domain's name, or "" without one.
func domainName(dom domain.Domain) string {
	if dom == nil {
		return ""
	}
	return dom.Name()
}

// buildListeners creates the web target group and the listeners, in
// compute, and sets the site's URL.
func (d *djangoEcs) buildListeners(dom domain.Domain) {
	p := d.props
	vpc := d.network.Vpc()
	lb := elbv2.ApplicationLoadBalancer_FromApplicationLoadBalancerAttributes(d, jsii.String("LoadBalancerRef"), &elbv2.ApplicationLoadBalancerAttributes{
		LoadBalancerArn:                   d.lb.LoadBalancerArn(),
		SecurityGroupId:                   d.albSG.SecurityGroupId(),
		SecurityGroupAllowsAllOutbound:    jsii.Bool(false),
		LoadBalancerDnsName:               d.lb.LoadBalancerDnsName(),
		LoadBalancerCanonicalHostedZoneId: d.lb.LoadBalancerCanonicalHostedZoneId(),
		Vpc:                               vpc,
	})
	d.lbRef = lb
	d.targetGroup = elbv2.NewApplicationTargetGroup(d, jsii.String("WebTargetGroup"), &elbv2.ApplicationTargetGroupProps{
		Vpc:        vpc,
		Port:       jsii.Number(d.app.Port),
		Protocol:   elbv2.ApplicationProtocol_HTTP,
		TargetType: elbv2.TargetType_IP,
		HealthCheck: &elbv2.HealthCheck{
			Path:                    jsii.String(d.app.HealthCheckPath),
			HealthyHttpCodes:        jsii.String("200"),
			Interval:                awscdk.Duration_Seconds(jsii.Number(15)),
			Timeout:                 awscdk.Duration_Seconds(jsii.Number(5)),
			HealthyThresholdCount:   jsii.Number(2),
			UnhealthyThresholdCount: jsii.Number(3),
		},
		DeregistrationDelay: awscdk.Duration_Seconds(jsii.Number(30)),
	})
	forward := &[]elbv2.IApplicationTargetGroup{d.targetGroup}
	switch p.Edge {
	case edge.EdgeCloudFront:
		lb.AddListener(jsii.String("Http"), &elbv2.BaseApplicationListenerProps{
			Port: jsii.Number(80), Protocol: elbv2.ApplicationProtocol_HTTP, Open: jsii.Bool(false), DefaultTargetGroups: forward,
		})
	case edge.EdgeALBHTTPInsecure:
		lb.AddListener(jsii.String("Http"), &elbv2.BaseApplicationListenerProps{
			Port: jsii.Number(80), Protocol: elbv2.ApplicationProtocol_HTTP, Open: jsii.Bool(true), DefaultTargetGroups: forward,
		})
	case edge.EdgeALBHTTPS:
		lb.AddListener(jsii.String("Https"), &elbv2.BaseApplicationListenerProps{
			Port:                jsii.Number(443),
			Protocol:            elbv2.ApplicationProtocol_HTTPS,
			Open:                jsii.Bool(true),
			Certificates:        &[]elbv2.IListenerCertificate{elbv2.ListenerCertificate_FromCertificateManager(dom.Certificate())},
			SslPolicy:           elbv2.SslPolicy_RECOMMENDED_TLS,
			DefaultTargetGroups: forward,
		})
		lb.AddListener(jsii.String("HttpRedirect"), &elbv2.BaseApplicationListenerProps{
			Port:     jsii.Number(80),
			Protocol: elbv2.ApplicationProtocol_HTTP,
			Open:     jsii.Bool(true),
			DefaultAction: elbv2.ListenerAction_Redirect(&elbv2.RedirectOptions{
				Protocol: jsii.String("HTTPS"), Port: jsii.String("443"), Permanent: jsii.Bool(true),
			}),
		})
		dom.AliasTo(d.lb)
	}
	d.site = edge.SiteOf(p.Edge, d.edge.Host(), d.lb.LoadBalancerDnsName(), domainName(dom))
}

// cloudFrontPrefixList is the AWS-managed prefix list of CloudFront's
// origin-facing addresses.
const cloudFrontPrefixList = "com.amazonaws.global.cloudfront.origin-facing"

// admitVpcOrigin lets CloudFront reach the internal load balancer on port
// 80, and nothing else: the security group admits CloudFront's
// origin-facing prefix list, not the VPC (a task of the VPC must not reach
// the app around the distribution). The list's ID differs per region and
// cannot be known offline, so a deploy-time lookup
// (DescribeManagedPrefixLists) resolves it. The list weighs about 55 of the
// security group's 60 inbound rules.
func admitVpcOrigin(scope constructs.Construct, sg awsec2.SecurityGroup) customresources.AwsCustomResource {
	call := &customresources.AwsSdkCall{
		Service:            jsii.String("EC2"),
		Action:             jsii.String("describeManagedPrefixLists"),
		Parameters:         map[string]any{"Filters": []map[string]any{{"Name": "prefix-list-name", "Values": []string{cloudFrontPrefixList}}}},
		PhysicalResourceId: customresources.PhysicalResourceId_Of(jsii.String(cloudFrontPrefixList)),
		OutputPaths:        jsii.Strings("PrefixLists.0.PrefixListId"),
	}
	lookup := customresources.NewAwsCustomResource(scope, jsii.String("CloudFrontPrefixList"), &customresources.AwsCustomResourceProps{
		OnCreate: call,
		OnUpdate: call,
		// DescribeManagedPrefixLists has no resource-level permissions.
		Policy:              customresources.AwsCustomResourcePolicy_FromSdkCalls(&customresources.SdkCallsPolicyOptions{Resources: customresources.AwsCustomResourcePolicy_ANY_RESOURCE()}),
		InstallLatestAwsSdk: jsii.Bool(false),
	})
	sg.AddIngressRule(awsec2.Peer_PrefixList(lookup.GetResponseField(jsii.String("PrefixLists.0.PrefixListId"))), awsec2.Port_Tcp(jsii.Number(80)),
		jsii.String("HTTP from CloudFront (origin-facing prefix list)"), nil)
	return lookup
}
