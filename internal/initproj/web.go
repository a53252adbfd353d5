package initproj

import (
	"fmt"
	"slices"
	"strconv"

	"github.com/djangocdk/djangocdk"
	"github.com/djangocdk/djangocdk/internal/deps"
	"github.com/djangocdk/djangocdk/internal/dockerfile"
)

const defaultPort = 8000

// decideProcesses sets the entry point and the web, worker, beat and
// release commands: the kept Dockerfile's own where it serves the app, else
// gunicorn on the detected application.
func (p *Project) decideProcesses() {
	p.WebPort = defaultPort
	if img := p.Image; img != nil {
		p.useImage(img)
	}
	if p.WebCommand == nil && p.WebApp != "" {
		p.WebCommand = []string{"gunicorn", p.WebApp, "--bind", "0.0.0.0:" + strconv.Itoa(p.WebPort), "--workers", "2", "--access-logfile", "-"}
		if p.ASGI {
			p.WebCommand = append(p.WebCommand, "--worker-class", deps.UvicornWorkerClass)
		}
		if p.StaticStorage == string(djangocdk.StaticProject) && !p.imageCollectsStatic() {
			// The project's storage (WhiteNoise) serves files from the
			// container: collect them where the server runs, then exec it.
			p.WebCommand = []string{"/bin/sh", "-c", "python manage.py collectstatic --noinput && exec " + shellJoin(p.WebCommand)}
			p.Notes = append(p.Notes, "static files stay with the project's storage ("+p.StaticFrom+"): the web command collects them at start")
		}
	}
	if p.Celery {
		p.WorkerCommand = []string{"celery", "-A", p.CeleryApp, "worker", "--loglevel", "INFO"}
		p.BeatCommand = []string{"celery", "-A", p.CeleryApp, "beat", "--loglevel", "INFO"}
		if p.BeatScheduler != "" {
			p.BeatCommand = append(p.BeatCommand, "--scheduler", p.BeatScheduler)
		} else {
			p.BeatCommand = append(p.BeatCommand, "--schedule", "/tmp/celerybeat-schedule")
		}
	}
	p.ReleaseCommands = [][]string{{"python", "manage.py", "migrate", "--noinput"}}
	if p.StaticStorage != string(djangocdk.StaticProject) {
		p.ReleaseCommands = append(p.ReleaseCommands, []string{"python", "manage.py", "collectstatic", "--noinput"})
	}
}

// useImage keeps what a kept Dockerfile does right: its ENTRYPOINT (run by
// the launcher) and the server its CMD starts.
func (p *Project) useImage(img *dockerfile.Image) {
	if ep := img.Entrypoint; ep != nil {
		args := ep.Args
		if ep.Shell {
			args = []string{"/bin/sh", "-c", ep.Args[0]}
		}
		p.EntryPoint = append(slices.Clone(djangocdk.LauncherEntryPoint), args...)
	}
	s := img.Server
	if s == nil || s.Kind == "runserver" || s.Kind == "unknown" {
		if img.Cmd != nil {
			p.Notes = append(p.Notes, fmt.Sprintf("%s: the image's CMD does not start a production server djangocdk recognizes; the web command runs gunicorn instead", p.DockerfilePath))
		}
		return
	}
	if s.Port > 0 {
		p.WebPort = s.Port
	} else if len(img.Expose) > 0 {
		p.WebPort = img.Expose[0]
	}
	fromCMD := s.In == "CMD" && img.Cmd != nil
	switch {
	case fromCMD && img.Cmd.Shell:
		// e.g. `CMD set -xe; python manage.py migrate; gunicorn app`: run the
		// server alone (exec form, so it is PID 1 and gets SIGTERM); the
		// release step migrates once per deploy.
		p.WebCommand = append([]string{s.Kind}, s.Args...)
		p.Notes = append(p.Notes, fmt.Sprintf("%s:%d: the shell-form CMD runs more than the server; the web command runs %s alone (migrations run once per deploy in the release step)", p.DockerfilePath, img.Cmd.Line, s.Kind))
	case img.Cmd != nil:
		p.WebCommand = slices.Clone(img.Cmd.Args)
	}
	file := s.In
	if file == "CMD" || file == "ENTRYPOINT" {
		file = p.DockerfilePath
	}
	switch {
	case s.Host == "" && fromCMD && s.Kind == "gunicorn":
		p.WebCommand = append(p.WebCommand, "--bind", "0.0.0.0:"+strconv.Itoa(p.WebPort))
		p.Notes = append(p.Notes, fmt.Sprintf("%s:%d: gunicorn is given no address (it would listen on 127.0.0.1 only): the web command adds --bind 0.0.0.0:%d", file, s.Line, p.WebPort))
	case s.Host == "" && fromCMD && (s.Kind == "uvicorn" || s.Kind == "hypercorn"):
		p.WebCommand = append(p.WebCommand, "--host", "0.0.0.0", "--port", strconv.Itoa(p.WebPort))
	case s.Host == "127.0.0.1" || s.Host == "localhost" || s.Host == "":
		p.Problems = append(p.Problems, fmt.Sprintf("%s:%d: %s listens on 127.0.0.1 only (no address, or a loopback one); the load balancer cannot reach it: bind 0.0.0.0:%d", file, s.Line, s.Kind, p.WebPort))
	}
	if s.App != "" {
		p.WebApp = s.App
	}
}

func (p *Project) imageCollectsStatic() bool {
	return p.Image != nil && p.Image.CollectsStatic
}
