"""The task graph as the report shows it: which task and module made each output, as Mermaid text.

Built from the tasks' own `requires()` and `output()`, never from a list kept by hand; no task runs.
"""

from __future__ import annotations

import sys
from collections.abc import Iterable
from pathlib import Path

import luigi


def walk(roots: Iterable[luigi.Task]) -> list[luigi.Task]:
    """Every task reachable from `roots` through `requires()`, each once, sorted by task id."""
    seen: dict[str, luigi.Task] = {}
    stack = list(roots)
    while stack:
        task = stack.pop()
        if task.task_id not in seen:
            seen[task.task_id] = task
            stack += luigi.task.flatten(task.requires())
    return [seen[key] for key in sorted(seen)]


def outputs_by_path(tasks: Iterable[luigi.Task], root: Path) -> dict[str, str]:
    """Output path relative to `root` -> 'tasks/<module>.py (<TaskFamily>)' of the task that writes it."""
    made = {}
    for task in tasks:
        module = Path(sys.modules[type(task).__module__].__file__ or "").name
        for target in luigi.task.flatten(task.output()):
            path = Path(getattr(target, "path", ""))
            if path.is_relative_to(root):
                made[str(path.relative_to(root))] = f"tasks/{module} ({task.task_family})"
    return made


def inputs_needed(candidates: Iterable[tuple[luigi.Task, frozenset[str]]], root: Path) -> dict[str, frozenset[str]]:
    """Output path relative to `root` -> the manifest ids its final task needs (union over final tasks)."""
    needs: dict[str, frozenset[str]] = {}
    for final, ids in candidates:
        for path in outputs_by_path(walk([final]), root):
            needs[path] = needs.get(path, frozenset()) | ids
    return needs


def _label(task: luigi.Task) -> str:
    params = ", ".join(f"{k}={v}" for k, v in task.to_str_params(only_significant=True).items() if k != "profile")
    label = f"{task.task_family}({params})" if params else task.task_family
    return label.replace('"', "'")  # a double quote would end Mermaid's label


def mermaid(roots: Iterable[luigi.Task]) -> str:
    """The graph below `roots` as a Mermaid flowchart, an edge from each task to each task it requires."""
    tasks = walk(roots)
    ids = {task.task_id: f"t{number}" for number, task in enumerate(tasks)}
    lines = ["flowchart LR"]
    lines += [f'  {ids[task.task_id]}["{_label(task)}"]' for task in tasks]
    for task in tasks:
        for needed in sorted(luigi.task.flatten(task.requires()), key=lambda t: t.task_id):
            lines.append(f"  {ids[needed.task_id]} --> {ids[task.task_id]}")
    return "\n".join(lines)
