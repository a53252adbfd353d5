package preflight

import (
	"bytes"
	"context"
	_ "embed"
	"encoding/json"
	"errors"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"github.com/djangocdk/djangocdk"
	"github.com/djangocdk/djangocdk/internal/pyscan"
)

//go:embed trial.py
var trialSource []byte

// Defaults of Options.
const (
	DefaultTaskIP  = "10.0.1.23"
	DefaultTimeout = 60 * time.Second
)

// ErrPythonEnvironment is wrapped by Run's error when the Python cannot run
// the trial at all (missing, or without Django): a missing prerequisite, not
// a problem of the project.
var ErrPythonEnvironment = errors.New("check needs the project's Python environment with its dependencies installed: pass --python PATH, or activate the virtualenv")

// Options say how to run a trial.
type Options struct {
	// Python is the interpreter of the project's environment (its
	// virtualenv's python); "" means pyscan.FindPython of ManageDir and
	// its parent.
	Python string
	// ManageDir is the directory holding manage.py: the trial's working
	// directory, first on its sys.path, and the root of Finding.File.
	ManageDir string
	// Env is the whole environment of the trial, as StandIns returns it.
	// Run adds PATH, HOME, LANG and SSL_CERT_FILE from its own environment
	// when Env lacks them, DJANGOCDK_PREFLIGHT=1 and
	// ECS_CONTAINER_METADATA_URI_V4; PYTHONPATH is never passed.
	Env map[string]string
	// HealthPath is the path the load balancer checks; "" means Env's
	// DJANGO_HEALTH_CHECK_PATH.
	HealthPath string
	// TaskIP is the task's private IP the metadata endpoint reports and the
	// health check sends as Host (default DefaultTaskIP).
	TaskIP string
	// Timeout bounds the whole trial (default DefaultTimeout). Past it, the
	// step still running is reported with where it was stuck.
	Timeout time.Duration
	// EntryPoint is the container's entry point (Container.EntryPoint). When
	// it starts with the settings helper's launcher
	// (djangocdk.LauncherEntryPoint) the trial runs through it, so the
	// variables it composes (DATABASE_URL …) exist as in the task. Any other
	// entry point, or a script the launcher would exec before the command,
	// is not run (noted).
	EntryPoint []string
	// Command is the container's command (Container.Command). When it runs
	// gunicorn, uvicorn, daphne or hypercorn, the application it names
	// ("mysite.wsgi:application") is loaded in the import step.
	Command []string
}

// trialConfig is trial.py's argument.
type trialConfig struct {
	HealthPath string  `json:"health_path"`
	TaskIP     string  `json:"task_ip"`
	Budget     float64 `json:"budget"`
	App        string  `json:"app"`
	Launcher   bool    `json:"launcher"`
}

// trialOutput is trial.py's report.
type trialOutput struct {
	Fatal    string    `json:"fatal"`
	Problems []Finding `json:"problems"`
	Warnings []Finding `json:"warnings"`
	Notes    []string  `json:"notes"`
}

