package initproj

import (
	"bytes"
	"flag"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/djangocdk/djangocdk"
	"github.com/djangocdk/djangocdk/internal/config"
	"github.com/djangocdk/djangocdk/internal/deps"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/*/want")

// copyTree copies src into dst.
func copyTree(t testing.TB, src, dst string) {
	t.Helper()
	err := filepath.WalkDir(src, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(src, path)
		if d.IsDir() {
			return os.MkdirAll(filepath.Join(dst, rel), 0o755)
		}
		data, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		return os.WriteFile(filepath.Join(dst, rel), data, 0o644)
	})
	if err != nil {
		t.Fatal(err)
	}
}

// tree reads every file under dir, by slash path.
func tree(t testing.TB, dir string) map[string][]byte {
	t.Helper()
	out := map[string][]byte{}
	err := filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		rel, _ := filepath.Rel(dir, path)
		data, err := os.ReadFile(path)
		out[filepath.ToSlash(rel)] = data
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func initProject(t *testing.T, dir string, o Options) []Action {
	t.Helper()
	p, err := Detect(dir)
	if err != nil {
		t.Fatal(err)
	}
	actions, err := Write(p, o)
	if err != nil {
		t.Fatal(err)
	}
	return actions
}

// TestGolden runs init on each fixture project and compares the whole
// resulting tree with testdata/<fixture>/want; a second run changes nothing.
func TestGolden(t *testing.T) {
	hideTools(t, "uv", "poetry", "pipenv")
	fixtures, _ := filepath.Glob(filepath.Join("testdata", "*", "in"))
	if len(fixtures) < 6 {
		t.Fatalf("want at least six fixture projects, found %d", len(fixtures))
	}
	for _, in := range fixtures {
		name := filepath.Base(filepath.Dir(in))
		t.Run(name, func(t *testing.T) {
			dir := t.TempDir()
			copyTree(t, in, dir)
			first := initProject(t, dir, Options{Yes: true, Region: "eu-west-1"})
			stale := slices.ContainsFunc(first, func(a Action) bool { return strings.Contains(a.Status, "; run: ") })
			got := tree(t, dir)
			want := filepath.Join(filepath.Dir(in), "want")
			p, _ := Detect(in)
			helper := filepath.ToSlash(filepath.Join(p.AppDir, djangocdk.SettingsHelperFile))
			if *update {
				os.RemoveAll(want)
				copyTree(t, dir, want)
				os.Remove(filepath.Join(want, helper)) // the helper has one source: djangocdk.SettingsHelperSource
				return
			}
			expected := tree(t, want)
			expected[helper] = []byte(djangocdk.SettingsHelperSource())
			for path, data := range expected {
				if !bytes.Equal(got[path], data) {
					t.Errorf("%s differs from %s (go test ./internal/initproj -update rewrites it):\n%s", path, want, got[path])
				}
			}
			for path := range got {
				if _, ok := expected[path]; !ok {
					t.Errorf("unexpected file %s", path)
				}
			}
			// Running init again changes nothing.
			again := initProject(t, dir, Options{Yes: true, Region: "eu-west-1"})
			for _, a := range again {
				if !strings.HasPrefix(a.Status, "unchanged") && !strings.HasPrefix(a.Status, "kept") {
					t.Errorf("second run: %s %s", a.Path, a.Status)
				}
			}
			if after := tree(t, dir); !equalTrees(after, got) {
				t.Error("second run changed files")
			}
			// What init writes is a valid configuration.
			src, err := config.Find(dir)
			if err != nil {
				t.Fatal(err)
			}
			_, err = src.Load("")
			if stale {
				// Without the manager's tool the lock is not updated, and
				// validate says so rather than letting the image miss it.
				if err == nil || !strings.Contains(err.Error(), "does not pin") {
					t.Errorf("a stale lock must fail validation: %v", err)
				}
				return
			}
			if err != nil {
				t.Errorf("written configuration is invalid: %v", err)
			}
			if _, err := src.Load("production"); err != nil {
				t.Errorf("production environment is invalid: %v", err)
			}
		})
	}
}

// hideTools drops from PATH the directories holding these programs, so
// that init edits dependency files itself (deterministic goldens) instead
// of running the managers, which resolve against PyPI.
func hideTools(t *testing.T, tools ...string) {
	var keep []string
	for _, dir := range filepath.SplitList(os.Getenv("PATH")) {
		if !slices.ContainsFunc(tools, func(tool string) bool { return exists(filepath.Join(dir, tool)) }) {
			keep = append(keep, dir)
		}
	}
	t.Setenv("PATH", strings.Join(keep, string(filepath.ListSeparator)))
}

func equalTrees(a, b map[string][]byte) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		if !bytes.Equal(b[k], v) {
			return false
		}
	}
	return true
}

func TestDetect(t *testing.T) {
	cases := []struct {
		fixture                                      string
		appDir, cloud, manager, reqs, python, source string
		celery, beat, dockerfile                     bool
	}{
		{"startproject", ".", "blog.settings", deps.ManagerPip, "requirements.txt", "3.13", "default", false, false, false},
		{"srclayout", "src", "config.settings.production", deps.ManagerPEP621, "", "3.12", ".python-version", false, false, false},
		{"poetry", ".", "recipes.settings", deps.ManagerPoetry, "", "3.13", "pyproject.toml tool.poetry.dependencies.python", false, false, false},
		{"uv", ".", "notes.settings", deps.ManagerUV, "", "3.13", ".python-version", false, false, false},
		{"pipenv", ".", "polls.settings", deps.ManagerPipenv, "", "3.11", "Pipfile python_version", false, false, false},
		{"celery", ".", "tasks.settings", deps.ManagerPip, "requirements/production.txt", "3.12", "Dockerfile (base image)", true, true, true},
	}
	for _, c := range cases {
		t.Run(c.fixture, func(t *testing.T) {
			p, err := Detect(filepath.Join("testdata", c.fixture, "in"))
			if err != nil {
				t.Fatal(err)
			}
			got := []any{p.AppDir, p.CloudSettings, p.Deps.Manager, p.Deps.RequirementsFile, p.Python, p.PythonFrom, p.Celery, p.Beat, p.DockerfilePath != ""}
			want := []any{c.appDir, c.cloud, c.manager, c.reqs, c.python, c.source, c.celery, c.beat, c.dockerfile}
			for i := range got {
				if got[i] != want[i] {
					t.Errorf("field %d: got %v, want %v (%+v)", i, got[i], want[i], p)
				}
			}
		})
	}
}

func TestNeverOverwritesWithoutForce(t *testing.T) {
	dir := t.TempDir()
	copyTree(t, filepath.Join("testdata", "startproject", "in"), dir)
	os.WriteFile(filepath.Join(dir, ".dockerignore"), []byte("mine\n"), 0o644)
	actions := initProject(t, dir, Options{})
	if got, _ := os.ReadFile(filepath.Join(dir, ".dockerignore")); string(got) != "mine\n" {
		t.Fatal("overwrote .dockerignore without --force")
	}
	status := map[string]string{}
	for _, a := range actions {
		status[a.Path] = a.Status
	}
	if !strings.HasPrefix(status[".dockerignore"], "kept") || !strings.HasPrefix(status["blog/settings.py"], "not changed") {
		t.Errorf("statuses: %v", status)
	}
	initProject(t, dir, Options{Force: true})
	if got, _ := os.ReadFile(filepath.Join(dir, ".dockerignore")); string(got) == "mine\n" {
		t.Fatal("--force did not overwrite")
	}
}

func TestNotADjangoProject(t *testing.T) {
	if _, err := Detect(t.TempDir()); err == nil || !strings.Contains(err.Error(), "no manage.py") {
		t.Fatalf("got %v", err)
	}
}

func TestNextSteps(t *testing.T) {
	dir := t.TempDir()
	copyTree(t, filepath.Join("testdata", "startproject", "in"), dir)
	os.WriteFile(filepath.Join(dir, ".dockerignore"), []byte(".git\n"), 0o644)
	p, err := Detect(dir)
	if err != nil {
		t.Fatal(err)
	}
	steps := strings.Join(NextSteps(p, "djangocdk.toml", false), "\n")
	for _, want := range []string{
		"gunicorn==", // missing runtime dependencies, pinned
		"djangocdk_settings.configure(globals())", // settings not applied without --yes
		"djangocdk check",
	} {
		if !strings.Contains(steps, want) {
			t.Errorf("next steps lack %q:\n%s", want, steps)
		}
	}
}

// TestComposeUsesTheContract checks the compose.yaml init writes sets every
// contract variable (but the conditional ones) and nothing the settings
// helper would not read, besides the emulator's AWS plumbing.
func TestComposeUsesTheContract(t *testing.T) {
	text, err := os.ReadFile(filepath.Join("testdata", "startproject", "want", "compose.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	env := regexp.MustCompile(`(?s)environment: &contract\n(.*?)\n\n`).FindSubmatch(text)
	if env == nil {
		t.Fatal("no shared environment block")
	}
	set := map[string]bool{}
	for _, m := range regexp.MustCompile(`(?m)^    ([A-Z0-9_]+):`).FindAllSubmatch(env[1], -1) {
		set[string(m[1])] = true
	}
	known := map[string]bool{"AWS_ENDPOINT_URL_S3": true, "AWS_ACCESS_KEY_ID": true, "AWS_SECRET_ACCESS_KEY": true}
	for _, v := range djangocdk.Knobs {
		known[v.Name] = true
	}
	for _, v := range djangocdk.Contract {
		known[v.Name] = true
		if v.When == "always" && !set[v.Name] {
			t.Errorf("compose.yaml does not set %s", v.Name)
		}
	}
	for name := range set {
		if !known[name] {
			t.Errorf("compose.yaml sets %s, which is neither in the contract nor a knob", name)
		}
	}
}

// TestKeptImageServer: what init does with the server a kept Dockerfile starts.
func TestKeptImageServer(t *testing.T) {
	cases := []struct {
		name, dockerfile string
		extra            map[string]string
		web              string // the web command init decides; "" when it refuses
		problem          string
	}{
		{"no address: gunicorn gets one", "FROM python:3.12-slim\nCOPY . /app\nWORKDIR /app\nCMD [\"gunicorn\", \"blog.wsgi\"]\n", nil,
			"gunicorn blog.wsgi --bind 0.0.0.0:8000", ""},
		{"config file sets the address", "FROM python:3.12-slim\nCOPY . /app\nWORKDIR /app\nEXPOSE 5000\nCMD [\"gunicorn\", \"-c\", \"gunicorn.conf.py\", \"blog.wsgi\"]\n",
			map[string]string{"gunicorn.conf.py": "bind = \"0.0.0.0:5000\"\n"}, "gunicorn -c gunicorn.conf.py blog.wsgi", ""},
		{"loopback in a start script", "FROM python:3.12-slim\nCOPY . /app\nWORKDIR /app\nCMD [\"/app/start.sh\"]\n",
			map[string]string{"start.sh": "#!/bin/sh\nexec gunicorn blog.wsgi --bind 127.0.0.1:8000\n"}, "", "start.sh:2: gunicorn listens on 127.0.0.1"},
		{"runserver in CMD is replaced", "FROM python:3.12-slim\nCOPY . /app\nWORKDIR /app\nCMD [\"python\", \"manage.py\", \"runserver\", \"0.0.0.0:8000\"]\n", nil,
			"gunicorn blog.wsgi:application --bind 0.0.0.0:8000 --workers 2 --access-logfile -", ""},
		{"uv run prefix kept for every process", "FROM python:3.12-slim\nCOPY . /app\nWORKDIR /app\nCMD [\"uv\", \"run\", \"gunicorn\", \"blog.wsgi\", \"--bind\", \"0.0.0.0:8000\"]\n", nil,
			"uv run gunicorn blog.wsgi --bind 0.0.0.0:8000", ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			dir := t.TempDir()
			copyTree(t, filepath.Join("testdata", "startproject", "in"), dir)
			os.WriteFile(filepath.Join(dir, "Dockerfile"), []byte(c.dockerfile), 0o644)
			for name, body := range c.extra {
				os.WriteFile(filepath.Join(dir, name), []byte(body), 0o755)
			}
			p, err := Detect(dir)
			if err != nil {
				t.Fatal(err)
			}
			if c.problem != "" {
				if !strings.Contains(strings.Join(p.Problems, "\n"), c.problem) {
					t.Errorf("want a problem %q, got %q", c.problem, p.Problems)
				}
				return
			}
			if len(p.Problems) > 0 || strings.Join(p.WebCommand, " ") != c.web {
				t.Errorf("web command %q, problems %q; want %q", p.WebCommand, p.Problems, c.web)
			}
			if strings.HasPrefix(c.web, "uv run ") && strings.Join(p.ReleaseCommands[0][:2], " ") != "uv run" {
				t.Errorf("the release runs outside the image's environment: %q", p.ReleaseCommands)
			}
		})
	}
}

// TestDecisions covers decisions that depend on the settings and the
// dependencies, on variants of the startproject layout.
func TestDecisions(t *testing.T) {
	whitenoise := "\nSTORAGES = {\"default\": {\"BACKEND\": \"django.core.files.storage.FileSystemStorage\"}, \"staticfiles\": {\"BACKEND\": \"whitenoise.storage.CompressedManifestStaticFilesStorage\"}}\n"
	cases := []struct {
		name                  string
		settings, reqs, image string // appended to blog/settings.py; requirements.txt; a kept Dockerfile
		check                 func(t *testing.T, p *Project, dir string)
	}{
		{"WhiteNoise with a kept image that does not collect", whitenoise, "", "FROM python:3.12-slim\nCOPY . /app\nWORKDIR /app\nCMD [\"gunicorn\", \"blog.wsgi\", \"--bind\", \"0.0.0.0:8000\"]\n",
			func(t *testing.T, p *Project, _ string) {
				if p.StaticStorage != "project" || strings.Join(p.WebCommand, " ") != "/bin/sh -c python manage.py collectstatic --noinput && exec gunicorn blog.wsgi --bind 0.0.0.0:8000" {
					t.Errorf("static %s, web command %q", p.StaticStorage, p.WebCommand)
				}
				if len(p.ReleaseCommands) != 1 {
					t.Errorf("the release step collects nowhere useful with the project's storage: %q", p.ReleaseCommands)
				}
			}},
		{"WhiteNoise with the generated Dockerfile", whitenoise, "", "",
			func(t *testing.T, p *Project, dir string) {
				if _, err := Write(p, Options{}); err != nil {
					t.Fatal(err)
				}
				if text := readAll(filepath.Join(dir, "Dockerfile")); !strings.Contains(text, "COPY --chown=app:app . .") {
					t.Errorf("the app user cannot write STATIC_ROOT:\n%s", text)
				}
			}},
		{"django-storages without its s3 extra", "", "Django==5.2.19\ndjango-storages==1.14.6\n", "",
			func(t *testing.T, p *Project, _ string) {
				var names []string
				for _, m := range p.Missing {
					names = append(names, m.Name)
				}
				if !slices.Contains(names, "boto3") || slices.Contains(names, "django-storages") {
					t.Errorf("missing %q", names)
				}
			}},
		{"a variable the settings give a default themselves", "\nimport os\nos.environ.setdefault(\"SITE_NAME\", \"blog\")\nSITE_NAME = os.environ[\"SITE_NAME\"]\nAPI_TOKEN = os.environ[\"API_TOKEN\"]\n", "", "",
			func(t *testing.T, p *Project, _ string) {
				if len(p.RequiredEnv) != 1 || p.RequiredEnv[0].Name != "API_TOKEN" || !p.RequiredEnv[0].Secret {
					t.Errorf("required %+v, want only API_TOKEN, as a secret", p.RequiredEnv)
				}
			}},
		{"settings that do not parse", "\nDEBUG = (\n", "", "",
			func(t *testing.T, p *Project, _ string) {
				if !strings.Contains(strings.Join(p.Problems, "\n"), "blog/settings.py") {
					t.Errorf("problems %q", p.Problems)
				}
			}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			dir := t.TempDir()
			copyTree(t, filepath.Join("testdata", "startproject", "in"), dir)
			settings := filepath.Join(dir, "blog", "settings.py")
			os.WriteFile(settings, []byte(readAll(settings)+c.settings), 0o644)
			if c.reqs != "" {
				os.WriteFile(filepath.Join(dir, "requirements.txt"), []byte(c.reqs), 0o644)
			}
			if c.image != "" {
				os.WriteFile(filepath.Join(dir, "Dockerfile"), []byte(c.image), 0o644)
			}
			p, err := Detect(dir)
			if err != nil {
				t.Fatal(err)
			}
			c.check(t, p, dir)
		})
	}
}
