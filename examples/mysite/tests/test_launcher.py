"""The settings helper's launcher: python -m djangocdk_settings exec COMMAND."""

from __future__ import annotations

import json
import os
import ssl
import subprocess
import sys
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, quote, unquote, urlsplit

import kombu
import pytest
import redis
from kombu.utils.url import url_to_parts
from redis.connection import SSLConnection, parse_url

import djangocdk_settings as helper

from .test_djangocdk_settings import KEY, TOKEN, cloud_env

PROJECT = Path(helper.__file__).parent
PASSWORD = "p@ss:w/rd%20?#x"  # every character that means something in a URL
Q_TOKEN = quote(TOKEN, safe="")
DUMP = f"import json, os; print(json.dumps({{k: os.environ.get(k) for k in {[*helper.DERIVED, 'TASK_BROKER_URL']}}}))"


def launch(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "djangocdk_settings", *args],
        cwd=PROJECT,
        env={**env, "PATH": os.environ["PATH"]},
        capture_output=True,
        text=True,
        timeout=60,
    )


def dumped(env: dict[str, str]) -> dict[str, Any]:
    """The environment the exec'd command sees."""
    result = launch("exec", sys.executable, "-c", DUMP, env=env)
    assert result.returncode == 0, result.stderr
    return dict(json.loads(result.stdout))


def derived(**changes: str | None) -> dict[str, str]:
    values, problems = helper.derived_environ(cloud_env(**changes))
    assert problems == []
    return values


# --- what the command sees --------------------------------------------------------


def test_every_derived_variable_reaches_the_command() -> None:
    seen = dumped(cloud_env(DATABASE_PASSWORD=PASSWORD))
    assert seen == {
        "DATABASE_URL": f"postgres://django:{quote(PASSWORD, safe='')}@db.internal:5432/mysite?sslmode=require",
        "POSTGRES_HOST": "db.internal",
        "POSTGRES_PORT": "5432",
        "POSTGRES_DB": "mysite",
        "POSTGRES_USER": "django",
        "POSTGRES_PASSWORD": PASSWORD,
        "REDIS_URL": f"rediss://:{Q_TOKEN}@cache.internal:6379/0?ssl_cert_reqs=required",
        "CACHE_URL": f"rediss://:{Q_TOKEN}@cache.internal:6379/0?ssl_cert_reqs=required",
        "CELERY_BROKER_URL": f"rediss://:{Q_TOKEN}@cache.internal:6379/1?ssl_cert_reqs=required",
        "BROKER_URL": f"rediss://:{Q_TOKEN}@cache.internal:6379/1?ssl_cert_reqs=required",
        "TASK_BROKER_URL": "rediss://cache.internal:6379/1",  # the part stays as it was
    }


def test_a_developer_machine_only_execs() -> None:
    env = cloud_env(DJANGO_SECRET_KEY=None)
    seen = dumped(env)
    assert seen["REDIS_URL"] == env["REDIS_URL"]
    assert {name for name, value in seen.items() if value} == {"REDIS_URL", "TASK_BROKER_URL"}


def test_the_command_keeps_the_launchers_pid() -> None:
    process = subprocess.Popen(
        [sys.executable, "-m", "djangocdk_settings", "exec", "sh", "-c", "echo $$"],
        cwd=PROJECT,
        env={**cloud_env(), "PATH": os.environ["PATH"]},
        stdout=subprocess.PIPE,
        text=True,
    )
    out, _ = process.communicate(timeout=60)
    assert process.returncode == 0
    assert int(out) == process.pid


def test_sigterm_reaches_the_command() -> None:
    # os.write: the signal may arrive while print('ready') is still flushing.
    script = (
        "import os, signal, time\n"
        "signal.signal(signal.SIGTERM, lambda *_: (os.write(1, b'terminated\\n'), os._exit(0)))\n"
        "print('ready', flush=True)\n"
        "time.sleep(60)\n"
    )
    process = subprocess.Popen(
        [sys.executable, "-m", "djangocdk_settings", "exec", sys.executable, "-c", script],
        cwd=PROJECT,
        env={**cloud_env(), "PATH": os.environ["PATH"]},
        stdout=subprocess.PIPE,
        text=True,
    )
    assert process.stdout is not None
    assert process.stdout.readline() == "ready\n"
    process.terminate()
    out, _ = process.communicate(timeout=60)
    assert out == "terminated\n" and process.returncode == 0


