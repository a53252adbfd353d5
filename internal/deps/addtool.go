package deps

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"time"
)

// lookPath finds the uv and poetry executables (tests replace it).
var lookPath = exec.LookPath

// toolTimeout bounds one uv add or poetry add (resolving can be slow).
const toolTimeout = 10 * time.Minute

// errNoTool says the manager's command is not on PATH.
var errNoTool = errors.New("not on PATH")

// addUV runs `uv add` when uv is on PATH, else edits pyproject.toml and
// leaves `uv lock` to the user.
func addUV(projectDir string, plan *Plan, reqs []Requirement) ([]Change, error) {
	group := productionGroup(plan.Groups)
	args := []string{"add", "--no-sync"}
	if group != "" {
		args = append(args, "--group", group)
	}
	changes, toolErr := runManager(projectDir, "uv", append(args, specs(reqs)...), []string{"pyproject.toml", "uv.lock"}, nil)
	if toolErr == nil {
		return changes, nil
	}
	edit := projectArray
	if group != "" {
		edit = func(text string, r Requirement, s Spec) (string, error) {
			return addArrayItem(text, "dependency-groups", group, tomlString(r.Spec), tomlComment(r.Why))
		}
	}
	changes, err := editFile(projectDir, "pyproject.toml", reqs, edit, "uv lock")
	noteFailure(changes, "uv", toolErr)
	return changes, err
}

// addPoetry runs `poetry add --lock` when poetry is on PATH, else edits
// pyproject.toml and leaves `poetry lock` to the user.
func addPoetry(projectDir string, plan *Plan, reqs []Requirement) ([]Change, error) {
	group := productionGroup(plan.Groups)
	args := []string{"add", "--lock", "--no-interaction"}
	if group != "" {
		args = append(args, "--group", group)
	}
	changes, toolErr := runManager(projectDir, "poetry", append(args, specs(reqs)...), []string{"pyproject.toml", "poetry.lock"}, []string{"POETRY_NO_INTERACTION=1"})
	if toolErr == nil {
		return changes, nil
	}
	py, err := readPyproject(projectDir)
	if err != nil {
		return nil, err
	}
	_, poetryTable := py.Tool.Poetry["dependencies"].(map[string]any)
	var edit editFunc
	switch {
	case group != "":
		edit = func(text string, r Requirement, s Spec) (string, error) {
			return addTableEntry(text, "tool.poetry.group."+group+".dependencies", s.Name, tableValue(s), tomlComment(r.Why))
		}
	case py.projectDeps || !poetryTable: // Poetry 2 reads [project] dependencies
		edit = projectArray
	default:
		edit = func(text string, r Requirement, s Spec) (string, error) {
			return addTableEntry(text, "tool.poetry.dependencies", s.Name, tableValue(s), tomlComment(r.Why))
		}
	}
	changes, err = editFile(projectDir, "pyproject.toml", reqs, edit, "poetry lock")
	noteFailure(changes, "poetry", toolErr)
	return changes, err
}

// runManager runs a dependency manager in projectDir and reports the files
// it changed; when it fails, the files are put back as they were.
func runManager(projectDir, name string, args, files, env []string) ([]Change, error) {
	path, err := lookPath(name)
	if err != nil {
		return nil, errNoTool
	}
	before := snapshot(projectDir, files)
	ctx, cancel := context.WithTimeout(context.Background(), toolTimeout)
	defer cancel()
	cmd := exec.CommandContext(ctx, path, args...)
	cmd.Dir = projectDir
	cmd.Env = append(os.Environ(), env...)
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	if err := cmd.Run(); err != nil {
		restore(projectDir, files, before)
		return nil, fmt.Errorf("%s %s: %v: %s", name, strings.Join(args, " "), err, lastLine(out.String()))
	}
	command := name + " " + strings.Join(args, " ")
	var changes []Change
	after := snapshot(projectDir, files)
	for _, f := range files {
		old, had := before[f]
		now, has := after[f]
		switch {
		case has && !had:
			changes = append(changes, Change{File: f, Description: "created by " + command})
		case has && now != old:
			changes = append(changes, Change{File: f, Description: "updated by " + command})
		}
	}
	return changes, nil
}

// snapshot reads the files that exist.
func snapshot(projectDir string, files []string) map[string]string {
	out := map[string]string{}
	for _, f := range files {
		if data, err := os.ReadFile(filepath.Join(projectDir, f)); err == nil {
			out[f] = string(data)
		}
	}
	return out
}

// restore puts the files back as snapshot read them (removing new ones).
func restore(projectDir string, files []string, before map[string]string) {
	for _, f := range files {
		path := filepath.Join(projectDir, f)
		if old, ok := before[f]; ok {
			_ = os.WriteFile(path, []byte(old), filePerm(path))
		} else {
			_ = os.Remove(path)
		}
	}
}

// noteFailure says in the change why the manager's command was not used, when it failed.
func noteFailure(changes []Change, name string, err error) {
	if len(changes) > 0 && err != nil && !errors.Is(err, errNoTool) {
		changes[0].Description += fmt.Sprintf(" (%s failed, the file was edited instead: %v)", name, err)
	}
}

func specs(reqs []Requirement) []string {
	out := make([]string, len(reqs))
	for i, r := range reqs {
		out[i] = r.Spec
	}
	return out
}

func lastLine(out string) string {
	lines := strings.Split(strings.TrimSpace(out), "\n")
	return strings.TrimSpace(lines[len(lines)-1])
}
