"""Tasks reading the authors' archived outputs into tables under `tables/authors/`.

Each task writes a status table (`tables/authors/status_<name>.csv`: output, file, status, reason)
next to its data tables. A file that cannot be read (a cell, gridline, colour or label not found)
is listed there with the reason and its tables are written with their header only: the claims
that need them become UNAVAILABLE with that reason (tasks/report.py), and nothing else stops.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

import luigi
import pandas as pd

from artifact.authors.compare import COMPARISON_COLUMNS, compare_turnover
from artifact.authors.fig6_digitise import TOLERANCE_PX, read_bars, self_check
from artifact.authors.notebook import read_turnover_cell
from artifact.authors.pdf_figures import BAR_COLUMNS, FIGURE_COLUMNS, read_figure
from artifact.errors import ArtifactError
from artifact.figures.fig_authors_turnover import figure_turnover_comparison
from artifact.loaders.sqlite import open_readonly, require_columns
from artifact.profiles import Profile
from artifact.tables import read_table, write_table
from tasks.base import FingerprintedTask
from tasks.m2_turnover import Turnover, complete_registries, in_panel_order, read_turnover

STATUS_COLUMNS = ("output", "file", "status", "reason")
NOTEBOOK_ROLE, FIGURES_ROLE, HF_2022_ROLE = "authors-notebook", "authors-figures", "authors-hf-2022-06"
# The notebook's panel titles, as its code names them, and this artifact's registry ids.
REGISTRY_OF_PANEL = {"NPM": "npm", "PyPi": "pypi", "HuggingFace": "hf"}
# Read off Figure 6's tick labels (10^3 and 10^2, one gridline each): the calibration of its log axis.
FIG6_GRIDLINES = (1000.0, 100.0)
DISTINCT_COLUMNS = ("registry", "top_k", "distinct_ever", "cell")
DIGITISED_COLUMNS = ("registry", "snapshot", "series", "value", "low", "high", "below", "status", "tolerance_px")
SELFCHECK_COLUMNS = ("registry", "snapshot", "low", "high", "below_floor", "top_k", "sum_ok")
DISTINCT_CHECK_COLUMNS = ("registry", "printed", "from_bars_low", "from_bars_high", "consistent")
ARCHIVED_COLUMNS = ("input", "table", "rows", "rows_with_downloads")
NOTEBOOK_TABLES = {
    "notebook_distinct": DISTINCT_COLUMNS,
    "fig6_digitised": DIGITISED_COLUMNS,
    "fig6_selfcheck": SELFCHECK_COLUMNS,
    "fig6_distinct_check": DISTINCT_CHECK_COLUMNS,
    "status_notebook": STATUS_COLUMNS,
}


def _status(rows: list[tuple[str, str, str, str]]) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=list(STATUS_COLUMNS))


class AuthorsNotebook(FingerprintedTask):
    """The notebook's printed distinct-ever counts and its Figure 6 digitised, with a self-check."""

    def requires(self) -> luigi.Task:
        return self.input_file(NOTEBOOK_ROLE)

    def output(self) -> dict[str, luigi.LocalTarget]:
        return {name: self.out(f"tables/authors/{name}.csv") for name in NOTEBOOK_TABLES}

    def run(self) -> None:
        path = Path(self.input().path)
        shown = f"turnover.ipynb ({self.spec.input_for(NOTEBOOK_ROLE)})"  # not the cache path: the same bytes anywhere
        out = {name: target.path for name, target in self.output().items()}
        tables = [f"tables/authors/{name}.csv" for name in NOTEBOOK_TABLES if name != "status_notebook"]
        try:
            cell = read_turnover_cell(path)
            names = tuple(name for name, _, _ in cell.panels)
            unknown = sorted(set(names) - set(REGISTRY_OF_PANEL))
            if unknown:
                raise ArtifactError(f"{path}: panels {unknown} are not among the registries {sorted(REGISTRY_OF_PANEL)}")
            bars = read_bars(cell.png, f"{path} (cell {cell.index}, image/png)", names, tuple(labels for _, labels, _ in cell.panels), FIG6_GRIDLINES)
        except ArtifactError as error:
            for name, columns in NOTEBOOK_TABLES.items():
                if name != "status_notebook":
                    write_table(pd.DataFrame(columns=list(columns)), out[name], columns)
            rows = [(table, shown, "unreadable", str(error).replace(str(path), shown)) for table in tables]
            write_table(_status(rows), out["status_notebook"], STATUS_COLUMNS)
            return
        top_k = {name: k for name, _, k in cell.panels}
        checks = self_check(bars, top_k)
        for frame in (bars, checks):
            frame.rename(columns={"panel": "registry", "category": "snapshot"}, inplace=True)
            frame["registry"] = frame["registry"].map(REGISTRY_OF_PANEL)
        distinct = cell.distinct.assign(registry=cell.distinct["registry"].map(REGISTRY_OF_PANEL))
        write_table(distinct, out["notebook_distinct"], DISTINCT_COLUMNS, sort_by=["registry"])
        write_table(bars.assign(tolerance_px=TOLERANCE_PX), out["fig6_digitised"], DIGITISED_COLUMNS)
        write_table(checks, out["fig6_selfcheck"], SELFCHECK_COLUMNS)
        write_table(_distinct_check(bars, distinct, top_k), out["fig6_distinct_check"], DISTINCT_CHECK_COLUMNS, sort_by=["registry"])
        write_table(_status([(table, shown, "written", "") for table in tables]), out["status_notebook"], STATUS_COLUMNS)


