// Package initproj inspects an existing Django project and writes what a
// djangocdk deployment needs: the configuration, the settings helper, a
// Dockerfile (unless the project has one, which is read and kept), a
// .dockerignore and a compose.yaml sandbox; with --yes also the settings
// call and the missing runtime dependencies. It never overwrites a file
// unless told to.
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
	"github.com/djangocdk/djangocdk/internal/deps"
	"github.com/djangocdk/djangocdk/internal/dockerfile"
)

// Project is what Detect found in a Django project, and what init decided
// from it. Decisions carry the reason (the *From fields) so that init can
// say why, and Problems list what makes the project undeployable as it is.
type Project struct {
	// Dir is the project root (where the configuration goes).
	Dir string
	// AppDir is the directory holding manage.py, relative to Dir.
	AppDir string
	// Package is the Django project package (the settings module's first part).
	Package string
	// SettingsModule is manage.py's default settings module.
	SettingsModule string
	// CloudSettings is the module to run in the cloud: a production module of a settings package when there is one.
	CloudSettings string
	// SettingsFile is CloudSettings' file, relative to Dir.
	SettingsFile string
	// HelperConfigured is true when the settings already call the helper.
	HelperConfigured bool

	// DockerfilePath is the kept Dockerfile (relative to Dir), "" when init generates one.
	DockerfilePath string
	// DockerSource says where the kept Dockerfile was found and how it is built.
	DockerSource *dockerfile.Source
	// Image is the analysis of the kept Dockerfile.
	Image *dockerfile.Image

	// Deps is the dependency manager's install plan.
	Deps *deps.Plan
	// Missing lists runtime dependencies the deployment needs that the project does not declare.
	Missing []deps.Requirement
	// Python is the major.minor version for the image, and PythonFrom says where it came from.
	Python, PythonFrom string

	// WebApp is the application the web process serves ("config.wsgi:application"); ASGI is true for an ASGI one.
	WebApp string
	ASGI   bool
	// WebPort is the port the web process listens on.
	WebPort int
	// EntryPoint is the containers' entry point when it differs from the launcher alone (a kept ENTRYPOINT).
	EntryPoint []string
	// Runner is the prefix the image's CMD starts its server with ("uv run"), given to every process.
	Runner []string
	// WebCommand, WorkerCommand, BeatCommand and ReleaseCommands are the processes' commands.
	WebCommand, WorkerCommand, BeatCommand []string
	ReleaseCommands                        [][]string
	// HealthPath is the load balancer's health check path; HealthFrom says why.
	HealthPath, HealthFrom string
	// Celery is true when a Celery app exists; CeleryApp is what `celery -A` loads; CeleryFrom where it was found.
	Celery                bool
	CeleryApp, CeleryFrom string
	// Beat is true when periodic tasks are defined; BeatScheduler the --scheduler (django-celery-beat).
	Beat          bool
	BeatScheduler string
	// StaticStorage is "s3-manifest", "s3" or "project"; StaticFrom says why.
	StaticStorage, StaticFrom string
	// StaticProblems are references in static files that do not resolve.
	StaticProblems []StaticProblem
	// StaticRoot and MediaRoot are true when the settings define them.
	StaticRoot, MediaRoot bool
	// RequiredEnv lists what the settings read without a default and the deployment does not provide.
	RequiredEnv []EnvNeed
	// Name is a suggested app name.
	Name string

	// Manual are commands init could not run (a lock to update) that the user must.
	Manual []string
	// Notes say what init decided and why; Problems make the project undeployable until fixed.
	Notes, Problems []string
}

const defaultAppName = "mysite"

var (
	settingsDefault = regexp.MustCompile(`DJANGO_SETTINGS_MODULE["']\s*,\s*["']([A-Za-z0-9_.]+)["']`)
	nameChars       = regexp.MustCompile(`[^a-z0-9-]+`)
)

