"""The README's sentences about counts are checked against the archived outputs and the test suite, so they cannot drift."""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd
import pytest

from tests.conftest import suite_size

REPO = Path(__file__).resolve().parents[2]
README = (REPO / "README.md").read_text()


def test_the_number_of_independent_claims_that_differ_is_the_archived_one() -> None:
    said = re.search(r"The independent profile exits 3\s+today: (\d+) of its claims differ", README)
    assert said, "README.md no longer says how many independent claims differ"
    verdicts = pd.read_csv(REPO / "expected_outputs/independent/tables/claims.csv", dtype=str)
    assert int(said.group(1)) == int((verdicts["verdict"] == "DIFFERS").sum())


def test_the_number_of_tests_is_the_suites(request: pytest.FixtureRequest) -> None:
    said = re.search(r"\((\d+) tests with `ARTIFACT_MIRROR` set", README)
    assert said, "README.md no longer says how many tests the suite has"
    assert int(said.group(1)) == suite_size(request.config)
