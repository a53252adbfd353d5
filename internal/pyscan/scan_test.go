package pyscan

import (
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"runtime"
	"slices"
	"strings"
	"testing"
	"time"
)

// python3 returns the machine's python3; the tests run the real interpreter.
func python3(t testing.TB) string {
	t.Helper()
	p, err := exec.LookPath("python3")
	if err != nil {
		t.Skip("python3 not on PATH")
	}
	return p
}

func scan(t testing.TB, root, settings string, extra ...string) *Result {
	t.Helper()
	res, err := Scan(python3(t), Options{Root: filepath.Join("testdata", root), SettingsModule: settings, Extra: extra})
	if err != nil {
		t.Fatal(err)
	}
	return res
}

// reads renders the reads as "NAME file:line required|optional kind cast [default] [cond] [func]".
func reads(res *Result) []string {
	var out []string
	for _, e := range res.EnvReads {
		req := "optional"
		if e.Required {
			req = "required"
		}
		s := fmt.Sprintf("%s %s:%d %s %s %s", e.Name, e.File, e.Line, req, e.Kind, e.Cast)
		if e.Default != "" {
			s += " default=" + e.Default
		}
		if e.Conditional {
			s += " cond"
		}
		if e.InFunction {
			s += " func"
		}
		if e.Via != "" {
			s += " via=" + e.Via
		}
		out = append(out, s)
	}
	return out
}

func routes(res *Result) []string {
	var out []string
	for _, r := range res.URLs {
		s := fmt.Sprintf("%s -> %s @%s:%d", r.Pattern, r.View, r.File, r.Line)
		if r.Include != "" {
			s += " include=" + r.Include
		}
		if r.Name != "" {
			s += " name=" + r.Name
		}
		if r.Regex {
			s += " regex"
		}
		if r.Conditional {
			s += " cond"
		}
		out = append(out, s)
	}
	return out
}

func markers(ms []Marker) []string {
	var out []string
	for _, m := range ms {
		out = append(out, m.String())
	}
	return out
}

func equal[T any](t *testing.T, what string, got, want T) {
	t.Helper()
	if !reflect.DeepEqual(got, want) {
		t.Errorf("%s:\n got  %#v\n want %#v", what, got, want)
	}
}

func lines(t *testing.T, what string, got, want []string) {
	t.Helper()
	if !slices.Equal(got, want) {
		t.Errorf("%s:\n got:\n  %s\n want:\n  %s", what, strings.Join(got, "\n  "), strings.Join(want, "\n  "))
	}
}

