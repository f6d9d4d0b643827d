"""HTTP for snapshots: a client whose transport times out, retries rate limits and transient errors.

The same transport serves `huggingface_hub` (installed as its client factory) and our own requests
to GitHub and the npm registry. It reads each body in full before handing it on, so a connection
dropped mid-body is retried like a 5xx. After the last attempt it raises `SnapshotError`, which
`huggingface_hub`'s own retry loop does not catch: one retry policy (artifact.retry, shared with the
input downloads) applies everywhere. Every attempt is bounded: a read timeout, an overall deadline
(a server that trickles a byte every few seconds never trips a read timeout), the command's
deadline, and a largest body, both as sent and as decoded (a small gzip body can expand a
thousandfold, so gzip and deflate are decoded here, in bounded pieces, and no other encoding is
accepted). A URL already answered is not requested again: a listing whose `next` link points back
to a page already read would otherwise be followed without end.
"""

from __future__ import annotations

import sys
import time
import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from typing import NamedTuple

import httpx2

from artifact.errors import ArtifactError
from artifact.retry import RETRY_STATUSES, SNAPSHOTS_POLICY, RetryPolicy, parse_retry_after

__all__ = ["RetryPolicy", "RetryingTransport", "SnapshotError", "get", "get_json", "hub_session", "new_client"]

TRANSIENT_ERRORS = (httpx2.TimeoutException, httpx2.NetworkError, httpx2.RemoteProtocolError)
DECODED = {"gzip": zlib.MAX_WBITS | 16, "deflate": zlib.MAX_WBITS}  # the zlib window bits of each encoding
DECODED_HEADERS = ("Content-Encoding", "Content-Length")  # they describe the body as sent, not as handed on


class SnapshotError(ArtifactError):
    """A snapshot could not be taken: the source failed after retries or answered in another form."""


class _Failure(NamedTuple):
    """A failed attempt worth retrying: what went wrong, and the server's Retry-After if any."""

    problem: str
    retry_after: float | None = None


class RetryingTransport(httpx2.BaseTransport):
    """Retries 408, 429 (honouring Retry-After), 5xx and network errors; remembers the URLs read."""

    def __init__(self, policy: RetryPolicy = SNAPSHOTS_POLICY, inner: httpx2.BaseTransport | None = None) -> None:
        self.policy = policy
        self._inner = inner or httpx2.HTTPTransport()
        self.urls: list[str] = []  # of the responses handed on, in order (for provenance and errors)
        self._command_ends = time.monotonic() + policy.command_deadline

    def handle_request(self, request: httpx2.Request) -> httpx2.Response:
        if str(request.url) in self.urls:
            raise SnapshotError(
                f"{request.url} was already read in this snapshot: the source's `next` link points back to a page "
                "it served before, so the listing would never end; nothing was written. Try again later"
            )
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
            if time.monotonic() + wait > self._command_ends:
                raise SnapshotError(
                    f"{request.url} answered {problem}; retrying would pass the command's deadline of "
                    f"{self.policy.command_deadline:g} s; nothing was written. Try again later"
                )
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
        now = time.monotonic()
        if now >= self._command_ends:
            raise SnapshotError(
                f"the snapshot passed its deadline of {self.policy.command_deadline:g} s before {request.url}; "
                "nothing was written. Try again later"
            )
        ends = min(now + self.policy.request_deadline, self._command_ends)
        timeout = min(self.policy.timeout, ends - now)
        request.extensions = {**request.extensions, "timeout": httpx2.Timeout(timeout).as_dict()}
        request.headers["Accept-Encoding"] = ", ".join(DECODED)
        try:
            response = self._inner.handle_request(request)
            try:
                body = self._read_body(request, response, ends)
            finally:
                response.close()
        except TRANSIENT_ERRORS as error:
            return _Failure(f"{type(error).__name__}: {error}")
        if response.status_code in RETRY_STATUSES:
            return _Failure(f"HTTP {response.status_code}", parse_retry_after(response.headers.get("Retry-After")))
        headers = [(name, value) for name, value in response.headers.multi_items() if name.title() not in DECODED_HEADERS]
        return httpx2.Response(response.status_code, headers=headers, content=body, extensions=response.extensions)

    def _read_body(self, request: httpx2.Request, response: httpx2.Response, ends: float) -> bytes:
        """The whole body, decoded; refused (SnapshotError) past the largest body, sent or decoded, or `ends`."""
        limit = self.policy.max_body
        encoding = response.headers.get("Content-Encoding", "identity").strip().lower()
        if encoding not in (*DECODED, "identity"):
            raise SnapshotError(
                f"{request.url} answered in Content-Encoding {encoding!r}, which is not decoded within a bound "
                f"(accepted: {', '.join(DECODED)}); nothing was written"
            )
        decoder = zlib.decompressobj(DECODED[encoding]) if encoding in DECODED else None
        declared = response.headers.get("Content-Length", "")
        if declared.isdigit() and int(declared) > limit:
            raise SnapshotError(
                f"{request.url} announces {int(declared):,} bytes, more than {limit:,} bytes; nothing was written"
            )
        chunks, size = [], 0
        for chunk in response.iter_raw():
            size += len(chunk)
            if size > limit:
                raise SnapshotError(f"{request.url} sent more than {limit:,} bytes; stopped there, nothing was written")
            if time.monotonic() > ends:  # a trickle: each byte restarts the read timeout, the deadline stays
                deadline = self.policy.request_deadline
                raise httpx2.ReadTimeout(f"the answer took longer than the deadline of {deadline:g} s")
            chunks.append(chunk)
        return b"".join(chunks) if decoder is None else self._decode(request, decoder, chunks)

    def _decode(self, request: httpx2.Request, decoder: zlib._Decompress, chunks: list[bytes]) -> bytes:
        """`chunks` decoded, refused (SnapshotError) as soon as the decoded bytes pass the largest body."""
        limit = self.policy.max_body
        pieces, size = [], 0
        try:
            for piece in _inflate(decoder, chunks, limit + 1):
                size += len(piece)
                if size > limit:
                    raise SnapshotError(
                        f"{request.url} sent a body that decodes to more than {limit:,} bytes; "
                        "stopped there, nothing was written"
                    )
                pieces.append(piece)
        except zlib.error as error:
            raise SnapshotError(f"{request.url} sent a body that does not decode ({error}); nothing was written") from None
        return b"".join(pieces)

    def close(self) -> None:
        self._inner.close()


def _inflate(decoder: zlib._Decompress, chunks: list[bytes], most: int) -> Iterator[bytes]:
    """`chunks` decoded in pieces of at most `most` bytes (zlib stops there and keeps the rest of the input)."""
    for chunk in chunks:
        while chunk:
            yield decoder.decompress(chunk, most)
            chunk = decoder.unconsumed_tail
    yield decoder.flush()


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
