"""The whole pipeline of a profile: every figure and table the profile can produce."""

from __future__ import annotations

import luigi

from tasks.base import ProfileTask
from tasks.turnover import Figure6


class Reproduce(ProfileTask, luigi.WrapperTask):
    """Everything for one profile."""

    def requires(self) -> list[luigi.Task]:
        return [Figure6(profile=self.profile)]
