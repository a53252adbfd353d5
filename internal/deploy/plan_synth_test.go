package deploy_test

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"os"
	"path/filepath"
	"runtime"
	"slices"
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
func synthesized(t *testing.T, extra string) (deploy.Exports, string) {
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
	if _, err := synth.Run(synth.Request{Config: cfg, ConfigFile: path, Outdir: out}); err != nil {
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
		// Switching the edge creates the other kind of load balancer (its own
		// construct IDs): new exports for the app, old ones kept until it moved.
		{"edge cloudfront to plain HTTP", "", "edge = \"alb-http-insecure\"\n", "data+kept,app,data"},
		{"edge plain HTTP to cloudfront", "edge = \"alb-http-insecure\"\n", "", "data+kept,app,data"},
	}
	synthCache := map[string]deploy.Exports{}
	side := func(cfg string) deploy.Exports {
		if ex, ok := synthCache[cfg]; ok {
			return ex
		}
		ex, _ := synthesized(t, cfg)
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

// TestBridgeKeepsWhatTheAppStillUses checks the first step of the
// three-step plan: the data template is the new one plus every resource and
// export of the deployed one it drops (nothing the app uses is deleted yet),
// and the assembly publishes it under its own hash.
func TestBridgeKeepsWhatTheAppStillUses(t *testing.T) {
	if testing.Short() {
		t.Skip("synthesizes")
	}
	const after = "broker = \"sqs\"\n[cache]\nengine = \"none\"\n"
	before, beforeDir := synthesized(t, "")
	next, afterDir := synthesized(t, after)
	deployed := asDeployed(before)
	plan := deploy.PlanOrder(deployed, next)
	if len(plan.Steps) != 3 || len(plan.Steps[0].KeepExports) == 0 {
		t.Fatalf("plan: %+v", plan)
	}
	deployedBody, err := os.ReadFile(filepath.Join(beforeDir, "MysiteData.template.json"))
	if err != nil {
		t.Fatal(err)
	}
	dir, err := deploy.BridgeAssembly(afterDir, "MysiteData", deployedBody)
	if err != nil {
		t.Fatal(err)
	}
	body, err := os.ReadFile(filepath.Join(dir, "MysiteData.template.json"))
	if err != nil {
		t.Fatal(err)
	}
	var bridge struct{ Resources map[string]any }
	if err := json.Unmarshal(body, &bridge); err != nil {
		t.Fatal(err)
	}
	var cacheKept, queueAdded bool
	for id := range bridge.Resources {
		cacheKept = cacheKept || strings.Contains(id, "CacheReplicationGroup")
		queueAdded = queueAdded || strings.Contains(id, "BrokerQueue")
	}
	if !cacheKept || !queueAdded {
		t.Errorf("the bridge must keep the cache (still used) and add the queue: cache %v, queue %v", cacheKept, queueAdded)
	}
	exports, err := deploy.TemplateExports(body)
	if err != nil {
		t.Fatal(err)
	}
	for _, name := range append(slices.Clone(deployed.AppImports), next.AppImports...) {
		if _, ok := exports[name]; !ok {
			t.Errorf("step 1 lacks export %s (imported before or after)", name)
		}
	}
	// The data stack's own function bundles are real directories (the asset
	// publisher zips them); the rest, like the app's image context, is linked.
	manifest, err := os.ReadFile(filepath.Join(dir, "MysiteData.assets.json"))
	if err != nil {
		t.Fatal(err)
	}
	copied, linked := 0, 0
	for _, e := range mustReadDir(t, dir) {
		if !strings.HasPrefix(e.Name(), "asset.") {
			continue
		}
		info, err := os.Lstat(filepath.Join(dir, e.Name()))
		if err != nil {
			t.Fatal(err)
		}
		own := strings.Contains(string(manifest), `"`+e.Name()+`"`)
		switch {
		case own && info.IsDir():
			copied++
		case !own && info.Mode()&os.ModeSymlink != 0:
			linked++
		default:
			t.Errorf("%s: own asset %v, mode %v", e.Name(), own, info.Mode())
		}
	}
	if copied == 0 || linked == 0 {
		t.Errorf("want the data stack's assets copied and the others linked: %d copied, %d linked", copied, linked)
	}
	sum := sha256.Sum256(body)
	manifest, _ = os.ReadFile(filepath.Join(dir, "manifest.json"))
	if !strings.Contains(string(manifest), hex.EncodeToString(sum[:])) {
		t.Error("the manifest must name the bridge template's own hash (else a cached upload of another template is deployed)")
	}
}

func mustReadDir(t *testing.T, dir string) []os.DirEntry {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	return entries
}
