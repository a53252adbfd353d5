package cli

import (
	"fmt"
	"os"
	"path/filepath"

	"github.com/djangocdk/djangocdk/internal/assembly"
	"github.com/djangocdk/djangocdk/internal/config"
	"github.com/djangocdk/djangocdk/internal/deploy"
	"github.com/djangocdk/djangocdk/internal/synth"
)

// warnStatic compares the templates in before (by stack name) with the
// assembly in outdir and prints the stateful resources that would be
// replaced or removed. against names what before is.
func (o *options) warnStatic(before map[string][]byte, outdir, against string) {
	templates, err := assembly.Templates(outdir)
	if err != nil {
		fmt.Fprintf(o.stderr, "warning: could not check for data loss: %v\n", err)
		return
	}
	var risks []deploy.Risk
	for _, t := range templates {
		old, ok := before[t.Stack]
		if !ok {
			continue
		}
		paths, _ := assembly.LogicalPaths(outdir, t.Stack)
		found, err := deploy.StaticRisks(t.Stack, old, t.Body, paths)
		if err != nil {
			fmt.Fprintf(o.stderr, "warning: could not check %s for data loss: %v\n", t.Stack, err)
			continue
		}
		risks = append(risks, found...)
	}
	deploy.WriteStaticWarning(o.stderr, risks, against)
}

// warnAgainstPrevious synthesizes cfg into a temporary directory and
// compares it with the previous assembly of the environment (cdk.out/<env>),
// if there is one. validate uses it: it cannot see the deployed stacks.
// When that assembly was made from the same inputs, the templates are the
// same and nothing is synthesized (the jsii runtime does not start); the
// temporary assembly leaves the assets where they are (nothing is copied).
func (o *options) warnAgainstPrevious(src *config.Source, cfg *config.Config, env string) {
	prev := outdir(src.Path, env)
	if same, err := synth.Current(synth.Request{Config: cfg, ConfigFile: src.Path, Env: env, Outdir: prev, Unstaged: true}); err == nil && same {
		return // unchanged since the previous synth: same templates
	}
	templates, err := assembly.Templates(prev)
	if err != nil {
		return // no previous synth: nothing to compare with
	}
	before := map[string][]byte{}
	for _, t := range templates {
		before[t.Stack] = t.Body
	}
	tmp, err := os.MkdirTemp("", "djangocdk-validate-")
	if err != nil {
		fmt.Fprintf(o.stderr, "warning: could not check for data loss: %v\n", err)
		return
	}
	defer os.RemoveAll(tmp)
	out := filepath.Join(tmp, "cdk.out")
	if _, err := o.runSynth(synth.Request{Config: cfg, ConfigFile: src.Path, Env: env, Outdir: out, Force: true, Unstaged: true}); err != nil {
		fmt.Fprintf(o.stderr, "warning: could not synthesize to check for data loss: %v\n", err)
		return
	}
	o.warnStatic(before, out, "previous synth in "+prev+" (not necessarily what is deployed)")
}
