"""Loaders: tidy tables from the real formats, and errors that name the file, table and column."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from artifact.errors import SchemaError
from artifact.loaders.snapshots_hf import load_hf_snapshot
from artifact.loaders.toplist_csv import load_toplist_csv


def test_ancient_snapshot_keeps_nulls_as_nan(tmp_path: Path) -> None:
    path = tmp_path / "a.db"
    with sqlite3.connect(path) as db:
        db.execute('CREATE TABLE "PeaTMOSS_ANCIENT" ("modelId" TEXT, downloads_last_month FLOAT)')
        db.executemany('INSERT INTO "PeaTMOSS_ANCIENT" VALUES (?, ?)', [("m1", 3.0), ("m2", None)])
    table = load_hf_snapshot(path, "hf-ancient")
    assert table["name"].tolist() == ["m1", "m2"]
    assert table["downloads"].iloc[0] == 3.0 and table["downloads"].isna().iloc[1]


def test_wrong_table_name_is_named_in_the_error(tmp_path: Path) -> None:
    path = tmp_path / "old.db"
    with sqlite3.connect(path) as db:
        db.execute('CREATE TABLE "WRONG" ("modelId" TEXT, downloads INTEGER)')
    with pytest.raises(SchemaError) as caught:
        load_hf_snapshot(path, "hf-old")
    assert str(path) in str(caught.value) and "PeaTMOSS_OLD" in str(caught.value) and "WRONG" in str(caught.value)


def test_missing_column_is_named_in_the_error(tmp_path: Path) -> None:
    path = tmp_path / "new.db"
    with sqlite3.connect(path) as db:
        db.execute('CREATE TABLE "PeaTMOSS_NEW" (id TEXT, likes INTEGER)')
    with pytest.raises(SchemaError) as caught:
        load_hf_snapshot(path, "hf-new")
    message = str(caught.value)
    assert str(path) in message and "PeaTMOSS_NEW" in message and "downloads" in message


def test_csv_top_list_without_downloads_column_fails_clearly(tmp_path: Path) -> None:
    path = tmp_path / "npm.csv"
    path.write_text("name,count\na,1\n")
    with pytest.raises(SchemaError, match="downloads"):
        load_toplist_csv(path)


def test_csv_names_stay_text(tmp_path: Path) -> None:
    path = tmp_path / "pypi.csv"
    path.write_text("name,downloads\n1e5,3\nnull,\n")
    table = load_toplist_csv(path)
    assert table["name"].tolist() == ["1e5", "null"]
    assert table["downloads"].isna().tolist() == [False, True]
