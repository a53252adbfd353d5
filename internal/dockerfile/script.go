package dockerfile

import (
	"bytes"
	"fmt"
	"strings"

	"mvdan.cc/sh/v3/syntax"
)

// shellVars are variables the shell or the container runtime sets: never
// reported as environment the deployment must provide.
var shellVars = map[string]bool{
	"HOME": true, "PATH": true, "PWD": true, "OLDPWD": true, "IFS": true,
	"PS1": true, "PS2": true, "PS4": true, "UID": true, "EUID": true,
	"PPID": true, "HOSTNAME": true, "RANDOM": true, "LINENO": true,
	"SECONDS": true, "SHELL": true, "SHLVL": true, "OPTARG": true,
	"OPTIND": true, "BASH": true, "BASH_SOURCE": true, "BASH_VERSION": true,
	"BASHPID": true, "FUNCNAME": true, "PIPESTATUS": true, "REPLY": true,
	"TERM": true, "USER": true,
}

// ParseScript parses a shell script (an entrypoint or start script) read
// from path in the build context. Windows line endings are stripped first,
// as `sed -i 's/\r$//g'` in a Dockerfile would. env is the image
// environment, used to give the words of Commands their values; the
// script's own literal assignments and ${VAR:-default} fallbacks are used
// too.
func ParseScript(path string, data []byte, env map[string]string) (*Script, error) {
	data = bytes.ReplaceAll(data, []byte("\r\n"), []byte("\n"))
	f, err := parseShell(string(data), path)
	if err != nil {
		return nil, fmt.Errorf("parse script %s: %w", path, err)
	}
	s := &Script{Path: path, Lines: bytes.Count(data, []byte("\n"))}
	if len(data) > 0 && data[len(data)-1] != '\n' {
		s.Lines++
	}
	w := &scriptWalker{
		s:         s,
		env:       env,
		vars:      map[string]string{},
		assigned:  map[string]bool{},
		defaulted: map[string]bool{},
		refs:      map[string]int{},
	}
	syntax.Walk(f, w.visit)
	return s, nil
}

// scriptWalker collects a script's commands and environment reads in
// source order.
type scriptWalker struct {
	s         *Script
	env       map[string]string
	vars      map[string]string // literal values the script assigned
	assigned  map[string]bool   // every variable the script assigned so far
	defaulted map[string]bool   // variables tested with -z and assigned in the branch
	refs      map[string]int    // index in s.EnvRefs
}

func (w *scriptWalker) lookup(name string) (string, bool) {
	if v, ok := w.vars[name]; ok {
		return v, true
	}
	if w.assigned[name] {
		return "", false
	}
	v, ok := w.env[name]
	return v, ok
}

func (w *scriptWalker) visit(n syntax.Node) bool {
	switch n := n.(type) {
	case *syntax.Assign:
		w.assign(n, true)
		return false
	case *syntax.DeclClause:
		defines := n.Variant.Value != "export" && n.Variant.Value != "readonly"
		for _, a := range n.Args {
			w.assign(a, defines)
		}
		return false
	case *syntax.WordIter:
		for _, item := range n.Items {
			syntax.Walk(item, w.visit)
		}
		w.assigned[n.Name.Value] = true
		return false
	case *syntax.IfClause:
		if v := testedEmpty(n.Cond); v != "" && assigns(n.Then, v) {
			w.defaulted[v] = true
		}
	case *syntax.BinaryCmd:
		if n.Op == syntax.AndStmt {
			if v := testedEmpty([]*syntax.Stmt{n.X}); v != "" && assigns([]*syntax.Stmt{n.Y}, v) {
				w.defaulted[v] = true
			}
		}
	case *syntax.CallExpr:
		w.call(n)
	case *syntax.ParamExp:
		w.ref(n)
	}
	return true
}

// assign walks an assignment's value, then marks its variable assigned.
// A naked "export VAR" does not define VAR (defines false).
func (w *scriptWalker) assign(a *syntax.Assign, defines bool) {
	if a.Value != nil {
		syntax.Walk(a.Value, w.visit)
	}
	if a.Array != nil {
		syntax.Walk(a.Array, w.visit)
	}
	if a.Name == nil || a.Naked && !defines {
		return
	}
	name := a.Name.Value
	w.assigned[name] = true
	delete(w.vars, name)
	if a.Value != nil && !a.Append {
		if v, ok := wordValue(a.Value, w.lookup); ok {
			w.vars[name] = v
		}
	} else if a.Naked || a.Value == nil && a.Array == nil {
		w.vars[name] = ""
	}
}

