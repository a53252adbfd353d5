"""The sample project under the deployment's environment, against real services.

The environment is built from the synthesized example stack: every variable
its containers receive, with the cloud values (database secret, cache
endpoint, bucket, CloudFront domain) replaced by loopback stand-ins, and the
processes are started with the containers' own commands. PostgreSQL and
Redis require TLS and passwords like RDS and ElastiCache; moto serves S3.
"""

from __future__ import annotations

import http.client
import json
import os
import re
import secrets
import shlex
import subprocess
import sys
import time
import urllib.parse
import uuid
from collections.abc import Iterator
from contextlib import ExitStack
from dataclasses import dataclass, field
from http.cookies import SimpleCookie
from pathlib import Path
from typing import Any

import boto3
import localservices
import pytest
from conftest import ROOT, app_containers

MYSITE = ROOT / "examples" / "mysite"
VENV_BIN = Path(sys.executable).parent
TASK_IP = "10.0.1.23"  # what the metadata endpoint reports; ALB health checks send it as Host
SITE = "mysite.test"  # stands in for the CloudFront distribution's name
# What reaches the app through the CloudFront edge: CloudFront's scheme
# header, and the load balancer's view of CloudFront's plain-HTTP hop.
VIA_CLOUDFRONT = {"CloudFront-Forwarded-Proto": "https", "X-Forwarded-Proto": "http"}
BUCKET = "mysite-assets-test"


@dataclass
class Deployment:
    """The example deployment's containers, and the environment to run them locally."""

    containers: dict[str, dict[str, Any]]
    env: dict[str, str]
    secrets: list[str]
    moto: str
    logs: Path
    processes: list[subprocess.Popen[bytes]] = field(default_factory=list)

    def s3(self) -> Any:
        """A client of the S3 emulator, as the app's storage sees it."""
        return boto3.client(
            "s3",
            endpoint_url=self.moto,
            region_name=self.env["AWS_REGION"],
            aws_access_key_id="testing",
            aws_secret_access_key="testing",
        )

    def command(self, process: str) -> list[str]:
        """What the container runs: its entry point (the launcher) and its command."""
        container = self.containers[process]
        return [str(a) for a in [*container.get("EntryPoint", []), *container["Command"]]]

    def run(self, args: list[str], env: dict[str, str] | None = None, timeout: int = 300) -> str:
        proc = subprocess.run(args, cwd=MYSITE, env=env or self.env, capture_output=True, text=True, timeout=timeout)
        assert proc.returncode == 0, f"{shlex.join(args)} exited {proc.returncode}:\n{proc.stdout}\n{proc.stderr}"
        return proc.stdout + proc.stderr

    def start(self, name: str, args: list[str], env: dict[str, str] | None = None) -> Path:
        log = self.logs / f"{name}.log"
        with log.open("wb") as out:
            proc = subprocess.Popen(args, cwd=MYSITE, env=env or self.env, stdout=out, stderr=subprocess.STDOUT)
        self.processes.append(proc)
        return log

    def manage_shell(self, code: str, env: dict[str, str] | None = None) -> str:
        return self.run(["python", "manage.py", "shell", "-c", code], env=env).strip().splitlines()[-1]


def local_values(pg: localservices.Postgres, redis_port: int, token: str, moto: str) -> dict[str, str]:
    """Loopback stand-ins for the values only the cloud knows."""
    moto_host = urllib.parse.urlsplit(moto).netloc
    return {
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
        "DJANGO_ALLOWED_HOSTS": SITE,
        "DJANGO_CSRF_TRUSTED_ORIGINS": f"https://{SITE}",
        "DATABASE_HOST": "127.0.0.1",
        "DATABASE_PORT": str(pg.port),
        "DATABASE_NAME": pg.database,
        "DATABASE_USER": pg.user,
        "DATABASE_PASSWORD": pg.password,
        "REDIS_URL": f"rediss://127.0.0.1:{redis_port}",
        "REDIS_AUTH_TOKEN": token,
        "TASK_BROKER_URL": f"rediss://127.0.0.1:{redis_port}/1",
        "AWS_STORAGE_BUCKET_NAME": BUCKET,
        # CloudFront serves the bucket at its root; moto serves it path-style.
        "AWS_S3_CUSTOM_DOMAIN": f"{moto_host}/{BUCKET}",
    }


