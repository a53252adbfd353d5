package preflight

import (
	"path/filepath"
	"regexp"
	"slices"
	"strings"

	"github.com/djangocdk/djangocdk"
)

// servers are the programs whose first module:attribute argument is the
// application they serve.
var servers = []string{"gunicorn", "uvicorn", "daphne", "hypercorn"}

var appSpecRe = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_.]*:[A-Za-z_][A-Za-z0-9_.]*(\(\))?$`)

// appSpec is the application a web command serves ("mysite.wsgi:application"),
// or "" when the command is not one of the known servers.
func appSpec(command []string) string {
	for i, arg := range command {
		if !slices.Contains(servers, filepath.Base(arg)) {
			continue
		}
		for _, a := range command[i+1:] {
			if appSpecRe.MatchString(a) {
				return a
			}
		}
		return ""
	}
	return ""
}

// isLauncher reports whether an entry point is the settings helper's
// launcher (any python interpreter name).
func isLauncher(entryPoint []string) bool {
	want := djangocdk.LauncherEntryPoint
	return len(entryPoint) == len(want) && len(want) > 0 &&
		strings.HasPrefix(filepath.Base(entryPoint[0]), "python") &&
		slices.Equal(entryPoint[1:], want[1:])
}
