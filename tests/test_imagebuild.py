"""The image emulator (tests/imagebuild.py): projects built and run as their image would be.

No Docker engine runs here: the Dockerfile's instructions are carried out in a
bubblewrap sandbox, the python base image stood in for by a virtualenv of the
host's Python (see the module's docstring for what is and is not emulated).
"""

from __future__ import annotations

import os
import socket
import stat
import subprocess
import time
import urllib.request
from pathlib import Path

import pytest
from conftest import ROOT
from imagebuild import (
    BWRAP,
    BuildError,
    Ignore,
    Image,
    build,
    expand,
    packages_installed,
    python_for,
    split_shell,
    versioned_path,
)
from localservices import free_port

MYSITE = ROOT / "examples" / "mysite"


@pytest.fixture(autouse=True)
def _bubblewrap() -> None:
    assert Path(BWRAP).exists(), "the image emulator needs bubblewrap (apt-get install bubblewrap)"


def write_tree(base: Path, files: dict[str, str]) -> Path:
    for name, text in files.items():
        path = base / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(text.encode())
    return base


def wait_for_http(url: str, process: subprocess.Popen[str], seconds: float = 30) -> bytes:
    deadline = time.monotonic() + seconds
    while True:
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                return bytes(response.read())
        except OSError:
            if process.poll() is not None or time.monotonic() > deadline:
                raise
            time.sleep(0.2)


def port_open(port: int) -> bool:
    with socket.socket() as s:
        return s.connect_ex(("127.0.0.1", port)) == 0


# ---------------------------------------------------------------------------
# Words, patterns and argv (no sandbox)
# ---------------------------------------------------------------------------


def test_expand_follows_dockerfile_substitution() -> None:
    variables = {"A": "x", "EMPTY": ""}
    assert expand("${A}-$A-${B:-dflt}-${EMPTY:-e}-${EMPTY-e}-${A:+set}-${B:+set}", variables) == "x-x-dflt-e--set-"
    assert expand("\"a b\" '$A' \\$A", variables) == "a b $A $A"
    assert expand("python:${V:-3.12}-slim", {}) == "python:3.12-slim"
    with pytest.raises(ValueError, match="B"):
        expand("${B:?needed}", variables)


def test_split_shell_keeps_quotes_and_compound_commands_whole() -> None:
    assert split_shell("apt-get update && apt-get install -y x; echo 'a && b' && rm -rf /v") == [
        ("", "apt-get update"),
        ("&&", "apt-get install -y x"),
        (";", "echo 'a && b'"),
        ("&&", "rm -rf /v"),
    ]
    assert split_shell("a $(b && c) && d") == [("", "a $(b && c)"), ("&&", "d")]
    script = "if true; then apt-get install -y x; fi"
    assert split_shell(script) == [("", script)]
    assert packages_installed("apt-get install -y --no-install-recommends -o A=b libpq-dev gettext".split()) == [
        "libpq-dev",
        "gettext",
    ]
    assert packages_installed(["apk", "add", "--no-cache", "libpq"]) == ["libpq"]


def test_dockerignore_patterns() -> None:
    ignore = Ignore(["# comment", "**/__pycache__", "*.env", "!keep.env", "tests", "/build/*.log"])
    assert ignore.excluded("a/b/__pycache__/m.pyc")
    assert ignore.excluded("secret.env") and not ignore.excluded("keep.env")
    assert ignore.excluded("tests/test_x.py") and not ignore.excluded("app/tests.py")
    assert ignore.excluded("build/x.log") and not ignore.excluded("build/sub/x.log")


def test_site_packages_paths_follow_the_python_used() -> None:
    site = "/usr/local/lib/python3.13/site-packages"
    assert versioned_path(site, "3.13", "3.11.7") == "/usr/local/lib/python3.11/site-packages"
    assert versioned_path(site, "3.13.1", "3.13.0") == site
    assert versioned_path("/app/python3.13", "3.13", "3.11.7") == "/app/python3.13"
    assert versioned_path(site, "3", "3.11.7") == site


