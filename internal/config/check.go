package config

import (
	"errors"
	"fmt"
	"reflect"
	"regexp"
	"slices"
	"strings"

	"github.com/djangocdk/djangocdk"
)

var (
	appName    = regexp.MustCompile(`^[a-z][a-z0-9-]{0,29}$`)
	regionName = regexp.MustCompile(`^[a-z]{2}(-gov|-iso[a-z]*)?-[a-z]+-\d$`)
	accountID  = regexp.MustCompile(`^\d{12}$`)
	zoneID     = regexp.MustCompile(`^Z[A-Z0-9]{4,32}$`)
	secretRef  = regexp.MustCompile(`^(secretsmanager:[A-Za-z0-9/_+=.@-]+(:[A-Za-z0-9_.-]+)?|ssm:/[A-Za-z0-9/_.-]+)$`)
)

// Targets lists the compute targets the schema knows; only "ecs" is built.
var Targets = []string{"ecs", "eks", "lambda", "ec2"}

// enums maps config keys to their allowed values, taken from the library's
// constants so the two cannot disagree.
var enums = map[string][]string{
	"profile":         {string(djangocdk.ProfileStarter), string(djangocdk.ProfileProduction)},
	"architecture":    {string(djangocdk.ArchARM64), string(djangocdk.ArchX86)},
	"nat":             {string(djangocdk.NatGatewayPerAz), string(djangocdk.NatGatewaySingle), string(djangocdk.NatInstance), string(djangocdk.NatNone)},
	"broker":          {string(djangocdk.BrokerCache), string(djangocdk.BrokerSQS)},
	"edge":            {string(djangocdk.EdgeCloudFront), string(djangocdk.EdgeALBHTTPS), string(djangocdk.EdgeALBHTTPInsecure)},
	"database.engine": {string(djangocdk.DatabaseRDS), string(djangocdk.DatabaseAurora)},
	"cache.engine":    {string(djangocdk.CacheValkey), string(djangocdk.CacheRedis), string(djangocdk.CacheNone)},
	"static_storage":  {string(djangocdk.StaticS3Manifest), string(djangocdk.StaticS3), string(djangocdk.StaticProject)},
}

// check validates the decoded configuration: its own fields first, then the
// DjangoEcsProps it maps to, with each props problem reported under the
// config key that sets the field.
func (c *Config) check(file, prefix string) []Problem {
	var probs []Problem
	add := func(key, msg string, args ...any) {
		if prefix != "" {
			key = prefix + "." + key
		}
		probs = append(probs, Problem{File: file, Key: key, Message: fmt.Sprintf(msg, args...)})
	}
	switch {
	case c.App == "":
		add("app", "required: the application's name, e.g. \"mysite\"")
	case !appName.MatchString(c.App):
		add("app", "%q: use 1-30 lower-case letters, digits and dashes, starting with a letter", c.App)
	}
	switch {
	case c.Target == "" || c.Target == "ecs":
	case slices.Contains(Targets, c.Target):
		add("target", "%q is not built yet; only \"ecs\" is available", c.Target)
	default:
		add("target", "%q is not a target (allowed: %s)", c.Target, strings.Join(Targets, ", "))
	}
	switch {
	case c.Region == "":
		add("region", "required: the AWS region, e.g. \"eu-west-1\"")
	case !regionName.MatchString(c.Region):
		add("region", "%q is not an AWS region name, e.g. \"eu-west-1\"", c.Region)
	}
	if c.Account != "" && !accountID.MatchString(c.Account) {
		add("account", "%q is not a 12-digit AWS account ID", c.Account)
	}
	for key, allowed := range enums {
		if v := c.lookup(key); v != "" && !slices.Contains(allowed, v) {
			msg := fmt.Sprintf("%q is not allowed (allowed: %s)", v, strings.Join(allowed, ", "))
			if s := suggest(v, allowed); s != "" {
				msg += fmt.Sprintf(" — did you mean %q?", s)
			}
			add(key, "%s", msg)
		}
	}
	for name, ref := range c.Secrets {
		if ref == "" && slices.Contains(c.RequiredEnv, name) {
			add("secrets."+name, "required: a credential the project's settings read without a default (init found it); store it in Secrets Manager and reference it here: \"secretsmanager:<name>[:<json field>]\" or \"ssm:/<parameter>\"")
			continue
		}
		if !secretRef.MatchString(ref) {
			add("secrets."+name, "%q must be \"secretsmanager:<name>\", \"secretsmanager:<name>:<json field>\" or \"ssm:/<parameter>\"", ref)
		}
	}
	for _, name := range c.RequiredEnv {
		if msg := c.missingRequired(name); msg != "" {
			add("env."+name, "%s", msg)
		}
	}
	d := c.Domain
	if d.Name != "" {
		if !zoneID.MatchString(d.HostedZoneID) {
			add("domain.hosted_zone_id", "required with domain.name: the Route 53 hosted zone ID, e.g. \"Z0123456789ABCDEFGHIJ\"")
		}
		if d.HostedZoneName == "" {
			add("domain.hosted_zone_name", "required with domain.name: the hosted zone's name, e.g. \"example.com\"")
		} else if d.Name != d.HostedZoneName && !strings.HasSuffix(d.Name, "."+d.HostedZoneName) {
			add("domain.name", "%q is not in the hosted zone %q", d.Name, d.HostedZoneName)
		}
	} else if d.HostedZoneID != "" || d.HostedZoneName != "" {
		add("domain.name", "required when a hosted zone is given")
	}
	// The props validation also checks the enums; report each key once.
	reported := map[string]bool{}
	for _, p := range probs {
		reported[p.Key] = true
	}
	for _, p := range c.checkProps(file, prefix) {
		if !reported[p.Key] {
			probs = append(probs, p)
		}
	}
	return append(probs, c.checkImage(file, prefix)...)
}