// A cookiecutter-django layout: config/settings/{base,production}.py with
// django-environ, a settings package, nested includes, a Celery app imported
// by config/__init__.py, an ASGI package and a file that does not parse.
func TestCookiecutterLayout(t *testing.T) {
	res := scan(t, "cookie", "config.settings.production")

	lines(t, "env reads", reads(res), []string{
		// config/__init__.py imports the Celery app: Python runs it before the settings.
		`DJANGO_SETTINGS_MODULE config/celery_app.py:5 optional os.environ.setdefault str default="config.settings.local"`,
		"DJANGO_READ_DOT_ENV_FILE config/settings/base.py:15 optional environ.Env bool default=False",
		// schema defaults of environ.Env(...): DJANGO_DEBUG=(bool, False)
		"DJANGO_DEBUG config/settings/base.py:19 optional environ.Env bool default=False",
		// DJANGO_TIME_ZONE=str: a cast without a default
		"DJANGO_TIME_ZONE config/settings/base.py:20 required environ.Env str",
		"DATABASE_URL config/settings/base.py:23 required environ.Env db",
		"CELERY_BROKER_URL config/settings/base.py:52 required environ.Env str",
		"DJANGO_SECRET_KEY config/settings/production.py:4 required environ.Env str",
		`DJANGO_ALLOWED_HOSTS config/settings/production.py:5 optional environ.Env list default=["example.com"]`,
		"CONN_MAX_AGE config/settings/production.py:7 optional environ.Env int default=60",
		"CACHE_URL config/settings/production.py:15 required environ.Env cache",
		"EMAIL_URL config/settings/production.py:16 required environ.Env email",
		"DJANGO_ADMIN_URL config/settings/production.py:26 required environ.Env str",
		"SENTRY_DSN config/settings/production.py:27 required environ.Env str",
		"DJANGO_SENTRY_LOG_LEVEL config/settings/production.py:28 optional environ.Env int default=20",
		// inside try: ... except ImproperlyConfigured:
		"AWS_ACCESS_KEY_ID config/settings/production.py:31 optional environ.Env str",
		"USE_SEARCH config/settings/production.py:35 optional environ.Env bool default=False",
		"SEARCH_URL config/settings/production.py:36 required environ.Env search cond",
	})
	equal(t, "required", res.RequiredEnv(), []string{
		"CACHE_URL", "CELERY_BROKER_URL", "DATABASE_URL", "DJANGO_ADMIN_URL", "DJANGO_SECRET_KEY",
		"DJANGO_TIME_ZONE", "EMAIL_URL", "SEARCH_URL", "SENTRY_DSN",
	})
	equal(t, "env files", markers(res.EnvFiles), []string{"environ.Env.read_env at config/settings/base.py:17"})
	equal(t, "modules", res.Modules, []string{
		"config", "config.celery_app", "config.settings", "config.settings.production", "config.settings.base",
	})

	s := res.Settings
	if s == nil {
		t.Fatal("no settings")
	}
	equal(t, "module", s.Module, "config.settings.production")
	equal(t, "file", s.File, "config/settings/production.py")
	equal(t, "WSGI_APPLICATION", s.WSGIApplication, "config.wsgi.application")
	equal(t, "ASGI_APPLICATION", s.ASGIApplication, "")
	equal(t, "ROOT_URLCONF", s.RootURLConf, "config.urls")
	equal(t, "INSTALLED_APPS", s.InstalledApps, []string{
		"django.contrib.auth", "django.contrib.contenttypes", "django.contrib.staticfiles", "django.contrib.admin",
		"rest_framework", "django_celery_beat", "acme.users", "storages", "anymail",
	})
	equal(t, "MIDDLEWARE", s.Middleware, []string{
		"django.middleware.security.SecurityMiddleware",
		"whitenoise.middleware.WhiteNoiseMiddleware",
		"django.contrib.sessions.middleware.SessionMiddleware",
		"django.middleware.common.CommonMiddleware",
	})
	equal(t, "staticfiles", s.StaticfilesBackend, "whitenoise.storage.CompressedManifestStaticFilesStorage")
	equal(t, "default storage", s.DefaultStorageBackend, "storages.backends.s3.S3Storage")
	equal(t, "DATABASES", s.Databases, map[string]DatabaseInfo{
		"default": {Keys: []string{"ATOMIC_REQUESTS", "CONN_MAX_AGE", "OPTIONS"}, FromEnv: true, EnvVar: "DATABASE_URL"},
		"replica": {Engine: "django.db.backends.postgresql", Keys: []string{"ENGINE", "NAME", "TEST"}},
	})
	equal(t, "STATIC_ROOT", s.StaticRoot, true)
	equal(t, "MEDIA_ROOT", s.MediaRoot, true)
	equal(t, "beat scheduler", s.CeleryBeatScheduler, "django_celery_beat.schedulers:DatabaseScheduler")
	equal(t, "celery settings", s.HasCelerySettings, true)
	equal(t, "defined", s.Defined, []string{
		"ADMIN_URL", "ALLOWED_HOSTS", "APPS_DIR", "AWS_KEY", "BASE_DIR", "CACHES", "CELERY_BEAT_SCHEDULER",
		"CELERY_BROKER_URL", "DATABASES", "DEBUG", "DJANGO_APPS", "EMAIL_CONFIG", "INSTALLED_APPS", "LOCAL_APPS",
		"MEDIA_ROOT", "MIDDLEWARE", "READ_DOT_ENV_FILE", "ROOT_URLCONF", "SEARCH", "SECRET_KEY", "SENTRY_DSN",
		"SENTRY_LOG_LEVEL", "STATIC_ROOT", "STATIC_URL", "STORAGES", "THIRD_PARTY_APPS", "TIME_ZONE",
		"WSGI_APPLICATION",
	})
	for name, want := range map[string]string{
		"INSTALLED_APPS":   "config/settings/production.py:23", // INSTALLED_APPS += [...]
		"DATABASES":        "config/settings/base.py:23",       // from .base import DATABASES keeps base's line
		"SECRET_KEY":       "config/settings/production.py:4",
		"STATIC_ROOT":      "config/settings/base.py:48",
		"WSGI_APPLICATION": "config/settings/base.py:27",
	} {
		equal(t, "location of "+name, s.Locations[name], want)
	}
	equal(t, "conditional", s.Conditional, []string{"SEARCH"})
	equal(t, "STATIC_URL value", s.Values["STATIC_URL"], any("/static/"))
	if _, ok := s.Values["DATABASES"]; ok {
		t.Error("DATABASES is not literal (env.db()) but is in Values")
	}

	lines(t, "routes", routes(res), []string{
		"health/ -> acme.health.views.health @config/urls.py:8 name=health",
		"ht/ -> health_check.urls @config/urls.py:9 include=health_check.urls",
		"-/ -> django_alive.urls @config/urls.py:10 include=django_alive.urls",
		// ADMIN_URL comes from the environment in production
		"{settings.ADMIN_URL} -> django.contrib.admin.site.urls @config/urls.py:11",
		"api/health/ -> acme.health.views.HealthView.as_view() @config/api_urls.py:10",
		"api/users/<int:pk>/ -> acme.health.views.HealthView.as_view() @config/api_urls.py:6 name=detail",
		"api/v1/^me/$ -> acme.users.views.me @acme/users/urls.py:7 regex",
		"api/v1/ping/ -> acme.users.views.ping @acme/users/urls.py:9",
		"__debug__/ -> debug_toolbar.urls @config/urls.py:16 include=debug_toolbar.urls cond",
	})

	equal(t, "celery apps", res.CeleryApps, []CeleryApp{{
		Module: "config.celery_app", Var: "app", Main: "acme", File: "config/celery_app.py", Line: 7,
		ConfigFromSettings: true, Namespace: "CELERY", Autodiscover: true,
	}})
	equal(t, "beat markers", markers(res.BeatMarkers), []string{
		"beat_schedule at acme/users/tasks.py:3",
		"django_celery_beat at config/settings/base.py:37",
	})
	equal(t, "wsgi", res.WSGIModules, []string{"config.wsgi"})
	equal(t, "asgi", res.ASGIModules, []string{"config.asgi"})
	equal(t, "errors", res.Errors, []string{"acme/broken.py:4: SyntaxError: invalid syntax"})
}

