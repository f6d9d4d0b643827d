"""Downloads by rank and the share of the top N; PeaTMOSS's counts per model hub."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from artifact.errors import SchemaError
from artifact.figures.fig_icse_dropoff import figure_dropoff
from artifact.loaders.peatmoss_counts import dataset_counts
from artifact.metrics.icse_dropoff import concentration, curve_ranks, dropoff_tables, rank_curve

SNAPSHOT = pd.DataFrame({"name": ["a", "b", "c", "d", "b", "e"], "downloads": [100.0, 50.0, 10.0, np.nan, 80.0, 0.0]})


def test_ranks_step_through_each_decade_and_end_at_the_length() -> None:
    assert curve_ranks(25) == [1, 2, 3, 5, 10, 20, 25]
    assert curve_ranks(0) == []


def test_rank_curve_ranks_distinct_names_by_their_highest_downloads() -> None:
    curve = rank_curve(SNAPSHOT)  # b counts once with 80; d has no downloads
    assert curve["rank"].tolist() == [1, 2, 3, 4] and curve["downloads"].tolist() == [100.0, 80.0, 10.0, 0.0]
    assert curve["relative"].tolist() == [1.0, 0.8, 0.1, 0.0]


def test_concentration_is_the_top_ns_share_and_the_downloads_at_rank_n() -> None:
    row = concentration(SNAPSHOT, 2)
    assert (row["listed"], row["with_downloads"], row["total_downloads"]) == (5, 4, 190.0)
    assert row["share_top_n"] == pytest.approx(180 / 190) and row["downloads_at_top_n"] == 80.0
    assert np.isnan(concentration(SNAPSHOT, 10)["downloads_at_top_n"])  # fewer names than N


def _peatmoss(path: Path, github: bool) -> Path:
    with sqlite3.connect(path) as db:
        db.execute("CREATE TABLE model_hub (id INTEGER, name VARCHAR)")
        db.execute("CREATE TABLE model (id INTEGER, model_hub_id INTEGER)")
        db.executemany("INSERT INTO model_hub VALUES (?, ?)", [(1, "Hugging Face"), (2, "PyTorch Hub")])
        db.executemany("INSERT INTO model VALUES (?, ?)", [(1, 1), (2, 1), (3, 2), (4, None)])
        if github:
            db.execute("CREATE TABLE reuse_repository (id INTEGER)")
            db.execute("CREATE TABLE model_to_reuse_repository (model_id INTEGER, reuse_repository_id INTEGER)")
            db.executemany("INSERT INTO model_to_reuse_repository VALUES (?, ?)", [(1, 1), (2, 1)])
    return path


def test_peatmoss_counts_per_hub_and_absent_github_tables_say_so(tmp_path: Path) -> None:
    counts = dataset_counts(_peatmoss(tmp_path / "p.db", github=False)).set_index("quantity")
    assert counts.loc["models", "value"] == 4
    assert (counts.loc["models.hub.huggingface", "value"], counts.loc["models.hub.pytorchhub", "value"]) == (2, 1)
    assert counts.loc["models.hub.unnamed", "value"] == 1
    assert pd.isna(counts.loc["github_links", "value"]) and counts.loc["github_links", "note"] == "the file has no table model_to_reuse_repository"
    full = dataset_counts(_peatmoss(tmp_path / "q.db", github=True)).set_index("quantity")
    assert (full.loc["github_projects", "value"], full.loc["github_links", "value"]) == (0, 2)


def test_peatmoss_without_a_model_hub_table_is_an_error_naming_it(tmp_path: Path) -> None:
    with sqlite3.connect(tmp_path / "p.db") as db:
        db.execute("CREATE TABLE model (id INTEGER, model_hub_id INTEGER)")
    with pytest.raises(SchemaError, match="'model_hub' not found"):
        dataset_counts(tmp_path / "p.db")


def test_dropoff_tables_set_each_hf_top_against_the_nearest_pypi_snapshot() -> None:
    curve = rank_curve(SNAPSHOT)
    curves = {
        ("hf", "2022-10"): curve,
        ("pypi", "2022-01"): curve.assign(downloads=curve["downloads"] * 4),
        ("pypi", "2022-11"): curve.assign(downloads=curve["downloads"] * 2),
    }
    table, summary = dropoff_tables(curves, lambda label: pd.Timestamp(f"{label}-01"), [("npm", "2022-11")])
    assert len(table) == 3 * len(curve)
    hf = summary[summary["registry"] == "hf"].iloc[0]
    assert (hf["pypi_snapshot"], hf["top1_to_pypi"]) == ("2022-11", 0.5)
    assert summary[summary["registry"] == "npm"]["counts"].tolist() == ["none: ranked names only"]


def test_the_figure_draws_exact_log10_values_and_leaves_zero_downloads_out() -> None:
    curves = pd.DataFrame({"registry": ["hf"] * 3, "snapshot": ["2022-06"] * 3, "rank": [1, 10, 100], "downloads": [1000.0, 10.0, 0.0]})
    (line,) = figure_dropoff(curves, "").axes[0].get_lines()
    assert line.get_xdata().tolist() == [0.0, 1.0] and line.get_ydata().tolist() == [3.0, 1.0]
