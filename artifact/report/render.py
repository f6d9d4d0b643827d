"""Render the reproduction report as Markdown and as one self-contained HTML page, from one view.

Both come from Jinja2 templates (artifact/report/templates/) filled with the same data; the HTML
environment autoescapes everything. Images are embedded in the HTML as data URIs; tables and
figure files are linked relative to the report's folder (outputs/<profile>/). Everything that
changes from run to run sits between THIS_RUN_BEGIN and THIS_RUN_END, so the rest of REPORT.md is
the same bytes for the same code, inputs and results.
"""

from __future__ import annotations

import base64
import re
import struct
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

from markupsafe import Markup, escape

from artifact.report import view
from artifact.report.claims import VERDICTS, summary_counts
from artifact.report.headline import headlines
from artifact.report.verdicts import KINDS, WITNESS

if TYPE_CHECKING:
    import jinja2
    import pandas as pd

    from artifact.report.three_way import MetricRows

TEMPLATES = Path(__file__).parent / "templates"  # report.md.j2 and report.html.j2 (the report task fingerprints them)
THIS_RUN_BEGIN = "<!-- this-run:begin (everything up to this-run:end differs from run to run) -->"
THIS_RUN_END = "<!-- this-run:end -->"
WIDE_ASPECT = 1.6  # a figure wider than this (width / height) takes a row of its own in the HTML


@dataclass(frozen=True)
class Disagreement:
    """A place where the paper and the authors' code (or the paper and itself) disagree."""

    title: str
    paper: str
    code: str
    values: list[tuple[str, str]] = field(default_factory=list)  # (label, value or why it is missing)


@dataclass(frozen=True)
class ThisRun:
    """What only this run can say: times, memory and the machine it ran on."""

    facts: dict[str, str]  # wall time, peak memory, commit, interpreter, platform, numeric platform
    tasks: list[tuple[str, str, str]] = field(default_factory=list)  # (task, seconds, peak MiB) that ran now


@dataclass(frozen=True)
class ReportData:
    """Everything the report shows, gathered by the report task."""

    profile: str
    description: str
    verdicts: pd.DataFrame  # claims.VERDICT_COLUMNS (plus `source` where the claims registry has it)
    inputs: dict[str, dict]  # outputs/<profile>/inputs.json
    tables: list[str]  # relative paths of output tables
    figures: list[str]  # relative paths of figure files (PNG, PDF, data CSV)
    disagreements: list[Disagreement]
    provenance: dict[str, str]  # the same for every run of this code: lock file, packages
    this_run: ThisRun
    made_by: dict[str, str] = field(default_factory=dict)  # output path -> code that made it
    figure_needs: dict[str, frozenset[str]] = field(default_factory=dict)  # output path -> inputs it needs
    input_uses: dict[str, str] = field(default_factory=dict)  # input id -> the manifest's `used_by`
    task_graph: str = ""  # Mermaid text of the graph the report required
    table3: str = ""  # tables/table3_claims.md
    synthetic: bool = False  # the profile's inputs are made up (its verdicts are about the pipeline, not the paper)
    three_way: list[MetricRows] = field(default_factory=list)  # per metric: ours, the authors' code, their archived output
    witness_not_run: list[tuple[str, str, str]] = field(default_factory=list)  # (script, input, why) of scripts that gave no number


def summary_line(verdicts: pd.DataFrame, synthetic: bool = False) -> str:
    """'N claims reproduced, M differ (recomputed from data), ..., K could not be checked', each kind counted apart."""
    counts = summary_counts(verdicts[~verdicts["kind"].isin(view.APART)])
    optional = [
        (("CONSISTENT", "INCONSISTENT"), "{} consistent, {} inconsistent (the paper against the authors' outputs)"),
        (("TRANSCRIBED", "MISTRANSCRIBED"), "{} transcribed from the paper (its text, not a reproduction), {} mistranscribed"),
        (("ADDS-UP", "DOES-NOT-ADD-UP"), "{} of the paper's own numbers agree with each other, {} do not"),
    ]
    parts = [f"{counts['REPRODUCED']} claims reproduced, {counts['DIFFERS']} differ (recomputed from data)"]
    parts += [text.format(*(counts[w] for w in words)) for words, text in optional if any(counts[w] for w in words)]
    parts.append(f"{counts['UNAVAILABLE']} could not be checked (inputs missing)")
    parts += [f"{counts[v]} {text}" for v, text in (("UNCHECKABLE", "no input of this artifact can check"), ("ERROR", "error")) if counts[v]]
    agree, made = view.files_counts(verdicts)
    if made:
        parts.append(f"the authors' files agree with each other in {agree} of {made} checks (outside these counts)")
    agree, made = view.files_counts(verdicts, WITNESS)
    if made or (verdicts["kind"] == WITNESS).any():
        parts.append(f"the authors' code run on the same bytes agrees with ours in {agree} of {made} checks made (outside these counts)")
    line = ", ".join(parts)
    return f"on synthetic data, not the paper: {line}" if synthetic else line


