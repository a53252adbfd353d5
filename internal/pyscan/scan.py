"""Read a Django project's Python code with ast, without importing it.

Run by djangocdk (internal/pyscan) with the project's own interpreter:

    python -I scan.py < options.json > result.json

The options are a JSON object {"root": DIR, "settings": DOTTED, "extra":
[DOTTED, ...]}.  The result is one JSON object on stdout (see pyscan.go for
the meaning of every field).  Only the standard library is used, nothing of
the project is imported or executed, and the code runs on Python 3.9 and
newer.
"""

import ast
import fnmatch
import glob
import importlib.util
import json
import os
import re
import sys
import warnings

if sys.version_info < (3, 9):  # noqa: UP036 - the user's Python may be older
    sys.stderr.write("djangocdk needs Python 3.9 or newer, this is {}.{}\n".format(*sys.version_info))
    sys.exit(3)

SKIP_DIRS = {
    "node_modules",
    "site-packages",
    "__pycache__",
    "migrations",
    "venv",
    "env",
    "tests",
    "test",
    "build",
    "dist",
}

# Files that tests, not the application, are made of.
SKIP_FILES = ("test_*.py", "*_test.py", "tests.py", "conftest.py")

# django-environ: method -> (cast, default variable, index of a positional default)
ENV_METHODS = {
    "str": ("str", None, 1),
    "bytes": ("bytes", None, 1),
    "bool": ("bool", None, 1),
    "int": ("int", None, 1),
    "float": ("float", None, 1),
    "json": ("json", None, 1),
    "list": ("list", None, 2),
    "tuple": ("tuple", None, 2),
    "dict": ("dict", None, 2),
    "url": ("url", None, 1),
    "path": ("path", None, 1),
    "db": ("db", "DATABASE_URL", 1),
    "db_url": ("db", "DATABASE_URL", 1),
    "cache": ("cache", "CACHE_URL", 1),
    "cache_url": ("cache", "CACHE_URL", 1),
    "email": ("email", "EMAIL_URL", 1),
    "email_url": ("email", "EMAIL_URL", 1),
    "search_url": ("search", "SEARCH_URL", 1),
    "channels": ("channels", "CHANNELS_URL", 1),
    "channels_url": ("channels", "CHANNELS_URL", 1),
    "get_value": (None, None, 2),
    "__call__": (None, None, 2),
}

# Casts whose value is a dictionary that Django settings take as is.
DICT_CASTS = {"db", "cache", "email", "search", "channels"}

ENV_CLASSES = {"environ.Env", "environ.FileAwareEnv", "environ.environ.Env"}
DECOUPLE_CONFIGS = {"decouple.AutoConfig", "decouple.Config"}
DOTENV_CALLS = {
    "environ.Env.read_env",
    "environ.FileAwareEnv.read_env",
    "dotenv.load_dotenv",
    "dotenv.read_dotenv",
}
CAST_NAMES = {
    "str": "str",
    "bool": "bool",
    "int": "int",
    "float": "float",
    "list": "list",
    "tuple": "tuple",
    "dict": "dict",
    "json.loads": "json",
    "Path": "path",
    "pathlib.Path": "path",
    "dj_database_url.parse": "db",
    "decouple.Csv": "list",
    "decouple.Choices": "str",
}

# Exceptions whose handler makes a failed read harmless.
SWALLOWING = {
    "KeyError",
    "LookupError",
    "Exception",
    "BaseException",
    "ImproperlyConfigured",
    "UndefinedValueError",
    "ValueError",
}

WSGI_MARKS = {"get_wsgi_application", "WSGIHandler"}
ASGI_MARKS = {
    "get_asgi_application",
    "ProtocolTypeRouter",
    "URLRouter",
    "ASGIHandler",
    "ASGIStaticFilesHandler",
    "AuthMiddlewareStack",
}

# Set by the "debug" option: evaluation failures are raised, not skipped.
DEBUG = False

APPLICATION_RE = re.compile(rb"\bapplication\s*[:=(]")
BEAT_WORDS = (b"beat_schedule", b"BEAT_SCHEDULE", b"periodic_task")


class Unknown:
    """A value that cannot be known without running the code."""

    __slots__ = ()

    def __repr__(self):
        return "UNKNOWN"


UNKNOWN = Unknown()


class Ref:
    """A name bound to something outside the evaluated code: a module, an
    imported object, a builtin; qual is its dotted name."""

    __slots__ = ("qual",)

    def __init__(self, qual):
        self.qual = qual


class EnvValue:
    """The value of an environment read (its record, when one was made)."""

    __slots__ = ("read", "name")

    def __init__(self, read, name):
        self.read = read
        self.name = name


class EnvDict(dict):
    """A settings dictionary parsed from an environment URL (env.db(),
    dj_database_url.config()); the keys are those set literally."""

    def __init__(self, var, *args):
        dict.__init__(self, *args)
        self.var = var


class EnvObj:
    """A django-environ Env instance and its schema: name -> (cast, default)."""

    __slots__ = ("schema",)

    def __init__(self, schema):
        self.schema = schema


class DecoupleObj:
    """A python-decouple config object (AutoConfig(), Config(...))."""

    __slots__ = ()


class FuncObj:
    """A function defined in the project: calls to it are read through
    (get_env("X") reading os.environ[name] is a read of X)."""

    __slots__ = ("node", "ev")

    def __init__(self, node, ev):
        self.node = node
        self.ev = ev


class Method:
    """An attribute of a value: obj.name, before it is called."""

    __slots__ = ("obj", "name")

    def __init__(self, obj, name):
        self.obj = obj
        self.name = name


class CastMark:
    """A cast object such as decouple's Csv()."""

    __slots__ = ("cast",)

    def __init__(self, cast):
        self.cast = cast


class RouteItem:
    """One path()/re_path()/url() entry of a urlpatterns list."""

    __slots__ = (
        "pattern",
        "regex",
        "view",
        "name",
        "file",
        "line",
        "include",
        "conditional",
    )

    def __init__(self, pattern, regex, view, name, file, line, include, conditional):
        self.pattern = pattern
        self.regex = regex
        self.view = view
        self.name = name
        self.file = file
        self.line = line
        self.include = include
        self.conditional = conditional


class Include:
    """The target of include(): a module name, a Ref, a list of routes, or
    UNKNOWN (with the source text)."""

    __slots__ = ("target", "text")

    def __init__(self, target, text):
        self.target = target
        self.text = text


FLAG_WORDS = {"1", "0", "true", "false", "yes", "no", "on", "off", "t", "f", "y", "n"}


def is_flag_word(v):
    """Whether v is a literal an environment string is compared with to
    make a boolean ("1", "true", ("yes", "on")...)."""
    if isinstance(v, (list, tuple)):
        return bool(v) and all(is_flag_word(x) for x in v)
    return isinstance(v, str) and v.lower() in FLAG_WORDS


def known(v):
    """Whether v is fully literal (no unknown part)."""
    if isinstance(v, (list, tuple)):
        return all(known(x) for x in v)
    if isinstance(v, dict):
        return not isinstance(v, EnvDict) and all(known(x) for x in v.values())
    if isinstance(v, float):
        return v == v and v not in (float("inf"), float("-inf"))  # JSON has no NaN nor Infinity
    if isinstance(v, int) and not isinstance(v, bool):
        return -(1 << 63) <= v < 1 << 63
    return isinstance(v, (str, bool, type(None)))


def to_json(v):
    if isinstance(v, (list, tuple)):
        return [to_json(x) for x in v]
    if isinstance(v, dict):
        return {str(k): to_json(x) for k, x in v.items()}
    return v


