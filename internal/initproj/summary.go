package initproj

import (
	"fmt"
	"slices"
	"strings"

	"github.com/djangocdk/djangocdk/internal/deps"
)

// decideMissing lists the runtime dependencies the deployment needs and
// the project does not declare, with the versions djangocdk knows work.
func (p *Project) decideMissing() {
	need := func(name, why string, present ...string) {
		if slices.ContainsFunc(append([]string{name}, present...), p.Deps.Has) {
			return
		}
		req, ok := deps.Pinned(name, why)
		if !ok {
			req = deps.Requirement{Name: name, Spec: name, Why: why}
		}
		p.Missing = append(p.Missing, req)
	}
	if len(p.WebCommand) > 0 && strings.Contains(strings.Join(p.WebCommand, " "), "gunicorn") {
		need("gunicorn", "the web server")
	}
	if p.ASGI && slices.Contains(p.WebCommand, deps.UvicornWorkerClass) {
		need("uvicorn-worker", "runs the ASGI application under gunicorn")
	}
	need("psycopg", "PostgreSQL driver", "psycopg2", "psycopg2-binary", "psycopg-binary")
	need("django-storages", "media (and static) files on S3")
	if !p.Deps.Has("boto3") && !storagesWithS3(p.Deps) {
		// django-storages without its s3 extra does not bring boto3.
		need("boto3", "django-storages' S3 backend")
	}
	need("redis", "Django's cache on Valkey/Redis")
	if p.Celery && !hasExtra(p.Deps, "celery", "redis") && !p.Deps.Has("kombu") {
		// kombu's Redis transport imports what only its redis extra installs
		// (packaging): without it the worker dies at start.
		p.Missing = append(p.Missing, deps.Requirement{Name: "kombu", Spec: "kombu[redis]", Why: "Celery's Redis broker transport (the version celery requires)"})
	}
}

// hasExtra reports whether the project declares name with the extra.
func hasExtra(plan *deps.Plan, name, extra string) bool {
	spec, ok := plan.Declared[deps.Normalize(name)]
	if !ok {
		return false
	}
	parsed, err := deps.ParseSpec(spec)
	return err == nil && parsed.HasExtra(extra)
}

// Summary lists the findings and decisions for people.
func (p *Project) Summary() []string {
	lines := []string{
		fmt.Sprintf("manage.py in %s; settings %s (cloud: %s)", p.AppDir, p.SettingsModule, p.CloudSettings),
		fmt.Sprintf("application: %s (%s)", orNone(p.WebApp), map[bool]string{true: "ASGI", false: "WSGI"}[p.ASGI]),
		fmt.Sprintf("dependencies: %s; Python %s (from %s)", p.Deps.From, p.Python, p.PythonFrom),
		fmt.Sprintf("web: %s on port %d; health check %s: %s", strings.Join(p.WebCommand, " "), p.WebPort, p.HealthPath, p.HealthFrom),
		fmt.Sprintf("static files: %s (%s)", p.StaticStorage, p.StaticFrom),
	}
	if p.Celery {
		lines = append(lines, fmt.Sprintf("Celery app %s (%s); periodic tasks (beat): %s%s", p.CeleryApp, p.CeleryFrom, yesNo(p.Beat), ifSet(", scheduler "+p.BeatScheduler, p.BeatScheduler)))
	} else {
		lines = append(lines, "Celery: none found (no worker)")
	}
	if p.DockerfilePath != "" {
		line := fmt.Sprintf("Dockerfile: %s (%s), kept; stage %s", p.DockerfilePath, p.DockerSource.FoundIn, p.Image.Stage)
		if len(p.EntryPoint) > 0 {
			line += fmt.Sprintf("; its ENTRYPOINT runs after the launcher: %s", strings.Join(p.EntryPoint, " "))
		}
		lines = append(lines, line)
	}
	for _, e := range p.RequiredEnv {
		lines = append(lines, fmt.Sprintf("needs %s (read without a default at %s)", e.Name, e.Where))
	}
	for _, n := range p.Notes {
		lines = append(lines, "note: "+n)
	}
	return lines
}

// NextSteps says what the user still has to do.
func NextSteps(p *Project, configFile string, applied bool) []string {
	var steps []string
	for _, m := range p.Manual {
		steps = append(steps, fmt.Sprintf("Run %s: init changed the dependencies and the image installs from the lock (validate fails until then).", m))
	}
	if len(p.RequiredEnv) > 0 {
		names := make([]string, len(p.RequiredEnv))
		for i, e := range p.RequiredEnv {
			names[i] = e.Name
		}
		steps = append(steps, fmt.Sprintf("Fill in %s in %s: values under [env], references to Secrets Manager under [secrets] for the credentials; djangocdk validate lists what is still empty.", strings.Join(names, ", "), configFile))
	}
	if !applied && len(p.Missing) > 0 {
		specs := make([]string, len(p.Missing))
		for i, m := range p.Missing {
			specs[i] = m.Spec
		}
		steps = append(steps, fmt.Sprintf("Add these runtime dependencies (%s): %s — or run init --yes.", p.Deps.Manager, strings.Join(specs, ", ")))
	}
	if !p.HelperConfigured {
		steps = append(steps, fmt.Sprintf("Add at the end of %s (or run init --yes):%s", p.SettingsFile, indent(SettingsLines)))
	}
	steps = append(steps,
		fmt.Sprintf("Review %s (region, profile, domain); djangocdk validate checks it.", configFile),
		"djangocdk check     # imports your settings under the deployment's environment and requests the health path (needs the project's virtualenv)",
		"djangocdk synth     # offline: what will be created and what it costs",
		"djangocdk deploy    # needs Docker, AWS credentials and a bootstrapped account")
	return steps
}

func indent(s string) string {
	return strings.ReplaceAll(strings.TrimRight(s, "\n"), "\n", "\n      ")
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

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}

// shellJoin quotes args for /bin/sh.
func shellJoin(args []string) string {
	q := make([]string, len(args))
	for i, a := range args {
		if a != "" && strings.Trim(a, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_./:=,@%+") == "" {
			q[i] = a
		} else {
			q[i] = "'" + strings.ReplaceAll(a, "'", `'\''`) + "'"
		}
	}
	return strings.Join(q, " ")
}

// storagesWithS3 reports whether the project declares django-storages with
// the extra that installs boto3 (or does not declare it: init adds it so).
func storagesWithS3(plan *deps.Plan) bool {
	return !plan.Has("django-storages") || hasExtra(plan, "django-storages", "s3") || hasExtra(plan, "django-storages", "boto3")
}
