package dockerfile

import (
	"reflect"
	"strings"
	"testing"
)

// analyze runs Analyze and fails the test on error.
func analyze(t *testing.T, dir string, src Source) *Image {
	t.Helper()
	img, err := Analyze(dir, src)
	if err != nil {
		t.Fatal(err)
	}
	return img
}

// eq fails the test when got != want, naming what.
func eq(t *testing.T, what string, got, want any) {
	t.Helper()
	if !reflect.DeepEqual(got, want) {
		t.Errorf("%s = %#v\n%*s want %#v", what, got, len(what), "", want)
	}
}

// strs formats problems as "file:line: message" strings.
func strs(ps []Problem) []string {
	var out []string
	for _, p := range ps {
		out = append(out, p.String())
	}
	return out
}

// hasOnly fails unless each of ps starts with the prefix at the same index
// and there are as many problems as prefixes.
func hasOnly(t *testing.T, what string, ps []Problem, prefixes ...string) {
	t.Helper()
	got := strs(ps)
	ok := len(got) == len(prefixes)
	for i := 0; ok && i < len(got); i++ {
		ok = strings.HasPrefix(got[i], prefixes[i])
	}
	if !ok {
		t.Errorf("%s =\n  %s\nwant prefixes\n  %s", what, strings.Join(got, "\n  "), strings.Join(prefixes, "\n  "))
	}
}

// (a) cookiecutter-django: multi-stage build, entrypoint + start scripts,
// the compose service's command as CMD.
func TestAnalyzeCookiecutter(t *testing.T) {
	const dir = "testdata/cookiecutter"
	src, err := Find(dir)
	if err != nil || src == nil {
		t.Fatalf("Find = %v, %v", src, err)
	}
	img := analyze(t, dir, *src)

	eq(t, "Stages", img.Stages, []string{"python", "python-build-stage", "python-run-stage"})
	eq(t, "Stage", img.Stage, "python-run-stage")
	eq(t, "StageLine", img.StageLine, 27)
	eq(t, "Base", img.Base, "docker.io/python:3.12-slim-bookworm")
	eq(t, "BaseLine", img.BaseLine, 4)
	eq(t, "PythonVersion", img.PythonVersion, "3.12")
	eq(t, "Entrypoint", img.Entrypoint, &Command{Args: []string{"/entrypoint"}, Line: 85})
	eq(t, "Cmd", img.Cmd, &Command{Args: []string{"/start"}, Line: 22, File: "docker-compose.production.yml"})
	eq(t, "Workdir", img.Workdir, "/app")
	eq(t, "WorkdirLine", img.WorkdirLine, 36)
	eq(t, "User", img.User, "django")
	eq(t, "UserLine", img.UserLine, 78)
	eq(t, "Env", img.Env, map[string]string{"PYTHONUNBUFFERED": "1", "PYTHONDONTWRITEBYTECODE": "1", "BUILD_ENV": "production"})
	eq(t, "EnvLines[BUILD_ENV]", img.EnvLines["BUILD_ENV"], 34)
	eq(t, "Copies", img.Copies, []Copy{
		{Sources: []string{"/usr/src/app/wheels"}, Dest: "/wheels/", From: "python-build-stage", Line: 56},
		{Sources: []string{"./compose/production/django/entrypoint"}, Dest: "/entrypoint", Line: 63},
		{Sources: []string{"./compose/production/django/start"}, Dest: "/start", Line: 68},
		{Sources: []string{"."}, Dest: "/app", Line: 73},
	})
	eq(t, "len(Runs)", len(img.Runs), 9) // the run stage's RUNs only
	eq(t, "Runs[0]", img.Runs[0], Run{Args: []string{"addgroup --system django   && adduser --system --ingroup django django"}, Shell: true, Line: 38})

	ep := img.Scripts["/entrypoint"]
	if ep == nil {
		t.Fatalf("Scripts = %v, want /entrypoint", img.Scripts)
	}
	eq(t, "entrypoint Path", ep.Path, "compose/production/django/entrypoint")
	eq(t, "entrypoint ExecsArgs", ep.ExecsArgs, true)
	eq(t, "entrypoint EnvRefs", ep.EnvRefs, []EnvRef{
		{Name: "REDIS_URL", Line: 10},
		{Name: "POSTGRES_USER", HasDefault: true, Line: 13},
		{Name: "POSTGRES_PASSWORD", Line: 17},
		{Name: "POSTGRES_HOST", Line: 17},
		{Name: "POSTGRES_PORT", Line: 17},
		{Name: "POSTGRES_DB", Line: 17},
	})
	start := img.Scripts["/start"]
	if start == nil {
		t.Fatalf("Scripts = %v, want /start", img.Scripts)
	}
	eq(t, "start Commands", start.Commands, [][]string{
		{"set", "-o", "errexit"}, {"set", "-o", "pipefail"}, {"set", "-o", "nounset"},
		{"python", "/app/manage.py", "collectstatic", "--noinput"},
		{"/usr/local/bin/gunicorn", "config.wsgi", "--bind", "0.0.0.0:5000", "--chdir=/app"},
	})
	eq(t, "start CommandLines", start.CommandLines, []int{3, 4, 5, 8, 10})
	eq(t, "start ExecsArgs", start.ExecsArgs, false)
	eq(t, "start EnvRefs", len(start.EnvRefs), 0)

	eq(t, "Server", img.Server, &Server{Kind: "gunicorn", App: "config.wsgi:application", Host: "0.0.0.0", Port: 5000,
		Line: 10, In: "compose/production/django/start", Args: []string{"config.wsgi", "--bind", "0.0.0.0:5000", "--chdir=/app"}})
	eq(t, "RunsMigrate", img.RunsMigrate, false)
	eq(t, "CollectsStatic", img.CollectsStatic, true)
	eq(t, "CollectStaticAt", img.CollectStaticAt, Where{File: "compose/production/django/start", Line: 8})
	hasOnly(t, "Problems", img.Problems)
	hasOnly(t, "Notes", img.Notes)
}