def contract_env(web: dict[str, Any], local: dict[str, str]) -> dict[str, str]:
    """The web container's variables: literal values kept, cloud values replaced."""
    env: dict[str, str] = {}
    for entry in web.get("Environment", []):
        value = entry["Value"]
        if isinstance(value, str) and entry["Name"] not in local:
            env[entry["Name"]] = value
        else:
            assert entry["Name"] in local, f"{entry['Name']} comes from the cloud; add a local stand-in"
            env[entry["Name"]] = local[entry["Name"]]
    for entry in web.get("Secrets", []):
        assert entry["Name"] in local, f"secret {entry['Name']} needs a local stand-in"
        env[entry["Name"]] = local[entry["Name"]]
    return env


@pytest.fixture(scope="module")
def deployment(
    example_assembly: Path, moto_endpoint: str, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Deployment]:
    work = tmp_path_factory.mktemp("integration")
    certs = localservices.make_certs(work)
    token = secrets.token_hex(24)
    with ExitStack() as stack:
        pg = stack.enter_context(localservices.postgres(certs, "mysite", "django", secrets.token_hex(16)))
        redis_port = stack.enter_context(localservices.redis(certs, token, work))
        metadata = stack.enter_context(localservices.ecs_metadata(TASK_IP))
        containers = app_containers(example_assembly)
        local = local_values(pg, redis_port, token, moto_endpoint)
        env = contract_env(containers["web"], local)
        env.update(
            {
                # Platform and emulator plumbing, none of it part of the contract:
                "ECS_CONTAINER_METADATA_URI_V4": metadata,
                "AWS_S3_URL_PROTOCOL": "http:",
                "AWS_ENDPOINT_URL_S3": moto_endpoint,
                "AWS_ACCESS_KEY_ID": "testing",
                "AWS_SECRET_ACCESS_KEY": "testing",
                "SSL_CERT_FILE": str(certs.ca),  # trust the test CA, as tasks trust Amazon's
                "PATH": f"{VENV_BIN}{os.pathsep}{os.environ['PATH']}",
                "HOME": str(work),
                "LANG": "C.UTF-8",
                "PYTHONDONTWRITEBYTECODE": "1",
            }
        )
        hidden = [pg.password, token, env["DJANGO_SECRET_KEY"]]
        dep = Deployment(containers, env, hidden, moto_endpoint, work)
        dep.s3().create_bucket(Bucket=BUCKET)
        try:
            yield dep
        finally:
            for proc in dep.processes:
                proc.terminate()
            for proc in dep.processes:
                try:
                    proc.wait(timeout=20)
                except subprocess.TimeoutExpired:
                    proc.kill()


@pytest.fixture(scope="module")
def released(deployment: Deployment) -> Deployment:
    """The release task's commands have run: migrated, static files on S3."""
    deployment.run(deployment.command("release"))
    return deployment


def serve(dep: Deployment, name: str, env: dict[str, str]) -> int:
    """Start the web container's command, listening on a free loopback port."""
    args = dep.command("web")
    bind = args.index("--bind")
    port = localservices.free_port()
    args[bind + 1] = f"127.0.0.1:{port}"
    dep.start(name, args, env)
    localservices.wait_for_port(port, timeout=60, proc=dep.processes[-1])
    return port


@pytest.fixture(scope="module")
def web(released: Deployment) -> int:
    """gunicorn started with the web container's command and the contract's environment."""
    return serve(released, "web", released.env)


@dataclass
class Response:
    status: int
    headers: dict[str, str]
    body: bytes


