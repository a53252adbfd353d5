package dockerfile

import (
	"strings"
	"testing"
)

// Inline Dockerfiles: exec vs shell form, inheritance, servers and where
// they listen. Each case is a one-stage-or-more Dockerfile in a project of
// its own (plus extra files), analyzed at its last stage.
func TestAnalyzeCommands(t *testing.T) {
	const user = "RUN useradd app\nUSER app\n" // keeps the root note out of the way
	tests := []struct {
		name       string
		dockerfile string
		files      map[string]string
		cmd        *Command
		ep         *Command
		server     *Server // compared without Args
		migrates   bool
		problems   []string // prefixes
		notes      []string // prefixes
	}{
		{
			name:       "exec form", // (d)
			dockerfile: "FROM python:3.12\n" + user + `CMD ["gunicorn", "app.wsgi", "--bind", "0.0.0.0:8000"]` + "\n",
			cmd:        &Command{Args: []string{"gunicorn", "app.wsgi", "--bind", "0.0.0.0:8000"}, Line: 4},
			server:     &Server{Kind: "gunicorn", App: "app.wsgi:application", Host: "0.0.0.0", Port: 8000, Line: 4, In: "CMD"},
		},
		{
			name:       "shell form", // (d)
			dockerfile: "FROM python:3.12\n" + user + "CMD gunicorn app.wsgi --bind 0.0.0.0:8000\n",
			cmd:        &Command{Args: []string{"gunicorn app.wsgi --bind 0.0.0.0:8000"}, Shell: true, Line: 4},
			server:     &Server{Kind: "gunicorn", App: "app.wsgi:application", Host: "0.0.0.0", Port: 8000, Line: 4, In: "CMD"},
			notes:      []string{"Dockerfile:4: CMD is in shell form: /bin/sh stays PID 1"},
		},
		{
			name:       "shell form with exec, continued over lines",
			dockerfile: "FROM python:3.12\n" + user + "CMD exec gunicorn \\\n    app.wsgi \\\n    -b :8000\n",
			cmd:        &Command{Args: []string{"exec gunicorn     app.wsgi     -b :8000"}, Shell: true, Line: 4},
			server:     &Server{Kind: "gunicorn", App: "app.wsgi:application", Port: 8000, Line: 4, In: "CMD"},
		},
		{
			name: "sh -c string with migrate and uvicorn",
			dockerfile: "FROM python:3.12\n" + user +
				`CMD ["sh", "-c", "python manage.py migrate && exec uvicorn app.asgi:application --host 0.0.0.0 --port 8080"]` + "\n",
			cmd:      &Command{Args: []string{"sh", "-c", "python manage.py migrate && exec uvicorn app.asgi:application --host 0.0.0.0 --port 8080"}, Line: 4},
			server:   &Server{Kind: "uvicorn", App: "app.asgi:application", Host: "0.0.0.0", Port: 8080, Line: 4, In: "CMD"},
			migrates: true,
			notes:    []string{"Dockerfile:4: the container runs `manage.py migrate` at every start"},
		},
		{
			name:       "escape directive and JSON over continuation lines",
			dockerfile: "# escape=`\nFROM python:3.12\n" + user + "CMD [\"daphne\", `\n  \"-b\", \"0.0.0.0\", \"-p\", \"8001\", \"app.asgi:application\"]\n",
			cmd:        &Command{Args: []string{"daphne", "-b", "0.0.0.0", "-p", "8001", "app.asgi:application"}, Line: 5},
			server:     &Server{Kind: "daphne", App: "app.asgi:application", Host: "0.0.0.0", Port: 8001, Line: 5, In: "CMD"},
		},
		{
			name: "CMD inherited through FROM <stage>",
			dockerfile: "FROM python:3.12 AS base\n" + user + `CMD ["python", "-m", "gunicorn", "app.wsgi", "-b", "0.0.0.0:8000"]` + "\n" +
				"FROM base AS final\nRUN echo hi\n",
			cmd:    &Command{Args: []string{"python", "-m", "gunicorn", "app.wsgi", "-b", "0.0.0.0:8000"}, Line: 4},
			server: &Server{Kind: "gunicorn", App: "app.wsgi:application", Host: "0.0.0.0", Port: 8000, Line: 4, In: "CMD"},
		},
		{
			name: "ENTRYPOINT in a later stage resets the inherited CMD",
			dockerfile: "FROM python:3.12 AS base\n" + user + `CMD ["gunicorn", "app.wsgi", "-b", "0.0.0.0:8000"]` + "\n" +
				"FROM base\n" + `ENTRYPOINT ["tini", "--"]` + "\n",
			ep:       &Command{Args: []string{"tini", "--"}, Line: 6},
			problems: []string{"Dockerfile:6: the ENTRYPOINT runs the command it is given, but the image has no CMD"},
		},
		{
			name:       "ENTRYPOINT keeps the CMD of its own stage",
			dockerfile: "FROM python:3.12\n" + user + `CMD ["gunicorn", "app.wsgi", "-b", "0.0.0.0:8000"]` + "\n" + `ENTRYPOINT ["tini", "--"]` + "\n",
			cmd:        &Command{Args: []string{"gunicorn", "app.wsgi", "-b", "0.0.0.0:8000"}, Line: 4},
			ep:         &Command{Args: []string{"tini", "--"}, Line: 5},
			server:     &Server{Kind: "gunicorn", App: "app.wsgi:application", Host: "0.0.0.0", Port: 8000, Line: 4, In: "CMD"},
		},
		{
			name:       "shell-form ENTRYPOINT",
			dockerfile: "FROM python:3.12\n" + user + "ENTRYPOINT gunicorn app.wsgi -b 0.0.0.0:8000\n",
			ep:         &Command{Args: []string{"gunicorn app.wsgi -b 0.0.0.0:8000"}, Shell: true, Line: 4},
			server:     &Server{Kind: "gunicorn", App: "app.wsgi:application", Host: "0.0.0.0", Port: 8000, Line: 4, In: "ENTRYPOINT"},
			problems:   []string{"Dockerfile:4: ENTRYPOINT is in shell form, which ignores CMD"},
		},
		{
			name:       "server as ENTRYPOINT",
			dockerfile: "FROM python:3.12\n" + user + `ENTRYPOINT ["gunicorn", "app.wsgi", "-b", "0.0.0.0:8000"]` + "\n",
			ep:         &Command{Args: []string{"gunicorn", "app.wsgi", "-b", "0.0.0.0:8000"}, Line: 4},
			server:     &Server{Kind: "gunicorn", App: "app.wsgi:application", Host: "0.0.0.0", Port: 8000, Line: 4, In: "ENTRYPOINT"},
			problems:   []string{"Dockerfile:4: ENTRYPOINT runs gunicorn app.wsgi itself"},
		},
		{
			name:       "sh -c ENTRYPOINT that ignores its arguments",
			dockerfile: "FROM python:3.12\n" + user + `ENTRYPOINT ["sh", "-c", "python manage.py migrate && exec gunicorn app.wsgi -b 0.0.0.0:8000"]` + "\n" + `CMD ["celery", "-A", "app", "worker"]` + "\n",
			ep:         &Command{Args: []string{"sh", "-c", "python manage.py migrate && exec gunicorn app.wsgi -b 0.0.0.0:8000"}, Line: 4},
			cmd:        &Command{Args: []string{"celery", "-A", "app", "worker"}, Line: 5},
			server:     &Server{Kind: "gunicorn", App: "app.wsgi:application", Host: "0.0.0.0", Port: 8000, Line: 4, In: "ENTRYPOINT"},
			migrates:   true,
			problems:   []string{"Dockerfile:4: the ENTRYPOINT's `sh -c` command never runs its arguments"},
			notes:      []string{"Dockerfile:4: the container runs `manage.py migrate` at every start"},
		},
		{
			name:       "runserver, shell form", // (e)
			dockerfile: "FROM python:3.12\nWORKDIR /app\nCOPY . .\n" + user + "CMD python manage.py runserver 0.0.0.0:8000\n",
			cmd:        &Command{Args: []string{"python manage.py runserver 0.0.0.0:8000"}, Shell: true, Line: 6},
			server:     &Server{Kind: "runserver", Host: "0.0.0.0", Port: 8000, Line: 6, In: "CMD"},
			problems:   []string{"Dockerfile:6: the container serves `manage.py runserver`, Django's development server"},
			notes:      []string{"Dockerfile:6: CMD is in shell form"},
		},
		{
			name:       "runserver in a start script relative to WORKDIR", // (e)
			dockerfile: "FROM python:3.12\nWORKDIR /app\nCOPY --chmod=755 . .\n" + user + "CMD ./bin/start.sh\n",
			files:      map[string]string{"bin/start.sh": "#!/bin/sh\nset -e\n\nexec python manage.py runserver\n"},
			cmd:        &Command{Args: []string{"./bin/start.sh"}, Shell: true, Line: 6},
			server:     &Server{Kind: "runserver", Line: 4, In: "bin/start.sh"},
			problems:   []string{"bin/start.sh:4: the container serves `manage.py runserver`"},
			notes:      []string{"Dockerfile:6: CMD is in shell form"},
		},
		{
			name:       "sh <script> with CRLF line endings",
			dockerfile: "FROM python:3.12\nCOPY start /srv/\n" + user + `CMD ["sh", "/srv/start"]` + "\n",
			files:      map[string]string{"start": "#!/bin/sh\r\nexec hypercorn app.asgi:application --bind 127.0.0.1:8000\r\n"},
			cmd:        &Command{Args: []string{"sh", "/srv/start"}, Line: 5},
			server:     &Server{Kind: "hypercorn", App: "app.asgi:application", Host: "127.0.0.1", Port: 8000, Line: 2, In: "start"},
			problems:   []string{"start:2: hypercorn listens on 127.0.0.1, which only the container itself can reach"},
		},
		{
			name:       "uvicorn without --host",
			dockerfile: "FROM python:3.12\n" + user + `CMD ["uvicorn", "--workers", "2", "app.asgi:application"]` + "\n",
			cmd:        &Command{Args: []string{"uvicorn", "--workers", "2", "app.asgi:application"}, Line: 4},
			server:     &Server{Kind: "uvicorn", App: "app.asgi:application", Line: 4, In: "CMD"},
			problems:   []string{"Dockerfile:4: uvicorn is given no address, so it listens on its default 127.0.0.1:8000"},
		},
		{
			name:       "gunicorn with a config file",
			dockerfile: "FROM python:3.12\n" + user + `CMD ["gunicorn", "-c", "python:config.gunicorn", "app.wsgi"]` + "\n",
			cmd:        &Command{Args: []string{"gunicorn", "-c", "python:config.gunicorn", "app.wsgi"}, Line: 4},
			server:     &Server{Kind: "gunicorn", App: "app.wsgi:application", Line: 4, In: "CMD"},
		},
		{
			name:       "granian through poetry run and tini",
			dockerfile: "FROM python:3.12\n" + user + `ENTRYPOINT ["/usr/bin/tini", "--"]` + "\n" + `CMD ["poetry", "run", "granian", "--interface", "asgi", "--host", "0.0.0.0", "app.asgi:application"]` + "\n",
			ep:         &Command{Args: []string{"/usr/bin/tini", "--"}, Line: 4},
			cmd:        &Command{Args: []string{"poetry", "run", "granian", "--interface", "asgi", "--host", "0.0.0.0", "app.asgi:application"}, Line: 5},
			server:     &Server{Kind: "granian", App: "app.asgi:application", Host: "0.0.0.0", Line: 5, In: "CMD"},
		},
		{
			name:       "missing CMD and ENTRYPOINT",
			dockerfile: "FROM python:3.12-slim\n" + user,
			problems:   []string{`Dockerfile:1: stage 0 has no CMD or ENTRYPOINT, so the container runs the base image's default command (python3, the interpreter) and serves nothing: add CMD ["gunicorn", "<project>.wsgi:application", "--bind", "0.0.0.0:8000"]`},
		},
		{
			name:       "root",
			dockerfile: "FROM python:3.12\nUSER root\n" + `CMD ["gunicorn", "app.wsgi", "-b", "[::]:8000"]` + "\n",
			cmd:        &Command{Args: []string{"gunicorn", "app.wsgi", "-b", "[::]:8000"}, Line: 3},
			server:     &Server{Kind: "gunicorn", App: "app.wsgi:application", Host: "::", Port: 8000, Line: 3, In: "CMD"},
			notes:      []string{"Dockerfile:2: USER root: the container runs as root"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			files := map[string]string{"Dockerfile": tt.dockerfile}
			for k, v := range tt.files {
				files[k] = v
			}
			img := analyze(t, writeFiles(t, files), Source{Path: "Dockerfile", Context: "."})
			eq(t, "Cmd", img.Cmd, tt.cmd)
			eq(t, "Entrypoint", img.Entrypoint, tt.ep)
			if img.Server != nil {
				img.Server.Args = nil
			}
			eq(t, "Server", img.Server, tt.server)
			eq(t, "RunsMigrate", img.RunsMigrate, tt.migrates)
			hasOnly(t, "Problems", img.Problems, tt.problems...)
			hasOnly(t, "Notes", img.Notes, tt.notes...)
		})
	}
}

