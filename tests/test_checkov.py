"""checkov's CloudFormation checks over the sample project's templates.

The sample project (examples/mysite) is synthesized through the CLI, as a
user would, in three configurations:

- ``starter``: its base configuration (starter profile);
- ``production``: its ``[environments.production]`` (production profile);
- ``full``: production plus the SQS broker, Aurora Serverless v2, a NAT
  instance, ECS Exec and a custom domain (an environment added to a copy).

checkov runs once over the six templates. Every failed check must be listed
in checkov-findings.yaml, at the repository root, with its severity, a
decision and a reason; every entry there must still match a failure (a
finding that went away takes its entry with it). That file is the one place
for checkov suppressions; cdk-nag's live in targets/ecs/nag.go.
"""

from __future__ import annotations

import fcntl
import fnmatch
import json
import os
import shutil
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import yaml
from conftest import ROOT, go_env

FINDINGS_FILE = ROOT / "checkov-findings.yaml"
CHECKOV = ROOT / ".tools" / "checkov" / "bin" / "checkov"
VARIANTS = ("starter", "production", "full")
SEVERITIES = ("high", "medium", "low")
DECISIONS = ("accepted", "fix")
ENTRY_KEYS = {"check", "resources", "variants", "severity", "decision", "reason", "fix"}

FULL_ENVIRONMENT = """
[tool.djangocdk.environments.full]
profile = "production"
nat = "instance"
broker = "sqs"
exec = true

[tool.djangocdk.environments.full.database]
engine = "aurora-serverless"

[tool.djangocdk.environments.full.domain]
name = "www.example.com"
hosted_zone_id = "Z0123456789ABCDEFGHIJ"
hosted_zone_name = "example.com"
"""


@dataclass(frozen=True)
class Finding:
    check: str
    title: str
    resource_type: str
    logical_id: str
    variant: str
    template: str

    def describe(self) -> str:
        return (
            f"{self.check} {self.title}\n    {self.resource_type} {self.logical_id} ({self.variant}: {self.template})"
        )


def _synthesize(binary: Path, project: Path, env: str | None, out: Path) -> None:
    args = [str(binary), "-C", str(project), "synth", "--force", "--out", str(out)]
    if env:
        args += ["--env", env]
    proc = subprocess.run(args, env=go_env(), capture_output=True, text=True, timeout=600)
    assert proc.returncode == 0, f"djangocdk {' '.join(args[1:])}: exit {proc.returncode}\n{proc.stderr[-4000:]}"


def _scan(work: Path, binary: Path) -> dict[str, Any]:
    """Synthesize the three variants and run checkov once over their templates."""
    assert CHECKOV.exists(), f"{CHECKOV} is missing: run scripts/setup.sh (it installs requirements-checkov.txt)"
    project = work / "mysite"
    shutil.copytree(
        ROOT / "examples" / "mysite",
        project,
        ignore=shutil.ignore_patterns("cdk.out", "db.sqlite3", "media", "staticfiles", "__pycache__"),
    )
    with (project / "pyproject.toml").open("a") as f:
        f.write(FULL_ENVIRONMENT)

    started = time.monotonic()
    templates: dict[str, str] = {}
    for variant, env in (("starter", None), ("production", "production"), ("full", "full")):
        out = work / variant
        _synthesize(binary, project, env, out)
        for template in sorted(out.glob("*.template.json")):
            templates[str(template)] = variant
    synth_seconds = time.monotonic() - started

    started = time.monotonic()
    args = [str(CHECKOV), "--framework", "cloudformation", "-o", "json", "--quiet", "--skip-download"]
    for template in templates:
        args += ["-f", template]
    # No network: --skip-download and BC_SKIP_MAPPING keep checkov from asking Prisma Cloud for guidelines.
    env = {**os.environ, "BC_SKIP_MAPPING": "TRUE"}
    proc = subprocess.run(args, capture_output=True, text=True, timeout=600, env=env)
    scan_seconds = time.monotonic() - started
    # checkov exits 1 when any check failed; anything else, or no JSON, is a crash.
    assert proc.returncode in (0, 1), f"checkov exit {proc.returncode}\n{proc.stderr[-4000:]}"
    reports = json.loads(proc.stdout)
    reports = reports if isinstance(reports, list) else [reports]
    return {
        "templates": templates,
        "reports": reports,
        "synth_seconds": synth_seconds,
        "scan_seconds": scan_seconds,
    }


@pytest.fixture(scope="session")
def checkov_scan(tmp_path_factory: pytest.TempPathFactory, worker_id: str, djangocdk_binary: Path) -> dict[str, Any]:
    """The scan, done once per test session even under pytest-xdist (the first worker does it, the other reads it)."""
    base = tmp_path_factory.getbasetemp()
    shared = base if worker_id == "master" else base.parent
    result = shared / "checkov-scan.json"
    with (shared / "checkov-scan.lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            if not result.exists():
                work = shared / "checkov-work"
                work.mkdir(exist_ok=True)
                result.write_text(json.dumps(_scan(work, djangocdk_binary)))
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)
    return dict(json.loads(result.read_text()))


