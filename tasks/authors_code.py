"""The authors' code as a third witness: their scripts run on the same bytes as ours (tables/authors_code/).

Per script run and input, a comparison table (artifact/authors/witness.py COMPARISON_COLUMNS) and a
status row; `WitnessSummary` gathers the status of every script of the authors' repository (run or
not run, and why) and one summary row per comparison table, which the claims of source
`authors-code` read (AGREES / DISAGREES).
"""

from __future__ import annotations

import contextlib
import functools
import shutil
import tempfile
from collections.abc import Collection, Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import luigi

from artifact.atomic import scratch_prefix
from artifact.authors import early
from artifact.authors import witness as w
from artifact.authors.sandbox import Outcome, Script
from artifact.authors.witness_cache import Job, outcomes, python_job, r_job
from artifact.profiles import Profile
from tasks.base import EARLY, LATE, FingerprintedTask, InputFile
from tasks.frames import DATABASE, LISTING, ModelFrames, frame_sources
from tasks.m1_preservation import Preservation
from tasks.m3_descendants import INTERMEDIATE, ParentPopularity, TopParents
from tasks.m4_documentation import CARD_SAMPLE_FRACTION, CardSampleStatistics, DocumentationScores

if TYPE_CHECKING:
    import pandas as pd

FOLDER = "tables/authors_code"
SUMMARY_COLUMNS = ("table", "input", "comparisons", "disagreements", "largest_relative_difference", "tolerance", "verdict")
DESCENDANTS_CSV = "number_of_direct_descendant_models_per_download.csv"
DATABASE_NAME = "research_quantitative-analysis-of-hf-main/data/peatmoss.db"  # ../data/peatmoss.db from src/
FIGURES = "research_quantitative-analysis-of-hf-main/src/figs"
SQLITE_SCRIPTS = {"proportion": w.PROPORTION, "to-downloads": w.TO_DOWNLOADS, "to-parents": w.TO_PARENTS}
MERGE_BUDGET = 10**9  # row operations of number_DirectDescendantsToDownloads.py's per-base merges (minutes beyond)
SCORE = "documentation_score"  # the paper's documentation score (Metric 4's variant `paper`)


