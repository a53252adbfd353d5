package main_test

import (
	"encoding/json"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/djangocdk/djangocdk"
	"github.com/djangocdk/djangocdk/internal/synth"
)

// EnvBinary names a djangocdk binary built beforehand (scripts/test.sh
// builds one for the whole run: Go tests and pytest); without it the tests
// build one, once per test binary.
const EnvBinary = "DJANGOCDK_BIN"

var (
	buildOnce sync.Once
	built     string
	buildErr  error
	buildDir  string
)

func TestMain(m *testing.M) {
	code := m.Run()
	if buildDir != "" {
		os.RemoveAll(buildDir)
	}
	synth.Close()
	os.Exit(code)
}

// binary returns the djangocdk binary: $DJANGOCDK_BIN, or one built once.
func binary(t testing.TB) string {
	t.Helper()
	if bin := os.Getenv(EnvBinary); bin != "" {
		return bin
	}
	buildOnce.Do(func() {
		buildDir, buildErr = os.MkdirTemp("", "djangocdk-bin-")
		if buildErr != nil {
			return
		}
		built = filepath.Join(buildDir, "djangocdk")
		if out, err := exec.Command("go", "build", "-o", built, ".").CombinedOutput(); err != nil {
			buildErr = fmt.Errorf("go build: %v\n%s", err, out)
		}
	})
	if buildErr != nil {
		t.Fatal(buildErr)
	}
	return built
}

// sampleWithoutConfig copies examples/mysite, minus its [tool.djangocdk] table.
func sampleWithoutConfig(t *testing.T) string {
	t.Helper()
	src := filepath.Join("..", "..", "examples", "mysite")
	dst := t.TempDir()
	err := filepath.WalkDir(src, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(src, path)
		if d.IsDir() {
			if d.Name() == "cdk.out" || d.Name() == "__pycache__" {
				return filepath.SkipDir
			}
			return os.MkdirAll(filepath.Join(dst, rel), 0o755)
		}
		data, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		if rel == "pyproject.toml" {
			text := string(data)
			data = []byte(text[:strings.Index(text, "# Deployment (djangocdk)")])
		}
		return os.WriteFile(filepath.Join(dst, rel), data, 0o644)
	})
	if err != nil {
		t.Fatal(err)
	}
	return dst
}

func run(t *testing.T, bin, dir string, args ...string) (string, string, int) {
	t.Helper()
	cmd := exec.Command(bin, args...)
	cmd.Dir = dir
	var stdout, stderr strings.Builder
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	err := cmd.Run()
	code := 0
	if ee, ok := err.(*exec.ExitError); ok {
		code = ee.ExitCode()
	} else if err != nil {
		t.Fatal(err)
	}
	return stdout.String(), stderr.String(), code
}

