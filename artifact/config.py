"""Settings read from the environment, in one place (listed in the README)."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

_TRUE = {"1", "true", "yes", "on"}
# Not under outputs/ (which `make clean` removes): live snapshots cannot be taken again.
DEFAULT_SNAPSHOTS = Path("snapshots")
DEFAULT_EXTENDED_BASE = "independent"


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
            mirror_dir=Path(mirror) if mirror else None,
            offline=env.get("ARTIFACT_OFFLINE", "").strip().lower() in _TRUE,
            manifest=Path(manifest) if manifest else None,
            snapshots_dir=Path(env.get("ARTIFACT_SNAPSHOTS", "").strip() or DEFAULT_SNAPSHOTS),
            extended_base=env.get("ARTIFACT_EXTENDED_BASE", "").strip() or DEFAULT_EXTENDED_BASE,
        )


def default_cache(env: dict[str, str] | None = None) -> Path:
    """The download cache when ARTIFACT_CACHE is not set: `$XDG_CACHE_HOME/hf-claims-artifact` (else ~/.cache)."""
    env = dict(os.environ if env is None else env)
    return Path(env.get("XDG_CACHE_HOME", Path.home() / ".cache")) / "hf-claims-artifact"
