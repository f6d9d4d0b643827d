"""What a claim's check compares, and the one pair of verdict words each kind of check may give.

A claim's `kind` says what its observed value is (a claim's `source` says where its expected value
comes from). Each kind has its own words, so that no verdict says more than was checked:
- recomputed: this artifact computed the value from data -> REPRODUCED / DIFFERS;
- authors-output: the paper against the authors' archived outputs -> CONSISTENT / INCONSISTENT;
- authors-files: the authors' files against each other (figure variants, a PDF against the data
  it plots) -> FILES-MATCH / FILES-MISMATCH; says nothing about the paper's results;
- transcribed: a number this artifact holds only as the paper's text (the review's counts,
  Table 3) -> TRANSCRIBED / MISTRANSCRIBED; never a reproduction;
- paper-arithmetic: the paper's numbers against each other -> ADDS-UP / DOES-NOT-ADD-UP;
- authors-code: the authors' own scripts run on the same bytes as ours (tables/authors_code/, the
  witness of artifact/authors/witness.py) -> AGREES / DISAGREES; outside the headline counts;
- uncheckable: a statement no input of this artifact holds (no `output`; its `note` says why) -> UNCHECKABLE.
`check_kinds` refuses a claim whose kind does not fit its output before any task runs.
"""

from __future__ import annotations

from collections.abc import Mapping

AUTHORS_TABLES = "tables/authors/"  # the authors' files as read by artifact/authors/
WITNESS_TABLES = "tables/authors_code/"  # the authors' code run on our bytes (tasks/authors_code.py)
WITNESS = "authors-code"  # the kind of a claim on them
# Outputs that hold the paper's own text (tasks/rq1_review.py renders expected_outputs/esem2024/rq1_review.toml).
TRANSCRIBED_OUTPUTS = frozenset({"tables/rq1_funnel.csv", "tables/rq1_unquantified.csv"})
ARITHMETIC_OUTPUTS = frozenset({"tables/rq1_consistency.csv"})  # the paper's numbers checked against each other


# kind -> (word when the check holds, word when it does not, heading in the report)
KINDS: dict[str, tuple[str, str, str]] = {
    "recomputed": ("REPRODUCED", "DIFFERS", "Recomputed by this artifact from data"),
    "authors-output": ("CONSISTENT", "INCONSISTENT", "The paper against the authors' archived outputs"),
    "transcribed": ("TRANSCRIBED", "MISTRANSCRIBED", "Held only as the paper's text (never a reproduction)"),
    "paper-arithmetic": ("ADDS-UP", "DOES-NOT-ADD-UP", "The paper's numbers against each other"),
    "authors-files": ("FILES-MATCH", "FILES-MISMATCH", "The authors' files agree with each other (outside the headline counts)"),
    WITNESS: ("AGREES", "DISAGREES", "The authors' own code run on the same bytes as ours (outside the headline counts)"),
}
UNCHECKABLE = "uncheckable"  # the kind, and its one verdict in upper case
HEADLINE_KINDS = ("recomputed", "authors-output", "transcribed", "paper-arithmetic")  # authors-files stand apart
# Verdicts that make `reproduce` exit 3: a recomputation that differs, a bug, a transcription that lost its number.
FAILING = ("DIFFERS", "ERROR", "MISTRANSCRIBED")
NOT_CHECKED = ("UNAVAILABLE", UNCHECKABLE.upper(), "ERROR")


def words(kind: str, holds: bool) -> str:
    """The verdict of a check of `kind` that holds or not."""
    agrees, disagrees, _ = KINDS[kind]
    return agrees if holds else disagrees


def kinds_for_output(output: str) -> tuple[str, ...]:
    """The kinds a claim on `output` may have: what that output's values are."""
    if output.startswith(AUTHORS_TABLES):
        return ("authors-output", "authors-files")
    if output.startswith(WITNESS_TABLES):
        return (WITNESS,)
    if output in TRANSCRIBED_OUTPUTS:
        return ("transcribed",)
    if output in ARITHMETIC_OUTPUTS:
        return ("paper-arithmetic",)
    return ("recomputed",)


def kind_problem(kind: str, output: str) -> str:
    """Why `kind` cannot be the kind of a claim on `output`, or "" when it fits."""
    if kind == UNCHECKABLE or not output:
        return "" if kind == UNCHECKABLE and not output else f"kind {UNCHECKABLE!r} goes with no output, and only it"
    if kind not in KINDS:
        return f"kind {kind!r} is not one of {(*KINDS, UNCHECKABLE)}"
    allowed = kinds_for_output(output)
    if kind not in allowed:
        return f"kind {kind!r} does not fit its output {output} (a claim on it is {' or '.join(allowed)})"
    return ""


def all_verdicts() -> tuple[str, ...]:
    """Every verdict word, kind by kind, then the two for claims not checked."""
    return tuple(word for agrees, disagrees, _ in KINDS.values() for word in (agrees, disagrees)) + NOT_CHECKED


def recomputed_count(counts: Mapping[str, int]) -> int:
    """How many claims were recomputed from data and compared (REPRODUCED or DIFFERS)."""
    return counts.get("REPRODUCED", 0) + counts.get("DIFFERS", 0)
