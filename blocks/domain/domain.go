// Package domain is the domain building block: the certificate of a name in
// a Route 53 hosted zone (given, or created and DNS-validated) and the alias
// records that point the name at the site.
package domain

import (
	"fmt"
	"regexp"

	"github.com/aws/aws-cdk-go/awscdk/v2/awscertificatemanager"
	"github.com/aws/aws-cdk-go/awscdk/v2/awscloudfront"
	"github.com/aws/aws-cdk-go/awscdk/v2/awselasticloadbalancingv2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsroute53"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsroute53targets"
	"github.com/aws/constructs-go/constructs/v10"
	"github.com/aws/jsii-runtime-go"
)

var hostname = regexp.MustCompile(`^([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$`)

// Domain is the domain building block: the certificate of a name in a
// Route 53 hosted zone (given, or created and DNS-validated) and the alias
// records pointing at the site.
type Domain interface {
	constructs.Construct
	// Name is the fully qualified domain name.
	Name() string
	// Certificate is the certificate for Name.
	Certificate() awscertificatemanager.ICertificate
	// AliasTo creates the A record of Name pointing at a load balancer.
	AliasTo(lb awselasticloadbalancingv2.ILoadBalancerV2) awsroute53.ARecord
	// AliasToDistribution creates the A and AAAA records of Name pointing at
	// a CloudFront distribution.
	AliasToDistribution(dist awscloudfront.IDistribution)
}

type domain struct {
	constructs.Construct
	props Props
	cert  awscertificatemanager.ICertificate
}

func (d *domain) Name() string                                    { return d.props.Name }
func (d *domain) Certificate() awscertificatemanager.ICertificate { return d.cert }

func (d *domain) AliasTo(lb awselasticloadbalancingv2.ILoadBalancerV2) awsroute53.ARecord {
	return awsroute53.NewARecord(d, jsii.String("AliasRecord"), &awsroute53.ARecordProps{
		Zone:       d.props.HostedZone,
		RecordName: jsii.String(d.props.Name),
		Target:     awsroute53.RecordTarget_FromAlias(awsroute53targets.NewLoadBalancerTarget(lb, nil)),
	})
}

func (d *domain) AliasToDistribution(dist awscloudfront.IDistribution) {
	target := awsroute53.RecordTarget_FromAlias(awsroute53targets.NewCloudFrontTarget(dist))
	awsroute53.NewARecord(d, jsii.String("AliasRecord"), &awsroute53.ARecordProps{
		Zone: d.props.HostedZone, RecordName: jsii.String(d.props.Name), Target: target,
	})
	awsroute53.NewAaaaRecord(d, jsii.String("AliasRecordIpv6"), &awsroute53.AaaaRecordProps{
		Zone: d.props.HostedZone, RecordName: jsii.String(d.props.Name), Target: target,
	})
}

// New uses props.Certificate or creates a certificate for props.Name,
// validated through records in props.HostedZone, in the stack's region.
func New(scope constructs.Construct, id string, props *Props) Domain {
	d := &domain{props: *props, cert: props.Certificate}
	constructs.NewConstruct_Override(d, scope, jsii.String(id))
	if d.cert == nil {
		d.cert = awscertificatemanager.NewCertificate(d, jsii.String("Certificate"), &awscertificatemanager.CertificateProps{
			DomainName: jsii.String(props.Name),
			Validation: awscertificatemanager.CertificateValidation_FromDns(props.HostedZone),
		})
	}
	return d
}

// Props serves the site on a custom domain.
type Props struct {
	// Name is the fully qualified domain name, e.g. "app.example.com". Required.
	Name string
	// HostedZone is the Route 53 zone that holds Name. Required.
	HostedZone awsroute53.IHostedZone
	// Certificate for Name. With the CloudFront edge it must be in us-east-1
	// (CloudFront reads certificates only there). Default: a DNS-validated
	// certificate created in the stack, which must then be in us-east-1 for
	// the CloudFront edge (the CLI creates it in a us-east-1 stack of its
	// own otherwise).
	Certificate awscertificatemanager.ICertificate
}

// Validate reports every invalid field of the domain props, each under field.
func (d Props) Validate(field string) []string {
	var errs []string
	if !hostname.MatchString(d.Name) {
		errs = append(errs, fmt.Sprintf("%s.Name: %q is not a lower-case fully qualified domain name; e.g. \"app.example.com\"", field, d.Name))
	}
	if d.HostedZone == nil {
		errs = append(errs, fmt.Sprintf("%s.HostedZone: required when Domain is set (the Route 53 zone that holds %q; it validates the certificate and gets the alias record)", field, d.Name))
	}
	return errs
}