// `from config.settings.base import *` (absolute) reads the same base.
func TestAbsoluteStarImport(t *testing.T) {
	res := scan(t, "cookie", "config.settings.staging")
	lines(t, "env reads", reads(res), []string{
		`DJANGO_SETTINGS_MODULE config/celery_app.py:5 optional os.environ.setdefault str default="config.settings.local"`,
		"DJANGO_READ_DOT_ENV_FILE config/settings/base.py:15 optional environ.Env bool default=False",
		"DJANGO_DEBUG config/settings/base.py:19 optional environ.Env bool default=False",
		"DJANGO_TIME_ZONE config/settings/base.py:20 required environ.Env str",
		"DATABASE_URL config/settings/base.py:23 required environ.Env db",
		"CELERY_BROKER_URL config/settings/base.py:52 required environ.Env str",
		`SENTRY_DSN config/settings/staging.py:5 optional environ.Env str default=""`,
	})
	s := res.Settings
	equal(t, "staticfiles", s.StaticfilesBackend, "django.contrib.staticfiles.storage.ManifestStaticFilesStorage")
	equal(t, "INSTALLED_APPS", s.InstalledApps, []string{
		"django.contrib.auth", "django.contrib.contenttypes", "django.contrib.staticfiles", "django.contrib.admin",
		"rest_framework", "django_celery_beat", "acme.users",
	})
	equal(t, "DATABASES", s.Databases, map[string]DatabaseInfo{
		"default": {Keys: []string{"ATOMIC_REQUESTS"}, FromEnv: true, EnvVar: "DATABASE_URL"},
	})
	equal(t, "DEBUG", s.Values["DEBUG"], any(false))
}

