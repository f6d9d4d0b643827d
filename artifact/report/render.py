"""Render the reproduction report as Markdown and as one self-contained HTML page.

Both are pure functions of a `ReportData`; images are embedded in the HTML as data URIs, tables
and figure files are linked relative to the report's folder (outputs/<profile>/).
"""

from __future__ import annotations

import base64
import html
from collections.abc import Callable
from dataclasses import dataclass, field

import pandas as pd

from artifact.report.claims import summary_counts

CLAIM_TABLE_COLUMNS = ("id", "source", "where", "statement", "expected", "observed", "tolerance", "verdict", "detail", "code", "time")


@dataclass(frozen=True)
class Disagreement:
    """A place where the paper and the authors' code (or the paper and itself) disagree."""

    title: str
    paper: str
    code: str
    values: list[tuple[str, str]] = field(default_factory=list)  # (label, value or why it is missing)


@dataclass(frozen=True)
class ReportData:
    """Everything the report shows, gathered by the report task."""

    profile: str
    description: str
    verdicts: pd.DataFrame  # claims.VERDICT_COLUMNS plus `code` and `time`
    inputs: dict[str, dict]  # outputs/<profile>/inputs.json
    tables: list[str]  # relative paths of output tables
    figures: list[str]  # relative paths of figure files (PNG and PDF)
    disagreements: list[Disagreement]
    provenance: dict[str, str]
    notes: list[str] = field(default_factory=list)


def summary_line(verdicts: pd.DataFrame) -> str:
    """'N claims reproduced, M differ, K could not be checked' (+ errors when there are any)."""
    counts = summary_counts(verdicts)
    line = (
        f"{counts['REPRODUCED']} claims reproduced, {counts['DIFFERS']} differ, "
        f"{counts['UNAVAILABLE']} could not be checked (inputs missing)"
    )
    if counts["CONSISTENT"] or counts["INCONSISTENT"]:
        line += (
            f"; checked against the authors' outputs: {counts['CONSISTENT']} consistent, "
            f"{counts['INCONSISTENT']} inconsistent"
        )
    return line + (f", {counts['ERROR']} errors" if counts["ERROR"] else "")


def _md_cell(value: object) -> str:
    return str(value).replace("|", "\\|").replace("\n", " ")


def _md_table(frame: pd.DataFrame) -> list[str]:
    lines = ["| " + " | ".join(frame.columns) + " |", "|" + "---|" * len(frame.columns)]
    lines += ["| " + " | ".join(_md_cell(v) for v in row) + " |" for row in frame.itertuples(index=False)]
    return lines


def _inputs_frame(inputs: dict[str, dict]) -> pd.DataFrame:
    rows = [
        {
            "input": input_id,
            "status": record["status"],
            "sha256": record.get("sha256") or "-",
            "git blob": record.get("git_blob") or "-",
            "url": record.get("url") or "-",
        }
        for input_id, record in sorted(inputs.items())
    ]
    return pd.DataFrame(rows, columns=["input", "status", "sha256", "git blob", "url"])


def render_markdown(data: ReportData) -> str:
    """The report as Markdown (REPORT.md)."""
    lines = [f"# Reproduction report: profile `{data.profile}`", "", data.description, "", f"**{summary_line(data.verdicts)}.**", ""]
    lines += ["## Claims", ""] + _md_table(data.verdicts.loc[:, list(CLAIM_TABLE_COLUMNS)]) + [""]
    lines += ["## Figures", ""] + [f"- [{f}]({f})" for f in data.figures] + [""]
    lines += ["## Tables", ""] + [f"- [{t}]({t})" for t in data.tables] + [""]
    if data.disagreements:
        lines += ["## Where the paper and the authors' code disagree", ""]
        for item in data.disagreements:
            lines += [f"### {item.title}", "", f"- Paper: {item.paper}", f"- Code: {item.code}"]
            lines += [f"- {label}: **{value}**" for label, value in item.values] + [""]
    if data.notes:
        lines += ["## Notes", ""] + [f"- {note}" for note in data.notes] + [""]
    lines += ["## Provenance", "", "### Inputs", ""] + _md_table(_inputs_frame(data.inputs)) + [""]
    lines += ["### Run", ""] + [f"- {key}: {value}" for key, value in data.provenance.items()] + [""]
    return "\n".join(lines)


