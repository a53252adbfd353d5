// Package dockerfile reads the Dockerfile a Django project already builds
// its web image from, so that djangocdk can deploy that image instead of
// trusting it blindly.
//
// Find decides which Dockerfile builds the web image (a compose service's
// build section, production compose files first, else a Dockerfile at one of
// the usual places). Analyze parses it with BuildKit's own parser, evaluates
// the stage that is built (ARG and ENV substitution, FROM <stage> chains,
// CMD/ENTRYPOINT inheritance), reads the entrypoint and start scripts it
// copies from the build context with a real POSIX/Bash parser
// (mvdan.cc/sh), and reports what the deployment needs to know: the server
// and its port, whether the container migrates or collects static files at
// start, and the problems that would keep it from working as an ECS task
// behind a load balancer, each naming a file and a line.
package dockerfile

import (
	"fmt"
	"strings"
)

// Source says which Dockerfile builds the web image and how.
// Paths are relative to the project directory and slash-separated.
type Source struct {
	// Path is the Dockerfile, e.g. "compose/production/django/Dockerfile".
	Path string
	// Context is the build context directory ("." for the project root).
	Context string
	// Target is the stage to build ("" = the last stage).
	Target string
	// Args are the build arguments (compose build.args).
	Args map[string]string
	// Command is the compose service's command, which overrides the
	// image's CMD (nil when the service sets none or there is no compose
	// service).
	Command []string
	// Entrypoint is the compose service's entrypoint, which overrides the
	// image's ENTRYPOINT and resets its CMD (nil when not set).
	Entrypoint []string
	// CommandLine and EntrypointLine are the lines of command and
	// entrypoint in the compose file.
	CommandLine, EntrypointLine int
	// ComposeFile is the compose file the service is in ("" when the
	// Dockerfile was found by name).
	ComposeFile string
	// FoundIn says where the choice came from, e.g.
	// "service django in docker-compose.production.yml" or "Dockerfile".
	FoundIn string
}

// Image is what the analyzed stage of a Dockerfile produces, as far as the
// deployment is concerned. Line numbers are 1-based lines of the Dockerfile
// (File) unless a field says otherwise.
type Image struct {
	// File is the Dockerfile path relative to the project.
	File string
	// Stages lists every stage of the Dockerfile in order, by name (or by
	// index, "0", "1", … for unnamed stages).
	Stages []string
	// Stage is the stage analyzed (the target, else the last one), and
	// StageLine the line of its FROM.
	Stage     string
	StageLine int
	// Base is the external image the stage's FROM chain starts from, with
	// build arguments substituted, e.g. "python:3.12-slim-bookworm";
	// BaseLine is the line of that FROM.
	Base     string
	BaseLine int
	// PythonVersion is major.minor when Base is an official python image
	// whose tag starts with a version, else "".
	PythonVersion string

	// Entrypoint and Cmd are the effective ENTRYPOINT and CMD (nil when
	// unset). A compose command or entrypoint, when the Source has one,
	// replaces them (Command.File then names the compose file).
	Entrypoint *Command
	Cmd        *Command

	// Workdir is the final working directory, absolute ("/" when never set).
	Workdir     string
	WorkdirLine int
	// User is the final USER ("" = root, never set); UserLine its line.
	User     string
	UserLine int
	// Expose lists the EXPOSEd ports; ExposeLines the line of each.
	Expose      []int
	ExposeLines []int
	// Env is the image environment (ENV of the stage chain, substituted);
	// EnvLines gives the line that last set each variable.
	Env      map[string]string
	EnvLines map[string]int

	// Copies are the COPY and ADD instructions of the stage chain, in order.
	Copies []Copy
	// Runs are the RUN instructions of the stage chain, in order.
	Runs []Run

	// Scripts are the scripts that the ENTRYPOINT and CMD run and that a
	// COPY brought from the build context, keyed by their path in the image
	// (e.g. "/entrypoint", "/start").
	Scripts map[string]*Script

	// Server is what the container serves, nil when no server was found.
	Server *Server
	// RunsMigrate is true when the ENTRYPOINT/CMD path runs
	// "manage.py migrate"; MigrateAt says where.
	RunsMigrate bool
	MigrateAt   Where
	// CollectsStatic is true when a RUN or the ENTRYPOINT/CMD path runs
	// "manage.py collectstatic"; CollectStaticAt says where (the first one).
	CollectsStatic  bool
	CollectStaticAt Where

	// Problems are what cannot work in an ECS task behind a load balancer.
	Problems []Problem
	// Notes are warnings: it works, but should change.
	Notes []Problem
}

