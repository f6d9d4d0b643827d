"""Derived results kept in the cache as checked JSON: a `sha256 <hex>` line over the body, then the body.

A record that is absent, larger than its bound, or whose checksum fails reads as None, so its
caller recomputes it; writes are atomic. Used by the authors' figure results (PDFs and Figure 6) and
the witness's results. `read_matching` also holds a record's key fields (what it was computed from,
and by which code: `code_hash`) to those expected.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import Any

from artifact.atomic import atomic_path


def read_checked(path: Path, max_bytes: int) -> Any | None:
    """The JSON body of the record at `path`, or None when absent, over `max_bytes`, or failing its checksum."""
    try:
        with path.open("rb") as handle:
            data = handle.read(max_bytes + 1)
    except OSError:
        return None
    header, _, body = data.partition(b"\n")
    if len(data) > max_bytes or header != _header(body):
        return None
    try:
        return json.loads(body)
    except ValueError:
        return None


def read_matching(path: Path, max_bytes: int, key: dict[str, Any]) -> dict | None:
    """The body of the record at `path` when read_checked accepts it and each field of `key` holds the value given; else None."""
    stored = read_checked(path, max_bytes)
    if not isinstance(stored, dict) or any(stored.get(field) != value for field, value in key.items()):
        return None
    return stored


def code_hash(files: Iterable[str], packages: Iterable[str], more: str = "") -> str:
    """A short hash of the bytes of source `files`, the installed versions of `packages` ("absent" for one not installed)
    and `more` (e.g. the interpreter's version): the code a result came from."""
    digest = hashlib.sha256()
    for file in files:
        digest.update(Path(file).read_bytes())
    digest.update(" ".join(f"{package} {_version(package)}" for package in packages).encode())
    digest.update(more.encode())
    return digest.hexdigest()[:16]


def _version(package: str) -> str:
    """The installed version of `package`, or "absent"."""
    try:
        return version(package)
    except PackageNotFoundError:
        return "absent"


def write_checked(path: Path, value: Any, max_bytes: int) -> bool:
    """Keep `value` at `path` (atomically, with its checksum line) unless its body exceeds `max_bytes`; whether it was kept."""
    body = json.dumps(value, sort_keys=True).encode()
    if len(body) > max_bytes:
        return False
    path.parent.mkdir(parents=True, exist_ok=True)
    with atomic_path(path) as tmp:
        tmp.write_bytes(_header(body) + b"\n" + body)
    return True


def _header(body: bytes) -> bytes:
    """The checksum line of `body`."""
    return f"sha256 {hashlib.sha256(body).hexdigest()}".encode()
