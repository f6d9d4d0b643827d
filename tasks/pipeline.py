"""The whole pipeline of a profile: every task whose inputs are available.

Each task module offers `roots(profile)`: its final tasks, each with the manifest ids it needs.
`Reproduce` requires those whose inputs are all available; the others are reported UNAVAILABLE.
"""

from __future__ import annotations

from collections.abc import Callable

import luigi

from artifact.profiles import Profile, get_profile
from tasks import documentation, turnover
from tasks.base import ProfileTask

Root = tuple[luigi.Task, frozenset[str]]
ROOT_PROVIDERS: tuple[Callable[[Profile], list[Root]], ...] = (turnover.roots, documentation.roots)


def candidate_roots(profile: Profile) -> list[Root]:
    """Every final task of the profile with the inputs it needs."""
    return [root for provider in ROOT_PROVIDERS for root in provider(profile)]


class Reproduce(ProfileTask, luigi.WrapperTask):
    """Everything that can be computed for one profile from the inputs at hand."""

    available = luigi.ListParameter(description="manifest ids of the inputs verified on disk")

    def requires(self) -> list[luigi.Task]:
        have = frozenset(self.available)
        return [task for task, needs in candidate_roots(get_profile(self.profile)) if needs <= have]
