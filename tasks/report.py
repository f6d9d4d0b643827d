"""The report task: check every claim of the profile against its outputs and render the report.

Its requirements are a FetchInput task per input of the profile (the scheduler runs them first) and
the profile's final tasks whose inputs are available, as those FetchInput tasks left them; the tables
it reads and lists are the outputs of the tasks of that graph (never found by glob). It also writes `inputs.json` (each input's
checksum and whether it was available), the task graph as Mermaid text (`run/dag.mmd`) and the claims' summary as the
command line prints it (`run/summary.json`: a run with nothing to do prints it without reading the claims table).
"""

from __future__ import annotations

import hashlib
import json
import sys
from dataclasses import dataclass
from pathlib import Path

import luigi

from artifact.atomic import atomic_path
from artifact.expected import TABLE_SUFFIXES, expected_dir
from artifact.fingerprint import FileDigests, Fingerprint
from artifact.inputs.lockfile import lock_path, read_lock
from artifact.loaders.losses import RowLosses, read_losses
from artifact.report.claims import VERDICT_COLUMNS, evaluate, load_claims, summary_counts, unreadable_outputs
from artifact.report.render import TEMPLATES, ReportData, render_report, summary_line
from artifact.report.verdicts import WITNESS
from artifact.report.view import conclusion
from tasks.base import LATE, FetchInput, FingerprintedTask, InputFile
from tasks.graph import available_roots, candidate_roots, graph, mermaid, needed_inputs
from tasks.m2_turnover import LoadSnapshot
from tasks.progress import read_timings

STATUS_FILE = "inputs.json"
TABLE3 = "tables/table3_claims.md"
DAG_FILE = "run/dag.mmd"
SUMMARY_FILE = "run/summary.json"  # {summary, conclusion, counts}: what `reproduce` prints and exits with
FIGURE_SUFFIXES = (".png", ".pdf", ".data.csv")


@dataclass(frozen=True)
class InputStatus:
    """One input of the profile: its task, and its sha256 when available or why it is missing."""

    task: InputFile
    sha256: str = ""
    missing: str = ""

    @property
    def available(self) -> bool:
        return not self.missing