def test_argv_composes_entrypoint_and_command_as_docker_does() -> None:
    image = Image(root=Path("/nonexistent"), entrypoint=["/entrypoint"], cmd=["/start"])
    assert image.argv(None, None) == ["/entrypoint", "/start"]
    assert image.argv(None, ["celery", "worker"]) == ["/entrypoint", "celery", "worker"]
    # An ECS entryPoint replaces the image's and drops its CMD; a string is shell form.
    assert image.argv(["python"], None) == ["python"]
    assert image.argv(["python"], ["-V"]) == ["python", "-V"]
    assert image.argv("exec gunicorn", None) == ["/bin/sh", "-c", "exec gunicorn"]
    assert Image(root=Path("/"), cmd=["python3"]).argv(None, "echo hi") == ["/bin/sh", "-c", "echo hi"]
    with pytest.raises(ValueError):
        Image(root=Path("/")).argv(None, None)


# ---------------------------------------------------------------------------
# A Dockerfile on a non-python base (the host's system): instruction semantics
# ---------------------------------------------------------------------------

SEMANTICS_DOCKERFILE = """\
ARG BASE=debian:bookworm-slim
FROM ${BASE} AS base
ARG GREETING=hello
ENV APP_HOME=/srv/app \\
    MESSAGE="${GREETING:-hi} world"
WORKDIR ${APP_HOME}
COPY --chmod=755 scripts/*.sh ./bin/
COPY . .
RUN apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends libpq5 \\
 && echo "built $MESSAGE" > built.txt
RUN <<EOF
set -e
echo "from heredoc: $GREETING" > heredoc.txt
if ! id app; then useradd app; fi
EOF
EXPOSE 8000/tcp
CMD ["./bin/start.sh"]

FROM base AS final
COPY --from=base /srv/app/built.txt /copied/
USER app
ENTRYPOINT ["./bin/entry.sh"]
"""


