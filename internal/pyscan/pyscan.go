// Package pyscan reads a Django project's Python code the way Python does,
// with the ast module, without importing or running any of it.
//
// The reading is done by an embedded script (scan.py, standard library only,
// Python 3.9 or newer) run with the project's own interpreter (FindPython);
// Scan decodes its JSON answer into a Result: the environment variables the
// settings read and whether each is required, the settings' static values
// after star-imports and list concatenation, the URL routes from
// ROOT_URLCONF through project includes, the Celery apps and periodic-task
// markers, and the modules that define a WSGI or ASGI application.
package pyscan

import (
	"bytes"
	"context"
	_ "embed"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"time"
)

//go:embed scan.py
var script []byte

// DefaultTimeout is how long Scan lets Python run when Options.Timeout is zero.
const DefaultTimeout = 20 * time.Second

// ErrNoPython is returned by FindPython when no interpreter is found.
var ErrNoPython = errors.New("init reads your settings with Python: none found; install Python 3 or activate the project's virtualenv")

// ErrOldPython is returned (wrapped) by Scan when the interpreter is older
// than Python 3.9.
var ErrOldPython = errors.New("djangocdk reads the project with Python 3.9 or newer")

// FindPython returns the interpreter of the project's environment: the
// project's own virtualenv (.venv, venv or env in each of dirs, in order:
// the project directory, then e.g. its parent), then the active one
// ($VIRTUAL_ENV), then python3 and python on PATH. The error is ErrNoPython
// when there is none.
func FindPython(dirs ...string) (string, error) {
	bin, exe := "bin", "python"
	if runtime.GOOS == "windows" {
		bin, exe = "Scripts", "python.exe"
	}
	var candidates []string
	for _, dir := range dirs {
		for _, name := range []string{".venv", "venv", "env"} {
			candidates = append(candidates, filepath.Join(dir, name, bin, exe))
		}
	}
	if venv := os.Getenv("VIRTUAL_ENV"); venv != "" {
		candidates = append(candidates, filepath.Join(venv, bin, exe))
	}
	for _, c := range candidates {
		// Stat follows symlinks: a virtualenv whose base Python was removed
		// has a dangling bin/python and is skipped.
		if st, err := os.Stat(c); err == nil && !st.IsDir() && (runtime.GOOS == "windows" || st.Mode()&0o111 != 0) {
			if abs, err := filepath.Abs(c); err == nil {
				return abs, nil
			}
			return c, nil
		}
	}
	for _, name := range []string{"python3", "python"} {
		if p, err := exec.LookPath(name); err == nil {
			return p, nil
		}
	}
	return "", ErrNoPython
}

// Options says what Scan reads.
type Options struct {
	// Root is the directory holding manage.py: the import root that dotted
	// module names are resolved against.
	Root string
	// SettingsModule is the dotted settings module to read, e.g.
	// "config.settings.production". Empty: no settings, URLs nor
	// environment reads; the project-wide search (Celery apps, beat
	// markers, WSGI/ASGI modules) still runs.
	SettingsModule string
	// Extra are more dotted modules whose environment reads count (each is
	// read like the settings module, imports followed), e.g. the module a
	// Celery worker imports first. Optional.
	Extra []string
	// Timeout bounds the Python run; zero means DefaultTimeout.
	Timeout time.Duration
}

