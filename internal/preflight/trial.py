"""djangocdk preflight trial: boot a Django project as a deployed task would.

``djangocdk check`` runs this file with the project's own Python, in the
directory holding manage.py, with the environment a deployed web task gets
(stand-ins for values only the cloud knows: no database or cache is needed).
Its one argument is a JSON object: health_path, task_ip, budget (seconds),
app (the module:attribute the web command serves, or ""), launcher (run
through ``python -m djangocdk_settings exec`` first) and, in the process the
launcher starts, out_fd and deadline (epoch seconds).

It writes one JSON document to stdout -- {"problems": [...], "warnings": [...],
"notes": [...]}, or {"fatal": "..."} when it cannot run at all -- and nothing
else: whatever the project prints goes to stderr. Steps: import, configure,
check, health, static; one failing does not hide the next where possible.

Standard library and Django only; Python 3.10+.
"""

# Catching whatever the project's code raises is this file's job.
# ruff: noqa: BLE001

from __future__ import annotations

import io
import json
import os
import re
import sys
import tempfile
import threading
import time
import traceback
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager
from typing import Any

HELPER = "djangocdk_settings"
ENV_NAME = re.compile(r"^[A-Z][A-Z0-9_]*$")
# How libraries say "this environment variable is missing".
MISSING_VARIABLE = (
    re.compile(r"Set the ([A-Z][A-Z0-9_]*) environment variable"),  # django-environ
    re.compile(r"^([A-Z][A-Z0-9_]*) not found\. Declare it as envvar"),  # python-decouple
)
HELPER_PROBLEM = re.compile(r"^\s*- ([A-Z][A-Z0-9_]*)\b", re.MULTILINE)
TRIAL_FILE = os.path.realpath(__file__)
HEALTH_HINT = (
    "a load balancer health check must answer 200 without the database or cache (if one is slow, "
    "every task is marked unhealthy and replaced): return 200 without queries, or remove the route "
    "and let djangocdk_settings' HealthCheckMiddleware answer it"
)


class Trial:
    """Collects findings and writes the report exactly once."""

    def __init__(self, config: dict[str, Any], out_fd: int) -> None:
        self.config = config
        self.out_fd = out_fd
        self.root = os.path.realpath(os.getcwd())
        self.budget = float(config.get("budget") or 55)
        config.setdefault("deadline", time.time() + self.budget)
        self.deadline = float(config["deadline"])
        self.step = "import"
        self.report: dict[str, Any] = {"problems": [], "warnings": [], "notes": []}
        self.lock = threading.RLock()
        self.done = False

    # -- findings -----------------------------------------------------------

    def problem(self, message: str, **fields: Any) -> None:
        self._add("problems", message, fields)

    def warning(self, message: str, **fields: Any) -> None:
        self._add("warnings", message, fields)

    def note(self, message: str) -> None:
        with self.lock:
            if not self.done:
                self.report["notes"].append(message)

    def _add(self, kind: str, message: str, fields: dict[str, Any]) -> None:
        finding = {"step": fields.pop("step", self.step), "message": message}
        finding.update({k: v for k, v in fields.items() if v})
        with self.lock:
            if not self.done:
                self.report[kind].append(finding)

    def fatal(self, message: str) -> None:
        with self.lock:
            self.report = {"fatal": message}
        self.finish()

    def finish(self) -> None:
        with self.lock:
            if self.done:
                return
            self.done = True
            data = json.dumps(self.report, ensure_ascii=False, default=str)
            with os.fdopen(self.out_fd, "w", encoding="utf-8") as out:
                out.write(data)

    # -- where in the project -----------------------------------------------

    def relative(self, path: str) -> str:
        real = os.path.realpath(path)
        return os.path.relpath(real, self.root) if real.startswith(self.root + os.sep) else ""

    def project_frame(self, frames: list[traceback.FrameSummary]) -> tuple[str, int]:
        """The innermost frame in the project's own code (not its packages, not the helper)."""
        for frame in reversed(frames):
            if not frame.filename or frame.filename.startswith("<") or os.path.realpath(frame.filename) == TRIAL_FILE:
                continue
            rel = self.relative(frame.filename)
            parts = rel.split(os.sep)
            if rel and not {"site-packages", "dist-packages"} & set(parts) and parts[-1] != HELPER + ".py":
                return rel, frame.lineno or 0
        return "", 0

    def located(self, exc: BaseException) -> dict[str, Any]:
        if isinstance(exc, SyntaxError) and exc.filename and self.relative(exc.filename):
            return {"file": self.relative(exc.filename), "line": exc.lineno or 0}
        file, line = self.project_frame(traceback.extract_tb(exc.__traceback__))
        return {"file": file, "line": line}

    # -- the watchdog ---------------------------------------------------------

    def watch(self) -> None:
        """Report where the main thread is stuck when the deadline passes, then exit."""
        main = threading.main_thread().ident
        while not self.done:
            time.sleep(0.05)
            if time.time() < self.deadline:
                continue
            frame = sys._current_frames().get(main or 0)
            file, line = self.project_frame(traceback.extract_stack(frame)) if frame else ("", 0)
            seconds = round(self.budget)
            if self.step == "static":
                self.note(f"static: collectstatic did not finish within the check's {seconds} s; not verified")
            else:
                self.problem(
                    f"the {self.step} step did not finish within {seconds} s",
                    hint="something blocks at start-up (a network call to a service that is not there?); "
                    "the check has no database, cache or other cloud service",
                    file=file,
                    line=line,
                )
            self.finish()
            os._exit(0)


