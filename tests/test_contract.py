"""The env contract across languages.

The synthesized example deployment (Go) and the Django settings helper
(Python) must agree on every name: a variable set by the infrastructure that
the helper ignores, or read by the helper that nothing sets, fails here.
"""

from __future__ import annotations

from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
from conftest import ROOT, app_containers, load_file

HELPER = ROOT / "examples" / "mysite" / "djangocdk_settings.py"
PROCESSES = ("web", "worker", "beat", "release")


@pytest.fixture(scope="module")
def helper() -> ModuleType:
    return load_file(HELPER, "djangocdk_settings")


def names(container: dict[str, Any]) -> tuple[set[str], set[str]]:
    plain = {e["Name"] for e in container.get("Environment", [])}
    secret = {s["Name"] for s in container.get("Secrets", [])}
    return plain, secret


@pytest.mark.parametrize("process", PROCESSES)
def test_each_container_gets_exactly_what_the_helper_reads(
    example_assembly: Path, helper: ModuleType, process: str
) -> None:
    plain, secret = names(app_containers(example_assembly)[process])
    assert not plain & secret, f"{process}: set both plainly and as a secret: {plain & secret}"
    # The example uses Valkey as the broker, so the SQS-only variable is absent.
    expected = set(helper.CONTRACT) - {"CELERY_SQS_QUEUE_URL"}
    assert plain | secret == expected, (
        f"{process}: set but not read by the helper: {sorted((plain | secret) - expected)}; "
        f"read by the helper but not set: {sorted(expected - (plain | secret))}"
    )
    assert not (plain | secret) & (set(helper.OPTIONAL) | set(helper.PLATFORM)), "a knob is set by the stack"


def test_secrets_come_from_secrets_manager(example_assembly: Path, go_contract: dict[str, Any]) -> None:
    secret_names = {v["Name"] for v in go_contract["contract"] if v["Source"] == "secret"}
    for process, container in app_containers(example_assembly).items():
        plain, secret = names(container)
        assert secret == secret_names & (plain | secret), process
        assert not plain & secret_names, f"{process}: a secret is a plain environment value"
        for entry in container.get("Secrets", []):
            # A reference to a secret (an intrinsic or an ARN), never a value.
            value_from = entry["ValueFrom"]
            assert isinstance(value_from, dict) or str(value_from).startswith("arn:"), (process, entry)


def test_helper_declares_the_go_contract(helper: ModuleType, go_contract: dict[str, Any]) -> None:
    assert list(helper.CONTRACT) == [v["Name"] for v in go_contract["contract"]]
    assert set(go_contract["processes"]) == set(PROCESSES)
    knobs = {v["Name"]: v for v in go_contract["knobs"]}
    assert set(knobs) == set(helper.OPTIONAL) | set(helper.PLATFORM)
    for name, default in helper.OPTIONAL.items():
        assert knobs[name]["Source"] == "you"
        assert knobs[name]["When"] == f'default "{default}"', name
    for name in helper.PLATFORM:
        assert knobs[name]["Source"] == "ECS"


def test_contract_doc_lists_every_name(helper: ModuleType) -> None:
    doc = (ROOT / "docs" / "contract.md").read_text()
    for name in (*helper.CONTRACT, *helper.OPTIONAL, *helper.PLATFORM):
        assert f"| `{name}` |" in doc, name


def test_compose_sandbox_uses_the_contract(helper: ModuleType) -> None:
    """compose.yaml's shared environment covers the contract, plus known local-only names."""
    import yaml

    compose = yaml.safe_load((ROOT / "examples" / "mysite" / "compose.yaml").read_text())
    env = compose["x-app"]["environment"]
    local_only = {"AWS_ENDPOINT_URL_S3", "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY"}
    conditional = {"CELERY_SQS_QUEUE_URL", "REDIS_AUTH_TOKEN"}  # SQS broker; no AUTH on local Valkey
    assert set(helper.CONTRACT) - conditional <= set(env)
    assert set(env) <= set(helper.CONTRACT) | set(helper.OPTIONAL) | local_only
    for service in ("release", "web", "worker", "beat"):
        assert compose["services"][service]["environment"] == env, service
    # The local sandbox settles the helper's validation too.
    helper.cloud_settings({k: str(v) for k, v in env.items()})
