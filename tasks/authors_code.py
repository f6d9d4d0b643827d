"""The authors' code as a third witness: their scripts run on the same bytes as ours (tables/authors_code/).

Per script run and input, a comparison table (artifact/authors/witness.py COMPARISON_COLUMNS) and a
status row; `WitnessSummary` gathers the status of every script of the authors' repository (run or
not run, and why) and one summary row per comparison table, which the claims of source
`authors-code` read (AGREES / DISAGREES).
"""

from __future__ import annotations

import contextlib
import tempfile
from collections.abc import Collection, Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import luigi

from artifact.authors import witness as w
from artifact.authors.sandbox import Script
from artifact.authors.witness_cache import python_many, r_many
from artifact.profiles import Profile
from tasks.base import FingerprintedTask, InputFile
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
    """A witness run: the script's input task, and a comparison table and status row as outputs."""

    def script_input(self, known: w.Known) -> InputFile:
        return InputFile(profile=self.profile, input_id=known.input_id)

    def script(self, known: w.Known) -> Script:
        """The verified script file with its pin (the sandbox checks the bytes it copies against it)."""
        task = self.script_input(known)
        return Script(Path(task.output().path), task.entry().sha256, known.name)

    def outputs(self, stem: str) -> dict[str, luigi.LocalTarget]:
        return {"table": self.out(f"{FOLDER}/{stem}.csv"), "status": self.out(f"intermediate/authors_code/status_{stem}.csv")}

    @contextlib.contextmanager
    def scratch(self) -> Iterator[str]:
        """A temporary folder inside the profile's outputs, where the sandbox makes its boxes too: the witness
        writes nothing outside the outputs (the container test checks it; a container's /tmp may be closed)."""
        root = Path(self.out("intermediate/authors_code/scratch").path).absolute()  # the sandbox mounts it: never relative
        root.mkdir(parents=True, exist_ok=True)
        previous, tempfile.tempdir = tempfile.tempdir, str(root)
        try:
            with tempfile.TemporaryDirectory() as folder:
                yield folder
        finally:
            tempfile.tempdir = previous

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

    def run(self) -> None:
        from artifact.authors.shapes import descendants_csv
        from artifact.metrics.m3_descendants import fit_paper
        from artifact.tables import read_table

        parents = {source: _authors_variant(read_table(self.input()[source].path)) for source in self.sources()}
        labels = {source: f"m3_parents_{source} as {DESCENDANTS_CSV}" for source in self.sources()}
        with self.scratch() as folder:
            files = {}
            for source in self.sources():
                if source == INTERMEDIATE:  # the authors' own archived file, byte for byte
                    files[f"{source}/{DESCENDANTS_CSV}"] = Path(self.input()["archived"].path)
                    labels[source] = f"{DESCENDANTS_CSV} ({self.spec.input_for('m3-intermediate')})"
                else:
                    files[f"{source}/{DESCENDANTS_CSV}"] = Path(folder) / f"{source}.csv"
                    descendants_csv(Path(folder) / f"{source}.csv", parents[source])
            script = self.script(w.DESCENDENTS)
            runs = [(Script(script.path, script.sha256, f"{source}/{w.DESCENDENTS.name}"), "") for source in self.sources()]
            outcomes = dict(zip(self.sources(), python_many(runs, files, self.settings.cache_dir)))
        for source, outcome in outcomes.items():
            ours = fit_paper(parents[source]["downloads"].to_numpy(dtype="float64"), parents[source]["descendants"].to_numpy(dtype="float64"))
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

    def run(self) -> None:
        from artifact.authors.witness_peatmoss import compare_parents, compare_preservation, compare_top_parents
        from artifact.tables import read_table

        compare = {"proportion": compare_preservation, "to-downloads": compare_parents, "to-parents": compare_top_parents}
        label = (f"PeaTMOSS database ({self.spec.input_for('peatmoss')})" if self.source == DATABASE
                 else "Hub listing as a PeaTMOSS-shaped database")
        ours = {key: read_table(self.input()[f"ours:{key}"].path) for key in SQLITE_SCRIPTS}
        skipped = {key: why for key in SQLITE_SCRIPTS if (why := self._too_long(key, ours[key]))}
        keys = [key for key in SQLITE_SCRIPTS if key not in skipped]
        runs = [(self.script(SQLITE_SCRIPTS[key]), w.DRIVERS[SQLITE_SCRIPTS[key].name]) for key in keys]
        with self.scratch():
            files = {DATABASE_NAME: Path(self.input()["database"].path)}
            outcomes = dict(zip(keys, python_many(runs, files, self.settings.cache_dir, folders=(FIGURES,)) if runs else []))
        for key, known in SQLITE_SCRIPTS.items():
            if key in skipped:  # decided from the sizes, not the clock, so that the outputs are the same on any machine
                self.write([], {"script": known.name, "input": label, "status": "not run", "reason": skipped[key]}, self.output()[key])
                continue
            outcome = outcomes[key]
            theirs = w.frame(outcome.values.get("metric"))
            rows = [] if theirs.empty else compare[key](known.name, label, ours[key], theirs)
            error = outcome.values.get("main_error", "")
            note = "" if "main_error" not in outcome.values else f"main() ran unchanged and stopped: {error}" if error else "main() ran unchanged"
            self.write(rows, w.status_row(known, label, outcome, note), self.output()[key])

    def _too_long(self, key: str, ours: pd.DataFrame) -> str:
        """Why the script is not run on this database (empty: it is): its cost from the table sizes."""
        from artifact.loaders.sqlite import open_readonly
        from artifact.metrics.m3_descendants import DESCENDANT_DOWNLOADS

        if key != "to-downloads":
            return ""
        bases = int((ours["variant"] == DESCENDANT_DOWNLOADS).sum())
        connection = open_readonly(Path(self.input()["database"].path))
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

    def run(self) -> None:
        from artifact.authors.shapes import score_csv
        from artifact.metrics.m4_documentation import MEASURES
        from artifact.metrics.stats import compare_greater

        groups, score, label = self._groups()
        script = self.script(w.ANALYSIS_R)
        measures = sorted({measure for measure, _ in groups}, key=MEASURES.index)
        with self.scratch() as folder:
            files = {}
            for (measure, group), rows in groups.items():
                files[f"{measure}/{group}_model_card_scores.csv"] = Path(folder) / f"{measure}_{group}.csv"
                score_csv(Path(folder) / f"{measure}_{group}.csv", rows, score)
            runs = [(Script(script.path, script.sha256, f"{measure}/{w.ANALYSIS_R.name}"), w.r_values(measure)) for measure in measures]
            outcomes = dict(zip(measures, r_many(runs, files, self.settings.cache_dir)))
        rows = []
        for measure, outcome in outcomes.items():
            if not outcome.values:  # not run at all (no Rscript): no rows, the claim is UNAVAILABLE
                continue
            ours = compare_greater(groups[measure, "top"][score], groups[measure, "bottom"][score])
            rows += w.compare_welch(w.ANALYSIS_R.name, label.format(measure=measure), measure, ours, outcome.values)
        reasons = sorted({outcome.reason for outcome in outcomes.values()})
        note = "run once per measure on that measure's groups (its 1:1000 keeps them all); Holm and Cohen's d not compared"
        status = w.status_row(w.ANALYSIS_R, label.format(measure="each measure"), next(iter(outcomes.values())), note)
        self.write(rows, status | {"reason": "; ".join([*filter(None, reasons), note])})

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
