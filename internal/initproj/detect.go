// Package initproj inspects an existing Django project and writes what a
// djangocdk deployment needs: the configuration, the settings helper, a
// Dockerfile, a .dockerignore and a compose.yaml sandbox. It never
// overwrites a file unless told to.
package initproj

import (
	"bufio"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"

	"github.com/BurntSushi/toml"
)

// Dependency managers.
const (
	ManagerPip     = "pip"    // requirements*.txt
	ManagerPEP621  = "pep621" // [project] dependencies in pyproject.toml, no lock file
	ManagerPoetry  = "poetry" // poetry.lock / [tool.poetry]
	ManagerUV      = "uv"     // uv.lock
	ManagerPipenv  = "pipenv" // Pipfile
	defaultPython  = "3.13"
	defaultAppName = "mysite"
)

// SupportedPython are the Python versions the generated Dockerfile may use
// (those Django 5.2 supports).
var SupportedPython = []string{"3.10", "3.11", "3.12", "3.13"}

// Project is what Detect found.
type Project struct {
	// Dir is the project root (where the configuration goes).
	Dir string
	// AppDir is the directory holding manage.py, relative to Dir ("." or "src").
	AppDir string
	// Package is the Django project package (holding wsgi.py), e.g. "mysite".
	Package string
	// SettingsModule is manage.py's default settings module.
	SettingsModule string
	// CloudSettings is the module to run in the cloud: a production module of a settings package when there is one.
	CloudSettings string
	// SettingsFile is CloudSettings' file, relative to Dir.
	SettingsFile string
	// WSGI and ASGI are the application paths ("mysite.wsgi:application"), empty when absent.
	WSGI, ASGI string
	// Manager is the dependency manager; Requirements the pip requirements file for ManagerPip.
	Manager, Requirements string
	// Python is the major.minor version for the image, and PythonFrom says where it came from.
	Python, PythonFrom string
	// Celery is true when a Celery app exists; Beat when periodic tasks are defined.
	Celery, Beat bool
	// Dockerfile is true when the project already has one (it is kept and used).
	Dockerfile bool
	// StaticRoot and MediaRoot are true when the settings define them.
	StaticRoot, MediaRoot bool
	// HelperConfigured is true when the settings already call the helper.
	HelperConfigured bool
	// Missing lists runtime dependencies the deployment needs that the project does not declare.
	Missing []string
	// Name is a suggested app name.
	Name string
}

var (
	settingsDefault = regexp.MustCompile(`DJANGO_SETTINGS_MODULE["']\s*,\s*["']([A-Za-z0-9_.]+)["']`)
	celeryApp       = regexp.MustCompile(`\bCelery\(`)
	beatMarkers     = regexp.MustCompile(`beat_schedule|CELERY_BEAT_SCHEDULE|django_celery_beat|@periodic_task|add_periodic_task`)
	versionRe       = regexp.MustCompile(`(\d+)\.(\d+)`)
	nameChars       = regexp.MustCompile(`[^a-z0-9-]+`)
)

// Detect inspects the Django project in dir.
func Detect(dir string) (*Project, error) {
	p := &Project{Dir: dir}
	for _, sub := range []string{".", "src"} {
		if exists(filepath.Join(dir, sub, "manage.py")) {
			p.AppDir = sub
			break
		}
	}
	if p.AppDir == "" {
		return nil, errors.New("no manage.py in the directory or in src/: is this a Django project?")
	}
	manage, err := os.ReadFile(filepath.Join(dir, p.AppDir, "manage.py"))
	if err != nil {
		return nil, fmt.Errorf("read manage.py: %w", err)
	}
	m := settingsDefault.FindSubmatch(manage)
	if m == nil {
		return nil, errors.New("manage.py does not set a default DJANGO_SETTINGS_MODULE")
	}
	p.SettingsModule = string(m[1])
	p.Package = strings.Split(p.SettingsModule, ".")[0]
	p.detectSettings()
	p.detectApps()
	p.detectDependencies()
	p.detectPython()
	p.Dockerfile = exists(filepath.Join(dir, "Dockerfile"))
	py := readPyproject(filepath.Join(dir, "pyproject.toml"))
	poetryName, _ := py.Tool.Poetry["name"].(string)
	p.Name = appName(dir, p.Package, py.Project.Name, poetryName)
	return p, nil
}

func (p *Project) path(parts ...string) string {
	return filepath.Join(append([]string{p.Dir, p.AppDir}, parts...)...)
}

