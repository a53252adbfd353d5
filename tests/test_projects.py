"""Real-world-shaped Django projects, from `djangocdk init --yes` to a healthy web task.

Each project under tests/projects mimics a layout we did not design (see its
README.md) and says in expect.toml what a correct tool finds there. For each,
this test does what a new user does: `init --yes`, fill in exactly the values
`validate` asks for, `validate`, `synth`; then it builds the image the way the
(generated or kept) Dockerfile would (tests/imagebuild.py), runs `djangocdk
check` with the image's Python, runs the release task's entry point and command
from the synthesized task definition with the contract's environment (local
PostgreSQL and Redis with TLS and passwords, moto S3, a stand-in ECS metadata
endpoint), starts the web container's entry point and command, and requests the
health check path as the load balancer does (plain HTTP, Host: the task's
private IP).
"""

from __future__ import annotations

import fcntl
import http.client
import json
import os
import re
import secrets
import shutil
import subprocess
import time
import tomllib
import urllib.parse
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import boto3
import imagebuild
import localservices
import pytest
from conftest import ROOT, go_env

PROJECTS = ROOT / "tests" / "projects"
NAMES = sorted(p.name for p in PROJECTS.iterdir() if (p / "expect.toml").exists())
TASK_IP = "10.0.1.23"
SITE = "site.test"  # stands in for the public host name
DEPENDENCY_FILES = ("requirements.txt", "requirements", "pyproject.toml", "Pipfile")


@dataclass
class Services:
    """The cloud's stateful parts, on loopback."""

    pg: localservices.Postgres
    redis_port: int
    token: str
    moto: str
    metadata: str
    certs: localservices.Certs


@pytest.fixture(scope="module")
def services(moto_endpoint: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Services]:
    work = tmp_path_factory.mktemp("services")
    certs = localservices.make_certs(work)
    token = secrets.token_hex(24)
    with ExitStack() as stack:
        pg = stack.enter_context(
            localservices.postgres(certs, "postgres_default", "master", secrets.token_hex(8) + "@:/%")
        )
        redis_port = stack.enter_context(localservices.redis(certs, token, work))
        metadata = stack.enter_context(localservices.ecs_metadata(TASK_IP))
        yield Services(pg, redis_port, token, moto_endpoint, metadata, certs)


@pytest.fixture(scope="session")
def cli(djangocdk_binary: Path) -> Path:
    """The djangocdk binary, built once per test run (conftest)."""
    return djangocdk_binary


