package preflight

import (
	"net"
	"strings"
	"testing"
	"time"

	"github.com/djangocdk/djangocdk"
)

func TestStandIns(t *testing.T) {
	lb := map[string]any{"Fn::GetAtt": []any{"LoadBalancer", "DNSName"}}
	c := webContainer()
	c.Environment[djangocdk.EnvAllowedHosts] = lb
	c.Environment[djangocdk.EnvCsrfTrustedOrigins] = join("https://", lb)
	c.Environment["SITE_URL"] = join("https://", lb, "/")                   // ${url}/ in the config
	c.Environment["PARTNER_QUEUE"] = map[string]any{"Ref": "SomethingElse"} // not derivable
	c.Environment["FEATURE_FLAGS"] = "a,b"                                  // literal of the project's own
	c.Secrets = append(c.Secrets, "SENTRY_DSN")                             // secret of the project's own
	env, err := StandIns(c, "https://shop.example.com")
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]string{
		djangocdk.EnvSettingsModule:      "mysite.settings", // literals kept
		djangocdk.EnvDebug:               "false",
		"FEATURE_FLAGS":                  "a,b",
		djangocdk.EnvAllowedHosts:        "shop.example.com", // from site
		djangocdk.EnvCsrfTrustedOrigins:  "https://shop.example.com",
		"SITE_URL":                       "https://shop.example.com/", // resolved with the same stand-in
		djangocdk.EnvStorageBucket:       "preflight-bucket",
		djangocdk.EnvStorageCustomDomain: "dpreflight.cloudfront.net",
		djangocdk.EnvDatabaseHost:        "127.0.0.1",
		"PARTNER_QUEUE":                  StandInPrefix + "PARTNER_QUEUE",
		"SENTRY_DSN":                     StandInPrefix + "SENTRY_DSN",
	}
	for k, v := range want {
		if env[k] != v {
			t.Errorf("%s = %q, want %q", k, env[k], v)
		}
	}
	if key := env[djangocdk.EnvSecretKey]; len(key) < 50 {
		t.Errorf("secret key too short: %q", key)
	}
	if pw := env[djangocdk.EnvDatabasePassword]; !strings.ContainsAny(pw, "@") || !strings.Contains(pw, ":") || !strings.Contains(pw, "/") {
		t.Errorf("password %q lacks @ : /", pw)
	}
	port := env[djangocdk.EnvDatabasePort]
	if conn, err := net.DialTimeout("tcp", "127.0.0.1:"+port, time.Second); err == nil {
		conn.Close()
		t.Errorf("database port %s is open", port)
	}
	if env[djangocdk.EnvRedisURL] != "rediss://127.0.0.1:"+port || env[djangocdk.EnvCeleryBrokerURL] != "rediss://127.0.0.1:"+port+"/1" {
		t.Errorf("cache URLs: %q %q", env[djangocdk.EnvRedisURL], env[djangocdk.EnvCeleryBrokerURL])
	}
	if len(env[djangocdk.EnvRedisAuthToken]) < 16 {
		t.Errorf("auth token: %q", env[djangocdk.EnvRedisAuthToken])
	}
}

func TestStandInsSiteWithoutScheme(t *testing.T) {
	c := webContainer()
	lb := map[string]any{"Fn::GetAtt": []any{"LoadBalancer", "DNSName"}}
	c.Environment[djangocdk.EnvAllowedHosts] = lb
	c.Environment[djangocdk.EnvCsrfTrustedOrigins] = join("http://", lb)
	c.Environment[djangocdk.EnvHTTPS] = "false"
	c.Environment[djangocdk.EnvForwardedProtoHeader] = "X-Forwarded-Proto" // the alb-http-insecure edge
	env, err := StandIns(c, "")
	if err != nil {
		t.Fatal(err)
	}
	host := env[djangocdk.EnvAllowedHosts]
	if !strings.HasSuffix(host, ".us-east-1.elb.amazonaws.com") || env[djangocdk.EnvCsrfTrustedOrigins] != "http://"+host {
		t.Errorf("placeholder site: %q %q", host, env[djangocdk.EnvCsrfTrustedOrigins])
	}
}

func TestStandInsCloudFrontSite(t *testing.T) {
	c := webContainer()
	dist := map[string]any{"Fn::GetAtt": []any{"EdgeDistribution", "DomainName"}}
	c.Environment[djangocdk.EnvAllowedHosts] = dist
	c.Environment[djangocdk.EnvCsrfTrustedOrigins] = join("https://", dist)
	c.Environment[djangocdk.EnvStorageCustomDomain] = dist
	env, err := StandIns(c, "")
	if err != nil {
		t.Fatal(err)
	}
	host := env[djangocdk.EnvAllowedHosts]
	if !strings.HasSuffix(host, ".cloudfront.net") || env[djangocdk.EnvCsrfTrustedOrigins] != "https://"+host || env[djangocdk.EnvStorageCustomDomain] != host {
		t.Errorf("the CloudFront edge's site: %q %q %q", host, env[djangocdk.EnvCsrfTrustedOrigins], env[djangocdk.EnvStorageCustomDomain])
	}
}

func TestStandInsUnknownContractValue(t *testing.T) {
	c := webContainer()
	c.Environment[djangocdk.EnvSettingsModule] = map[string]any{"Ref": "SettingsParameter"}
	c.Secrets = append(c.Secrets, djangocdk.EnvDebug)
	_, err := StandIns(c, "https://example.com")
	if err == nil {
		t.Fatal("want an error for contract variables without a stand-in")
	}
	for _, name := range []string{djangocdk.EnvSettingsModule, djangocdk.EnvDebug} {
		if !strings.Contains(err.Error(), name+": ") {
			t.Errorf("error does not name %s: %v", name, err)
		}
	}
}

func TestStandInsFollowContract(t *testing.T) {
	contract := contractNames()
	for name := range standIns {
		if !contract[name] {
			t.Errorf("stand-in for %s, which is not in djangocdk.Contract", name)
		}
	}
	// Every secret of the contract has a stand-in: ECS injects them, so the
	// template never holds a literal.
	for _, v := range djangocdk.Contract {
		if _, ok := standIns[v.Name]; v.Source == djangocdk.SourceSecret && !ok {
			t.Errorf("no stand-in for the contract secret %s", v.Name)
		}
	}
}

func TestReportPrint(t *testing.T) {
	r := &Report{
		Problems: []Finding{{Step: StepImport, Message: "the project reads SENTRY_DSN", Hint: "set it", Variable: "SENTRY_DSN", File: "mysite/settings.py", Line: 12}},
		Warnings: []Finding{{Step: StepCheck, ID: "security.W005", Message: "HSTS without subdomains"}},
		Notes:    []string{"stand-in used for X"},
	}
	r.refine(false)
	var b strings.Builder
	r.Print(&b)
	want := `problem: import: mysite/settings.py:12: the project reads SENTRY_DSN
    hint: set it
warning: check: security.W005: HSTS without subdomains
note: stand-in used for X
preflight: 1 problem, 1 warning: fix the problems before deploying
`
	if b.String() != want {
		t.Errorf("got:\n%s\nwant:\n%s", b.String(), want)
	}
}