def test_the_launcher_imports_neither_django_nor_boto3() -> None:
    code = "import sys, djangocdk_settings; print([m for m in ('django', 'storages', 'boto3') if m in sys.modules])"
    result = subprocess.run([sys.executable, "-c", code], cwd=PROJECT, capture_output=True, text=True, timeout=60)
    assert result.stdout.strip() == "[]", result.stderr


# --- what readers of the URLs get back ------------------------------------------------


def test_database_url_gives_the_parts_back() -> None:
    url = urlsplit(derived(DATABASE_PASSWORD=PASSWORD, DATABASE_USER="dj@ngo:x")["DATABASE_URL"])
    assert url.scheme == "postgres"
    assert unquote(url.username or "") == "dj@ngo:x" and unquote(url.password or "") == PASSWORD
    assert (url.hostname, url.port, unquote(url.path[1:])) == ("db.internal", 5432, "mysite")
    assert parse_qs(url.query) == {"sslmode": ["require"]}


def test_database_url_carries_the_sslmode_knob() -> None:
    assert derived(DATABASE_SSLMODE="disable")["DATABASE_URL"].endswith("/mysite?sslmode=disable")


def test_celery_accepts_the_broker_url() -> None:
    url = derived()["CELERY_BROKER_URL"]
    parts = url_to_parts(url)
    assert (parts.scheme, parts.hostname, parts.port, parts.password) == ("rediss", "cache.internal", 6379, TOKEN)
    assert parts.path == "1" and parts.query == {"ssl_cert_reqs": "required"}
    connection = kombu.Connection(url)  # no I/O until used
    assert connection.ssl == {"ssl_cert_reqs": ssl.CERT_REQUIRED}
    assert connection.virtual_host == "1" and connection.password == TOKEN


def test_redis_py_accepts_the_redis_url() -> None:
    values = derived()
    assert values["CACHE_URL"] == values["REDIS_URL"]
    kwargs = parse_url(values["REDIS_URL"])
    assert kwargs == {
        "ssl_cert_reqs": "required",
        "password": TOKEN,
        "host": "cache.internal",
        "port": 6379,
        "db": 0,
        "connection_class": SSLConnection,
    }
    pool = redis.Redis.from_url(values["REDIS_URL"]).connection_pool  # no I/O until used
    assert pool.connection_kwargs["ssl_cert_reqs"] == "required"


def test_configure_accepts_what_the_launcher_composed() -> None:
    env = cloud_env()
    composed = {**env, **derived()}
    assert helper.cloud_settings(composed) == helper.cloud_settings(env)


def test_composing_twice_changes_nothing() -> None:
    once = derived()
    twice, problems = helper.derived_environ({**cloud_env(), **once})
    assert problems == [] and twice == once


# --- variants -----------------------------------------------------------------------


def test_sqs_broker_without_cache() -> None:
    values = derived(REDIS_URL=None, REDIS_AUTH_TOKEN=None, TASK_BROKER_URL="sqs://", CELERY_SQS_QUEUE_URL="https://q")
    assert values["CELERY_BROKER_URL"] == "sqs://"
    assert "REDIS_URL" not in values and "CACHE_URL" not in values


def test_local_sandbox_without_tls_or_token() -> None:
    values = derived(
        REDIS_URL="redis://cache:6379",
        TASK_BROKER_URL="redis://cache:6379/1",
        REDIS_AUTH_TOKEN=None,
        DATABASE_SSLMODE="disable",
    )
    assert values["REDIS_URL"] == values["CACHE_URL"] == "redis://cache:6379/0"
    assert values["CELERY_BROKER_URL"] == "redis://cache:6379/1"
    assert values["DATABASE_URL"] == "postgres://django:pw@db.internal:5432/mysite?sslmode=disable"


