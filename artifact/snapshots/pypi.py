"""PyPI: the current top-packages JSON of hugovk/top-pypi-packages, read at the commit of its latest release.

The project commits `top-pypi-packages.json` (`{"last_update", "query", "rows": [{"project",
"download_count"}]}`, 30-day downloads) once a month and tags that commit `YYYY.MM`; we resolve the
latest release to its tag and commit through the GitHub API and read the file at that commit, so
the entry names exactly what was read. `ARTIFACT_GITHUB_API` and `ARTIFACT_GITHUB_RAW` point
elsewhere (a proxy, a test server); `GITHUB_TOKEN`, when set, lifts the API's anonymous rate limit.
"""

from __future__ import annotations

import os
import re

from artifact.snapshots.http_retry import RetryingTransport, RetryPolicy, SnapshotError, get, get_json, new_client
from artifact.snapshots.store import Fetched

REPOSITORY = "hugovk/top-pypi-packages"
FILE = "top-pypi-packages.json"
FORMAT = "pypi-top-json"
_COMMIT = re.compile(r"[0-9a-f]{40}")


def fetch_pypi(policy: RetryPolicy, env: dict[str, str] | None = None) -> Fetched:
    """The published JSON, byte for byte, from the commit of the latest release."""
    env = dict(os.environ if env is None else env)
    api = (env.get("ARTIFACT_GITHUB_API") or "https://api.github.com").rstrip("/")
    raw = (env.get("ARTIFACT_GITHUB_RAW") or "https://raw.githubusercontent.com").rstrip("/")
    headers = {"Accept": "application/vnd.github+json"}
    if env.get("GITHUB_TOKEN"):
        headers["Authorization"] = f"Bearer {env['GITHUB_TOKEN']}"
    with new_client(RetryingTransport(policy), headers) as client:
        latest = f"{api}/repos/{REPOSITORY}/releases/latest"
        release = get_json(client, latest)
        tag = release.get("tag_name") if isinstance(release, dict) else None
        if not isinstance(tag, str) or not tag:
            raise SnapshotError(f"GET {latest} answered no 'tag_name'; nothing was written")
        commit_url = f"{api}/repos/{REPOSITORY}/commits/{tag}"
        commit = get(client, commit_url, headers={"Accept": "application/vnd.github.sha"}).text.strip()
        if not _COMMIT.fullmatch(commit):
            raise SnapshotError(f"GET {commit_url} answered {commit[:80]!r}, not a commit id; nothing was written")
        url = f"{raw}/{REPOSITORY}/{commit}/{FILE}"
        data = get(client, url).content
    return Fetched("pypi", FORMAT, ".json", data, source=url, version=f"release {tag}, commit {commit}")


def fetch(top: int, policy: RetryPolicy) -> Fetched:
    """The registry's live top list, as artifact/snapshots/take.py asks every source (`top`: checked by take.py, not here)."""
    return fetch_pypi(policy)
