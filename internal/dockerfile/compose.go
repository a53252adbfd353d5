package dockerfile

import (
	"errors"
	"fmt"
	"os"
	"path"
	"slices"
	"sort"
	"strings"

	"gopkg.in/yaml.v3"
)

// composeFile is the part of a compose file Find reads.
type composeFile struct {
	Services map[string]composeService `yaml:"services"`
}

// composeService is the part of a compose service Find reads. Build,
// Command and Entrypoint each take a string or another form, so they are
// kept as nodes.
type composeService struct {
	Build      yaml.Node `yaml:"build"`
	Command    yaml.Node `yaml:"command"`
	Entrypoint yaml.Node `yaml:"entrypoint"`
	Image      string    `yaml:"image"`
}

// composeBuild is a service's build section.
type composeBuild struct {
	Context    string
	Dockerfile string
	Target     string
	Args       map[string]string
}

// webNames are the names a web service goes by, most specific first.
var webNames = []string{"django", "web", "app", "backend", "api", "server"}

// notWeb are the names (or name prefixes, ending in "*") of services that
// are never the web service.
var notWeb = []string{
	"db", "database", "postgres*", "mysql", "mariadb", "redis*", "valkey*",
	"memcached", "rabbitmq", "celery*", "worker*", "beat", "flower", "nginx*",
	"traefik", "caddy", "mailpit", "mailhog", "docs", "node", "minio",
}

func readCompose(file string) (*composeFile, error) {
	data, err := os.ReadFile(file)
	if err != nil {
		return nil, fmt.Errorf("read compose file: %w", err)
	}
	var cf composeFile
	if err := yaml.Unmarshal(data, &cf); err != nil {
		return nil, fmt.Errorf("parse compose file: %w", err)
	}
	return &cf, nil
}

// webServices lists the services of cf that may be the web service, in the
// order to try them: services with a web name (in webNames order), then
// services whose command runs a server or a start script, by name.
func webServices(cf *composeFile) []string {
	var named, byCommand []string
	for name, svc := range cf.Services {
		if isNotWeb(name) {
			continue
		}
		cmd, _ := composeWords(&svc.Command)
		if runsWorker(cmd) {
			continue
		}
		if slices.Contains(webNames, strings.ToLower(name)) {
			named = append(named, name)
		} else if runsWeb(cmd) {
			byCommand = append(byCommand, name)
		}
	}
	sort.Slice(named, func(i, j int) bool {
		return slices.Index(webNames, strings.ToLower(named[i])) < slices.Index(webNames, strings.ToLower(named[j]))
	})
	sort.Strings(byCommand)
	return append(named, byCommand...)
}

func isNotWeb(name string) bool {
	name = strings.ToLower(name)
	for _, n := range notWeb {
		if prefix, ok := strings.CutSuffix(n, "*"); ok && strings.HasPrefix(name, prefix) || n == name {
			return true
		}
	}
	return false
}

// runsWorker is true when a compose command runs Celery (worker, beat or
// flower) rather than the web server.
func runsWorker(cmd []string) bool {
	for _, w := range cmd {
		b := strings.ToLower(path.Base(w))
		if b == "celery" || strings.Contains(b, "celery") || strings.Contains(b, "flower") {
			return true
		}
	}
	return false
}

// runsWeb is true when a compose command runs an application server, the
// development server or a /start-style script.
func runsWeb(cmd []string) bool {
	for _, w := range cmd {
		for _, f := range strings.Fields(w) { // "sh -c" strings too
			b := strings.ToLower(path.Base(f))
			if serverKinds[b] || b == "runserver" || b == "start" || strings.HasPrefix(b, "start.") ||
				strings.HasPrefix(b, "start-") && !strings.Contains(b, "celery") {
				return true
			}
		}
	}
	return false
}

// runsDevServer is true when a compose command runs Django's development
// server or the debugger.
func runsDevServer(cmd []string) bool {
	for _, w := range cmd {
		for _, f := range strings.Fields(w) {
			if f == "runserver" || f == "runserver_plus" || f == "debugpy" {
				return true
			}
		}
	}
	return false
}

// build decodes the service's build section: nil when there is none.
func (s composeService) build() (*composeBuild, error) {
	n := &s.Build
	switch n.Kind {
	case 0:
		return nil, nil
	case yaml.ScalarNode:
		if n.Tag == "!!null" {
			return nil, nil
		}
		return &composeBuild{Context: n.Value}, nil
	case yaml.MappingNode:
		var raw struct {
			Context    string    `yaml:"context"`
			Dockerfile string    `yaml:"dockerfile"`
			Target     string    `yaml:"target"`
			Args       yaml.Node `yaml:"args"`
		}
		if err := n.Decode(&raw); err != nil {
			return nil, fmt.Errorf("build: %w", err)
		}
		b := &composeBuild{Context: raw.Context, Dockerfile: raw.Dockerfile, Target: raw.Target}
		if b.Context == "" {
			b.Context = "."
		}
		args, err := buildArgs(&raw.Args)
		if err != nil {
			return nil, fmt.Errorf("build: args: %w", err)
		}
		b.Args = args
		return b, nil
	}
	return nil, fmt.Errorf("build: line %d: want a string or a mapping", n.Line)
}

// remote is true for a build context that is a Git URL or another remote.
func (b *composeBuild) remote() bool {
	return strings.Contains(b.Context, "://") || strings.HasPrefix(b.Context, "git@")
}

// buildArgs reads compose build args, a mapping or a list of KEY=VALUE;
// arguments without a value (taken from the caller's environment) are left
// out.
func buildArgs(n *yaml.Node) (map[string]string, error) {
	args := map[string]string{}
	switch n.Kind {
	case 0:
		return nil, nil
	case yaml.MappingNode:
		for i := 0; i+1 < len(n.Content); i += 2 {
			k, v := n.Content[i], n.Content[i+1]
			if v.Kind == yaml.ScalarNode && v.Tag != "!!null" {
				args[k.Value] = v.Value
			}
		}
	case yaml.SequenceNode:
		for _, item := range n.Content {
			if k, v, ok := strings.Cut(item.Value, "="); ok {
				args[k] = v
			}
		}
	default:
		return nil, fmt.Errorf("line %d: want a mapping or a list", n.Line)
	}
	return args, nil
}

// composeWords decodes a command or entrypoint: a list is taken as is, a
// string is split into words the way compose does (shell quoting, no
// expansion).
func composeWords(n *yaml.Node) ([]string, error) {
	switch n.Kind {
	case 0:
		return nil, nil
	case yaml.ScalarNode:
		if n.Tag == "!!null" {
			return nil, nil
		}
		w, err := splitWords(n.Value)
		if err != nil {
			return nil, fmt.Errorf("line %d: %w", n.Line, err)
		}
		return w, nil
	case yaml.SequenceNode:
		var w []string
		if err := n.Decode(&w); err != nil {
			return nil, fmt.Errorf("line %d: %w", n.Line, err)
		}
		return w, nil
	}
	return nil, errors.New("want a string or a list")
}
