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


def write_sqlite(path: Path, ddl: str, inserts: Iterable[tuple[str, Sequence[tuple]]]) -> None:
    """Create `path` from scratch: run `ddl`, insert rows with parameterised SQL, vacuum (in memory: no temporary file elsewhere)."""
    path.unlink(missing_ok=True)
    connection = sqlite3.connect(path)
    try:
        connection.execute("PRAGMA temp_store = MEMORY")
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