def _md_cell(value: object) -> str:
    """A value safe inside a Markdown table cell (pipes escaped, one line)."""
    return str(value).replace("|", "\\|").replace("\n", " ")


_JOINS = re.compile(r"(?<=[_/=])(?=\w)|(?<=\w\.)(?=[A-Za-z])")


def breakable(value: object) -> Markup:
    """HTML text whose long names may wrap where they join parts (after _ / = and between dotted words),
    marked with <wbr>, so a narrow column wraps there instead of inside a word."""
    return Markup("<wbr>").join(escape(part) for part in _JOINS.split(str(value)))


def checksum(value: object) -> Markup:
    """A checksum in HTML, free to wrap between groups of 16 hex digits (a narrow column wraps there)."""
    text = str(value)
    return Markup("<wbr>").join(escape(text[i : i + 16]) for i in range(0, len(text), 16)) if text else escape(text)


@cache
def _environment(autoescape: bool) -> jinja2.Environment:
    import jinja2  # here: the task graph names the templates, only the report renders them

    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATES),
        autoescape=autoescape,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters["cell"] = _md_cell
    env.filters["breakable"] = breakable
    env.filters["checksum"] = checksum
    env.filters["rows_left_out"] = view.rows_left_out
    return env


def _context(data: ReportData) -> dict[str, object]:
    available = frozenset(k for k, record in data.inputs.items() if record["status"] == "available")
    header, rows, after = view.markdown_table(data.table3)
    code, meaning, strict_code = view.exit_status(data.verdicts)
    return {
        "data": data,
        "verdicts": VERDICTS,
        "summary": summary_line(data.verdicts, data.synthetic),
        "conclusion": view.conclusion(data.verdicts, data.synthetic),
        "headlines": headlines(data.verdicts, data.synthetic),
        "headline_verdicts": view.HEADLINE_VERDICTS,
        "kinds": KINDS,
        "files_groups": view.claim_groups(data.verdicts[data.verdicts["kind"] == view.FILES_KIND], data.made_by),
        "witness_groups": view.claim_groups(data.verdicts[data.verdicts["kind"] == WITNESS], data.made_by),
        "counts": view.verdict_counts(data.verdicts),
        "exit_code": code,
        "exit_meaning": meaning,
        "strict_code": strict_code,
        "missing": view.missing_inputs(data.inputs, data.profile),
        "groups": view.claim_groups(data.verdicts[~data.verdicts["kind"].isin(view.APART)], data.made_by),
        "figures": view.figure_views(data.figures, data.figure_needs, available, data.input_uses),
        "table3": {"header": header, "rows": rows, "after": after},
        "inputs": sorted(data.inputs.items()),
        "this_run_begin": THIS_RUN_BEGIN,
        "this_run_end": THIS_RUN_END,
    }


def render_markdown(data: ReportData) -> str:
    """The report as Markdown (REPORT.md)."""
    return _markdown(_context(data))


def render_html(data: ReportData, read_bytes: Callable[[str], bytes]) -> str:
    """The report as one HTML page; PNG figures are embedded, files are linked relatively."""
    return _html(_context(data), read_bytes)


def render_report(data: ReportData, read_bytes: Callable[[str], bytes]) -> tuple[str, str]:
    """render_markdown and render_html of `data`, its template context made once for both."""
    context = _context(data)
    return _markdown(context), _html(context, read_bytes)


def _markdown(context: dict[str, object]) -> str:
    return _environment(False).get_template("report.md.j2").render(context)


def _html(context: dict[str, object], read_bytes: Callable[[str], bytes]) -> str:
    def embed(relative: str) -> str:
        return "data:image/png;base64," + base64.b64encode(read_bytes(relative)).decode("ascii")

    def wide(relative: str) -> bool:
        """Whether a PNG is much wider than high (its IHDR chunk): such figures get the full width."""
        width, height = struct.unpack(">II", read_bytes(relative)[16:24])
        return width > WIDE_ASPECT * height

    return _environment(True).get_template("report.html.j2").render({**context, "embed": embed, "wide": wide})


def stable_part(report: str) -> str:
    """The report without its "This run" section: what must be identical from run to run."""
    head, begin, rest = report.partition(THIS_RUN_BEGIN)
    _, end, tail = rest.partition(THIS_RUN_END)
    return head + tail if begin and end else report
