#!/usr/bin/env bash
# Benchmarks, in one run.
#
# 1. Interleaved rounds (BENCH_ROUNDS, default 5; one untimed warm-up first)
#    of, with CDK's built-in validation off (CDK_VALIDATION=false) in all:
#      - `djangocdk synth --force` of examples/mysite (cold synth),
#      - `djangocdk synth` right after it (cache hit: nothing changed),
#      - the same two stacks written directly in TypeScript CDK (bench/ts,
#        pinned aws-cdk-lib and constructs, precompiled to JavaScript, run
#        by `node` into a fresh output directory),
#    each measured for wall time and peak memory (bench/measure.py: largest
#    process and whole process tree). The order alternates between rounds
#    (Go first, then TypeScript first) so neither always runs on a warmer
#    machine. Then: means, medians, the ratio Go cold / TypeScript, the
#    goals of issue 11 next to them, both apps' resource counts
#    (bench/compare.py), and what the Go runs left in the temp directory.
# 2. Unless BENCH_QUICK=1, the earlier Go benchmarks (5 runs each, mean per
#    run): the example app's synth in one process with and without CDK's
#    validation (examples/ecs); the CLI binary's cold synth, unchanged synth
#    and validate on examples/mysite (validation as the CLI defaults);
#    init on a generated 500-file Django project.
#
# Installs what it needs: scripts/setup.sh (Node.js 22, Go modules, Python),
# then `npm ci` in bench/ts from its committed lock and `tsc` (only when the
# lock or the sources changed). BENCH_SKIP_SETUP=1 skips scripts/setup.sh
# when node (22), npm, go and python3 are already on PATH.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
if [ "${BENCH_SKIP_SETUP:-}" != 1 ]; then
  . scripts/setup.sh
fi
rounds="${BENCH_ROUNDS:-5}"
python="${BENCH_PYTHON:-python3}"
for tool in node npm go "$python"; do
  command -v "$tool" >/dev/null || { echo "bench: $tool not found on PATH" >&2; exit 3; }
done

# The TypeScript app: exact dependencies from the lock, compiled once.
ts="$root/bench/ts"
lock_sum="$(sha256sum "$ts/package-lock.json" | cut -d' ' -f1)"
if [ "$(cat "$ts/node_modules/.bench-lock.sha" 2>/dev/null)" != "$lock_sum" ]; then
  echo "bench: npm ci in bench/ts" >&2
  (cd "$ts" && npm ci --no-audit --no-fund --silent) >&2
  echo "$lock_sum" > "$ts/node_modules/.bench-lock.sha"
fi
src_sum="$(cat "$ts"/src/*.ts "$ts/tsconfig.json" "$ts/package-lock.json" | sha256sum | cut -d' ' -f1)"
if [ "$(cat "$ts/dist/.bench-src.sha" 2>/dev/null)" != "$src_sum" ]; then
  echo "bench: compiling bench/ts (tsc)" >&2
  (cd "$ts" && ./node_modules/.bin/tsc -p .) >&2
  echo "$src_sum" > "$ts/dist/.bench-src.sha"
fi

work="$(mktemp -d "${TMPDIR:-/tmp}/djangocdk-bench.XXXXXX")"
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/tmp"
go build -o "$work/djangocdk" ./cmd/djangocdk
results="$work/results.jsonl"
project="$root/examples/mysite"

echo "Synth benchmark: examples/mysite (djangocdk CLI) vs bench/ts (TypeScript CDK), CDK_VALIDATION=false"
echo "  $(date -u '+%Y-%m-%d %H:%M UTC'), commit $(git rev-parse --short HEAD 2>/dev/null || echo '?'), $(nproc) cores," \
  "node $(node --version), $(go version | cut -d' ' -f3), aws-cdk-lib $(node -p "require('$ts/node_modules/aws-cdk-lib/package.json').version")"
echo "  load average before: $(cut -d' ' -f1-3 /proc/loadavg)"

# measure CASE ROUND COMMAND...: one measured run, recorded unless ROUND is 0
# (warm-up). Every command gets the same environment: validation off, and a
# private TMPDIR so what the runs leave behind can be counted.
measure() {
  local case="$1" round="$2"
  shift 2
  local line
  line="$(env CDK_VALIDATION=false TMPDIR="$work/tmp" "$python" "$root/bench/measure.py" "$@")"
  if ! "$python" -c 'import json,sys; sys.exit(json.loads(sys.argv[1])["rc"])' "$line"; then
    echo "bench: $case failed: $*" >&2
    exit 1
  fi
  if [ "$round" -gt 0 ]; then
    "$python" -c 'import json,sys; r=json.loads(sys.argv[3]); r.update(case=sys.argv[1], round=int(sys.argv[2])); print(json.dumps(r))' \
      "$case" "$round" "$line" >> "$results"
  fi
  "$python" -c 'import json,sys; r=json.loads(sys.argv[2]); print("%s %6.3f s %4.0f MiB" % (sys.argv[1], r["wall_s"], r["tree_peak_mib"]), end="")' "$case" "$line"
}
go_cold() { measure go-cold "$1" "$work/djangocdk" synth -C "$project" --force --out "$work/go-out"; }
go_hit() { measure go-hit "$1" "$work/djangocdk" synth -C "$project" --out "$work/go-out"; }
ts_synth() {
  rm -rf "$work/ts-out"
  measure ts "$1" env CDK_OUTDIR="$work/ts-out" node "$ts/dist/app.js"
}

echo
echo "  round  (wall time, peak memory of the whole process tree)"
for round in $(seq 0 "$rounds"); do
  label="$round"
  [ "$round" -eq 0 ] && label="warm-up"
  printf '  %-7s ' "$label"
  if [ $((round % 2)) -eq 1 ]; then
    ts_synth "$round"; printf ' | '; go_cold "$round"; printf ' | '; go_hit "$round"
  else
    go_cold "$round"; printf ' | '; go_hit "$round"; printf ' | '; ts_synth "$round"
  fi
  echo
done
echo "  load average after:  $(cut -d' ' -f1-3 /proc/loadavg)"
echo
"$python" "$root/bench/report.py" "$results"
echo
echo "Resources (same construct tree, so same logical IDs; Metadata ignored):"
"$python" "$root/bench/compare.py" "$work/go-out" "$work/ts-out"
left="$(find "$work/tmp" -mindepth 1 -maxdepth 1 -name 'jsii-runtime.*' | wc -l)"
echo "Temp directory after $((rounds + 1)) cold Go synths: $(du -sm "$work/tmp" | cut -f1) MiB," \
  "$left jsii-runtime.* directories left behind"

if [ "${BENCH_QUICK:-}" = 1 ]; then
  exit 0
fi
echo
echo "Go benchmarks (5 runs each, mean per run):"
go test -run '^$' -bench ExampleSynth -benchtime 5x -benchmem ./examples/ecs
go test -run '^$' -bench CLI -benchtime 5x ./cmd/djangocdk
go test -run '^$' -bench Init -benchtime 5x ./internal/initproj
