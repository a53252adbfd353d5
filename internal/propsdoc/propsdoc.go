// Package propsdoc renders docs/props.md, the reference of DjangoEcsProps and
// its nested props, from the doc comments in props.go: the comments are the
// single source of the defaults.
package propsdoc

import (
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"strings"
)

// Path is where the rendered document lives, relative to the repository root.
const Path = "docs/props.md"

// Source is the Go file the reference is read from.
const Source = "props.go"

// Render parses src (the contents of props.go) and returns the Markdown.
func Render(src []byte) (string, error) {
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, Source, src, parser.ParseComments)
	if err != nil {
		return "", fmt.Errorf("parse %s: %w", Source, err)
	}
	var b strings.Builder
	b.WriteString("# DjangoEcs props reference\n\n<!-- Generated from props.go by \"go run ./internal/tools/gendocs\"; do not edit. -->\n\n")
	b.WriteString("Every field is optional unless it says Required. Defaults that differ by profile are given as starter / production.\n")
	for _, decl := range f.Decls {
		gd, ok := decl.(*ast.GenDecl)
		if !ok || gd.Tok != token.TYPE {
			continue
		}
		for _, spec := range gd.Specs {
			ts := spec.(*ast.TypeSpec)
			st, ok := ts.Type.(*ast.StructType)
			if !ok {
				continue
			}
			fmt.Fprintf(&b, "\n## %s\n\n%s\n\n| Field | Type | Description and default |\n|---|---|---|\n", ts.Name.Name, oneLine(gd.Doc.Text()))
			for _, field := range st.Fields.List {
				typ := strings.ReplaceAll(exprString(field.Type), "|", `\|`)
				doc := strings.ReplaceAll(oneLine(field.Doc.Text()), "|", `\|`)
				for _, name := range field.Names {
					fmt.Fprintf(&b, "| `%s` | `%s` | %s |\n", name.Name, typ, doc)
				}
			}
		}
	}
	return b.String(), nil
}

func oneLine(s string) string { return strings.Join(strings.Fields(s), " ") }

func exprString(e ast.Expr) string {
	switch t := e.(type) {
	case *ast.Ident:
		return t.Name
	case *ast.SelectorExpr:
		return exprString(t.X) + "." + t.Sel.Name
	case *ast.StarExpr:
		return "*" + exprString(t.X)
	case *ast.ArrayType:
		return "[]" + exprString(t.Elt)
	case *ast.MapType:
		return "map[" + exprString(t.Key) + "]" + exprString(t.Value)
	case *ast.FuncType:
		return "func(...)"
	}
	return fmt.Sprintf("%T", e)
}
