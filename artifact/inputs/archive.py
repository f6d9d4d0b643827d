"""Safe extraction of one member from a verified zip archive.

The whole archive is refused when any member name could leave the extraction folder (an absolute
path, a `..` component, a backslash or drive letter) or is a symbolic link: such an archive is not
what the pin was meant to vouch for.
"""

from __future__ import annotations

import contextlib
import shutil
import stat
import zipfile
from collections.abc import Iterator
from pathlib import Path, PurePosixPath

from artifact.errors import ArtifactError
from artifact.inputs.digests import CHUNK, HashingWriter


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
        reason = unsafe_reason(info.filename) or ("a symbolic link" if stat.S_ISLNK(info.external_attr >> 16) else "")
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
    with _open(archive_path, label) as archive:
        return pick_member(archive, wanted, label).filename


def copy_member(archive_path: Path, name: str, label: str, writer: HashingWriter) -> None:
    """Stream member `name` (decompressed, its CRC checked by zipfile) into `writer`."""
    with _open(archive_path, label) as archive, archive.open(name) as source:
        shutil.copyfileobj(source, writer, CHUNK)


@contextlib.contextmanager
def _open(archive_path: Path, label: str) -> Iterator[zipfile.ZipFile]:
    """The zip file, with a damaged archive reported as an ArtifactError naming it."""
    try:
        with zipfile.ZipFile(archive_path) as archive:
            yield archive
    except zipfile.BadZipFile as error:
        raise ArtifactError(f"{label}: {archive_path} is not a readable zip archive ({error})") from None
