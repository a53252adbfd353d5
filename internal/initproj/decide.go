package initproj

import (
	"fmt"
	"regexp"
	"slices"
	"strings"

	"github.com/djangocdk/djangocdk"
)

// facts is what reading the project's Python code found (see scan.go).
type facts struct {
	wsgiSetting, asgiSetting string   // WSGI_APPLICATION / ASGI_APPLICATION, dotted
	wsgiModules, asgiModules []string // modules defining "application"
	installedApps            []string
	staticBackend            string
	routes                   []route
	celery                   []celeryApp
	beatMarkers              []string
	beatScheduler            string
	envReads                 []envRead
	errors                   []string
	python                   string // the interpreter that read the code
}

type route struct{ pattern, view, include, where string }

type celeryApp struct{ module, variable, where string }

type envRead struct {
	name, where string
	required    bool
	sets        bool // os.environ.setdefault: the settings give it a value themselves
}

// EnvNeed is a variable the project reads without a default, with where.
type EnvNeed struct {
	// Name of the environment variable.
	Name string
	// Where it is read ("config/settings/production.py:34").
	Where string
	// Secret is true for a credential by its name (API keys, tokens,
	// passwords, DSNs, mail URLs): it belongs in Secrets Manager, never in
	// the template.
	Secret bool
}

// credentialWords mark a variable name as a credential.
var credentialWords = []string{"SECRET", "PASSWORD", "PASSWD", "TOKEN", "KEY", "DSN", "CREDENTIAL", "PRIVATE", "AUTH", "EMAIL_URL", "SMTP_URL", "DATABASE_URL", "REDIS_URL"}

// isCredential reports whether a variable's name says it holds a credential.
func isCredential(name string) bool {
	upper := strings.ToUpper(name)
	return slices.ContainsFunc(credentialWords, func(w string) bool { return strings.Contains(upper, w) })
}

// decideApp picks the application the web process serves: ASGI when the
// project is ASGI-only or uses Channels/Daphne, else WSGI.
func (p *Project) decideApp(f facts) {
	wsgi := appPath(f.wsgiSetting, f.wsgiModules, p.Package+".wsgi")
	asgi := appPath(f.asgiSetting, f.asgiModules, p.Package+".asgi")
	// Channels/Daphne need ASGI; a project that declares an ASGI server has chosen it.
	wantsASGI := slices.ContainsFunc(f.installedApps, func(a string) bool { return a == "channels" || a == "daphne" }) ||
		slices.ContainsFunc([]string{"uvicorn", "uvicorn-worker", "daphne", "hypercorn", "granian"}, p.Deps.Has)
	switch {
	case asgi != "" && (wsgi == "" || wantsASGI):
		p.WebApp, p.ASGI = asgi, true
	case wsgi != "":
		p.WebApp = wsgi
	default:
		p.Problems = append(p.Problems, fmt.Sprintf("no WSGI or ASGI application found (no WSGI_APPLICATION/ASGI_APPLICATION setting, no module defining application = get_wsgi_application()); set web.command in the configuration"))
	}
}

// appPath turns "config.wsgi.application" (a setting) into
// "config.wsgi:application"; without the setting it takes the module that
// defines the application, preferring the conventional one.
func appPath(setting string, modules []string, conventional string) string {
	if setting != "" {
		if i := strings.LastIndex(setting, "."); i > 0 {
			return setting[:i] + ":" + setting[i+1:]
		}
	}
	if slices.Contains(modules, conventional) {
		return conventional + ":application"
	}
	if len(modules) > 0 {
		return modules[0] + ":application"
	}
	return ""
}

// healthish matches the last segment of routes that are health endpoints by
// name ("health/", "api/health/", "-/ping").
var healthish = regexp.MustCompile(`^(healthz?|health[-_]?check|healthcheck|ping|alive|livez|readyz|liveness|readiness|ht)$`)

// lastSegment is a route's last path segment, without regex anchors.
func lastSegment(pattern string) string {
	parts := strings.Split(strings.Trim(pattern, "^$/"), "/")
	return parts[len(parts)-1]
}