def exception_text(exc: BaseException) -> str:
    text = str(exc).strip()
    return f"{type(exc).__name__}: {text}" if text else type(exc).__name__


def missing_variable(exc: BaseException) -> str:
    """The environment variable an exception says is missing, or ""."""
    if isinstance(exc, KeyError) and len(exc.args) == 1 and isinstance(exc.args[0], str):
        frames = traceback.extract_tb(exc.__traceback__)
        inner = frames[-1] if frames else None
        in_os = inner and inner.filename in ("<frozen os>", os.__file__)
        if in_os and ENV_NAME.match(exc.args[0]):
            return exc.args[0]
    for pattern in MISSING_VARIABLE:
        match = pattern.search(str(exc))
        if match:
            return match.group(1)
    return ""


# -- step 1: import -------------------------------------------------------------


def step_import(trial: Trial) -> bool:
    module = os.environ.get("DJANGO_SETTINGS_MODULE", "")
    if not module:
        trial.problem("DJANGO_SETTINGS_MODULE is not set", variable="DJANGO_SETTINGS_MODULE")
        return False
    import django

    try:
        django.setup()
    except (Exception, SystemExit) as exc:
        where = trial.located(exc)
        variable = missing_variable(exc)
        if variable:
            trial.problem(
                f"the project reads the environment variable {variable}, which the deployment does not set "
                f"({exception_text(exc)})",
                variable=variable,
                **where,
            )
            return False
        message = str(exc)
        if message.startswith(HELPER + ":"):
            named = HELPER_PROBLEM.search(message)
            hint = (
                "the deployment's values come from the synthesized template: run djangocdk validate; "
                "if the configuration is valid, this is a djangocdk bug"
            )
            trial.problem(message, variable=named.group(1) if named else "", hint=hint, **where)
            return False
        hint = ""
        if isinstance(exc, ModuleNotFoundError):
            hint = (
                f"if the image installs {exc.name}, install the project's dependencies into the Python the check "
                "runs (--python PATH); otherwise add it to the project's dependencies"
            )
        elif type(exc).__name__ in ("OperationalError", "InterfaceError"):
            hint = "code ran a database query while starting: there is no database during the check, and in the "
            hint += "release task the tables may not exist yet; move the query into a view or a task"
        trial.problem(f"importing the settings and apps ({module}) failed: {exception_text(exc)}", hint=hint, **where)
        return False
    return True


def step_application(trial: Trial) -> None:
    """Load the application the web command serves (gunicorn's module:attribute)."""
    import importlib

    spec = trial.config.get("app") or ""
    if not spec:
        return
    module, _, attribute = spec.partition(":")
    try:
        target: Any = importlib.import_module(module)
        for name in attribute.removesuffix("()").split("."):
            target = getattr(target, name)
    except (Exception, SystemExit) as exc:
        variable = missing_variable(exc)
        trial.problem(
            f"the web command's application {spec} cannot be loaded: {exception_text(exc)}",
            hint="" if variable else "fix the module:attribute in the web command ([tool.djangocdk.web] command)",
            variable=variable,
            **trial.located(exc),
        )


# -- step 2: configure -------------------------------------------------------------


