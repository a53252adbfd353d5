package preflight

import (
	"path/filepath"
	"regexp"
	"slices"
	"strings"
)

// servers are the programs whose first module:attribute argument is the
// application they serve.
var servers = []string{"gunicorn", "uvicorn", "daphne", "hypercorn"}

var (
	appSpecRe = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_.]*:[A-Za-z_][A-Za-z0-9_.]*(\(\))?$`)
	// gunicorn also takes a module alone ("config.wsgi"): its "application".
	moduleRe = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)+$`)
)

// appSpec is the application a web command serves ("mysite.wsgi:application"),
// or "" when the command is not one of the known servers.
func appSpec(command []string) string {
	for i, arg := range command {
		if !slices.Contains(servers, filepath.Base(arg)) {
			continue
		}
		args := command[i+1:]
		for j, a := range args {
			if j > 0 && strings.HasPrefix(args[j-1], "-") && !strings.Contains(args[j-1], "=") && !isFlagOnly(args[j-1]) {
				continue // the value of an option (--bind 0.0.0.0:8000, -c gunicorn.conf.py)
			}
			switch {
			case appSpecRe.MatchString(a):
				return a
			case moduleRe.MatchString(a) && !strings.HasSuffix(a, ".py"):
				return a + ":application"
			}
		}
		return ""
	}
	return ""
}

// isFlagOnly reports options of the servers that take no value.
func isFlagOnly(opt string) bool {
	return slices.Contains([]string{"--reload", "--preload", "--daemon", "-D", "--proxy-headers", "--no-access-log", "--capture-output"}, opt)
}
