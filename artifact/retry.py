"""One retry policy for both HTTP stacks: input downloads (pooch/requests) and snapshots (httpx).

Both retry the same statuses and network errors and wait the same way (the server's Retry-After,
else exponential back-off), and both have a per-read timeout. Only the snapshots also have an
overall deadline per request and per command and a largest body; input downloads have neither
deadline (INPUTS_POLICY sets them infinite and the downloader does not read them) and are bounded
in size only by the pinned size, for inputs whose manifest entry gives one.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from email.utils import parsedate_to_datetime

RETRY_STATUSES = frozenset({408, 425, 429, 500, 502, 503, 504})


@dataclass(frozen=True)
class RetryPolicy:
    """How long to wait for an answer, how often and how long to retry, and how much to accept."""

    retries: int = 5  # attempts after the first
    backoff: float = 1.0  # first wait in seconds, doubled after each failure
    max_wait: float = 60.0  # longest back-off wait
    max_retry_after: float = 900.0  # a longer Retry-After ends the command instead of waiting
    timeout: float = 60.0  # seconds to connect, and seconds without data before giving up
    request_deadline: float = 600.0  # longest one attempt may take, from sending to the last body byte (snapshots)
    command_deadline: float = 3600.0  # longest a whole command (every request and retry) may take (snapshots)
    max_body: int = 256 << 20  # largest response body accepted (snapshots only; inputs: by their pinned size, if any)
    progress_from: int = 4 << 20  # input downloads: draw a bar from this many bytes (or of unknown size)

    @property
    def attempts(self) -> int:
        """Attempts in all: the first and its retries."""
        return self.retries + 1

    def wait(self, failures: int, retry_after: float | None) -> float:
        """Seconds to wait after the `failures`-th failure: the server's Retry-After, else back-off."""
        if retry_after is not None:
            return retry_after
        return min(self.max_wait, self.backoff * 2 ** (failures - 1))


# Inputs are large, pinned files: fewer, longer-spaced attempts, and no deadline at all: a download
# ends when the server stops, after the read timeout without data, or at the pinned size plus one
# byte when the manifest gives a size (an input pinned by git blob id alone has no size bound).
INPUTS_POLICY = RetryPolicy(retries=2, backoff=2.0, request_deadline=float("inf"), command_deadline=float("inf"))
SNAPSHOTS_POLICY = RetryPolicy()


def parse_retry_after(value: str | None) -> float | None:
    """Seconds from a Retry-After header (a number of seconds or an HTTP date), None if absent."""
    if not value or not value.strip():
        return None
    value = value.strip()
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        return max(0.0, parsedate_to_datetime(value).timestamp() - time.time())
    except (TypeError, ValueError):
        return None
