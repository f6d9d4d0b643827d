"""Writing small SQLite files whose bytes depend only on their content."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Sequence
from pathlib import Path

# Offset of SQLITE_VERSION_NUMBER in the database header: the version of the library that last
# wrote the file. It is informational only; fixing it keeps the sample's bytes identical across
# SQLite builds (the layout of such small files does not otherwise vary between versions).
_HEADER_VERSION_OFFSET = 96
_FIXED_VERSION = (3040001).to_bytes(4, "big")
# While the file is built: no journal and no syncing, and a page cache of 32 MiB rather than 2 MiB
# (a 2024-07 listing's PeaTMOSS shape, 760,000 model ids in a unique index, took 4.7 s rather than
# 5.6 s). None of them changes the file's bytes. A file left half-built by a crash is of no use with a
# journal either: the file is built from scratch each time, the pipeline writes it under a
# temporary name, and the sample's files are checked against their sums.
_BUILD_PRAGMAS = ("PRAGMA temp_store = MEMORY", "PRAGMA journal_mode = OFF", "PRAGMA synchronous = OFF", "PRAGMA cache_size = -32768")


def write_sqlite(path: Path, ddl: str, inserts: Iterable[tuple[str, Sequence[tuple]]]) -> None:
    """Create `path` from scratch: run `ddl`, insert rows with parameterised SQL, vacuum (in memory: no temporary file elsewhere)."""
    path.unlink(missing_ok=True)
    connection = sqlite3.connect(path)
    try:
        for pragma in _BUILD_PRAGMAS:
            connection.execute(pragma)
        connection.executescript(ddl)
        for sql, rows in inserts:
            connection.executemany(sql, rows)
        connection.commit()
        connection.execute("VACUUM")
    finally:
        connection.close()
    with path.open("r+b") as handle:
        handle.seek(_HEADER_VERSION_OFFSET)
        handle.write(_FIXED_VERSION)
