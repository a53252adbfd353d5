// Command gendocs regenerates docs/contract.md from contract.go:
// go run ./internal/tools/gendocs (from the repository root).
package main

import (
	"fmt"
	"os"

	"github.com/djangocdk/djangocdk/internal/contractdoc"
)

func main() {
	if err := os.WriteFile(contractdoc.Path, []byte(contractdoc.Render()), 0o644); err != nil {
		fmt.Fprintln(os.Stderr, "gendocs:", err)
		os.Exit(1)
	}
}
