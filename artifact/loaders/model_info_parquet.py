"""The HF model list of about 2022-10 (Weixin-Liang/AI-model-card-analysis-HuggingFace,
`data/model_info.parquet`): one row per model with `modelId`, `downloads` (float) and
`creation_time` (UTC), among others."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from artifact.errors import SchemaError
from artifact.loaders.checks import not_empty, numbers

COLUMNS = {"modelId": "name", "downloads": "downloads", "creation_time": "created_at"}


def load_model_info(path: Path) -> pd.DataFrame:
    """Tidy snapshot (`name` str, `downloads` float64, `created_at` UTC timestamp) from the parquet file."""
    try:
        present = pq.read_schema(path).names
    except (pa.ArrowInvalid, OSError) as error:
        raise SchemaError(f"{path} is not a readable Parquet file ({error}); check that the file is the pinned input") from error
    missing = [column for column in COLUMNS if column not in present]
    if missing:
        raise SchemaError(
            f"{path}: column(s) {', '.join(missing)} missing (columns present: {', '.join(present)}); "
            "check that the file is the pinned input"
        )
    frame = pq.read_table(path, columns=list(COLUMNS)).to_pandas()
    not_empty(frame, path, "model_info")
    return pd.DataFrame(
        {
            "name": frame["modelId"].astype(str),
            "downloads": numbers(frame["downloads"], path, "model_info", "downloads"),
            "created_at": pd.to_datetime(frame["creation_time"], utc=True),
        }
    )