def step_configure(trial: Trial) -> None:
    from django.conf import settings

    module = sys.modules.get(settings.SETTINGS_MODULE)
    settings_file = trial.relative(getattr(module, "__file__", "") or "")
    helper = sys.modules.get(HELPER)
    if helper is None:
        trial.problem(
            "the settings module does not call djangocdk_settings.configure(globals())",
            hint="add these two lines at the end of the settings module: "
            "import djangocdk_settings; djangocdk_settings.configure(globals())",
            file=settings_file,
        )
    elif settings.SECRET_KEY != os.environ.get("DJANGO_SECRET_KEY"):
        trial.problem(
            "djangocdk_settings.configure(globals()) did not take effect: SECRET_KEY is not DJANGO_SECRET_KEY",
            hint="call it at the end of the settings module, and do not reassign the settings it sets after it",
            file=settings_file,
        )
    for line in getattr(helper, "REPORT", None) or []:
        trial.note(f"{HELPER}: {line}")


# -- no database --------------------------------------------------------------------


class NoDatabase:
    """Makes every database access fail at once, recording the SQL."""

    def __init__(self) -> None:
        from django.db import OperationalError

        class NoDatabaseError(OperationalError):
            pass

        self.error = NoDatabaseError
        self.queries: list[str] = []

    def refuse(self, execute: Callable[..., Any], sql: str, params: Any, many: bool, context: dict[str, Any]) -> Any:
        self.queries.append(" ".join(str(sql).split()))
        raise self.error("djangocdk check: there is no database during the check")

    @contextmanager
    def installed(self) -> Iterator[None]:
        from django.db import connections

        with ExitStack() as stack:
            for alias in connections:
                stack.enter_context(self._guard(connections[alias]))
            yield

    @contextmanager
    def _guard(self, conn: Any) -> Iterator[None]:
        def ensure_connection() -> None:
            self.queries.append(f"(a connection to the {conn.alias!r} database)")
            raise self.error("djangocdk check: there is no database during the check")

        def cursor(name: str | None = None) -> Any:
            # A cursor that never connects: execute_wrapper sees the SQL first.
            return conn._prepare_cursor(_UnconnectedCursor())

        conn.ensure_connection = ensure_connection
        conn._cursor = cursor
        try:
            with conn.execute_wrapper(self.refuse):
                yield
        finally:
            del conn.ensure_connection, conn._cursor


class _UnconnectedCursor:
    def close(self) -> None:
        pass


# -- step 3: check --------------------------------------------------------------------


def step_check(trial: Trial, db: NoDatabase) -> None:
    from django.core.checks import ERROR, WARNING
    from django.core.checks.registry import registry
    from django.db.models.base import ModelBase

    for check in registry.get_checks(include_deployment_checks=True):
        name = f"{getattr(check, '__module__', '?')}.{getattr(check, '__qualname__', check)}"
        try:
            messages = list(check(app_configs=None, databases=None))
        except db.error:
            trial.warning(f"the system check {name} needs the database; not run")
            continue
        except Exception as exc:
            trial.problem(f"the system check {name} raised {exception_text(exc)}", **trial.located(exc))
            continue
        for msg in messages:
            if msg.level < WARNING or msg.is_silenced():
                continue
            obj = msg.obj._meta.label if isinstance(msg.obj, ModelBase) else ("" if msg.obj is None else str(msg.obj))
            text = f"{obj}: {msg.msg}" if obj else str(msg.msg)
            fields = {"id": msg.id or "", "hint": msg.hint or ""}
            if msg.level >= ERROR:
                trial.problem(text, **fields)
            else:
                trial.warning(text, **fields)


# -- step 4: health -------------------------------------------------------------------


def public_host() -> str:
    hosts = [h.strip() for h in os.environ.get("DJANGO_ALLOWED_HOSTS", "").split(",") if h.strip()]
    if not hosts:
        return ""
    host = hosts[0].lstrip(".")
    return "preflight.example.com" if host == "*" else host


def scheme_header() -> str:
    """The header that carries the visitor's scheme in the deployment."""
    return os.environ.get("DJANGO_FORWARDED_PROTO_HEADER") or "X-Forwarded-Proto"


def meta_name(header: str) -> str:
    """A request header's name in Django's request.META."""
    return "HTTP_" + header.upper().replace("-", "_")


def edge_request(host: str) -> dict[str, str]:
    """The request.META headers of a visitor's HTTPS request as it reaches the app through the edge.

    Behind CloudFront the load balancer only sees CloudFront's plain-HTTP hop
    and says so in X-Forwarded-Proto; CloudFront's own header says https.
    """
    header = scheme_header()
    headers = {"HTTP_HOST": host, meta_name(header): "https"}
    if header.lower() != "x-forwarded-proto":
        headers["HTTP_X_FORWARDED_PROTO"] = "http"
    return headers