def cast_name(v):
    if isinstance(v, CastMark):
        return v.cast
    if isinstance(v, Ref):
        return CAST_NAMES.get(v.qual, CAST_NAMES.get(v.qual.rsplit(".", 1)[-1], "custom"))
    if isinstance(v, list):
        return "list"
    if isinstance(v, tuple):
        return "tuple"
    if isinstance(v, dict):
        return "dict"
    return "custom"


def handler_names(handler):
    """The exception names a handler catches ("" for a bare except)."""
    t = handler.type
    if t is None:
        return {""}
    elems = t.elts if isinstance(t, ast.Tuple) else [t]
    out = set()
    for e in elems:
        if isinstance(e, ast.Name):
            out.add(e.id)
        elif isinstance(e, ast.Attribute):
            out.add(e.attr)
    return out


def swallows(handler):
    """Whether a handler keeps a failed read from crashing the import."""
    names = handler_names(handler)
    if "" not in names and not (names & SWALLOWING):
        return False
    return not (handler.body and isinstance(handler.body[-1], ast.Raise))


def head_name(node):
    """The leftmost name of a.b.c / a.b().c, or None."""
    while True:
        if isinstance(node, ast.Name):
            return node.id
        if isinstance(node, ast.Attribute):
            node = node.value
        elif isinstance(node, ast.Call):
            node = node.func
        elif isinstance(node, ast.Subscript):
            node = node.value
        else:
            return None


class Scanner:
    """State of one scan: parsed files, evaluated modules, what was found."""

    def __init__(self, root):
        self.root = os.path.abspath(root)
        self.trees = {}
        self.texts = {}
        self.sources = {}
        self.errors = []
        self.reads = []
        self.sites = []  # (evaluator, call node) of the project functions being read through
        self.inlining = []  # their definitions
        self.read_keys = set()
        self.dotenv = []
        self.modules = {}  # dotted -> Evaluator (settings mode)
        self.module_order = []
        self.urlmods = {}  # dotted -> Evaluator (urls mode)
        self.settings_ns = {}
        self.literal_locs = {}

    # files and modules

    def rel(self, path):
        return os.path.relpath(path, self.root).replace(os.sep, "/")

    def module_file(self, dotted):
        if not dotted or any(not p.isidentifier() for p in dotted.split(".")):
            return None
        base = os.path.join(self.root, *dotted.split("."))
        for cand in (base + ".py", os.path.join(base, "__init__.py")):
            if os.path.isfile(cand):
                return cand
        return None

    def module_name(self, path):
        rel = os.path.relpath(path, self.root)
        parts = rel[:-3].split(os.sep) if rel.endswith(".py") else rel.split(os.sep)
        if parts and parts[-1] == "__init__":
            parts = parts[:-1]
        if not parts or any(not p.isidentifier() for p in parts):
            return None
        return ".".join(parts)

    def lines(self, path):
        """The decoded source lines of a file (for source text of nodes)."""
        if path not in self.texts:
            src = self.source(path) or b""
            try:
                text = importlib.util.decode_source(src)
            except (SyntaxError, UnicodeDecodeError, LookupError):
                text = src.decode("utf-8", "replace")
            self.texts[path] = text.splitlines()
        return self.texts[path]

    def source(self, path):
        if path not in self.sources:
            try:
                with open(path, "rb") as f:
                    self.sources[path] = f.read()
            except OSError as e:
                self.sources[path] = None
                self.errors.append(f"{self.rel(path)}: {e.strerror or e}")
        return self.sources[path]

    def parse(self, path):
        if path in self.trees:
            return self.trees[path]
        tree = None
        src = self.source(path)
        if src is not None:
            try:
                with warnings.catch_warnings():
                    warnings.simplefilter("ignore")
                    tree = ast.parse(src, filename=path)
            except SyntaxError as e:
                self.errors.append(f"{self.rel(path)}:{e.lineno or 0}: SyntaxError: {e.msg}")
            except ValueError as e:  # null bytes, bad encoding cookie
                self.errors.append(f"{self.rel(path)}: {e}")
            except (RecursionError, MemoryError):
                self.errors.append(f"{self.rel(path)}: too deeply nested to parse")
        self.trees[path] = tree
        return tree

    def load(self, dotted, flags=None):
        """Evaluate a project module the way importing it would (its parent
        packages first); returns its Evaluator or None."""
        if dotted in self.modules:
            return self.modules[dotted]
        path = self.module_file(dotted)
        if path is None:
            return None
        parts = dotted.split(".")
        for i in range(1, len(parts)):
            parent = ".".join(parts[:i])
            if parent not in self.modules:
                self.load(parent, flags)
        is_pkg = os.path.basename(path) == "__init__.py"
        ev = Evaluator(self, dotted, path, is_pkg, "settings")
        if flags:
            ev.guard, ev.cond = flags
        self.modules[dotted] = ev
        self.module_order.append(dotted)
        tree = self.parse(path)
        if tree is not None:
            ev.run(tree.body)
            ev.finish()
        parent, _, last = dotted.rpartition(".")
        if parent in self.modules:
            # importing a.b sets attribute b on package a
            self.modules[parent].ns.setdefault(last, Ref(dotted))
        return ev

    def load_urls(self, dotted):
        if dotted in self.urlmods:
            return self.urlmods[dotted]
        path = self.module_file(dotted)
        if path is None:
            return None
        is_pkg = os.path.basename(path) == "__init__.py"
        ev = Evaluator(self, dotted, path, is_pkg, "urls")
        self.urlmods[dotted] = ev
        tree = self.parse(path)
        if tree is not None:
            ev.run(tree.body)
        return ev

    def add_read(self, ev, node, name, kind, cast, required, default):
        if not isinstance(name, str) or not name:
            return None
        # A read in a project function called by the settings is reported
        # where the settings call it.
        chain = [e for e, _ in self.sites] + [ev]
        site_ev, site = self.sites[0] if self.sites else (ev, node)
        rec = {
            "name": name,
            "file": self.rel(site_ev.path),
            "line": site.lineno,
            "required": bool(required) and not any(e.guard or e.in_func or name in e.checked for e in chain),
            "kind": kind,
            "cast": cast,
            "default": default,
            "conditional": any(e.cond > 0 for e in chain),
            "in_function": any(e.in_func for e in chain),
            "via": site_ev.text(site.func) if self.sites else "",
        }
        key = (rec["file"], site.lineno, site.col_offset, name, kind)
        if key in self.read_keys:
            return None
        self.read_keys.add(key)
        self.reads.append(rec)
        return rec


