"""The local snapshots folder: one file per snapshot plus `snapshots.toml`, one entry per file.

This is not the pinned inputs manifest: it records what was read from live sources on this machine.
A snapshot is trusted only through its entry (checksum, size), and the entry is written last:
the file goes in place by an atomic rename after the loader of its format has read it back, then
the manifest is rewritten atomically under a lock. An interrupted snapshot leaves at most a file
without an entry (or a hidden temporary file), which no run reads.
"""

from __future__ import annotations

import fcntl
import json
import re
import tomllib
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass, fields
from datetime import datetime
from pathlib import Path

from artifact.atomic import atomic_path
from artifact.errors import ArtifactError
from artifact.inputs.digests import sha256_of
from artifact.registries import registry, snapshot_sources

MANIFEST_NAME = "snapshots.toml"
_LOCK_NAME = ".snapshots.lock"
_HEADER = (
    "# Snapshots taken with `python -m artifact snapshot`, one [[snapshot]] per file of this folder.\n"
    "# The `extended` profile reads every entry (ARTIFACT_SNAPSHOTS names the folder). Edit with care:\n"
    "# a run checks each file against its sha256 and size.\n"
)


@dataclass(frozen=True)
class Fetched:
    """The bytes read from one source, with what identifies exactly what was read."""

    registry: str  # hf | pypi | npm
    format: str  # key of artifact.loaders.registry.SNAPSHOT_LOADERS
    suffix: str  # file name ending, e.g. ".json"
    data: bytes
    source: str  # the URL read
    version: str  # the release and/or commit of the source ("" for a live listing)


@dataclass(frozen=True)
class SnapshotRecord:
    """One entry of `snapshots.toml`."""

    id: str
    registry: str
    format: str
    file: str  # name of the file in the snapshots folder
    retrieved: str  # UTC, ISO 8601 to the second
    source: str
    version: str
    top: int  # N asked for
    count: int  # entries the loader read from the file
    size: int
    sha256: str
    huggingface_hub: str  # version of the library in the environment that took the snapshot

    @property
    def date(self) -> str:
        """The UTC day it was taken, YYYY-MM-DD."""
        return self.retrieved[:10]


_FIELDS = tuple(f.name for f in fields(SnapshotRecord))
_FIELD_TYPES = {f.name: int if f.type == "int" else str for f in fields(SnapshotRecord)}
_KIND_WORDS = {int: "whole number of 0 or more", str: "string"}
_PLAIN_NAME = re.compile(r"[A-Za-z0-9._-]+")
_HEX64 = re.compile(r"[0-9a-f]{64}")
_RETRIEVED = "%Y-%m-%dT%H:%M:%SZ"


def read_records(folder: Path) -> list[SnapshotRecord]:
    """The entries of `folder`'s manifest, oldest first (none when there is no manifest)."""
    path = Path(folder) / MANIFEST_NAME
    if not path.is_file():
        return []
    data = path.read_bytes()
    try:
        raw_entries = tomllib.loads(data.decode("utf-8")).get("snapshot", [])
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        raise ArtifactError(f"{path}, line {line}: not UTF-8 text ({error.reason}); fix or remove the broken entry") from None
    except tomllib.TOMLDecodeError as error:
        raise ArtifactError(f"{path} is not valid TOML ({error}); fix or remove the broken entry") from None
    if not isinstance(raw_entries, list):
        raise ArtifactError(f"{path}: `snapshot` must be an array of tables ([[snapshot]]); fix the file")
    records = [_checked(path, index, raw) for index, raw in enumerate(raw_entries, start=1)]
    for name in ("id", "file"):
        seen = Counter(getattr(record, name) for record in records)
        if twice := sorted(value for value, count in seen.items() if count > 1):
            raise ArtifactError(f"{path}: two snapshots have the {name} {twice[0]!r}; remove one of the entries")
    return sorted(records, key=lambda record: (record.retrieved, record.registry))


