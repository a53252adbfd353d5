#!/usr/bin/env bash
# The main job, offline: build the djangocdk CLI and run it on the sample
# Django project (examples/mysite): synthesize its deployment, print what
# would be created and what it would cost per month (itemized, and starter
# vs production). Needs no AWS account or credentials.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
DJANGOCDK_SETUP=demo . scripts/setup.sh

mkdir -p .tools/bin
go build -o .tools/bin/djangocdk ./cmd/djangocdk
export PATH="$root/.tools/bin:$PATH"

echo "== djangocdk synth (examples/mysite)" >&2
djangocdk -C examples/mysite synth --force
echo >&2
echo "== djangocdk cost (examples/mysite)" >&2
djangocdk -C examples/mysite cost
echo >&2
echo "== djangocdk cost --compare (examples/mysite)" >&2
djangocdk -C examples/mysite cost --compare
