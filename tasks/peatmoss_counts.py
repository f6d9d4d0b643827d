"""What the PeaTMOSS database holds (the paper's dataset description, Section 5.2.1), as a table."""

from __future__ import annotations

from pathlib import Path

import luigi

from artifact.profiles import Profile
from tasks.base import FingerprintedTask


class PeatmossCounts(FingerprintedTask):
    """Models, models per hub, GitHub projects and links of the profile's PeaTMOSS database."""

    def requires(self) -> luigi.Task:
        return self.input_file("peatmoss")

    def output(self) -> luigi.LocalTarget:
        return self.out("tables/peatmoss_counts.csv")

    def run(self) -> None:
        from artifact.loaders.peatmoss_counts import COUNT_COLUMNS, dataset_counts
        from artifact.tables import write_table

        write_table(dataset_counts(Path(self.input().path)), self.output().path, COUNT_COLUMNS)


def roots(profile: Profile, available: frozenset[str]) -> list[luigi.Task]:
    """The counts where the profile has a PeaTMOSS database."""
    return [PeatmossCounts(profile=profile.name)] if profile.input_for("peatmoss") else []
