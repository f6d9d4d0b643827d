"""Compare a profile's outputs with the archived expected outputs, byte for byte.

Layout of `expected_outputs/<profile>/`: `tables/**` (CSV, Markdown, LaTeX) and `figures/*.data.csv`
are byte copies of the outputs; `figures.sha256` lists the sha256 of each figure file (PNG, PDF), and
`figures/*.png` are copies of the PNGs, kept so that a differing figure can be diagnosed: whether the
numbers it plots (`.data.csv`) match, and which pixels differ. A differing figure still fails.
`REPORT.md`, where archived, is the report without its "This run" section. `verdicts.csv`, where
archived (esem2024, whose tables depend on which inputs one has), is `id,verdict` of every claim of a
run with the mirror's inputs, checked against the `id` and `verdict` columns of `tables/claims.csv`.

`without-authors-code/` (sample), where archived, holds what differs when the authors' scripts were
not at hand (they are not shipped: their licence is unknown; outputs/<profile>/inputs.json says
whether they were): the report, the claims table and the witness's status and summary. For such a
run `compare` checks those files instead, and not the witness's comparison tables, which that run
cannot make; it says so (`variant_note`).
"""

from __future__ import annotations

import csv
import hashlib
import json
from pathlib import Path

from artifact.atomic import read_record

EXPECTED_ROOT = Path(__file__).resolve().parent.parent / "expected_outputs"
FIGURE_SUMS = "figures.sha256"
REPORT = "REPORT.md"
VERDICTS = "verdicts.csv"
CLAIMS_TABLE = "tables/claims.csv"
TABLE_SUFFIXES = (".csv", ".md", ".tex")
WITHOUT_AUTHORS_CODE = "without-authors-code"  # expected outputs of a run without the authors' scripts
WITNESS_TABLES = "tables/authors_code/"


def table_files(root: Path) -> list[Path]:
    """The table files under `root` (tables/** and figures/*.data.csv), sorted."""
    tables = [p for p in root.glob("tables/**/*") if p.suffix in TABLE_SUFFIXES]
    return sorted(tables + list(root.glob("figures/*.data.csv")))


def expected_dir(profile: str) -> Path:
    """The archived outputs of `profile`."""
    return EXPECTED_ROOT / profile


def comparable(expected: Path) -> list[str]:
    """What `expected` holds to compare an outputs folder with (empty: nothing)."""
    found = [f"{len(tables)} tables"] if (tables := table_files(expected)) else []
    return found + [name for name in (FIGURE_SUMS, REPORT, VERDICTS) if (expected / name).is_file()]


def scripts_missing(outputs: Path) -> list[str]:
    """The authors' scripts the witness runs that the run `outputs` lacked (its inputs.json), sorted; empty when it had
    them all or its profile does not use them."""
    from artifact.authors.witness import RUN  # here: the witness imports scipy, which every CLI command would pay for

    try:
        records = json.loads(read_record(outputs / "inputs.json"))
    except (OSError, ValueError):
        return []
    scripts = {known.input_id for known in RUN}
    return sorted(i for i, record in records.items() if i in scripts and record.get("status") != "available")


def variant_for(outputs: Path, expected: Path) -> Path | None:
    """The `without-authors-code` expected outputs when the run lacked the authors' scripts and they are archived, else None."""
    variant = expected / WITHOUT_AUTHORS_CODE
    return variant if variant.is_dir() and scripts_missing(outputs) else None


def variant_note(outputs: Path, expected: Path) -> str:
    """What `compare` says when it checks a run without the authors' scripts (empty: it checks everything)."""
    variant = variant_for(outputs, expected)
    if variant is None:
        return ""
    return (f"the authors' scripts were not at hand for this run ({', '.join(scripts_missing(outputs))}: not shipped, their licence "
            f"is unknown): its report, claims and witness status are compared with {variant}, and the witness's comparison "
            "tables are not compared; set ARTIFACT_MIRROR (or fetch them) to compare the witness too")


