"""The claims of Metrics 1 and 3 are well-formed and point at columns and rows the pipeline writes."""

from __future__ import annotations

import tomllib

import pytest

from artifact.metrics.m1_preservation import AUTHORS_CODE, EQUATION_1, PRESERVATION_COLUMNS
from artifact.metrics.m3_descendants import BASE_DOWNLOADS, DESCENDANT_DOWNLOADS, FIT_COLUMNS, PAPER, TOP_PARENT_COLUMNS
from artifact.profiles import get_profile
from tests.conftest import EXPECTED

DATABASE, INTERMEDIATE = "database", "intermediate"  # the sources of tasks/m3_descendants.py
FITS_TABLE_COLUMNS = ("source",) + FIT_COLUMNS
CLAIM_FILES = [EXPECTED / "esem2024" / "claims" / name for name in ("m1_preservation.toml", "m3_descendants.toml")]
OUTPUT_COLUMNS = {
    "tables/m1_preservation_database.csv": PRESERVATION_COLUMNS,
    "tables/m3_top_parents_database.csv": TOP_PARENT_COLUMNS,
    f"tables/m3_fits_{DATABASE}.csv": FITS_TABLE_COLUMNS,
    f"tables/m3_fits_{INTERMEDIATE}.csv": FITS_TABLE_COLUMNS,
}
# Values the pipeline writes in the columns that claims select on (free text, such as names, aside).
KNOWN_VALUES = {
    "variant": {AUTHORS_CODE, EQUATION_1, DESCENDANT_DOWNLOADS, BASE_DOWNLOADS},
    "source": {DATABASE, INTERMEDIATE},
    "method": {PAPER, "spearman", "loglog-positive"},
}
CLAIMS = [claim for path in CLAIM_FILES for claim in tomllib.loads(path.read_text())["claim"]]


def test_claim_ids_are_unique() -> None:
    ids = [claim["id"] for claim in CLAIMS]
    assert len(ids) == len(set(ids)) and len(ids) > 0


@pytest.mark.parametrize("claim", CLAIMS, ids=lambda claim: claim["id"])
def test_claim_is_well_formed(claim: dict) -> None:
    assert {"id", "source", "where", "statement", "output", "select", "column", "expected", "check", "inputs"} <= set(claim)
    assert claim["check"] in {"equal", "abs", "rel", "lt", "le", "gt", "ge", "word"}
    assert ("tolerance" in claim) == (claim["check"] in {"abs", "rel"})
    assert isinstance(claim["expected"], int | float) or (claim["check"] == "word" and claim["convention"])
    columns = OUTPUT_COLUMNS[claim["output"]]
    assert claim["column"] in columns and set(claim["select"]) <= set(columns)
    for column, value in claim["select"].items():
        assert value in KNOWN_VALUES.get(column, {value})
    if "source" in claim["select"]:
        assert claim["output"] == f"tables/m3_fits_{claim['select']['source']}.csv"
    assert set(claim["inputs"]) and set(claim["inputs"]) <= set(get_profile("esem2024").inputs.values())
