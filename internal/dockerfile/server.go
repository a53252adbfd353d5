package dockerfile

import (
	"path"
	"slices"
	"strconv"
	"strings"
)

// serverKinds are the application servers recognized by program name.
var serverKinds = map[string]bool{
	"gunicorn": true, "uvicorn": true, "daphne": true, "hypercorn": true, "granian": true,
}

// boolFlags are each server's flags that take no value (every other flag
// written without "=" takes the next word as its value).
var boolFlags = map[string][]string{
	"gunicorn": {"--reload", "--preload", "--daemon", "-D", "--capture-output", "--check-config",
		"--print-config", "--spew", "--no-sendfile", "--reuse-port", "--enable-stdio-inheritance",
		"--strip-header-spaces", "--do-handshake-on-connect", "--suppress-ragged-eofs",
		"--proxy-protocol", "-R", "--version", "-v", "--help", "-h"},
	"uvicorn": {"--reload", "--use-colors", "--no-use-colors", "--proxy-headers", "--no-proxy-headers",
		"--access-log", "--no-access-log", "--server-header", "--no-server-header", "--date-header",
		"--no-date-header", "--factory", "--version", "--help"},
	"daphne":    {"--proxy-headers", "--no-server-name", "--help", "-h"},
	"hypercorn": {"--debug", "--reload", "--help", "-h"},
	"granian": {"--reload", "--no-reload", "--log", "--no-log", "--access-log", "--no-access-log",
		"--websockets", "--no-ws", "--opt", "--no-opt", "--respawn-failed-workers", "--factory",
		"--version", "--help"},
	"runserver": {"--noreload", "--nothreading", "--ipv6", "-6", "--insecure", "--nostatic",
		"--skip-checks", "--force-color", "--no-color", "--traceback"},
}

// launchers run the rest of their arguments as the command.
var launchers = map[string]bool{
	"exec": true, "env": true, "tini": true, "tini-static": true, "dumb-init": true,
	"catatonit": true, "nice": true, "nohup": true, "time": true, "ddtrace-run": true,
	"opentelemetry-instrument": true, "gosu": true, "su-exec": true,
}

// runners are "<tool> run <command>" launchers.
var runners = map[string]string{
	"poetry": "run", "uv": "run", "pipenv": "run", "pdm": "run", "hatch": "run", "rye": "run",
	"newrelic-admin": "run-program",
}

// unwrap strips launchers (exec, env, tini, gosu, poetry run, …) from the
// front of a command, returning the command they run.
func unwrap(args []string) []string {
	for len(args) > 0 {
		b := path.Base(args[0])
		if sub, ok := runners[b]; ok && len(args) > 1 && args[1] == sub {
			args = skipFlags(args[2:], false)
			continue
		}
		if !launchers[b] {
			return args
		}
		switch b {
		case "gosu", "su-exec":
			if len(args) < 2 {
				return nil
			}
			args = args[2:]
		case "env":
			args = args[1:]
			for len(args) > 0 && (strings.HasPrefix(args[0], "-") || strings.Contains(args[0], "=")) {
				if slices.Contains([]string{"-u", "--unset", "-C", "--chdir"}, args[0]) && len(args) > 1 {
					args = args[1:]
				}
				args = args[1:]
			}
		case "opentelemetry-instrument":
			args = skipFlags(args[1:], true)
		default:
			args = skipFlags(args[1:], false)
		}
	}
	return args
}

// skipFlags drops leading flags (and "--"); withValues drops the word
// after each "--flag" too.
func skipFlags(args []string, withValues bool) []string {
	for len(args) > 0 && strings.HasPrefix(args[0], "-") {
		if args[0] == "--" {
			return args[1:]
		}
		if withValues && !strings.Contains(args[0], "=") && len(args) > 1 {
			args = args[1:]
		}
		args = args[1:]
	}
	return args
}

// invocation is what a command does, as far as the deployment cares.
type invocation struct {
	server *Server // the application server it runs, if any
	manage string  // the manage.py / django-admin subcommand, if any
}

