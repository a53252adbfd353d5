package djangocdk

import (
	"github.com/aws/aws-cdk-go/awscdk/v2/awscertificatemanager"
	"github.com/aws/aws-cdk-go/awscdk/v2/awselasticloadbalancingv2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsroute53"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsroute53targets"
	"github.com/aws/constructs-go/constructs/v10"
	"github.com/aws/jsii-runtime-go"
)

// Domain is the domain building block: a DNS-validated ACM certificate for
// a name in a Route 53 hosted zone, and alias records pointing at the site.
type Domain interface {
	constructs.Construct
	// Name is the fully qualified domain name.
	Name() string
	// Certificate is the DNS-validated certificate for Name.
	Certificate() awscertificatemanager.Certificate
	// AliasTo creates the A record of Name pointing at a load balancer.
	AliasTo(lb awselasticloadbalancingv2.ILoadBalancerV2) awsroute53.ARecord
}

type domain struct {
	constructs.Construct
	props DomainProps
	cert  awscertificatemanager.Certificate
}

func (d *domain) Name() string                                   { return d.props.Name }
func (d *domain) Certificate() awscertificatemanager.Certificate { return d.cert }

func (d *domain) AliasTo(lb awselasticloadbalancingv2.ILoadBalancerV2) awsroute53.ARecord {
	return awsroute53.NewARecord(d, jsii.String("AliasRecord"), &awsroute53.ARecordProps{
		Zone:       d.props.HostedZone,
		RecordName: jsii.String(d.props.Name),
		Target:     awsroute53.RecordTarget_FromAlias(awsroute53targets.NewLoadBalancerTarget(lb, nil)),
	})
}

// NewDomain creates the certificate for props.Name, validated through
// records in props.HostedZone.
func NewDomain(scope constructs.Construct, id string, props *DomainProps) Domain {
	d := &domain{props: *props}
	constructs.NewConstruct_Override(d, scope, jsii.String(id))
	d.cert = awscertificatemanager.NewCertificate(d, jsii.String("Certificate"), &awscertificatemanager.CertificateProps{
		DomainName: jsii.String(props.Name),
		Validation: awscertificatemanager.CertificateValidation_FromDns(props.HostedZone),
	})
	return d
}
