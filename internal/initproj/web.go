package initproj

import (
	"fmt"
	"slices"
	"strconv"
	"strings"

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
	}
	if p.WebCommand != nil && p.StaticStorage == string(djangocdk.StaticProject) && !p.imageCollectsStatic() {
		// The project's storage (WhiteNoise) serves files from the
		// container, and nothing collects them there: collect them where the
		// server runs, then exec it (it stays PID 1).
		p.WebCommand = []string{"/bin/sh", "-c", "python manage.py collectstatic --noinput && exec " + shellJoin(p.WebCommand)}
		p.Notes = append(p.Notes, "static files stay with the project's storage ("+p.StaticFrom+"), and the image does not collect them: the web command collects them at start")
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
	if len(p.Runner) > 0 {
		// The image's CMD runs its server through a runner (uv run ...): the
		// other processes need the same environment.
		for _, cmd := range []*[]string{&p.WorkerCommand, &p.BeatCommand} {
			if *cmd != nil {
				*cmd = append(slices.Clone(p.Runner), *cmd...)
			}
		}
		for i, cmd := range p.ReleaseCommands {
			p.ReleaseCommands[i] = append(slices.Clone(p.Runner), cmd...)
		}
	}
}

// runners start a command in a project environment that is not on PATH.
var runners = []string{"uv", "poetry", "pipenv", "pdm", "hatch", "rye"}

// runnerPrefix returns the "uv run --no-sync"-style prefix of a command, or nil.
func runnerPrefix(args []string) []string {
	if len(args) < 3 || !slices.Contains(runners, args[0]) || args[1] != "run" {
		return nil
	}
	n := 2
	for n < len(args) && strings.HasPrefix(args[n], "-") && !strings.Contains(args[n], " ") {
		n++
	}
	return slices.Clone(args[:n])
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
		p.Runner = runnerPrefix(p.WebCommand)
	}
	p.serverAddress(img, s, fromCMD)
	if s.App != "" {
		p.WebApp = s.App
	}
}

func (p *Project) imageCollectsStatic() bool {
	return p.Image != nil && p.Image.CollectsStatic
}

// serverAddress handles the server problems the analysis reports (a server
// the load balancer cannot reach, or the development server): a gunicorn or
// uvicorn in an exec-form CMD given no address gets one; anything else must
// be fixed in the image.
func (p *Project) serverAddress(img *dockerfile.Image, s *dockerfile.Server, fromCMD bool) {
	problems := img.ProblemsOf(dockerfile.KindServer)
	if len(problems) == 0 {
		return
	}
	noAddress := s.Host == "" && s.Port == 0 && fromCMD
	switch {
	case noAddress && s.Kind == "gunicorn":
		p.WebCommand = append(p.WebCommand, "--bind", "0.0.0.0:"+strconv.Itoa(p.WebPort))
		p.Notes = append(p.Notes, fmt.Sprintf("%s: the web command adds --bind 0.0.0.0:%d", problems[0], p.WebPort))
	case noAddress && (s.Kind == "uvicorn" || s.Kind == "hypercorn"):
		p.WebCommand = append(p.WebCommand, "--host", "0.0.0.0", "--port", strconv.Itoa(p.WebPort))
		p.Notes = append(p.Notes, fmt.Sprintf("%s: the web command adds --host 0.0.0.0 --port %d", problems[0], p.WebPort))
	default:
		for _, prob := range problems {
			p.Problems = append(p.Problems, prob.String())
		}
	}
}
