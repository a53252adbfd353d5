package cli

import (
	"bufio"
	"context"
	"fmt"
	"strings"

	"github.com/djangocdk/djangocdk/internal/assembly"
	"github.com/djangocdk/djangocdk/internal/config"
	"github.com/djangocdk/djangocdk/internal/deploy"
	"github.com/djangocdk/djangocdk/internal/synth"
	"github.com/spf13/cobra"
)

// newCDKCommands returns diff, deploy, destroy and bootstrap: they drive the
// AWS CDK CLI (pinned, installed on first use) on the synthesized assembly.
func newCDKCommands(o *options) []*cobra.Command {
	var yes bool
	var allow []string
	diff := &cobra.Command{
		Use:   "diff",
		Short: "Show what a deploy would change in the AWS account",
		Long: `Synthesize, warn when a stateful resource (database, cache, bucket, secret,
queue) of the deployed stacks would be replaced or removed (a reading of the
templates; deploy's change-set check decides), then run ` + "`cdk diff`" + ` against
the deployed stacks. Needs AWS credentials. diff and deploy synthesize with
the CDK's built-in CloudFormation validation of the templates
(CDK_VALIDATION=false turns it off).`,
		Example: "  djangocdk diff --env production",
		Args:    cobra.NoArgs,
		RunE:    func(cmd *cobra.Command, _ []string) error { return o.cdk(cmd.Context(), "diff", false) },
	}
	deployCmd := &cobra.Command{
		Use:   "deploy",
		Short: "Build the image and deploy the stacks",
		Long: `Check first that Docker runs, AWS credentials work (for the configured
account, if any) and the account/region is bootstrapped for the CDK, refusing
with the fix when one is missing. Then synthesize and deploy the two stacks
(Data: network, secrets, database, cache, queues, buckets; App: compute),
streaming CloudFormation's events. IAM and security-group changes need
approval unless --yes.

Each stack is deployed through a change set that is inspected before it runs.
A change that would replace or remove stored data (database, cache, bucket,
secret, queue, file system, table), e.g. after editing database.name, is
refused with exit code 2: the change set is deleted, each resource is listed
with the properties that cause it and the flag that allows it. Allow one with
--allow-data-loss LOGICAL_ID (or its construct path), once per resource.

The order follows the exports the App stack imports from the Data stack: Data
then App normally; App first when a part is switched off (the app stops using
it, then it is removed); when a part goes and another comes (broker cache to
sqs with the cache off), three steps: Data adds the new part and keeps the old
exports, then App, then Data removes them. Every supported configuration
change deploys in one run.`,
		Example: "  djangocdk deploy\n  djangocdk deploy --env production --yes\n  djangocdk deploy --allow-data-loss MysiteDatabaseInstanceFDC41929",
		Args:    cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			o.allow = allow
			return o.cdk(cmd.Context(), "deploy", yes)
		},
	}
	deployCmd.Flags().BoolVar(&yes, "yes", false, "approve IAM and security-group changes without asking")
	deployCmd.Flags().StringArrayVar(&allow, "allow-data-loss", nil, "let this stateful resource (logical ID or construct path) be replaced or removed; repeat per resource")
	destroy := &cobra.Command{
		Use:   "destroy",
		Short: "Delete the stacks (retained data stays; it says what and how to remove it)",
		Long: `Ask for confirmation (the app name), or --yes, then run ` + "`cdk destroy`" + ` on
both stacks. Resources with a Retain or Snapshot deletion policy (the
database's final snapshot, the buckets, in production the database itself)
stay; destroy lists them and how to remove them.`,
		Example: "  djangocdk destroy --env staging\n  djangocdk destroy --yes",
		Args:    cobra.NoArgs,
		RunE:    func(cmd *cobra.Command, _ []string) error { return o.cdk(cmd.Context(), "destroy", yes) },
	}
	destroy.Flags().BoolVar(&yes, "yes", false, "do not ask for confirmation")
	bootstrap := &cobra.Command{
		Use:     "bootstrap",
		Short:   "Prepare the account and region for CDK deployments (once)",
		Long:    "Run `cdk bootstrap aws://ACCOUNT/REGION` for the configured region and the credentials' account, and for us-east-1 too when a domain on the CloudFront edge needs its certificate there.",
		Example: "  djangocdk bootstrap",
		Args:    cobra.NoArgs,
		RunE:    func(cmd *cobra.Command, _ []string) error { return o.cdk(cmd.Context(), "bootstrap", false) },
	}
	for _, c := range []*cobra.Command{diff, deployCmd, destroy, bootstrap} {
		c.Flags().StringVar(&o.env, "env", "", "environment ([environments.NAME] merged over the base)")
	}
	return []*cobra.Command{diff, deployCmd, destroy, bootstrap}
}

