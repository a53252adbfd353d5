package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"testing"
)

// BenchmarkExampleSynth measures what a user waits for: one synth of the
// example app as a process (Node start, jsii load, construct tree, asset
// fingerprint, template output), with CDK's built-in CloudFormation
// validation off and on. Run: scripts/bench.sh
func BenchmarkExampleSynth(b *testing.B) {
	bin := filepath.Join(b.TempDir(), "example")
	if out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput(); err != nil {
		b.Fatalf("build example: %v\n%s", err, out)
	}
	for _, validation := range []string{"false", "true"} {
		b.Run("validation="+validation, func(b *testing.B) {
			out := b.TempDir()
			for i := 0; i < b.N; i++ {
				cmd := exec.Command(bin)
				cmd.Env = append(os.Environ(), "CDK_VALIDATION="+validation, "CDK_OUTDIR="+out)
				if msg, err := cmd.CombinedOutput(); err != nil {
					b.Fatalf("synth: %v\n%s", err, msg)
				}
			}
		})
	}
}
