"""Build and run a project "as its image would", without a Docker engine.

``build()`` reads a Dockerfile with BuildKit's own parser (the ``dockerfile``
package) and carries out what the image build would do for the target stage
and the stages it needs. Each stage gets a root directory on the host
(``<work>/<stage>/rootfs``) that COPY/ADD fill and RUN changes. RUN runs in a
bubblewrap sandbox whose ``/`` is that root, with the host's system
directories (``/usr`` except ``/usr/local`` and ``/usr/src``, ``/bin``,
``/lib*``, ``/sbin``, ``/etc``, the host Python's prefix) bound read-only over
it, the host network shared, ``/proc`` and ``/dev`` of its own, and the pip and
uv caches of the host bound at ``/root/.cache``.

The base image ``python:3.X…`` is stood in for by a virtualenv of the host's
Python created at ``/usr/local``, so ``/usr/local/bin/python`` and ``pip``
(and whatever pip installs: ``gunicorn`` …) are where the official image has
them; the version asked for and the one used are both recorded. Other
external bases get the host's system alone (recorded in ``Image.skipped``).

What cannot or need not run here is skipped and recorded with its Dockerfile
line: OS package management, user management and chown. A shell RUN is split
on top-level ``&&``/``;`` and those parts dropped; inside compound commands
(if/for …) and behind xargs & co, stubs first on PATH do nothing and report
themselves. The packages ``apt-get install`` would add are listed in
``Image.os_packages`` (of the final image's own stages). USER is recorded, not
switched: everything runs as the host's root.

``Image.popen``/``run`` start a command in the final stage's root the same
way, with the host's ``/tmp`` shared (sockets and certificates of the test
services live there) and loopback reachable both ways. bwrap does not forward
signals: ``terminate()`` signals the command itself (PID 2 of the sandbox's
PID namespace); when it exits, everything else in the sandbox is killed.

Limits: one CPython (the host's) for every ``python:`` tag; the image's own
files under the host-bound system directories (``/etc``, ``/usr/bin`` …) are
hidden by the host's; the image's ``/tmp`` is hidden at run time; nothing
from an external image (``COPY --from=<image>``, ``FROM node``) nor a remote
ADD; ``pip install --user`` is refused in the virtualenv; a container's
writes land in the image root (no per-container layer); the pip cache is used
even where the Dockerfile sets PIP_NO_CACHE_DIR (same packages, faster).
"""

from __future__ import annotations

import atexit
import glob
import json
import os
import platform
import posixpath
import re
import shlex
import shutil
import signal
import subprocess
import sys
import tarfile
import time
import weakref
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import IO, Any

import dockerfile

BWRAP = "/usr/bin/bwrap"
DEFAULT_PATH = "/usr/local/bin:/usr/bin:/bin"
# The official python images: Debian's PATH with /usr/local/bin in front.
PYTHON_IMAGE_PATH = "/usr/local/bin:/usr/local/sbin:/usr/sbin:/usr/bin:/sbin:/bin"
DEFAULT_SHELL = ["/bin/sh", "-c"]
RUN_TIMEOUT = 900.0

# First words of commands that are skipped at build time.
OS_PACKAGE_COMMANDS = frozenset({"apt-get", "apt", "apk", "dpkg"})
USER_COMMANDS = frozenset({"useradd", "adduser", "groupadd", "addgroup", "usermod"})
SKIPPED_COMMANDS = OS_PACKAGE_COMMANDS | USER_COMMANDS | {"chown"}
SKIP_MARKER = "@@imagebuild-skipped@@"
STUBS_MOUNT = "/.imagebuild-stubs"
SHELL_KEYWORDS = frozenset(
    {"if", "then", "elif", "else", "fi", "for", "while", "until", "do", "done", "case", "esac", "{", "}"}
)
# Host settings a build needs to reach package registries here; Docker passes
# proxies to RUN in the same way (predefined build args).
BUILD_PASSTHROUGH = (
    "HTTP_PROXY",
    "HTTPS_PROXY",
    "NO_PROXY",
    "http_proxy",
    "https_proxy",
    "no_proxy",
    "SSL_CERT_FILE",
    "SSL_CERT_DIR",
    "REQUESTS_CA_BUNDLE",
    "CURL_CA_BUNDLE",
    "PIP_CERT",
    "PIP_DEFAULT_TIMEOUT",
    "PIP_INDEX_URL",
    "PIP_EXTRA_INDEX_URL",
    "UV_INDEX_URL",
    "UV_DEFAULT_INDEX",
    "UV_NATIVE_TLS",
)
ARCHIVE_SUFFIXES = (".tar", ".tar.gz", ".tgz", ".tar.bz2", ".tbz2", ".tar.xz", ".txz")


class BuildError(Exception):
    """A Dockerfile instruction failed; the message names its line."""

    def __init__(self, line: int, command: str, message: str, output: str = "") -> None:
        text = f"Dockerfile:{line}: {command}\n{message}"
        if output:
            text += "\n--- output (last lines) ---\n" + output
        super().__init__(text)
        self.line = line
        self.command = command
        self.output = output


# --------------------------------------------------------------------------
# Words: the Dockerfile's variable substitution and shell command splitting
# --------------------------------------------------------------------------

_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")


def expand(word: str, variables: Mapping[str, str]) -> str:
    """Process one Dockerfile word as BuildKit does: quotes removed, variables substituted.

    ``$VAR``, ``${VAR}``, ``${VAR:-word}``, ``${VAR-word}``, ``${VAR:+word}``,
    ``${VAR+word}``, ``${VAR:?msg}``; single quotes are literal, backslash escapes.
    """
    out: list[str] = []
    i, n = 0, len(word)
    while i < n:
        c = word[i]
        if c == "\\" and i + 1 < n:
            out.append(word[i + 1])
            i += 2
        elif c == "'":
            end = word.find("'", i + 1)
            end = n if end < 0 else end
            out.append(word[i + 1 : end])
            i = end + 1
        elif c == '"':
            i += 1
            while i < n and word[i] != '"':
                if word[i] == "\\" and i + 1 < n and word[i + 1] in '"$\\':
                    out.append(word[i + 1])
                    i += 2
                elif word[i] == "$":
                    text, i = _dollar(word, i, variables)
                    out.append(text)
                else:
                    out.append(word[i])
                    i += 1
            i += 1
        elif c == "$":
            text, i = _dollar(word, i, variables)
            out.append(text)
        else:
            out.append(c)
            i += 1
    return "".join(out)


