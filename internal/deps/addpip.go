package deps

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
)

// addPip appends the requirements to the production requirements file, and
// to the pip-tools source next to it (same name, .in) when there is one.
func addPip(projectDir string, plan *Plan, reqs []Requirement) ([]Change, error) {
	file := plan.RequirementsFile
	if file == "" {
		file = "requirements.txt"
	}
	text, err := appendRequirements(projectDir, file, reqs)
	if err != nil {
		return nil, err
	}
	change := Change{File: file, Description: "added " + specList(reqs)}
	if strings.Contains(text, "--hash") {
		change.Manual = "pip-compile --generate-hashes (the file pins hashes, and pip refuses requirements without them)"
	}
	changes := []Change{change}
	source := strings.TrimSuffix(file, ".txt") + ".in"
	if source != file && exists(projectDir, filepath.FromSlash(source)) {
		r := &reqReader{dir: projectDir, declared: map[string]string{}, seen: map[string]bool{}}
		if err := r.read(source, false); err != nil {
			return changes, err
		}
		var todo []Requirement
		for _, req := range reqs {
			if s, _ := ParseSpec(req.Spec); r.declared[s.Key()] == "" {
				todo = append(todo, req)
			}
		}
		if len(todo) > 0 {
			if _, err := appendRequirements(projectDir, source, todo); err != nil {
				return changes, err
			}
			changes = append(changes, Change{File: source, Description: "added " + specList(todo)})
		}
		manual := "pip-compile " + source
		if change.Manual != "" {
			manual = "pip-compile --generate-hashes " + source
		}
		changes[0].Manual = manual
	}
	return changes, nil
}

// appendRequirements appends each requirement, after a comment saying why,
// to the requirements file rel (created when missing), and returns the old text.
func appendRequirements(projectDir, rel string, reqs []Requirement) (string, error) {
	path := filepath.Join(projectDir, filepath.FromSlash(rel))
	data, err := os.ReadFile(path)
	if err != nil && !errors.Is(err, os.ErrNotExist) {
		return "", err
	}
	text := string(data)
	var b strings.Builder
	b.WriteString(text)
	if text != "" && !strings.HasSuffix(text, "\n") {
		b.WriteString("\n")
	}
	for _, r := range reqs {
		b.WriteString("# " + addedBy(r.Why) + "\n" + r.Spec + "\n")
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return "", err
	}
	return text, os.WriteFile(path, []byte(b.String()), filePerm(path))
}
