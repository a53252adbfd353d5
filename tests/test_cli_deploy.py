"""djangocdk diff/deploy/destroy refuse up front, with the fix, when a prerequisite is missing.

AWS is moto server (STS, SSM); the binary is built from this repository.
Timings are printed for the record (they belong in benchmarks, not asserts).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import boto3
import pytest
from conftest import ROOT, go_env

BOOTSTRAP = "/cdk-bootstrap/hnb659fds/version"


@pytest.fixture(scope="session")
def djangocdk(djangocdk_binary: Path) -> Path:
    return djangocdk_binary


@pytest.fixture
def project(tmp_path: Path) -> Path:
    dst = tmp_path / "mysite"
    shutil.copytree(ROOT / "examples" / "mysite", dst, ignore=shutil.ignore_patterns("cdk.out", "__pycache__"))
    return dst


@pytest.fixture
def ssm(moto_endpoint: str) -> Iterator[object]:
    client = boto3.client("ssm", endpoint_url=moto_endpoint, region_name="us-east-1")
    yield client
    try:
        client.delete_parameter(Name=BOOTSTRAP)
    except client.exceptions.ParameterNotFound:
        pass


def env_with(tmp_path: Path, moto: str | None, path: str | None = None) -> dict[str, str]:
    env = {
        "HOME": str(tmp_path / "home"),
        "PATH": path if path is not None else go_env()["PATH"],
        "AWS_EC2_METADATA_DISABLED": "true",
        "DJANGOCDK_CACHE": str(tmp_path / "cache"),
    }
    if moto:
        env.update({"AWS_ACCESS_KEY_ID": "testing", "AWS_SECRET_ACCESS_KEY": "testing", "AWS_ENDPOINT_URL": moto})
    return env


def run(
    binary: Path, project: Path, env: dict[str, str], *args: str, stdin: str = ""
) -> subprocess.CompletedProcess[str]:
    start = time.monotonic()
    proc = subprocess.run(
        [str(binary), *args], cwd=project, env=env, input=stdin, capture_output=True, text=True, timeout=300
    )
    print(f"djangocdk {' '.join(args)}: exit {proc.returncode} in {time.monotonic() - start:.3f} s")
    return proc


@pytest.mark.parametrize("command", ["deploy", "diff", "destroy"])
def test_no_credentials(djangocdk: Path, project: Path, tmp_path: Path, command: str) -> None:
    proc = run(djangocdk, project, env_with(tmp_path, moto=None), command)
    assert proc.returncode == 3, proc.stderr
    assert "No AWS credentials found" in proc.stderr and "fix: run `aws configure`" in proc.stderr
    assert not (project / "cdk.out").exists(), "nothing is synthesized before the checks pass"


def test_not_bootstrapped(djangocdk: Path, project: Path, tmp_path: Path, moto_endpoint: str, ssm: object) -> None:
    proc = run(djangocdk, project, env_with(tmp_path, moto_endpoint), "deploy")
    assert proc.returncode == 3, proc.stderr
    assert "Account 123456789012 is not bootstrapped for the AWS CDK in us-east-1" in proc.stderr
    assert "djangocdk bootstrap" in proc.stderr


def test_other_account_is_refused(djangocdk: Path, project: Path, tmp_path: Path, moto_endpoint: str) -> None:
    config = project / "pyproject.toml"
    config.write_text(
        config.read_text().replace('region = "us-east-1"', 'region = "us-east-1"\naccount = "111111111111"')
    )
    proc = run(djangocdk, project, env_with(tmp_path, moto_endpoint), "deploy")
    assert proc.returncode == 3, proc.stderr
    assert "credentials are for account 123456789012" in proc.stderr and '"111111111111"' in proc.stderr


def test_no_docker(djangocdk: Path, project: Path, tmp_path: Path, moto_endpoint: str, ssm: object) -> None:
    ssm.put_parameter(Name=BOOTSTRAP, Value="28", Type="String")  # type: ignore[attr-defined]
    empty = tmp_path / "empty-path"
    empty.mkdir()
    proc = run(djangocdk, project, env_with(tmp_path, moto_endpoint, path=str(empty)), "deploy")
    assert proc.returncode == 3, proc.stderr
    assert "Docker is not installed" in proc.stderr and "fix: install Docker" in proc.stderr
    assert not (project / "cdk.out").exists()


def test_docker_engine_not_running(
    djangocdk: Path, project: Path, tmp_path: Path, moto_endpoint: str, ssm: object
) -> None:
    docker = shutil.which("docker")
    if not docker or subprocess.run([docker, "info"], capture_output=True, timeout=30).returncode == 0:
        pytest.skip("needs a docker client without a running engine (as on CI)")
    ssm.put_parameter(Name=BOOTSTRAP, Value="28", Type="String")  # type: ignore[attr-defined]
    env = env_with(tmp_path, moto_endpoint, path=f"{os.path.dirname(docker)}:{go_env()['PATH']}")
    proc = run(djangocdk, project, env, "deploy")
    assert proc.returncode == 3, proc.stderr
    assert "engine is not running" in proc.stderr and "start Docker" in proc.stderr


def test_outdated_bootstrap(djangocdk: Path, project: Path, tmp_path: Path, moto_endpoint: str, ssm: object) -> None:
    ssm.put_parameter(Name=BOOTSTRAP, Value="3", Type="String")  # type: ignore[attr-defined]
    proc = run(djangocdk, project, env_with(tmp_path, moto_endpoint), "deploy")
    assert proc.returncode == 3 and "too old (version 3)" in proc.stderr, proc.stderr


def test_destroy_needs_the_app_name(djangocdk: Path, project: Path, tmp_path: Path, moto_endpoint: str) -> None:
    proc = run(djangocdk, project, env_with(tmp_path, moto_endpoint), "destroy", stdin="yes\n")
    assert proc.returncode == 1, proc.stderr
    assert "Type the app name (mysite) to confirm" in proc.stderr
    assert "not confirmed; nothing was deleted" in proc.stderr
    assert "MysiteData and MysiteApp" in proc.stderr


def test_validate_warns_before_a_database_replacement(djangocdk: Path, project: Path, tmp_path: Path) -> None:
    env = env_with(tmp_path, moto=None)
    synth = run(djangocdk, project, env, "synth")
    assert synth.returncode == 0, synth.stderr
    quiet = run(djangocdk, project, env, "validate")
    assert quiet.returncode == 0 and "Warning" not in quiet.stderr, quiet.stderr
    config = project / "pyproject.toml"
    config.write_text(config.read_text() + '\n[tool.djangocdk.database]\nname = "shop"\n')
    proc = run(djangocdk, project, env, "validate")
    assert proc.returncode == 0, proc.stderr
    assert "Replace MysiteData/MysiteDatabaseInstance" in proc.stderr, proc.stderr
    assert "DBName (always)" in proc.stderr and "--allow-data-loss MysiteDatabaseInstance" in proc.stderr
    assert "construct: MysiteData/Mysite/Database/Instance/Resource" in proc.stderr
    assert "The check that decides is at deploy time" in proc.stderr


def test_deploy_help_names_the_flag_and_the_order(djangocdk: Path, project: Path, tmp_path: Path) -> None:
    proc = run(djangocdk, project, env_with(tmp_path, moto=None), "deploy", "--help")
    assert proc.returncode == 0, proc.stderr
    assert "--allow-data-loss" in proc.stdout and "App first when a part is switched off" in proc.stdout