def _dollar(word: str, i: int, variables: Mapping[str, str]) -> tuple[str, int]:
    """Substitute the variable reference at word[i] == "$"; returns (text, next index)."""
    j = i + 1
    if j < len(word) and word[j] == "{":
        depth, k = 1, j + 1
        while k < len(word) and depth:
            depth += {"{": 1, "}": -1}.get(word[k], 0)
            k += 1
        inner = word[j + 1 : k - 1]
        match = re.fullmatch(r"([A-Za-z_][A-Za-z0-9_]*)(?:(:?[-+?])(.*))?", inner, re.DOTALL)
        if not match:
            raise ValueError(f"bad substitution: ${{{inner}}}")
        name, op, rest = match.groups()
        value = variables.get(name)
        if op is None:
            return value or "", k
        is_set = value is not None and (value != "" or not op.startswith(":"))
        if op.endswith("-"):
            return (value or "") if is_set else expand(rest, variables), k
        if op.endswith("+"):
            return expand(rest, variables) if is_set else "", k
        if not is_set:
            raise ValueError(f"{name}: {expand(rest, variables) or 'parameter not set'}")
        return value or "", k
    match = _NAME.match(word, j)
    if match:
        return variables.get(match.group(), ""), match.end()
    return "$", j


def split_shell(script: str) -> list[tuple[str, str]]:
    """Split a shell command line on top-level ``&&``, ``;`` and newlines.

    Returns ``(separator before, part)`` pairs (the first separator is ""). Quotes,
    backslashes, ``$(…)``, backticks and parentheses are respected; a script with
    compound commands (if/for/while/case/{ }) is returned whole, as one part.
    """
    parts: list[tuple[str, str]] = []
    sep, current = "", []
    depth, i, n = 0, 0, len(script)
    quote: str | None = None
    while i < n:
        c = script[i]
        if quote:
            current.append(c)
            if c == "\\" and quote == '"' and i + 1 < n:
                current.append(script[i + 1])
                i += 1
            elif c == quote:
                quote = None
        elif c == "\\" and i + 1 < n:
            current += [c, script[i + 1]]
            i += 1
        elif c in "'\"`":
            quote = c
            current.append(c)
        elif c == "(":
            depth += 1
            current.append(c)
        elif c == ")":
            depth = max(depth - 1, 0)
            current.append(c)
        elif depth == 0 and (script.startswith("&&", i) or (c == ";" and not script.startswith(";;", i)) or c == "\n"):
            token = "&&" if c == "&" else c
            piece = "".join(current).strip()
            if piece:
                parts.append((sep, piece))
                sep = token
            current = []
            i += len(token)
            continue
        else:
            current.append(c)
        i += 1
    if "".join(current).strip():
        parts.append((sep, "".join(current).strip()))
    for _, part in parts:
        words = part.split()
        if words and words[0] in SHELL_KEYWORDS:
            return [("", script.strip())]
    return parts


def _command_words(part: str) -> list[str] | None:
    """The words of a simple command, without leading VAR=value assignments and sudo."""
    try:
        words = shlex.split(part, comments=True)
    except ValueError:
        return None
    while words and (re.match(r"[A-Za-z_][A-Za-z0-9_]*=", words[0]) or words[0] in ("sudo", "env", "exec")):
        words = words[1:]
    return words


def packages_installed(words: Sequence[str]) -> list[str]:
    """Package names an ``apt-get install``/``apt install``/``apk add`` command would add."""
    if not words:
        return []
    tool = posixpath.basename(words[0])
    verbs = {"apt-get": ("install",), "apt": ("install",), "apk": ("add",)}.get(tool, ())
    args = list(words[1:])
    verb_at = next((k for k, w in enumerate(args) if w in verbs), None)
    if verb_at is None:
        return []
    found: list[str] = []
    skip_next = False
    for k, word in enumerate(args):
        if skip_next:
            skip_next = False
        elif word.startswith("-"):
            skip_next = word in ("-o", "-t", "-c", "--option", "--target-release", "--virtual", "-X", "--repository")
        elif k != verb_at and word not in verbs:
            found.append(word)
    return found


# --------------------------------------------------------------------------
# .dockerignore
# --------------------------------------------------------------------------


def _pattern_regex(pattern: str) -> re.Pattern[str]:
    """A Go filepath.Match pattern with ``**`` (as .dockerignore has them) as a regex."""
    out, i = [], 0
    while i < len(pattern):
        c = pattern[i]
        if pattern.startswith("**", i):
            i += 2
            if pattern.startswith("/", i):
                i += 1
                out.append("(?:.*/)?")
            else:
                out.append(".*")
            continue
        if c == "*":
            out.append("[^/]*")
        elif c == "?":
            out.append("[^/]")
        elif c == "[" and "]" in pattern[i + 1 :]:
            end = pattern.index("]", i + 1)
            body = pattern[i + 1 : end]
            body = "^" + body[1:] if body.startswith(("!", "^")) else body
            out.append("[" + body.replace("\\", "\\\\") + "]")
            i = end
        elif c == "\\" and i + 1 < len(pattern):
            i += 1
            out.append(re.escape(pattern[i]))
        else:
            out.append(re.escape(c))
        i += 1
    return re.compile("".join(out))


class Ignore:
    """The patterns of a .dockerignore: a path is excluded if the last pattern matching it
    (or one of its parent directories) is not an ``!`` exception."""

    def __init__(self, patterns: Iterable[str]) -> None:
        self.rules: list[tuple[re.Pattern[str], bool]] = []
        for raw in patterns:
            line = raw.strip()
            if not line or line.startswith("#"):
                continue
            negate = line.startswith("!")
            line = line[1:].strip() if negate else line
            line = posixpath.normpath(line).lstrip("/")
            self.rules.append((_pattern_regex(line), negate))
        self.has_exceptions = any(negate for _, negate in self.rules)

    def excluded(self, rel: str) -> bool:
        """Whether a context-relative path is left out of the build context."""
        if rel in ("", "."):
            return False
        pieces = rel.split("/")
        prefixes = ["/".join(pieces[: k + 1]) for k in range(len(pieces))]
        result = False
        for regex, negate in self.rules:
            if any(regex.fullmatch(p) for p in prefixes):
                result = not negate
        return result


