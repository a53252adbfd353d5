package propsdoc

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestDocIsCurrent(t *testing.T) {
	src, err := os.ReadFile(filepath.Join("..", "..", Source))
	if err != nil {
		t.Fatal(err)
	}
	want, err := Render(src)
	if err != nil {
		t.Fatal(err)
	}
	got, err := os.ReadFile(filepath.Join("..", "..", Path))
	if err != nil {
		t.Fatal(err)
	}
	if string(got) != want {
		t.Fatalf("%s is out of date: run go run ./internal/tools/gendocs", Path)
	}
	for _, section := range []string{"## DjangoEcsProps", "## WebProps", "## NetworkProps", "| `ProjectPath` |"} {
		if !strings.Contains(want, section) {
			t.Errorf("reference lacks %q", section)
		}
	}
}
