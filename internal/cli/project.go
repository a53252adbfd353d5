package cli

import (
	"encoding/json"
	"errors"
	"fmt"
	"path/filepath"

	"github.com/djangocdk/djangocdk"
	"github.com/djangocdk/djangocdk/internal/assembly"
	"github.com/djangocdk/djangocdk/internal/config"
	"github.com/djangocdk/djangocdk/internal/cost"
	"github.com/djangocdk/djangocdk/internal/synth"
)

// load finds and loads the configuration for o.env.
func (o *options) load() (*config.Source, *config.Config, error) {
	src, err := config.Find(o.dir)
	if err != nil {
		if errors.Is(err, config.ErrNotFound) {
			return nil, nil, invalid(fmt.Errorf("%s: %w", o.dir, err))
		}
		return nil, nil, invalid(err)
	}
	cfg, err := src.Load(o.env)
	if err != nil {
		return nil, nil, invalid(err)
	}
	return src, cfg, nil
}

// outdir is where the assembly of an environment goes: cdk.out/<env> next
// to the configuration ("default" for the base configuration).
func outdir(configFile, env string) string {
	if env == "" {
		env = "default"
	}
	return filepath.Join(filepath.Dir(configFile), "cdk.out", env)
}

// synthesize writes (or reuses) the assembly of cfg, validated when the
// command's decision (o.validation) says so.
func (o *options) synthesize(src *config.Source, cfg *config.Config, out string, force bool) (*synth.Result, error) {
	if out == "" {
		out = outdir(src.Path, o.env)
	}
	return o.runSynth(synth.Request{Config: cfg, ConfigFile: src.Path, Env: o.env, Outdir: out, Force: force})
}

// runSynth runs a synth request with o.validation.
func (o *options) runSynth(req synth.Request) (*synth.Result, error) {
	req.Validate = o.validation
	res, err := synth.Run(req)
	if err != nil {
		return nil, fmt.Errorf("synth: %w", err)
	}
	o.printProfile(res)
	return res, nil
}

// estimate prices the assembly in dir.
func estimate(dir, region string) (*cost.Estimate, error) {
	raw, err := assembly.Templates(dir)
	if err != nil {
		return nil, err
	}
	templates, err := cost.FromAssembly(raw)
	if err != nil {
		return nil, err
	}
	table, err := cost.Load()
	if err != nil {
		return nil, err
	}
	return table.EstimateTemplates(region, templates)
}

// siteURL is the URL the site will have.
func siteURL(cfg *config.Config) string {
	if cfg.Domain.Name != "" {
		return "https://" + cfg.Domain.Name
	}
	if cfg.Edge == string(djangocdk.EdgeALBHTTPInsecure) {
		return "http://<load balancer DNS name> (known after deploy; plain HTTP: the alb-http-insecure edge)"
	}
	return "https://<distribution>.cloudfront.net (known after deploy; configure [domain] for your own name)"
}

func (o *options) printJSON(v any) error {
	enc := json.NewEncoder(o.stdout)
	enc.SetIndent("", "  ")
	return enc.Encode(v)
}
