"""The Zenodo deposit: one .tar.gz whose bytes depend only on the files it holds.

Entries are sorted, owners and times fixed (SOURCE_DATE_EPOCH), modes normalised, and the gzip
header carries no name or time, so building twice gives the same archive. A SHA256SUMS member
lists every other member.
"""

from __future__ import annotations

import gzip
import hashlib
import io
import os
import subprocess
import tarfile
from collections.abc import Iterable
from pathlib import Path

from artifact.atomic import atomic_path

PREFIX = "hf-claims-artifact"


def source_files(repo: Path) -> list[Path]:
    """The files git tracks in `repo` (the source, expected outputs, lock file and sample), sorted."""
    listed = subprocess.run(["git", "-C", str(repo), "ls-files", "-z"], capture_output=True, check=True).stdout
    return sorted(repo / name for name in listed.decode().split("\0") if name and (repo / name).is_file())


def _member(name: str, data: bytes, mtime: int, executable: bool) -> tuple[tarfile.TarInfo, io.BytesIO]:
    info = tarfile.TarInfo(f"{PREFIX}/{name}")
    info.size, info.mtime, info.mode = len(data), mtime, 0o755 if executable else 0o644
    info.uid = info.gid = 0
    info.uname = info.gname = ""
    return info, io.BytesIO(data)


def build_deposit(files: Iterable[tuple[str, Path]], out: Path, mtime: int | None = None) -> str:
    """Write the archive of (name in archive, path) pairs plus SHA256SUMS to `out`; return its sha256."""
    mtime = int(os.environ.get("SOURCE_DATE_EPOCH", "0")) if mtime is None else mtime
    entries = sorted((name, path.read_bytes(), os.access(path, os.X_OK)) for name, path in files)
    sums = "".join(f"{hashlib.sha256(data).hexdigest()}  {name}\n" for name, data, _ in entries).encode()
    with atomic_path(out) as tmp:
        with open(tmp, "wb") as raw, gzip.GzipFile(filename="", mode="wb", fileobj=raw, mtime=0) as zipped:
            with tarfile.open(fileobj=zipped, mode="w", format=tarfile.PAX_FORMAT) as tar:
                for name, data, executable in [*entries, ("SHA256SUMS", sums, False)]:
                    tar.addfile(*_member(name, data, mtime, executable))
    return hashlib.sha256(out.read_bytes()).hexdigest()
