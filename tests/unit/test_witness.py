"""The witness's pieces: verdicts and tolerances, status rows, our data in the authors' shapes."""

from __future__ import annotations

import math
from pathlib import Path

import pandas as pd
import pytest

from artifact.authors import witness as w
from artifact.authors.sandbox import FAILED, RAN, Outcome
from artifact.authors.shapes import descendants_csv, score_csv, write_peatmoss_shape
from artifact.authors.witness_peatmoss import compare_parents, compare_preservation
from artifact.inputs.manifest import load_manifest
from artifact.loaders.peatmoss import load_base_links, load_model_libraries, load_models
from artifact.report.claims import Claim, evaluate


def test_counts_agree_only_when_equal() -> None:
    assert w.compared("s", "i", "count", "k", 3, 3, w.EXACT)["verdict"] == w.AGREES
    row = w.compared("s", "i", "count", "k", 3, 4, w.EXACT)
    assert (row["verdict"], row["difference"], row["tolerance"]) == (w.DISAGREES, 0.25, "exact")


def test_fits_agree_within_the_stated_relative_tolerance() -> None:
    close = w.compared("s", "i", "slope", "", 0.1479430000001, 0.147943, w.FIT_RTOL)
    far = w.compared("s", "i", "slope", "", 0.14795, 0.147943, w.FIT_RTOL)
    assert (close["verdict"], far["verdict"], close["tolerance"]) == (w.AGREES, w.DISAGREES, "relative 1e-09")


def test_last_bit_differences_are_written_as_zero() -> None:
    assert w.compared("s", "i", "slope", "", 0.1, 0.1 + 2**-56, w.FIT_RTOL)["difference"] == 0.0


def test_a_value_missing_on_one_side_disagrees_and_text_compares_exactly() -> None:
    assert w.compared("s", "i", "count", "k", 1, None, w.EXACT)["verdict"] == w.DISAGREES
    assert w.compared("s", "i", "p", "k", math.nan, math.nan, w.TEST_RTOL)["verdict"] == w.AGREES
    assert w.compared("s", "i", "name", "", "a", "a", w.EXACT)["verdict"] == w.AGREES


def test_status_rows_say_run_in_part_and_not_run() -> None:
    partial = w.status_row(w.ANALYSIS_R, "x", Outcome(FAILED, "there is no package called 'lsr'", {"p": "0.1"}))
    assert partial["status"] == "ran in part (failed)" and "lsr" in partial["reason"]
    assert w.status_row(w.DESCENDENTS, "x", Outcome(RAN, ""))["status"] == RAN
    heatmap = next(k for k in w.INVENTORY if "heatmap" in k.name)
    assert w.status_row(heatmap, "", None)["status"] == "not run" and "unpickles" in heatmap.not_run


def test_the_inventory_names_every_script_of_the_authors_repository() -> None:
    prefix = "https://raw.githubusercontent.com/PurdueDualityLab/ptm-quantify-esem-2024/f5ea2ca9d77c8a8179a825e59cf1887c7eadae10/"
    scripts = {entry.url.removeprefix(prefix) for entry in load_manifest().values()
               if entry.url.startswith(prefix) and entry.url.endswith((".py", ".r", ".ipynb"))}
    assert len(scripts) == 9 and scripts == {known.name for known in w.INVENTORY}
    assert all(load_manifest()[known.input_id].url == prefix + known.name for known in w.RUN)


def test_the_peatmoss_shape_reads_back_to_the_same_frames(tmp_path: Path) -> None:
    models = pd.DataFrame({"model_id": [1, 2, 3], "name": ["a/x", "b/y", "c/z"], "downloads": [5.0, math.nan, 0.0]})
    libraries = pd.DataFrame({"model_id": [1, 2, 2], "library": ["transformers", "pytorch", "transformers"]})
    links = pd.DataFrame({"model_id": [2, 3, 3], "base_model_name": ["a/x", "a/x", "ext/q"],
                          "base_model_id": pd.array([1, 1, None], dtype="Int64")})
    path = tmp_path / "peatmoss.db"
    write_peatmoss_shape(path, models, libraries, links)
    pd.testing.assert_frame_equal(load_models(path), models, check_dtype=False)
    got = load_model_libraries(path).sort_values(["model_id", "library"]).reset_index(drop=True)
    pd.testing.assert_frame_equal(got, libraries.sort_values(["model_id", "library"]).reset_index(drop=True), check_dtype=False)
    pd.testing.assert_frame_equal(load_base_links(path), links, check_dtype=False)


def test_the_csv_shapes_carry_the_authors_column_names(tmp_path: Path) -> None:
    descendants_csv(tmp_path / "d.csv", pd.DataFrame({"downloads": [10, 0], "descendants": [2, 1]}))
    assert (tmp_path / "d.csv").read_text() == "downloads,count\n10,2\n0,1\n"
    group = pd.DataFrame({"likes": [1], "downloads": [2], "num_downstream_repos": [3], "score": [math.nan]})
    score_csv(tmp_path / "s.csv", group, "score")
    assert (tmp_path / "s.csv").read_text() == "likes,downloads,num_downstream_repos,Documentation Quality Score\n1,2,3,NA\n"


@pytest.mark.parametrize(("table", "verdict"), [
    (pd.DataFrame({"table": ["t"], "disagreements": [0]}), "AGREES"),
    (pd.DataFrame({"table": ["t"], "disagreements": [2]}), "DISAGREES"),
    (pd.DataFrame({"table": ["t"], "disagreements": [math.nan]}), "UNAVAILABLE"),
    (pd.DataFrame({"table": ["other"], "disagreements": [0]}), "UNAVAILABLE"),
])
def test_claims_on_the_witness_tables_get_their_own_verdicts(table: pd.DataFrame, verdict: str) -> None:
    claim = Claim(id="W", source="authors-code", kind="authors-code", where="w", statement="s", output="tables/authors_code/summary.csv",
                  column="disagreements", check="equal", expected=0, select={"table": "t"})
    assert evaluate([claim], {"tables/authors_code/summary.csv": table}, set())["verdict"].iloc[0] == verdict


def test_per_base_rows_missing_on_one_side_count_as_differing() -> None:
    ours = pd.DataFrame({"variant": ["descendant-downloads"] * 2, "base_model": ["a", "b"], "descendants": [1, 2], "downloads": [5, 6]})
    theirs = pd.DataFrame({"base_model": ["a", "c"], "count": [1, 2], "downloads": [5, 6]})
    rows = {row["quantity"]: row for row in compare_parents("s", "i", ours, theirs)}
    assert rows["descendants: base models that differ"]["authors_code"] == 2  # b only ours, c only theirs
    assert rows["descendants: base models that differ"]["verdict"] == w.DISAGREES


def test_metric_1_libraries_are_matched_through_the_authors_short_name() -> None:
    ours = pd.DataFrame(
        {"variant": ["authors-code"], "rank": [1], "library": ["sentence-transformers"], "count": [2], "total": [3], "proportion": [2 / 3]}
    )
    theirs = pd.DataFrame({"library": ["sentence-tx"], "count": [2], "prop": [2 / 3]})
    assert {row["verdict"] for row in compare_preservation("s", "i", ours, theirs)} == {w.AGREES}
