package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/jsii-runtime-go"
)

func TestMain(m *testing.M) {
	os.Setenv("CDK_VALIDATION", "false")
	code := m.Run()
	jsii.Close()
	os.Exit(code)
}

// TestExampleSynthesizes checks the example's cloud assembly: two stacks,
// data separate from compute, written where asked.
func TestExampleSynthesizes(t *testing.T) {
	out := t.TempDir()
	func() {
		defer func() {
			if r := recover(); r != nil {
				t.Fatalf("synth panicked: %v", r)
			}
		}()
		app := awscdk.NewApp(&awscdk.AppProps{Outdir: jsii.String(out)})
		Build(app, projectDir())
		app.Synth(nil)
	}()
	var manifest struct {
		Artifacts map[string]struct {
			Type string `json:"type"`
		} `json:"artifacts"`
	}
	b, err := os.ReadFile(filepath.Join(out, "manifest.json"))
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(b, &manifest); err != nil {
		t.Fatal(err)
	}
	var stacks []string
	for name, a := range manifest.Artifacts {
		if a.Type == "aws:cloudformation:stack" {
			stacks = append(stacks, name)
		}
	}
	slices.Sort(stacks)
	if strings.Join(stacks, ",") != "MySiteApp,MySiteData" {
		t.Errorf("stacks: %v", stacks)
	}
}

func TestOutdirFollowsCDKConvention(t *testing.T) {
	t.Setenv("CDK_OUTDIR", "/tmp/somewhere")
	if outdir() != "/tmp/somewhere" {
		t.Errorf("CDK_OUTDIR ignored: %s", outdir())
	}
	t.Setenv("CDK_OUTDIR", "")
	if outdir() != "cdk.out" {
		t.Errorf("default outdir: %s", outdir())
	}
}