func (o *options) cdk(ctx context.Context, action string, yes bool) error {
	if ctx == nil {
		ctx = context.Background()
	}
	o.decideValidation(action)
	src, cfg, err := o.load()
	if err != nil {
		return err
	}
	id, err := o.preflight(ctx, action, cfg)
	if err != nil {
		return err
	}
	if action == "bootstrap" {
		tool, err := deploy.EnsureCDK(ctx, o.stderr)
		if err != nil {
			return precondition(err)
		}
		envs := []string{fmt.Sprintf("aws://%s/%s", id.Account, cfg.Region)}
		if synth.NeedsCertificateStack(cfg) {
			// The domain's certificate for CloudFront is deployed in us-east-1.
			envs = append(envs, fmt.Sprintf("aws://%s/%s", id.Account, synth.CertificateRegion))
		}
		return tool.Run(ctx, ".", o.stdin, o.stdout, o.stderr, append([]string{"bootstrap"}, envs...)...)
	}
	if action == "destroy" && !yes {
		data, compute := synth.StackNames(cfg.App, o.env)
		stacks := []string{data, compute}
		if synth.NeedsCertificateStack(cfg) {
			stacks = append(stacks, synth.CertificateStackName(cfg.App, o.env))
		}
		if err := o.confirmDestroy(cfg, stacks, id); err != nil {
			return err
		}
	}
	res, err := o.synthesize(src, cfg, "", false)
	if err != nil {
		return err
	}
	tool, err := deploy.EnsureCDK(ctx, o.stderr)
	if err != nil {
		return precondition(err)
	}
	if action == "deploy" {
		return o.deploy(ctx, src, cfg, id, res, tool, yes)
	}
	if action == "diff" {
		o.warnDiff(ctx, cfg, id, res.Outdir)
	}
	args := []string{action, "--all"}
	if action == "destroy" {
		args = append(args, "--force")
	}
	if err := tool.Run(ctx, res.Outdir, o.stdin, o.stdout, o.stderr, args...); err != nil {
		return err
	}
	if action == "destroy" {
		return o.reportRetained(res.Outdir)
	}
	return nil
}

// preflight checks, in order of cost: credentials (and account), bootstrap
// and Docker for deploy. Each failure is exit code 3 with the fix.
func (o *options) preflight(ctx context.Context, action string, cfg *config.Config) (*deploy.Identity, error) {
	id, err := deploy.CheckCredentials(ctx, cfg.Region)
	if err != nil {
		return nil, precondition(err)
	}
	if err := deploy.CheckAccount(id, cfg.Account); err != nil {
		return nil, precondition(err)
	}
	if action != "deploy" {
		return id, nil
	}
	if err := deploy.CheckBootstrap(ctx, id, cfg.Region); err != nil {
		return nil, precondition(err)
	}
	if synth.NeedsCertificateStack(cfg) {
		if err := deploy.CheckBootstrap(ctx, id, synth.CertificateRegion); err != nil {
			return nil, precondition(err)
		}
	}
	if err := deploy.CheckDocker(ctx); err != nil {
		return nil, precondition(err)
	}
	return id, nil
}

func (o *options) confirmDestroy(cfg *config.Config, stacks []string, id *deploy.Identity) error {
	fmt.Fprintf(o.stderr, "This deletes the stacks %s in account %s, %s.\nRetained data (database snapshot, buckets) stays; the list follows the deletion.\nType the app name (%s) to confirm: ",
		strings.Join(stacks, " and "), id.Account, cfg.Region, cfg.App)
	line, _ := bufio.NewReader(o.stdin).ReadString('\n')
	if strings.TrimSpace(line) != cfg.App {
		return fmt.Errorf("destroy: not confirmed; nothing was deleted")
	}
	return nil
}

func (o *options) reportRetained(outdir string) error {
	templates, err := assembly.Templates(outdir)
	if err != nil {
		return err
	}
	bodies := map[string][]byte{}
	for _, t := range templates {
		bodies[t.Stack] = t.Body
	}
	kept, err := deploy.RetainedResources(bodies)
	if err != nil {
		return err
	}
	if len(kept) == 0 {
		fmt.Fprintln(o.stdout, "Nothing was retained.")
		return nil
	}
	fmt.Fprintln(o.stdout, "Retained after deletion (they may keep costing money):")
	for _, r := range kept {
		fmt.Fprintf(o.stdout, "  - %s/%s (%s, %s): %s\n", r.Stack, r.LogicalID, r.Type, r.Policy, deploy.HowToRemove(r))
	}
	return nil
}
