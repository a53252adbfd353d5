package deps

import (
	"maps"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"
)

func TestDetect(t *testing.T) {
	tests := []struct {
		dir            string
		manager        string
		files          []string
		requirements   string
		groups, extras []string
		command        []string
		declared       []string // every key of Declared, sorted
		spec           map[string]string
		system         SystemPackages
		from           string
		warnings       []string // substrings, one per warning
	}{{
		dir:          "pip-split",
		manager:      ManagerPip,
		files:        []string{"requirements/"},
		requirements: "requirements/production.txt",
		command:      []string{"pip install -r requirements/production.txt"},
		declared:     []string{"django", "django-celery-beat", "django-environ", "gunicorn", "pillow", "psycopg2"},
		spec:         map[string]string{"django": "Django>=5.2,<6.0", "django-celery-beat": `django_celery_beat==2.8.1 ; python_version >= "3.10"`},
		system:       SystemPackages{Build: []string{"libpq-dev"}, Runtime: []string{"libpq5"}},
		from:         "requirements/production.txt (with requirements/base.txt, requirements/constraints.txt)",
	}, {
		dir:          "pip-root",
		manager:      ManagerPip,
		files:        []string{"requirements.txt"},
		requirements: "requirements.txt",
		command:      []string{"pip install -r requirements.txt"},
		declared:     []string{"django", "django-thing", "lxml", "python-magic", "whitenoise"},
		spec: map[string]string{
			"django":       "Django==5.2.19",
			"django-thing": "git+https://github.com/example/django-thing.git@v1.2#egg=django-thing",
			"python-magic": "python-magic==0.4.27",
			"whitenoise":   "whitenoise @ https://files.example.org/whitenoise-6.12.0-py3-none-any.whl",
		},
		system: SystemPackages{
			Build:   []string{"libxml2-dev", "libxslt1-dev"},
			Runtime: []string{"libmagic1", "libxml2", "libxslt1.1"},
		},
		from:     "requirements.txt",
		warnings: []string{"./vendor/localpkg is installed from a local path"},
	}, {
		dir:      "uv-groups",
		manager:  ManagerUV,
		files:    []string{"pyproject.toml", "uv.lock"},
		groups:   []string{"prod"},
		command:  []string{"uv sync --locked --no-dev --no-install-project --group prod"},
		declared: []string{"django", "gunicorn", "psycopg"},
		spec:     map[string]string{"psycopg": "psycopg[binary]>=3.2"},
		from:     "uv.lock; group prod",
	}, {
		dir:      "uv-default-groups",
		manager:  ManagerUV,
		files:    []string{"pyproject.toml"},
		groups:   []string{"monitoring", "production", "server"},
		extras:   []string{"postgres"},
		command:  []string{"uv sync --no-dev --no-install-project --no-group lint --group production --extra postgres"},
		declared: []string{"django", "gunicorn", "lxml", "psycopg", "sentry-sdk"},
		system: SystemPackages{
			Build:   []string{"libxml2-dev", "libxslt1-dev"},
			Runtime: []string{"libpq5", "libxml2", "libxslt1.1"},
		},
		from:     "pyproject.toml [tool.uv] (no uv.lock); groups monitoring, production, server; extra postgres",
		warnings: []string{"no uv.lock"},
	}, {
		dir:      "poetry2-groups",
		manager:  ManagerPoetry,
		files:    []string{"pyproject.toml", "poetry.lock"},
		groups:   []string{"prod"},
		command:  []string{"poetry install --only main,prod --no-root --no-interaction"},
		declared: []string{"django", "gunicorn", "psycopg"},
		spec:     map[string]string{"django": "django (>=5.2,<6.0)", "gunicorn": "gunicorn 23.0.0", "psycopg": "psycopg[c] ^3.2"},
		system:   SystemPackages{Build: []string{"libpq-dev"}, Runtime: []string{"libpq5"}},
		from:     "poetry.lock; groups main, prod",
	}, {
		dir:      "poetry-extras",
		manager:  ManagerPoetry,
		files:    []string{"pyproject.toml"},
		extras:   []string{"postgres"},
		command:  []string{"poetry install --only main --no-root --no-interaction --extras postgres"},
		declared: []string{"django", "django-storages", "psycopg2"},
		spec:     map[string]string{"django": "Django ^5.2", "django-storages": "django-storages[s3] ^1.14"},
		system:   SystemPackages{Build: []string{"libpq-dev"}, Runtime: []string{"libpq5"}},
		from:     "pyproject.toml [tool.poetry] (no poetry.lock); group main; extra postgres",
		warnings: []string{"no poetry.lock"},
	}, {
		dir:      "pep621-extras",
		manager:  ManagerPEP621,
		files:    []string{"pyproject.toml"},
		extras:   []string{"prod"},
		declared: []string{"django", "gunicorn", "python-ldap", "whitenoise"},
		system: SystemPackages{
			Build:   []string{"libldap2-dev", "libsasl2-dev"},
			Runtime: []string{"libldap-2.5-0", "libsasl2-2"},
		},
		from: "pyproject.toml [project] dependencies; extra prod",
	}, {
		dir:      "pipenv",
		manager:  ManagerPipenv,
		files:    []string{"Pipfile"},
		command:  []string{"pipenv requirements > /tmp/requirements.txt", "pip install -r /tmp/requirements.txt"},
		declared: []string{"django", "mysqlclient", "psycopg"},
		spec:     map[string]string{"django": "django ~=5.2", "psycopg": "psycopg[binary] ==3.2.10", "mysqlclient": "mysqlclient"},
		system: SystemPackages{
			Build:   []string{"default-libmysqlclient-dev", "pkg-config"},
			Runtime: []string{"libmariadb3"},
		},
		from:     "Pipfile [packages] (no Pipfile.lock)",
		warnings: []string{"no Pipfile.lock"},
	}}
	for _, tt := range tests {
		t.Run(tt.dir, func(t *testing.T) {
			p, err := Detect(filepath.Join("testdata", tt.dir))
			if err != nil {
				t.Fatal(err)
			}
			check := func(what string, got, want any) {
				t.Helper()
				if !reflect.DeepEqual(got, want) {
					t.Errorf("%s = %#v, want %#v", what, got, want)
				}
			}
			check("Manager", p.Manager, tt.manager)
			check("Files", p.Files, tt.files)
			check("RequirementsFile", p.RequirementsFile, tt.requirements)
			check("Groups", p.Groups, tt.groups)
			check("Extras", p.Extras, tt.extras)
			if tt.command != nil {
				check("InstallCommand", p.InstallCommand, tt.command)
			}
			check("Declared keys", slices.Sorted(maps.Keys(p.Declared)), tt.declared)
			for k, v := range tt.spec {
				check("Declared["+k+"]", p.Declared[k], v)
			}
			check("SystemPackages", p.SystemPackages, tt.system)
			check("From", p.From, tt.from)
			if len(p.Warnings) != len(tt.warnings) {
				t.Errorf("Warnings = %q, want %d", p.Warnings, len(tt.warnings))
			}
			for i, w := range tt.warnings {
				if i < len(p.Warnings) && !strings.Contains(p.Warnings[i], w) {
					t.Errorf("Warnings[%d] = %q, want it to mention %q", i, p.Warnings[i], w)
				}
			}
		})
	}
}

