"""Metrics 1 and 3 tasks: library preservation (Figure 5) and descendants against popularity (Figure 7).

Metric 3 runs from two sources: `database` (the PeaTMOSS database) and `intermediate` (the
authors' archived `downloads,count` table), so that its fits can be checked when only the
intermediate is at hand. A third, `listing` (a Hub API listing), is wired in tasks/independent.py.
"""

from __future__ import annotations

from pathlib import Path

import luigi

from artifact.errors import InputMissingError
from artifact.figures import fig5_preservation, fig7_descendants
from artifact.figures.style import save_figure
from artifact.loaders.descendants_csv import load_descendants_csv
from artifact.loaders.peatmoss import load_base_links, load_model_libraries, load_models
from artifact.metrics.descendants import (
    DESCENDANT_DOWNLOADS,
    FIT_COLUMNS,
    PAPER,
    PARENT_COLUMNS,
    TOP_PARENT_COLUMNS,
    descendant_fits,
    parent_popularity,
    top_parents,
)
from artifact.metrics.preservation import PRESERVATION_COLUMNS, preservation
from artifact.profiles import Profile, get_profile
from artifact.tables import read_table, write_table
from tasks.base import ProfileTask

DATABASE, INTERMEDIATE, LISTING = "database", "intermediate", "listing"
SOURCES = [DATABASE, INTERMEDIATE, LISTING]
SOURCE_ROLES = {DATABASE: "peatmoss", INTERMEDIATE: "m3-intermediate"}
SOURCE_TITLES = {DATABASE: "PeaTMOSS database", INTERMEDIATE: "authors' intermediate table", LISTING: "Hub listing"}
FITS_TABLE_COLUMNS = ("source",) + FIT_COLUMNS


class PeatmossTask(ProfileTask):
    """A task that reads an input of the profile by its role."""

    def role_path(self, role: str) -> Path:
        """The verified local path of the input playing `role` in this profile."""
        input_id = get_profile(self.profile).input_for(role)
        if input_id is None:
            raise InputMissingError(f"profile {self.profile!r} names no input for the role {role!r}")
        return self.input_path(input_id)


class Preservation(PeatmossTask):
    """Metric 1, both variants, from the PeaTMOSS database."""

    def output(self) -> luigi.LocalTarget:
        return self.out("tables/m1_preservation.csv")

    def run(self) -> None:
        path = self.role_path("peatmoss")
        table = preservation(load_model_libraries(path), load_base_links(path))
        write_table(table, self.output().path, PRESERVATION_COLUMNS, sort_by=["variant", "rank"])


class Figure5(ProfileTask):
    """Figure 5 as PNG and PDF, and its bars as a table."""

    def requires(self) -> Preservation:
        return Preservation(profile=self.profile)

    def output(self) -> dict[str, luigi.LocalTarget]:
        return {kind: self.out(f"figures/fig5_preservation.{kind}") for kind in ("png", "pdf")} | {
            "data": self.out("figures/fig5_preservation.data.csv")
        }

    def run(self) -> None:
        bars = fig5_preservation.plotted_numbers(read_table(self.input().path))
        figure = fig5_preservation.figure5(bars)
        for kind in ("png", "pdf"):
            save_figure(figure, Path(self.output()[kind].path))
        write_table(bars, self.output()["data"].path, fig5_preservation.PLOTTED_COLUMNS)


class TopParents(PeatmossTask):
    """The parent models with the most direct descendants, from the PeaTMOSS database."""

    def output(self) -> luigi.LocalTarget:
        return self.out("tables/m3_top_parents.csv")

    def run(self) -> None:
        table = top_parents(load_base_links(self.role_path("peatmoss")))
        write_table(table, self.output().path, TOP_PARENT_COLUMNS)


class ParentPopularity(PeatmossTask):
    """Per base model: descendants and downloads, per popularity variant, from one source."""

    source = luigi.ChoiceParameter(choices=SOURCES)

    def output(self) -> luigi.LocalTarget:
        return self.out(f"tables/m3_parents_{self.source}.csv")

    def run(self) -> None:
        path = self.role_path(SOURCE_ROLES[self.source])
        if self.source == DATABASE:
            table = parent_popularity(load_models(path), load_base_links(path))
        else:  # the authors' table has no names; its popularity is the descendants' downloads
            table = load_descendants_csv(path).assign(variant=DESCENDANT_DOWNLOADS, base_model="")
        write_table(table, self.output().path, PARENT_COLUMNS, sort_by=list(PARENT_COLUMNS))


class DescendantFits(ProfileTask):
    """The three fits of Metric 3 for each popularity variant of one source."""

    source = luigi.ChoiceParameter(choices=SOURCES)

    def requires(self) -> ParentPopularity:
        return ParentPopularity(profile=self.profile, source=self.source)

    def output(self) -> luigi.LocalTarget:
        return self.out(f"tables/m3_fits_{self.source}.csv")

    def run(self) -> None:
        fits = descendant_fits(read_table(self.input().path)).assign(source=self.source)
        write_table(fits, self.output().path, FITS_TABLE_COLUMNS, sort_by=["variant", "method"])


class Figure7(ProfileTask):
    """Figure 7 of one source (the authors' variant, with the paper's fit), and its cells as a table."""

    source = luigi.ChoiceParameter(choices=SOURCES)

    def requires(self) -> dict[str, luigi.Task]:
        return {
            "parents": ParentPopularity(profile=self.profile, source=self.source),
            "fits": DescendantFits(profile=self.profile, source=self.source),
        }

    def output(self) -> dict[str, luigi.LocalTarget]:
        stem = f"figures/fig7_descendants_{self.source}"
        return {kind: self.out(f"{stem}.{kind}") for kind in ("png", "pdf")} | {"data": self.out(f"{stem}.data.csv")}

    def run(self) -> None:
        parents = read_table(self.input()["parents"].path)
        fits = read_table(self.input()["fits"].path)
        fit = fits[(fits["variant"] == DESCENDANT_DOWNLOADS) & (fits["method"] == PAPER)]
        slope, intercept = (float(fit[c].iloc[0]) if len(fit) else float("nan") for c in ("slope", "intercept"))
        plotted = parents[parents["variant"] == DESCENDANT_DOWNLOADS]
        cells = fig7_descendants.histogram_cells(plotted)
        title = f"Direct descendant models per download ({SOURCE_TITLES[self.source]})"
        figure = fig7_descendants.figure7(cells, slope, intercept, title, undrawn=fig7_descendants.not_drawn(plotted))
        for kind in ("png", "pdf"):
            save_figure(figure, Path(self.output()[kind].path))
        write_table(cells, self.output()["data"].path, fig7_descendants.PLOTTED_COLUMNS)


def roots(profile: Profile) -> list[tuple[luigi.Task, frozenset[str]]]:
    """Figure 5, the top parents and Figure 7 per source, each with the one input it needs."""
    found = []
    if peatmoss := profile.input_for("peatmoss"):
        found += [
            (Figure5(profile=profile.name), frozenset({peatmoss})),
            (TopParents(profile=profile.name), frozenset({peatmoss})),
            (Figure7(profile=profile.name, source=DATABASE), frozenset({peatmoss})),
        ]
    if intermediate := profile.input_for("m3-intermediate"):
        found.append((Figure7(profile=profile.name, source=INTERMEDIATE), frozenset({intermediate})))
    return found