# --------------------------------------------------------------------------
# Files inside a stage root
# --------------------------------------------------------------------------


def resolve_in_root(root: Path, path: str, follow_last: bool = True) -> Path:
    """The host path of an image path, following symlinks as if root were "/" (never outside it)."""
    parts = [p for p in path.split("/") if p not in ("", ".")]
    resolved: list[str] = []
    hops = 0
    while parts:
        part = parts.pop(0)
        if part == "..":
            if resolved:
                resolved.pop()
            continue
        candidate = root.joinpath(*resolved, part)
        if (parts or follow_last) and candidate.is_symlink():
            hops += 1
            if hops > 40:
                raise OSError(f"too many levels of symbolic links: {path}")
            target = os.readlink(candidate)
            if target.startswith("/"):
                resolved = []
            parts = [p for p in target.split("/") if p not in ("", ".")] + parts
            continue
        resolved.append(part)
    return root.joinpath(*resolved)


def _remove(path: Path) -> None:
    """Remove whatever is at path (a symlink itself, never its target)."""
    if path.is_symlink() or path.is_file():
        path.unlink()
    elif path.is_dir():
        shutil.rmtree(path)
    elif os.path.lexists(path):
        path.unlink()


def _mkdirs(root: Path, image_dir: str) -> Path:
    """Create an image directory (and parents) inside root; returns its host path."""
    target = resolve_in_root(root, image_dir)
    if target.is_symlink() or (target.exists() and not target.is_dir()):
        _remove(target)
    target.mkdir(parents=True, exist_ok=True)
    return target


def _copy_file(source: Path, root: Path, image_path: str, mode: int | None) -> None:
    parent = _mkdirs(root, posixpath.dirname(image_path) or "/")
    target = parent / posixpath.basename(image_path)
    if os.path.lexists(target) and (target.is_symlink() or not target.is_dir()):
        target.unlink()
    elif target.is_dir():
        shutil.rmtree(target)
    if source.is_symlink():
        os.symlink(os.readlink(source), target)
        return
    shutil.copy2(source, target)
    if mode is not None:
        target.chmod(mode)


def _copy_tree(
    source: Path,
    root: Path,
    image_dir: str,
    rel: str | None,
    ignore: Ignore | None,
    mode: int | None,
) -> int:
    """Copy the contents of a host directory into an image directory; returns files copied.

    rel is the source's path relative to the build context (for .dockerignore), None
    when copying from another stage.
    """
    target = resolve_in_root(root, image_dir)
    existed = target.is_dir()
    _mkdirs(root, image_dir)
    if mode is not None:
        target.chmod(mode)
    count = 0
    with os.scandir(source) as entries:
        for entry in sorted(entries, key=lambda e: e.name):
            child_rel = None if rel is None else (entry.name if rel in ("", ".") else f"{rel}/{entry.name}")
            child_image = posixpath.join(image_dir, entry.name)
            excluded = ignore is not None and child_rel is not None and ignore.excluded(child_rel)
            is_dir = entry.is_dir(follow_symlinks=False)
            if excluded and not (is_dir and ignore is not None and ignore.has_exceptions):
                continue
            if is_dir:
                count += _copy_tree(Path(entry.path), root, child_image, child_rel, ignore, mode)
            elif not excluded:
                _copy_file(Path(entry.path), root, child_image, mode)
                count += 1
    if count == 0 and not existed and ignore is not None and rel is not None and ignore.excluded(rel):
        target.rmdir()
    return count


def _copy_root(source: Path, target: Path) -> None:
    """A whole stage root, as a new stage's starting point (symlinks, modes and times kept)."""
    target.mkdir(parents=True, exist_ok=True)
    subprocess.run(["cp", "-a", "--reflink=auto", f"{source}/.", str(target)], check=True)


# --------------------------------------------------------------------------
# The sandbox
# --------------------------------------------------------------------------


def _python_executable() -> Path:
    """The host's Python interpreter (the base installation, not a virtualenv)."""
    version = f"{sys.version_info.major}.{sys.version_info.minor}"
    candidate = Path(sys.base_prefix) / "bin" / f"python{version}"
    return candidate if candidate.exists() else Path(sys.base_prefix) / "bin" / "python3"


def python_used() -> str:
    """The version of the host's Python."""
    return platform.python_version()


# Python installations besides the host's that a sandbox must see (read-only).
_python_prefixes: set[str] = set()


def python_for(version: str | None) -> tuple[Path, str]:
    """The interpreter standing in for the image's python:VERSION and its full version.

    A CPython of the requested minor version installed beside the host's (as
    pyenv keeps them, e.g. /root/.pyenv/versions/3.12.1) is used when there is
    one; else the host's own.
    """
    if version:
        for candidate in sorted(Path(sys.base_prefix).parent.glob(f"{version}.*"), reverse=True):
            exe = candidate / "bin" / f"python{version}"
            if exe.exists() and not candidate.is_relative_to("/usr/local"):
                _python_prefixes.add(str(candidate))
                return exe, candidate.name
    return _python_executable(), python_used()


def _prepare_root(root: Path) -> None:
    """Give a stage root the directories and links the sandbox mounts onto (idempotent)."""
    root.mkdir(parents=True, exist_ok=True)
    for name in ("usr/local", "etc", "proc", "dev", "root", "var", "tmp"):
        (root / name).mkdir(parents=True, exist_ok=True)
    (root / "tmp").chmod(0o1777)
    (root / "root").chmod(0o700)
    for entry in os.listdir("/usr"):
        if entry not in ("local", "src") and not os.path.islink(f"/usr/{entry}") and os.path.isdir(f"/usr/{entry}"):
            (root / "usr" / entry).mkdir(exist_ok=True)
    for top in ("bin", "sbin", "lib", "lib32", "lib64", "libx32"):
        host = Path("/") / top
        mine = root / top
        if host.is_symlink() and not os.path.lexists(mine):
            os.symlink(os.readlink(host), mine)
        elif host.is_dir() and not host.is_symlink() and not os.path.lexists(mine):
            mine.mkdir()
    for prefix in {Path(sys.base_prefix), *map(Path, _python_prefixes)}:
        if not prefix.is_relative_to("/usr"):
            (root / prefix.relative_to("/")).mkdir(parents=True, exist_ok=True)


