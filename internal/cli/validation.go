package cli

import (
	"fmt"
	"os"

	"github.com/djangocdk/djangocdk/internal/synth"
	"github.com/spf13/cobra"
)

// Where the CDK's built-in CloudFormation validation runs.
//
// aws-cdk-lib validates every template against CloudFormation's resource
// schemas at synth unless CDK_VALIDATION=false; on the sample project that
// multiplies a synth's time by about 4 and its memory by about 3.7, and it
// has found nothing in any of our templates (the construct tests' gate,
// TestCloudFormationValidationGate, runs it with its findings as errors on
// the default and full configurations). So it runs where a template is
// about to reach CloudFormation — diff and deploy — and not where the
// templates are only read: synth, cost, validate, check, destroy.
// --cfn-validate forces it on for any synthesizing command; the CDK's own
// variable, CDK_VALIDATION, when set, decides instead of the per-command
// default (CDK_VALIDATION=false turns it off even for deploy).

// validatingCommands are the commands whose synth validates by default.
var validatingCommands = map[string]bool{"diff": true, "deploy": true}

// validationFor decides whether the synth of command runs the CDK's
// CloudFormation validation: forced (--cfn-validate) wins, then
// CDK_VALIDATION if set (lookup is os.LookupEnv), then the command's
// default.
func validationFor(command string, forced bool, lookup func(string) (string, bool)) bool {
	if forced {
		return true
	}
	if v, ok := lookup(synth.EnvValidation); ok && v != "" {
		return v != "false"
	}
	return validatingCommands[command]
}

// addValidationFlag adds --cfn-validate to a synthesizing command.
func addValidationFlag(cmd *cobra.Command, o *options) {
	cmd.Flags().BoolVar(&o.cfnValidate, "cfn-validate", false,
		"run the CDK's built-in CloudFormation validation of the templates (about 4x slower; on by default only for diff and deploy)")
}

// decideValidation sets o.validation for command.
func (o *options) decideValidation(command string) {
	o.validation = validationFor(command, o.cfnValidate, os.LookupEnv)
}

// printProfile writes a synth's phase timings to stderr when
// DJANGOCDK_PROFILE is set.
func (o *options) printProfile(res *synth.Result) {
	if os.Getenv("DJANGOCDK_PROFILE") == "" {
		return
	}
	if res.Cached {
		fmt.Fprintf(o.stderr, "profile: %s reused (validated: %t)\n", res.Outdir, res.Validated)
	}
	for _, p := range res.Phases {
		fmt.Fprintf(o.stderr, "profile: %s\n", p)
	}
}
