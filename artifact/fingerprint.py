"""What an output was made from: its inputs' sha256, its code, the lock file and its parameters.

A task's output is trusted only while its stored fingerprint equals today's, so a changed input or
changed code reruns exactly the tasks that depend on it (README, "Fingerprints").

The code of a task class is the source of the class (and of its project base classes), of the
module-level helpers and constants it names, and of every project module it names, with those
modules' own project imports, transitively; found by reading the sources, not by importing them.
Everything is memoised per process, and file digests are reused while size, modification time,
inode and change time (ctime, which `touch` cannot set back) are unchanged, so checking a complete
graph costs a few stat calls per task, and an output edited in place is hashed again. The same holds
across runs for the code digests (`CodeDigests`, kept in the run's records): a class's digest is
reused while every source file it was read from, and this module, has the identity it had when read.
"""

from __future__ import annotations

import ast
import functools
import hashlib
import inspect
import json
import sys
import time
import types
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from artifact.inputs.digests import sha256_of

PROJECT_PACKAGES = ("artifact", "tasks")
CHECKOUT = Path(__file__).resolve().parent.parent
LOCK_FILE = CHECKOUT / "requirements.lock"
RACY_NS = 2 * 10**9  # a file changed this recently may change again within its timestamps' resolution: not cached
Identity = list[int]  # [size, mtime ns, inode, ctime ns] of a file


def checkout_key(path: Path) -> str:
    """A read file's key in a fingerprint: relative to the checkout when inside it, so a copy elsewhere keeps its outputs current."""
    resolved = path.resolve()
    return f"checkout:{resolved.relative_to(CHECKOUT)}" if resolved.is_relative_to(CHECKOUT) else str(resolved)


@dataclass(frozen=True)
class Fingerprint:
    """The fields that decide whether an output is still what today's inputs and code would make."""

    inputs: dict[str, str]  # input key (manifest id or output path) -> sha256
    code: str
    lock: str
    params: dict[str, str]
    outputs: dict[str, str] = field(default_factory=dict)  # output path -> sha256, when recorded

    def to_json(self, stats: dict[str, list]) -> str:
        """The sidecar's text: the fingerprint and the (size, mtime_ns, sha256) of each file seen."""
        record = {"inputs": self.inputs, "code": self.code, "lock": self.lock, "params": self.params}
        return json.dumps(record | {"outputs": self.outputs, "stats": stats}, indent=1, sort_keys=True) + "\n"


def why_different(stored: dict | None, today: Fingerprint) -> str:
    """The first reason `stored` (a sidecar's content) does not match `today`, or "" when it does."""
    if stored is None:
        return "no fingerprint recorded"
    changed = sorted(k for k in stored.get("inputs", {}).keys() | today.inputs.keys()
                     if stored.get("inputs", {}).get(k) != today.inputs.get(k))
    if changed:
        return "input changed: " + ", ".join(changed)
    if stored.get("code") != today.code:
        return "code changed"
    if stored.get("lock") != today.lock:
        return "lock file changed"
    if stored.get("params") != today.params:
        return "parameters changed"
    return ""


class FileDigests:
    """sha256 of files, reused while a file's size, mtime, inode and ctime match what was recorded
    (`known`: path -> [size, mtime ns, sha256, inode, ctime ns])."""

    def __init__(self, known: dict[str, list] | None = None) -> None:
        self.known = dict(known or {})

    def digest(self, path: Path) -> str:
        """The file's sha256 (a folder: of its files' sorted names and digests, each file checked on its own)."""
        if not path.is_file():
            lines = "".join(f"{p.name}\t{self.digest(p)}\n" for p in sorted(path.iterdir()) if p.is_file())
            return hashlib.sha256(lines.encode()).hexdigest()
        stat = path.stat()
        key, identity = str(path), [stat.st_size, stat.st_mtime_ns, stat.st_ino, stat.st_ctime_ns]
        seen = self.known.get(key)
        if seen and len(seen) == len(identity) + 1 and seen[:2] + seen[3:] == identity:
            return seen[2]
        value = sha256_of(path)
        self.known[key] = identity[:2] + [value] + identity[2:]
        return value