// Build args override the global ARG the FROM uses; without the compose
// command, the entrypoint has nothing to run.
func TestAnalyzeCookiecutterWithoutCompose(t *testing.T) {
	img := analyze(t, "testdata/cookiecutter", Source{
		Path: "compose/production/django/Dockerfile", Context: ".",
		Args: map[string]string{"PYTHON_VERSION": "3.13-slim-trixie", "APP_HOME": "/srv"},
	})
	eq(t, "Base", img.Base, "docker.io/python:3.13-slim-trixie")
	eq(t, "PythonVersion", img.PythonVersion, "3.13")
	eq(t, "Workdir", img.Workdir, "/srv")
	eq(t, "Cmd", img.Cmd, (*Command)(nil))
	eq(t, "Server", img.Server, (*Server)(nil))
	hasOnly(t, "Problems", img.Problems,
		"compose/production/django/Dockerfile:85: the ENTRYPOINT runs the command it is given, but the image has no CMD")
}

// (b) the Wagtail start template: shell-form CMD that migrates then starts
// gunicorn (bound through $PORT), behind an entrypoint waiting for the
// database.
func TestAnalyzeWagtail(t *testing.T) {
	const dir = "testdata/wagtail"
	src, err := Find(dir)
	if err != nil || src == nil {
		t.Fatalf("Find = %v, %v", src, err)
	}
	eq(t, "Source", *src, Source{Path: "Dockerfile", Context: ".", FoundIn: "Dockerfile"})
	img := analyze(t, dir, *src)

	eq(t, "Stages", img.Stages, []string{"0"})
	eq(t, "Base", img.Base, "python:3.12-slim-bookworm")
	eq(t, "PythonVersion", img.PythonVersion, "3.12")
	eq(t, "Expose", img.Expose, []int{8000})
	eq(t, "ExposeLines", img.ExposeLines, []int{8})
	eq(t, "Env", img.Env, map[string]string{"PYTHONUNBUFFERED": "1", "PORT": "8000"})
	eq(t, "EnvLines", img.EnvLines, map[string]int{"PYTHONUNBUFFERED": 14, "PORT": 14})
	eq(t, "Workdir", img.Workdir, "/app")
	eq(t, "User", img.User, "wagtail")
	eq(t, "Entrypoint", img.Entrypoint, &Command{Args: []string{"/app/docker-entrypoint.sh"}, Line: 52})
	eq(t, "Cmd", img.Cmd, &Command{Args: []string{"set -xe; python manage.py migrate --noinput; gunicorn mysite.wsgi:application"}, Shell: true, Line: 63})

	s := img.Scripts["/app/docker-entrypoint.sh"] // brought by COPY . . into WORKDIR
	if s == nil {
		t.Fatalf("Scripts = %v", img.Scripts)
	}
	eq(t, "script Path", s.Path, "docker-entrypoint.sh")
	eq(t, "script ExecsArgs", s.ExecsArgs, true)
	eq(t, "script EnvRefs", s.EnvRefs, []EnvRef{{Name: "DATABASE_HOST", Line: 5}, {Name: "DATABASE_PORT", HasDefault: true, Line: 6}})

	eq(t, "Server", img.Server, &Server{Kind: "gunicorn", App: "mysite.wsgi:application", Host: "0.0.0.0", Port: 8000,
		Line: 63, In: "CMD", Args: []string{"mysite.wsgi:application"}})
	eq(t, "RunsMigrate", img.RunsMigrate, true)
	eq(t, "MigrateAt", img.MigrateAt, Where{File: "Dockerfile", Line: 63})
	eq(t, "CollectStaticAt", img.CollectStaticAt, Where{File: "Dockerfile", Line: 49})
	hasOnly(t, "Problems", img.Problems)
	hasOnly(t, "Notes", img.Notes,
		"Dockerfile:63: CMD is in shell form: /bin/sh stays PID 1",
		"Dockerfile:63: the container runs `manage.py migrate` at every start")
}

