package preflight

import (
	"context"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/djangocdk/djangocdk"
)

func TestHealthyProject(t *testing.T) {
	// What the project prints goes to the output, never into the report.
	r := trial(t, project{settingsExtra: "print(\"settings loaded\")\n"}, nil)
	if !r.OK || len(r.Problems) != 0 {
		t.Fatalf("want OK, got problems %+v\noutput:\n%s", r.Problems, r.Output)
	}
	if !strings.Contains(r.Output, "settings loaded") {
		t.Errorf("the project's print is not in the output: %q", r.Output)
	}
	if !hasNote(r, "health: /healthz answered 200 to the load balancer's health check") {
		t.Errorf("health step did not run: notes %q", r.Notes)
	}
	if !hasNote(r, "static: collectstatic with hashed names succeeded") {
		t.Errorf("static step did not run: notes %q", r.Notes)
	}
}

// TestAWSAtImport: storages that read from S3 when the settings load (a
// manifest storage fetching staticfiles.json, as Wagtail's admin makes it do)
// meet an empty account on loopback, not a credentials error or AWS itself.
func TestAWSAtImport(t *testing.T) {
	extra := "import boto3  # noqa: E402\nimport botocore.exceptions  # noqa: E402\n\n" +
		"try:\n    boto3.client(\"s3\", region_name=\"us-east-1\").get_object(Bucket=\"b\", Key=\"staticfiles.json\")\n" +
		"except botocore.exceptions.ClientError as exc:\n    assert exc.response[\"Error\"][\"Code\"] == \"NoSuchKey\"\n"
	r := trial(t, project{settingsExtra: extra}, nil)
	if !r.OK {
		t.Fatalf("want OK, got problems %+v\noutput:\n%s", r.Problems, r.Output)
	}
}

func TestMissingEnvironmentVariable(t *testing.T) {
	extra := "import os  # noqa: E402\n\nSENTRY_DSN = os.environ[\"SENTRY_DSN\"]\n"
	p := project{settingsExtra: extra}
	f := only(t, trial(t, p, nil), StepImport)
	want := lineOf(t, settingsHead+extra, `os.environ["SENTRY_DSN"]`)
	if f.Variable != "SENTRY_DSN" || f.File != "mysite/settings.py" || f.Line != want {
		t.Errorf("got %+v, want SENTRY_DSN at mysite/settings.py:%d", f, want)
	}
	if !strings.Contains(f.Hint, "[tool.djangocdk.env] SENTRY_DSN") {
		t.Errorf("hint does not name the configuration: %q", f.Hint)
	}
}

func TestDjangoEnvironStyleError(t *testing.T) {
	// django-environ's message, raised from a module of the project's own.
	p := project{
		settingsExtra: "from mysite.env import read  # noqa: E402\n\nSITE_URL = read(\"SITE_URL\")\n",
		files: map[string]string{"mysite/env.py": `import os

from django.core.exceptions import ImproperlyConfigured


def read(name):
    if name not in os.environ:
        raise ImproperlyConfigured(f"Set the {name} environment variable")
    return os.environ[name]
`},
	}
	f := only(t, trial(t, p, nil), StepImport)
	if f.Variable != "SITE_URL" || f.File != "mysite/env.py" || f.Line != 8 {
		t.Errorf("got %+v, want SITE_URL at mysite/env.py:8", f)
	}
}

func TestProjectSystemCheck(t *testing.T) {
	p := project{
		settingsAfter: "\nSITE_URL = os.environ.get(\"SITE_URL\", \"\")\n",
		settingsExtra: "import os  # noqa: E402\n",
		files: map[string]string{
			"core/apps.py": `from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "core"

    def ready(self):
        from core import checks  # noqa: F401
`,
			"core/checks.py": `from urllib.parse import urlsplit

from django.conf import settings
from django.core.checks import Error, register


@register()
def users_exist(app_configs, **kwargs):
    from django.contrib.auth.models import User

    User.objects.exists()
    return []


@register()
def site_url_host(app_configs, **kwargs):
    host = urlsplit(settings.SITE_URL).hostname
    if host not in settings.ALLOWED_HOSTS:
        return [Error(f"SITE_URL host {host} is not in ALLOWED_HOSTS", id="core.E001", hint="fix SITE_URL")]
    return []
`,
		},
	}
	r := trial(t, p, func(c *Container, _ *Options) {
		c.Environment["SITE_URL"] = "https://www.example.org"
	})
	f := only(t, r, StepCheck)
	if f.ID != "core.E001" || !strings.Contains(f.Message, "www.example.org") || f.Hint != "fix SITE_URL" {
		t.Errorf("got %+v", f)
	}
	// A check that queries the database cannot run without one: a warning, not a hang.
	var dbWarning bool
	for _, w := range r.Warnings {
		dbWarning = dbWarning || strings.Contains(w.Message, "core.checks.users_exist needs the database")
	}
	if !dbWarning {
		t.Errorf("no warning for the check that needs the database: %+v", r.Warnings)
	}
}

