#!/usr/bin/env bash
# The main job, offline: synthesize the example Django project's deployment
# (examples/ecs deploying examples/mysite) and print what would be created.
# Needs no AWS account or credentials.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
. scripts/setup.sh

out="${CDK_OUTDIR:-$root/cdk.out}"
rm -rf "$out"
echo "Synthesizing examples/ecs into $out ..." >&2
start=$(date +%s.%N)
# jsii-runtime-go waits on its node process from two goroutines at exit; the
# loser prints this harmless line (without a newline). Strip exactly that.
CDK_OUTDIR="$out" go run ./examples/ecs 2> >(sed -u 's/Runtime process exited abnormally: waitid: no child processes//' >&2)
end=$(date +%s.%N)
go run ./internal/tools/summarize "$out"
printf '\nSynthesized in %.1f s (including compilation on a first run).\n' "$(echo "$end - $start" | bc)" >&2
echo "Cost estimates arrive with the CLI (djangocdk cost); see README, \"Not built yet\"." >&2
