package djangocdk_test

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"sort"
	"strings"
	"testing"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/assertions"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsroute53"
	"github.com/aws/jsii-runtime-go"
	"github.com/cdklabs/cdk-nag-go/cdknag/v2"
	"github.com/djangocdk/djangocdk"
)

// TestMain turns CDK's built-in CloudFormation validation off for the
// construct tests (it makes each synth about five times slower); the gate
// test re-runs the default and full configurations with it on.
func TestMain(m *testing.M) {
	if os.Getenv(gateEnv) == "" {
		os.Setenv("CDK_VALIDATION", "false")
	}
	code := m.Run()
	jsii.Close()
	os.Exit(code)
}

// sampleProject is the sample Django project the tests deploy.
func sampleProject() string {
	_, file, _, _ := runtime.Caller(0)
	return filepath.Join(filepath.Dir(file), "examples", "mysite")
}

// baseProps is the minimal configuration: a project path and its settings.
func baseProps() *djangocdk.DjangoEcsProps {
	return &djangocdk.DjangoEcsProps{ProjectPath: sampleProject(), SettingsModule: "mysite.settings"}
}

// fullProps turns on every optional feature.
func fullProps(stack awscdk.Stack) *djangocdk.DjangoEcsProps {
	p := baseProps()
	p.Profile = djangocdk.ProfileProduction
	p.Beat.Enabled = true
	p.EnableExec = true
	p.Domain = &djangocdk.DomainProps{Name: "app.example.com", HostedZone: testZone(stack)}
	p.Environment = map[string]string{"FEATURE_FLAG": "on"}
	return p
}

func testZone(scope awscdk.Stack) awsroute53.IHostedZone {
	return awsroute53.HostedZone_FromHostedZoneAttributes(scope, jsii.String("Zone"), &awsroute53.HostedZoneAttributes{
		HostedZoneId: jsii.String("Z0123456789ABCDEFGHIJ"),
		ZoneName:     jsii.String("example.com"),
	})
}

// synthesized is one synthesized configuration.
type synthesized struct {
	app       awscdk.App
	stack     awscdk.Stack
	construct djangocdk.DjangoEcs
	tpl       template
}

// synth builds a DjangoEcs in a fresh app and returns its template.
// configure receives the stack (for zones, VPCs...) and returns the props.
func synth(t testing.TB, configure func(stack awscdk.Stack) *djangocdk.DjangoEcsProps, opts ...func(app awscdk.App)) *synthesized {
	t.Helper()
	var s synthesized
	catch(t, func() {
		s.app = awscdk.NewApp(&awscdk.AppProps{Outdir: jsii.String(t.TempDir())})
		for _, o := range opts {
			o(s.app)
		}
		s.stack = awscdk.NewStack(s.app, jsii.String("Test"), &awscdk.StackProps{
			Env: &awscdk.Environment{Region: jsii.String("us-east-1")},
		})
		s.construct = djangocdk.NewDjangoEcs(s.stack, "Site", configure(s.stack))
		s.tpl = templateOf(s.stack)
	})
	return &s
}

// withNag adds the cdk-nag AwsSolutions pack to the app.
func withNag(app awscdk.App) {
	awscdk.Aspects_Of(app).Add(cdknag.NewAwsSolutionsChecks(&cdknag.NagPackProps{Verbose: jsii.Bool(true)}), nil)
}

// catch turns a jsii panic into a test failure.
func catch(t testing.TB, f func()) {
	t.Helper()
	defer func() {
		if r := recover(); r != nil {
			t.Fatalf("synth panicked: %v", r)
		}
	}()
	f()
}

// panicMessage runs f and returns what it panicked with, or "".
func panicMessage(f func()) (msg string) {
	defer func() {
		if r := recover(); r != nil {
			msg = fmt.Sprint(r)
		}
	}()
	f()
	return ""
}

// template is a synthesized CloudFormation template.
type template map[string]any

func templateOf(stack awscdk.Stack) template {
	raw := assertions.Template_FromStack(stack, &assertions.TemplateParsingOptions{SkipCyclicalDependenciesCheck: jsii.Bool(true)}).ToJSON()
	return template(*raw)
}

// resources returns the resources of a type, by logical ID.
func (tp template) resources(typ string) map[string]map[string]any {
	out := map[string]map[string]any{}
	for id, r := range tp["Resources"].(map[string]any) {
		res := r.(map[string]any)
		if res["Type"] == typ {
			out[id] = res
		}
	}
	return out
}

// one returns the only resource of a type, failing otherwise.
func (tp template) one(t testing.TB, typ string) map[string]any {
	t.Helper()
	rs := tp.resources(typ)
	if len(rs) != 1 {
		t.Fatalf("want exactly one %s, found %d", typ, len(rs))
	}
	for _, r := range rs {
		return r
	}
	return nil
}

func (tp template) count(typ string) int { return len(tp.resources(typ)) }

// props returns the Properties of a resource.
func props(r map[string]any) map[string]any {
	p, _ := r["Properties"].(map[string]any)
	return p
}

// container returns the container definition named name from all task definitions.
func (tp template) container(t testing.TB, name string) map[string]any {
	t.Helper()
	for _, td := range tp.resources("AWS::ECS::TaskDefinition") {
		for _, c := range props(td)["ContainerDefinitions"].([]any) {
			cd := c.(map[string]any)
			if cd["Name"] == name {
				return cd
			}
		}
	}
	t.Fatalf("no container %q in the template", name)
	return nil
}

// envNames returns the sorted plain and secret variable names of a container.
func envNames(c map[string]any) (plain, secret []string) {
	if env, ok := c["Environment"].([]any); ok {
		for _, e := range env {
			plain = append(plain, e.(map[string]any)["Name"].(string))
		}
	}
	if sec, ok := c["Secrets"].([]any); ok {
		for _, e := range sec {
			secret = append(secret, e.(map[string]any)["Name"].(string))
		}
	}
	sort.Strings(plain)
	sort.Strings(secret)
	return plain, secret
}

// envValue returns the plain value of a variable as JSON (tokens stay objects).
func envValue(c map[string]any, name string) (string, bool) {
	env, _ := c["Environment"].([]any)
	for _, e := range env {
		m := e.(map[string]any)
		if m["Name"] == name {
			b, _ := json.Marshal(m["Value"])
			return strings.Trim(string(b), `"`), true
		}
	}
	return "", false
}

// jsonOf renders v for substring assertions.
func jsonOf(v any) string {
	b, _ := json.Marshal(v)
	return string(b)
}

// dependsOn reports whether a resource lists dep in DependsOn.
func dependsOn(r map[string]any, dep string) bool {
	deps, _ := r["DependsOn"].([]any)
	for _, d := range deps {
		if d == dep {
			return true
		}
	}
	return false
}

// logicalID returns the logical ID of the only resource of typ whose ID starts with prefix.
func (tp template) logicalID(t testing.TB, typ, prefix string) string {
	t.Helper()
	var found []string
	for id := range tp.resources(typ) {
		if strings.HasPrefix(id, prefix) {
			found = append(found, id)
		}
	}
	if len(found) != 1 {
		t.Fatalf("want one %s with ID prefix %q, found %v", typ, prefix, found)
	}
	return found[0]
}
