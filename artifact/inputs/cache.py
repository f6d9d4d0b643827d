"""The download cache under ARTIFACT_CACHE: verified bytes stored by their sha256, cheap to re-check.

It is also a run's first source and the landing place of new bytes (CacheSource): what it holds,
what it accepts (bytes become visible only after they matched the pin; a mismatch is fatal and
keeps the bytes aside in the quarantine), the members of verified zip archives it extracts, and
the folders of links that present a set. A pin known only by its git blob id is completed from
the lock file, and a newly verified sha256 is recorded there. An archive is refused whole when any
member name could leave the extraction folder (an absolute path, a `..` component, a backslash or
drive letter) or is a symbolic link: such an archive is not what the pin was meant to vouch for.

Layout (all names derived from checksums, so two runs never disagree on where a file lives):
    sha256/<first two hex>/<sha256>   verified input bytes, read-only
    extracted/<archive sha256>/<member path>   a member extracted from a verified archive
    sets/<input id>-<list digest>/<name>   a set of files: symbolic links to their blobs
    quarantine/<label>.<observed sha256>   bytes that failed verification, kept for inspection
    tmp/   downloads in progress; nothing here is ever read as an input

Every verified file has a marker `<file>.verified` recording the sha256 it was verified with (for
extracted members, whose checksum is not their name). A cached file is trusted only by its content:
it is re-hashed before its first read in each process (size and mtime vouch for nothing: a flipped
bit with its mtime restored, a restored backup or bit rot keep them); a file that changed is
quarantined and fetched again. Deciding what is at hand (which tasks would run) reads no bytes:
`looks_verified` asks for the marker and the pinned size, so a complete run's check stays cheap and
an input no task reads is not hashed. Within one process a file already hashed is not hashed again
while its inode, size, mtime and ctime stay the same (ctime cannot be set back by a user).
`verify_all` (make verify-data) re-hashes everything.
"""

from __future__ import annotations

import contextlib
import hashlib
import logging
import os
import re
import shutil
import tempfile
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from stat import S_ISLNK

from artifact.atomic import DISK_FULL, atomic_path
from artifact.config import Settings
from artifact.errors import ArtifactError, CacheWriteError, ChecksumMismatchError
from artifact.inputs.digests import CHUNK, HashingWriter, WriteFailed, git_blob_of, sha256_of
from artifact.inputs.lockfile import LockRecord, lock_path, read_lock, record_lock
from artifact.inputs.manifest import InputEntry
from artifact.inputs.pin import Copy, Pin

MARK_SUFFIX = ".verified"
_MARKER_BYTES = 100  # "<sha256> <size>\n": a marker longer than this is not one
_HEX64 = re.compile(r"[0-9a-f]{64}")
_LINK_IN_PROGRESS = re.compile(r"\..+\.\d+\.tmp")  # `CacheSource.link_set` makes a link under this name first
# path -> ((inode, size, mtime ns, ctime ns), sha256) of files this process hashed and found matching
_HASHED: dict[Path, tuple[tuple[int, int, int, int], str]] = {}
log = logging.getLogger(__name__)


@dataclass(frozen=True)
class CacheCheck:
    """The result of re-hashing one cached file: `observed` differs from `expected` when it changed."""

    path: Path
    expected: str
    observed: str

    @property
    def ok(self) -> bool:
        """True when the file still holds the bytes it was verified with."""
        return self.expected == self.observed