class WitnessTask(FingerprintedTask):
    """A witness run: the script's input task, and a comparison table and status row as outputs.

    Its child is a `job` staged from the task's inputs and its outcomes are `judge`d against ours. It runs
    after every other task it can (LATE): with one Luigi worker the run starts the same job early, in the
    background, once the task's inputs are complete (`start_job_early`), and the task takes its outcomes.
    """

    priority = LATE

    def job(self, folder: Path) -> Job | None:
        """The sandboxed child to run, its files staged in `folder` (None: nothing to run)."""
        raise NotImplementedError

    def judge(self, found: list[Outcome]) -> None:
        """Compare the job's outcomes with ours; write the comparison tables and status rows."""
        raise NotImplementedError

    def run(self) -> None:
        with self.scratch() as folder:
            job = self.job(Path(folder))
            found = outcomes(job, self.settings.cache_dir) if job else []
        self.judge(found)

    def start_job_early(self) -> None:
        """Stage the job in a folder of its own and start it in the background (`early`); the task takes its outcomes."""
        folder = Path(tempfile.mkdtemp(prefix=scratch_prefix("early"), dir=self.scratch_root()))
        cleanup = functools.partial(shutil.rmtree, folder, ignore_errors=True)
        try:
            job = self.job(folder)
        except Exception:  # noqa: BLE001 -- the task stages it again when it runs, and meets the error there
            job = None
        if job is None:
            cleanup()
            return
        early.start(job, self.settings.cache_dir, cleanup)

    def script_input(self, known: w.Known) -> InputFile:
        return InputFile(profile=self.profile, input_id=known.input_id)

    def script(self, known: w.Known) -> Script:
        """The verified script file with its pin (the sandbox checks the bytes it copies against it)."""
        task = self.script_input(known)
        return Script(Path(task.output().path), task.entry().sha256, known.name)

    def outputs(self, stem: str) -> dict[str, luigi.LocalTarget]:
        return {"table": self.out(f"{FOLDER}/{stem}.csv"), "status": self.out(f"intermediate/authors_code/status_{stem}.csv")}

    def scratch_root(self) -> Path:
        """The folder inside the profile's outputs where the witness stages files and the sandbox makes its boxes: the
        witness writes nothing outside the outputs (the container test checks it; a container's /tmp may be closed)."""
        root = Path(self.out("intermediate/authors_code/scratch").path).absolute()  # the sandbox mounts it: never relative
        root.mkdir(parents=True, exist_ok=True)
        return root

    @contextlib.contextmanager
    def scratch(self) -> Iterator[str]:
        """A temporary folder in `scratch_root`, removed afterwards."""
        with tempfile.TemporaryDirectory(prefix=scratch_prefix("stage"), dir=self.scratch_root()) as folder:
            yield folder

    def pairs(self) -> list[dict[str, luigi.LocalTarget]]:
        """Each comparison table with its status row (one pair per script run)."""
        return [self.output()]

    def write(self, rows: list[dict], status: dict, targets: dict[str, luigi.LocalTarget] | None = None) -> None:
        import pandas as pd

        from artifact.tables import write_table

        targets = targets or self.output()
        write_table(pd.DataFrame(rows, columns=list(w.COMPARISON_COLUMNS)), targets["table"].path, w.COMPARISON_COLUMNS)
        write_table(pd.DataFrame([status], columns=list(w.STATUS_COLUMNS)), targets["status"].path, w.STATUS_COLUMNS)


class Descendents(WitnessTask):
    """descendents.py on the Metric 3 table of each source in its CSV shape: slope, intercept, rows kept.

    One child runs it once per source, each from a folder of its own holding that source's CSV.
    """

    source_list = luigi.ListParameter(description="the Metric 3 sources (of m3_sources) whose inputs are available")

    def sources(self) -> list[str]:
        return list(self.source_list)

    def requires(self) -> dict[str, luigi.Task]:
        found: dict[str, luigi.Task] = {"script": self.script_input(w.DESCENDENTS)}
        found |= {source: ParentPopularity(profile=self.profile, source=source) for source in self.sources()}
        if INTERMEDIATE in self.sources():
            found["archived"] = self.input_file("m3-intermediate")
        return found

    def output(self) -> dict[str, dict[str, luigi.LocalTarget]]:
        return {source: self.outputs(f"m3_descendents_{source}") for source in self.sources()}

    def pairs(self) -> list[dict[str, luigi.LocalTarget]]:
        return list(self.output().values())

    def labels(self) -> dict[str, str]:
        """What each source's run read, for the tables."""
        return {source: f"{DESCENDANTS_CSV} ({self.spec.input_for('m3-intermediate')})" if source == INTERMEDIATE
                else f"m3_parents_{source} as {DESCENDANTS_CSV}" for source in self.sources()}

    def parents(self, source: str) -> pd.DataFrame:
        """Our per-base rows of `source` in the authors' popularity variant."""
        from artifact.tables import read_table

        return _authors_variant(read_table(self.input()[source].path))

    def job(self, folder: Path) -> Job:
        from artifact.authors.shapes import descendants_csv

        files = {}
        for source in self.sources():
            if source == INTERMEDIATE:  # the authors' own archived file, byte for byte
                files[f"{source}/{DESCENDANTS_CSV}"] = Path(self.input()["archived"].path)
            else:
                files[f"{source}/{DESCENDANTS_CSV}"] = folder / f"{source}.csv"
                descendants_csv(folder / f"{source}.csv", self.parents(source))
        script = self.script(w.DESCENDENTS)
        runs = [(Script(script.path, script.sha256, f"{source}/{w.DESCENDENTS.name}"), "") for source in self.sources()]
        return python_job(runs, files, where=self.scratch_root())

    def judge(self, found: list[Outcome]) -> None:
        from artifact.metrics.m3_descendants import fit_paper

        labels = self.labels()
        for source, outcome in zip(self.sources(), found):
            parents = self.parents(source)
            ours = fit_paper(parents["downloads"].to_numpy(dtype="float64"), parents["descendants"].to_numpy(dtype="float64"))
            rows = w.compare_fit(w.DESCENDENTS.name, labels[source], ours, outcome.values)
            self.write(rows, w.status_row(w.DESCENDENTS, labels[source], outcome), self.output()[source])