// detectSettings finds the settings file, preferring the production module
// of a settings package (settings/production.py) for the cloud.
func (p *Project) detectSettings() {
	module := p.SettingsModule
	if isDir(p.path(modulePath(module))) {
		module = p.productionIn(module, module)
	} else if i := strings.LastIndex(module, "."); i > 0 && slices.Contains([]string{"base", "local", "dev", "development"}, module[i+1:]) {
		module = p.productionIn(module[:i], module)
	}
	p.CloudSettings = module
	file := modulePath(module) + ".py"
	if isDir(p.path(modulePath(module))) {
		file = filepath.Join(modulePath(module), "__init__.py")
	}
	p.SettingsFile = filepath.Join(p.AppDir, file)
	text := ""
	// Settings packages often define the roots in base.py: read the siblings too.
	for _, f := range globAll(filepath.Dir(filepath.Join(p.Dir, p.SettingsFile)), "*.py") {
		text += readAll(f)
	}
	p.StaticRoot = strings.Contains(text, "STATIC_ROOT")
	p.MediaRoot = strings.Contains(text, "MEDIA_ROOT")
	p.HelperConfigured = strings.Contains(readAll(filepath.Join(p.Dir, p.SettingsFile)), "djangocdk_settings.configure(")
}

// productionIn returns pkg.production or pkg.prod when that module exists, else fallback.
func (p *Project) productionIn(pkg, fallback string) string {
	for _, name := range []string{"production", "prod"} {
		if exists(p.path(modulePath(pkg), name+".py")) {
			return pkg + "." + name
		}
	}
	return fallback
}

func modulePath(module string) string {
	return filepath.FromSlash(strings.ReplaceAll(module, ".", "/"))
}

// detectApps finds the WSGI/ASGI applications and a Celery app.
func (p *Project) detectApps() {
	if exists(p.path(p.Package, "wsgi.py")) {
		p.WSGI = p.Package + ".wsgi:application"
	}
	if exists(p.path(p.Package, "asgi.py")) {
		p.ASGI = p.Package + ".asgi:application"
	}
	for _, f := range []string{p.path(p.Package, "celery.py"), p.path(p.Package, "celery_app.py")} {
		text := readAll(f)
		if celeryApp.MatchString(text) {
			p.Celery = true
			p.Beat = beatMarkers.MatchString(text)
		}
	}
	if p.Celery && !p.Beat {
		for _, f := range globAll(filepath.Dir(filepath.Join(p.Dir, p.SettingsFile)), "*.py") {
			if beatMarkers.MatchString(readAll(f)) {
				p.Beat = true
			}
		}
	}
}

// detectDependencies finds the dependency manager and which of the
// deployment's runtime dependencies are not declared.
func (p *Project) detectDependencies() {
	py := readPyproject(filepath.Join(p.Dir, "pyproject.toml"))
	declared := ""
	switch {
	case exists(filepath.Join(p.Dir, "uv.lock")):
		p.Manager = ManagerUV
		declared = readAll(filepath.Join(p.Dir, "pyproject.toml"))
	case exists(filepath.Join(p.Dir, "poetry.lock")) || py.Tool.Poetry != nil:
		p.Manager = ManagerPoetry
		declared = readAll(filepath.Join(p.Dir, "pyproject.toml"))
	case exists(filepath.Join(p.Dir, "Pipfile")):
		p.Manager = ManagerPipenv
		declared = readAll(filepath.Join(p.Dir, "Pipfile"))
	default:
		for _, f := range []string{"requirements/production.txt", "requirements/prod.txt", "requirements.txt", "requirements/base.txt"} {
			if exists(filepath.Join(p.Dir, f)) {
				p.Manager, p.Requirements = ManagerPip, filepath.ToSlash(f)
				for _, r := range globAll(filepath.Join(p.Dir, filepath.Dir(f)), "*.txt") {
					declared += readAll(r)
				}
				break
			}
		}
		if p.Manager == "" && len(py.Project.Dependencies) > 0 {
			p.Manager = ManagerPEP621
			declared = strings.Join(py.Project.Dependencies, "\n")
		}
	}
	if p.Manager == "" {
		p.Manager, p.Requirements = ManagerPip, "requirements.txt"
	}
	lower := strings.ToLower(declared)
	want := []struct{ name, needle string }{
		{"gunicorn", "gunicorn"}, {"psycopg[binary]", "psycopg"}, {"django-storages[s3]", "django-storages"}, {"redis", "redis"},
	}
	if p.Celery {
		want = append(want, struct{ name, needle string }{"celery[redis,sqs]", "celery"})
	}
	for _, w := range want {
		if !strings.Contains(lower, w.needle) {
			p.Missing = append(p.Missing, w.name)
		}
	}
}

