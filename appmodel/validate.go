package appmodel

import (
	"fmt"
	"maps"
	"regexp"
	"slices"
	"strings"

	"github.com/djangocdk/djangocdk/contract"
)

// The checks of what a Django app is, whatever the target: each reports
// the field it is given and what is allowed, in the words every target's
// props use.

var (
	pythonModule = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)*$`)
	envName      = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_]*$`)
)

// ValidateSettingsModule reports a settings module that is not a dotted
// Python module path.
func ValidateSettingsModule(field, module string) []string {
	if pythonModule.MatchString(module) {
		return nil
	}
	return []string{fmt.Sprintf("%s: %q is not a dotted Python module path; e.g. \"mysite.settings\"", field, module)}
}

// ValidateCommand reports an empty command or a blank program, or "".
func ValidateCommand(field string, command []string) string {
	if len(command) == 0 {
		return field + ": must not be empty; give the program and its arguments, e.g. [\"gunicorn\", \"mysite.wsgi\"]"
	}
	if strings.TrimSpace(command[0]) == "" {
		return field + ": the program (first element) must not be blank"
	}
	return ""
}

// ValidateExtraNames reports the user's variable names that are not
// environment variable names, or that the contract (or the launcher's
// Derived forms) already sets.
func ValidateExtraNames(field string, names []string) []string {
	var errs []string
	for _, n := range names {
		switch {
		case !envName.MatchString(n):
			errs = append(errs, fmt.Sprintf("%s: %q is not a valid environment variable name", field, n))
		case slices.ContainsFunc(contract.Contract, func(v contract.EnvVar) bool { return v.Name == n }):
			errs = append(errs, fmt.Sprintf("%s: %q is set by djangocdk (see docs/contract.md); choose another name", field, n))
		case slices.ContainsFunc(contract.Derived, func(v contract.EnvVar) bool { return v.Name == n }):
			errs = append(errs, fmt.Sprintf("%s: %q is composed at container start from the injected parts (see docs/contract.md); choose another name", field, n))
		}
	}
	return errs
}

// ValidatePlaceholders reports values of env whose ${name} references are
// unknown or unclosed, as field.NAME.
func ValidatePlaceholders(field string, env map[string]string) []string {
	var errs []string
	for _, name := range slices.Sorted(maps.Keys(env)) {
		if _, err := SplitPlaceholders(env[name]); err != nil {
			errs = append(errs, fmt.Sprintf("%s.%s: %v", field, name, err))
		}
	}
	return errs
}