def _checked(path: Path, index: int, raw: object) -> SnapshotRecord:
    """Entry #`index` of the manifest `path`, each field checked: nothing in it can name a path outside the folder."""
    where = f"{path}: snapshot #{index}"
    if not isinstance(raw, dict):
        raise ArtifactError(f"{where} is not a table; fix or remove the entry")
    missing = [name for name in _FIELDS if name not in raw]
    if missing:
        raise ArtifactError(f"{where} lacks {', '.join(missing)}; fix or remove the entry")
    for name, kind in _FIELD_TYPES.items():
        if not isinstance(raw[name], kind) or isinstance(raw[name], bool) or (kind is int and raw[name] < 0):
            raise ArtifactError(f"{where}: {name} = {raw[name]!r} is not a {_KIND_WORDS[kind]}; fix or remove the entry")
    record = SnapshotRecord(**{name: raw[name] for name in _FIELDS})
    known = snapshot_sources()
    formats = sorted(registry(record.registry).loaders) if record.registry in known else []
    problems = {
        "registry": (record.registry in known, f"one of {', '.join(known)}"),
        "format": (record.format in formats, f"for this registry one of {', '.join(formats)}"),
        "id": (_PLAIN_NAME.fullmatch(record.id) is not None, "letters, digits, '.', '_' and '-' only"),
        "file": (_is_plain_file(Path(path).parent, record.file), f"a plain file name inside {Path(path).parent}"),
        "retrieved": (_is_utc_time(record.retrieved), "a UTC time YYYY-MM-DDTHH:MM:SSZ"),
        "sha256": (_HEX64.fullmatch(record.sha256) is not None, "64 lowercase hexadecimal digits"),
    }
    for name, (ok, allowed) in problems.items():
        if not ok:
            raise ArtifactError(f"{where}: {name} = {getattr(record, name)!r} is not allowed ({allowed}); fix or remove the entry")
    return record


def _is_plain_file(folder: Path, name: str) -> bool:
    """Whether `name` is a plain file name (no folder, not `.` or `..`) that resolves inside `folder`."""
    if _PLAIN_NAME.fullmatch(name) is None or name in (".", ".."):
        return False
    return (folder / name).resolve().is_relative_to(folder.resolve())


def _is_utc_time(text: str) -> bool:
    """Whether `text` is a valid UTC time written YYYY-MM-DDTHH:MM:SSZ."""
    try:
        return datetime.strptime(text, _RETRIEVED).strftime(_RETRIEVED) == text
    except ValueError:
        return False


def store(
    folder: Path,
    fetched: Fetched,
    top: int,
    retrieved: datetime,
    count_entries: Callable[[Path], int],
    hub_version: str,
) -> SnapshotRecord:
    """Write `fetched` into `folder` and add its entry; `count_entries(path)` reads the file back
    with the loader of its format (raising if it cannot) and returns how many entries it holds."""
    folder = Path(folder)
    stamp = retrieved.strftime("%Y-%m-%dT%H%M%SZ")
    name = f"{fetched.registry}_{stamp}{fetched.suffix}"
    with _locked(folder):
        records = read_records(folder)
        if (folder / name).exists() or any(record.file == name for record in records):
            raise ArtifactError(f"{folder / name} exists already; wait a second and take the snapshot again")
        with atomic_path(folder / name) as tmp:
            tmp.write_bytes(fetched.data)
            count = count_entries(tmp)
        record = SnapshotRecord(
            id=f"{fetched.registry}-{stamp}",
            registry=fetched.registry,
            format=fetched.format,
            file=name,
            retrieved=retrieved.strftime(_RETRIEVED),
            source=fetched.source,
            version=fetched.version,
            top=top,
            count=count,
            size=len(fetched.data),
            sha256=sha256_of(folder / name),
            huggingface_hub=hub_version,
        )
        _write_manifest(folder, records + [record])
    return record


def _write_manifest(folder: Path, records: list[SnapshotRecord]) -> None:
    """Rewrite the manifest atomically, checking that it reads back as written."""
    text = _HEADER + "".join(_toml_entry(record) for record in records)
    if tomllib.loads(text).get("snapshot") != [asdict(record) for record in records]:
        raise ArtifactError(f"{folder / MANIFEST_NAME}: an entry does not survive TOML; nothing was recorded")
    with atomic_path(folder / MANIFEST_NAME) as tmp:
        tmp.write_text(text, encoding="utf-8")


def _toml_entry(record: SnapshotRecord) -> str:
    """One `[[snapshot]]` table: integers bare, strings as JSON strings (valid TOML basic strings)."""
    lines = [
        f"{name} = {value if isinstance(value, int) else json.dumps(value, ensure_ascii=False)}"
        for name, value in asdict(record).items()
    ]
    return "\n[[snapshot]]\n" + "\n".join(lines) + "\n"


@contextmanager
def _locked(folder: Path) -> Iterator[None]:
    """Hold an exclusive lock on the folder's manifest (two snapshots at once must not lose an entry)."""
    folder.mkdir(parents=True, exist_ok=True)
    with open(folder / _LOCK_NAME, "w") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)