// call records a simple command.
func (w *scriptWalker) call(c *syntax.CallExpr) {
	if len(c.Args) == 0 {
		return
	}
	words := make([]string, len(c.Args))
	for i, a := range c.Args {
		if isAllArgs(a) {
			words[i] = "$@"
			continue
		}
		words[i], _ = wordValue(a, w.lookup)
	}
	exec := false
	if words[0] == "exec" {
		exec = true
		words = words[1:]
		for len(words) > 0 && strings.HasPrefix(words[0], "-") {
			words = words[1:]
		}
		if len(words) == 0 {
			return
		}
	}
	if words[0] == "read" {
		for _, a := range words[1:] {
			if !strings.HasPrefix(a, "-") {
				w.assigned[a] = true
			}
		}
	}
	if cmd := unwrap(words); len(cmd) > 0 && cmd[0] == "$@" {
		w.s.ExecsArgs = true
	}
	w.s.Commands = append(w.s.Commands, words)
	w.s.CommandLines = append(w.s.CommandLines, int(c.Pos().Line()))
	w.s.execs = append(w.s.execs, exec)
}

// ref records a read of an environment variable.
func (w *scriptWalker) ref(p *syntax.ParamExp) {
	if p.Param == nil || p.Excl {
		return
	}
	name := p.Param.Value
	if !isEnvName(name) || shellVars[name] || w.assigned[name] {
		return
	}
	def := w.defaulted[name]
	if p.Exp != nil {
		switch p.Exp.Op {
		case syntax.DefaultUnset, syntax.DefaultUnsetOrNull, syntax.AlternateUnset, syntax.AlternateUnsetOrNull:
			def = true
		case syntax.AssignUnset, syntax.AssignUnsetOrNull: // ${VAR:=x} sets VAR
			def = true
			v, literal := paramValue(p, w.lookup)
			defer func() {
				w.assigned[name] = true
				if literal {
					w.vars[name] = v
				}
			}()
		}
	}
	if i, ok := w.refs[name]; ok {
		w.s.EnvRefs[i].HasDefault = w.s.EnvRefs[i].HasDefault && def
		return
	}
	w.refs[name] = len(w.s.EnvRefs)
	w.s.EnvRefs = append(w.s.EnvRefs, EnvRef{Name: name, HasDefault: def, Line: int(p.Pos().Line())})
}

// isEnvName is true for a variable name (not $@, $1, $? …).
func isEnvName(name string) bool {
	if name == "" || name[0] >= '0' && name[0] <= '9' {
		return false
	}
	for _, c := range name {
		if c != '_' && (c < 'a' || c > 'z') && (c < 'A' || c > 'Z') && (c < '0' || c > '9') {
			return false
		}
	}
	return true
}

// isAllArgs is true for the word "$@" or "$*" (quoted or not).
func isAllArgs(w *syntax.Word) bool {
	if len(w.Parts) != 1 {
		return false
	}
	part := w.Parts[0]
	if dq, ok := part.(*syntax.DblQuoted); ok && len(dq.Parts) == 1 {
		part = dq.Parts[0]
	}
	p, ok := part.(*syntax.ParamExp)
	return ok && p.Param != nil && (p.Param.Value == "@" || p.Param.Value == "*") &&
		p.Exp == nil && !p.Length && p.Index == nil
}

// testedEmpty returns VAR when the condition ends with a test that VAR is
// empty: [ -z "$VAR" ], test -z "$VAR" or [[ -z $VAR ]].
func testedEmpty(cond []*syntax.Stmt) string {
	if len(cond) == 0 {
		return ""
	}
	var word *syntax.Word
	switch c := cond[len(cond)-1].Cmd.(type) {
	case *syntax.CallExpr:
		args := c.Args
		if len(args) >= 3 && args[1].Lit() == "-z" &&
			(args[0].Lit() == "[" && len(args) == 4 && args[3].Lit() == "]" || args[0].Lit() == "test" && len(args) == 3) {
			word = args[2]
		}
	case *syntax.TestClause:
		if u, ok := c.X.(*syntax.UnaryTest); ok && u.Op == syntax.TsEmpStr {
			word, _ = u.X.(*syntax.Word)
		}
	}
	if word == nil || len(word.Parts) != 1 {
		return ""
	}
	part := word.Parts[0]
	if dq, ok := part.(*syntax.DblQuoted); ok && len(dq.Parts) == 1 {
		part = dq.Parts[0]
	}
	if p, ok := part.(*syntax.ParamExp); ok && p.Param != nil {
		return p.Param.Value
	}
	return ""
}

// assigns is true when the statements assign (or export with a value) name.
func assigns(stmts []*syntax.Stmt, name string) bool {
	found := false
	for _, st := range stmts {
		syntax.Walk(st, func(n syntax.Node) bool {
			if a, ok := n.(*syntax.Assign); ok && a.Name != nil && a.Name.Value == name && !a.Naked {
				found = true
			}
			return !found
		})
	}
	return found
}
