package preflight

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/djangocdk/djangocdk"
)

// testPython is the repository's virtualenv Python (Django 5.2), or the test
// is skipped.
func testPython(t *testing.T) string {
	t.Helper()
	dir, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			break
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			t.Skip("repository root (go.mod) not found")
		}
		dir = parent
	}
	python := filepath.Join(dir, ".venv", "bin", "python")
	if _, err := os.Stat(python); err != nil {
		t.Skipf("needs the repository's Python environment with Django (%s): run ./scripts/test.sh once to create it", python)
	}
	return python
}

// project describes a small Django project written into a temporary directory.
type project struct {
	settingsExtra string            // lines before the helper's two lines
	settingsAfter string            // lines after them
	noHelper      bool              // leave the helper's two lines out
	urls          string            // mysite/urls.py; "" for the default with /healthz
	files         map[string]string // more files, or replacements
}

const settingsHead = `from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
SECRET_KEY = "django-insecure-local-development-only"
DEBUG = True
ALLOWED_HOSTS = ["localhost"]
INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "core",
]
MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]
ROOT_URLCONF = "mysite.urls"
TEMPLATES = [{"BACKEND": "django.template.backends.django.DjangoTemplates", "APP_DIRS": True, "OPTIONS": {}}]
DATABASES = {"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": BASE_DIR / "db.sqlite3"}}
STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
USE_TZ = True
`

const helperLines = `
import djangocdk_settings  # noqa: E402

djangocdk_settings.configure(globals())
`

const defaultURLs = `from django.http import HttpResponse
from django.urls import path


def health(request):
    return HttpResponse("ok")


urlpatterns = [path("healthz", health)]
`

// write creates the project and returns the directory holding manage.py.
func (p project) write(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	settings := settingsHead + p.settingsExtra
	if !p.noHelper {
		settings += helperLines
	}
	settings += p.settingsAfter
	urls := p.urls
	if urls == "" {
		urls = defaultURLs
	}
	files := map[string]string{
		"manage.py":                  "import os\nimport sys\n\nos.environ.setdefault(\"DJANGO_SETTINGS_MODULE\", \"mysite.settings\")\nfrom django.core.management import execute_from_command_line\n\nexecute_from_command_line(sys.argv)\n",
		"mysite/__init__.py":         "",
		"mysite/settings.py":         settings,
		"mysite/urls.py":             urls,
		"mysite/wsgi.py":             "from django.core.wsgi import get_wsgi_application\n\napplication = get_wsgi_application()\n",
		"core/__init__.py":           "",
		"core/static/core/site.css":  "body {\n  background: url(\"logo.svg\");\n}\n",
		"core/static/core/logo.svg":  "<svg xmlns=\"http://www.w3.org/2000/svg\"/>\n",
		djangocdk.SettingsHelperFile: djangocdk.SettingsHelperSource(),
	}
	for name, content := range p.files {
		files[name] = content
	}
	for name, content := range files {
		path := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

// webContainer is shaped like the synthesized web container: plain values
// for what synth knows, intrinsics for the cloud's values, secrets by name.
func webContainer() Container {
	return Container{
		Environment: map[string]any{
			djangocdk.EnvSettingsModule:       "mysite.settings",
			djangocdk.EnvDebug:                "false",
			djangocdk.EnvHTTPS:                "true",
			djangocdk.EnvForwardedProtoHeader: "CloudFront-Forwarded-Proto",
			djangocdk.EnvAllowedHosts:         "example.com",
			djangocdk.EnvCsrfTrustedOrigins:   "https://example.com",
			djangocdk.EnvHealthCheckPath:      "/healthz",
			djangocdk.EnvCeleryDefaultQueue:   "celery",
			djangocdk.EnvRegion:               "us-east-1",
			djangocdk.EnvStaticStorage:        "s3-manifest",
			djangocdk.EnvStorageBucket:        map[string]any{"Fn::ImportValue": "MySiteData:ExportsOutputRefBucket"},
			djangocdk.EnvStorageCustomDomain:  map[string]any{"Fn::ImportValue": "MySiteData:ExportsOutputFnGetAttDistributionDomainName"},
			djangocdk.EnvRedisURL:             join("rediss://", map[string]any{"Fn::ImportValue": "MySiteData:CacheAddress"}, ":", map[string]any{"Fn::ImportValue": "MySiteData:CachePort"}),
			djangocdk.EnvCeleryBrokerURL:      join("rediss://", map[string]any{"Fn::ImportValue": "MySiteData:CacheAddress"}, ":", map[string]any{"Fn::ImportValue": "MySiteData:CachePort"}, "/1"),
		},
		Command: []string{"gunicorn", "mysite.wsgi:application", "--bind", "0.0.0.0:8000", "--workers", "2"},
		Secrets: []string{
			djangocdk.EnvSecretKey, djangocdk.EnvDatabaseHost, djangocdk.EnvDatabasePort, djangocdk.EnvDatabaseName,
			djangocdk.EnvDatabaseUser, djangocdk.EnvDatabasePassword, djangocdk.EnvRedisAuthToken,
		},
	}
}

func join(parts ...any) map[string]any {
	return map[string]any{"Fn::Join": []any{"", parts}}
}

// trial runs the check on p with the web container's stand-in environment,
// changed by edit when not nil.
func trial(t *testing.T, p project, edit func(c *Container, o *Options)) *Report {
	t.Helper()
	python := testPython(t)
	c := webContainer()
	o := Options{Python: python, ManageDir: p.write(t)}
	if edit != nil {
		edit(&c, &o)
	}
	o.Command = c.Command
	env, err := StandIns(c, "https://example.com")
	if err != nil {
		t.Fatal(err)
	}
	o.Env = env
	r, err := Run(context.Background(), o)
	if err != nil {
		t.Fatal(err)
	}
	var b strings.Builder
	r.Print(&b)
	t.Logf("report:\n%s", b.String())
	return r
}

// only returns the single problem of step, failing the test otherwise.
func only(t *testing.T, r *Report, step string) Finding {
	t.Helper()
	var found []Finding
	for _, f := range r.Problems {
		if f.Step == step {
			found = append(found, f)
		}
	}
	if len(found) != 1 || r.OK {
		t.Fatalf("want exactly one %s problem, got %d (OK=%v): %+v\noutput:\n%s", step, len(found), r.OK, r.Problems, r.Output)
	}
	return found[0]
}

// lineOf is the 1-based line of the first line of content containing needle.
func lineOf(t *testing.T, content, needle string) int {
	t.Helper()
	for i, line := range strings.Split(content, "\n") {
		if strings.Contains(line, needle) {
			return i + 1
		}
	}
	t.Fatalf("%q not in content", needle)
	return 0
}
