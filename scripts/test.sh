#!/usr/bin/env bash
# The whole test suite: formatting and vet, Go tests (construct templates,
# cdk-nag, CloudFormation validation gate, example app), Python lint, the
# sample project's own tests (app and settings helper), and pytest (release
# handler against moto server and a fake ECS endpoint; cfn-lint over the
# example's templates; checkov over the sample's starter, production and full
# templates against checkov-findings.yaml; the cross-language env contract;
# the sample project against real PostgreSQL, Redis and moto S3). Installs
# what it needs first.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
. scripts/setup.sh

# Each stage prints its wall time; the whole run must stay under 10 minutes
# on 2 cores.
started=$SECONDS
stage() {
  echo "== [$((SECONDS - started)) s] $*" >&2
}

stage "gofmt, go vet"
unformatted="$(gofmt -l $(git ls-files '*.go'))"
if [ -n "$unformatted" ]; then
  echo "gofmt would change: $unformatted" >&2
  exit 1
fi
go vet ./...

# One djangocdk binary for the whole run: the Go end-to-end tests
# (cmd/djangocdk) and pytest's fixtures take it from DJANGOCDK_BIN instead of
# building their own.
stage "build the CLI once"
bindir="$(mktemp -d)"
trap 'rm -rf "$bindir"' EXIT
go build -o "$bindir/djangocdk" ./cmd/djangocdk
export DJANGOCDK_BIN="$bindir/djangocdk"

# CDK's built-in CloudFormation validation is off for the Go tests (about 4x
# per synth). It has to be in the environment before a test binary starts:
# the jsii runtime copies the environment at package init, so an os.Setenv in
# TestMain comes too late. TestCloudFormationValidationGate runs it, with
# CDK_VALIDATION=true, in a child process.
stage "go test"
CDK_VALIDATION=false go test -count=1 ./...

stage "ruff"
ruff check tests blocks/release/handler internal/pyscan/scan.py internal/preflight/trial.py
ruff format --check tests blocks/release/handler internal/pyscan/scan.py internal/preflight/trial.py
(cd examples/mysite && ruff check . && ruff format --check .)

stage "pytest: sample project (examples/mysite)"
(cd examples/mysite && pytest -q)

stage "pytest: release handler, templates, contract, integration, fixture projects"
# Two workers: the fixture projects spend much of their time waiting on
# package downloads and servers (the web phase, on fixed ports, takes a lock).
pytest -q -n 2
stage "done"