class Evaluator:
    """Executes one module's statements on a namespace of known values."""

    def __init__(self, scanner, dotted, path, is_pkg, mode, ns=None):
        self.s = scanner
        self.dotted = dotted
        self.path = path
        self.package = dotted if is_pkg else dotted.rpartition(".")[0]
        self.mode = mode
        self.ns = {} if ns is None else ns
        self.locs = {}
        self.guard = 0  # inside try: with a handler that swallows failures
        self.cond = 0  # inside a branch that may not run
        self.in_func = False
        self.dry = False  # evaluate for reads only, change nothing
        self.checked = frozenset()  # names tested for presence ("X" in os.environ)
        self.funcs = []

    # statements

    def run(self, body):
        for stmt in body:
            try:
                self.stmt(stmt)
            except Exception:  # noqa: BLE001 - one odd statement must not stop the scan
                if DEBUG:
                    raise
                continue

    def finish(self):
        """Read the bodies of the module's functions, after its top level
        (a body may use names bound later in the module)."""
        while self.funcs:
            funcs, self.funcs = self.funcs, []
            for f in funcs:
                self.function(f)

    def sub(self, body, dry=None, cond=0, guard=0, checked=None, in_func=None):
        saved = (self.dry, self.cond, self.guard, self.checked, self.in_func, self.ns)
        if dry or (in_func and not self.in_func):
            self.ns = dict(self.ns)
            self.dry = True
        self.cond += cond
        self.guard += guard
        if checked:
            self.checked = self.checked | checked
        if in_func is not None:
            self.in_func = in_func
        try:
            self.run(body)
        finally:
            self.dry, self.cond, self.guard, self.checked, self.in_func, self.ns = saved

    def function(self, node):
        """Reads in a function body happen when it is called: recorded as
        not required."""
        saved = (self.ns, self.cond, self.guard, self.checked)
        self.ns = dict(self.ns)
        self.cond, self.guard, self.checked = 0, 0, frozenset()
        args = node.args
        for a in args.posonlyargs + args.args + args.kwonlyargs:
            self.ns[a.arg] = UNKNOWN
        for a in (args.vararg, args.kwarg):
            if a is not None:
                self.ns[a.arg] = UNKNOWN
        try:
            self.sub(node.body, in_func=True)
        finally:
            self.ns, self.cond, self.guard, self.checked = saved

    def text(self, node):
        """A node's source text as written (the same on every Python
        version), or ast.unparse's when it spans lines."""
        end = getattr(node, "end_lineno", None)
        if end == node.lineno:
            lines = self.s.lines(self.path)
            if 0 < end <= len(lines):
                raw = lines[end - 1].encode("utf-8")
                seg = raw[node.col_offset : node.end_col_offset].decode("utf-8", "replace")
                if seg.strip():
                    return seg
        return ast.unparse(node)

    def bind(self, name, value, node):
        self.ns[name] = value
        if not self.dry:
            self.locs[name] = (self.s.rel(self.path), node.lineno, self.cond > 0)

    def stmt(self, node):
        if isinstance(node, ast.Assign):
            value = self.ev(node.value)
            for target in node.targets:
                self.assign(target, value, node)
        elif isinstance(node, ast.AnnAssign):
            if node.value is not None:
                self.assign(node.target, self.ev(node.value), node)
        elif isinstance(node, ast.AugAssign):
            self.augassign(node)
        elif isinstance(node, ast.Expr):
            self.ev(node.value)
        elif isinstance(node, ast.If):
            self.if_stmt(node)
        elif isinstance(node, ast.Try) or type(node).__name__ == "TryStar":
            self.try_stmt(node)
        elif isinstance(node, (ast.With, ast.AsyncWith)):
            for item in node.items:
                self.ev(item.context_expr)
                if item.optional_vars is not None:
                    self.assign(item.optional_vars, UNKNOWN, node)
            self.run(node.body)
        elif isinstance(node, (ast.For, ast.AsyncFor, ast.While)):
            self.ev(node.iter if not isinstance(node, ast.While) else node.test)
            self.sub(node.body + node.orelse, dry=True, cond=1)
        elif isinstance(node, ast.Import):
            self.import_stmt(node)
        elif isinstance(node, ast.ImportFrom):
            self.import_from(node)
        elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            for d in node.decorator_list:
                self.ev(d)
            for d in node.args.defaults + [d for d in node.args.kw_defaults if d]:
                self.ev(d)
            if self.in_func:
                self.bind(node.name, UNKNOWN, node)
                self.function(node)
            else:
                self.bind(node.name, FuncObj(node, self), node)
                self.funcs.append(node)
        elif isinstance(node, ast.ClassDef):
            for d in node.decorator_list + node.bases:
                self.ev(d)
            self.sub(node.body, dry=True)
            self.bind(node.name, UNKNOWN, node)
        elif isinstance(node, ast.Delete):
            for t in node.targets:
                if isinstance(t, ast.Name) and not self.dry:
                    self.ns.pop(t.id, None)
        elif isinstance(node, (ast.Return, ast.Raise)):
            for child in ast.iter_child_nodes(node):
                self.ev(child)
        elif type(node).__name__ == "Match":
            self.ev(node.subject)
            for case in node.cases:
                self.sub(case.body, dry=True, cond=1)

    def if_stmt(self, node):
        start = len(self.s.reads)
        test = self.truth(self.ev(node.test))
        checked = self.presence(node.test, start)
        if test is None:
            self.sub(node.body, cond=1, checked=checked)
            self.sub(node.orelse, cond=1)
        else:
            self.sub(node.body, dry=not test, cond=0 if test else 1, checked=checked)
            self.sub(node.orelse, dry=test, cond=1 if test else 0)

    def try_stmt(self, node):
        guard = 1 if any(swallows(h) for h in node.handlers) else 0
        self.sub(node.body, guard=guard)
        for h in node.handlers:
            self.sub(h.body, dry=True, cond=1)
        self.run(node.orelse)
        self.run(node.finalbody)

    def presence(self, test, start):
        """Names a test checks for presence: "X" in os.environ, or any
        environment read made by the test itself."""
        names = set()
        for n in ast.walk(test):
            if isinstance(n, ast.Compare) and len(n.ops) == 1 and isinstance(n.ops[0], ast.In):
                c = self.quiet(n.comparators[0])
                left = self.quiet(n.left)
                if isinstance(c, Ref) and c.qual == "os.environ" and isinstance(left, str):
                    names.add(left)
        for rec in self.s.reads[start:]:
            names.add(rec["name"])
        return frozenset(names)

    def quiet(self, node):
        """Evaluate an expression that was evaluated already (no side effects
        are repeated: reads are deduplicated, mutations are dry)."""
        saved = self.dry
        self.dry = True
        try:
            return self.ev(node)
        finally:
            self.dry = saved

    @staticmethod
    def truth(v):
        if isinstance(v, (str, int, float, bool, type(None), list, tuple)) or (
            isinstance(v, dict) and not isinstance(v, EnvDict)
        ):
            return bool(v)
        return None

    def assign(self, target, value, node):
        if isinstance(target, ast.Name):
            self.bind(target.id, value, node)
        elif isinstance(target, (ast.Tuple, ast.List)):
            vals = value if isinstance(value, (list, tuple)) else None
            if vals is not None and len(vals) != len(target.elts):
                vals = None
            for i, t in enumerate(target.elts):
                if isinstance(t, ast.Starred):
                    self.assign(t.value, UNKNOWN, node)
                else:
                    self.assign(t, vals[i] if vals is not None else UNKNOWN, node)
        elif isinstance(target, ast.Subscript):
            container = self.ev(target.value)
            key = self.ev(target.slice)
            if self.dry:
                return
            if isinstance(container, dict) and isinstance(key, (str, int)):
                container[key] = value
            elif isinstance(container, list) and isinstance(key, (int, slice)):
                try:
                    container[key] = list(value) if isinstance(key, slice) else value
                except (IndexError, TypeError, ValueError):
                    pass
        elif isinstance(target, ast.Attribute):
            self.ev(target.value)

    def augassign(self, node):
        value = self.ev(node.value)
        target = node.target
        if not isinstance(target, ast.Name):
            self.ev(target)
            return
        cur = self.ns.get(target.id, UNKNOWN)
        if isinstance(node.op, ast.Add):
            if isinstance(cur, list) and not self.dry:
                cur.extend(self.items(value))
                self.bind(target.id, cur, node)
                return
            new = self.add(cur, value)
        elif isinstance(node.op, ast.BitOr) and isinstance(cur, dict) and isinstance(value, dict):
            new = dict(cur)
            new.update(value)
        else:
            new = UNKNOWN
        self.bind(target.id, new, node)

    def items(self, value):
        if isinstance(value, (list, tuple)):
            return list(value)
        return [UNKNOWN]

    @staticmethod
    def add(a, b):
        if isinstance(a, (list, tuple)) and isinstance(b, (list, tuple)):
            out = list(a) + list(b)
            return tuple(out) if isinstance(a, tuple) and isinstance(b, tuple) else out
        if isinstance(a, str) and isinstance(b, str):
            return a + b
        if isinstance(a, (int, float)) and isinstance(b, (int, float)):
            if not isinstance(a, bool) and not isinstance(b, bool):
                return a + b
        # a list and a value that is not known (env.list(...), a call): the
        # list's items are still there
        if isinstance(a, (list, tuple)) and not isinstance(b, (str, int, float, dict)):
            return list(a) + [UNKNOWN]
        if isinstance(b, (list, tuple)) and not isinstance(a, (str, int, float, dict)):
            return [UNKNOWN] + list(b)
        return UNKNOWN

    # imports

    def resolve_from(self, node):
        if node.level == 0:
            return node.module or ""
        base = self.package.split(".") if self.package else []
        if node.level > 1:
            if node.level - 1 > len(base):
                return None
            base = base[: len(base) - (node.level - 1)]
        if node.module:
            base = base + node.module.split(".")
        return ".".join(base)

    def in_project(self, dotted):
        return self.s.module_file(dotted) is not None

    def import_stmt(self, node):
        for alias in node.names:
            name = alias.name
            if self.mode == "settings" and self.in_project(name):
                self.s.load(name, (self.guard, self.cond))
            if alias.asname:
                self.bind(alias.asname, Ref(name), node)
            else:
                top = name.split(".")[0]
                self.bind(top, Ref(top), node)

    def import_from(self, node):
        mod = self.resolve_from(node)
        if mod is None:
            return
        settings = self.mode == "settings"
        src = None
        if settings and mod and self.in_project(mod):
            src = self.s.load(mod, (self.guard, self.cond))
        for alias in node.names:
            if alias.name == "*":
                if src is not None:
                    names = src.ns.get("__all__")
                    if not isinstance(names, (list, tuple)):
                        names = [k for k in src.ns if not k.startswith("_")]
                    for k in names:
                        if isinstance(k, str) and k in src.ns:
                            self.ns[k] = src.ns[k]
                            if not self.dry and k in src.locs:
                                self.locs[k] = src.locs[k]
                continue
            full = (mod + "." if mod else "") + alias.name
            if settings and self.in_project(full):
                sub = self.s.load(full, (self.guard, self.cond))
                value = Ref(full) if sub is not None else UNKNOWN
            elif src is not None and alias.name in src.ns:
                value = src.ns[alias.name]
            else:
                value = Ref(full)
            self.bind(alias.asname or alias.name, value, node)
            if src is not None and alias.name in src.locs and not self.dry:
                self.locs[alias.asname or alias.name] = src.locs[alias.name]

    # expressions

    def ev(self, node):
        if node is None:
            return None
        method = getattr(self, "ev_" + type(node).__name__, None)
        if method is not None:
            return method(node)
        for child in ast.iter_child_nodes(node):
            self.ev_any(child)
        return UNKNOWN

    def ev_any(self, node):
        if isinstance(node, ast.expr):
            self.ev(node)
        elif isinstance(node, ast.arguments):
            for d in node.defaults + [d for d in node.kw_defaults if d]:
                self.ev(d)
        elif isinstance(node, (ast.comprehension, ast.keyword, ast.FormattedValue)):
            for child in ast.iter_child_nodes(node):
                self.ev_any(child)

    def ev_Constant(self, node):
        if isinstance(node.value, str) and node.value == "django_celery_beat":
            self.s.literal_locs.setdefault(node.value, (self.s.rel(self.path), node.lineno))
        return node.value

    def ev_Name(self, node):
        if node.id in self.ns:
            return self.ns[node.id]
        if node.id == "__file__":
            return UNKNOWN
        return Ref(node.id)

    def ev_Attribute(self, node):
        obj = self.ev(node.value)
        attr = node.attr
        if isinstance(obj, Ref):
            q = obj.qual
            if q == "django.conf.settings" and attr in self.s.settings_ns:
                return self.s.settings_ns[attr]
            mod = self.s.modules.get(q) if self.mode == "settings" else None
            if mod is not None and attr in mod.ns:
                return mod.ns[attr]
            return Ref(q + "." + attr)
        if isinstance(obj, (EnvObj, DecoupleObj, list, dict, EnvValue, str)):
            return Method(obj, attr)
        return UNKNOWN

    def ev_Subscript(self, node):
        obj = self.ev(node.value)
        key = self.ev(node.slice)
        if isinstance(obj, Ref) and obj.qual == "os.environ":
            if isinstance(node.ctx, ast.Load) and self.mode == "settings":
                rec = self.s.add_read(self, node, key, "os.environ[]", "str", True, "")
                return EnvValue(rec, key)
            return UNKNOWN
        if isinstance(obj, (dict, list, tuple, str)) and not isinstance(key, Unknown):
            try:
                return obj[key]
            except (KeyError, IndexError, TypeError, ValueError):
                return UNKNOWN
        return UNKNOWN

    def ev_Slice(self, node):
        parts = [self.ev(p) if p is not None else None for p in (node.lower, node.upper, node.step)]
        if all(p is None or isinstance(p, int) for p in parts):
            return slice(*parts)
        return UNKNOWN

    def ev_List(self, node):
        return self.seq(node.elts)

    def ev_Tuple(self, node):
        return tuple(self.seq(node.elts))

    def ev_Set(self, node):
        return self.seq(node.elts)

    def seq(self, elts):
        out = []
        for e in elts:
            if isinstance(e, ast.Starred):
                v = self.ev(e.value)
                out.extend(self.items(v))
            else:
                out.append(self.ev(e))
        return out

    def ev_Dict(self, node):
        out = {}
        var = None
        for k, v in zip(node.keys, node.values):
            val = self.ev(v)
            if k is None:
                if isinstance(val, EnvDict):
                    var = val.var
                if isinstance(val, dict):
                    out.update(val)
                continue
            key = self.ev(k)
            if isinstance(key, (str, int, float, bool, type(None))):
                out[key] = val
        if var is not None:
            return EnvDict(var, out)
        return out

    def ev_BinOp(self, node):
        a = self.ev(node.left)
        b = self.ev(node.right)
        if isinstance(node.op, ast.Add):
            return self.add(a, b)
        if isinstance(node.op, ast.BitOr) and isinstance(a, dict) and isinstance(b, dict):
            out = dict(a)
            out.update(b)
            return out
        if isinstance(node.op, ast.Mod) and isinstance(a, str) and known(b):
            try:
                return a % b
            except (TypeError, ValueError, KeyError):
                return UNKNOWN
        for v in (a, b):
            if isinstance(v, EnvValue) and v.read and isinstance(node.op, ast.Div):
                self.set_cast(v, "path")
        return UNKNOWN

    def ev_JoinedStr(self, node):
        parts = []
        for v in node.values:
            if isinstance(v, ast.Constant):
                parts.append(str(v.value))
            elif isinstance(v, ast.FormattedValue):
                val = self.ev(v.value)
                if v.format_spec is not None:
                    self.ev(v.format_spec)
                if isinstance(val, (str, int)) and v.conversion == -1 and v.format_spec is None:
                    parts.append(str(val))
                else:
                    parts.append(None)
        if None in parts:
            return UNKNOWN
        return "".join(parts)

    def ev_UnaryOp(self, node):
        v = self.ev(node.operand)
        if isinstance(node.op, ast.Not):
            t = self.truth(v)
            return UNKNOWN if t is None else not t
        if isinstance(node.op, ast.USub) and isinstance(v, (int, float)):
            return -v
        return UNKNOWN

    def ev_BoolOp(self, node):
        start = len(self.s.reads)
        vals = []
        saved = self.checked
        try:
            for e in node.values:
                vals.append(self.ev(e))
                if isinstance(node.op, ast.And):
                    self.checked = self.checked | self.presence(e, start)
        finally:
            self.checked = saved
        result = vals[0]
        for v in vals[1:]:
            t = self.truth(result)
            if t is None:
                return UNKNOWN
            if isinstance(node.op, ast.And):
                result = v if t else result
            else:
                result = result if t else v
        return result

    def ev_Compare(self, node):
        left = self.ev(node.left)
        rights = [self.ev(c) for c in node.comparators]
        for v, other in ((left, rights[0]), (rights[0], left)):
            if isinstance(v, EnvValue) and is_flag_word(other):
                self.set_cast(v, "bool")
        ops = {
            ast.Eq: lambda a, b: a == b,
            ast.NotEq: lambda a, b: a != b,
            ast.In: lambda a, b: a in b,
            ast.NotIn: lambda a, b: a not in b,
            ast.Is: lambda a, b: a is b,
            ast.IsNot: lambda a, b: a is not b,
        }
        a = left
        for op, b in zip(node.ops, rights):
            fn = ops.get(type(op))
            if fn is None or not known(a) or not known(b):
                return UNKNOWN
            try:
                if not fn(a, b):
                    return False
            except TypeError:
                return UNKNOWN
            a = b
        return True

    def ev_IfExp(self, node):
        start = len(self.s.reads)
        t = self.truth(self.ev(node.test))
        checked = self.presence(node.test, start)
        saved = (self.checked, self.cond)
        self.checked = self.checked | checked
        self.cond += 1
        try:
            body = self.ev(node.body)
        finally:
            self.checked = saved[0]
        try:
            other = self.ev(node.orelse)
        finally:
            self.cond = saved[1]
        if t is None:
            return UNKNOWN
        return body if t else other

    def ev_Lambda(self, node):
        saved = (self.in_func, self.ns)
        self.in_func = True
        self.ns = dict(self.ns)
        for a in node.args.args:
            self.ns[a.arg] = UNKNOWN
        try:
            self.ev(node.body)
        finally:
            self.in_func, self.ns = saved
        return UNKNOWN

    def ev_NamedExpr(self, node):
        v = self.ev(node.value)
        self.assign(node.target, v, node)
        return v

    def ev_Starred(self, node):
        return self.ev(node.value)

    # calls

    def ev_Call(self, node):
        fv = self.ev(node.func)
        args = [self.ev(a) for a in node.args]
        kwargs = {}
        for kw in node.keywords:
            v = self.ev(kw.value)
            if kw.arg is not None:
                kwargs[kw.arg] = v
        if isinstance(fv, Ref):
            return self.call_ref(node, fv.qual, args, kwargs)
        if isinstance(fv, EnvObj):
            return self.env_read(node, fv, "__call__", args, kwargs)
        if isinstance(fv, DecoupleObj):
            return self.decouple_read(node, args, kwargs)
        if isinstance(fv, Method):
            return self.call_method(node, fv, args, kwargs)
        if isinstance(fv, FuncObj):
            return self.call_function(node, fv, args, kwargs)
        return UNKNOWN

    def call_function(self, node, fn, args, kwargs):
        """Read a project function's body with its parameters bound to the
        call's arguments, for the environment reads it makes."""
        sc = self.s
        ev, f = fn.ev, fn.node
        if self.mode != "settings" or len(sc.inlining) >= 4 or f in sc.inlining:
            return UNKNOWN
        params = f.args
        ns = dict(ev.ns)
        positional = params.posonlyargs + params.args
        first_default = len(positional) - len(params.defaults)
        for i, a in enumerate(positional):
            if i < len(args):
                ns[a.arg] = args[i]
            elif a.arg in kwargs:
                ns[a.arg] = kwargs[a.arg]
            elif i >= first_default:
                ns[a.arg] = ev.quiet(params.defaults[i - first_default])
            else:
                ns[a.arg] = UNKNOWN
        for a, d in zip(params.kwonlyargs, params.kw_defaults):
            ns[a.arg] = kwargs[a.arg] if a.arg in kwargs else (ev.quiet(d) if d is not None else UNKNOWN)
        if params.vararg is not None:
            ns[params.vararg.arg] = tuple(args[len(positional) :])
        if params.kwarg is not None:
            ns[params.kwarg.arg] = dict(kwargs)
        saved = (ev.ns, ev.dry, ev.cond, ev.guard, ev.checked, ev.in_func, ev.funcs)
        ev.ns, ev.dry, ev.cond, ev.guard, ev.checked, ev.in_func, ev.funcs = (ns, True, 0, 0, frozenset(), False, [])
        sc.sites.append((self, node))
        sc.inlining.append(f)
        try:
            ev.run(f.body)
        finally:
            sc.sites.pop()
            sc.inlining.pop()
            ev.ns, ev.dry, ev.cond, ev.guard, ev.checked, ev.in_func, ev.funcs = saved
        return UNKNOWN

    def call_ref(self, node, q, args, kwargs):
        if q in ("os.getenv", "os.environ.get", "os.environ.setdefault"):
            kind = "os.environ.setdefault" if q.endswith("setdefault") else q
            name = args[0] if args else kwargs.get("key")
            default = self.arg_text(node, 1, "default")
            rec = self.read(node, name, kind, "str", False, default)
            return EnvValue(rec, name)
        if q == "decouple.config":
            return self.decouple_read(node, args, kwargs)
        if q in DECOUPLE_CONFIGS:
            return DecoupleObj()
        if q in ("decouple.Csv", "decouple.Choices"):
            return CastMark(CAST_NAMES[q])
        if q in ENV_CLASSES:
            schema = {}
            for k, v in kwargs.items():
                if isinstance(v, tuple) and len(v) == 2:
                    schema[k] = (cast_name(v[0]), self.kw_text(node, k, 1))
                elif isinstance(v, (dict, tuple)) and not isinstance(v, EnvDict):
                    schema[k] = ("dict", None)
                else:
                    schema[k] = (cast_name(v), None)
            return EnvObj(schema)
        if q in DOTENV_CALLS:
            self.dotenv_mark(node, q)
            return UNKNOWN
        if q == "dj_database_url.config":
            name = kwargs.get("env", "DATABASE_URL")
            default = self.arg_text(node, 99, "default")
            self.read(node, name, "dj_database_url", "db", not default, default)
            out = EnvDict(name if isinstance(name, str) else "DATABASE_URL")
            self.db_kwargs(out, kwargs)
            return out
        if q == "dj_database_url.parse":
            v = args[0] if args else kwargs.get("url")
            if isinstance(v, EnvValue):
                self.set_cast(v, "db", force=True)
                out = EnvDict(v.name if isinstance(v.name, str) else "")
                self.db_kwargs(out, kwargs)
                return out
            return UNKNOWN
        if q in ("int", "float", "bool", "json.loads", "Path", "pathlib.Path"):
            if args and isinstance(args[0], EnvValue):
                self.set_cast(args[0], CAST_NAMES[q])
                return args[0]
            if q == "int" and args and isinstance(args[0], str):
                try:
                    return int(args[0])
                except ValueError:
                    return UNKNOWN
            return UNKNOWN
        if q in ("list", "tuple") and len(args) == 1 and isinstance(args[0], (list, tuple)):
            return list(args[0]) if q == "list" else tuple(args[0])
        if q == "dict" and not args:
            return dict(kwargs)
        if q == "str" and args and isinstance(args[0], str):
            return args[0]
        if q.startswith("split_settings.tools.include") and self.mode == "settings":
            self.split_include(node, args)
            return None
        if q.startswith("split_settings.tools.optional"):
            return args[0] if args else UNKNOWN
        if self.mode == "urls":
            return self.url_call(node, q, args, kwargs)
        return UNKNOWN

    def call_method(self, node, m, args, kwargs):
        obj, name = m.obj, m.name
        if isinstance(obj, EnvObj):
            if name in ENV_METHODS:
                return self.env_read(node, obj, name, args, kwargs)
            if name == "read_env":
                self.dotenv_mark(node, "environ.Env.read_env")
            return UNKNOWN
        if isinstance(obj, DecoupleObj):
            return UNKNOWN
        if isinstance(obj, EnvValue):
            if name == "split":
                self.set_cast(obj, "list")
                return UNKNOWN
            if name in ("lower", "upper", "strip", "casefold", "title"):
                return obj
            return UNKNOWN
        if isinstance(obj, str):
            if name == "format" and known(args):
                try:
                    return obj.format(*args)
                except (IndexError, KeyError, ValueError):
                    return UNKNOWN
            return UNKNOWN
        if self.dry:
            return UNKNOWN
        if isinstance(obj, list):
            if name == "append" and len(args) == 1:
                obj.append(args[0])
            elif name == "extend" and len(args) == 1:
                obj.extend(self.items(args[0]))
            elif name == "insert" and len(args) == 2 and isinstance(args[0], int):
                obj.insert(args[0], args[1])
            elif name == "remove" and len(args) == 1 and args[0] in obj:
                obj.remove(args[0])
            elif name == "copy":
                return list(obj)
            else:
                return UNKNOWN
            return None
        if isinstance(obj, dict):
            if name == "update" and len(args) <= 1:
                if args and isinstance(args[0], dict):
                    obj.update(args[0])
                obj.update(kwargs)
            elif name == "setdefault" and args and isinstance(args[0], (str, int)):
                return obj.setdefault(args[0], args[1] if len(args) > 1 else None)
            elif name == "get" and args:
                return obj.get(args[0], args[1] if len(args) > 1 else None)
            elif name == "copy":
                return dict(obj)
            else:
                return UNKNOWN
            return None
        return UNKNOWN

    # environment reads

    def read(self, node, name, kind, cast, required, default):
        if self.mode != "settings":
            return None
        return self.s.add_read(self, node, name, kind, cast, required, default)

    def set_cast(self, v, cast, force=False):
        rec = v.read
        if rec is not None and (force or rec["cast"] == "str"):
            rec["cast"] = cast

    def arg_text(self, node, index, kw):
        for k in node.keywords:
            if k.arg == kw:
                return self.text(k.value)
        if index < len(node.args) and not isinstance(node.args[index], ast.Starred):
            return self.text(node.args[index])
        return ""

    def kw_text(self, node, kw, elt):
        for k in node.keywords:
            if k.arg == kw and isinstance(k.value, ast.Tuple) and len(k.value.elts) > elt:
                return self.text(k.value.elts[elt])
        return None

    def env_read(self, node, obj, method, args, kwargs):
        cast, default_var, default_index = ENV_METHODS[method]
        name = kwargs.get("var", args[0] if args else default_var)
        default = self.arg_text(node, default_index, "default")
        if cast is None:
            c = kwargs.get("cast", args[1] if len(args) > 1 else None)
            cast = cast_name(c) if c is not None else None
        schema = obj.schema.get(name) if isinstance(name, str) else None
        if schema is not None:
            if cast is None:
                cast = schema[0]
            if not default and schema[1] is not None:
                default = schema[1]
        cast = cast or "str"
        rec = self.read(node, name, "environ.Env", cast, not default, default)
        if cast in DICT_CASTS:
            out = EnvDict(name if isinstance(name, str) else "")
            for key in ("engine", "backend"):
                if isinstance(kwargs.get(key), str):
                    out["ENGINE" if cast == "db" else "BACKEND"] = kwargs[key]
            return out
        return EnvValue(rec, name)

    def decouple_read(self, node, args, kwargs):
        name = args[0] if args else kwargs.get("option")
        default = self.arg_text(node, 1, "default")
        c = kwargs.get("cast", args[2] if len(args) > 2 else None)
        cast = cast_name(c) if c is not None else "str"
        rec = self.read(node, name, "decouple", cast, not default, default)
        if cast == "db":
            return EnvDict(name if isinstance(name, str) else "")
        return EnvValue(rec, name)

    @staticmethod
    def db_kwargs(out, kwargs):
        for k, key in (
            ("conn_max_age", "CONN_MAX_AGE"),
            ("conn_health_checks", "CONN_HEALTH_CHECKS"),
            ("engine", "ENGINE"),
            ("test_options", "TEST"),
            ("disable_server_side_cursors", "DISABLE_SERVER_SIDE_CURSORS"),
        ):
            if k in kwargs:
                out[key] = kwargs[k]
        if "ssl_require" in kwargs:
            out["OPTIONS"] = UNKNOWN

    def dotenv_mark(self, node, kind):
        if self.mode == "settings":
            mark = {"kind": kind, "file": self.s.rel(self.path), "line": node.lineno}
            if mark not in self.s.dotenv:
                self.s.dotenv.append(mark)

    def split_include(self, node, args):
        """django-split-settings: include("components/*.py", ...) runs the
        files in this module's namespace."""
        here = os.path.dirname(self.path)
        for a in args:
            if not isinstance(a, str):
                continue
            for path in sorted(glob.glob(os.path.join(here, a))):
                path = os.path.abspath(path)
                if not os.path.isfile(path) or path == self.path:
                    continue
                tree = self.s.parse(path)
                if tree is None:
                    continue
                child = Evaluator(self.s, self.dotted, path, False, "settings", self.ns)
                child.package = self.package
                child.guard, child.cond = self.guard, self.cond
                child.locs = self.locs
                child.run(tree.body)
                child.finish()
                name = self.s.module_name(path)
                if name and name not in self.s.module_order:
                    self.s.module_order.append(name)

    # URL configuration

    def url_call(self, node, q, args, kwargs):
        last = q.rsplit(".", 1)[-1]
        if last in ("path", "re_path", "url") and (q == last or q.startswith("django.")):
            return self.route(node, last != "path", args, kwargs)
        if last == "include" and (q == last or q.startswith("django.")):
            target = args[0] if args else kwargs.get("arg", UNKNOWN)
            if isinstance(target, tuple) and target:
                target = target[0]
            if isinstance(target, str):
                text = target
            elif isinstance(target, Ref):
                text = target.qual
            elif node.args:
                text = self.view_text(node.args[0])
            else:
                text = ""
            return Include(target, text)
        # i18n_patterns(...), format_suffix_patterns(...), and the like:
        # keep the routes given to them.
        out = []
        for a in args:
            if isinstance(a, RouteItem):
                out.append(a)
            elif isinstance(a, list) and any(isinstance(x, RouteItem) for x in a):
                out.extend(a)
        return out if out else UNKNOWN

    def route(self, node, regex, args, kwargs):
        pattern = args[0] if args else kwargs.get("route", kwargs.get("regex", UNKNOWN))
        view = args[1] if len(args) > 1 else kwargs.get("view", UNKNOWN)
        pnode = node.args[0] if node.args else None
        if pnode is None:
            for k in node.keywords:
                if k.arg in ("route", "regex"):
                    pnode = k.value
        if not isinstance(pattern, str):
            pattern = self.pattern_text(pnode) if pnode is not None else "{?}"
        vnode = node.args[1] if len(node.args) > 1 else None
        if vnode is None:
            for k in node.keywords:
                if k.arg == "view":
                    vnode = k.value
        name = kwargs.get("name", args[3] if len(args) > 3 else "")
        include = view if isinstance(view, (Include, list)) else None
        if isinstance(view, Include):
            text = view.text
        elif isinstance(view, list):
            text = "[...]"
        else:
            text = self.view_text(vnode) if vnode is not None else ""
        return RouteItem(
            pattern,
            regex,
            text,
            name if isinstance(name, str) else "",
            self.s.rel(self.path),
            node.lineno,
            include,
            self.cond > 0,
        )

    def pattern_text(self, node):
        """A route that is not a literal: its literal parts, and {expression}
        for the others ("{settings.ADMIN_URL}", "api/{VERSION}/")."""
        if isinstance(node, ast.JoinedStr):
            out = []
            for v in node.values:
                if isinstance(v, ast.Constant):
                    out.append(str(v.value))
                else:
                    out.append(self.pattern_text(v.value))
            return "".join(out)
        if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
            return self.pattern_text(node.left) + self.pattern_text(node.right)
        v = self.quiet(node)
        if isinstance(v, str):
            return v
        return "{" + self.text(node) + "}"

    def view_text(self, node):
        text = self.text(node)
        head = head_name(node)
        if head and text.startswith(head):
            v = self.ns.get(head)
            if isinstance(v, Ref) and v.qual != head:
                text = v.qual + text[len(head) :]
        return text


