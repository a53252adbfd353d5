"""The example app's synthesized templates pass cfn-lint and CDK's validation."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path


def templates(out: Path) -> list[Path]:
    found = sorted(out.glob("*.template.json"))
    assert [p.name for p in found] == ["MySiteApp.template.json", "MySiteData.template.json"]
    return found


def test_cfn_lint_reports_no_errors(example_assembly: Path) -> None:
    cfn_lint = Path(sys.executable).parent / "cfn-lint"
    for template in templates(example_assembly):
        proc = subprocess.run(
            [str(cfn_lint), "--format", "json", str(template)], capture_output=True, text=True, timeout=300
        )
        findings = json.loads(proc.stdout or "[]")
        errors = [f for f in findings if f["Level"] == "Error"]
        assert not errors, "\n".join(f"{f['Rule']['Id']} {f['Message']}" for f in errors)
        # Exit 0 = clean, 4 = warnings only; anything else is an error or a crash.
        assert proc.returncode in (0, 4), proc.stderr


def test_templates_hold_the_expected_stacks(example_assembly: Path) -> None:
    data, app = (json.loads(p.read_text()) for p in reversed(templates(example_assembly)))
    types = lambda t: {r["Type"] for r in t["Resources"].values()}  # noqa: E731
    # The site's name (distribution, load balancer) lives with the data: it outlives compute.
    stateful = {"AWS::RDS::DBInstance", "AWS::ElastiCache::ReplicationGroup", "AWS::S3::Bucket"}
    edge = {"AWS::CloudFront::Distribution", "AWS::CloudFront::VpcOrigin", "AWS::ElasticLoadBalancingV2::LoadBalancer"}
    assert stateful | edge <= types(data)
    assert {"AWS::ECS::Service", "Custom::DjangoRelease", "AWS::ElasticLoadBalancingV2::Listener"} <= types(app)
