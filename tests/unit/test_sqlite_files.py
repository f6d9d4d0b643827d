"""Writing a SQLite file touches no folder but its own: VACUUM's temporary copy is kept in memory.

SQLite puts temporary files in SQLITE_TMPDIR, TMPDIR, /var/tmp, ... as the process started; in the
container that was /var/tmp, a write outside the outputs (scripts/container/test.sh).
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

WRITE = """
import sys
from pathlib import Path
from artifact.sample.sqlite_files import write_sqlite
rows = [(i, "x" * 200) for i in range(40_000)]  # ~8 MB: more than SQLite's page cache, so VACUUM spills
write_sqlite(Path(sys.argv[1]), "CREATE TABLE t (id INTEGER PRIMARY KEY, text TEXT);", [("INSERT INTO t VALUES (?, ?)", rows)])
"""


def test_vacuum_leaves_the_temporary_folder_untouched(tmp_path: Path) -> None:
    spill = tmp_path / "spill"
    spill.mkdir()
    os.utime(spill, ns=(0, 0))
    env = {**os.environ, "SQLITE_TMPDIR": str(spill), "TMPDIR": str(spill)}
    subprocess.run([sys.executable, "-c", WRITE, str(tmp_path / "big.sqlite")], env=env, check=True, timeout=120)
    assert (tmp_path / "big.sqlite").stat().st_size > 8_000_000
    assert spill.stat().st_mtime_ns == 0, "a temporary file was made (and removed) in SQLITE_TMPDIR"
