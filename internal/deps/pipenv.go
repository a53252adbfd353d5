package deps

import (
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"slices"

	"github.com/BurntSushi/toml"
)

// detectPipenv plans installing the Pipfile's [packages] (never
// [dev-packages]) from Pipfile.lock, exported as a requirements file.
func detectPipenv(projectDir string) (*Plan, error) {
	var pipfile struct {
		Packages map[string]any `toml:"packages"`
	}
	data, err := os.ReadFile(filepath.Join(projectDir, "Pipfile"))
	if err != nil {
		return nil, err
	}
	if _, err := toml.Decode(string(data), &pipfile); err != nil {
		return nil, fmt.Errorf("Pipfile: %w", err)
	}
	p := &Plan{
		Manager:        ManagerPipenv,
		Files:          []string{"Pipfile"},
		Declared:       map[string]string{},
		InstallCommand: []string{"pipenv requirements > /tmp/requirements.txt", "pip install -r /tmp/requirements.txt"},
		From:           "Pipfile.lock [default]",
	}
	for _, name := range slices.Sorted(maps.Keys(pipfile.Packages)) {
		spec, _ := poetrySpec(name, pipfile.Packages[name])
		p.Declared[Normalize(name)] = spec
	}
	if exists(projectDir, "Pipfile.lock") {
		p.Files = append(p.Files, "Pipfile.lock")
	} else {
		p.From = "Pipfile [packages] (no Pipfile.lock)"
		p.Warnings = append(p.Warnings, "no Pipfile.lock: the image installs from the lock file; run pipenv lock")
	}
	return p, nil
}
