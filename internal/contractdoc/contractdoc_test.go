package contractdoc

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/djangocdk/djangocdk"
)

// TestDocIsCurrent fails when docs/contract.md differs from contract.go.
func TestDocIsCurrent(t *testing.T) {
	got, err := os.ReadFile(filepath.Join("..", "..", Path))
	if err != nil {
		t.Fatal(err)
	}
	if string(got) != Render() {
		t.Fatalf("%s is out of date: run go run ./internal/tools/gendocs", Path)
	}
}

func TestEveryVariableIsDocumented(t *testing.T) {
	doc := Render()
	for _, v := range djangocdk.Contract {
		if !strings.Contains(doc, "| `"+v.Name+"` |") {
			t.Errorf("%s missing from the table", v.Name)
		}
	}
}