def sandbox_args(root: Path, cwd: str, *, shared_tmp: bool, extra: Sequence[str] = ()) -> list[str]:
    """The bwrap command line (without the command) for running inside a stage root."""
    _prepare_root(root)
    args = [BWRAP, "--die-with-parent", "--unshare-pid", "--bind", str(root), "/"]
    for entry in sorted(os.listdir("/usr")):
        host = f"/usr/{entry}"
        if entry not in ("local", "src") and os.path.isdir(host) and not os.path.islink(host):
            args += ["--ro-bind", host, host]
    for top in ("bin", "sbin", "lib", "lib32", "lib64", "libx32"):
        host = f"/{top}"
        if os.path.isdir(host) and not os.path.islink(host) and not (root / top).is_symlink():
            args += ["--ro-bind", host, host]
    args += ["--ro-bind", "/etc", "/etc"]
    for prefix in sorted({sys.base_prefix, *_python_prefixes}):
        if not Path(prefix).is_relative_to("/usr"):
            args += ["--ro-bind", prefix, prefix]
    if shared_tmp:
        args += ["--bind", "/tmp", "/tmp"]
    args += ["--proc", "/proc", "--dev", "/dev"]
    args += list(extra)
    args += ["--chdir", cwd]
    return args


def _processes_by_parent() -> dict[int, list[int]]:
    children: dict[int, list[int]] = {}
    for name in os.listdir("/proc"):
        if not name.isdigit():
            continue
        try:
            with open(f"/proc/{name}/stat") as handle:
                stat = handle.read()
        except OSError:
            continue
        ppid = int(stat.rsplit(")", 1)[1].split()[1])
        children.setdefault(ppid, []).append(int(name))
    return children


class SandboxProcess(subprocess.Popen[Any]):
    """A command running in the sandbox; signals go to the command itself.

    bwrap does not forward signals, so ``send_signal``/``terminate`` deliver them
    to the command (the sandbox's PID 2, under bwrap's init), as ``docker stop``
    does to the container's main process. ``kill`` kills the sandbox's init,
    which takes every process of the sandbox with it.
    """

    def _inner_pids(self, wait: float = 2.0) -> tuple[int | None, int | None]:
        """(the sandbox's init, the command) as host PIDs, once both exist."""
        deadline = time.monotonic() + wait
        while True:
            tree = _processes_by_parent()
            init = (tree.get(self.pid) or [None])[0]
            command = (tree.get(init) or [None])[0] if init else None
            if command or self.poll() is not None or time.monotonic() > deadline:
                return init, command
            time.sleep(0.02)

    def send_signal(self, sig: int) -> None:
        if self.poll() is not None:
            return
        init, command = self._inner_pids()
        target = init if sig == signal.SIGKILL else command
        try:
            if target is not None:
                os.kill(target, sig)
            elif sig in (signal.SIGKILL, signal.SIGTERM):
                super().send_signal(signal.SIGKILL)
        except ProcessLookupError:
            pass

    def kill(self) -> None:
        self.send_signal(signal.SIGKILL)


_running: weakref.WeakSet[SandboxProcess] = weakref.WeakSet()


@atexit.register
def _kill_leftovers() -> None:
    for process in list(_running):
        if process.poll() is None:
            process.kill()


# --------------------------------------------------------------------------
# The image
# --------------------------------------------------------------------------


@dataclass
class Image:
    """The result of ``build()``: the final stage's root and configuration."""

    root: Path
    workdir: str = "/"
    env: dict[str, str] = field(default_factory=dict)
    entrypoint: list[str] | None = None
    cmd: list[str] | None = None
    user: str | None = None
    expose: list[str] = field(default_factory=list)
    # (Dockerfile line, what was not done) for every stage that was built.
    skipped: list[tuple[int, str]] = field(default_factory=list)
    # What `apt-get install` & co would have added to this image (its own stage and the stages it is FROM).
    os_packages: list[str] = field(default_factory=list)
    python_requested: str | None = None
    python_used: str | None = None
    healthcheck: list[str] | None = None
    labels: dict[str, str] = field(default_factory=dict)
    stopsignal: str | None = None
    stage: str = ""
    log: Path | None = None

    def argv(
        self,
        entrypoint_override: list[str] | str | None = None,
        command: list[str] | str | None = None,
    ) -> list[str]:
        """The container's argv as Docker (and so ECS) composes it.

        An entry point override replaces the image's ENTRYPOINT and drops its CMD;
        a command replaces CMD. A string is shell form: ``["/bin/sh", "-c", s]``.
        """
        entry = self.entrypoint if entrypoint_override is None else _shell_form(entrypoint_override)
        if command is not None:
            cmd = _shell_form(command)
        else:
            cmd = self.cmd if entrypoint_override is None else None
        argv = list(entry or []) + list(cmd or [])
        if not argv:
            raise ValueError("the image has neither ENTRYPOINT nor CMD and no command was given")
        return argv

    def environment(self, env: Mapping[str, str] | None = None) -> dict[str, str]:
        """The image's ENV overlaid with env, plus PATH and HOME where neither sets them."""
        merged = dict(self.env)
        merged.update(env or {})
        merged.setdefault("PATH", DEFAULT_PATH)
        merged.setdefault("HOME", "/root")
        return merged

    def popen(
        self,
        argv: Sequence[str],
        env: Mapping[str, str] | None = None,
        stdout: int | IO[Any] | None = None,
        stderr: int | IO[Any] | None = None,
        cwd: str | None = None,
        *,
        stdin: int | IO[Any] | None = subprocess.DEVNULL,
        text: bool = True,
    ) -> SandboxProcess:
        """Start argv in the image (cwd: the image's WORKDIR); it dies with this process."""
        args = sandbox_args(self.root, cwd or self.workdir, shared_tmp=True) + list(argv)
        process = SandboxProcess(args, env=self.environment(env), stdin=stdin, stdout=stdout, stderr=stderr, text=text)
        _running.add(process)
        return process

    def run(
        self,
        argv: Sequence[str],
        env: Mapping[str, str] | None = None,
        timeout: float = 120,
        cwd: str | None = None,
    ) -> subprocess.CompletedProcess[str]:
        """Run argv in the image to completion, output captured as text."""
        process = self.popen(argv, env, subprocess.PIPE, subprocess.PIPE, cwd)
        try:
            out, err = process.communicate(timeout=timeout)
        except subprocess.TimeoutExpired:
            process.kill()
            process.communicate()
            raise
        return subprocess.CompletedProcess(list(argv), process.returncode, out, err)