// Run runs the trial: the project's settings, system checks, health path and
// static files under o.Env. Everything about the project is in the Report;
// an error means the trial could not run at all (it wraps
// ErrPythonEnvironment when the Python is missing or lacks Django).
func Run(ctx context.Context, o Options) (*Report, error) {
	o = withDefaults(o)
	if st, err := os.Stat(o.ManageDir); err != nil || !st.IsDir() {
		return nil, fmt.Errorf("preflight: %s is not a directory (the one holding manage.py)", o.ManageDir)
	}
	python, err := exec.LookPath(o.Python)
	if err == nil {
		// Absolute, but not through symlinks: a virtualenv's python is one.
		python, err = filepath.Abs(python)
	}
	if err != nil {
		return nil, fmt.Errorf("preflight: no Python at %s: %w", o.Python, ErrPythonEnvironment)
	}
	dir, err := os.MkdirTemp("", "djangocdk-preflight-")
	if err != nil {
		return nil, fmt.Errorf("preflight: temporary directory: %w", err)
	}
	defer os.RemoveAll(dir)
	trial := filepath.Join(dir, "trial.py")
	if err := os.WriteFile(trial, trialSource, 0o600); err != nil {
		return nil, fmt.Errorf("preflight: write the trial: %w", err)
	}
	metadata, stop, err := serveMetadata(o.TaskIP)
	if err != nil {
		return nil, err
	}
	defer stop()
	aws, stopAWS, err := serveEmptyAWS()
	if err != nil {
		return nil, err
	}
	defer stopAWS()

	launcher, _ := djangocdk.SplitLauncher(o.EntryPoint)
	cfg, _ := json.Marshal(trialConfig{
		HealthPath: o.HealthPath,
		TaskIP:     o.TaskIP,
		Budget:     budget(o.Timeout).Seconds(),
		App:        appSpec(o.Command),
		Launcher:   launcher,
	})
	tctx, cancel := context.WithTimeout(ctx, o.Timeout)
	defer cancel()
	cmd := exec.CommandContext(tctx, python, trial, string(cfg))
	cmd.Dir = o.ManageDir
	cmd.Env = trialEnv(o.Env, metadata, aws)
	cmd.WaitDelay = 2 * time.Second
	var stdout bytes.Buffer
	output := &tail{max: 16 << 10}
	cmd.Stdout, cmd.Stderr = &stdout, output
	runErr := cmd.Run()

	var out trialOutput
	if err := json.Unmarshal(stdout.Bytes(), &out); err != nil {
		switch {
		case ctx.Err() != nil:
			return nil, fmt.Errorf("preflight: %w", ctx.Err())
		case tctx.Err() != nil:
			return timedOut(o, output.String()), nil
		case runErr != nil && isExecError(runErr):
			return nil, fmt.Errorf("preflight: run %s: %v: %w", python, runErr, ErrPythonEnvironment)
		}
		return nil, fmt.Errorf("preflight: the trial ended (%v) without a report: %s", runErr, lastLines(output.String(), 5))
	}
	if out.Fatal != "" {
		return nil, fmt.Errorf("preflight: %s: %w", out.Fatal, ErrPythonEnvironment)
	}
	r := &Report{Problems: nonNil(out.Problems), Warnings: nonNil(out.Warnings), Output: output.String()}
	r.Notes = append(envNotes(o), out.Notes...)
	r.refine(launcher)
	return r, nil
}

func withDefaults(o Options) Options {
	if o.Python == "" {
		o.Python = "python3" // Run reports ErrPythonEnvironment when there is none
		if p, err := pyscan.FindPython(o.ManageDir, filepath.Dir(o.ManageDir)); err == nil {
			o.Python = p
		}
	}
	if o.TaskIP == "" {
		o.TaskIP = DefaultTaskIP
	}
	if o.Timeout <= 0 {
		o.Timeout = DefaultTimeout
	}
	if o.HealthPath == "" {
		o.HealthPath = o.Env[djangocdk.EnvHealthCheckPath]
	}
	return o
}

// budget is the trial's own deadline: short of the hard one, so the trial
// can say where it was stuck before it is killed.
func budget(timeout time.Duration) time.Duration {
	return timeout - min(3*time.Second, timeout/4)
}

// trialEnv is env plus what a process needs to run here, and the metadata
// endpoint; nothing else of this process's environment.
func trialEnv(env map[string]string, metadata, aws string) []string {
	all := map[string]string{}
	for k, v := range env {
		all[k] = v
	}
	for _, k := range []string{"PATH", "HOME", "LANG", "SSL_CERT_FILE"} {
		if v, ok := os.LookupEnv(k); ok {
			if _, set := all[k]; !set {
				all[k] = v
			}
		}
	}
	delete(all, "PYTHONPATH")
	all["DJANGOCDK_PREFLIGHT"] = "1"
	all[djangocdk.EnvECSMetadata] = metadata
	// AWS calls at import (a manifest storage reading staticfiles.json from
	// S3, as Wagtail's admin does) reach an empty stand-in, never AWS.
	for k, v := range map[string]string{
		"AWS_ENDPOINT_URL":          aws,
		"AWS_ACCESS_KEY_ID":         "preflight",
		"AWS_SECRET_ACCESS_KEY":     "preflight",
		"AWS_EC2_METADATA_DISABLED": "true",
	} {
		all[k] = v
	}
	delete(all, "AWS_SESSION_TOKEN")
	delete(all, "AWS_PROFILE")
	list := make([]string, 0, len(all))
	for k, v := range all {
		list = append(list, k+"="+v)
	}
	sort.Strings(list)
	return list
}

