package cli

import (
	"fmt"
	"time"

	"github.com/djangocdk/djangocdk/internal/assembly"
	"github.com/spf13/cobra"
)

func newSynth(o *options) *cobra.Command {
	var out string
	var force bool
	cmd := &cobra.Command{
		Use:   "synth",
		Short: "Write the cloud assembly and summarize it: stacks, resources, URL and monthly cost",
		Long: `Build the DjangoEcs app from the configuration, in this process, and write
the CloudFormation templates (cdk.out/<env>, or --out). Needs no AWS account.
When neither the configuration nor a file of the project changed since the
last synth, the existing assembly is reused (--force synthesizes anyway).
Files .dockerignore keeps out of the image do not count.

The CDK's built-in CloudFormation validation of the templates does not run
here (--cfn-validate runs it; diff and deploy always do).`,
		Example: `  djangocdk synth
  djangocdk synth --env production --json`,
		Args: cobra.NoArgs,
		RunE: func(*cobra.Command, []string) error {
			o.decideValidation("synth")
			return o.synth(out, force)
		},
	}
	addValidationFlag(cmd, o)
	cmd.Flags().StringVar(&o.env, "env", "", "environment to synthesize ([environments.NAME] merged over the base)")
	cmd.Flags().StringVar(&out, "out", "", "assembly directory (default cdk.out/<env> next to the configuration)")
	cmd.Flags().BoolVar(&force, "force", false, "synthesize even when the assembly is current")
	cmd.Flags().BoolVar(&o.json, "json", false, "print the summary as JSON")
	return cmd
}

type synthSummary struct {
	Outdir     string           `json:"outdir"`
	Cached     bool             `json:"cached"`
	Validated  bool             `json:"validated"`
	Seconds    float64          `json:"seconds"`
	URL        string           `json:"url"`
	Stacks     []assembly.Stack `json:"stacks"`
	MonthlyUSD *float64         `json:"monthly_usd"`
	Unpriced   []string         `json:"unpriced"`
	CostError  string           `json:"cost_error,omitempty"`
}

func (o *options) synth(out string, force bool) error {
	src, cfg, err := o.load()
	if err != nil {
		return err
	}
	start := time.Now()
	res, err := o.synthesize(src, cfg, out, force)
	if err != nil {
		return err
	}
	stacks, err := assembly.Read(res.Outdir)
	if err != nil {
		return err
	}
	sum := synthSummary{Outdir: res.Outdir, Cached: res.Cached, Validated: res.Validated, Seconds: time.Since(start).Seconds(), URL: siteURL(cfg), Stacks: stacks, Unpriced: []string{}}
	est, costErr := estimate(res.Outdir, cfg.Region)
	if costErr != nil {
		sum.CostError = costErr.Error()
	} else {
		total := est.Total()
		sum.MonthlyUSD, sum.Unpriced = &total, append(sum.Unpriced, est.Unpriced...)
	}
	if o.json {
		return o.printJSON(sum)
	}
	how := "synthesized"
	if res.Cached {
		how = "unchanged since the last synth; reused"
	}
	fmt.Fprintf(o.stdout, "Cloud assembly: %s (%s, %.1f s)\n", res.Outdir, how, sum.Seconds)
	assembly.Print(o.stdout, stacks)
	fmt.Fprintf(o.stdout, "\nURL: %s\n", sum.URL)
	if costErr != nil {
		fmt.Fprintf(o.stdout, "Cost: not estimated: %v\n", costErr)
		return nil
	}
	fmt.Fprintf(o.stdout, "Cost: about $%.2f per month at minimum scale in %s (itemized: djangocdk cost", est.Total(), est.Region)
	if o.env != "" {
		fmt.Fprintf(o.stdout, " --env %s", o.env)
	}
	fmt.Fprintln(o.stdout, ")")
	if len(est.Unpriced) > 0 {
		fmt.Fprintf(o.stdout, "      %d resource(s) not priced: see djangocdk cost\n", len(est.Unpriced))
	}
	return nil
}
