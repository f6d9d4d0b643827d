"""The paper's numeric statements (expected_outputs/<profile>/paper_statements.csv), each with the claims that check it.

One row per quantitative statement of the paper (abstract, Sections 4-5, captions): its id, its
section, a short quotation and the ids of its claims (`;`-separated). `check_registry` loads a
profile's claims and refuses, before any task runs, a statement without a claim or one naming a
claim that does not exist, so that no statement can lose its check unnoticed.
"""

from __future__ import annotations

import csv
from pathlib import Path

from artifact.errors import ArtifactError
from artifact.report.claims import Claim, load_claims

STATEMENTS = "paper_statements.csv"
STATEMENT_COLUMNS = ("id", "section", "quote", "claims")
MAX_BYTES = 1_000_000  # the table is a few kB; a larger file is not this table


def load_statements(path: Path) -> list[dict[str, str]]:
    """The rows of the statement table at `path`; errors name the file and the row."""
    if path.stat().st_size > MAX_BYTES:
        raise ArtifactError(f"{path}: larger than {MAX_BYTES} bytes; it should hold one short row per statement of the paper")
    with path.open(newline="") as handle:
        reader = csv.DictReader(handle)
        if tuple(reader.fieldnames or ()) != STATEMENT_COLUMNS:
            raise ArtifactError(f"{path}: columns {reader.fieldnames}, expected {list(STATEMENT_COLUMNS)}")
        return list(reader)


def check_registry(expected: Path) -> list[Claim]:
    """The claims of `expected/claims`, after checking that every statement of `expected/STATEMENTS` has one."""
    claims = load_claims(expected / "claims")
    path = expected / STATEMENTS
    if not path.is_file():
        return claims
    known = {claim.id for claim in claims}
    for row in load_statements(path):
        named = [claim for claim in row["claims"].split(";") if claim.strip()]
        if not named:
            raise ArtifactError(
                f"{path}: statement {row['id']!r} ({row['section']}) has no claim: register one in {expected / 'claims'} "
                "(kind 'uncheckable' with a note when no input can check it) and name it in the claims column"
            )
        if missing := [claim for claim in named if claim not in known]:
            raise ArtifactError(f"{path}: statement {row['id']!r} names claim(s) {missing} that {expected / 'claims'} does not define")
    return claims
