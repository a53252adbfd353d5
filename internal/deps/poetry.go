package deps

import (
	"errors"
	"fmt"
	"maps"
	"slices"
	"strings"
)

// detectPoetry plans `poetry install` of the main group, the production
// groups and extras. Poetry 1 ([tool.poetry.dependencies]) and Poetry 2
// ([project] dependencies, groups still under [tool.poetry.group]) both work.
func detectPoetry(projectDir string, py pyproject) (*Plan, error) {
	if !py.found {
		return nil, errors.New("poetry.lock without pyproject.toml")
	}
	poetry := py.Tool.Poetry
	groups, _ := poetry["group"].(map[string]any)
	poetryDeps, _ := poetry["dependencies"].(map[string]any)
	poetryExtras, _ := poetry["extras"].(map[string]any)
	p := &Plan{Manager: ManagerPoetry, Files: []string{"pyproject.toml"}, Declared: map[string]string{}}
	p.Groups = pick(groups, productionGroups)
	available := map[string]bool{}
	for name := range poetryExtras {
		available[name] = true
	}
	for name := range py.Project.OptionalDependencies {
		available[name] = true
	}
	p.Extras = pick(available, productionExtras)

	// Poetry 2 reads [project] dependencies when present; [tool.poetry.dependencies] then only adds details.
	declare(p.Declared, py.Project.Dependencies)
	wanted := map[string]bool{} // optional main dependencies the chosen extras install
	for _, e := range p.Extras {
		declare(p.Declared, py.Project.OptionalDependencies[e])
		names, _ := poetryExtras[e].([]any)
		for _, n := range names {
			if s, ok := n.(string); ok {
				wanted[Normalize(s)] = true
			}
		}
	}
	if len(py.Project.Dependencies) == 0 {
		for _, name := range slices.Sorted(maps.Keys(poetryDeps)) {
			spec, optional := poetrySpec(name, poetryDeps[name])
			if Normalize(name) != "python" && (!optional || wanted[Normalize(name)]) {
				p.Declared[Normalize(name)] = spec
			}
		}
	}
	for _, g := range p.Groups {
		table, _ := groups[g].(map[string]any)
		deps, _ := table["dependencies"].(map[string]any)
		for name, v := range deps {
			spec, _ := poetrySpec(name, v)
			p.Declared[Normalize(name)] = spec
		}
	}

	cmd := []string{"poetry", "install", "--only", strings.Join(append([]string{"main"}, p.Groups...), ","), "--no-root", "--no-interaction"}
	if len(p.Extras) > 0 {
		cmd = append(cmd, "--extras", strings.Join(p.Extras, " "))
	}
	p.InstallCommand = []string{shellJoin(cmd)}
	from := "pyproject.toml [tool.poetry] (no poetry.lock)"
	if exists(projectDir, "poetry.lock") {
		p.Files = append(p.Files, "poetry.lock")
		from = "poetry.lock"
	} else {
		p.Warnings = append(p.Warnings, "no poetry.lock: versions are resolved while the image builds; run poetry lock")
	}
	p.From = from + describeList("group", append([]string{"main"}, p.Groups...)) + describeList("extra", p.Extras)
	return p, nil
}

// poetrySpec renders a Poetry or Pipenv dependency table entry as
// "name[extras] constraint" (or "name @ URL"), and whether it is optional.
func poetrySpec(name string, v any) (spec string, optional bool) {
	if list, ok := v.([]any); ok && len(list) > 0 { // multiple constraints: the first stands for all
		v = list[0]
	}
	version := ""
	var extras []string
	switch t := v.(type) {
	case string:
		version = t
	case map[string]any:
		version, _ = t["version"].(string)
		optional, _ = t["optional"].(bool)
		list, _ := t["extras"].([]any)
		for _, e := range list {
			extras = append(extras, fmt.Sprint(e))
		}
		for _, key := range []string{"git", "url", "path", "file"} {
			if s, ok := t[key].(string); ok {
				if key == "git" && !strings.HasPrefix(s, "git+") {
					s = "git+" + s
				}
				version = "@ " + s
			}
		}
	}
	spec = name
	if len(extras) > 0 {
		spec += "[" + strings.Join(extras, ",") + "]"
	}
	if version = strings.TrimSpace(version); version != "" && version != "*" {
		spec += " " + version
	}
	return spec, optional
}
