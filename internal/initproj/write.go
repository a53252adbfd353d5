package initproj

import (
	"bytes"
	"embed"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"text/template"

	"github.com/BurntSushi/toml"
	"github.com/djangocdk/djangocdk"
)

//go:embed templates
var templates embed.FS

// Pinned versions of the tools the generated Dockerfile installs.
const (
	poetryVersion  = "2.5.1"
	uvVersion      = "0.13.9"
	pipenvVersion  = "2026.10.3"
	debugpyVersion = "1.8.22"
)

// Options control what Write may change.
type Options struct {
	// Force overwrites files that exist and differ.
	Force bool
	// Yes applies the change to the settings module instead of printing it.
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
			if p.Dockerfile && !o.Force {
				return Action{"Dockerfile", "kept (exists; djangocdk uses it)"}, nil
			}
			return render(p.Dir, "Dockerfile", "templates/Dockerfile.tmpl", v, o.Force)
		},
		func() (Action, error) { return render(p.Dir, ".dockerignore", "templates/dockerignore", v, o.Force) },
		func() (Action, error) {
			for _, name := range []string{"docker-compose.yml", "docker-compose.yaml", "compose.yml"} {
				if exists(filepath.Join(p.Dir, name)) && !o.Force {
					return Action{name, "kept (a compose file exists; compose.yaml not written)"}, nil
				}
			}
			return render(p.Dir, "compose.yaml", "templates/compose.yaml.tmpl", v, o.Force)
		},
	}
	for _, step := range steps {
		if err := add(step()); err != nil {
			return actions, err
		}
	}
	return actions, nil
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

func (v view) WSGIOrDefault() string {
	if v.WSGI != "" {
		return v.WSGI
	}
	return v.Package + ".wsgi:application"
}

// RequirementsCopy copies the requirements directory when the file is in one
// (files there often include each other).
func (v view) RequirementsCopy() string {
	if dir := filepath.Dir(v.Requirements); dir != "." {
		return dir + "/"
	}
	return v.Requirements
}

func (v view) RequirementsCopyDest() string {
	if dir := filepath.Dir(v.Requirements); dir != "." {
		return dir + "/"
	}
	return ""
}

func (v view) PoetryVersion() string  { return poetryVersion }
func (v view) UVVersion() string      { return uvVersion }
func (v view) PipenvVersion() string  { return pipenvVersion }
func (v view) DebugpyVersion() string { return debugpyVersion }

func render(dir, name, tmpl string, v view, force bool) (Action, error) {
	src, err := templates.ReadFile(tmpl)
	if err != nil {
		return Action{}, err
	}
	t, err := template.New(name).Parse(string(src))
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
	t := template.Must(template.New("config").Parse(string(src)))
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

// NextSteps says what the user still has to do.
func NextSteps(p *Project, configFile string) []string {
	var steps []string
	steps = append(steps, fmt.Sprintf("Review the configuration in %s (region, profile, domain); djangocdk validate checks it.", configFile))
	if len(p.Missing) > 0 {
		steps = append(steps, fmt.Sprintf("Add these runtime dependencies (%s): %s.", p.Manager, strings.Join(p.Missing, ", ")))
	}
	if !p.HelperConfigured {
		steps = append(steps, fmt.Sprintf("Add at the end of %s:%s", p.SettingsFile, indent(SettingsLines)))
	}
	if ignore := readAll(filepath.Join(p.Dir, ".dockerignore")); ignore != "" && !strings.Contains("\n"+ignore, "\ncdk.out") {
		steps = append(steps, "Add a line `cdk.out` to .dockerignore: synth writes there, and it must not end up in the image.")
	}
	if !hasHealthz(p) {
		steps = append(steps, "Add a health check URL answering 200 without a database query, e.g. in urls.py:\n"+
			"      path(\"healthz\", lambda request: HttpResponse(\"ok\"))   # from django.http import HttpResponse")
	}
	steps = append(steps, "djangocdk synth    # offline: what will be created and what it costs",
		"djangocdk deploy   # needs Docker, AWS credentials and a bootstrapped account")
	return steps
}

func indent(s string) string {
	return strings.ReplaceAll(strings.TrimRight(s, "\n"), "\n", "\n      ")
}

func hasHealthz(p *Project) bool {
	found := false
	_ = filepath.WalkDir(filepath.Join(p.Dir, p.AppDir), func(path string, d os.DirEntry, err error) error {
		if err != nil || found {
			return nil
		}
		if d.IsDir() && (d.Name() == ".venv" || d.Name() == "node_modules" || d.Name() == ".git") {
			return filepath.SkipDir
		}
		if strings.HasSuffix(path, "urls.py") && strings.Contains(readAll(path), "healthz") {
			found = true
		}
		return nil
	})
	return found
}
