package initproj

import (
	"strings"
	"testing"
)

func TestPickPython(t *testing.T) {
	cases := []struct {
		name    string
		sources []pythonSource
		want    string // version, or the error's substring after "!"
	}{
		{"nothing said", nil, "3.13"},
		{"exact", []pythonSource{{from: ".python-version", text: "3.14", exact: true}}, "3.14"},
		{"exact with patch", []pythonSource{{from: "runtime.txt", text: "python-3.12.7", exact: true}}, "3.12"},
		{"exact, unknown", []pythonSource{{from: ".python-version", text: "3.15", exact: true}}, "!.python-version asks for Python 3.15; djangocdk's images support 3.10, 3.11, 3.12, 3.13, 3.14"},
		{"exact, too old", []pythonSource{{from: ".python-version", text: "3.9.18", exact: true}}, "!asks for Python 3.9"},
		{"exact, garbled", []pythonSource{{from: ".python-version", text: "pypy", exact: true}}, "!is not a Python version"},
		{"lower bound above the default", []pythonSource{{from: "requires-python", text: ">=3.14"}}, "3.14"},
		{"lower bound allowing the default", []pythonSource{{from: "requires-python", text: ">=3.10"}}, "3.13"},
		{"poetry caret", []pythonSource{{from: "poetry", text: "^3.12"}}, "3.13"},
		{"upper bound below the default", []pythonSource{{from: "requires-python", text: ">=3.10,<3.13"}}, "3.12"},
		{"compatible release", []pythonSource{{from: "requires-python", text: "~=3.11.4"}}, "3.11"},
		{"wildcard", []pythonSource{{from: "requires-python", text: "==3.11.*"}}, "3.11"},
		{"nothing supported", []pythonSource{{from: "requires-python", text: "<3.10"}}, "!allows none of the Python versions"},
		{"first source wins", []pythonSource{{from: ".python-version", text: "", exact: true}, {from: "requires-python", text: ">=3.12,<3.13"}}, "3.12"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got, _, err := pickPython(c.sources)
			if want, ok := strings.CutPrefix(c.want, "!"); ok {
				if err == nil || !strings.Contains(err.Error(), strings.Trim(want, `"`)) {
					t.Errorf("got %q, %v; want an error with %q", got, err, want)
				}
				return
			}
			if err != nil || got != c.want {
				t.Errorf("got %q, %v; want %q", got, err, c.want)
			}
		})
	}
}
