package initproj

import (
	"fmt"

	"github.com/djangocdk/djangocdk/internal/pyscan"
)

// scan reads the project's Python code (settings, URLconf, Celery apps,
// WSGI/ASGI modules) with the project's Python and returns the facts the
// decisions need.
func (p *Project) scan() (facts, error) {
	python, err := pyscan.FindPython(p.Dir, p.path())
	if err != nil {
		return facts{}, err
	}
	res, err := pyscan.Scan(python, pyscan.Options{Root: p.path(), SettingsModule: p.CloudSettings})
	if err != nil {
		return facts{}, fmt.Errorf("read the project's Python code: %w", err)
	}
	return factsFrom(res, p.AppDir), nil
}

// factsFrom keeps what the decisions use; file paths become relative to
// the project root (scan paths are relative to the manage.py directory).
func factsFrom(r *pyscan.Result, appDir string) facts {
	where := func(file string, line int) string {
		if appDir != "." && appDir != "" {
			file = appDir + "/" + file
		}
		return fmt.Sprintf("%s:%d", file, line)
	}
	f := facts{wsgiModules: r.WSGIModules, asgiModules: r.ASGIModules, errors: r.Errors, python: "Python " + r.Python}
	if s := r.Settings; s != nil {
		f.wsgiSetting, f.asgiSetting = s.WSGIApplication, s.ASGIApplication
		f.installedApps = s.InstalledApps
		f.staticBackend = s.StaticfilesBackend
		f.beatScheduler = s.CeleryBeatScheduler
	}
	for _, rt := range r.URLs {
		f.routes = append(f.routes, route{pattern: rt.Pattern, view: rt.View, include: rt.Include, where: where(rt.File, rt.Line)})
	}
	for _, c := range r.CeleryApps {
		f.celery = append(f.celery, celeryApp{module: c.Module, variable: c.Var, where: where(c.File, c.Line)})
	}
	for _, m := range r.BeatMarkers {
		f.beatMarkers = append(f.beatMarkers, m.Kind+" at "+where(m.File, m.Line))
	}
	for _, e := range r.EnvReads {
		f.envReads = append(f.envReads, envRead{name: e.Name, where: where(e.File, e.Line), required: e.Required && !e.InFunction, sets: e.Kind == "os.environ.setdefault"})
	}
	return f
}