// decideHealth picks the load balancer's health check path: the project's
// own database-free endpoint, django-alive's liveness view, or /healthz,
// which the settings helper serves without a URLconf change.
func (p *Project) decideHealth(f facts) {
	for _, r := range f.routes {
		switch {
		case r.include == "django_alive.urls":
			p.HealthPath, p.HealthFrom = "/"+strings.TrimPrefix(r.pattern, "/")+"alive/", "django-alive's liveness view ("+r.where+"; it does not query the database)"
			return
		case r.include == "health_check.urls" || strings.HasPrefix(r.view, "health_check."):
			p.Notes = append(p.Notes, fmt.Sprintf("django-health-check at /%s (%s) checks the database and the cache: a database blip would take every task out of the load balancer, so the load balancer checks /healthz instead (served by djangocdk_settings); your page keeps working", strings.TrimPrefix(r.pattern, "/"), r.where))
		case r.include == "" && healthish.MatchString(lastSegment(r.pattern)) && !strings.ContainsAny(r.pattern, "<([?*+\\"):
			p.HealthPath, p.HealthFrom = "/"+strings.Trim(r.pattern, "^$/")+trailingSlash(r.pattern), "the project's own view "+r.view+" ("+r.where+")"
			return
		}
	}
	p.HealthPath, p.HealthFrom = defaultHealthPath, "served by djangocdk_settings, without a URLconf change (no database-free health view of your own found)"
}

func trailingSlash(pattern string) string {
	if strings.HasSuffix(strings.TrimSuffix(pattern, "$"), "/") {
		return "/"
	}
	return ""
}

const defaultHealthPath = "/healthz"

// decideCelery picks the module `celery -A` loads and beat's scheduler.
func (p *Project) decideCelery(f facts) {
	if len(f.celery) == 0 {
		return
	}
	app := f.celery[0]
	for _, c := range f.celery { // prefer the app next to the settings package
		if strings.HasPrefix(c.module, p.Package+".") {
			app = c
			break
		}
	}
	p.Celery = true
	p.CeleryApp = app.module
	if app.variable != "" && app.variable != "app" && app.variable != "celery" {
		p.CeleryApp += ":" + app.variable
	}
	p.CeleryFrom = app.where
	if len(f.celery) > 1 {
		p.Notes = append(p.Notes, fmt.Sprintf("%d Celery apps found; the worker uses %s (%s)", len(f.celery), p.CeleryApp, app.where))
	}
	dbBeat := slices.Contains(f.installedApps, "django_celery_beat")
	p.Beat = len(f.beatMarkers) > 0 || dbBeat
	if strings.Contains(f.beatScheduler, "django_celery_beat") || (dbBeat && f.beatScheduler == "") {
		p.BeatScheduler = "django_celery_beat.schedulers:DatabaseScheduler"
	}
}

// decideStatic picks how static files are stored: the project's own
// storage when it has chosen one other than S3, plain names on S3 when its
// static files reference files that do not exist, else hashed names on S3.
func (p *Project) decideStatic(f facts, root string) {
	b := f.staticBackend
	switch {
	case b != "" && !strings.HasPrefix(b, "storages.backends.s3"):
		p.StaticStorage, p.StaticFrom = string(djangocdk.StaticProject), "the settings choose "+b
		return
	case strings.HasPrefix(b, "storages.backends.s3") && !strings.Contains(b, "Manifest"):
		p.StaticStorage, p.StaticFrom = string(djangocdk.StaticS3), "the settings store static files on S3 without hashed names ("+b+")"
		return
	}
	p.StaticProblems = staticProblems(root)
	if len(p.StaticProblems) > 0 {
		sp := p.StaticProblems[0]
		p.StaticStorage = string(djangocdk.StaticS3)
		p.StaticFrom = fmt.Sprintf("%s:%d references %s, which does not exist: hashed names (collectstatic's manifest) would fail; fix it and set static_storage = \"s3-manifest\" for year-long caching", sp.File, sp.Line, sp.Missing)
		return
	}
	p.StaticStorage, p.StaticFrom = string(djangocdk.StaticS3Manifest), "default: hashed names on S3, cached for a year"
}

// decideRequiredEnv lists what the cloud settings (and a kept entrypoint
// script) read without a default that the deployment does not provide.
func (p *Project) decideRequiredEnv(f facts) {
	seen := map[string]bool{}
	add := func(name, where string) {
		if seen[name] || djangocdk.Provided(name, true, djangocdk.UsesLauncher(p.EntryPoint)) || name == djangocdk.EnvSettingsModule {
			return
		}
		if p.Image != nil {
			if _, ok := p.Image.Env[name]; ok {
				return // the image sets it
			}
		}
		seen[name] = true
		p.RequiredEnv = append(p.RequiredEnv, EnvNeed{name, where, isCredential(name)})
	}
	setByProject := map[string]bool{}
	for _, r := range f.envReads {
		setByProject[r.name] = setByProject[r.name] || r.sets
	}
	for _, r := range f.envReads {
		if r.required && !setByProject[r.name] {
			add(r.name, r.where)
		}
	}
	if p.Image != nil {
		for _, key := range sortedKeys(p.Image.Scripts) {
			s := p.Image.Scripts[key]
			for _, ref := range s.EnvRefs {
				if !ref.HasDefault {
					add(ref.Name, fmt.Sprintf("%s:%d", s.Path, ref.Line))
				}
			}
		}
	}
}
