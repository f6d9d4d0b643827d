"""Hub API model listings (the JSON form of `GET /api/models`) as a Metric 2 snapshot.

A JSON file holding a list of model objects (`id`, or `modelId` in older listings, `downloads`,
and `likes`, `tags`, `library_name`, `pipeline_tag`, `createdAt` that Metric 2 does not read):
the form of the 2024-07-11 listing pages and of `python -m artifact snapshot hf`. An id listed
twice (pages shifting while a live listing is read) keeps its first listing.
"""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd

from artifact.errors import SchemaError
from artifact.loaders.snapshots_hf import tidy_snapshot


def load_hub_listing_snapshot(path: Path) -> pd.DataFrame:
    """Tidy snapshot (`name` str, `downloads` float64, NaN when absent) of one listing file."""
    try:
        records = json.loads(Path(path).read_bytes())
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise SchemaError(f"{path} is not a readable JSON file ({error}); check that the file is the pinned input") from None
    if not isinstance(records, list) or not all(isinstance(record, dict) for record in records):
        raise SchemaError(f"{path}: expected a JSON list of model objects; check that the file is the pinned input")
    frame = pd.DataFrame.from_records(records, columns=["id", "modelId", "downloads"])
    frame["name"] = frame["id"].fillna(frame["modelId"])
    if frame["name"].isna().any():
        raise SchemaError(f"{path}: model object #{frame['name'].isna().idxmax() + 1} has neither 'id' nor 'modelId'")
    return tidy_snapshot(frame.drop_duplicates("name", keep="first")).reset_index(drop=True)