def _shell_form(value: list[str] | str) -> list[str]:
    return ["/bin/sh", "-c", value] if isinstance(value, str) else list(value)


# --------------------------------------------------------------------------
# The build
# --------------------------------------------------------------------------


@dataclass
class _Stage:
    index: int
    name: str | None
    base: str
    line: int
    commands: list[Any]

    @property
    def label(self) -> str:
        return self.name or f"stage-{self.index}"


@dataclass
class _State:
    """A stage being built: its root and the image configuration so far."""

    root: Path
    workdir: str = "/"
    env: dict[str, str] = field(default_factory=dict)
    args: dict[str, str] = field(default_factory=dict)
    shell: list[str] = field(default_factory=lambda: list(DEFAULT_SHELL))
    entrypoint: list[str] | None = None
    cmd: list[str] | None = None
    cmd_set: bool = False
    user: str | None = None
    expose: list[str] = field(default_factory=list)
    healthcheck: list[str] | None = None
    labels: dict[str, str] = field(default_factory=dict)
    stopsignal: str | None = None
    python_requested: str | None = None
    python_used: str | None = None
    os_packages: list[str] = field(default_factory=list)

    def variables(self) -> dict[str, str]:
        merged = dict(self.args)
        merged.update(self.env)
        return merged


def _flags(raw: Iterable[str]) -> list[tuple[str, str]]:
    """Instruction flags as (name, value) pairs: ``--from=build`` → ("from", "build")."""
    found = []
    for flag in raw:
        name, _, value = flag.lstrip("-").partition("=")
        found.append((name.lower(), value))
    return found


def _flag(flags: list[tuple[str, str]], name: str) -> str | None:
    values = [v for k, v in flags if k == name]
    return values[-1] if values else None


def _python_tag(reference: str) -> tuple[bool, str | None]:
    """Whether an image reference is the official python image, and the version its tag asks for."""
    reference = reference.split("@", 1)[0]
    last = reference.rsplit("/", 1)[-1]
    name, _, tag = last.partition(":")
    if name != "python":
        return False, None
    match = re.match(r"\d+(?:\.\d+)*", tag or "latest")
    return True, match.group() if match else None


def versioned_path(path: str, requested: str | None, used: str | None) -> str:
    """An image path under /usr/local that names the requested pythonX.Y, renamed to the Python used.

    So ``COPY --from=build /usr/local/lib/python3.13/site-packages …`` still finds
    what pip installed there with the host's Python.
    """
    want = ".".join((requested or "").split(".")[:2])
    have = ".".join((used or "").split(".")[:2])
    if want.count(".") == 1 and have and want != have and path.startswith("/usr/local/"):
        return re.sub(rf"\bpython{re.escape(want)}(?![0-9])", f"python{have}", path)
    return path


def _platform_args() -> dict[str, str]:
    arch = {"x86_64": "amd64", "aarch64": "arm64", "arm64": "arm64"}.get(platform.machine(), platform.machine())
    values = {"PLATFORM": f"linux/{arch}", "OS": "linux", "ARCH": arch, "VARIANT": ""}
    return {prefix + key: value for prefix in ("TARGET", "BUILD") for key, value in values.items()}