class Browser:
    """Just enough of a browser for Django's CSRF protection: cookies and Referer.

    Its requests arrive as through the CloudFront edge (VIA_CLOUDFRONT) unless
    edge is False (the load balancer's own health checks).
    """

    def __init__(self, port: int, host: str = SITE, edge: bool = True) -> None:
        self.port, self.host, self.edge = port, host, edge
        self.scheme = "https" if edge else "http"
        self.cookies: dict[str, str] = {}

    def request(self, method: str, path: str, body: bytes = b"", headers: dict[str, str] | None = None) -> Response:
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        all_headers = {"Host": self.host, **(VIA_CLOUDFRONT if self.edge else {}), **(headers or {})}
        if self.cookies:
            all_headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        conn.request(method, path, body=body, headers=all_headers)
        raw = conn.getresponse()
        response = Response(raw.status, {k.lower(): v for k, v in raw.getheaders()}, raw.read())
        conn.close()
        for header, value in raw.getheaders():
            if header.lower() == "set-cookie":
                cookie: SimpleCookie = SimpleCookie(value)
                self.cookies.update({k: m.value for k, m in cookie.items()})
        return response

    def csrf_token(self, path: str) -> str:
        page = self.request("GET", path)
        assert page.status == 200, page
        match = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', page.body)
        assert match, "no CSRF token in the form"
        return match.group(1).decode()

    def post_form(
        self, path: str, fields: dict[str, str], files: dict[str, tuple[str, bytes]] | None = None
    ) -> Response:
        fields = {"csrfmiddlewaretoken": self.csrf_token(path), **fields}
        boundary = uuid.uuid4().hex
        parts: list[bytes] = []
        for name, value in fields.items():
            parts.append(f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'.encode())
        for name, (filename, content) in (files or {}).items():
            head = (
                f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; filename="{filename}"\r\n'
                "Content-Type: application/octet-stream\r\n\r\n"
            )
            parts.append(head.encode() + content + b"\r\n")
        body = b"".join(parts) + f"--{boundary}--\r\n".encode()
        headers = {
            "Content-Type": f"multipart/form-data; boundary={boundary}",
            "Referer": f"{self.scheme}://{self.host}{path}",
        }
        return self.request("POST", path, body, headers)


def cdn_get(dep: Deployment, url: str) -> tuple[int, bytes]:
    """GET a static or media URL as CloudFront would serve it.

    The URL names the stand-in CloudFront domain (moto, path-style). CloudFront
    reads the private bucket with a signed request (origin access control);
    here the request is signed with a presigned URL for the same key.
    """
    parts = urllib.parse.urlsplit(url)
    assert f"{parts.netloc}{parts.path}".startswith(dep.env["AWS_S3_CUSTOM_DOMAIN"] + "/"), url
    key = urllib.parse.unquote(parts.path.split(f"/{BUCKET}/", 1)[1])
    signed = dep.s3().generate_presigned_url("get_object", Params={"Bucket": BUCKET, "Key": key}, ExpiresIn=60)
    signed_parts = urllib.parse.urlsplit(signed)
    conn = http.client.HTTPConnection(signed_parts.netloc, timeout=30)
    conn.request("GET", f"{signed_parts.path}?{signed_parts.query}")
    raw = conn.getresponse()
    return raw.status, raw.read()


def json_lines(log: Path) -> list[dict[str, Any]]:
    found = []
    for line in log.read_text(errors="replace").splitlines():
        if line.startswith("{"):
            try:
                found.append(json.loads(line))
            except ValueError:
                continue
    return found


# --- release: migrate and collectstatic ---------------------------------------


def test_release_migrates_the_database(released: Deployment) -> None:
    out = released.manage_shell(
        "from django.db import connection; from django.db.migrations.executor import MigrationExecutor;"
        "e = MigrationExecutor(connection); c = connection.cursor();"
        "c.execute('SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()');"
        "print(len(e.migration_plan(e.loader.graph.leaf_nodes())), connection.vendor, c.fetchone()[0])"
    )
    assert out == "0 postgresql True"


def test_collectstatic_uploads_to_the_bucket(released: Deployment) -> None:
    s3 = released.s3()
    pages = s3.get_paginator("list_objects_v2").paginate(Bucket=BUCKET)
    keys = {o["Key"] for page in pages for o in page.get("Contents", [])}
    assert "static/staticfiles.json" in keys
    assert "static/core/site.css" in keys
    assert any(re.fullmatch(r"static/admin/css/base\.[0-9a-f]{12}\.css", k) for k in keys)


def test_admin_static_files_resolve_to_the_storage_url(released: Deployment) -> None:
    url = released.manage_shell("from django.templatetags.static import static; print(static('admin/css/base.css'))")
    domain = released.env["AWS_S3_CUSTOM_DOMAIN"]
    assert re.fullmatch(rf"http://{re.escape(domain)}/static/admin/css/base\.[0-9a-f]{{12}}\.css", url), url
    status, body = cdn_get(released, url)
    assert status == 200 and b"body" in body


# --- web -------------------------------------------------------------------------


def test_health_check_from_the_load_balancer_passes(web: int) -> None:
    for host in (TASK_IP, f"{TASK_IP}:8000"):
        response = Browser(web, host=host, edge=False).request("GET", "/healthz")
        assert response.status == 200, host
        assert response.body == b"ok"


def test_unknown_host_is_rejected(released: Deployment, web: int) -> None:
    response = Browser(web, host="attacker.example").request("GET", "/")
    assert response.status == 400
    assert Browser(web, host="10.0.9.9", edge=False).request("GET", "/healthz").status == 400
    # The rejection is logged as one JSON line on stdout.
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        entries = json_lines(released.logs / "web.log")
        lines = [e for e in entries if e.get("logger") == "django.security.DisallowedHost"]
        if lines:
            break
        time.sleep(0.2)
    assert lines and "attacker.example" in lines[0]["message"]


def test_site_pages_render_with_static_files_from_the_bucket(released: Deployment, web: int) -> None:
    page = Browser(web).request("GET", "/")
    assert page.status == 200
    css = re.search(rb'href="([^"]+site\.[0-9a-f]{12}\.css)"', page.body)
    assert css, page.body[:500]
    assert css.group(1).decode().startswith(f"http://{released.env['AWS_S3_CUSTOM_DOMAIN']}/static/")
    assert cdn_get(released, css.group(1).decode())[0] == 200


def test_upload_lands_in_the_media_bucket_and_is_served(released: Deployment, web: int) -> None:
    browser = Browser(web)
    content = b"uploaded through the form " + uuid.uuid4().bytes.hex().encode()
    response = browser.post_form("/documents/new", {"title": "Report"}, {"file": ("report.txt", content)})
    assert response.status == 302, response.body[:2000]
    detail = browser.request("GET", response.headers["location"])
    match = re.search(rb'id="file-url" href="([^"]+)"', detail.body)
    assert match
    url = match.group(1).decode()
    assert url.startswith(f"http://{released.env['AWS_S3_CUSTOM_DOMAIN']}/media/documents/")
    key = url.split(f"/{BUCKET}/", 1)[1]
    s3 = released.s3()
    assert s3.get_object(Bucket=BUCKET, Key=key)["Body"].read() == content
    assert cdn_get(released, url) == (200, content)


# --- Celery ------------------------------------------------------------------------


def test_worker_processes_a_task_enqueued_by_the_web_app(released: Deployment, web: int) -> None:
    released.start("worker", released.command("worker"))
    browser = Browser(web)
    response = browser.post_form("/jobs/new", {"text": "one two three four five"})
    assert response.status == 302
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        page = browser.request("GET", response.headers["location"]).body
        if b'id="status">done<' in page:
            break
        time.sleep(0.3)
    else:
        pytest.fail("the worker did not run the job:\n" + (released.logs / "worker.log").read_text()[-3000:])
    assert b'<strong id="word-count">5</strong>' in page
    # The task ran in the worker process, not eagerly inside gunicorn. Celery
    # logs "succeeded" after the task returned, so shortly after the page
    # shows the result: wait for the line.
    deadline = time.monotonic() + 15
    while True:
        worker_log = (released.logs / "worker.log").read_text()
        if ("core.tasks.count_words" in worker_log and "succeeded" in worker_log) or time.monotonic() > deadline:
            break
        time.sleep(0.2)
    assert "core.tasks.count_words" in worker_log and "succeeded" in worker_log


def test_beat_starts_and_its_schedule_loads(released: Deployment) -> None:
    entry = released.manage_shell(
        "from mysite.celery import app; from celery.beat import Scheduler;"
        "e = Scheduler(app, lazy=False).schedule['purge-finished-jobs']; print(e.task, e.is_due().next > 0)"
    )
    assert entry == "core.tasks.purge_finished_jobs True"
    log = released.start("beat", released.command("beat"))
    proc = released.processes[-1]
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline and "beat: Starting" not in log.read_text():
        assert proc.poll() is None, log.read_text()
        time.sleep(0.2)
    assert "beat: Starting" in log.read_text()
    time.sleep(2)
    assert proc.poll() is None, log.read_text()


# --- settings ----------------------------------------------------------------------


def test_debug_is_false_without_the_variable(released: Deployment) -> None:
    env = {k: v for k, v in released.env.items() if k != "DJANGO_DEBUG"}
    assert released.manage_shell("from django.conf import settings; print(settings.DEBUG)", env=env) == "False"
    assert released.manage_shell("from django.conf import settings; print(settings.DEBUG)") == "False"


def deploy_warnings(dep: Deployment, env: dict[str, str]) -> set[str]:
    proc = subprocess.run(
        ["python", "manage.py", "check", "--deploy"], cwd=MYSITE, env=env, capture_output=True, text=True, timeout=120
    )
    return set(re.findall(r"\((security\.W\d+)\)", proc.stdout + proc.stderr))


def test_check_deploy_behind_the_https_edge(released: Deployment) -> None:
    # The default edge (CloudFront) serves HTTPS with or without a domain.
    assert released.env["DJANGO_HTTPS"] == "true"
    # Remaining by design (README, "check --deploy"): HSTS is not extended to
    # every subdomain of your domain nor submitted to browsers' preload lists.
    assert deploy_warnings(released, released.env) == {"security.W005", "security.W021"}


def plain_http_env(released: Deployment) -> dict[str, str]:
    """The container's environment with the alb-http-insecure opt-out."""
    return {
        **released.env,
        "DJANGO_HTTPS": "false",
        "DJANGO_FORWARDED_PROTO_HEADER": "X-Forwarded-Proto",
        "DJANGO_CSRF_TRUSTED_ORIGINS": f"http://{SITE}",
    }


def test_check_deploy_with_the_plain_http_opt_out(released: Deployment) -> None:
    # Plain HTTP on a public load balancer: no redirect, no HSTS, no
    # secure-only cookies (README, "check --deploy").
    expected = {"security.W004", "security.W008", "security.W012", "security.W016"}
    assert deploy_warnings(released, plain_http_env(released)) == expected


def test_cloudfront_requests_are_https_and_health_checks_still_pass(released: Deployment, web: int) -> None:
    # The load balancer's health check: plain HTTP, the task's IP as Host.
    assert Browser(web, host=TASK_IP, edge=False).request("GET", "/healthz").status == 200
    # Through CloudFront: the load balancer says http (CloudFront's hop),
    # CloudFront says https; Django must believe CloudFront.
    page = Browser(web).request("GET", "/")
    assert page.status == 200, page.headers
    assert page.headers["strict-transport-security"].startswith("max-age=31536000")
    assert "secure" in page.headers.get("set-cookie", "").lower(), "cookies must be Secure"
    # Without CloudFront's header (a request that did not come through the
    # edge, or was HTTP at the edge) the app redirects to HTTPS.
    redirect = Browser(web).request("GET", "/", headers={"CloudFront-Forwarded-Proto": "http"})
    assert redirect.status == 301 and redirect.headers["location"] == f"https://{SITE}/"
    bare = Browser(web, edge=False).request("GET", "/")
    assert bare.status == 301


def test_plain_http_opt_out_serves_http(released: Deployment) -> None:
    port = serve(released, "web-plain-http", plain_http_env(released))
    assert Browser(port, host=TASK_IP, edge=False).request("GET", "/healthz").status == 200
    page = Browser(port, edge=False).request("GET", "/", headers={"X-Forwarded-Proto": "http"})
    assert page.status == 200 and "strict-transport-security" not in page.headers


def test_no_secret_reaches_a_log(released: Deployment, web: int) -> None:
    for log in released.logs.glob("*.log"):
        text = log.read_text(errors="replace")
        for secret in released.secrets:
            assert secret not in text, f"a secret value appears in {log.name}"
