"""Which recorded task errors make a run exit with 2 (an input error) rather than 1."""

from __future__ import annotations

import pytest

from artifact.errors import failure_exit_code, is_input_error


@pytest.mark.parametrize(
    "last_line",
    [
        "SchemaError: x.db: bad",  # as a task's error file records it
        "artifact.errors.SchemaError: x.db: bad",  # as a traceback ends
        "SettingsError: WORKERS must be a whole number",
        "artifact.config.SettingsError: WORKERS must be a whole number",  # SettingsError lives in artifact.config
    ],
)
def test_an_input_error_is_recognised_bare_or_module_qualified(last_line: str) -> None:
    traceback = f'Traceback (most recent call last):\n  File "x.py", line 1\n{last_line}\n'
    assert is_input_error(traceback) and failure_exit_code(["KeyError: 'x'\n", traceback]) == 2


@pytest.mark.parametrize("last_line", ["KeyError: 'x'", "artifact.config.SchemaError: x", "other.SettingsError: x"])
def test_any_other_error_is_exit_code_1(last_line: str) -> None:
    assert not is_input_error(f"Traceback ...\n{last_line}\n") and failure_exit_code([last_line]) == 1
