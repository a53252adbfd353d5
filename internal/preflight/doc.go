// Package preflight proves a Django project boots under a deployment's
// environment before a long deploy. It runs the project's own Python (its
// virtualenv) with the web container's environment — stand-ins for values
// only the cloud knows, no database or cache needed — and reports every
// failure with the variable, setting or file to fix.
//
// The trial (trial.py, embedded) runs five steps, each isolated so one
// failure does not hide the next where possible:
//
//   - import: django.setup() with the settings module, and the application
//     the web command serves; a missing environment variable is named
//     (os.environ[...], django-environ, python-decouple) with its file and line.
//   - configure: the settings called djangocdk_settings.configure(globals())
//     and it took effect; the helper's REPORT becomes notes.
//   - check: Django's system checks with the deployment checks.
//   - health: the health path as the load balancer requests it (Host: the
//     task's IP, plain HTTP) and as a visitor reaches it (Host: the site,
//     X-Forwarded-Proto: https); it must answer 200 without a query.
//   - static: collectstatic with hashed names into a temporary directory,
//     when static files are stored with hashed names ("s3-manifest").
//
// A caller (the CLI's check command) reads the web container from the
// synthesized assembly, builds the environment with StandIns, and calls Run:
//
//	containers, err := assembly.Containers(outdir)
//	c := containers["web"]
//	env, err := preflight.StandIns(c, siteURL)
//	r, err := preflight.Run(ctx, preflight.Options{
//		Python: python, ManageDir: dir, Env: env,
//		EntryPoint: c.EntryPoint, Command: c.Command,
//	})
//	r.Print(os.Stdout)
package preflight
