"""The Zenodo deposit: the committed tree (and the inputs that may be redistributed) as one .tar.gz.

The tree comes from `git archive` of a commit: HEAD when the working tree is clean; with
uncommitted changes only when asked (`allow_dirty`), from a commit of the working tree that
`git stash create` makes without touching it, and DEPOSIT.md then says so and lists the files.
A symbolic link anywhere in the tree is refused (its target would be another machine's file).
Inputs are packed in the mirror layout (`inputs/<host>/<url path>`), which a run from the
unpacked deposit reads without any setting; each is re-hashed against its pin before and while
it is packed, and only an input whose licence allows redistribution is packed: the others are
listed in DEPOSIT.md with URL, size, sha256 and the path where a reader puts the bytes.

Entries are sorted, owners and times fixed (SOURCE_DATE_EPOCH, else the commit's date), modes
normalised, and the gzip header carries no name or time, so building twice gives the same
archive. A SHA256SUMS member lists every other member.
"""

from __future__ import annotations

import errno
import gzip
import hashlib
import io
import os
import subprocess
import tarfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from artifact.atomic import atomic_path
from artifact.errors import ArtifactError
from artifact.inputs.digests import CHUNK
from artifact.inputs.fetch import mirror_path
from artifact.inputs.lockfile import LockRecord
from artifact.inputs.manifest import InputEntry

PREFIX = "hf-claims-artifact"
INPUTS = "inputs"
# SPDX ids whose terms allow anyone to redistribute the bytes unchanged (with the notice they carry).
REDISTRIBUTABLE = frozenset(
    {"0BSD", "Apache-2.0", "BSD-2-Clause", "BSD-3-Clause", "CC-BY-4.0", "CC-BY-SA-4.0", "CC0-1.0", "ISC", "MIT",
     "ODC-By-1.0", "ODbL-1.0", "PDDL-1.0", "Unlicense"}
)


class DepositError(ArtifactError):
    """The deposit cannot be built as asked: the message names the file and what to do."""


@dataclass(frozen=True)
class Tree:
    """The commit a deposit is built from, and the uncommitted files it holds (empty unless allowed)."""

    commit: str  # HEAD
    epoch: int  # SOURCE_DATE_EPOCH, else the commit's date
    dirty: tuple[str, ...] = ()  # tracked files with uncommitted changes, packed as they are
    archived: str = ""  # the commit `git archive` reads: HEAD, or one of the working tree (--allow-dirty)


@dataclass(frozen=True)
class InputFile:
    """One file of an input, as the deposit sees it: where it comes from and where it goes."""

    input_id: str
    licence: str
    url: str
    sha256: str
    size: int | None
    profile: str  # one profile that reads it (`make fetch PROFILE=...` gets it)
    git_blob: str = ""  # the pin, when the manifest holds no sha256 and the lock none yet
    fileset: str = ""  # the TSV (next to the manifest) listing the set this file belongs to

    @property
    def name(self) -> str:
        """Its path in the deposit: the mirror layout under `inputs/`."""
        return mirror_path(Path(INPUTS), self.url).as_posix()


@dataclass(frozen=True)
class Member:
    """One archive member: its bytes in memory, or a file read while packing (checked against `sha256`)."""

    name: str
    data: bytes | None = None
    path: Path | None = None
    sha256: str = ""
    executable: bool = False


def _git(repo: Path, *args: str) -> bytes:
    """The output of a git command in `repo`; a failure names the command."""
    try:
        return subprocess.run(["git", "-C", str(repo), *args], capture_output=True, check=True).stdout
    except (OSError, subprocess.CalledProcessError) as error:
        stderr = getattr(error, "stderr", b"") or b""
        raise DepositError(f"`git {' '.join(args)}` failed in {repo}: {stderr.decode().strip() or error}") from None


