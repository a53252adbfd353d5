package cli

import (
	"context"
	"errors"
	"fmt"

	"github.com/djangocdk/djangocdk/internal/config"
	"github.com/djangocdk/djangocdk/internal/deploy"
	"github.com/djangocdk/djangocdk/internal/synth"
)

// deploy runs the inspected, ordered deploy of both stacks.
func (o *options) deploy(ctx context.Context, src *config.Source, cfg *config.Config, id *deploy.Identity, res *synth.Result, tool *deploy.CDK, yes bool) error {
	approval := "broadening"
	if yes {
		approval = "never"
	}
	data, app := synth.StackNames(cfg.App, o.env)
	err := deploy.Deploy(ctx, deploy.Request{
		DataStack: data, AppStack: app, Outdir: res.Outdir, Allow: o.allow,
		Bridge: func(keep map[string]string) (string, error) {
			out := res.Outdir + "-kept-exports"
			r, err := synth.Run(synth.Request{Config: cfg, ConfigFile: src.Path, Env: o.env, Outdir: out, KeepExports: keep})
			if err != nil {
				return "", err
			}
			return r.Outdir, nil
		},
		CFN: deploy.NewCloudFormation(id.Config),
		Run: &deploy.CDKRunner{CDK: tool, Approval: approval, Stdin: o.stdin, Stdout: o.stdout, Stderr: o.stderr},
		Log: o.stderr,
	})
	var refused *deploy.RefusedError
	if errors.As(err, &refused) {
		return invalid(err)
	}
	return err
}

// warnDiff prints, before `cdk diff`, the stateful resources the new
// templates would replace or remove compared with the deployed ones. It is
// a static reading of the templates; problems reading them are reported and
// do not stop the diff.
func (o *options) warnDiff(ctx context.Context, cfg *config.Config, id *deploy.Identity, outdir string) {
	data, app := synth.StackNames(cfg.App, o.env)
	deployed, err := deploy.ReadDeployed(ctx, deploy.NewCloudFormation(id.Config), data, app)
	if err != nil {
		fmt.Fprintf(o.stderr, "warning: could not read the deployed stacks to check for data loss: %v\n", err)
		return
	}
	o.warnStatic(deployed.Templates, outdir, "deployed stacks")
}
