"""What the PeaTMOSS database holds (the paper's dataset description, Section 5.2.1), as a table."""

from __future__ import annotations

import luigi

from artifact.loaders.peatmoss_counts import COUNT_COLUMNS, dataset_counts
from artifact.profiles import Profile, get_profile
from artifact.tables import write_table
from tasks.base import ProfileTask


class PeatmossCounts(ProfileTask):
    """Models, models per hub, GitHub projects and links of the profile's PeaTMOSS database."""

    def output(self) -> luigi.LocalTarget:
        return self.out("tables/peatmoss_counts.csv")

    def run(self) -> None:
        path = self.input_path(get_profile(self.profile).input_for("peatmoss"))
        write_table(dataset_counts(path), self.output().path, COUNT_COLUMNS)


def roots(profile: Profile) -> list[tuple[luigi.Task, frozenset[str]]]:
    """The counts where the profile has a PeaTMOSS database."""
    peatmoss = profile.input_for("peatmoss")
    return [(PeatmossCounts(profile=profile.name), frozenset({peatmoss}))] if peatmoss else []