func TestHealthPathQueriesDatabase(t *testing.T) {
	urls := `from django.contrib.auth.models import User
from django.http import HttpResponse
from django.urls import path


def health(request):
    User.objects.exists()
    return HttpResponse("ok")


urlpatterns = [path("healthz", health)]
`
	f := only(t, trial(t, project{urls: urls}, nil), StepHealth)
	if !strings.Contains(f.Message, "queried the database: SELECT") || !strings.Contains(f.Message, "auth_user") {
		t.Errorf("message does not name the query: %q", f.Message)
	}
	if f.File != "mysite/urls.py" || f.Line != 7 {
		t.Errorf("want mysite/urls.py:7, got %s:%d", f.File, f.Line)
	}
}

func TestHealthPathWithoutRoute(t *testing.T) {
	if !strings.Contains(djangocdk.SettingsHelperSource(), "HealthCheckMiddleware") {
		t.Skip("needs HealthCheckMiddleware in djangocdk_settings.py")
	}
	urls := "urlpatterns = []\n"
	r := trial(t, project{urls: urls}, nil)
	if !r.OK {
		t.Fatalf("want the helper's middleware to answer /healthz, got %+v", r.Problems)
	}
}

func TestHealthPathNotRouted404(t *testing.T) {
	// Without the helper's middleware (settings reassign MIDDLEWARE after configure).
	p := project{urls: "urlpatterns = []\n", settingsAfter: "\nMIDDLEWARE = [m for m in MIDDLEWARE if \"djangocdk\" not in m]\n"}
	r := trial(t, p, nil)
	f := only(t, r, StepHealth)
	if !strings.Contains(f.Message, "/healthz is not routed: 404") {
		t.Errorf("got %+v", f)
	}
}

func TestHealthPathHostAndRedirect(t *testing.T) {
	t.Run("allowed hosts reassigned", func(t *testing.T) {
		r := trial(t, project{settingsAfter: "\nALLOWED_HOSTS = [\"example.com\"]\n"}, nil)
		f := only(t, r, StepHealth)
		if !strings.Contains(f.Message, "ALLOWED_HOSTS lacks the task's private IP") {
			t.Errorf("got %+v", f)
		}
	})
	t.Run("redirect not exempt", func(t *testing.T) {
		r := trial(t, project{settingsAfter: "\nSECURE_REDIRECT_EXEMPT = []\n"}, nil)
		f := only(t, r, StepHealth)
		if !strings.Contains(f.Message, "HTTPS redirect is not exempt") || !strings.Contains(f.Message, "https://10.0.1.23/healthz") {
			t.Errorf("got %+v", f)
		}
	})
}

// TestSchemeHeaderIgnored: a project (or an old copy of the helper) that
// trusts X-Forwarded-Proto behind CloudFront, where the load balancer says
// http, would redirect every page but the health path in a loop.
func TestSchemeHeaderIgnored(t *testing.T) {
	r := trial(t, project{settingsAfter: "\nSECURE_PROXY_SSL_HEADER = (\"HTTP_X_FORWARDED_PROTO\", \"https\")\n"}, nil)
	f := only(t, r, StepHealth)
	if !strings.Contains(f.Message, "redirect in a loop") || !strings.Contains(f.Hint, "HTTP_CLOUDFRONT_FORWARDED_PROTO") {
		t.Errorf("got %+v", f)
	}
	if r := trial(t, project{}, nil); len(r.Problems) != 0 {
		t.Errorf("the helper's own setting must pass the probe: %+v", r.Problems)
	}
}