class Walker:
    """Every .py file of the project that init may care about."""

    def __init__(self, scanner):
        self.s = scanner

    def files(self):
        root = self.s.root
        for dirpath, dirnames, filenames in os.walk(root):
            if "pyvenv.cfg" in filenames:
                dirnames[:] = []
                continue
            dirnames[:] = sorted(d for d in dirnames if d not in SKIP_DIRS and not d.startswith("."))
            for f in sorted(filenames):
                if not f.endswith(".py"):
                    continue
                if any(fnmatch.fnmatchcase(f, p) for p in SKIP_FILES):
                    continue
                yield os.path.join(dirpath, f)

    def run(self, out):
        for path in self.files():
            src = self.s.source(path)
            if not src:
                continue
            celery = b"Celery(" in src
            app = APPLICATION_RE.search(src) is not None
            beat = any(w in src for w in BEAT_WORDS)
            if not (celery or app or beat):
                continue
            tree = self.s.parse(path)
            if tree is not None:
                guarded(self.s, self.s.rel(path), self.file, tree, path, celery, app, beat, out)

    def file(self, tree, path, celery, app, beat, out):
        module = self.s.module_name(path)
        if celery and module:
            self.celery(tree, path, module, out["celery_apps"])
        if app and module:
            self.application(tree, path, module, out)
        if beat:
            self.beat(tree, path, out["beat_markers"])

    @staticmethod
    def toplevel(body):
        for stmt in body:
            yield stmt
            if isinstance(stmt, ast.If):
                yield from Walker.toplevel(stmt.body)
                yield from Walker.toplevel(stmt.orelse)
            elif isinstance(stmt, ast.Try):
                yield from Walker.toplevel(stmt.body)
                yield from Walker.toplevel(stmt.orelse)
                for h in stmt.handlers:
                    yield from Walker.toplevel(h.body)
            elif isinstance(stmt, (ast.With,)):
                yield from Walker.toplevel(stmt.body)

    def celery(self, tree, path, module, out):
        apps = {}
        settings_names = set()
        for stmt in self.toplevel(tree.body):
            if isinstance(stmt, ast.ImportFrom) and stmt.module == "django.conf":
                for a in stmt.names:
                    if a.name == "settings":
                        settings_names.add(a.asname or a.name)
            if not isinstance(stmt, (ast.Assign, ast.AnnAssign)) or stmt.value is None:
                continue
            value = stmt.value
            if not isinstance(value, ast.Call):
                continue
            f = value.func
            fname = f.id if isinstance(f, ast.Name) else getattr(f, "attr", None)
            if fname != "Celery":
                continue
            targets = stmt.targets if isinstance(stmt, ast.Assign) else [stmt.target]
            for t in targets:
                if isinstance(t, ast.Name):
                    main = ""
                    if value.args and isinstance(value.args[0], ast.Constant):
                        main = value.args[0].value if isinstance(value.args[0].value, str) else ""
                    for k in value.keywords:
                        if k.arg == "main" and isinstance(k.value, ast.Constant):
                            main = str(k.value.value)
                    apps[t.id] = {
                        "module": module,
                        "var": t.id,
                        "main": main,
                        "file": self.s.rel(path),
                        "line": stmt.lineno,
                        "config_from_settings": False,
                        "namespace": "",
                        "autodiscover": False,
                    }
        if not apps:
            return
        for node in ast.walk(tree):
            if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)):
                continue
            owner = node.func.value
            if not (isinstance(owner, ast.Name) and owner.id in apps):
                continue
            app = apps[owner.id]
            if node.func.attr == "autodiscover_tasks":
                app["autodiscover"] = True
            elif node.func.attr == "config_from_object" and node.args:
                a = node.args[0]
                if (isinstance(a, ast.Constant) and a.value == "django.conf:settings") or (
                    isinstance(a, ast.Name) and a.id in settings_names
                ):
                    app["config_from_settings"] = True
                    for k in node.keywords:
                        if k.arg == "namespace" and isinstance(k.value, ast.Constant):
                            app["namespace"] = str(k.value.value)
        out.extend(apps.values())

    def application(self, tree, path, module, out):
        parts = self.s.rel(path)[:-3].split("/")
        stem = parts[-2] if parts[-1] == "__init__" and len(parts) > 1 else parts[-1]
        kind = None
        for stmt in self.toplevel(tree.body):
            if isinstance(stmt, (ast.Assign, ast.AnnAssign)) and stmt.value is not None:
                targets = stmt.targets if isinstance(stmt, ast.Assign) else [stmt.target]
                if not any(isinstance(t, ast.Name) and t.id == "application" for t in targets):
                    continue
                words = set()
                for n in ast.walk(stmt.value):
                    if isinstance(n, ast.Name):
                        words.add(n.id)
                    elif isinstance(n, ast.Attribute):
                        words.add(n.attr)
                if words & ASGI_MARKS:
                    kind = "asgi"
                elif words & WSGI_MARKS:
                    kind = "wsgi"
                elif kind is None and stem in ("wsgi", "asgi"):
                    kind = stem
            elif isinstance(stmt, ast.AsyncFunctionDef) and stmt.name == "application":
                kind = "asgi"
            elif isinstance(stmt, ast.FunctionDef) and stmt.name == "application":
                kind = "asgi" if stem == "asgi" else "wsgi"
        if kind is not None:
            lst = out["asgi_modules" if kind == "asgi" else "wsgi_modules"]
            if module not in lst:
                lst.append(module)

    def beat(self, tree, path, out):
        rel = self.s.rel(path)

        def mark(kind, node):
            m = {"kind": kind, "file": rel, "line": node.lineno}
            if m not in out:
                out.append(m)

        for node in ast.walk(tree):
            if isinstance(node, ast.Attribute) and node.attr == "beat_schedule":
                mark("beat_schedule", node)
            elif isinstance(node, ast.Call):
                for k in node.keywords:
                    if k.arg == "beat_schedule":
                        mark("beat_schedule", k.value)
                f = node.func
                if getattr(f, "attr", None) == "add_periodic_task" or (
                    isinstance(f, ast.Name) and f.id == "add_periodic_task"
                ):
                    mark("add_periodic_task", node)
            elif isinstance(node, ast.Dict):
                for k in node.keys:
                    if isinstance(k, ast.Constant) and k.value == "beat_schedule":
                        mark("beat_schedule", k)
            elif isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store):
                if node.id in ("CELERY_BEAT_SCHEDULE", "CELERYBEAT_SCHEDULE"):
                    mark(node.id, node)
            elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                for d in node.decorator_list:
                    target = d.func if isinstance(d, ast.Call) else d
                    name = getattr(target, "attr", None) or getattr(target, "id", None)
                    if name == "periodic_task":
                        mark("periodic_task", d)


