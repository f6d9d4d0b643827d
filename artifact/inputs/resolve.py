"""Turn a manifest entry into a local path whose bytes match the pinned checksum.

A remote file is looked for in the cache (by sha256, cache.py's CacheSource), then in the mirror
folder (ARTIFACT_MIRROR, from_mirror.py), then on the network unless ARTIFACT_OFFLINE=1
(from_network.py); what a source wrote is verified and published, or quarantined, by the cache.
Files shipped in the package (the sample) are hashed in place. `resolve_all` reports every missing
input at once so a pipeline can mark what depends on them UNAVAILABLE and run the rest, each with
a message naming the URL, the checksum, where the mirror needs the file and what was tried.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from tqdm import tqdm

from artifact.config import Settings
from artifact.errors import ChecksumMismatchError, InputMissingError
from artifact.inputs.cache import CacheSource, recorded_sha256
from artifact.inputs.digests import sha256_of
from artifact.inputs.fetch import SourceFailed
from artifact.inputs.from_mirror import MirrorSource
from artifact.inputs.from_network import NetworkSource
from artifact.inputs.lockfile import LockRecord
from artifact.inputs.manifest import InputEntry
from artifact.inputs.pin import Pin
from artifact.retry import INPUTS_POLICY, RetryPolicy

__all__ = ["Resolved", "cache_keys", "iter_resolve", "resolve", "resolve_all", "sha256_of"]

LISTED_MEMBERS = 10  # missing members of a set named one by one in the error; the rest are counted


@dataclass(frozen=True)
class Resolved:
    """The outcome for one input: a verified path and where it came from, or why it is missing."""

    entry: InputEntry
    path: Path | None
    origin: str = ""  # package | cache | mirror | network (a set may combine them)
    size: int = 0  # bytes (a set: all its files)
    sha256: str = ""  # empty for a set
    missing: str = ""  # the reason, when path is None


@dataclass(frozen=True)
class Sources:
    """Where one run looks for bytes, in this order: the cache, the mirror, the network."""

    cache: CacheSource
    mirror: MirrorSource
    network: NetworkSource

    @classmethod
    def open(cls, settings: Settings, policy: RetryPolicy, rehash: bool = True) -> Sources:
        """The sources `settings` name (`rehash`: see `iter_resolve`)."""
        cache = CacheSource(settings, rehash)
        return cls(cache, MirrorSource(settings.mirror_dir), NetworkSource(policy, settings.offline))


def resolve(entry: InputEntry, settings: Settings, policy: RetryPolicy = INPUTS_POLICY) -> Path:
    """A verified local path for `entry`; raises InputMissingError or ChecksumMismatchError."""
    return _resolve(entry, Sources.open(settings, policy)).path


def iter_resolve(
    entries: Iterable[InputEntry], settings: Settings, policy: RetryPolicy = INPUTS_POLICY, rehash: bool = True
) -> Iterator[Resolved]:
    """Resolve each entry in turn; a missing input is reported, a checksum mismatch still raises.

    `rehash=False` only asks what is at hand: a cached file verified once and still of its pinned
    size counts without being read (the caller hashes it before anyone reads it).
    """
    sources = Sources.open(settings, policy, rehash)
    for entry in entries:
        try:
            yield _resolve(entry, sources)
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
    cache = CacheSource(settings)
    keys = set()
    for entry in entries:
        keys.update(member.sha256 for member in entry.members)
        if entry.url:
            keys.add(_pin(entry, cache.lock).sha256)
    return keys - {""}


def _resolve(entry: InputEntry, sources: Sources) -> Resolved:
    """Dispatch on the kind of entry: shipped in the package, one file (perhaps in an archive), or a set of files."""
    if entry.local:
        return _local(entry)
    if entry.url and not entry.fileset:
        return _file(entry, sources)
    if entry.fileset:
        return _set(entry, sources)
    raise InputMissingError(f"input {entry.id} is not available: {entry.unavailable}")


def _file(entry: InputEntry, sources: Sources) -> Resolved:
    """One remote file, verified in the cache (an archive: the member it names, extracted there)."""
    pin = _pin(entry, sources.cache.lock)
    try:
        path, origin = _fetch(pin, sources)
        if entry.archive:
            path = sources.cache.member(entry, path)
        return Resolved(entry, path, origin, path.stat().st_size, recorded_sha256(path))
    except SourceFailed as error:
        raise InputMissingError(_missing_message(pin, str(error), sources.mirror)) from None


def _pin(entry: InputEntry, lock: dict[str, LockRecord]) -> Pin:
    """The entry's pin, completed from the lock file when only its git blob id is in the manifest."""
    locked = lock.get(entry.id)
    if not entry.sha256 and locked and (locked.url, locked.git_blob) == (entry.url, entry.git_blob):
        return Pin(entry.id, entry.url, locked.size, locked.sha256, entry.git_blob)
    return Pin(entry.id, entry.url, entry.size, entry.sha256, entry.git_blob, entry.max_size)