class CodeDigests:
    """Code digests (`class_code`, `lock_digest`) reused across runs while the files they were read from keep their
    identity; `record` is what `to_json` wrote, kept only when made by this very module, Python and checkout."""

    def __init__(self, record: dict | None = None) -> None:
        self.header = {"python": sys.version, "checkout": str(CHECKOUT), "module": _identity(Path(__file__))}
        same = isinstance(record, dict) and all(record.get(key) == value for key, value in self.header.items())
        entries = record.get("entries") if same else None
        self.known: dict[str, dict] = entries if isinstance(entries, dict) else {}
        self.changed = False
        self._valid: dict[str, str] = {}

    def code(self, cls: type) -> str:
        """The digest of `class_code(cls)`, from the record when none of the files it was read from changed."""
        return self._cached(f"class:{cls.__module__}.{cls.__qualname__}", lambda: class_code(cls))

    def lock(self) -> str:
        """`lock_digest()`, from the record while the lock file is unchanged."""
        return self._cached("lock", lambda: (lock_digest(), frozenset([LOCK_FILE])))

    def to_json(self) -> str:
        """The record: this module's header and an entry {code, files: {path: identity}} per digest."""
        return json.dumps(self.header | {"entries": self.known}, indent=1, sort_keys=True) + "\n"

    def _cached(self, key: str, compute: Callable[[], tuple[str, frozenset[Path]]]) -> str:
        if key not in self._valid:
            entry = self.known.get(key)
            if _current(entry):
                self._valid[key] = entry["code"]
            else:
                code, files = compute()
                identities = {str(path): _READ[path] if path in _READ else _identity(path) for path in files}
                if any(identity is not None and _racy(identity) for identity in identities.values()):
                    self.known.pop(key, None)  # recomputed next run: a change within the same timestamp would go unseen
                else:
                    self.known[key] = {"code": code, "files": identities}
                self._valid[key] = code
                self.changed = True
        return self._valid[key]


def _current(entry: object) -> bool:
    """Whether a recorded entry is well formed and every file it names has the identity recorded (absent: still absent)."""
    if not isinstance(entry, dict) or not isinstance(entry.get("code"), str) or not isinstance(entry.get("files"), dict):
        return False
    return bool(entry["files"]) and all(_identity(Path(path)) == identity for path, identity in entry["files"].items())


def _identity(path: Path) -> Identity | None:
    """[size, mtime ns, inode, ctime ns] of the file at `path`, None when there is none."""
    try:
        stat = path.stat()
    except OSError:
        return None
    return [stat.st_size, stat.st_mtime_ns, stat.st_ino, stat.st_ctime_ns]


def _racy(identity: Identity) -> bool:
    """Whether the file changed so recently that a second change could leave its identity as it is."""
    return time.time_ns() - max(identity[1], identity[3]) < RACY_NS


_READ: dict[Path, Identity | None] = {}  # each source file's identity just before this process read it


def _read_bytes(path: Path) -> bytes:
    """The bytes of a source file, its identity noted first (a change while it is read shows as another identity)."""
    _READ.setdefault(path, _identity(path))
    return path.read_bytes()


@functools.cache
def lock_digest() -> str:
    """sha256 of requirements.lock, or "none" where the checkout has none (an installed wheel)."""
    return hashlib.sha256(_read_bytes(LOCK_FILE)).hexdigest() if LOCK_FILE.is_file() else "none"


@functools.cache
def class_code(cls: type) -> tuple[str, frozenset[Path]]:
    """A digest of the code `cls` runs (see the module docstring), and the source files it was read from."""
    parts, modules, read = [], set(), set()
    for klass in cls.__mro__:
        if _is_project(klass.__module__):
            source, named = _class_parts(klass)
            parts.append(source)
            modules |= named
            read.add(klass.__module__)
    closure = set()
    for module in modules:
        closure |= module_closure(module)
    parts += [f"{name}:{_module_digest(name)}" for name in sorted(closure)]
    return hashlib.sha256("\n".join(parts).encode()).hexdigest(), frozenset(_module_path(name) for name in read | closure)


@functools.cache
def _class_parts(klass: type) -> tuple[str, frozenset[str]]:
    """The source of `klass` with the same-module helpers it names, and the project modules it names."""
    module = inspect.getmodule(klass)
    imported = _imported_names(klass.__module__)
    texts, modules, seen = [_source_of(klass)], set(), set()
    pending = list(_names_in(klass))
    while pending:
        name = pending.pop()
        if name in seen:
            continue
        seen.add(name)
        if name in imported:
            modules.add(imported[name])
            continue
        value = getattr(module, name, None)
        if isinstance(value, types.FunctionType) and value.__module__ == klass.__module__:
            texts.append(_source_of(value))
            pending += _code_names(value.__code__)
        elif isinstance(value, type) and value.__module__ == klass.__module__:
            texts.append(_source_of(value))
            pending += _names_in(value)
        elif name in (assignments := _top_level(klass.__module__)[1]):
            texts.append(assignments[name])
    return "\n".join(texts), frozenset(modules)


