package djangocdk_test

import (
	"strings"
	"testing"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awscertificatemanager"
	"github.com/aws/jsii-runtime-go"
	"github.com/djangocdk/djangocdk"
)

// Managed CloudFront policies (IDs are fixed by AWS).
const (
	cachingDisabled        = "4135ea2d-6df8-44a3-9df3-4b5a84be39ad"
	cachingOptimized       = "658327ea-f89d-4fab-a63d-7e88639e58f6"
	allViewerAndCloudFront = "33f36d7e-f396-46d9-90e0-52428a34d9dc"
	corsAllowAllOrigins    = "60669652-455b-4ae9-85a4-c4c02393f86c"
)

func distributionConfig(t *testing.T, tp template) map[string]any {
	t.Helper()
	return props(tp.one(t, "AWS::CloudFront::Distribution"))["DistributionConfig"].(map[string]any)
}

// behaviours returns the distribution's cache behaviours by path pattern
// ("" for the default behaviour).
func behaviours(t *testing.T, tp template) map[string]map[string]any {
	t.Helper()
	cfg := distributionConfig(t, tp)
	out := map[string]map[string]any{"": cfg["DefaultCacheBehavior"].(map[string]any)}
	for _, b := range asSlice(cfg["CacheBehaviors"]) {
		m := b.(map[string]any)
		out[m["PathPattern"].(string)] = m
	}
	return out
}