def _authors_variant(parents: pd.DataFrame) -> pd.DataFrame:
    """The per-base rows of the authors' popularity variant (descendants' downloads)."""
    from artifact.metrics.m3_descendants import DESCENDANT_DOWNLOADS

    return parents[parents["variant"] == DESCENDANT_DOWNLOADS]


def m3_sources(profile: Profile) -> list[str]:
    """The Metric 3 sources of the profile: its model frames, and the authors' intermediate table when it has one."""
    return frame_sources(profile) + ([INTERMEDIATE] if profile.input_for("m3-intermediate") else [])


class PeatmossShape(FingerprintedTask):
    """The Hub listing's model frames as a PeaTMOSS-shaped SQLite file (the authors' scripts read it)."""

    priority = EARLY  # a witness child starts from it

    def requires(self) -> ModelFrames:
        return ModelFrames(profile=self.profile, source=LISTING)

    def output(self) -> luigi.LocalTarget:
        return self.out("intermediate/authors_code/peatmoss_listing.db")

    def run(self) -> None:
        import pandas as pd

        from artifact.authors.shapes import write_peatmoss_shape

        frames = {name: pd.read_parquet(self.input()[name].path) for name in ("models", "model_libraries", "base_links")}
        write_peatmoss_shape(Path(self.output().path), frames["models"], frames["model_libraries"], frames["base_links"])


class SqliteWitness(WitnessTask):
    """The authors' three PeaTMOSS scripts on the database of one source, against our tables.

    They run one after the other in one child (their imports paid once), each unchanged.
    """

    source = luigi.ChoiceParameter(choices=(DATABASE, LISTING))

    def requires(self) -> dict[str, luigi.Task]:
        database = self.input_file("peatmoss") if self.source == DATABASE else PeatmossShape(profile=self.profile)
        found: dict[str, luigi.Task] = {"database": database}
        for key, known in SQLITE_SCRIPTS.items():
            found[f"script:{key}"] = self.script_input(known)
            found[f"ours:{key}"] = OURS[key](profile=self.profile, source=self.source)
        return found

    def output(self) -> dict[str, dict[str, luigi.LocalTarget]]:
        return {key: self.outputs(f"{key.replace('-', '_')}_{self.source}") for key in SQLITE_SCRIPTS}

    def pairs(self) -> list[dict[str, luigi.LocalTarget]]:
        return list(self.output().values())

    def label(self) -> str:
        """What the scripts read, for the tables."""
        return f"PeaTMOSS database ({self.spec.input_for('peatmoss')})" if self.source == DATABASE else "Hub listing as a PeaTMOSS-shaped database"

    def skipped(self) -> dict[str, str]:
        """The scripts not run on this database, with why: decided from the sizes, not the clock, so that the outputs are
        the same on any machine."""
        from artifact.tables import read_table

        why = _too_long(read_table(self.input()["ours:to-downloads"].path), Path(self.input()["database"].path))
        return {"to-downloads": why} if why else {}

    def job(self, folder: Path) -> Job | None:
        keys = [key for key in SQLITE_SCRIPTS if key not in self.skipped()]
        runs = [(self.script(SQLITE_SCRIPTS[key]), w.DRIVERS[SQLITE_SCRIPTS[key].name]) for key in keys]
        files = {DATABASE_NAME: Path(self.input()["database"].path)}
        return python_job(runs, files, folders=(FIGURES,), where=self.scratch_root()) if runs else None

    def judge(self, found: list[Outcome]) -> None:
        from artifact.authors.witness_peatmoss import compare_parents, compare_preservation, compare_top_parents
        from artifact.tables import read_table

        compare = {"proportion": compare_preservation, "to-downloads": compare_parents, "to-parents": compare_top_parents}
        label, skipped = self.label(), self.skipped()
        ran = dict(zip([key for key in SQLITE_SCRIPTS if key not in skipped], found))
        for key, known in SQLITE_SCRIPTS.items():
            if key in skipped:
                self.write([], {"script": known.name, "input": label, "status": "not run", "reason": skipped[key]}, self.output()[key])
                continue
            outcome = ran[key]
            theirs = w.frame(outcome.values.get("metric"))
            rows = [] if theirs.empty else compare[key](known.name, label, read_table(self.input()[f"ours:{key}"].path), theirs)
            error = outcome.values.get("main_error", "")
            note = "" if "main_error" not in outcome.values else f"main() ran unchanged and stopped: {error}" if error else "main() ran unchanged"
            self.write(rows, w.status_row(known, label, outcome, note), self.output()[key])


