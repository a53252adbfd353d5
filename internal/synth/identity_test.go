package synth_test

import (
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
		}
	}
}
