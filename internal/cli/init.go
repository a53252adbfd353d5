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
a multi-stage Dockerfile fitted to the dependency manager, a .dockerignore
and a compose.yaml sandbox. Existing files are never overwritten without
--force; an existing Dockerfile is kept and used. Running init twice changes
nothing. It detects manage.py (also in src/), settings packages, the WSGI
application, pip/PEP 621/Poetry/uv/Pipenv, the Python version, Celery and
periodic tasks.`,
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
	cmd.Flags().BoolVar(&opts.Yes, "yes", false, "also add the settings helper call to the settings module")
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
	for i, step := range initproj.NextSteps(p, configFile) {
		fmt.Fprintf(o.stderr, "  %d. %s\n", i+1, step)
	}
	return nil
}
