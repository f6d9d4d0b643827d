"""Profiles: which inputs, snapshots and settings each run uses. One code path serves them all."""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

from artifact.errors import ArtifactError

REGISTRY_TITLES = {"npm": "npm", "pypi": "PyPI", "hf": "Hugging Face"}
# Settings of single metrics, unless a profile sets its own (`Profile.params`).
DEFAULT_PARAMS: dict[str, int] = {"m4_group_size": 1000}  # models per popularity group (Metric 4)


@dataclass(frozen=True)
class SnapshotInput:
    """One snapshot of one registry for Metric 2: its manifest input and the loader that reads it."""

    registry: str  # npm | pypi | hf
    label: str  # the snapshot's date, YYYY-MM
    input_id: str  # id of the entry in the inputs manifest
    loader: str  # key of artifact.loaders.registry.SNAPSHOT_LOADERS


@dataclass(frozen=True)
class Profile:
    """A named set of inputs run through the same pipeline."""

    name: str
    description: str
    top_k: int
    snapshots: tuple[SnapshotInput, ...]
    # Other inputs by role (for example "peatmoss" -> a manifest id); tasks look roles up here.
    inputs: dict[str, str] = field(default_factory=dict)
    # Registries whose ids move between snapshots: Metric 2 is also reported with the rename rule
    # of artifact/metrics/renames.py applied.
    rename_registries: tuple[str, ...] = ()
    params: dict[str, int] = field(default_factory=dict)  # overrides of DEFAULT_PARAMS

    def param(self, name: str) -> int:
        """The metric setting `name` of this profile (its own value, else the default)."""
        return self.params.get(name, DEFAULT_PARAMS[name])

    def input_for(self, role: str) -> str | None:
        """The manifest id playing `role` in this profile, or None when the profile has none."""
        return self.inputs.get(role)

    def snapshot_inputs(self, registry: str | None = None) -> frozenset[str]:
        """Manifest ids of the snapshots (of one registry, or of all)."""
        return frozenset(s.input_id for s in self.snapshots if registry in (None, s.registry))

    def registries(self) -> list[str]:
        """Registries with snapshots, in the figure's panel order."""
        return [r for r in REGISTRY_TITLES if any(s.registry == r for s in self.snapshots)]

    def snapshots_of(self, registry: str) -> list[SnapshotInput]:
        """The registry's snapshots in date order."""
        return sorted((s for s in self.snapshots if s.registry == registry), key=lambda s: s.label)

    def snapshot(self, registry: str, label: str) -> SnapshotInput:
        """The snapshot of `registry` taken at `label`."""
        for candidate in self.snapshots:
            if (candidate.registry, candidate.label) == (registry, label):
                return candidate
        raise ArtifactError(f"profile {self.name!r} has no {registry} snapshot {label!r}")


def _sample_snapshots() -> tuple[SnapshotInput, ...]:
    packages = [
        SnapshotInput(registry, label, f"sample-{registry}-{label}", "toplist-csv")
        for registry in ("npm", "pypi")
        for label in ("2022-11", "2023-08", "2023-10", "2024-03")
    ]
    hf = [
        SnapshotInput("hf", "2022-06", "sample-hf-2022-06", "hf-ancient"),
        SnapshotInput("hf", "2023-05", "sample-hf-2023-05", "hf-old"),
        SnapshotInput("hf", "2023-10", "sample-peatmoss", "peatmoss"),
        SnapshotInput("hf", "2024-04", "sample-hf-2024-04", "hf-new"),
    ]
    return tuple(packages + hf)


def _esem2024_snapshots() -> tuple[SnapshotInput, ...]:
    # npm and PyPI: the Ecosyste.ms dumps the paper used were never archived; should they surface,
    # their top lists exported as CSV (name, downloads) plug in through the toplist-csv loader.
    dumps = {"2022-11": "2022-11-09", "2023-08": "2023-08-08", "2023-10": "2023-10-22", "2024-03": "2024-03-01"}
    packages = [
        SnapshotInput(registry, label, f"ecosystems-{dump}", "toplist-csv")
        for registry in ("npm", "pypi")
        for label, dump in dumps.items()
    ]
    hf = [
        SnapshotInput("hf", "2022-06", "esem2024-hf-2022-06", "hf-ancient"),
        SnapshotInput("hf", "2023-05", "esem2024-hf-2023-05", "hf-old"),
        SnapshotInput("hf", "2023-10", "esem2024-peatmoss-2023-10", "peatmoss"),
        SnapshotInput("hf", "2024-04", "esem2024-hf-2024-04", "hf-new"),
    ]
    return tuple(packages + hf)


def _independent_snapshots() -> tuple[SnapshotInput, ...]:
    # Independent public top lists taken near the paper's dates; npm lists are ranked, without counts.
    pypi = [
        SnapshotInput("pypi", label, f"independent-pypi-{label}", "pypi-top-json")
        for label in ("2022-11", "2023-08", "2023-10", "2024-03")
    ]
    npm = [
        SnapshotInput("npm", label, f"independent-npm-{label}", "npm-top-js")
        for label in ("2022-11", "2023-08", "2023-11", "2024-02")
    ]
    hf = [
        SnapshotInput("hf", "2022-06", "esem2024-hf-2022-06", "hf-ancient"),  # the paper's own 06/2022 file
        SnapshotInput("hf", "2022-10", "independent-hf-2022-10", "hf-model-info"),
        SnapshotInput("hf", "2024-07", "independent-hub-2024-07", "hub-listing"),
    ]
    return tuple(pypi + npm + hf)


PROFILES: dict[str, Profile] = {
    "sample": Profile(
        name="sample",
        description="seeded synthetic inputs shipped in the repository; runs offline in seconds",
        top_k=1000,
        snapshots=_sample_snapshots(),
        inputs={
            "peatmoss": "sample-peatmoss",
            "m3-intermediate": "sample-m3-intermediate",
            "cards-top": "sample-cards-top",
            "cards-bottom": "sample-cards-bottom",
        },
        params={"m4_group_size": 150},  # of the 200 rows per archived file (artifact/sample/cards.py)
    ),
    "esem2024": Profile(
        name="esem2024",
        description="the paper's own inputs (PurdueDualityLab/ptm-quantify-esem-2024 at f5ea2ca9)",
        top_k=1000,
        snapshots=_esem2024_snapshots(),
        inputs={
            "peatmoss": "esem2024-peatmoss-2023-10",
            "m3-intermediate": "esem2024-m3-intermediate",
            "cards-top": "esem2024-cards-top",
            "cards-bottom": "esem2024-cards-bottom",
        },
    ),
    "independent": Profile(
        name="independent",
        description="the paper's claims re-tested on public data from other sources near the same dates",
        top_k=1000,
        snapshots=_independent_snapshots(),
        inputs={"hub-listing": "independent-hub-2024-07", "cards": "independent-cards-2024-09"},
        rename_registries=("hf",),
    ),
}


def snapshot_time(label: str) -> pd.Timestamp:
    """When a snapshot labelled YYYY-MM was taken, at the earliest: the first day of that month (UTC)."""
    return pd.Timestamp(f"{label}-01", tz="UTC")


def get_profile(name: str) -> Profile:
    """The profile called `name`, or an error listing the known ones."""
    try:
        return PROFILES[name]
    except KeyError:
        raise ArtifactError(f"unknown profile {name!r}; known profiles: {', '.join(PROFILES)}") from None
