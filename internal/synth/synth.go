// Package synth builds the DjangoEcs app described by a configuration and
// writes its cloud assembly, skipping the work when neither the
// configuration nor the project's files changed since the last synth.
package synth

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"runtime/debug"
	"slices"
	"strings"
	"sync/atomic"
	"unicode"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/jsii-runtime-go"
	"github.com/djangocdk/djangocdk"
	"github.com/djangocdk/djangocdk/internal/config"
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
// it was made from the same configuration, environment, project files and
// djangocdk build.
func Run(req Request) (*Result, error) {
	data, compute := StackNames(req.Config.App, req.Env)
	res := &Result{Outdir: req.Outdir, Stacks: []string{data, compute}}
	if NeedsCertificateStack(req.Config) {
		res.Stacks = append([]string{CertificateStackName(req.Config.App, req.Env)}, res.Stacks...)
	}
	key, err := fingerprint(req)
	if err != nil {
		return nil, fmt.Errorf("fingerprint project: %w", err)
	}
	if !req.Force && current(req.Outdir, key) {
		res.Cached = true
		return res, nil
	}
	if err := build(req, data, compute); err != nil {
		return nil, err
	}
	stamp, _ := json.Marshal(map[string]string{"key": key})
	if err := os.WriteFile(filepath.Join(req.Outdir, stampFile), stamp, 0o644); err != nil {
		return nil, fmt.Errorf("write synth stamp: %w", err)
	}
	return res, nil
}

// started records that this process started the jsii runtime.
var started atomic.Bool

// RuntimeStarted reports whether a synth in this process started the jsii
// runtime (which then needs jsii.Close before exit).
func RuntimeStarted() bool { return started.Load() }

// build runs the CDK app in this process.
func build(req Request, dataName, computeName string) (err error) {
	started.Store(true)
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
	cfg := req.Config
	app := awscdk.NewApp(&awscdk.AppProps{Outdir: jsii.String(req.Outdir)})
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
	djangocdk.NewDjangoEcs(compute, ConstructID(cfg.App), props)
	app.Synth(nil)
	return nil
}

func current(outdir, key string) bool {
	raw, err := os.ReadFile(filepath.Join(outdir, stampFile))
	if err != nil {
		return false
	}
	var stamp map[string]string
	if json.Unmarshal(raw, &stamp) != nil || stamp["key"] != key {
		return false
	}
	_, err = os.Stat(filepath.Join(outdir, "manifest.json"))
	return err == nil
}

// skipDirs are never part of the fingerprint (and never part of an image).
var skipDirs = []string{".git", ".venv", "venv", "node_modules", "__pycache__", ".pytest_cache", ".ruff_cache", ".mypy_cache"}

// fingerprint hashes what a synth depends on: the djangocdk build, the
// merged configuration, the environment name, and every file of the project
// directory (paths and contents) outside the output directory.
func fingerprint(req Request) (string, error) {
	h := sha256.New()
	if info, ok := debug.ReadBuildInfo(); ok {
		fmt.Fprintln(h, info.Main.Version, info.Main.Sum)
		for _, s := range info.Settings {
			if s.Key == "vcs.revision" || s.Key == "vcs.modified" {
				fmt.Fprintln(h, s.Key, s.Value)
			}
		}
	}
	if exe, err := os.Executable(); err == nil {
		if st, err := os.Stat(exe); err == nil {
			fmt.Fprintln(h, st.ModTime().UnixNano(), st.Size()) // a rebuilt binary resynthesizes
		}
	}
	cfg, _ := json.Marshal(req.Config)
	fmt.Fprintf(h, "%s\n%s\n", cfg, req.Env)
	root := req.Config.ProjectPath(req.ConfigFile)
	out, _ := filepath.Abs(req.Outdir)
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if abs, _ := filepath.Abs(path); abs == out || (d.IsDir() && slices.Contains(skipDirs, d.Name())) ||
			(d.IsDir() && strings.HasPrefix(d.Name(), "cdk.out")) {
			return filepath.SkipDir
		}
		if !d.Type().IsRegular() {
			return nil
		}
		rel, _ := filepath.Rel(root, path)
		fmt.Fprintf(h, "%s\x00", rel)
		f, err := os.Open(path)
		if err != nil {
			return err
		}
		defer f.Close()
		_, err = io.Copy(h, f)
		return err
	})
	if errors.Is(err, fs.ErrNotExist) {
		return "", fmt.Errorf("project directory %s does not exist", root)
	}
	if err != nil {
		return "", err
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}
