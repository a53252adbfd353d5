package dockerfile

import (
	"bytes"
	"fmt"
	"os"
	"path"
	"path/filepath"
	"slices"
	"strings"
)

// defaultPath is the PATH of the official python images.
const defaultPath = "/usr/local/bin:/usr/local/sbin:/usr/sbin:/usr/bin:/sbin:/bin"

// script returns the script that p (a program, or with viaShell a file
// given to sh/bash) names in the image, parsed, when a COPY or ADD of the
// stage chain brought it from the build context; nil otherwise.
func (a *analysis) script(p string, viaShell bool) *Script {
	if strings.Contains(p, "$") {
		return nil
	}
	for _, imgPath := range a.candidates(p, viaShell) {
		if s, ok := a.img.Scripts[imgPath]; ok {
			return s
		}
		if a.failed[imgPath] {
			return nil
		}
		file, ok := a.fromContext(a.stage, imgPath, 0)
		if !ok {
			continue
		}
		data, err := os.ReadFile(filepath.Join(a.projectDir, filepath.FromSlash(file)))
		if err != nil || !isShellScript(data) {
			return nil
		}
		s, err := ParseScript(file, data, a.img.Env)
		if err != nil {
			if a.failed == nil {
				a.failed = map[string]bool{}
			}
			a.failed[imgPath] = true
			a.note(file, 0, fmt.Sprintf("cannot read the script the container runs as %s: %v", imgPath, err))
			return nil
		}
		a.img.Scripts[imgPath] = s
		return s
	}
	return nil
}

// candidates are the image paths a program name may stand for: itself when
// absolute, relative to the WORKDIR when it has a "/" (or is given to a
// shell), else in each PATH directory.
func (a *analysis) candidates(p string, viaShell bool) []string {
	switch {
	case path.IsAbs(p):
		return []string{path.Clean(p)}
	case viaShell || strings.Contains(p, "/"):
		return []string{path.Join(a.img.Workdir, p)}
	}
	dirs := defaultPath
	if v, ok := a.img.Env["PATH"]; ok {
		dirs = v + ":" + defaultPath
	}
	var out []string
	for _, d := range strings.Split(dirs, ":") {
		if c := path.Join(d, p); path.IsAbs(d) && !slices.Contains(out, c) {
			out = append(out, c)
		}
	}
	return out
}

// isShellScript is true for text without a shebang or with a shell one.
func isShellScript(data []byte) bool {
	if bytes.IndexByte(data, 0) >= 0 {
		return false
	}
	if !bytes.HasPrefix(data, []byte("#!")) {
		return true
	}
	first, _, _ := bytes.Cut(data, []byte("\n"))
	for _, f := range strings.Fields(strings.TrimPrefix(string(first), "#!")) {
		if isShellProgram(f) {
			return true
		}
	}
	return false
}

// fromContext finds which build-context file (relative to the project) is
// at imgPath in the image of stage st: the last COPY or ADD that put a file
// there, followed through COPY --from=<stage>.
func (a *analysis) fromContext(st *stageState, imgPath string, depth int) (string, bool) {
	for _, c := range slices.Backward(st.copies) {
		if c.From != "" {
			if f, ok := a.fromStage(c, imgPath, depth); ok {
				return f, true
			}
			continue
		}
		for _, src := range c.Sources {
			if strings.Contains(src, "://") || strings.HasPrefix(src, "git@") {
				continue
			}
			src = strings.TrimPrefix(path.Clean("/"+src), "/")
			if src == "" {
				src = "."
			}
			ctxDir := filepath.Join(a.projectDir, filepath.FromSlash(a.src.Context))
			matches := []string{src}
			if strings.ContainsAny(src, "*?[") {
				matches = nil
				found, _ := filepath.Glob(filepath.Join(ctxDir, filepath.FromSlash(src)))
				for _, m := range found {
					if rel, err := filepath.Rel(ctxDir, m); err == nil {
						matches = append(matches, filepath.ToSlash(rel))
					}
				}
			}
			for _, m := range matches {
				for _, cand := range sourcesFor(c, m, len(matches) > 1 || m != src, imgPath) {
					f := path.Join(a.src.Context, cand)
					if isFile(filepath.Join(a.projectDir, filepath.FromSlash(f))) {
						return f, true
					}
				}
			}
		}
	}
	return "", false
}

// fromStage follows a COPY --from=<stage> back to the build context.
func (a *analysis) fromStage(c Copy, imgPath string, depth int) (string, bool) {
	i := a.ev.stageIndex(c.From)
	if i < 0 || depth > 3 {
		return "", false
	}
	other, err := a.ev.eval(i)
	if err != nil {
		return "", false
	}
	for _, src := range c.Sources {
		for _, cand := range sourcesFor(c, path.Clean("/"+src), false, imgPath) {
			if f, ok := a.fromContext(other, cand, depth+1); ok {
				return f, true
			}
		}
	}
	return "", false
}

// sourcesFor lists the paths, relative to a COPY source src, that end up at
// imgPath: src itself when it is the file copied there, or the file under
// src when it is a directory whose contents were copied into the
// destination. multi is true when src was one of several glob matches.
func sourcesFor(c Copy, src string, multi bool, imgPath string) []string {
	dest := strings.TrimSuffix(c.Dest, "/")
	if dest == "" {
		dest = "/"
	}
	destIsDir := strings.HasSuffix(c.Dest, "/") || len(c.Sources) > 1 || multi
	var out []string
	if imgPath == path.Join(dest, path.Base(src)) || !destIsDir && imgPath == dest {
		out = append(out, src)
	}
	if rel, ok := under(imgPath, dest); ok {
		out = append(out, path.Join(src, rel))
	}
	return out
}

// under returns p relative to dir when p lies inside it.
func under(p, dir string) (string, bool) {
	if dir == "/" {
		return strings.TrimPrefix(p, "/"), p != "/"
	}
	rel, ok := strings.CutPrefix(p, dir+"/")
	return rel, ok && rel != ""
}
