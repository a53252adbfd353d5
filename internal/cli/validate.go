package cli

import (
	"errors"
	"fmt"
	"strings"

	"github.com/djangocdk/djangocdk/internal/config"
	"github.com/spf13/cobra"
)

func newValidate(o *options) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "validate",
		Short: "Check the configuration and every environment in it, reporting all problems at once",
		Long: `Check the configuration without synthesizing anything: unknown keys (with
suggestions), wrong types, values outside what is allowed, and what the
DjangoEcs construct would reject. The base configuration and every
[environments.NAME] table merged over it are checked, or only --env.

When an environment has a previous synth (cdk.out/<env>), validate also
synthesizes the configuration and warns when a stateful resource (database,
cache, bucket, secret, queue) would be replaced or removed compared with it,
e.g. after editing database.name. That is a reading of the templates; the
check that decides is deploy's, on CloudFormation's change set.`,
		Example: `  djangocdk validate
  djangocdk validate --env production --json`,
		Args: cobra.NoArgs,
		RunE: func(*cobra.Command, []string) error {
			o.decideValidation("validate")
			return o.validate()
		},
	}
	addValidationFlag(cmd, o)
	cmd.Flags().StringVar(&o.env, "env", "", "check only this environment")
	cmd.Flags().BoolVar(&o.json, "json", false, "print the result as JSON")
	return cmd
}

type validateResult struct {
	File         string           `json:"file"`
	Environments []string         `json:"environments"`
	Valid        bool             `json:"valid"`
	Problems     []config.Problem `json:"problems"`
}

func (o *options) validate() error {
	src, err := config.Find(o.dir)
	if err != nil {
		return invalid(err)
	}
	envs := append([]string{""}, src.Environments()...)
	if o.env != "" {
		envs = []string{o.env}
	}
	res := validateResult{File: src.Path, Environments: src.Environments(), Problems: []config.Problem{}}
	seen := map[string]bool{}
	for _, env := range envs {
		cfg, err := src.Load(env)
		if err == nil {
			o.warnAgainstPrevious(src, cfg, env)
		}
		var ce *config.Error
		switch {
		case errors.As(err, &ce):
			for _, p := range ce.Problems {
				key := p.String()
				if seen[key] {
					continue // already reported for the base or another environment
				}
				seen[key] = true
				if env != "" {
					p.Message += fmt.Sprintf(" (with environment %q merged)", env)
				}
				res.Problems = append(res.Problems, p)
			}
		case err != nil:
			return err
		}
	}
	res.Valid = len(res.Problems) == 0
	if o.json {
		if err := o.printJSON(res); err != nil {
			return err
		}
	} else if res.Valid {
		fmt.Fprintf(o.stdout, "%s: valid (environments: %s)\n", src.Path, listOrNone(res.Environments))
	} else {
		for _, p := range res.Problems {
			fmt.Fprintln(o.stdout, p.String())
		}
	}
	if !res.Valid {
		return invalid(fmt.Errorf("%s: %d problem(s)", src.Path, len(res.Problems)))
	}
	return nil
}

func listOrNone(items []string) string {
	if len(items) == 0 {
		return "none"
	}
	return strings.Join(items, ", ")
}
