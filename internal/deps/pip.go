package deps

import (
	"fmt"
	"os"
	"path"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
)

// pipCandidates are the requirements files that may be the production one,
// best first. (A requirements/production/ directory of files is not
// looked into: such a project has a file including them, or writes its own Dockerfile.)
var pipCandidates = []string{
	"requirements/production.txt",
	"requirements/prod.txt",
	"requirements-production.txt",
	"requirements-prod.txt",
	"requirements.txt",
	"requirements/base.txt",
}

// detectPip plans `pip install -r` of the production requirements file,
// or returns nil when the project has none.
func detectPip(projectDir string) (*Plan, error) {
	for _, file := range pipCandidates {
		if !exists(projectDir, filepath.FromSlash(file)) {
			continue
		}
		r := &reqReader{dir: projectDir, declared: map[string]string{}, seen: map[string]bool{}}
		if err := r.read(file, false); err != nil {
			return nil, err
		}
		from := file
		if len(r.files) > 1 {
			from += " (with " + strings.Join(r.files[1:], ", ") + ")"
		}
		return &Plan{
			Manager:          ManagerPip,
			RequirementsFile: file,
			Files:            copyList(r.files),
			InstallCommand:   []string{"pip install -r " + shellQuote(file)},
			Declared:         r.declared,
			From:             from,
			Warnings:         r.warnings,
		}, nil
	}
	return nil, nil
}

// reqReader reads a requirements file and those it includes.
type reqReader struct {
	dir      string
	declared map[string]string
	files    []string // relative, slash-separated, in reading order
	seen     map[string]bool
	warnings []string
}

// read reads rel (relative to the project); constraint files add to the
// files to copy but declare nothing.
func (r *reqReader) read(rel string, constraint bool) error {
	if r.seen[rel] {
		return nil
	}
	r.seen[rel] = true
	data, err := os.ReadFile(filepath.Join(r.dir, filepath.FromSlash(rel)))
	if err != nil {
		if len(r.files) == 0 {
			return err
		}
		r.warnings = append(r.warnings, fmt.Sprintf("%s is included but cannot be read: %v", rel, err))
		return nil
	}
	r.files = append(r.files, rel)
	for _, line := range logicalLines(string(data)) {
		l := parseRequirementLine(line)
		if l.problem != "" {
			r.warnings = append(r.warnings, rel+": "+l.problem)
		}
		for _, inc := range []struct {
			target     string
			constraint bool
		}{{l.include, constraint}, {l.constraint, true}} {
			if inc.target == "" {
				continue
			}
			if strings.Contains(inc.target, "://") {
				r.warnings = append(r.warnings, fmt.Sprintf("%s includes %s from the network: its requirements are not checked", rel, inc.target))
				continue
			}
			target := path.Clean(path.Join(path.Dir(rel), filepath.ToSlash(inc.target)))
			if strings.HasPrefix(target, "../") || path.IsAbs(target) {
				r.warnings = append(r.warnings, fmt.Sprintf("%s includes %s, outside the project: it cannot be copied into the image", rel, inc.target))
				continue
			}
			if err := r.read(target, inc.constraint); err != nil {
				return err
			}
		}
		if l.spec != nil && !constraint {
			r.declared[l.spec.Key()] = l.text
		}
	}
	return nil
}

// copyList turns the files read into what the image copies: root files
// themselves, files in a directory as the whole (top) directory.
func copyList(files []string) []string {
	var out []string
	for _, f := range files {
		if i := strings.Index(f, "/"); i >= 0 {
			f = f[:i+1]
		}
		if !slices.Contains(out, f) {
			out = append(out, f)
		}
	}
	slices.Sort(out)
	return out
}

