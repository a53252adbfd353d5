package djangocdk

import (
	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsec2"
	elbv2 "github.com/aws/aws-cdk-go/awscdk/v2/awselasticloadbalancingv2"
	"github.com/aws/jsii-runtime-go"
)

// buildLoadBalancer creates the internet-facing ALB, the web target group
// and the listeners: HTTP forwarding without a domain; HTTPS (TLS 1.2+) plus
// an HTTP->HTTPS redirect and an alias record with one.
func (d *djangoEcs) buildLoadBalancer() {
	p := d.props
	prod := p.Profile == ProfileProduction
	vpc := d.network.Vpc()
	d.albSG = awsec2.NewSecurityGroup(d, jsii.String("LoadBalancerSecurityGroup"), &awsec2.SecurityGroupProps{
		Vpc:              vpc,
		Description:      jsii.String("Public load balancer of the Django site"),
		AllowAllOutbound: jsii.Bool(false),
	})
	d.lb = elbv2.NewApplicationLoadBalancer(d, jsii.String("LoadBalancer"), &elbv2.ApplicationLoadBalancerProps{
		Vpc:                     vpc,
		InternetFacing:          jsii.Bool(true),
		VpcSubnets:              d.network.PublicSubnets(),
		SecurityGroup:           d.albSG,
		DropInvalidHeaderFields: jsii.Bool(true),
		DeletionProtection:      jsii.Bool(prod),
	})
	d.lb.LogAccessLogs(d.storage.LogsBucket(), jsii.String("alb"))
	d.targetGroup = elbv2.NewApplicationTargetGroup(d, jsii.String("WebTargetGroup"), &elbv2.ApplicationTargetGroupProps{
		Vpc:        vpc,
		Port:       jsii.Number(p.Web.Port),
		Protocol:   elbv2.ApplicationProtocol_HTTP,
		TargetType: elbv2.TargetType_IP,
		HealthCheck: &elbv2.HealthCheck{
			Path:                    jsii.String(p.Web.HealthCheckPath),
			HealthyHttpCodes:        jsii.String("200"),
			Interval:                awscdk.Duration_Seconds(jsii.Number(15)),
			Timeout:                 awscdk.Duration_Seconds(jsii.Number(5)),
			HealthyThresholdCount:   jsii.Number(2),
			UnhealthyThresholdCount: jsii.Number(3),
		},
		DeregistrationDelay: awscdk.Duration_Seconds(jsii.Number(30)),
	})
	if d.domain == nil {
		d.lb.AddListener(jsii.String("Http"), &elbv2.BaseApplicationListenerProps{
			Port:                jsii.Number(80),
			Protocol:            elbv2.ApplicationProtocol_HTTP,
			Open:                jsii.Bool(true),
			DefaultTargetGroups: &[]elbv2.IApplicationTargetGroup{d.targetGroup},
		})
		d.url = awscdk.Fn_Join(jsii.String(""), &[]*string{jsii.String("http://"), d.lb.LoadBalancerDnsName()})
		return
	}
	d.lb.AddListener(jsii.String("Https"), &elbv2.BaseApplicationListenerProps{
		Port:                jsii.Number(443),
		Protocol:            elbv2.ApplicationProtocol_HTTPS,
		Open:                jsii.Bool(true),
		Certificates:        &[]elbv2.IListenerCertificate{elbv2.ListenerCertificate_FromCertificateManager(d.domain.Certificate())},
		SslPolicy:           elbv2.SslPolicy_RECOMMENDED_TLS,
		DefaultTargetGroups: &[]elbv2.IApplicationTargetGroup{d.targetGroup},
	})
	d.lb.AddListener(jsii.String("HttpRedirect"), &elbv2.BaseApplicationListenerProps{
		Port:     jsii.Number(80),
		Protocol: elbv2.ApplicationProtocol_HTTP,
		Open:     jsii.Bool(true),
		DefaultAction: elbv2.ListenerAction_Redirect(&elbv2.RedirectOptions{
			Protocol:  jsii.String("HTTPS"),
			Port:      jsii.String("443"),
			Permanent: jsii.Bool(true),
		}),
	})
	d.domain.AliasTo(d.lb)
	d.url = jsii.String("https://" + p.Domain.Name)
}