// COPY --from=<stage> is followed back to the build context to find a
// script; ARG/ENV substitution applies to COPY and WORKDIR.
func TestAnalyzeScriptThroughStages(t *testing.T) {
	dir := writeFiles(t, map[string]string{
		"Dockerfile": `FROM python:3.12 AS src
ARG SRC=docker
WORKDIR /build
COPY ${SRC}/ ./scripts/

FROM python:3.12
ENV BIN=/opt/bin
COPY --from=src /build/scripts ${BIN}
RUN useradd app
USER app
ENTRYPOINT ["/opt/bin/entrypoint"]
CMD ["/opt/bin/web"]
`,
		"docker/entrypoint": "#!/bin/bash\nexec \"$@\"\n",
		"docker/web":        "#!/bin/bash\nexec gunicorn proj.wsgi:application --bind=0.0.0.0:${PORT:-8000}\n",
	})
	img := analyze(t, dir, Source{Path: "Dockerfile", Context: "."})
	eq(t, "Scripts[entrypoint]", img.Scripts["/opt/bin/entrypoint"].Path, "docker/entrypoint")
	eq(t, "Scripts[web]", img.Scripts["/opt/bin/web"].Path, "docker/web")
	eq(t, "Server.In", img.Server.In, "docker/web")
	eq(t, "Server.Port", img.Server.Port, 8000)
	hasOnly(t, "Problems", img.Problems)
	hasOnly(t, "Notes", img.Notes)
}

func TestAnalyzeErrors(t *testing.T) {
	tests := []struct{ name, dockerfile, want string }{
		{"empty", "# nothing\n", "analyze dockerfile: Dockerfile:1: file with no instructions"},
		{"no FROM", "ARG X=1\n", "analyze dockerfile: Dockerfile: no FROM instruction"},
		{"bad instruction", "FROM python:3.12\nCOPY onlyone\n", "analyze dockerfile: Dockerfile:2: "},
		{"unknown instruction", "FROM python:3.12\nRUNN echo\n", "analyze dockerfile: Dockerfile:2: "},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Analyze(writeFiles(t, map[string]string{"Dockerfile": tt.dockerfile}), Source{Path: "Dockerfile", Context: "."})
			if err == nil || !strings.HasPrefix(err.Error(), tt.want) {
				t.Errorf("err = %v\nwant prefix %s", err, tt.want)
			}
		})
	}
	if _, err := Analyze(t.TempDir(), Source{Path: "Dockerfile"}); err == nil || !strings.HasPrefix(err.Error(), "analyze dockerfile: open ") {
		t.Errorf("missing file: err = %v", err)
	}
}
