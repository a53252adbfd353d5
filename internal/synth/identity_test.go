package synth_test

import (
	"bytes"
	"flag"
	"path/filepath"
	"testing"

	"github.com/djangocdk/djangocdk/internal/assembly"
	"github.com/djangocdk/djangocdk/internal/config"
	"github.com/djangocdk/djangocdk/internal/snapshot"
	"github.com/djangocdk/djangocdk/internal/synth"
)

var update = flag.Bool("update", false, "record the templates of TestSampleTemplateIdentity in testdata/templates")

// TestSampleTemplateIdentity: the sample project, synthesized by the CLI's
// path as starter and production, gives the recorded templates (metadata and
// asset hashes aside): no resource moves unless a commit records it on purpose.
func TestSampleTemplateIdentity(t *testing.T) {
	src, err := config.Find(filepath.Join("..", "..", "examples", "mysite"))
	if err != nil {
		t.Fatal(err)
	}
	seen := map[string]bool{}
	for _, env := range []string{"", "production"} {
		cfg, err := src.Load(env)
		if err != nil {
			t.Fatal(err)
		}
		out := t.TempDir()
		if _, err := synth.Run(synth.Request{Config: cfg, ConfigFile: src.Path, Env: env, Outdir: out, Force: true}); err != nil {
			t.Fatal(err)
		}
		templates, err := assembly.Templates(out)
		if err != nil {
			t.Fatal(err)
		}
		for _, tpl := range templates {
			file := filepath.Join("testdata", "templates", tpl.Stack+".json")
			if err := snapshot.Compare(file, tpl.Body, *update); err != nil {
				t.Error(err)
			}
			seen[tpl.Stack+".json"] = true
			// The CLI runs no cdk-nag: its templates carry no suppression metadata.
			if bytes.Contains(tpl.Body, []byte("cdk_nag")) {
				t.Errorf("%s: cdk-nag suppressions in a template the CLI synthesized", tpl.Stack)
			}
		}
	}
	recorded, _ := filepath.Glob(filepath.Join("testdata", "templates", "*.json"))
	for _, file := range recorded {
		if !seen[filepath.Base(file)] {
			t.Errorf("%s is recorded but no stack of that name was synthesized", file)
		}
	}
}