def committed_tree(repo: Path, allow_dirty: bool = False, epoch: int | None = None) -> Tree:
    """The commit to archive; refuses uncommitted changes to tracked files unless `allow_dirty`.

    File times: `epoch` (SOURCE_DATE_EPOCH, from the settings) when given, else the commit's date.
    """
    changed = _git(repo, "diff", "HEAD", "--name-only", "-z").decode()  # tracked files, staged or not, against HEAD
    dirty = tuple(sorted(name for name in changed.split("\0") if name))
    if dirty and not allow_dirty:
        raise DepositError(
            f"{repo} has uncommitted changes ({', '.join(dirty[:5])}{', ...' if len(dirty) > 5 else ''}): the deposit "
            "is the committed tree; commit them (or `git stash`), or pass --allow-dirty (make zenodo ALLOW_DIRTY=1), "
            "which the deposit's DEPOSIT.md then records"
        )
    head = _git(repo, "rev-parse", "HEAD").decode().strip()
    archived = head
    if dirty:  # a commit object of the working tree, made without changing the index, tree or refs
        made = _git(repo, "-c", "user.name=deposit", "-c", "user.email=deposit@localhost", "stash", "create")
        archived = made.decode().strip() or head
    when = epoch if epoch is not None else int(_git(repo, "show", "-s", "--format=%ct", head))
    return Tree(head, when, dirty, archived)


def tree_members(repo: Path, tree: Tree) -> list[Member]:
    """Every file of the tree from `git archive`; a symbolic link (or any non-file) is refused by name."""
    members = []
    with tarfile.open(fileobj=io.BytesIO(_git(repo, "archive", "--format=tar", tree.archived or tree.commit)), mode="r:") as tar:
        for info in tar:
            if info.isdir() or info.type == tarfile.XGLTYPE:
                continue
            if not info.isfile():
                kind = f"a symbolic link to {info.linkname}" if info.issym() else "not a regular file"
                raise DepositError(
                    f"{info.name} is {kind}: a deposit holds no links (the target would be this machine's file); "
                    "replace it with the file itself, or remove it, and commit"
                )
            data = tar.extractfile(info).read()
            members.append(Member(info.name, data=data, executable=bool(info.mode & 0o100)))
    return members


def input_files(entries: Iterable[InputEntry], lock: dict[str, LockRecord]) -> tuple[list[InputFile], list[InputEntry]]:
    """(the files of the entries that have a URL, the entries that have none and are not shipped in the package)."""
    files, nowhere = [], []
    for entry in entries:
        if entry.local:
            continue  # in the package, hence in the tree
        if entry.members:
            files += [InputFile(entry.id, entry.licence, m.url, m.sha256, m.size, entry.profiles[0], fileset=entry.fileset)
                for m in entry.members]
        elif entry.url:
            locked = lock.get(entry.id)
            sha256, size = entry.sha256, entry.size
            if not sha256 and locked and (locked.url, locked.git_blob) == (entry.url, entry.git_blob):
                sha256, size = locked.sha256, locked.size
            files.append(InputFile(entry.id, entry.licence, entry.url, sha256, size, entry.profiles[0], entry.git_blob))
        else:
            nowhere.append(entry)
    return files, nowhere


def choose_inputs(files: list[InputFile], asked: set[str] | None) -> tuple[list[InputFile], list[InputFile]]:
    """(files to pack, files to list): `asked` None packs every redistributable input; named ones must be."""
    known = {f.input_id for f in files}
    if asked is not None:
        if asked - known:
            raise DepositError(f"--input {', '.join(sorted(asked - known))}: no input of the manifest with a URL has that id")
        for f in files:
            if f.input_id in asked and f.licence not in REDISTRIBUTABLE:
                raise DepositError(
                    f"input {f.input_id} ({f.url}) has licence {f.licence!r}, which does not allow redistribution: "
                    "it cannot be packed; leave it out and the deposit's DEPOSIT.md lists it with URL and sha256"
                )
    pack = [f for f in files if (f.input_id in asked if asked is not None else f.licence in REDISTRIBUTABLE)]
    return pack, [f for f in files if f not in pack]