// TestEdgeHTTPSWithoutDomain: the default is HTTPS on the distribution's own
// name, the load balancer has no public side, and the browser sees one origin.
func TestEdgeHTTPSWithoutDomain(t *testing.T) {
	tp := synth(t, func(awscdk.Stack) *djangocdk.DjangoEcsProps { return baseProps() }).tpl

	t.Run("load balancer is internal, reachable only from inside the VPC", func(t *testing.T) {
		lb := props(tp.one(t, "AWS::ElasticLoadBalancingV2::LoadBalancer"))
		if lb["Scheme"] != "internal" || !strings.Contains(jsonOf(lb["Subnets"]), "App") || strings.Contains(jsonOf(lb["Subnets"]), "Public") {
			t.Errorf("want an internal load balancer in the app subnets: %v %s", lb["Scheme"], jsonOf(lb["Subnets"]))
		}
		for id, r := range tp.resources("AWS::EC2::SecurityGroupIngress") {
			if strings.Contains(jsonOf(props(r)), "0.0.0.0/0") {
				t.Errorf("ingress rule %s admits the internet: %s", id, jsonOf(props(r)))
			}
		}
		sg := props(tp.resources("AWS::EC2::SecurityGroup")[tp.logicalID(t, "AWS::EC2::SecurityGroup", "SiteInternalLoadBalancerSecurityGroup")])
		ingress := jsonOf(sg["SecurityGroupIngress"]) + jsonOf(tp.resources("AWS::EC2::SecurityGroupIngress"))
		if !strings.Contains(ingress, `"SourcePrefixListId":{"Fn::GetAtt":["SiteCloudFrontPrefixList`) || !strings.Contains(ingress, `"FromPort":80`) {
			t.Errorf("the load balancer admits CloudFront's origin-facing prefix list on 80, looked up at deploy: %s", ingress)
		}
		if strings.Contains(jsonOf(sg["SecurityGroupIngress"]), "CidrIp") {
			t.Errorf("no address range may reach the load balancer around the distribution, not even the VPC: %s", jsonOf(sg["SecurityGroupIngress"]))
		}
		lookup := jsonOf(tp.one(t, "Custom::AWS"))
		if !strings.Contains(lookup, "com.amazonaws.global.cloudfront.origin-facing") || !strings.Contains(lookup, "describeManagedPrefixLists") {
			t.Errorf("prefix-list lookup: %s", lookup)
		}
		for _, l := range tp.resources("AWS::ElasticLoadBalancingV2::Listener") {
			if p := props(l); p["Port"] != float64(80) || p["Protocol"] != "HTTP" {
				t.Errorf("only the VPC origin's HTTP listener may exist: %s", jsonOf(p))
			}
		}
	})

	t.Run("the distribution reaches it through a VPC origin and redirects to HTTPS", func(t *testing.T) {
		origin := props(tp.one(t, "AWS::CloudFront::VpcOrigin"))
		cfg := jsonOf(origin["VpcOriginEndpointConfig"])
		if !strings.Contains(cfg, `"Arn":{"Ref":"SiteInternalLoadBalancer`) || !strings.Contains(cfg, `"OriginProtocolPolicy":"http-only"`) || !strings.Contains(cfg, `"HTTPPort":80`) {
			t.Errorf("VPC origin: %s", cfg)
		}
		b := behaviours(t, tp)
		app := b[""]
		if app["ViewerProtocolPolicy"] != "redirect-to-https" || app["CachePolicyId"] != cachingDisabled || app["OriginRequestPolicyId"] != allViewerAndCloudFront {
			t.Errorf("app behaviour must redirect to HTTPS, cache nothing and forward every header, cookie and query string: %s", jsonOf(app))
		}
		for _, m := range []string{"POST", "PUT", "PATCH", "DELETE"} {
			if !strings.Contains(jsonOf(app["AllowedMethods"]), m) {
				t.Errorf("app behaviour must allow %s", m)
			}
		}
		origins := jsonOf(distributionConfig(t, tp)["Origins"])
		if !strings.Contains(origins, "VpcOriginConfig") {
			t.Errorf("the app origin must be the VPC origin: %s", origins)
		}
	})

	t.Run("static and media are behaviours of the same distribution, without CORS", func(t *testing.T) {
		b := behaviours(t, tp)
		for _, path := range []string{"static/*", "media/*"} {
			f, ok := b[path]
			if !ok {
				t.Fatalf("no %s behaviour: %v", path, jsonOf(b))
			}
			if f["CachePolicyId"] != cachingOptimized || f["ViewerProtocolPolicy"] != "redirect-to-https" || f["TargetOriginId"] == b[""]["TargetOriginId"] {
				t.Errorf("%s must be cached from the bucket over HTTPS: %s", path, jsonOf(f))
			}
		}
		if strings.Contains(jsonOf(tp["Resources"]), corsAllowAllOrigins) || strings.Contains(jsonOf(tp.resources("AWS::CloudFront::ResponseHeadersPolicy")), "CorsConfig") {
			t.Error("one origin for the browser: no CORS policy, least of all '*'")
		}
		media := jsonOf(tp.resources("AWS::CloudFront::ResponseHeadersPolicy"))
		if !strings.Contains(media, "sandbox") || !strings.Contains(media, `"ContentTypeOptions":{"Override":true}`) {
			t.Errorf("uploads are served from the site's origin: they must be sandboxed and never sniffed: %s", media)
		}
	})

	t.Run("Django gets HTTPS, the distribution's name and CloudFront's scheme header", func(t *testing.T) {
		web := tp.container(t, djangocdk.ProcessWeb)
		host := `{"Fn::GetAtt":["SiteEdgeDistribution`
		checks := map[string]func(string) bool{
			djangocdk.EnvHTTPS:                func(v string) bool { return v == "true" },
			djangocdk.EnvForwardedProtoHeader: func(v string) bool { return v == "CloudFront-Forwarded-Proto" },
			djangocdk.EnvAllowedHosts:         func(v string) bool { return strings.HasPrefix(v, host) && strings.Contains(v, "DomainName") },
			djangocdk.EnvCsrfTrustedOrigins: func(v string) bool {
				return strings.Contains(v, `"https://"`) && strings.Contains(v, "SiteEdgeDistribution")
			},
			djangocdk.EnvStorageCustomDomain: func(v string) bool { return strings.HasPrefix(v, host) },
		}
		for name, ok := range checks {
			if v, _ := envValue(web, name); !ok(v) {
				t.Errorf("%s = %s", name, v)
			}
		}
	})
}

// TestEdgeProjectStaticFiles: a project that serves its own static files
// (WhiteNoise) keeps static/ on the app; uploads still come from the bucket.
func TestEdgeProjectStaticFiles(t *testing.T) {
	tp := synth(t, func(awscdk.Stack) *djangocdk.DjangoEcsProps {
		p := baseProps()
		p.Storage.StaticStorage = djangocdk.StaticProject
		return p
	}).tpl
	b := behaviours(t, tp)
	if _, ok := b["static/*"]; ok {
		t.Error("static/* must reach the app when the project serves its static files")
	}
	if _, ok := b["media/*"]; !ok {
		t.Error("media/* must come from the bucket")
	}
}

