package cli

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"

	"github.com/djangocdk/djangocdk/internal/assembly"
	"github.com/djangocdk/djangocdk/internal/initproj"
	"github.com/djangocdk/djangocdk/internal/preflight"
	"github.com/spf13/cobra"
)

func newCheck(o *options) *cobra.Command {
	var python string
	cmd := &cobra.Command{
		Use:   "check",
		Short: "Boot the project under the deployment's environment, offline, before a deploy",
		Long: `Synthesize (or reuse the assembly), then run the project's own Python with
the web container's environment as the task will have it — stand-in values
for the cloud's (no database, cache or AWS account needed) — through the
container's entry point:

  - import the settings (a variable read without a default is named, with
    the file and line that reads it);
  - confirm the settings call djangocdk_settings.configure(globals());
  - run Django's system checks with the deployment checks (your project's
    own checks included);
  - request the health check path as the load balancer will (plain HTTP,
    Host: the task's private IP) and as a browser through HTTPS: it must
    answer 200 without querying the database;
  - with static_storage = "s3-manifest", collect static files with hashed
    names into a temporary directory (a reference to a missing file fails
    here, not in the release step).

Python: --python, else the project's .venv/venv, else python3 on PATH. It
needs the project's dependencies installed. Your own [secrets] get stand-in
values, unless this process's environment has a variable of the same name
(e.g. EMAIL_URL=smtp://… djangocdk check). Exit status 1 when a problem is
found, 3 when no usable Python environment is found.`,
		Example: `  djangocdk check
  djangocdk check --python .venv/bin/python --env production --json`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			o.decideValidation("check")
			return o.check(cmd.Context(), python)
		},
	}
	addValidationFlag(cmd, o)
	cmd.Flags().StringVar(&o.env, "env", "", "environment to check ([environments.NAME] merged over the base)")
	cmd.Flags().StringVar(&python, "python", "", "Python interpreter of the project's environment")
	cmd.Flags().BoolVar(&o.json, "json", false, "print the report as JSON")
	return cmd
}

func (o *options) check(ctx context.Context, python string) error {
	src, cfg, err := o.load()
	if err != nil {
		return err
	}
	res, err := o.synthesize(src, cfg, "", false)
	if err != nil {
		return err
	}
	containers, err := assembly.Containers(res.Outdir)
	if err != nil {
		return fmt.Errorf("check: %w", err)
	}
	web, ok := containers["web"]
	if !ok {
		return errors.New("check: the assembly has no web container")
	}
	site := ""
	if cfg.Domain.Name != "" {
		site = "https://" + cfg.Domain.Name
	}
	env, err := preflight.StandIns(web, site)
	if err != nil {
		return fmt.Errorf("check: %w", err)
	}
	// The project's own secrets have no value here; one set in this
	// process's environment replaces the stand-in (settings that parse it,
	// such as django-environ's email_url, then see a real shape).
	for name := range cfg.Secrets {
		if v, ok := os.LookupEnv(name); ok && v != "" {
			env[name] = v
		}
	}
	project := cfg.ProjectPath(src.Path)
	sub, err := initproj.ManageDir(project)
	if err != nil {
		return invalid(fmt.Errorf("check: %w", err))
	}
	manageDir := filepath.Join(project, sub)
	if ctx == nil {
		ctx = context.Background()
	}
	report, err := preflight.Run(ctx, preflight.Options{Python: python, ManageDir: manageDir, Env: env, EntryPoint: web.EntryPoint, Command: web.Command})
	if errors.Is(err, preflight.ErrPythonEnvironment) {
		return precondition(fmt.Errorf("check: %w", err))
	}
	if err != nil {
		return fmt.Errorf("check: %w", err)
	}
	if o.json {
		if err := o.printJSON(report); err != nil {
			return err
		}
	} else {
		report.Print(o.stdout)
	}
	if !report.OK {
		return fmt.Errorf("check: %d problem(s): the deployment would fail; fix them and run djangocdk check again", len(report.Problems))
	}
	return nil
}