// lookup returns the string value of a dotted enum key.
func (c *Config) lookup(key string) string {
	switch key {
	case "profile":
		return c.Profile
	case "architecture":
		return c.Architecture
	case "nat":
		return c.NAT
	case "broker":
		return c.Broker
	case "edge":
		return c.Edge
	case "database.engine":
		return c.Database.Engine
	case "cache.engine":
		return c.Cache.Engine
	case "static_storage":
		return c.StaticStorage
	}
	return ""
}

// checkProps runs DjangoEcsProps.Validate on the props this configuration
// maps to (built without touching jsii) and translates the field names.
func (c *Config) checkProps(file, prefix string) []Problem {
	props := c.baseProps(filepathDir(file))
	err := props.Validate()
	var pe *djangocdk.PropsError
	if err == nil || !errors.As(err, &pe) {
		return nil
	}
	keys := propKeys()
	var probs []Problem
	for _, msg := range pe.Problems {
		field, rest, _ := strings.Cut(msg, ": ")
		switch {
		case field == "Domain.HostedZone":
			continue // the config names the zone by ID, checked above
		case strings.HasPrefix(field, "Release.Size"):
			continue // the release task takes the web size: the web problem is reported
		}
		key := keys[strings.SplitN(field, "/", 2)[0]]
		if name, ok := strings.CutPrefix(field, "Environment."); ok {
			key = "env." + name
		}
		for parent := field; key == "" && strings.Contains(parent, "."); {
			parent = parent[:strings.LastIndex(parent, ".")]
			key = keys[parent]
		}
		if key == "" {
			key, rest = "", msg
		} else if prefix != "" {
			key = prefix + "." + key
		}
		probs = append(probs, Problem{File: file, Key: key, Message: rest})
	}
	return probs
}

// propKeys maps DjangoEcsProps field paths ("Web.Size.CPU") to config keys
// ("web.cpu"), from the schema's prop tags.
func propKeys() map[string]string {
	out := map[string]string{}
	var walk func(t reflect.Type, propPath, keyPath string)
	walk = func(t reflect.Type, propPath, keyPath string) {
		for i := range t.NumField() {
			f := t.Field(i)
			prop, key := f.Tag.Get("prop"), join(keyPath, f.Tag.Get("toml"))
			if prop == "" {
				continue
			}
			full := prop
			if propPath != "" {
				full = propPath + "." + prop
			}
			out[full] = key
			if f.Type.Kind() == reflect.Struct {
				walk(f.Type, full, key)
			}
		}
	}
	walk(reflect.TypeOf(Config{}), "", "")
	return out
}

// missingRequired says why a variable of required_env has no value, or "".
func (c *Config) missingRequired(name string) string {
	if c.Env[name] != "" {
		return ""
	}
	if _, ok := c.Secrets[name]; ok {
		return ""
	}
	cache, launcher := c.Cache.Engine != string(djangocdk.CacheNone), djangocdk.UsesLauncher(c.EntryPoint)
	switch {
	case djangocdk.Provided(name, cache, launcher):
		return ""
	case djangocdk.Provided(name, true, launcher):
		return "required by the settings, and only a cache provides it: set cache.engine to \"valkey\" or \"redis\""
	case djangocdk.Provided(name, cache, true):
		return fmt.Sprintf("required by the settings, and the launcher composes it at container start, but entrypoint skips the launcher: start entrypoint with %q", djangocdk.LauncherEntryPoint)
	}
	return "required: the project's settings read it without a default (init found it); give it a value here " +
		"(deployment facts: ${url}, ${host}, ${bucket}, ${assets_domain}, ${region}), or a reference in " +
		"[secrets] if it is a credential"
}
