"""RQ1, the literature review: its funnel, Table 3, and the consistency of what the paper states.

The review's numbers are transcribed from the paper (expected_outputs/esem2024/rq1_review.toml);
these pure functions render them and check that the paper's statements agree with each other.
The daggers of Table 3 (claims whose basis is not a large-scale quantification) are read from the
table's rows and compared with every place where the paper counts them, in total and by theme.
"""

from __future__ import annotations

import tomllib
from pathlib import Path

import pandas as pd

FUNNEL_COLUMNS = ("order", "stage", "count", "part_of")
CONSISTENCY_COLUMNS = ("check", "left", "right", "consistent")
UNQUANTIFIED_COLUMNS = ("where", "stated", "table3_daggers")
# Table 3's columns: the paper's four and its dagger, then which metric of this artifact measures the claim.
TABLE3_HEADINGS = {
    "number": "#",
    "theme": "Theme",
    "label": "Claim",
    "basis": "Claim basis",
    "works": "Works",
    "dagger": "†",
    "measured_by": "Measured here by",
}
PAPER_FIELDS = ("theme", "label", "basis", "works")
NOT_TRANSCRIBED = "(not transcribed)"
NOT_MEASURED = "not measured"
CAPTION_ORDER = ("small_scale", "large_scale", "survey", "interviews", "case_study", "dagger")


def load_review(path: Path) -> dict:
    """The review data: tables `funnel`, `unquantified`, `theme_count`, `claims` (Table 3); `caption`, `outcome`."""
    with path.open("rb") as handle:
        raw = tomllib.load(handle)
    funnel = pd.DataFrame(raw["funnel"]).reindex(columns=["stage", "count", "part_of"]).fillna({"part_of": ""})
    funnel.insert(0, "order", range(1, len(funnel) + 1))
    claims = pd.DataFrame(raw["claim"], dtype=object).reindex(columns=[*TABLE3_HEADINGS, "claim", "source"]).sort_values("number")
    claims["works"] = claims["works"].map(lambda works: "; ".join(works) if isinstance(works, list) else works)
    return {
        "funnel": funnel,
        "unquantified": pd.DataFrame(raw["unquantified"]),
        "theme_count": pd.DataFrame(raw.get("theme_count", []), columns=["theme", "stated"]),
        "claims": claims.reset_index(drop=True),
        "caption": raw.get("caption", {}),
        "outcome": raw.get("outcome", []),
    }


def _count(funnel: pd.DataFrame, stage: str) -> int:
    return int(funnel.loc[funnel["stage"] == stage, "count"].iloc[0])


def daggers(claims: pd.DataFrame) -> pd.Series:
    """Which rows of Table 3 carry a dagger (a number after it)."""
    return claims["dagger"].notna()


def unquantified_table(review: dict) -> pd.DataFrame:
    """Each place where the paper counts the claims lacking support, beside the daggers of Table 3."""
    marked = int(daggers(review["claims"]).sum())
    table = review["unquantified"].rename(columns={"count": "stated"})
    return table.assign(table3_daggers=marked).loc[:, list(UNQUANTIFIED_COLUMNS)]


def consistency(review: dict) -> pd.DataFrame:
    """Checks that the review's numbers agree with each other, one row each (left, right, whether they agree)."""
    funnel, claims = review["funnel"], review["claims"]
    rows = []
    for whole, total in funnel[funnel["part_of"] != ""].groupby("part_of")["count"].sum().items():
        parts = ", ".join(funnel.loc[funnel["part_of"] == whole, "stage"])
        rows.append((f"{parts} add up to {whole}", int(total), _count(funnel, whole), int(total) == _count(funnel, whole)))
    papers = funnel[funnel["stage"].str.startswith("papers")]["count"].tolist()
    rows.append(("each paper-selection step keeps at most what the previous one had", papers[-1], papers[0], papers == sorted(papers, reverse=True)))
    consolidated = _count(funnel, "consolidated claims")
    rows.append(("Table 3 has one row per consolidated claim", len(claims), consolidated, len(claims) == consolidated))
    for row in unquantified_table(review).itertuples():
        check = f"Table 3 daggers vs the count of unquantified claims in {row.where}"
        rows.append((check, row.table3_daggers, row.stated, row.table3_daggers == row.stated))
    marked = claims[daggers(claims)].groupby("theme").size()
    for row in review["theme_count"].itertuples():
        found = int(marked.get(row.theme, 0))
        rows.append((f"Table 3 daggers in {row.theme} vs Section 4.2", found, int(row.stated), found == int(row.stated)))
    return pd.DataFrame(rows, columns=list(CONSISTENCY_COLUMNS))


def _cell(row: pd.Series, field: str) -> str:
    """One cell of Table 3: a paper column not read from the paper says so rather than stay blank."""
    value = row[field]
    if field == "dagger":
        return "" if pd.isna(value) else f"† ({int(value)})"
    if pd.isna(value):
        return NOT_TRANSCRIBED if field in PAPER_FIELDS else NOT_MEASURED
    return str(value)


def untranscribed_rows(claims: pd.DataFrame) -> int:
    """How many rows of Table 3 have at least one of the paper's cells not transcribed."""
    return int(claims[list(PAPER_FIELDS)].isna().any(axis=1).sum())


def _notes(review: dict) -> list[str]:
    """The caption's definitions as printed, and a note on any cell left untranscribed."""
    caption = review["caption"]
    notes = [f"{caption[key]}." for key in CAPTION_ORDER if key in caption and key != "dagger"]
    if "dagger" in caption:
        notes.append(f"†: {caption['dagger']} (the number after it is the paper's).")
    claims = review["claims"]
    if untranscribed_rows(claims):
        notes.append(
            f"{untranscribed_rows(claims)} of {len(claims)} rows have cells marked {NOT_TRANSCRIBED}: "
            "fill them in expected_outputs/esem2024/rq1_review.toml."
        )
    return notes


def table3_markdown(review: dict) -> str:
    """Table 3 as Markdown, followed by its caption's definitions."""
    claims, fields = review["claims"], list(TABLE3_HEADINGS)
    lines = ["| " + " | ".join(TABLE3_HEADINGS.values()) + " |", "|" + "---|" * len(fields)]
    lines += ["| " + " | ".join(_cell(row, f).replace("|", "\\|") for f in fields) + " |" for _, row in claims.iterrows()]
    return "\n".join(lines + [""] + _notes(review)) + "\n"


def _latex_escape(text: str) -> str:
    for char, escaped in (("\\", r"\textbackslash{}"), ("&", r"\&"), ("%", r"\%"), ("#", r"\#"), ("_", r"\_"), ("†", r"$\dagger$")):
        text = text.replace(char, escaped)
    return text


def table3_latex(review: dict) -> str:
    """Table 3 as a LaTeX tabular (booktabs), the caption's definitions as comments."""
    claims, fields = review["claims"], list(TABLE3_HEADINGS)
    lines = [f"% {note}" for note in _notes(review)]
    headings = " & ".join(_latex_escape(h) for h in TABLE3_HEADINGS.values()) + r" \\"
    lines += [r"\begin{tabular}{r p{2.5cm} p{5cm} p{2.5cm} p{3.5cm} l l}", r"\toprule", headings, r"\midrule"]
    lines += [" & ".join(_latex_escape(_cell(row, f)) for f in fields) + r" \\" for _, row in claims.iterrows()]
    lines += [r"\bottomrule", r"\end{tabular}"]
    return "\n".join(lines) + "\n"
