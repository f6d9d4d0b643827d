"""Case 5 of issue 17: text, booleans, infinities, inexact or repeated ids, empty tables and failing queries are errors."""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path

import pandas as pd
import pytest

from artifact.errors import SchemaError
from artifact.inputs.fetch import mirror_path
from artifact.loaders.model_info_parquet import load_model_info
from artifact.loaders.peatmoss import load_base_links, load_models
from artifact.loaders.pypi_top import load_pypi_top
from artifact.loaders.snapshots_hf import load_hf_snapshot
from artifact.loaders.toplist_csv import load_toplist_csv

ANCIENT_URL = (
    "https://raw.githubusercontent.com/PurdueDualityLab/ptm-quantify-esem-2024/"
    "f5ea2ca9d77c8a8179a825e59cf1887c7eadae10/data/PeaTMOSS_ANCIENT.db"
)


def _ancient(path: Path, rows: list[tuple]) -> Path:
    """A file in the layout of the paper's 06/2022 snapshot."""
    with sqlite3.connect(path) as db:
        db.execute('CREATE TABLE "PeaTMOSS_ANCIENT" ("modelId" TEXT, downloads_last_month FLOAT)')
        db.executemany('INSERT INTO "PeaTMOSS_ANCIENT" VALUES (?, ?)', rows)
    return path


def test_case5_text_in_a_sqlite_numeric_column_names_file_table_column_row_and_value(tmp_path: Path) -> None:
    path = _ancient(tmp_path / "ancient.db", [("a/x", 5.0), ("b/y", None), ("c/z", "lots"), ("d/w", "many")])
    with pytest.raises(SchemaError) as caught:
        load_hf_snapshot(path, "hf-ancient")
    message = str(caught.value)
    assert str(path) in message and "'PeaTMOSS_ANCIENT'" in message and "'downloads_last_month'" in message
    assert "row 3 holds 'lots'" in message and "1 more row" in message


def test_case5_text_in_a_csv_numeric_column_is_an_error(tmp_path: Path) -> None:
    path = tmp_path / "top.csv"
    path.write_text("name,downloads\nleft-pad,10\nboto3,lots\n")
    with pytest.raises(SchemaError, match=r"column 'downloads': row 2 holds 'lots'"):
        load_toplist_csv(path)


def test_case5_text_in_a_parquet_numeric_column_is_an_error(tmp_path: Path) -> None:
    path = tmp_path / "model_info.parquet"
    frame = pd.DataFrame({"modelId": ["a", "b"], "downloads": ["7", "lots"],
                          "creation_time": pd.to_datetime(["2022-01-01", "2022-02-01"], utc=True)})
    frame.to_parquet(path)
    with pytest.raises(SchemaError, match=r"'model_info', column 'downloads': row 2 holds 'lots'"):
        load_model_info(path)


def test_case5_negative_downloads_are_an_error(tmp_path: Path) -> None:
    path = tmp_path / "top.json"
    path.write_text('{"rows": [{"project": "a", "download_count": 5}, {"project": "b", "download_count": -3}]}')
    with pytest.raises(SchemaError, match=r"column 'download_count': row 2 holds -3, a negative number"):
        load_pypi_top(path)


def test_case5_repeated_model_ids_and_empty_tables_are_errors(tmp_path: Path) -> None:
    path = tmp_path / "peatmoss.db"
    with sqlite3.connect(path) as db:
        db.execute('CREATE TABLE "model" (id INTEGER, context_id TEXT, downloads INTEGER)')
        db.executemany('INSERT INTO "model" VALUES (?, ?, ?)', [(1, "a", 3), (2, "b", 4), (1, "c", 5)])
    with pytest.raises(SchemaError, match=r"table 'model', column 'id': row 3 holds 1, which an earlier row"):
        load_models(path)
    empty = _ancient(tmp_path / "empty.db", [])
    with pytest.raises(SchemaError, match=r"table 'PeaTMOSS_ANCIENT' has no rows"):
        load_hf_snapshot(empty, "hf-ancient")


def _models(path: Path, ids: list[object]) -> Path:
    """A PeaTMOSS-like file whose `model.id` column has no type, so SQLite keeps each value as given."""
    with sqlite3.connect(path) as db:
        db.execute('CREATE TABLE "model" (id, context_id TEXT, downloads INTEGER)')
        db.executemany('INSERT INTO "model" VALUES (?, ?, 1)', [(value, f"m{n}") for n, value in enumerate(ids)])
    return path


def test_case5_integer_ids_above_2_to_the_53_stay_exact(tmp_path: Path) -> None:
    path = _models(tmp_path / "peatmoss.db", [2**53 + 1, 2])
    with sqlite3.connect(path) as db:
        db.execute('CREATE TABLE "model_to_base_model" (model_id INTEGER, base_model_name TEXT, base_model_id INTEGER)')
        db.executemany('INSERT INTO "model_to_base_model" VALUES (?, ?, ?)', [(2, "x", 2**53 + 1), (2, "y", None)])
    # through float64 both would read 9007199254740992
    assert load_models(path)["model_id"].tolist() == [9_007_199_254_740_993, 2]
    assert load_base_links(path)["base_model_id"].tolist() == [9_007_199_254_740_993, pd.NA]


