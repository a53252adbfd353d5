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

echo "== gofmt, go vet" >&2
unformatted="$(gofmt -l $(git ls-files '*.go'))"
if [ -n "$unformatted" ]; then
  echo "gofmt would change: $unformatted" >&2
  exit 1
fi
go vet ./...

echo "== go test" >&2
go test -count=1 ./...

echo "== ruff" >&2
ruff check tests blocks/release/handler internal/pyscan/scan.py internal/preflight/trial.py
ruff format --check tests blocks/release/handler internal/pyscan/scan.py internal/preflight/trial.py
(cd examples/mysite && ruff check . && ruff format --check .)

echo "== pytest: sample project (examples/mysite)" >&2
(cd examples/mysite && pytest -q)

echo "== pytest: release handler, templates, contract, integration, fixture projects" >&2
# Two workers: the fixture projects spend much of their time waiting on
# package downloads and servers (the web phase, on fixed ports, takes a lock).
pytest -q -n 2
