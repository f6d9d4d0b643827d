"""The network as a source: the pinned URL over HTTP(S), with retries, unless offline."""

from __future__ import annotations

from pathlib import Path

from artifact.inputs.digests import TooLarge
from artifact.inputs.fetch import Network
from artifact.inputs.pin import Copy, Pin
from artifact.retry import RetryPolicy


class NetworkSource:
    """Downloads; SourceFailed when offline or when the URL does not answer."""

    name = "network"

    def __init__(self, policy: RetryPolicy, offline: bool) -> None:
        self.network = Network(policy, offline)

    def copy(self, pin: Pin, tmp: Path, progress: bool = True) -> Copy:
        """The URL's bytes for `pin` written to `tmp` (at most its size + 1), with a progress bar unless told not."""
        try:
            return Copy(self.network.download(pin.url, tmp, pin.limit, progress), pin.url)
        except TooLarge as error:
            return Copy(error.writer, pin.url, damaged=str(error))
