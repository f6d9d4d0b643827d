"""Settings read from the environment, in one place (listed in the README), validated once.

A value the artifact cannot use is refused with a `SettingsError` naming the variable, what it
holds and what it accepts: a setting that fails open (network allowed by a typo in
ARTIFACT_OFFLINE) or a path that is not a writable folder would otherwise surface later, as a
traceback or as the wrong behaviour.
"""

from __future__ import annotations

import os
import tempfile
from dataclasses import dataclass
from pathlib import Path

from artifact.errors import ArtifactError

BOOLEANS = {"1": True, "true": True, "yes": True, "0": False, "false": False, "no": False, "": False}
# Not under outputs/ (which `make clean` removes): live snapshots cannot be taken again.
DEFAULT_SNAPSHOTS = Path("snapshots")
DEFAULT_EXTENDED_BASE = "independent"
ROOT = Path(__file__).resolve().parents[1]  # the checkout, or the unpacked deposit
# An unpacked deposit's inputs, in the mirror layout: the mirror when ARTIFACT_MIRROR is unset.
DEPOSIT_INPUTS = ROOT / "inputs"


class SettingsError(ArtifactError):
    """An environment variable or option holds a value the artifact does not accept."""


def parse_flag(name: str, value: str | None) -> bool:
    """A yes/no variable: 0/1/true/false/yes/no (any case; unset or empty = no); anything else is refused."""
    try:
        return BOOLEANS[(value or "").strip().lower()]
    except KeyError:
        raise SettingsError(
            f"{name}={value!r} is not understood; use one of 0, 1, true, false, yes, no (unset means no)"
        ) from None


def check_workers(workers: int) -> int:
    """The worker count, refused unless at least 1 (0 or -1 would leave every task to nobody)."""
    if workers < 1:
        raise SettingsError(f"WORKERS (--workers) must be a whole number of at least 1, not {workers}")
    return workers


def check_writable_folder(path: Path, name: str) -> None:
    """Refuse `path` (the value of variable `name`) unless it is a folder we can write in, or could be made one.

    Nothing is created: writing is tried (a file made and removed at once) in `path`, or in its
    nearest existing parent, so read-only mounts and permissions are seen as the run would see them,
    also for root.
    """
    existing = next((p for p in (path, *path.absolute().parents) if p.exists()), None)
    if existing is not None and not existing.is_dir():
        raise SettingsError(f"{name}={path} is not usable: {existing} is a file, not a folder; name a folder")
    try:
        with tempfile.TemporaryFile(dir=existing, prefix=".write-test-"):
            pass
    except OSError as error:
        raise SettingsError(
            f"{name}={path} is not a folder this run can write in ({error.strerror or error}); "
            f"make it writable or point {name} at another folder"
        ) from None


@dataclass(frozen=True)
class Settings:
    """Where outputs, the download cache and the mirror live, and whether the network is allowed."""

    outputs_root: Path
    cache_dir: Path
    mirror_dir: Path | None
    offline: bool
    manifest: Path | None  # another inputs manifest instead of the shipped one
    snapshots_dir: Path = DEFAULT_SNAPSHOTS  # `python -m artifact snapshot` files and their snapshots.toml
    extended_base: str = DEFAULT_EXTENDED_BASE  # the profile that `extended` adds the snapshots to

    @classmethod
    def from_env(cls, env: dict[str, str] | None = None) -> "Settings":
        """Read ARTIFACT_OUTPUTS, ARTIFACT_CACHE, ARTIFACT_MIRROR, ARTIFACT_OFFLINE, ARTIFACT_MANIFEST,
        ARTIFACT_SNAPSHOTS, ARTIFACT_EXTENDED_BASE."""
        env = dict(os.environ if env is None else env)
        mirror = env.get("ARTIFACT_MIRROR", "").strip()
        manifest = env.get("ARTIFACT_MANIFEST", "").strip()
        return cls(
            outputs_root=Path(env.get("ARTIFACT_OUTPUTS", "outputs")),
            cache_dir=Path(env["ARTIFACT_CACHE"]) if env.get("ARTIFACT_CACHE") else default_cache(env),
            mirror_dir=Path(mirror) if mirror else default_mirror(),
            offline=parse_flag("ARTIFACT_OFFLINE", env.get("ARTIFACT_OFFLINE")),
            manifest=Path(manifest) if manifest else None,
            snapshots_dir=Path(env.get("ARTIFACT_SNAPSHOTS", "").strip() or DEFAULT_SNAPSHOTS),
            extended_base=env.get("ARTIFACT_EXTENDED_BASE", "").strip() or DEFAULT_EXTENDED_BASE,
        )

    def check_writable(self) -> None:
        """Before any task starts: the outputs and cache folders are folders, and writable."""
        check_writable_folder(self.outputs_root, "ARTIFACT_OUTPUTS")
        check_writable_folder(self.cache_dir, "ARTIFACT_CACHE")

def source_date_epoch(env: dict[str, str] | None = None) -> int | None:
    """SOURCE_DATE_EPOCH (the file times of reproducible archives) when set, else None."""
    value = dict(os.environ if env is None else env).get("SOURCE_DATE_EPOCH", "").strip()
    if not value:
        return None
    if not value.isdigit():
        raise SettingsError(f"SOURCE_DATE_EPOCH={value!r} is not a whole number of seconds since 1970; set one or unset it")
    return int(value)


def default_mirror() -> Path | None:
    """The mirror when ARTIFACT_MIRROR is unset: an unpacked deposit's `inputs/` folder, if this is one."""
    return DEPOSIT_INPUTS if DEPOSIT_INPUTS.is_dir() else None


def default_cache(env: dict[str, str] | None = None) -> Path:
    """The download cache when ARTIFACT_CACHE is not set: `$XDG_CACHE_HOME/hf-claims-artifact` (else ~/.cache)."""
    env = dict(os.environ if env is None else env)
    return Path(env.get("XDG_CACHE_HOME", Path.home() / ".cache")) / "hf-claims-artifact"
