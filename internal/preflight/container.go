package preflight

import (
	"encoding/json"
	"fmt"
	"sort"
)

// ReadContainer finds the container definition named name ("web") in a
// synthesized CloudFormation template (JSON) and returns what the check
// needs from it. It is an error when no task definition has that container,
// or more than one does.
func ReadContainer(template []byte, name string) (Container, error) {
	var tpl struct {
		Resources map[string]struct {
			Type       string
			Properties struct {
				ContainerDefinitions []struct {
					Name        string
					EntryPoint  []string
					Command     []string
					Environment []struct {
						Name  string
						Value any
					}
					Secrets []struct{ Name string }
				}
			}
		}
	}
	if err := json.Unmarshal(template, &tpl); err != nil {
		return Container{}, fmt.Errorf("read the %s container: the template is not JSON: %w", name, err)
	}
	var found []Container
	var where []string
	for id, r := range tpl.Resources {
		if r.Type != "AWS::ECS::TaskDefinition" {
			continue
		}
		for _, d := range r.Properties.ContainerDefinitions {
			if d.Name != name {
				continue
			}
			c := Container{Environment: map[string]any{}, EntryPoint: d.EntryPoint, Command: d.Command}
			for _, e := range d.Environment {
				c.Environment[e.Name] = e.Value
			}
			for _, s := range d.Secrets {
				c.Secrets = append(c.Secrets, s.Name)
			}
			found = append(found, c)
			where = append(where, id)
		}
	}
	switch len(found) {
	case 0:
		return Container{}, fmt.Errorf("read the %s container: no task definition in the template has a container named %q", name, name)
	case 1:
		return found[0], nil
	}
	sort.Strings(where)
	return Container{}, fmt.Errorf("read the %s container: several task definitions have one (%v)", name, where)
}