def _fetch(pin: Pin, sources: Sources, progress: bool = True) -> tuple[Path, str]:
    """The verified cached file for `pin` and its source: the cache, else the mirror, else the network.

    SourceFailed lists why each source failed; bytes that do not match the pin raise ChecksumMismatchError.
    """
    cached = sources.cache.find(pin)
    if cached is not None:
        return cached, "cache"
    tried = []
    with sources.cache.temporary() as tmp:
        for source in (sources.mirror, sources.network):
            try:
                copy = source.copy(pin, tmp, progress)
            except SourceFailed as error:
                tried.append(f"{source.name}: {error}")
            else:
                return sources.cache.accept(pin, tmp, copy), source.name
    raise SourceFailed("; ".join(tried))


def _set(entry: InputEntry, sources: Sources) -> Resolved:
    """A folder presenting every verified file of the set under its own name."""
    found, missing, origins = {}, [], set()
    with tqdm(total=len(entry.members), desc=entry.id, unit="file", leave=False, disable=None) as bar:
        for member in entry.members:
            pin = Pin(member.name, member.url, member.size, member.sha256, member.git_blob)
            try:
                found[member.name], origin = _fetch(pin, sources, progress=False)
                origins.add(origin)
            except SourceFailed as error:
                missing.append((pin, str(error)))
            bar.update()
    if missing:
        raise InputMissingError(_set_missing_message(entry, missing, sources.mirror))
    folder = sources.cache.link_set(entry, found)
    size = sum(path.stat().st_size for path in found.values())
    return Resolved(entry, folder, "+".join(sorted(origins)), size)


def _missing_message(pin: Pin, tried: str, mirror: MirrorSource) -> str:
    """What is missing, how to check it, where the mirror needs it, and what was tried."""
    checksum = f"sha256 {pin.sha256}" if pin.sha256 else f"git blob {pin.git_blob} (sha256 not yet locked)"
    size = f", {pin.size} bytes" if pin.size is not None else ""
    return (
        f"input {pin.label} is not available.\n  url: {pin.url}\n  checksum: {checksum}{size}\n"
        f"  mirror path: {mirror.hint(pin.url)}\n  tried: {tried}"
    )


def _set_missing_message(entry: InputEntry, missing: list[tuple[Pin, str]], mirror: MirrorSource) -> str:
    """The missing files of a set: the first ones in full, the rest counted (all are in its TSV)."""
    tried = missing[0][1]
    lines = [
        f"input {entry.id}: {len(missing)} of its {len(entry.members)} files are not available "
        f"(for the first: {tried}). The mirror needs each at <mirror>/<host>/<url path> (or that + .gz):"
    ]
    for pin, _ in missing[:LISTED_MEMBERS]:
        lines.append(f"  {pin.url}\n    sha256 {pin.sha256}, {pin.size} bytes -> {mirror.target(pin.url)}")
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
