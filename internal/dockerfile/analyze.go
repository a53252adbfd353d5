package dockerfile

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/moby/buildkit/frontend/dockerfile/instructions"
	"github.com/moby/buildkit/frontend/dockerfile/parser"
)

// Analyze parses the Dockerfile src names (relative to projectDir) with
// BuildKit's parser and evaluates the stage that is built: src.Target, else
// the last stage, along its FROM <stage> chain, with ARG (defaults and
// src.Args) and ENV substitution. The compose command and entrypoint in src
// replace the image's CMD and ENTRYPOINT. It reads the scripts the
// ENTRYPOINT and CMD run from the build context and reports the server, the
// start-time migrate and collectstatic, and the problems found.
func Analyze(projectDir string, src Source) (*Image, error) {
	data, err := os.ReadFile(filepath.Join(projectDir, filepath.FromSlash(src.Path)))
	if err != nil {
		return nil, fmt.Errorf("analyze dockerfile: %w", err)
	}
	res, err := parser.Parse(bytes.NewReader(data))
	if err != nil {
		return nil, fmt.Errorf("analyze dockerfile: %s%s: %w", src.Path, errLine(err), err)
	}
	stages, metaArgs, err := instructions.Parse(res.AST, nil)
	if err != nil {
		return nil, fmt.Errorf("analyze dockerfile: %s%s: %w", src.Path, errLine(err), errors.Unwrap(err))
	}
	if len(stages) == 0 {
		return nil, fmt.Errorf("analyze dockerfile: %s: no FROM instruction", src.Path)
	}
	ev, err := newEvaluator(src.Path, stages, metaArgs, res.EscapeToken, src.Args)
	if err != nil {
		return nil, fmt.Errorf("analyze dockerfile: %w", err)
	}
	target := len(stages) - 1
	if src.Target != "" {
		if target = ev.stageIndex(src.Target); target < 0 {
			return nil, fmt.Errorf("analyze dockerfile: %s: target stage %q not found (stages: %s)",
				src.Path, src.Target, strings.Join(stageNames(ev), ", "))
		}
	}
	st, err := ev.eval(target)
	if err != nil {
		return nil, fmt.Errorf("analyze dockerfile: %w", err)
	}
	img := newImage(ev, st, src)
	for _, w := range res.Warnings {
		img.Notes = append(img.Notes, Problem{File: src.Path, Line: rangeLine(w.Location), Message: w.Short})
	}
	a := &analysis{img: img, src: src, projectDir: projectDir, ev: ev, stage: st}
	a.walk()
	a.check()
	return img, nil
}

// newImage builds the Image of an evaluated stage.
func newImage(ev *evaluator, st *stageState, src Source) *Image {
	img := &Image{
		File:          src.Path,
		Stages:        stageNames(ev),
		Stage:         st.name,
		StageLine:     st.line,
		Base:          st.base,
		BaseLine:      st.baseLine,
		PythonVersion: pythonVersion(st.base),
		Entrypoint:    st.entrypoint,
		Cmd:           st.cmd,
		Workdir:       st.workdir,
		WorkdirLine:   st.workdirLine,
		User:          st.user,
		UserLine:      st.userLine,
		Expose:        st.expose,
		ExposeLines:   st.exposeLines,
		Env:           st.env,
		EnvLines:      st.envLines,
		Copies:        st.copies,
		Runs:          st.runs,
		Scripts:       map[string]*Script{},
	}
	if src.Entrypoint != nil {
		img.Entrypoint = &Command{Args: src.Entrypoint, Line: src.EntrypointLine, File: src.ComposeFile}
		img.Cmd = nil
	}
	if src.Command != nil {
		img.Cmd = &Command{Args: src.Command, Line: src.CommandLine, File: src.ComposeFile}
	}
	return img
}

func stageNames(ev *evaluator) []string {
	names := make([]string, len(ev.stages))
	for i := range ev.stages {
		names[i] = ev.stageName(i)
	}
	return names
}

// pythonVersion returns major.minor from an official python image
// reference ("python:3.12-slim", "docker.io/library/python:3.12.4",
// "public.ecr.aws/docker/library/python:3.12"), else "".
func pythonVersion(ref string) string {
	ref, _, _ = strings.Cut(ref, "@")
	name, tag := ref, ""
	if i := strings.LastIndex(ref, ":"); i > strings.LastIndex(ref, "/") {
		name, tag = ref[:i], ref[i+1:]
	}
	official := false
	for _, prefix := range []string{"", "docker.io/", "index.docker.io/", "registry-1.docker.io/"} {
		for _, lib := range []string{"", "library/"} {
			official = official || name == prefix+lib+"python"
		}
	}
	official = official || strings.HasSuffix(name, "/docker/library/python") || strings.HasSuffix(name, ".io/library/python")
	if !official {
		return ""
	}
	major, rest, ok := strings.Cut(tag, ".")
	if !ok || port(major) == 0 {
		return ""
	}
	minor := rest
	if i := strings.IndexFunc(rest, func(r rune) bool { return r < '0' || r > '9' }); i >= 0 {
		minor = rest[:i]
	}
	if minor == "" {
		return ""
	}
	return major + "." + minor
}

// line is the first line of an instruction.
func line(loc []parser.Range) int {
	if len(loc) == 0 {
		return 0
	}
	return loc[0].Start.Line
}

func rangeLine(r *parser.Range) int {
	if r == nil {
		return 0
	}
	return r.Start.Line
}

// errLine returns ":N" for an error BuildKit located at line N.
func errLine(err error) string {
	var le *parser.LocationError
	if errors.As(err, &le) && len(le.Locations) > 0 && len(le.Locations[0]) > 0 {
		return fmt.Sprintf(":%d", le.Locations[0][0].Start.Line)
	}
	return ""
}
