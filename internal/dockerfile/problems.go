package dockerfile

import (
	"fmt"
	"path"
	"strings"
)

// serveHint is the command suggested in place of the development server.
const serveHint = `gunicorn <project>.wsgi:application --bind 0.0.0.0:8000`

// check adds the problems and notes of the analyzed image.
func (a *analysis) check() {
	img := a.img
	if img.Entrypoint == nil && img.Cmd == nil {
		a.problemOf(KindCommand, img.File, img.StageLine, fmt.Sprintf(
			"stage %s has no CMD or ENTRYPOINT, so the container runs the base image's default command (%s) and serves nothing: add CMD [%s]",
			img.Stage, baseDefault(img.Base), quoteArgs(strings.Fields(serveHint))))
	}
	a.checkEntrypoint()
	a.checkServer()
	if img.Cmd != nil && img.Cmd.Shell && !a.cmdIgnored && !a.shellExec {
		a.note(img.File, img.Cmd.Line,
			"CMD is in shell form: /bin/sh stays PID 1 and the SIGTERM that ECS sends to stop the task does not reach the server, which is killed after the stop timeout; use the exec form CMD [\"gunicorn\", …] or start the server with `exec`")
	}
	if img.RunsMigrate {
		a.note(img.MigrateAt.File, img.MigrateAt.Line,
			"the container runs `manage.py migrate` at every start: every web task would migrate at once, and djangocdk's release step already migrates once before new code takes traffic; remove it from the start command")
	}
	if isRoot(img.User) {
		ln, msg := img.UserLine, "USER "+img.User+": the container runs as root"
		if img.User == "" {
			ln, msg = img.StageLine, "no USER instruction: the container runs as root"
		}
		a.note(img.File, ln, msg+"; create an unprivileged user (RUN useradd --system app) and add USER app before CMD")
	}
}

// checkEntrypoint reports an ENTRYPOINT that would swallow the commands the
// deployment runs in the same image (worker, beat, release).
func (a *analysis) checkEntrypoint() {
	ep := a.img.Entrypoint
	if ep == nil {
		return
	}
	at := a.at("ENTRYPOINT", ep)
	if ep.Shell {
		a.cmdIgnored = true
		a.problemOf(KindEntrypoint, at.file, at.line,
			"ENTRYPOINT is in shell form, which ignores CMD and any command given to the container, so the deployment's commands (worker, beat, release) would never run: use the exec form, e.g. ENTRYPOINT [\"/entrypoint\"] with a script that ends with exec \"$@\"")
		return
	}
	args := unwrap(ep.Args)
	if len(args) == 0 { // tini, dumb-init …: they run the CMD
		a.checkArgsGiven(at)
		return
	}
	prog := args[0]
	viaShell := isShellProgram(prog)
	if viaShell {
		if len(args) == 3 && strings.HasPrefix(args[1], "-") && strings.HasSuffix(args[1], "c") {
			if s, err := ParseScript(at.file, []byte(args[2]), nil); err == nil && !s.ExecsArgs {
				a.cmdIgnored = true
				a.problemOf(KindEntrypoint, at.file, at.line,
					"the ENTRYPOINT's `sh -c` command never runs its arguments, so CMD and the deployment's commands (worker, beat, release) would be ignored: end it with exec \"$@\" (and pass the arguments on: sh -c '…; exec \"$@\"' sh)")
			}
			return
		}
		if len(args) < 2 || strings.HasPrefix(args[1], "-") {
			return
		}
		prog = args[1]
	}
	if s := a.script(prog, viaShell); s != nil {
		if !s.ExecsArgs {
			a.cmdIgnored = true
			a.problemOf(KindEntrypoint, s.Path, s.Lines, fmt.Sprintf(
				"the ENTRYPOINT script never runs its arguments, so the deployment's commands (worker, beat, release) would be ignored and every container would do the same thing: end %s with exec \"$@\"",
				path.Base(s.Path)))
		} else {
			a.checkArgsGiven(at)
		}
		return
	}
	if inv := classify(args, nil); inv.server != nil || inv.manage != "" {
		a.problemOf(KindEntrypoint, at.file, at.line, fmt.Sprintf(
			"ENTRYPOINT runs %s itself, so the deployment's commands (worker, beat, release) would become its arguments: move it to CMD and keep ENTRYPOINT for a script that ends with exec \"$@\"",
			strings.Join(args[:min(2, len(args))], " ")))
	}
}

