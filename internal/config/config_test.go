package config

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// project writes a minimal Django project (a Dockerfile) and a djangocdk.toml
// with body, and returns the config path.
func project(t testing.TB, body string) string {
	t.Helper()
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "Dockerfile"), []byte("FROM scratch\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(dir, Standalone)
	if err := os.WriteFile(path, []byte(body), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

const valid = `
app = "mysite"
region = "eu-west-1"
settings_module = "mysite.settings"
`

func load(t testing.TB, body, env string) (*Config, error) {
	t.Helper()
	src, err := Find(filepath.Dir(project(t, body)))
	if err != nil {
		return nil, err
	}
	return src.Load(env)
}

func TestValidConfigLoads(t *testing.T) {
	cfg, err := load(t, valid+`
profile = "production"
[web]
cpu = 1024
command = ["gunicorn", "mysite.wsgi", "--bind", "0.0.0.0:8000"]
[release]
commands = [["python", "manage.py", "migrate"]]
[env]
FEATURE = "on"
[secrets]
STRIPE_KEY = "secretsmanager:mysite/stripe:key"
`, "")
	if err != nil {
		t.Fatal(err)
	}
	if cfg.App != "mysite" || cfg.Profile != "production" || cfg.Web.CPU != 1024 || cfg.Env["FEATURE"] != "on" {
		t.Errorf("decoded %+v", cfg)
	}
	if len(cfg.Release.Commands) != 1 || cfg.Release.Commands[0][2] != "migrate" {
		t.Errorf("release commands %v", cfg.Release.Commands)
	}
}

// TestProblems checks each validation error names the key and what is allowed.
func TestProblems(t *testing.T) {
	cases := []struct {
		name, body string
		want       []string // substrings of the one problem expected
	}{
		{"typo with suggestion", valid + "[databse]\nengine = \"rds\"\n", []string{`databse: unknown key "databse" — did you mean "database"?`}},
		{"nested typo", valid + "[web]\ncpus = 512\n", []string{`web.cpus: unknown key "cpus" — did you mean "cpu"?`}},
		{"unknown key lists allowed", valid + "[cache]\nflavour = \"x\"\n", []string{`cache.flavour: unknown key`, "allowed: engine, node_type, replicas"}},
		{"wrong type", valid + "[web]\ncpu = \"512\"\n", []string{"web.cpu: must be an integer, not a string"}},
		{"wrong array item", valid + "[web]\ncommand = [\"gunicorn\", 1]\n", []string{"web.command[1]: must be a string, not an integer"}},
		{"missing app", `region = "eu-west-1"` + "\nsettings_module = \"a.b\"\n", []string{"app: required"}},
		{"bad app", strings.Replace(valid, `"mysite"`, `"My Site"`, 1), []string{`app: "My Site": use 1-30 lower-case`}},
		{"missing region", "app = \"mysite\"\nsettings_module = \"a.b\"\n", []string{"region: required"}},
		{"bad region", strings.Replace(valid, "eu-west-1", "Europe", 1), []string{`region: "Europe" is not an AWS region name`}},
		{"bad account", valid + "account = \"12345\"\n", []string{`account: "12345" is not a 12-digit AWS account ID`}},
		{"reserved target", valid + "target = \"eks\"\n", []string{`target: "eks" is not built yet; only "ecs" is available`}},
		{"unknown target", valid + "target = \"k8s\"\n", []string{`target: "k8s" is not a target (allowed: ecs, eks, lambda, ec2)`}},
		{"enum with suggestion", valid + "profile = \"prod\"\n", []string{`profile: "prod" is not allowed (allowed: starter, production)`}},
		{"nested enum", valid + "[database]\nengine = \"mysql\"\n", []string{`database.engine: "mysql" is not allowed (allowed: rds, aurora-serverless)`}},
		{"nat", valid + "nat = \"gateways\"\n", []string{`nat: "gateways" is not allowed`, `did you mean "gateway"?`}},
		{"secret ref", valid + "[secrets]\nAPI_KEY = \"hunter2\"\n", []string{`secrets.API_KEY: "hunter2" must be "secretsmanager:<name>"`}},
		{"domain without zone", valid + "[domain]\nname = \"www.example.com\"\nhosted_zone_name = \"example.com\"\n", []string{"domain.hosted_zone_id: required with domain.name"}},
		{"domain outside zone", valid + "[domain]\nname = \"www.example.com\"\nhosted_zone_id = \"Z0123456789ABC\"\nhosted_zone_name = \"example.org\"\n", []string{`domain.name: "www.example.com" is not in the hosted zone "example.org"`}},
		{"props: reserved env name", valid + "[env]\nDATABASE_HOST = \"x\"\n", []string{"env:", "DATABASE_HOST"}},
		{"props: task size", valid + "[web]\ncpu = 300\n", []string{"web.cpu:"}},
		{"props: settings module", strings.Replace(valid, `"mysite.settings"`, `"mysite/settings.py"`, 1), []string{"settings_module:", "not a dotted Python module path"}},
		{"props: scaling", valid + "[web]\nmin_tasks = 5\nmax_tasks = 2\n", []string{"web: MinTasks (5) is greater than MaxTasks (2)"}},
		{"environment typo", valid + "[environments.staging]\nprofil = \"production\"\n", []string{`environments.staging.profil: unknown key "profil" — did you mean "profile"?`}},
		{"environment not a table", valid + "environments = 3\n", []string{"environments: must be a table of environments"}},
		{"required env without value", valid + "required_env = [\"SENTRY_DSN\"]\n[env]\nSENTRY_DSN = \"\"\n", []string{"env.SENTRY_DSN: required: the project's settings read it without a default"}},
		{"required env missing", valid + "required_env = [\"SITE_ROOT\", \"DATABASE_URL\", \"API_KEY\"]\n[env]\nSITE_ROOT = \"${url}\"\n", []string{"env.API_KEY: required"}},
		{"required secret without a reference", valid + "required_env = [\"API_KEY\"]\n[secrets]\nAPI_KEY = \"\"\n", []string{"secrets.API_KEY: required: a credential", "secretsmanager:<name>"}},
		{"required env only a cache provides", valid + "broker = \"sqs\"\nrequired_env = [\"REDIS_URL\"]\n[cache]\nengine = \"none\"\n", []string{"env.REDIS_URL: required by the settings, and only a cache provides it"}},
		{"URL forms need the launcher", valid + "entrypoint = []\nrequired_env = [\"DATABASE_URL\"]\n", []string{"env.DATABASE_URL: required by the settings, and the launcher composes it", "entrypoint skips the launcher"}},
		{"unknown placeholder", valid + "[env]\nSITE_ROOT = \"${site}\"\n", []string{"env.SITE_ROOT: unknown placeholder ${site}; allowed: ${url}, ${host}"}},
		{"unclosed placeholder", valid + "[env]\nPRICE = \"${url\"\n", []string{"env.PRICE: unclosed"}},
		{"derived name reserved", valid + "[env]\nDATABASE_URL = \"postgres://x\"\n", []string{"env:", "DATABASE_URL", "composed at container start"}},
		{"static storage", valid + "static_storage = \"whitenoise\"\n", []string{`static_storage: "whitenoise" is not allowed (allowed: s3-manifest, s3, project)`}},
		{"blank entrypoint", valid + "entrypoint = [\"python\", \" \"]\n", []string{"entrypoint: item 1 must not be blank"}},
		{"environment name", valid + "[environments.\"Prod EU\"]\nprofile = \"production\"\n", []string{"environments.Prod EU: environment names use"}},
		{"alarms: email", valid + "[alarms]\nemail = \"ops at example.com\"\n", []string{`alarms.email: "ops at example.com" is not an email address`}},
		{"alarms: production keeps them", valid + "profile = \"production\"\n[alarms]\nenabled = false\n", []string{"alarms.enabled: the production profile always has alarms"}},
		{"alarms: threshold range", valid + "[alarms]\ncache_memory_percent = 150\n", []string{"alarms.cache_memory_percent: 150 is out of range; allowed: 10 to 100"}},
		{"alarms: typo", valid + "[alarms]\nemails = \"ops@example.com\"\n", []string{`alarms.emails: unknown key "emails" — did you mean "email"?`}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := load(t, c.body, "")
			var ce *Error
			if !errors.As(err, &ce) {
				t.Fatalf("want *Error, got %v", err)
			}
			if len(ce.Problems) != 1 {
				t.Fatalf("want 1 problem, got %d:\n%v", len(ce.Problems), err)
			}
			got := ce.Problems[0].String()
			if !strings.HasPrefix(got, ce.Problems[0].File+": ") || !strings.HasSuffix(ce.Problems[0].File, Standalone) {
				t.Errorf("problem does not name the file: %s", got)
			}
			for _, w := range c.want {
				if !strings.Contains(got, w) {
					t.Errorf("problem %q\n  does not contain %q", got, w)
				}
			}
		})
	}
}

func TestAlarmsConfigReachesProps(t *testing.T) {
	path := project(t, valid+`
[alarms]
email = "ops@example.com"
error_rate_percent = 2.5
latency_seconds = 2
database_cpu_percent = 75
database_free_storage_gib = 4
database_connections = 50
cache_memory_percent = 70
queue_age_seconds = 600
`)
	src, err := Find(filepath.Dir(path))
	if err != nil {
		t.Fatal(err)
	}
	cfg, err := src.Load("")
	if err != nil {
		t.Fatal(err)
	}
	a := cfg.baseProps(filepath.Dir(path)).Alarms
	if a.Disabled || a.Email != "ops@example.com" || a.ErrorRatePercent != 2.5 || a.LatencySeconds != 2 || a.DatabaseCPUPercent != 75 ||
		a.DatabaseFreeStorageGiB != 4 || a.DatabaseConnections != 50 || a.CacheMemoryPercent != 70 || a.QueueAgeSeconds != 600 {
		t.Errorf("alarm props %+v", a)
	}
	off, err := load(t, valid+"[alarms]\nenabled = false\n", "")
	if err != nil {
		t.Fatal(err)
	}
	if !off.baseProps(".").Alarms.Disabled {
		t.Error("alarms.enabled = false did not disable the alarms")
	}
}

func TestEveryProblemAtOnce(t *testing.T) {
	_, err := load(t, "region = \"nowhere\"\nprofile = \"big\"\n[web]\ncpu = \"x\"\nport = true\n[wrker]\n", "")
	var ce *Error
	if !errors.As(err, &ce) {
		t.Fatal(err)
	}
	// Decoding problems come first (type and key errors), all of them.
	if len(ce.Problems) != 3 {
		t.Fatalf("want 3 decoding problems, got:\n%v", err)
	}
}

func TestConfigAndPropsProblemsTogether(t *testing.T) {
	_, err := load(t, strings.Replace(valid, "eu-west-1", "moon-1", 1)+"profile = \"huge\"\n[web]\ncpu = 300\n", "")
	var ce *Error
	if !errors.As(err, &ce) {
		t.Fatal(err)
	}
	keys := map[string]int{}
	for _, p := range ce.Problems {
		keys[p.Key]++
	}
	if keys["region"] != 1 || keys["profile"] != 1 || keys["web.cpu"] != 1 {
		t.Errorf("want region, profile and web.cpu once each, got:\n%v", err)
	}
}

func TestPyprojectTable(t *testing.T) {
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "Dockerfile"), []byte("FROM scratch\n"), 0o644)
	body := "[project]\nname = \"mysite\"\n\n[tool.djangocdk]\napp = \"mysite\"\nregion = \"eu-west-1\"\nsettings_module = \"mysite.settings\"\n[tool.djangocdk.web]\ncpux = 1\n"
	os.WriteFile(filepath.Join(dir, PyProject), []byte(body), 0o644)
	src, err := Find(dir)
	if err != nil {
		t.Fatal(err)
	}
	_, err = src.Load("")
	if err == nil || !strings.Contains(err.Error(), "pyproject.toml: tool.djangocdk.web.cpux: unknown key") {
		t.Fatalf("want the full key path in pyproject.toml, got %v", err)
	}
}

