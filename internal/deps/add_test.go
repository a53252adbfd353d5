package deps

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// noTools makes Add edit the files even where uv or poetry is installed.
func noTools(t *testing.T) {
	t.Helper()
	old := lookPath
	lookPath = func(string) (string, error) { return "", exec.ErrNotFound }
	t.Cleanup(func() { lookPath = old })
}

var (
	gunicorn = Requirement{Name: "gunicorn", Why: "WSGI server"} // Spec from Pins
	psycopg  = Requirement{Spec: "psycopg[binary]==3.3.9", Why: "PostgreSQL"}
	storages = Requirement{Name: "django-storages", Spec: "django-storages[s3]==1.14.6", Why: "media on S3"}
	redis    = Requirement{Spec: "redis==8.1.0"}
)

func TestAdd(t *testing.T) {
	noTools(t)
	tests := []struct {
		dir      string
		reqs     []Requirement
		file     string
		old, new string // the file afterwards is the file before with old (found once) replaced by new
		manual   string
		added    []string
	}{{
		dir:  "pip-split",
		reqs: []Requirement{gunicorn, storages, {Spec: "whitenoise==6.12.0", Why: "static files"}, storages},
		file: "requirements/production.txt",
		old:  "psycopg2==2.9.10\n",
		new: "psycopg2==2.9.10\n# added by djangocdk init: media on S3\ndjango-storages[s3]==1.14.6\n" +
			"# added by djangocdk init: static files\nwhitenoise==6.12.0\n",
		added: []string{"django-storages", "whitenoise"},
	}, {
		dir:    "pip-root",
		reqs:   []Requirement{gunicorn},
		file:   "requirements.txt",
		old:    "./vendor/localpkg\n",
		new:    "./vendor/localpkg\n# added by djangocdk init: WSGI server\ngunicorn==27.0.1\n",
		manual: "pip-compile --generate-hashes (the file pins hashes, and pip refuses requirements without them)",
		added:  []string{"gunicorn"},
	}, {
		dir:  "pep621-extras",
		reqs: []Requirement{gunicorn, psycopg, storages},
		file: "pyproject.toml",
		old:  "  'python-ldap>=3.4'\n]",
		new: "  'python-ldap>=3.4',\n  'psycopg[binary]==3.3.9',  # added by djangocdk init: PostgreSQL\n" +
			"  'django-storages[s3]==1.14.6',  # added by djangocdk init: media on S3\n]",
		added: []string{"psycopg", "django-storages"},
	}, {
		dir:    "uv-groups",
		reqs:   []Requirement{psycopg, storages},
		file:   "pyproject.toml",
		old:    "    \"psycopg[binary]>=3.2\", # the PostgreSQL driver\n",
		new:    "    \"psycopg[binary]>=3.2\", # the PostgreSQL driver\n    \"django-storages[s3]==1.14.6\",  # added by djangocdk init: media on S3\n",
		manual: "uv lock",
		added:  []string{"django-storages"},
	}, {
		dir:    "uv-default-groups",
		reqs:   []Requirement{redis, {Spec: "psycopg[binary]==3.3.9"}},
		file:   "pyproject.toml",
		old:    `production = [{ include-group = "server" }]`,
		new:    `production = [{ include-group = "server" }, "redis==8.1.0"]`,
		manual: "uv lock",
		added:  []string{"redis"},
	}, {
		dir:    "poetry2-groups",
		reqs:   []Requirement{gunicorn, storages},
		file:   "pyproject.toml",
		old:    "psycopg = { version = \"^3.2\", extras = [\"c\"] }\n",
		new:    "psycopg = { version = \"^3.2\", extras = [\"c\"] }\ndjango-storages = {version = \"==1.14.6\", extras = [\"s3\"]}  # added by djangocdk init: media on S3\n",
		manual: "poetry lock",
		added:  []string{"django-storages"},
	}, {
		dir:    "poetry-extras",
		reqs:   []Requirement{gunicorn, {Spec: `psycopg[binary]==3.3.9; python_version >= "3.10"`}},
		file:   "pyproject.toml",
		old:    "django-storages = {extras = [\"s3\"], version = \"^1.14\"}\n",
		new:    "django-storages = {extras = [\"s3\"], version = \"^1.14\"}\ngunicorn = \"==27.0.1\"  # added by djangocdk init: WSGI server\n" + `psycopg = {version = "==3.3.9", extras = ["binary"], markers = "python_version >= \"3.10\""}  # added by djangocdk init` + "\n",
		manual: "poetry lock",
		added:  []string{"gunicorn", "psycopg"},
	}, {
		dir:    "pipenv",
		reqs:   []Requirement{psycopg, gunicorn, {Name: "Django"}},
		file:   "Pipfile",
		old:    "mysqlclient = \"*\"\n",
		new:    "mysqlclient = \"*\"\ngunicorn = \"==27.0.1\"  # added by djangocdk init: WSGI server\n",
		manual: "pipenv lock",
		added:  []string{"gunicorn"},
	}}
	for _, tt := range tests {
		t.Run(tt.dir, func(t *testing.T) {
			dir := copyTestdata(t, tt.dir)
			before := read(t, dir, tt.file)
			if strings.Count(before, tt.old) != 1 {
				t.Fatalf("%q is not once in %s", tt.old, tt.file)
			}
			plan, err := Detect(dir)
			if err != nil {
				t.Fatal(err)
			}
			changes, err := Add(dir, plan, tt.reqs)
			if err != nil {
				t.Fatal(err)
			}
			if len(changes) != 1 || changes[0].File != tt.file || changes[0].Manual != tt.manual || !strings.HasPrefix(changes[0].Description, "added ") {
				t.Errorf("changes = %+v, want one to %s with manual step %q", changes, tt.file, tt.manual)
			}
			after := read(t, dir, tt.file)
			if want := strings.Replace(before, tt.old, tt.new, 1); after != want {
				t.Fatalf("%s afterwards:\n%s\nwant:\n%s", tt.file, after, want)
			}
			for _, name := range tt.added {
				if !plan.Has(name) {
					t.Errorf("plan does not declare %s after Add", name)
				}
			}
			// Once added, never twice: with the same plan, and with a new one.
			for _, p := range []*Plan{plan, mustDetect(t, dir)} {
				for _, name := range tt.added {
					if !p.Has(name) {
						t.Errorf("%s is not declared after Add", name)
					}
				}
				if changes, err := Add(dir, p, tt.reqs); err != nil || len(changes) > 0 || read(t, dir, tt.file) != after {
					t.Errorf("second Add = %+v, %v; the file changed: %v", changes, err, read(t, dir, tt.file) != after)
				}
			}
		})
	}
}

