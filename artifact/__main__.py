"""`python -m artifact ...` entry point."""

import os
import sys

from artifact.arrow_memory import prefer_reusing_pool

prefer_reusing_pool(os.environ)  # before anything imports pyarrow

from artifact.cli import main  # noqa: E402 - after the memory pool is chosen

sys.exit(main())
