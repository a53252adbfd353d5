package djangocdk_test

import (
	"errors"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsecs"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/jsii-runtime-go"
	"github.com/djangocdk/djangocdk"
)

// TestBadPropsFailAtSynth checks each invalid prop fails before anything is
// built, with a message naming the field and what is allowed.
func TestBadPropsFailAtSynth(t *testing.T) {
	cases := []struct {
		name   string
		mutate func(p *djangocdk.DjangoEcsProps)
		want   []string
	}{
		{"invalid Fargate CPU/memory pair", func(p *djangocdk.DjangoEcsProps) { p.Web.Size = djangocdk.TaskSize{CPU: 256, MemoryMiB: 4096} },
			[]string{"Web.Size.MemoryMiB", "4096 MiB is not allowed with 256 CPU", "allowed: 512, 1024, 2048"}},
		{"unknown Fargate CPU", func(p *djangocdk.DjangoEcsProps) { p.Worker.Size = djangocdk.TaskSize{CPU: 300, MemoryMiB: 1024} },
			[]string{"Worker.Size.CPU", "allowed: 256, 512, 1024"}},
		{"memory out of step", func(p *djangocdk.DjangoEcsProps) { p.Web.Size = djangocdk.TaskSize{CPU: 1024, MemoryMiB: 2500} },
			[]string{"Web.Size.MemoryMiB", "2048 to 8192 in steps of 1024"}},
		{"min tasks above max", func(p *djangocdk.DjangoEcsProps) { p.Web.Scaling = djangocdk.Scaling{MinTasks: 5, MaxTasks: 2} },
			[]string{"Web.Scaling", "MinTasks (5) is greater than MaxTasks (2)"}},
		{"domain without hosted zone", func(p *djangocdk.DjangoEcsProps) { p.Domain = &djangocdk.DomainProps{Name: "app.example.com"} },
			[]string{"Domain.HostedZone", "required when Domain is set"}},
		{"unknown edge", func(p *djangocdk.DjangoEcsProps) { p.Edge = "http" },
			[]string{"Edge", `"http" is not allowed`, `"cloudfront", "alb-https", "alb-http-insecure"`}},
		{"public HTTPS load balancer without a domain", func(p *djangocdk.DjangoEcsProps) { p.Edge = djangocdk.EdgeALBHTTPS },
			[]string{"Edge", `"alb-https" needs Domain`}},
		{"plain HTTP in production", func(p *djangocdk.DjangoEcsProps) {
			p.Edge, p.Profile = djangocdk.EdgeALBHTTPInsecure, djangocdk.ProfileProduction
		}, []string{"Edge", `"alb-http-insecure" is refused with the production profile`}},
		{"unknown static storage", func(p *djangocdk.DjangoEcsProps) { p.Storage.StaticStorage = "whitenoise" },
			[]string{"Storage.StaticStorage", `"whitenoise" is not allowed`, `"s3-manifest", "s3", "project"`}},
		{"unknown placeholder", func(p *djangocdk.DjangoEcsProps) { p.Environment = map[string]string{"SITE": "${domain}"} },
			[]string{"Environment.SITE", "unknown placeholder ${domain}", "allowed: ${url}, ${host}"}},
		{"derived name in Secrets", func(p *djangocdk.DjangoEcsProps) { p.Secrets = map[string]awsecs.Secret{"DATABASE_URL": nil} },
			[]string{"Secrets", `"DATABASE_URL" is composed at container start`}},
		{"empty web command", func(p *djangocdk.DjangoEcsProps) { p.Web.Command = []string{} },
			[]string{"Web.Command", "must not be empty"}},
		{"beat count other than one", func(p *djangocdk.DjangoEcsProps) { p.Beat = djangocdk.BeatProps{Enabled: true, DesiredCount: 2} },
			[]string{"Beat.DesiredCount", "2 is not allowed", "allowed: 1"}},
		{"NAT none without the endpoints the app uses", func(p *djangocdk.DjangoEcsProps) {
			p.Network.NatMode = djangocdk.NatNone
			p.Network.Endpoints = []djangocdk.Endpoint{djangocdk.EndpointS3, djangocdk.EndpointECRAPI, djangocdk.EndpointECRDocker}
		}, []string{"Network.Endpoints", `NAT mode "none"`, "missing: logs, secretsmanager"}},
		{"NAT none with SQS but no SQS endpoint", func(p *djangocdk.DjangoEcsProps) {
			p.Network.NatMode = djangocdk.NatNone
			p.Broker = djangocdk.BrokerSQS
			p.Network.Endpoints = []djangocdk.Endpoint{djangocdk.EndpointS3, djangocdk.EndpointECRAPI, djangocdk.EndpointECRDocker, djangocdk.EndpointLogs, djangocdk.EndpointSecretsManager}
		}, []string{"Network.Endpoints", "missing: sqs"}},
		{"unknown NAT mode", func(p *djangocdk.DjangoEcsProps) { p.Network.NatMode = "nat" },
			[]string{`Network.NatMode: "nat" is not allowed`, `"gateway", "gateway-single", "instance", "none"`}},
		{"unknown profile", func(p *djangocdk.DjangoEcsProps) { p.Profile = "prod" },
			[]string{`Profile: "prod" is not allowed`, `"starter", "production"`}},
		{"database version", func(p *djangocdk.DjangoEcsProps) { p.Database.Version = 13 },
			[]string{"Database.Version", "allowed: 16, 17"}},
		{"aurora capacity", func(p *djangocdk.DjangoEcsProps) {
			p.Database.Engine = djangocdk.DatabaseAurora
			p.Database.MinCapacity, p.Database.MaxCapacity = 4, 2
		}, []string{"Database.MaxCapacity", "at least MinCapacity"}},
		{"cache broker without cache", func(p *djangocdk.DjangoEcsProps) { p.Cache.Engine = djangocdk.CacheNone },
			[]string{`Broker: "cache" needs a cache`, `Broker to "sqs"`}},
		{"reserved environment name", func(p *djangocdk.DjangoEcsProps) { p.Environment = map[string]string{"DATABASE_HOST": "x"} },
			[]string{"Environment", `"DATABASE_HOST" is set by djangocdk`}},
		{"release timeout", func(p *djangocdk.DjangoEcsProps) { p.Release.Timeout = 2 * time.Hour },
			[]string{"Release.Timeout", "allowed: 1m to 50m0s"}},
		{"missing settings module", func(p *djangocdk.DjangoEcsProps) { p.SettingsModule = "" },
			[]string{"SettingsModule", `e.g. "mysite.settings"`}},
		{"project without Dockerfile", func(p *djangocdk.DjangoEcsProps) { p.ProjectPath = t.TempDir() },
			[]string{"ProjectPath/Dockerfile", "not found"}},
		{"health check path", func(p *djangocdk.DjangoEcsProps) { p.Web.HealthCheckPath = "healthz" },
			[]string{"Web.HealthCheckPath", `must start with "/"`}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			p := baseProps()
			c.mutate(p)
			err := p.Validate()
			var pe *djangocdk.PropsError
			if !errors.As(err, &pe) {
				t.Fatalf("Validate: want *PropsError, got %v", err)
			}
			for _, w := range c.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error lacks %q:\n%s", w, err)
				}
			}
			// The constructor refuses the same props before creating anything.
			msg := panicMessage(func() {
				app := awscdk.NewApp(&awscdk.AppProps{Outdir: jsii.String(t.TempDir())})
				stack := awscdk.NewStack(app, jsii.String("Bad"), &awscdk.StackProps{Env: &awscdk.Environment{Region: jsii.String("us-east-1")}})
				djangocdk.NewDjangoEcs(stack, "Site", p)
			})
			if msg != err.Error() {
				t.Errorf("NewDjangoEcs panic: got %q, want the validation error", msg)
			}
		})
	}
}