class Report(FingerprintedTask):
    """REPORT.md, report.html, tables/claims.csv and inputs.json, after every task whose inputs are available."""

    priority = LATE  # last anyway; Luigi raises a requirement's priority to this one's: the witness's tasks and AuthorsFigures put themselves later

    started = luigi.FloatParameter(default=0.0, significant=False, description="epoch seconds the run began")

    def fetch_tasks(self) -> list[FetchInput]:
        """The task bringing each input of the profile into the cache, by id."""
        return [FetchInput(profile=self.profile, input_id=task.input_id, started=self.started) for task in self.profile_inputs()]

    def inputs_status(self) -> list[InputStatus]:
        """Every input of the profile as its FetchInput task left it (read once per task object)."""
        if getattr(self, "_status", None) is None:
            self._status = [
                InputStatus(fetch.input_task(), sha256=fetch.input_task().digest())
                if fetch.input_task().complete()
                else InputStatus(fetch.input_task(), missing=fetch.missing())
                for fetch in self.fetch_tasks()
            ]
        return self._status

    def available(self) -> frozenset[str]:
        """The ids of the inputs whose verified bytes are at hand."""
        return frozenset(s.task.input_id for s in self.inputs_status() if s.available)

    def roots(self) -> list[luigi.Task]:
        """The final tasks of the profile whose inputs are available (found once per task object)."""
        if getattr(self, "_roots", None) is None:
            self._roots = available_roots(self.spec, self.available())
        return self._roots

    def requires(self) -> list[luigi.Task]:
        return [*self.fetch_tasks(), *self.roots()]

    def output(self) -> dict[str, luigi.LocalTarget]:
        return {
            "md": self.out("REPORT.md"),
            "html": self.out("report.html"),
            "claims": self.out("tables/claims.csv"),
            "inputs": self.out(STATUS_FILE),
            "dag": self.out(DAG_FILE),
            "summary": self.out(SUMMARY_FILE),
        }

    def read_files(self) -> list[Path]:
        """The claims, the disagreements and the report's templates (not Python, so not in the code digest)."""
        expected = expected_dir(self.spec.claims_profile())
        claims = sorted((expected / "claims").glob("*.toml")) + [p for p in [expected / "disagreements.toml"] if p.is_file()]
        return claims + sorted(TEMPLATES.glob("*.j2"))

    def fingerprint(self, digests: FileDigests) -> Fingerprint:
        """As every task's, plus each input's availability (a missing input makes claims UNAVAILABLE) and
        what the report shows of its manifest entry (location, git blob, files, use)."""
        today = super().fingerprint(digests)
        status = {f"input:{s.task.input_id}": s.sha256 or "missing" for s in self.inputs_status()}
        shown = json.dumps(self._manifest_records(), sort_keys=True).encode()  # what the report shows of each entry
        status["manifest:shown"] = hashlib.sha256(shown).hexdigest()
        return Fingerprint(today.inputs | status, today.code, today.lock, today.params)

    def graph_outputs(self) -> list[str]:
        """Paths (relative to the profile's folder) of every output of the tasks this report requires."""
        paths = set()
        for task in graph(self.roots()):
            if not isinstance(task, InputFile):
                paths |= {self._relative(t.path) for t in luigi.task.flatten(task.output())}
        return sorted(paths)

    def run(self) -> None:
        from artifact.report.disagreements import load_disagreements
        from artifact.report.this_run import software, this_run
        from artifact.report.three_way import not_run, three_way
        from artifact.tables import read_table, write_table

        root = self.root
        outputs = self.graph_outputs()
        table_paths = [p for p in outputs if _is_table(p) and p.endswith(".csv")]
        tables = {relative: read_table(root / relative) for relative in table_paths}
        expected = expected_dir(self.spec.claims_profile())
        verdicts = evaluate(load_claims(expected / "claims"), tables, set(self.available()), unreadable_outputs(tables))
        write_table(verdicts, self.output()["claims"].path, VERDICT_COLUMNS)
        inputs = self.inputs_records()
        dag = mermaid(self)
        data = ReportData(
            profile=self.profile,
            description=self.spec.description,
            synthetic=self.spec.synthetic,
            verdicts=verdicts,
            inputs=inputs,
            tables=sorted([p for p in outputs if _is_table(p)] + [self._relative(self.output()["claims"].path)]),
            figures=[p for p in outputs if p.startswith("figures/") and p.endswith(FIGURE_SUFFIXES)],
            disagreements=load_disagreements(expected / "disagreements.toml", tables),
            provenance=software(),
            this_run=this_run(read_timings(root), self.started, self.settings),
            made_by=self._made_by(),
            figure_needs=self._needs(),
            input_uses={status.task.input_id: status.task.entry().used_by for status in self.inputs_status()},
            task_graph=dag.rstrip("\n"),
            table3=(root / TABLE3).read_text() if TABLE3 in outputs else "",
            three_way=three_way(tables),
            witness_not_run=not_run(tables),
        )
        with atomic_path(self.output()["inputs"].path) as tmp:
            tmp.write_text(json.dumps(inputs, indent=2, sort_keys=True) + "\n")
        with atomic_path(self.output()["dag"].path) as tmp:
            tmp.write_text(dag)
        summary = {
            "summary": summary_line(verdicts, self.spec.synthetic),
            "conclusion": conclusion(verdicts, self.spec.synthetic),
            "counts": summary_counts(verdicts[verdicts["kind"] != WITNESS]),  # the authors' code on our bytes never sets the exit code
        }
        with atomic_path(self.output()["summary"].path) as tmp:
            tmp.write_text(json.dumps(summary, indent=2, sort_keys=True) + "\n")
        markdown, html = render_report(data, lambda relative: (root / relative).read_bytes())
        with atomic_path(self.output()["md"].path) as tmp:
            tmp.write_text(markdown)
        with atomic_path(self.output()["html"].path) as tmp:
            tmp.write_text(html)

    def inputs_records(self) -> dict[str, dict]:
        """Per input: url, sha256, git blob, status (the reason when missing), rows left out, as inputs.json holds them."""
        locked = {k: record.sha256 for k, record in read_lock(lock_path(self.settings)).items()}
        losses = self._row_losses()
        records = {}
        for status in self.inputs_status():
            entry = status.task.entry()
            record = {
                "url": entry.location,
                "sha256": entry.sha256 or locked.get(entry.id, "") or status.sha256,
                "git_blob": entry.git_blob,
                "status": "available" if status.available else "missing",
            }
            if entry.fileset:
                record["files"] = len(entry.members)
                record["sha256"] = f"per file, in artifact/inputs/{entry.fileset}"
            if not status.available:
                record["reason"] = status.missing
            if entry.id in losses:
                loss = losses[entry.id]
                record |= {"rows": loss.rows, "rows_left_out": loss.lost, "left_out_because": loss.reason}
            records[entry.id] = record
        return records

    def _manifest_records(self) -> dict[str, dict]:
        """What the report shows of each input's manifest entry: location, git blob, files, use."""
        records = {}
        for status in self.inputs_status():
            entry = status.task.entry()
            records[entry.id] = {"url": entry.location, "git_blob": entry.git_blob, "files": len(entry.members), "used_by": entry.used_by}
        return records

    def _row_losses(self) -> dict[str, RowLosses]:
        """Input id -> the rows its snapshot loader read and left out (the records LoadSnapshot writes)."""
        tasks = [task for task in graph(self.roots()) if isinstance(task, LoadSnapshot)]
        return {loss.input_id: loss for loss in (read_losses(Path(task.output()["rows"].path)) for task in tasks)}

    def _made_by(self) -> dict[str, str]:
        """Output path -> 'tasks/<module>.py (<Task>)' of the task of this graph that writes it."""
        made = {}
        for task in graph(self.roots()):
            module = Path(sys.modules[type(task).__module__].__file__ or "").name
            for target in luigi.task.flatten(task.output()):
                if Path(target.path).is_relative_to(self.root):
                    made[self._relative(target.path)] = f"tasks/{module} ({task.task_family})"
        return made

    def _needs(self) -> dict[str, frozenset[str]]:
        """Output path -> the inputs its final task needs, over every final task of the profile (drawn or not)."""
        needs: dict[str, frozenset[str]] = {}
        for root in candidate_roots(self.spec, self.available()):
            ids = needed_inputs(root)
            for task in graph([root]):
                for target in luigi.task.flatten(task.output()):
                    if Path(target.path).is_relative_to(self.root):
                        path = self._relative(target.path)
                        needs[path] = needs.get(path, frozenset()) | ids
        return needs


def _is_table(relative: str) -> bool:
    """A table the report links: under tables/ (CSV, Markdown, LaTeX), or a figure's numbers."""
    return (relative.startswith("tables/") and relative.endswith(TABLE_SUFFIXES)) or (
        relative.startswith("figures/") and relative.endswith(".data.csv")
    )
