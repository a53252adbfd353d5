package deps

import (
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/BurntSushi/toml"
)

// pyproject is the part of pyproject.toml that declares dependencies.
type pyproject struct {
	found       bool // the file exists
	projectDeps bool // [project] sets dependencies (Poetry 2 reads them instead of [tool.poetry.dependencies])
	Project     struct {
		Name                 string              `toml:"name"`
		Dependencies         []string            `toml:"dependencies"`
		OptionalDependencies map[string][]string `toml:"optional-dependencies"`
		Dynamic              []string            `toml:"dynamic"`
	} `toml:"project"`
	// DependencyGroups are PEP 735 groups: strings and {include-group = "name"} tables.
	DependencyGroups map[string][]any `toml:"dependency-groups"`
	Tool             struct {
		UV     *uvTable       `toml:"uv"`
		Poetry map[string]any `toml:"poetry"`
	} `toml:"tool"`
}

type uvTable struct {
	DevDependencies []string       `toml:"dev-dependencies"`
	DefaultGroups   any            `toml:"default-groups"` // a list of names, or "all"
	Workspace       map[string]any `toml:"workspace"`
	Sources         map[string]any `toml:"sources"`
}

// readPyproject reads projectDir/pyproject.toml; a missing file is no error.
func readPyproject(projectDir string) (pyproject, error) {
	var p pyproject
	data, err := os.ReadFile(filepath.Join(projectDir, "pyproject.toml"))
	if os.IsNotExist(err) {
		return p, nil
	}
	if err != nil {
		return p, err
	}
	md, err := toml.Decode(string(data), &p)
	if err != nil {
		return p, fmt.Errorf("pyproject.toml: %w", err)
	}
	p.found, p.projectDeps = true, md.IsDefined("project", "dependencies")
	return p, nil
}

// groupRequirements returns the PEP 508 requirements of a dependency group,
// following {include-group = "..."} entries.
func (p pyproject) groupRequirements(name string, seen ...string) []string {
	var out []string
	for key, entries := range p.DependencyGroups {
		if Normalize(key) != Normalize(name) || slices.Contains(seen, Normalize(key)) {
			continue
		}
		for _, e := range entries {
			switch v := e.(type) {
			case string:
				out = append(out, v)
			case map[string]any:
				if inc, ok := v["include-group"].(string); ok {
					out = append(out, p.groupRequirements(inc, append(seen, Normalize(key))...)...)
				}
			}
		}
	}
	return out
}

// selfReferences returns the requirements that name the project itself
// (extras including other extras), which pip would look for on PyPI.
func (p pyproject) selfReferences(reqs []string) []string {
	var out []string
	for _, r := range reqs {
		if s, err := ParseSpec(r); err == nil && p.Project.Name != "" && s.Key() == Normalize(p.Project.Name) {
			out = append(out, r)
		}
	}
	return out
}

// detectPEP621 plans a pip install of [project] dependencies and the
// production extras, read from pyproject.toml inside the image (the Django
// project itself is not built as a package).
func detectPEP621(py pyproject) *Plan {
	extras := pick(py.Project.OptionalDependencies, productionExtras)
	p := &Plan{
		Manager: ManagerPEP621,
		Files:   []string{"pyproject.toml"},
		Extras:  extras,
		From:    "pyproject.toml [project] dependencies" + describeList("extra", extras),
	}
	p.Declared = map[string]string{}
	declare(p.Declared, py.Project.Dependencies)
	lists := "p.get('dependencies', [])"
	for _, e := range extras {
		declare(p.Declared, py.Project.OptionalDependencies[e])
		lists += fmt.Sprintf(" + extras['%s']", e)
		if self := py.selfReferences(py.Project.OptionalDependencies[e]); len(self) > 0 {
			p.Warnings = append(p.Warnings, fmt.Sprintf("extra %s includes the project itself (%s), which pip cannot install from PyPI: list the requirements instead", e, strings.Join(self, ", ")))
		}
	}
	if slices.Contains(py.Project.Dynamic, "dependencies") {
		p.Warnings = append(p.Warnings, "[project] dependencies are dynamic: the image cannot read them from pyproject.toml")
	}
	// tomllib is Python 3.11+; pip vendors tomli for older Pythons.
	p.InstallCommand = []string{
		`python -c "import sys; toml = __import__('tomllib' if sys.version_info >= (3, 11) else 'pip._vendor.tomli', fromlist=['load']); ` +
			`p = toml.load(open('pyproject.toml', 'rb'))['project']; extras = p.get('optional-dependencies', {}); ` +
			`print('\n'.join(` + lists + `))" > /tmp/requirements.txt`,
		"pip install -r /tmp/requirements.txt",
	}
	return p
}
