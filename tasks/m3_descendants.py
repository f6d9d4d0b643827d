"""Metric 3 tasks: descendants against popularity, their fits, and Figure 7.

Each runs on the model frames of one source (tasks/frames.py): `database` (PeaTMOSS) or
`listing` (a Hub listing), and also on `intermediate`, the authors' archived
`downloads,count` table, so that its fits can be checked when only that table is at hand. The
source is part of every output path.
"""

from __future__ import annotations

from pathlib import Path

import luigi

from artifact.profiles import Profile
from tasks.base import EARLY, FingerprintedTask
from tasks.frames import DATABASE, FRAME_SOURCES, LISTING, ModelFrames, frame, frame_sources

INTERMEDIATE = "intermediate"
M3_SOURCES = FRAME_SOURCES + (INTERMEDIATE,)
SOURCE_TITLES = {DATABASE: "PeaTMOSS database", INTERMEDIATE: "authors' intermediate table", LISTING: "Hub listing"}


class TopParents(FingerprintedTask):
    """The parent models with the most direct descendants, from the model frames of one source."""

    priority = EARLY  # a witness child starts from it (tasks/authors_code.py)

    source = luigi.ChoiceParameter(choices=FRAME_SOURCES)

    def requires(self) -> ModelFrames:
        return ModelFrames(profile=self.profile, source=self.source)

    def output(self) -> luigi.LocalTarget:
        return self.out(f"tables/m3_top_parents_{self.source}.csv")

    def run(self) -> None:
        from artifact.metrics.m3_descendants import TOP_PARENT_COLUMNS, top_parents
        from artifact.tables import write_table

        write_table(top_parents(frame(self.input(), "base_links")), self.output().path, TOP_PARENT_COLUMNS)


class ParentPopularity(FingerprintedTask):
    """Per base model: descendants and downloads, per popularity variant, from one source."""

    priority = EARLY  # a witness child starts from it (tasks/authors_code.py)

    source = luigi.ChoiceParameter(choices=M3_SOURCES)

    def requires(self) -> luigi.Task:
        if self.source == INTERMEDIATE:
            return self.input_file("m3-intermediate")
        return ModelFrames(profile=self.profile, source=self.source)

    def output(self) -> luigi.LocalTarget:
        return self.out(f"tables/m3_parents_{self.source}.csv")

    def run(self) -> None:
        from artifact.loaders.descendants_csv import load_descendants_csv
        from artifact.metrics.m3_descendants import DESCENDANT_DOWNLOADS, PARENT_COLUMNS, parent_popularity
        from artifact.tables import write_table

        if self.source == INTERMEDIATE:  # the authors' table has no names; its popularity is the descendants' downloads
            table = load_descendants_csv(Path(self.input().path)).assign(variant=DESCENDANT_DOWNLOADS, base_model="")
        else:
            table = parent_popularity(frame(self.input(), "models"), frame(self.input(), "base_links"))
        write_table(table, self.output().path, PARENT_COLUMNS, sort_by=list(PARENT_COLUMNS))


class DescendantFits(FingerprintedTask):
    """The three fits of Metric 3 for each popularity variant of one source."""

    source = luigi.ChoiceParameter(choices=M3_SOURCES)

    def requires(self) -> ParentPopularity:
        return ParentPopularity(profile=self.profile, source=self.source)

    def output(self) -> luigi.LocalTarget:
        return self.out(f"tables/m3_fits_{self.source}.csv")

    def run(self) -> None:
        from artifact.metrics.m3_descendants import FIT_COLUMNS, descendant_fits
        from artifact.tables import read_table, write_table

        fits = descendant_fits(read_table(self.input().path)).assign(source=self.source)
        write_table(fits, self.output().path, ("source",) + FIT_COLUMNS, sort_by=["variant", "method"])


class Figure7(FingerprintedTask):
    """Figure 7 of one source (the authors' variant, with the paper's fit), and its cells as a table."""

    source = luigi.ChoiceParameter(choices=M3_SOURCES)

    def requires(self) -> dict[str, luigi.Task]:
        return {
            "parents": ParentPopularity(profile=self.profile, source=self.source),
            "fits": DescendantFits(profile=self.profile, source=self.source),
        }

    def output(self) -> dict[str, luigi.LocalTarget]:
        stem = f"figures/fig7_descendants_{self.source}"
        return self.figure_out(stem)

    def run(self) -> None:
        from artifact.figures import fig7_descendants
        from artifact.metrics.m3_descendants import DESCENDANT_DOWNLOADS, PAPER
        from artifact.tables import read_table, write_table

        parents = read_table(self.input()["parents"].path)
        fits = read_table(self.input()["fits"].path)
        fit = fits[(fits["variant"] == DESCENDANT_DOWNLOADS) & (fits["method"] == PAPER)]
        slope, intercept = (float(fit[c].iloc[0]) if len(fit) else float("nan") for c in ("slope", "intercept"))
        plotted = parents[parents["variant"] == DESCENDANT_DOWNLOADS]
        cells = fig7_descendants.histogram_cells(plotted)
        title = f"Direct descendant models per download ({SOURCE_TITLES[self.source]})"
        figure = fig7_descendants.figure7(cells, slope, intercept, title, undrawn=fig7_descendants.not_drawn(plotted))
        self.save_figure(figure)
        write_table(cells, self.output()["data"].path, fig7_descendants.PLOTTED_COLUMNS)



def roots(profile: Profile, available: frozenset[str]) -> list[luigi.Task]:
    """The top parents and Figure 7 for each source of model frames; Figure 7 of the authors'
    intermediate table when the profile has it."""
    found: list[luigi.Task] = []
    for source in frame_sources(profile):
        found += [cls(profile=profile.name, source=source) for cls in (TopParents, Figure7)]
    if profile.input_for("m3-intermediate"):
        found.append(Figure7(profile=profile.name, source=INTERMEDIATE))
    return found
