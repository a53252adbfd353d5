"""Shared fixtures: the repository root, a moto server, a fake ECS endpoint."""

from __future__ import annotations

import fcntl
import importlib.util
import json
import os
import subprocess
import sys
import threading
import time
import urllib.request
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
from localservices import free_port

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(autouse=True)
def aws_env(monkeypatch: pytest.MonkeyPatch) -> None:
    """Dummy credentials; no test may reach a real AWS endpoint."""
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
    monkeypatch.setenv("AWS_DEFAULT_REGION", "us-east-1")
    monkeypatch.delenv("AWS_PROFILE", raising=False)


def load_file(path: Path, name: str) -> ModuleType:
    """Import a Python file as a module, as its runtime would: by path, not by package."""
    spec = importlib.util.spec_from_file_location(name, path)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def load_release_handler() -> ModuleType:
    """Import the release handler exactly as Lambda would: from its file."""
    return load_file(ROOT / "blocks" / "release" / "handler" / "index.py", "release_index")


@pytest.fixture(scope="session")
def moto_endpoint() -> Iterator[str]:
    """A moto server on loopback for the whole session."""
    port = free_port()
    server = Path(sys.executable).parent / "moto_server"
    proc = subprocess.Popen(
        [str(server), "-H", "127.0.0.1", "-p", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 30
    while True:
        try:
            urllib.request.urlopen(url + "/moto-api/", timeout=1)
            break
        except OSError:
            if time.monotonic() > deadline or proc.poll() is not None:
                proc.kill()
                raise RuntimeError("moto server did not start") from None
            time.sleep(0.2)
    yield url
    proc.terminate()
    proc.wait(timeout=10)


class FakeAws:
    """A small local server speaking the ECS and CloudWatch Logs JSON protocols.

    Tests script its answers; it records every call for assertions.
    """

    def __init__(self) -> None:
        self.calls: list[tuple[str, dict[str, Any]]] = []
        self.run_task: dict[str, Any] = {}
        self.describe: list[dict[str, Any]] = []
        self.log_events: list[str] = []

    def handle(self, target: str, body: dict[str, Any]) -> dict[str, Any]:
        action = target.rsplit(".", 1)[-1]
        self.calls.append((action, body))
        if action == "RunTask":
            return self.run_task
        if action == "DescribeTasks":
            return self.describe.pop(0) if len(self.describe) > 1 else self.describe[0]
        if action == "StopTask":
            return {"task": {"taskArn": body["task"], "lastStatus": "STOPPING"}}
        if action == "GetLogEvents":
            return {"events": [{"timestamp": 0, "message": m} for m in self.log_events]}
        raise AssertionError(f"unexpected call {target}")

    def actions(self) -> list[str]:
        return [a for a, _ in self.calls]


@pytest.fixture
def fake_aws(monkeypatch: pytest.MonkeyPatch) -> Iterator[FakeAws]:
    fake = FakeAws()

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:  # noqa: N802 - http.server's naming
            length = int(self.headers.get("Content-Length", 0))
            body = json.loads(self.rfile.read(length) or b"{}")
            payload = json.dumps(fake.handle(self.headers["X-Amz-Target"], body)).encode()
            self.send_response(200)
            self.send_header("Content-Type", "application/x-amz-json-1.1")
            self.send_header("Content-Length", str(len(payload)))
            self.end_headers()
            self.wfile.write(payload)

        def log_message(self, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    monkeypatch.setenv("AWS_ENDPOINT_URL", f"http://127.0.0.1:{server.server_address[1]}")
    yield fake
    server.shutdown()


def go_env() -> dict[str, str]:
    """Environment for running Go programs that use jsii (Node on PATH)."""
    env = dict(os.environ)
    node_bin = ROOT / ".tools" / "node" / "node_modules" / ".bin"
    env["PATH"] = f"{node_bin}:{env['PATH']}"
    return env


@pytest.fixture(scope="session")
def djangocdk_binary(tmp_path_factory: pytest.TempPathFactory, worker_id: str) -> Path:
    """The djangocdk binary, built once per test run.

    $DJANGOCDK_BIN when set (scripts/test.sh builds one binary for the Go
    tests and pytest); otherwise the first pytest-xdist worker builds it and
    the others wait for it (a file lock in the run's shared temporary
    directory).
    """
    given = os.environ.get("DJANGOCDK_BIN")
    if given:
        assert Path(given).is_file(), f"DJANGOCDK_BIN={given} does not exist"
        return Path(given)
    base = tmp_path_factory.getbasetemp()
    shared = base if worker_id == "master" else base.parent
    binary = shared / "djangocdk-bin" / "djangocdk"
    with (shared / "djangocdk-bin.lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            if not binary.exists():
                binary.parent.mkdir(exist_ok=True)
                proc = subprocess.run(
                    ["go", "build", "-o", str(binary), "./cmd/djangocdk"],
                    cwd=ROOT,
                    env=go_env(),
                    capture_output=True,
                    text=True,
                    timeout=600,
                )
                assert proc.returncode == 0, proc.stderr
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)
    return binary


@pytest.fixture(scope="session")
def example_assembly(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Synthesize examples/ecs (with CDK's built-in validation on) once per session."""
    out = tmp_path_factory.mktemp("cdk.out")
    env = go_env()
    env.update({"CDK_OUTDIR": str(out), "CDK_VALIDATION": "true"})
    proc = subprocess.run(
        ["go", "run", "./examples/ecs"], cwd=ROOT, env=env, capture_output=True, text=True, timeout=600
    )
    assert proc.returncode == 0, proc.stderr[-4000:]
    assert "Template validation found issues" not in proc.stderr, proc.stderr[-4000:]
    return out


@pytest.fixture(scope="session")
def go_contract() -> dict[str, Any]:
    """The env contract as contract.go defines it."""
    proc = subprocess.run(
        ["go", "run", "./internal/tools/contractjson"], cwd=ROOT, capture_output=True, text=True, timeout=600
    )
    assert proc.returncode == 0, proc.stderr
    return dict(json.loads(proc.stdout))


def app_containers(assembly: Path) -> dict[str, dict[str, Any]]:
    """The example app's container definitions, by container (process) name."""
    template = json.loads((assembly / "MySiteApp.template.json").read_text())
    found: dict[str, dict[str, Any]] = {}
    for resource in template["Resources"].values():
        if resource["Type"] == "AWS::ECS::TaskDefinition":
            for container in resource["Properties"]["ContainerDefinitions"]:
                found[container["Name"]] = container
    return found
