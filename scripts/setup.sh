#!/usr/bin/env bash
# Installs everything the project needs, idempotently and project-locally:
#   - Node.js 22 LTS (npm package "node") into .tools/node, used by jsii;
#   - Go modules (go mod download);
#   - Python test tools and the sample project's dependencies into .venv
#     (requirements-dev.txt);
#   - checkov into its own virtualenv .tools/checkov (requirements-checkov.txt:
#     its exact pins conflict with the sample project's boto3 and packaging);
#   - PostgreSQL and Redis servers from Debian's packages, for the Django
#     integration test (started by the tests themselves, on loopback);
#   - bubblewrap (the sandbox tests/imagebuild.py runs Dockerfile steps and
#     containers in) and libpq-dev (fixture projects build psycopg from source).
# Source it to get PATH set:  . scripts/setup.sh
# With DJANGOCDK_SETUP=demo it installs only what the offline demo needs
# (Node.js for jsii and the Go modules): no servers, no Python tools.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
node_version="22"

log() { echo "setup: $*" >&2; }

setup_for="${DJANGOCDK_SETUP:-all}"

# PostgreSQL and Redis servers (Debian packages). Only installed when missing.
need_pkgs=()
if [ "$setup_for" != demo ]; then
compgen -G "/usr/lib/postgresql/*/bin/postgres" >/dev/null || need_pkgs+=(postgresql)
command -v redis-server >/dev/null || need_pkgs+=(redis-server)
command -v bwrap >/dev/null || need_pkgs+=(bubblewrap)
command -v pg_config >/dev/null || need_pkgs+=(libpq-dev)
if [ ${#need_pkgs[@]} -gt 0 ]; then
  log "installing ${need_pkgs[*]} (apt-get)"
  sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  $sudo apt-get update -qq >&2
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${need_pkgs[@]}" >&2
fi
fi

# Node.js 22 for jsii (Node 20 is end-of-life; 22 also synthesizes faster).
if ! "$root/.tools/node/node_modules/.bin/node" --version 2>/dev/null | grep -q "^v$node_version\."; then
  log "installing Node.js $node_version into .tools/node"
  mkdir -p "$root/.tools/node"
  npm install --silent --no-audit --no-fund --prefix "$root/.tools/node" "node@$node_version" >&2
  "$root/.tools/node/node_modules/.bin/node" --version >/dev/null
fi
export PATH="$root/.tools/node/node_modules/.bin:$PATH"

# Go modules.
(cd "$root" && go mod download)

# The demo stops here: it needs neither the Python tools nor checkov.
if [ "$setup_for" = demo ]; then
  return 0 2>/dev/null || exit 0
fi

# Python tools.
if [ ! -x "$root/.venv/bin/python" ]; then
  log "creating .venv"
  python3 -m venv "$root/.venv"
fi
stamp="$root/.venv/.requirements.sha"
want="$(sha256sum "$root/requirements-dev.txt" | cut -d' ' -f1)"
if [ "$(cat "$stamp" 2>/dev/null)" != "$want" ]; then
  log "installing Python test tools into .venv"
  "$root/.venv/bin/pip" install --quiet --disable-pip-version-check -r "$root/requirements-dev.txt" >&2
  echo "$want" > "$stamp"
fi
export PATH="$root/.venv/bin:$PATH"

# checkov (tests/test_checkov.py finds it at .tools/checkov/bin/checkov; it is
# not put on PATH, so the two virtualenvs never shadow each other).
ckv="$root/.tools/checkov"
stamp="$ckv/.requirements.sha"
want="$(sha256sum "$root/requirements-checkov.txt" | cut -d' ' -f1)"
if [ "$(cat "$stamp" 2>/dev/null)" != "$want" ]; then
  log "installing checkov into .tools/checkov"
  [ -x "$ckv/bin/python" ] || python3 -m venv "$ckv"
  "$ckv/bin/pip" install --quiet --disable-pip-version-check -r "$root/requirements-checkov.txt" >&2
  "$ckv/bin/pip" check --disable-pip-version-check >&2
  echo "$want" > "$stamp"
fi