def _too_long(parents: pd.DataFrame, database: Path) -> str:
    """Why number_DirectDescendantsToDownloads.py is not run on `database` (empty: it is): its cost from the table sizes."""
    from artifact.loaders.sqlite import open_readonly
    from artifact.metrics.m3_descendants import DESCENDANT_DOWNLOADS

    bases = int((parents["variant"] == DESCENDANT_DOWNLOADS).sum())
    connection = open_readonly(database)
    try:
        models = int(connection.execute('SELECT COUNT(*) FROM "model"').fetchone()[0])
    finally:
        connection.close()
    if bases * models <= MERGE_BUDGET:
        return ""
    return (f"not run: its computeMetric merges the {models}-row model table once per base model ({bases}), "
            f"{bases * models:.2g} row operations, over the witness's budget of {MERGE_BUDGET:.0e}")


OURS = {"proportion": Preservation, "to-downloads": ParentPopularity, "to-parents": TopParents}


class AnalysisR(WitnessTask):
    """analysis.r (Rscript) on our top and bottom groups of each measure: t, df and one-sided p.

    One Rscript sources it once per measure, each from a folder holding that measure's two groups (its
    `1:1000` keeps them all), so its test of that measure is ours; Holm and Cohen's d are not compared.
    The groups are Metric 4's (documentation score) or, for a card sample, the top and bottom third by
    the deterministic card score (its CSV has no downstream repositories: NA).
    """

    def requires(self) -> dict[str, luigi.Task]:
        scores = DocumentationScores(profile=self.profile) if self.spec.input_for("cards-top") else CardSampleStatistics(profile=self.profile)
        return {"script": self.script_input(w.ANALYSIS_R), "scores": scores}

    def output(self) -> dict[str, luigi.LocalTarget]:
        return self.outputs("m4_analysis_r")

    def job(self, folder: Path) -> Job:
        from artifact.authors.shapes import score_csv

        groups, score, _ = self._groups()
        files = {}
        for (measure, group), rows in groups.items():
            files[f"{measure}/{group}_model_card_scores.csv"] = folder / f"{measure}_{group}.csv"
            score_csv(folder / f"{measure}_{group}.csv", rows, score)
        script = self.script(w.ANALYSIS_R)
        runs = [(Script(script.path, script.sha256, f"{measure}/{w.ANALYSIS_R.name}"), w.r_values(measure)) for measure in self._measures(groups)]
        return r_job(runs, files, where=self.scratch_root())

    def judge(self, found: list[Outcome]) -> None:
        from artifact.metrics.stats import compare_greater

        groups, score, label = self._groups()
        ran = dict(zip(self._measures(groups), found))
        rows = []
        for measure, outcome in ran.items():
            if not outcome.values:  # not run at all (no Rscript): no rows, the claim is UNAVAILABLE
                continue
            ours = compare_greater(groups[measure, "top"][score], groups[measure, "bottom"][score])
            rows += w.compare_welch(w.ANALYSIS_R.name, label.format(measure=measure), measure, ours, outcome.values)
        reasons = sorted({outcome.reason for outcome in ran.values()})
        note = "run once per measure on that measure's groups (its 1:1000 keeps them all); Holm and Cohen's d not compared"
        status = w.status_row(w.ANALYSIS_R, label.format(measure="each measure"), next(iter(ran.values())), note)
        self.write(rows, status | {"reason": "; ".join([*filter(None, reasons), note])})

    @staticmethod
    def _measures(groups: dict[tuple[str, str], pd.DataFrame]) -> list[str]:
        """The measures of `groups`, in Metric 4's order."""
        from artifact.metrics.m4_documentation import MEASURES

        return sorted({measure for measure, _ in groups}, key=MEASURES.index)

    def _groups(self) -> tuple[dict[tuple[str, str], pd.DataFrame], str, str]:
        """Our groups per (measure, top | bottom), the score column they are compared on, and a label."""
        from artifact.metrics.m4_documentation import CARD_SAMPLE_MEASURES, MEASURES, card_sample_groups
        from artifact.tables import read_table

        if self.spec.input_for("cards-top"):
            scores = read_table(self.input()["scores"]["scores"].path)
            groups = {(m, g): scores[scores[f"group_{m}"] == g] for m in MEASURES for g in ("top", "bottom")}
            return groups, SCORE, f"m4_scores groups by {{measure}} ({SCORE}) as top/bottom_model_card_scores.csv"
        scores = read_table(self.input()["scores"]["scores"].path).assign(num_downstream_repos=float("nan"))
        groups = {}
        for measure in CARD_SAMPLE_MEASURES:
            groups[measure, "top"], groups[measure, "bottom"] = card_sample_groups(scores, measure, CARD_SAMPLE_FRACTION)
        return groups, "score", "m4_card_scores thirds by {measure} (deterministic card score) as top/bottom_model_card_scores.csv"


