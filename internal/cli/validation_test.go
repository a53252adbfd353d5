package cli

import (
	"os"
	"testing"

	"github.com/djangocdk/djangocdk/internal/synth"
)

// TestMain closes the jsii runtime the CDK packages' init functions
// extracted into the temporary directory.
func TestMain(m *testing.M) {
	code := m.Run()
	synth.Close()
	os.Exit(code)
}

// TestValidationFor: the CDK's CloudFormation validation runs for diff and
// deploy, not for the commands that only read the templates; --cfn-validate
// forces it; CDK_VALIDATION, when set, decides instead of the default.
func TestValidationFor(t *testing.T) {
	unset := func(string) (string, bool) { return "", false }
	env := func(v string) func(string) (string, bool) {
		return func(name string) (string, bool) {
			if name != synth.EnvValidation {
				t.Fatalf("looked up %s", name)
			}
			return v, true
		}
	}
	cases := []struct {
		command string
		forced  bool
		lookup  func(string) (string, bool)
		want    bool
	}{
		{"synth", false, unset, false},
		{"cost", false, unset, false},
		{"validate", false, unset, false},
		{"check", false, unset, false},
		{"destroy", false, unset, false},
		{"diff", false, unset, true},
		{"deploy", false, unset, true},
		{"synth", true, unset, true},
		{"cost", true, unset, true},
		{"check", true, unset, true},
		{"synth", false, env("true"), true},
		{"synth", false, env("1"), true},
		{"deploy", false, env("false"), false},
		{"deploy", true, env("false"), true},
		{"synth", false, env(""), false},
	}
	for _, c := range cases {
		if got := validationFor(c.command, c.forced, c.lookup); got != c.want {
			t.Errorf("validationFor(%s, forced=%t): %t, want %t", c.command, c.forced, got, c.want)
		}
	}
}

// TestValidationFlag: every command that synthesizes only to read the
// templates has --cfn-validate.
func TestValidationFlag(t *testing.T) {
	root := New(nil, nil, nil)
	for _, name := range []string{"synth", "cost", "validate", "check"} {
		cmd, _, err := root.Find([]string{name})
		if err != nil {
			t.Fatal(err)
		}
		if cmd.Flags().Lookup("cfn-validate") == nil {
			t.Errorf("%s has no --cfn-validate", name)
		}
	}
}

// TestEffectiveProfile: an unset profile is the construct's default.
func TestEffectiveProfile(t *testing.T) {
	for in, want := range map[string]string{"": "starter", "starter": "starter", "production": "production"} {
		if got := effectiveProfile(in); got != want {
			t.Errorf("effectiveProfile(%q) = %q, want %q", in, got, want)
		}
	}
}
