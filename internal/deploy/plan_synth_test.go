package deploy_test

import (
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"github.com/djangocdk/djangocdk/internal/assembly"
	"github.com/djangocdk/djangocdk/internal/config"
	"github.com/djangocdk/djangocdk/internal/deploy"
	"github.com/djangocdk/djangocdk/internal/synth"
)

// base is the example project's configuration (broker = cache, beat on).
const base = `app = "mysite"
region = "us-east-1"
profile = "starter"
settings_module = "mysite.settings"
project_dir = %q
`

// synthesized synthesizes a configuration (base plus extra) with the
// repository's synth code and returns the data stack's exports and the app
// stack's imports, as the new side, plus the assembly directory.
func synthesized(t *testing.T, extra string, keep map[string]string) (deploy.Exports, string) {
	t.Helper()
	_, file, _, _ := runtime.Caller(0)
	project := filepath.Join(filepath.Dir(file), "..", "..", "examples", "mysite")
	dir := t.TempDir()
	path := filepath.Join(dir, "djangocdk.toml")
	text := strings.Replace(base, "%q", `"`+project+`"`, 1) + extra
	if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	src, err := config.Parse(path, []byte(text))
	if err != nil {
		t.Fatal(err)
	}
	cfg, err := src.Load("")
	if err != nil {
		t.Fatalf("config %q: %v", extra, err)
	}
	out := filepath.Join(dir, "cdk.out")
	if _, err := synth.Run(synth.Request{Config: cfg, ConfigFile: path, Outdir: out, KeepExports: keep}); err != nil {
		t.Fatal(err)
	}
	templates, err := assembly.Templates(out)
	if err != nil {
		t.Fatal(err)
	}
	ex := deploy.Exports{DataExists: true, AppExists: true}
	for _, tpl := range templates {
		switch tpl.Stack {
		case "MysiteData":
			if ex.Data, err = deploy.TemplateExports(tpl.Body); err != nil {
				t.Fatal(err)
			}
		case "MysiteApp":
			if ex.AppImports, err = deploy.TemplateImports(tpl.Body); err != nil {
				t.Fatal(err)
			}
		}
	}
	if len(ex.Data) == 0 || len(ex.AppImports) == 0 {
		t.Fatalf("no exports/imports found: %+v", ex)
	}
	return ex, out
}

// asDeployed turns a synthesized side into the deployed side, with a
// stand-in value per export (CloudFormation would return the real one).
func asDeployed(ex deploy.Exports) deploy.Exports {
	d := deploy.Exports{Data: map[string]string{}, AppImports: ex.AppImports, DataExists: true, AppExists: true}
	for name := range ex.Data {
		d.Data[name] = "value-of-" + name
	}
	return d
}

func stacks(p deploy.Plan) string {
	var s []string
	for _, step := range p.Steps {
		name := step.Stack
		if len(step.KeepExports) > 0 {
			name += "+kept"
		}
		s = append(s, name)
	}
	return strings.Join(s, ",")
}

// TestPlanOnSynthesizedConfigChanges runs the planner on real before/after
// assemblies of supported configuration changes, treating "before" as what
// is deployed, and simulates every step.
func TestPlanOnSynthesizedConfigChanges(t *testing.T) {
	if testing.Short() {
		t.Skip("synthesizes")
	}
	sqsWithCache := "broker = \"sqs\"\n"
	cases := []struct {
		name, before, after, order string
	}{
		{"no-op", "", "", "data,app"},
		{"beat on to off", "[beat]\nenabled = true\n", "[beat]\nenabled = false\n", "data,app"},
		{"worker off", "", "[worker]\nenabled = false\n", "data,app"},
		{"cache off (broker already sqs)", sqsWithCache, sqsWithCache + "[cache]\nengine = \"none\"\n", "app,data"},
		{"broker cache to sqs, cache off", "", sqsWithCache + "[cache]\nengine = \"none\"\n", "data+kept,app,data"},
		{"broker cache to sqs, cache kept", "", sqsWithCache, "data,app"},
		{"cache back on", sqsWithCache + "[cache]\nengine = \"none\"\n", sqsWithCache, "data,app"},
	}
	synthCache := map[string]deploy.Exports{}
	side := func(cfg string) deploy.Exports {
		if ex, ok := synthCache[cfg]; ok {
			return ex
		}
		ex, _ := synthesized(t, cfg, nil)
		synthCache[cfg] = ex
		return ex
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			deployed, next := asDeployed(side(c.before)), side(c.after)
			plan := deploy.PlanOrder(deployed, next)
			t.Logf("%s: %s (%s)", c.name, stacks(plan), plan.Why)
			if c.order != "" && stacks(plan) != c.order {
				t.Errorf("order %s, want %s", stacks(plan), c.order)
			}
			if err := plan.Check(deployed, next); err != nil {
				t.Errorf("plan fails: %v", err)
			}
			// Today's order (data, then app) must fail exactly when the plan differs.
			naive := deploy.Plan{Steps: []deploy.Step{{Stack: deploy.DataStep}, {Stack: deploy.AppStep}}}
			if err := naive.Check(deployed, next); (err == nil) != (stacks(plan) == "data,app") {
				t.Errorf("naive order check: %v, plan %s", err, stacks(plan))
			}
		})
	}
}

// TestKeptExportsAreSynthesized checks that the bridge assembly of the
// three-step plan really exports the kept names with their literal values,
// and that the plan's first step is satisfied by that template.
func TestKeptExportsAreSynthesized(t *testing.T) {
	if testing.Short() {
		t.Skip("synthesizes")
	}
	before, _ := synthesized(t, "", nil)
	after, _ := synthesized(t, "broker = \"sqs\"\n[cache]\nengine = \"none\"\n", nil)
	deployed := asDeployed(before)
	plan := deploy.PlanOrder(deployed, after)
	if len(plan.Steps) != 3 || len(plan.Steps[0].KeepExports) == 0 {
		t.Fatalf("plan: %+v", plan)
	}
	bridge, out := synthesized(t, "broker = \"sqs\"\n[cache]\nengine = \"none\"\n", plan.Steps[0].KeepExports)
	for name, value := range plan.Steps[0].KeepExports {
		if _, ok := bridge.Data[name]; !ok {
			t.Errorf("bridge data stack does not export %s", name)
		}
		raw, err := os.ReadFile(filepath.Join(out, "MysiteData.template.json"))
		if err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(string(raw), `"Value": "`+value+`"`) {
			t.Errorf("kept export %s does not have its literal deployed value %q", name, value)
		}
	}
	// Simulate with the bridge template's own exports as step 1.
	exports := map[string]bool{}
	for name := range bridge.Data {
		exports[name] = true
	}
	for _, name := range deployed.AppImports {
		if !exports[name] {
			t.Errorf("step 1 deletes %s, still imported", name)
		}
	}
	for _, name := range after.AppImports {
		if !exports[name] {
			t.Errorf("step 2 imports %s, missing after step 1", name)
		}
	}
}
