"""Atomic file writes: a temporary file in the target's folder, renamed only on success.

A temporary file is named `.<target name>.<pid>-<host>.<random>.tmp` (host: 8 hex digits of the
host name's sha1), so that a later run can tell its own leftovers (of a process killed with -9,
which runs no cleanup) from files another live process is still writing: `remove_stale` deletes
those of processes of this host that no longer run (and those named without a pid, by older
versions), and leaves the rest. The temporary folders a run makes among its outputs (the witness's
staging) are named alike, `<kind>.<pid>-<host>.<random>` (`scratch_prefix`), and removed alike.
"""

from __future__ import annotations

import contextlib
import errno
import hashlib
import os
import re
import shutil
import socket
import tempfile
from collections.abc import Iterator
from pathlib import Path
from stat import S_ISREG

from artifact.errors import ArtifactError

HOST = hashlib.sha1(socket.gethostname().encode()).hexdigest()[:8]
_TEMPORARY = re.compile(r"\.(?P<name>.+?)\.(?:(?P<pid>\d+)-(?P<host>[0-9a-f]{8})\.)?[A-Za-z0-9_]{8}\.tmp")
_SCRATCH = re.compile(r"(?P<kind>[a-z]+)\.(?P<pid>\d+)-(?P<host>[0-9a-f]{8})\.[A-Za-z0-9_]+")


def _umask() -> int:
    """The process umask (reading it means setting it: set it straight back)."""
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


@contextlib.contextmanager
def atomic_path(target: str | os.PathLike[str]) -> Iterator[Path]:
    """Yield a temporary path next to `target`; rename it onto `target` if the block succeeds.

    On any exception the temporary file is removed, so no half-written output is ever visible
    under the final name (the rename is atomic within one filesystem).
    """
    target = Path(target)
    with _naming_a_full_disk(target):
        target.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp_name = tempfile.mkstemp(prefix=f".{target.name}.{os.getpid()}-{HOST}.", suffix=".tmp", dir=target.parent)
        os.close(fd)
    tmp = Path(tmp_name)
    tmp.chmod(0o666 & ~_umask())  # mkstemp makes 0600; outputs shared between users need the usual mode
    try:
        with _naming_a_full_disk(target):
            yield tmp
            os.replace(tmp, target)
    finally:
        tmp.unlink(missing_ok=True)


DISK_FULL = (errno.ENOSPC, errno.EDQUOT, errno.EFBIG)  # no space, quota exceeded, file size limit


@contextlib.contextmanager
def _naming_a_full_disk(target: Path) -> Iterator[None]:
    """Turn a full disk (or quota, or file size limit) while writing `target` into an OSError naming `target`."""
    try:
        yield
    except OSError as error:
        if error.errno not in DISK_FULL or error.filename == str(target):
            raise
        reason = f"{os.strerror(error.errno)} while writing it (nothing of it is kept); free space there or write elsewhere"
        raise OSError(error.errno, reason, str(target)) from error


def append_record(path: Path, text: str) -> None:
    """Append `text` to the record `path` without following a link: a symlink or a second hard link found there
    is removed and the record started again (O_APPEND: concurrent writers' lines stay whole)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    for _ in range(3):
        try:
            fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT | os.O_NOFOLLOW | os.O_NONBLOCK, 0o666)
        except OSError:
            if not path.is_symlink():
                raise
            path.unlink()
            continue
        with os.fdopen(fd, "a", encoding="utf-8") as handle:
            stat = os.fstat(fd)
            if stat.st_nlink == 1 and S_ISREG(stat.st_mode):
                handle.write(text)
                return
        path.unlink()
    raise OSError(errno.ELOOP, "a link keeps appearing where a record should be", str(path))


MAX_RECORD_BYTES = 4 * 2**20  # a run's small records (summary, inputs, a task's error) are a few kB


def read_record(path: Path, max_bytes: int = MAX_RECORD_BYTES) -> str:
    """The text of a run's small record at `path`, read at most `max_bytes`; a larger file is an error naming it."""
    with path.open("rb") as handle:
        data = handle.read(max_bytes + 1)
    if len(data) > max_bytes:
        raise ArtifactError(f"{path}: more than {max_bytes} bytes, which no record of a run holds; remove it and run again")
    return data.decode("utf-8")


def _running(pid: int) -> bool:
    """Whether process `pid` exists on this host and is not a zombie (killed, not yet reaped: it writes nothing)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # exists, another user's
        return True
    return not _zombie(pid)


def _zombie(pid: int) -> bool:
    """Whether Linux reports `pid` as a zombie (state Z in /proc/<pid>/stat); False where /proc is absent."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return False
    return stat.rpartition(")")[2].split()[:1] == ["Z"]


def is_stale(path: Path) -> bool:
    """Whether `path` is a temporary file of `atomic_path` whose writer is gone (see the module note)."""
    match = _TEMPORARY.fullmatch(path.name)
    if match is None or not path.is_file():
        return False
    return match["pid"] is None or _maker_gone(match)


def _maker_gone(match: re.Match[str]) -> bool:
    """Whether the process a temporary name names (its `pid` and `host` groups) ran on this host and runs no more."""
    return match["host"] == HOST and not _running(int(match["pid"]))


def scratch_prefix(kind: str) -> str:
    """The name prefix (`tempfile`'s `prefix`) of a temporary folder this process makes among the outputs."""
    return f"{kind}.{os.getpid()}-{HOST}."


def _is_stale_folder(path: Path) -> bool:
    """Whether `path` is a temporary folder named by `scratch_prefix` whose maker is gone."""
    match = _SCRATCH.fullmatch(path.name)
    return match is not None and path.is_dir() and not path.is_symlink() and _maker_gone(match)


def remove_stale(root: Path) -> list[Path]:
    """Delete the stale temporary files and folders under `root` (never read as outputs); return them."""
    if not root.is_dir():
        return []
    paths = sorted(root.rglob("*"))  # one walk of the outputs for both kinds
    files = [path for path in paths if is_stale(path)]
    folders = [path for path in paths if _is_stale_folder(path)]
    for path in files:
        path.unlink(missing_ok=True)
    for folder in folders:
        shutil.rmtree(folder, ignore_errors=True)  # a folder inside one removed before it is already gone
    return files + folders