// classify tells what a command (launchers already stripped) runs.
func classify(args []string, env lookupFunc) invocation {
	if len(args) == 0 {
		return invocation{}
	}
	b := path.Base(args[0])
	switch {
	case isPython(b):
		rest := args[1:]
		for len(rest) > 0 && strings.HasPrefix(rest[0], "-") && rest[0] != "-m" && rest[0] != "-c" {
			if rest[0] == "-W" || rest[0] == "-X" {
				rest = rest[1:]
			}
			if len(rest) > 0 {
				rest = rest[1:]
			}
		}
		if len(rest) >= 2 && rest[0] == "-m" {
			if rest[1] == "debugpy" { // python -m debugpy --listen ADDR <what python would run>
				return classify(append([]string{args[0]}, debugpyTarget(rest[2:])...), env)
			}
			if rest[1] == "django" {
				return manage(rest[2:], env)
			}
			if serverKinds[rest[1]] {
				return invocation{server: parseServer(rest[1], rest[2:], env)}
			}
			return invocation{}
		}
		if len(rest) > 0 && path.Base(rest[0]) == "manage.py" {
			return manage(rest[1:], env)
		}
	case b == "manage.py" || b == "django-admin" || b == "django-admin.py":
		return manage(args[1:], env)
	case serverKinds[b]:
		return invocation{server: parseServer(b, args[1:], env)}
	}
	return invocation{}
}

// debugpyTarget drops debugpy's own options, leaving the script or -m
// module it runs and its arguments.
func debugpyTarget(args []string) []string {
	for len(args) > 0 && strings.HasPrefix(args[0], "--") {
		if args[0] != "--wait-for-client" && !strings.Contains(args[0], "=") && len(args) > 1 {
			args = args[1:]
		}
		args = args[1:]
	}
	return args
}

func isPython(b string) bool {
	v, ok := strings.CutPrefix(b, "python")
	if !ok {
		return false
	}
	for _, c := range v {
		if c != '.' && (c < '0' || c > '9') {
			return false
		}
	}
	return true
}

// manage classifies a manage.py subcommand and its arguments.
func manage(args []string, env lookupFunc) invocation {
	for i := 0; i < len(args); i++ {
		a := args[i]
		if strings.HasPrefix(a, "-") {
			if (a == "--settings" || a == "--pythonpath") && i+1 < len(args) {
				i++
			}
			continue
		}
		inv := invocation{manage: a}
		if a == "runserver" || a == "runserver_plus" {
			inv.server = parseServer("runserver", args[i+1:], env)
		}
		return inv
	}
	return invocation{}
}

// parseServer reads a server's application and listening address from its
// arguments (and, for its defaults, the environment).
func parseServer(kind string, args []string, env lookupFunc) *Server {
	s := &Server{Kind: kind, Args: args}
	bools := boolFlags[kind]
	var pos []string
	flags := map[string]string{}
	for i := 0; i < len(args); i++ {
		a := args[i]
		if !strings.HasPrefix(a, "-") || a == "-" {
			pos = append(pos, a)
			continue
		}
		name, val, hasVal := strings.Cut(a, "=")
		if !hasVal && len(name) > 2 && name[1] != '-' { // -b0.0.0.0:8000
			name, val, hasVal = name[:2], name[2:], true
			if slices.Contains(bools, name) {
				hasVal = false
			}
		}
		if !hasVal && !slices.Contains(bools, name) && i+1 < len(args) {
			i++
			val = args[i]
		}
		if _, seen := flags[name]; !seen {
			flags[name] = val
		}
	}
	get := func(names ...string) (string, bool) {
		for _, n := range names {
			if v, ok := flags[n]; ok {
				return v, true
			}
		}
		return "", false
	}
	switch kind {
	case "gunicorn", "hypercorn":
		if b, ok := get("--bind", "-b"); ok {
			s.Host, s.Port = hostPort(b)
		} else if kind == "gunicorn" {
			gunicornEnvBind(s, env)
		}
	case "uvicorn", "granian":
		s.Host, _ = get("--host")
		s.Host = envDefault(s.Host, env, strings.ToUpper(kind)+"_HOST")
		p, _ := get("--port")
		s.Port = port(envDefault(p, env, strings.ToUpper(kind)+"_PORT"))
	case "daphne":
		s.Host, _ = get("--bind", "-b")
		p, _ := get("--port", "-p")
		s.Port = port(p)
		if e, ok := get("--endpoint", "-e"); ok {
			s.Host, s.Port = daphneEndpoint(e)
		}
	case "runserver":
		if len(pos) > 0 {
			s.Host, s.Port = hostPort(pos[0])
			if s.Host == "0" {
				s.Host = "0.0.0.0"
			}
			pos = nil
		}
	}
	if _, ok := get("--uds", "--unix-socket", "-u", "--fd"); ok && kind != "gunicorn" && kind != "runserver" {
		s.Host = "unix"
	}
	s.App = appName(kind, pos)
	return s
}

