"""`python -m artifact ...` entry point."""

import sys

from artifact.config import prefer_reusing_arrow_pool

prefer_reusing_arrow_pool()  # before anything imports pyarrow

from artifact.cli import main  # noqa: E402 - after the memory pool is chosen

sys.exit(main())
