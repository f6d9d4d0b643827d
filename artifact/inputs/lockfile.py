"""The lock file next to the manifest: sha256 and size of inputs pinned only by a git blob id.

The first fetch that gets such an input's bytes verifies the git blob id and records their sha256
and size here; later runs find the bytes in the cache by that sha256 and check both. Commit the
lock file so that everyone else verifies against the same sha256. Format: tab-separated, `#`
comments, one row per input sorted by id, columns LOCK_COLUMNS.
"""

from __future__ import annotations

import csv
import fcntl
import io
import os
from dataclasses import astuple, dataclass
from pathlib import Path

from artifact.config import Settings
from artifact.errors import ArtifactError
from artifact.inputs.manifest import manifest_path

LOCK_NAME = "inputs.lock"
LOCK_COLUMNS = ("id", "url", "git_blob", "size", "sha256")
_HEADER = (
    "# sha256 and size of inputs pinned only by git blob id, recorded by the first fetch that verified\n"
    "# the blob id (artifact/inputs/lockfile.py). Commit this file. Columns: id url git_blob size sha256\n"
)


@dataclass(frozen=True)
class LockRecord:
    """What the first verified fetch of a git-blob-pinned input found."""

    id: str
    url: str
    git_blob: str
    size: int
    sha256: str


def lock_path(settings: Settings) -> Path:
    """The lock file next to the manifest in use."""
    return (settings.manifest or manifest_path()).parent / LOCK_NAME


def read_lock(path: Path | None = None) -> dict[str, LockRecord]:
    """The lock's records by input id (empty when there is no lock file yet)."""
    path = path or manifest_path().parent / LOCK_NAME
    try:
        text = path.read_text()
    except FileNotFoundError:
        return {}
    rows = [line for line in text.splitlines() if line.strip() and not line.startswith("#")]
    records = {}
    for row in csv.reader(rows, delimiter="\t"):
        if tuple(row) == LOCK_COLUMNS:
            continue
        if len(row) != len(LOCK_COLUMNS):
            raise ArtifactError(f"{path}: malformed row {row!r}; expected the columns {LOCK_COLUMNS}")
        records[row[0]] = LockRecord(row[0], row[1], row[2], int(row[3]), row[4])
    return records


def record_lock(path: Path, record: LockRecord) -> None:
    """Add or replace `record` in the lock file, atomically and safely against concurrent workers."""
    folder = os.open(path.parent, os.O_RDONLY)  # a lock on the folder: the file itself is replaced
    try:
        fcntl.flock(folder, fcntl.LOCK_EX)
        records = {**read_lock(path), record.id: record}
        text = io.StringIO()
        text.write(_HEADER)
        writer = csv.writer(text, delimiter="\t", lineterminator="\n")
        writer.writerow(LOCK_COLUMNS)
        writer.writerows(astuple(records[key]) for key in sorted(records))
        tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
        tmp.write_text(text.getvalue())
        os.replace(tmp, path)
    finally:
        os.close(folder)
