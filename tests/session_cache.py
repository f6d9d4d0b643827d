"""The test session's own download cache: seeded from the user's cache and the suite's kept results, never written back.

Every test and run of a session uses one cache folder of its own (ARTIFACT_CACHE, set by tests/conftest.py),
so that no test writes into the user's cache. It starts as a copy of the user's verified downloads
(`sha256/`, `extracted/`: each file is re-hashed before its first read in a process, as in any cache)
and of the results the artifact derives from them that earlier sessions kept (`derived/`: the authors'
scripts' outcomes, the PDF readings and the code digests; each entry is checked against its checksum
and key before use, as the artifact checks any cached result, and is recomputed when it does not
match). At the end of a session its derived results are kept for the next one in pytest's cache
folder (.pytest_cache; `pytest --cache-clear` forgets them), so a second run computes none of them again,
and the last of the session's processes to end with it removes the folder (its downloads are copies).
Symbolic links and unfinished writes are never copied.
"""

from __future__ import annotations

import filecmp
import os
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path

from artifact.atomic import atomic_path
from tasks.base import code_record

DOWNLOADS = ("sha256", "extracted")  # the verified downloads of a cache folder (artifact/inputs/cache.py)
DERIVED = "derived"  # what the artifact derives from them (the witness, figure and code-digest caches)


def files_under(root: Path) -> Iterator[Path]:
    """Every regular file under `root` (relative to it), neither a symbolic link nor an unfinished write (`.*.tmp`)."""
    for folder, _, names in os.walk(root):  # os.walk does not follow links to folders
        for name in names:
            path = Path(folder) / name
            if not path.is_symlink() and path.is_file() and not (name.startswith(".") and name.endswith(".tmp")):
                yield path.relative_to(root)


def copy_files(source: Path, target: Path, wanted: Callable[[Path], bool] = lambda relative: True) -> None:
    """Copy each file of `source` (files_under) that `wanted` accepts into `target` where it is missing or has other bytes,
    each made visible whole."""
    for relative in files_under(source):
        destination = target / relative
        if not wanted(relative) or (destination.exists() and filecmp.cmp(source / relative, destination, shallow=False)):
            continue
        with atomic_path(destination) as tmp:
            shutil.copy2(source / relative, tmp)


def seed(cache: Path, downloads: Path | None, kept: Path | None) -> None:
    """Fill the cache folder `cache` with the verified downloads of the cache `downloads` and the derived results `kept`
    holds (either may be None or absent)."""
    cache.mkdir(parents=True, exist_ok=True)
    for part in DOWNLOADS:
        if downloads is not None and (downloads / part).is_dir():
            copy_files(downloads / part, cache / part)
    if kept is not None and kept.is_dir():
        copy_files(kept, cache / DERIVED)


def keep(cache: Path, kept: Path) -> None:
    """Copy into `kept` the derived results of the cache folder `cache`, of the code digests those of this checkout
    alone (the copies of the checkout that tests make elsewhere are never seen again)."""
    ours = code_record(cache).relative_to(cache / DERIVED)
    if (cache / DERIVED).is_dir():
        copy_files(cache / DERIVED, kept, lambda relative: relative.parent != ours.parent or relative == ours)


def users(ledger: Path, change: int) -> int:
    """The number of processes using a folder, as `ledger` records it, changed by `change` (call it under their lock)."""
    count = (int(ledger.read_text()) if ledger.is_file() else 0) + change
    ledger.write_text(f"{count}\n")
    return count