// manageDirs are where projects keep manage.py, in order of preference.
var manageDirs = []string{".", "src", "app", "backend", "server", "django", "web"}

// Detect inspects the Django project in dir: its layout, its Python code
// (read with the project's Python, never imported), its Dockerfile, its
// dependencies, and decides the deployment's processes from them.
func Detect(dir string) (*Project, error) {
	p := &Project{Dir: dir}
	var err error
	if p.AppDir, err = ManageDir(dir); err != nil {
		return nil, err
	}
	manage, err := os.ReadFile(filepath.Join(dir, p.AppDir, "manage.py"))
	if err != nil {
		return nil, fmt.Errorf("read manage.py: %w", err)
	}
	m := settingsDefault.FindSubmatch(manage)
	if m == nil {
		return nil, errors.New("manage.py does not set a default DJANGO_SETTINGS_MODULE (os.environ.setdefault(\"DJANGO_SETTINGS_MODULE\", ...))")
	}
	p.SettingsModule = string(m[1])
	p.Package = strings.Split(p.SettingsModule, ".")[0]
	p.detectSettings()
	if err := p.detectDockerfile(); err != nil {
		return nil, err
	}
	plan, err := deps.Detect(dir)
	if err != nil {
		return nil, fmt.Errorf("read dependencies: %w", err)
	}
	p.Deps = plan
	py := readPyproject(filepath.Join(dir, "pyproject.toml"))
	if p.Python, p.PythonFrom, err = pickPython(p.pythonSources(py)); err != nil {
		return nil, err
	}
	f, err := p.scan()
	if err != nil {
		return nil, err
	}
	for _, e := range f.errors {
		p.Problems = append(p.Problems, e+" (init reads the project with "+f.python+"; the deployment would fail to import it)")
	}
	p.decideApp(f)
	p.decideHealth(f)
	p.decideCelery(f)
	p.decideStatic(f, filepath.Join(dir, p.AppDir))
	p.decideProcesses()
	p.decideRequiredEnv(f)
	p.decideMissing()
	poetryName, _ := py.Tool.Poetry["name"].(string)
	p.Name = appName(dir, p.Package, py.Project.Name, poetryName)
	return p, nil
}

// ManageDir returns the directory holding manage.py, relative to dir: dir
// itself or one of the usual subdirectories (src/, app/, backend/ ...).
func ManageDir(dir string) (string, error) {
	for _, sub := range manageDirs {
		if exists(filepath.Join(dir, sub, "manage.py")) {
			return sub, nil
		}
	}
	return "", fmt.Errorf("no manage.py in the directory or in %s/: is this a Django project?", strings.Join(manageDirs[1:], "/, "))
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
	} else if i := strings.LastIndex(module, "."); i > 0 && slices.Contains([]string{"base", "local", "dev", "development", "settings_dev"}, module[i+1:]) {
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

// detectDockerfile finds and reads the project's own Dockerfile, if any.
func (p *Project) detectDockerfile() error {
	src, err := dockerfile.Find(p.Dir)
	if err != nil {
		return fmt.Errorf("find the Dockerfile: %w", err)
	}
	if src == nil {
		return nil
	}
	img, err := dockerfile.Analyze(p.Dir, *src)
	if err != nil {
		return fmt.Errorf("read %s: %w", src.Path, err)
	}
	p.DockerfilePath, p.DockerSource, p.Image = src.Path, src, img
	// What the image does wrong matters only where the deployment uses it:
	// the ENTRYPOINT runs before every process; the CMD is replaced by the
	// web command (useImage decides about the server's problems).
	for _, prob := range img.ProblemsOf(dockerfile.KindEntrypoint) {
		p.Problems = append(p.Problems, prob.String())
	}
	for _, n := range append(img.ProblemsOf(dockerfile.KindCommand), img.Notes...) {
		p.Notes = append(p.Notes, n.String())
	}
	return nil
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