// detectPython picks the image's Python version: .python-version, then
// requires-python's lower bound, then runtime.txt, else the newest supported.
func (p *Project) detectPython() {
	py := readPyproject(filepath.Join(p.Dir, "pyproject.toml"))
	sources := []struct{ from, text string }{
		{".python-version", firstLine(filepath.Join(p.Dir, ".python-version"))},
		{"requires-python", py.Project.RequiresPython},
		{"tool.poetry python", pythonFromPoetry(py)},
		{"Pipfile python_version", pythonFromPipfile(filepath.Join(p.Dir, "Pipfile"))},
		{"runtime.txt", firstLine(filepath.Join(p.Dir, "runtime.txt"))},
	}
	for _, s := range sources {
		if m := versionRe.FindStringSubmatch(s.text); m != nil {
			v := m[1] + "." + m[2]
			if slices.Contains(SupportedPython, v) {
				p.Python, p.PythonFrom = v, s.from
				return
			}
		}
	}
	p.Python, p.PythonFrom = defaultPython, "default"
}

type pyproject struct {
	Project struct {
		Name           string   `toml:"name"`
		RequiresPython string   `toml:"requires-python"`
		Dependencies   []string `toml:"dependencies"`
	} `toml:"project"`
	Tool struct {
		Poetry map[string]any `toml:"poetry"`
	} `toml:"tool"`
}

func readPyproject(path string) pyproject {
	var p pyproject
	data, err := os.ReadFile(path)
	if err == nil {
		_, _ = toml.Decode(string(data), &p) // a broken pyproject only loses detection hints
	}
	return p
}

func pythonFromPoetry(p pyproject) string {
	deps, _ := p.Tool.Poetry["dependencies"].(map[string]any)
	s, _ := deps["python"].(string)
	return s
}

func pythonFromPipfile(path string) string {
	var pf struct {
		Requires struct {
			PythonVersion string `toml:"python_version"`
		} `toml:"requires"`
	}
	if data, err := os.ReadFile(path); err == nil {
		_, _ = toml.Decode(string(data), &pf)
	}
	return pf.Requires.PythonVersion
}

// appName picks the application's name: the Django package unless it is a
// generic one ("config"), else the distribution name, else the directory.
func appName(dir string, candidates ...string) string {
	if abs, err := filepath.Abs(dir); err == nil {
		candidates = append(candidates, filepath.Base(abs))
	}
	for i, c := range candidates {
		name := strings.Trim(nameChars.ReplaceAllString(strings.ToLower(c), "-"), "-")
		if i == 0 && slices.Contains([]string{"config", "project", "core", "src", "app"}, name) {
			continue
		}
		if len(name) > 30 {
			name = strings.TrimRight(name[:30], "-")
		}
		if name != "" && name[0] >= 'a' && name[0] <= 'z' {
			return name
		}
	}
	return defaultAppName
}

func exists(path string) bool { _, err := os.Stat(path); return err == nil }

func isDir(path string) bool { st, err := os.Stat(path); return err == nil && st.IsDir() }

func readAll(path string) string { b, _ := os.ReadFile(path); return string(b) }

func globAll(dir, pattern string) []string {
	m, _ := filepath.Glob(filepath.Join(dir, pattern))
	return m
}

func firstLine(path string) string {
	f, err := os.Open(path)
	if err != nil {
		return ""
	}
	defer f.Close()
	s := bufio.NewScanner(f)
	if s.Scan() {
		return s.Text()
	}
	return ""
}

// Summary lists the findings for people.
func (p *Project) Summary() []string {
	lines := []string{
		fmt.Sprintf("manage.py in %s; settings %s (cloud: %s)", p.AppDir, p.SettingsModule, p.CloudSettings),
		fmt.Sprintf("WSGI application %s", orNone(p.WSGI)),
		fmt.Sprintf("dependencies: %s%s; Python %s (from %s)", p.Manager, ifSet(" "+p.Requirements, p.Requirements), p.Python, p.PythonFrom),
		fmt.Sprintf("Celery: %s; periodic tasks (beat): %s", yesNo(p.Celery), yesNo(p.Beat)),
		fmt.Sprintf("STATIC_ROOT: %s; MEDIA_ROOT: %s", yesNo(p.StaticRoot), yesNo(p.MediaRoot)),
	}
	if p.Dockerfile {
		lines = append(lines, "existing Dockerfile: kept and used")
	}
	if p.ASGI != "" {
		lines = append(lines, "ASGI application "+p.ASGI+" (the default web command uses WSGI)")
	}
	return lines
}

func orNone(s string) string {
	if s == "" {
		return "none found"
	}
	return s
}

func ifSet(v, cond string) string {
	if cond == "" {
		return ""
	}
	return v
}

func yesNo(b bool) string {
	if b {
		return "yes"
	}
	return "no"
}
