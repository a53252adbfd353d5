package dockerfile

import (
	"os"
	"path/filepath"
	"reflect"
	"testing"
)

// writeFiles creates a project from path → content and returns its dir.
func writeFiles(t *testing.T, files map[string]string) string {
	t.Helper()
	dir := t.TempDir()
	for name, content := range files {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

func TestFindCookiecutter(t *testing.T) {
	src, err := Find("testdata/cookiecutter")
	if err != nil {
		t.Fatal(err)
	}
	want := &Source{
		Path:        "compose/production/django/Dockerfile",
		Context:     ".",
		Command:     []string{"/start"},
		CommandLine: 22,
		ComposeFile: "docker-compose.production.yml",
		FoundIn:     "service django in docker-compose.production.yml",
	}
	if !reflect.DeepEqual(src, want) {
		t.Errorf("Find = %+v\nwant %+v", src, want)
	}
}

func TestFind(t *testing.T) {
	tests := []struct {
		name  string
		files map[string]string
		want  *Source // nil: Find returns nil, nil
	}{
		{
			name:  "no dockerfile", // (g)
			files: map[string]string{"manage.py": ""},
		},
		{
			name: "compose without a built web service, no dockerfile",
			files: map[string]string{
				"compose.yaml": "services:\n  web:\n    image: example/web:1\n  db:\n    image: postgres:16\n",
			},
		},
		{
			name:  "root Dockerfile",
			files: map[string]string{"Dockerfile": "FROM python:3.12\n"},
			want:  &Source{Path: "Dockerfile", Context: ".", FoundIn: "Dockerfile"},
		},
		{
			name:  "docker/Dockerfile",
			files: map[string]string{"docker/Dockerfile": "FROM python:3.12\n", "deploy/Dockerfile": "FROM python:3.12\n"},
			want:  &Source{Path: "docker/Dockerfile", Context: ".", FoundIn: "docker/Dockerfile"},
		},
		{
			name: "build as a string",
			files: map[string]string{
				"compose.yaml": "services:\n  web:\n    build: .\n    command: gunicorn app.wsgi -b 0.0.0.0:8000\n",
				"Dockerfile":   "FROM python:3.12\n",
			},
			want: &Source{Path: "Dockerfile", Context: ".", FoundIn: "service web in compose.yaml",
				Command: []string{"gunicorn", "app.wsgi", "-b", "0.0.0.0:8000"}, CommandLine: 4, ComposeFile: "compose.yaml"},
		},
		{
			name: "build mapping with target and args; production file first; skip worker services",
			files: map[string]string{
				"docker-compose.yml": "services:\n  web:\n    build: .\n",
				"docker-compose.prod.yml": `services:
  celery:
    build: ./backend
    command: celery -A proj worker
  backend:
    build:
      context: ./backend
      dockerfile: docker/Dockerfile.prod
      target: production
      args:
        - PYTHON_VERSION=3.13
        - FROM_ENV
    entrypoint: ["/docker-entrypoint.sh"]
    command: ["/start", "--web"]
`,
				"backend/docker/Dockerfile.prod": "FROM python:3.13\n",
				"Dockerfile":                     "FROM python:3.12\n",
			},
			want: &Source{Path: "backend/docker/Dockerfile.prod", Context: "backend", Target: "production",
				Args:    map[string]string{"PYTHON_VERSION": "3.13"},
				Command: []string{"/start", "--web"}, CommandLine: 14,
				Entrypoint: []string{"/docker-entrypoint.sh"}, EntrypointLine: 13,
				ComposeFile: "docker-compose.prod.yml", FoundIn: "service backend in docker-compose.prod.yml"},
		},
		{
			name: "web service found by its command",
			files: map[string]string{
				"compose.yml": `services:
  site:
    build:
      context: .
      args:
        DEBUG: "0"
    command: sh -c "python manage.py migrate && uvicorn site.asgi:application --host 0.0.0.0"
  nginx:
    build: ./nginx
`,
				"Dockerfile": "FROM python:3.12\n",
			},
			want: &Source{Path: "Dockerfile", Context: ".", Args: map[string]string{"DEBUG": "0"},
				Command:     []string{"sh", "-c", "python manage.py migrate && uvicorn site.asgi:application --host 0.0.0.0"},
				CommandLine: 7, ComposeFile: "compose.yml", FoundIn: "service site in compose.yml"},
		},
		{
			name: "development service in a non-production compose file: target and command not used",
			files: map[string]string{
				"compose.yaml": `x-app: &app
  build:
    context: .
    target: dev
    args:
      PYTHON_VERSION: "3.13"
services:
  web:
    <<: *app
    command: ["python", "-m", "debugpy", "--listen", "0.0.0.0:5678", "manage.py", "runserver", "0.0.0.0:8000"]
  worker:
    <<: *app
    command: celery -A mysite worker
`,
				"Dockerfile": "FROM python:3.13\n",
			},
			want: &Source{Path: "Dockerfile", Context: ".", Args: map[string]string{"PYTHON_VERSION": "3.13"},
				ComposeFile: "compose.yaml",
				FoundIn:     "service web in compose.yaml (a development setup: its target and command are not used)"},
		},
		{
			name: "preferred web name wins over others",
			files: map[string]string{
				"compose.yaml":   "services:\n  api:\n    build:\n      context: api\n  django:\n    build:\n      context: .\n      dockerfile: Dockerfile.web\n",
				"Dockerfile.web": "FROM python:3.12\n",
				"api/Dockerfile": "FROM python:3.12\n",
			},
			want: &Source{Path: "Dockerfile.web", Context: ".", ComposeFile: "compose.yaml", FoundIn: "service django in compose.yaml"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			src, err := Find(writeFiles(t, tt.files))
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(src, tt.want) {
				t.Errorf("Find = %+v\nwant %+v", src, tt.want)
			}
		})
	}
}

func TestFindErrors(t *testing.T) {
	tests := []struct {
		name, compose, want string
	}{
		{"bad yaml", "services: [", "find dockerfile: docker-compose.yml: parse compose file: yaml: line 1: did not find expected node content"},
		{"missing dockerfile", "services:\n  web:\n    build:\n      context: .\n      dockerfile: nope/Dockerfile\n",
			"find dockerfile: docker-compose.yml: service web: dockerfile nope/Dockerfile: no such file"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Find(writeFiles(t, map[string]string{"docker-compose.yml": tt.compose}))
			if err == nil || err.Error() != tt.want {
				t.Errorf("err = %v\nwant %s", err, tt.want)
			}
		})
	}
}