@pytest.fixture(scope="session")
def findings(checkov_scan: dict[str, Any]) -> list[Finding]:
    templates: dict[str, str] = checkov_scan["templates"]
    by_name = {Path(t).parent.name + "/" + Path(t).name: v for t, v in templates.items()}
    found = []
    for report in checkov_scan["reports"]:
        assert report["summary"]["parsing_errors"] == 0, report["summary"]
        for failed in report["results"]["failed_checks"]:
            path = Path(failed["file_abs_path"])
            name = path.parent.name + "/" + path.name
            resource_type, _, logical_id = failed["resource"].partition(".")
            found.append(
                Finding(failed["check_id"], failed["check_name"], resource_type, logical_id, by_name[name], path.name)
            )
    return found


def load_entries() -> list[dict[str, Any]]:
    entries = yaml.safe_load(FINDINGS_FILE.read_text())
    assert isinstance(entries, list), f"{FINDINGS_FILE.name}: expected a list of entries"
    return entries


def matches(entry: dict[str, Any], finding: Finding) -> bool:
    if entry["check"] != finding.check or finding.variant not in entry.get("variants", VARIANTS):
        return False
    for pattern in entry["resources"]:
        if "::" in pattern:  # a resource type, e.g. AWS::Logs::LogGroup
            if pattern == finding.resource_type:
                return True
        elif fnmatch.fnmatchcase(finding.logical_id, pattern):  # a logical-ID pattern
            return True
    return False


def test_findings_file_is_well_formed() -> None:
    problems = []
    for i, entry in enumerate(load_entries()):
        where = f"{FINDINGS_FILE.name} entry {i + 1} ({entry.get('check', '?')})"
        unknown = set(entry) - ENTRY_KEYS
        if unknown:
            problems.append(f"{where}: unknown keys {sorted(unknown)}; allowed: {sorted(ENTRY_KEYS)}")
        if not str(entry.get("check", "")).startswith("CKV_"):
            problems.append(f"{where}: check must be a checkov ID such as CKV_AWS_158")
        resources = entry.get("resources")
        if not isinstance(resources, list) or not resources or not all(isinstance(r, str) and r for r in resources):
            problems.append(f"{where}: resources must be a non-empty list of logical-ID patterns or resource types")
        if not set(entry.get("variants", VARIANTS)) <= set(VARIANTS):
            problems.append(f"{where}: variants must be among {list(VARIANTS)}")
        if entry.get("severity") not in SEVERITIES:
            problems.append(f"{where}: severity must be one of {list(SEVERITIES)}")
        if entry.get("decision") not in DECISIONS:
            problems.append(f"{where}: decision must be one of {list(DECISIONS)}")
        if len(str(entry.get("reason", "")).split()) < 8:
            problems.append(f"{where}: reason must say why, in a sentence a reviewer would accept")
        if entry.get("decision") == "fix" and len(str(entry.get("fix", "")).split()) < 5:
            problems.append(f"{where}: decision fix needs a fix: the construct change that removes the finding")
        # A high-severity finding is never merely accepted: it is fixed, or its fix is written down.
        if entry.get("severity") == "high" and entry.get("decision") != "fix":
            problems.append(f"{where}: a high-severity finding must have decision fix (and its fix)")
    assert not problems, "\n".join(problems)


def test_every_checkov_finding_has_a_reason(findings: list[Finding]) -> None:
    entries = load_entries()
    uncovered = [f for f in findings if not any(matches(e, f) for e in entries)]
    if uncovered:
        pytest.fail(
            f"{len(uncovered)} checkov finding(s) without an entry in {FINDINGS_FILE.name}:\n"
            + "\n".join(f"  {f.describe()}" for f in uncovered)
            + f"\nFix the construct (see the check's documentation), or add an entry to {FINDINGS_FILE.name}"
            " with check, resources (logical-ID pattern or resource type), severity, decision and a reason.",
            pytrace=False,
        )


def test_no_stale_entries(findings: list[Finding]) -> None:
    """An entry, or one of its resource patterns or variants, that matches no finding any more must go."""
    stale = []
    for entry in load_entries():
        label = f"{entry['check']} {entry['resources']}"
        if not any(matches(entry, f) for f in findings):
            stale.append(f"  {label}: the whole entry")
            continue
        for pattern in entry["resources"]:
            if not any(matches({**entry, "resources": [pattern]}, f) for f in findings):
                stale.append(f"  {label}: the pattern {pattern!r}")
        for variant in entry.get("variants", ()):
            if not any(matches({**entry, "variants": [variant]}, f) for f in findings):
                stale.append(f"  {label}: the variant {variant!r}")
    if stale:
        pytest.fail(
            f"{FINDINGS_FILE.name} lists what checkov no longer finds (fixed, renamed or removed); delete it:\n"
            + "\n".join(stale),
            pytrace=False,
        )


def test_report(checkov_scan: dict[str, Any], findings: list[Finding], capsys: pytest.CaptureFixture[str]) -> None:
    """Print the figures (pytest -s shows them): templates, timings, findings by check."""
    counts: dict[str, int] = {}
    for f in findings:
        counts[f.check] = counts.get(f.check, 0) + 1
    with capsys.disabled():
        print(
            f"\ncheckov: {len(checkov_scan['templates'])} templates, synth {checkov_scan['synth_seconds']:.1f} s,"
            f" scan {checkov_scan['scan_seconds']:.1f} s, {len(findings)} failed checks: "
            + ", ".join(f"{k} x{v}" for k, v in sorted(counts.items()))
        )
    assert checkov_scan["templates"]