// (c) a multi-stage file built at a named target with build args; CMD and
// ENTRYPOINT inheritance through FROM <stage>.
func TestAnalyzeMultistage(t *testing.T) {
	const dir = "testdata/multistage"
	img := analyze(t, dir, Source{Path: "Dockerfile", Context: ".", Target: "production",
		Args: map[string]string{"PYTHON": "3.13", "DJANGO_ENV": "staging"}})

	eq(t, "Stages", img.Stages, []string{"base", "builder", "production", "release", "debug"})
	eq(t, "Stage", img.Stage, "production")
	eq(t, "StageLine", img.StageLine, 15)
	eq(t, "Base", img.Base, "python:3.13-slim")
	eq(t, "BaseLine", img.BaseLine, 5)
	eq(t, "PythonVersion", img.PythonVersion, "3.13")
	eq(t, "Env", img.Env, map[string]string{
		"APP_HOME": "/srv/app", "DJANGO_ENV": "staging",
		"PATH": "/srv/venv/bin:/usr/local/bin:/usr/local/sbin:/usr/sbin:/usr/bin:/sbin:/bin",
	})
	eq(t, "EnvLines", img.EnvLines, map[string]int{"APP_HOME": 6, "PATH": 6, "DJANGO_ENV": 17})
	eq(t, "Workdir", img.Workdir, "/srv/app")
	eq(t, "WorkdirLine", img.WorkdirLine, 8)
	eq(t, "User", img.User, "1000")
	eq(t, "Expose", img.Expose, []int{8000})
	eq(t, "Copies", img.Copies, []Copy{
		{Sources: []string{"/srv/venv"}, Dest: "/srv/venv", From: "builder", Line: 18},
		{Sources: []string{"scripts/"}, Dest: "/usr/local/bin/", Chmod: "755", Line: 19},
		{Sources: []string{"."}, Dest: "/srv/app/", Line: 20},
	})
	eq(t, "Runs", img.Runs, []Run{{Args: []string{"python manage.py collectstatic --noinput\npython manage.py compress --force\n"}, Shell: true, Line: 21}})
	eq(t, "Cmd", img.Cmd, &Command{Args: []string{"gunicorn-start.sh"}, Line: 27})

	s := img.Scripts["/usr/local/bin/gunicorn-start.sh"] // found on PATH, copied with its directory
	if s == nil {
		t.Fatalf("Scripts = %v", img.Scripts)
	}
	eq(t, "script Path", s.Path, "scripts/gunicorn-start.sh")
	eq(t, "script EnvRefs", s.EnvRefs, []EnvRef{{Name: "WEB_CONCURRENCY", HasDefault: true, Line: 3}, {Name: "PORT", HasDefault: true, Line: 6}})
	eq(t, "Server", img.Server, &Server{Kind: "gunicorn", App: "myproject.asgi:application", Host: "0.0.0.0", Port: 8000,
		Line: 4, In: "scripts/gunicorn-start.sh",
		Args: []string{"myproject.asgi:application", "-k", "uvicorn.workers.UvicornWorker", "--bind", "0.0.0.0:8000", "--workers", "3"}})
	eq(t, "CollectStaticAt", img.CollectStaticAt, Where{File: "Dockerfile", Line: 21})
	hasOnly(t, "Problems", img.Problems)
	hasOnly(t, "Notes", img.Notes)
}