def step_health(trial: Trial, db: NoDatabase) -> None:
    from django.test import Client

    path = trial.config.get("health_path") or os.environ.get("DJANGO_HEALTH_CHECK_PATH") or ""
    if not path:
        trial.note("health: no health check path; not requested")
        return
    task_ip = trial.config.get("task_ip") or "10.0.1.23"
    requests = [
        (
            f"the load balancer's health check (Host: {task_ip}, plain HTTP)",
            {"HTTP_HOST": task_ip, "HTTP_USER_AGENT": "ELB-HealthChecker/2.0"},
            False,
        )
    ]
    host = public_host()
    if host:
        header = scheme_header()
        label = f"a visitor's HTTPS request (Host: {host}, {header}: https"
        if header.lower() != "x-forwarded-proto":
            label += ", X-Forwarded-Proto: http from the load balancer"
        requests.append((label + ")", edge_request(host), True))
    client = Client(raise_request_exception=False)
    seen: set[str] = set()
    answered = []
    for label, headers, public in requests:
        db.queries.clear()
        try:
            response = client.get(path, **headers)
        except Exception as exc:  # raised outside the handler (a middleware's __init__, the URLconf...)
            judged = ("exception", f"{path} failed for {label}: {exception_text(exc)}", "", trial.located(exc))
        else:
            judged = judge(trial, path, label, headers["HTTP_HOST"], public, response, db.queries)
        if judged is None:
            answered.append(label)
        elif judged[0] not in seen:
            seen.add(judged[0])
            kind, message, hint, fields = judged
            trial.problem(message, hint=hint, **fields)
    if answered:
        trial.note(f"health: {path} answered 200 to " + " and to ".join(answered))
    if host:
        probe_scheme(trial, client, host)


# A path no project routes: the HTTPS redirect happens before URL resolution,
# and the health path is exempt from it, so only a page like this one shows
# whether Django believes the edge's scheme header.
SCHEME_PROBE = "/djangocdk-scheme-probe/"


def probe_scheme(trial: Trial, client: Any, host: str) -> None:
    """Every page but the health path would redirect in a loop if Django ignored the edge's scheme header."""
    header = scheme_header()
    try:
        response = client.get(SCHEME_PROBE, **edge_request(host))
    except Exception:  # a page error is not a scheme problem; the health request reports errors
        return
    location = response.get("Location", "") if response.status_code in (301, 302, 307, 308) else ""
    if location.startswith("https://"):
        setting = f'("{meta_name(header)}", "https")'
        trial.problem(
            f"an HTTPS request through the edge ({header}: https) is redirected to {location}: "
            "every page but the health path would redirect in a loop",
            hint=f"SECURE_PROXY_SSL_HEADER must be {setting}; an older djangocdk_settings.py ignores "
            "DJANGO_FORWARDED_PROTO_HEADER: copy the current one (djangocdk init writes it) and keep "
            "djangocdk_settings.configure(globals()) last in the settings",
        )


