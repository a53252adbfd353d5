"""Compare two cloud assemblies stack by stack: resource counts, and which
resources differ (logical ID, type, properties; Metadata ignored).

    python3 bench/compare.py GO_ASSEMBLY TS_ASSEMBLY [--details]

Prints one line per stack and a total; with --details, the logical IDs only
in one assembly and those whose properties differ. Exit status 0 always: the
benchmark reports, it does not gate. Standard library only.
"""

import json
import sys
from pathlib import Path


def stacks(assembly: Path) -> dict[str, dict]:
    manifest = json.loads((assembly / "manifest.json").read_text())
    out = {}
    for name, art in manifest["artifacts"].items():
        if art.get("type") == "aws:cloudformation:stack":
            template = json.loads((assembly / art["properties"]["templateFile"]).read_text())
            out[name] = template.get("Resources", {})
    return out


def strip(resource: dict) -> dict:
    return {k: v for k, v in resource.items() if k != "Metadata"}


def main() -> None:
    args = [a for a in sys.argv[1:] if not a.startswith("--")]
    details = "--details" in sys.argv
    go, ts = (stacks(Path(a)) for a in args)
    total_go = total_ts = 0
    for name in sorted(set(go) | set(ts)):
        a, b = go.get(name, {}), ts.get(name, {})
        total_go += len(a)
        total_ts += len(b)
        same = sum(1 for k in set(a) & set(b) if strip(a[k]) == strip(b[k]))
        print(f"  {name:<12} resources: Go {len(a):>3}  TS {len(b):>3}  identical (ID, type, properties): {same}")
        if details:
            for k in sorted(set(a) - set(b)):
                print(f"    only Go: {k} {a[k]['Type']}")
            for k in sorted(set(b) - set(a)):
                print(f"    only TS: {k} {b[k]['Type']}")
            for k in sorted(set(a) & set(b)):
                if strip(a[k]) != strip(b[k]):
                    print(f"    differs: {k} {a[k]['Type']}")
    diff = (total_ts - total_go) / total_go * 100 if total_go else 0.0
    print(f"  {'total':<12} resources: Go {total_go:>3}  TS {total_ts:>3}  ({diff:+.1f}%)")


if __name__ == "__main__":
    main()
