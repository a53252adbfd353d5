package deps

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// realTool returns the directory holding the manager's executable: the one
// on PATH, else a virtual environment with ToolPins[manager] installed from
// PyPI (kept in the user cache, by version, for the next run). It skips the
// test when neither is possible.
func realTool(t *testing.T, manager string) string {
	t.Helper()
	skip := t.Skipf
	if os.Getenv("CI") != "" {
		skip = t.Fatalf // in CI the real tools must run: a skip would hide what they prove
	}
	if path, err := exec.LookPath(manager); err == nil {
		return filepath.Dir(path)
	}
	cache, err := os.UserCacheDir()
	if err != nil {
		skip("%s is not on PATH and there is no cache directory to install it into: %v", manager, err)
	}
	venv := filepath.Join(cache, "djangocdk", "test-tools", ToolPins[manager])
	bin, done := filepath.Join(venv, "bin"), filepath.Join(venv, "installed")
	if _, err := os.Stat(done); err == nil {
		return bin
	}
	python, err := exec.LookPath("python3")
	if err != nil {
		skip("%s is not on PATH, and without python3 it cannot be installed", manager)
	}
	_ = os.RemoveAll(venv) // what a failed attempt left
	for _, args := range [][]string{{python, "-m", "venv", venv}, {filepath.Join(bin, "pip"), "install", "-q", ToolPins[manager]}} {
		if out, err := exec.Command(args[0], args[1:]...).CombinedOutput(); err != nil {
			skip("%s is not on PATH and installing %s from PyPI failed (%v): %s", manager, ToolPins[manager], err, lastLine(string(out)))
		}
	}
	if err := os.WriteFile(done, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	return bin
}

// useTool makes Add find the manager in bin.
func useTool(t *testing.T, bin string) {
	t.Helper()
	old := lookPath
	lookPath = func(name string) (string, error) { return exec.LookPath(filepath.Join(bin, name)) }
	t.Cleanup(func() { lookPath = old })
}

// run runs a command line of the plan in dir, returning its output.
func run(t *testing.T, dir, bin, line string, env ...string) string {
	t.Helper()
	cmd := exec.Command("sh", "-c", line)
	cmd.Dir = dir
	cmd.Env = append(append(os.Environ(), "PATH="+bin+string(os.PathListSeparator)+os.Getenv("PATH")), env...)
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	if err := cmd.Run(); err != nil {
		t.Fatalf("%s: %v\n%s", line, err, out.String())
	}
	return out.String()
}

func TestAddWithUV(t *testing.T) {
	bin := realTool(t, ManagerUV)
	useTool(t, bin)
	dir := copyTestdata(t, "uv-groups")
	plan := mustDetect(t, dir)
	changes, err := Add(dir, plan, []Requirement{psycopg, storages, redis})
	if err != nil {
		t.Fatal(err)
	}
	const command = "uv add --no-sync --group prod django-storages[s3]==1.14.6 redis==8.1.0"
	if len(changes) != 2 || changes[0] != (Change{"pyproject.toml", "updated by " + command, ""}) || changes[1] != (Change{"uv.lock", "updated by " + command, ""}) {
		t.Errorf("changes = %+v", changes)
	}
	py, lock := read(t, dir, "pyproject.toml"), read(t, dir, "uv.lock")
	for _, want := range []string{`"django-storages[s3]==1.14.6"`, `"redis==8.1.0"`} {
		if strings.Count(py, want) != 1 {
			t.Errorf("pyproject.toml has %s %d times:\n%s", want, strings.Count(py, want), py)
		}
	}
	for _, want := range []string{`name = "django-storages"`, `name = "redis"`, `name = "boto3"`} {
		if !strings.Contains(lock, want) {
			t.Errorf("uv.lock does not mention %s", want)
		}
	}
	again := mustDetect(t, dir)
	if !again.Has("redis") || !again.Has("django-storages") {
		t.Errorf("declared afterwards: %v", again.Declared)
	}
	if changes, err := Add(dir, again, []Requirement{storages, redis}); err != nil || changes != nil {
		t.Errorf("second Add = %+v, %v", changes, err)
	}
	// The image's command accepts the lock (--locked) and installs the additions, not the dev group.
	out := run(t, dir, bin, again.InstallCommand[0]+" --dry-run", "UV_PROJECT_ENVIRONMENT="+filepath.Join(t.TempDir(), "venv"))
	for _, want := range []string{"+ django-storages==1.14.6", "+ redis==8.1.0", "+ gunicorn==23.0.0", "+ psycopg-binary=="} {
		if !strings.Contains(out, want) {
			t.Errorf("%s would not install %s:\n%s", again.InstallCommand[0], want, out)
		}
	}
	if strings.Contains(out, "pytest") {
		t.Errorf("%s would install the dev group:\n%s", again.InstallCommand[0], out)
	}
}

// The uv command installs the production and default groups and extras,
// and none of the development groups, even those uv installs by default.
func TestUVSyncCommand(t *testing.T) {
	bin := realTool(t, ManagerUV)
	dir := copyTestdata(t, "uv-default-groups")
	run(t, dir, bin, "uv lock --quiet")
	plan := mustDetect(t, dir)
	out := run(t, dir, bin, plan.InstallCommand[0]+" --dry-run", "UV_PROJECT_ENVIRONMENT="+filepath.Join(t.TempDir(), "venv"))
	for _, want := range []string{"+ django==", "+ lxml==", "+ gunicorn==", "+ sentry-sdk==", "+ psycopg=="} {
		if !strings.Contains(out, want) {
			t.Errorf("%s would not install %s:\n%s", plan.InstallCommand[0], want, out)
		}
	}
	for _, unwanted := range []string{"pytest", "ruff", "mypy", "sphinx"} {
		if strings.Contains(out, "+ "+unwanted) {
			t.Errorf("%s would install %s:\n%s", plan.InstallCommand[0], unwanted, out)
		}
	}
}

func TestAddWithPoetry(t *testing.T) {
	bin := realTool(t, ManagerPoetry)
	useTool(t, bin)
	dir := copyTestdata(t, "poetry2-groups")
	t.Setenv("POETRY_VIRTUALENVS_IN_PROJECT", "true") // any environment poetry makes goes away with dir
	changes, err := Add(dir, mustDetect(t, dir), []Requirement{{Name: "whitenoise", Why: "static files"}, gunicorn})
	if err != nil {
		t.Fatal(err)
	}
	const command = "poetry add --lock --no-interaction --group prod whitenoise==6.12.0"
	if len(changes) != 2 || changes[0] != (Change{"pyproject.toml", "updated by " + command, ""}) || changes[1] != (Change{"poetry.lock", "updated by " + command, ""}) {
		t.Errorf("changes = %+v", changes)
	}
	if py := read(t, dir, "pyproject.toml"); strings.Count(py, "whitenoise") != 1 || !strings.Contains(py, "gunicorn = \"23.0.0\"  # the web server") {
		t.Errorf("pyproject.toml:\n%s", py)
	}
	if lock := read(t, dir, "poetry.lock"); !strings.Contains(lock, `name = "whitenoise"`) {
		t.Error("poetry.lock does not mention whitenoise")
	}
	again := mustDetect(t, dir)
	if spec := again.Declared["whitenoise"]; spec != "whitenoise 6.12.0" && spec != "whitenoise ==6.12.0" {
		t.Errorf("declared afterwards: %q", spec)
	}
	run(t, dir, bin, "poetry check --lock")
}
