package initproj

import (
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
)

// StaticProblem is a reference in a static file that Django's manifest
// storage cannot resolve: collectstatic would fail on it with hashed names.
type StaticProblem struct {
	// File is the referencing file, relative to the project root.
	File string
	// Line is the line of the reference.
	Line int
	// Missing is the referenced path as written.
	Missing string
}

// The references ManifestStaticFilesStorage rewrites (its default patterns).
var (
	cssURL       = regexp.MustCompile(`url\(\s*['"]?\s*([^'")\s]+)\s*['"]?\s*\)`)
	cssImport    = regexp.MustCompile(`@import\s*["']\s*([^"']+)["']`)
	cssSourceMap = regexp.MustCompile(`/\*#\s*sourceMappingURL=(\S+)\s*\*/`)
	jsSourceMap  = regexp.MustCompile(`(?m)^//# (?-i:sourceMappingURL)=(\S+)[ \t]*$`)
)

// skipDirs are never part of a project's static sources.
var skipDirs = []string{".git", ".venv", "venv", "env", "node_modules", "__pycache__", ".tox", "site-packages", "cdk.out", "staticfiles", "collectstatic", ".mypy_cache", ".pytest_cache"}

// staticRoots are the directories named "static" under root (app static
// directories and the usual STATICFILES_DIRS), relative to root.
func staticRoots(root string) []string {
	var roots []string
	_ = filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil || !d.IsDir() {
			return nil
		}
		if p != root && slices.Contains(skipDirs, d.Name()) {
			return filepath.SkipDir
		}
		if d.Name() == "static" {
			rel, _ := filepath.Rel(root, p)
			roots = append(roots, rel)
			return filepath.SkipDir
		}
		return nil
	})
	return roots
}

// staticProblems finds the references of the project's CSS and JavaScript
// files that no static directory holds. Static directories merge into one
// namespace, so a reference resolves when any of them has the file.
func staticProblems(root string) []StaticProblem {
	roots := staticRoots(root)
	exists := func(name string) bool {
		for _, r := range roots {
			if _, err := os.Stat(filepath.Join(root, r, filepath.FromSlash(name))); err == nil {
				return true
			}
		}
		return false
	}
	var probs []StaticProblem
	for _, r := range roots {
		base := filepath.Join(root, r)
		_ = filepath.WalkDir(base, func(p string, d fs.DirEntry, err error) error {
			if err != nil || d.IsDir() {
				return nil
			}
			ext := strings.ToLower(filepath.Ext(p))
			if ext != ".css" && ext != ".js" {
				return nil
			}
			data, err := os.ReadFile(p)
			if err != nil {
				return nil
			}
			rel, _ := filepath.Rel(base, p)
			name := filepath.ToSlash(rel)
			patterns := []*regexp.Regexp{jsSourceMap}
			if ext == ".css" {
				patterns = []*regexp.Regexp{cssURL, cssImport, cssSourceMap}
			}
			for _, re := range patterns {
				for _, m := range re.FindAllSubmatchIndex(data, -1) {
					ref := string(data[m[2]:m[3]])
					if ignoredReference(ref) {
						continue
					}
					target := path.Clean(path.Join(path.Dir(name), strings.SplitN(strings.SplitN(ref, "?", 2)[0], "#", 2)[0]))
					if strings.HasPrefix(target, "../") || !exists(target) {
						relFile, _ := filepath.Rel(root, p)
						probs = append(probs, StaticProblem{File: filepath.ToSlash(relFile), Line: 1 + strings.Count(string(data[:m[0]]), "\n"), Missing: ref})
					}
				}
			}
			return nil
		})
	}
	return probs
}

// ignoredReference reports references Django's manifest storage leaves
// alone: absolute URLs, data URIs, fragments and absolute paths.
func ignoredReference(ref string) bool {
	for _, prefix := range []string{"http:", "https:", "//", "data:", "#", "/", "about:", "chrome:"} {
		if strings.HasPrefix(ref, prefix) {
			return true
		}
	}
	return strings.Contains(ref, "{{") || strings.HasPrefix(ref, "%")
}
