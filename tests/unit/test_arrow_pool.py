"""The command line's processes take Arrow's buffers from jemalloc on Linux (config.prefer_reusing_arrow_pool)."""

from __future__ import annotations

import subprocess
import sys

import pytest

from artifact import config
from artifact.config import ARROW_POOL, child_environment, prefer_reusing_arrow_pool


def test_the_pool_is_jemalloc_on_linux_unless_already_chosen(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(config.sys, "platform", "linux")
    environment: dict[str, str] = {}
    prefer_reusing_arrow_pool(environment)
    assert environment == {ARROW_POOL: "jemalloc"}
    chosen = {ARROW_POOL: "system"}
    prefer_reusing_arrow_pool(chosen)
    assert chosen == {ARROW_POOL: "system"}  # the user's choice is kept


def test_other_systems_keep_arrows_default(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(config.sys, "platform", "darwin")
    environment: dict[str, str] = {}
    prefer_reusing_arrow_pool(environment)
    assert environment == {}


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="jemalloc is chosen on Linux only")
def test_the_variable_chosen_before_pyarrow_is_imported_is_the_pool() -> None:
    environment = {key: value for key, value in child_environment({}).items() if key != ARROW_POOL}
    prefer_reusing_arrow_pool(environment)
    code = "import pyarrow as pa; print(pa.default_memory_pool().backend_name)"
    result = subprocess.run([sys.executable, "-c", code], env=environment, capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "jemalloc"
