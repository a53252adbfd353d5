package config

import (
	"fmt"
	"reflect"
	"strings"
	"time"

	"github.com/djangocdk/djangocdk"
)

// DocPath is where the rendered schema documentation lives, relative to the repository root.
const DocPath = "docs/config.md"

// RenderDoc returns docs/config.md: every key of the schema with its type,
// meaning, allowed values and the defaults of each profile, the latter read
// from DjangoEcsProps.WithDefaults so they cannot drift.
func RenderDoc() string {
	var b strings.Builder
	b.WriteString(`# Configuration reference

<!-- Generated from internal/config/schema.go by "go run ./internal/tools/gendocs"; do not edit. -->

djangocdk reads the ` + "`[tool.djangocdk]`" + ` table of the project's ` + "`pyproject.toml`" + `, or a
` + "`djangocdk.toml`" + ` (the same keys at the top level) when there is no pyproject.toml.
` + "`djangocdk init`" + ` writes one from what it detects; ` + "`djangocdk validate`" + ` checks it and
reports every problem at once, with the file, the key and what is allowed.

Per-environment overrides live in ` + "`[tool.djangocdk.environments.NAME]`" + ` and use the same
keys; ` + "`--env NAME`" + ` merges them over the base: tables merge key by key, any other value
(including arrays) replaces the base's.

` + "```toml" + `
[tool.djangocdk]
app = "mysite"
region = "eu-west-1"
settings_module = "mysite.settings"

[tool.djangocdk.beat]
enabled = true

[tool.djangocdk.environments.production]
profile = "production"

[tool.djangocdk.environments.production.web]
min_tasks = 3
` + "```" + `

Defaults shown for the starter and production profiles are those of a project
whose settings module is ` + "`mysite.settings`" + `.

| Key | Type | Meaning | Default (starter) | Default (production) |
|---|---|---|---|---|
`)
	defaults := map[string]reflect.Value{}
	for _, profile := range []djangocdk.Profile{djangocdk.ProfileStarter, djangocdk.ProfileProduction} {
		p := djangocdk.DjangoEcsProps{Profile: profile, SettingsModule: "mysite.settings"}.WithDefaults()
		defaults[string(profile)] = reflect.ValueOf(p)
	}
	var walk func(t reflect.Type, keyPath, propPath string)
	walk = func(t reflect.Type, keyPath, propPath string) {
		for i := range t.NumField() {
			f := t.Field(i)
			key := join(keyPath, f.Tag.Get("toml"))
			prop := f.Tag.Get("prop")
			if prop != "" && propPath != "" {
				prop = propPath + "." + prop
			}
			if f.Type.Kind() == reflect.Struct {
				walk(f.Type, key, prop)
				continue
			}
			doc := f.Tag.Get("doc")
			if allowed, ok := enums[key]; ok {
				doc += " Allowed: " + strings.Join(quoteAll(allowed), ", ") + "."
			}
			starter, production := "", ""
			if prop != "" {
				starter = defaultOf(defaults["starter"], prop, f)
				production = defaultOf(defaults["production"], prop, f)
			}
			fmt.Fprintf(&b, "| `%s` | %s | %s | %s | %s |\n", key, typeName(f.Type), escape(doc), starter, production)
		}
	}
	walk(reflect.TypeOf(Config{}), "", "")
	b.WriteString(`
Secrets: ` + "`[secrets]`" + ` maps an environment variable to a reference, never a value:
` + "`secretsmanager:<name>`" + `, ` + "`secretsmanager:<name>:<json field>`" + ` or ` + "`ssm:/<parameter>`" + `.
ECS injects them when a task starts. Names of the env contract (docs/contract.md)
are reserved in ` + "`[env]`" + ` and ` + "`[secrets]`" + `.
`)
	return b.String()
}

// defaultOf reads the default of a props field path from resolved props.
func defaultOf(props reflect.Value, path string, f reflect.StructField) string {
	v := props
	for _, name := range strings.Split(path, ".") {
		if v.Kind() == reflect.Pointer {
			if v.IsNil() {
				return "none"
			}
			v = v.Elem()
		}
		v = v.FieldByName(name)
		if !v.IsValid() {
			return ""
		}
	}
	switch x := v.Interface().(type) {
	case time.Duration:
		return fmt.Sprintf("`%d`", int(x.Minutes()))
	case bool:
		if strings.HasSuffix(path, "Disabled") { // the config says enabled
			x = !x
		}
		return fmt.Sprintf("`%t`", x)
	case []string:
		return "`" + strings.Join(quoteAll(x), ", ") + "`"
	case [][]string:
		parts := make([]string, len(x))
		for i, c := range x {
			parts[i] = "[" + strings.Join(quoteAll(c), ", ") + "]"
		}
		return "`" + strings.Join(parts, ", ") + "`"
	case string:
		if x == "" {
			return "none"
		}
		return fmt.Sprintf("`%q`", x)
	default:
		if v.Kind() == reflect.String {
			return fmt.Sprintf("`%q`", v.String())
		}
		return fmt.Sprintf("`%v`", x)
	}
}

func typeName(t reflect.Type) string {
	switch t.Kind() {
	case reflect.String:
		return "string"
	case reflect.Int:
		return "integer"
	case reflect.Float64:
		return "number"
	case reflect.Bool, reflect.Pointer:
		return "boolean"
	case reflect.Slice:
		if t.Elem().Kind() == reflect.Slice {
			return "array of string arrays"
		}
		return "array of strings"
	case reflect.Map:
		return "table of strings"
	}
	return t.String()
}

func quoteAll(items []string) []string {
	out := make([]string, len(items))
	for i, s := range items {
		out[i] = fmt.Sprintf("%q", s)
	}
	return out
}

func escape(s string) string { return strings.ReplaceAll(s, "|", `\|`) }