// Result is what the scan found. File paths are relative to Options.Root,
// with forward slashes; lines are 1-based.
type Result struct {
	// Python is the version of the interpreter that read the project ("3.12.1").
	Python string `json:"python"`
	// EnvReads are the environment variable reads of the settings module and of
	// every project module it imports (transitively, with parent packages, each
	// module once), and of Options.Extra, in the order Python would run them;
	// reads in function bodies come after their module's top-level reads.
	EnvReads []EnvRead `json:"env_reads"`
	// Settings are the settings module's static values; nil when no settings
	// module was given or its file does not exist (then Errors says so).
	Settings *Settings `json:"settings"`
	// URLs are the routes of ROOT_URLCONF (default: the settings package's
	// "urls" module), project includes followed and flattened.
	URLs []Route `json:"urls"`
	// CeleryApps are the module-level Celery(...) instances of the project.
	CeleryApps []CeleryApp `json:"celery_apps"`
	// BeatMarkers are signs of periodic tasks: Kind is "beat_schedule"
	// (app.conf.beat_schedule, beat_schedule=...), "CELERY_BEAT_SCHEDULE" or
	// "CELERYBEAT_SCHEDULE" (assigned), "add_periodic_task" (called),
	// "periodic_task" (decorator) or "django_celery_beat" (in INSTALLED_APPS).
	BeatMarkers []Marker `json:"beat_markers"`
	// WSGIModules and ASGIModules are dotted modules that define a
	// module-level "application": WSGI when built by get_wsgi_application()
	// (or WSGIHandler), ASGI when by get_asgi_application(),
	// ProtocolTypeRouter(...) and the like or an "async def application";
	// otherwise the module's name (wsgi/asgi, file or package) decides.
	// A package counts as its own name: config/asgi/__init__.py is "config.asgi".
	WSGIModules []string `json:"wsgi_modules"`
	ASGIModules []string `json:"asgi_modules"`
	// EnvFiles are the places where the settings load a .env file: Kind is
	// "environ.Env.read_env", "dotenv.load_dotenv" or "dotenv.read_dotenv".
	EnvFiles []Marker `json:"env_files"`
	// Modules are the dotted project modules run while reading the settings
	// (and Extra), in import order.
	Modules []string `json:"modules"`
	// Errors are problems that did not stop the scan: files that do not parse
	// ("acme/broken.py:4: SyntaxError: invalid syntax"), modules not found.
	Errors []string `json:"errors"`
}

// EnvRead is one read of an environment variable.
type EnvRead struct {
	// Name is the variable ("DATABASE_URL"); reads whose name is not a
	// literal are not reported.
	Name string `json:"name"`
	// File and Line locate the read; for a read made by a project function
	// that the settings call (Via), they locate the call.
	File string `json:"file"`
	Line int    `json:"line"`
	// Required is true when the import crashes if the variable is unset: a
	// read without a default (os.environ["X"], env("X"), config("X"),
	// dj_database_url.config() without default=), not inside a try: whose
	// handler catches the failure (KeyError, LookupError, ValueError,
	// ImproperlyConfigured, UndefinedValueError, Exception, bare except,
	// unless the handler re-raises), not guarded by a presence test such
	// as `if "X" in os.environ:`, and not in a function body.
	Required bool `json:"required"`
	// Kind is how the variable is read: "os.environ[]", "os.environ.get",
	// "os.getenv", "os.environ.setdefault", "environ.Env" (django-environ:
	// env(...) and env.str/bool/.../db/cache/email_url/search_url(...)),
	// "decouple" (python-decouple config(...)) or "dj_database_url"
	// (dj_database_url.config()).
	Kind string `json:"kind"`
	// Cast is the type the value is used as: "str", "bool", "int", "float",
	// "list", "tuple", "dict", "json", "url", "path", "bytes", "db",
	// "cache", "email", "search", "channels" or "custom". For os.environ
	// reads it is inferred from the use: int(...), .split(...), a
	// comparison with "1"/"true"..., dj_database_url.parse(...).
	Cast string `json:"cast"`
	// Default is the source text of the default as written ("False",
	// `"example.com"`), from the call or from an environ.Env(NAME=(cast,
	// default)) schema; "" when there is none.
	Default string `json:"default"`
	// Conditional is true when the read is in a branch that may not run (an
	// if/else whose test is not static, an except handler, a loop).
	Conditional bool `json:"conditional"`
	// InFunction is true when the read is in a function or lambda body: it
	// happens when that is called, not at import.
	InFunction bool `json:"in_function"`
	// Via is the function called at File:Line that makes the read, when the
	// read is in a project function ("env_bool" for env_bool("X") whose
	// body reads os.environ[name]); its Kind and Cast are those of the read
	// in the function, its Required and Conditional combine both places.
	Via string `json:"via"`
}