def judge(
    trial: Trial, path: str, label: str, host: str, public: bool, response: Any, queries: list[str]
) -> tuple[str, str, str, dict[str, Any]] | None:
    """What is wrong with one health response: (kind, message, hint, fields), or None."""
    from django.conf import settings
    from django.http.request import validate_host

    status = response.status_code
    exc_info = getattr(response, "exc_info", None)
    if queries:
        fields = trial.located(exc_info[1]) if exc_info else {}
        return "database", f"the health path {path} queried the database: {queries[0]}", HEALTH_HINT, fields
    if exc_info:
        exc = exc_info[1]
        return "exception", f"the health path {path} failed ({status}): {exception_text(exc)}", "", trial.located(exc)
    if status == 200:
        return None
    if status == 400 and not validate_host(host, settings.ALLOWED_HOSTS):
        if public:
            message = f"ALLOWED_HOSTS lacks {host}, the site's host: {label} gets 400 Bad Request"
            return "host", message, "do not reassign ALLOWED_HOSTS after djangocdk_settings.configure(globals())", {}
        message = f"ALLOWED_HOSTS lacks the task's private IP: {label} gets 400 Bad Request"
        hint = (
            "call djangocdk_settings.configure(globals()) at the end of the settings and do not reassign "
            "ALLOWED_HOSTS after it: it adds the task's IP, read from ECS_CONTAINER_METADATA_URI_V4"
        )
        return "host", message, hint, {}
    if status in (301, 302, 303, 307, 308):
        location = response.get("Location", "")
        if location.startswith("https://") and public:
            message = (
                f"{path} redirects to {location} although the proxy says the request is HTTPS: "
                "every page would redirect in a loop"
            )
            setting = f'("{meta_name(scheme_header())}", "https")'
            hint = f"SECURE_PROXY_SSL_HEADER must be {setting}, as djangocdk_settings sets it"
            return "redirect", message, hint, {}
        if location.startswith("https://"):
            message = f"the HTTPS redirect is not exempt for the health path: {label} is redirected to {location}"
            hint = (
                "keep SECURE_REDIRECT_EXEMPT as djangocdk_settings sets it (do not reassign it after configure), "
                "or exempt the health path from the project's own HTTPS redirect"
            )
            return "redirect", message, hint, {}
        if location.rstrip("/").endswith(path.rstrip("/")) and location.endswith("/") and not path.endswith("/"):
            message = f"the health path {path} redirects to {location} (APPEND_SLASH)"
            hint = f'set health_check_path = "{path}/" in [tool.djangocdk.web], or route {path} without the slash'
            return "redirect", message, hint, {}
        message = f"the health path {path} redirects ({status}) to {location}"
        return "redirect", message, "a load balancer health check does not follow redirects: it needs 200", {}
    if status == 404:
        message = f"the health path {path} is not routed: 404 Not Found"
        hint = (
            f"add a view answering 200 at {path}, or set health_check_path in [tool.djangocdk.web] to a URL "
            "that answers 200 (an up-to-date djangocdk_settings answers an unrouted health path itself)"
        )
        return "status", message, hint, {}
    return "status", f"the health path {path} answered {status} to {label}; the load balancer needs 200", "", {}


# -- step 5: static -------------------------------------------------------------------


def manifest_backend() -> str:
    """The helper's filesystem manifest storage when it has one, else Django's."""
    from django.contrib.staticfiles.storage import ManifestStaticFilesStorage

    helper = sys.modules.get(HELPER)
    for value in vars(helper).values() if helper else ():
        if isinstance(value, type) and issubclass(value, ManifestStaticFilesStorage):
            return f"{value.__module__}.{value.__qualname__}"
    return "django.contrib.staticfiles.storage.ManifestStaticFilesStorage"


def step_static(trial: Trial) -> None:
    from django.conf import settings

    mode = os.environ.get("DJANGO_STATIC_STORAGE") or "s3-manifest"
    if mode != "s3-manifest":
        trial.note(f"static: not collected (DJANGO_STATIC_STORAGE={mode}: no hashed names to compute)")
        return
    if "django.contrib.staticfiles" not in settings.INSTALLED_APPS:
        trial.note("static: django.contrib.staticfiles is not installed; nothing to collect")
        return
    from django.core.management import call_command
    from django.test.utils import override_settings

    backend = manifest_backend()
    storages = {**settings.STORAGES, "staticfiles": {"BACKEND": backend}}
    errors = io.StringIO()
    with tempfile.TemporaryDirectory(prefix="djangocdk-static-") as root:
        try:
            with override_settings(STATIC_ROOT=root, STORAGES=storages):
                call_command("collectstatic", interactive=False, verbosity=0, stdout=io.StringIO(), stderr=errors)
        except Exception as exc:
            static_failure(trial, exc, errors.getvalue())
            return
        count = sum(len(files) for _, _, files in os.walk(root))
    trial.note(f"static: collectstatic with hashed names succeeded ({count} files written, manifest included)")


def static_failure(trial: Trial, exc: Exception, errors: str) -> None:
    referrer = re.search(r"Post-processing '(.+?)' failed!", errors)
    # Django's message, or djangocdk_settings' readable one.
    missing = re.search(r"The file '(.+?)' could not be found|references '(.+?)', which is not among", str(exc))
    if not (referrer and missing):
        trial.problem(f"collectstatic failed: {exception_text(exc)}", **trial.located(exc))
        return
    source, target = referrer.group(1), missing.group(1) or missing.group(2)
    file, line = static_source(trial, source, os.path.basename(target))
    trial.problem(
        f"{source} references {target}, which does not exist: collectstatic fails computing hashed file names",
        hint='set static_storage = "s3" in the djangocdk configuration, or fix the reference',
        file=file,
        line=line,
    )


