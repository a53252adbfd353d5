// Package propsdoc renders docs/props.md, the reference of DjangoEcsProps and
// its nested props, from the doc comments in props.go (and the props files of
// building blocks, Sources): the comments are the single source of the defaults.
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

// Source is the main Go file the reference is read from.
const Source = "targets/ecs/props.go"

// Sources are the Go files the reference is read from, in order: the
// construct's props, then each building block's Props (shown under the name
// the root package gives it).
var Sources = []string{Source, "blocks/observability/props.go", "blocks/network/network.go", "blocks/database/database.go",
	"blocks/cache/cache.go", "blocks/storage/storage.go", "blocks/domain/domain.go"}

// blockNames are the root package's names of the blocks' Props types.
var blockNames = map[string]string{
	"blocks/observability/props.go": "AlarmsProps",
	"blocks/network/network.go":     "NetworkProps",
	"blocks/database/database.go":   "DatabaseProps",
	"blocks/cache/cache.go":         "CacheProps",
	"blocks/storage/storage.go":     "StorageProps",
	"blocks/domain/domain.go":       "DomainProps",
}

// Render parses srcs (the contents of Sources, in order) and returns the Markdown.
func Render(srcs ...[]byte) (string, error) {
	if len(srcs) > len(Sources) {
		return "", fmt.Errorf("%d sources given, %d known", len(srcs), len(Sources))
	}
	fset := token.NewFileSet()
	var files []*ast.File
	for i, src := range srcs {
		f, err := parser.ParseFile(fset, Sources[i], src, parser.ParseComments)
		if err != nil {
			return "", fmt.Errorf("parse %s: %w", Sources[i], err)
		}
		files = append(files, f)
	}
	var b strings.Builder
	b.WriteString("# DjangoEcs props reference\n\n<!-- Generated from targets/ecs/props.go and the blocks' props by \"go run ./internal/tools/gendocs\"; do not edit. -->\n\n")
	b.WriteString("Every field is optional unless it says Required. Defaults that differ by profile are given as starter / production.\n")
	for i, f := range files {
		renderTypes(&b, f, blockNames[Sources[i]])
	}
	return b.String(), nil
}

// renderTypes writes a section per struct type of f; with only set, just
// the Props type, under that name.
func renderTypes(b *strings.Builder, f *ast.File, only string) {
	for _, decl := range f.Decls {
		gd, ok := decl.(*ast.GenDecl)
		if !ok || gd.Tok != token.TYPE {
			continue
		}
		for _, spec := range gd.Specs {
			ts := spec.(*ast.TypeSpec)
			st, ok := ts.Type.(*ast.StructType)
			if !ok || only != "" && ts.Name.Name != "Props" {
				continue
			}
			name := ts.Name.Name
			if only != "" {
				name = only
			}
			fmt.Fprintf(b, "\n## %s\n\n%s\n\n| Field | Type | Description and default |\n|---|---|---|\n", name, oneLine(gd.Doc.Text()))
			for _, field := range st.Fields.List {
				typ := strings.ReplaceAll(exprString(field.Type), "|", `\|`)
				doc := strings.ReplaceAll(oneLine(field.Doc.Text()), "|", `\|`)
				for _, name := range field.Names {
					fmt.Fprintf(b, "| `%s` | `%s` | %s |\n", name.Name, typ, doc)
				}
			}
		}
	}
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
