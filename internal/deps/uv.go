package deps

import (
	"errors"
	"fmt"
	"slices"
	"strings"
)

// detectUV plans `uv sync` of the main dependencies, the production groups
// and extras; development groups stay out even when uv installs them by
// default ([tool.uv] default-groups).
func detectUV(projectDir string, py pyproject) (*Plan, error) {
	if !py.found {
		return nil, errors.New("uv.lock without pyproject.toml")
	}
	uv := py.Tool.UV
	if uv == nil {
		uv = &uvTable{}
	}
	locked := exists(projectDir, "uv.lock")
	p := &Plan{Manager: ManagerUV, Files: []string{"pyproject.toml"}, Declared: map[string]string{}}
	cmd := []string{"uv", "sync"}
	if locked {
		p.Files = append(p.Files, "uv.lock")
		cmd = append(cmd, "--locked")
	} else {
		p.Warnings = append(p.Warnings, "no uv.lock: versions are resolved while the image builds; run uv lock")
	}
	cmd = append(cmd, "--no-dev", "--no-install-project")

	defaults, all := uvDefaultGroups(uv)
	names := make([]string, 0, len(py.DependencyGroups))
	for name := range py.DependencyGroups {
		names = append(names, name)
	}
	slices.Sort(names)
	for _, name := range names {
		n := Normalize(name)
		byDefault := all || slices.Contains(defaults, n)
		switch {
		case slices.Contains(developmentGroups, n):
			if byDefault && n != "dev" { // --no-dev covers "dev"
				cmd = append(cmd, "--no-group", name)
			}
		case slices.Contains(productionGroups, n):
			p.Groups = append(p.Groups, name)
			if !byDefault {
				cmd = append(cmd, "--group", name)
			}
		case byDefault: // the project installs it everywhere
			p.Groups = append(p.Groups, name)
		}
	}
	for _, g := range p.Groups {
		declare(p.Declared, py.groupRequirements(g))
	}
	declare(p.Declared, py.Project.Dependencies)
	p.Extras = pick(py.Project.OptionalDependencies, productionExtras)
	for _, e := range p.Extras {
		cmd = append(cmd, "--extra", e)
		declare(p.Declared, py.Project.OptionalDependencies[e])
	}
	p.InstallCommand = []string{shellJoin(cmd)}
	from := "pyproject.toml [tool.uv] (no uv.lock)"
	if locked {
		from = "uv.lock"
	}
	p.From = from + describeList("group", p.Groups) + describeList("extra", p.Extras)
	if uv.Workspace != nil {
		p.Warnings = append(p.Warnings, "uv workspace: the members' pyproject.toml files must be in the image too")
	}
	for name, src := range uv.Sources {
		if m, ok := src.(map[string]any); ok && m["path"] != nil {
			p.Warnings = append(p.Warnings, fmt.Sprintf("%s comes from the local path %v, which must be in the image before uv sync", name, m["path"]))
		}
	}
	slices.Sort(p.Warnings)
	return p, nil
}

// uvDefaultGroups returns the normalized names of the groups `uv sync`
// installs unless told otherwise (["dev"] when not set), or all=true.
func uvDefaultGroups(uv *uvTable) (names []string, all bool) {
	switch v := uv.DefaultGroups.(type) {
	case string:
		return nil, v == "all"
	case []any:
		for _, g := range v {
			if s, ok := g.(string); ok {
				names = append(names, Normalize(s))
			}
		}
		return names, false
	}
	return []string{"dev"}, false
}

func shellJoin(words []string) string {
	quoted := make([]string, len(words))
	for i, w := range words {
		quoted[i] = shellQuote(w)
	}
	return strings.Join(quoted, " ")
}
