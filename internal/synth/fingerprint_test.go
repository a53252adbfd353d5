package synth

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/djangocdk/djangocdk/internal/config"
)

// project writes a small Docker build context with a .dockerignore and
// returns a request for it.
func project(t *testing.T, dockerignore string) Request {
	t.Helper()
	dir := t.TempDir()
	files := map[string]string{
		"Dockerfile":             "FROM python:3.12-slim\nCOPY . /app\n",
		"pyproject.toml":         "[tool.djangocdk]\napp = \"x\"\n",
		"manage.py":              "print('manage')\n",
		"core/views.py":          "X = 1\n",
		"db.sqlite3":             "sqlite",
		"media/upload.png":       "png",
		"docs/notes.md":          "notes",
		"docs/keep.md":           "keep",
		".git/HEAD":              "ref: refs/heads/main\n",
		"core/__pycache__/v.pyc": "pyc",
		"cdk.out/staging/x.json": "{}",
	}
	if dockerignore != "" {
		files[".dockerignore"] = dockerignore
	}
	for name, body := range files {
		write(t, filepath.Join(dir, name), body)
	}
	return Request{
		Config:     &config.Config{App: "x", Region: "eu-west-1"},
		ConfigFile: filepath.Join(dir, "pyproject.toml"),
		Outdir:     filepath.Join(dir, "cdk.out", "default"),
	}
}

func write(t *testing.T, path, body string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(body), 0o644); err != nil {
		t.Fatal(err)
	}
}

func key(t *testing.T, req Request) string {
	t.Helper()
	k, err := fingerprint(req)
	if err != nil {
		t.Fatal(err)
	}
	return k
}

const sampleIgnore = `# local state
.git
**/__pycache__
db.sqlite3
/media
docs
!docs/keep.md
Dockerfile
.dockerignore
cdk.out
`

// TestFingerprintHonoursDockerignore: a file .dockerignore keeps out of the
// build context does not change the key; a file in it does.
func TestFingerprintHonoursDockerignore(t *testing.T) {
	req := project(t, sampleIgnore)
	root := filepath.Dir(req.ConfigFile)
	base := key(t, req)
	for _, name := range []string{"db.sqlite3", "media/upload.png", "media/new/file.jpg", "docs/notes.md", ".git/HEAD", "core/__pycache__/v.pyc", "cdk.out/staging/x.json", "cdk.out/default/manifest.json"} {
		write(t, filepath.Join(root, name), "edited "+name)
		if got := key(t, req); got != base {
			t.Errorf("editing %s (ignored) changed the key", name)
		}
	}
	// What the image (and so the CDK's asset hash) contains changes it; the
	// Dockerfile and .dockerignore count even when .dockerignore lists
	// them (the CDK re-includes both); an exception (!docs/keep.md) counts.
	for _, name := range []string{"core/views.py", "manage.py", "core/new.py", "Dockerfile", ".dockerignore", "docs/keep.md", "pyproject.toml"} {
		write(t, filepath.Join(root, name), "edited "+name)
		got := key(t, req)
		if got == base {
			t.Errorf("editing %s (in the build context) kept the key", name)
		}
		base = got
	}
	if err := os.Remove(filepath.Join(root, "core", "new.py")); err != nil {
		t.Fatal(err)
	}
	if key(t, req) == base {
		t.Error("removing a file of the build context kept the key")
	}
}

// TestFingerprintWithoutDockerignore: with no .dockerignore every file is
// in the build context (as Docker and the CDK see it), cdk.out aside.
func TestFingerprintWithoutDockerignore(t *testing.T) {
	req := project(t, "")
	root := filepath.Dir(req.ConfigFile)
	base := key(t, req)
	write(t, filepath.Join(root, "db.sqlite3"), "changed")
	if key(t, req) == base {
		t.Error("without .dockerignore, db.sqlite3 is in the build context: its edit must change the key")
	}
	base = key(t, req)
	write(t, filepath.Join(root, "cdk.out", "default", "tree.json"), "{}")
	if key(t, req) != base {
		t.Error("the assembly itself must not change the key")
	}
}

// TestFingerprintCustomDockerfile: a Dockerfile elsewhere is re-included by
// its base name, as the CDK does.
func TestFingerprintCustomDockerfile(t *testing.T) {
	req := project(t, "docker\n")
	req.Config.Dockerfile = "docker/Dockerfile.prod"
	root := filepath.Dir(req.ConfigFile)
	write(t, filepath.Join(root, "docker", "other.txt"), "x")
	base := key(t, req)
	write(t, filepath.Join(root, "docker", "other.txt"), "y")
	if key(t, req) != base {
		t.Error("docker/other.txt is ignored")
	}
}

