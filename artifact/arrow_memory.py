"""Arrow's memory pool for a process: jemalloc, which keeps freed memory for the next buffers.

On Linux, Arrow's default pool (mimalloc) hands freed memory back to the system at once and takes it
again for the next buffer, in 2 MB pages that the kernel zeroes where transparent huge pages are
allowed: the listing's renames and frames spent about as many CPU seconds in the kernel as in Arrow.
With jemalloc (in pyarrow's Linux wheels) `make bench-independent` measured the renames' and
frames' CPU seconds about a third lower and the pipeline's peak memory 730 -> 551 MB. Arrow reads the variable
ARROW_DEFAULT_MEMORY_POOL when it is first imported, so it is set at the start of a process (`python
-m artifact`, a bench's measurement), before any import of pyarrow; forked workers inherit the pool.
A value already set is kept; other systems keep Arrow's default.
"""

from __future__ import annotations

import sys
from collections.abc import MutableMapping

POOL_VARIABLE = "ARROW_DEFAULT_MEMORY_POOL"
REUSING_POOL = "jemalloc"


def prefer_reusing_pool(environment: MutableMapping[str, str]) -> None:
    """Set POOL_VARIABLE to jemalloc in `environment` (os.environ, or a child's) on Linux, unless it is set."""
    if sys.platform.startswith("linux"):
        environment.setdefault(POOL_VARIABLE, REUSING_POOL)