// TestEdgePublicLoadBalancer covers the two explicit alternatives.
func TestEdgePublicLoadBalancer(t *testing.T) {
	t.Run("alb-https: regional certificate, redirect, files' CORS for the site only", func(t *testing.T) {
		tp := synth(t, func(stack awscdk.Stack) *djangocdk.DjangoEcsProps {
			p := baseProps()
			p.Edge = djangocdk.EdgeALBHTTPS
			p.Domain = &djangocdk.DomainProps{Name: "app.example.com", HostedZone: testZone(stack)}
			return p
		}).tpl
		if lb := props(tp.one(t, "AWS::ElasticLoadBalancingV2::LoadBalancer")); lb["Scheme"] != "internet-facing" {
			t.Errorf("scheme %v", lb["Scheme"])
		}
		var https, redirect bool
		for _, l := range tp.resources("AWS::ElasticLoadBalancingV2::Listener") {
			p := props(l)
			switch p["Port"] {
			case float64(443):
				https = p["SslPolicy"] == "ELBSecurityPolicy-TLS13-1-2-2021-06" && strings.Contains(jsonOf(p["DefaultActions"]), "forward")
			case float64(80):
				redirect = strings.Contains(jsonOf(p["DefaultActions"]), `"Protocol":"HTTPS"`) && strings.Contains(jsonOf(p["DefaultActions"]), `"StatusCode":"HTTP_301"`)
			}
		}
		if !https || !redirect {
			t.Errorf("want HTTPS listener with TLS 1.2+ policy (%v) and HTTP->HTTPS redirect (%v)", https, redirect)
		}
		rec := props(tp.one(t, "AWS::Route53::RecordSet"))
		if rec["Name"] != "app.example.com." || !strings.Contains(jsonOf(rec["AliasTarget"]), "SiteLoadBalancer") {
			t.Errorf("alias record to the load balancer: %s", jsonOf(rec))
		}
		cors := jsonOf(tp.resources("AWS::CloudFront::ResponseHeadersPolicy"))
		if !strings.Contains(cors, `"AccessControlAllowOrigins":{"Items":["https://app.example.com"]}`) {
			t.Errorf("files may be read cross-origin by the site only: %s", cors)
		}
		web := tp.container(t, djangocdk.ProcessWeb)
		if v, _ := envValue(web, djangocdk.EnvForwardedProtoHeader); v != "X-Forwarded-Proto" {
			t.Errorf("scheme header %q", v)
		}
		if v, _ := envValue(web, djangocdk.EnvHTTPS); v != "true" {
			t.Errorf("HTTPS %q", v)
		}
	})

	t.Run("alb-http-insecure: plain HTTP, only when asked by name", func(t *testing.T) {
		tp := synth(t, func(awscdk.Stack) *djangocdk.DjangoEcsProps {
			p := baseProps()
			p.Edge = djangocdk.EdgeALBHTTPInsecure
			return p
		}).tpl
		l := props(tp.one(t, "AWS::ElasticLoadBalancingV2::Listener"))
		if l["Port"] != float64(80) || !strings.Contains(jsonOf(l["DefaultActions"]), "forward") {
			t.Errorf("listener: %s", jsonOf(l))
		}
		open := false
		for _, r := range tp.resources("AWS::EC2::SecurityGroupIngress") {
			open = open || strings.Contains(jsonOf(props(r)), `"CidrIp":"0.0.0.0/0"`)
		}
		if !open {
			t.Error("the public listener must admit the internet")
		}
		if v, _ := envValue(tp.container(t, djangocdk.ProcessWeb), djangocdk.EnvHTTPS); v != "false" {
			t.Errorf("HTTPS %q", v)
		}
	})
}

// TestEdgeCertificateRegion: CloudFront reads certificates only from
// us-east-1; elsewhere the certificate must be given.
func TestEdgeCertificateRegion(t *testing.T) {
	build := func(withCert bool) func() {
		return func() {
			app := awscdk.NewApp(&awscdk.AppProps{Outdir: jsii.String(t.TempDir())})
			stack := awscdk.NewStack(app, jsii.String("Eu"), &awscdk.StackProps{Env: &awscdk.Environment{Region: jsii.String("eu-west-1")}})
			p := baseProps()
			p.Domain = &djangocdk.DomainProps{Name: "app.example.com", HostedZone: testZone(stack)}
			if withCert {
				p.Domain.Certificate = awscertificatemanager.Certificate_FromCertificateArn(stack, jsii.String("Cert"),
					jsii.String("arn:aws:acm:us-east-1:123456789012:certificate/0f0f0f0f-0000-4000-8000-000000000000"))
			}
			djangocdk.NewDjangoEcs(stack, "Site", p)
			app.Synth(nil)
		}
	}
	if msg := panicMessage(build(false)); !strings.Contains(msg, "Domain.Certificate is required") || !strings.Contains(msg, "us-east-1") {
		t.Errorf("want a clear error naming Domain.Certificate and us-east-1, got %q", msg)
	}
	if msg := panicMessage(build(true)); msg != "" {
		t.Errorf("a us-east-1 certificate must be accepted: %s", msg)
	}
}