// Where is a place in a project file: a Dockerfile or a script.
type Where struct {
	// File is relative to the project.
	File string
	// Line is 1-based.
	Line int
}

// Command is an ENTRYPOINT or CMD.
type Command struct {
	// Args are the exec-form arguments, or for the shell form the raw
	// command string as the only element.
	Args []string
	// Shell is true for the shell form (run by /bin/sh -c).
	Shell bool
	// Line is the instruction's line, or the line in File.
	Line int
	// File is the compose file the command came from ("" = the Dockerfile).
	File string
}

// Copy is a COPY or ADD instruction.
type Copy struct {
	// Sources as written (after ARG/ENV substitution), relative to the
	// build context, or to the stage named by From.
	Sources []string
	// Dest is the destination resolved against the WORKDIR in effect,
	// absolute; a trailing "/" is kept.
	Dest string
	// From is the --from stage or image ("" = the build context).
	From string
	// Chmod is the --chmod value, if any.
	Chmod string
	// Add is true for ADD.
	Add bool
	// Line is the instruction's line.
	Line int
}

// Run is a RUN instruction.
type Run struct {
	// Args are the exec-form arguments, or for the shell form the command
	// string as the only element (for a heredoc RUN, the heredoc body).
	Args []string
	// Shell is true for the shell form.
	Shell bool
	// Line is the instruction's line.
	Line int
}

// Script is a shell script the container runs (an entrypoint or a start
// script), parsed.
type Script struct {
	// Path is the script's path in the build context, relative to the
	// project.
	Path string
	// EnvRefs are the environment variables the script reads without
	// setting them first, in order of first use.
	EnvRefs []EnvRef
	// ExecsArgs is true when the script runs its arguments ("$@"), with
	// exec or plainly.
	ExecsArgs bool
	// Commands are the script's simple commands in source order, a leading
	// "exec" dropped; words that are not literal appear as written, e.g.
	// "$@" or "${PORT}".
	Commands [][]string
	// CommandLines gives the line of each of Commands in the script.
	CommandLines []int
	// Lines is the number of lines in the script.
	Lines int

	execs []bool // whether each of Commands was run with exec
}

// EnvRef is an environment variable a script reads.
type EnvRef struct {
	// Name is the variable's name.
	Name string
	// HasDefault is true when every read has a fallback: ${VAR:-x},
	// ${VAR:=x}, or a `[ -z "$VAR" ]` test whose branch assigns it.
	HasDefault bool
	// Line is the line of the first read.
	Line int
}

// Server is the application server the container runs.
type Server struct {
	// Kind is "gunicorn", "uvicorn", "daphne", "hypercorn", "granian",
	// "runserver" or "unknown".
	Kind string
	// App is the application, e.g. "config.wsgi:application" ("" when not
	// literal or not given).
	App string
	// Host and Port are where it listens, from --bind/-b host:port,
	// --host/--port, the runserver address or the PORT environment variable
	// gunicorn honors; Host is "" and Port 0 when not known.
	Host string
	Port int
	// Line is the line of the command, in the Dockerfile or in the script.
	Line int
	// In is "CMD", "ENTRYPOINT", or the path of the script (in the build
	// context) that runs the server.
	In string
	// Args are the server's arguments after the program name.
	Args []string
}

// Problem is something to change, in a file at a line.
type Problem struct {
	// File is relative to the project ("" when not known).
	File    string
	Line    int
	Message string
	// Kind says what the problem is about, so a caller that replaces the
	// image's CMD (as a deployment does) can tell which still apply.
	Kind ProblemKind
}

// ProblemKind classifies a Problem.
type ProblemKind string

// Kinds of Problem.
const (
	// KindEntrypoint: the ENTRYPOINT swallows or ignores the commands it is
	// given; it applies to every command the deployment runs through it.
	KindEntrypoint ProblemKind = "entrypoint"
	// KindServer: the server the effective command starts (the development
	// server, or a loopback address).
	KindServer ProblemKind = "server"
	// KindCommand: the image has no command of its own; a deployment that
	// gives one is not concerned.
	KindCommand ProblemKind = "command"
)

// String formats the problem as "file:line: message".
func (p Problem) String() string {
	var b strings.Builder
	if p.File != "" {
		b.WriteString(p.File)
		if p.Line > 0 {
			fmt.Fprintf(&b, ":%d", p.Line)
		}
		b.WriteString(": ")
	}
	b.WriteString(p.Message)
	return b.String()
}
