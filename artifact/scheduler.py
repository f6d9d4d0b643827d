"""Where Luigi schedules a run: in this process (default) or on a central `luigid` shared by workers.

With a central scheduler, several `reproduce` processes (on one machine or several) share one task
graph: each task runs once, in whichever worker asks first, and every worker must see the same
outputs folder, the same inputs and the same code (README, "Running on several machines").
"""

from __future__ import annotations

import json

import requests

from artifact.errors import ArtifactError

PROBE_WORKER = "artifact-reachability-check"  # the worker name our ping announces to luigid


def build_options(scheduler_url: str | None) -> dict[str, object]:
    """Keyword arguments for `luigi.build`: the local scheduler, or the central one (checked first)."""
    if not scheduler_url:
        return {"local_scheduler": True}
    url = scheduler_url.rstrip("/")
    check_reachable(url)
    return {"local_scheduler": False, "scheduler_url": url + "/"}


def check_reachable(url: str, timeout: float = 5.0) -> None:
    """Fail fast, with what to do, unless a Luigi central scheduler answers `/api/ping` at `url`.

    Luigi's own client would retry for minutes (`[core] rpc-retry-attempts` x `rpc-retry-wait`)
    before failing with a traceback.
    """
    try:
        response = requests.get(f"{url}/api/ping", params={"data": json.dumps({"worker": PROBE_WORKER})}, timeout=timeout)
        response.raise_for_status()
        response.json()["response"]
    except (requests.RequestException, ValueError, KeyError, TypeError) as error:
        raise ArtifactError(
            f"no Luigi central scheduler answers at {url}/api/ping ({type(error).__name__}: {error}); "
            "start one (`luigid --address HOST --port 8082 --state-path FILE`) or drop --scheduler-url "
            "to run with the in-process scheduler"
        ) from None
