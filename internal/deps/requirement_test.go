package deps

import (
	"reflect"
	"strings"
	"testing"
)

func TestNormalize(t *testing.T) {
	for in, want := range map[string]string{"Django": "django", "django_celery.beat": "django-celery-beat", "A-_.B": "a-b", " Pillow ": "pillow"} {
		if got := Normalize(in); got != want {
			t.Errorf("Normalize(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestParseSpec(t *testing.T) {
	tests := []struct {
		in   string
		want Spec
	}{
		{"gunicorn==23.0.0", Spec{Name: "gunicorn", Version: "==23.0.0"}},
		{"psycopg[binary,Pool]>=3.2,<4", Spec{Name: "psycopg", Extras: []string{"binary", "pool"}, Version: ">=3.2,<4"}},
		{`Django >= 5.2 ; python_version >= "3.10"`, Spec{Name: "Django", Version: ">= 5.2", Marker: `python_version >= "3.10"`}},
		{"django (>=5.2,<6.0)", Spec{Name: "django", Version: ">=5.2,<6.0"}},
		{"pkg[x] @ https://e.org/pkg.whl ; os_name == 'posix'", Spec{Name: "pkg", Extras: []string{"x"}, URL: "https://e.org/pkg.whl", Marker: "os_name == 'posix'"}},
		{"psycopg[c] ^3.2", Spec{Name: "psycopg", Extras: []string{"c"}, Version: "^3.2"}},
		{"zope.interface", Spec{Name: "zope.interface"}},
	}
	for _, tt := range tests {
		got, err := ParseSpec(tt.in)
		if err != nil || !reflect.DeepEqual(got, tt.want) {
			t.Errorf("ParseSpec(%q) = %#v, %v; want %#v", tt.in, got, err, tt.want)
		}
	}
	for _, bad := range []string{"", ">=1.0", "pkg[x", "pkg @ https://e.org/x junk"} {
		if _, err := ParseSpec(bad); err == nil {
			t.Errorf("ParseSpec(%q): no error", bad)
		}
	}
}

func TestParseRequirementLine(t *testing.T) {
	tests := []struct {
		line                      string
		name, text                string // the requirement's name and text, "" when none
		include, constraint, warn string
		hashes                    bool
	}{
		{line: "# just a comment"},
		{line: "--index-url https://pypi.org/simple"},
		{line: "-r base.txt", include: "base.txt"},
		{line: "-rbase.txt", include: "base.txt"},
		{line: "--requirement=common/base.txt", include: "common/base.txt"},
		{line: "--requirement  base.txt  # shared", include: "base.txt"},
		{line: "-c constraints.txt", constraint: "constraints.txt"},
		{line: "--constraint=c.txt", constraint: "c.txt"},
		{line: "Django>=5.2  # comment", name: "Django", text: "Django>=5.2"},
		{line: "Django==5.2.19 --hash=sha256:abc --hash=sha256:def", name: "Django", text: "Django==5.2.19", hashes: true},
		{line: "--require-hashes", hashes: true},
		{line: "-e git+https://github.com/o/r.git@main#egg=my_pkg", name: "my_pkg", text: "git+https://github.com/o/r.git@main#egg=my_pkg"},
		{line: "https://files.example.org/django_thing-1.0-py3-none-any.whl", name: "django_thing", text: "https://files.example.org/django_thing-1.0-py3-none-any.whl"},
		{line: "https://files.example.org/django-thing-1.0.tar.gz#sha256=abc", name: "django-thing", text: "https://files.example.org/django-thing-1.0.tar.gz#sha256=abc"},
		{line: "thing@ https://e.org/thing.zip", name: "thing", text: "thing@ https://e.org/thing.zip"},
		{line: "-e .", warn: ". is installed from a local path"},
		{line: "./packages/mine", warn: "./packages/mine is installed from a local path"},
		{line: "git+https://github.com/o/r.git", warn: "cannot tell which distribution"},
	}
	for _, tt := range tests {
		l := parseRequirementLine(tt.line)
		name := ""
		if l.spec != nil {
			name = l.spec.Name
		}
		if name != tt.name || l.text != tt.text || l.include != tt.include || l.constraint != tt.constraint || l.hashes != tt.hashes ||
			(tt.warn == "") != (l.problem == "") || !strings.Contains(l.problem, tt.warn) {
			t.Errorf("parseRequirementLine(%q) = %+v (name %q)", tt.line, l, name)
		}
	}
}

func TestLogicalLines(t *testing.T) {
	got := logicalLines("a\\\n==1 \\\n  --hash=x\r\nb\n# c \\\nd\n")
	want := []string{"a==1   --hash=x", "b", "# c d", ""}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("logicalLines = %q, want %q", got, want)
	}
}

func TestSpecString(t *testing.T) {
	for _, in := range []string{"psycopg[binary,pool]==3.3.9", `django>=5.2; python_version >= "3.10"`, "pkg @ https://e.org/p.whl ; os_name == 'posix'", "gunicorn"} {
		s, err := ParseSpec(in)
		if err != nil {
			t.Fatal(err)
		}
		if again, _ := ParseSpec(s.String()); !reflect.DeepEqual(again, s) {
			t.Errorf("ParseSpec(%q).String() = %q, which parses differently", in, s.String())
		}
	}
}