func mustDetect(t *testing.T, dir string) *Plan {
	t.Helper()
	p, err := Detect(dir)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

func TestAddCreatesRequirements(t *testing.T) {
	dir := t.TempDir()
	plan := mustDetect(t, dir)
	changes, err := Add(dir, plan, []Requirement{gunicorn})
	if err != nil || len(changes) != 1 {
		t.Fatalf("Add = %+v, %v", changes, err)
	}
	if got, want := read(t, dir, "requirements.txt"), "# added by djangocdk init: WSGI server\ngunicorn==27.0.1\n"; got != want {
		t.Errorf("requirements.txt = %q, want %q", got, want)
	}
}

func TestAddPipTools(t *testing.T) {
	dir := t.TempDir()
	write(t, dir, "requirements.in", "django\n")
	write(t, dir, "requirements.txt", "django==5.2.19\n    # via -r requirements.in\n")
	changes, err := Add(dir, mustDetect(t, dir), []Requirement{gunicorn})
	if err != nil || len(changes) != 2 || changes[0].Manual != "pip-compile requirements.in" || changes[1].File != "requirements.in" {
		t.Fatalf("Add = %+v, %v", changes, err)
	}
	if in := read(t, dir, "requirements.in"); in != "django\n# added by djangocdk init: WSGI server\ngunicorn==27.0.1\n" {
		t.Errorf("requirements.in = %q", in)
	}
}

func TestAddPoetry2MainDependencies(t *testing.T) {
	noTools(t)
	dir := t.TempDir()
	const before = "[project]\nname = \"x\"\nversion = \"1\"\ndependencies = [\n    \"django (>=5.2,<6.0)\"\n]\n\n[tool.poetry]\npackage-mode = false\n"
	write(t, dir, "pyproject.toml", before)
	if _, err := Add(dir, mustDetect(t, dir), []Requirement{gunicorn}); err != nil {
		t.Fatal(err)
	}
	want := strings.Replace(before, "<6.0)\"\n", "<6.0)\",\n    \"gunicorn==27.0.1\",  # added by djangocdk init: WSGI server\n", 1)
	if got := read(t, dir, "pyproject.toml"); got != want {
		t.Errorf("pyproject.toml:\n%s\nwant:\n%s", got, want)
	}
}

func TestAddRefusesToBreakTheFile(t *testing.T) {
	noTools(t)
	dir := t.TempDir()
	// The group's dependencies are a dotted key of [tool.poetry]: a new
	// [tool.poetry.group.prod.dependencies] table would define them twice.
	const before = "[tool.poetry]\nname = \"x\"\ngroup.prod.dependencies = {gunicorn = \"*\"}\n\n[tool.poetry.dependencies]\npython = \"^3.12\"\n"
	write(t, dir, "pyproject.toml", before)
	plan := mustDetect(t, dir)
	if _, err := Add(dir, plan, []Requirement{redis}); err == nil || !strings.Contains(err.Error(), "by hand") {
		t.Errorf("Add = %v, want an error asking to add it by hand", err)
	}
	if read(t, dir, "pyproject.toml") != before {
		t.Error("pyproject.toml changed")
	}
}

func TestMissing(t *testing.T) {
	plan := &Plan{Declared: map[string]string{"psycopg": "psycopg>=3.2"}}
	got, err := plan.Missing([]Requirement{psycopg, {Name: "Gunicorn"}, {Spec: "gunicorn"}, {Name: "unknown-thing"}})
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 2 || got[0].Spec != "gunicorn==27.0.1" || got[0].Name != "gunicorn" || got[1].Spec != "unknown-thing" {
		t.Errorf("Missing = %+v", got)
	}
	if _, err := plan.Missing([]Requirement{{Name: "redis", Spec: "celery"}}); err == nil {
		t.Error("a spec naming another distribution: no error")
	}
}

// A failing uv leaves the files as they were; Add then edits pyproject.toml.
func TestAddWhenUVFails(t *testing.T) {
	bin := t.TempDir()
	write(t, bin, "uv", "#!/bin/sh\necho broken > pyproject.toml\necho junk > uv.lock\necho 'error: no network' >&2\nexit 2\n")
	if err := os.Chmod(filepath.Join(bin, "uv"), 0o755); err != nil {
		t.Fatal(err)
	}
	old := lookPath
	lookPath = func(name string) (string, error) { return filepath.Join(bin, name), nil }
	t.Cleanup(func() { lookPath = old })
	dir := copyTestdata(t, "uv-groups")
	lock := read(t, dir, "uv.lock")
	changes, err := Add(dir, mustDetect(t, dir), []Requirement{redis})
	if err != nil {
		t.Fatal(err)
	}
	if len(changes) != 1 || changes[0].Manual != "uv lock" || !strings.Contains(changes[0].Description, "uv failed, the file was edited instead") ||
		!strings.Contains(changes[0].Description, "error: no network") {
		t.Errorf("changes = %+v", changes)
	}
	if read(t, dir, "uv.lock") != lock || strings.Count(read(t, dir, "pyproject.toml"), `"redis==8.1.0",  # added by djangocdk init`) != 1 {
		t.Errorf("uv.lock restored: %v; pyproject.toml:\n%s", read(t, dir, "uv.lock") == lock, read(t, dir, "pyproject.toml"))
	}
}
