package config

import (
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/djangocdk/djangocdk"
	"github.com/djangocdk/djangocdk/internal/deps"
	"github.com/djangocdk/djangocdk/internal/dockerfile"
)

// checkImage reads what the deployment builds and reports what would make
// its containers ignore or fail the configured commands, before anything is
// built: a lock file that lacks declared requirements, an ENTRYPOINT that
// swallows the command, an image ENTRYPOINT the default entry point would
// silently skip, a web command serving the development server or on a
// loopback address.
func (c *Config) checkImage(file, prefix string) []Problem {
	var probs []Problem
	add := func(key, msg string, args ...any) {
		if prefix != "" {
			key = prefix + "." + key
		}
		probs = append(probs, Problem{File: file, Key: key, Message: fmt.Sprintf(msg, args...)})
	}
	project := c.ProjectPath(file)
	if plan, err := deps.Detect(project); err == nil {
		if lock, missing := plan.LockMissing(project); len(missing) > 0 {
			add("project_dir", "%s does not pin %s, which the project declares: the image installs from the lock, so lock again (uv lock, poetry lock, pipenv lock)", lock, strings.Join(missing, ", "))
		}
	}
	name := c.Dockerfile
	if name == "" {
		name = "Dockerfile"
	}
	if _, err := os.Stat(filepath.Join(project, name)); err != nil {
		return probs // checked by synth, which needs the project
	}
	// The configured web command replaces the image's CMD, as a compose
	// command would: the analysis then judges the server it starts.
	web := c.baseProps(filepath.Dir(file)).WithDefaults().Web.Command
	img, err := dockerfile.Analyze(project, dockerfile.Source{Path: filepath.ToSlash(name), Context: ".", Target: c.DockerTarget, Command: web})
	if err != nil {
		add("dockerfile", "%v", err)
		return probs
	}
	if usesImageEntrypoint(c.EntryPoint, img) {
		for _, p := range img.ProblemsOf(dockerfile.KindEntrypoint) {
			add("entrypoint", "%s", p)
		}
	}
	for _, p := range img.ProblemsOf(dockerfile.KindServer) {
		add("web.command", "%s", p)
	}
	if c.EntryPoint == nil && img.Entrypoint != nil && !img.Entrypoint.Shell {
		kept := append(slices.Clone(djangocdk.LauncherEntryPoint), img.Entrypoint.Args...)
		add("entrypoint", "%s:%d: the image's ENTRYPOINT %s would not run (the deployment's entry point replaces it); to keep it, set entrypoint = [%s], or set entrypoint explicitly to confirm", img.File, img.Entrypoint.Line, strings.Join(img.Entrypoint.Args, " "), quoteList(kept))
	}
	return probs
}

// usesImageEntrypoint reports whether the configured entry point runs the
// image's own ENTRYPOINT (after the launcher, or instead of it).
func usesImageEntrypoint(ep []string, img *dockerfile.Image) bool {
	if img.Entrypoint == nil || len(img.Entrypoint.Args) == 0 {
		return false
	}
	_, rest := djangocdk.SplitLauncher(ep)
	return len(rest) > 0 && rest[0] == img.Entrypoint.Args[0]
}

func quoteList(items []string) string {
	q := make([]string, len(items))
	for i, s := range items {
		q[i] = fmt.Sprintf("%q", s)
	}
	return strings.Join(q, ", ")
}