@pytest.mark.parametrize(
    ("ids", "held"),
    [
        ([1, 2.5], "row 2 holds 2.5, which is not a whole number"),
        ([1, "9223372036854775808"], "row 2 holds '9223372036854775808', which is not a whole number within the int64"),
        ([1, "inf"], "row 2 holds 'inf', which is not a whole number"),
    ],
)
def test_case5_an_id_that_is_not_an_exact_int64_is_an_error(tmp_path: Path, ids: list[object], held: str) -> None:
    with pytest.raises(SchemaError, match=rf"table 'model', column 'id': {held}"):
        load_models(_models(tmp_path / "peatmoss.db", ids))


@pytest.mark.parametrize(
    ("count", "held"),
    [
        ("true", "row 2 holds True, a boolean where a number is expected"),
        ('"inf"', "row 2 holds 'inf', which is not a finite number"),
        ("Infinity", "row 2 holds inf, which is not a finite number"),
    ],
)
def test_case5_booleans_and_infinite_counts_are_errors(tmp_path: Path, count: str, held: str) -> None:
    path = tmp_path / "top.json"
    path.write_text(f'{{"rows": [{{"project": "a", "download_count": 5}}, {{"project": "b", "download_count": {count}}}]}}')
    with pytest.raises(SchemaError, match=rf"column 'download_count': {held}"):
        load_pypi_top(path)


def test_case5_an_id_written_as_text_repeats_the_same_integer(tmp_path: Path) -> None:
    with pytest.raises(SchemaError, match=r"column 'id': row 3 holds 1, which an earlier row already holds"):
        load_models(_models(tmp_path / "peatmoss.db", [1, 2, "1.0"]))


def _damaged(path: Path, table: str) -> Path:
    """A SQLite file whose schema reads but whose only table page (page 2) is overwritten."""
    with sqlite3.connect(path) as db:
        db.execute(f'CREATE TABLE "{table}" (id INTEGER, context_id TEXT, downloads INTEGER, "modelId" TEXT, '
                   "downloads_last_month FLOAT)")
        db.execute(f'INSERT INTO "{table}" VALUES (1, \'a\', 3, \'a\', 3.0)')
    data = bytearray(path.read_bytes())
    data[4096:8192] = b"\xff" * 4096
    path.write_bytes(data)
    return path


def test_case5_a_failing_query_is_an_input_error_naming_file_and_table(tmp_path: Path) -> None:
    peatmoss = _damaged(tmp_path / "peatmoss.db", "model")
    with pytest.raises(SchemaError, match=rf"{peatmoss}: query on model failed \(.*malformed"):
        load_models(peatmoss)
    ancient = _damaged(tmp_path / "ancient.db", "PeaTMOSS_ANCIENT")
    with pytest.raises(SchemaError, match=rf"{ancient}: reading table 'PeaTMOSS_ANCIENT' failed \(.*malformed"):
        load_hf_snapshot(ancient, "hf-ancient")


def test_case5_absent_values_are_counted_in_a_record_the_report_can_read(tmp_path: Path) -> None:
    from artifact.loaders.losses import count_missing, read_losses, write_losses

    path = _ancient(tmp_path / "ancient.db", [("a/x", 5.0), ("b/y", None), ("c/z", None)])
    frame = load_hf_snapshot(path, "hf-ancient")
    record = count_missing(frame, "test-hf", ("downloads",), "left out")
    assert (record.rows, record.lost, record.missing) == (3, 2, {"downloads": 2})
    write_losses(record, tmp_path / "hf.parquet.rows.json")
    assert read_losses(tmp_path / "hf.parquet.rows.json") == record


def test_case5_an_input_error_in_a_task_is_exit_code_2_not_1() -> None:
    from artifact.errors import is_input_error

    traceback = 'Traceback (most recent call last):\n  File "x.py", line 1\nartifact.errors.SchemaError: x.db: bad\n'
    assert is_input_error(traceback) and not is_input_error("Traceback ...\nKeyError: 'x'\n")


def test_case5_the_papers_06_2022_snapshot_loses_1369_rows_without_downloads() -> None:
    mirror = os.environ.get("ARTIFACT_MIRROR")
    if not mirror:
        pytest.skip("needs the real inputs: set ARTIFACT_MIRROR")
    from artifact.loaders.losses import count_missing

    path = mirror_path(Path(mirror), ANCIENT_URL)
    record = count_missing(load_hf_snapshot(path, "hf-ancient"), "esem2024-hf-2022-06", ("downloads",), "left out")
    # expected from the mirror's README: 10,406 rows, 9,037 with downloads
    assert (record.rows, record.lost) == (10_406, 10_406 - 9_037)
