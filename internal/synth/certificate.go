package synth

import (
	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awscertificatemanager"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsroute53"
	"github.com/aws/jsii-runtime-go"
	"github.com/djangocdk/djangocdk"
	"github.com/djangocdk/djangocdk/internal/config"
)

// CertificateRegion is where CloudFront reads certificates from.
const CertificateRegion = "us-east-1"

// CertificateStackName is the stack that holds the domain's certificate when
// the CloudFront edge serves a domain from a region other than us-east-1.
func CertificateStackName(app, env string) string {
	return camel(app) + camel(env) + "Certificate"
}

// NeedsCertificateStack reports whether the domain's certificate must live
// in a us-east-1 stack of its own: CloudFront serves the domain and the app
// is deployed elsewhere.
func NeedsCertificateStack(cfg *config.Config) bool {
	edge := djangocdk.EdgeKind(cfg.Edge)
	return cfg.Domain.Name != "" && cfg.Region != CertificateRegion && (edge == "" || edge == djangocdk.EdgeCloudFront)
}

// certificateStack creates the us-east-1 stack with the domain's
// DNS-validated certificate; the data stack reads its ARN through CDK's
// cross-region references (an SSM parameter written in the data stack's
// region), so the distribution can use it.
func certificateStack(app awscdk.App, cfg *config.Config, env, label string) awscertificatemanager.ICertificate {
	stackEnv := &awscdk.Environment{Region: jsii.String(CertificateRegion)}
	if cfg.Account != "" {
		stackEnv.Account = jsii.String(cfg.Account)
	}
	stack := awscdk.NewStack(app, jsii.String(CertificateStackName(cfg.App, env)), &awscdk.StackProps{
		Env:                   stackEnv,
		Description:           jsii.String(label + ": certificate of " + cfg.Domain.Name + " for CloudFront (which reads certificates only in us-east-1)"),
		CrossRegionReferences: jsii.Bool(true),
	})
	zone := awsroute53.HostedZone_FromHostedZoneAttributes(stack, jsii.String("HostedZone"), &awsroute53.HostedZoneAttributes{
		HostedZoneId: jsii.String(cfg.Domain.HostedZoneID),
		ZoneName:     jsii.String(cfg.Domain.HostedZoneName),
	})
	return awscertificatemanager.NewCertificate(stack, jsii.String("Certificate"), &awscertificatemanager.CertificateProps{
		DomainName: jsii.String(cfg.Domain.Name),
		Validation: awscertificatemanager.CertificateValidation_FromDns(zone),
	})
}
