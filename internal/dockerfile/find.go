package dockerfile

import (
	"fmt"
	"os"
	"path"
	"path/filepath"
	"slices"
	"strings"
)

// composeFiles are the compose files Find reads, the productionCompose
// first ones being production files.
var composeFiles = []string{
	"docker-compose.production.yml",
	"docker-compose.prod.yml",
	"production.yml",
	"compose.production.yaml",
	"compose.yaml",
	"compose.yml",
	"docker-compose.yml",
	"docker-compose.yaml",
}

const productionCompose = 4

// devTargets are build targets that make a development image.
var devTargets = []string{"dev", "development", "local", "debug", "test", "testing"}

// dockerfiles are the places Find looks for a Dockerfile when no compose
// file names one, in order.
var dockerfiles = []string{
	"Dockerfile",
	"Dockerfile.prod",
	"Dockerfile.production",
	"docker/Dockerfile",
	"docker/production/Dockerfile",
	"compose/production/django/Dockerfile",
	"deploy/Dockerfile",
	".docker/Dockerfile",
}

// Find says which Dockerfile builds the project's web image: the build
// section of the web service of the first compose file (production ones
// first) that has one, else the first Dockerfile found at the usual places
// (built with the project directory as context). It returns nil, nil when
// the project has no Dockerfile.
func Find(projectDir string) (*Source, error) {
	for i, name := range composeFiles {
		file := filepath.Join(projectDir, name)
		if !isFile(file) {
			continue
		}
		src, err := fromCompose(projectDir, name, i < productionCompose)
		if err != nil {
			return nil, fmt.Errorf("find dockerfile: %w", err)
		}
		if src != nil {
			return src, nil
		}
	}
	for _, name := range dockerfiles {
		if isFile(filepath.Join(projectDir, filepath.FromSlash(name))) {
			return &Source{Path: name, Context: ".", FoundIn: name}, nil
		}
	}
	return nil, nil
}

// fromCompose returns the Source of the web service in the compose file
// name (relative to projectDir), nil when it has no web service with a
// build section. In a file that is not a production one (prod false), a
// service set up for development (a dev target, runserver or debugpy) gives
// only its Dockerfile, context and build args: its target and command are
// not what a deployment runs.
func fromCompose(projectDir, name string, prod bool) (*Source, error) {
	cf, err := readCompose(filepath.Join(projectDir, name))
	if err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	for _, svcName := range webServices(cf) {
		svc := cf.Services[svcName]
		b, err := svc.build()
		if err != nil {
			return nil, fmt.Errorf("%s: service %s: %w", name, svcName, err)
		}
		if b == nil || b.remote() {
			continue
		}
		ctx := path.Clean(b.Context)
		df := b.Dockerfile
		if df == "" {
			df = "Dockerfile"
		}
		rel := path.Clean(path.Join(ctx, df))
		if path.IsAbs(df) {
			rel = relTo(projectDir, df)
		}
		if path.IsAbs(ctx) {
			ctx = relTo(projectDir, ctx)
			if !path.IsAbs(df) {
				rel = path.Join(ctx, df)
			}
		}
		if !isFile(filepath.Join(projectDir, filepath.FromSlash(rel))) {
			return nil, fmt.Errorf("%s: service %s: dockerfile %s: no such file", name, svcName, rel)
		}
		cmd, err := composeWords(&svc.Command)
		if err != nil {
			return nil, fmt.Errorf("%s: service %s: command: %w", name, svcName, err)
		}
		ep, err := composeWords(&svc.Entrypoint)
		if err != nil {
			return nil, fmt.Errorf("%s: service %s: entrypoint: %w", name, svcName, err)
		}
		src := &Source{
			Path:           rel,
			Context:        ctx,
			Target:         b.Target,
			Args:           b.Args,
			Command:        cmd,
			Entrypoint:     ep,
			CommandLine:    svc.Command.Line,
			EntrypointLine: svc.Entrypoint.Line,
			ComposeFile:    name,
			FoundIn:        fmt.Sprintf("service %s in %s", svcName, name),
		}
		if !prod && (slices.Contains(devTargets, strings.ToLower(b.Target)) || runsDevServer(cmd)) {
			src.Target, src.Command, src.Entrypoint, src.CommandLine, src.EntrypointLine = "", nil, nil, 0, 0
			src.FoundIn += " (a development setup: its target and command are not used)"
		}
		return src, nil
	}
	return nil, nil
}

// relTo makes the absolute slash path p relative to projectDir when it lies
// inside it, else returns it unchanged.
func relTo(projectDir, p string) string {
	abs, err := filepath.Abs(projectDir)
	if err != nil {
		return p
	}
	rel, err := filepath.Rel(abs, filepath.FromSlash(p))
	if err != nil {
		return p
	}
	return filepath.ToSlash(rel)
}

func isFile(name string) bool {
	fi, err := os.Stat(name)
	return err == nil && fi.Mode().IsRegular()
}