// Settings are the static values of the settings module after its
// star-imports, in-place changes (+=, append, insert, item assignment) and
// concatenations are applied; later assignments win. Values that depend on
// the environment or on code are unknown: strings are then "", lists keep
// only their literal strings.
type Settings struct {
	// Module is the settings module read; File its file.
	Module string `json:"module"`
	File   string `json:"file"`
	// WSGIApplication, ASGIApplication and RootURLConf are WSGI_APPLICATION,
	// ASGI_APPLICATION and ROOT_URLCONF.
	WSGIApplication string `json:"wsgi_application"`
	ASGIApplication string `json:"asgi_application"`
	RootURLConf     string `json:"root_urlconf"`
	// InstalledApps and Middleware are INSTALLED_APPS and MIDDLEWARE (or
	// MIDDLEWARE_CLASSES).
	InstalledApps []string `json:"installed_apps"`
	Middleware    []string `json:"middleware"`
	// StaticfilesBackend is STORAGES["staticfiles"]["BACKEND"] or, without
	// STORAGES, STATICFILES_STORAGE; DefaultStorageBackend is
	// STORAGES["default"]["BACKEND"] or DEFAULT_FILE_STORAGE.
	StaticfilesBackend    string `json:"staticfiles_backend"`
	DefaultStorageBackend string `json:"default_storage_backend"`
	// Databases are the aliases of DATABASES.
	Databases map[string]DatabaseInfo `json:"databases"`
	// StaticRoot and MediaRoot are true when STATIC_ROOT / MEDIA_ROOT are set
	// to something other than None or "".
	StaticRoot bool `json:"static_root"`
	MediaRoot  bool `json:"media_root"`
	// CeleryBeatScheduler is CELERY_BEAT_SCHEDULER (or CELERYBEAT_SCHEDULER,
	// or another namespace's *_BEAT_SCHEDULER) when literal.
	CeleryBeatScheduler string `json:"celery_beat_scheduler"`
	// HasCelerySettings is true when a name starting with CELERY is defined.
	HasCelerySettings bool `json:"has_celery_settings"`
	// Defined are all the uppercase names the settings module ends up with
	// (imported modules and env objects excluded), sorted.
	Defined []string `json:"defined"`
	// Locations maps each defined name to the "file:line" of the statement
	// that last bound it (in-place changes do not move it).
	Locations map[string]string `json:"locations"`
	// Conditional are the defined names whose last assignment is in a branch
	// that may not run (an if whose test depends on the environment): their
	// value here is one of several (the last branch written wins).
	Conditional []string `json:"conditional"`
	// Values holds the names whose value is entirely literal, as JSON values
	// (tuples become arrays).
	Values map[string]any `json:"values"`
}

// DatabaseInfo describes one DATABASES alias.
type DatabaseInfo struct {
	// Engine is the literal ENGINE (or engine= of env.db()/dj_database_url), "" when unknown.
	Engine string `json:"engine"`
	// Keys are the keys set literally, sorted (ATOMIC_REQUESTS, CONN_MAX_AGE,
	// OPTIONS, TEST...; conn_max_age= and conn_health_checks= of
	// dj_database_url count as CONN_MAX_AGE and CONN_HEALTH_CHECKS).
	Keys []string `json:"keys"`
	// FromEnv is true when the alias is parsed from an environment URL
	// (env.db(), dj_database_url.config() or .parse(os.environ[...])).
	FromEnv bool `json:"from_env"`
	// EnvVar is that URL's variable ("DATABASE_URL").
	EnvVar string `json:"env_var"`
}

// Route is one URL route.
type Route struct {
	// Pattern is the full route: the include() prefixes and the route
	// concatenated as written ("api/v1/health/"; regex routes keep their
	// text, "^api/^health/$"). A part that is not a literal is shown as
	// {expression} ("{settings.ADMIN_URL}"). Routes given to
	// i18n_patterns(...) are shown without their language prefix.
	Pattern string `json:"pattern"`
	// View is the view expression with its first name resolved through the
	// module's imports ("acme.health.views.health",
	// "acme.views.HealthView.as_view()"), or the include target.
	View string `json:"view"`
	// Name is the literal name= of the route.
	Name string `json:"name"`
	// File and Line locate the path()/re_path()/url() call.
	File string `json:"file"`
	Line int    `json:"line"`
	// Include is the included module when it is outside the project
	// ("health_check.urls", "django_alive.urls"): its routes are not known.
	Include string `json:"include"`
	// Regex is true when the route or one of its prefixes is a regex
	// (re_path, url).
	Regex bool `json:"regex"`
	// Conditional is true when the route is added in a branch that may not
	// run (if settings.DEBUG: with DEBUG not literal).
	Conditional bool `json:"conditional"`
}

// CeleryApp is a Celery application instance found in the project.
type CeleryApp struct {
	// Module is the dotted module ("proj.celeryconf") and Var the variable
	// ("app"): `celery -A Module:Var`.
	Module string `json:"module"`
	Var    string `json:"var"`
	// Main is Celery's first argument (the main module name), "" if none.
	Main string `json:"main"`
	// File and Line locate the Celery(...) assignment.
	File string `json:"file"`
	Line int    `json:"line"`
	// ConfigFromSettings is true when the app calls
	// config_from_object("django.conf:settings" or settings); Namespace is
	// its namespace= ("CELERY").
	ConfigFromSettings bool   `json:"config_from_settings"`
	Namespace          string `json:"namespace"`
	// Autodiscover is true when the app calls autodiscover_tasks().
	Autodiscover bool `json:"autodiscover"`
}

