"""The inputs manifest (`manifest.toml`): one entry per input file, each pinned by checksum."""

from __future__ import annotations

import csv
import re
import tomllib
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path, PurePosixPath

from artifact.errors import ArtifactError

MANIFEST_NAME = "manifest.toml"
ARCHIVE_KINDS = ("zip",)
FILESET_COLUMNS = ("name", "url", "size", "sha256", "git_blob")
# Ids name files in the cache and the quarantine: no separators, no leading dot, nothing to escape.
INPUT_ID = re.compile(r"[a-z0-9][a-z0-9.-]*")
# A licence is an SPDX id (https://spdx.org/licenses/) or "unknown"; the deposit packs an input only when
# its id is one that allows redistribution (artifact/zenodo.py).
SPDX_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9.+-]*")


@dataclass(frozen=True)
class SetMember:
    """One file of a set of files pinned as a single input (the Hub listing pages)."""

    name: str  # the file's name in the folder that resolving the set returns
    url: str
    size: int | None
    sha256: str
    git_blob: str = ""


@dataclass(frozen=True)
class InputEntry:
    """One pinned input: where its bytes come from and how to check them."""

    id: str
    profiles: tuple[str, ...]
    source: str
    snapshot: str
    format: str
    what: str
    licence: str = "unknown"  # an SPDX id or "unknown" (the shipped manifest states it for every entry)
    citation: str = ""
    url: str = ""  # pinned to an immutable revision; empty for files shipped in the package
    local: str = ""  # a local file: absolute, or relative to the `artifact` package
    size: int | None = None
    max_size: int | None = None  # the bound of an input pinned without its size (its host's limit)
    sha256: str = ""
    sums: str = ""  # a sums file next to the manifest that holds this entry's sha256
    git_blob: str = ""
    archive: str = ""  # "zip": the input is one member of the archive at `url`
    member: str = ""  # that member's path inside the archive; default: its single `*.db` member
    fileset: str = ""  # a TSV next to the manifest listing a set of files (FILESET_COLUMNS)
    unavailable: str = ""  # why the input cannot be had at all (no url, no local file)
    used_by: str = ""  # the metrics, figures and claims that read this input
    members: tuple[SetMember, ...] = ()  # read from `fileset`, not written in the manifest
    extra: dict = field(default_factory=dict)

    @property
    def location(self) -> str:
        """Where the bytes come from: the URL, the file set's list, the local file (absolute, or in the
        package), or "" for an input that has none (one that cannot be had)."""
        if self.url or self.fileset:
            return self.url or f"artifact/inputs/{self.fileset}"
        if not self.local:
            return ""
        return self.local if Path(self.local).is_absolute() else f"artifact/{self.local}"

    def describe(self) -> str:
        """A one-line description for messages and reports."""
        if self.fileset:
            where = f"{len(self.members)} files listed in artifact/inputs/{self.fileset}"
        elif self.url or self.local:
            where = self.location
        else:
            where = f"unavailable: {self.unavailable}"
        return f"{self.id} ({where})"


def manifest_path() -> Path:
    """The manifest shipped in the package."""
    return Path(str(resources.files("artifact.inputs").joinpath(MANIFEST_NAME)))


def load_manifest(path: Path | None = None) -> dict[str, InputEntry]:
    """Entries by id; raises ArtifactError on a malformed manifest naming the entry and field."""
    path = path or manifest_path()
    with path.open("rb") as handle:
        data = tomllib.load(handle)
    known = set(InputEntry.__dataclass_fields__) - {"extra", "members"}
    entries: dict[str, InputEntry] = {}
    for index, raw in enumerate(data.get("input", [])):
        for required in ("id", "profiles", "source", "snapshot", "format", "what"):
            if required not in raw:
                raise ArtifactError(f"{path}: input #{index + 1} lacks the field {required!r}")
        fields = {k: v for k, v in raw.items() if k in known}
        fields["profiles"] = tuple(fields["profiles"])
        if fields.get("sums") and not fields.get("sha256"):
            fields["sha256"] = _sums_lookup(path.parent / fields["sums"], fields.get("local") or fields.get("url", ""))
        if fields.get("fileset"):
            fields["members"] = read_fileset(path.parent / fields["fileset"])
        entry = InputEntry(**fields, extra={k: v for k, v in raw.items() if k not in known})
        if entry.id in entries:
            raise ArtifactError(f"{path}: input id {entry.id!r} appears twice")
        _check_entry(path, entry)
        entries[entry.id] = entry
    return entries


