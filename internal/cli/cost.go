package cli

import (
	"fmt"
	"path/filepath"

	"github.com/djangocdk/djangocdk"
	"github.com/djangocdk/djangocdk/internal/config"
	"github.com/djangocdk/djangocdk/internal/cost"
	"github.com/djangocdk/djangocdk/internal/synth"
	"github.com/spf13/cobra"
)

func newCost(o *options) *cobra.Command {
	var compare bool
	cmd := &cobra.Command{
		Use:   "cost",
		Short: "Estimate the monthly cost, itemized per resource",
		Long: `Synthesize (or reuse) the assembly and price every resource from the
price table bundled with djangocdk (its date and source are printed, with the
assumptions: hours per month, baseline traffic, minimum task counts).
Regions the table does not cover are reported, not guessed; resources it
cannot price are listed and left out of the total.`,
		Example: `  djangocdk cost
  djangocdk cost --env production --json
  djangocdk cost --compare        # the same configuration as starter and as production`,
		Args: cobra.NoArgs,
		RunE: func(*cobra.Command, []string) error {
			o.decideValidation("cost")
			return o.cost(compare)
		},
	}
	addValidationFlag(cmd, o)
	cmd.Flags().StringVar(&o.env, "env", "", "environment to price")
	cmd.Flags().BoolVar(&compare, "compare", false, "price the configuration with profile starter and with production, side by side")
	cmd.Flags().BoolVar(&o.json, "json", false, "print the estimate as JSON")
	return cmd
}

func (o *options) cost(compare bool) error {
	src, cfg, err := o.load()
	if err != nil {
		return err
	}
	if !compare {
		res, err := o.synthesize(src, cfg, "", false)
		if err != nil {
			return err
		}
		est, err := estimate(res.Outdir, cfg.Region)
		if err != nil {
			return fmt.Errorf("cost: %w", err)
		}
		if o.json {
			return o.printJSON(costJSON(est))
		}
		cost.Print(o.stdout, est)
		return nil
	}
	profiles := [2]string{string(djangocdk.ProfileStarter), string(djangocdk.ProfileProduction)}
	var ests [2]*cost.Estimate
	for i, profile := range profiles {
		res, err := o.compareAssembly(src, cfg, profile)
		if err != nil {
			return err
		}
		if ests[i], err = estimate(res.Outdir, cfg.Region); err != nil {
			return fmt.Errorf("cost: %w", err)
		}
	}
	if o.json {
		return o.printJSON(map[string]any{profiles[0]: costJSON(ests[0]), profiles[1]: costJSON(ests[1])})
	}
	cost.PrintComparison(o.stdout, profiles, ests)
	return nil
}

// compareAssembly returns the assembly of cfg with the given profile for
// cost --compare. The configuration's own profile is its usual assembly
// (cdk.out/<env>, reused when current, as synth, check and deploy share it).
// The other profile goes to cdk.out/cost-<env>-<profile>, reused when
// current too, and written without copying the assets into it: it is only
// priced, never deployed, so the Docker build context is not copied again.
func (o *options) compareAssembly(src *config.Source, cfg *config.Config, profile string) (*synth.Result, error) {
	if effectiveProfile(cfg.Profile) == profile {
		return o.synthesize(src, cfg, "", false)
	}
	variant := *cfg
	variant.Profile = profile
	label := o.env
	if label == "" {
		label = "default"
	}
	out := filepath.Join(filepath.Dir(src.Path), "cdk.out", "cost-"+label+"-"+profile)
	return o.runSynth(synth.Request{Config: &variant, ConfigFile: src.Path, Env: o.env, Outdir: out, Unstaged: true})
}

// effectiveProfile is the profile a configuration's value stands for
// (unset is the construct's default).
func effectiveProfile(profile string) string {
	return string(djangocdk.DjangoEcsProps{Profile: djangocdk.Profile(profile)}.WithDefaults().Profile)
}

func costJSON(e *cost.Estimate) map[string]any {
	return map[string]any{
		"region":          e.Region,
		"monthly_usd":     e.Total(),
		"items":           e.Items,
		"unpriced":        append([]string{}, e.Unpriced...),
		"prices_as_of":    e.Table.AsOf,
		"source":          e.Table.Source,
		"assumptions":     e.Table.Assumptions,
		"hours_per_month": e.Table.HoursPerMonth,
	}
}