func TestNotFound(t *testing.T) {
	if _, err := Find(t.TempDir()); !errors.Is(err, ErrNotFound) {
		t.Fatalf("want ErrNotFound, got %v", err)
	}
}

func TestEnvironmentOverridesMergeOverTheBase(t *testing.T) {
	body := valid + `
[web]
cpu = 512
memory = 2048
command = ["gunicorn", "a", "-b", "0.0.0.0:8000"]
[env]
A = "base"
B = "base"
[environments.production]
profile = "production"
[environments.production.web]
cpu = 1024
command = ["gunicorn", "b", "--workers", "4", "-b", "0.0.0.0:8000"]
[environments.production.env]
B = "prod"
[environments.staging.web]
min_tasks = 1
`
	base, err := load(t, body, "")
	if err != nil {
		t.Fatal(err)
	}
	prod, err := load(t, body, "production")
	if err != nil {
		t.Fatal(err)
	}
	if base.Profile != "" || base.Web.CPU != 512 || base.Env["B"] != "base" {
		t.Errorf("base changed by an environment: %+v", base)
	}
	if prod.Profile != "production" || prod.Web.CPU != 1024 || prod.Web.Memory != 2048 {
		t.Errorf("production: profile %q cpu %d memory %d", prod.Profile, prod.Web.CPU, prod.Web.Memory)
	}
	if strings.Join(prod.Web.Command, " ") != "gunicorn b --workers 4 -b 0.0.0.0:8000" {
		t.Errorf("arrays are replaced, not merged: %v", prod.Web.Command)
	}
	if prod.Env["A"] != "base" || prod.Env["B"] != "prod" {
		t.Errorf("tables merge key by key: %v", prod.Env)
	}
	if _, err := load(t, body, "qa"); err == nil || !strings.Contains(err.Error(), `unknown environment "qa" (defined: production, staging)`) {
		t.Errorf("unknown environment: %v", err)
	}
}

