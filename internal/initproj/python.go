package initproj

import (
	"fmt"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
)

// SupportedPython are the CPython versions a generated Dockerfile may use:
// those Django 5.2 supports and that have official python images.
var SupportedPython = []string{"3.10", "3.11", "3.12", "3.13", "3.14"}

// defaultPython is used when the project says nothing, or allows it.
const defaultPython = "3.13"

// pythonSource is one place a project states its Python version.
type pythonSource struct {
	from string
	text string
	// exact sources name one version; the others are ranges.
	exact bool
}

// pickPython chooses the image's Python from the first source that says
// something: an exact version must be supported; a range gets the default
// when it allows it, else the newest supported version it allows. A project
// asking only for versions we cannot build gets an error naming the source.
func pickPython(sources []pythonSource) (version, from string, err error) {
	for _, s := range sources {
		text := strings.TrimSpace(s.text)
		if text == "" {
			continue
		}
		if s.exact {
			v, ok := majorMinor(strings.TrimPrefix(strings.TrimPrefix(text, "python-"), "python"))
			if !ok {
				return "", "", fmt.Errorf("%s: %q is not a Python version", s.from, text)
			}
			if !slices.Contains(SupportedPython, v) {
				return "", "", fmt.Errorf("%s asks for Python %s; djangocdk's images support %s: change it to one of them", s.from, v, strings.Join(SupportedPython, ", "))
			}
			return v, s.from, nil
		}
		allowed, err := allowedBy(text)
		if err != nil {
			return "", "", fmt.Errorf("%s: %w", s.from, err)
		}
		if len(allowed) == 0 {
			return "", "", fmt.Errorf("%s %q allows none of the Python versions djangocdk's images support (%s)", s.from, text, strings.Join(SupportedPython, ", "))
		}
		if slices.Contains(allowed, defaultPython) {
			return defaultPython, s.from, nil
		}
		return allowed[len(allowed)-1], s.from, nil
	}
	return defaultPython, "default", nil
}

// majorMinor returns "3.12" from "3.12", "3.12.4" or "3.12-slim".
func majorMinor(s string) (string, bool) {
	parts := strings.SplitN(s, ".", 3)
	if len(parts) < 2 {
		return "", false
	}
	minor := strings.TrimRightFunc(parts[1], func(r rune) bool { return r < '0' || r > '9' })
	if _, err := strconv.Atoi(parts[0]); err != nil || minor == "" || minor != parts[1][:len(minor)] {
		return "", false
	}
	return parts[0] + "." + minor, true
}

// allowedBy returns the supported versions a PEP 440 specifier set (or a
// Poetry constraint: ^, ~, *) allows, oldest first.
func allowedBy(spec string) ([]string, error) {
	var out []string
	for _, v := range SupportedPython {
		ok := true
		for _, clause := range strings.Split(spec, ",") {
			match, err := satisfies(v, strings.TrimSpace(clause))
			if err != nil {
				return nil, err
			}
			ok = ok && match
		}
		if ok {
			out = append(out, v)
		}
	}
	return out, nil
}

// satisfies reports whether the minor version v ("3.12", any patch) can
// meet one clause.
func satisfies(v, clause string) (bool, error) {
	if clause == "" || clause == "*" {
		return true, nil
	}
	op := strings.TrimRight(clause[:len(clause)-len(strings.TrimLeft(clause, "<>=!~^"))], " ")
	ver := strings.TrimSpace(clause[len(op):])
	wild := strings.HasSuffix(ver, ".*")
	ver = strings.TrimSuffix(ver, ".*")
	want, err := parseVersion(ver)
	if err != nil {
		return false, fmt.Errorf("%q is not a version constraint", clause)
	}
	have, _ := parseVersion(v)
	cmp := compareMinor(have, want)
	// A minor version with any patch: "3.12" meets ">=3.12.4" and "<=3.12.1".
	patchFree := len(want) <= 2
	switch op {
	case "", "==", "===":
		return cmp == 0, nil
	case "!=":
		return !(cmp == 0 && (patchFree || wild)), nil
	case ">=":
		return cmp >= 0, nil
	case ">":
		return cmp > 0 || (cmp == 0 && !patchFree), nil
	case "<=":
		return cmp <= 0, nil
	case "<":
		return cmp < 0 || (cmp == 0 && !patchFree && want[2] > 0), nil
	case "~=":
		if len(want) == 2 { // ~=3.10 means >=3.10, ==3.*
			return cmp >= 0 && have[0] == want[0], nil
		}
		return cmp == 0, nil
	case "^": // Poetry: >=X.Y, <(X+1)
		return cmp >= 0 && have[0] == want[0], nil
	case "~": // Poetry: >=X.Y, <X.(Y+1)
		return cmp == 0, nil
	}
	return false, fmt.Errorf("%q: unknown operator %q", clause, op)
}

func parseVersion(s string) ([]int, error) {
	var out []int
	for _, p := range strings.Split(s, ".") {
		n, err := strconv.Atoi(p)
		if err != nil {
			return nil, err
		}
		out = append(out, n)
	}
	for len(out) < 3 {
		out = append(out, 0)
	}
	return out, nil
}

// compareMinor compares major.minor only.
func compareMinor(a, b []int) int {
	for i := 0; i < 2; i++ {
		if a[i] != b[i] {
			if a[i] < b[i] {
				return -1
			}
			return 1
		}
	}
	return 0
}

// pythonSources lists where a project states its Python, most specific first.
func (p *Project) pythonSources(py pyproject) []pythonSource {
	var out []pythonSource
	if p.Image != nil && p.Image.PythonVersion != "" {
		out = append(out, pythonSource{from: p.DockerfilePath + " (base image)", text: p.Image.PythonVersion, exact: true})
	}
	return append(out,
		pythonSource{from: ".python-version", text: firstLine(filepath.Join(p.Dir, ".python-version")), exact: true},
		pythonSource{from: "pyproject.toml requires-python", text: py.Project.RequiresPython},
		pythonSource{from: "pyproject.toml tool.poetry.dependencies.python", text: pythonFromPoetry(py)},
		pythonSource{from: "Pipfile python_version", text: pythonFromPipfile(filepath.Join(p.Dir, "Pipfile")), exact: true},
		pythonSource{from: "runtime.txt", text: firstLine(filepath.Join(p.Dir, "runtime.txt")), exact: true},
	)
}
