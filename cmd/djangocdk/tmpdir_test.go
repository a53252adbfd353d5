package main_test

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// TestNothingLeftInTmpdir: whatever a run does — print help, fail on bad
// input, synthesize, reuse an assembly, be interrupted in the middle of a
// synth — it leaves nothing in $TMPDIR (the jsii runtime is extracted there
// at package init, before main, for every command).
func TestNothingLeftInTmpdir(t *testing.T) {
	bin, dir := binary(t), sampleWithoutConfig(t)
	if _, errOut, code := run(t, bin, dir, "init"); code != 0 {
		t.Fatalf("init: exit %d\n%s", code, errOut)
	}
	tmp := t.TempDir()
	t.Setenv("TMPDIR", tmp)
	out := filepath.Join(t.TempDir(), "cdk.out")
	left := func(what string) {
		t.Helper()
		entries, err := os.ReadDir(tmp)
		if err != nil {
			t.Fatal(err)
		}
		for _, e := range entries {
			t.Errorf("%s left %s in TMPDIR", what, e.Name())
			os.RemoveAll(filepath.Join(tmp, e.Name()))
		}
	}
	for _, args := range [][]string{
		{"--help"},
		{"validate"},
		{"synth", "--bogus"},
		{"-C", filepath.Join(dir, "missing"), "synth"},
		{"synth", "--out", out},
		{"synth", "--out", out},
	} {
		run(t, bin, dir, args...)
		left(strings.Join(args, " "))
	}
	// A synth stopped by SIGINT once Node.js runs.
	cmd := exec.Command(bin, "synth", "--force", "--out", out)
	cmd.Dir = dir
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(20 * time.Second)
	for time.Now().Before(deadline) && !hasEntry(tmp, "djangocdk-jsii-") {
		time.Sleep(10 * time.Millisecond)
	}
	time.Sleep(300 * time.Millisecond)
	cmd.Process.Signal(syscall.SIGINT)
	err := cmd.Wait()
	if ee, ok := err.(*exec.ExitError); ok && ee.ExitCode() != 130 {
		t.Errorf("interrupted synth: exit %d, want 130", ee.ExitCode())
	}
	left("an interrupted synth")
}

func hasEntry(dir, prefix string) bool {
	entries, _ := os.ReadDir(dir)
	for _, e := range entries {
		if strings.HasPrefix(e.Name(), prefix) {
			return true
		}
	}
	return false
}