func TestAnalyzeTargets(t *testing.T) {
	tests := []struct {
		target   string
		cmd      *Command
		ep       *Command
		problems []string
	}{
		{
			target: "release", // an ENTRYPOINT resets the CMD inherited from production
			ep:     &Command{Args: []string{"/usr/local/bin/release.sh"}, Line: 30},
			problems: []string{
				"scripts/release.sh:3: the ENTRYPOINT script never runs its arguments",
			},
		},
		{
			target:   "debug", // (e) the development server, at the CMD's line
			cmd:      &Command{Args: []string{"python", "manage.py", "runserver", "0.0.0.0:8000"}, Line: 33},
			problems: []string{"Dockerfile:33: the container serves `manage.py runserver`, Django's development server"},
		},
		{
			target:   "builder",
			problems: []string{"Dockerfile:10: stage builder has no CMD or ENTRYPOINT"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.target, func(t *testing.T) {
			img := analyze(t, "testdata/multistage", Source{Path: "Dockerfile", Context: ".", Target: tt.target})
			eq(t, "Stage", img.Stage, tt.target)
			eq(t, "Cmd", img.Cmd, tt.cmd)
			eq(t, "Entrypoint", img.Entrypoint, tt.ep)
			hasOnly(t, "Problems", img.Problems, tt.problems...)
		})
	}
	t.Run("unknown", func(t *testing.T) {
		_, err := Analyze("testdata/multistage", Source{Path: "Dockerfile", Context: ".", Target: "prod"})
		want := `analyze dockerfile: Dockerfile: target stage "prod" not found (stages: base, builder, production, release, debug)`
		if err == nil || err.Error() != want {
			t.Errorf("err = %v\nwant %s", err, want)
		}
	})
}

// (f) an entrypoint that never runs "$@" but starts the server itself.
func TestAnalyzeEntrypointWithoutExec(t *testing.T) {
	img := analyze(t, "testdata/noexec", Source{Path: "Dockerfile", Context: "."})
	eq(t, "Scripts", len(img.Scripts), 1)
	s := img.Scripts["/entrypoint.sh"]
	if s == nil {
		t.Fatalf("Scripts = %v", img.Scripts)
	}
	eq(t, "ExecsArgs", s.ExecsArgs, false)
	eq(t, "EnvRefs", s.EnvRefs, []EnvRef{{Name: "WORKERS", Line: 5}})
	eq(t, "Server.In", img.Server.In, "entrypoint.sh")
	eq(t, "Server.Line", img.Server.Line, 5)
	eq(t, "MigrateAt", img.MigrateAt, Where{File: "entrypoint.sh", Line: 3})
	hasOnly(t, "Problems", img.Problems,
		`entrypoint.sh:5: the ENTRYPOINT script never runs its arguments, so the deployment's commands (worker, beat, release) would be ignored and every container would do the same thing: end entrypoint.sh with exec "$@"`)
	hasOnly(t, "Notes", img.Notes,
		"entrypoint.sh:5: entrypoint.sh runs gunicorn without exec",
		"entrypoint.sh:3: the container runs `manage.py migrate` at every start",
		"Dockerfile:1: no USER instruction: the container runs as root")
}

func TestProblemString(t *testing.T) {
	eq(t, "with line", Problem{File: "Dockerfile", Line: 12, Message: "m"}.String(), "Dockerfile:12: m")
	eq(t, "no line", Problem{File: "compose.yaml", Message: "m"}.String(), "compose.yaml: m")
	eq(t, "no file", Problem{Message: "m"}.String(), "m")
}

// A production compose command replaces CMD, and problems in it name the
// compose file; a compose entrypoint replaces ENTRYPOINT and drops the
// image's CMD.
func TestAnalyzeComposeOverrides(t *testing.T) {
	dir := writeFiles(t, map[string]string{
		"docker-compose.prod.yml": `services:
  web:
    build: .
    command: python manage.py runserver 0.0.0.0:8000
  worker:
    build: .
    command: celery -A proj worker
`,
		"Dockerfile": "FROM python:3.12\nRUN useradd app\nUSER app\nCMD [\"gunicorn\", \"proj.wsgi\", \"-b\", \"0.0.0.0:8000\"]\n",
	})
	src, err := Find(dir)
	if err != nil || src == nil {
		t.Fatalf("Find = %v, %v", src, err)
	}
	img := analyze(t, dir, *src)
	eq(t, "Cmd", img.Cmd, &Command{Args: []string{"python", "manage.py", "runserver", "0.0.0.0:8000"}, Line: 4, File: "docker-compose.prod.yml"})
	eq(t, "Server.Kind", img.Server.Kind, "runserver")
	hasOnly(t, "Problems", img.Problems, "docker-compose.prod.yml:4: the container serves `manage.py runserver`")

	src.Command = nil
	src.Entrypoint, src.EntrypointLine = []string{"gunicorn", "proj.wsgi"}, 9
	img = analyze(t, dir, *src)
	eq(t, "Cmd", img.Cmd, (*Command)(nil))
	eq(t, "Entrypoint", img.Entrypoint, &Command{Args: []string{"gunicorn", "proj.wsgi"}, Line: 9, File: "docker-compose.prod.yml"})
	hasOnly(t, "Problems", img.Problems,
		"docker-compose.prod.yml:9: ENTRYPOINT runs gunicorn proj.wsgi itself",
		"docker-compose.prod.yml:9: gunicorn is given no address, so it listens on its default 127.0.0.1:8000")
}