def test_the_broker_keeps_its_own_options() -> None:
    values = derived(TASK_BROKER_URL="rediss://cache.internal:6379/3?socket_timeout=5")
    assert values["CELERY_BROKER_URL"] == (
        f"rediss://:{Q_TOKEN}@cache.internal:6379/3?socket_timeout=5&ssl_cert_reqs=required"
    )


def test_only_what_has_every_part_is_composed() -> None:
    values = derived(DATABASE_PASSWORD=None, REDIS_URL=None, REDIS_AUTH_TOKEN=None, TASK_BROKER_URL=None)
    assert values == {
        "POSTGRES_HOST": "db.internal",
        "POSTGRES_PORT": "5432",
        "POSTGRES_DB": "mysite",
        "POSTGRES_USER": "django",
    }


# --- failures -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("changes", "problem"),
    [
        ({"DATABASE_PORT": "54x2"}, "DATABASE_PORT is not a port number"),
        ({"DATABASE_SSLMODE": "tls"}, "DATABASE_SSLMODE is not allowed: use one of disable, allow, prefer"),
        ({"REDIS_URL": f"http://:{TOKEN}@cache.internal"}, "REDIS_URL must look like rediss://host:port"),
        ({"TASK_BROKER_URL": "amqp://guest:guest@mq"}, "TASK_BROKER_URL must look like rediss://host:port"),
        ({"REDIS_AUTH_TOKEN": None}, "REDIS_AUTH_TOKEN is not set (required with a rediss:// REDIS_URL)"),
    ],
)
def test_a_broken_part_is_named_without_its_value(changes: dict[str, str | None], problem: str) -> None:
    env = cloud_env(**changes)
    _, problems = helper.derived_environ(env)
    assert any(p.startswith(problem) for p in problems), problems
    for name, value in changes.items():
        assert not value or all(value not in p for p in problems)
        assert any(name in p for p in problems)


def test_a_broken_part_stops_the_container_with_status_78() -> None:
    env = cloud_env(DATABASE_PORT="5432/mysite", DATABASE_PASSWORD=PASSWORD, REDIS_URL=f"redis://:{TOKEN}@:x")
    result = launch("exec", sys.executable, "-c", "print('ran')", env=env)
    assert result.returncode == 78
    assert result.stdout == ""  # the command never ran
    assert "DATABASE_PORT is not a port number" in result.stderr
    assert "REDIS_URL must look like rediss://host:port" in result.stderr
    for secret in (PASSWORD, TOKEN, Q_TOKEN, KEY, "5432/mysite"):
        assert secret not in result.stderr


@pytest.mark.parametrize("args", [[], ["exec"], ["exec", "--"], ["run", "gunicorn"], ["gunicorn"]])
def test_usage_errors(args: list[str]) -> None:
    result = launch(*args, env=cloud_env())
    assert result.returncode == 2
    assert "usage: python -m djangocdk_settings exec COMMAND" in result.stderr


def test_help() -> None:
    result = launch("--help", env={})
    assert result.returncode == 0 and result.stdout.startswith("usage:")


def test_unknown_command() -> None:
    result = launch("exec", "no-such-command-djangocdk", env=cloud_env())
    assert result.returncode == 127
    assert "command not found: no-such-command-djangocdk" in result.stderr


def test_main_execs_the_command_with_the_composed_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    environ = cloud_env()
    monkeypatch.setattr(os, "environ", environ)
    calls: list[tuple[str, list[str]]] = []
    monkeypatch.setattr(os, "execvp", lambda file, args: calls.append((file, list(args))))
    helper.main(["exec", "--", "gunicorn", "mysite.wsgi:application", "--bind", "0.0.0.0:8000"])
    assert calls == [("gunicorn", ["gunicorn", "mysite.wsgi:application", "--bind", "0.0.0.0:8000"])]
    assert {name: environ[name] for name in derived()} == derived()
