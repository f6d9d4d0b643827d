"""The README cannot drift from what runs: its output table checked both ways against the files runs
wrote, and its generated block of run figures (`make readme-facts`) equal to what the code and the
archived outputs say today.

The output table is checked against the sample run of this session and the independent profile's
archived outputs; with ARTIFACT_CHECK_OUTPUTS=<folder of profile outputs> (CI, after reproducing
esem2024 and independent) against those runs too.
"""

from __future__ import annotations

import csv
import importlib.util
import os
import re
from collections import Counter
from pathlib import Path

import pytest

from tests.conftest import EXPECTED, REPO
from tests.mirror_inputs import needs_authors_scripts

README = REPO / "README.md"
_SPEC = importlib.util.spec_from_file_location("readme_facts", REPO / "scripts" / "readme_facts.py")
facts = importlib.util.module_from_spec(_SPEC)
_SPEC.loader.exec_module(facts)
PROFILES = ("sample", "esem2024", "independent")
FOLDERS = ("intermediate/", "run/")  # rows that stand for a whole folder; run/'s children are named in its text
NOT_ALWAYS = {"report-1280x800.png", "inputs"}  # CI's browser step writes the first; a run with a missing input the second


def output_table() -> list[tuple[list[str], set[str], str]]:
    """(file patterns, profiles that write them, description) of each row of "What each output file is"."""
    text = README.read_text()
    section = text[text.index("## What each output file is") :]
    section = section[: section.index("\n## ", 1)]
    rows = []
    for line in section.splitlines():
        cells = [cell.strip() for cell in line.strip().strip("|").split(" | ")]
        if len(cells) != 3 or not cells[0].startswith("`"):
            continue
        written = set(PROFILES) if cells[1] == "all" else {p.strip() for p in cells[1].split(",")}
        rows.append((_patterns(cells[0]), written, cells[2]))
    return rows


def _patterns(cell: str) -> list[str]:
    """`a/b.png`, `.pdf`, `c.csv` -> a/b.png, a/b.pdf, a/c.csv: a suffix or a bare name continues the one before."""
    patterns: list[str] = []
    for item in re.findall(r"`([^`]+)`", cell):
        if item.startswith(".") and patterns:
            item = re.sub(r"\.(png|pdf|csv|md|tex|data\.csv)$", "", patterns[-1]) + item
        elif "/" not in item and patterns and "/" in patterns[-1]:
            item = patterns[-1].rsplit("/", 1)[0] + "/" + item
        patterns.append(item)
    return patterns


def _regex(pattern: str) -> re.Pattern[str]:
    parts = re.split(r"(<[a-z]+>)", pattern)
    body = "".join("[^/]+" if part.startswith("<") else re.escape(part) for part in parts)
    return re.compile(body + (".*" if pattern.endswith("/") else ""))


def unlisted(files: set[str], profile: str) -> list[str]:
    """The files of a profile's outputs that no row written by that profile matches (run/'s children by name)."""
    rows = [(patterns, text) for patterns, written, text in output_table() if profile in written]
    missing = []
    for name in sorted(files):
        if name.endswith("/"):
            continue
        if name.startswith("run/"):
            child = name.split("/")[1]
            if not any(f"`{child}`" in text or f"`{child}/`" in text for patterns, text in rows if "run/" in patterns):
                missing.append(name)
        elif not any(_regex(p).fullmatch(name) for patterns, _ in rows for p in patterns):
            missing.append(name)
    return missing


def unwritten(files: set[str], profile: str, under: tuple[str, ...] = ("",)) -> list[str]:
    """The patterns of rows written by the profile (those under `under`) that match none of its files."""
    absent = []
    for patterns, written, text in output_table():
        if profile not in written:
            continue
        for pattern in patterns:
            if pattern.startswith(under) and not any(_regex(pattern).fullmatch(name) for name in files):
                absent.append(pattern)
        if "run/" in patterns and "run/".startswith(under):
            named = set(re.findall(r"`([^`/]+)/?`", text)) - NOT_ALWAYS
            absent += [f"run/{child}" for child in sorted(named) if not any(n.startswith(f"run/{child}") for n in files)]
    return absent


