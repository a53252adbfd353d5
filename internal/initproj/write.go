package initproj

import (
	"bytes"
	"embed"
	"encoding/json"
	"fmt"
	"os"
	"path"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"text/template"

	"github.com/BurntSushi/toml"
	"github.com/djangocdk/djangocdk"
	"github.com/djangocdk/djangocdk/internal/deps"
)

//go:embed templates
var templates embed.FS

// debugpyVersion is the debugger the dev stage installs.
const debugpyVersion = "1.8.22"

// Options control what Write may change.
type Options struct {
	// Force overwrites files that exist and differ.
	Force bool
	// Yes applies what init advises: the settings call, the missing runtime
	// dependencies (the way the project's dependency manager does it) and
	// cdk.out in .dockerignore.
	Yes bool
	// Region goes into a new configuration.
	Region string
}

// Action is what happened to one file.
type Action struct {
	// Path relative to the project root.
	Path string
	// Status: created, updated, overwritten, unchanged, or kept (with why).
	Status string
}

// SettingsLines are what a settings module needs to apply the env contract.
const SettingsLines = "\n# Deployment settings from the environment (djangocdk; no-op on a developer machine).\nimport djangocdk_settings  # noqa: E402\n\ndjangocdk_settings.configure(globals())\n"

// Write writes what the project lacks and returns one action per file.
func Write(p *Project, o Options) ([]Action, error) {
	if o.Region == "" {
		o.Region = "us-east-1"
	}
	v := view{Project: p, Region: o.Region}
	var actions []Action
	add := func(a Action, err error) error {
		if err != nil {
			return err
		}
		actions = append(actions, a)
		return nil
	}
	steps := []func() (Action, error){
		func() (Action, error) { return writeConfig(p, v, o.Force) },
		func() (Action, error) {
			return writeFile(p.Dir, filepath.Join(p.AppDir, djangocdk.SettingsHelperFile), []byte(djangocdk.SettingsHelperSource()), o.Force)
		},
		func() (Action, error) { return applySettings(p, o.Yes) },
		func() (Action, error) {
			if p.DockerfilePath != "" {
				return Action{p.DockerfilePath, "kept (" + p.DockerSource.FoundIn + "; djangocdk builds it)"}, nil
			}
			return render(p.Dir, "Dockerfile", "templates/Dockerfile.tmpl", v, o.Force)
		},
		func() (Action, error) { return writeDockerignore(p, v, o) },
		func() (Action, error) {
			if p.DockerfilePath != "" {
				return Action{"compose.yaml", "kept out (the sandbox needs a generated Dockerfile's dev stage)"}, nil
			}
			for _, name := range []string{"docker-compose.yml", "docker-compose.yaml", "compose.yml"} {
				if exists(filepath.Join(p.Dir, name)) && !o.Force {
					return Action{name, "kept (a compose file exists; compose.yaml not written)"}, nil
				}
			}
			return render(p.Dir, "compose.yaml", "templates/compose.yaml.tmpl", v, o.Force)
		},
		func() (Action, error) {
			return appendLines(p.Dir, ".gitignore", []string{"cdk.out/"}, "djangocdk: synthesized templates")
		},
	}
	for _, step := range steps {
		if err := add(step()); err != nil {
			return actions, err
		}
	}
	if o.Yes && len(p.Missing) > 0 {
		changes, err := deps.Add(p.Dir, p.Deps, p.Missing)
		for _, c := range changes {
			status := "updated (" + c.Description + ")"
			if c.Manual != "" {
				status += "; run: " + c.Manual
				p.Manual = append(p.Manual, c.Manual)
			}
			actions = append(actions, Action{c.File, status})
		}
		if err != nil {
			return actions, fmt.Errorf("add runtime dependencies: %w", err)
		}
	}
	return actions, nil
}

// writeDockerignore writes the generated .dockerignore, or with --yes adds
// cdk.out to an existing one (synth writes there; it must not reach the image).
func writeDockerignore(p *Project, v view, o Options) (Action, error) {
	if !exists(filepath.Join(p.Dir, ".dockerignore")) || o.Force {
		return render(p.Dir, ".dockerignore", "templates/dockerignore", v, o.Force)
	}
	if !o.Yes {
		return Action{".dockerignore", "kept"}, nil
	}
	return appendLines(p.Dir, ".dockerignore", []string{"cdk.out"}, "djangocdk: synthesized templates")
}

