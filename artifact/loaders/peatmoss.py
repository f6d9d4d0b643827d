"""The PeaTMOSS SQLite database (10/2023): the tables Metrics 1 and 3 read, as tidy frames.

The database is opened read-only; every query is fixed SQL text (no value is ever formatted into
it). Before a query runs, the tables and columns it reads are checked, so a wrong file
fails with an error naming the file, the table and the column. Tidy frames:
- models: `model_id` int64, `name` str (the Hugging Face id, `model.context_id`), `downloads`
  float64 (NaN where NULL);
- model libraries: `model_id` int64, `library` str (one row per model and library, for models
  that are rows of `model` and libraries that are rows of `library`, as the authors' joins kept);
- base links: `model_id` int64 (the descendant), `base_model_name` str, `base_model_id` Int64
  (<NA> when the base is not a model row).
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pandas as pd

from artifact.errors import SchemaError
from artifact.loaders.checks import not_empty, numbers, unique
from artifact.loaders.sqlite import open_readonly, require_columns

MODEL_TABLE = {"model": ("id", "context_id", "downloads")}
LIBRARY_TABLES = {"model": ("id",), "library": ("id", "name"), "model_to_library": ("model_id", "library_id")}
BASE_LINK_TABLE = {"model_to_base_model": ("model_id", "base_model_name", "base_model_id")}


def load_models(path: Path) -> pd.DataFrame:
    """Every model row: `model_id`, `name`, `downloads` (NaN where NULL)."""
    frame = _query(path, MODEL_TABLE, 'SELECT id AS model_id, context_id AS name, downloads FROM "model"')
    not_empty(frame, path, "model")
    model_ids = numbers(frame["model_id"], path, "model", "id", integer=True, missing_allowed=False)
    unique(model_ids, path, "model", "id")  # on the numbers, so that the text '1' repeats the integer 1
    return pd.DataFrame(
        {
            "model_id": model_ids,
            "name": frame["name"].astype(str),
            "downloads": numbers(frame["downloads"], path, "model", "downloads"),
        }
    )


def load_model_libraries(path: Path) -> pd.DataFrame:
    """(`model_id`, `library`) pairs, distinct, for known models and libraries."""
    frame = _query(
        path,
        LIBRARY_TABLES,
        'SELECT DISTINCT ml.model_id AS model_id, l.name AS library FROM "model_to_library" AS ml '
        'JOIN "library" AS l ON l.id = ml.library_id JOIN "model" AS m ON m.id = ml.model_id',
    )
    return pd.DataFrame(
        {
            "model_id": numbers(
                frame["model_id"], path, "model_to_library", "model_id", integer=True, missing_allowed=False
            ),
            "library": frame["library"].astype(str),
        }
    )


def load_base_links(path: Path) -> pd.DataFrame:
    """Rows of `model_to_base_model`: descendant `model_id`, `base_model_name`, `base_model_id`."""
    frame = _query(
        path, BASE_LINK_TABLE, 'SELECT model_id, base_model_name, base_model_id FROM "model_to_base_model"'
    )
    return pd.DataFrame(
        {
            "model_id": numbers(
                frame["model_id"], path, "model_to_base_model", "model_id", integer=True, missing_allowed=False
            ),
            "base_model_name": frame["base_model_name"].astype(str),
            "base_model_id": numbers(
                frame["base_model_id"], path, "model_to_base_model", "base_model_id", integer=True
            ),
        }
    )


def _query(path: Path, reads: dict[str, tuple[str, ...]], sql: str) -> pd.DataFrame:
    """Run `sql` on `path` after checking that the tables and columns in `reads` exist."""
    connection = open_readonly(path)
    try:
        for table, columns in reads.items():
            require_columns(connection, path, table, columns)
        return pd.read_sql_query(sql, connection, dtype_backend="numpy_nullable")  # integers with NULLs stay exact
    except (sqlite3.DatabaseError, pd.errors.DatabaseError) as error:  # pandas wraps a failing query in its own
        raise SchemaError(f"{path}: query on {', '.join(reads)} failed ({error}); check the file") from error
    finally:
        connection.close()
