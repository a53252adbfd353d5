"""The sample project's Dockerfile and .dockerignore, read as text.

No Docker engine runs on CI, so the image is not built here; these checks
hold the properties a deploy relies on (the app itself is tested directly).
"""

from __future__ import annotations

import re

from conftest import ROOT

MYSITE = ROOT / "examples" / "mysite"


def stages() -> dict[str, list[str]]:
    """Dockerfile instructions (continuation lines joined) by stage name, in order."""
    text = re.sub(r"\\\n", " ", (MYSITE / "Dockerfile").read_text())
    found: dict[str, list[str]] = {}
    current = None
    for line in text.splitlines():
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        match = re.match(r"FROM\s+\S+\s+AS\s+(\S+)", line, re.IGNORECASE)
        if match:
            current = match.group(1)
            found[current] = []
        elif current:
            found[current].append(line)
    return found


def test_runtime_is_the_default_target_and_dev_exists() -> None:
    names = list(stages())
    assert names[-1] == "runtime", "the last stage is what a plain docker build (and CDK) builds"
    assert "dev" in names and "build" in names


def test_runtime_runs_as_non_root_with_a_healthcheck() -> None:
    runtime = stages()["runtime"]
    users = [i.split()[1] for i in runtime if i.startswith("USER ")]
    assert users and users[-1] not in ("root", "0")
    assert any(i.startswith("HEALTHCHECK ") and "/healthz" in i for i in runtime)
    assert not any("build-essential" in i for i in runtime), "no compilers in the runtime image"


def test_no_secret_is_baked_in() -> None:
    secretish = re.compile(r"(SECRET|PASSWORD|TOKEN|KEY_ID|ACCESS_KEY)", re.IGNORECASE)
    for stage, instructions in stages().items():
        for i in instructions:
            if i.split()[0] in ("ENV", "ARG"):
                assert not secretish.search(i), f"{stage}: {i}"


def test_copied_files_exist() -> None:
    for instructions in stages().values():
        for i in instructions:
            if i.startswith("COPY ") and "--from" not in i:
                for source in i.split()[1:-1]:
                    if not source.startswith("--"):
                        assert (MYSITE / source).exists(), source


def test_dockerignore_keeps_local_state_and_secrets_out() -> None:
    ignored = set((MYSITE / ".dockerignore").read_text().split())
    assert {".env", ".venv", "db.sqlite3", "media", "**/__pycache__"} <= ignored
