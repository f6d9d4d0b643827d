"""Metric 1 on small cases whose answers were worked out by hand; the two variants must differ."""

from __future__ import annotations

import pandas as pd
import pytest

from artifact.metrics.m1_preservation import (
    AUTHORS_CODE,
    EQUATION_1,
    preservation,
    preservation_authors_code,
    preservation_equation_1,
)


def _libraries(pairs: dict[int, tuple[str, ...]]) -> pd.DataFrame:
    rows = [(model, library) for model, libraries in pairs.items() for library in libraries]
    return pd.DataFrame(rows, columns=["model_id", "library"])


def _links(rows: list[tuple[int, str, int | None]]) -> pd.DataFrame:
    frame = pd.DataFrame(rows, columns=["model_id", "base_model_name", "base_model_id"])
    return frame.astype({"base_model_id": "Int64"})


# A (1) supports transformers and safetensors; its descendants are d1 (2: both) and d2 (3: transformers).
# d3 (4: pytorch, onnx) descends from a base that is not a model row; C (5) supports diffusers only
# and its descendant d4 (6) supports diffusers and safetensors.
LIBRARIES = _libraries(
    {1: ("transformers", "safetensors"), 2: ("transformers", "safetensors"), 3: ("transformers",),
     4: ("pytorch", "onnx"), 5: ("diffusers",), 6: ("diffusers", "safetensors")}
)
LINKS = _links([(2, "A", 1), (3, "A", 1), (4, "elsewhere/base", None), (6, "C", 5)])


def _by_library(table: pd.DataFrame) -> dict[str, tuple[int, int, float]]:
    return {row.library: (row.count, row.total, row.proportion) for row in table.itertuples()}


def test_authors_code_shares_among_multi_library_descendants() -> None:
    # Multi-library descendants: d1, d3, d4 (3). safetensors: d1, d4; each other library: one of them.
    table = preservation_authors_code(LIBRARIES, LINKS)
    assert _by_library(table) == {
        "safetensors": (2, 3, pytest.approx(2 / 3)),
        "transformers": (1, 3, pytest.approx(1 / 3)),
        "pytorch": (1, 3, pytest.approx(1 / 3)),
        "onnx": (1, 3, pytest.approx(1 / 3)),
        "diffusers": (1, 3, pytest.approx(1 / 3)),
    }
    # Rank: proportion, then count, then name: the four ties at 1/3 go alphabetically.
    assert table["library"].tolist() == ["safetensors", "diffusers", "onnx", "pytorch", "transformers"]
    assert table["rank"].tolist() == [1, 2, 3, 4, 5]


def test_equation_1_counts_every_descendant_of_multi_library_bases() -> None:
    # B = {A} for transformers and safetensors (C has one library; d3's base is not a row).
    # D_A = {d1, d2}: both support transformers (2/2), only d1 supports safetensors (1/2).
    table = preservation_equation_1(LIBRARIES, LINKS)
    assert _by_library(table) == {"transformers": (2, 2, 1.0), "safetensors": (1, 2, 0.5)}


def test_the_two_variants_disagree_on_this_case() -> None:
    table = preservation(LIBRARIES, LINKS)
    authors = table[table["variant"] == AUTHORS_CODE].set_index("library")["proportion"]
    equation = table[table["variant"] == EQUATION_1].set_index("library")["proportion"]
    assert authors["transformers"] == pytest.approx(1 / 3) and equation["transformers"] == 1.0
    assert authors.index[0] == "safetensors" and equation.index[0] == "transformers"


def test_equation_1_counts_a_descendant_once_per_base() -> None:
    # d (3) supports x only and descends from A (1: x, y) and E (2: x, z): x gets 2 of 2; y, z 0 of 1.
    libraries = _libraries({1: ("x", "y"), 2: ("x", "z"), 3: ("x",)})
    links = _links([(3, "A", 1), (3, "E", 2)])
    assert _by_library(preservation_equation_1(libraries, links)) == {
        "x": (2, 2, 1.0), "y": (0, 1, 0.0), "z": (0, 1, 0.0)
    }
    assert preservation_authors_code(libraries, links).empty  # d has a single library


def test_no_descendants_give_empty_tables_with_the_columns() -> None:
    table = preservation(LIBRARIES, _links([]))
    assert table.empty and list(table.columns) == ["variant", "rank", "library", "count", "total", "proportion"]