def checked_input(f: InputFile, blob: Path) -> Member:
    """The cached file of `f` re-hashed against its pin (no link followed); refused by name when it differs."""
    if not f.sha256:
        raise DepositError(f"input {f.input_id} ({f.url}) has no sha256 yet: `make fetch` it once, which locks it")
    try:
        observed = _sha256_nofollow(blob)
    except FileNotFoundError:
        raise DepositError(
            f"input {f.input_id}: {blob} is not in the download cache; run `make fetch PROFILE={f.profile}` first"
        ) from None
    if observed != f.sha256:
        raise DepositError(
            f"input {f.input_id}: the cached file {blob} has sha256 {observed}, not its pin {f.sha256}; "
            "run `make verify-data` (which quarantines it) and `make fetch` again"
        )
    return Member(f.name, path=blob, sha256=f.sha256)


def _sha256_nofollow(path: Path) -> str:
    """sha256 of a regular file, refusing a symbolic link at the last component."""
    digest = hashlib.sha256()
    for chunk in _chunks(path):
        digest.update(chunk)
    return digest.hexdigest()


def _open_nofollow(path: Path) -> int:
    """A read-only descriptor of `path`; a symbolic link at the last component raises DepositError."""
    try:
        return os.open(path, os.O_RDONLY | os.O_NOFOLLOW)
    except OSError as error:
        if error.errno == errno.ELOOP:
            raise DepositError(f"{path} is a symbolic link: the deposit packs files only; replace it by its bytes") from None
        raise


def _chunks(path: Path) -> Iterator[bytes]:
    """The file's bytes in chunks, opened without following a link."""
    with os.fdopen(_open_nofollow(path), "rb") as handle:
        while chunk := handle.read(CHUNK):
            yield chunk


def _tar_info(name: str, size: int, mtime: int, executable: bool) -> tarfile.TarInfo:
    info = tarfile.TarInfo(f"{PREFIX}/{name}")
    info.size, info.mtime, info.mode = size, mtime, 0o755 if executable else 0o644
    info.uid = info.gid = 0
    info.uname = info.gname = ""
    return info


class _HashingReader:
    """A member's file as tarfile reads it, hashed on the way (opened without following a link)."""

    def __init__(self, member: Member) -> None:
        self.member, self.digest = member, hashlib.sha256()
        self.handle = os.fdopen(_open_nofollow(member.path), "rb")

    def read(self, size: int = -1) -> bytes:
        data = self.handle.read(size)
        self.digest.update(data)
        return data

    def finish(self) -> None:
        """Hash whatever tarfile did not read; refuse the file if its bytes changed since the check."""
        with self.handle:
            while self.read(CHUNK):
                pass
        if self.digest.hexdigest() != self.member.sha256:
            raise DepositError(f"{self.member.path} changed while it was packed; build the deposit again")


def write_archive(members: list[Member], out: Path, mtime: int) -> str:
    """Write the sorted members plus SHA256SUMS to `out` atomically; return the archive's sha256."""
    members = sorted(members, key=lambda m: m.name)
    sums = "".join(f"{m.sha256 or hashlib.sha256(m.data).hexdigest()}  {m.name}\n" for m in members).encode()
    with (
        atomic_path(out) as tmp,
        open(tmp, "wb") as raw,
        gzip.GzipFile(filename="", mode="wb", fileobj=raw, mtime=0) as zipped,
        tarfile.open(fileobj=zipped, mode="w", format=tarfile.PAX_FORMAT) as tar,
    ):
        for m in [*members, Member("SHA256SUMS", data=sums)]:
            if m.data is not None:
                tar.addfile(_tar_info(m.name, len(m.data), mtime, m.executable), io.BytesIO(m.data))
            else:
                reader = _HashingReader(m)
                size = os.fstat(reader.handle.fileno()).st_size
                tar.addfile(_tar_info(m.name, size, mtime, False), reader)
                reader.finish()
    return hashlib.sha256(out.read_bytes()).hexdigest()
