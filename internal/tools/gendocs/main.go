// Command gendocs regenerates the generated documents from their sources
// (run from the repository root): docs/contract.md from contract.go,
// docs/config.md from the configuration schema and docs/props.md from props.go and the building blocks' props files.
package main

import (
	"fmt"
	"os"

	"github.com/djangocdk/djangocdk/internal/config"
	"github.com/djangocdk/djangocdk/internal/contractdoc"
	"github.com/djangocdk/djangocdk/internal/propsdoc"
)

func main() {
	if err := run(); err != nil {
		fmt.Fprintln(os.Stderr, "gendocs:", err)
		os.Exit(1)
	}
}

func run() error {
	if err := os.WriteFile(contractdoc.Path, []byte(contractdoc.Render()), 0o644); err != nil {
		return fmt.Errorf("write %s: %w", contractdoc.Path, err)
	}
	if err := os.WriteFile(config.DocPath, []byte(config.RenderDoc()), 0o644); err != nil {
		return fmt.Errorf("write %s: %w", config.DocPath, err)
	}
	var srcs [][]byte
	for _, name := range propsdoc.Sources {
		src, err := os.ReadFile(name)
		if err != nil {
			return fmt.Errorf("read %s: %w", name, err)
		}
		srcs = append(srcs, src)
	}
	doc, err := propsdoc.Render(srcs...)
	if err != nil {
		return err
	}
	if err := os.WriteFile(propsdoc.Path, []byte(doc), 0o644); err != nil {
		return fmt.Errorf("write %s: %w", propsdoc.Path, err)
	}
	return nil
}
