"""The command line's processes take Arrow's buffers from jemalloc on Linux (artifact/arrow_memory.py)."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from artifact import arrow_memory
from artifact.arrow_memory import POOL_VARIABLE, prefer_reusing_pool


def test_the_pool_is_jemalloc_on_linux_unless_already_chosen(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(arrow_memory.sys, "platform", "linux")
    environment: dict[str, str] = {}
    prefer_reusing_pool(environment)
    assert environment == {POOL_VARIABLE: "jemalloc"}
    chosen = {POOL_VARIABLE: "system"}
    prefer_reusing_pool(chosen)
    assert chosen == {POOL_VARIABLE: "system"}  # the user's choice is kept


def test_other_systems_keep_arrows_default(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(arrow_memory.sys, "platform", "darwin")
    environment: dict[str, str] = {}
    prefer_reusing_pool(environment)
    assert environment == {}


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="jemalloc is chosen on Linux only")
def test_the_variable_chosen_before_pyarrow_is_imported_is_the_pool() -> None:
    environment = {key: value for key, value in os.environ.items() if key != POOL_VARIABLE}
    prefer_reusing_pool(environment)
    code = "import pyarrow as pa; print(pa.default_memory_pool().backend_name)"
    result = subprocess.run([sys.executable, "-c", code], env=environment, capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "jemalloc"