_STYLE = """
body { font-family: sans-serif; max-width: 70em; margin: 2em auto; line-height: 1.4; }
table { border-collapse: collapse; font-size: 0.85em; } td, th { border: 1px solid #ccc; padding: 0.2em 0.4em; }
.REPRODUCED, .CONSISTENT { background: #d9f2d9; } .DIFFERS, .INCONSISTENT { background: #f8d0d0; } .UNAVAILABLE { background: #eee; }
.ERROR { background: #f5c542; } img { max-width: 100%; } code { font-size: 0.9em; }
"""


def _html_table(frame: pd.DataFrame, row_class: str | None = None) -> str:
    head = "".join(f"<th>{html.escape(str(c))}</th>" for c in frame.columns)
    body = []
    for _, row in frame.iterrows():
        css = f' class="{html.escape(str(row[row_class]))}"' if row_class else ""
        cells = "".join(f"<td>{html.escape(str(v))}</td>" for v in row)
        body.append(f"<tr{css}>{cells}</tr>")
    return f"<table><thead><tr>{head}</tr></thead><tbody>{''.join(body)}</tbody></table>"


def render_html(data: ReportData, read_bytes: Callable[[str], bytes]) -> str:
    """The report as one HTML page; PNG figures are embedded, files are linked relatively."""
    parts = [
        "<!DOCTYPE html>",
        f'<html lang="en"><head><meta charset="utf-8"><title>Reproduction report: {html.escape(data.profile)}</title>',
        f"<style>{_STYLE}</style></head><body>",
        f"<h1>Reproduction report: profile <code>{html.escape(data.profile)}</code></h1>",
        f"<p>{html.escape(data.description)}</p>",
        f"<p><strong>{html.escape(summary_line(data.verdicts))}.</strong></p>",
        "<h2>Claims</h2>",
        _html_table(data.verdicts.loc[:, list(CLAIM_TABLE_COLUMNS)], row_class="verdict"),
        "<h2>Figures</h2>",
    ]
    for figure in data.figures:
        link = f'<a href="{html.escape(figure)}">{html.escape(figure)}</a>'
        if figure.endswith(".png"):
            encoded = base64.b64encode(read_bytes(figure)).decode("ascii")
            parts.append(f'<figure><img src="data:image/png;base64,{encoded}" alt="{html.escape(figure)}"><figcaption>{link}</figcaption></figure>')
        else:
            parts.append(f"<p>{link}</p>")
    parts += ["<h2>Tables</h2><ul>"] + [f'<li><a href="{html.escape(t)}">{html.escape(t)}</a></li>' for t in data.tables] + ["</ul>"]
    if data.disagreements:
        parts.append("<h2>Where the paper and the authors' code disagree</h2>")
        for item in data.disagreements:
            values = "".join(f"<li>{html.escape(label)}: <strong>{html.escape(value)}</strong></li>" for label, value in item.values)
            parts.append(
                f"<h3>{html.escape(item.title)}</h3><ul><li>Paper: {html.escape(item.paper)}</li>"
                f"<li>Code: {html.escape(item.code)}</li>{values}</ul>"
            )
    if data.notes:
        parts += ["<h2>Notes</h2><ul>"] + [f"<li>{html.escape(note)}</li>" for note in data.notes] + ["</ul>"]
    parts += ["<h2>Provenance</h2><h3>Inputs</h3>", _html_table(_inputs_frame(data.inputs)), "<h3>Run</h3><ul>"]
    parts += [f"<li>{html.escape(key)}: {html.escape(value)}</li>" for key, value in data.provenance.items()]
    parts += ["</ul></body></html>", ""]
    return "\n".join(parts)
