package main_test

import (
	"os/exec"
	"path/filepath"
	"testing"
)

// BenchmarkCLI times the binary as a user runs it on the sample project
// (process start to exit): a synth that has to synthesize (--force), a synth
// with nothing changed (reuses the assembly), and validate.
func BenchmarkCLI(b *testing.B) {
	bin := binary(b)
	project := filepath.Join("..", "..", "examples", "mysite")
	out := filepath.Join(b.TempDir(), "cdk.out")
	for _, c := range []struct {
		name string
		args []string
	}{
		{"synth-cold", []string{"synth", "--force", "--out", out}},
		{"synth-unchanged", []string{"synth", "--out", out}},
		{"validate", []string{"validate"}},
	} {
		b.Run(c.name, func(b *testing.B) {
			for range b.N {
				cmd := exec.Command(bin, c.args...)
				cmd.Dir = project
				if output, err := cmd.CombinedOutput(); err != nil {
					b.Fatalf("%v: %v\n%s", c.args, err, output)
				}
			}
		})
	}
}