def _source_of(value: type | types.FunctionType) -> str:
    """The source of a class or function: from the module's parsed tree when defined at its top level."""
    return _top_level(value.__module__)[0].get(value.__qualname__) or inspect.getsource(value)


@functools.cache
def _parsed(name: str) -> tuple[list[str], ast.Module]:
    """The lines (ends kept) and syntax tree of project module `name`, read and parsed once per process."""
    source = _read_bytes(_module_path(name)).decode("utf-8")
    return source.splitlines(keepends=True), ast.parse(source)


@functools.cache
def _top_level(name: str) -> tuple[dict[str, str], dict[str, str]]:
    """Module-level definitions (classes, functions: name -> source with decorators, as inspect gives it) and
    assignments (name -> the source of the statement assigning it: constants a class may use)."""
    lines, tree = _parsed(name)
    definitions, assignments = {}, {}
    for node in tree.body:
        if isinstance(node, (ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)):
            first = min([node.lineno] + [d.lineno for d in node.decorator_list])
            definitions[node.name] = "".join(lines[first - 1:node.end_lineno])
        targets = node.targets if isinstance(node, ast.Assign) else [node.target] if isinstance(node, ast.AnnAssign) else []
        for target in targets:
            for leaf in ast.walk(target):
                if isinstance(leaf, ast.Name):
                    assignments[leaf.id] = _segment(lines, node)
    return definitions, assignments


def _segment(lines: list[str], node: ast.stmt) -> str:
    """The source of `node` (as ast.get_source_segment, without splitting the whole source again)."""
    first, last = node.lineno - 1, node.end_lineno - 1
    if first == last:
        return lines[first].encode()[node.col_offset:node.end_col_offset].decode()
    head = lines[first].encode()[node.col_offset:].decode()
    tail = lines[last].encode()[:node.end_col_offset].decode()
    return head + "".join(lines[first + 1:last]) + tail


def _names_in(klass: type) -> list[str]:
    """Global names the methods defined in `klass` use."""
    names = []
    for value in vars(klass).values():
        function = getattr(value, "__func__", getattr(value, "fget", value))
        if isinstance(function, types.FunctionType):
            names += _code_names(function.__code__)
    return names


def _code_names(code: types.CodeType) -> list[str]:
    names = list(code.co_names)
    for constant in code.co_consts:
        if isinstance(constant, types.CodeType):
            names += _code_names(constant)
    return names


@functools.cache
def module_closure(name: str) -> frozenset[str]:
    """`name` and every project module it imports, transitively."""
    found, pending = set(), [name]
    while pending:
        current = pending.pop()
        if current not in found:
            found.add(current)
            pending += set(_imported_names(current).values())
    return frozenset(found)


@functools.cache
def _imported_names(name: str) -> dict[str, str]:
    """Local name -> project module, for each project import at any level of module `name`."""
    names = {}
    for node in _statements(_parsed(name)[1].body):
        if isinstance(node, ast.Import):
            for alias in node.names:
                if _is_project(alias.name):
                    names[alias.asname or alias.name] = alias.name
        elif isinstance(node, ast.ImportFrom) and node.module and _is_project(node.module):
            for alias in node.names:
                full = f"{node.module}.{alias.name}"
                names[alias.asname or alias.name] = full if _module_exists(full) else node.module
    return names


def _statements(nodes: list) -> Iterator[ast.AST]:
    """Every statement among `nodes` and in their bodies, at any depth (imports are statements: expressions are not visited)."""
    for node in nodes:
        yield node
        for field_name in ("body", "orelse", "finalbody", "handlers", "cases"):
            yield from _statements(getattr(node, field_name, []))


@functools.cache
def _module_digest(name: str) -> str:
    return hashlib.sha256(_read_bytes(_module_path(name))).hexdigest()


@functools.cache
def _module_path(name: str) -> Path:
    """The source file of project module `name`, found in the checkout without importing anything."""
    found = _source_file(name)
    if found is None:
        raise ImportError(f"no source for project module {name} in {CHECKOUT}")
    return found


def _source_file(name: str) -> Path | None:
    """`name`.py or `name`/__init__.py under the checkout, None when neither is there."""
    base = CHECKOUT.joinpath(*name.split("."))
    return next((path for path in (base.with_suffix(".py"), base / "__init__.py") if path.is_file()), None)


def _module_exists(name: str) -> bool:
    """Whether project module `name` has a source file (not recorded: a module added later leaves what an existing
    `from package import name` imports as it was)."""
    return _source_file(name) is not None


def _is_project(name: str) -> bool:
    return name.split(".", maxsplit=1)[0] in PROJECT_PACKAGES
