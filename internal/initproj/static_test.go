package initproj

import (
	"os"
	"path/filepath"
	"testing"
)

func TestStaticProblems(t *testing.T) {
	dir := t.TempDir()
	files := map[string]string{
		"shop/static/css/site.css":    "body { background: url('../img/bg.png'); }\n@import 'theme.css';\n.x { background: url(data:image/png;base64,AAA); }\n/*# sourceMappingURL=site.css.map */\n",
		"shop/static/css/theme.css":   "a { color: red; }\n",
		"blog/static/img/bg.png":      "png", // another app's static dir: the namespace is merged
		"shop/static/js/app.min.js":   "var a=1;\n//# sourceMappingURL=app.min.js.map\n",
		"shop/static/js/ok.js":        "var b=2;\n//# sourceMappingURL=ok.js.map\n",
		"shop/static/js/ok.js.map":    "{}",
		"node_modules/x/static/a.css": "a { background: url(missing.png); }\n", // never collected
	}
	for name, body := range files {
		path := filepath.Join(dir, filepath.FromSlash(name))
		os.MkdirAll(filepath.Dir(path), 0o755)
		os.WriteFile(path, []byte(body), 0o644)
	}
	got := staticProblems(dir)
	want := map[string]StaticProblem{
		"shop/static/css/site.css":  {File: "shop/static/css/site.css", Line: 4, Missing: "site.css.map"},
		"shop/static/js/app.min.js": {File: "shop/static/js/app.min.js", Line: 2, Missing: "app.min.js.map"},
	}
	if len(got) != len(want) {
		t.Fatalf("got %+v, want %+v", got, want)
	}
	for _, p := range got {
		if want[p.File] != p {
			t.Errorf("got %+v, want %+v", p, want[p.File])
		}
	}
}