// logicalLines joins backslash continuations, as pip does before removing comments.
func logicalLines(text string) []string {
	var out []string
	current := ""
	for _, line := range strings.Split(strings.ReplaceAll(text, "\r\n", "\n"), "\n") {
		if strings.HasSuffix(line, `\`) {
			current += strings.TrimSuffix(line, `\`)
			continue
		}
		out = append(out, current+line)
		current = ""
	}
	if current != "" {
		out = append(out, current)
	}
	return out
}

// reqLine is one logical line of a requirements file.
type reqLine struct {
	include, constraint string // -r / -c targets as written
	spec                *Spec  // the requirement, when the line has one
	text                string // the requirement without per-requirement options
	hashes              bool   // --hash options follow the requirement
	problem             string // a warning about the line
}

var (
	commentRe  = regexp.MustCompile(`(^|\s+)#.*$`)
	directRef  = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9._-]*\s*(\[[^\]]*\])?\s*@`)
	vcsPrefix  = regexp.MustCompile(`^(git|hg|svn|bzr)\+`)
	archiveExt = regexp.MustCompile(`\.(tar\.gz|tar\.bz2|tar\.xz|tgz|zip|whl)$`)
)

// parseRequirementLine parses one logical line of a requirements file.
func parseRequirementLine(line string) reqLine {
	line = strings.TrimSpace(commentRe.ReplaceAllString(line, ""))
	if line == "" {
		return reqLine{}
	}
	if strings.HasPrefix(line, "-") {
		opt, arg := splitOption(line)
		switch opt {
		case "-r", "--requirement":
			return reqLine{include: arg}
		case "-c", "--constraint":
			return reqLine{constraint: arg}
		case "-e", "--editable":
			return urlLine(arg)
		case "--require-hashes":
			return reqLine{hashes: true}
		}
		return reqLine{} // index, find-links, binary and other global options
	}
	l := reqLine{}
	if i := strings.Index(line, " --"); i >= 0 { // per-requirement options: --hash, --config-settings
		l.hashes = strings.Contains(line[i:], "--hash")
		line = strings.TrimSpace(line[:i])
	}
	first, _, _ := strings.Cut(line, " ")
	first, _, _ = strings.Cut(first, ";")
	if !directRef.MatchString(line) && (strings.Contains(first, "://") || vcsPrefix.MatchString(first) ||
		strings.ContainsAny(first, `/\`) || first == "." || archiveExt.MatchString(first)) {
		u := urlLine(line)
		u.hashes = l.hashes
		return u
	}
	spec, err := ParseSpec(line)
	if err != nil {
		return reqLine{problem: err.Error()}
	}
	l.spec, l.text = &spec, line
	return l
}

// splitOption splits "-r file", "-rfile", "--requirement=file" and
// "--requirement file" into the option and its argument.
func splitOption(line string) (opt, arg string) {
	if strings.HasPrefix(line, "--") {
		end := strings.IndexAny(line, " \t=")
		if end < 0 {
			return line, ""
		}
		return line[:end], strings.TrimSpace(strings.TrimPrefix(strings.TrimSpace(line[end:]), "="))
	}
	if len(line) < 2 {
		return line, ""
	}
	return line[:2], strings.TrimSpace(line[2:])
}

// urlLine names the requirement of a URL or path line: #egg=NAME, else the
// archive's file name; local paths are reported (they must be in the image).
func urlLine(ref string) reqLine {
	ref = strings.TrimSpace(ref)
	if !strings.Contains(ref, "://") && !vcsPrefix.MatchString(ref) {
		return reqLine{problem: fmt.Sprintf("%s is installed from a local path, which must be in the image before the requirements are installed", ref)}
	}
	name := ""
	if _, frag, ok := strings.Cut(ref, "#"); ok {
		for _, part := range strings.Split(frag, "&") {
			if v, ok := strings.CutPrefix(part, "egg="); ok {
				name = v
			}
		}
	}
	if name == "" {
		base := path.Base(strings.SplitN(strings.SplitN(ref, "#", 2)[0], "?", 2)[0])
		if archiveExt.MatchString(base) {
			stem := archiveExt.ReplaceAllString(base, "")
			if strings.HasSuffix(base, ".whl") {
				name, _, _ = strings.Cut(stem, "-")
			} else if i := strings.LastIndex(stem, "-"); i > 0 {
				name = stem[:i]
			}
		}
	}
	spec, err := ParseSpec(name)
	if err != nil {
		return reqLine{problem: fmt.Sprintf("cannot tell which distribution %s installs (add #egg=NAME)", ref)}
	}
	spec.URL = ref
	return reqLine{spec: &spec, text: ref}
}
