package edge

import (
	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/jsii-runtime-go"
)

// Headers that carry the scheme the visitor used to Django
// (DJANGO_FORWARDED_PROTO_HEADER).
const (
	// ForwardedProtoCloudFront is set by CloudFront; the load balancer
	// behind it only sees CloudFront's plain-HTTP hop in X-Forwarded-Proto.
	ForwardedProtoCloudFront = "CloudFront-Forwarded-Proto"
	// ForwardedProtoALB is set by an internet-facing load balancer.
	ForwardedProtoALB = "X-Forwarded-Proto"
)

// Site is how visitors reach the site, as Django must know it: the host
// (ALLOWED_HOSTS), the origin (CSRF_TRUSTED_ORIGINS, the URL), whether it
// is HTTPS, and which header says so.
type Site struct {
	Host, URL            *string
	HTTPS                bool
	ForwardedProtoHeader string
}

// SiteOf says how visitors reach the site behind an edge kind: with the
// CloudFront edge, on the distribution's host (the domain when given) over
// HTTPS, the scheme in CloudFront's header; with a public load balancer, on
// the domain over HTTPS (alb-https) or on the load balancer's DNS name over
// plain HTTP (alb-http-insecure), the scheme in X-Forwarded-Proto.
func SiteOf(kind EdgeKind, distributionHost, loadBalancerDNS *string, domainName string) Site {
	origin := func(scheme string, host *string) *string {
		return awscdk.Fn_Join(jsii.String(""), &[]*string{jsii.String(scheme + "://"), host})
	}
	switch kind {
	case EdgeALBHTTPInsecure:
		return Site{Host: loadBalancerDNS, URL: origin("http", loadBalancerDNS), ForwardedProtoHeader: ForwardedProtoALB}
	case EdgeALBHTTPS:
		return Site{Host: jsii.String(domainName), URL: jsii.String("https://" + domainName), HTTPS: true, ForwardedProtoHeader: ForwardedProtoALB}
	default:
		return Site{Host: distributionHost, URL: origin("https", distributionHost), HTTPS: true, ForwardedProtoHeader: ForwardedProtoCloudFront}
	}
}
