package appmodel

import (
	"testing"

	"github.com/aws/jsii-runtime-go"
	"github.com/djangocdk/djangocdk/contract"
)

// TestEnvironmentCoversTheContract: every variable the contract says is
// always set is set, each from the resource it names, for both brokers.
func TestEnvironmentCoversTheContract(t *testing.T) {
	app := &App{SettingsModule: "shop.settings", HealthCheckPath: "/healthz", StaticStorage: "s3-manifest", ConnectTimeout: 10,
		ExtraEnvironment: map[string]string{"SITE_URL": "${url}", "PRICE": "$$5"}}
	base := Resources{Host: jsii.String("d1.cloudfront.net"), URL: jsii.String("https://d1.cloudfront.net"), HTTPS: true,
		ForwardedProtoHeader: "CloudFront-Forwarded-Proto", Bucket: jsii.String("b"), AssetsHost: jsii.String("d1.cloudfront.net"), Region: jsii.String("eu-west-1")}
	for name, r := range map[string]Resources{
		"cache broker": func() Resources {
			r := base
			r.CacheURL, r.CacheBrokerURL = jsii.String("rediss://c:6379"), jsii.String("rediss://c:6379/1")
			return r
		}(),
		"sqs broker": func() Resources {
			r := base
			r.QueueName, r.QueueURL = jsii.String("q"), jsii.String("https://sqs/q")
			return r
		}(),
	} {
		env, secrets := app.Environment(r)
		for _, v := range contract.Contract {
			_, plain := env[v.Name]
			_, secret := secrets[v.Name]
			if v.When == "always" && !plain && !secret {
				t.Errorf("%s: %s is always set by the contract, but missing", name, v.Name)
			}
			if plain && v.Source == contract.SourceSecret || secret && v.Source == contract.SourcePlain {
				t.Errorf("%s: %s reaches the container the wrong way (contract says %s)", name, v.Name, v.Source)
			}
		}
		if *env[contract.EnvHTTPS] != "true" || *env[contract.EnvForwardedProtoHeader] != "CloudFront-Forwarded-Proto" {
			t.Errorf("%s: HTTPS facts not passed through", name)
		}
		if *env["SITE_URL"] != "https://d1.cloudfront.net" || *env["PRICE"] != "$5" {
			t.Errorf("%s: placeholders: SITE_URL=%s PRICE=%s", name, *env["SITE_URL"], *env["PRICE"])
		}
		if secrets[contract.EnvDatabasePassword].Field != "password" {
			t.Errorf("%s: the password comes from the database secret's password field", name)
		}
	}
}

func TestProjectAndDefaultCommands(t *testing.T) {
	if p := Project("mysite.settings.production"); p != "mysite" {
		t.Errorf("Project = %q", p)
	}
	if c := DefaultWebCommand("mysite", 8000); c[1] != "mysite.wsgi:application" || c[3] != "0.0.0.0:8000" {
		t.Errorf("web command %q", c)
	}
}