def _distinct_check(bars: pd.DataFrame, distinct: pd.DataFrame, top_k: dict[str, int]) -> pd.DataFrame:
    """Distinct names ever in the top K from the bars (K plus every later snapshot's newcomers) against the printed count."""
    later = bars[(bars["series"] == "newcomers") & bars.groupby("registry")["snapshot"].transform(lambda s: s != s.iloc[0])]
    sums = later.assign(low=later["low"].fillna(0.0), high=later["high"].fillna(later["below"])).groupby("registry")[["low", "high"]].sum()
    k = pd.Series({REGISTRY_OF_PANEL[name]: value for name, value in top_k.items()})
    table = distinct.set_index("registry")[["distinct_ever"]].rename(columns={"distinct_ever": "printed"})
    table["from_bars_low"] = (k + sums["low"]).round(1)
    table["from_bars_high"] = (k + sums["high"]).round(1)
    table["consistent"] = (table["from_bars_low"] <= table["printed"]) & (table["printed"] <= table["from_bars_high"])
    return table.reset_index()


class AuthorsFigures(FingerprintedTask):
    """Every figure PDF of the authors: labels, titles, bar heights and annotations, marks."""

    def requires(self) -> luigi.Task:
        return self.input_file(FIGURES_ROLE)

    def output(self) -> dict[str, luigi.LocalTarget]:
        return {
            "status": self.out("tables/authors/status_figures.csv"),
            "figures": self.out("tables/authors/pdf_figures.csv"),
            "bars": self.out("tables/authors/pdf_bars.csv"),
        }

    def run(self) -> None:
        folder = Path(self.input().path)
        summaries, bars, status = [], [], []
        for path in sorted(folder.glob("*.pdf")):
            try:
                figure = read_figure(path)
            except ArtifactError as error:
                status += [(out, path.name, "unreadable", str(error).replace(str(path), path.name)) for out in ("tables/authors/pdf_figures.csv", "tables/authors/pdf_bars.csv")]
                continue
            summaries.append(figure.summary())
            bars.append(figure.bars)
            status.append(("tables/authors/pdf_bars.csv", path.name, "written", ""))
        write_table(pd.DataFrame(summaries, columns=list(FIGURE_COLUMNS)), self.output()["figures"].path, FIGURE_COLUMNS, sort_by=["figure"])
        frame = pd.concat(bars, ignore_index=True) if bars else pd.DataFrame(columns=list(BAR_COLUMNS))
        write_table(frame, self.output()["bars"].path, BAR_COLUMNS, sort_by=["figure", "position"])
        write_table(_status(status), self.output()["status"].path, STATUS_COLUMNS)


class ArchivedInputSizes(FingerprintedTask):
    """Rows of the authors' archived HF Model Metadata file (the paper prints its size)."""

    def requires(self) -> luigi.Task:
        return self.input_file(HF_2022_ROLE)

    def output(self) -> luigi.LocalTarget:
        return self.out("tables/authors/archived_inputs.csv")

    def run(self) -> None:
        input_id = self.spec.input_for(HF_2022_ROLE)
        path = Path(self.input().path)
        connection = open_readonly(path)
        try:
            require_columns(connection, path, "PeaTMOSS_ANCIENT", ["modelId", "downloads_last_month"])
            rows, with_downloads = connection.execute(
                'SELECT count(*), count(downloads_last_month) FROM "PeaTMOSS_ANCIENT"'
            ).fetchone()
        except sqlite3.DatabaseError as error:
            raise ArtifactError(f"{path}: cannot count the rows of PeaTMOSS_ANCIENT ({error})") from None
        finally:
            connection.close()
        table = pd.DataFrame([{"input": input_id, "table": "PeaTMOSS_ANCIENT", "rows": rows, "rows_with_downloads": with_downloads}])
        write_table(table, self.output().path, ARCHIVED_COLUMNS)


class AuthorsTurnoverComparison(FingerprintedTask):
    """The authors' digitised npm and PyPI turnover next to this profile's, with the differences."""

    registries = luigi.ListParameter(default=())  # as Figure 6's: those whose snapshots are all at hand

    def requires(self) -> dict[str, luigi.Task]:
        ours = {registry: Turnover(profile=self.profile, registry=registry) for registry in in_panel_order(self.spec, self.registries)}
        return {"authors": AuthorsNotebook(profile=self.profile), "ours": ours}

    def output(self) -> dict[str, luigi.LocalTarget]:
        return {
            "table": self.out("tables/authors/turnover_vs_ours.csv"),
            **self.figure_out("figures/authors_turnover_vs_ours", data=False),
        }

    def run(self) -> None:
        status = read_table(self.input()["authors"]["status_notebook"].path)
        if (status["status"] != "written").any():
            raise ArtifactError(f"the authors' Figure 6 could not be digitised: {status['reason'].iloc[0]}")
        digitised = read_table(self.input()["authors"]["fig6_digitised"].path)
        table = compare_turnover(digitised, read_turnover(self.input()["ours"]), tuple(self.input()["ours"]))
        write_table(table, self.output()["table"].path, COMPARISON_COLUMNS)
        figure = figure_turnover_comparison(table)
        self.save_figure(figure)


def roots(profile: Profile, available: frozenset[str]) -> list[luigi.Task]:
    """The notebook and figures where the profile has them; beside its own turnover once all its snapshots are at hand."""
    result: list[luigi.Task] = []
    if profile.input_for(NOTEBOOK_ROLE):
        result.append(AuthorsNotebook(profile=profile.name))
        if registries := complete_registries(profile, available):  # paired where the snapshot counts agree
            result.append(AuthorsTurnoverComparison(profile=profile.name, registries=registries))
    if profile.input_for(FIGURES_ROLE):
        result.append(AuthorsFigures(profile=profile.name))
    if profile.input_for(HF_2022_ROLE):
        result.append(ArchivedInputSizes(profile=profile.name))
    return result
