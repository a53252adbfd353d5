// Package edge is the HTTPS edge building block: one CloudFront
// distribution in front of the site (an internal load balancer through a
// VPC origin, static/ and media/ from the bucket), or in front of the files
// only.
package edge

import (
	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awscloudfront"
	"github.com/aws/aws-cdk-go/awscdk/v2/awscloudfrontorigins"
	elbv2 "github.com/aws/aws-cdk-go/awscdk/v2/awselasticloadbalancingv2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awss3"
	"github.com/aws/constructs-go/constructs/v10"
	"github.com/aws/jsii-runtime-go"
	"github.com/djangocdk/djangocdk/blocks/domain"
)

// Edge is the HTTPS edge building block: one CloudFront distribution in
// front of the site. With an app origin, its default behaviour forwards
// everything, uncached, to an internal load balancer through a VPC origin,
// and static/* and media/* come from the bucket (one origin for the
// browser: no CORS). Without one it serves only the bucket's files.
type Edge interface {
	constructs.Construct
	// Distribution is the CloudFront distribution.
	Distribution() awscloudfront.Distribution
	// Host is the name visitors use: the custom domain, else the
	// distribution's *.cloudfront.net name.
	Host() *string
}

// Options configures New.
type Options struct {
	// App is the load balancer of the app, reached through a VPC origin on
	// port 80 (it must be internal). Default: none (files only).
	App elbv2.IApplicationLoadBalancer
	// Bucket holds static/ and media/. Required.
	Bucket awss3.IBucket
	// StaticFiles serves static/* from Bucket. Set it unless the project
	// serves its own static files. Ignored without App (everything is files).
	StaticFiles bool
	// LogsBucket receives the access logs under cloudfront/. Required.
	LogsBucket awss3.IBucket
	// PriceClass of the distribution. Default "PriceClass_100".
	PriceClass string
	// Domain gives the distribution a custom name; its certificate must be
	// in us-east-1. Default: none.
	Domain domain.Domain
	// FilesCorsOrigin, for an edge without App, is the site origin allowed
	// to read the files from scripts and stylesheets (fonts). Default: none.
	FilesCorsOrigin *string
}

type edge struct {
	constructs.Construct
	dist awscloudfront.Distribution
	host *string
}

func (e *edge) Distribution() awscloudfront.Distribution { return e.dist }
func (e *edge) Host() *string                            { return e.host }

// The paths of the bucket the app's storages write to (see the helper).
const (
	staticPathPattern = "static/*"
	mediaPathPattern  = "media/*"
)

// New creates the distribution.
func New(scope constructs.Construct, id string, o *Options) Edge {
	e := &edge{}
	constructs.NewConstruct_Override(e, scope, jsii.String(id))
	priceClass, ok := PriceClasses[o.PriceClass]
	if !ok {
		priceClass = awscloudfront.PriceClass_PRICE_CLASS_100
	}
	files := awscloudfrontorigins.S3BucketOrigin_WithOriginAccessControl(o.Bucket, nil)
	fileBehaviour := func(headers awscloudfront.IResponseHeadersPolicy) *awscloudfront.BehaviorOptions {
		return &awscloudfront.BehaviorOptions{
			Origin:                files,
			ViewerProtocolPolicy:  awscloudfront.ViewerProtocolPolicy_REDIRECT_TO_HTTPS,
			AllowedMethods:        awscloudfront.AllowedMethods_ALLOW_GET_HEAD_OPTIONS(),
			CachePolicy:           awscloudfront.CachePolicy_CACHING_OPTIMIZED(),
			ResponseHeadersPolicy: headers,
			Compress:              jsii.Bool(true),
		}
	}
	props := &awscloudfront.DistributionProps{
		PriceClass:    priceClass,
		HttpVersion:   awscloudfront.HttpVersion_HTTP2_AND_3,
		EnableLogging: jsii.Bool(true),
		LogBucket:     o.LogsBucket,
		LogFilePrefix: jsii.String("cloudfront/"),
	}
	if o.App == nil {
		props.Comment = jsii.String("Django static and media files")
		var headers awscloudfront.IResponseHeadersPolicy = awscloudfront.ResponseHeadersPolicy_SECURITY_HEADERS()
		if o.FilesCorsOrigin != nil {
			headers = filesCorsPolicy(e, o.FilesCorsOrigin)
		}
		props.DefaultBehavior = fileBehaviour(headers)
	} else {
		props.Comment = jsii.String("Django site: app through a VPC origin, static and media files from S3")
		props.DefaultBehavior = &awscloudfront.BehaviorOptions{
			Origin: awscloudfrontorigins.VpcOrigin_WithApplicationLoadBalancer(o.App, &awscloudfrontorigins.VpcOriginWithEndpointProps{
				HttpPort:       jsii.Number(80),
				ProtocolPolicy: awscloudfront.OriginProtocolPolicy_HTTP_ONLY,
			}),
			ViewerProtocolPolicy: awscloudfront.ViewerProtocolPolicy_REDIRECT_TO_HTTPS,
			AllowedMethods:       awscloudfront.AllowedMethods_ALLOW_ALL(),
			// Pages are per user: nothing is cached, and every header
			// (Host, cookies, CloudFront-Forwarded-Proto), query string and
			// cookie reaches Django.
			CachePolicy:         awscloudfront.CachePolicy_CACHING_DISABLED(),
			OriginRequestPolicy: awscloudfront.OriginRequestPolicy_ALL_VIEWER_AND_CLOUDFRONT_2022(),
			Compress:            jsii.Bool(true),
		}
		behaviours := map[string]*awscloudfront.BehaviorOptions{
			mediaPathPattern: fileBehaviour(mediaHeadersPolicy(e)),
		}
		if o.StaticFiles {
			behaviours[staticPathPattern] = fileBehaviour(awscloudfront.ResponseHeadersPolicy_SECURITY_HEADERS())
		}
		props.AdditionalBehaviors = &behaviours
	}
	if o.Domain != nil {
		props.DomainNames = jsii.Strings(o.Domain.Name())
		props.Certificate = o.Domain.Certificate()
		props.MinimumProtocolVersion = awscloudfront.SecurityPolicyProtocol_TLS_V1_2_2021
	}
	e.dist = awscloudfront.NewDistribution(e, jsii.String("Distribution"), props)
	e.host = e.dist.DistributionDomainName()
	if o.Domain != nil {
		o.Domain.AliasToDistribution(e.dist)
		e.host = jsii.String(o.Domain.Name())
	}
	return e
}

