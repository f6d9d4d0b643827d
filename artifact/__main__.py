"""`python -m artifact ...` entry point."""

from artifact.config import prefer_reusing_arrow_pool

prefer_reusing_arrow_pool()  # before anything imports pyarrow

from artifact.cli import entry_point  # noqa: E402 - after the memory pool is chosen

entry_point()
