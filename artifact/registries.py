"""The registries Metric 2 compares, one record each: every list of registries derives from REGISTRIES.

Adding a registry is a record here (with the manifest ids of its snapshots), a loader for its
snapshot files (artifact/loaders/registry.py) and its inputs (their manifest entries); each profile
takes its snapshots from the records. A record lacking a field fails when this module is imported.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Snapshot:
    """One snapshot of a registry that a profile reads: its date, its manifest id and its loader."""

    label: str  # the snapshot's date, YYYY-MM
    input_id: str  # id of the entry in the inputs manifest
    loader: str  # key of artifact.loaders.registry.SNAPSHOT_LOADERS


@dataclass(frozen=True, kw_only=True)
class Registry:
    """One registry: its id and title, its colour, its download counts, its live source, its loaders and snapshots."""

    id: str  # as profiles, manifest entries and output paths name it
    title: str  # Figure 6's panel title
    colour: int  # index into artifact.figures.style.PALETTE (the drop-off figure's line colour)
    has_counts: bool  # its top lists carry download counts (the drop-off curves need them)
    snapshot_source: str  # module of artifact/snapshots/ whose `fetch(top, policy)` reads it live; "" for none
    default_top: int  # entries a live snapshot must hold at the least (hf: models to list)
    loaders: tuple[str, ...]  # keys of artifact.loaders.registry.SNAPSHOT_LOADERS its snapshots may name
    snapshots: Mapping[str, tuple[Snapshot, ...]] = field(hash=False)  # its manifest ids: by profile, in date order

    def __post_init__(self) -> None:
        if not (self.id and self.title and self.loaders) or self.default_top < 1:
            raise ValueError(f"registry record {self!r}: id, title and loaders must be given, default_top at least 1")
        if unknown := sorted({s.loader for shots in self.snapshots.values() for s in shots} - set(self.loaders)):
            raise ValueError(f"registry record {self.id!r}: its snapshots name loaders {unknown} not in `loaders`")


def _top_lists(input_id: str, loader: str, labels: tuple[str, ...]) -> tuple[Snapshot, ...]:
    """One snapshot per label, its manifest id `input_id` with `{label}` filled in."""
    return tuple(Snapshot(label, input_id.format(label=label), loader) for label in labels)


# The paper's package snapshots (npm and PyPI). Its Ecosyste.ms dumps were never archived; should
# they surface, their top lists exported as CSV (name, downloads) plug in through the toplist-csv loader.
_PACKAGE_LABELS = ("2022-11", "2023-08", "2023-10", "2024-03")
_INDEPENDENT_NPM_LABELS = ("2022-11", "2023-08", "2023-11", "2024-02")  # the npm lists nearest the paper's dates
_ECOSYSTEMS = tuple(
    Snapshot(label, f"ecosystems-{dump}", "toplist-csv")
    for label, dump in zip(_PACKAGE_LABELS, ("2022-11-09", "2023-08-08", "2023-10-22", "2024-03-01"))
)
# The paper's four HF snapshots: label and the loader of its database (PeaTMOSS and its forerunners).
_PAPER_HF = (("2022-06", "hf-ancient"), ("2023-05", "hf-old"), ("2023-10", "peatmoss"), ("2024-04", "hf-new"))


def _paper_hf(input_ids: tuple[str, str, str, str]) -> tuple[Snapshot, ...]:
    """The paper's four HF snapshots, read from the given inputs (in snapshot order)."""
    return tuple(Snapshot(label, input_id, loader) for (label, loader), input_id in zip(_PAPER_HF, input_ids))


# In Figure 6's panel order. The independent profile's lists are public top lists taken near the
# paper's dates; its npm lists are ranked, without counts.
REGISTRIES: tuple[Registry, ...] = (
    Registry(
        id="npm", title="npm", colour=2, has_counts=False, snapshot_source="npm", default_top=1_000,
        loaders=("toplist-csv", "npm-top-js"),
        snapshots={
            "sample": _top_lists("sample-npm-{label}", "toplist-csv", _PACKAGE_LABELS),
            "esem2024": _ECOSYSTEMS,
            "independent": _top_lists("independent-npm-{label}", "npm-top-js", _INDEPENDENT_NPM_LABELS),
        },
    ),
    Registry(
        id="pypi", title="PyPI", colour=1, has_counts=True, snapshot_source="pypi", default_top=1_000,
        loaders=("toplist-csv", "pypi-top-json"),
        snapshots={
            "sample": _top_lists("sample-pypi-{label}", "toplist-csv", _PACKAGE_LABELS),
            "esem2024": _ECOSYSTEMS,
            "independent": _top_lists("independent-pypi-{label}", "pypi-top-json", _PACKAGE_LABELS),
        },
    ),
    Registry(
        id="hf", title="Hugging Face", colour=0, has_counts=True, snapshot_source="hub", default_top=15_000,
        loaders=("hf-ancient", "hf-old", "peatmoss", "hf-new", "hf-model-info", "hub-listing", "toplist-csv"),
        snapshots={
            "sample": _paper_hf(("sample-hf-2022-06", "sample-hf-2023-05", "sample-peatmoss", "sample-hf-2024-04")),
            "esem2024": _paper_hf(
                ("esem2024-hf-2022-06", "esem2024-hf-2023-05", "esem2024-peatmoss-2023-10", "esem2024-hf-2024-04")
            ),
            "independent": (
                Snapshot("2022-06", "esem2024-hf-2022-06", "hf-ancient"),  # the paper's own 06/2022 file
                Snapshot("2022-10", "independent-hf-2022-10", "hf-model-info"),
                Snapshot("2024-07", "independent-hub-2024-07", "hub-listing"),
            ),
        },
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