// mediaHeadersPolicy answers uploads with a sandboxing Content-Security-Policy:
// a user-uploaded HTML or SVG file served from the site's own origin must
// not run scripts with the site's cookies.
func mediaHeadersPolicy(scope constructs.Construct) awscloudfront.IResponseHeadersPolicy {
	return awscloudfront.NewResponseHeadersPolicy(scope, jsii.String("MediaHeaders"), &awscloudfront.ResponseHeadersPolicyProps{
		Comment: jsii.String("Uploaded files: sandboxed, never sniffed"),
		SecurityHeadersBehavior: &awscloudfront.ResponseSecurityHeadersBehavior{
			ContentSecurityPolicy: &awscloudfront.ResponseHeadersContentSecurityPolicy{
				ContentSecurityPolicy: jsii.String("default-src 'none'; style-src 'unsafe-inline'; sandbox"),
				Override:              jsii.Bool(true),
			},
			ContentTypeOptions: &awscloudfront.ResponseHeadersContentTypeOptions{Override: jsii.Bool(true)},
			StrictTransportSecurity: &awscloudfront.ResponseHeadersStrictTransportSecurity{
				AccessControlMaxAge: awscdk.Duration_Days(jsii.Number(365)), IncludeSubdomains: jsii.Bool(false), Override: jsii.Bool(false),
			},
			ReferrerPolicy: &awscloudfront.ResponseHeadersReferrerPolicy{
				ReferrerPolicy: awscloudfront.HeadersReferrerPolicy_STRICT_ORIGIN_WHEN_CROSS_ORIGIN, Override: jsii.Bool(false),
			},
		},
	})
}

// filesCorsPolicy lets the site's own origin (only) read the files from
// scripts and stylesheets, e.g. web fonts, when they are on another domain.
func filesCorsPolicy(scope constructs.Construct, origin *string) awscloudfront.IResponseHeadersPolicy {
	return awscloudfront.NewResponseHeadersPolicy(scope, jsii.String("FilesHeaders"), &awscloudfront.ResponseHeadersPolicyProps{
		Comment: jsii.String("Static and media files: CORS for the site's origin only"),
		CorsBehavior: &awscloudfront.ResponseHeadersCorsBehavior{
			AccessControlAllowCredentials: jsii.Bool(false),
			AccessControlAllowHeaders:     jsii.Strings("*"),
			AccessControlAllowMethods:     jsii.Strings("GET", "HEAD", "OPTIONS"),
			AccessControlAllowOrigins:     &[]*string{origin},
			OriginOverride:                jsii.Bool(true),
		},
		SecurityHeadersBehavior: &awscloudfront.ResponseSecurityHeadersBehavior{
			ContentTypeOptions: &awscloudfront.ResponseHeadersContentTypeOptions{Override: jsii.Bool(true)},
		},
	})
}

// EdgeKind selects how visitors reach the site.
type EdgeKind string

// Edges.
const (
	// EdgeCloudFront serves the site over HTTPS from a CloudFront
	// distribution; the load balancer is internal (a VPC origin) and has no
	// public listener (default).
	EdgeCloudFront EdgeKind = "cloudfront"
	// EdgeALBHTTPS serves the site from an internet-facing load balancer
	// with the domain's regional certificate (needs a domain); static and
	// media files come from their own CloudFront distribution.
	EdgeALBHTTPS EdgeKind = "alb-https"
	// EdgeALBHTTPInsecure serves the site over plain HTTP from an
	// internet-facing load balancer: session cookies and passwords cross the
	// internet in clear. An explicit opt-out for throwaway environments;
	// refused with the production profile.
	EdgeALBHTTPInsecure EdgeKind = "alb-http-insecure"
)

// PriceClasses maps the CloudFront price class names to CDK's enum.
var PriceClasses = map[string]awscloudfront.PriceClass{
	"PriceClass_100": awscloudfront.PriceClass_PRICE_CLASS_100,
	"PriceClass_200": awscloudfront.PriceClass_PRICE_CLASS_200,
	"PriceClass_All": awscloudfront.PriceClass_PRICE_CLASS_ALL,
}
