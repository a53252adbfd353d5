package dockerfile

import (
	"fmt"
	"path"
	"slices"
	"strings"
)

// analysis follows the container's start command through its scripts.
type analysis struct {
	img        *Image
	src        Source
	projectDir string
	ev         *evaluator
	stage      *stageState
	failed     map[string]bool // image paths of scripts that did not parse
	shellExec  bool            // a shell-form CMD starts its server with exec
	cmdIgnored bool            // the ENTRYPOINT never runs the CMD
	serverAt   Where           // the file and line that start the server
}

// origin is where a command is written.
type origin struct {
	in   string // "CMD", "ENTRYPOINT", or a script path
	file string // the file, relative to the project
	line int
	exec bool // run with exec (or directly, in exec form)
}

// walk follows ENTRYPOINT and CMD as the container runs them.
func (a *analysis) walk() {
	for _, r := range a.img.Runs {
		a.runCollectstatic(r)
	}
	ep, cmd := a.img.Entrypoint, a.img.Cmd
	switch {
	case ep != nil && ep.Shell:
		a.walkShell(ep.Args[0], a.at("ENTRYPOINT", ep), 0)
	case ep != nil:
		rest := []string(nil)
		if cmd != nil && cmd.Shell {
			rest = []string{"/bin/sh", "-c", cmd.Args[0]}
		} else if cmd != nil {
			rest = cmd.Args
		}
		a.walkArgv(ep.Args, rest, a.at("ENTRYPOINT", ep), a.cmdOrigin(), 0)
	case cmd != nil && cmd.Shell:
		a.walkShell(cmd.Args[0], a.at("CMD", cmd), 0)
	case cmd != nil:
		a.walkArgv(cmd.Args, nil, a.at("CMD", cmd), origin{}, 0)
	}
}

func (a *analysis) at(in string, c *Command) origin {
	file := c.File
	if file == "" {
		file = a.img.File
	}
	return origin{in: in, file: file, line: c.Line, exec: !c.Shell}
}

func (a *analysis) cmdOrigin() origin {
	if a.img.Cmd == nil {
		return origin{}
	}
	return a.at("CMD", a.img.Cmd)
}

// walkArgv follows a command: through launchers, shells and scripts to what
// it runs. rest are the arguments a script receives as "$@" (the CMD, for
// an ENTRYPOINT), and restAt where they are written.
func (a *analysis) walkArgv(args, rest []string, at, restAt origin, depth int) {
	if depth > 6 {
		return
	}
	if args = unwrap(args); len(args) == 0 { // tini --: it runs the CMD
		if len(rest) > 0 {
			a.walkArgv(rest, nil, restAt, origin{}, depth+1)
		}
		return
	}
	if isShellProgram(args[0]) {
		i := 1
		for i < len(args) && strings.HasPrefix(args[i], "-") {
			if strings.Contains(args[i], "c") && !strings.HasPrefix(args[i], "--") && i+1 < len(args) {
				a.walkShell(args[i+1], at, depth+1)
				return
			}
			if args[i] == "-o" {
				i++
			}
			i++
		}
		if i < len(args) {
			if s := a.script(args[i], true); s != nil {
				sa, sat := scriptArgs(args[i+1:], rest, at, restAt)
				a.walkScript(s, sa, sat, depth+1)
			}
		}
		return
	}
	if s := a.script(args[0], false); s != nil {
		sa, sat := scriptArgs(args[1:], rest, at, restAt)
		a.walkScript(s, sa, sat, depth+1)
		return
	}
	a.record(append(slices.Clone(args), rest...), at) // the container runs ENTRYPOINT + CMD
}

// walkShell follows a shell command string (shell form, or sh -c).
func (a *analysis) walkShell(src string, at origin, depth int) {
	s, err := ParseScript(at.file, []byte(src), a.img.Env)
	if err != nil {
		a.note(at.file, at.line, fmt.Sprintf("%s: cannot parse its shell command: %v", at.in, err))
		return
	}
	for i, c := range s.Commands {
		o := at
		o.exec = s.execs[i]
		if o.exec && at.in == "CMD" {
			a.shellExec = true
		}
		a.walkArgv(c, nil, o, origin{}, depth+1)
	}
}

// scriptArgs are the arguments a script receives: its own, then rest (the
// CMD after an ENTRYPOINT); the origin is the CMD's when there is one.
func scriptArgs(own, rest []string, at, restAt origin) ([]string, origin) {
	if len(rest) == 0 {
		return own, at
	}
	return append(slices.Clone(own), rest...), restAt
}

// walkScript follows the commands of a script the container runs; args are
// its arguments ("$@"), written at argsAt.
func (a *analysis) walkScript(s *Script, args []string, argsAt origin, depth int) {
	for i, c := range s.Commands {
		o := origin{in: s.Path, file: s.Path, line: s.CommandLines[i], exec: s.execs[i]}
		if cmd := unwrap(c); len(cmd) > 0 && cmd[0] == "$@" {
			if len(args) > 0 {
				a.walkArgv(args, nil, argsAt, origin{}, depth+1)
			}
			continue
		}
		a.walkArgv(c, nil, o, origin{}, depth+1)
	}
}

// record notes what a command runs: the server, migrate, collectstatic.
func (a *analysis) record(args []string, at origin) {
	inv := classify(args, a.lookupEnv)
	if inv.server != nil && a.img.Server == nil {
		inv.server.Line, inv.server.In = at.line, at.in
		a.img.Server = inv.server
		a.serverAt = Where{File: at.file, Line: at.line}
		if at.in != "CMD" && at.in != "ENTRYPOINT" && !at.exec {
			a.note(at.file, at.line, fmt.Sprintf("%s runs %s without exec: the shell stays PID 1 and the SIGTERM that ECS sends to stop the task does not reach %s, which is killed after the stop timeout; write `exec %s …`",
				at.file, inv.server.Kind, inv.server.Kind, strings.Join(args[:1], " ")))
		}
	}
	switch inv.manage {
	case "migrate":
		if !a.img.RunsMigrate {
			a.img.RunsMigrate, a.img.MigrateAt = true, Where{File: at.file, Line: at.line}
		}
	case "collectstatic":
		a.collectstatic(Where{File: at.file, Line: at.line})
	}
}

func (a *analysis) collectstatic(w Where) {
	if !a.img.CollectsStatic {
		a.img.CollectsStatic, a.img.CollectStaticAt = true, w
	}
}

// runCollectstatic spots collectstatic in a RUN.
func (a *analysis) runCollectstatic(r Run) {
	cmds := [][]string{r.Args}
	if r.Shell {
		s, err := ParseScript(a.img.File, []byte(r.Args[0]), a.img.Env)
		if err != nil {
			return
		}
		cmds = s.Commands
	}
	for _, c := range cmds {
		if classify(unwrap(c), nil).manage == "collectstatic" {
			a.collectstatic(Where{File: a.img.File, Line: r.Line})
			return
		}
	}
}

func (a *analysis) lookupEnv(name string) (string, bool) {
	v, ok := a.img.Env[name]
	return v, ok
}

func (a *analysis) note(file string, line int, msg string) {
	a.img.Notes = append(a.img.Notes, Problem{File: file, Line: line, Message: msg})
}

func (a *analysis) problemOf(kind ProblemKind, file string, line int, msg string) {
	a.img.Problems = append(a.img.Problems, Problem{File: file, Line: line, Message: msg, Kind: kind})
}

// isShellProgram is true for sh, bash, dash, ash and zsh.
func isShellProgram(p string) bool {
	return slices.Contains([]string{"sh", "bash", "dash", "ash", "zsh"}, path.Base(p))
}