func TestStaticMissingSourceMap(t *testing.T) {
	css := "body { color: red; }\n/*# sourceMappingURL=app.css.map */\n"
	p := project{files: map[string]string{"core/static/core/app.css": css}}
	f := only(t, trial(t, p, nil), StepStatic)
	if !strings.Contains(f.Message, "core/app.css references core/app.css.map") {
		t.Errorf("message does not name both files: %q", f.Message)
	}
	if f.File != "core/static/core/app.css" || f.Line != 2 || !strings.Contains(f.Hint, `static_storage = "s3"`) {
		t.Errorf("got %+v", f)
	}

	r := trial(t, p, func(c *Container, _ *Options) { c.Environment[djangocdk.EnvStaticStorage] = "s3" })
	if !r.OK || !hasNote(r, "static: not collected") {
		t.Errorf("with static_storage s3 the step is skipped: OK=%v notes=%q", r.OK, r.Notes)
	}
}

func TestWebCommandApplication(t *testing.T) {
	r := trial(t, project{}, func(c *Container, _ *Options) {
		c.Command = []string{"gunicorn", "mysite.wsgy:application", "--bind", "0.0.0.0:8000"}
	})
	f := only(t, r, StepImport)
	if !strings.Contains(f.Message, "application mysite.wsgy:application cannot be loaded: ModuleNotFoundError") {
		t.Errorf("got %+v", f)
	}
}

func TestHelperRejectsValue(t *testing.T) {
	r := trial(t, project{}, func(c *Container, _ *Options) {
		c.Environment[djangocdk.EnvHealthCheckPath] = "healthz"
	})
	f := only(t, r, StepImport)
	if f.Variable != djangocdk.EnvHealthCheckPath || !strings.HasPrefix(f.Message, "djangocdk_settings: ") {
		t.Errorf("got %+v", f)
	}
}

func TestSettingsWithoutHelper(t *testing.T) {
	r := trial(t, project{noHelper: true}, nil)
	var f *Finding
	for i := range r.Problems {
		if r.Problems[i].Step == StepConfigure {
			f = &r.Problems[i]
		}
	}
	if f == nil || !strings.Contains(f.Message, "does not call djangocdk_settings.configure(globals())") || f.File != "mysite/settings.py" {
		t.Fatalf("want a configure problem, got %+v", r.Problems)
	}
}

func TestUserSecretStandIn(t *testing.T) {
	// A secret of the project's own is read at import: the trial passes with
	// its stand-in, and the note says so.
	p := project{settingsExtra: "import os  # noqa: E402\n\nSENTRY_DSN = os.environ[\"SENTRY_DSN\"]\n"}
	r := trial(t, p, func(c *Container, _ *Options) { c.Secrets = append(c.Secrets, "SENTRY_DSN") })
	if !r.OK || !hasNote(r, "stand-in used for SENTRY_DSN") {
		t.Errorf("OK=%v problems=%+v notes=%q", r.OK, r.Problems, r.Notes)
	}
}

func TestStuckStartReportsWhere(t *testing.T) {
	extra := "import time  # noqa: E402\n\ntime.sleep(60)\n"
	r := trial(t, project{settingsExtra: extra}, func(_ *Container, o *Options) { o.Timeout = 3 * time.Second })
	f := only(t, r, StepImport)
	want := lineOf(t, settingsHead+extra, "time.sleep(60)")
	if !strings.Contains(f.Message, "did not finish") || f.File != "mysite/settings.py" || f.Line != want {
		t.Errorf("got %+v, want the sleep at mysite/settings.py:%d", f, want)
	}
}

func TestLauncherEntryPoint(t *testing.T) {
	if !strings.Contains(djangocdk.SettingsHelperSource(), `"exec"`) {
		t.Skip("needs the launcher (python -m djangocdk_settings exec) in djangocdk_settings.py")
	}
	p := project{settingsExtra: "import os  # noqa: E402\n\nDB_URL = os.environ[\"DATABASE_URL\"]\n"}
	r := trial(t, p, func(c *Container, o *Options) { o.EntryPoint = djangocdk.LauncherEntryPoint })
	if !r.OK {
		t.Errorf("through the launcher DATABASE_URL exists: %+v", r.Problems)
	}
	r = trial(t, p, nil)
	f := only(t, r, StepImport)
	if f.Variable != djangocdk.EnvDatabaseURL || !strings.Contains(f.Hint, "launcher") {
		t.Errorf("without the launcher: %+v", f)
	}
}