// Marker is a place in the code where something was found.
type Marker struct {
	Kind string `json:"kind"`
	File string `json:"file"`
	Line int    `json:"line"`
}

// String returns "kind at file:line".
func (m Marker) String() string { return fmt.Sprintf("%s at %s:%d", m.Kind, m.File, m.Line) }

// RequiredEnv returns the names of the required variables, sorted, each once.
func (r *Result) RequiredEnv() []string {
	var names []string
	for _, e := range r.EnvReads {
		if e.Required && !slices.Contains(names, e.Name) {
			names = append(names, e.Name)
		}
	}
	slices.Sort(names)
	return names
}

// Env returns the reads of one variable.
func (r *Result) Env(name string) []EnvRead {
	var out []EnvRead
	for _, e := range r.EnvReads {
		if e.Name == name {
			out = append(out, e)
		}
	}
	return out
}

func firstLine(s string) string {
	line, _, _ := strings.Cut(s, "\n")
	return strings.TrimSpace(line)
}

// Script returns the embedded Python script (for running it by hand).
func Script() []byte { return slices.Clone(script) }

// Scan runs the embedded script with python (see FindPython) on the project
// at opts.Root and returns what it found. Problems in the project's files are
// in Result.Errors; an error is returned only when Python cannot run the
// script (with its stderr), it times out, or its output is not valid.
func Scan(python string, opts Options) (*Result, error) {
	if python == "" {
		return nil, errors.New("scan project: no python given")
	}
	root, err := filepath.Abs(opts.Root)
	if err != nil {
		return nil, fmt.Errorf("scan project: %w", err)
	}
	if st, err := os.Stat(root); err != nil {
		return nil, fmt.Errorf("scan project: %w", err)
	} else if !st.IsDir() {
		return nil, fmt.Errorf("scan project: %s is not a directory", root)
	}
	input, err := json.Marshal(map[string]any{
		"root":     root,
		"settings": opts.SettingsModule,
		"extra":    opts.Extra,
	})
	if err != nil {
		return nil, fmt.Errorf("scan project: %w", err)
	}

	f, err := os.CreateTemp("", "djangocdk-scan-*.py")
	if err != nil {
		return nil, fmt.Errorf("scan project: write script: %w", err)
	}
	defer os.Remove(f.Name())
	if _, err := f.Write(script); err != nil {
		f.Close()
		return nil, fmt.Errorf("scan project: write script: %w", err)
	}
	if err := f.Close(); err != nil {
		return nil, fmt.Errorf("scan project: write script: %w", err)
	}

	timeout := opts.Timeout
	if timeout <= 0 {
		timeout = DefaultTimeout
	}
	ctx, cancel := context.WithTimeout(context.Background(), timeout)
	defer cancel()
	// -I: isolated mode, so PYTHONPATH, PYTHONSTARTUP and the user site do
	// not change what runs; -B: no bytecode files.
	cmd := exec.CommandContext(ctx, python, "-I", "-B", f.Name())
	cmd.Dir = root
	cmd.Stdin = bytes.NewReader(input)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	cmd.WaitDelay = time.Second
	runErr := cmd.Run()
	if ctx.Err() == context.DeadlineExceeded {
		return nil, fmt.Errorf("scan project with %s: timed out after %s", python, timeout)
	}
	if runErr != nil {
		msg := strings.TrimSpace(stderr.String())
		// scan.py exits 3 on Python 3.0-3.8; Python 2 does not know -I.
		var exit *exec.ExitError
		if errors.As(runErr, &exit) {
			if _, version, ok := strings.Cut(firstLine(msg), "needs Python 3.9 or newer, this is "); ok && exit.ExitCode() == 3 {
				return nil, fmt.Errorf("scan project with %s: %w (this is %s)", python, ErrOldPython, version)
			}
			if strings.Contains(msg, "Unknown option: -I") {
				return nil, fmt.Errorf("scan project with %s: %w (this is Python 2)", python, ErrOldPython)
			}
		}
		if msg == "" {
			return nil, fmt.Errorf("scan project with %s: %w", python, runErr)
		}
		return nil, fmt.Errorf("scan project with %s: %w: %s", python, runErr, msg)
	}
	var res Result
	if err := json.Unmarshal(stdout.Bytes(), &res); err != nil {
		return nil, fmt.Errorf("scan project with %s: read its output: %w", python, err)
	}
	return &res, nil
}