def _expected_tables(outputs: Path, expected: Path) -> list[tuple[Path, Path]]:
    """(relative path, expected file) of each table to compare, the variant's in place of the base's where it applies."""
    variant = variant_for(outputs, expected)
    base = {want.relative_to(expected): want for want in table_files(expected)}
    if variant is None:
        return sorted(base.items())
    base = {relative: want for relative, want in base.items() if not relative.as_posix().startswith(WITNESS_TABLES)}
    return sorted((base | {want.relative_to(variant): want for want in table_files(variant)}).items())


def compare_outputs(outputs: Path, expected: Path) -> list[str]:
    """Differences between `outputs` and `expected` (its variant for a run without the authors' scripts), one readable
    line each (empty = identical)."""
    problems = []
    report = (variant_for(outputs, expected) or expected) / REPORT
    for relative, want in _expected_tables(outputs, expected):
        got = outputs / relative
        if not got.is_file():
            problems.append(f"missing output {relative}")
        elif got.read_bytes() != want.read_bytes():
            problems.append(f"{relative} differs from {want}")
    sums = expected / FIGURE_SUMS
    if sums.is_file():
        for line in sums.read_text().splitlines():
            digest, relative = line.split(maxsplit=1)
            got = outputs / relative
            if not got.is_file():
                problems.append(f"missing figure {relative}")
            elif (observed := hashlib.sha256(got.read_bytes()).hexdigest()) != digest:
                problems.append(f"{relative}: sha256 {observed}, expected {digest}; {diagnose_figure(outputs, expected, relative)}")
    if report.is_file():
        from artifact.report.render import stable_part  # here: the report's renderer is not needed to name expected_dir

        got = outputs / REPORT
        if not got.is_file():
            problems.append(f"missing output {REPORT}")
        elif stable_part(got.read_text()) != report.read_text():
            problems.append(f"{REPORT} (outside its \"This run\" section) differs from {report}")
    if (expected / VERDICTS).is_file():
        problems += compare_verdicts(outputs / CLAIMS_TABLE, expected / VERDICTS)
    return problems


def compare_verdicts(claims: Path, archived: Path) -> list[str]:
    """Each claim whose verdict in `claims` (tables/claims.csv) differs from the archived `id,verdict` table."""
    if not claims.is_file():
        return [f"missing output {CLAIMS_TABLE}"]
    want = _verdicts(archived)
    got = _verdicts(claims)
    problems = [f"claim {i}: verdict {got.get(i, 'absent')}, archived {v} ({archived})" for i, v in want.items() if got.get(i) != v]
    return problems + [f"claim {i}: verdict {got[i]}, not in {archived}" for i in sorted(got.keys() - want.keys())]


def _verdicts(table: Path) -> dict[str, str]:
    """{claim id: verdict} of a CSV with `id` and `verdict` columns."""
    with table.open(newline="", encoding="utf-8") as handle:
        return {row["id"]: row["verdict"] for row in csv.DictReader(handle)}


def diagnose_figure(outputs: Path, expected: Path, relative: str) -> str:
    """Why figure `relative` differs: whether its plotted numbers match, and which pixels differ."""
    figure = Path(relative)
    data = figure.with_name(f"{figure.stem}.data.csv")
    if not (expected / data).is_file():
        numbers = f"it has no table of plotted numbers ({data} is not archived)"
    elif (outputs / data).is_file() and (outputs / data).read_bytes() == (expected / data).read_bytes():
        numbers = f"the numbers it plots ({data}) match: the rendering differs"
    else:
        numbers = f"the numbers it plots ({data}) DIFFER: see that table first"
    if figure.suffix != ".png":
        return f"{numbers}; a PDF is compared by bytes only (its PNG says which pixels differ)"
    if not (expected / figure).is_file():
        return f"{numbers}; no archived copy of the image ({expected / figure}) to compare pixels with"
    from artifact.figures.pixels import pixel_difference  # here: numpy, PIL and scipy only when pixels differ

    return f"{numbers}; {pixel_difference(outputs / figure, expected / figure)}"
