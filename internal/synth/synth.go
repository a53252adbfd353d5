// Package synth builds the DjangoEcs app described by a configuration and
// writes its cloud assembly, skipping the work when neither the
// configuration nor the project's files changed since the last synth.
package synth

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"unicode"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/jsii-runtime-go"
	"github.com/djangocdk/djangocdk"
	"github.com/djangocdk/djangocdk/internal/config"
	"github.com/djangocdk/djangocdk/targets/ecs"
)

// stampFile records, inside the assembly, what it was synthesized from.
const stampFile = "djangocdk-synth.json"

// Request says what to synthesize.
type Request struct {
	// Config is the loaded configuration (environment already merged).
	Config *config.Config
	// ConfigFile is the file it came from (locates project_dir).
	ConfigFile string
	// Env is the environment name, "" for the base configuration.
	Env string
	// Outdir receives the cloud assembly.
	Outdir string
	// Force synthesizes even when the assembly is current.
	Force bool
	// Validate runs the CDK's built-in CloudFormation validation of the
	// templates during the synth (CDK_VALIDATION for the jsii runtime). An
	// assembly written without it never satisfies a request with it; one
	// written with it satisfies both.
	Validate bool
	// Unstaged leaves the assets (the Docker build context, Lambda code)
	// where they are instead of copying them into Outdir: for assemblies
	// that are only read (pricing, comparing templates), never deployed.
	// An unstaged assembly never satisfies a request without Unstaged.
	Unstaged bool
}

// Result describes a written assembly.
type Result struct {
	// Outdir holds the assembly.
	Outdir string
	// Stacks are the stack names in deployment order: the us-east-1
	// certificate stack when there is one, then data, then the app.
	Stacks []string
	// Cached is true when the existing assembly was current and reused.
	Cached bool
	// Validated is true when the CDK's CloudFormation validation ran on the
	// assembly (in this synth, or in the one that wrote the reused assembly).
	Validated bool
	// Phases are the timings of this synth's steps (empty when cached).
	Phases []Phase
}

// Phase is the wall time of one step of a synth.
type Phase struct {
	Name    string  `json:"name"`
	Seconds float64 `json:"seconds"`
}

// StackNames returns the data and app stack names for an app and environment:
// "my-site" with env "staging" gives MySiteStagingData and MySiteStagingApp.
func StackNames(app, env string) (data, compute string) {
	base := camel(app) + camel(env)
	return base + "Data", base + "App"
}

// ConstructID is the id of the DjangoEcs construct (the prefix of logical IDs).
func ConstructID(app string) string { return camel(app) }

func camel(s string) string {
	var b strings.Builder
	upper := true
	for _, r := range s {
		if r == '-' || r == '_' || r == '.' {
			upper = true
			continue
		}
		if upper {
			r = unicode.ToUpper(r)
			upper = false
		}
		b.WriteRune(r)
	}
	return b.String()
}

// Run synthesizes the request's assembly, or reuses the one in Outdir when
// it was made from the same configuration, environment, project files (the
// Docker build context as .dockerignore defines it) and djangocdk build,
// with validation when the request asks for it.
func Run(req Request) (*Result, error) {
	data, compute := StackNames(req.Config.App, req.Env)
	res := &Result{Outdir: req.Outdir, Stacks: []string{data, compute}}
	if NeedsCertificateStack(req.Config) {
		res.Stacks = append([]string{CertificateStackName(req.Config.App, req.Env)}, res.Stacks...)
	}
	clock := newClock()
	key, err := fingerprint(req)
	if err != nil {
		return nil, fmt.Errorf("fingerprint project: %w", err)
	}
	clock.lap("fingerprint (config, project files)")
	if !req.Force {
		if st, ok := readStamp(req.Outdir); ok && st.satisfies(req, key) {
			res.Cached, res.Validated = true, st.Validated
			return res, nil
		}
	}
	if err := build(req, data, compute, clock); err != nil {
		return nil, err
	}
	st := stamp{Key: key, Validated: req.Validate, Staged: !req.Unstaged}
	raw, _ := json.Marshal(st)
	if err := os.WriteFile(filepath.Join(req.Outdir, stampFile), raw, 0o644); err != nil {
		return nil, fmt.Errorf("write synth stamp: %w", err)
	}
	res.Validated = req.Validate
	res.Phases = clock.phases
	return res, nil
}

// Current reports whether the assembly in req.Outdir was made from the
// same inputs as req would be (Force aside): a synth would reuse it.
func Current(req Request) (bool, error) {
	key, err := fingerprint(req)
	if err != nil {
		return false, err
	}
	st, ok := readStamp(req.Outdir)
	return ok && st.satisfies(req, key), nil
}

