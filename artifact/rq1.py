"""RQ1, the literature review: its funnel, Table 3, and the consistency of what the paper states.

The review's numbers are transcribed from the paper (expected_outputs/esem2024/rq1_review.toml);
these pure functions render them and check that the paper's statements agree with each other.
"""

from __future__ import annotations

import tomllib
from pathlib import Path

import pandas as pd

FUNNEL_COLUMNS = ("order", "stage", "count", "part_of")
CONSISTENCY_COLUMNS = ("check", "left", "right", "consistent")
CLAIM_FIELDS = ("number", "theme", "label", "lacks_quantitative_support", "measured_by", "transcribed")
NOT_TRANSCRIBED = "(not transcribed)"


def load_review(path: Path) -> dict[str, pd.DataFrame]:
    """The review data as tables: `funnel`, `unquantified` and `claims` (Table 3)."""
    with path.open("rb") as handle:
        raw = tomllib.load(handle)
    funnel = pd.DataFrame(raw["funnel"]).reindex(columns=["stage", "count", "part_of"]).fillna({"part_of": ""})
    funnel.insert(0, "order", range(1, len(funnel) + 1))
    claims = pd.DataFrame(raw["claim"]).reindex(columns=list(CLAIM_FIELDS)).sort_values("number")
    return {"funnel": funnel, "unquantified": pd.DataFrame(raw["unquantified"]), "claims": claims.reset_index(drop=True)}


def _count(funnel: pd.DataFrame, stage: str) -> int:
    return int(funnel.loc[funnel["stage"] == stage, "count"].iloc[0])


def consistency(review: dict[str, pd.DataFrame]) -> pd.DataFrame:
    """Checks that the review's numbers agree with each other, one row each."""
    funnel, unquantified = review["funnel"], review["unquantified"]
    parts = funnel[funnel["part_of"] != ""].groupby("part_of")["count"].sum()
    rows = [
        (f"{', '.join(funnel.loc[funnel['part_of'] == whole, 'stage'])} add up to {whole}", int(total), _count(funnel, whole))
        for whole, total in parts.items()
    ]
    papers = funnel[funnel["stage"].str.startswith("papers")]["count"].tolist()
    rows.append(("each paper-selection step keeps at most what the previous one had", int(papers == sorted(papers, reverse=True)), 1))
    counts = unquantified["count"].tolist()
    rows.append(
        ("unquantified claims: " + " vs ".join(f"{r.count} in {r.where}" for r in unquantified.itertuples()), min(counts), max(counts))
    )
    table = pd.DataFrame(rows, columns=["check", "left", "right"])
    table["consistent"] = table["left"] == table["right"]
    return table


def _cell(row: pd.Series, field: str) -> str:
    if not row["transcribed"]:
        return NOT_TRANSCRIBED if field != "number" else str(row["number"])
    value = row[field]
    if field == "lacks_quantitative_support":
        return "yes" if value is True else ("no" if value is False else "")
    return "" if pd.isna(value) else str(value)


_TABLE3_HEADINGS = {"number": "#", "theme": "Theme", "label": "Claim (our wording)", "lacks_quantitative_support": "Lacks quantitative support", "measured_by": "Measured by"}


def table3_markdown(claims: pd.DataFrame) -> str:
    """Table 3 as Markdown."""
    fields = list(_TABLE3_HEADINGS)
    lines = ["| " + " | ".join(_TABLE3_HEADINGS.values()) + " |", "|" + "---|" * len(fields)]
    lines += ["| " + " | ".join(_cell(row, f) for f in fields) + " |" for _, row in claims.iterrows()]
    return "\n".join(lines) + "\n"


def _latex_escape(text: str) -> str:
    for char, escaped in (("\\", r"\textbackslash{}"), ("&", r"\&"), ("%", r"\%"), ("#", r"\#"), ("_", r"\_")):
        text = text.replace(char, escaped)
    return text


def table3_latex(claims: pd.DataFrame) -> str:
    """Table 3 as a LaTeX tabular (booktabs)."""
    fields = list(_TABLE3_HEADINGS)
    lines = [r"\begin{tabular}{r l p{6cm} l l}", r"\toprule", " & ".join(_latex_escape(h) for h in _TABLE3_HEADINGS.values()) + r" \\", r"\midrule"]
    lines += [" & ".join(_latex_escape(_cell(row, f)) for f in fields) + r" \\" for _, row in claims.iterrows()]
    lines += [r"\bottomrule", r"\end{tabular}"]
    return "\n".join(lines) + "\n"
