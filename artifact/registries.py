"""The registries Metric 2 compares, one record each: every list of registries derives from REGISTRIES.

Adding a registry is a record here, a loader for its snapshot files (artifact/loaders/registry.py)
and its inputs (a profile's snapshots and their manifest entries). A record lacking a field fails
when this module is imported.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, kw_only=True)
class Registry:
    """One registry: its id and title, its colour, its download counts, its live source and its loaders."""

    id: str  # as profiles, manifest entries and output paths name it
    title: str  # Figure 6's panel title
    colour: int  # index into artifact.figures.style.PALETTE (the drop-off figure's line colour)
    has_counts: bool  # its top lists carry download counts (the drop-off curves need them)
    snapshot_source: str  # module of artifact/snapshots/ whose `fetch(top, policy)` reads it live; "" for none
    default_top: int  # entries a live snapshot must hold at the least (hf: models to list)
    loaders: tuple[str, ...]  # keys of artifact.loaders.registry.SNAPSHOT_LOADERS its snapshots may name

    def __post_init__(self) -> None:
        if not (self.id and self.title and self.loaders) or self.default_top < 1:
            raise ValueError(f"registry record {self!r}: id, title and loaders must be given, default_top at least 1")


# In Figure 6's panel order.
REGISTRIES: tuple[Registry, ...] = (
    Registry(id="npm", title="npm", colour=2, has_counts=False, snapshot_source="npm", default_top=1_000, loaders=("toplist-csv", "npm-top-js")),
    Registry(id="pypi", title="PyPI", colour=1, has_counts=True, snapshot_source="pypi", default_top=1_000, loaders=("toplist-csv", "pypi-top-json")),
    Registry(
        id="hf", title="Hugging Face", colour=0, has_counts=True, snapshot_source="hub", default_top=15_000,
        loaders=("hf-ancient", "hf-old", "peatmoss", "hf-new", "hf-model-info", "hub-listing", "toplist-csv"),
    ),
)


def registries() -> tuple[Registry, ...]:
    """Every registry, in panel order (read at each call, so that a test may add one)."""
    return REGISTRIES


def registry(registry_id: str) -> Registry:
    """The record of `registry_id`; an unknown id is a KeyError naming the known ones."""
    for record in registries():
        if record.id == registry_id:
            return record
    raise KeyError(f"no registry {registry_id!r}; registries: {', '.join(r.id for r in registries())}")


def snapshot_sources() -> tuple[str, ...]:
    """Ids of the registries a live snapshot can be taken of."""
    return tuple(r.id for r in registries() if r.snapshot_source)
