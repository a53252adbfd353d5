package config

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"

	"github.com/BurntSushi/toml"
)

// File names the loader looks for, in order.
const (
	PyProject   = "pyproject.toml"
	Standalone  = "djangocdk.toml"
	pyprojectAt = "tool.djangocdk"
)

// Problem is one thing wrong with a configuration.
type Problem struct {
	// File is the configuration file.
	File string `json:"file"`
	// Key is the dotted key path, e.g. "environments.staging.web.cpu".
	Key string `json:"key"`
	// Message says what is wrong and what is allowed.
	Message string `json:"message"`
}

// String renders the problem as "file: key: message".
func (p Problem) String() string {
	if p.Key == "" {
		return fmt.Sprintf("%s: %s", p.File, p.Message)
	}
	return fmt.Sprintf("%s: %s: %s", p.File, p.Key, p.Message)
}

// Error lists every problem found in a configuration.
type Error struct {
	// Problems in the order found.
	Problems []Problem
}

// Error renders one problem per line.
func (e *Error) Error() string {
	lines := make([]string, len(e.Problems))
	for i, p := range e.Problems {
		lines[i] = p.String()
	}
	return fmt.Sprintf("invalid configuration (%d problem(s)):\n  - %s", len(e.Problems), strings.Join(lines, "\n  - "))
}

// Source is a configuration file as read from disk, before merging.
type Source struct {
	// Path of the file.
	Path string
	// Table is the key prefix of the djangocdk table in the file ("tool.djangocdk" in pyproject.toml).
	Table string
	// Raw is the djangocdk table.
	Raw map[string]any
}

var envName = regexp.MustCompile(`^[a-z][a-z0-9_-]{0,19}$`)

// ErrNotFound means the directory has no djangocdk configuration.
var ErrNotFound = errors.New("no djangocdk configuration: neither pyproject.toml with [tool.djangocdk] nor djangocdk.toml (run djangocdk init)")

// Find reads the configuration of the project in dir: the [tool.djangocdk]
// table of pyproject.toml, else djangocdk.toml.
func Find(dir string) (*Source, error) {
	py := filepath.Join(dir, PyProject)
	if data, err := os.ReadFile(py); err == nil {
		var doc map[string]any
		if _, err := toml.Decode(string(data), &doc); err != nil {
			return nil, fmt.Errorf("read %s: %w", py, err)
		}
		if tool, ok := doc["tool"].(map[string]any); ok {
			if table, ok := tool["djangocdk"].(map[string]any); ok {
				return &Source{Path: py, Table: pyprojectAt, Raw: table}, nil
			}
		}
	}
	standalone := filepath.Join(dir, Standalone)
	data, err := os.ReadFile(standalone)
	if errors.Is(err, os.ErrNotExist) {
		return nil, ErrNotFound
	}
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", standalone, err)
	}
	return Parse(standalone, data)
}

// Parse reads a standalone djangocdk.toml document.
func Parse(path string, data []byte) (*Source, error) {
	var doc map[string]any
	if _, err := toml.Decode(string(data), &doc); err != nil {
		return nil, fmt.Errorf("read %s: %w", path, err)
	}
	return &Source{Path: path, Raw: doc}, nil
}

// Environments lists the environment names defined in the source, sorted.
func (s *Source) Environments() []string {
	envs, _ := s.Raw["environments"].(map[string]any)
	names := make([]string, 0, len(envs))
	for name := range envs {
		names = append(names, name)
	}
	slices.Sort(names)
	return names
}

// Load decodes the source for one environment ("" for the base): the base
// table with environments.<env> merged over it, then checked. Every
// environment's keys are checked too, so a typo in any of them is reported.
func (s *Source) Load(env string) (*Config, error) {
	d := &decoder{file: s.Path, prefix: s.Table}
	base := make(map[string]any, len(s.Raw))
	for k, v := range s.Raw {
		if k != "environments" {
			base[k] = v
		}
	}
	var overlay map[string]any
	if raw, ok := s.Raw["environments"]; ok {
		envs, ok := raw.(map[string]any)
		if !ok {
			d.add("environments", "must be a table of environments, e.g. [tool.djangocdk.environments.staging]")
		}
		for _, name := range s.Environments() {
			if !envName.MatchString(name) {
				d.add("environments."+name, "environment names use 1-20 lower-case letters, digits, - and _, starting with a letter (they become part of the stack names)")
				continue
			}
			table, ok := envs[name].(map[string]any)
			if !ok {
				d.add("environments."+name, "must be a table")
				continue
			}
			if _, nested := table["environments"]; nested {
				d.add("environments."+name+".environments", "environments cannot be nested")
			}
			var scratch Config
			d.decodeStruct(&scratch, without(table, "environments"), "environments."+name)
			if name == env {
				overlay = table
			}
		}
	}
	if env != "" && overlay == nil {
		allowed := "none are defined"
		if names := s.Environments(); len(names) > 0 {
			allowed = "defined: " + strings.Join(names, ", ")
		}
		d.add("environments", fmt.Sprintf("unknown environment %q (%s)", env, allowed))
	}
	merged := merge(base, without(overlay, "environments"))
	var cfg Config
	d.decodeStruct(&cfg, merged, "")
	if len(d.problems) == 0 {
		d.problems = append(d.problems, cfg.check(s.Path, s.Table)...)
	}
	if len(d.problems) > 0 {
		return nil, &Error{Problems: d.problems}
	}
	return &cfg, nil
}

// without returns m minus one key (m itself when the key is absent).
func without(m map[string]any, key string) map[string]any {
	if _, ok := m[key]; !ok {
		return m
	}
	out := make(map[string]any, len(m))
	for k, v := range m {
		if k != key {
			out[k] = v
		}
	}
	return out
}

// merge returns base with overlay merged over it: tables merge key by key,
// anything else (including arrays) is replaced.
func merge(base, overlay map[string]any) map[string]any {
	out := make(map[string]any, len(base)+len(overlay))
	for k, v := range base {
		out[k] = v
	}
	for k, v := range overlay {
		if sub, ok := v.(map[string]any); ok {
			if baseSub, ok := out[k].(map[string]any); ok {
				out[k] = merge(baseSub, sub)
				continue
			}
		}
		out[k] = v
	}
	return out
}