def storage_backend(ns, alias, legacy):
    storages = ns.get("STORAGES")
    if isinstance(storages, dict) and alias in storages:
        entry = storages[alias]
        if isinstance(entry, dict) and isinstance(entry.get("BACKEND"), str):
            return entry["BACKEND"]
        return ""
    value = ns.get(legacy)
    return value if isinstance(value, str) else ""


def strings(v):
    if isinstance(v, (list, tuple)):
        return [x for x in v if isinstance(x, str)]
    return []


def settings_result(sc, ev, module):
    ns = ev.ns
    names = sorted(
        k
        for k, v in ns.items()
        if k.isupper() and not k.startswith("_") and not isinstance(v, (Ref, EnvObj, DecoupleObj, FuncObj))
    )

    def text(name):
        v = ns.get(name)
        return v if isinstance(v, str) else ""

    def isset(name):
        v = ns.get(name)
        return name in ns and v is not None and v != ""

    databases = {}
    dbs = ns.get("DATABASES")
    if isinstance(dbs, dict):
        for alias, conf in dbs.items():
            info = {"engine": "", "keys": [], "from_env": False, "env_var": ""}
            if isinstance(conf, dict):
                if isinstance(conf.get("ENGINE"), str):
                    info["engine"] = conf["ENGINE"]
                info["keys"] = sorted(str(k) for k in conf)
                if isinstance(conf, EnvDict):
                    info["from_env"] = True
                    info["env_var"] = conf.var
            databases[str(alias)] = info
    scheduler = text("CELERY_BEAT_SCHEDULER") or text("CELERYBEAT_SCHEDULER")
    if not scheduler:
        for k in names:
            if k.endswith("_BEAT_SCHEDULER") and text(k):
                scheduler = text(k)
                break
    middleware = ns.get("MIDDLEWARE", ns.get("MIDDLEWARE_CLASSES"))
    return {
        "module": module,
        "file": sc.rel(ev.path),
        "wsgi_application": text("WSGI_APPLICATION"),
        "asgi_application": text("ASGI_APPLICATION"),
        "root_urlconf": text("ROOT_URLCONF"),
        "installed_apps": strings(ns.get("INSTALLED_APPS")),
        "middleware": strings(middleware),
        "staticfiles_backend": storage_backend(ns, "staticfiles", "STATICFILES_STORAGE"),
        "default_storage_backend": storage_backend(ns, "default", "DEFAULT_FILE_STORAGE"),
        "databases": databases,
        "static_root": isset("STATIC_ROOT"),
        "media_root": isset("MEDIA_ROOT"),
        "celery_beat_scheduler": scheduler,
        "has_celery_settings": any(k.startswith("CELERY") for k in names),
        "defined": names,
        "locations": {k: "{}:{}".format(*ev.locs[k][:2]) for k in names if k in ev.locs},
        "conditional": [k for k in names if k in ev.locs and ev.locs[k][2]],
        "values": {k: to_json(ns[k]) for k in names if known(ns[k])},
    }


