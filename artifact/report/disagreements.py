"""The profile's paper/code disagreements (expected_outputs/<profile>/disagreements.toml), with the values the run computed."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pandas as pd

from artifact.report.claims import format_value, lookup_value
from artifact.report.render import Disagreement


def load_disagreements(path: Path, tables: dict[str, pd.DataFrame]) -> list[Disagreement]:
    """The profile's list of paper/code disagreements, with the values the run computed."""
    if not path.is_file():
        return []
    with path.open("rb") as handle:
        raw_items = tomllib.load(handle).get("disagreement", [])
    items = []
    for raw in raw_items:
        values = []
        for value in raw.get("values", []):
            try:
                found = lookup_value(tables, value["output"], value.get("select", {}), value["column"])
                shown = format_value(found)
            except LookupError as error:
                shown = f"not computed in this run ({error})"
            values.append((value["label"], shown))
        items.append(Disagreement(raw["title"], raw["paper"], raw["code"], values))
    return items
