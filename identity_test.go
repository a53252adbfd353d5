package djangocdk_test

import (
	"encoding/json"
	"flag"
	"path/filepath"
	"testing"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/djangocdk/djangocdk"
	"github.com/djangocdk/djangocdk/internal/snapshot"
)

var update = flag.Bool("update", false, "record the templates of TestTemplateIdentity in testdata/templates")

// TestTemplateIdentity guards the construct IDs and properties of every
// resource: the default and the full configuration must synthesize the
// recorded templates (metadata and asset hashes aside). A change here moves
// or replaces resources in deployed stacks; record it with -update only on
// purpose, and say so in the commit.
func TestTemplateIdentity(t *testing.T) {
	for name, configure := range map[string]func(awscdk.Stack) *djangocdk.DjangoEcsProps{
		"default": func(awscdk.Stack) *djangocdk.DjangoEcsProps { return baseProps() },
		"full":    fullProps,
	} {
		t.Run(name, func(t *testing.T) {
			s := synth(t, configure)
			body, err := json.Marshal(map[string]any(s.tpl))
			if err != nil {
				t.Fatal(err)
			}
			if err := snapshot.Compare(filepath.Join("testdata", "templates", name+".json"), body, *update); err != nil {
				t.Error(err)
			}
		})
	}
}
