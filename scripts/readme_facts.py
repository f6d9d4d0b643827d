"""Write the README's run figures from real runs: per profile the tasks and inputs of its graph, its
claims by verdict and the files it wrote (the test count is tests/unit/test_readme_counts.py's).

    python scripts/readme_facts.py [--outputs outputs]    # make readme-facts

Reads <outputs>/<profile>/ of each profile that has a complete run there (run/dag.mmd, tables/claims.csv)
and rewrites the block between the README's `run-figures` markers; tests/unit/test_readme.py checks
the block against the runs it can see, so the README cannot drift from what runs.
"""

from __future__ import annotations

import argparse
import csv
import re
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from artifact.report.claims import VERDICTS  # noqa: E402 - after the checkout is on the path

README = ROOT / "README.md"
PROFILES = ("sample", "esem2024", "independent")
BEGIN = "<!-- run-figures: written by `make readme-facts` from real runs; tests/unit/test_readme.py checks them -->"
END = "<!-- run-figures end -->"
COLUMNS = ("profile", "tasks", "inputs", *VERDICTS, "files written")


def run_facts(folder: Path) -> dict[str, int]:
    """A run's figures: tasks and inputs in its graph (run/dag.mmd), claims by verdict, files written
    (outside run/ and intermediate/)."""
    labels = re.findall(r'^\s+t\d+\["(\w+)\(', (folder / "run" / "dag.mmd").read_text(), re.M)
    with (folder / "tables" / "claims.csv").open(newline="") as handle:
        verdicts = Counter(row["verdict"] for row in csv.DictReader(handle))
    files = [p for p in folder.rglob("*") if p.is_file() and p.relative_to(folder).parts[0] not in ("run", "intermediate")]
    facts = {"tasks": sum(label != "InputFile" for label in labels), "inputs": labels.count("InputFile")}
    facts.update({verdict: verdicts.get(verdict, 0) for verdict in VERDICTS})
    facts["files written"] = len(files)
    return facts


def facts_row(profile: str, facts: dict[str, int]) -> str:
    """One Markdown row of the block."""
    return "| " + " | ".join([f"`{profile}`", *(str(facts[column]) for column in COLUMNS[1:])]) + " |"


def read_block(text: str) -> dict[str, str]:
    """{profile: its row} as the README states them."""
    block = text[text.index(BEGIN) : text.index(END)]
    rows = {m.group(1): m.group(0) for m in re.finditer(r"^\| `([a-z0-9]+)` \|.*\|$", block, re.M)}
    return rows


def render_block(rows: list[str], note: str) -> str:
    """The block between the markers."""
    header = "| " + " | ".join(COLUMNS) + " |\n|" + "---|" * len(COLUMNS) + "\n"
    return (
        f"{BEGIN}\n{header}" + "".join(f"{row}\n" for row in rows)
        + f"\n{note}\n{END}"
    )


def main() -> int:
    """Rewrite the README's block from the runs under --outputs."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--outputs", type=Path, default=ROOT / "outputs")
    args = parser.parse_args()
    text = README.read_text()
    stated = read_block(text)
    rows = []
    for profile in PROFILES:  # a profile without a run under --outputs keeps the row the README states
        run = args.outputs / profile
        rows.append(facts_row(profile, run_facts(run)) if (run / "tables" / "claims.csv").is_file() else stated.get(profile))
    if not any(rows):
        raise SystemExit(f"no run under {args.outputs}: run `make reproduce PROFILE=...` first")
    note = (
        "Tasks: those of the graph that compute (a complete run runs them all once); inputs: the profile's input "
        "tasks. `esem2024` as run with the mirror's inputs (ARTIFACT_MIRROR), whose lack of some of the paper's files "
        "leaves claims UNAVAILABLE."
    )
    start, end = text.index(BEGIN), text.index(END) + len(END)
    rows = [row for row in rows if row]
    README.write_text(text[:start] + render_block(rows, note) + text[end:])
    print("\n".join(rows))
    return 0


if __name__ == "__main__":
    sys.exit(main())
