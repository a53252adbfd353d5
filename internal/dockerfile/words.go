package dockerfile

import (
	"bytes"
	"fmt"
	"strings"

	"mvdan.cc/sh/v3/syntax"
)

// lookupFunc returns a variable's value, false when it is not known.
type lookupFunc func(name string) (string, bool)

// parseShell parses shell source, as Bash (a superset of what scripts and
// shell-form instructions use), falling back to strict POSIX.
func parseShell(src, name string) (*syntax.File, error) {
	f, err := syntax.NewParser(syntax.Variant(syntax.LangBash)).Parse(strings.NewReader(src), name)
	if err == nil {
		return f, nil
	}
	if f2, err2 := syntax.NewParser(syntax.Variant(syntax.LangPOSIX)).Parse(strings.NewReader(src), name); err2 == nil {
		return f2, nil
	}
	return nil, err
}

// splitWords splits a command line into words the way a shell would
// without expanding anything: quotes removed, variables left as written.
// More than one command (";", "&&", pipes) is split on white space.
func splitWords(s string) ([]string, error) {
	f, err := parseShell(s, "")
	if err != nil {
		return nil, fmt.Errorf("split %q: %w", s, err)
	}
	if len(f.Stmts) != 1 {
		return strings.Fields(s), nil
	}
	call, ok := f.Stmts[0].Cmd.(*syntax.CallExpr)
	if !ok || len(call.Assigns) > 0 {
		return strings.Fields(s), nil
	}
	words := make([]string, len(call.Args))
	for i, w := range call.Args {
		words[i], _ = wordValue(w, nil)
	}
	return words, nil
}

// wordValue evaluates a shell word: quotes removed, variables that lookup
// knows (or that have a ${VAR:-default}) substituted. ok is false when the
// word is not literal; the word is then returned as written.
func wordValue(w *syntax.Word, lookup lookupFunc) (string, bool) {
	var b strings.Builder
	if partsValue(&b, w.Parts, false, lookup) {
		return b.String(), true
	}
	return printNode(w), false
}

func partsValue(b *strings.Builder, parts []syntax.WordPart, quoted bool, lookup lookupFunc) bool {
	for _, p := range parts {
		switch p := p.(type) {
		case *syntax.Lit:
			b.WriteString(unescape(p.Value, quoted))
		case *syntax.SglQuoted:
			if p.Dollar {
				return false
			}
			b.WriteString(p.Value)
		case *syntax.DblQuoted:
			if !partsValue(b, p.Parts, true, lookup) {
				return false
			}
		case *syntax.ParamExp:
			v, ok := paramValue(p, lookup)
			if !ok {
				return false
			}
			b.WriteString(v)
		default:
			return false
		}
	}
	return true
}

// paramValue evaluates a plain ${VAR}, or ${VAR:-x}/${VAR:=x} whose
// variable is unknown.
func paramValue(p *syntax.ParamExp, lookup lookupFunc) (string, bool) {
	if p.Param == nil || p.Excl || p.Length || p.Width || p.Index != nil || p.Slice != nil || p.Repl != nil {
		return "", false
	}
	if lookup != nil {
		if v, ok := lookup(p.Param.Value); ok {
			if p.Exp == nil || isDefaultOp(p.Exp.Op) && v != "" {
				return v, true
			}
		}
	}
	if p.Exp != nil && isDefaultOp(p.Exp.Op) {
		if p.Exp.Word == nil {
			return "", true
		}
		var b strings.Builder
		if partsValue(&b, p.Exp.Word.Parts, true, lookup) {
			return b.String(), true
		}
	}
	return "", false
}

// isDefaultOp is true for the expansions that give a value when the
// variable is unset: -, :-, = and :=.
func isDefaultOp(op syntax.ParExpOperator) bool {
	switch op {
	case syntax.DefaultUnset, syntax.DefaultUnsetOrNull, syntax.AssignUnset, syntax.AssignUnsetOrNull:
		return true
	}
	return false
}

// unescape removes shell backslash escapes from a literal: outside quotes
// a backslash escapes any character, inside double quotes only $ ` " \ and
// newline.
func unescape(s string, quoted bool) string {
	if !strings.Contains(s, `\`) {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c == '\\' && i+1 < len(s) {
			next := s[i+1]
			if !quoted || strings.IndexByte("$`\"\\\n", next) >= 0 {
				if next != '\n' {
					b.WriteByte(next)
				}
				i++
				continue
			}
		}
		b.WriteByte(c)
	}
	return b.String()
}

// printNode returns a syntax node as shell source.
func printNode(n syntax.Node) string {
	var buf bytes.Buffer
	if err := syntax.NewPrinter().Print(&buf, n); err != nil {
		return ""
	}
	return buf.String()
}
