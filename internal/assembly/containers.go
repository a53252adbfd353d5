package assembly

import (
	"encoding/json"
	"fmt"
)

// Container is one container definition of a synthesized task definition,
// as the deployment will run it.
type Container struct {
	// Name is the process: "web", "worker", "beat" or "release".
	Name string
	// EntryPoint and Command are the container's; nil when not set.
	EntryPoint []string
	Command    []string
	// Environment maps each plain variable to its value: a string, or a
	// CloudFormation intrinsic (a map) for values known only at deploy time.
	Environment map[string]any
	// Secrets are the names of the variables injected from secrets.
	Secrets []string
	// Port is the first container port mapping (0 when none).
	Port int
}

type containerDefinition struct {
	Name        string   `json:"Name"`
	EntryPoint  []string `json:"EntryPoint"`
	Command     []string `json:"Command"`
	Environment []struct {
		Name  string `json:"Name"`
		Value any    `json:"Value"`
	} `json:"Environment"`
	Secrets []struct {
		Name string `json:"Name"`
	} `json:"Secrets"`
	PortMappings []struct {
		ContainerPort int `json:"ContainerPort"`
	} `json:"PortMappings"`
}

// Containers returns the container definitions of every ECS task
// definition in the assembly in dir, by container name.
func Containers(dir string) (map[string]Container, error) {
	templates, err := Templates(dir)
	if err != nil {
		return nil, err
	}
	out := map[string]Container{}
	for _, tpl := range templates {
		var t struct {
			Resources map[string]struct {
				Type       string `json:"Type"`
				Properties struct {
					ContainerDefinitions []containerDefinition `json:"ContainerDefinitions"`
				} `json:"Properties"`
			} `json:"Resources"`
		}
		if err := json.Unmarshal(tpl.Body, &t); err != nil {
			return nil, fmt.Errorf("parse template of %s: %w", tpl.Stack, err)
		}
		for _, r := range t.Resources {
			if r.Type != "AWS::ECS::TaskDefinition" {
				continue
			}
			for _, cd := range r.Properties.ContainerDefinitions {
				c := Container{Name: cd.Name, EntryPoint: cd.EntryPoint, Command: cd.Command, Environment: map[string]any{}}
				for _, e := range cd.Environment {
					c.Environment[e.Name] = e.Value
				}
				for _, s := range cd.Secrets {
					c.Secrets = append(c.Secrets, s.Name)
				}
				if len(cd.PortMappings) > 0 {
					c.Port = cd.PortMappings[0].ContainerPort
				}
				out[cd.Name] = c
			}
		}
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("no ECS container definitions in the assembly %s", dir)
	}
	return out, nil
}
