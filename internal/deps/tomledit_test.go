package deps

import (
	"slices"
	"testing"
)

func TestAddArrayItem(t *testing.T) {
	const item, note = `"gunicorn==23.0.0"`, "  # added"
	tests := []struct{ name, table, key, in, want string }{{
		name: "one line",
		in:   "[project]\ndependencies = [\"django\", 'x']  # c\n",
		want: "[project]\ndependencies = [\"django\", 'x', \"gunicorn==23.0.0\"]  # c\n",
	}, {
		name: "empty",
		in:   "[project]\ndependencies = []\n",
		want: "[project]\ndependencies = [\"gunicorn==23.0.0\"]\n",
	}, {
		name: "lines with a trailing comma",
		in:   "[project]\ndependencies = [\n    \"django\",\n    # \"celery\",\n]\nname = \"x\"\n",
		want: "[project]\ndependencies = [\n    \"django\",\n    # \"celery\",\n    \"gunicorn==23.0.0\",  # added\n]\nname = \"x\"\n",
	}, {
		name: "lines without a trailing comma, a comment after the last element",
		in:   "[project]\ndependencies = [  # sorted\n  \"django\",\n  \"x[a,b]; python_version < '3.12'\"  # the ] in a string\n]\n",
		want: "[project]\ndependencies = [  # sorted\n  \"django\",\n  \"x[a,b]; python_version < '3.12'\",  # the ] in a string\n  \"gunicorn==23.0.0\",  # added\n]\n",
	}, {
		name: "single quotes",
		in:   "[project]\ndependencies = [\n\t'django',\n]\n",
		want: "[project]\ndependencies = [\n\t'django',\n\t'gunicorn==23.0.0',  # added\n]\n",
	}, {
		name: "closing bracket after the last element",
		in:   "[project]\ndependencies = [\"django\",\n                \"x\"]\n",
		want: "[project]\ndependencies = [\"django\",\n                \"x\",\n                \"gunicorn==23.0.0\"]\n",
	}, {
		name: "first element on the key's line",
		in:   "[project]\ndependencies = [\"django\",\n]\n",
		want: "[project]\ndependencies = [\"django\",\n    \"gunicorn==23.0.0\",  # added\n]\n",
	}, {
		name: "key missing",
		in:   "[project]\nname = \"x\"  # n\n\n# tools\n[tool.x]\na = 1\n",
		want: "[project]\nname = \"x\"  # n\ndependencies = [\n    \"gunicorn==23.0.0\",  # added\n]\n\n# tools\n[tool.x]\na = 1\n",
	}, {
		name:  "table missing, no final newline",
		in:    "[project]\nname = \"x\"",
		want:  "[project]\nname = \"x\"\n\n[dependency-groups]\nprod = [\n    \"gunicorn==23.0.0\",  # added\n]\n",
		table: "dependency-groups", key: "prod",
	}, {
		name:  "the right table and key",
		in:    "[dependency-groups]\ndev = [\"pytest\"]\nprod = [\n  {include-group = \"base\"},\n]\ndescription = \"\"\"\n[project]\ndependencies = [\n\"\"\"\n[x]\nprod = []\n",
		want:  "[dependency-groups]\ndev = [\"pytest\"]\nprod = [\n  {include-group = \"base\"},\n  \"gunicorn==23.0.0\",  # added\n]\ndescription = \"\"\"\n[project]\ndependencies = [\n\"\"\"\n[x]\nprod = []\n",
		table: "dependency-groups", key: "prod",
	}}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			table, key := tt.table, tt.key
			if table == "" {
				table, key = "project", "dependencies"
			}
			got, err := addArrayItem(tt.in, table, key, item, note)
			if err != nil {
				t.Fatal(err)
			}
			if got != tt.want {
				t.Errorf("got:\n%s\nwant:\n%s", got, tt.want)
			}
		})
	}
}

func TestAddTableEntry(t *testing.T) {
	tests := []struct{ name, in, want string }{{
		name: "after the last entry, before comments and the next table",
		in:   "[packages]\ndjango = \"*\"\n  psycopg = {version = \"==3.2\",\n    extras = [\"binary\"]}  # db\n\n# dev\n[dev-packages]\npytest = \"*\"\n",
		want: "[packages]\ndjango = \"*\"\n  psycopg = {version = \"==3.2\",\n    extras = [\"binary\"]}  # db\n  gunicorn = \"==23.0.0\"  # added\n\n# dev\n[dev-packages]\npytest = \"*\"\n",
	}, {
		name: "empty table at the end without a newline",
		in:   "[source]\nurl = \"x\"\n[packages]",
		want: "[source]\nurl = \"x\"\n[packages]\ngunicorn = \"==23.0.0\"  # added\n",
	}, {
		name: "table missing",
		in:   "[dev-packages]\npytest = \"*\"\n",
		want: "[dev-packages]\npytest = \"*\"\n\n[packages]\ngunicorn = \"==23.0.0\"  # added\n",
	}}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := addTableEntry(tt.in, "packages", "gunicorn", `"==23.0.0"`, "  # added")
			if err != nil {
				t.Fatal(err)
			}
			if got != tt.want {
				t.Errorf("got:\n%s\nwant:\n%s", got, tt.want)
			}
		})
	}
	if _, err := addTableEntry("[packages]\ngunicorn = \"*\"\n", "packages", "gunicorn", `"*"`, ""); err == nil {
		t.Error("adding a key twice: no error")
	}
}

func TestScanTOMLErrors(t *testing.T) {
	for _, in := range []string{"d = 1979-05-27 x\n", "a = [1, 2\n", "a = \"x\n", "[t\n", "a = 1 b\n", "a = {b = 1\n", "= 1\n"} {
		if _, err := scanTOML(in); err == nil {
			t.Errorf("scanTOML(%q): no error", in)
		}
	}
}

func TestScanTOML(t *testing.T) {
	in := "# c\nd = 1979-05-27 07:32:00Z  # date\n[a . \"b.c\"]\nk = {x = [1, {y = 'z'}], w = \"\"\"\n]\"\"\"}\n[[arr]]\n"
	entries, err := scanTOML(in)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, e := range entries {
		got = append(got, e.table+"|"+e.key+"|"+in[e.valStart:e.valEnd])
	}
	want := []string{"|d|1979-05-27 07:32:00Z", "a.b.c||", "a.b.c|k|{x = [1, {y = 'z'}], w = \"\"\"\n]\"\"\"}", "arr||"}
	if !slices.Equal(got, want) {
		t.Errorf("entries = %q, want %q", got, want)
	}
}
