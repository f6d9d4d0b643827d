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

from artifact.authors.notebook_tables import NOTEBOOK_TABLES
from artifact.errors import ArtifactError
from artifact.profiles import Profile
from tasks.base import LATE, FingerprintedTask
from tasks.m2_turnover import Turnover, complete_registries, in_panel_order, read_turnover

NOTEBOOK_ROLE, FIGURES_ROLE, HF_2022_ROLE = "authors-notebook", "authors-figures", "authors-hf-2022-06"
SORT_BY = {"notebook_distinct": ["registry"], "fig6_distinct_check": ["registry"]}
ARCHIVED_COLUMNS = ("input", "table", "rows", "rows_with_downloads")


class AuthorsNotebook(FingerprintedTask):
    """The notebook's printed distinct-ever counts and its Figure 6 digitised, with a self-check."""

    def requires(self) -> luigi.Task:
        return self.input_file(NOTEBOOK_ROLE)

    def output(self) -> dict[str, luigi.LocalTarget]:
        return {name: self.out(f"tables/authors/{name}.csv") for name in NOTEBOOK_TABLES}

    def run(self) -> None:
        from artifact.authors.fig6_notebook import notebook_tables
        from artifact.tables import write_table

        shown = f"turnover.ipynb ({self.spec.input_for(NOTEBOOK_ROLE)})"  # not the cache path: the same bytes anywhere
        tables = notebook_tables(Path(self.input().path), shown, self.settings.cache_dir)
        for name, target in self.output().items():
            write_table(tables[name], target.path, NOTEBOOK_TABLES[name], sort_by=SORT_BY.get(name))


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

    def start_early(self) -> None:
        """Begin reading the PDFs whose results the cache lacks, in background processes (read_figures takes them); this
        task then runs after the others that can run, which keep this process busy meanwhile."""
        from artifact.authors.figure_cache import start_reading

        try:
            folder = Path(self.input().path) if self.requires().complete() else None
        except ArtifactError:  # changed bytes: left to run(), which fails naming them
            return
        if folder is not None and start_reading(sorted(folder.glob("*.pdf")), self.settings.cache_dir):
            self.priority = LATE  # Luigi runs the task with the lowest priority last among those ready

    def run(self) -> None:
        import pandas as pd

        from artifact.authors.fig6_notebook import status_table
        from artifact.authors.figure_cache import read_figures
        from artifact.authors.notebook_tables import STATUS_COLUMNS
        from artifact.authors.pdf_figures import BAR_COLUMNS, FIGURE_COLUMNS
        from artifact.tables import write_table

        folder = Path(self.input().path)
        summaries, bars, status = [], [], []
        paths = sorted(folder.glob("*.pdf"))
        for path, figure in zip(paths, read_figures(paths, self.settings.cache_dir)):
            if isinstance(figure, ArtifactError):
                reason = str(figure).replace(str(path), path.name)
                status += [(out, path.name, "unreadable", reason) for out in ("tables/authors/pdf_figures.csv", "tables/authors/pdf_bars.csv")]
                continue
            summaries.append(figure.summary())
            bars.append(figure.bars)
            status.append(("tables/authors/pdf_bars.csv", path.name, "written", ""))
        write_table(pd.DataFrame(summaries, columns=list(FIGURE_COLUMNS)), self.output()["figures"].path, FIGURE_COLUMNS, sort_by=["figure"])
        frame = pd.concat(bars, ignore_index=True) if bars else pd.DataFrame(columns=list(BAR_COLUMNS))
        write_table(frame, self.output()["bars"].path, BAR_COLUMNS, sort_by=["figure", "position"])
        write_table(status_table(status), self.output()["status"].path, STATUS_COLUMNS)


class ArchivedInputSizes(FingerprintedTask):
    """Rows of the authors' archived HF Model Metadata file (the paper prints its size)."""

    def requires(self) -> luigi.Task:
        return self.input_file(HF_2022_ROLE)

    def output(self) -> luigi.LocalTarget:
        return self.out("tables/authors/archived_inputs.csv")

    def run(self) -> None:
        import pandas as pd

        from artifact.loaders.sqlite import open_readonly, require_columns
        from artifact.tables import write_table

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
        from artifact.authors.compare import COMPARISON_COLUMNS, compare_turnover
        from artifact.figures.fig_authors_turnover import figure_turnover_comparison
        from artifact.tables import read_table, write_table

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
