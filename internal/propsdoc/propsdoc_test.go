package propsdoc

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestDocIsCurrent(t *testing.T) {
	var srcs [][]byte
	for _, name := range Sources {
		src, err := os.ReadFile(filepath.Join("..", "..", name))
		if err != nil {
			t.Fatal(err)
		}
		srcs = append(srcs, src)
	}
	want, err := Render(srcs...)
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
	for _, section := range []string{"## DjangoEcsProps", "## WebProps", "## NetworkProps", "| `ProjectPath` |", "## AlarmsProps", "| `ErrorRatePercent` |"} {
		if !strings.Contains(want, section) {
			t.Errorf("reference lacks %q", section)
		}
	}
}
