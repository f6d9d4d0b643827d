"""The sample PeaTMOSS database has the quirks Metrics 1, 3 and 4 must handle; its intermediate agrees."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pandas as pd
import pytest

from artifact.config import Settings
from artifact.inputs.manifest import load_manifest
from artifact.inputs.resolve import resolve
from artifact.loaders.descendants_csv import load_descendants_csv
from artifact.loaders.peatmoss import load_base_links, load_models
from artifact.metrics.m3_descendants import popularity_by_descendants
from artifact.sample.peatmoss import CATEGORIES


def _input(input_id: str) -> Path:
    return resolve(load_manifest()[input_id], Settings.from_env({}))


@pytest.fixture(scope="module")
def db() -> sqlite3.Connection:
    connection = sqlite3.connect(f"{_input('sample-peatmoss').resolve().as_uri()}?mode=ro", uri=True)
    yield connection
    connection.close()


def _count(db: sqlite3.Connection, sql: str) -> int:
    return db.execute(sql).fetchone()[0]


def test_lineage_has_unresolved_bases_chains_and_descendants_without_downloads(db: sqlite3.Connection) -> None:
    assert _count(db, "SELECT count(*) FROM model_to_base_model WHERE base_model_id IS NULL") > 0
    chains = "SELECT count(*) FROM model_to_base_model WHERE base_model_id IN (SELECT model_id FROM model_to_base_model)"
    assert _count(db, chains) > 0
    without = "SELECT count(*) FROM model_to_base_model AS l JOIN model AS m ON m.id = l.model_id WHERE m.downloads IS NULL"
    zero = "SELECT count(*) FROM model_to_base_model AS l JOIN model AS m ON m.id = l.model_id WHERE m.downloads = 0"
    assert _count(db, without) > 0 and _count(db, zero) > 0
    assert _count(db, "SELECT count(*) FROM (SELECT model_id FROM model_to_base_model GROUP BY 1 HAVING count(*) > 1)") > 0


def test_a_base_is_written_under_two_names(db: sqlite3.Connection) -> None:
    names = {row[0] for row in db.execute(
        "SELECT l.base_model_name FROM model_to_base_model AS l JOIN model AS m ON m.id = l.base_model_id "
        "WHERE m.context_id = 'gpt2'"
    )}
    assert names == {"gpt2", "GPT-2"}


def test_models_have_no_library_one_or_several(db: sqlite3.Connection) -> None:
    per_model = pd.read_sql_query("SELECT model_id, count(*) AS n FROM model_to_library GROUP BY model_id", db)["n"]
    models = _count(db, "SELECT count(*) FROM model")
    assert (per_model == 1).any() and (per_model >= 2).any() and len(per_model) < models


def test_metadata_categories_are_filled_more_for_popular_models(db: sqlite3.Connection) -> None:
    models = pd.read_sql_query("SELECT id, downloads FROM model", db)
    popular = models["downloads"].rank(pct=True) > 0.5
    for link_table in [c.link_table for c in CATEGORIES] + ["model_to_author", "model_to_reuse_repository"]:
        linked = models["id"].isin(pd.read_sql_query(f'SELECT model_id FROM "{link_table}"', db)["model_id"])
        assert linked.any(), link_table
        assert linked[popular].mean() > linked[~popular].mean(), link_table
    assert _count(db, "SELECT count(*) FROM dataset WHERE url IS NULL") > 0
    assert _count(db, "SELECT count(*) FROM dataset WHERE url IS NOT NULL") > 0
    assert _count(db, "SELECT count(*) FROM github_repo") > 0


def test_the_sample_intermediate_equals_the_metric_on_the_sample_database() -> None:
    # Two implementations: SQL in the generator, pandas in the metric.
    database = _input("sample-peatmoss")
    metric = popularity_by_descendants(load_models(database), load_base_links(database))
    intermediate = load_descendants_csv(_input("sample-m3-intermediate"))
    key = ["descendants", "downloads"]
    pd.testing.assert_frame_equal(
        metric[key].sort_values(key, ignore_index=True), intermediate[key].sort_values(key, ignore_index=True)
    )
    assert (intermediate["descendants"] == 0).any()  # a base whose descendants all lack downloads
