"""Checksums of input bytes: sha256, and git's blob id for files pinned only by a git tree."""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import BinaryIO

CHUNK = 1 << 20


def sha256_of(path: Path) -> str:
    """Hex sha256 of a file, read in chunks."""
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while chunk := handle.read(CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def git_blob_of(path: Path) -> str:
    """Git's blob id of a file: sha1 of `blob <size>\\0` followed by the bytes."""
    digest = hashlib.sha1(f"blob {path.stat().st_size}\0".encode())
    with path.open("rb") as handle:
        while chunk := handle.read(CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


class TooLarge(Exception):
    """More bytes arrived than a writer's limit (the pinned size plus one): the transfer was stopped."""

    def __init__(self, message: str, writer: HashingWriter) -> None:
        super().__init__(message)
        self.writer = writer  # what was written before the stop (hashed and counted)


class WriteFailed(Exception):
    """Writing the copy failed (a full disk, a quota): the writer's own fault, never the source's.

    Not an OSError, so that a source's handler of its own read errors cannot take it for one.
    """

    def __init__(self, error: OSError) -> None:
        super().__init__(str(error))
        self.error = error


class HashingWriter:
    """A write-only file object that hashes and counts the bytes it passes on to `target`.

    With a `limit`, it passes on at most `limit` bytes and then raises TooLarge, so a download or
    a decompression never writes more than the pinned size (or, for an input pinned by git blob id
    alone, the manifest's `max_size`) plus one byte.
    """

    def __init__(self, target: BinaryIO, limit: int | None = None) -> None:
        self._target = target
        self._digest = hashlib.sha256()
        self.size = 0
        self.limit = limit

    def write(self, data: bytes) -> int:
        """Hash, count and write `data`; TooLarge once more than `limit` bytes came."""
        if self.limit is not None and self.size + len(data) > self.limit:
            data = data[: self.limit - self.size]
            self._write(data)
            raise TooLarge(f"more than {self.limit - 1:,} bytes (stopped after {self.limit:,})", self)
        return self._write(data)

    def _write(self, data: bytes) -> int:
        self._digest.update(data)
        self.size += len(data)
        try:
            return self._target.write(data)
        except OSError as error:
            raise WriteFailed(error) from error

    def flush(self) -> None:
        """Flush the target (pooch's downloader calls it after each chunk)."""
        try:
            self._target.flush()
        except OSError as error:
            raise WriteFailed(error) from error

    def sha256(self) -> str:
        """Hex sha256 of everything written so far."""
        return self._digest.hexdigest()