// stamp is what an assembly was synthesized from (stampFile).
type stamp struct {
	// Key is the fingerprint of the inputs.
	Key string `json:"key"`
	// Validated: the CDK's CloudFormation validation ran.
	Validated bool `json:"validated"`
	// Staged: the assets were copied into the assembly.
	Staged bool `json:"staged"`
}

// satisfies reports whether an assembly stamped st serves req: same
// inputs, validated if req asks for validation, staged unless req accepts
// an unstaged one.
func (st stamp) satisfies(req Request, key string) bool {
	return st.Key == key && (st.Validated || !req.Validate) && (st.Staged || req.Unstaged)
}

// readStamp reads the stamp of the assembly in outdir; ok is false when
// there is none or no manifest beside it.
func readStamp(outdir string) (stamp, bool) {
	var st stamp
	raw, err := os.ReadFile(filepath.Join(outdir, stampFile))
	if err != nil || json.Unmarshal(raw, &st) != nil || st.Key == "" {
		return stamp{}, false
	}
	if _, err := os.Stat(filepath.Join(outdir, "manifest.json")); err != nil {
		return stamp{}, false
	}
	return st, true
}

// disableAssetStaging is the CDK context key (cx-api
// DISABLE_ASSET_STAGING_CONTEXT) that leaves assets at their source path.
const disableAssetStaging = "aws:cdk:disable-asset-staging"

// build runs the CDK app in this process.
func build(req Request, dataName, computeName string, clock *clock) (err error) {
	defer func() {
		// NewDjangoEcs panics on invalid props; config.Load checks them
		// first, so this only reports what slipped through.
		if r := recover(); r != nil {
			err = fmt.Errorf("synthesize: %v", r)
		}
	}()
	if err := os.RemoveAll(req.Outdir); err != nil {
		return fmt.Errorf("clear %s: %w", req.Outdir, err)
	}
	restarted, restoreTmp, err := prepareRuntime(req.Validate)
	if err != nil {
		return err
	}
	// Everything the synth writes to the temporary directory (the runtime,
	// Node.js's package cache, the release handler's source) goes to this
	// process's own one, removed by Close.
	defer restoreTmp()
	if restarted {
		clock.lap("restart the jsii runtime (CDK_VALIDATION changed)")
	}
	started.Store(true)
	cfg := req.Config
	// The CLI runs no cdk-nag: skip the suppressions' metadata.
	context := map[string]any{ecs.NoNagContext: true}
	if req.Unstaged {
		context[disableAssetStaging] = true
	}
	appProps := &awscdk.AppProps{Outdir: jsii.String(req.Outdir), Context: &context}
	app := awscdk.NewApp(appProps)
	clock.lap("start the jsii runtime, load aws-cdk-lib (first call: NewApp)")
	env := &awscdk.Environment{Region: jsii.String(cfg.Region)}
	if cfg.Account != "" {
		env.Account = jsii.String(cfg.Account)
	}
	label := cfg.App
	if req.Env != "" {
		label += " (" + req.Env + ")"
	}
	data := awscdk.NewStack(app, jsii.String(dataName), &awscdk.StackProps{
		Env:                   env,
		Description:           jsii.String(label + ": network, database, cache, storage, secrets and the site's edge (stateful)"),
		CrossRegionReferences: jsii.Bool(NeedsCertificateStack(cfg)),
	})
	compute := awscdk.NewStack(app, jsii.String(computeName), &awscdk.StackProps{
		Env:         env,
		Description: jsii.String(label + ": Django on ECS Fargate (stateless)"),
	})
	props := cfg.Props(compute, req.ConfigFile)
	props.StatefulScope = data
	if NeedsCertificateStack(cfg) {
		props.Domain.Certificate = certificateStack(app, cfg, req.Env, label)
	}
	// The target turns the app into resources; config.Load accepts only
	// the targets built here.
	switch cfg.Target {
	case "", "ecs":
		djangocdk.NewDjangoEcs(compute, ConstructID(cfg.App), props)
	default:
		return fmt.Errorf("synthesize: target %q is not built", cfg.Target)
	}
	clock.lap("build the constructs (NewDjangoEcs)")
	app.Synth(nil)
	if req.Validate {
		clock.lap("app.Synth: prepare, validate, stage assets, write templates")
	} else {
		clock.lap("app.Synth: prepare, stage assets, write templates")
	}
	return nil
}