// FuzzLoad feeds arbitrary documents to the loader: it may reject them, but
// never panic.
func FuzzLoad(f *testing.F) {
	f.Add([]byte(valid))
	f.Add([]byte(valid + "[environments.a.web]\ncpu = 1\n[web]\ncommand = [[1]]\n"))
	f.Add([]byte("environments = [1, 2]\n[secrets]\nX = 1\n"))
	f.Add([]byte("[database]\nmin_capacity = 1e308\nversion = 99999999999\n"))
	dir := f.TempDir()
	os.WriteFile(filepath.Join(dir, "Dockerfile"), []byte("FROM scratch\n"), 0o644)
	path := filepath.Join(dir, Standalone)
	f.Fuzz(func(t *testing.T, data []byte) {
		src, err := Parse(path, data)
		if err != nil {
			return
		}
		for _, env := range append(src.Environments(), "") {
			cfg, err := src.Load(env)
			if (cfg == nil) == (err == nil) {
				t.Fatalf("Load must return a config or an error: %v %v", cfg, err)
			}
		}
	})
}

// TestDocIsCurrent fails when docs/config.md differs from the schema.
func TestDocIsCurrent(t *testing.T) {
	got, err := os.ReadFile(filepath.Join("..", "..", DocPath))
	if err != nil {
		t.Fatal(err)
	}
	if string(got) != RenderDoc() {
		t.Fatalf("%s is out of date: run go run ./internal/tools/gendocs", DocPath)
	}
}

