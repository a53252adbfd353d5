package djangocdk_test

import (
	"slices"
	"strings"
	"testing"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsecs"
	"github.com/aws/aws-cdk-go/awscdk/v2/awssecretsmanager"
	"github.com/aws/jsii-runtime-go"
	"github.com/djangocdk/djangocdk"
)

// TestCustomizations checks that each documented knob reaches the template.
func TestCustomizations(t *testing.T) {
	cases := []struct {
		name   string
		mutate func(stack awscdk.Stack, p *djangocdk.DjangoEcsProps)
		check  func(t *testing.T, tp template)
	}{
		{"x86, custom command, port and health check", func(_ awscdk.Stack, p *djangocdk.DjangoEcsProps) {
			p.Architecture = djangocdk.ArchX86
			p.Web.Command = []string{"gunicorn", "mysite.asgi:application", "-k", "uvicorn.workers.UvicornWorker", "--bind", "0.0.0.0:9000"}
			p.Web.Port = 9000
			p.Web.HealthCheckPath = "/up/"
			p.Web.Size = djangocdk.TaskSize{CPU: 1024, MemoryMiB: 3072}
			p.Web.Scaling = djangocdk.Scaling{MinTasks: 3, MaxTasks: 7, CPUTargetPercent: 50, RequestsPerTarget: 200}
		}, func(t *testing.T, tp template) {
			web := tp.container(t, djangocdk.ProcessWeb)
			if !strings.Contains(jsonOf(web["Command"]), "uvicorn.workers.UvicornWorker") || !strings.Contains(jsonOf(web["PortMappings"]), `"ContainerPort":9000`) {
				t.Errorf("web container: %s %s", jsonOf(web["Command"]), jsonOf(web["PortMappings"]))
			}
			tg := props(tp.one(t, "AWS::ElasticLoadBalancingV2::TargetGroup"))
			if tg["HealthCheckPath"] != "/up/" || tg["Port"] != float64(9000) {
				t.Errorf("target group: %s", jsonOf(tg))
			}
			// The settings helper exempts this path from the HTTPS redirect.
			if v, _ := envValue(web, djangocdk.EnvHealthCheckPath); v != "/up/" {
				t.Errorf("%s = %s, want the configured health check path", djangocdk.EnvHealthCheckPath, v)
			}
			tds := jsonOf(tp.resources("AWS::ECS::TaskDefinition"))
			if !strings.Contains(tds, `"CpuArchitecture":"X86_64"`) || strings.Contains(tds, "ARM64") {
				t.Error("all tasks must run on x86_64")
			}
			scaling := jsonOf(tp.resources("AWS::ApplicationAutoScaling::ScalableTarget"))
			if !strings.Contains(scaling, `"MaxCapacity":7,"MinCapacity":3`) {
				t.Errorf("web scaling bounds: %s", scaling)
			}
			policies := jsonOf(tp.resources("AWS::ApplicationAutoScaling::ScalingPolicy"))
			if !strings.Contains(policies, `"TargetValue":50`) || !strings.Contains(policies, `"TargetValue":200`) {
				t.Errorf("scaling targets: %s", policies)
			}
		}},
		{"kept image entrypoint, plain static names, deployment facts in env", func(_ awscdk.Stack, p *djangocdk.DjangoEcsProps) {
			p.EntryPoint = append(slices.Clone(djangocdk.LauncherEntryPoint), "/entrypoint")
			p.Beat.Enabled = true
			p.EnableExec = true
			p.Storage.StaticStorage = djangocdk.StaticS3
			p.Environment = map[string]string{"WAGTAILADMIN_BASE_URL": "${url}", "MEDIA_HOST": "https://${assets_domain}/media", "PRICE": "$$5"}
		}, func(t *testing.T, tp template) {
			for _, process := range djangocdk.ContractProcesses {
				c := tp.container(t, process)
				if got := jsonOf(c["EntryPoint"]); got != `["python","-m","djangocdk_settings","exec","/entrypoint"]` {
					t.Errorf("%s entry point: %s", process, got)
				}
				if v, _ := envValue(c, djangocdk.EnvStaticStorage); v != "s3" {
					t.Errorf("%s %s = %q", process, djangocdk.EnvStaticStorage, v)
				}
			}
			web := tp.container(t, djangocdk.ProcessWeb)
			url, _ := envValue(web, "WAGTAILADMIN_BASE_URL")
			if !strings.Contains(url, "https://") || !strings.Contains(url, "Distribution") {
				t.Errorf("${url} must resolve to the site URL, got %s", url)
			}
			media, _ := envValue(web, "MEDIA_HOST")
			if !strings.Contains(media, "https://") || !strings.Contains(media, "DomainName") || !strings.Contains(media, "/media") {
				t.Errorf("${assets_domain} must resolve to the distribution's domain, got %s", media)
			}
			if v, _ := envValue(web, "PRICE"); v != "$5" {
				t.Errorf("$$ must be a literal dollar: %q", v)
			}
			if out := jsonOf(tp["Outputs"]); !strings.Contains(out, `--command \"python -m djangocdk_settings exec /bin/sh\"`) {
				t.Errorf("the shell must start through the launcher: %s", out)
			}
		}},
		{"image entrypoint unchanged", func(_ awscdk.Stack, p *djangocdk.DjangoEcsProps) {
			p.EntryPoint = []string{}
			p.EnableExec = true
		}, func(t *testing.T, tp template) {
			if out := jsonOf(tp["Outputs"]); !strings.Contains(out, "--command /bin/sh --task") {
				t.Errorf("without the launcher the shell is plain: %s", out)
			}
			if ep, ok := tp.container(t, djangocdk.ProcessWeb)["EntryPoint"]; ok {
				t.Errorf("an empty EntryPoint keeps the image's own, got %s", jsonOf(ep))
			}
		}},
		{"Aurora that pauses gets a longer connect timeout", func(_ awscdk.Stack, p *djangocdk.DjangoEcsProps) {
			p.Database.Engine = djangocdk.DatabaseAurora
		}, func(t *testing.T, tp template) {
			if v, _ := envValue(tp.container(t, djangocdk.ProcessWeb), djangocdk.EnvDatabaseConnectTimeout); v != "30" {
				t.Errorf("%s = %q, want 30 (resuming takes up to about 15 s)", djangocdk.EnvDatabaseConnectTimeout, v)
			}
		}},
		{"redis OSS and PostgreSQL 16", func(_ awscdk.Stack, p *djangocdk.DjangoEcsProps) {
			p.Cache.Engine = djangocdk.CacheRedis
			p.Database.Version = 16
			p.Database.InstanceType = "db.m7g.large"
		}, func(t *testing.T, tp template) {
			if v, _ := envValue(tp.container(t, djangocdk.ProcessWeb), djangocdk.EnvDatabaseConnectTimeout); v != "10" {
				t.Errorf("%s = %q, want 10 for RDS", djangocdk.EnvDatabaseConnectTimeout, v)
			}
			if e := props(tp.one(t, "AWS::ElastiCache::ReplicationGroup"))["Engine"]; e != "redis" {
				t.Errorf("cache engine: %v", e)
			}
			db := props(tp.one(t, "AWS::RDS::DBInstance"))
			if !strings.HasPrefix(db["EngineVersion"].(string), "16.") || db["DBInstanceClass"] != "db.m7g.large" {
				t.Errorf("database: %v %v", db["EngineVersion"], db["DBInstanceClass"])
			}
		}},
		{"extra secrets and container hook", func(stack awscdk.Stack, p *djangocdk.DjangoEcsProps) {
			stripe := awssecretsmanager.Secret_FromSecretNameV2(stack, jsii.String("Stripe"), jsii.String("prod/stripe"))
			p.Secrets = map[string]awsecs.Secret{"STRIPE_API_KEY": awsecs.Secret_FromSecretsManager(stripe, nil)}
			p.ContainerHook = func(process string, opts *awsecs.ContainerDefinitionOptions) {
				if process == djangocdk.ProcessWorker {
					opts.StopTimeout = awscdk.Duration_Seconds(jsii.Number(90))
				}
				opts.DockerLabels = &map[string]*string{"process": jsii.String(process)}
			}
		}, func(t *testing.T, tp template) {
			for _, proc := range []string{djangocdk.ProcessWeb, djangocdk.ProcessWorker, djangocdk.ProcessRelease} {
				c := tp.container(t, proc)
				if _, secrets := envNames(c); !strings.Contains(strings.Join(secrets, ","), "STRIPE_API_KEY") {
					t.Errorf("%s lacks the extra secret", proc)
				}
				if jsonOf(c["DockerLabels"]) != `{"process":"`+proc+`"}` {
					t.Errorf("%s: hook not applied: %s", proc, jsonOf(c["DockerLabels"]))
				}
			}
			if tp.container(t, djangocdk.ProcessWorker)["StopTimeout"] != float64(90) {
				t.Error("worker stop timeout from the hook not applied")
			}
			if !strings.Contains(jsonOf(tp.resources("AWS::IAM::Policy")), "prod/stripe") {
				t.Error("execution role must be allowed to read the extra secret")
			}
		}},
		{"worker and release disabled", func(_ awscdk.Stack, p *djangocdk.DjangoEcsProps) {
			p.Worker.Disabled = true
			p.Release.Disabled = true
		}, func(t *testing.T, tp template) {
			if n := tp.count("AWS::ECS::Service"); n != 1 {
				t.Errorf("services: %d, want web only", n)
			}
			if n := tp.count("Custom::DjangoRelease"); n != 0 {
				t.Errorf("release step must be off, found %d", n)
			}
			// The release task definition stays, for one-off management commands.
			tp.container(t, djangocdk.ProcessRelease)
		}},
		{"custom release commands and timeout", func(_ awscdk.Stack, p *djangocdk.DjangoEcsProps) {
			p.Release.Commands = [][]string{{"python", "manage.py", "migrate", "--noinput"}, {"python", "manage.py", "loaddata", "it's fixtures.json"}}
			p.Release.Timeout = 45 * 60e9
		}, func(t *testing.T, tp template) {
			cmd := jsonOf(tp.container(t, djangocdk.ProcessRelease)["Command"])
			if cmd != `["sh","-c","python manage.py migrate --noinput \u0026\u0026 exec python manage.py loaddata 'it'\\''s fixtures.json'"]` {
				t.Errorf("release command not shell-quoted: %s", cmd)
			}
			if to := props(tp.one(t, "Custom::DjangoRelease"))["TimeoutSeconds"]; to != "2700" {
				t.Errorf("timeout: %v", to)
			}
		}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			tp := synth(t, func(stack awscdk.Stack) *djangocdk.DjangoEcsProps {
				p := baseProps()
				c.mutate(stack, p)
				return p
			}).tpl
			c.check(t, tp)
		})
	}
}
