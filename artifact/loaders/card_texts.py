"""Model cards to score, from a folder of Markdown files or from a table (CSV, Parquet, JSON).

- A folder: every `*.md` and `*.markdown` file below it, read as UTF-8. A card's id is its path
  relative to the folder without the suffix; a `README.md` (how the Hub stores cards) takes the
  id of its folder, so `org/model/README.md` is `org/model`.
- A table: the card text is the first column present among `CARD_NAMES` (or `text_column`), the id
  the first among `ID_NAMES` (or `id_column`), else the row number. JSON may be a list of records,
  an object of records keyed by row (the form of `samples_data.json` in hn5318/model_card_analysis),
  or JSON lines (`.jsonl`).
"""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd

from artifact.errors import InputMissingError, SchemaError
from artifact.loaders.card_scores import CARD_NAMES, ID_NAMES

MARKDOWN_SUFFIXES = (".md", ".markdown")
TEXT_NAMES = (*CARD_NAMES, "modelcard", "readme", "content")


def read_cards(source: Path, text_column: str | None = None, id_column: str | None = None) -> pd.DataFrame:
    """Cards as a table (`id` str, `card` str or None), from a folder or a table file."""
    if source.is_dir():
        return _folder_cards(source)
    if not source.is_file():
        raise InputMissingError(f"{source} is neither a folder of Markdown cards nor a table file")
    reader = TABLE_READERS.get(source.suffix.lower())
    if reader is None:
        raise SchemaError(f"{source}: unknown table type {source.suffix!r}; use one of {', '.join(TABLE_READERS)}")
    try:
        table = reader(source)
    except (UnicodeDecodeError, ValueError, OSError, pd.errors.ParserError, pd.errors.EmptyDataError) as error:
        # pyarrow's ArrowInvalid is a ValueError; EmptyDataError and JSONDecodeError are ValueErrors too
        raise SchemaError(
            f"{source} cannot be read as a {source.suffix.lstrip('.').upper()} table of cards "
            f"({type(error).__name__}: {str(error)[:200]}); check that it is a {source.suffix} file, or convert it"
        ) from None
    if table.empty:
        raise SchemaError(f"{source} holds no cards (an empty table); nothing to score")
    columns = [str(c) for c in table.columns]
    text = _column(source, columns, (text_column,) if text_column else TEXT_NAMES, "the card text")
    ids = _column(source, columns, (id_column,) if id_column else ID_NAMES, "the card id", required=bool(id_column))
    cards = table[text].astype(object).where(table[text].notna(), None)
    return pd.DataFrame(
        {"id": table[ids].astype(str) if ids else [str(i) for i in range(1, len(table) + 1)], "card": cards}
    )


def _folder_cards(folder: Path) -> pd.DataFrame:
    paths = sorted(p for p in folder.rglob("*") if p.is_file() and p.suffix.lower() in MARKDOWN_SUFFIXES)
    if not paths:
        raise InputMissingError(f"{folder} holds no Markdown file ({', '.join(MARKDOWN_SUFFIXES)})")
    ids = []
    for path in paths:
        relative = path.relative_to(folder)
        card_id = relative.parent if relative.stem.lower() == "readme" and relative.parent.parts else relative.with_suffix("")
        ids.append(card_id.as_posix())
    return pd.DataFrame({"id": ids, "card": [p.read_text(encoding="utf-8", errors="replace") for p in paths]})


def _json_records(path: Path) -> pd.DataFrame:
    data = json.loads(path.read_text(encoding="utf-8"))
    if isinstance(data, dict):
        data = list(data.values())
    if not isinstance(data, list) or not all(isinstance(record, dict) for record in data):
        raise SchemaError(f"{path}: expected a list of records or an object of records")
    return pd.DataFrame.from_records(data)


TABLE_READERS = {
    ".csv": lambda path: pd.read_csv(path, dtype=str, keep_default_na=False, na_values=[""]),
    ".parquet": pd.read_parquet,
    ".jsonl": lambda path: pd.read_json(path, lines=True, dtype=False),
    ".json": _json_records,
}


def _column(path: Path, columns: list[str], names: tuple[str, ...], what: str, required: bool = True) -> str | None:
    found = next((name for name in names if name in columns), None)
    if found is None and required:
        raise SchemaError(
            f"{path}: no column for {what} (looked for {', '.join(names)}; columns present: {', '.join(columns)}); "
            "name it with --text-column / --id-column"
        )
    return found
