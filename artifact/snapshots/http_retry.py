"""HTTP for snapshots: a client whose transport times out, retries rate limits and transient errors.

The same transport serves `huggingface_hub` (installed as its client factory) and our own requests
to GitHub and the npm registry. It reads each body in full before handing it on, so a connection
dropped mid-body is retried like a 5xx. After the last attempt it raises `SnapshotError`, which
`huggingface_hub`'s own retry loop does not catch: one retry policy, ours, applies everywhere.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from email.utils import parsedate_to_datetime
from typing import NamedTuple

import httpx2

from artifact.errors import ArtifactError

RETRY_STATUSES = frozenset({408, 429, 500, 502, 503, 504})
TRANSIENT_ERRORS = (httpx2.TimeoutException, httpx2.NetworkError, httpx2.RemoteProtocolError)


class SnapshotError(ArtifactError):
    """A snapshot could not be taken: the source failed after retries or answered in another form."""


@dataclass(frozen=True)
class RetryPolicy:
    """How long to wait for an answer, and how often and how long to retry a failed request."""

    retries: int = 5  # attempts after the first
    backoff: float = 1.0  # first wait in seconds, doubled after each failure
    max_wait: float = 60.0  # longest back-off wait
    max_retry_after: float = 900.0  # a longer Retry-After ends the snapshot instead of waiting
    timeout: float = 60.0  # seconds to connect, and between bytes read

    def wait(self, failures: int, retry_after: float | None) -> float:
        """Seconds to wait after the `failures`-th failure: the server's Retry-After, else back-off."""
        if retry_after is not None:
            return retry_after
        return min(self.max_wait, self.backoff * 2 ** (failures - 1))


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


class _Failure(NamedTuple):
    """A failed attempt worth retrying: what went wrong, and the server's Retry-After if any."""

    problem: str
    retry_after: float | None = None


class RetryingTransport(httpx2.BaseTransport):
    """Retries 408, 429 (honouring Retry-After), 5xx and network errors; remembers the URLs read."""

    def __init__(self, policy: RetryPolicy, inner: httpx2.BaseTransport | None = None) -> None:
        self.policy = policy
        self._inner = inner or httpx2.HTTPTransport()
        self.urls: list[str] = []  # of the responses handed on, in order (for provenance and errors)

    def handle_request(self, request: httpx2.Request) -> httpx2.Response:
        failures = 0
        while True:
            outcome = self._attempt(request)
            if isinstance(outcome, httpx2.Response):
                self.urls.append(str(request.url))
                return outcome
            problem = outcome.problem
            failures += 1
            if failures > self.policy.retries:
                raise SnapshotError(
                    f"{request.method} {request.url} failed {failures} times, last with {problem}; "
                    "nothing was written. Try again later, or with more --retries"
                )
            wait = self.policy.wait(failures, outcome.retry_after)
            if wait > self.policy.max_retry_after:
                raise SnapshotError(
                    f"{request.url} answered {problem} and asks to wait {wait:.0f} s, more than "
                    f"{self.policy.max_retry_after:.0f} s; nothing was written. Try again later"
                )
            print(f"{request.url}: {problem}; retry {failures}/{self.policy.retries} in {wait:.1f} s", file=sys.stderr)
            time.sleep(wait)

    def _attempt(self, request: httpx2.Request) -> httpx2.Response | _Failure:
        """The response, its body read in full, or the failure when it is worth retrying."""
        # Our timeout, always: huggingface_hub passes timeout=None (wait forever) for listing pages.
        request.extensions = {**request.extensions, "timeout": httpx2.Timeout(self.policy.timeout).as_dict()}
        try:
            response = self._inner.handle_request(request)
            try:
                body = b"".join(response.iter_raw())
            finally:
                response.close()
        except TRANSIENT_ERRORS as error:
            return _Failure(f"{type(error).__name__}: {error}")
        if response.status_code in RETRY_STATUSES:
            return _Failure(f"HTTP {response.status_code}", parse_retry_after(response.headers.get("Retry-After")))
        return httpx2.Response(
            response.status_code, headers=response.headers, content=body, extensions=response.extensions
        )

    def close(self) -> None:
        self._inner.close()


def new_client(transport: RetryingTransport, headers: dict[str, str] | None = None) -> httpx2.Client:
    """A client that sends every request through `transport`, with its timeout, following redirects."""
    return httpx2.Client(transport=transport, timeout=transport.policy.timeout, follow_redirects=True, headers=headers)


@contextmanager
def hub_session(transport: RetryingTransport) -> Iterator[None]:
    """Make `huggingface_hub` send its requests through `transport` while the block runs."""
    from huggingface_hub.utils import set_client_factory
    from huggingface_hub.utils._http import default_client_factory  # the factory it starts with

    set_client_factory(lambda: new_client(transport))
    try:
        yield
    finally:
        set_client_factory(default_client_factory)


def get(client: httpx2.Client, url: str, **kwargs) -> httpx2.Response:
    """GET `url`; a status that is neither success nor worth retrying is a SnapshotError naming it."""
    response = client.get(url, **kwargs)
    if response.is_error:
        raise SnapshotError(
            f"GET {url} answered HTTP {response.status_code}: {response.text[:200]!r}; nothing was written"
        )
    return response


def get_json(client: httpx2.Client, url: str, **kwargs) -> object:
    """GET `url` as JSON; a body that is not JSON is a SnapshotError naming the URL."""
    response = get(client, url, **kwargs)
    try:
        return response.json()
    except ValueError as error:
        raise SnapshotError(f"GET {url} did not answer JSON ({error}); nothing was written") from None
