"""How much a PeaTMOSS database holds: models, models per model hub, GitHub projects and links.

The paper describes PeaTMOSS by these counts (Section 5.2.1). Hub names are normalised to lower-case
letters and digits ("Hugging Face" -> "huggingface"), so a quantity reads `models.hub.huggingface`.
A table the file lacks (the authors' PeaTMOSS_DIST.db was published without GitHub metadata) is
reported with an empty value and the reason, not as 0.
"""

from __future__ import annotations

import re
import sqlite3
from pathlib import Path

import pandas as pd

from artifact.errors import SchemaError
from artifact.loaders.sqlite import open_readonly, require_columns

COUNT_COLUMNS = ("quantity", "value", "note")
_OPTIONAL = (("github_projects", "reuse_repository"), ("github_links", "model_to_reuse_repository"))


def _hub_key(name: object) -> str:
    return re.sub(r"[^a-z0-9]", "", str(name).lower()) or "unnamed"


def dataset_counts(path: Path) -> pd.DataFrame:
    """One row per quantity (COUNT_COLUMNS); SchemaError naming the file when `model` or `model_hub` is missing."""
    connection = open_readonly(path)
    try:
        require_columns(connection, path, "model", ["id", "model_hub_id"])
        require_columns(connection, path, "model_hub", ["id", "name"])
        rows = [("models", connection.execute('SELECT count(*) FROM "model"').fetchone()[0], "")]
        hubs = connection.execute(
            'SELECT h.name, count(*) FROM "model" m LEFT JOIN "model_hub" h ON m.model_hub_id = h.id GROUP BY h.name'
        ).fetchall()
        per_hub: dict[str, int] = {}
        for name, count in hubs:
            key = _hub_key(name) if name is not None else "unnamed"
            per_hub[key] = per_hub.get(key, 0) + int(count)
        rows += [(f"models.hub.{key}", count, "") for key, count in sorted(per_hub.items())]
        tables = {row[0] for row in connection.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        for quantity, table in _OPTIONAL:
            if table in tables:
                rows.append((quantity, connection.execute(f'SELECT count(*) FROM "{table}"').fetchone()[0], ""))
            else:
                rows.append((quantity, None, f"the file has no table {table}"))
    except sqlite3.DatabaseError as error:
        raise SchemaError(f"{path}: counting the models of PeaTMOSS failed ({error}); check the file") from error
    finally:
        connection.close()
    return pd.DataFrame(rows, columns=list(COUNT_COLUMNS)).astype({"value": "Int64"})