func TestPythonWithoutDjango(t *testing.T) {
	python, err := exec.LookPath("python3")
	if err != nil {
		t.Skip("no python3 on PATH")
	}
	if exec.Command(python, "-c", "import django").Run() == nil {
		t.Skip("python3 on PATH has Django")
	}
	env, err := StandIns(webContainer(), "")
	if err != nil {
		t.Fatal(err)
	}
	_, err = Run(context.Background(), Options{Python: python, ManageDir: project{}.write(t), Env: env})
	if !errors.Is(err, ErrPythonEnvironment) || !strings.Contains(err.Error(), "cannot import Django") {
		t.Errorf("got %v", err)
	}
	_, err = Run(context.Background(), Options{Python: "/nonexistent/python", ManageDir: t.TempDir(), Env: env})
	if !errors.Is(err, ErrPythonEnvironment) || !strings.Contains(err.Error(), "pass --python PATH") {
		t.Errorf("got %v", err)
	}
}

func TestTrialEnvironment(t *testing.T) {
	t.Setenv("PYTHONPATH", "/elsewhere")
	t.Setenv("PREFLIGHT_TEST_LEAK", "1")
	t.Setenv("PATH", "/usr/bin")
	t.Setenv("AWS_PROFILE", "prod")
	got := strings.Join(trialEnv(map[string]string{"A": "1", "PYTHONPATH": "/app", "AWS_PROFILE": "prod"}, "http://127.0.0.1:1/v4", "http://127.0.0.1:2"), "\n")
	for _, want := range []string{"A=1", "PATH=/usr/bin", "DJANGOCDK_PREFLIGHT=1", "ECS_CONTAINER_METADATA_URI_V4=http://127.0.0.1:1/v4", "AWS_ENDPOINT_URL=http://127.0.0.1:2"} {
		if !strings.Contains(got, want) {
			t.Errorf("missing %s in\n%s", want, got)
		}
	}
	for _, unwanted := range []string{"PYTHONPATH", "PREFLIGHT_TEST_LEAK", "AWS_PROFILE"} {
		if strings.Contains(got, unwanted) {
			t.Errorf("%s passed to the trial:\n%s", unwanted, got)
		}
	}
}

func hasNote(r *Report, prefix string) bool {
	for _, n := range r.Notes {
		if strings.HasPrefix(n, prefix) {
			return true
		}
	}
	return false
}

// TestTrialIsRuffClean holds trial.py to the repository's ruff settings
// (scripts/test.sh lints tests, the release handler and the sample project, not internal/).
func TestTrialIsRuffClean(t *testing.T) {
	ruff := filepath.Join(filepath.Dir(testPython(t)), "ruff")
	if _, err := os.Stat(ruff); err != nil {
		t.Skip("ruff is not installed in the repository's .venv")
	}
	for _, args := range [][]string{{"check", "trial.py"}, {"format", "--check", "trial.py"}} {
		if out, err := exec.Command(ruff, args...).CombinedOutput(); err != nil {
			t.Errorf("ruff %s: %v\n%s", strings.Join(args, " "), err, out)
		}
	}
}

func TestAppSpec(t *testing.T) {
	for _, c := range []struct {
		command []string
		want    string
	}{
		{[]string{"gunicorn", "mysite.wsgi:application", "--bind", "0.0.0.0:8000"}, "mysite.wsgi:application"},
		{[]string{"gunicorn", "--bind", "0.0.0.0:8000", "-w", "2", "config.wsgi"}, "config.wsgi:application"},
		{[]string{"gunicorn", "-c", "gunicorn.conf.py", "--preload", "config.wsgi"}, "config.wsgi:application"},
		{[]string{"/venv/bin/uvicorn", "--host", "0.0.0.0", "config.asgi:app"}, "config.asgi:app"},
		{[]string{"python", "-m", "gunicorn", "app:create_app()"}, "app:create_app()"},
		{[]string{"celery", "-A", "mysite", "worker"}, ""},
		{nil, ""},
	} {
		if got := appSpec(c.command); got != c.want {
			t.Errorf("appSpec(%q) = %q, want %q", c.command, got, c.want)
		}
	}
}