@dataclass(frozen=True)
class Cache:
    """The cache folder and the operations that keep it trustworthy."""

    root: Path

    def blob(self, sha256: str) -> Path:
        """Where the bytes with checksum `sha256` live."""
        return self.root / "sha256" / sha256[:2] / sha256

    def extracted_dir(self, archive_sha256: str) -> Path:
        """The folder holding members extracted from the archive with checksum `archive_sha256`."""
        return self.root / "extracted" / archive_sha256

    def set_dir(self, input_id: str, list_digest: str) -> Path:
        """The folder of links presenting a set of files under their original names."""
        return self.root / "sets" / f"{input_id}-{list_digest[:12]}"

    @contextlib.contextmanager
    def temporary(self) -> Iterator[Path]:
        """A fresh temporary path inside the cache (same filesystem, so publishing is a rename)."""
        folder = self.root / "tmp"
        name = str(folder / "part-")
        try:
            folder.mkdir(parents=True, exist_ok=True)
            fd, name = tempfile.mkstemp(dir=folder, prefix="part-")
            os.close(fd)
            yield Path(name)
        except WriteFailed as failed:
            raise self._write_error(name, failed.error) from None
        except OSError as error:
            if error.errno not in DISK_FULL:
                raise
            raise self._write_error(error.filename or name, error) from None
        finally:
            Path(name).unlink(missing_ok=True)

    def _write_error(self, path: str, error: OSError) -> CacheWriteError:
        """The cache's own write failure, told apart from a source's: the path, the reason, the next step."""
        return CacheWriteError(
            f"the download cache could not store {path}: {error.strerror or error}. The source was not at fault; "
            f"free space in {self.root}, or set ARTIFACT_CACHE to a folder with room, and run again"
        )

    def publish(self, tmp: Path, final: Path, sha256: str) -> Path:
        """Make verified bytes visible: `tmp` becomes the read-only `final`, marked as verified."""
        final.parent.mkdir(parents=True, exist_ok=True)
        tmp.chmod(0o444)
        os.replace(tmp, final)
        mark_verified(final, sha256)
        return final

    def quarantine(self, path: Path, label: str, observed: str, keep: int | None = None) -> Path:
        """Move bytes that failed verification aside, named by what they are and the sha256 of the bytes kept.

        `keep` truncates what is kept to that many bytes (the pinned size), so an oversized or
        decompression-bombed source cannot fill the disk from the quarantine; the truncated file is
        then hashed again (at most `keep` bytes), since `observed` was the sha256 of the longer bytes.
        """
        folder = self.root / "quarantine"
        target = inside(folder, f"{label}.{observed}")
        folder.mkdir(parents=True, exist_ok=True)
        if keep is not None and path.stat().st_size > keep:
            path.chmod(0o644)
            os.truncate(path, keep)
            target = inside(folder, f"{label}.{sha256_of(path)}")
        os.replace(path, target)
        _marker(path).unlink(missing_ok=True)
        _HASHED.pop(path, None)
        return target

    def set_dirs(self, input_id: str) -> list[Path]:
        """Every folder of the set `input_id` in the cache (one per member list it had)."""
        name = re.compile(re.escape(input_id) + r"-[0-9a-f]{12}")
        return sorted(p for p in (self.root / "sets").glob(f"{input_id}-*") if name.fullmatch(p.name))

    def reject_unlisted(self, folder: Path, entry: InputEntry) -> list[str]:
        """Move aside whatever the folder of set `entry` holds besides its members' links, one line per thing moved.

        A regular file is quarantined (at most as many bytes as the set's largest member); a link or a
        folder is moved into the quarantine as it is, never followed. Temporary links being made
        (`.<name>.<pid>.tmp`) are left alone.
        """
        names, label = {m.name for m in entry.members}, entry.id
        keep = max((m.size for m in entry.members if m.size is not None), default=None)
        moved = []
        for path in sorted(folder.iterdir()) if folder.is_dir() else []:
            if path.name in names or _LINK_IN_PROGRESS.fullmatch(path.name):
                continue
            if path.is_file() and not path.is_symlink():
                bounded = keep is not None and path.stat().st_size > keep
                kept = self.quarantine(path, f"{label}.{path.name}", "" if bounded else sha256_of(path), keep=keep)
            else:
                kind = "link" if path.is_symlink() else "folder"
                (self.root / "quarantine").mkdir(parents=True, exist_ok=True)
                kept = inside(self.root / "quarantine", f"{label}.{path.name}.{kind}.{os.getpid()}")
                os.replace(path, kept)
            moved.append(f"{path.name} (moved to {kept})")
        return moved

    def looks_verified(self, path: Path, sha256: str, size: int | None = None) -> bool:
        """True when `path` was verified as `sha256` and still has the pinned `size`; reads no bytes of it."""
        if not path.is_file() or (size is not None and path.stat().st_size != size):
            return False
        return recorded_sha256(path) == sha256

    def holds(self, path: Path, sha256: str) -> bool:
        """True when `path` holds the bytes `sha256` (hashed on first use); changed bytes are quarantined."""
        try:
            stat = path.stat()
        except FileNotFoundError:
            return False
        if not path.is_file():
            return False
        identity = (stat.st_ino, stat.st_size, stat.st_mtime_ns, stat.st_ctime_ns)
        if _HASHED.get(path) == (identity, sha256):
            return True
        observed = sha256_of(path)
        if observed == sha256:
            _HASHED[path] = (identity, sha256)
            if recorded_sha256(path) != sha256:
                mark_verified(path, sha256)
            return True
        kept = self.quarantine(path, path.name, observed)
        log.warning("cached file %s changed (sha256 %s, expected %s); moved to %s", path, observed, sha256, kept)
        return False

    def stored_files(self, only: set[str] | None = None) -> list[tuple[Path, str]]:
        """(path, sha256 it was verified with) of every cached input file: blobs and extracted members.

        `only` keeps the blobs, and the members of archives, whose sha256 is in it. Links (sets),
        markers, quarantined bytes and downloads in progress are not input files and are left out.
        """
        files = []
        for path in sorted((self.root / "sha256").glob("*/*")):
            if _HEX64.fullmatch(path.name) and (only is None or path.name in only):
                files.append((path, path.name))
        for folder in sorted((self.root / "extracted").glob("*")):
            if folder.is_dir() and (only is None or folder.name in only):
                members = sorted(p for p in folder.rglob("*") if p.is_file() and p.suffix != MARK_SUFFIX)
                files += [(path, recorded_sha256(path)) for path in members]
        return files

    def verify_all(self, only: set[str] | None = None) -> list[CacheCheck]:
        """Re-hash every cached input file (or those `only` selects, see `stored_files`)."""
        return [_recheck(path, expected) for path, expected in self.stored_files(only)]