class _Builder:
    def __init__(
        self,
        context: Path,
        dockerfile_path: Path,
        work: Path,
        build_args: Mapping[str, str],
    ) -> None:
        self.context = context.resolve()
        self.dockerfile = dockerfile_path.resolve()
        self.work = work.resolve()
        self.build_args = dict(build_args)
        self.skipped: list[tuple[int, str]] = []
        self.built: dict[int, _State] = {}
        self.building: set[int] = set()
        self.log = self.work / "build.log"
        self.meta_args: dict[str, str] = {}
        self.stages: list[_Stage] = []
        self._parse()
        self.stubs = self.work / "stubs"

    # -- parsing ------------------------------------------------------------

    def _parse(self) -> None:
        commands = dockerfile.parse_file(str(self.dockerfile))
        builtin = _platform_args()
        current: _Stage | None = None
        for command in commands:
            if command.cmd == "FROM":
                words = list(command.value)
                base = expand(words[0], self.meta_args)
                name = words[2].lower() if len(words) >= 3 and words[1].upper() == "AS" else None
                current = _Stage(len(self.stages), name, base, command.start_line, [])
                self.stages.append(current)
            elif current is None:
                if command.cmd == "ARG":
                    for item in command.value:
                        key, has_default, default = item.partition("=")
                        if key in self.build_args:
                            self.meta_args[key] = self.build_args[key]
                        elif has_default:
                            self.meta_args[key] = expand(default, self.meta_args)
                        elif key in builtin:
                            self.meta_args[key] = builtin[key]
            else:
                current.commands.append(command)
        if not self.stages:
            raise BuildError(1, "FROM", "the Dockerfile has no FROM")

    def find_stage(self, reference: str) -> _Stage | None:
        if reference.isdigit() and int(reference) < len(self.stages):
            return self.stages[int(reference)]
        return next((s for s in self.stages if s.name == reference.lower()), None)

    # -- stages -------------------------------------------------------------

    def stage(self, stage: _Stage) -> _State:
        """Build a stage (once per build) and return its state."""
        if stage.index in self.built:
            return self.built[stage.index]
        if stage.index in self.building:
            raise BuildError(stage.line, f"FROM {stage.base}", "stages refer to each other in a cycle")
        self.building.add(stage.index)
        state = self._from(stage)
        handlers = {
            "ARG": self._arg,
            "ENV": self._env,
            "LABEL": self._label,
            "WORKDIR": self._workdir,
            "USER": self._user,
            "EXPOSE": self._expose,
            "STOPSIGNAL": self._stopsignal,
            "SHELL": self._shell,
            "CMD": self._cmd,
            "ENTRYPOINT": self._entrypoint,
            "HEALTHCHECK": self._healthcheck,
            "COPY": self._copy,
            "ADD": self._add,
            "RUN": self._run,
        }
        for command in stage.commands:
            handler = handlers.get(command.cmd.upper())
            if handler is None:  # VOLUME, ONBUILD, MAINTAINER: nothing to emulate
                continue
            try:
                handler(state, command)
            except BuildError:
                raise
            except (OSError, ValueError, subprocess.SubprocessError, tarfile.TarError) as error:
                raise BuildError(command.start_line, command.original, str(error)) from error
        self.built[stage.index] = state
        self.building.discard(stage.index)
        return state

    def _from(self, stage: _Stage) -> _State:
        directory = self.work / re.sub(r"[^A-Za-z0-9_.-]", "_", stage.label)
        if directory.exists():
            shutil.rmtree(directory)
        root = directory / "rootfs"
        parent = self.find_stage(stage.base)
        if parent is not None and parent.index < stage.index:
            base = self.stage(parent)
            _copy_root(base.root, root)
            return replace(
                base,
                root=root,
                env=dict(base.env),
                args={},
                shell=list(base.shell),
                cmd_set=False,
                expose=list(base.expose),
                labels=dict(base.labels),
                os_packages=list(base.os_packages),
            )
        root.mkdir(parents=True)
        _prepare_root(root)
        if stage.base == "scratch":
            return _State(root=root)
        is_python, version = _python_tag(stage.base)
        if not is_python:
            self.skipped.append((stage.line, f"FROM {stage.base}: not emulated, the host's system stands in"))
            return _State(root=root, env={"PATH": DEFAULT_PATH})
        if Path(sys.base_prefix).is_relative_to("/usr/local"):
            raise BuildError(
                stage.line, f"FROM {stage.base}", "the host's Python lives in /usr/local: it cannot stand in"
            )
        exe, used = python_for(version)
        state = _State(
            root=root,
            env={"PATH": PYTHON_IMAGE_PATH, "LANG": "C.UTF-8", "PYTHON_VERSION": used},
            cmd=["python3"],
            python_requested=version,
            python_used=used,
        )
        self._sandbox(
            state,
            [str(exe), "-m", "venv", "/usr/local"],
            stage.line,
            f"FROM {stage.base} (a virtualenv of Python {used} at /usr/local)",
            cwd="/",
        )
        return state

    # -- instructions -------------------------------------------------------

    def _arg(self, state: _State, command: Any) -> None:
        builtin = _platform_args()
        for item in command.value:
            key, has_default, default = item.partition("=")
            if key in self.build_args:
                state.args[key] = self.build_args[key]
            elif has_default:
                state.args[key] = expand(default, state.variables())
            elif key in self.meta_args:
                state.args[key] = self.meta_args[key]
            elif key in builtin:
                state.args[key] = builtin[key]

    def _env(self, state: _State, command: Any) -> None:
        variables = state.variables()
        values = list(command.value)
        for k in range(0, len(values) - 1, 2):
            state.env[values[k]] = expand(values[k + 1], variables)

    def _label(self, state: _State, command: Any) -> None:
        variables = state.variables()
        values = list(command.value)
        for k in range(0, len(values) - 1, 2):
            state.labels[expand(values[k], variables)] = expand(values[k + 1], variables)

    def _workdir(self, state: _State, command: Any) -> None:
        path = expand(command.value[0], state.variables())
        state.workdir = posixpath.normpath(posixpath.join(state.workdir, path))
        _mkdirs(state.root, state.workdir)

    def _user(self, state: _State, command: Any) -> None:
        state.user = expand(command.value[0], state.variables())

    def _expose(self, state: _State, command: Any) -> None:
        for value in command.value:
            port = expand(value, state.variables())
            if port not in state.expose:
                state.expose.append(port)

    def _stopsignal(self, state: _State, command: Any) -> None:
        state.stopsignal = expand(command.value[0], state.variables())

    def _shell(self, state: _State, command: Any) -> None:
        state.shell = list(command.value)

    def _form(self, state: _State, command: Any) -> list[str]:
        if command.json:
            return list(command.value)
        return [*state.shell, " ".join(command.value)]

    def _cmd(self, state: _State, command: Any) -> None:
        state.cmd = self._form(state, command)
        state.cmd_set = True

    def _entrypoint(self, state: _State, command: Any) -> None:
        state.entrypoint = self._form(state, command)
        if not state.cmd_set:
            state.cmd = None

    def _healthcheck(self, state: _State, command: Any) -> None:
        values = list(command.value)
        if not values or values[0].upper() == "NONE":
            state.healthcheck = None
        elif command.json:
            state.healthcheck = values[1:]
        else:
            state.healthcheck = [*state.shell, " ".join(values[1:])]

    # COPY and ADD

    def _copy(self, state: _State, command: Any, add: bool = False) -> None:
        flags = _flags(command.flags)
        variables = state.variables()
        words = [expand(w, variables) for w in command.value]
        chmod = _flag(flags, "chmod")
        mode = int(chmod, 8) if chmod else None
        if command.heredocs:
            self._copy_heredocs(state, command, words, mode)
            return
        if len(words) < 2:
            raise BuildError(command.start_line, command.original, "COPY needs a source and a destination")
        *sources, dest = words
        dest_path = posixpath.normpath(posixpath.join(state.workdir, dest))
        dest_is_dir = dest.endswith("/") or dest in (".", "..") or dest.endswith("/.")
        source_ref = _flag(flags, "from")
        excludes = [v for k, v in flags if k == "exclude"]
        if source_ref is not None:
            source_ref = expand(source_ref, variables)
            other = self.find_stage(source_ref)
            if other is None:
                raise BuildError(
                    command.start_line,
                    command.original,
                    f"--from={source_ref}: copying from an external image is not emulated",
                )
            source_root = self.stage(other).root
            ignore: Ignore | None = Ignore(excludes) if excludes else None
            source_state: _State | None = self.built[other.index]
        else:
            source_root = self.context
            ignore = Ignore([*self._ignore_lines(), *excludes])
            source_state = None
        matches: list[tuple[Path, str | None, str]] = []
        for source in sources:
            if add and re.match(r"^[a-z][a-z0-9+.-]*://|^git@", source):
                raise BuildError(command.start_line, command.original, f"ADD {source}: remote sources are not emulated")
            found = self._sources(source_root, source, ignore, source_state)
            if not found:
                raise BuildError(command.start_line, command.original, f"{source}: not found")
            matches += found
        if len(matches) > 1 or resolve_in_root(state.root, dest_path).is_dir():
            dest_is_dir = True
        dest_path = self._versioned(state, dest_path)
        for host, rel, name in matches:
            if host.is_dir():
                if source_ref is not None and excludes:
                    rel = "."  # --exclude patterns are relative to the copied directory
                _copy_tree(host, state.root, dest_path, rel, ignore, mode)
            elif add and source_ref is None and host.name.endswith(ARCHIVE_SUFFIXES):
                target = _mkdirs(state.root, dest_path)
                with tarfile.open(host) as archive:
                    archive.extractall(target, filter="data")
            else:
                _copy_file(host, state.root, posixpath.join(dest_path, name) if dest_is_dir else dest_path, mode)

    def _add(self, state: _State, command: Any) -> None:
        self._copy(state, command, add=True)

    def _copy_heredocs(self, state: _State, command: Any, words: list[str], mode: int | None) -> None:
        dest = posixpath.normpath(posixpath.join(state.workdir, words[-1]))
        many = len(command.heredocs) > 1 or words[-1].endswith("/")
        for heredoc in command.heredocs:
            target = posixpath.join(dest, heredoc.name) if many else dest
            parent = _mkdirs(state.root, posixpath.dirname(target))
            path = parent / posixpath.basename(target)
            path.write_text(heredoc.content)
            if mode is not None:
                path.chmod(mode)

    def _ignore_lines(self) -> list[str]:
        """The .dockerignore: ``<Dockerfile>.dockerignore`` beside the Dockerfile, else the context's."""
        candidates = (self.dockerfile.with_name(self.dockerfile.name + ".dockerignore"), self.context / ".dockerignore")
        for candidate in candidates:
            if candidate.is_file():
                return candidate.read_text().splitlines()
        return []

    def _sources(
        self, root: Path, source: str, ignore: Ignore | None, other: _State | None
    ) -> list[tuple[Path, str | None, str]]:
        """(host path, context-relative path or None, name) for each match of a COPY source."""
        if other is not None:
            source = self._versioned(other, posixpath.normpath("/" + source))
        rel = posixpath.normpath(source.lstrip("/")) if source.strip("/") else "."
        if rel.startswith(".."):
            raise ValueError(f"{source}: outside the build context")
        if any(c in rel for c in "*?["):
            names = sorted(glob.glob(rel, root_dir=root, include_hidden=True))
            found = []
            for name in names:
                name = posixpath.normpath(name)
                if other is None and ignore is not None and ignore.excluded(name):
                    continue
                found.append((resolve_in_root(root, name), name if other is None else None, posixpath.basename(name)))
            return found
        if other is None and ignore is not None and ignore.excluded(rel):
            return []
        host = resolve_in_root(root, rel)
        if not os.path.lexists(host):
            return []
        return [(host, rel if other is None else None, posixpath.basename(rel) if rel != "." else "")]

    def _versioned(self, state: _State, path: str) -> str:
        return versioned_path(path, state.python_requested, state.python_used)

    # RUN

    def _run(self, state: _State, command: Any) -> None:
        flags = _flags(command.flags)
        line = command.start_line
        scripts: list[Path] = []
        if command.json:
            argv = list(command.value)
            if argv and posixpath.basename(argv[0]) in SKIPPED_COMMANDS:
                self._skip(state, line, shlex.join(argv), argv)
                return
        else:
            text = " ".join(command.value)
            heredoc_only = command.heredocs and re.fullmatch(r"<<-?[\"']?\w+[\"']?", text.strip())
            if heredoc_only:
                script = command.heredocs[0].content
            elif command.heredocs:
                script = text + "\n" + "".join(f"{h.content}{h.name}\n" for h in command.heredocs)
            else:
                kept: list[str] = []
                for separator, part in split_shell(text):
                    words = _command_words(part) or []
                    if words and posixpath.basename(words[0]) in SKIPPED_COMMANDS:
                        self._skip(state, line, part, words)
                        continue
                    kept += [separator, part] if kept else [part]
                script = " ".join(kept)
            if not script.strip():
                return
            argv = [*state.shell, script]
            if script.startswith("#!") and heredoc_only:
                # A heredoc with a shebang runs as a script file, as BuildKit does.
                path = _mkdirs(state.root, "/tmp") / f".imagebuild-heredoc-{line}"
                path.write_text(script)
                path.chmod(0o755)
                scripts.append(path)
                argv = ["/tmp/" + path.name]
        mounts, cleanup = self._mounts(state, flags, line)
        try:
            self._sandbox(state, argv, line, command.original, extra=mounts)
        finally:
            for path in scripts:
                path.unlink(missing_ok=True)
            for path in cleanup:
                if path.is_dir() and not path.is_symlink() and not any(path.iterdir()):
                    path.rmdir()
                elif path.is_file() and path.stat().st_size == 0:
                    path.unlink()

    def _skip(self, state: _State, line: int, text: str, words: Sequence[str]) -> None:
        text = " ".join(text.split())
        self.skipped.append((line, text))
        with self.log.open("a") as log:
            log.write(f"#### Dockerfile:{line}: skipped: {text}\n\n")
        for package in packages_installed(_expand_all(words, state.variables())):
            if package not in state.os_packages:
                state.os_packages.append(package)

    def _mounts(self, state: _State, flags: list[tuple[str, str]], line: int) -> tuple[list[str], list[Path]]:
        """bwrap arguments for RUN --mount, and the mount points to remove afterwards."""
        extra: list[str] = []
        cleanup: list[Path] = []
        for name, value in flags:
            if name != "mount":
                continue
            options: dict[str, str] = {}
            for item in value.split(","):
                key, _, val = item.partition("=")
                options[key.strip().lower()] = val.strip()
            kind = options.get("type", "bind")
            target = options.get("target") or options.get("dst") or options.get("destination") or ""
            if kind == "secret":
                self.skipped.append((line, f"--mount={value}: secrets are not provided"))
                continue
            if kind == "ssh" or not target:
                continue
            target = posixpath.normpath(posixpath.join(state.workdir, expand(target, state.variables())))
            host_target = resolve_in_root(state.root, target)
            if not os.path.lexists(host_target):
                cleanup.append(host_target)
            if kind == "tmpfs":
                extra += ["--tmpfs", target]
            elif kind == "cache":
                known = {
                    "/root/.cache/pip": Path.home() / ".cache" / "pip",
                    "/root/.cache/uv": Path.home() / ".cache" / "uv",
                }
                key = options.get("id") or target
                cache = known.get(target) or self.work / "cache-mounts" / re.sub(r"[^A-Za-z0-9_.-]", "_", key)
                cache.mkdir(parents=True, exist_ok=True)
                extra += ["--bind", str(cache), target]
            elif kind == "bind":
                reference = options.get("from")
                source = options.get("source") or options.get("src") or "/"
                if reference:
                    other = self.find_stage(expand(reference, state.variables()))
                    if other is None:
                        raise BuildError(line, f"--mount={value}", "mounting an external image is not emulated")
                    host = resolve_in_root(self.stage(other).root, source)
                else:
                    host = resolve_in_root(self.context, source)
                if host.is_file() and not os.path.lexists(host_target):
                    host_target.parent.mkdir(parents=True, exist_ok=True)
                    host_target.touch()
                read_write = any(k in options for k in ("rw", "readwrite"))
                extra += ["--bind" if read_write else "--ro-bind", str(host), target]
        return extra, cleanup

    def _write_stubs(self) -> None:
        if self.stubs.is_dir():
            return
        self.stubs.mkdir(parents=True)
        for name in sorted(SKIPPED_COMMANDS):
            stub = self.stubs / name
            stub.write_text(f'#!/bin/sh\necho "{SKIP_MARKER} {name} $*" >&2\nexit 0\n')
            stub.chmod(0o755)

    def _sandbox(
        self,
        state: _State,
        argv: list[str],
        line: int,
        display: str,
        extra: Sequence[str] = (),
        cwd: str | None = None,
    ) -> None:
        """Run a build step in the stage's root; a failure raises BuildError with its line."""
        self._write_stubs()
        env = state.variables()
        env.setdefault("PATH", DEFAULT_PATH)
        env.setdefault("HOME", "/root")
        for key in BUILD_PASSTHROUGH:
            if key in os.environ and key not in env:
                env[key] = os.environ[key]
        # The pip cache is shared between builds for speed even where the
        # Dockerfile turns it off: what gets installed is the same.
        env.pop("PIP_NO_CACHE_DIR", None)
        # uv would fetch a CPython from outside the package registries; here it must use the image's.
        env.setdefault("UV_PYTHON_DOWNLOADS", "never")
        env["PATH"] = STUBS_MOUNT + ":" + env["PATH"]
        caches = []
        for tool in ("pip", "uv"):
            host = Path.home() / ".cache" / tool
            host.mkdir(parents=True, exist_ok=True)
            caches += ["--bind", str(host), f"/root/.cache/{tool}"]
        stubs_point = state.root / STUBS_MOUNT.lstrip("/")
        mounts = [*caches, "--ro-bind", str(self.stubs), STUBS_MOUNT, *extra]
        _mkdirs(state.root, cwd or state.workdir)
        args = sandbox_args(state.root, cwd or state.workdir, shared_tmp=False, extra=mounts) + argv
        started = time.monotonic()
        try:
            result = subprocess.run(
                args,
                env=env,
                stdin=subprocess.DEVNULL,
                stdout=subprocess.PIPE,
                stderr=subprocess.STDOUT,
                timeout=RUN_TIMEOUT,
                check=False,
            )
        finally:
            if stubs_point.is_dir() and not any(stubs_point.iterdir()):
                stubs_point.rmdir()
        output = result.stdout.decode(errors="replace")
        with self.log.open("a") as log:
            log.write(f"#### Dockerfile:{line}: {display}\n{output}#### {time.monotonic() - started:.1f} s\n\n")
        for text in output.splitlines():
            if text.startswith(SKIP_MARKER):
                skipped = text[len(SKIP_MARKER) :].strip()
                self._skip(state, line, skipped, skipped.split())
        if result.returncode != 0:
            tail = "\n".join(output.splitlines()[-40:])
            raise BuildError(line, display, f"exited with status {result.returncode}", tail)