def expand(sc, items, prefix, regex, cond, stack, out):
    for item in items:
        if not isinstance(item, RouteItem):
            continue
        pattern = prefix + item.pattern
        rx = regex or item.regex
        c = cond or item.conditional
        inc = item.include
        if inc is None:
            out.append(route_json(item, pattern, rx, c, ""))
            continue
        target = inc.target if isinstance(inc, Include) else inc
        if isinstance(target, list):
            expand(sc, target, pattern, rx, c, stack, out)
            continue
        module = target.qual if isinstance(target, Ref) else target
        if not isinstance(module, str):
            out.append(route_json(item, pattern, rx, c, ""))
            continue
        children = urlpatterns_of(sc, module)
        if children is None:
            out.append(route_json(item, pattern, rx, c, module))
        elif not children:
            out.append(route_json(item, pattern, rx, c, ""))
        elif module not in stack:
            expand(sc, children, pattern, rx, c, stack | {module}, out)


def urlpatterns_of(sc, module):
    """The urlpatterns items of a project module (or of a list that a
    project module binds: "app.urls.api_patterns"), None when the target is
    not in the project."""
    if sc.module_file(module) is not None:
        ev = sc.load_urls(module)
        v = ev.ns.get("urlpatterns")
        return [x for x in v if isinstance(x, RouteItem)] if isinstance(v, list) else []
    parent, _, attr = module.rpartition(".")
    if parent and sc.module_file(parent) is not None:
        ev = sc.load_urls(parent)
        v = ev.ns.get(attr)
        if isinstance(v, list):
            return [x for x in v if isinstance(x, RouteItem)]
        if isinstance(v, Ref):
            return urlpatterns_of(sc, v.qual) if v.qual != module else []
        return []
    return None


