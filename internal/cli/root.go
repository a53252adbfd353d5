// Package cli implements the djangocdk command line: data on stdout,
// diagnostics on stderr, and documented exit codes.
package cli

import (
	"errors"
	"io"
	"strings"

	"github.com/spf13/cobra"
)

// Exit codes.
const (
	// ExitOK means success.
	ExitOK = 0
	// ExitError means the command failed while running (synthesis, I/O, the CDK CLI).
	ExitError = 1
	// ExitInvalid means bad input: flags, arguments or configuration. Nothing was changed.
	ExitInvalid = 2
	// ExitPrecondition means something the command needs is missing (Docker,
	// AWS credentials, CDK bootstrap); the message says how to fix it.
	ExitPrecondition = 3
)

// exitError carries an exit code with an error.
type exitError struct {
	code int
	err  error
}

func (e *exitError) Error() string { return e.err.Error() }
func (e *exitError) Unwrap() error { return e.err }

func invalid(err error) error      { return &exitError{ExitInvalid, err} }
func precondition(err error) error { return &exitError{ExitPrecondition, err} }

// Code returns the exit code for an error returned by Execute.
func Code(err error) int {
	if err == nil {
		return ExitOK
	}
	var e *exitError
	if errors.As(err, &e) {
		return e.code
	}
	return ExitError
}

// options are the flags shared by every command.
type options struct {
	dir   string
	env   string
	json  bool
	allow []string
	// cfnValidate is --cfn-validate; validation is the decision for the
	// running command (see validationFor).
	cfnValidate bool
	validation  bool
	stdin       io.Reader
	stdout      io.Writer
	stderr      io.Writer
}

// New returns the djangocdk root command reading stdin (confirmations) and
// writing to stdout and stderr.
func New(stdin io.Reader, stdout, stderr io.Writer) *cobra.Command {
	o := &options{stdin: stdin, stdout: stdout, stderr: stderr}
	root := &cobra.Command{
		Use:   "djangocdk",
		Short: "Put a Django project on AWS: ECS Fargate, PostgreSQL, Valkey, S3 + CloudFront",
		Long: `djangocdk deploys a Django project to AWS from one configuration (the
[tool.djangocdk] table of pyproject.toml, or djangocdk.toml).

Exit codes:
  0  success
  1  the command failed while running (synthesis, I/O, the AWS CDK CLI)
  2  invalid flags, arguments or configuration (nothing was changed)
  3  a prerequisite is missing (Docker, AWS credentials, CDK bootstrap)`,
		Example: `  djangocdk init                 # inspect the project, write config, Dockerfile, settings helper
  djangocdk validate             # check the configuration
  djangocdk synth --env staging  # write the cloud assembly, summarize it with its cost
  djangocdk cost --compare       # starter vs production
  djangocdk bootstrap            # once per account and region
  djangocdk deploy --env production`,
		SilenceUsage:  true,
		SilenceErrors: true,
	}
	root.SetOut(stdout)
	root.SetErr(stderr)
	root.SetFlagErrorFunc(func(_ *cobra.Command, err error) error { return invalid(err) })
	pf := root.PersistentFlags()
	pf.StringVarP(&o.dir, "dir", "C", ".", "directory of the Django project (where pyproject.toml or djangocdk.toml is)")
	root.AddCommand(
		newValidate(o),
		newCheck(o),
		newSynth(o),
		newCost(o),
		newInit(o),
	)
	root.AddCommand(newCDKCommands(o)...)
	return root
}

// Execute runs the command line and returns the error, if any; main prints
// it to stderr and exits with Code(err).
func Execute(args []string, stdin io.Reader, stdout, stderr io.Writer) error {
	root := New(stdin, stdout, stderr)
	root.SetArgs(args)
	err := root.Execute()
	if err != nil && Code(err) == ExitError {
		var e *exitError
		if !errors.As(err, &e) && isUsageError(err) {
			return invalid(err)
		}
	}
	return err
}

// isUsageError recognizes cobra's argument errors, which it returns
// unwrapped; they start with one of these phrases.
func isUsageError(err error) bool {
	for _, p := range []string{"unknown command", "accepts ", "requires at ", "requires exactly", "unknown flag", "unknown shorthand", "invalid argument"} {
		if strings.HasPrefix(err.Error(), p) {
			return true
		}
	}
	return false
}
