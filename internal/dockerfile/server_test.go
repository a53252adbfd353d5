package dockerfile

import (
	"strings"
	"testing"
)

func TestClassify(t *testing.T) {
	env := map[string]string{"PORT": "9000"}
	lookup := func(k string) (string, bool) { v, ok := env[k]; return v, ok }
	tests := []struct {
		cmd    string
		kind   string // "" = no server
		app    string
		host   string
		port   int
		manage string
	}{
		{cmd: "gunicorn config.wsgi --bind 0.0.0.0:5000 --chdir=/app", kind: "gunicorn", app: "config.wsgi:application", host: "0.0.0.0", port: 5000},
		{cmd: "gunicorn -b0.0.0.0:8000 --preload -w 3 app.wsgi", kind: "gunicorn", app: "app.wsgi:application", host: "0.0.0.0", port: 8000},
		{cmd: "gunicorn --worker-class uvicorn.workers.UvicornWorker app.asgi:application", kind: "gunicorn", app: "app.asgi:application", host: "0.0.0.0", port: 9000},
		{cmd: "gunicorn --bind unix:/run/gunicorn.sock app.wsgi", kind: "gunicorn", app: "app.wsgi:application", host: "unix"},
		{cmd: "python3.12 -u -m uvicorn app.asgi:application --host 0.0.0.0 --port=8080", kind: "uvicorn", app: "app.asgi:application", host: "0.0.0.0", port: 8080},
		{cmd: "daphne -e tcp:port=8001:interface=0.0.0.0 app.asgi:application", kind: "daphne", app: "app.asgi:application", host: "0.0.0.0", port: 8001},
		{cmd: "hypercorn --bind [::]:8000 app.asgi:application", kind: "hypercorn", app: "app.asgi:application", host: "::", port: 8000},
		{cmd: "granian --interface asgi --port 8000 app.asgi:application", kind: "granian", app: "app.asgi:application", port: 8000},
		{cmd: "python manage.py runserver 0:8000", kind: "runserver", host: "0.0.0.0", port: 8000, manage: "runserver"},
		{cmd: "./manage.py runserver_plus --nostatic 8000", kind: "runserver", port: 8000, manage: "runserver_plus"},
		{cmd: "python -m debugpy --listen 0.0.0.0:5678 --wait-for-client manage.py runserver 0.0.0.0:8000", kind: "runserver", host: "0.0.0.0", port: 8000, manage: "runserver"},
		{cmd: "django-admin migrate --noinput", manage: "migrate"},
		{cmd: "python -m django --settings=app.settings collectstatic", manage: "collectstatic"},
		{cmd: "python /app/manage.py --settings app.settings migrate", manage: "migrate"},
		{cmd: "celery -A app worker"},
		{cmd: "python -c print(1)"},
	}
	for _, tt := range tests {
		inv := classify(strings.Fields(tt.cmd), lookup)
		eq(t, tt.cmd+": manage", inv.manage, tt.manage)
		if tt.kind == "" {
			if inv.server != nil {
				t.Errorf("%s: server = %+v, want none", tt.cmd, inv.server)
			}
			continue
		}
		if inv.server == nil {
			t.Errorf("%s: no server, want %s", tt.cmd, tt.kind)
			continue
		}
		s := inv.server
		eq(t, tt.cmd+": kind", s.Kind, tt.kind)
		eq(t, tt.cmd+": app", s.App, tt.app)
		eq(t, tt.cmd+": host", s.Host, tt.host)
		eq(t, tt.cmd+": port", s.Port, tt.port)
	}
}

func TestUnwrap(t *testing.T) {
	tests := []struct{ in, want string }{
		{"exec gunicorn app", "gunicorn app"},
		{"env -u X A=1 B=2 gunicorn app", "gunicorn app"},
		{"/usr/bin/tini -g -- gunicorn app", "gunicorn app"},
		{"dumb-init --", ""},
		{"gosu app:app gunicorn app", "gunicorn app"},
		{"uv run --no-sync gunicorn app", "gunicorn app"},
		{"newrelic-admin run-program gunicorn app", "gunicorn app"},
		{"opentelemetry-instrument --traces_exporter otlp gunicorn app", "gunicorn app"},
		{"poetry install", "poetry install"},
	}
	for _, tt := range tests {
		eq(t, tt.in, strings.Join(unwrap(strings.Fields(tt.in)), " "), tt.want)
	}
}

func TestPythonVersion(t *testing.T) {
	tests := map[string]string{
		"python:3.12-slim-bookworm":                 "3.12",
		"docker.io/python:3.12.11-slim-bookworm":    "3.12",
		"docker.io/library/python:3.13":             "3.13",
		"public.ecr.aws/docker/library/python:3.11": "3.11",
		"python:3.12@sha256:abcdef":                 "3.12",
		"python:3":                                  "",
		"python:slim":                               "",
		"python":                                    "",
		"ghcr.io/astral-sh/uv:python3.12-bookworm":  "",
		"mycorp/python:3.12":                        "",
		"localhost:5000/python:3.12":                "",
	}
	for ref, want := range tests {
		eq(t, ref, pythonVersion(ref), want)
	}
}
