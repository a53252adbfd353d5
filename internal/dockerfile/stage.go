package dockerfile

import (
	"fmt"
	"maps"
	"path"
	"slices"
	"strconv"
	"strings"

	"github.com/moby/buildkit/frontend/dockerfile/instructions"
	"github.com/moby/buildkit/frontend/dockerfile/shell"
)

// platformArgs are BuildKit's automatic platform build arguments, with the
// values of an ECS Fargate x86_64 build.
var platformArgs = map[string]string{
	"TARGETPLATFORM": "linux/amd64", "TARGETOS": "linux", "TARGETARCH": "amd64",
	"BUILDPLATFORM": "linux/amd64", "BUILDOS": "linux", "BUILDARCH": "amd64",
}

// stageState is a stage evaluated along its FROM chain: what the image built
// from it holds.
type stageState struct {
	index    int
	name     string
	line     int    // line of the stage's FROM
	base     string // external base image of the chain
	baseLine int

	env         map[string]string
	envLines    map[string]int
	workdir     string
	workdirLine int
	user        string
	userLine    int
	cmd         *Command
	entrypoint  *Command
	expose      []int
	exposeLines []int
	copies      []Copy
	runs        []Run
}

// evaluator evaluates the stages of one Dockerfile.
type evaluator struct {
	file      string // the Dockerfile, relative to the project
	stages    []instructions.Stage
	lex       *shell.Lex
	buildArgs map[string]string
	meta      map[string]string // global ARGs (before the first FROM)
	done      map[int]*stageState
	busy      map[int]bool
}

func newEvaluator(file string, stages []instructions.Stage, metaArgs []instructions.ArgCommand, escape rune, buildArgs map[string]string) (*evaluator, error) {
	ev := &evaluator{
		file: file, stages: stages, lex: shell.NewLex(escape), buildArgs: buildArgs,
		meta: maps.Clone(platformArgs), done: map[int]*stageState{}, busy: map[int]bool{},
	}
	maps.Copy(ev.meta, pick(buildArgs, platformArgs))
	for _, a := range metaArgs {
		for _, kv := range a.Args {
			if v, ok := buildArgs[kv.Key]; ok {
				ev.meta[kv.Key] = v
			} else if kv.Value != nil {
				v, err := ev.expand(*kv.Value, ev.meta)
				if err != nil {
					return nil, fmt.Errorf("%s:%d: ARG %s: %w", file, line(a.Location()), kv.Key, err)
				}
				ev.meta[kv.Key] = v
			}
		}
	}
	return ev, nil
}

// pick returns the entries of m whose keys are in keys.
func pick(m, keys map[string]string) map[string]string {
	out := map[string]string{}
	for k := range keys {
		if v, ok := m[k]; ok {
			out[k] = v
		}
	}
	return out
}

// expand substitutes ${VAR}, $VAR, ${VAR:-x} … in word, as BuildKit does.
func (ev *evaluator) expand(word string, vars map[string]string) (string, error) {
	res, err := ev.lex.ProcessWordWithMatches(word, envGetter(vars))
	if err != nil {
		return "", err
	}
	return res.Result, nil
}

// stageIndex finds a stage by name (or index), -1 when there is none.
func (ev *evaluator) stageIndex(name string) int {
	for i, s := range ev.stages {
		if s.Name != "" && strings.EqualFold(s.Name, name) {
			return i
		}
	}
	if i, err := strconv.Atoi(name); err == nil && i >= 0 && i < len(ev.stages) {
		return i
	}
	return -1
}

// stageName is a stage's name, or its index for an unnamed stage.
func (ev *evaluator) stageName(i int) string {
	if ev.stages[i].Name != "" {
		return ev.stages[i].Name
	}
	return strconv.Itoa(i)
}

// eval evaluates stage i, after the stage it is built FROM when that is a
// stage of this Dockerfile.
func (ev *evaluator) eval(i int) (*stageState, error) {
	if st, ok := ev.done[i]; ok {
		return st, nil
	}
	if ev.busy[i] {
		return nil, fmt.Errorf("%s:%d: stage %s is built from itself", ev.file, line(ev.stages[i].Location), ev.stageName(i))
	}
	ev.busy[i] = true
	defer delete(ev.busy, i)

	stage := ev.stages[i]
	from, err := ev.expand(stage.BaseName, ev.meta)
	if err != nil {
		return nil, fmt.Errorf("%s:%d: FROM %s: %w", ev.file, line(stage.Location), stage.BaseName, err)
	}
	var st *stageState
	if p := ev.stageIndex(from); p >= 0 && p != i && !strings.ContainsAny(from, ":/@") {
		parent, err := ev.eval(p)
		if err != nil {
			return nil, err
		}
		st = parent.clone()
	} else {
		st = &stageState{base: from, baseLine: line(stage.Location), workdir: "/",
			env: map[string]string{}, envLines: map[string]int{}}
	}
	st.index, st.name, st.line = i, ev.stageName(i), line(stage.Location)
	if err := ev.run(st, stage); err != nil {
		return nil, err
	}
	ev.done[i] = st
	return st, nil
}

