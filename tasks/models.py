"""Metrics 1 and 3 tasks: library preservation (Figure 5) and descendants against popularity (Figure 7).

Each runs on the model frames of one source (tasks/frames.py): `database` (PeaTMOSS) or
`listing` (a Hub listing). Metric 3 also runs on `intermediate`, the authors' archived
`downloads,count` table, so that its fits can be checked when only that table is at hand. The
source is part of every output path.
"""

from __future__ import annotations

from pathlib import Path

import luigi
import pandas as pd

from artifact.figures import fig5_preservation, fig7_descendants
from artifact.figures.style import save_figure
from artifact.loaders.descendants_csv import load_descendants_csv
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
from artifact.profiles import Profile
from artifact.tables import read_table, write_table
from tasks.base import FingerprintedTask
from tasks.frames import DATABASE, FRAME_SOURCES, LISTING, ModelFrames, frame_sources

INTERMEDIATE = "intermediate"
M3_SOURCES = FRAME_SOURCES + (INTERMEDIATE,)
SOURCE_TITLES = {DATABASE: "PeaTMOSS database", INTERMEDIATE: "authors' intermediate table", LISTING: "Hub listing"}
FITS_TABLE_COLUMNS = ("source",) + FIT_COLUMNS


class Preservation(FingerprintedTask):
    """Metric 1, both variants, from the model frames of one source."""

    source = luigi.ChoiceParameter(choices=FRAME_SOURCES)

    def requires(self) -> ModelFrames:
        return ModelFrames(profile=self.profile, source=self.source)

    def output(self) -> luigi.LocalTarget:
        return self.out(f"tables/m1_preservation_{self.source}.csv")

    def run(self) -> None:
        table = preservation(_frame(self.input(), "model_libraries"), _frame(self.input(), "base_links"))
        write_table(table, self.output().path, PRESERVATION_COLUMNS, sort_by=["variant", "rank"])


class Figure5(FingerprintedTask):
    """Figure 5 of one source as PNG and PDF, and its bars as a table."""

    source = luigi.ChoiceParameter(choices=FRAME_SOURCES)

    def requires(self) -> Preservation:
        return Preservation(profile=self.profile, source=self.source)

    def output(self) -> dict[str, luigi.LocalTarget]:
        stem = f"figures/fig5_preservation_{self.source}"
        return {kind: self.out(f"{stem}.{kind}") for kind in ("png", "pdf")} | {"data": self.out(f"{stem}.data.csv")}

    def run(self) -> None:
        bars = fig5_preservation.plotted_numbers(read_table(self.input().path))
        figure = fig5_preservation.figure5(bars)
        for kind in ("png", "pdf"):
            save_figure(figure, Path(self.output()[kind].path))
        write_table(bars, self.output()["data"].path, fig5_preservation.PLOTTED_COLUMNS)


class TopParents(FingerprintedTask):
    """The parent models with the most direct descendants, from the model frames of one source."""

    source = luigi.ChoiceParameter(choices=FRAME_SOURCES)

    def requires(self) -> ModelFrames:
        return ModelFrames(profile=self.profile, source=self.source)

    def output(self) -> luigi.LocalTarget:
        return self.out(f"tables/m3_top_parents_{self.source}.csv")

    def run(self) -> None:
        write_table(top_parents(_frame(self.input(), "base_links")), self.output().path, TOP_PARENT_COLUMNS)


class ParentPopularity(FingerprintedTask):
    """Per base model: descendants and downloads, per popularity variant, from one source."""

    source = luigi.ChoiceParameter(choices=M3_SOURCES)

    def requires(self) -> luigi.Task:
        if self.source == INTERMEDIATE:
            return self.input_file("m3-intermediate")
        return ModelFrames(profile=self.profile, source=self.source)

    def output(self) -> luigi.LocalTarget:
        return self.out(f"tables/m3_parents_{self.source}.csv")

    def run(self) -> None:
        if self.source == INTERMEDIATE:  # the authors' table has no names; its popularity is the descendants' downloads
            table = load_descendants_csv(Path(self.input().path)).assign(variant=DESCENDANT_DOWNLOADS, base_model="")
        else:
            table = parent_popularity(_frame(self.input(), "models"), _frame(self.input(), "base_links"))
        write_table(table, self.output().path, PARENT_COLUMNS, sort_by=list(PARENT_COLUMNS))


class DescendantFits(FingerprintedTask):
    """The three fits of Metric 3 for each popularity variant of one source."""

    source = luigi.ChoiceParameter(choices=M3_SOURCES)

    def requires(self) -> ParentPopularity:
        return ParentPopularity(profile=self.profile, source=self.source)

    def output(self) -> luigi.LocalTarget:
        return self.out(f"tables/m3_fits_{self.source}.csv")

    def run(self) -> None:
        fits = descendant_fits(read_table(self.input().path)).assign(source=self.source)
        write_table(fits, self.output().path, FITS_TABLE_COLUMNS, sort_by=["variant", "method"])


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


def _frame(targets: dict[str, luigi.LocalTarget], name: str) -> pd.DataFrame:
    """One of the model frames written by ModelFrames."""
    return pd.read_parquet(targets[name].path)


def roots(profile: Profile, available: frozenset[str]) -> list[luigi.Task]:
    """Figure 5, the top parents and Figure 7 for each source of model frames; Figure 7 of the
    authors' intermediate table when the profile has it."""
    found: list[luigi.Task] = []
    for source in frame_sources(profile):
        found += [cls(profile=profile.name, source=source) for cls in (Figure5, TopParents, Figure7)]
    if profile.input_for("m3-intermediate"):
        found.append(Figure7(profile=profile.name, source=INTERMEDIATE))
    return found
