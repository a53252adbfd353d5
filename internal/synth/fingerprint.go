package synth

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"runtime/debug"
	"strings"

	"github.com/moby/patternmatcher"
	"github.com/moby/patternmatcher/ignorefile"
)

// fingerprint hashes what a synth depends on: the djangocdk build, the
// merged configuration, the environment name, and the
// Docker build context of the project (paths and contents of the files
// .dockerignore lets into it, as the CDK hashes them for the image asset).
// Whether validation ran and whether assets were staged are not part of the
// key: the stamp records them beside it (see stamp.satisfies).
func fingerprint(req Request) (string, error) {
	h := sha256.New()
	if info, ok := debug.ReadBuildInfo(); ok {
		fmt.Fprintln(h, info.Main.Version, info.Main.Sum)
		for _, s := range info.Settings {
			if s.Key == "vcs.revision" || s.Key == "vcs.modified" {
				fmt.Fprintln(h, s.Key, s.Value)
			}
		}
	}
	if exe, err := os.Executable(); err == nil {
		if st, err := os.Stat(exe); err == nil {
			fmt.Fprintln(h, st.ModTime().UnixNano(), st.Size()) // a rebuilt binary resynthesizes
		}
	}
	cfg, _ := json.Marshal(req.Config)
	fmt.Fprintf(h, "%s\n%s\n", cfg, req.Env)
	root := req.Config.ProjectPath(req.ConfigFile)
	out, _ := filepath.Abs(req.Outdir)
	dockerfile := req.Config.Dockerfile
	if dockerfile == "" {
		dockerfile = "Dockerfile"
	}
	if err := hashContext(h, root, dockerfile, out); err != nil {
		return "", err
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}

// contextMatcher returns the exclusion rules of the Docker build context
// in root as the CDK applies them to an image asset (aws-ecr-assets
// DockerImageAsset, ignore mode DOCKER): the lines of .dockerignore, then
// "!.dockerignore" when there is one, then the Dockerfile's base name
// re-included. Without .dockerignore nothing but the Dockerfile rule.
func contextMatcher(root, dockerfile string) (*patternmatcher.PatternMatcher, error) {
	var patterns []string
	f, err := os.Open(filepath.Join(root, ".dockerignore"))
	switch {
	case err == nil:
		patterns, err = ignorefile.ReadAll(f)
		f.Close()
		if err != nil {
			return nil, fmt.Errorf("read %s: %w", filepath.Join(root, ".dockerignore"), err)
		}
		patterns = append(patterns, "!.dockerignore")
	case !errors.Is(err, fs.ErrNotExist):
		return nil, err
	}
	patterns = append(patterns, "!"+path.Base(filepath.ToSlash(dockerfile)))
	pm, err := patternmatcher.New(patterns)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", filepath.Join(root, ".dockerignore"), err)
	}
	return pm, nil
}

// hashContext writes to h the path and content of every regular file (and
// the target of every symbolic link) of the build context in root, in
// lexical order, leaving out what .dockerignore excludes, the output
// directory out and cdk.out* directories (the CDK leaves its output
// directory out of the image asset too).
func hashContext(h io.Writer, root, dockerfile, out string) error {
	pm, err := contextMatcher(root, dockerfile)
	if err != nil {
		return err
	}
	parents := map[string]patternmatcher.MatchInfo{}
	err = filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if p == root {
			return nil
		}
		if abs, _ := filepath.Abs(p); abs == out || (d.IsDir() && strings.HasPrefix(d.Name(), "cdk.out")) {
			return filepath.SkipDir
		}
		rel, _ := filepath.Rel(root, p)
		rel = filepath.ToSlash(rel)
		excluded, info, err := pm.MatchesUsingParentResults(rel, parents[path.Dir(rel)])
		if err != nil {
			return err
		}
		if d.IsDir() {
			if excluded && !mayReinclude(pm, rel) {
				return filepath.SkipDir
			}
			parents[rel] = info
			return nil
		}
		if excluded {
			return nil
		}
		switch {
		case d.Type()&fs.ModeSymlink != 0:
			target, err := os.Readlink(p)
			if err != nil {
				return err
			}
			fmt.Fprintf(h, "%s\x00link\x00%s\x00", rel, target)
			return nil
		case !d.Type().IsRegular():
			return nil
		}
		fmt.Fprintf(h, "%s\x00", rel)
		f, err := os.Open(p)
		if err != nil {
			return err
		}
		defer f.Close()
		_, err = io.Copy(h, f)
		return err
	})
	if errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("project directory %s does not exist", root)
	}
	return err
}

// mayReinclude reports whether an exclusion pattern ("!...") could let a
// file under the excluded directory dir back in, in which case the walk
// must enter it (the test moby's archiver makes).
func mayReinclude(pm *patternmatcher.PatternMatcher, dir string) bool {
	if !pm.Exclusions() {
		return false
	}
	prefix := dir + "/"
	for _, pat := range pm.Patterns() {
		if !pat.Exclusion() {
			continue
		}
		if strings.HasPrefix(pat.String()+"/", prefix) || strings.ContainsAny(pat.String(), "*?[") {
			return true
		}
	}
	return false
}