def route_json(item, pattern, regex, cond, include):
    return {
        "pattern": pattern,
        "view": item.view,
        "name": item.name,
        "file": item.file,
        "line": item.line,
        "include": include,
        "regex": regex,
        "conditional": cond,
    }


def scan(opts):
    root = opts.get("root") or "."
    sc = Scanner(root)
    if not os.path.isdir(sc.root):
        raise SystemExit(f"djangocdk: {root} is not a directory")
    out = {
        "python": "{}.{}.{}".format(*sys.version_info),
        "env_reads": sc.reads,
        "settings": None,
        "urls": [],
        "celery_apps": [],
        "beat_markers": [],
        "wsgi_modules": [],
        "asgi_modules": [],
        "env_files": sc.dotenv,
        "modules": sc.module_order,
        "errors": sc.errors,
    }
    module = opts.get("settings") or ""
    settings_ev = None
    if module:
        if sc.module_file(module) is None:
            sc.errors.append(f"settings module {module}: not found under {root}")
        else:
            settings_ev = guarded(sc, "settings " + module, sc.load, module)
    for extra in opts.get("extra") or []:
        if sc.module_file(extra) is None:
            sc.errors.append(f"module {extra}: not found under {root}")
        else:
            guarded(sc, "module " + extra, sc.load, extra)
    if settings_ev is not None:
        sc.settings_ns = settings_ev.ns
        out["settings"] = guarded(sc, "settings " + module, settings_result, sc, settings_ev, module)
    if out["settings"] is not None:
        urlconf = out["settings"]["root_urlconf"] or module.split(".")[0] + ".urls"
        guarded(sc, "URLconf " + urlconf, urls, sc, urlconf, out["urls"])
    Walker(sc).run(out)
    if out["settings"] is not None and "django_celery_beat" in out["settings"]["installed_apps"]:
        loc = sc.literal_locs.get("django_celery_beat", ("", 0))
        out["beat_markers"].append({"kind": "django_celery_beat", "file": loc[0], "line": loc[1]})
    return out


def urls(sc, urlconf, out):
    if sc.module_file(urlconf) is not None:
        ev = sc.load_urls(urlconf)
        v = ev.ns.get("urlpatterns")
        items = v if isinstance(v, list) else []
        expand(sc, items, "", False, False, frozenset([urlconf]), out)


def guarded(sc, what, fn, *args):
    """Run one part of the scan; a failure of this script is reported in
    errors and the other parts still run."""
    try:
        return fn(*args)
    except Exception as e:  # noqa: BLE001
        if DEBUG:
            raise
        sc.errors.append(f"{what}: not fully read ({type(e).__name__}: {e})")
        return None


def main():
    global DEBUG
    raw = sys.stdin.read()
    opts = json.loads(raw) if raw.strip() else {}
    DEBUG = bool(opts.get("debug"))
    if len(sys.argv) > 1:
        opts.setdefault("root", sys.argv[1])
    if len(sys.argv) > 2:
        opts.setdefault("settings", sys.argv[2])
    result = scan(opts)
    sys.stdout.write(json.dumps(result, ensure_ascii=True, default=lambda o: None))
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
