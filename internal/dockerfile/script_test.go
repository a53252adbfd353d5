package dockerfile

import (
	"testing"
)

func TestParseScriptEnvRefs(t *testing.T) {
	tests := []struct {
		name, script string
		want         []EnvRef
	}{
		{"assigned before use", "FOO=1\necho \"$FOO\"\nexport BAR=x\necho $BAR\nlocal_var=$(date)\necho $local_var\n", nil},
		{"used before assigned", "echo $FOO\nFOO=1\necho $FOO\n", []EnvRef{{Name: "FOO", Line: 1}}},
		{"naked export does not define", "export BAR\necho ${BAR}\n", []EnvRef{{Name: "BAR", Line: 2}}},
		{"self-referencing assignment", "PATH_EXTRA=x\nPYTHONPATH=\"$PYTHONPATH:/app\"\n", []EnvRef{{Name: "PYTHONPATH", Line: 2}}},
		{"shell specials", "echo $1 $@ $* $# $? $$ $! $0 $HOME $PATH $PWD $HOSTNAME ${10}\n", nil},
		{"defaults", "echo ${A:-x} ${B-y} ${C:+set}\n", []EnvRef{{Name: "A", HasDefault: true, Line: 1}, {Name: "B", HasDefault: true, Line: 1}, {Name: "C", HasDefault: true, Line: 1}}},
		{"assign default then use", ": \"${WORKERS:=4}\"\nexec gunicorn -w \"$WORKERS\"\n", []EnvRef{{Name: "WORKERS", HasDefault: true, Line: 1}}},
		{"required", "echo ${SECRET:?must be set}\n", []EnvRef{{Name: "SECRET", Line: 1}}},
		{"one read without default", "echo ${D:-x}\necho $D\n", []EnvRef{{Name: "D", Line: 1}}},
		{"if -z then assign", "if [ -z \"${DB_USER}\" ]; then\n  export DB_USER=postgres\nfi\necho $DB_USER\n", []EnvRef{{Name: "DB_USER", HasDefault: true, Line: 1}}},
		{"[[ -z ]] then assign", "if [[ -z $E ]]; then E=1; fi\n", []EnvRef{{Name: "E", HasDefault: true, Line: 1}}},
		{"test -z && assign", "test -z \"$F\" && F=2\necho $F\n", []EnvRef{{Name: "F", HasDefault: true, Line: 1}}},
		{"-z without assignment", "if [ -z \"$G\" ]; then echo missing; exit 1; fi\n", []EnvRef{{Name: "G", Line: 1}}},
		{"loop and read variables", "for f in a b; do echo $f; done\nread -r line\necho $line\n", nil},
		{"heredoc body", "python << END\nimport psycopg\npsycopg.connect(host=\"${POSTGRES_HOST}\")\nEND\n", []EnvRef{{Name: "POSTGRES_HOST", Line: 3}}},
		{"function body", "ready() {\n  nc -z \"$DB_HOST\" 5432\n}\nuntil ready; do sleep 1; done\n", []EnvRef{{Name: "DB_HOST", Line: 2}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, err := ParseScript("s.sh", []byte(tt.script), nil)
			if err != nil {
				t.Fatal(err)
			}
			eq(t, "EnvRefs", s.EnvRefs, tt.want)
		})
	}
}

func TestParseScriptExecsArgs(t *testing.T) {
	tests := []struct {
		script string
		want   bool
	}{
		{"exec \"$@\"\n", true},
		{"\"$@\"\n", true},
		{"exec \"${@}\"\n", true},
		{"exec $*\n", true},
		{"exec gosu app \"$@\"\n", true},
		{"exec tini -- \"$@\"\n", true},
		{"if [ \"$1\" = web ]; then exec gunicorn app.wsgi; else exec \"$@\"; fi\n", true},
		{"exec gunicorn app.wsgi\n", false},
		{"echo \"$@\"\n", false},
		{"exec gunicorn \"$@\"\n", false},
	}
	for _, tt := range tests {
		s, err := ParseScript("s.sh", []byte(tt.script), nil)
		if err != nil {
			t.Fatal(err)
		}
		eq(t, tt.script, s.ExecsArgs, tt.want)
	}
}

func TestParseScriptCommands(t *testing.T) {
	script := "#!/bin/bash\r\n" +
		"set -o errexit\r\n" +
		"APP=config.wsgi\r\n" +
		"python /app/manage.py collectstatic --noinput\r\n" +
		"exec /usr/local/bin/gunicorn \"$APP\" --bind \"0.0.0.0:${PORT}\" --workers $(nproc) \\\r\n" +
		"    --chdir=/app\r\n"
	s, err := ParseScript("start", []byte(script), map[string]string{"PORT": "5000"})
	if err != nil {
		t.Fatal(err)
	}
	eq(t, "Commands", s.Commands, [][]string{
		{"set", "-o", "errexit"},
		{"python", "/app/manage.py", "collectstatic", "--noinput"},
		{"/usr/local/bin/gunicorn", "config.wsgi", "--bind", "0.0.0.0:5000", "--workers", "$(nproc)", "--chdir=/app"},
		{"nproc"}, // command substitutions run too
	})
	eq(t, "CommandLines", s.CommandLines, []int{2, 4, 5, 5})
	eq(t, "Lines", s.Lines, 6)
	eq(t, "EnvRefs", s.EnvRefs, []EnvRef{{Name: "PORT", Line: 5}})

	if _, err := ParseScript("bad", []byte("if then fi fi\n"), nil); err == nil {
		t.Error("ParseScript(invalid) = nil error")
	}
}

func TestSplitWords(t *testing.T) {
	tests := []struct {
		in   string
		want []string
	}{
		{"/start", []string{"/start"}},
		{`gunicorn app.wsgi --bind "0.0.0.0:8000"`, []string{"gunicorn", "app.wsgi", "--bind", "0.0.0.0:8000"}},
		{`sh -c 'python manage.py migrate && gunicorn app.wsgi'`, []string{"sh", "-c", "python manage.py migrate && gunicorn app.wsgi"}},
		{`uvicorn app:app --port $PORT`, []string{"uvicorn", "app:app", "--port", "$PORT"}},
	}
	for _, tt := range tests {
		got, err := splitWords(tt.in)
		if err != nil {
			t.Fatal(err)
		}
		eq(t, tt.in, got, tt.want)
	}
}
