package edge

import (
	"testing"

	"github.com/aws/jsii-runtime-go"
)

// TestSiteOf: how Django sees the site per edge. Behind CloudFront the
// load balancer only sees CloudFront's plain-HTTP hop, so the scheme must
// come from CloudFront's header (issue 10's redirect loop otherwise).
func TestSiteOf(t *testing.T) {
	dist, lb := jsii.String("d1.cloudfront.net"), jsii.String("lb-1.elb.amazonaws.com")
	if s := SiteOf(EdgeCloudFront, dist, lb, ""); !s.HTTPS || s.ForwardedProtoHeader != ForwardedProtoCloudFront || *s.Host != "d1.cloudfront.net" {
		t.Errorf("cloudfront: %+v", s)
	}
	if s := SiteOf(EdgeALBHTTPS, dist, lb, "app.example.com"); !s.HTTPS || s.ForwardedProtoHeader != ForwardedProtoALB || *s.URL != "https://app.example.com" {
		t.Errorf("alb-https: %+v", s)
	}
	if s := SiteOf(EdgeALBHTTPInsecure, dist, lb, ""); s.HTTPS || *s.Host != "lb-1.elb.amazonaws.com" {
		t.Errorf("alb-http-insecure: %+v", s)
	}
}