// A single settings.py with os.environ in every form, python-decouple,
// dj_database_url, try/except, legacy url() routes and three Celery apps.
func TestPlainSettings(t *testing.T) {
	res := scan(t, "plain", "mysite.settings")

	lines(t, "env reads", reads(res), []string{
		// import mysite.components.mail, from . import logging_conf
		`EMAIL_HOST mysite/components/mail.py:3 optional decouple str default="localhost"`,
		"EMAIL_PASSWORD mysite/components/mail.py:4 required decouple str",
		`LOG_LEVEL mysite/logging_conf.py:3 optional os.environ.get str default="INFO"`,
		"SECRET_KEY mysite/settings.py:11 required os.environ[] str",
		`DEBUG mysite/settings.py:12 optional os.environ.get bool default="0"`,
		`ALLOWED_HOSTS mysite/settings.py:13 optional os.environ.get list default=""`,
		`PORT mysite/settings.py:14 optional os.getenv int default="8000"`,
		// from os import environ as ENV
		"AWS_REGION mysite/settings.py:15 optional os.environ.get str",
		"STRIPE_KEY mysite/settings.py:16 required decouple str",
		"USE_TZ mysite/settings.py:17 optional decouple bool default=True",
		`ADMINS mysite/settings.py:18 optional decouple list default=""`,
		// try: ... except KeyError: REDIS_URL = None
		"REDIS_URL mysite/settings.py:21 optional os.environ[] str",
		// except KeyError: raise ImproperlyConfigured(...) still crashes
		"API_TOKEN mysite/settings.py:26 required os.environ[] str",
		// if "OPTIONAL_FEATURE" in os.environ:
		"OPTIONAL_FEATURE mysite/settings.py:31 optional os.environ[] str cond",
		"DATABASE_URL mysite/settings.py:34 required dj_database_url db",
		"REPLICA_DATABASE_URL mysite/settings.py:35 required os.environ[] db",
		`CACHE_DATABASE_URL mysite/settings.py:37 optional dj_database_url db default="sqlite:///cache.db"`,
		`TZ mysite/settings.py:61 optional os.environ.setdefault str default="UTC"`,
		// project helpers: the reads in their bodies, at the call
		"FEATURE_X mysite/settings.py:65 optional os.environ[] bool cond via=env_bool",
		"PAYMENT_KEY mysite/settings.py:66 required os.environ[] str via=env_required",
		// in a function body: read when called
		"IN_FUNCTION mysite/settings.py:58 optional os.environ.get str func",
	})

	s := res.Settings
	equal(t, "ROOT_URLCONF", s.RootURLConf, "")
	equal(t, "INSTALLED_APPS", s.InstalledApps, []string{
		"django.contrib.admin", "django.contrib.staticfiles", "shop", "health_check",
	})
	equal(t, "MIDDLEWARE", s.Middleware, []string{
		"django.middleware.common.CommonMiddleware", "django.middleware.csrf.CsrfViewMiddleware",
	})
	equal(t, "staticfiles", s.StaticfilesBackend, "whitenoise.storage.CompressedManifestStaticFilesStorage")
	equal(t, "default storage", s.DefaultStorageBackend, "storages.backends.s3boto3.S3Boto3Storage")
	equal(t, "DATABASES", s.Databases, map[string]DatabaseInfo{
		"default": {Keys: []string{"CONN_HEALTH_CHECKS", "CONN_MAX_AGE"}, FromEnv: true, EnvVar: "DATABASE_URL"},
		"replica": {Keys: []string{}, FromEnv: true, EnvVar: "REPLICA_DATABASE_URL"},
	})
	equal(t, "STATIC_ROOT (None)", s.StaticRoot, false)
	equal(t, "MEDIA_ROOT", s.MediaRoot, false)
	equal(t, "celery settings", s.HasCelerySettings, true)
	equal(t, "beat scheduler", s.CeleryBeatScheduler, "")
	if slices.Contains(s.Defined, "ENV") {
		t.Error("an imported name (from os import environ as ENV) is listed as a setting")
	}

	// ROOT_URLCONF is not set: mysite.urls
	lines(t, "routes", routes(res), []string{
		"^admin/ -> django.contrib.admin.site.urls @mysite/urls.py:9 regex",
		`^shop/(?P<slug>[-\w]+)/$ -> shop.views.detail @mysite/urls.py:10 name=shop-detail regex`,
		"about/ -> shop.views.about @mysite/urls.py:13",
		"healthz -> shop.views.healthz @shop/urls.py:5",
	})

	equal(t, "celery apps", res.CeleryApps, []CeleryApp{
		{Module: "proj.celery_app", Var: "worker", Main: "proj.worker", File: "proj/celery_app.py", Line: 3, ConfigFromSettings: true},
		{Module: "proj.celeryconf", Var: "app", Main: "proj", File: "proj/celeryconf.py", Line: 3},
		{Module: "tasks.celery", Var: "celery_app", File: "tasks/celery.py", Line: 5, ConfigFromSettings: true, Namespace: "TASKS"},
	})
	equal(t, "beat markers", markers(res.BeatMarkers), []string{
		"CELERY_BEAT_SCHEDULE at mysite/settings.py:54",
		"beat_schedule at proj/celeryconf.py:4",
		"periodic_task at shop/tasks.py:4",
		"add_periodic_task at tasks/celery.py:11",
	})
	equal(t, "wsgi", res.WSGIModules, []string{"mysite.wsgi"})
	if len(res.ASGIModules) != 0 || len(res.Errors) != 0 {
		t.Errorf("asgi %q, errors %q; want none", res.ASGIModules, res.Errors)
	}
}

