"""The report task: check every claim of the profile against its outputs and render the report."""

from __future__ import annotations

import json
import os
import time
import tomllib
from pathlib import Path

import luigi
import pandas as pd

from artifact.atomic import atomic_path
from artifact.availability import STATUS_FILE
from artifact.config import Settings
from artifact.expected import expected_dir
from artifact.numbers import format_number
from artifact.profiles import get_profile
from artifact.report.claims import VERDICT_COLUMNS, evaluate, load_claims, lookup_value
from artifact.report import graph
from artifact.report.provenance import PACKAGES, environment, lock_sha256, numeric_platform, peak_memory_mib
from artifact.report.render import Disagreement, ReportData, ThisRun, render_html, render_markdown
from artifact.tables import read_table, write_table
from tasks.base import ProfileTask
from tasks.pipeline import available_roots, candidate_roots
from tasks.progress import RUN_STARTED, TIMINGS, TIMINGS_COLUMNS

REPORT_STAMP = "run/report.inputs"  # the inputs status the report was made from


class Report(ProfileTask):
    """REPORT.md, report.html and tables/claims.csv, after every task whose inputs are available."""

    # Not part of the task id: the report is one per profile, and complete() checks which inputs it saw.
    available = luigi.ListParameter(significant=False, description="manifest ids of the inputs verified on disk")

    def requires(self) -> list[luigi.Task]:
        return available_roots(get_profile(self.profile), frozenset(self.available))

    def output(self) -> dict[str, luigi.LocalTarget]:
        return {"md": self.out("REPORT.md"), "html": self.out("report.html"), "claims": self.out("tables/claims.csv")}

    def complete(self) -> bool:
        """Complete only if made from the inputs status of this run (new inputs mean a new report)."""
        stamp, status = self._root() / REPORT_STAMP, self._root() / STATUS_FILE
        return super().complete() and stamp.is_file() and status.is_file() and stamp.read_bytes() == status.read_bytes()

    def run(self) -> None:
        root = self._root()
        inputs = json.loads((root / STATUS_FILE).read_text())
        available = {input_id for input_id, record in inputs.items() if record["status"] == "available"}
        tables = {str(p.relative_to(root)): read_table(p) for p in _table_paths(root)}
        expected = expected_dir(get_profile(self.profile).claims_profile())
        verdicts = evaluate(load_claims(expected / "claims"), tables, available)
        write_table(verdicts, self.output()["claims"].path, VERDICT_COLUMNS)
        profile = get_profile(self.profile)
        table3 = root / "tables" / "table3_claims.md"
        data = ReportData(
            profile=self.profile,
            description=profile.description,
            verdicts=verdicts,
            inputs=inputs,
            tables=sorted(str(p.relative_to(root)) for p in _linked_tables(root) | {Path(self.output()["claims"].path)}),
            figures=sorted(str(p.relative_to(root)) for p in root.glob("figures/*") if p.suffix in (".png", ".pdf", ".csv")),
            disagreements=_disagreements(expected / "disagreements.toml", tables),
            provenance=_software(),
            this_run=_this_run(root),
            made_by=graph.outputs_by_path(graph.walk(self.requires()), root),
            figure_needs=graph.inputs_needed(candidate_roots(profile), root),
            task_graph=graph.mermaid(self.requires()),
            table3=table3.read_text() if table3.is_file() else "",
            default_source="artifact-rule" if profile.claims_profile() == "independent" else "paper",
        )
        with atomic_path(self.output()["md"].path) as tmp:
            tmp.write_text(render_markdown(data))
        with atomic_path(self.output()["html"].path) as tmp:
            tmp.write_text(render_html(data, lambda relative: (root / relative).read_bytes()))
        with atomic_path(root / REPORT_STAMP) as tmp:
            tmp.write_bytes((root / STATUS_FILE).read_bytes())

    def _root(self) -> Path:
        return Settings.from_env().outputs_root / self.profile


def _table_paths(root: Path) -> set[Path]:
    claims = root / "tables" / "claims.csv"
    return {p for p in root.glob("tables/**/*.csv") if p != claims} | set(root.glob("figures/*.data.csv"))


def _linked_tables(root: Path) -> set[Path]:
    """Every table file the report links: CSV tables and their Markdown and LaTeX renderings."""
    return {p for p in root.glob("tables/**/*") if p.suffix in (".csv", ".md", ".tex")} | set(root.glob("figures/*.data.csv"))


def _this_run(root: Path) -> ThisRun:
    """Wall time, peak memory (largest process: each task recorded its own) and the tasks of this run."""
    run = os.environ.get(RUN_STARTED, "")
    path = root / TIMINGS
    frame = pd.read_csv(path, sep="\t", header=None, names=list(TIMINGS_COLUMNS), dtype=str) if path.is_file() else None
    ran = frame[frame["run"] == run].drop_duplicates("task") if frame is not None and run else pd.DataFrame(columns=TIMINGS_COLUMNS)
    peaks = [float(peak) for peak in ran["peak_mib"]] + [peak_memory_mib()]
    facts = {"started": time.strftime("%Y-%m-%d %H:%M:%S UTC", time.gmtime(float(run))) if run else "not run by the CLI"}
    if run:
        facts["wall time until the report"] = f"{time.time() - float(run):.1f} s"
    facts["peak resident memory (largest process of the run)"] = f"{max(peaks):.0f} MiB"
    facts.update({key: value for key, value in environment().items() if key not in PACKAGES})
    facts.update(numeric_platform())
    tasks = [(row.task, row.seconds, row.peak_mib) for row in ran.sort_values("task").itertuples()]
    return ThisRun(facts, tasks)


def _software() -> dict[str, str]:
    """What fixes the software of every run of this code: the lock file and the packages it pins."""
    facts = {"requirements.lock sha256": lock_sha256()}
    facts.update({package: version for package, version in environment().items() if package in PACKAGES})
    return facts


def _disagreements(path: Path, tables: dict[str, pd.DataFrame]) -> list[Disagreement]:
    """The profile's list of paper/code disagreements, with the values the run computed."""
    if not path.is_file():
        return []
    with path.open("rb") as handle:
        raw_items = tomllib.load(handle).get("disagreement", [])
    items = []
    for raw in raw_items:
        values = []
        for value in raw.get("values", []):
            try:
                found = lookup_value(tables, value["output"], value.get("select", {}), value["column"])
                shown = format_number(found) if isinstance(found, float) else str(found)
            except LookupError as error:
                shown = f"not computed in this run ({error})"
            values.append((value["label"], shown))
        items.append(Disagreement(raw["title"], raw["paper"], raw["code"], values))
    return items