def static_source(trial: Trial, name: str, needle: str) -> tuple[str, int]:
    """The project file a static name comes from, and the line mentioning needle."""
    from django.contrib.staticfiles import finders

    found = finders.find(name)
    path = found[0] if isinstance(found, list) and found else found
    if not isinstance(path, str):
        return "", 0
    try:
        with open(path, encoding="utf-8", errors="replace") as source:
            line = next((n for n, text in enumerate(source, 1) if needle in text), 0)
    except OSError:
        line = 0
    return trial.relative(path) or path, line


# -- the launcher -----------------------------------------------------------------------


def launch(trial: Trial) -> None:
    """Re-run this trial through ``python -m djangocdk_settings exec`` as the container does.

    Returns only when that did not happen (the helper has no launcher); the
    launched trial writes the report.
    """
    import runpy

    child = dict(trial.config, launcher=False, out_fd=trial.out_fd)
    argv, stderr = sys.argv, sys.stderr
    sys.argv = [HELPER, "exec", sys.executable, TRIAL_FILE, json.dumps(child)]
    sys.stderr = said = io.StringIO()  # what the launcher says when it refuses
    try:
        runpy.run_module(HELPER, run_name="__main__", alter_sys=True)
    except ImportError as exc:
        trial.problem(
            f"the container's entry point runs python -m {HELPER} exec, but {HELPER} cannot be imported: "
            f"{exception_text(exc)}",
            hint=f"keep {HELPER}.py next to manage.py (djangocdk init writes it)",
        )
        return
    except SystemExit as exc:
        if exc.code not in (None, 0):
            text = said.getvalue().strip()
            trial.problem(
                f"the launcher (python -m {HELPER} exec) exited with status {exc.code} before starting the command"
                + (f": {text}" if text else "")
            )
            trial.finish()
            sys.exit(0)
    except Exception as exc:
        trial.problem(f"the launcher (python -m {HELPER} exec) failed: {exception_text(exc)}", **trial.located(exc))
        trial.finish()
        sys.exit(0)
    finally:
        sys.argv, sys.stderr = argv, stderr
        stderr.write(said.getvalue())
    trial.problem(
        f"the container's entry point is python -m {HELPER} exec, but the project's {HELPER}.py has no "
        "launcher: the container would exit without starting its command",
        hint=f"replace {HELPER}.py with the one this djangocdk version writes",
    )


# -- main ---------------------------------------------------------------------------------


def run(trial: Trial) -> None:
    try:
        import django  # noqa: F401
    except Exception as exc:
        trial.fatal(f"{sys.executable} cannot import Django ({exception_text(exc)})")
        return
    if trial.config.get("launcher"):
        launch(trial)
    if not step_import(trial):
        return
    step_application(trial)
    trial.step = "configure"
    step_configure(trial)
    db = NoDatabase()
    with ExitStack() as stack:
        try:
            stack.enter_context(db.installed())
        except Exception as exc:
            trial.problem(f"the database backend cannot be loaded: {exception_text(exc)}", **trial.located(exc))
            return
        steps: list[tuple[str, Callable[[], None]]] = [
            ("check", lambda: step_check(trial, db)),
            ("health", lambda: step_health(trial, db)),
            ("static", lambda: step_static(trial)),
        ]
        for name, step in steps:
            trial.step = name
            try:
                step()
            except Exception as exc:
                trial.problem(f"the {name} step failed: {exception_text(exc)}", **trial.located(exc))


def main() -> int:
    config = json.loads(sys.argv[1]) if len(sys.argv) > 1 else {}
    out_fd = config.get("out_fd")
    if out_fd is None:
        # The JSON report keeps the real stdout; everything else goes to stderr.
        out_fd = os.dup(1)
        os.set_inheritable(out_fd, True)
        os.dup2(2, 1)
    trial = Trial(config, int(out_fd))
    if sys.version_info < (3, 10):  # noqa: UP036 - ruff targets 3.11; projects may run older
        trial.fatal(f"{sys.executable} is Python {sys.version.split()[0]}; the check needs Python 3.10 or later")
        return 0
    sys.path.insert(0, trial.root)  # as when manage.py runs
    threading.Thread(target=trial.watch, name="djangocdk-watchdog", daemon=True).start()
    run(trial)
    trial.finish()
    return 0


if __name__ == "__main__":
    sys.exit(main())
