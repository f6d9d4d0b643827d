"""PeaTMOSS and archived-intermediate loaders: tidy frames, and errors naming file, table and column."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from artifact.errors import SchemaError
from artifact.loaders.descendants_csv import load_descendants_csv
from artifact.loaders.peatmoss import load_base_links, load_model_libraries, load_models
from artifact.sample.peatmoss import peatmoss_ddl


@pytest.fixture()
def database(tmp_path: Path) -> Path:
    path = tmp_path / "peatmoss.db"
    with sqlite3.connect(path) as db:
        db.executescript(peatmoss_ddl())
        db.executemany("INSERT INTO model (id, context_id, downloads) VALUES (?, ?, ?)", [(1, "org/a", 7), (2, "b", None)])
        db.executemany("INSERT INTO library (id, name) VALUES (?, ?)", [(1, "transformers"), (2, "onnx")])
        # (3, 1): model 3 is not a row; (1, 9): library 9 is not a row; both are left out.
        db.executemany("INSERT INTO model_to_library VALUES (?, ?)", [(1, 1), (1, 2), (2, 1), (3, 1), (1, 9)])
        db.executemany(
            "INSERT INTO model_to_base_model (model_id, base_model_name, base_model_id) VALUES (?, ?, ?)",
            [(2, "org/a", 1), (2, "elsewhere/x", None)],
        )
    return path


def test_models_keep_null_downloads_as_nan(database: Path) -> None:
    models = load_models(database)
    assert models["model_id"].tolist() == [1, 2] and models["name"].tolist() == ["org/a", "b"]
    assert models["downloads"].iloc[0] == 7.0 and models["downloads"].isna().iloc[1]


def test_model_libraries_keep_only_known_models_and_libraries(database: Path) -> None:
    pairs = load_model_libraries(database).sort_values(["model_id", "library"])
    assert pairs.values.tolist() == [[1, "onnx"], [1, "transformers"], [2, "transformers"]]


def test_base_links_have_nullable_base_ids(database: Path) -> None:
    links = load_base_links(database)
    assert links["base_model_name"].tolist() == ["org/a", "elsewhere/x"]
    assert links["base_model_id"].iloc[0] == 1 and links["base_model_id"].isna().iloc[1]
    assert str(links["base_model_id"].dtype) == "Int64"


def test_missing_table_is_named_with_the_file(tmp_path: Path) -> None:
    path = tmp_path / "no_links.db"
    with sqlite3.connect(path) as db:
        db.execute("CREATE TABLE model (id INTEGER, context_id TEXT, downloads INTEGER)")
    with pytest.raises(SchemaError) as caught:
        load_base_links(path)
    assert str(path) in str(caught.value) and "'model_to_base_model' not found" in str(caught.value)


def test_missing_column_is_named(tmp_path: Path) -> None:
    path = tmp_path / "old_links.db"
    with sqlite3.connect(path) as db:
        db.execute("CREATE TABLE model_to_base_model (model_id INTEGER, base_model_name TEXT)")
    with pytest.raises(SchemaError, match="model_to_base_model.*base_model_id"):
        load_base_links(path)


def test_text_in_an_id_column_is_refused_naming_it(database: Path) -> None:
    with sqlite3.connect(database) as db:
        db.execute("INSERT INTO model_to_base_model (model_id, base_model_name, base_model_id) VALUES ('x', 'y', 1)")
    with pytest.raises(SchemaError, match="'model_to_base_model', column 'model_id'.*'x'"):
        load_base_links(database)


def _csv(folder: Path, text: str) -> Path:
    path = folder / "m3.csv"
    path.write_text(text)
    return path


def test_intermediate_csv_is_read_as_integers(tmp_path: Path) -> None:
    table = load_descendants_csv(_csv(tmp_path, "downloads,count\n2856,7\n0,1\n"))
    assert table.to_dict("list") == {"downloads": [2856, 0], "descendants": [7, 1]}


@pytest.mark.parametrize(
    ("text", "message"),
    [("downloads,n\n1,2\n", "count"), ("downloads,count\n1,2\n3,\n", "row 2"), ("downloads,count\n-1,2\n", "'downloads'")],
)
def test_intermediate_csv_errors_name_the_column_or_row(tmp_path: Path, text: str, message: str) -> None:
    path = _csv(tmp_path, text)
    with pytest.raises(SchemaError, match=message) as caught:
        load_descendants_csv(path)
    assert str(path) in str(caught.value)
