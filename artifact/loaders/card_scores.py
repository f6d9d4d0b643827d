"""The archived GPT-4 answers of Metric 4 (`top_1k_model_card_scores.parquet`, `bottom_1k_...`).

Their exact schema was never published; the authors' code reads from them the model id, the three
popularity measures, the card text and the GPT-4 verdict. Columns are looked up by the first name
present in each list below (so a file written with another common name still loads):

| tidy column            | names accepted, in order of preference                  | required |
|------------------------|---------------------------------------------------------|----------|
| `context_id`           | context_id, modelId, model_id, id                       | yes      |
| `downloads`            | downloads                                               | yes      |
| `likes`                | likes                                                   | yes      |
| `num_downstream_repos` | num_downstream_repos, downstream_repos, num_reuse_repos | yes      |
| `card`                 | card, model_card, modelcard_text, card_text, text       | no       |
| verdict                | analysis (already parsed), analysis_result (raw reply)  | one      |

When both verdict columns exist, `analysis` is used: it is what the authors' scoring read. A file
without a card column loads with `card` all missing (the deterministic scorer then has nothing to say).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from artifact.cards.replies import parse_reply, verdict_from_mapping
from artifact.cards.sections import SECTIONS
from artifact.errors import InputMissingError, SchemaError
from artifact.loaders.checks import numbers

ID_NAMES = ("context_id", "modelId", "model_id", "id")
MEASURE_NAMES = {
    "downloads": ("downloads",),
    "likes": ("likes",),
    "num_downstream_repos": ("num_downstream_repos", "downstream_repos", "num_reuse_repos"),
}
CARD_NAMES = ("card", "model_card", "modelcard_text", "card_text", "text")
VERDICT_NAMES = ("analysis", "analysis_result")  # parsed mapping first, then raw reply text
CARD_COLUMNS = ("context_id", *MEASURE_NAMES, "card", "reply_status", *SECTIONS)


@dataclass(frozen=True)
class ArchivedCards:
    """One archived file as a tidy table, and which of its columns held the verdict and the card."""

    table: pd.DataFrame  # CARD_COLUMNS; the sections as nullable booleans (NA = unknown)
    verdict_column: str
    card_column: str | None  # None: the file has no card text


def load_archived_cards(path: Path) -> ArchivedCards:
    """Read one archived file, parsing its GPT-4 verdicts (`artifact.cards.replies`)."""
    if not path.is_file():
        raise InputMissingError(f"archived card scores {path} do not exist")
    try:
        raw = pd.read_parquet(path)
    except Exception as error:  # pyarrow raises several types for a file that is not Parquet
        raise SchemaError(f"{path} is not a readable Parquet file ({error}); fetch it again") from error
    columns = [str(c) for c in raw.columns]
    verdict_column = _first_present(path, columns, VERDICT_NAMES, "the GPT-4 verdict")
    parse = verdict_from_mapping if verdict_column == "analysis" else parse_reply
    verdicts = [parse(value) for value in raw[verdict_column].tolist()]
    table = pd.DataFrame({"context_id": raw[_first_present(path, columns, ID_NAMES, "the model id")].astype(str)})
    for tidy, names in MEASURE_NAMES.items():
        name = _first_present(path, columns, names, f"the popularity measure {tidy}")
        table[tidy] = numbers(raw[name], path, "cards", name)
    card_column = next((name for name in CARD_NAMES if name in columns), None)
    table["card"] = raw[card_column].astype(object).where(raw[card_column].notna(), None) if card_column else None
    table["reply_status"] = [verdict.status for verdict in verdicts]
    for index, section in enumerate(SECTIONS):
        table[section] = pd.array([verdict.sections[index] for verdict in verdicts], dtype="boolean")
    return ArchivedCards(table.loc[:, list(CARD_COLUMNS)], verdict_column, card_column)


def _first_present(path: Path, columns: list[str], names: tuple[str, ...], what: str) -> str:
    """The first of `names` among `columns`, or a SchemaError naming the file and the columns present."""
    for name in names:
        if name in columns:
            return name
    raise SchemaError(
        f"{path}: no column for {what} (looked for {', '.join(names)}; columns present: {', '.join(columns) or 'none'}); "
        "check that the file is the pinned input"
    )
