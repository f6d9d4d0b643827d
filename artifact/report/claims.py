"""The claims as data (expected_outputs/<profile>/claims/*.toml), and their verdicts.

Every claim has a source kind (SOURCE_KINDS): the paper's text, an output the authors archived,
or a rule this artifact defines for other data. `evaluate` is pure: it takes the claims, the output
tables they name, the ids of the inputs that were available and the outputs that could not be read
(with why), and returns one verdict row per claim. A claim checked against this run's computed
tables is REPRODUCED or DIFFERS; the other kinds of check have words of their own
(artifact/report/verdicts.py), so that a transcription of the paper or two of the authors' files
agreeing is never counted as a reproduction. A claim with `check = "word"` is judged by a named
convention (artifact/report/conventions.py).
"""

from __future__ import annotations

import math
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from artifact.errors import ArtifactError
from artifact.numbers import format_number
from artifact.report.conventions import CONVENTIONS, convention_word, described
from artifact.report.verdicts import FAILING, UNCHECKABLE, WITNESS, WITNESS_TABLES, all_verdicts, kind_problem, recomputed_count, words

if TYPE_CHECKING:
    import pandas as pd

CHECKS = ("equal", "abs", "rel", "lt", "le", "gt", "ge", "word")
VERDICTS = all_verdicts()
# The source kinds in the order the report groups them, each with the heading of its group.
SOURCE_KINDS = {
    "paper": "Stated in the paper (section, figure or table as printed)",
    "authors-output": "Shown by the authors' archived outputs (file at its commit, and where in it)",
    "artifact-rule": "Rules this artifact defines to re-test the paper's findings on other data",
    "authors-code": "The authors' own code run on the same bytes as ours (tables/authors_code/: ours, theirs, the largest difference)",
}
AUTHORS_STATUS = "tables/authors/status_"  # which of the authors' files could be read (tasks/authors.py)
NO_WITNESS_VALUE = f"the authors' code gave no value to compare ({WITNESS_TABLES}status.csv says why)"
VERDICT_COLUMNS = (
    "id",
    "kind",
    "source",
    "where",
    "quote",
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
    source: str  # one of SOURCE_KINDS
    where: str  # the paper's section, figure or table; or the authors' file and where in it; or the rule's module
    statement: str
    output: str
    column: str
    check: str
    expected: float | str | dict
    select: dict = field(default_factory=dict)
    tolerance: float = 0.0
    inputs: tuple[str, ...] = ()
    note: str = ""
    quote: str = ""  # for source "paper": a short quotation of the sentence or caption
    kind: str = ""  # what the observed value is: one of artifact.report.verdicts.KINDS
    convention: str = ""  # for check "word": the name of a convention in artifact.report.conventions

    def describe_expected(self) -> str:
        """The expected value as the report prints it."""
        if isinstance(self.expected, dict):
            where = ", ".join(f"{k}={v}" for k, v in self.expected.get("select", {}).items())
            other = self.expected.get("output", self.output)
            of = f" of {other}" if other != self.output else ""
            return f"{self.expected['column']}{of} where {where}"
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
            if claim.source not in SOURCE_KINDS:
                raise ArtifactError(f"{path}: claim {claim.id!r}: source {claim.source!r} is not one of {tuple(SOURCE_KINDS)}")
            if claim.check not in CHECKS:
                raise ArtifactError(f"{path}: claim {claim.id!r}: check {claim.check!r} is not one of {CHECKS}")
            if claim.kind == UNCHECKABLE and not claim.note:
                raise ArtifactError(f"{path}: claim {claim.id!r} is uncheckable: its note must say why")
            if problem := kind_problem(claim.kind, claim.output):
                raise ArtifactError(f"{path}: claim {claim.id!r}: {problem}; say what its check compares (expected_outputs/README.md)")
            if (claim.check == "word") != bool(claim.convention) or (claim.convention and claim.convention not in CONVENTIONS):
                raise ArtifactError(
                    f"{path}: claim {claim.id!r}: convention {claim.convention!r} with check {claim.check!r}: check 'word' "
                    f"needs one of the conventions {tuple(CONVENTIONS)}, and only it names one"
                )
            if claim.check == "equal" and isinstance(claim.expected, float) and not claim.expected.is_integer():
                raise ArtifactError(
                    f"{path}: claim {claim.id!r} checks a fractional number with 'equal'; tables write six significant "
                    "digits, so compare it with check = 'abs' or 'rel' and a tolerance"
                )
            if claim.id in claims:
                raise ArtifactError(f"{path}: claim id {claim.id!r} appears twice")
            claims[claim.id] = claim
    return [claims[key] for key in sorted(claims)]


def evaluate(
    claims: list[Claim],
    tables: Mapping[str, pd.DataFrame],
    available_inputs: set[str],
    unreadable: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """One verdict row per claim (columns VERDICT_COLUMNS), in the claims' order.

    `unreadable` lists outputs that could not be made from a file that is present (columns output,
    file, reason): a claim on such an output is UNAVAILABLE with the reason (a claim selecting a
    `figure` only when that figure is the file at fault).
    """
    import pandas as pd  # here: the CLI checks the claims registry before any task, without pandas

    rows = []
    for claim in claims:
        row = {
            "id": claim.id,
            "kind": claim.kind,
            "source": claim.source,
            "where": claim.where,
            "quote": claim.quote,
            "statement": claim.statement,
            "output": claim.output,
            "column": claim.column,
            "check": claim.check,
            "expected": claim.describe_expected(),
            "tolerance": format_number(claim.tolerance) if claim.check in ("abs", "rel") else "",
            "observed": "",
        }
        row.update(_verdict(claim, tables, available_inputs, _unreadable_reason(claim, unreadable)))
        rows.append(row)
    return pd.DataFrame(rows, columns=list(VERDICT_COLUMNS))


def _unreadable_reason(claim: Claim, unreadable: pd.DataFrame | None) -> str:
    """Why the claim's output could not be made from a file at hand, or "" when it could."""
    if unreadable is None or unreadable.empty:
        return ""
    rows = unreadable[unreadable["output"] == claim.output]
    if "figure" in claim.select:
        rows = rows[rows["file"] == str(claim.select["figure"])]
    return "; ".join(f"{r.file}: {r.reason}" for r in rows.itertuples())


def _verdict(claim: Claim, tables: Mapping[str, pd.DataFrame], available_inputs: set[str], unreadable: str) -> dict:
    if claim.kind == UNCHECKABLE:
        return {"verdict": UNCHECKABLE.upper(), "detail": f"no input of this artifact holds this value: {claim.note}"}
    missing = sorted(set(claim.inputs) - available_inputs)
    if missing:
        return {"verdict": "UNAVAILABLE", "detail": "missing input(s): " + ", ".join(missing)}
    if unreadable:
        return {"verdict": "UNAVAILABLE", "detail": f"unreadable input: {unreadable}"}
    try:
        observed = lookup_value(tables, claim.output, claim.select, claim.column)
        expected = (
            lookup_value(tables, claim.expected.get("output", claim.output), claim.expected.get("select", {}), claim.expected["column"])
            if isinstance(claim.expected, dict)
            else claim.expected
        )
    except LookupError as error:
        if claim.kind == WITNESS:  # the script did not run: its status row says why
            return {"verdict": "UNAVAILABLE", "detail": NO_WITNESS_VALUE}
        return {"verdict": "ERROR", "detail": str(error)}
    if claim.check == "word":
        word = "" if isinstance(observed, str) else convention_word(claim.convention, observed)
        return {
            "observed": described(claim.convention, format_value(observed), word),
            "verdict": words(claim.kind, word == claim.expected),
            "detail": f"the paper's word: {claim.expected}; {CONVENTIONS[claim.convention].citation}",
        }
    holds = _holds(claim.check, observed, expected, claim.tolerance)
    detail = "" if not isinstance(claim.expected, dict) else f"reference value {format_value(expected)}"
    if not isinstance(observed, str) and math.isnan(observed):
        detail = "; ".join(filter(None, [detail, "the selected cell is empty (for a digitised bar: not drawn, below the axis floor)"]))
    if claim.kind == WITNESS and not isinstance(observed, str) and math.isnan(observed):
        return {"verdict": "UNAVAILABLE", "detail": NO_WITNESS_VALUE}
    return {"observed": format_value(observed), "verdict": words(claim.kind, holds), "detail": detail}


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


def format_value(value: float | str) -> str:
    """A looked-up value as the claims table writes it: the shared number formatter, whole numbers in full."""
    if isinstance(value, str):
        return value
    return format_number(int(value)) if float(value).is_integer() else format_number(value)


EXIT_CODES = {
    0: "no claim differs from the paper and none erred",
    3: "at least one claim DIFFERS from the paper, was MISTRANSCRIBED or could not be evaluated (ERROR)",
    4: "nothing verified: no claim was recomputed from data (only the paper's text or nothing was checked)",
}


def exit_code(counts: Mapping[str, int], strict: bool = False) -> int:
    """What `reproduce` exits with for these verdict counts: 3 when a claim fails, 4 when none was recomputed, else 0."""
    failing = sum(counts.get(verdict, 0) for verdict in FAILING) + (counts.get("UNAVAILABLE", 0) if strict else 0)
    if failing:
        return 3
    return 0 if recomputed_count(counts) else 4


def summary_counts(verdicts: pd.DataFrame) -> dict[str, int]:
    """How many claims got each verdict."""
    counts = verdicts["verdict"].value_counts()
    return {verdict: int(counts.get(verdict, 0)) for verdict in VERDICTS}


def unreadable_outputs(tables: dict[str, pd.DataFrame]) -> pd.DataFrame:
    """Outputs the authors' readers could not make, with the file and the reason (their status tables, under AUTHORS_STATUS)."""
    import pandas as pd

    frames = [frame for path, frame in sorted(tables.items()) if path.startswith(AUTHORS_STATUS)]
    status = pd.concat(frames, ignore_index=True) if frames else pd.DataFrame(columns=["output", "file", "status", "reason"])
    return status[status["status"] == "unreadable"]