class WitnessSummary(FingerprintedTask):
    """Every script's status (run or not, and why) and one summary row per comparison table."""

    priority = LATE  # after the witness tasks

    runs = luigi.ListParameter(description="the witness runs whose inputs are available (keys of `candidate_runs`)")

    def requires(self) -> list[WitnessTask]:
        return witness_tasks(self.spec, self.runs)

    def output(self) -> dict[str, luigi.LocalTarget]:
        return {"status": self.out(f"{FOLDER}/status.csv"), "summary": self.out(f"{FOLDER}/summary.csv")}

    def run(self) -> None:
        import pandas as pd

        from artifact.tables import read_table, write_table

        status = [read_table(pair["status"].path) for task in self.requires() for pair in task.pairs()]
        ran = {name for table in status for name in table["script"]}
        status.append(pd.DataFrame([w.status_row(k, "", None) for k in w.INVENTORY if k.not_run and k.name not in ran],
                                   columns=list(w.STATUS_COLUMNS)))
        missing = [row for key, task in candidate_runs(self.spec).items() if key not in self.runs for row in _unavailable(key, task)]
        status.append(pd.DataFrame(missing, columns=list(w.STATUS_COLUMNS)))
        write_table(pd.concat(status, ignore_index=True), self.output()["status"].path, w.STATUS_COLUMNS, sort_by=["script", "input"])
        rows = [_summary(pair["table"], read_table(pair["table"].path)) for task in self.requires() for pair in task.pairs()]
        write_table(pd.DataFrame(rows, columns=list(SUMMARY_COLUMNS)), self.output()["summary"].path, SUMMARY_COLUMNS)


