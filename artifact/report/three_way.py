"""Each metric's numbers three ways, for the report: ours, the authors' code's on the same bytes, the authors' archived output.

Rows come from the witness's comparison tables (tables/authors_code/*.csv: ours, theirs, AGREES /
DISAGREES) and from the authors' archived figures read as data (tables/authors/pdf_bars.csv), which
were made from the authors' PeaTMOSS database: an archived value stands beside ours only on that
input (`ARCHIVED`), where ours is REPRODUCED when it equals the archived value to the digits the
figure prints (half a unit of its last printed decimal), else DIFFERS. Values are written by the
claims' formatter (artifact/numbers.py through `format_value`).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import pandas as pd

from artifact.report.claims import format_value
from artifact.report.verdicts import AUTHORS_TABLES, WITNESS_TABLES, words

BARS = AUTHORS_TABLES + "pdf_bars.csv"
STATUS = WITNESS_TABLES + "status.csv"
SUMMARY = WITNESS_TABLES + "summary.csv"
NOT_WITNESS = (STATUS, SUMMARY)
METRICS = {  # the authors' script -> the metric its numbers belong to, in the report's order
    "proportion_DirectDescendantsToLibrary.py": "Metric 1: preservation of libraries to descendants",
    "descendents.py": "Metric 3: descendants against popularity (the paper's fit)",
    "number_DirectDescendantsToDownloads.py": "Metric 3: descendants and their downloads per base model",
    "number_DirectDescendantsToParentModels.py": "Metric 3: top parent models by direct descendants",
    "analysis.r": "Metric 4: documentation, top against bottom (Welch t-tests)",
}
DATABASE_INPUT = "PeaTMOSS database"  # how the witness names the input the authors' archived figures were made from
AUTHORS_NAMES = {"sentence-tx": "sentence-transformers"}  # the authors' figure labels -> the names our tables use


@dataclass(frozen=True)
class Archived:
    """Where an archived figure holds a quantity: the PDF (tables/authors/pdf_bars.csv) and the column per bar."""

    script: str
    quantity: str
    figure: str
    column: str


ARCHIVED = (
    Archived("proportion_DirectDescendantsToLibrary.py", "count", "proportion_of_direct_descendant_models_per_library-15.pdf", "annotation"),
    Archived("proportion_DirectDescendantsToLibrary.py", "proportion", "proportion_of_direct_descendant_models_per_library-15.pdf", "height"),
    Archived("number_DirectDescendantsToParentModels.py", "descendants", "number_of_direct_descendant_models_per_parent_model-5.pdf", "annotation"),
)


@dataclass(frozen=True)
class Row:
    """One number three ways: each cell already written (value and verdict, or why there is none)."""

    quantity: str
    key: str
    input: str
    ours: str
    code: str
    archived: str


@dataclass(frozen=True)
class MetricRows:
    """A metric's rows, under its title."""

    title: str
    rows: list[Row]


def three_way(tables: dict[str, pd.DataFrame]) -> list[MetricRows]:
    """The rows of every metric the witness compared or the authors' archived figures hold, metric by metric."""
    rows: dict[str, list[Row]] = {title: [] for title in METRICS.values()}
    archived = _archived(tables)
    for relative in sorted(t for t in tables if t.startswith(WITNESS_TABLES) and t not in NOT_WITNESS):
        for record in tables[relative].itertuples(index=False):
            script = _short(str(record.script))
            key = "" if _missing(record.key) else str(record.key)
            found = archived.pop((script, str(record.quantity), key), None) if DATABASE_INPUT in str(record.input) else None
            code = f"{format_value(record.authors_code)} {record.verdict}" if not _missing(record.authors_code) else f"none {record.verdict}"
            rows[METRICS[script]].append(Row(str(record.quantity), key, str(record.input), _cell(record.ours), code,
                                             _archived_cell(record.ours, found)))
    for (script, quantity, key), (value, figure) in sorted(archived.items()):
        rows[METRICS[script]].append(Row(quantity, key, f"{DATABASE_INPUT} (the authors')", "not computed in this run (input missing)",
                                         "not run in this run (input missing)", f"{format_value(value)} ({figure})"))
    return [MetricRows(title, found) for title, found in rows.items() if found]


def not_run(tables: dict[str, pd.DataFrame]) -> list[tuple[str, str, str]]:
    """(script, input, why) of each of the authors' scripts that gave no number in this run (status.csv)."""
    if STATUS not in tables:
        return []
    rows = [r for r in tables[STATUS].itertuples(index=False) if not str(r.status).startswith("ran")]
    return [(str(r.script), "" if _missing(r.input) else str(r.input),
             str(r.reason) if str(r.reason).startswith(str(r.status)) else f"{r.status}: {r.reason}") for r in rows]


def _archived(tables: dict[str, pd.DataFrame]) -> dict[tuple[str, str, str], tuple[float, str]]:
    """(script, quantity, key) -> (value, figure) of each bar of the archived figures in ARCHIVED."""
    if BARS not in tables:
        return {}
    bars = tables[BARS]
    found = {}
    for place in ARCHIVED:
        for bar in bars[bars["figure"] == place.figure].itertuples(index=False):
            label = AUTHORS_NAMES.get(str(bar.label), str(bar.label))
            found[place.script, place.quantity, label] = (float(getattr(bar, place.column)), place.figure)
    return found


def _archived_cell(ours: object, found: tuple[float, str] | None) -> str:
    """The archived value with its figure and ours's verdict against it, or why there is none."""
    if found is None:
        return "none archived for this input"
    value, figure = found
    if _missing(ours):
        return f"{format_value(value)} ({figure})"
    return f"{format_value(value)} ({figure}) {words('recomputed', abs(float(ours) - value) <= _half_unit(format_value(value)))}"


def _half_unit(text: str) -> float:
    """Half a unit of the last decimal `text` prints (0.5 for a whole number)."""
    decimals = len(text.partition(".")[2])
    return 0.5 * 10.0**-decimals


def _cell(value: object) -> str:
    """A value of a comparison table as the report writes it."""
    return "none" if _missing(value) else format_value(value)


def _short(script: str) -> str:
    """A script's file name without its folder."""
    return script.rsplit("/", 1)[-1]


def _missing(value: object) -> bool:
    """Whether a table cell is empty (NaN)."""
    return value is None or (isinstance(value, float) and math.isnan(value))
