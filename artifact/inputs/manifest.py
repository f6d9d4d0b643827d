"""The inputs manifest (`manifest.toml`): one entry per input file, each pinned by checksum."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path

from artifact.errors import ArtifactError

MANIFEST_NAME = "manifest.toml"


@dataclass(frozen=True)
class InputEntry:
    """One pinned input: where its bytes come from and how to check them."""

    id: str
    profiles: tuple[str, ...]
    source: str
    snapshot: str
    format: str
    what: str
    licence: str = "unknown"
    citation: str = ""
    url: str = ""  # pinned to an immutable revision; empty for files shipped in the package
    local: str = ""  # a local file: absolute, or relative to the `artifact` package
    size: int | None = None
    sha256: str = ""
    sums: str = ""  # a sums file next to the manifest that holds this entry's sha256
    git_blob: str = ""
    extra: dict = field(default_factory=dict)

    @property
    def location(self) -> str:
        """Where the bytes come from: the URL, or the local file (absolute, or in the package)."""
        return self.url or (self.local if Path(self.local).is_absolute() else f"artifact/{self.local}")

    def describe(self) -> str:
        """A one-line description for messages and reports."""
        return f"{self.id} ({self.location})"


def manifest_path() -> Path:
    """The manifest shipped in the package."""
    return Path(str(resources.files("artifact.inputs").joinpath(MANIFEST_NAME)))


def load_manifest(path: Path | None = None) -> dict[str, InputEntry]:
    """Entries by id; raises ArtifactError on a malformed manifest naming the entry and field."""
    path = path or manifest_path()
    with path.open("rb") as handle:
        data = tomllib.load(handle)
    known = set(InputEntry.__dataclass_fields__) - {"extra"}
    entries: dict[str, InputEntry] = {}
    for index, raw in enumerate(data.get("input", [])):
        for required in ("id", "profiles", "source", "snapshot", "format", "what"):
            if required not in raw:
                raise ArtifactError(f"{path}: input #{index + 1} lacks the field {required!r}")
        fields = {k: v for k, v in raw.items() if k in known}
        fields["profiles"] = tuple(fields["profiles"])
        if fields.get("sums") and not fields.get("sha256"):
            fields["sha256"] = _sums_lookup(path.parent / fields["sums"], fields.get("local") or fields.get("url", ""))
        entry = InputEntry(**fields, extra={k: v for k, v in raw.items() if k not in known})
        if entry.id in entries:
            raise ArtifactError(f"{path}: input id {entry.id!r} appears twice")
        if not (entry.sha256 or entry.git_blob or not (entry.url or entry.local)):
            raise ArtifactError(f"{path}: input {entry.id!r} has a location but no sha256 or git_blob")
        entries[entry.id] = entry
    return entries


def read_sums(path: Path) -> dict[str, str]:
    """A `sha256sum`-format file as {name: sha256}."""
    sums = {}
    for line in path.read_text().splitlines():
        if line.strip():
            digest, name = line.split(maxsplit=1)
            sums[name.lstrip("*")] = digest
    return sums


def _sums_lookup(sums_path: Path, key: str) -> str:
    try:
        return read_sums(sums_path)[key]
    except (FileNotFoundError, KeyError):
        raise ArtifactError(f"{sums_path}: no checksum for {key!r}; regenerate the sums file") from None