func TestDetectNothingDeclared(t *testing.T) {
	p, err := Detect(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	if p.Manager != ManagerPip || p.RequirementsFile != "requirements.txt" || len(p.Declared) != 0 || len(p.Warnings) != 1 {
		t.Errorf("plan = %+v, want pip with requirements.txt to create", p)
	}
}

func TestDetectBrokenPyproject(t *testing.T) {
	dir := t.TempDir()
	write(t, dir, "pyproject.toml", "[project\nname = 1\n")
	if _, err := Detect(dir); err == nil || !strings.Contains(err.Error(), "pyproject.toml") {
		t.Errorf("Detect = %v, want an error naming pyproject.toml", err)
	}
}

func TestDetectPipIncludes(t *testing.T) {
	dir := t.TempDir()
	write(t, dir, "requirements-prod.txt", "-r requirements/base.txt\n-r missing.txt\n-r ../outside.txt\n-r https://e.org/r.txt\ngunicorn\n")
	write(t, dir, "requirements/base.txt", "--requirement ../requirements-prod.txt\ndjango\n")
	write(t, dir, "requirements.txt", "pytest\n") // not the production file
	p, err := Detect(dir)
	if err != nil {
		t.Fatal(err)
	}
	if p.RequirementsFile != "requirements-prod.txt" || !reflect.DeepEqual(p.Files, []string{"requirements-prod.txt", "requirements/"}) {
		t.Errorf("RequirementsFile %q, Files %q", p.RequirementsFile, p.Files)
	}
	if got := slices.Sorted(maps.Keys(p.Declared)); !reflect.DeepEqual(got, []string{"django", "gunicorn"}) {
		t.Errorf("Declared = %q", got)
	}
	want := []string{"missing.txt is included but cannot be read", "../outside.txt, outside the project", "https://e.org/r.txt from the network"}
	if len(p.Warnings) != len(want) {
		t.Fatalf("Warnings = %q", p.Warnings)
	}
	for i, w := range want {
		if !strings.Contains(p.Warnings[i], w) {
			t.Errorf("Warnings[%d] = %q, want it to mention %q", i, p.Warnings[i], w)
		}
	}
}
