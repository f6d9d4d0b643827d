"""What an input file must be (its pin) and what a source wrote for it (a copy), shared by the sources."""

from __future__ import annotations

from dataclasses import dataclass

from artifact.inputs.digests import HashingWriter


@dataclass(frozen=True)
class Pin:
    """One file to get: where from, and what its bytes must match (sha256 unknown until locked)."""

    label: str  # the input id, or a set member's file name
    url: str
    size: int | None
    sha256: str
    git_blob: str
    bound: int | None = None  # the most bytes a copy may hold when `size` is unknown (the manifest's max_size)

    @property
    def limit(self) -> int | None:
        """The most bytes a copy may hold: the pinned size, else the bound."""
        return self.size if self.size is not None else self.bound


@dataclass(frozen=True)
class Copy:
    """Bytes a source wrote into the cache's temporary file, not yet verified."""

    writer: HashingWriter  # knows their sha256 and size
    origin: str  # where they came from, as an error names it
    damaged: str = ""  # why they are bad before any hashing (too large, a damaged gzip copy)
