package preflight

import (
	"fmt"
	"io"
	"regexp"
	"strconv"
	"strings"

	"github.com/djangocdk/djangocdk"
)

// Steps of a trial, in the order they run.
const (
	StepImport    = "import"    // django.setup(): the settings module and every app
	StepConfigure = "configure" // the settings helper ran and took effect
	StepCheck     = "check"     // Django's system checks, deployment checks included
	StepHealth    = "health"    // the load balancer's health check request
	StepStatic    = "static"    // collectstatic with hashed names
)

// Finding is one thing wrong (or worth a look) in the project.
type Finding struct {
	// Step is the trial step that found it (StepImport … StepStatic).
	Step string `json:"step"`
	// ID is the system check's id ("security.W004"), or "".
	ID string `json:"id,omitempty"`
	// Message says what is wrong.
	Message string `json:"message"`
	// Hint says how to fix it, when known.
	Hint string `json:"hint,omitempty"`
	// Variable is the environment variable to blame, when one is.
	Variable string `json:"variable,omitempty"`
	// File is the project file to fix, relative to the trial's ManageDir.
	File string `json:"file,omitempty"`
	// Line is the line in File, or 0.
	Line int `json:"line,omitempty"`
}

// String renders the finding as one line: step, place, check id, message.
func (f Finding) String() string {
	parts := []string{f.Step}
	if f.File != "" {
		place := f.File
		if f.Line > 0 {
			place += ":" + strconv.Itoa(f.Line)
		}
		parts = append(parts, place)
	}
	if f.ID != "" {
		parts = append(parts, f.ID)
	}
	return strings.Join(append(parts, f.Message), ": ")
}

// Report is the outcome of a trial.
type Report struct {
	// OK is true when there are no problems (warnings do not count).
	OK bool `json:"ok"`
	// Problems would make the deployment fail or the site misbehave.
	Problems []Finding `json:"problems"`
	// Warnings are Django's warning-level checks and what could not be verified.
	Warnings []Finding `json:"warnings"`
	// Notes say what the settings helper changed (its REPORT), which
	// stand-ins were used and which steps were skipped.
	Notes []string `json:"notes"`
	// Output is the tail of what the project printed during the trial (the
	// trial sends all of it to stderr), for a verbose view; Print leaves it out.
	Output string `json:"output,omitempty"`
}

// Print writes the report in the CLI's style: one line per finding
// ("problem: {step}: {file}:{line}: {id}: {message}") with a hint line
// under it, the notes, and a summary line.
func (r *Report) Print(w io.Writer) {
	for _, f := range r.Problems {
		printFinding(w, "problem", f)
	}
	for _, f := range r.Warnings {
		printFinding(w, "warning", f)
	}
	for _, n := range r.Notes {
		fmt.Fprintf(w, "note: %s\n", n)
	}
	switch {
	case r.OK && len(r.Warnings) == 0:
		fmt.Fprintln(w, "preflight: ok: the project boots with the deployment's environment")
	case r.OK:
		fmt.Fprintf(w, "preflight: ok: the project boots with the deployment's environment (%s)\n", count(len(r.Warnings), "warning"))
	default:
		fmt.Fprintf(w, "preflight: %s, %s: fix the problems before deploying\n", count(len(r.Problems), "problem"), count(len(r.Warnings), "warning"))
	}
}

func printFinding(w io.Writer, kind string, f Finding) {
	fmt.Fprintf(w, "%s: %s\n", kind, f.String())
	if f.Hint != "" {
		fmt.Fprintf(w, "    hint: %s\n", f.Hint)
	}
}

func count(n int, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	return fmt.Sprintf("%d %ss", n, noun)
}

var standInRe = regexp.MustCompile(regexp.QuoteMeta(StandInPrefix) + `([A-Za-z_][A-Za-z0-9_]*)`)

// refine adds what only the Go side knows: hints naming the configuration
// for a missing variable, and blame for a stand-in value.
func (r *Report) refine(launcher bool) {
	for _, list := range [][]Finding{r.Problems, r.Warnings} {
		for i := range list {
			f := &list[i]
			if m := standInRe.FindStringSubmatch(f.Message); m != nil {
				if f.Variable == "" {
					f.Variable = m[1]
				}
				if f.Hint == "" {
					f.Hint = fmt.Sprintf("%s only has a stand-in value during the check (its real value is a secret or known after deploy): code that runs at start-up must accept any value of it", m[1])
				}
			}
			if f.Variable != "" && f.Hint == "" {
				f.Hint = variableHint(f.Variable, launcher)
			}
		}
	}
	r.OK = len(r.Problems) == 0
}

// variableHint says how a missing variable gets a value.
func variableHint(name string, launcher bool) string {
	for _, v := range djangocdk.Derived {
		if v.Name != name {
			continue
		}
		if !launcher {
			return fmt.Sprintf("%s is composed at container start by the settings helper's launcher: keep the default entry point (%s)", name, strings.Join(djangocdk.LauncherEntryPoint, " "))
		}
		return fmt.Sprintf("the launcher composes %s only when its parts are set (%s: %s)", name, v.When, v.Meaning)
	}
	for _, v := range djangocdk.Contract {
		if v.Name == name {
			return fmt.Sprintf("%s is part of the env contract, set when: %s (docs/contract.md); read it with a default when it may be absent", name, v.When)
		}
	}
	return fmt.Sprintf(`set it for the deployment: [tool.djangocdk.env] %s = "…", or [tool.djangocdk.secrets] %s = "secretsmanager:NAME" for a secret; or give it a default in the code`, name, name)
}
