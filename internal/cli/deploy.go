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
	// The us-east-1 certificate stack (a domain on the CloudFront edge of an
	// app elsewhere) holds no data and goes first: the data stack reads the
	// certificate's ARN from it.
	for _, stack := range res.Stacks {
		if stack == data || stack == app {
			continue
		}
		fmt.Fprintf(o.stderr, "Deploying %s (the domain's certificate for CloudFront, in us-east-1)\n", stack)
		if err := tool.Run(ctx, res.Outdir, o.stdin, o.stdout, o.stderr, "deploy", stack, "--exclusively",
			"--require-approval", approval, "--progress", "events"); err != nil {
			return fmt.Errorf("deploy certificate stack: %w", err)
		}
	}
	err := deploy.Deploy(ctx, deploy.Request{
		DataStack: data, AppStack: app, Outdir: res.Outdir, Allow: o.allow,
		Bridge: func(keep map[string]string) (string, error) {
			out := res.Outdir + "-kept-exports"
			r, err := o.runSynth(synth.Request{Config: cfg, ConfigFile: src.Path, Env: o.env, Outdir: out, KeepExports: keep})
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
