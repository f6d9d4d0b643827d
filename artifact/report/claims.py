"""The paper's claims as data (expected_outputs/<profile>/claims/*.toml), and their verdicts.

`evaluate` is pure: it takes the claims, the output tables they name and the ids of the inputs
that were available, and returns one verdict row per claim (REPRODUCED, DIFFERS, UNAVAILABLE or
ERROR).
"""

from __future__ import annotations

import math
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from artifact.errors import ArtifactError
from artifact.numbers import format_number

CHECKS = ("equal", "abs", "rel", "lt", "le", "gt", "ge")
VERDICTS = ("REPRODUCED", "DIFFERS", "UNAVAILABLE", "ERROR")
VERDICT_COLUMNS = (
    "id",
    "paper",
    "statement",
    "output",
    "column",
    "check",
    "expected",
    "tolerance",
    "observed",
    "verdict",
    "detail",
)


@dataclass(frozen=True)
class Claim:
    """One quantitative statement of the paper and how to check it against an output table."""

    id: str
    paper: str
    statement: str
    output: str
    column: str
    check: str
    expected: float | str | dict
    select: dict = field(default_factory=dict)
    tolerance: float = 0.0
    inputs: tuple[str, ...] = ()
    note: str = ""

    def describe_expected(self) -> str:
        """The expected value as the report prints it."""
        if isinstance(self.expected, dict):
            where = ", ".join(f"{k}={v}" for k, v in self.expected.get("select", {}).items())
            return f"{self.expected['column']} where {where}"
        return str(self.expected)


def load_claims(folder: Path) -> list[Claim]:
    """All claims in `folder/*.toml`, sorted by id; errors name the file and the claim."""
    claims: dict[str, Claim] = {}
    for path in sorted(folder.glob("*.toml")):
        with path.open("rb") as handle:
            raw_claims = tomllib.load(handle).get("claim", [])
        for raw in raw_claims:
            try:
                claim = Claim(**{**raw, "inputs": tuple(raw.get("inputs", ()))})
            except TypeError as error:
                raise ArtifactError(f"{path}: claim {raw.get('id', '?')!r} is malformed: {error}") from None
            if claim.check not in CHECKS:
                raise ArtifactError(f"{path}: claim {claim.id!r}: check {claim.check!r} is not one of {CHECKS}")
            if claim.id in claims:
                raise ArtifactError(f"{path}: claim id {claim.id!r} appears twice")
            claims[claim.id] = claim
    return [claims[key] for key in sorted(claims)]


def evaluate(claims: list[Claim], tables: Mapping[str, pd.DataFrame], available_inputs: set[str]) -> pd.DataFrame:
    """One verdict row per claim (columns VERDICT_COLUMNS), in the claims' order."""
    rows = []
    for claim in claims:
        row = {
            "id": claim.id,
            "paper": claim.paper,
            "statement": claim.statement,
            "output": claim.output,
            "column": claim.column,
            "check": claim.check,
            "expected": claim.describe_expected(),
            "tolerance": format_number(claim.tolerance) if claim.check in ("abs", "rel") else "",
            "observed": "",
        }
        row.update(_verdict(claim, tables, available_inputs))
        rows.append(row)
    return pd.DataFrame(rows, columns=list(VERDICT_COLUMNS))


def _verdict(claim: Claim, tables: Mapping[str, pd.DataFrame], available_inputs: set[str]) -> dict:
    missing = sorted(set(claim.inputs) - available_inputs)
    if missing:
        return {"verdict": "UNAVAILABLE", "detail": "missing input(s): " + ", ".join(missing)}
    try:
        observed = lookup_value(tables, claim.output, claim.select, claim.column)
        expected = (
            lookup_value(tables, claim.expected.get("output", claim.output), claim.expected.get("select", {}), claim.expected["column"])
            if isinstance(claim.expected, dict)
            else claim.expected
        )
    except LookupError as error:
        return {"verdict": "ERROR", "detail": str(error)}
    holds = _holds(claim.check, observed, expected, claim.tolerance)
    detail = "" if not isinstance(claim.expected, dict) else f"reference value {_format(expected)}"
    return {"observed": _format(observed), "verdict": "REPRODUCED" if holds else "DIFFERS", "detail": detail}


def lookup_value(tables: Mapping[str, pd.DataFrame], output: str, select: dict, column: str) -> float | str:
    """The single value of `column` in the row of `output` matching `select`; LookupError otherwise."""
    if output not in tables:
        raise LookupError(f"output {output} was not produced")
    table = tables[output]
    if column not in table.columns:
        raise LookupError(f"output {output} has no column {column!r}")
    rows = table
    for key, wanted in select.items():
        if key not in rows.columns:
            raise LookupError(f"output {output} has no column {key!r} to select on")
        rows = rows[rows[key].astype(str) == str(wanted)]
    if len(rows) != 1:
        raise LookupError(f"{len(rows)} rows of {output} match {select} (exactly one expected)")
    value = rows[column].iloc[0]
    return value if isinstance(value, str) else float(value)


def _holds(check: str, observed: float | str, expected: float | str, tolerance: float) -> bool:
    if check == "equal":
        return observed == expected
    if isinstance(observed, str) or isinstance(expected, str) or math.isnan(observed):
        return False
    return {
        "abs": lambda: abs(observed - expected) <= tolerance,
        "rel": lambda: abs(observed - expected) <= tolerance * abs(expected),
        "lt": lambda: observed < expected,
        "le": lambda: observed <= expected,
        "gt": lambda: observed > expected,
        "ge": lambda: observed >= expected,
    }[check]()


def _format(value: float | str) -> str:
    """A looked-up value as the claims table writes it: the shared number formatter, whole numbers in full."""
    if isinstance(value, str):
        return value
    return format_number(int(value)) if float(value).is_integer() else format_number(value)


def summary_counts(verdicts: pd.DataFrame) -> dict[str, int]:
    """How many claims got each verdict."""
    counts = verdicts["verdict"].value_counts()
    return {verdict: int(counts.get(verdict, 0)) for verdict in VERDICTS}