def candidate_runs(profile: Profile) -> dict[str, WitnessTask]:
    """Every witness run the profile could make, by key, each as a task on its own (to find its inputs)."""
    found: dict[str, WitnessTask] = {f"descendents/{s}": Descendents(profile=profile.name, source_list=[s]) for s in m3_sources(profile)}
    found |= {f"sqlite/{s}": SqliteWitness(profile=profile.name, source=s) for s in frame_sources(profile)}
    if (profile.input_for("cards-top") and profile.input_for("peatmoss")) or profile.input_for("cards"):
        found["analysis-r"] = AnalysisR(profile=profile.name)
    return found


def witness_tasks(profile: Profile, runs: Collection[str]) -> list[WitnessTask]:
    """The tasks making the runs `runs` (descendents.py's sources together, in one child)."""
    chosen = {key: task for key, task in candidate_runs(profile).items() if key in runs}
    sources = [s for s in m3_sources(profile) if f"descendents/{s}" in chosen]
    together: list[WitnessTask] = [Descendents(profile=profile.name, source_list=sources)] if sources else []
    return together + [task for key, task in chosen.items() if not key.startswith("descendents/")]


def _unavailable(key: str, task: WitnessTask) -> list[dict]:
    """The status rows of a run whose inputs are not at hand."""
    from tasks.graph import needed_inputs  # tasks.graph imports this module

    missing = sorted(i for i in needed_inputs(task) if not InputFile(profile=task.profile, input_id=i).complete())
    scripts = {Descendents: [w.DESCENDENTS], AnalysisR: [w.ANALYSIS_R]}.get(type(task), list(SQLITE_SCRIPTS.values()))
    return [{"script": known.name, "input": key, "status": "not run", "reason": f"input not at hand: {', '.join(missing)}"}
            for known in scripts]


def _summary(target: luigi.LocalTarget, table: pd.DataFrame) -> dict:
    """One comparison table in a row: how many numbers, how many disagree, the largest difference."""
    stem = Path(target.path).stem
    disagreements = int((table["verdict"] == w.DISAGREES).sum()) if len(table) else float("nan")  # NaN: the claim is UNAVAILABLE
    verdict = "NOT RUN (status.csv says why)" if table.empty else (w.AGREES if disagreements == 0 else w.DISAGREES)
    return {"table": stem, "input": "; ".join(sorted(set(table["input"].astype(str)))), "comparisons": len(table),
            "disagreements": disagreements, "largest_relative_difference": table["difference"].max() if len(table) else float("nan"),
            "tolerance": "; ".join(sorted(set(table["tolerance"].astype(str)))), "verdict": verdict}


def roots(profile: Profile, available: frozenset[str]) -> list[luigi.Task]:
    """The witness's summary over the runs whose inputs are available; with none, its status still says why each script did not run."""
    from tasks.graph import needed_inputs  # tasks.graph imports this module

    return [WitnessSummary(profile=profile.name, runs=[key for key, task in candidate_runs(profile).items() if needed_inputs(task) <= available])]


@luigi.Task.event_handler(luigi.Event.DEPENDENCY_DISCOVERED)
def _start_when_ready(task: luigi.Task, _dependency: luigi.Task) -> None:
    """A witness task to run: its job starts early once its inputs are complete (when the run enabled `early`)."""
    if isinstance(task, WitnessTask) and early.active():
        early.expect(task.task_id, [dependency.task_id for dependency in task.deps()], task.start_job_early)


@luigi.Task.event_handler(luigi.Event.DEPENDENCY_PRESENT)
@luigi.Task.event_handler(luigi.Event.SUCCESS)
def _note_complete(task: luigi.Task) -> None:
    """A task found complete or just run: a witness job waiting for it may start."""
    early.done(task.task_id)
