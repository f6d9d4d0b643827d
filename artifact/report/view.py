"""What the report shows, as plain data for its templates: counts, missing inputs, claim groups, figures.

Pure functions of the report's inputs; the Markdown and the HTML templates read the same view,
so the two renderings cannot drift apart.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import PurePosixPath
from typing import TYPE_CHECKING

from artifact.numbers import format_number
from artifact.report.claims import EXIT_CODES, exit_code, summary_counts
from artifact.report.paper_figures import PAPER_FIGURES, PaperFigure
from artifact.report.verdicts import HEADLINE_KINDS, KINDS, NOT_CHECKED, WITNESS, recomputed_count

if TYPE_CHECKING:
    import pandas as pd

METRIC_TITLES = {
    "M1": "Metric 1: preservation rate of libraries to descendants",
    "M2": "Metric 2: turnover of top PTMs",
    "M3": "Metric 3: number of descendants of top packages",
    "M4": "Metric 4: documentation quality",
    "A": "The paper and the authors' archived outputs (notebook, figure PDFs, data files)",
    "D": "Datasets as Section 5.2.1 describes them",
    "ICSE": "ICSE 2023 brief: downloads by rank",
    "RQ1": "RQ1: the literature review",
}
_CHECK_TEXT = {"equal": "=", "lt": "<", "le": "≤", "gt": ">", "ge": "≥", "abs": "within ± {tol} of", "rel": "within {tol} (relative) of"}


@dataclass(frozen=True)
class ClaimRow:
    """One claim as a compact row, with the detail shown on demand."""

    id: str
    source: str
    verdict: str
    statement: str
    expected: str
    observed: str
    paper: str
    check: str
    output: str
    detail: str
    code: str


@dataclass(frozen=True)
class ClaimGroup:
    """The claims of one metric (the id's prefix before the first dot)."""

    key: str
    title: str
    rows: list[ClaimRow]


@dataclass(frozen=True)
class FigureView:
    """One drawing of a paper figure (a figure may have several: one per data source)."""

    label: str
    png: str
    pdf: str
    data: str
    alt: str


@dataclass(frozen=True)
class PaperFigureView:
    """A paper figure with its drawings, or the reason it has none."""

    figure: PaperFigure
    drawings: list[FigureView] = field(default_factory=list)
    placeholder: str = ""

    @property
    def heading(self) -> str:
        return f"Figure {self.figure.number} (paper {self.figure.section}): {self.figure.shows}"


HEADLINE_VERDICTS = tuple(word for kind in HEADLINE_KINDS for word in KINDS[kind][:2]) + NOT_CHECKED
FILES_KIND = "authors-files"  # the authors' files against each other: counted apart from the headline
APART = (FILES_KIND, WITNESS)  # kinds counted apart from the headline: the authors' files, the authors' code on our bytes


def metric_of(claim_id: str) -> str:
    """The metric or section a claim belongs to: its id's prefix before the first dot."""
    return claim_id.split(".", maxsplit=1)[0]


def verdict_counts(verdicts: pd.DataFrame) -> list[tuple[str, dict[str, int], int]]:
    """(metric, count per verdict, total) for each metric, plus 'all'; the kinds counted apart (APART) left out."""
    headline = verdicts[~verdicts["kind"].isin(APART)]
    metrics = headline["id"].map(metric_of)
    rows = [(key, summary_counts(headline[metrics == key]), int((metrics == key).sum())) for key in sorted(set(metrics))]
    return rows + [("all", summary_counts(headline), len(headline))]


def files_counts(verdicts: pd.DataFrame, kind: str = FILES_KIND) -> tuple[int, int]:
    """(checks of `kind` that hold, all such checks that could be made): by default the authors' files against each other."""
    files = verdicts[verdicts["kind"] == kind]
    return int((files["verdict"] == KINDS[kind][0]).sum()), int(files["verdict"].isin(KINDS[kind][:2]).sum())


def unchecked_metrics(verdicts: pd.DataFrame) -> list[str]:
    """The metrics (M1-M4) of which no claim was recomputed from data."""
    keys = verdicts["id"].map(metric_of)
    return [
        key
        for key in sorted(set(keys))
        if key.startswith("M") and not recomputed_count(summary_counts(verdicts[keys == key]))
    ]


def conclusion(verdicts: pd.DataFrame, synthetic: bool) -> str:
    """What the run verified, in one line: nothing (and why), which metrics it left unchecked, or that its data are synthetic."""
    counts = summary_counts(verdicts)
    if not recomputed_count(counts):
        transcribed = counts["TRANSCRIBED"] + counts["MISTRANSCRIBED"]
        return (
            f"no result of the paper was checked: no claim was recomputed from data ({counts['UNAVAILABLE']} claims need "
            f"inputs that are missing: see the report's Missing inputs, or `make fetch`"
            + (f"; the {transcribed} RQ1 counts are the paper's own text, not a check" if transcribed else "")
            + ")"
        )
    parts = []
    if synthetic:
        parts.append("these verdicts are about synthetic data (the pipeline), not the paper")
    if unchecked := unchecked_metrics(verdicts):
        parts.append("not checked from data: " + ", ".join(METRIC_TITLES.get(key, key).split(":")[0] for key in unchecked))
    return "; ".join(parts)


def exit_status(verdicts: pd.DataFrame) -> tuple[int, str, int]:
    """(exit code of `reproduce`, what it means, exit code with --strict) for these verdicts (the authors' code's left out)."""
    counts = summary_counts(verdicts[verdicts["kind"] != WITNESS])
    code = exit_code(counts)
    return code, EXIT_CODES[code], exit_code(counts, strict=True)


@dataclass(frozen=True)
class MissingInput:
    """A missing input: its id, and why it cannot be had (empty when `make fetch` gets it)."""

    id: str
    cannot: str = ""


@dataclass(frozen=True)
class MissingInputs:
    """The missing inputs grouped by what gets them: one `make fetch` command, or nothing."""

    command: str
    fetchable: tuple[MissingInput, ...]
    unobtainable: tuple[MissingInput, ...]

    def __len__(self) -> int:
        return len(self.fetchable) + len(self.unobtainable)


def missing_inputs(inputs: Mapping[str, Mapping[str, object]], profile: str) -> MissingInputs:
    """Every input of the run that is missing, sorted by id: those `make fetch` gets (a URL, or a file set's
    list of URLs), then those that cannot be had, with why."""
    fetchable, unobtainable = [], []
    for key, record in sorted(inputs.items()):
        if record["status"] == "available":
            continue
        if record.get("url"):
            fetchable.append(MissingInput(key))
        else:
            reason = str(record.get("reason") or "no source known").splitlines()[0]
            unobtainable.append(MissingInput(key, cannot=reason.split(": ", 1)[-1]))
    return MissingInputs(f"make fetch PROFILE={profile}", tuple(fetchable), tuple(unobtainable))


def rows_left_out(record: Mapping[str, object]) -> str:
    """'1369 of 10406: <why>' for an input whose loader counted rows without a value; '-' when none was counted."""
    if "rows" not in record:
        return "-"
    lost, rows = format_number(record["rows_left_out"]), format_number(record["rows"])
    return f"none of {rows}" if record["rows_left_out"] == 0 else f"{lost} of {rows}: {record['left_out_because']}"


def explain(row: Mapping[str, object]) -> str:
    """The verdict's reason when the claim check left no detail: the comparison that was made."""
    if row["detail"] or row["verdict"] not in ("REPRODUCED", "DIFFERS"):
        return str(row["detail"])
    relation = _CHECK_TEXT.get(str(row["check"]), str(row["check"])).format(tol=row["tolerance"])
    holds = "holds" if row["verdict"] == "REPRODUCED" else "does not hold"
    return f"observed {row['observed']} {relation} {row['expected']}: {holds}"


def claim_groups(verdicts: pd.DataFrame, made_by: Mapping[str, str]) -> list[ClaimGroup]:
    """The claims grouped by metric, in id order within each group."""
    groups: dict[str, list[ClaimRow]] = {}
    for _, row in verdicts.iterrows():
        tolerance = f", tolerance {row['tolerance']}" if str(row["tolerance"]) else ""
        groups.setdefault(str(row["id"]).split(".")[0], []).append(
            ClaimRow(
                id=str(row["id"]),
                source=str(row["source"]),
                verdict=str(row["verdict"]),
                statement=str(row["statement"]),
                expected=str(row["expected"]),
                observed=str(row["observed"]) or "-",
                paper=str(row["where"]) + (f' ("{row["quote"]}")' if str(row.get("quote", "") or "") else ""),
                check=f"{row['check']}{tolerance}",
                output=f"{row['output']}, column {row['column']}",
                detail=explain(row),
                code=made_by.get(str(row["output"]), "-"),
            )
        )
    return [ClaimGroup(key, METRIC_TITLES.get(key, f"Other claims ({key})"), rows) for key, rows in sorted(groups.items())]


def figure_views(
    figures: list[str], needs: Mapping[str, frozenset[str]], available: frozenset[str], uses: Mapping[str, str]
) -> list[PaperFigureView]:
    """Every paper figure in the paper's order, with this run's drawings or why there are none.

    The inputs a figure lacks are those its task needs (`needs`, from the graph); when no task can
    even be built without them, those whose manifest `used_by` names the figure (`uses`).
    """
    views = []
    for figure in PAPER_FIGURES:
        if not figure.stem:
            views.append(PaperFigureView(figure, placeholder="a diagram in the paper, not drawn from data"))
            continue
        drawings = [_drawing(figure, png, set(figures)) for png in figures if _is_drawing(png, figure.stem)]
        if drawings:
            views.append(PaperFigureView(figure, drawings))
            continue
        wanted = frozenset().union(*[ids for path, ids in needs.items() if _is_drawing(path, figure.stem)])
        if not wanted:
            named = re.compile(rf"\bFigures? {figure.number}\b")
            wanted = frozenset(key for key, used_by in uses.items() if named.search(used_by))
        lacking = sorted(wanted - available)
        if lacking:
            text = f"not drawn in this run: it needs {', '.join(lacking)} (missing; see Missing inputs)"
        else:
            text = "not drawn by this profile (no task of its graph draws it)"
        views.append(PaperFigureView(figure, placeholder=text))
    return views


def _is_drawing(path: str, stem: str) -> bool:
    name = PurePosixPath(path).name
    return path.startswith("figures/") and name.endswith(".png") and (name == f"{stem}.png" or name.startswith(f"{stem}_"))


def _drawing(figure: PaperFigure, png: str, present: set[str]) -> FigureView:
    base = png.removesuffix(".png")
    variant = PurePosixPath(base).name.removeprefix(figure.stem).strip("_").replace("_", " ")
    alt = f"Figure {figure.number}{f' ({variant})' if variant else ''}: {figure.alt}"
    return FigureView(
        label=variant,
        png=png,
        pdf=f"{base}.pdf" if f"{base}.pdf" in present else "",
        data=f"{base}.data.csv" if f"{base}.data.csv" in present else "",
        alt=alt,
    )


def markdown_table(text: str) -> tuple[list[str], list[list[str]], list[str]]:
    """(header, rows, lines after the table) of a Markdown pipe table such as tables/table3_claims.md."""
    lines = text.splitlines()
    table = [line for line in lines if line.startswith("|")]
    rest = [line for line in lines if line.strip() and not line.startswith("|")]
    cells = [[cell.strip().replace("\\|", "|") for cell in _split_row(line)] for line in table]
    if not cells:
        return [], [], rest
    return cells[0], cells[2:], rest


def _split_row(line: str) -> list[str]:
    parts, current, escaped = [], "", False
    for char in line.strip().strip("|"):
        if char == "|" and not escaped:
            parts.append(current)
            current = ""
        else:
            current += char
        escaped = char == "\\"
    return [*parts, current]
