package djangocdk

import (
	"github.com/aws/aws-cdk-go/awscdk/v2/awscertificatemanager"
	"github.com/aws/aws-cdk-go/awscdk/v2/awscloudfront"
	"github.com/aws/aws-cdk-go/awscdk/v2/awselasticloadbalancingv2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsroute53"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsroute53targets"
	"github.com/aws/constructs-go/constructs/v10"
	"github.com/aws/jsii-runtime-go"
)

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
	props DomainProps
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

// NewDomain uses props.Certificate or creates a certificate for props.Name,
// validated through records in props.HostedZone, in the stack's region.
func NewDomain(scope constructs.Construct, id string, props *DomainProps) Domain {
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
