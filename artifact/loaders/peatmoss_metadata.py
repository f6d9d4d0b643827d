"""Which PeaTMOSS metadata categories each model has at least one entry for (Metric 4).

The authors left-joined all fourteen category tables onto `model` at once and grouped the result,
which multiplies rows (tags x datasets x ...). Here each table is read once, grouped by model
(`MAX(value IS NOT NULL)`), and the flags are merged on the model's id. A category counts as
present for a model when a linked row has a non-NULL value in the column below, as in the
authors' query (so a link to a dataset without a URL gives `dataset` but not `dataset_url`).
A category whose tables have no rows is absent for every model.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from artifact.loaders.sqlite import open_readonly, require_columns


@dataclass(frozen=True)
class _Source:
    """One table read in one pass: `table` holds `model_id`, or links it to `entity` through `link_column`."""

    table: str
    flags: dict[str, str]  # category -> column (of `entity`, or of `table` itself) whose value marks presence
    link_column: str | None = None
    entity: str | None = None


_SOURCES: tuple[_Source, ...] = (
    _Source("model_to_architecture", {"architecture": "name"}, "architecture_id", "architecture"),
    _Source("model_to_author", {"author": "name"}, "author_id", "author"),
    _Source("model_to_dataset", {"dataset": "name", "dataset_url": "url"}, "dataset_id", "dataset"),
    _Source("model_to_framework", {"framework": "name"}, "framework_id", "framework"),
    _Source("model_to_license", {"license": "name"}, "license_id", "license"),
    _Source("model_to_paper", {"paper": "title"}, "paper_id", "paper"),
    _Source("model_to_library", {"library": "name"}, "library_id", "library"),
    _Source("model_to_tag", {"tag": "name"}, "tag_id", "tag"),
    _Source("model_to_domain", {"domain": "name"}, "domain_id", "domain"),
    _Source("model_to_model_task", {"task": "name"}, "model_task_id", "model_task"),
    _Source("model_to_hardware", {"hardware": "name"}, "hardware_id", "hardware"),
    _Source("model_to_grant", {"grant": "name"}, "grant_id", "grant"),
    _Source("github_repo", {"github_repository": "url"}),
)
METADATA_CATEGORIES: tuple[str, ...] = tuple(category for source in _SOURCES for category in source.flags)


def load_metadata_presence(path: Path) -> pd.DataFrame:
    """One row per PeaTMOSS model: `context_id` and a boolean column per category (`METADATA_CATEGORIES`)."""
    connection = open_readonly(path)
    try:
        require_columns(connection, path, "model", ["id", "context_id"])
        models = pd.read_sql_query('SELECT id AS model_id, context_id FROM "model" ORDER BY id', connection)
        for source in _SOURCES:
            flags = _read_flags(connection, path, source)
            models = models.merge(flags, on="model_id", how="left", validate="one_to_one")
    finally:
        connection.close()
    for category in METADATA_CATEGORIES:
        models[category] = models[category].fillna(0).astype(bool)
    models["context_id"] = models["context_id"].astype(str)
    return models.loc[:, ["context_id", *METADATA_CATEGORIES]]


def _read_flags(connection, path: Path, source: _Source) -> pd.DataFrame:
    """`model_id` and one 0/1 column per category of `source`, from a single grouped pass over its table."""
    if source.entity is None:
        require_columns(connection, path, source.table, ["model_id", *source.flags.values()])
        values = {category: f'"{column}"' for category, column in source.flags.items()}
        origin = f'"{source.table}"'
    else:
        require_columns(connection, path, source.table, ["model_id", source.link_column])
        require_columns(connection, path, source.entity, ["id", *source.flags.values()])
        values = {category: f'e."{column}"' for category, column in source.flags.items()}
        origin = f'"{source.table}" AS l JOIN "{source.entity}" AS e ON e.id = l."{source.link_column}"'
    selected = ", ".join(f'MAX({value} IS NOT NULL) AS "{category}"' for category, value in values.items())
    return pd.read_sql_query(f"SELECT model_id, {selected} FROM {origin} GROUP BY model_id", connection)
