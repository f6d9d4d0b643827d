"""Where an input's bytes come from: the mirror folder first, then HTTP(S) through pooch's downloader.

Each source streams into a writer that hashes as it writes; verifying, publishing and quarantining
are the caller's job (artifact.inputs.resolve). We use pooch's `HTTPDownloader` (streaming, timeout,
tqdm progress bar) but not `pooch.retrieve`/`Pooch.fetch`: they cannot read a mirror folder (no
file:// support), know no git blob ids, delete rather than quarantine a mismatch, and `retrieve`
does not retry. Retries follow the one policy of artifact.retry (shared with the snapshots).
A copy of an input whose manifest entry gives its size is bounded: a writer limited to that size
plus one byte stops a download or a gzip decompression there; an input pinned by a git blob id
alone (no size) is bounded by its manifest's `max_size`, its host's limit. A download has no overall
deadline: it ends when the server stops, or after the read timeout without data. A damaged gzip copy
is bad bytes (a checksum failure), not a missing source.
"""

from __future__ import annotations

import gzip
import shutil
import time
import zlib
from pathlib import Path, PurePosixPath
from urllib.parse import unquote, urlsplit

import pooch
import requests
import urllib3.exceptions
from tqdm import tqdm

from artifact.errors import ArtifactError
from artifact.inputs.digests import CHUNK, HashingWriter
from artifact.retry import RETRY_STATUSES, RetryPolicy, parse_retry_after


class SourceFailed(Exception):
    """One source could not supply the bytes; the message says why and ends up in the missing list."""


class DamagedSource(Exception):
    """A source's bytes are damaged (a corrupt or truncated gzip copy): a checksum failure, not a missing input."""


def mirror_path(mirror: Path, url: str) -> Path:
    """`<mirror>/<host>/<url path>`, the layout `wget --force-directories` produces (%-escapes decoded)."""
    parts = urlsplit(url)
    relative = PurePosixPath(parts.netloc, unquote(parts.path).lstrip("/"))
    if ".." in relative.parts or not parts.netloc:
        raise ArtifactError(f"cannot map the URL {url!r} to a mirror path")
    return mirror.joinpath(*relative.parts)


def copy_from_mirror(mirror: Path, url: str, writer: HashingWriter) -> Path:
    """Copy the mirror's file for `url` into `writer`, decompressing a `.gz` copy; return the file read."""
    path = mirror_path(mirror, url)
    packed = path.with_name(path.name + ".gz")
    source = path if path.is_file() else packed if packed.is_file() else None
    if source is None:
        raise SourceFailed(f"no such file in the mirror (nor {packed.name})")
    try:
        with (gzip.open(source, "rb") if source == packed else source.open("rb")) as stream:
            shutil.copyfileobj(stream, writer, CHUNK)
    except (gzip.BadGzipFile, EOFError, zlib.error) as error:  # a flipped byte, a cut member
        raise DamagedSource(f"the gzip copy {source} is damaged ({error or type(error).__name__})") from None
    except OSError as error:  # unreadable
        raise SourceFailed(f"copying {source} failed ({error})") from None
    return source


class Network:
    """HTTP(S) downloads with retries; remembers hosts that failed so a set of files fails fast."""

    def __init__(self, policy: RetryPolicy, offline: bool) -> None:
        self.policy = policy
        self.offline = offline
        self._failed_hosts: dict[str, str] = {}

    def download(self, url: str, out: Path, expected_size: int | None, progress: bool = True) -> HashingWriter:
        """Download `url` into `out` (rewritten on each attempt); the writer knows sha256 and size.

        At most `expected_size` (the pinned size, or the bound of an input pinned without one) + 1
        bytes are written: more raise TooLarge (from the writer).
        """
        if self.offline:
            raise SourceFailed("network not tried: ARTIFACT_OFFLINE=1")
        host = urlsplit(url).netloc
        if host in self._failed_hosts:
            raise SourceFailed(f"network not tried: {host} failed earlier in this run ({self._failed_hosts[host]})")
        reason, retry_after = "", None
        for attempt in range(1, self.policy.attempts + 1):
            if attempt > 1:
                wait = self.policy.wait(attempt - 1, retry_after)
                if wait > self.policy.max_retry_after:
                    attempt -= 1  # the server asks for a longer wait than the policy allows: stop here
                    break
                time.sleep(wait)
            retry_after = None  # set by this attempt's HTTP error only, never left over from an earlier one
            bar = self._progress_bar(url, expected_size) if progress else None
            try:
                with out.open("wb") as handle:
                    writer = HashingWriter(handle, None if expected_size is None else expected_size + 1)
                    pooch.HTTPDownloader(
                        progressbar=False if bar is None else bar, chunk_size=CHUNK, timeout=self.policy.timeout
                    )(url, writer, None)
                return writer
            except requests.HTTPError as error:
                reason = f"HTTP {error.response.status_code} {error.response.reason}"
                retry_after = parse_retry_after(error.response.headers.get("Retry-After"))
                if error.response.status_code not in RETRY_STATUSES:
                    raise SourceFailed(reason) from None
            except requests.RequestException as error:
                reason = _describe(error, self.policy.timeout)
                if isinstance(_cause(error), urllib3.exceptions.NameResolutionError):
                    break
            finally:
                if bar is not None:
                    bar.close()
        if not reason.startswith("HTTP "):
            self._failed_hosts[host] = reason
        raise SourceFailed(f"{reason} (after {attempt} attempt{'s' if attempt > 1 else ''})")

    def _progress_bar(self, url: str, expected_size: int | None) -> tqdm | None:
        """A byte-count bar on a terminal for a large (or unknown-size) download; None otherwise."""
        if expected_size is not None and expected_size < self.policy.progress_from:
            return None
        name = PurePosixPath(urlsplit(url).path).name
        # a non-zero total: pooch tests the bar's truth value, then sets the total from Content-Length
        return tqdm(desc=name, total=expected_size or 1, unit="B", unit_scale=True, leave=False, disable=None)


def _cause(error: requests.RequestException) -> object:
    """The urllib3 error under a requests error (MaxRetryError keeps it in `.reason`)."""
    inner = error.args[0] if error.args else None
    return getattr(inner, "reason", inner)


def _describe(error: requests.RequestException, timeout: float) -> str:
    """A short reason for a failed transfer, for the missing-inputs list."""
    cause = _cause(error)
    if isinstance(cause, urllib3.exceptions.NameResolutionError):
        return "cannot resolve the host name (no network?)"
    if isinstance(cause, urllib3.exceptions.NewConnectionError):
        return "cannot connect to the host"
    if isinstance(error, requests.Timeout) or isinstance(cause, urllib3.exceptions.TimeoutError):
        return f"timed out (no data for {timeout:g} s)"
    if isinstance(error, requests.exceptions.ChunkedEncodingError):
        return f"transfer cut short ({cause.args[0] if getattr(cause, 'args', None) else cause})"
    return f"{type(error).__name__}: {cause}"

