"""The witness's children started early: in background threads of this process, as soon as their inputs exist.

With one Luigi worker every task runs in this process, one after the other, so a witness task would
make the run wait for its sandboxed child. Once `enable`d (by the run, for one worker), a job
`expect`ed with the ids of the tasks it needs is started when the last of them is `done`: its
child runs on another core while the run goes on. The witness task later `take`s the outcomes by
the job's content key (the same scripts on the same bytes, under the same limits), else runs the
job itself: an early start changes when a child runs, never what it gives. Only the process that
enabled it starts or takes anything (a forked worker finds it inactive); `close` stops what is
still running when the run ends.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Collection
from concurrent.futures import Future, ThreadPoolExecutor, wait
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from artifact.authors import sandbox

if TYPE_CHECKING:
    from artifact.authors.sandbox import Outcome
    from artifact.authors.witness_cache import Job


@dataclass
class _Starter:
    """The background threads, the jobs started (by key), those waiting for their inputs (by name), the names seen."""

    owner: int
    pool: ThreadPoolExecutor
    started: dict[str, Future] = field(default_factory=dict)
    waiting: dict[str, tuple[set[str], Callable[[], None]]] = field(default_factory=dict)
    seen: set[str] = field(default_factory=set)
    done: set[str] = field(default_factory=set)


_ENABLED: list[_Starter] = []  # at most one: the starter of this run


def enable(children: int) -> None:
    """Start jobs early from now on, at most `children` at once (at least one)."""
    close()
    _ENABLED.append(_Starter(os.getpid(), ThreadPoolExecutor(max(1, children), thread_name_prefix="witness-early")))


def active() -> bool:
    """Whether this process enabled early starts (and has not closed them)."""
    return _starter() is not None


def expect(name: str, needs: Collection[str], start: Callable[[], None]) -> None:
    """Call `start()` once every task id of `needs` is `done` (at once when they are); once per `name`."""
    starter = _starter()
    if starter is None or name in starter.seen:
        return
    starter.seen.add(name)
    starter.waiting[name] = (set(needs), start)
    _start_ready(starter)


def done(name: str) -> None:
    """Note that the task `name` is complete: start the jobs that waited for it last."""
    if (starter := _starter()) is not None:
        starter.done.add(name)
        _start_ready(starter)


def start(job: Job, cache_dir: Path | None, cleanup: Callable[[], None]) -> None:
    """Run `job` in the background (its outcomes kept in `cache_dir` as usual), then `cleanup()`; once per key."""
    from artifact.authors.witness_cache import remembered

    starter = _starter()
    if starter is None or job.key in starter.started:
        cleanup()
        return

    def run() -> list[Outcome]:
        try:
            return remembered(cache_dir, job.key, job.run)
        finally:
            cleanup()

    starter.started[job.key] = starter.pool.submit(run)


def take(key: str) -> list[Outcome] | None:
    """The outcomes of the job `key` started early (waiting for it), or None: not started here, or it failed (run it again)."""
    starter = _starter()
    if starter is None or (future := starter.started.pop(key, None)) is None:
        return None
    try:
        return future.result()
    except Exception:  # noqa: BLE001 -- the task runs the job itself and meets the error there, with its file named
        return None


def close() -> None:
    """Stop early starts: drop the jobs not begun, kill the children still running, wait for their threads."""
    starter = _starter()
    _ENABLED.clear()
    if starter is None:
        return
    running = list(starter.started.values())
    starter.pool.shutdown(wait=False, cancel_futures=True)
    while True:  # kill again until every thread has ended: one may start its child a moment after a kill
        sandbox.stop_children()
        if not wait(running, timeout=0.05).not_done:
            break


def _starter() -> _Starter | None:
    """The starter this process enabled, if any (a forked process inherits its parent's, inactive)."""
    return _ENABLED[0] if _ENABLED and _ENABLED[0].owner == os.getpid() else None


def _start_ready(starter: _Starter) -> None:
    """Start every waiting job whose inputs are all done."""
    for name, (needs, begin) in list(starter.waiting.items()):
        if needs <= starter.done:
            del starter.waiting[name]
            begin()
