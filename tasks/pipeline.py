"""The whole pipeline of a profile: every task whose inputs are available.

Each task module offers `roots(profile)`: its final tasks, each with the manifest ids it needs.
The report (tasks/report.py) requires those whose inputs are all available; the claims that need
the others are reported UNAVAILABLE.
"""

from __future__ import annotations

from collections.abc import Callable

import luigi

from artifact.profiles import Profile
from tasks import authors, datasets, documentation, dropoff, independent, peatmoss, rq1, turnover

Root = tuple[luigi.Task, frozenset[str]]
ROOT_PROVIDERS: tuple[Callable[[Profile], list[Root]], ...] = (
    turnover.roots,
    peatmoss.roots,
    documentation.roots,
    rq1.roots,
    independent.roots,
    authors.roots,
    dropoff.roots,
    datasets.roots,
)


def candidate_roots(profile: Profile) -> list[Root]:
    """Every final task of the profile with the inputs it needs."""
    return [root for provider in ROOT_PROVIDERS for root in provider(profile)]


def available_roots(profile: Profile, available: frozenset[str]) -> list[luigi.Task]:
    """The final tasks whose inputs are all in `available`."""
    return [task for task, needs in candidate_roots(profile) if needs <= available]