// appendLines adds the lines a file lacks (creating it), under a comment.
func appendLines(dir, rel string, lines []string, comment string) (Action, error) {
	file := filepath.Join(dir, rel)
	old := readAll(file)
	have := strings.Split(old, "\n")
	var add []string
	for _, l := range lines {
		trimmed := strings.TrimSuffix(l, "/")
		if !slices.ContainsFunc(have, func(h string) bool {
			h = strings.TrimSpace(h)
			return h == l || h == trimmed || h == "/"+l || h == "/"+trimmed
		}) {
			add = append(add, l)
		}
	}
	if len(add) == 0 {
		return Action{rel, "unchanged"}, nil
	}
	text := old
	if text != "" && !strings.HasSuffix(text, "\n") {
		text += "\n"
	}
	text += "# " + comment + "\n" + strings.Join(add, "\n") + "\n"
	if err := os.WriteFile(file, []byte(text), 0o644); err != nil {
		return Action{}, fmt.Errorf("write %s: %w", rel, err)
	}
	status := "updated (+ " + strings.Join(add, ", ") + ")"
	if old == "" {
		status = "created"
	}
	return Action{rel, status}, nil
}

// view is the data of the templates.
type view struct {
	*Project
	Region string
	// header prefix: "tool.djangocdk" in pyproject.toml, "" in djangocdk.toml.
	prefix string
}

func (v view) Header(table string) string {
	name := strings.Trim(v.prefix+"."+table, ".")
	if name == "" {
		return ""
	}
	return "[" + name + "]"
}

func (v view) AppDirSlash() string { return filepath.ToSlash(v.AppDir) }

// Workdir is where manage.py is inside the image.
func (v view) Workdir() string { return filepath.ToSlash(filepath.Join("/app", v.AppDir)) }

func (v view) DBName() string { return strings.ReplaceAll(v.Name, "-", "_") }

func (v view) SettingsNote() string {
	if v.CloudSettings != v.SettingsModule {
		return "the production module of the settings package (manage.py defaults to " + v.SettingsModule + ")"
	}
	return "manage.py's default"
}

// PlainEnv and SecretEnv split RequiredEnv into values for [env] and
// credentials for [secrets].
func (v view) PlainEnv() []EnvNeed  { return v.neededWhere(false) }
func (v view) SecretEnv() []EnvNeed { return v.neededWhere(true) }

func (v view) neededWhere(secret bool) []EnvNeed {
	var out []EnvNeed
	for _, e := range v.RequiredEnv {
		if e.Secret == secret {
			out = append(out, e)
		}
	}
	return out
}

// RequiredEnvNames lists the names of RequiredEnv.
func (v view) RequiredEnvNames() []string {
	names := make([]string, len(v.RequiredEnv))
	for i, e := range v.RequiredEnv {
		names[i] = e.Name
	}
	return names
}

// BuildPackages are the Debian packages the build stage installs.
func (v view) BuildPackages() string {
	return strings.Join(append([]string{"build-essential"}, v.Deps.SystemPackages.Build...), " ")
}

// RuntimePackages are the Debian packages the runtime stage needs.
func (v view) RuntimePackages() string { return strings.Join(v.Deps.SystemPackages.Runtime, " ") }

// ToolInstall installs the dependency manager itself, pinned.
func (v view) ToolInstall() string {
	tool := v.Deps.Manager
	if !strings.Contains(strings.Join(v.Deps.InstallCommand, " "), tool) {
		return "" // e.g. pip, or PEP 621 dependencies installed with pip
	}
	if pin, ok := deps.ToolPins[tool]; ok {
		return "/usr/local/bin/pip install " + pin
	}
	return ""
}

// CopyLines copy the dependency files into the build stage, keeping paths.
func (v view) CopyLines() []string {
	var root []string
	var out []string
	for _, f := range v.Deps.Files {
		switch dir := path.Dir(strings.TrimSuffix(f, "/")); {
		case strings.HasSuffix(f, "/"):
			out = append(out, f+" ./"+f)
		case dir == ".":
			root = append(root, f)
		default:
			out = append(out, f+" ./"+dir+"/")
		}
	}
	if len(root) > 0 {
		out = append([]string{strings.Join(root, " ") + " ./"}, out...)
	}
	return out
}

// InstallLine is the RUN that installs the dependencies into /venv.
func (v view) InstallLine() string {
	env := ""
	switch v.Deps.Manager {
	case deps.ManagerUV:
		env = "UV_PROJECT_ENVIRONMENT=/venv "
	case deps.ManagerPoetry:
		env = "POETRY_VIRTUALENVS_CREATE=false "
	}
	return env + strings.Join(v.Deps.InstallCommand, " \\\n && "+env)
}

// DebugpyVersion is the debugger the dev stage installs.
func (v view) DebugpyVersion() string { return debugpyVersion }

// templateFuncs render values as TOML and JSON in the templates.
var templateFuncs = template.FuncMap{
	"toml": func(v any) (string, error) {
		var b bytes.Buffer
		if err := toml.NewEncoder(&b).Encode(map[string]any{"v": v}); err != nil {
			return "", err
		}
		return strings.TrimSpace(strings.TrimPrefix(b.String(), "v = ")), nil
	},
	"json": func(v any) (string, error) {
		b, err := json.Marshal(v)
		return string(b), err
	},
}