def _expand_all(words: Sequence[str], variables: Mapping[str, str]) -> list[str]:
    expanded = []
    for word in words:
        try:
            expanded.append(expand(word, variables))
        except ValueError:
            expanded.append(word)
    return expanded


def build(
    context: Path,
    dockerfile: Path,
    work: Path,
    target: str | None = None,
    build_args: dict[str, str] | None = None,
) -> Image:
    """Build the target stage (default: the last) of a Dockerfile into work; see the module doc.

    Only the stages the target needs are built, each from scratch: nothing is
    reused from an earlier call but the pip and uv download caches.
    """
    work.mkdir(parents=True, exist_ok=True)
    builder = _Builder(context, dockerfile, work, build_args or {})
    for leftover in (builder.stubs, builder.work / "cache-mounts"):
        if leftover.exists():
            shutil.rmtree(leftover)
    builder.log.write_text("")
    if target is None:
        stage = builder.stages[-1]
    else:
        found = builder.find_stage(target)
        if found is None or found.name is None:
            raise BuildError(1, f"--target={target}", "no such stage")
        stage = found
    state = builder.stage(stage)
    return Image(
        root=state.root,
        workdir=state.workdir,
        env=dict(state.env),
        entrypoint=state.entrypoint,
        cmd=state.cmd,
        user=state.user,
        expose=list(state.expose),
        skipped=sorted(builder.skipped, key=lambda item: item[0]),
        os_packages=list(state.os_packages),
        python_requested=state.python_requested,
        python_used=state.python_used,
        healthcheck=state.healthcheck,
        labels=dict(state.labels),
        stopsignal=state.stopsignal,
        stage=stage.label,
        log=builder.log,
    )


def dump(image: Image) -> str:
    """The image's configuration as JSON (for messages and debugging)."""
    fields = {k: v for k, v in image.__dict__.items() if k not in ("root", "log")}
    return json.dumps(fields, indent=2, default=str)