// django-split-settings: include() runs components in one namespace; Extra
// modules add their reads.
func TestSplitSettingsAndExtra(t *testing.T) {
	res := scan(t, "split", "newsite.settings", "newsite.worker_env")
	lines(t, "env reads", reads(res), []string{
		"SECRET_KEY newsite/settings/components/base.py:3 required os.environ[] str",
		`DB_NAME newsite/settings/components/database.py:5 optional os.environ.get str default="newsite"`,
		"USE_SQLITE newsite/settings/components/database.py:8 optional os.environ.get str",
		// an environ.Env object named ENV, with a schema default
		"CACHE_TTL newsite/settings/components/database.py:14 optional environ.Env int default=300",
		"REDIS_URL newsite/settings/components/database.py:15 required environ.Env cache",
		"WORKER_QUEUE newsite/worker_env.py:3 required os.environ[] str",
	})
	s := res.Settings
	equal(t, "INSTALLED_APPS", s.InstalledApps, []string{"django.contrib.admin", "newsite.core"})
	equal(t, "conditional", s.Conditional, []string{"DATABASES"})
	equal(t, "defined", s.Defined, []string{"CACHES", "CACHE_TTL", "DATABASES", "INSTALLED_APPS", "ROOT_URLCONF", "SECRET_KEY"})
	equal(t, "location", s.Locations["ROOT_URLCONF"], "newsite/settings/components/base.py:5")
	lines(t, "routes", routes(res), []string{"up -> newsite.views.up @newsite/routes.py:6"})
	equal(t, "modules", res.Modules, []string{
		"newsite", "newsite.settings", "newsite.settings.components.base",
		"newsite.settings.components.database", "newsite.worker_env",
	})
}

func TestMissingModules(t *testing.T) {
	root := t.TempDir()
	res, err := Scan(python3(t), Options{Root: root, SettingsModule: "nope.settings", Extra: []string{"nope.other"}})
	if err != nil {
		t.Fatal(err)
	}
	if res.Settings != nil {
		t.Errorf("settings = %+v, want nil", res.Settings)
	}
	equal(t, "errors", res.Errors, []string{
		"settings module nope.settings: not found under " + root,
		"module nope.other: not found under " + root,
	})
}

