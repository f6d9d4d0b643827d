"""Read-only access to SQLite inputs, with schema checks that name the file, table and column."""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence
from pathlib import Path

import pandas as pd

from artifact.errors import InputMissingError, SchemaError


def open_readonly(path: Path) -> sqlite3.Connection:
    """Open `path` read-only (the input is never modified, not even its journal)."""
    if not path.is_file():
        raise InputMissingError(f"SQLite input {path} does not exist")
    connection = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
    try:
        connection.execute("SELECT count(*) FROM sqlite_master").fetchone()
    except sqlite3.DatabaseError as error:
        connection.close()
        raise SchemaError(f"{path} is not a readable SQLite database ({error}); fetch it again") from error
    return connection


def require_columns(connection: sqlite3.Connection, path: Path, table: str, columns: Sequence[str]) -> None:
    """Raise SchemaError unless `table` exists in `path` with every one of `columns`."""
    tables = [row[0] for row in connection.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]
    if table not in tables:
        raise SchemaError(
            f"{path}: table {table!r} not found (tables present: {', '.join(sorted(tables)) or 'none'}); "
            "check that the file is the pinned input"
        )
    present = [row[1] for row in connection.execute(f'PRAGMA table_info("{table}")')]
    missing = [column for column in columns if column not in present]
    if missing:
        raise SchemaError(
            f"{path}: table {table!r} lacks column(s) {', '.join(missing)} "
            f"(columns present: {', '.join(present)}); check that the file is the pinned input"
        )


def read_columns(path: Path, table: str, columns: dict[str, str]) -> pd.DataFrame:
    """Read `table` from `path`, renaming source columns (keys) to tidy names (values)."""
    connection = open_readonly(path)
    try:
        require_columns(connection, path, table, list(columns))
        selected = ", ".join(f'"{source}" AS "{tidy}"' for source, tidy in columns.items())
        return pd.read_sql_query(f'SELECT {selected} FROM "{table}"', connection)
    except (sqlite3.DatabaseError, pd.errors.DatabaseError) as error:  # pandas wraps a failing query in its own
        raise SchemaError(f"{path}: reading table {table!r} failed ({error}); fetch it again") from error
    finally:
        connection.close()