// gunicornEnvBind applies gunicorn's defaults when it has no --bind: the
// --bind in GUNICORN_CMD_ARGS, else 0.0.0.0:$PORT when PORT is set.
func gunicornEnvBind(s *Server, env lookupFunc) {
	if env == nil {
		return
	}
	if v, ok := env("GUNICORN_CMD_ARGS"); ok {
		if w, err := splitWords(v); err == nil {
			if b := parseServer("gunicorn", w, nil); b.Host != "" || b.Port != 0 {
				s.Host, s.Port = b.Host, b.Port
				return
			}
		}
	}
	if v, ok := env("PORT"); ok && port(v) != 0 {
		s.Host, s.Port = "0.0.0.0", port(v)
	}
}

func envDefault(v string, env lookupFunc, name string) string {
	if v != "" || env == nil {
		return v
	}
	v, _ = env(name)
	return v
}

// appName picks the application from a server's positional arguments: the
// first that reads as a Python import path (module or module:attribute).
// gunicorn's default attribute, "application", is added when missing.
func appName(kind string, pos []string) string {
	for _, p := range pos {
		if !isImportPath(p) {
			continue
		}
		if kind == "gunicorn" && !strings.Contains(p, ":") {
			p += ":application"
		}
		return p
	}
	return ""
}

func isImportPath(s string) bool {
	mod, attr, _ := strings.Cut(s, ":")
	attr = strings.TrimSuffix(attr, "()")
	if mod == "" {
		return false
	}
	for _, part := range append(strings.Split(mod, "."), strings.Split(attr, ".")...) {
		if part == "" && attr == "" {
			continue
		}
		if !isEnvName(part) {
			return false
		}
	}
	return true
}

// hostPort splits "host:port", "[::]:port", ":port", "port" or "host";
// unix sockets and file descriptors give host "unix". Words that are not
// literal (containing "$") give nothing.
func hostPort(s string) (string, int) {
	if strings.Contains(s, "$") {
		return "", 0
	}
	if strings.HasPrefix(s, "unix:") || strings.HasPrefix(s, "fd://") {
		return "unix", 0
	}
	if strings.HasPrefix(s, "[") {
		if i := strings.Index(s, "]"); i > 0 {
			return s[1:i], port(strings.TrimPrefix(s[i+1:], ":"))
		}
	}
	if i := strings.LastIndex(s, ":"); i >= 0 {
		return s[:i], port(s[i+1:])
	}
	if p := port(s); p != 0 {
		return "", p
	}
	return s, 0
}

// daphneEndpoint reads a Twisted endpoint, "tcp:port=8000:interface=0.0.0.0".
func daphneEndpoint(e string) (string, int) {
	parts := strings.Split(e, ":")
	if parts[0] == "unix" {
		return "unix", 0
	}
	host, p := "", 0
	for _, kv := range parts[1:] {
		k, v, _ := strings.Cut(kv, "=")
		switch k {
		case "port":
			p = port(v)
		case "interface":
			host = v
		}
	}
	return host, p
}

func port(s string) int {
	n, err := strconv.Atoi(s)
	if err != nil || n <= 0 || n > 65535 {
		return 0
	}
	return n
}

// isLocalhost is true for a host only reachable from inside the container.
func isLocalhost(h string) bool {
	return h == "localhost" || h == "::1" || strings.HasPrefix(h, "127.")
}
