"""Metric 4 loaders: the archived answers in either schema, and PeaTMOSS metadata presence."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from artifact.errors import SchemaError
from artifact.loaders import peatmoss_metadata
from artifact.loaders.card_scores import load_archived_cards
from artifact.loaders.peatmoss_metadata import METADATA_CATEGORIES, load_metadata_presence
from artifact.sample.peatmoss import peatmoss_ddl

REPLY = '{"Model description": true, "Limitations": false, "How to use": "true", "Training": null, "Evaluation": false}'


def _parquet(path: Path, columns: dict[str, list]) -> Path:
    pq.write_table(pa.table({name: pa.array(values) for name, values in columns.items()}), path)
    return path


def test_raw_replies_with_other_column_names(tmp_path: Path) -> None:
    path = _parquet(tmp_path / "top.parquet", {
        "modelId": ["org/a", "org/b"], "downloads": [10, None], "likes": [1, 2], "downstream_repos": [0, 3],
        "modelcard_text": ["## Usage\n```\nimport x\n```", None], "analysis_result": [f"Sure!\n{REPLY}", "{oops"],
    })
    cards = load_archived_cards(path)
    assert (cards.verdict_column, cards.card_column) == ("analysis_result", "modelcard_text")
    table = cards.table
    assert table["context_id"].tolist() == ["org/a", "org/b"]
    assert table["downloads"].isna().tolist() == [False, True]
    assert table["num_downstream_repos"].tolist() == [0.0, 3.0]
    assert table["reply_status"].tolist() == ["partial", "unparseable"]
    assert table.loc[0, ["description", "limitations", "how_to_use", "evaluation"]].tolist() == [True, False, True, False]
    assert table["training"].isna().all() and table.loc[1, "card"] is None


def test_parsed_mappings_are_preferred_to_raw_text(tmp_path: Path) -> None:
    path = _parquet(tmp_path / "bottom.parquet", {
        "context_id": ["m"], "downloads": [1], "likes": [0], "num_downstream_repos": [0], "card": [""],
        "analysis_result": ["not read"],
        "analysis": [{"Model description": True, "Limitations": False, "How to use": False, "Training": True,
                      "Evaluation": True}],
    })
    cards = load_archived_cards(path)
    assert cards.verdict_column == "analysis" and cards.table["reply_status"].tolist() == ["parsed"]


def test_a_file_without_card_text_still_loads(tmp_path: Path) -> None:
    path = _parquet(tmp_path / "t.parquet", {"context_id": ["m"], "downloads": [1], "likes": [0],
                                             "num_downstream_repos": [0], "analysis": [None]})
    cards = load_archived_cards(path)
    assert cards.card_column is None and cards.table["reply_status"].tolist() == ["missing"]


def test_no_verdict_column_names_the_file_and_the_columns_present(tmp_path: Path) -> None:
    path = _parquet(tmp_path / "t.parquet", {"context_id": ["m"], "downloads": [1], "likes": [0],
                                             "num_downstream_repos": [0], "gpt_answer": ["{}"]})
    with pytest.raises(SchemaError) as caught:
        load_archived_cards(path)
    message = str(caught.value)
    assert str(path) in message and "analysis, analysis_result" in message and "gpt_answer" in message


def test_a_file_that_is_not_parquet_fails_clearly(tmp_path: Path) -> None:
    path = tmp_path / "t.parquet"
    path.write_text("context_id,analysis\n")
    with pytest.raises(SchemaError, match="not a readable Parquet file"):
        load_archived_cards(path)


def _peatmoss(path: Path) -> Path:
    """Four models: 1 has an architecture and a dataset with URL, 2 a dataset without URL and a GitHub
    repository, 3 a link to an architecture that does not exist, 4 a tag whose name is NULL."""
    with sqlite3.connect(path) as db:
        db.executescript(peatmoss_ddl())
        db.executemany("INSERT INTO model (id, context_id) VALUES (?, ?)", [(1, "a"), (2, "b"), (3, "c"), (4, "d")])
        db.execute("INSERT INTO architecture (id, name) VALUES (1, 'BertModel')")
        db.executemany("INSERT INTO model_to_architecture VALUES (?, ?)", [(1, 1), (3, 99)])
        db.executemany("INSERT INTO dataset (id, name, url) VALUES (?, ?, ?)", [(1, "sst2", "https://x"), (2, "imdb", None)])
        db.executemany("INSERT INTO model_to_dataset VALUES (?, ?)", [(1, 1), (1, 2), (2, 2)])
        db.execute("INSERT INTO github_repo (owner, name, url, model_id) VALUES ('o', 'r', 'https://github.com/o/r', 2)")
        db.execute("INSERT INTO tag (id, name) VALUES (1, NULL)")
        db.execute("INSERT INTO model_to_tag VALUES (4, 1)")
    return path


def test_metadata_presence_per_category(tmp_path: Path) -> None:
    table = load_metadata_presence(_peatmoss(tmp_path / "p.db")).set_index("context_id")
    assert list(table.columns) == list(METADATA_CATEGORIES)
    present = {model: sorted(c for c in METADATA_CATEGORIES if table.loc[model, c]) for model in table.index}
    assert present == {
        "a": ["architecture", "dataset", "dataset_url"],
        "b": ["dataset", "github_repository"],
        "c": [],
        "d": [],
    }


def test_metadata_is_read_one_table_at_a_time(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    queries: list[str] = []
    original = pd.read_sql_query
    monkeypatch.setattr(peatmoss_metadata.pd, "read_sql_query", lambda sql, con: queries.append(sql) or original(sql, con))
    load_metadata_presence(_peatmoss(tmp_path / "p.db"))
    assert len(queries) == 14  # the model table, then one grouped pass per category table (dataset: two flags)
    assert all(sql.upper().count(" JOIN ") <= 1 for sql in queries)


def test_a_missing_category_table_is_named(tmp_path: Path) -> None:
    path = _peatmoss(tmp_path / "p.db")
    with sqlite3.connect(path) as db:
        db.execute('DROP TABLE "model_to_grant"')
    with pytest.raises(SchemaError) as caught:
        load_metadata_presence(path)
    assert str(path) in str(caught.value) and "model_to_grant" in str(caught.value)