@contextmanager
def exclusive(name: str) -> Iterator[None]:
    """One test process at a time (pytest-xdist runs these projects two at once)."""
    with open(f"/tmp/djangocdk-test-{name}.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)


@pytest.fixture(scope="session")
def manager_tools(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """uv and Poetry at the versions djangocdk pins (internal/deps/pins.go), as a user of them has."""
    pins = dict(re.findall(r'Manager(UV|Poetry):\s*"([^"]+)"', (ROOT / "internal" / "deps" / "pins.go").read_text()))
    venv = ROOT / ".tools" / "managers"
    stamp = venv / "pins.json"
    with exclusive("manager-tools"):
        if not stamp.exists() or json.loads(stamp.read_text()) != pins:
            subprocess.run(["python3", "-m", "venv", "--clear", str(venv)], check=True, timeout=300)
            subprocess.run([str(venv / "bin" / "pip"), "install", "--quiet", *pins.values()], check=True, timeout=600)
            stamp.write_text(json.dumps(pins))
    tools = tmp_path_factory.mktemp("manager-tools")
    for name in ("uv", "poetry"):  # only the tools: the rest of that venv stays off PATH
        (tools / name).symlink_to(venv / "bin" / name)
    return tools


def run_cli(
    cli: Path, args: list[str], tools: Path, check: bool = True, extra_env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    env = go_env() | (extra_env or {})
    env["PATH"] = f"{tools}{os.pathsep}{env['PATH']}"
    env["CDK_VALIDATION"] = "false"  # the gate test covers CDK's validation; here it would only cost time
    proc = subprocess.run([str(cli), *args], env=env, capture_output=True, text=True, timeout=600)
    if check:
        assert proc.returncode == 0, (
            f"djangocdk {' '.join(args)} exited {proc.returncode}:\n{proc.stdout}\n{proc.stderr}"
        )
    return proc


def config_of(project: Path) -> tuple[Path, dict[str, Any]]:
    """The djangocdk configuration init wrote: [tool.djangocdk] or djangocdk.toml."""
    standalone = project / "djangocdk.toml"
    if standalone.exists():
        return standalone, tomllib.loads(standalone.read_text())
    pyproject = project / "pyproject.toml"
    return pyproject, tomllib.loads(pyproject.read_text())["tool"]["djangocdk"]


def fill_in(config: Path, values: dict[str, str]) -> None:
    """Give each asked-for entry its value (or secret reference), as a user editing the file would."""
    text = config.read_text()
    for name, value in values.items():
        text, n = re.subn(rf'(?m)^{name} = ""', f"{name} = {json.dumps(value)}", text)
        assert n == 1, f"init wrote no entry to fill for {name}"
    config.write_text(text)


def dependency_text(project: Path) -> str:
    text = ""
    for name in DEPENDENCY_FILES:
        path = project / name
        files = sorted(path.rglob("*.txt")) if path.is_dir() else [path]
        text += "".join(f.read_text() for f in files if f.exists())
    return text.lower()


def containers(outdir: Path) -> dict[str, dict[str, Any]]:
    found: dict[str, dict[str, Any]] = {}
    for template in outdir.glob("*.template.json"):
        for resource in json.loads(template.read_text())["Resources"].values():
            if resource["Type"] == "AWS::ECS::TaskDefinition":
                for c in resource["Properties"]["ContainerDefinitions"]:
                    found[c["Name"]] = c
    return found


def resolve(value: Any, facts: dict[str, str]) -> str:
    """A task definition value with the cloud's references replaced by stand-ins."""
    if isinstance(value, str):
        return value
    if "Fn::Join" in value:
        sep, parts = value["Fn::Join"]
        return sep.join(resolve(p, facts) for p in parts)
    ref = json.dumps(value)
    for marker, fact in (
        ("AWS::Region", "region"),
        ("DNSName", "host"),
        ("DomainName", "cdn"),
        ("Bucket", "bucket"),
    ):
        if marker in ref:
            return facts[fact]
    raise AssertionError(f"no local stand-in for {ref}")


def task_env(
    container: dict[str, Any], svc: Services, db: str, bucket: str, own_secrets: dict[str, str]
) -> tuple[dict[str, str], list[str]]:
    """The container's environment with local stand-ins, and the secret values (never to be logged)."""
    moto_host = urllib.parse.urlsplit(svc.moto).netloc
    local = {
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
        "DJANGO_ALLOWED_HOSTS": SITE,
        "DJANGO_CSRF_TRUSTED_ORIGINS": f"https://{SITE}",
        "DATABASE_HOST": "127.0.0.1",
        "DATABASE_PORT": str(svc.pg.port),
        "DATABASE_NAME": db,
        "DATABASE_USER": svc.pg.user,
        "DATABASE_PASSWORD": svc.pg.password,
        "REDIS_URL": f"rediss://127.0.0.1:{svc.redis_port}",
        "REDIS_AUTH_TOKEN": svc.token,
        "TASK_BROKER_URL": f"rediss://127.0.0.1:{svc.redis_port}/1",
        "AWS_STORAGE_BUCKET_NAME": bucket,
        "AWS_S3_CUSTOM_DOMAIN": f"{moto_host}/{bucket}",
        **own_secrets,
    }
    facts = {"region": "us-east-1", "host": SITE, "cdn": local["AWS_S3_CUSTOM_DOMAIN"], "bucket": bucket}
    env: dict[str, str] = {}
    for entry in container.get("Environment", []):
        name = entry["Name"]
        env[name] = (
            local[name] if name in local and not isinstance(entry["Value"], str) else resolve(entry["Value"], facts)
        )
    for entry in container.get("Secrets", []):
        assert entry["Name"] in local, f"secret {entry['Name']} needs a local stand-in"
        env[entry["Name"]] = local[entry["Name"]]
    env.update(
        {
            # Platform and emulator plumbing, none of it part of the contract:
            "ECS_CONTAINER_METADATA_URI_V4": svc.metadata,
            "AWS_S3_URL_PROTOCOL": "http:",
            "AWS_ENDPOINT_URL_S3": svc.moto,
            "AWS_ACCESS_KEY_ID": "testing",
            "AWS_SECRET_ACCESS_KEY": "testing",
            "SSL_CERT_FILE": str(svc.certs.ca),  # trust the test CA, as tasks trust Amazon's
        }
    )
    return env, [svc.pg.password, svc.token, local["DJANGO_SECRET_KEY"]]


def createdb(pg: localservices.Postgres, name: str) -> None:
    bindir = Path(sorted(Path("/usr/lib/postgresql").glob("*/bin/createdb"))[-1]).parent
    env = {**os.environ, "PGPASSWORD": pg.password, "PGSSLMODE": "require"}
    subprocess.run(
        [str(bindir / "createdb"), "-h", "127.0.0.1", "-p", str(pg.port), "-U", pg.user, name],
        check=True,
        env=env,
        capture_output=True,
        timeout=60,
    )


def edge_headers(env: dict[str, str]) -> dict[str, str]:
    """What a browser's HTTPS request carries when it reaches the app through the deployment's edge.

    Behind CloudFront the load balancer only sees CloudFront's plain-HTTP hop
    (X-Forwarded-Proto: http); CloudFront's own header says https.
    """
    header = env.get("DJANGO_FORWARDED_PROTO_HEADER") or "X-Forwarded-Proto"
    if header.lower() == "x-forwarded-proto":
        return {header: "https"}
    return {header: "https", "X-Forwarded-Proto": "http"}


def get(port: int, path: str, host: str, headers: dict[str, str] | None = None) -> tuple[int, bytes]:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        conn.request("GET", path, headers={"Host": host, **(headers or {})})
        response = conn.getresponse()
        return response.status, response.read()
    finally:
        conn.close()


def wait_healthy(port: int, path: str, proc: subprocess.Popen[Any], log: Path) -> None:
    deadline = time.monotonic() + 90
    while True:
        if proc.poll() is not None:
            raise AssertionError(f"the web container exited {proc.returncode}:\n{log.read_text()[-6000:]}")
        try:
            status, body = get(port, path, TASK_IP)
            assert status == 200, (
                f"health check {path} with Host {TASK_IP} -> {status}: {body[:500]!r}\n{log.read_text()[-4000:]}"
            )
            return
        except (ConnectionError, OSError):
            if time.monotonic() > deadline:
                raise AssertionError(f"nothing listens on {port}:\n{log.read_text()[-6000:]}") from None
            time.sleep(0.5)


def assert_starts(image: imagebuild.Image, task: dict[str, Any], env: dict[str, str], ready: str, log: Path) -> None:
    """A Celery process started from its synthesized container reaches the broker and says it is ready."""
    with log.open("w") as out:
        proc = image.popen(
            image.argv(task.get("EntryPoint"), task["Command"]), env, stdout=out, stderr=subprocess.STDOUT
        )
    try:
        deadline = time.monotonic() + 60
        while ready not in log.read_text():
            assert proc.poll() is None, f"{task['Name']} exited {proc.returncode}:\n{log.read_text()[-4000:]}"
            assert time.monotonic() < deadline, f"{task['Name']} never got ready:\n{log.read_text()[-4000:]}"
            time.sleep(0.5)
    finally:
        stop(proc)


def stop(proc: subprocess.Popen[Any]) -> None:
    """SIGTERM, as ECS stops a task; SIGKILL if it does not go."""
    proc.terminate()
    try:
        proc.wait(timeout=20)
    except subprocess.TimeoutExpired:
        proc.kill()


def python_wrapper(image: imagebuild.Image, path: Path) -> Path:
    """An executable that runs the image's python inside its sandbox, in the caller's directory."""
    args = imagebuild.sandbox_args(image.root, "/", shared_tmp=True)
    chdir = args.index("--chdir")
    argv = " ".join(f"'{a}'" for a in args[:chdir])
    image_path = image.environment()["PATH"]
    path.write_text(f'#!/bin/sh\nPATH="{image_path}" exec {argv} --chdir "$PWD" python "$@"\n')
    path.chmod(0o755)
    return path


@pytest.mark.parametrize("name", NAMES)
def test_project_deploys(name: str, cli: Path, manager_tools: Path, services: Services, tmp_path: Path) -> None:
    expect = tomllib.loads((PROJECTS / name / "expect.toml").read_text())
    project = tmp_path / "project"
    shutil.copytree(PROJECTS / name, project, ignore=shutil.ignore_patterns("expect.toml", "__pycache__", ".venv"))
    before = dependency_text(project)

    # 1. init --yes: everything it advises is applied, or the image cannot work and it says why.
    if expect.get("init_error"):
        refused = run_cli(cli, ["init", "--yes", "--region", "us-east-1", str(project)], manager_tools, check=False)
        assert refused.returncode == 2 and expect["init_error"] in refused.stderr, refused.stderr
        assert "nothing was written" in refused.stderr and not (project / "djangocdk.toml").exists()
        # Configured by hand as init would have, validate and synth refuse the same image.
        (project / "djangocdk.toml").write_text(
            'app = "blog"\nregion = "us-east-1"\nsettings_module = "blog.settings"\n'
            'entrypoint = ["python", "-m", "djangocdk_settings", "exec", "/code/entrypoint.sh"]\n'
        )
        for command in (["validate"], ["synth"]):
            later = run_cli(cli, ["-C", str(project), *command], manager_tools, check=False)
            said = later.stdout + later.stderr
            assert later.returncode == 2 and expect["init_error"] in said, said
        assert not (project / "cdk.out").exists(), "nothing may be synthesized"
        return
    init = run_cli(cli, ["init", "--yes", "--region", "us-east-1", str(project)], manager_tools)
    config, cfg = config_of(project)
    for missing in expect.get("missing", []):
        assert missing.lower() not in before and missing.lower() in dependency_text(project), (
            f"init --yes did not add {missing}:\n{init.stdout}"
        )

    # 2. validate asks for exactly the values a tool cannot know: plain values
    # under [env], credentials under [secrets] (as Secrets Manager references;
    # their values exist only in the task: here, the expect.toml answers).
    answers: dict[str, str] = expect.get("answers", {})
    first = run_cli(cli, ["-C", str(project), "validate", "--json"], manager_tools, check=False)
    keys = [p["key"] for p in json.loads(first.stdout)["problems"]]
    asked = {k.rpartition(".")[2] for k in keys}
    secret_names = {k.rpartition(".")[2] for k in keys if k.rpartition(".")[0].endswith("secrets")}
    assert asked == set(answers), f"validate asked for {sorted(asked)}, expected {sorted(answers)}:\n{first.stdout}"
    for secret in secret_names:
        assert re.search(r"KEY|SECRET|TOKEN|PASSWORD|DSN|EMAIL_URL", secret), f"{secret} is not a credential"
    fill_in(config, {k: f"secretsmanager:{name}/{k}" if k in secret_names else v for k, v in answers.items()})
    secret_values = {n: answers[n] for n in secret_names}
    run_cli(cli, ["-C", str(project), "validate"], manager_tools)
    config, cfg = config_of(project)

    # 3. What init found.
    web_cmd = cfg["web"]["command"]
    assert cfg["settings_module"] == expect["settings_module"]
    assert cfg["web"]["health_check_path"] == expect["health_path"], init.stderr
    assert cfg["static_storage"] == expect["static_storage"], init.stderr
    assert cfg["web"].get("port", 8000) == expect["web_port"]
    if expect["server"] == "dockerfile":
        assert web_cmd == [expect["web_command"]], web_cmd
    else:
        assert any(expect["web_app"] in arg for arg in web_cmd), web_cmd
        assert web_cmd[0] == "gunicorn" and ("uvicorn_worker.UvicornWorker" in web_cmd) == (
            expect["server"] == "uvicorn-worker"
        ), web_cmd
    assert cfg.get("dockerfile", "") == expect["dockerfile"]
    if expect.get("celery_app"):
        assert cfg["worker"]["enabled"] and cfg["worker"]["command"][:3] == ["celery", "-A", expect["celery_app"]]
    else:
        assert not cfg["worker"]["enabled"]
    if expect.get("beat_scheduler"):
        assert cfg["beat"]["enabled"] and expect["beat_scheduler"] in cfg["beat"]["command"]
    if expect.get("entrypoint"):
        assert cfg["entrypoint"][-1] == expect["entrypoint"], cfg.get("entrypoint")
    if expect.get("static_problem"):
        assert expect["static_problem"] in config.read_text()
    dockerfile = project / cfg.get("dockerfile", "Dockerfile")
    if not expect["dockerfile"]:
        text = dockerfile.read_text()
        assert f"ARG PYTHON_VERSION={expect['python'] or '3.13'}\n" in text
        for word in expect.get("install", "").split():
            assert word in text, f"the Dockerfile does not install {expect['install']!r}"

    # 4. synth.
    synth = json.loads(run_cli(cli, ["-C", str(project), "synth", "--json"], manager_tools).stdout)
    tasks = containers(Path(synth["outdir"]))
    assert tasks["web"]["PortMappings"][0]["ContainerPort"] == expect["web_port"]

    # 5. The image, as its Dockerfile builds it.
    image = imagebuild.build(project, dockerfile, tmp_path / "image", target=cfg.get("docker_target"))

    # 6. djangocdk check with the image's Python: settings import, checks, health path.
    wrapper = python_wrapper(image, tmp_path / "image-python")
    check = run_cli(
        cli,
        ["-C", str(project), "check", "--python", str(wrapper)],
        manager_tools,
        check=False,
        extra_env=secret_values,
    )
    assert check.returncode == 0, f"djangocdk check:\n{check.stdout}\n{check.stderr}"

    # 7. The release task, then the web task, with the contract's environment.
    db, bucket = name.replace("-", "_"), f"{name}-assets"
    createdb(services.pg, db)
    boto3.client("s3", endpoint_url=services.moto, region_name="us-east-1").create_bucket(Bucket=bucket)
    env, hidden = task_env(tasks["web"], services, db, bucket, secret_values)
    release = tasks["release"]
    done = image.run(image.argv(release.get("EntryPoint"), release["Command"]), env, timeout=900)
    assert done.returncode == 0, f"release exited {done.returncode}:\n{done.stdout[-4000:]}\n{done.stderr[-6000:]}"
    if expect["static_storage"] != "project":
        objects = boto3.client("s3", endpoint_url=services.moto, region_name="us-east-1").list_objects_v2(
            Bucket=bucket, Prefix="static/"
        )
        assert objects.get("KeyCount", 0) > 0, "collectstatic put nothing on S3"

    web = tasks["web"]
    log = tmp_path / "web.log"
    with exclusive("web-port"), log.open("w") as out:  # the web command binds its project's fixed port
        serve(image, web, env, out, log, expect)

    # 8. Celery worker and beat, from their synthesized containers, reach the broker.
    for process, ready in (("worker", "ready."), ("beat", "beat: Starting")):
        if process in tasks and cfg[process]["enabled"]:
            assert_starts(image, tasks[process], env, ready, tmp_path / f"{process}.log")

    # 9. What the project's settings keep under the helper.
    if expect.get("replica_alias"):
        keys = ("HOST", "ATOMIC_REQUESTS", "CONN_MAX_AGE", "OPTIONS", "TEST")
        code = (
            "from django.conf import settings as s; import json; d = s.DATABASES; "
            f"print(json.dumps({{a: {{k: d[a].get(k) for k in {keys!r}}} for a in d}}))"
        )
        shell = image.run(image.argv(web.get("EntryPoint"), ["python", "manage.py", "shell", "-c", code]), env)
        assert shell.returncode == 0, shell.stderr[-3000:]
        dbs = json.loads(shell.stdout.strip().splitlines()[-1])
        default, replica = dbs["default"], dbs[expect["replica_alias"]]
        assert default["ATOMIC_REQUESTS"] is True and default["CONN_MAX_AGE"] == 300, default
        assert default["OPTIONS"]["application_name"] and default["TEST"], default
        assert replica["HOST"] == default["HOST"] == "127.0.0.1", dbs
    logged = "".join(p.read_text() for p in tmp_path.glob("*.log")) + done.stdout + done.stderr + check.stdout
    for value in hidden:
        assert value not in logged, "a secret value reached a log"


def serve(
    image: imagebuild.Image,
    web: dict[str, Any],
    env: dict[str, str],
    out: Any,
    log: Path,
    expect: dict[str, Any],
) -> None:
    """The web task answers its health check, and serves what the project promises."""
    proc = image.popen(image.argv(web.get("EntryPoint"), web["Command"]), env, stdout=out, stderr=subprocess.STDOUT)
    try:
        port = expect["web_port"]
        wait_healthy(port, expect["health_path"], proc, log)
        # A browser through the HTTPS edge reaches the site too (no redirect loop, host allowed).
        via_edge = edge_headers(env)
        status, _ = get(port, expect["health_path"], SITE, via_edge)
        assert status == 200
        if expect.get("health_app_path"):
            status, body = get(port, expect["health_app_path"], SITE, via_edge)
            assert status == 200, f"the project's own health page {expect['health_app_path']}: {status} {body[:300]!r}"
        if expect["static_storage"] == "project":
            # The project's own storage (WhiteNoise) serves the collected files.
            status, _ = get(port, "/static/admin/css/base.css", SITE, via_edge)
            assert status == 200, f"static file through the project's storage: {status}\n{log.read_text()[-3000:]}"
    finally:
        stop(proc)