func render(dir, name, tmpl string, v view, force bool) (Action, error) {
	src, err := templates.ReadFile(tmpl)
	if err != nil {
		return Action{}, err
	}
	t, err := template.New(name).Funcs(templateFuncs).Parse(string(src))
	if err != nil {
		return Action{}, fmt.Errorf("template %s: %w", tmpl, err)
	}
	var b bytes.Buffer
	if err := t.Execute(&b, v); err != nil {
		return Action{}, fmt.Errorf("render %s: %w", name, err)
	}
	return writeFile(dir, name, b.Bytes(), force)
}

// writeFile creates rel under dir, or reports it unchanged or kept.
func writeFile(dir, rel string, content []byte, force bool) (Action, error) {
	path := filepath.Join(dir, rel)
	old, err := os.ReadFile(path)
	switch {
	case err == nil && bytes.Equal(old, content):
		return Action{rel, "unchanged"}, nil
	case err == nil && !force:
		return Action{rel, "kept (exists and differs; --force overwrites it)"}, nil
	}
	status := "created"
	if err == nil {
		status = "overwritten"
	}
	if err := os.WriteFile(path, content, 0o644); err != nil {
		return Action{}, fmt.Errorf("write %s: %w", rel, err)
	}
	return Action{rel, status}, nil
}

var djangocdkTable = regexp.MustCompile(`(?m)^\[tool\.djangocdk[\].]`)

// writeConfig adds the [tool.djangocdk] table to pyproject.toml, or writes
// djangocdk.toml when there is no pyproject.toml.
func writeConfig(p *Project, v view, force bool) (Action, error) {
	py := filepath.Join(p.Dir, "pyproject.toml")
	existing, err := os.ReadFile(py)
	if err != nil {
		return render(p.Dir, "djangocdk.toml", "templates/config.toml.tmpl", v, force)
	}
	v.prefix = "tool.djangocdk"
	var doc map[string]any
	if _, err := toml.Decode(string(existing), &doc); err != nil {
		return Action{}, fmt.Errorf("read pyproject.toml: %w", err)
	}
	tool, _ := doc["tool"].(map[string]any)
	_, has := tool["djangocdk"]
	if has && !force {
		return Action{"pyproject.toml", "kept (already has [tool.djangocdk])"}, nil
	}
	text := string(existing)
	if has {
		text = removeTable(text)
	}
	src, err := templates.ReadFile("templates/config.toml.tmpl")
	if err != nil {
		return Action{}, err
	}
	t := template.Must(template.New("config").Funcs(templateFuncs).Parse(string(src)))
	var b bytes.Buffer
	if err := t.Execute(&b, v); err != nil {
		return Action{}, fmt.Errorf("render configuration: %w", err)
	}
	text = strings.TrimRight(text, "\n") + "\n\n" + b.String()
	if err := os.WriteFile(py, []byte(text), 0o644); err != nil {
		return Action{}, fmt.Errorf("write pyproject.toml: %w", err)
	}
	if has {
		return Action{"pyproject.toml", "overwritten ([tool.djangocdk] replaced)"}, nil
	}
	return Action{"pyproject.toml", "updated ([tool.djangocdk] added)"}, nil
}

// removeTable drops every [tool.djangocdk...] table (and the comment lines
// right above the first) from a pyproject.toml text.
func removeTable(text string) string {
	lines := strings.Split(text, "\n")
	var out []string
	skipping := false
	for _, line := range lines {
		trimmed := strings.TrimSpace(line)
		if strings.HasPrefix(trimmed, "[") {
			skipping = djangocdkTable.MatchString(trimmed)
			if skipping {
				for len(out) > 0 && strings.HasPrefix(strings.TrimSpace(out[len(out)-1]), "#") {
					out = out[:len(out)-1]
				}
			}
		}
		if !skipping {
			out = append(out, line)
		}
	}
	return strings.Join(out, "\n")
}

// applySettings appends the helper call to the cloud settings module (--yes).
func applySettings(p *Project, yes bool) (Action, error) {
	rel := p.SettingsFile
	if p.HelperConfigured {
		return Action{rel, "unchanged (already calls djangocdk_settings.configure)"}, nil
	}
	if !yes {
		return Action{rel, "not changed (see next steps, or run with --yes)"}, nil
	}
	f, err := os.OpenFile(filepath.Join(p.Dir, rel), os.O_APPEND|os.O_WRONLY, 0)
	if err != nil {
		return Action{}, fmt.Errorf("update %s: %w", rel, err)
	}
	defer f.Close()
	if _, err := f.WriteString(SettingsLines); err != nil {
		return Action{}, fmt.Errorf("update %s: %w", rel, err)
	}
	p.HelperConfigured = true
	return Action{rel, "updated (calls djangocdk_settings.configure)"}, nil
}