// checkArgsGiven reports an ENTRYPOINT that runs its arguments when the
// image has no CMD to give it.
func (a *analysis) checkArgsGiven(at origin) {
	if a.img.Cmd != nil {
		return
	}
	a.problemOf(KindCommand, at.file, at.line,
		"the ENTRYPOINT runs the command it is given, but the image has no CMD (an ENTRYPOINT resets the CMD of the stage it is built FROM), so the container starts no server: add a CMD, e.g. CMD ["+quoteArgs(strings.Fields(serveHint))+"]")
}

// checkServer reports a development server or a server that only listens
// inside the container.
func (a *analysis) checkServer() {
	s := a.img.Server
	if s == nil {
		if c := a.img.Cmd; c != nil {
			at := a.at("CMD", c)
			a.note(at.file, at.line, "could not tell which application server the container runs (gunicorn, uvicorn, daphne, hypercorn, granian)")
		}
		return
	}
	file := a.serverAt.File
	if s.Kind == "runserver" {
		a.problemOf(KindServer, file, s.Line,
			"the container serves `manage.py runserver`, Django's development server (single process, not secure or fast enough for production): serve with "+serveHint)
		return
	}
	port := s.Port
	if port == 0 {
		port = 8000
	}
	switch {
	case isLocalhost(s.Host):
		a.problemOf(KindServer, file, s.Line, fmt.Sprintf(
			"%s listens on %s, which only the container itself can reach, so the load balancer's health checks fail: listen on 0.0.0.0 (%s)",
			s.Kind, s.Host, bindHint(s.Kind, port)))
	case s.Host == "" && s.Port == 0 && !a.bindUnknown(s):
		a.problemOf(KindServer, file, s.Line, fmt.Sprintf(
			"%s is given no address, so it listens on its default 127.0.0.1:8000, which only the container itself can reach: add %s",
			s.Kind, bindHint(s.Kind, port)))
	}
}

// bindUnknown is true when a server's address may come from somewhere
// Analyze cannot see: a config file, or an argument that is not literal.
func (a *analysis) bindUnknown(s *Server) bool {
	for _, arg := range s.Args {
		if strings.Contains(arg, "$") {
			return true
		}
		if arg == "-c" || arg == "--config" || strings.HasPrefix(arg, "--config=") {
			return true
		}
	}
	if s.Kind == "gunicorn" {
		// gunicorn reads ./gunicorn.conf.py from its working directory.
		_, ok := a.fromContext(a.stage, path.Join(a.img.Workdir, "gunicorn.conf.py"), 0)
		return ok
	}
	return false
}

// bindHint gives the arguments that make a server listen on all
// interfaces.
func bindHint(kind string, port int) string {
	switch kind {
	case "gunicorn", "hypercorn":
		return fmt.Sprintf("--bind 0.0.0.0:%d", port)
	case "daphne":
		return fmt.Sprintf("--bind 0.0.0.0 --port %d", port)
	}
	return fmt.Sprintf("--host 0.0.0.0 --port %d", port)
}

// baseDefault describes the default command of a base image.
func baseDefault(base string) string {
	if pythonVersion(base) != "" {
		return "python3, the interpreter"
	}
	return "whatever " + base + " defines"
}

func isRoot(user string) bool {
	u, _, _ := strings.Cut(user, ":")
	return u == "" || u == "root" || u == "0"
}

func quoteArgs(args []string) string {
	q := make([]string, len(args))
	for i, s := range args {
		q[i] = fmt.Sprintf("%q", s)
	}
	return strings.Join(q, ", ")
}
