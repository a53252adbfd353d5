#!/usr/bin/env bash
# Prints timings (5 runs each, mean per run):
#   - the example app's synth inside one process, with and without CDK's
#     built-in CloudFormation validation (examples/ecs);
#   - the djangocdk binary on examples/mysite as a user runs it: a cold synth
#     (--force), a synth with nothing changed, and validate;
#   - init (detection with the Python scanner, and writing) on a generated
#     500-file Django project.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
. scripts/setup.sh
echo "node $(node --version), $(go version | cut -d' ' -f3), $(nproc) cores" >&2
go test -run '^$' -bench ExampleSynth -benchtime 5x -benchmem ./examples/ecs
go test -run '^$' -bench CLI -benchtime 5x ./cmd/djangocdk
go test -run '^$' -bench Init -benchtime 5x ./internal/initproj