def _check_entry(path: Path, entry: InputEntry) -> None:
    """Reject an entry that could not be resolved or verified, naming the field at fault."""
    if not isinstance(entry.id, str) or not INPUT_ID.fullmatch(entry.id):
        raise ArtifactError(
            f"{path}: input id {entry.id!r} is not allowed: ids must match {INPUT_ID.pattern} "
            "(lower-case letters, digits, '.' and '-', starting with a letter or digit)"
        )
    if not isinstance(entry.licence, str) or not SPDX_ID.fullmatch(entry.licence):
        raise ArtifactError(
            f"{path}: input {entry.id!r} has licence {entry.licence!r}: "
            "write an SPDX id (e.g. MIT, CC-BY-4.0) or \"unknown\""
        )
    locations = [name for name in ("url", "local", "fileset") if getattr(entry, name)]
    if len(locations) > 1:
        raise ArtifactError(f"{path}: input {entry.id!r} has both {locations[0]!r} and {locations[1]!r}; keep one")
    if not locations and not entry.unavailable:
        raise ArtifactError(f"{path}: input {entry.id!r} has no url, local or fileset; say why in `unavailable`")
    if (entry.url or entry.local) and not (entry.sha256 or entry.git_blob):
        raise ArtifactError(f"{path}: input {entry.id!r} has a location but no sha256 or git_blob")
    if entry.archive and entry.archive not in ARCHIVE_KINDS:
        raise ArtifactError(f"{path}: input {entry.id!r}: archive {entry.archive!r} is not one of {ARCHIVE_KINDS}")
    if entry.member and not entry.archive:
        raise ArtifactError(f"{path}: input {entry.id!r} names a member but no archive kind")
    if entry.url and entry.size is None and not (isinstance(entry.max_size, int) and entry.max_size > 0):
        raise ArtifactError(
            f"{path}: input {entry.id!r} has no size; give its `size`, or `max_size`, the bound of its host "
            "(a file in a GitHub repository: 104857600, 100 MiB), so that no copy of it is unbounded"
        )


def read_sums(path: Path) -> dict[str, str]:
    """A `sha256sum`-format file as {name: sha256}."""
    sums = {}
    for line in path.read_text().splitlines():
        if line.strip():
            digest, name = line.split(maxsplit=1)
            sums[name.lstrip("*")] = digest
    return sums


def read_fileset(path: Path) -> tuple[SetMember, ...]:
    """The members of a set from its TSV (header `name url size sha256 git_blob`), checked."""
    try:
        with path.open(newline="") as handle:
            rows = list(csv.DictReader(handle, delimiter="\t"))
    except FileNotFoundError:
        raise ArtifactError(f"{path}: the file set's checksum list is missing; restore it from git") from None
    members = []
    for line, row in enumerate(rows, start=2):
        if tuple(row) != FILESET_COLUMNS or not row["sha256"] or not row["url"]:
            raise ArtifactError(f"{path}:{line}: expected the columns {FILESET_COLUMNS} with a url and a sha256")
        if PurePosixPath(row["name"]).name != row["name"] or row["name"] in ("", ".", ".."):
            raise ArtifactError(f"{path}:{line}: member name {row['name']!r} must be a plain file name")
        if not row["size"].isdigit():
            raise ArtifactError(
                f"{path}:{line}: member {row['name']!r} needs its size in bytes (every input is bounded)"
            )
        size = int(row["size"])
        members.append(SetMember(row["name"], row["url"], size, row["sha256"], row["git_blob"]))
    if len({m.name for m in members}) != len(members):
        raise ArtifactError(f"{path}: two members share a file name")
    return tuple(members)


def _sums_lookup(sums_path: Path, key: str) -> str:
    """The sha256 that the sums file lists for `key`."""
    try:
        return read_sums(sums_path)[key]
    except (FileNotFoundError, KeyError):
        raise ArtifactError(f"{sums_path}: no checksum for {key!r}; regenerate the sums file") from None
