"""Tasks reading the authors' archived outputs into tables under `tables/authors/`.

Each task writes a status table (`tables/authors/status_<name>.csv`: output, file, status, reason)
next to its data tables. A file that cannot be read (a cell, gridline, colour or label not found)
is listed there with the reason and its tables are not written: the claims that need them become
UNAVAILABLE with that reason, and nothing else stops.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

import luigi
import pandas as pd

from artifact.authors.fig6_digitise import TOLERANCE_PX, read_bars, self_check
from artifact.authors.notebook import read_turnover_cell
from artifact.authors.pdf_figures import BAR_COLUMNS, FIGURE_COLUMNS, read_figure
from artifact.errors import ArtifactError
from artifact.authors.compare import COMPARISON_COLUMNS, compare_turnover
from artifact.figures.fig_authors_turnover import figure_turnover_comparison
from artifact.figures.style import save_figure
from artifact.loaders.sqlite import open_readonly, require_columns
from artifact.profiles import Profile, get_profile
from artifact.tables import read_table, write_table
from tasks.base import ProfileTask
from tasks.turnover import Turnover

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


def _status(rows: list[tuple[str, str, str, str]]) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=list(STATUS_COLUMNS))


class AuthorsNotebook(ProfileTask):
    """The notebook's printed distinct-ever counts and its Figure 6 digitised, with a self-check."""

    def output(self) -> dict[str, luigi.LocalTarget]:
        return {"status": self.out("tables/authors/status_notebook.csv")}

    def _tables(self) -> dict[str, str]:
        return {name: f"tables/authors/{name}.csv" for name in ("notebook_distinct", "fig6_digitised", "fig6_selfcheck", "fig6_distinct_check")}

    def run(self) -> None:
        input_id = get_profile(self.profile).input_for(NOTEBOOK_ROLE)
        path = self.input_path(input_id)
        shown = f"turnover.ipynb ({input_id})"  # not the cache path: the same bytes on every machine
        tables = self._tables()
        try:
            cell = read_turnover_cell(path)
            names = tuple(name for name, _, _ in cell.panels)
            unknown = sorted(set(names) - set(REGISTRY_OF_PANEL))
            if unknown:
                raise ArtifactError(f"{path}: panels {unknown} are not among the registries {sorted(REGISTRY_OF_PANEL)}")
            bars = read_bars(cell.png, f"{path} (cell {cell.index}, image/png)", names, tuple(l for _, l, _ in cell.panels), FIG6_GRIDLINES)
        except ArtifactError as error:
            rows = [(out, shown, "unreadable", str(error).replace(str(path), shown)) for out in tables.values()]
            write_table(_status(rows), self.output()["status"].path, STATUS_COLUMNS)
            return
        top_k = {name: k for name, _, k in cell.panels}
        checks = self_check(bars, top_k)
        for frame in (bars, checks):
            frame.rename(columns={"panel": "registry", "category": "snapshot"}, inplace=True)
            frame["registry"] = frame["registry"].map(REGISTRY_OF_PANEL)
        distinct = cell.distinct.assign(registry=cell.distinct["registry"].map(REGISTRY_OF_PANEL))
        root = Path(self.output()["status"].path).parents[2]
        write_table(distinct, root / tables["notebook_distinct"], DISTINCT_COLUMNS, sort_by=["registry"])
        write_table(bars.assign(tolerance_px=TOLERANCE_PX), root / tables["fig6_digitised"], DIGITISED_COLUMNS)
        write_table(checks, root / tables["fig6_selfcheck"], SELFCHECK_COLUMNS)
        write_table(_distinct_check(bars, distinct, top_k), root / tables["fig6_distinct_check"], DISTINCT_CHECK_COLUMNS, sort_by=["registry"])
        rows = [(out, shown, "written", "") for out in tables.values()]
        write_table(_status(rows), self.output()["status"].path, STATUS_COLUMNS)


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


class AuthorsFigures(ProfileTask):
    """Every figure PDF of the authors: labels, titles, bar heights and annotations, marks."""

    def output(self) -> dict[str, luigi.LocalTarget]:
        return {
            "status": self.out("tables/authors/status_figures.csv"),
            "figures": self.out("tables/authors/pdf_figures.csv"),
            "bars": self.out("tables/authors/pdf_bars.csv"),
        }

    def run(self) -> None:
        folder = self.input_path(get_profile(self.profile).input_for(FIGURES_ROLE))
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


class ArchivedInputSizes(ProfileTask):
    """Rows of the authors' archived HF Model Metadata file (the paper prints its size)."""

    def output(self) -> luigi.LocalTarget:
        return self.out("tables/authors/archived_inputs.csv")

    def run(self) -> None:
        input_id = get_profile(self.profile).input_for(HF_2022_ROLE)
        path = self.input_path(input_id)
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


class AuthorsTurnoverComparison(ProfileTask):
    """The authors' digitised npm and PyPI turnover next to this profile's, with the differences."""

    def requires(self) -> dict[str, luigi.Task]:
        return {"authors": AuthorsNotebook(profile=self.profile), "ours": Turnover(profile=self.profile)}

    def output(self) -> dict[str, luigi.LocalTarget]:
        return {
            "table": self.out("tables/authors/turnover_vs_ours.csv"),
            "png": self.out("figures/authors_turnover_vs_ours.png"),
            "pdf": self.out("figures/authors_turnover_vs_ours.pdf"),
        }

    def run(self) -> None:
        digitised = Path(self.input()["authors"]["status"].path).parent / "fig6_digitised.csv"
        if not digitised.is_file():
            status = read_table(self.input()["authors"]["status"].path)
            raise ArtifactError(f"the authors' Figure 6 could not be digitised: {status['reason'].iloc[0]}")
        registries = tuple(get_profile(self.profile).registries())
        table = compare_turnover(read_table(digitised), read_table(self.input()["ours"]["turnover"].path), registries)
        write_table(table, self.output()["table"].path, COMPARISON_COLUMNS)
        figure = figure_turnover_comparison(table)
        for kind in ("png", "pdf"):
            save_figure(figure, Path(self.output()[kind].path))


def roots(profile: Profile) -> list[tuple[luigi.Task, frozenset[str]]]:
    """The notebook and figures where the profile has them; the comparison where it has its own turnover too."""
    result: list[tuple[luigi.Task, frozenset[str]]] = []
    notebook, figures, hf_2022 = (profile.input_for(role) for role in (NOTEBOOK_ROLE, FIGURES_ROLE, HF_2022_ROLE))
    if notebook:
        result.append((AuthorsNotebook(profile=profile.name), frozenset({notebook})))
        if profile.snapshots:  # its own Metric 2 beside the authors' (paired where the snapshot counts agree)
            result.append((AuthorsTurnoverComparison(profile=profile.name), frozenset({notebook}) | profile.snapshot_inputs()))
    if figures:
        result.append((AuthorsFigures(profile=profile.name), frozenset({figures})))
    if hf_2022:
        result.append((ArchivedInputSizes(profile=profile.name), frozenset({hf_2022})))
    return result
