"""Summarize the interleaved rounds of scripts/bench.sh.

    python3 bench/report.py RESULTS.jsonl

Each line of RESULTS.jsonl is {"round": N, "case": NAME, ...measure.py's
fields}. Cases: go-cold (djangocdk synth --force), go-hit (djangocdk synth,
nothing changed), ts (the TypeScript CDK app). Prints per case the mean,
median and range of the wall time and the peak memory, then the ratio of Go
cold to TypeScript and the issue's goals next to the figures. Standard
library only.
"""

import json
import statistics
import sys
from collections import defaultdict

GOAL_RATIO = 1.2  # cold synth <= 1.2x the TypeScript app
GOAL_HIT_S = 0.1  # cache-hit synth <= 0.1 s
GOAL_MEM_MIB = 250  # peak memory <= 250 MiB

CASES = [
    ("go-cold", "djangocdk synth --force (cold)"),
    ("go-hit", "djangocdk synth (cache hit)"),
    ("ts", "TypeScript CDK app (node)"),
]


def verdict(ok: bool) -> str:
    return "met" if ok else "NOT met"


def main() -> None:
    runs = defaultdict(list)
    by_round = defaultdict(dict)
    with open(sys.argv[1]) as f:
        for line in f:
            r = json.loads(line)
            runs[r["case"]].append(r)
            by_round[r["round"]][r["case"]] = r
    n = max(len(v) for v in runs.values())
    print(f"Summary of {n} interleaved rounds (warm-up excluded), CDK_VALIDATION=false everywhere:")
    print(f"  {'':34} {'wall time (s)':^33}   {'peak memory (MiB)':^32}")
    print(
        f"  {'':34} {'mean':>7} {'median':>7} {'min':>7} {'max':>7}   "
        f"{'tree median':>11} {'tree max':>9} {'largest proc':>12}"
    )
    med = {}
    tree_max = {}
    for case, title in CASES:
        rs = runs.get(case, [])
        if not rs:
            continue
        walls = [r["wall_s"] for r in rs]
        trees = [r["tree_peak_mib"] for r in rs]
        procs = [r["maxrss_mib"] for r in rs]
        med[case] = statistics.median(walls)
        tree_max[case] = max(trees)
        print(
            f"  {title:34} {statistics.mean(walls):7.3f} {med[case]:7.3f} {min(walls):7.3f} {max(walls):7.3f}   "
            f"{statistics.median(trees):11.1f} {max(trees):9.1f} {statistics.median(procs):12.1f}"
        )
    if "go-cold" in med and "ts" in med:
        paired = [r["go-cold"]["wall_s"] / r["ts"]["wall_s"] for r in by_round.values() if "go-cold" in r and "ts" in r]
        ratio = med["go-cold"] / med["ts"]
        print()
        print(
            f"  Ratio Go cold / TypeScript: {ratio:.2f}x (median / median); "
            f"per round: {', '.join(f'{x:.2f}' for x in paired)} (median {statistics.median(paired):.2f}x)"
        )
        print()
        print("  Goals (issue 11):")
        print(f"    cold synth <= {GOAL_RATIO}x the TypeScript app: {ratio:.2f}x -> {verdict(ratio <= GOAL_RATIO)}")
    if "go-hit" in med:
        hit = med["go-hit"]
        print(f"    cache-hit synth <= {GOAL_HIT_S} s: median {hit:.3f} s -> {verdict(hit <= GOAL_HIT_S)}")
    if "go-cold" in tree_max:
        peak = tree_max["go-cold"]
        print(
            f"    peak memory <= {GOAL_MEM_MIB} MiB (cold synth, whole process tree, worst round): {peak:.0f} MiB "
            f"-> {verdict(peak <= GOAL_MEM_MIB)}"
            + (f" (TypeScript app: {tree_max['ts']:.0f} MiB)" if "ts" in tree_max else "")
        )


if __name__ == "__main__":
    main()