func TestAllProblemsReportedAtOnce(t *testing.T) {
	p := baseProps()
	p.Web.Command = []string{}
	p.Beat.DesiredCount = 3
	p.Database.Version = 12
	err := p.Validate()
	var pe *djangocdk.PropsError
	if !errors.As(err, &pe) || len(pe.Problems) != 3 {
		t.Fatalf("want 3 problems, got %v", err)
	}
}

func TestValidPropsPass(t *testing.T) {
	for name, p := range map[string]*djangocdk.DjangoEcsProps{
		"default": baseProps(),
		"sizes": func() *djangocdk.DjangoEcsProps {
			p := baseProps()
			p.Web.Size = djangocdk.TaskSize{CPU: 256, MemoryMiB: 512}
			p.Worker.Size = djangocdk.TaskSize{CPU: 4096, MemoryMiB: 30720}
			p.Web.Scaling = djangocdk.Scaling{MaxTasks: 1}
			return p
		}(),
	} {
		if err := p.Validate(); err != nil {
			t.Errorf("%s: %v", name, err)
		}
	}
}

func TestTaskSizeCompleted(t *testing.T) {
	cases := []struct{ in, want djangocdk.TaskSize }{
		{djangocdk.TaskSize{CPU: 256}, djangocdk.TaskSize{CPU: 256, MemoryMiB: 512}},
		{djangocdk.TaskSize{CPU: 1024}, djangocdk.TaskSize{CPU: 1024, MemoryMiB: 2048}},
		{djangocdk.TaskSize{MemoryMiB: 2048}, djangocdk.TaskSize{CPU: 256, MemoryMiB: 2048}},
		{djangocdk.TaskSize{MemoryMiB: 3072}, djangocdk.TaskSize{CPU: 512, MemoryMiB: 3072}},
		{djangocdk.TaskSize{MemoryMiB: 30720}, djangocdk.TaskSize{CPU: 4096, MemoryMiB: 30720}},
		{djangocdk.TaskSize{CPU: 512, MemoryMiB: 4096}, djangocdk.TaskSize{CPU: 512, MemoryMiB: 4096}},
		{djangocdk.TaskSize{CPU: 300}, djangocdk.TaskSize{CPU: 300}},               // not a Fargate CPU: left for validation
		{djangocdk.TaskSize{MemoryMiB: 1000}, djangocdk.TaskSize{MemoryMiB: 1000}}, // no CPU allows it
		{djangocdk.TaskSize{}, djangocdk.TaskSize{}},
	}
	for _, c := range cases {
		if got := c.in.Completed(); got != c.want {
			t.Errorf("%+v.Completed() = %+v, want %+v", c.in, got, c.want)
		}
	}
}
