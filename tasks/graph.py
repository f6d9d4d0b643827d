"""The graph of a profile: its final tasks, what each needs, and the graph as Mermaid text.

Each task module offers `roots(profile, available)`: its final tasks. The inputs a root needs are
the InputFile tasks of its own dependency graph, so the report requires exactly the roots whose
inputs are all available; the claims that need the others are reported UNAVAILABLE.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

import luigi

from artifact.profiles import Profile
from tasks import (
    authors,
    authors_code,
    icse_dropoff,
    m1_preservation,
    m2_confounds,
    m2_renames,
    m2_turnover,
    m3_descendants,
    m4_correlation,
    m4_documentation,
    peatmoss_counts,
    rq1_review,
)
from tasks.base import FetchInput, InputFile

ROOT_PROVIDERS: tuple[Callable[[Profile, frozenset[str]], list[luigi.Task]], ...] = (
    m2_turnover.roots,
    m2_confounds.roots,
    m1_preservation.roots,
    m3_descendants.roots,
    m4_documentation.roots,
    m4_correlation.roots,
    rq1_review.roots,
    m2_renames.roots,
    authors.roots,
    authors_code.roots,
    icse_dropoff.roots,
    peatmoss_counts.roots,
)


def candidate_roots(profile: Profile, available: frozenset[str]) -> list[luigi.Task]:
    """Every final task of the profile (given which inputs are available)."""
    return [root for provider in ROOT_PROVIDERS for root in provider(profile, available)]


def graph(roots: Iterable[luigi.Task]) -> dict[luigi.Task, list[luigi.Task]]:
    """Every task reachable from `roots`, each with its direct requirements, in a stable order."""
    edges: dict[luigi.Task, list[luigi.Task]] = {}
    pending = list(roots)
    while pending:
        task = pending.pop()
        if task not in edges:
            edges[task] = list(luigi.task.flatten(task.requires()))
            pending += edges[task]
    return dict(sorted(edges.items(), key=lambda item: item[0].task_id))


def needed_inputs(task: luigi.Task) -> frozenset[str]:
    """The manifest ids of the InputFile tasks `task` depends on."""
    return frozenset(t.input_id for t in graph([task]) if isinstance(t, InputFile))


def available_roots(profile: Profile, available: frozenset[str]) -> list[luigi.Task]:
    """The final tasks whose inputs are all in `available`."""
    return [task for task in candidate_roots(profile, available) if needed_inputs(task) <= available]


def mermaid(root: luigi.Task) -> str:
    """The task graph under `root` as a Mermaid flowchart (requirements point at what needs them); the
    FetchInput tasks, which only bring inputs into the cache, are left out."""
    edges = {
        task: [r for r in requirements if not isinstance(r, FetchInput)]
        for task, requirements in graph([root]).items()
        if not isinstance(task, FetchInput)
    }
    names = {task: f"t{index}" for index, task in enumerate(edges)}
    lines = ["flowchart LR"]
    for task, name in names.items():
        label = str(task).replace(f"profile={root.param_kwargs.get('profile')}, ", "").replace('"', "'")
        lines.append(f'  {name}["{label}"]')
    for task, requirements in edges.items():
        lines += [f"  {names[requirement]} --> {names[task]}" for requirement in requirements]
    return "\n".join(lines) + "\n"
