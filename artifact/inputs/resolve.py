"""Turn a manifest entry into a local path whose bytes match the pinned checksum.

A remote file is looked for in the cache (by sha256), then in the mirror folder (ARTIFACT_MIRROR),
then on the network unless ARTIFACT_OFFLINE=1. Bytes become visible in the cache only after they
matched the pin; a mismatch is fatal and keeps the bytes aside in the cache's quarantine folder.
Files shipped in the package (the sample) are hashed in place. `resolve_all` reports every missing
input at once so a pipeline can mark what depends on them UNAVAILABLE and run the rest.
"""

from __future__ import annotations

import hashlib
import logging
import os
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from tqdm import tqdm

from artifact.config import Settings
from artifact.errors import ArtifactError, ChecksumMismatchError, InputMissingError
from artifact.inputs import archive
from artifact.inputs.cache import Cache, recorded_sha256
from artifact.inputs.digests import HashingWriter, TooLarge, git_blob_of, sha256_of
from artifact.inputs.fetch import DamagedSource, Network, SourceFailed, copy_from_mirror, mirror_path
from artifact.inputs.lockfile import LockRecord, lock_path, read_lock, record_lock
from artifact.inputs.manifest import InputEntry
from artifact.retry import INPUTS_POLICY, RetryPolicy

__all__ = ["Resolved", "cache_keys", "iter_resolve", "resolve", "resolve_all", "sha256_of"]
LISTED_MEMBERS = 10  # missing members of a set named one by one in the error; the rest are counted
log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Pin:
    """One file to get: where from, and what its bytes must match (sha256 unknown until locked)."""

    label: str  # the input id, or a set member's file name
    url: str
    size: int | None
    sha256: str
    git_blob: str


@dataclass(frozen=True)
class Resolved:
    """The outcome for one input: a verified path and where it came from, or why it is missing."""

    entry: InputEntry
    path: Path | None
    origin: str = ""  # package | cache | mirror | network (a set may combine them)
    size: int = 0  # bytes (a set: all its files)
    sha256: str = ""  # empty for a set
    missing: str = ""  # the reason, when path is None


def resolve(entry: InputEntry, settings: Settings, policy: RetryPolicy = INPUTS_POLICY) -> Path:
    """A verified local path for `entry`; raises InputMissingError or ChecksumMismatchError."""
    return _Resolver(settings, policy).resolve(entry).path


def iter_resolve(
    entries: Iterable[InputEntry], settings: Settings, policy: RetryPolicy = INPUTS_POLICY, rehash: bool = True
) -> Iterator[Resolved]:
    """Resolve each entry in turn; a missing input is reported, a checksum mismatch still raises.

    `rehash=False` only asks what is at hand: a cached file verified once and still of its pinned
    size counts without being read (the caller hashes it before anyone reads it).
    """
    resolver = _Resolver(settings, policy, rehash)
    for entry in entries:
        try:
            yield resolver.resolve(entry)
        except InputMissingError as error:
            yield Resolved(entry, None, missing=str(error))


def resolve_all(
    entries: Iterable[InputEntry], settings: Settings, policy: RetryPolicy = INPUTS_POLICY
) -> tuple[dict[str, Path], dict[str, str]]:
    """({id: verified path}, {id: why it is missing}) for all entries; mismatches raise."""
    found, missing = {}, {}
    for result in iter_resolve(entries, settings, policy):
        if result.path is None:
            missing[result.entry.id] = result.missing
        else:
            found[result.entry.id] = result.path
    return found, missing


def cache_keys(entries: Iterable[InputEntry], settings: Settings) -> set[str]:
    """The sha256 names under which the cache keeps these entries' files (as far as they are known)."""
    resolver = _Resolver(settings, INPUTS_POLICY)
    keys = set()
    for entry in entries:
        keys.update(member.sha256 for member in entry.members)
        if entry.url:
            keys.add(resolver.pin(entry).sha256)
    return keys - {""}


