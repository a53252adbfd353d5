#!/usr/bin/env bash
# Prints the synth time of the example app with and without CDK's built-in
# CloudFormation validation (Go benchmark, 5 runs each).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
. scripts/setup.sh
echo "node $(node --version), $(go version | cut -d' ' -f3), $(nproc) cores" >&2
go test -run '^$' -bench ExampleSynth -benchtime 5x -benchmem ./examples/ecs