// TestInitValidateSynth is the whole offline flow on the sample project:
// init writes the configuration, validate accepts it, synth builds the
// deployment with the services, the database and the env contract.
func TestInitValidateSynth(t *testing.T) {
	bin, dir := binary(t), sampleWithoutConfig(t)
	if _, errOut, code := run(t, bin, dir, "validate"); code != 2 || !strings.Contains(errOut, "no djangocdk configuration") {
		t.Fatalf("validate before init: exit %d, %s", code, errOut)
	}
	out, errOut, code := run(t, bin, dir, "init")
	if code != 0 || !strings.Contains(out, "pyproject.toml") || !strings.Contains(errOut, "Next steps") {
		t.Fatalf("init: exit %d\n%s\n%s", code, out, errOut)
	}
	if out, _, code := run(t, bin, dir, "validate"); code != 0 || !strings.Contains(out, "valid") {
		t.Fatalf("validate: exit %d %s", code, out)
	}
	out, errOut, code = run(t, bin, dir, "synth", "--json")
	if code != 0 {
		t.Fatalf("synth: exit %d\n%s", code, errOut)
	}
	var sum struct {
		Outdir     string
		Cached     bool
		MonthlyUSD *float64 `json:"monthly_usd"`
	}
	if err := json.Unmarshal([]byte(out), &sum); err != nil {
		t.Fatalf("synth --json: %v\n%s", err, out)
	}
	if sum.Cached || sum.MonthlyUSD == nil || *sum.MonthlyUSD <= 0 {
		t.Errorf("summary: %s", out)
	}
	app := readTemplate(t, filepath.Join(dir, sum.Outdir, "MysiteApp.template.json"))
	data := readTemplate(t, filepath.Join(dir, sum.Outdir, "MysiteData.template.json"))
	if n := count(app, "AWS::ECS::Service"); n != 3 {
		t.Errorf("want web, worker and beat services, got %d", n)
	}
	if count(data, "AWS::RDS::DBInstance") != 1 || count(data, "AWS::ElastiCache::ReplicationGroup") != 1 {
		t.Error("database or cache missing")
	}
	for _, res := range app.Resources {
		if res.Type != "AWS::ECS::TaskDefinition" {
			continue
		}
		for _, c := range res.Properties.ContainerDefinitions {
			var names []string
			for _, e := range c.Environment {
				names = append(names, e.Name)
			}
			for _, s := range c.Secrets {
				names = append(names, s.Name)
			}
			for _, v := range djangocdk.Contract {
				if v.When == "always" && !slices.Contains(names, v.Name) {
					t.Errorf("container %s lacks %s", c.Name, v.Name)
				}
			}
		}
	}
	// A second synth with nothing changed reuses the assembly.
	out, _, _ = run(t, bin, dir, "synth", "--json")
	if err := json.Unmarshal([]byte(out), &sum); err != nil || !sum.Cached {
		t.Errorf("second synth should be cached: %s", out)
	}
	// A file .dockerignore keeps out of the image changes nothing.
	os.WriteFile(filepath.Join(dir, "db.sqlite3"), []byte("local data"), 0o644)
	os.MkdirAll(filepath.Join(dir, "media"), 0o755)
	os.WriteFile(filepath.Join(dir, "media", "upload.txt"), []byte("x"), 0o644)
	out, _, _ = run(t, bin, dir, "synth", "--json")
	if err := json.Unmarshal([]byte(out), &sum); err != nil || !sum.Cached {
		t.Errorf("an ignored file must not resynthesize: %s", out)
	}
	// A changed project file synthesizes again.
	os.WriteFile(filepath.Join(dir, "core", "extra.py"), []byte("X = 1\n"), 0o644)
	out, _, _ = run(t, bin, dir, "synth", "--json")
	if err := json.Unmarshal([]byte(out), &sum); err != nil || sum.Cached {
		t.Errorf("a changed file must resynthesize: %s", out)
	}
	// init a second time changes nothing.
	before, _ := os.ReadFile(filepath.Join(dir, "pyproject.toml"))
	out, _, _ = run(t, bin, dir, "init")
	after, _ := os.ReadFile(filepath.Join(dir, "pyproject.toml"))
	if string(before) != string(after) || strings.Contains(out, "created") || strings.Contains(out, "updated") {
		t.Errorf("second init changed something:\n%s", out)
	}
}

type template struct {
	Resources map[string]struct {
		Type       string
		Properties struct {
			ContainerDefinitions []struct {
				Name        string
				Environment []struct{ Name string }
				Secrets     []struct{ Name string }
			}
		}
	}
}

func readTemplate(t *testing.T, path string) template {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var tpl template
	if err := json.Unmarshal(data, &tpl); err != nil {
		t.Fatal(err)
	}
	return tpl
}

func count(t template, typ string) int {
	n := 0
	for _, r := range t.Resources {
		if r.Type == typ {
			n++
		}
	}
	return n
}

func TestInvalidConfigExitsTwoWithEveryProblem(t *testing.T) {
	bin, dir := binary(t), t.TempDir()
	os.WriteFile(filepath.Join(dir, "Dockerfile"), []byte("FROM scratch\n"), 0o644)
	os.WriteFile(filepath.Join(dir, "djangocdk.toml"), []byte("app = \"x\"\nregion = \"eu-west-1\"\nsettings_module = \"x.settings\"\n[databse]\n[web]\ncpu = \"big\"\n"), 0o644)
	out, _, code := run(t, bin, dir, "validate")
	if code != 2 {
		t.Fatalf("exit %d, want 2", code)
	}
	for _, want := range []string{`databse: unknown key "databse" — did you mean "database"?`, "web.cpu: must be an integer"} {
		if !strings.Contains(out, want) {
			t.Errorf("missing %q in:\n%s", want, out)
		}
	}
	if _, errOut, code := run(t, bin, dir, "synth", "--bogus"); code != 2 || !strings.Contains(errOut, "unknown flag") {
		t.Errorf("bad flag: exit %d %s", code, errOut)
	}
}
