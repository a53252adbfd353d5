package deps

import (
	"errors"
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/BurntSushi/toml"
)

// Requirement is a runtime dependency the deployment needs.
type Requirement struct {
	// Name is the distribution name; taken from Spec when empty.
	Name string
	// Spec is the PEP 508 requirement to declare, e.g. "gunicorn==23.0.0"
	// or "psycopg[binary]==3.2.10"; Pins[Name] (else Name) when empty.
	Spec string
	// Why says what needs it, for the comment next to it and for people.
	Why string
}

// Change is one file Add changed, or one step left to the user.
type Change struct {
	// File is the changed file, relative to the project.
	File string
	// Description says what changed.
	Description string
	// Manual is a command the user must still run (a lock to update), "" if none.
	Manual string
}

// Missing returns the requirements whose distribution the plan does not
// declare yet (by normalized name, whatever the extras: a declared
// "psycopg" counts for "psycopg[binary]"), each once, with Name and Spec filled.
func (p *Plan) Missing(reqs []Requirement) ([]Requirement, error) {
	var out []Requirement
	seen := map[string]bool{}
	for _, r := range reqs {
		if r.Spec == "" {
			r.Spec = Pins[Normalize(r.Name)]
		}
		if r.Spec == "" {
			r.Spec = r.Name
		}
		spec, err := ParseSpec(r.Spec)
		if err != nil {
			return nil, err
		}
		if r.Name != "" && Normalize(r.Name) != spec.Key() {
			return nil, fmt.Errorf("requirement %s: spec %q names %s", r.Name, r.Spec, spec.Name)
		}
		r.Name = spec.Name
		if !p.Has(spec.Key()) && !seen[spec.Key()] {
			seen[spec.Key()] = true
			out = append(out, r)
		}
	}
	return out, nil
}

// Add declares the requirements the plan lacks the way the project's
// manager does, and records them in plan (Declared, SystemPackages):
//   - pip: appended to the production requirements file (and to its
//     pip-tools .in file when there is one), with a comment saying why;
//   - pep621: into [project] dependencies in pyproject.toml;
//   - uv: `uv add --no-sync [--group G]` when uv is on PATH (pyproject.toml
//     and uv.lock updated), else into the production group's list (or
//     [project] dependencies) with `uv lock` left to run;
//   - poetry: `poetry add --lock [--group G]` when poetry is on PATH, else
//     into the group's table, [project] dependencies (Poetry 2) or
//     [tool.poetry.dependencies], with `poetry lock` left to run;
//   - pipenv: into the Pipfile's [packages], with `pipenv lock` left to run.
//
// Text edits keep every other byte of the file; a file the edit would not
// leave valid is not written. Requirements already declared are skipped,
// so running Add twice changes nothing.
func Add(projectDir string, plan *Plan, reqs []Requirement) ([]Change, error) {
	missing, err := plan.Missing(reqs)
	if err != nil || len(missing) == 0 {
		return nil, err
	}
	var changes []Change
	switch plan.Manager {
	case ManagerPip:
		changes, err = addPip(projectDir, plan, missing)
	case ManagerPEP621:
		changes, err = editFile(projectDir, "pyproject.toml", missing, projectArray, "")
	case ManagerUV:
		changes, err = addUV(projectDir, plan, missing)
	case ManagerPoetry:
		changes, err = addPoetry(projectDir, plan, missing)
	case ManagerPipenv:
		changes, err = editFile(projectDir, "Pipfile", missing, func(text string, r Requirement, s Spec) (string, error) {
			return addTableEntry(text, "packages", s.Name, tableValue(s), tomlComment(r.Why))
		}, "pipenv lock")
	default:
		return nil, fmt.Errorf("unknown dependency manager %q", plan.Manager)
	}
	if err != nil {
		return changes, err
	}
	added := map[string]string{}
	for _, r := range missing {
		s, _ := ParseSpec(r.Spec)
		added[s.Key()] = r.Spec
	}
	if plan.Declared == nil {
		plan.Declared = map[string]string{}
	}
	maps.Copy(plan.Declared, added)
	plan.SystemPackages = plan.SystemPackages.Merge(SystemFor(added))
	return changes, nil
}

// editFunc adds one requirement to a file's text.
type editFunc func(text string, r Requirement, s Spec) (string, error)

// editFile applies edit for each requirement to the TOML file rel and
// writes it, if the result is still valid TOML; manual is the command left
// to the user.
func editFile(projectDir, rel string, reqs []Requirement, edit editFunc, manual string) ([]Change, error) {
	path := filepath.Join(projectDir, rel)
	data, err := os.ReadFile(path)
	if err != nil && !errors.Is(err, os.ErrNotExist) {
		return nil, err
	}
	text := string(data)
	for _, r := range reqs {
		s, err := ParseSpec(r.Spec)
		if err == nil {
			text, err = edit(text, r, s)
		}
		if err != nil {
			return nil, fmt.Errorf("%s: cannot add %s (%v): add it by hand", rel, r.Spec, err)
		}
	}
	var check map[string]any
	if _, err := toml.Decode(text, &check); err != nil {
		return nil, fmt.Errorf("%s: adding %s would leave it invalid (%v): add them by hand", rel, specList(reqs), err)
	}
	if err := os.WriteFile(path, []byte(text), filePerm(path)); err != nil {
		return nil, err
	}
	return []Change{{File: rel, Description: "added " + specList(reqs), Manual: manual}}, nil
}

// projectArray adds to [project] dependencies.
func projectArray(text string, r Requirement, s Spec) (string, error) {
	return addArrayItem(text, "project", "dependencies", tomlString(r.Spec), tomlComment(r.Why))
}

// tableValue renders a spec as a Poetry or Pipfile table value:
// "==1.0", or {version = "==1.0", extras = [...], markers = "..."}.
func tableValue(s Spec) string {
	var fields []string
	switch {
	case strings.HasPrefix(s.URL, "git+"):
		fields = append(fields, "git = "+tomlString(strings.TrimPrefix(s.URL, "git+")))
	case s.URL != "":
		fields = append(fields, "url = "+tomlString(s.URL))
	default:
		version := s.Version
		if version == "" {
			version = "*"
		}
		if len(s.Extras) == 0 && s.Marker == "" {
			return tomlString(version)
		}
		fields = append(fields, "version = "+tomlString(version))
	}
	if len(s.Extras) > 0 {
		quoted := make([]string, len(s.Extras))
		for i, e := range s.Extras {
			quoted[i] = tomlString(e)
		}
		fields = append(fields, "extras = ["+strings.Join(quoted, ", ")+"]")
	}
	if s.Marker != "" {
		fields = append(fields, "markers = "+tomlString(s.Marker))
	}
	return "{" + strings.Join(fields, ", ") + "}"
}

// addedBy is the comment marking what Add wrote.
func addedBy(why string) string {
	if why == "" {
		return "added by djangocdk init"
	}
	return "added by djangocdk init: " + strings.ReplaceAll(why, "\n", " ")
}

func tomlComment(why string) string { return "  # " + addedBy(why) }

func specList(reqs []Requirement) string {
	specs := make([]string, len(reqs))
	for i, r := range reqs {
		specs[i] = r.Spec
	}
	return strings.Join(specs, ", ")
}

// productionGroup returns the first of groups meant for production, "" if none.
func productionGroup(groups []string) string {
	for _, g := range groups {
		if slices.Contains(productionGroups, Normalize(g)) {
			return g
		}
	}
	return ""
}

func filePerm(path string) os.FileMode {
	if st, err := os.Stat(path); err == nil {
		return st.Mode().Perm()
	}
	return 0o644
}