// Every interpreter listed in PYSCAN_PYTHONS (separated by the OS path list
// separator, e.g. /usr/bin/python3.9:/opt/py3.14/bin/python3) must give the
// same result as python3.
func TestPythonVersionsAgree(t *testing.T) {
	list := os.Getenv("PYSCAN_PYTHONS")
	if list == "" {
		t.Skip("set PYSCAN_PYTHONS to compare interpreters")
	}
	for _, project := range [][2]string{{"cookie", "config.settings.production"}, {"plain", "mysite.settings"}, {"split", "newsite.settings"}} {
		want := scan(t, project[0], project[1])
		want.Python = ""
		for _, py := range filepath.SplitList(list) {
			got, err := Scan(py, Options{Root: filepath.Join("testdata", project[0]), SettingsModule: project[1]})
			if err != nil {
				t.Errorf("%s: %v", py, err)
				continue
			}
			t.Logf("%s: Python %s", py, got.Python)
			got.Python = ""
			if !reflect.DeepEqual(got, want) {
				t.Errorf("%s on %s differs from python3:\n got  %+v\n want %+v", py, project[0], got, want)
			}
		}
	}
}

func fakePython(t *testing.T, body string) string {
	t.Helper()
	if runtime.GOOS == "windows" {
		t.Skip("shell script interpreter")
	}
	p := filepath.Join(t.TempDir(), "python")
	if err := os.WriteFile(p, []byte("#!/bin/sh\n"+body+"\n"), 0o755); err != nil {
		t.Fatal(err)
	}
	return p
}

func TestScanErrors(t *testing.T) {
	root := t.TempDir()

	_, err := Scan(fakePython(t, `echo "Traceback: boom" >&2; exit 1`), Options{Root: root})
	if err == nil || !strings.Contains(err.Error(), "Traceback: boom") || !strings.HasPrefix(err.Error(), "scan project with ") {
		t.Errorf("failing python: err = %v", err)
	}

	start := time.Now()
	_, err = Scan(fakePython(t, "exec sleep 10"), Options{Root: root, Timeout: 200 * time.Millisecond})
	if err == nil || !strings.Contains(err.Error(), "timed out after 200ms") {
		t.Errorf("slow python: err = %v", err)
	}
	if d := time.Since(start); d > 5*time.Second {
		t.Errorf("timeout took %s", d)
	}

	for _, py := range []string{
		`echo "djangocdk needs Python 3.9 or newer, this is 3.8" >&2; exit 3`,
		`echo "Unknown option: -I" >&2; echo "usage: python [option]" >&2; exit 2`,
	} {
		if _, err := Scan(fakePython(t, py), Options{Root: root}); !errors.Is(err, ErrOldPython) {
			t.Errorf("old python: err = %v, want ErrOldPython", err)
		}
	}

	_, err = Scan(fakePython(t, "echo not-json"), Options{Root: root})
	if err == nil || !strings.Contains(err.Error(), "read its output") {
		t.Errorf("bad output: err = %v", err)
	}

	_, err = Scan(filepath.Join(root, "no-such-python"), Options{Root: root})
	if err == nil {
		t.Error("missing python: no error")
	}

	_, err = Scan(python3(t), Options{Root: filepath.Join(root, "missing")})
	if err == nil || !strings.HasPrefix(err.Error(), "scan project: ") {
		t.Errorf("missing root: err = %v", err)
	}
}

