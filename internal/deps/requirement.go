package deps

import (
	"fmt"
	"regexp"
	"strings"
)

// Spec is one parsed requirement: a PEP 508 string such as
// `psycopg[binary]==3.2.10; python_version >= "3.10"`, or a Poetry/Pipenv
// table entry rendered as "name[extras] constraint".
type Spec struct {
	// Name is the distribution name as written.
	Name string
	// Extras are the requested extras, normalized (PEP 685).
	Extras []string
	// Version is the version constraint as written ("==3.2.10", ">=5.2,<6", "^5.2"), "" for any.
	Version string
	// URL is a direct reference ("name @ URL", a VCS or archive URL), "" otherwise.
	URL string
	// Marker is the environment marker after ";", "" when none.
	Marker string
}

// Key is the PEP 503 normalized name, the key of Plan.Declared.
func (s Spec) Key() string { return Normalize(s.Name) }

// HasExtra reports whether the extra (any spelling) is requested.
func (s Spec) HasExtra(extra string) bool {
	for _, e := range s.Extras {
		if e == Normalize(extra) {
			return true
		}
	}
	return false
}

var (
	nameRe      = regexp.MustCompile(`^[A-Za-z0-9](?:[A-Za-z0-9._-]*[A-Za-z0-9])?`)
	separatorRe = regexp.MustCompile(`[-_.]+`)
)

// Normalize returns the PEP 503 normalized form of a distribution, extra or
// group name: lower case, runs of "-", "_" and "." replaced by one "-".
func Normalize(name string) string {
	return separatorRe.ReplaceAllString(strings.ToLower(strings.TrimSpace(name)), "-")
}

// ParseSpec parses a PEP 508 requirement (also accepting Poetry-style
// constraints such as "^5.2" in place of a PEP 440 specifier).
func ParseSpec(s string) (Spec, error) {
	text := strings.TrimSpace(s)
	name := nameRe.FindString(text)
	if name == "" {
		return Spec{}, fmt.Errorf("requirement %q: no distribution name", s)
	}
	spec := Spec{Name: name}
	rest := strings.TrimSpace(text[len(name):])
	if strings.HasPrefix(rest, "[") {
		end := strings.Index(rest, "]")
		if end < 0 {
			return Spec{}, fmt.Errorf("requirement %q: unclosed extras", s)
		}
		for _, e := range strings.Split(rest[1:end], ",") {
			if e = strings.TrimSpace(e); e != "" {
				spec.Extras = append(spec.Extras, Normalize(e))
			}
		}
		rest = strings.TrimSpace(rest[end+1:])
	}
	if strings.HasPrefix(rest, "@") {
		// A URL ends at whitespace; a marker may follow after " ;".
		rest = strings.TrimSpace(rest[1:])
		url, after, _ := strings.Cut(rest, " ")
		spec.URL = url
		rest = strings.TrimSpace(after)
		if !strings.HasPrefix(rest, ";") && rest != "" {
			return Spec{}, fmt.Errorf("requirement %q: unexpected %q after the URL", s, rest)
		}
	}
	version, marker, _ := strings.Cut(rest, ";")
	version = strings.TrimSpace(version)
	if strings.HasPrefix(version, "(") && strings.HasSuffix(version, ")") {
		version = strings.TrimSpace(version[1 : len(version)-1])
	}
	spec.Version = version
	spec.Marker = strings.TrimSpace(marker)
	return spec, nil
}

// String renders the spec in PEP 508 form.
func (s Spec) String() string {
	var b strings.Builder
	b.WriteString(s.Name)
	if len(s.Extras) > 0 {
		b.WriteString("[" + strings.Join(s.Extras, ",") + "]")
	}
	switch {
	case s.URL != "":
		b.WriteString(" @ " + s.URL)
	case s.Version != "":
		b.WriteString(s.Version)
	}
	if s.Marker != "" {
		if s.URL != "" {
			b.WriteString(" ")
		}
		b.WriteString("; " + s.Marker)
	}
	return b.String()
}
