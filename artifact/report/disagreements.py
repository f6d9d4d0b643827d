"""The profile's paper/code disagreements (expected_outputs/<profile>/disagreements.toml), with the values the run computed."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pandas as pd

from artifact.report.claims import format_value, lookup_value
from artifact.report.render import Disagreement


def disagreement_value(tables: dict[str, pd.DataFrame], value: dict, path: Path) -> str:
    """A disagreement's value as shown: the number; "not computed in this run" when its table was not made (inputs
    missing); ERROR, naming the definition to fix, when the table exists but the lookup does not find one cell."""
    if value["output"] not in tables:
        return "not computed in this run (its inputs are missing)"
    try:
        return format_value(lookup_value(tables, value["output"], value.get("select", {}), value["column"]))
    except LookupError as error:
        return f"ERROR: {error}; fix its definition in {path.parent.name}/{path.name}"


def load_disagreements(path: Path, tables: dict[str, pd.DataFrame]) -> list[Disagreement]:
    """The profile's list of paper/code disagreements, with the values the run computed."""
    if not path.is_file():
        return []
    with path.open("rb") as handle:
        raw_items = tomllib.load(handle).get("disagreement", [])
    items = []
    for raw in raw_items:
        values = [(value["label"], disagreement_value(tables, value, path)) for value in raw.get("values", [])]
        items.append(Disagreement(raw["title"], raw["paper"], raw["code"], values))
    return items
