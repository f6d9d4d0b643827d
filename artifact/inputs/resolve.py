"""Turn a manifest entry into a local path whose bytes match the pinned checksum."""

from __future__ import annotations

import hashlib
from importlib import resources
from pathlib import Path

from artifact.config import Settings
from artifact.errors import ChecksumMismatchError, InputMissingError
from artifact.inputs.manifest import InputEntry

_CHUNK = 1 << 20


def sha256_of(path: Path) -> str:
    """Hex sha256 of a file, read in chunks."""
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while chunk := handle.read(_CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def resolve(entry: InputEntry, settings: Settings) -> Path:
    """A verified local path for `entry`; raises InputMissingError or ChecksumMismatchError."""
    if entry.local:
        path = Path(entry.local)
        if not path.is_absolute():
            path = Path(str(resources.files("artifact").joinpath(entry.local)))
        if not path.is_file():
            raise InputMissingError(f"input {entry.describe()} is missing from the package; reinstall it")
        observed = sha256_of(path)
        if observed != entry.sha256:
            advice = (
                "restore it from a copy, or remove its entry from the manifest that records it (snapshots.toml)"
                if Path(entry.local).is_absolute()
                else "restore the file with `git checkout` or regenerate it with `make sample`"
            )
            raise ChecksumMismatchError(
                f"input {entry.id}: {path} has sha256 {observed}, the manifest pins {entry.sha256}; {advice}"
            )
        return path
    raise InputMissingError(f"input {entry.describe()} is not available: remote inputs are not fetched yet")
