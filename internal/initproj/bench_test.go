package initproj

import (
	"fmt"
	"os"
	"path/filepath"
	"testing"
)

// bigProject writes a Django project of about files Python files: a
// settings package reading the environment, apps with models, views, urls,
// admin, tasks and migrations, a Celery app, static files, requirements.
func bigProject(tb testing.TB, dir string, files int) {
	tb.Helper()
	write := func(rel, body string) {
		path := filepath.Join(dir, rel)
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			tb.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(body), 0o644); err != nil {
			tb.Fatal(err)
		}
	}
	write("manage.py", "import os\nos.environ.setdefault(\"DJANGO_SETTINGS_MODULE\", \"big.settings.local\")\n")
	write("requirements/base.txt", "Django==5.2.19\ncelery[redis]==5.7.0\n")
	write("requirements/production.txt", "-r base.txt\ngunicorn==27.0.1\npsycopg[binary]==3.3.9\n")
	write("big/__init__.py", "from .celery import app as celery_app\n")
	write("big/celery.py", "from celery import Celery\napp = Celery(\"big\")\napp.config_from_object(\"django.conf:settings\", namespace=\"CELERY\")\n")
	write("big/wsgi.py", "from django.core.wsgi import get_wsgi_application\napplication = get_wsgi_application()\n")
	write("big/settings/__init__.py", "")
	write("big/settings/local.py", "from .base import *  # noqa\nDEBUG = True\n")
	apps := ""
	n := 8
	for i := 0; n < files; i++ {
		app := fmt.Sprintf("app%03d", i)
		apps += fmt.Sprintf("    %q,\n", app)
		for _, f := range []string{"__init__.py", "apps.py", "admin.py", "tests.py", "tasks.py", "forms.py", "migrations/__init__.py", "migrations/0001_initial.py"} {
			write(filepath.Join(app, f), "from django.db import models\n\n\nclass Thing(models.Model):\n    name = models.CharField(max_length=100)\n")
		}
		write(filepath.Join(app, "views.py"), "from django.http import HttpResponse\n\n\ndef index(request):\n    return HttpResponse(\"ok\")\n")
		write(filepath.Join(app, "urls.py"), "from django.urls import path\nfrom . import views\nurlpatterns = [path(\"\", views.index)]\n")
		write(filepath.Join(app, "static", app, "site.css"), "body { background: url(\"../img/bg.png\"); }\n")
		n += 10
	}
	write("big/settings/base.py", "import os\nSECRET_KEY = os.environ[\"DJANGO_SECRET_KEY\"]\nSENTRY_DSN = os.environ[\"SENTRY_DSN\"]\n"+
		"ROOT_URLCONF = \"big.urls\"\nWSGI_APPLICATION = \"big.wsgi.application\"\nINSTALLED_APPS = [\n"+apps+"]\n")
	write("big/settings/production.py", "from .base import *  # noqa\nimport os\nDEFAULT_FROM_EMAIL = os.environ[\"DEFAULT_FROM_EMAIL\"]\n")
	write("big/urls.py", "from django.urls import include, path\nurlpatterns = [path(\"ping/\", lambda r: None)]\n")
}

// BenchmarkInit times what `djangocdk init` does on a 500-file project:
// detection (the Python scanner over the settings, URLconf and Celery apps;
// the dependency plan; static references) and writing the files.
func BenchmarkInit(b *testing.B) {
	src := b.TempDir()
	bigProject(b, src, 500)
	for range b.N {
		b.StopTimer()
		dir := b.TempDir()
		copyTree(b, src, dir)
		b.StartTimer()
		p, err := Detect(dir)
		if err != nil {
			b.Fatal(err)
		}
		if _, err := Write(p, Options{Region: "eu-west-1"}); err != nil {
			b.Fatal(err)
		}
	}
}

// TestBigProject checks that the benchmark's project is read as intended,
// so the figure is for a real detection.
func TestBigProject(t *testing.T) {
	dir := t.TempDir()
	bigProject(t, dir, 500)
	p, err := Detect(dir)
	if err != nil {
		t.Fatal(err)
	}
	if p.CloudSettings != "big.settings.production" || p.CeleryApp != "big.celery" || p.HealthPath != "/ping/" || len(p.RequiredEnv) != 2 {
		t.Errorf("detected %+v", p)
	}
}