class _Resolver:
    """One run's view of the cache, mirror, network and lock file."""

    def __init__(self, settings: Settings, policy: RetryPolicy, rehash: bool = True) -> None:
        self.settings = settings
        self.cache = Cache(settings.cache_dir)
        self.rehash = rehash
        self.network = Network(policy, settings.offline)
        self.lock_path = lock_path(settings)
        self.lock = read_lock(self.lock_path)

    def resolve(self, entry: InputEntry) -> Resolved:
        """Dispatch on the kind of entry."""
        if entry.local:
            return _local(entry)
        if entry.fileset:
            return self._set(entry)
        if not entry.url:
            raise InputMissingError(f"input {entry.id} is not available: {entry.unavailable}")
        path, origin = self._file(self.pin(entry))
        if entry.archive:
            path = self._member(entry, path)
        return Resolved(entry, path, origin, path.stat().st_size, recorded_sha256(path))

    def _cached(self, path: Path, sha256: str, size: int | None = None) -> bool:
        """Whether the cache has these bytes: hashed (changed ones quarantined), or only asked when not rehashing."""
        return self.cache.holds(path, sha256) if self.rehash else self.cache.looks_verified(path, sha256, size)

    def pin(self, entry: InputEntry) -> Pin:
        """The entry's pin, completed from the lock file when only its git blob id is in the manifest."""
        locked = self.lock.get(entry.id)
        if not entry.sha256 and locked and (locked.url, locked.git_blob) == (entry.url, entry.git_blob):
            return Pin(entry.id, entry.url, locked.size, locked.sha256, entry.git_blob)
        return Pin(entry.id, entry.url, entry.size, entry.sha256, entry.git_blob)

    def _file(self, pin: Pin, progress: bool = True) -> tuple[Path, str]:
        """The verified cached file for `pin` and where its bytes came from; InputMissingError if none."""
        try:
            return self._fetch(pin, progress)
        except SourceFailed as error:
            raise InputMissingError(self._missing_message(pin, str(error))) from None

    def _fetch(self, pin: Pin, progress: bool) -> tuple[Path, str]:
        """Cache, then mirror, then network; SourceFailed lists why each source failed."""
        if pin.sha256 and self._cached(self.cache.blob(pin.sha256), pin.sha256, pin.size):
            return self.cache.blob(pin.sha256), "cache"
        tried = []
        limit = None if pin.size is None else pin.size + 1
        with self.cache.temporary() as tmp:
            if self.settings.mirror_dir is None:
                tried.append("mirror: ARTIFACT_MIRROR is not set")
            else:
                origin = f"the mirror copy of {pin.url} (under {self.settings.mirror_dir})"
                try:
                    with tmp.open("wb") as handle:
                        writer = HashingWriter(handle, limit)
                        where = copy_from_mirror(self.settings.mirror_dir, pin.url, writer)
                    return self._accept(pin, tmp, writer, f"mirror file {where}"), "mirror"
                except SourceFailed as error:
                    tried.append(f"mirror: {error}")
                except TooLarge as error:
                    self._reject(pin, tmp, error.writer, origin, str(error))
                except DamagedSource as error:
                    self._reject(pin, tmp, writer, origin, str(error))
            try:
                writer = self.network.download(pin.url, tmp, pin.size, progress)
                return self._accept(pin, tmp, writer, pin.url), "network"
            except SourceFailed as error:
                tried.append(f"network: {error}")
            except TooLarge as error:
                self._reject(pin, tmp, error.writer, pin.url, str(error))
        raise SourceFailed("; ".join(tried))

    def _accept(self, pin: Pin, tmp: Path, writer: HashingWriter, origin: str) -> Path:
        """Publish `tmp` under its sha256 if it matches `pin`; otherwise quarantine it and raise."""
        observed = writer.sha256()
        blob = "" if pin.sha256 else git_blob_of(tmp)
        hash_ok = observed == pin.sha256 if pin.sha256 else blob == pin.git_blob
        if not hash_ok or (pin.size is not None and writer.size != pin.size):
            got = f"sha256 {observed}" + (f", git blob {blob}" if blob else "") + f", {writer.size} bytes"
            self._reject(pin, tmp, writer, origin, got)
        path = self.cache.publish(tmp, self.cache.blob(observed), observed)
        if not pin.sha256:
            self._lock(LockRecord(pin.label, pin.url, pin.git_blob, writer.size, observed))
        return path

    def _reject(self, pin: Pin, tmp: Path, writer: HashingWriter, origin: str, got: str) -> None:
        """Quarantine bad bytes (at most the pinned size of them) and raise ChecksumMismatchError."""
        kept = self.cache.quarantine(tmp, pin.label, writer.sha256(), keep=pin.size)
        cut = pin.size is not None and writer.size > pin.size
        expected = f"sha256 {pin.sha256}" if pin.sha256 else f"git blob {pin.git_blob}"
        expected += "" if pin.size is None else f", {pin.size} bytes"
        raise ChecksumMismatchError(
            f"input {pin.label}: the bytes from {origin} do not match the pin.\n"
            f"  expected: {expected}\n  observed: {got}\n  url: {pin.url}\n"
            f"  kept aside in {kept}{f' (only its first {pin.size:,} bytes, the pinned size, named by their sha256)' if cut else ''}; "
            "nothing was stored under the input's name.\n"
            "  What to do: if the mirror holds this file, replace it with the bytes of the URL; if the URL "
            "now serves other bytes, it no longer holds the pinned input: report it rather than re-pin."
        )

    def _lock(self, record: LockRecord) -> None:
        """Record a newly verified sha256 in the lock file; warn (and go on) when it is read-only."""
        try:
            record_lock(self.lock_path, record)
            self.lock[record.id] = record
        except OSError as error:
            log.warning("could not record %s in %s (%s); commit its sha256 %s by hand", record.id, self.lock_path,
                        error, record.sha256)

    def _member(self, entry: InputEntry, archive_path: Path) -> Path:
        """The verified archive's member, extracted once into the cache; never outside its folder."""
        label = f"input {entry.id}"
        name = archive.choose_member(archive_path, entry.member, label)
        folder = self.cache.extracted_dir(archive_path.name)
        target = folder / name
        if not target.resolve().is_relative_to(folder.resolve()):
            raise ArtifactError(f"{label}: archive member {name!r} would leave {folder}; refusing to extract it")
        recorded = recorded_sha256(target)
        if recorded and self._cached(target, recorded):
            return target
        with self.cache.temporary() as tmp:
            with tmp.open("wb") as handle:
                writer = HashingWriter(handle)
                archive.copy_member(archive_path, name, label, writer)
            return self.cache.publish(tmp, target, writer.sha256())

    def _set(self, entry: InputEntry) -> Resolved:
        """A folder presenting every verified file of the set under its own name."""
        found, missing, origins = {}, [], set()
        with tqdm(total=len(entry.members), desc=entry.id, unit="file", leave=False, disable=None) as bar:
            for member in entry.members:
                pin = Pin(member.name, member.url, member.size, member.sha256, member.git_blob)
                try:
                    found[member.name], origin = self._fetch(pin, progress=False)
                    origins.add(origin)
                except SourceFailed as error:
                    missing.append((pin, str(error)))
                bar.update()
        if missing:
            raise InputMissingError(self._set_missing_message(entry, missing))
        folder = self._link_set(entry, found)
        size = sum(path.stat().st_size for path in found.values())
        return Resolved(entry, folder, "+".join(sorted(origins)), size)

    def _link_set(self, entry: InputEntry, found: dict[str, Path]) -> Path:
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
        return folder

    def _mirror_target(self, url: str) -> Path:
        """Where the mirror would need the file for `url` (under `$ARTIFACT_MIRROR` when unset)."""
        return mirror_path(self.settings.mirror_dir or Path("$ARTIFACT_MIRROR"), url)

    def _mirror_hint(self, url: str) -> str:
        """The mirror path for `url`, with what else would do."""
        if self.settings.mirror_dir is None:
            return f"{self._mirror_target(url)} once ARTIFACT_MIRROR names a mirror folder"
        return f"{self._mirror_target(url)} (or a gzip copy at that path + .gz)"

    def _missing_message(self, pin: Pin, tried: str) -> str:
        """What is missing, how to check it, where the mirror needs it, and what was tried."""
        checksum = f"sha256 {pin.sha256}" if pin.sha256 else f"git blob {pin.git_blob} (sha256 not yet locked)"
        size = f", {pin.size} bytes" if pin.size is not None else ""
        return (
            f"input {pin.label} is not available.\n  url: {pin.url}\n  checksum: {checksum}{size}\n"
            f"  mirror path: {self._mirror_hint(pin.url)}\n  tried: {tried}"
        )

    def _set_missing_message(self, entry: InputEntry, missing: list[tuple[Pin, str]]) -> str:
        """The missing files of a set: the first ones in full, the rest counted (all are in its TSV)."""
        tried = missing[0][1]
        lines = [
            f"input {entry.id}: {len(missing)} of its {len(entry.members)} files are not available "
            f"(for the first: {tried}). The mirror needs each at <mirror>/<host>/<url path> (or that + .gz):"
        ]
        for pin, _ in missing[:LISTED_MEMBERS]:
            lines.append(f"  {pin.url}\n    sha256 {pin.sha256}, {pin.size} bytes -> {self._mirror_target(pin.url)}")
        if len(missing) > LISTED_MEMBERS:
            lines.append(
                f"  ... and {len(missing) - LISTED_MEMBERS} more, each listed with URL, size and sha256 in "
                f"artifact/inputs/{entry.fileset}"
            )
        return "\n".join(lines)


def _local(entry: InputEntry) -> Resolved:
    """A file shipped in the package, hashed in place (these are small)."""
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
            else "restore the file with `git checkout` or regenerate it with `make regenerate-sample`"
        )
        raise ChecksumMismatchError(
            f"input {entry.id}: {path} has sha256 {observed}, the manifest pins {entry.sha256}; {advice}"
        )
    return Resolved(entry, path, "package", path.stat().st_size, observed)