func TestDocListsEveryKeyWithDefaults(t *testing.T) {
	doc := RenderDoc()
	for _, want := range []string{
		"| `app` | string |", "| `web.cpu` | integer |", "| `worker.enabled` | boolean |", "| `release.commands` | array of string arrays |",
		"| `nat` | string |", `"gateway-single"`, "`\"db.t4g.micro\"`", "`\"db.t4g.medium\"`", "| `environments` |",
	} {
		if want == "| `environments` |" {
			if strings.Contains(doc, want) {
				t.Error("environments is documented in prose, not as a key")
			}
			continue
		}
		if !strings.Contains(doc, want) {
			t.Errorf("doc lacks %q", want)
		}
	}
}

// TestImageProblems: validate reads the Dockerfile the deployment builds.
func TestImageProblems(t *testing.T) {
	dockerfile := "FROM python:3.12-slim\nWORKDIR /app\nCOPY entrypoint.sh /entrypoint\nENTRYPOINT [\"/entrypoint\"]\nCMD [\"gunicorn\", \"mysite.wsgi\"]\n"
	cases := []struct {
		name, script, extra string
		want                []string // substrings of the one problem expected; none when empty
	}{
		{"image entrypoint skipped", "#!/bin/sh\nexec \"$@\"\n", "", []string{"entrypoint: Dockerfile:4: the image's ENTRYPOINT /entrypoint would not run", `"exec", "/entrypoint"`}},
		{"kept entrypoint", "#!/bin/sh\nexec \"$@\"\n", `entrypoint = ["python", "-m", "djangocdk_settings", "exec", "/entrypoint"]` + "\n", nil},
		{"entrypoint swallows the command", "#!/bin/sh\necho waiting\ngunicorn mysite.wsgi\n", `entrypoint = ["python", "-m", "djangocdk_settings", "exec", "/entrypoint"]` + "\n", []string{"entrypoint: entrypoint.sh:3: the ENTRYPOINT script never runs its arguments", `exec "$@"`}},
		{"explicitly replaced", "#!/bin/sh\necho waiting\n", `entrypoint = ["python", "-m", "djangocdk_settings", "exec"]` + "\n", nil},
		{"runserver", "#!/bin/sh\nexec \"$@\"\n", `entrypoint = []` + "\n[web]\ncommand = [\"python\", \"manage.py\", \"runserver\", \"0.0.0.0:8000\"]\n", []string{"web.command: Dockerfile: the container serves `manage.py runserver`"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			path := project(t, valid+c.extra)
			dir := filepath.Dir(path)
			os.WriteFile(filepath.Join(dir, "Dockerfile"), []byte(dockerfile), 0o644)
			os.WriteFile(filepath.Join(dir, "entrypoint.sh"), []byte(c.script), 0o755)
			src, err := Find(dir)
			if err != nil {
				t.Fatal(err)
			}
			_, err = src.Load("")
			if c.want == nil {
				if err != nil {
					t.Fatalf("want no problem, got %v", err)
				}
				return
			}
			var ce *Error
			if !errors.As(err, &ce) {
				t.Fatalf("want problems, got %v", err)
			}
			for _, w := range c.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("problems %q\n  do not contain %q", err, w)
				}
			}
		})
	}
}