def inside(root: Path, relative: str) -> Path:
    """`root / relative`, refused (ArtifactError) unless it resolves inside `root`."""
    target = root / relative
    if not target.resolve().is_relative_to(root.resolve()):
        raise ArtifactError(f"refusing to write {target}: it would leave {root}")
    return target


def _marker(path: Path) -> Path:
    """The verification marker of `path`."""
    return path.with_name(path.name + MARK_SUFFIX)


def mark_verified(path: Path, sha256: str) -> None:
    """Record that `path` was hashed to `sha256` (its size too, for a reader of the cache): the marker is
    replaced (a new file renamed onto it), never written through, so a link planted there is not followed."""
    with atomic_path(_marker(path)) as tmp:
        tmp.write_text(f"{sha256} {path.stat().st_size}\n")


def recorded_sha256(path: Path) -> str:
    """The sha256 recorded in `path`'s marker, or "" when it has none (or a link, or anything but a short record)."""
    try:
        fd = os.open(_marker(path), os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK)
        with os.fdopen(fd, "rb") as handle:
            words = handle.read(_MARKER_BYTES + 1).split()
    except OSError:
        return ""
    return words[0].decode("ascii", "replace") if words and len(words[0]) == 64 else ""


def _recheck(path: Path, expected: str) -> CacheCheck:
    """Re-hash `path` against `expected`, refreshing its marker when it still matches."""
    observed = sha256_of(path)
    if observed == expected:
        mark_verified(path, expected)
    else:
        _HASHED.pop(path, None)
    return CacheCheck(path, expected or "(no recorded checksum)", observed)


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

    @contextlib.contextmanager
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
            f"  kept aside in {kept}"
            f"{f' (only its first {pin.limit:,} bytes, its bound, named by their sha256)' if cut else ''}; "
            "nothing was stored under the input's name.\n"
            "  What to do: if the mirror holds this file, replace it with the bytes of the URL; if the URL "
            "now serves other bytes, it no longer holds the pinned input: report it rather than re-pin."
        )

    def member(self, entry: InputEntry, archive_path: Path) -> Path:
        """The verified archive's member, extracted once into the cache; never outside its folder."""
        label = f"input {entry.id}"
        name = choose_member(archive_path, entry.member, label)
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
                copy_member(archive_path, name, label, writer)
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
                f"which are never read: {'; '.join(unlisted)}. "
                "Run again: the set's folder now holds its listed files only."
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


def unsafe_reason(name: str) -> str:
    """Why the member name `name` could escape the extraction folder; "" when it cannot."""
    parts = PurePosixPath(name).parts
    if name.startswith("/") or "\\" in name or (parts and ":" in parts[0]):
        return "an absolute or non-POSIX path"
    if ".." in parts:
        return "a '..' component"
    return ""


def pick_member(archive: zipfile.ZipFile, wanted: str, label: str) -> zipfile.ZipInfo:
    """The member to extract: `wanted`, or else the archive's single `*.db` file; checks every name."""
    for info in archive.infolist():
        reason = unsafe_reason(info.filename) or ("a symbolic link" if S_ISLNK(info.external_attr >> 16) else "")
        if reason:
            raise ArtifactError(f"{label}: archive member {info.filename!r} is {reason}; refusing to extract from it")
    files = [info for info in archive.infolist() if not info.is_dir()]
    names = ", ".join(info.filename for info in files) or "none"
    if wanted:
        chosen = [info for info in files if info.filename == wanted]
        if not chosen:
            raise ArtifactError(f"{label}: the archive has no member {wanted!r} (its members: {names}); fix `member`")
    else:
        chosen = [info for info in files if info.filename.endswith(".db")]
        if len(chosen) != 1:
            raise ArtifactError(
                f"{label}: expected exactly one *.db member in the archive, found {len(chosen)} "
                f"(its members: {names}); name the one to use with `member = \"...\"` in the manifest"
            )
    return chosen[0]


def choose_member(archive_path: Path, wanted: str, label: str) -> str:
    """The name of the member to extract from the zip at `archive_path` (every name checked first)."""
    with _open_zip(archive_path, label) as archive:
        return pick_member(archive, wanted, label).filename


def copy_member(archive_path: Path, name: str, label: str, writer: HashingWriter) -> None:
    """Stream member `name` (decompressed, its CRC checked by zipfile) into `writer`."""
    with _open_zip(archive_path, label) as archive, archive.open(name) as source:
        shutil.copyfileobj(source, writer, CHUNK)


@contextlib.contextmanager
def _open_zip(archive_path: Path, label: str) -> Iterator[zipfile.ZipFile]:
    """The zip file, with a damaged archive reported as an ArtifactError naming it."""
    try:
        with zipfile.ZipFile(archive_path) as archive:
            yield archive
    except zipfile.BadZipFile as error:
        raise ArtifactError(f"{label}: {archive_path} is not a readable zip archive ({error})") from None