func TestFindPython(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("unix layout")
	}
	exe := func(path string) string {
		t.Helper()
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte("#!/bin/sh\n"), 0o755); err != nil {
			t.Fatal(err)
		}
		return path
	}
	emptyPath := t.TempDir()
	t.Setenv("PATH", emptyPath)
	t.Setenv("VIRTUAL_ENV", "")

	project := t.TempDir()
	if _, err := FindPython(project); !errors.Is(err, ErrNoPython) {
		t.Errorf("nothing: err = %v, want ErrNoPython", err)
	} else if err.Error() != "init reads your settings with Python: none found; install Python 3 or activate the project's virtualenv" {
		t.Errorf("message: %v", err)
	}

	python := exe(filepath.Join(emptyPath, "python"))
	if got, _ := FindPython(project); got != python {
		t.Errorf("python on PATH: got %q, want %q", got, python)
	}
	python3 := exe(filepath.Join(emptyPath, "python3"))
	if got, _ := FindPython(project); got != python3 {
		t.Errorf("python3 on PATH: got %q, want %q", got, python3)
	}
	active := exe(filepath.Join(t.TempDir(), "bin", "python"))
	t.Setenv("VIRTUAL_ENV", filepath.Dir(filepath.Dir(active)))
	if got, _ := FindPython(project); got != active {
		t.Errorf("$VIRTUAL_ENV: got %q, want %q", got, active)
	}
	// manage.py in src/, the virtualenv beside it at the root: the second dir.
	src := filepath.Join(project, "src")
	parentEnv := exe(filepath.Join(project, "env", "bin", "python"))
	if got, _ := FindPython(src, project); got != parentEnv {
		t.Errorf("env in the parent: got %q, want %q", got, parentEnv)
	}
	venv := exe(filepath.Join(project, "venv", "bin", "python"))
	if got, _ := FindPython(project); got != venv {
		t.Errorf("venv: got %q, want %q", got, venv)
	}
	// a virtualenv whose base interpreter is gone: skipped
	if err := os.MkdirAll(filepath.Join(project, ".venv", "bin"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(filepath.Join(project, "gone"), filepath.Join(project, ".venv", "bin", "python")); err != nil {
		t.Fatal(err)
	}
	if got, _ := FindPython(project); got != venv {
		t.Errorf("dangling .venv: got %q, want %q", got, venv)
	}
	if err := os.Remove(filepath.Join(project, ".venv", "bin", "python")); err != nil {
		t.Fatal(err)
	}
	dotvenv := exe(filepath.Join(project, ".venv", "bin", "python"))
	if got, _ := FindPython(project); got != dotvenv {
		t.Errorf(".venv: got %q, want %q", got, dotvenv)
	}
}

// bigProject writes a project of about n Python files (returning its root
// and its number of apps): a settings package, apps
// with models, views, urls, admin, tasks and migrations, a Celery app, WSGI
// and ASGI modules, and a virtualenv and node_modules that must be skipped.
func bigProject(t testing.TB, n int) (string, int) {
	t.Helper()
	root := t.TempDir()
	write := func(rel, text string) {
		p := filepath.Join(root, filepath.FromSlash(rel))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("manage.py", "import os\nos.environ.setdefault('DJANGO_SETTINGS_MODULE', 'proj.settings.production')\n")
	write("proj/__init__.py", "from .celery import app as celery_app\n")
	write("proj/celery.py", "from celery import Celery\napp = Celery('proj')\napp.config_from_object('django.conf:settings', namespace='CELERY')\napp.autodiscover_tasks()\n")
	write("proj/wsgi.py", "from django.core.wsgi import get_wsgi_application\napplication = get_wsgi_application()\n")
	write("proj/asgi.py", "from django.core.asgi import get_asgi_application\napplication = get_asgi_application()\n")
	write("proj/settings/__init__.py", "")
	var apps, includes strings.Builder
	files := 8
	napps := (n - files + 8) / 9 // 9 files an app
	for i := range napps {
		fmt.Fprintf(&apps, "    'app%d',\n", i)
		fmt.Fprintf(&includes, "    path('app%d/', include('app%d.urls')),\n", i, i)
	}
	write("proj/settings/base.py", "import environ\nenv = environ.Env(DEBUG=(bool, False))\nDEBUG = env('DEBUG')\n"+
		"DATABASES = {'default': env.db()}\nINSTALLED_APPS = [\n"+apps.String()+"]\nROOT_URLCONF = 'proj.urls'\n"+
		"CELERY_BROKER_URL = env('CELERY_BROKER_URL')\n")
	write("proj/settings/production.py", "from .base import *\nSECRET_KEY = env('DJANGO_SECRET_KEY')\n")
	write("proj/urls.py", "from django.urls import include, path\nurlpatterns = [\n"+includes.String()+"]\n")
	model := strings.Repeat("    field = models.CharField(max_length=200, help_text='a field with some text')\n", 30)
	for i := range napps {
		app := fmt.Sprintf("app%d", i)
		write(app+"/__init__.py", "")
		write(app+"/models.py", "from django.db import models\n\n\nclass Thing(models.Model):\n"+model)
		write(app+"/views.py", "from django.http import JsonResponse\n\n\ndef index(request):\n    application = {'ok': True}\n    return JsonResponse(application)\n"+strings.Repeat("# comment line about the views of this application\n", 40))
		write(app+"/urls.py", "from django.urls import path\nfrom . import views\nurlpatterns = [path('', views.index, name='index')]\n")
		write(app+"/admin.py", "from django.contrib import admin\n"+strings.Repeat("# admin\n", 20))
		write(app+"/tasks.py", "from celery import shared_task\n\n\n@shared_task\ndef work():\n    return 1\n")
		write(app+"/apps.py", "from django.apps import AppConfig\n\n\nclass Config(AppConfig):\n    name = '"+app+"'\n")
		write(app+"/forms.py", "from django import forms\n"+strings.Repeat("# forms\n", 20))
		write(app+"/migrations/0001_initial.py", "from django.db import migrations\n\nclass Migration(migrations.Migration):\n    pass\n")
	}
	for i := range 50 {
		write(fmt.Sprintf(".venv/lib/python3.11/site-packages/pkg%d/celery.py", i), "from celery import Celery\napp = Celery('x')\n")
		write(fmt.Sprintf("node_modules/pkg%d/x.py", i), "application = 1\n")
	}
	// a virtualenv under another name: known by its pyvenv.cfg
	write("py311env/pyvenv.cfg", "home = /usr/bin\n")
	write("py311env/lib/python3.11/site-packages/other/celery.py", "from celery import Celery\napp = Celery('x')\n")
	return root, napps
}

func TestLargeProject(t *testing.T) {
	root, napps := bigProject(t, 500)
	var count int
	filepath.WalkDir(root, func(p string, d os.DirEntry, err error) error {
		if err == nil && !d.IsDir() && strings.HasSuffix(p, ".py") && !strings.Contains(p, ".venv") && !strings.Contains(p, "node_modules") {
			count++
		}
		return nil
	})
	python := python3(t)
	start := time.Now()
	res, err := Scan(python, Options{Root: root, SettingsModule: "proj.settings.production"})
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("scanned %d project files (plus 100 in .venv and node_modules) in %s", count, time.Since(start))
	if len(res.URLs) != napps || len(res.Settings.InstalledApps) != napps {
		t.Errorf("routes %d, apps %d; want %d each", len(res.URLs), len(res.Settings.InstalledApps), napps)
	}
	equal(t, "celery", len(res.CeleryApps), 1)
	equal(t, "wsgi", res.WSGIModules, []string{"proj.wsgi"})
	equal(t, "asgi", res.ASGIModules, []string{"proj.asgi"})
	equal(t, "required", res.RequiredEnv(), []string{"CELERY_BROKER_URL", "DATABASE_URL", "DJANGO_SECRET_KEY"})
}

func BenchmarkScan500(b *testing.B) {
	root, _ := bigProject(b, 500)
	python := python3(b)
	for b.Loop() {
		if _, err := Scan(python, Options{Root: root, SettingsModule: "proj.settings.production"}); err != nil {
			b.Fatal(err)
		}
	}
}

// Interpreters listed in PYSCAN_OLD_PYTHONS (older than 3.9, or Python 2)
// must be refused with ErrOldPython.
func TestOldPythons(t *testing.T) {
	list := os.Getenv("PYSCAN_OLD_PYTHONS")
	if list == "" {
		t.Skip("set PYSCAN_OLD_PYTHONS to check old interpreters")
	}
	for _, py := range filepath.SplitList(list) {
		_, err := Scan(py, Options{Root: "testdata/plain", SettingsModule: "mysite.settings"})
		if !errors.Is(err, ErrOldPython) {
			t.Errorf("%s: err = %v, want ErrOldPython", py, err)
		} else {
			t.Log(err)
		}
	}
}