@pytest.fixture(scope="module")
def semantics_context(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_tree(
        tmp_path_factory.mktemp("semantics"),
        {
            "Dockerfile": SEMANTICS_DOCKERFILE,
            ".dockerignore": "*.env\n!keep.env\nDockerfile\n",
            "secret.env": "PASSWORD=x\n",
            "keep.env": "KEPT=1\n",
            "scripts/entry.sh": '#!/bin/sh\necho "entry: $MESSAGE"\nexec "$@"\n',
            "scripts/start.sh": "#!/bin/sh\necho started\n",
        },
    )


def test_instructions_args_env_copy_and_inheritance(semantics_context: Path, tmp_path: Path) -> None:
    image = build(semantics_context, semantics_context / "Dockerfile", tmp_path, build_args={"GREETING": "howdy"})
    app = image.root / "srv" / "app"

    assert image.env["MESSAGE"] == "howdy world" and image.workdir == "/srv/app"
    assert (app / "built.txt").read_text() == "built howdy world\n"
    assert (app / "heredoc.txt").read_text() == "from heredoc: howdy\n"
    assert (image.root / "copied" / "built.txt").exists()
    assert (app / "keep.env").exists() and not (app / "secret.env").exists() and not (app / "Dockerfile").exists()
    assert stat.S_IMODE((app / "bin" / "entry.sh").stat().st_mode) == 0o755
    # ENTRYPOINT in the child stage drops the CMD inherited from its base.
    assert image.entrypoint == ["./bin/entry.sh"] and image.cmd is None
    assert image.user == "app" and image.expose == ["8000/tcp"] and image.python_requested is None
    assert image.os_packages == ["libpq5"]
    skipped = [text for _, text in image.skipped]
    assert "apt-get update" in skipped and "useradd app" in skipped
    assert (2, "FROM debian:bookworm-slim: not emulated, the host's system stands in") in image.skipped

    result = image.run(image.argv(None, ["sh", "-c", "echo $MESSAGE from $(pwd) as $HOME"]))
    assert result.returncode == 0, result.stderr
    assert result.stdout == "entry: howdy world\nhowdy world from /srv/app as /root\n"

    base = build(semantics_context, semantics_context / "Dockerfile", tmp_path / "t", target="base")
    assert base.cmd == ["./bin/start.sh"] and base.entrypoint is None and base.env["MESSAGE"] == "hello world"
    assert base.run(base.argv(None, None)).stdout == "started\n"


def test_processes_stop_with_their_command(semantics_context: Path, tmp_path: Path) -> None:
    image = build(semantics_context, semantics_context / "Dockerfile", tmp_path, target="base")
    # A background process the command leaves behind dies with the sandbox.
    started = time.monotonic()
    result = image.run(["sh", "-c", "sleep 300 & echo left"], timeout=20)
    assert result.stdout == "left\n" and time.monotonic() - started < 10
    # terminate() reaches a shell without a SIGTERM handler; kill() ends the whole sandbox.
    for stop in ("terminate", "kill"):
        process = image.popen(["sh", "-c", "echo ready; sleep 300"], stdout=subprocess.PIPE)
        assert process.stdout is not None and process.stdout.readline() == "ready\n"
        started = time.monotonic()
        getattr(process, stop)()
        process.wait(timeout=5)
        assert time.monotonic() - started < 5


def test_failing_run_reports_its_dockerfile_line(tmp_path: Path) -> None:
    dockerfile = "FROM debian:bookworm-slim\nRUN echo fine\nRUN echo boom-output \\\n && exit 3\nRUN echo never\n"
    context = write_tree(tmp_path / "ctx", {"Dockerfile": dockerfile})
    with pytest.raises(BuildError) as caught:
        build(context, context / "Dockerfile", tmp_path / "work")
    message = str(caught.value)
    assert caught.value.line == 3
    assert message.startswith("Dockerfile:3: RUN echo boom-output")
    assert "exited with status 3" in message and "boom-output" in caught.value.output


# ---------------------------------------------------------------------------
# The sample project's image
# ---------------------------------------------------------------------------


@pytest.fixture(scope="module")
def mysite_image(tmp_path_factory: pytest.TempPathFactory) -> Image:
    return build(MYSITE, MYSITE / "Dockerfile", tmp_path_factory.mktemp("mysite-image"))


def test_mysite_runtime_image(mysite_image: Image) -> None:
    image = mysite_image
    assert image.stage == "runtime"
    # The requested CPython when one is installed beside the host's (pyenv), else the host's.
    _, expected = python_for("3.13")
    assert image.python_requested == "3.13" and image.python_used == expected
    assert image.workdir == "/app" and image.user == "app" and image.expose == ["8000"]
    assert image.cmd == [
        "gunicorn",
        "mysite.wsgi:application",
        "--bind",
        "0.0.0.0:8000",
        "--workers",
        "2",
        "--access-logfile",
        "-",
    ]
    assert image.entrypoint is None
    assert image.healthcheck is not None and "/healthz" in image.healthcheck[-1]
    assert image.env["PYTHONUNBUFFERED"] == "1"
    assert (19, "apt-get install -y --no-install-recommends build-essential") in image.skipped
    assert (35, "useradd --system --uid 10001 --home-dir /app --shell /usr/sbin/nologin app") in image.skipped
    assert image.os_packages == [], "build-essential is the build stage's, not the runtime's"
    # .dockerignore and `rm -rf /wheels` did their work.
    assert (image.root / "app" / "manage.py").exists()
    assert not (image.root / "app" / "db.sqlite3").exists() and not (image.root / "app" / "tests").exists()
    assert not (image.root / "wheels").exists()

    gunicorn = image.run(["gunicorn", "--version"])
    assert gunicorn.returncode == 0 and "gunicorn (version 27.0.1)" in gunicorn.stdout
    django = image.run(["python", "-c", "import django, sys; print(django.get_version(), sys.prefix)"])
    assert django.stdout == "5.2.19 /usr/local\n", django.stderr


def test_server_in_the_image_answers_on_loopback_and_stops(mysite_image: Image) -> None:
    port = free_port()
    command = ["gunicorn", "mysite.wsgi:application", "--bind", f"0.0.0.0:{port}", "--workers", "1"]
    process = mysite_image.popen(mysite_image.argv(None, command), env={}, stdout=subprocess.DEVNULL)
    try:
        assert wait_for_http(f"http://127.0.0.1:{port}/healthz", process) == b"ok"
        started = time.monotonic()
        process.terminate()
        assert process.wait(timeout=10) == 0, "gunicorn shuts down cleanly on SIGTERM"
        assert time.monotonic() - started < 5
        assert not port_open(port)
    finally:
        process.kill()


# ---------------------------------------------------------------------------
# A cookiecutter-django-shaped Dockerfile
# ---------------------------------------------------------------------------

COOKIECUTTER_DOCKERFILE = """\
ARG PYTHON_VERSION=3.12-slim-bookworm

# define an alias for the specific python version used in this file.
FROM docker.io/python:${PYTHON_VERSION} AS python

# Python build stage
FROM python AS python-build-stage
ARG BUILD_ENVIRONMENT=production
RUN apt-get update && apt-get install --no-install-recommends -y \\
  # dependencies for building Python packages
  build-essential \\
  # psycopg dependencies
  libpq-dev
COPY ./requirements .
RUN pip wheel --wheel-dir /usr/src/app/wheels  \\
  -r ${BUILD_ENVIRONMENT}.txt

# Python 'run' stage
FROM python AS python-run-stage
ARG BUILD_ENVIRONMENT=production
ARG APP_HOME=/app
ENV PYTHONUNBUFFERED=1
ENV PYTHONDONTWRITEBYTECODE=1
ENV BUILD_ENV=${BUILD_ENVIRONMENT}
WORKDIR ${APP_HOME}
RUN groupadd --system django \\
  && useradd --system --gid django --home-dir ${APP_HOME} django
RUN apt-get update && apt-get install --no-install-recommends -y \\
  libpq-dev \\
  gettext \\
  && apt-get purge -y --auto-remove -o APT::AutoRemove::RecommendsImportance=false \\
  && rm -rf /var/lib/apt/lists/*
COPY --from=python-build-stage /usr/src/app/wheels  /wheels/
RUN pip install --no-cache-dir --no-index --find-links=/wheels/ /wheels/* \\
  && rm -rf /wheels/
COPY --chown=django:django ./compose/production/django/entrypoint /entrypoint
RUN sed -i 's/\\r$//g' /entrypoint && chmod +x /entrypoint
COPY --chown=django:django . ${APP_HOME}
RUN chown django:django ${APP_HOME}
USER django
ENTRYPOINT ["/entrypoint"]
"""

COOKIECUTTER_ENTRYPOINT = "\r\n".join(
    [
        "#!/bin/bash",
        "set -o errexit",
        "set -o pipefail",
        "set -o nounset",
        'echo "entrypoint: BUILD_ENV=${BUILD_ENV} GREETING=${GREETING:-none}"',
        'exec "$@"',
        "",
    ]
)


@pytest.fixture(scope="module")
def cookiecutter_image(tmp_path_factory: pytest.TempPathFactory) -> Image:
    context = write_tree(
        tmp_path_factory.mktemp("cookiecutter"),
        {
            "compose/production/django/Dockerfile": COOKIECUTTER_DOCKERFILE,
            "compose/production/django/entrypoint": COOKIECUTTER_ENTRYPOINT,
            "requirements/production.txt": "six==1.17.0\n",
            "manage.py": "print('manage')\n",
        },
    )
    return build(context, context / "compose/production/django/Dockerfile", tmp_path_factory.mktemp("cc-work"))


def test_cookiecutter_image_runs_commands_through_its_entrypoint(cookiecutter_image: Image) -> None:
    image = cookiecutter_image
    assert image.python_requested == "3.12"
    assert image.entrypoint == ["/entrypoint"] and image.cmd is None, "ENTRYPOINT resets the base image's CMD"
    assert image.workdir == "/app" and image.user == "django" and image.env["BUILD_ENV"] == "production"
    assert image.os_packages == ["libpq-dev", "gettext"]
    skipped = [text for _, text in image.skipped]
    assert "groupadd --system django" in skipped and "chown django:django ${APP_HOME}" in skipped
    entrypoint = image.root / "entrypoint"
    assert b"\r" not in entrypoint.read_bytes() and os.access(entrypoint, os.X_OK)
    assert not (image.root / "wheels").exists() and (image.root / "app" / "manage.py").exists()

    result = image.run(image.argv(None, ["python", "-c", "import six; print('ok', six.__version__)"]))
    assert result.returncode == 0, result.stderr
    assert result.stdout == "entrypoint: BUILD_ENV=production GREETING=none\nok 1.17.0\n"

    # The caller's environment overlays the image's.
    result = image.run(image.argv(None, ["true"]), env={"BUILD_ENV": "staging", "GREETING": "hi"})
    assert result.stdout == "entrypoint: BUILD_ENV=staging GREETING=hi\n"
