package deps

import (
	"encoding/json"
	"os"
	"path/filepath"
	"slices"

	"github.com/BurntSushi/toml"
)

// lockFiles are the lock files the image installs from, by manager.
var lockFiles = map[string]string{ManagerUV: "uv.lock", ManagerPoetry: "poetry.lock", ManagerPipenv: "Pipfile.lock"}

// LockMissing returns the manager's lock file and the declared runtime
// requirements it does not pin: the image installs from the lock, so a
// requirement added to pyproject.toml or the Pipfile without locking again
// would be missing from the image (uv sync --locked and poetry install fail
// the build; pipenv's export would silently leave it out). No lock file, or
// a manager without one, gives "", nil.
func (p *Plan) LockMissing(projectDir string) (string, []string) {
	name, ok := lockFiles[p.Manager]
	if !ok {
		return "", nil
	}
	data, err := os.ReadFile(filepath.Join(projectDir, name))
	if err != nil {
		return "", nil
	}
	locked := map[string]bool{}
	if p.Manager == ManagerPipenv {
		var lock struct {
			Default map[string]json.RawMessage `json:"default"`
		}
		if json.Unmarshal(data, &lock) != nil {
			return name, nil
		}
		for n := range lock.Default {
			locked[Normalize(n)] = true
		}
	} else {
		var lock struct {
			Package []struct {
				Name string `toml:"name"`
			} `toml:"package"`
		}
		if _, err := toml.Decode(string(data), &lock); err != nil {
			return name, nil
		}
		for _, pkg := range lock.Package {
			locked[Normalize(pkg.Name)] = true
		}
	}
	var missing []string
	for n := range p.Declared {
		if !locked[n] {
			missing = append(missing, n)
		}
	}
	slices.Sort(missing)
	return name, missing
}
