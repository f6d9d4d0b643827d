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
# Table 3's columns: the paper's five, then which metric of this artifact measures the claim.
TABLE3_HEADINGS = {
    "number": "#",
    "theme": "Theme",
    "label": "Claim (our wording)",
    "basis": "Basis",
    "studies": "Supporting studies",
    "lacks_quantitative_support": "Lacks quantitative support",
    "measured_by": "Measured here by",
}
PAPER_FIELDS = ("theme", "label", "basis", "studies", "lacks_quantitative_support")
NOT_TRANSCRIBED = "(not transcribed)"
NOT_MEASURED = "not measured"


def load_review(path: Path) -> dict[str, pd.DataFrame]:
    """The review data as tables: `funnel`, `unquantified` and `claims` (Table 3)."""
    with path.open("rb") as handle:
        raw = tomllib.load(handle)
    funnel = pd.DataFrame(raw["funnel"]).reindex(columns=["stage", "count", "part_of"]).fillna({"part_of": ""})
    funnel.insert(0, "order", range(1, len(funnel) + 1))
    claims = pd.DataFrame(raw["claim"], dtype=object).reindex(columns=[*TABLE3_HEADINGS, "source"]).sort_values("number")
    return {"funnel": funnel, "unquantified": pd.DataFrame(raw["unquantified"]), "claims": claims.reset_index(drop=True)}


def _count(funnel: pd.DataFrame, stage: str) -> int:
    return int(funnel.loc[funnel["stage"] == stage, "count"].iloc[0])


def consistency(review: dict[str, pd.DataFrame]) -> pd.DataFrame:
    """Checks that the review's numbers agree with each other, one row each (left, right, whether they agree)."""
    funnel, unquantified, claims = review["funnel"], review["unquantified"], review["claims"]
    rows = []
    for whole, total in funnel[funnel["part_of"] != ""].groupby("part_of")["count"].sum().items():
        parts = ", ".join(funnel.loc[funnel["part_of"] == whole, "stage"])
        rows.append((f"{parts} add up to {whole}", int(total), _count(funnel, whole), int(total) == _count(funnel, whole)))
    papers = funnel[funnel["stage"].str.startswith("papers")]["count"].tolist()
    rows.append(("each paper-selection step keeps at most what the previous one had", papers[-1], papers[0], papers == sorted(papers, reverse=True)))
    rows.append(("Table 3 has one row per consolidated claim", len(claims), _count(funnel, "consolidated claims"), len(claims) == _count(funnel, "consolidated claims")))
    marked = int((claims["lacks_quantitative_support"] == True).sum())  # noqa: E712 (cells not transcribed are NaN)
    fewest = int(unquantified["count"].min())
    rows.append(("Table 3 rows marked as lacking quantitative support, at most the smaller count stated", marked, fewest, marked <= fewest))
    counts = unquantified["count"].tolist()
    stated = " vs ".join(f"{r.count} in {r.where}" for r in unquantified.itertuples())
    rows.append((f"unquantified claims: {stated}", min(counts), max(counts), min(counts) == max(counts)))
    return pd.DataFrame(rows, columns=list(CONSISTENCY_COLUMNS))


def _cell(row: pd.Series, field: str) -> str:
    """One cell of Table 3: a paper column not read from the paper says so rather than stay blank."""
    value = row[field]
    if pd.isna(value):
        return NOT_TRANSCRIBED if field in PAPER_FIELDS else NOT_MEASURED
    if field == "lacks_quantitative_support":
        return "yes" if value else "no"
    return str(value)


def untranscribed_rows(claims: pd.DataFrame) -> int:
    """How many rows of Table 3 have at least one of the paper's cells not transcribed."""
    return int(claims[list(PAPER_FIELDS)].isna().any(axis=1).sum())


def _table3_note(claims: pd.DataFrame) -> str:
    return (
        f"{untranscribed_rows(claims)} of {len(claims)} rows have cells marked {NOT_TRANSCRIBED}: "
        "they could not be read from the paper when this table was written; "
        "fill them in expected_outputs/esem2024/rq1_review.toml."
    )


def table3_markdown(claims: pd.DataFrame) -> str:
    """Table 3 as Markdown."""
    fields = list(TABLE3_HEADINGS)
    lines = ["| " + " | ".join(TABLE3_HEADINGS.values()) + " |", "|" + "---|" * len(fields)]
    lines += ["| " + " | ".join(_cell(row, f) for f in fields) + " |" for _, row in claims.iterrows()]
    if untranscribed_rows(claims):
        lines += ["", _table3_note(claims)]
    return "\n".join(lines) + "\n"


def _latex_escape(text: str) -> str:
    for char, escaped in (("\\", r"\textbackslash{}"), ("&", r"\&"), ("%", r"\%"), ("#", r"\#"), ("_", r"\_")):
        text = text.replace(char, escaped)
    return text


def table3_latex(claims: pd.DataFrame) -> str:
    """Table 3 as a LaTeX tabular (booktabs)."""
    fields = list(TABLE3_HEADINGS)
    lines = [f"% {_table3_note(claims)}"] if untranscribed_rows(claims) else []
    lines += [r"\begin{tabular}{r l p{5cm} l r l l}", r"\toprule", " & ".join(_latex_escape(h) for h in TABLE3_HEADINGS.values()) + r" \\", r"\midrule"]
    lines += [" & ".join(_latex_escape(_cell(row, f)) for f in fields) + r" \\" for _, row in claims.iterrows()]
    lines += [r"\bottomrule", r"\end{tabular}"]
    return "\n".join(lines) + "\n"
