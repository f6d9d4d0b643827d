"""The mirror folder (ARTIFACT_MIRROR) as a source: the file of a URL at `<mirror>/<host>/<url path>`."""

from __future__ import annotations

from pathlib import Path

from artifact.inputs.digests import HashingWriter, TooLarge
from artifact.inputs.fetch import DamagedSource, SourceFailed, copy_from_mirror, mirror_path
from artifact.inputs.pin import Copy, Pin


class MirrorSource:
    """Copies from the mirror folder, when one is set."""

    name = "mirror"

    def __init__(self, folder: Path | None) -> None:
        self.folder = folder

    def copy(self, pin: Pin, tmp: Path, progress: bool = True) -> Copy:
        """The mirror's bytes for `pin` written to `tmp` (at most its size + 1); SourceFailed when it has none.

        `progress` is for the network's sake: a local copy shows no bar.
        """
        if self.folder is None:
            raise SourceFailed("ARTIFACT_MIRROR is not set")
        origin = f"the mirror copy of {pin.url} (under {self.folder})"
        limit = None if pin.limit is None else pin.limit + 1
        try:
            with tmp.open("wb") as handle:
                writer = HashingWriter(handle, limit)
                where = copy_from_mirror(self.folder, pin.url, writer)
            return Copy(writer, f"mirror file {where}")
        except TooLarge as error:
            return Copy(error.writer, origin, damaged=str(error))
        except DamagedSource as error:
            return Copy(writer, origin, damaged=str(error))

    def target(self, url: str) -> Path:
        """Where the mirror would need the file for `url` (under `$ARTIFACT_MIRROR` when unset)."""
        return mirror_path(self.folder or Path("$ARTIFACT_MIRROR"), url)

    def hint(self, url: str) -> str:
        """The mirror path for `url`, with what else would do."""
        if self.folder is None:
            return f"{self.target(url)} once ARTIFACT_MIRROR names a mirror folder"
        return f"{self.target(url)} (or a gzip copy at that path + .gz)"
