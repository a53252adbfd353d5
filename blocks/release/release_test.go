package release

import (
	"os"
	"path/filepath"
	"testing"
)

func TestReleaseHandlerDirIsStableAndComplete(t *testing.T) {
	a, err := releaseHandlerDir()
	if err != nil {
		t.Fatal(err)
	}
	b, err := releaseHandlerDir()
	if err != nil || a != b {
		t.Fatalf("directory changed between calls: %q %q %v", a, b, err)
	}
	got, err := os.ReadFile(filepath.Join(a, "index.py"))
	if err != nil || string(got) != string(releaseHandlerSource) {
		t.Fatalf("handler file differs from the embedded source (%v)", err)
	}
	entries, _ := os.ReadDir(a)
	if len(entries) != 1 {
		t.Errorf("stray files beside the handler: %v", entries)
	}
}
