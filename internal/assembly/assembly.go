// Package assembly reads a synthesized CDK cloud assembly (cdk.out) and
// summarizes it: its stacks, their resources by type, and their outputs.
package assembly

import (
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strings"
)

// Stack is one CloudFormation stack of an assembly.
type Stack struct {
	// Name is the stack (artifact) name.
	Name string `json:"name"`
	// Region is the stack's region, or "unknown-region".
	Region string `json:"region"`
	// Description is the template's description.
	Description string `json:"description"`
	// Resources counts resources by CloudFormation type.
	Resources map[string]int `json:"resources"`
	// Outputs lists the user-facing outputs, sorted by ID.
	Outputs []Output `json:"outputs"`
	// Exports counts the outputs CDK adds for cross-stack references.
	Exports int `json:"exports"`
}

// Output is a stack output meant for people.
type Output struct {
	// ID is the logical ID of the output.
	ID string `json:"id"`
	// Description says what the output is.
	Description string `json:"description"`
}

// Total is the number of resources in the stack.
func (s Stack) Total() int {
	n := 0
	for _, c := range s.Resources {
		n += c
	}
	return n
}

type manifest struct {
	Artifacts map[string]struct {
		Type        string `json:"type"`
		Environment string `json:"environment"`
		Properties  struct {
			TemplateFile string `json:"templateFile"`
		} `json:"properties"`
	} `json:"artifacts"`
}

type cfnTemplate struct {
	Description string `json:"Description"`
	Resources   map[string]struct {
		Type string `json:"Type"`
	} `json:"Resources"`
	Outputs map[string]struct {
		Description string `json:"Description"`
	} `json:"Outputs"`
}

// Template is the raw CloudFormation template of one stack.
type Template struct {
	// Stack is the stack (artifact) name.
	Stack string
	// Environment is "aws://account/region".
	Environment string
	// Body is the template JSON.
	Body []byte
}

// Templates loads the raw templates of the assembly in dir, sorted by stack name.
func Templates(dir string) ([]Template, error) {
	b, err := os.ReadFile(filepath.Join(dir, "manifest.json"))
	if err != nil {
		return nil, fmt.Errorf("read cloud assembly: %w", err)
	}
	var m manifest
	if err := json.Unmarshal(b, &m); err != nil {
		return nil, fmt.Errorf("read cloud assembly manifest: %w", err)
	}
	var out []Template
	for name, a := range m.Artifacts {
		if a.Type != "aws:cloudformation:stack" {
			continue
		}
		tb, err := os.ReadFile(filepath.Join(dir, a.Properties.TemplateFile))
		if err != nil {
			return nil, fmt.Errorf("read template of %s: %w", name, err)
		}
		out = append(out, Template{Stack: name, Environment: a.Environment, Body: tb})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Stack < out[j].Stack })
	return out, nil
}

// Read loads the stacks of the assembly in dir, sorted by name.
func Read(dir string) ([]Stack, error) {
	templates, err := Templates(dir)
	if err != nil {
		return nil, err
	}
	stacks := make([]Stack, 0, len(templates))
	for _, tpl := range templates {
		var t cfnTemplate
		if err := json.Unmarshal(tpl.Body, &t); err != nil {
			return nil, fmt.Errorf("parse template of %s: %w", tpl.Stack, err)
		}
		s := Stack{Name: tpl.Stack, Region: region(tpl.Environment), Description: t.Description, Resources: map[string]int{}}
		for _, r := range t.Resources {
			s.Resources[r.Type]++
		}
		for id, o := range t.Outputs {
			if strings.HasPrefix(id, "ExportsOutput") {
				s.Exports++
				continue
			}
			s.Outputs = append(s.Outputs, Output{ID: id, Description: o.Description})
		}
		sort.Slice(s.Outputs, func(i, j int) bool { return s.Outputs[i].ID < s.Outputs[j].ID })
		stacks = append(stacks, s)
	}
	return stacks, nil
}

// region extracts the region of "aws://account/region".
func region(env string) string {
	parts := strings.Split(strings.TrimPrefix(env, "aws://"), "/")
	if len(parts) == 2 {
		return parts[1]
	}
	return "unknown-region"
}

// Print writes a readable summary of stacks to w.
func Print(w io.Writer, stacks []Stack) {
	total := 0
	for _, s := range stacks {
		total += s.Total()
		fmt.Fprintf(w, "\n%s (%s) — %d resources\n", s.Name, s.Region, s.Total())
		if s.Description != "" {
			fmt.Fprintf(w, "  %s\n", s.Description)
		}
		types := make([]string, 0, len(s.Resources))
		for t := range s.Resources {
			types = append(types, t)
		}
		sort.Slice(types, func(i, j int) bool {
			if s.Resources[types[i]] != s.Resources[types[j]] {
				return s.Resources[types[i]] > s.Resources[types[j]]
			}
			return types[i] < types[j]
		})
		for _, t := range types {
			fmt.Fprintf(w, "  %4d  %s\n", s.Resources[t], t)
		}
		if len(s.Outputs) > 0 {
			fmt.Fprintf(w, "  outputs after deploy:\n")
			for _, o := range s.Outputs {
				fmt.Fprintf(w, "    - %s\n", o.Description)
			}
		}
		if s.Exports > 0 {
			fmt.Fprintf(w, "  %d values exported to other stacks\n", s.Exports)
		}
	}
	fmt.Fprintf(w, "\n%d stacks, %d resources in all\n", len(stacks), total)
}