def _files(root: Path) -> set[str]:
    """Every file under `root`, and every folder (as `name/`: run/ran/ may hold no file)."""
    return {p.relative_to(root).as_posix() + ("" if p.is_file() else "/") for p in root.rglob("*")}


def test_the_table_parses_into_patterns() -> None:
    rows = output_table()
    assert len(rows) > 30
    assert _patterns("`figures/fig6_turnover.png`, `.pdf`, `.data.csv`") == [
        "figures/fig6_turnover.png", "figures/fig6_turnover.pdf", "figures/fig6_turnover.data.csv"]
    assert _patterns("`tables/authors/pdf_figures.csv`, `pdf_bars.csv`") == ["tables/authors/pdf_figures.csv", "tables/authors/pdf_bars.csv"]
    assert _regex("tables/topk/<registry>_<snapshot>.csv").fullmatch("tables/topk/hf_2022-06.csv")


def test_the_output_table_lists_every_file_of_the_sample_run_and_nothing_it_does_not_write(sample_outputs: Path) -> None:
    files = _files(sample_outputs)
    assert unlisted(files, "sample") == []
    assert unwritten(files, "sample") == []


def test_the_output_table_agrees_with_the_independent_profiles_archived_outputs() -> None:
    archived = EXPECTED / "independent"
    files = {p for p in _files(archived) if p.startswith("tables/") or p.endswith(".data.csv")}
    files |= {line.split()[1] for line in (archived / "figures.sha256").read_text().splitlines() if line.strip()}
    assert unlisted(files, "independent") == []
    assert unwritten(files, "independent", under=("tables/", "figures/")) == []


@pytest.mark.skipif(not os.environ.get("ARTIFACT_CHECK_OUTPUTS"), reason="set ARTIFACT_CHECK_OUTPUTS to a folder of runs")
def test_the_output_table_agrees_with_the_runs_given() -> None:
    root = Path(os.environ["ARTIFACT_CHECK_OUTPUTS"])
    checked = [profile for profile in PROFILES if (root / profile / "inputs.json").is_file()]
    assert checked, f"ARTIFACT_CHECK_OUTPUTS={root} holds no run of {PROFILES}"
    for profile in checked:
        files = _files(root / profile)
        assert unlisted(files, profile) == [], profile
        if profile != "esem2024":  # the mirror lacks some of its inputs: what it writes is a part of its rows
            assert unwritten(files, profile) == [], profile


@needs_authors_scripts
def test_the_run_figures_of_the_sample_are_those_of_a_run(sample_outputs: Path) -> None:
    rows = facts.read_block(README.read_text())
    assert rows["sample"] == facts.facts_row("sample", facts.run_facts(sample_outputs))


def test_the_run_figures_of_the_independent_claims_are_the_archived_verdicts() -> None:
    rows = facts.read_block(README.read_text())
    with (EXPECTED / "independent" / "tables" / "claims.csv").open(newline="") as handle:
        verdicts = Counter(row["verdict"] for row in csv.DictReader(handle))
    stated = _stated(rows["independent"])
    assert {v: int(stated[v]) for v in facts.VERDICTS} == {v: verdicts.get(v, 0) for v in facts.VERDICTS}


def _stated(row: str) -> dict[str, str]:
    """A row of the run figures as {column: cell}."""
    return dict(zip(facts.COLUMNS, (cell.strip() for cell in row.strip().strip("|").split(" | ")), strict=True))


@pytest.mark.skipif(not os.environ.get("ARTIFACT_CHECK_OUTPUTS"), reason="set ARTIFACT_CHECK_OUTPUTS to a folder of runs")
def test_the_run_figures_are_those_of_the_runs_given() -> None:
    root = Path(os.environ["ARTIFACT_CHECK_OUTPUTS"])
    rows = facts.read_block(README.read_text())
    for profile in PROFILES:
        if not (root / profile / "tables" / "claims.csv").is_file():
            continue
        seen = facts.run_facts(root / profile)
        if profile == "esem2024" and int(_stated(rows[profile])["inputs"]) != seen["inputs"]:
            continue  # the README states the run with the mirror's inputs; a run with others at hand differs by design
        assert rows[profile] == facts.facts_row(profile, seen), profile
