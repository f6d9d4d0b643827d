"""The model-card sample of hn5318/model_card_analysis (`Dataset/Sample_modelcard/samples_data.json`).

758 Hugging Face models (about 2024-09) with their card text, downloads, likes and tags. Format: a
JSON object keyed "1".."758", each value `{"modelId": str, "tags": [str], "downloads": float,
"likes": float, "modelcard_text": str}`. Rows keep the order of the numeric keys.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from artifact.errors import SchemaError
from artifact.loaders.checks import numbers

FIELDS = {"modelId": "id", "downloads": "downloads", "likes": "likes", "modelcard_text": "card", "tags": "tags"}
CARD_COLUMNS = ("id", "downloads", "likes", "card")


@dataclass(frozen=True)
class CardSample:
    """`cards`: id, downloads, likes, card (the Markdown text); `tags`: (id, tag) pairs."""

    cards: pd.DataFrame
    tags: pd.DataFrame


def load_card_samples(path: Path) -> CardSample:
    """The cards and their tags from a samples_data.json file."""
    try:
        data = json.loads(Path(path).read_bytes())
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise SchemaError(f"{path} is not valid JSON ({error}); check that the file is the pinned input") from error
    if not isinstance(data, dict) or not all(isinstance(value, dict) for value in data.values()):
        raise SchemaError(f"{path}: expected a JSON object of model objects keyed by row number")
    frame = pd.DataFrame.from_dict(data, orient="index")
    missing = [field for field in FIELDS if field not in frame.columns]
    if missing or frame.empty:
        raise SchemaError(
            f"{path}: field(s) {', '.join(missing) or 'all'} missing (fields present: {', '.join(frame.columns)}); "
            "check that the file is the pinned input"
        )
    frame = frame.rename(columns=FIELDS)
    frame = frame.iloc[pd.to_numeric(frame.index, errors="coerce").argsort(kind="mergesort")]
    cards = pd.DataFrame(
        {
            "id": frame["id"].astype("str").to_numpy(),
            "downloads": numbers(frame["downloads"], path, "models", "downloads").to_numpy(),
            "likes": numbers(frame["likes"], path, "models", "likes").to_numpy(),
            "card": frame["card"].fillna("").astype("str").to_numpy(),
        }
    )
    tags = frame.loc[:, ["id", "tags"]].explode("tags").dropna().rename(columns={"tags": "tag"})
    return CardSample(cards, tags.astype("str").reset_index(drop=True))
