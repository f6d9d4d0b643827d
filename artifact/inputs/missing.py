"""What the error of a missing input says: the URL, the checksum, where the mirror needs the file, what was tried."""

from __future__ import annotations

from artifact.inputs.from_mirror import MirrorSource
from artifact.inputs.manifest import InputEntry
from artifact.inputs.pin import Pin

LISTED_MEMBERS = 10  # missing members of a set named one by one in the error; the rest are counted


def missing_message(pin: Pin, tried: str, mirror: MirrorSource) -> str:
    """What is missing, how to check it, where the mirror needs it, and what was tried."""
    checksum = f"sha256 {pin.sha256}" if pin.sha256 else f"git blob {pin.git_blob} (sha256 not yet locked)"
    size = f", {pin.size} bytes" if pin.size is not None else ""
    return (
        f"input {pin.label} is not available.\n  url: {pin.url}\n  checksum: {checksum}{size}\n"
        f"  mirror path: {mirror.hint(pin.url)}\n  tried: {tried}"
    )


def set_missing_message(entry: InputEntry, missing: list[tuple[Pin, str]], mirror: MirrorSource) -> str:
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
