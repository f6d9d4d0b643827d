"""The cache as a source and as the landing place of new bytes: what it holds, what it accepts, what it sets aside.

Bytes become visible in the cache only after they matched the pin; a mismatch is fatal and keeps the
bytes aside in the cache's quarantine folder. A pin known only by its git blob id is completed from
the lock file, and a newly verified sha256 is recorded there.
"""

from __future__ import annotations

import hashlib
import logging
import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from artifact.config import Settings
from artifact.errors import ArtifactError, ChecksumMismatchError
from artifact.inputs import archive
from artifact.inputs.cache import Cache, recorded_sha256
from artifact.inputs.digests import HashingWriter, git_blob_of
from artifact.inputs.lockfile import LockRecord, lock_path, read_lock, record_lock
from artifact.inputs.manifest import InputEntry
from artifact.inputs.pin import Copy, Pin

log = logging.getLogger(__name__)


class CacheSource:
    """One run's view of the cache and the lock file."""

    def __init__(self, settings: Settings, rehash: bool = True) -> None:
        self.cache = Cache(settings.cache_dir)
        self.rehash = rehash
        self.lock_path = lock_path(settings)
        self.lock = read_lock(self.lock_path)

    def find(self, pin: Pin) -> Path | None:
        """The cached file of `pin`, or None."""
        if pin.sha256 and self._holds(self.cache.blob(pin.sha256), pin.sha256, pin.size):
            return self.cache.blob(pin.sha256)
        return None

    def _holds(self, path: Path, sha256: str, size: int | None = None) -> bool:
        """Whether the cache has these bytes: hashed (changed ones quarantined), or only asked when not rehashing."""
        return self.cache.holds(path, sha256) if self.rehash else self.cache.looks_verified(path, sha256, size)

    @contextmanager
    def temporary(self) -> Iterator[Path]:
        """A temporary file in the cache for a source to write into."""
        with self.cache.temporary() as tmp:
            yield tmp

    def accept(self, pin: Pin, tmp: Path, copy: Copy) -> Path:
        """Publish `tmp` under its sha256 if it matches `pin`; otherwise quarantine it and raise."""
        writer = copy.writer
        observed = writer.sha256()
        problem = copy.damaged or _mismatch(pin, tmp, writer)
        if problem:
            self._reject(pin, tmp, writer, copy.origin, problem)
        path = self.cache.publish(tmp, self.cache.blob(observed), observed)
        if not pin.sha256:  # record the newly verified sha256 in the lock file; warn (and go on) when it is read-only
            record = LockRecord(pin.label, pin.url, pin.git_blob, writer.size, observed)
            try:
                record_lock(self.lock_path, record)
                self.lock[record.id] = record
            except OSError as error:
                log.warning("could not record %s in %s (%s); commit its sha256 %s by hand", record.id, self.lock_path,
                            error, record.sha256)
        return path

    def _reject(self, pin: Pin, tmp: Path, writer: HashingWriter, origin: str, got: str) -> None:
        """Quarantine bad bytes (at most the pinned size of them) and raise ChecksumMismatchError."""
        kept = self.cache.quarantine(tmp, pin.label, writer.sha256(), keep=pin.limit)
        cut = pin.limit is not None and writer.size > pin.limit
        expected = f"sha256 {pin.sha256}" if pin.sha256 else f"git blob {pin.git_blob}"
        expected += "" if pin.size is None else f", {pin.size} bytes"
        raise ChecksumMismatchError(
            f"input {pin.label}: the bytes from {origin} do not match the pin.\n"
            f"  expected: {expected}\n  observed: {got}\n  url: {pin.url}\n"
            f"  kept aside in {kept}{f' (only its first {pin.limit:,} bytes, its bound, named by their sha256)' if cut else ''}; "
            "nothing was stored under the input's name.\n"
            "  What to do: if the mirror holds this file, replace it with the bytes of the URL; if the URL "
            "now serves other bytes, it no longer holds the pinned input: report it rather than re-pin."
        )

    def member(self, entry: InputEntry, archive_path: Path) -> Path:
        """The verified archive's member, extracted once into the cache; never outside its folder."""
        label = f"input {entry.id}"
        name = archive.choose_member(archive_path, entry.member, label)
        folder = self.cache.extracted_dir(archive_path.name)
        target = folder / name
        if not target.resolve().is_relative_to(folder.resolve()):
            raise ArtifactError(f"{label}: archive member {name!r} would leave {folder}; refusing to extract it")
        recorded = recorded_sha256(target)
        if recorded and self._holds(target, recorded):
            return target
        with self.cache.temporary() as tmp:
            with tmp.open("wb") as handle:
                writer = HashingWriter(handle)
                archive.copy_member(archive_path, name, label, writer)
            return self.cache.publish(tmp, target, writer.sha256())

    def link_set(self, entry: InputEntry, found: dict[str, Path]) -> Path:
        """The set's folder of relative links to the cached blobs; named by the member list, so never stale."""
        listing = "".join(f"{m.name}\t{m.sha256}\n" for m in entry.members)
        folder = self.cache.set_dir(entry.id, hashlib.sha256(listing.encode()).hexdigest())
        folder.mkdir(parents=True, exist_ok=True)
        for name, blob in found.items():
            link, target = folder / name, os.path.relpath(blob, folder)
            if not (link.is_symlink() and os.readlink(link) == target):
                tmp = folder / f".{name}.{os.getpid()}.tmp"
                tmp.unlink(missing_ok=True)
                os.symlink(target, tmp)
                os.replace(tmp, link)
        if unlisted := self.cache.reject_unlisted(folder, entry):
            raise ChecksumMismatchError(
                f"input {entry.id}: {folder} held files its list (artifact/inputs/{entry.fileset}) does not name, "
                f"which are never read: {'; '.join(unlisted)}. Run again: the set's folder now holds its listed files only."
            )
        return folder


def _mismatch(pin: Pin, tmp: Path, writer: HashingWriter) -> str:
    """What the bytes written to `tmp` are when they do not match `pin` (sha256, git blob, size); "" when they do."""
    observed = writer.sha256()
    blob = "" if pin.sha256 else git_blob_of(tmp)
    hash_ok = observed == pin.sha256 if pin.sha256 else blob == pin.git_blob
    if hash_ok and (pin.size is None or writer.size == pin.size):
        return ""
    return f"sha256 {observed}" + (f", git blob {blob}" if blob else "") + f", {writer.size} bytes"