// serveMetadata starts a stand-in for the ECS container metadata endpoint on
// loopback, reporting ip as the task's private address.
func serveMetadata(ip string) (string, func(), error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", nil, fmt.Errorf("preflight: metadata endpoint: %w", err)
	}
	body, _ := json.Marshal(map[string]any{
		"Name":     "web",
		"Networks": []map[string]any{{"NetworkMode": "awsvpc", "IPv4Addresses": []string{ip}}},
	})
	srv := &http.Server{
		Handler: http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
			w.Header().Set("Content-Type", "application/json")
			w.Write(body)
		}),
		ReadHeaderTimeout: 5 * time.Second,
	}
	go srv.Serve(l)
	return "http://" + l.Addr().String() + "/v4/preflight", func() { srv.Close() }, nil
}

// serveEmptyAWS starts a stand-in for every AWS endpoint on loopback: an
// empty account, where every object is missing (S3's NoSuchKey, 404).
func serveEmptyAWS() (string, func(), error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", nil, fmt.Errorf("preflight: AWS stand-in: %w", err)
	}
	srv := &http.Server{
		Handler: http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
			w.Header().Set("Content-Type", "application/xml")
			w.WriteHeader(http.StatusNotFound)
			fmt.Fprint(w, `<?xml version="1.0" encoding="UTF-8"?><Error><Code>NoSuchKey</Code><Message>The specified key does not exist.</Message></Error>`)
		}),
		ReadHeaderTimeout: 5 * time.Second,
	}
	go srv.Serve(l)
	return "http://" + l.Addr().String(), func() { srv.Close() }, nil
}

// envNotes lists the stand-ins of the project's own variables and an entry
// point the trial does not run.
func envNotes(o Options) []string {
	var notes []string
	for _, k := range sortedKeys(anyMap(o.Env)) {
		if o.Env[k] == StandInPrefix+k {
			notes = append(notes, fmt.Sprintf("stand-in used for %s (its value exists only in the deployment)", k))
		}
	}
	if _, rest := djangocdk.SplitLauncher(o.EntryPoint); len(rest) > 0 {
		notes = append(notes, fmt.Sprintf("the container's entry point %s is not run by the check", strings.Join(rest, " ")))
	}
	return notes
}

func timedOut(o Options, output string) *Report {
	r := &Report{Problems: []Finding{{
		Step:    StepImport,
		Message: fmt.Sprintf("the trial did not finish within %s and was stopped", o.Timeout),
		Hint:    "something blocks without returning to Python (a C extension waiting on the network?); last output: " + lastLines(output, 3),
	}}, Warnings: []Finding{}, Output: output}
	r.Notes = envNotes(o)
	return r
}

func isExecError(err error) bool {
	var ee *exec.Error
	var pe *os.PathError
	return errors.As(err, &ee) || errors.As(err, &pe)
}

func nonNil(f []Finding) []Finding {
	if f == nil {
		return []Finding{}
	}
	return f
}

func anyMap(m map[string]string) map[string]any {
	out := make(map[string]any, len(m))
	for k, v := range m {
		out[k] = v
	}
	return out
}

func lastLines(s string, n int) string {
	lines := strings.Split(strings.TrimSpace(s), "\n")
	if len(lines) > n {
		lines = lines[len(lines)-n:]
	}
	if len(lines) == 1 && lines[0] == "" {
		return "(no output)"
	}
	return strings.Join(lines, " | ")
}

// tail keeps the last max bytes written to it.
type tail struct {
	max int
	buf []byte
}

func (t *tail) Write(p []byte) (int, error) {
	t.buf = append(t.buf, p...)
	if len(t.buf) > t.max {
		t.buf = t.buf[len(t.buf)-t.max:]
	}
	return len(p), nil
}

func (t *tail) String() string { return string(t.buf) }
