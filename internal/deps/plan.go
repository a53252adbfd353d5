package deps

import (
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
)

// Dependency managers, the values of Plan.Manager.
const (
	ManagerPip    = "pip"    // requirements files
	ManagerPEP621 = "pep621" // [project] dependencies in pyproject.toml, no lock file
	ManagerPoetry = "poetry" // poetry.lock or [tool.poetry]
	ManagerUV     = "uv"     // uv.lock or [tool.uv]
	ManagerPipenv = "pipenv" // Pipfile
)

// Plan is what the image must install and how.
type Plan struct {
	// Manager is one of the Manager constants.
	Manager string
	// Files are what the image must COPY, with their relative paths kept,
	// before installing: files, and directories ending in "/" (for
	// requirements files that include each other), e.g.
	// ["pyproject.toml", "uv.lock"] or ["requirements/"].
	Files []string
	// RequirementsFile is the requirements file installed (ManagerPip only),
	// relative to the project, with forward slashes.
	RequirementsFile string
	// Groups are the dependency groups installed besides the main
	// dependencies (uv's [dependency-groups], Poetry's groups other than
	// "main"), as spelled in the project.
	Groups []string
	// Extras are the project's own extras installed (optional dependencies
	// meant for production, such as "postgres"), as spelled in the project.
	Extras []string
	// InstallCommand are the shell command lines the image runs, in order
	// (one RUN, joined with &&), in the directory the Files were copied to,
	// with the target virtual environment active (VIRTUAL_ENV, and for uv
	// UV_PROJECT_ENVIRONMENT, set by the Dockerfile).
	InstallCommand []string
	// Declared maps the PEP 503 normalized name of every runtime requirement
	// the image installs (production only, never development) to its spec as
	// written: PEP 508 where the manager uses it, "name[extras] constraint"
	// for Poetry and Pipenv tables.
	Declared map[string]string
	// SystemPackages are the Debian packages the declared requirements need.
	SystemPackages SystemPackages
	// From explains the choice for people, e.g. "uv.lock; group prod".
	From string
	// Warnings are problems found that the image build may trip on.
	Warnings []string
}

// Has reports whether a requirement with this name (any spelling) is declared.
func (p *Plan) Has(name string) bool {
	_, ok := p.Declared[Normalize(name)]
	return ok
}

// Detect works out the install plan of the Python project in projectDir.
// It fails only when a file that declares dependencies cannot be read or
// parsed; a project without any declaration gets a pip plan for a
// requirements.txt that Add would create.
func Detect(projectDir string) (*Plan, error) {
	py, err := readPyproject(projectDir)
	if err != nil {
		return nil, err
	}
	var p *Plan
	switch {
	case exists(projectDir, "uv.lock") || py.Tool.UV != nil:
		p, err = detectUV(projectDir, py)
	case exists(projectDir, "poetry.lock") || py.Tool.Poetry != nil:
		p, err = detectPoetry(projectDir, py)
	case exists(projectDir, "Pipfile"):
		p, err = detectPipenv(projectDir)
	default:
		p, err = detectPip(projectDir)
		if err == nil && p == nil && py.found && (len(py.Project.Dependencies) > 0 || len(py.Project.OptionalDependencies) > 0) {
			p = detectPEP621(py)
		}
		if err == nil && p == nil {
			p = &Plan{
				Manager:          ManagerPip,
				RequirementsFile: "requirements.txt",
				Files:            []string{"requirements.txt"},
				InstallCommand:   []string{"pip install -r requirements.txt"},
				From:             "no dependency declaration found (requirements.txt to be created)",
				Warnings:         []string{"no requirements file, pyproject.toml dependencies, Pipfile, Poetry or uv project found"},
			}
		}
	}
	if err != nil {
		return nil, err
	}
	if p.Declared == nil {
		p.Declared = map[string]string{}
	}
	p.SystemPackages = SystemFor(p.Declared)
	return p, nil
}

// The dependency group and extra names meant for production, normalized
// (extras also take the database driver's names), and the group names
// never installed, even when uv installs them by default.
var (
	productionGroups  = []string{"prod", "production", "deploy", "server", "web"}
	productionExtras  = append(slices.Clone(productionGroups), "postgres", "postgresql")
	developmentGroups = []string{"dev", "develop", "development", "test", "tests", "testing", "lint", "linting",
		"docs", "doc", "typing", "types", "mypy", "ci", "debug", "local", "qa"}
)

// pick returns the names among available (in their own spelling, sorted)
// whose normalized form is in wanted.
func pick[V any](available map[string]V, wanted []string) []string {
	var out []string
	for name := range available {
		if slices.Contains(wanted, Normalize(name)) {
			out = append(out, name)
		}
	}
	slices.Sort(out)
	return out
}

// declare adds PEP 508 requirement strings to declared, skipping ones that do not parse.
func declare(declared map[string]string, reqs []string) {
	for _, r := range reqs {
		if s, err := ParseSpec(r); err == nil {
			declared[s.Key()] = strings.TrimSpace(r)
		}
	}
}

func exists(dir string, rel ...string) bool {
	_, err := os.Stat(filepath.Join(append([]string{dir}, rel...)...))
	return err == nil
}

// shellQuote quotes a word for sh when it needs it.
func shellQuote(s string) string {
	if s != "" && strings.IndexFunc(s, func(r rune) bool {
		return !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || strings.ContainsRune("-_.,/=:+@", r))
	}) < 0 {
		return s
	}
	return "'" + strings.ReplaceAll(s, "'", `'"'"'`) + "'"
}

func describeList(what string, names []string) string {
	switch len(names) {
	case 0:
		return ""
	case 1:
		return fmt.Sprintf("; %s %s", what, names[0])
	}
	return fmt.Sprintf("; %ss %s", what, strings.Join(names, ", "))
}
