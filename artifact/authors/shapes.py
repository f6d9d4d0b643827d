"""Our data in the shapes the authors' scripts read: a PeaTMOSS-shaped SQLite file and their CSVs.

- `write_peatmoss_shape`: the model frames (artifact/loaders/peatmoss.py shapes) as the tables
  `model`, `library`, `model_to_library` and `model_to_base_model` of the PeaTMOSS schema (the
  authors' own DDL, artifact/sample/peatmoss_schema.sql); artifact/loaders/peatmoss.py reads the
  file back to the same frames. Library ids follow the names' code-point order.
- `descendants_csv`: Metric 3's per-base table as `downloads,count` (the authors' intermediate).
- `score_csv`: Metric 4's scores of one group as the columns analysis.r reads (`likes`, `downloads`,
  `num_downstream_repos`, `Documentation Quality Score`), missing scores as R's `NA`.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from artifact.atomic import atomic_path
from artifact.sample.peatmoss import peatmoss_ddl, records
from artifact.sample.sqlite_files import write_sqlite

SCORE_CSV_COLUMNS = ("likes", "downloads", "num_downstream_repos", "Documentation Quality Score")


def write_peatmoss_shape(path: Path, models: pd.DataFrame, model_libraries: pd.DataFrame, base_links: pd.DataFrame) -> None:
    """Write the frames as a PeaTMOSS-shaped SQLite file at `path` (atomically)."""
    names = sorted(model_libraries["library"].astype(str).unique())
    library_id = {name: index for index, name in enumerate(names, start=1)}
    pairs = model_libraries.drop_duplicates().assign(library_id=lambda f: f["library"].map(library_id))
    links = base_links.drop_duplicates(subset=["model_id", "base_model_id", "base_model_name"])
    inserts = [
        ("INSERT INTO model (id, context_id, downloads) VALUES (?, ?, ?)",
         records(models[["model_id", "name", "downloads"]].astype({"downloads": "Int64"}))),
        ("INSERT INTO library (id, name) VALUES (?, ?)", [(index, name) for name, index in library_id.items()]),
        ("INSERT INTO model_to_library (model_id, library_id) VALUES (?, ?)", records(pairs[["model_id", "library_id"]])),
        ("INSERT INTO model_to_base_model (model_id, base_model_name, base_model_id) VALUES (?, ?, ?)",
         records(links[["model_id", "base_model_name", "base_model_id"]].astype({"base_model_id": "Int64"}))),
    ]
    with atomic_path(path) as tmp:
        write_sqlite(Path(tmp), _without_base_key(peatmoss_ddl()), inserts)


def _without_base_key(ddl: str) -> str:
    """The DDL with model_to_base_model's key on (model_id, base_model_id) dropped.

    A Hub listing names bases that are not model rows (base_model_id NULL) and the same base under
    two spellings; the authors' scripts group by name, so every distinct (model, name) row is kept.
    """
    return ddl.replace("PRIMARY KEY(model_id, base_model_id)\n", "UNIQUE(model_id, base_model_name, base_model_id)\n")


def descendants_csv(path: Path, parents: pd.DataFrame) -> None:
    """Per base model (`downloads`, `descendants`) as the authors' `downloads,count` CSV."""
    table = pd.DataFrame({"downloads": parents["downloads"].astype("int64"), "count": parents["descendants"].astype("int64")})
    with atomic_path(path) as tmp:
        table.to_csv(tmp, index=False, lineterminator="\n")


def score_csv(path: Path, group: pd.DataFrame, score: str) -> None:
    """One group's rows with their measures and `score` as analysis.r's CSV (float repr round-trips)."""
    table = group[["likes", "downloads", "num_downstream_repos"]].astype("Float64").astype("float64")
    table["Documentation Quality Score"] = group[score].astype("Float64").astype("float64")
    with atomic_path(path) as tmp:
        table.loc[:, list(SCORE_CSV_COLUMNS)].to_csv(tmp, index=False, na_rep="NA", float_format="%.17g", lineterminator="\n")
