"""Metric 1 tasks: the preservation rate of libraries to descendants, and Figure 5.

Each runs on the model frames of one source (tasks/frames.py): `database` (PeaTMOSS) or
`listing` (a Hub listing). The source is part of every output path.
"""

from __future__ import annotations

import luigi

from artifact.profiles import Profile
from tasks.base import EARLY, FingerprintedTask
from tasks.frames import FRAME_SOURCES, ModelFrames, frame, frame_sources


class Preservation(FingerprintedTask):
    """Metric 1, both variants, from the model frames of one source."""

    priority = EARLY  # a witness child starts from it (tasks/authors_code.py)

    source = luigi.ChoiceParameter(choices=FRAME_SOURCES)

    def requires(self) -> ModelFrames:
        return ModelFrames(profile=self.profile, source=self.source)

    def output(self) -> luigi.LocalTarget:
        return self.out(f"tables/m1_preservation_{self.source}.csv")

    def run(self) -> None:
        from artifact.metrics.m1_preservation import PRESERVATION_COLUMNS, preservation
        from artifact.tables import write_table

        table = preservation(frame(self.input(), "model_libraries"), frame(self.input(), "base_links"))
        write_table(table, self.output().path, PRESERVATION_COLUMNS, sort_by=["variant", "rank"])


class Figure5(FingerprintedTask):
    """Figure 5 of one source as PNG and PDF, and its bars as a table."""

    source = luigi.ChoiceParameter(choices=FRAME_SOURCES)

    def requires(self) -> Preservation:
        return Preservation(profile=self.profile, source=self.source)

    def output(self) -> dict[str, luigi.LocalTarget]:
        stem = f"figures/fig5_preservation_{self.source}"
        return self.figure_out(stem)

    def run(self) -> None:
        from artifact.figures import fig5_preservation
        from artifact.tables import read_table, write_table

        bars = fig5_preservation.plotted_numbers(read_table(self.input().path))
        figure = fig5_preservation.figure5(bars)
        self.save_figure(figure)
        write_table(bars, self.output()["data"].path, fig5_preservation.PLOTTED_COLUMNS)



def roots(profile: Profile, available: frozenset[str]) -> list[luigi.Task]:
    """Figure 5 for each source of model frames."""
    return [Figure5(profile=profile.name, source=source) for source in frame_sources(profile)]