// TestFingerprintConfigAndEnv: the configuration and environment are part
// of the key, validation is not (the stamp records it).
func TestFingerprintConfigAndEnv(t *testing.T) {
	req := project(t, sampleIgnore)
	base := key(t, req)
	other := req
	other.Env = "staging"
	if key(t, other) == base {
		t.Error("env not in the key")
	}
	cfg := *req.Config
	cfg.Profile = "production"
	other = req
	other.Config = &cfg
	if key(t, other) == base {
		t.Error("configuration not in the key")
	}
	other = req
	other.Validate, other.Unstaged = true, true
	if key(t, other) != base {
		t.Error("validation and staging belong to the stamp, not the key")
	}
}

// TestStampSatisfies: an unvalidated assembly never serves a request for
// validation (deploy), a validated one serves both; an unstaged assembly
// serves only requests that accept one.
func TestStampSatisfies(t *testing.T) {
	cases := []struct {
		stamp              stamp
		validate, unstaged bool
		want               bool
	}{
		{stamp{Key: "k", Staged: true}, false, false, true},
		{stamp{Key: "k", Staged: true}, true, false, false},
		{stamp{Key: "k", Staged: true, Validated: true}, true, false, true},
		{stamp{Key: "k", Staged: true, Validated: true}, false, false, true},
		{stamp{Key: "k"}, false, false, false},
		{stamp{Key: "k"}, false, true, true},
		{stamp{Key: "k", Staged: true}, false, true, true},
		{stamp{Key: "other", Staged: true, Validated: true}, false, false, false},
	}
	for _, c := range cases {
		req := Request{Validate: c.validate, Unstaged: c.unstaged}
		if got := c.stamp.satisfies(req, "k"); got != c.want {
			t.Errorf("%+v satisfies validate=%t unstaged=%t: %t, want %t", c.stamp, c.validate, c.unstaged, got, c.want)
		}
	}
	// A stamp from before validation was recorded ({"key": ...} only) is
	// neither validated nor staged: it is synthesized again.
	dir := t.TempDir()
	write(t, filepath.Join(dir, stampFile), `{"key":"k"}`)
	write(t, filepath.Join(dir, "manifest.json"), `{}`)
	st, ok := readStamp(dir)
	if !ok || st.satisfies(Request{}, "k") {
		t.Errorf("old stamp: %+v %t", st, ok)
	}
}

// TestPrepareRuntime: the runtime is restarted (so that Node.js sees
// CDK_VALIDATION) only when the decision changes, its temporary files go to
// a directory of this process that Close removes, and TMPDIR is given back.
func TestPrepareRuntime(t *testing.T) {
	t.Setenv("TMPDIR", t.TempDir())
	t.Setenv(EnvValidation, "false")
	before := os.Getenv("TMPDIR")
	restarted, restore, err := prepareRuntime(false)
	if err != nil {
		t.Fatal(err)
	}
	if restarted {
		t.Error("same decision as the environment: no restart for validation")
	}
	if os.Getenv("TMPDIR") != privateTmp || privateTmp == "" {
		t.Errorf("TMPDIR %q during the synth, private %q", os.Getenv("TMPDIR"), privateTmp)
	}
	restore()
	if os.Getenv("TMPDIR") != before {
		t.Errorf("TMPDIR not given back: %q", os.Getenv("TMPDIR"))
	}
	restarted, restore, _ = prepareRuntime(true)
	restore()
	if !restarted || os.Getenv(EnvValidation) != "true" {
		t.Errorf("switching validation on: restarted %t, CDK_VALIDATION=%q", restarted, os.Getenv(EnvValidation))
	}
	restarted, restore, _ = prepareRuntime(true)
	restore()
	if restarted {
		t.Error("validation already on: no restart")
	}
	dir := privateTmp
	Close()
	if _, err := os.Stat(dir); !os.IsNotExist(err) {
		t.Errorf("Close left %s: %v", dir, err)
	}
	entries, _ := os.ReadDir(before)
	for _, e := range entries {
		t.Errorf("left in TMPDIR: %s", e.Name())
	}
	validationOn = nil
}