// run applies a stage's instructions to st.
func (ev *evaluator) run(st *stageState, stage instructions.Stage) error {
	args := map[string]string{} // this stage's ARGs: they do not carry over FROM
	vars := func() map[string]string {
		m := map[string]string{"PATH": defaultPath} // the base image's, as far as we know
		maps.Copy(m, args)
		maps.Copy(m, st.env)
		return m
	}
	expander := func(word string) (string, error) { return ev.expand(word, vars()) }
	cmdSet := false
	for _, c := range stage.Commands {
		ln := line(c.Location())
		if x, ok := c.(instructions.SupportsSingleWordExpansion); ok {
			if err := x.Expand(expander); err != nil {
				return fmt.Errorf("%s:%d: %s: %w", ev.file, ln, strings.ToUpper(c.Name()), err)
			}
		}
		switch c := c.(type) {
		case *instructions.ArgCommand:
			for _, kv := range c.Args {
				if v, ok := ev.buildArgs[kv.Key]; ok {
					args[kv.Key] = v
				} else if kv.Value != nil {
					args[kv.Key] = *kv.Value
				} else if v, ok := ev.meta[kv.Key]; ok {
					args[kv.Key] = v
				}
			}
		case *instructions.EnvCommand:
			for _, kv := range c.Env {
				st.env[kv.Key] = kv.Value
				st.envLines[kv.Key] = ln
			}
		case *instructions.WorkdirCommand:
			st.workdir, st.workdirLine = resolve(st.workdir, c.Path), ln
		case *instructions.UserCommand:
			st.user, st.userLine = c.User, ln
		case *instructions.ExposeCommand:
			for _, p := range c.Ports {
				words, err := ev.lex.ProcessWords(p, envGetter(vars()))
				if err != nil {
					return fmt.Errorf("%s:%d: EXPOSE %s: %w", ev.file, ln, p, err)
				}
				for _, w := range words {
					for _, n := range exposedPorts(w) {
						st.expose = append(st.expose, n)
						st.exposeLines = append(st.exposeLines, ln)
					}
				}
			}
		case *instructions.CmdCommand:
			st.cmd = &Command{Args: c.CmdLine, Shell: c.PrependShell, Line: ln}
			cmdSet = true
		case *instructions.EntrypointCommand:
			st.entrypoint = &Command{Args: c.CmdLine, Shell: c.PrependShell, Line: ln}
			if !cmdSet {
				st.cmd = nil // an ENTRYPOINT resets the CMD it inherited
			}
		case *instructions.CopyCommand:
			from, err := expander(c.From)
			if err != nil {
				return fmt.Errorf("%s:%d: COPY --from: %w", ev.file, ln, err)
			}
			st.copies = append(st.copies, Copy{Sources: c.SourcePaths, Dest: resolveDest(st.workdir, c.DestPath),
				From: from, Chmod: c.Chmod, Line: ln})
		case *instructions.AddCommand:
			st.copies = append(st.copies, Copy{Sources: c.SourcePaths, Dest: resolveDest(st.workdir, c.DestPath),
				Chmod: c.Chmod, Add: true, Line: ln})
		case *instructions.RunCommand:
			st.runs = append(st.runs, runOf(c, ln))
		}
	}
	return nil
}

// runOf records a RUN; a heredoc RUN (RUN <<EOF) is its body.
func runOf(c *instructions.RunCommand, ln int) Run {
	args := c.CmdLine
	if len(c.Files) > 0 && len(args) == 1 {
		if strings.HasPrefix(strings.TrimSpace(args[0]), "<<") {
			args = []string{c.Files[0].Data}
		} else {
			full := args[0]
			for _, f := range c.Files {
				full += "\n" + f.Data + f.Name
			}
			args = []string{full}
		}
	}
	return Run{Args: args, Shell: c.PrependShell, Line: ln}
}

func (st *stageState) clone() *stageState {
	c := *st
	c.env, c.envLines = maps.Clone(st.env), maps.Clone(st.envLines)
	c.expose, c.exposeLines = slices.Clone(st.expose), slices.Clone(st.exposeLines)
	c.copies, c.runs = slices.Clone(st.copies), slices.Clone(st.runs)
	return &c
}

// resolve resolves a WORKDIR against the current one.
func resolve(wd, p string) string {
	if path.IsAbs(p) {
		return path.Clean(p)
	}
	return path.Join(wd, p)
}

// resolveDest resolves a COPY destination against the WORKDIR, keeping the
// trailing "/" that makes it a directory ("." and ".." count as one).
func resolveDest(wd, dest string) string {
	dir := strings.HasSuffix(dest, "/") || dest == "." || dest == ".." ||
		strings.HasSuffix(dest, "/.") || strings.HasSuffix(dest, "/..")
	p := resolve(wd, dest)
	if dir && p != "/" {
		p += "/"
	}
	return p
}

// exposedPorts reads "8000", "8000/tcp" or "8000-8002".
func exposedPorts(w string) []int {
	w, _, _ = strings.Cut(w, "/")
	lo, hi, isRange := strings.Cut(w, "-")
	a := port(lo)
	if a == 0 {
		return nil
	}
	if !isRange {
		return []int{a}
	}
	b := port(hi)
	var out []int
	for p := a; p <= b && p-a < 100; p++ {
		out = append(out, p)
	}
	return out
}

// envGetter adapts a map to BuildKit's shell.EnvGetter.
type envGetter map[string]string

func (e envGetter) Get(k string) (string, bool) { v, ok := e[k]; return v, ok }

func (e envGetter) Keys() []string { return slices.Sorted(maps.Keys(e)) }
