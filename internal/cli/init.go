package cli

import (
	"fmt"
	"path/filepath"

	"github.com/djangocdk/djangocdk/internal/config"
	"github.com/djangocdk/djangocdk/internal/initproj"
	"github.com/spf13/cobra"
)

func newInit(o *options) *cobra.Command {
	var opts initproj.Options
	cmd := &cobra.Command{
		Use:   "init [DIR]",
		Short: "Inspect a Django project and write what a deployment needs",
		Long: `Inspect the Django project in DIR (default: --dir, else the current directory)
and write what is missing: the [tool.djangocdk] table in pyproject.toml (or
djangocdk.toml), the settings helper djangocdk_settings.py next to manage.py,
a multi-stage Dockerfile fitted to the dependency manager (unless the project
has one: it is read and kept), a .dockerignore, a compose.yaml sandbox and
cdk.out/ in .gitignore. Existing files are never overwritten without --force.
Running init twice changes nothing.

It reads the project's Python code with the project's Python (never
importing it): the settings modules and what they import (every environment
variable read without a default becomes an entry to fill in), WSGI/ASGI
applications, the URLconf (the project's own health endpoint), Celery apps
and django-celery-beat, the static files storage; the Dockerfile with
BuildKit's parser (ENTRYPOINT scripts, CMD, ports); the dependency manager
(pip requirements files, PEP 621, Poetry and uv groups, Pipenv) and the
Python version.

With --yes it also does what it advises: adds the settings helper call to
the cloud settings module and the missing runtime dependencies to the
project's dependency files (with uv/poetry when installed, updating the
lock). Exit status 2 when the project cannot be deployed as it is (each
problem names the file and line).`,
		Example: `  djangocdk init
  djangocdk init ../myproject --region eu-west-1 --yes`,
		Args: cobra.MaximumNArgs(1),
		RunE: func(_ *cobra.Command, args []string) error {
			dir := o.dir
			if len(args) == 1 {
				dir = args[0]
			}
			return o.init(dir, opts)
		},
	}
	cmd.Flags().BoolVar(&opts.Force, "force", false, "overwrite files that exist and differ")
	cmd.Flags().BoolVar(&opts.Yes, "yes", false, "apply what init advises: the settings call, missing runtime dependencies, cdk.out in .dockerignore")
	cmd.Flags().StringVar(&opts.Region, "region", "us-east-1", "AWS region written into a new configuration")
	return cmd
}

func (o *options) init(dir string, opts initproj.Options) error {
	p, err := initproj.Detect(dir)
	if err != nil {
		return invalid(fmt.Errorf("init %s: %w", dir, err))
	}
	fmt.Fprintf(o.stderr, "Found in %s:\n", dir)
	for _, line := range p.Summary() {
		fmt.Fprintf(o.stderr, "  - %s\n", line)
	}
	if len(p.Problems) > 0 {
		fmt.Fprintf(o.stderr, "\nThe project cannot be deployed as it is (nothing was written):\n")
		for _, prob := range p.Problems {
			fmt.Fprintf(o.stderr, "  - %s\n", prob)
		}
		return invalid(fmt.Errorf("init %s: %d problem(s) to fix first (above); run init again afterwards", dir, len(p.Problems)))
	}
	actions, err := initproj.Write(p, opts)
	for _, a := range actions {
		fmt.Fprintf(o.stdout, "%-40s %s\n", a.Path, a.Status)
	}
	if err != nil {
		return err
	}
	configFile := filepath.Join(dir, config.PyProject)
	if src, err := config.Find(dir); err == nil {
		configFile = src.Path
	}
	fmt.Fprintln(o.stderr, "\nNext steps:")
	for i, step := range initproj.NextSteps(p, configFile, opts.Yes) {
		fmt.Fprintf(o.stderr, "  %d. %s\n", i+1, step)
	}
	return nil
}
