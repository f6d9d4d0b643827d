"""Profiles: which inputs, snapshots and settings each run uses. One code path serves them all.

`extended` is built when asked for: a base profile (ARTIFACT_EXTENDED_BASE, `independent` by
default) plus every snapshot recorded in the local snapshots folder (ARTIFACT_SNAPSHOTS).
"""

from __future__ import annotations

import dataclasses
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from artifact.config import Settings
from artifact.errors import ArtifactError
from artifact.inputs.manifest import InputEntry
from artifact.registries import registries, registry
from artifact.snapshots.store import SnapshotRecord, read_records

if TYPE_CHECKING:
    import pandas as pd

# Settings of single metrics, unless a profile sets its own (`Profile.params`).
DEFAULT_PARAMS: dict[str, int] = {
    "m4_group_size": 1000,  # models per popularity group (Metric 4)
    "concentration_top_n": 15000,  # the top N whose share of all downloads is reported (PeaTMOSS's top 15,000)
}


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
    # Manifest entries tagged with one of these profiles are this profile's (default: its own name).
    manifest_profiles: tuple[str, ...] = ()
    # Inputs outside the pinned manifest, by id: the local snapshots of the extended profile.
    local_inputs: dict[str, InputEntry] = field(default_factory=dict)
    # The profile under expected_outputs/ whose claims (and disagreements) this one is checked against.
    claims_from: str = ""
    # Registries whose ids move between snapshots: Metric 2 is also reported with the rename rule
    # of artifact/metrics/m2_renames.py applied.
    rename_registries: tuple[str, ...] = ()
    params: dict[str, int] = field(default_factory=dict)  # overrides of DEFAULT_PARAMS
    synthetic: bool = False  # its inputs are made up: its verdicts test the pipeline, not the paper

    def __post_init__(self) -> None:
        for snapshot in self.snapshots:
            try:
                registry(snapshot.registry)
            except KeyError as error:
                raise ArtifactError(f"profile {self.name!r}, snapshot {snapshot.input_id}: {error.args[0]} (artifact/registries.py)") from None

    def input_entries(self, manifest: dict[str, InputEntry]) -> dict[str, InputEntry]:
        """This profile's inputs: the manifest's entries tagged with it (or its base), and its local ones."""
        tags = set(self.manifest_profiles or (self.name,))
        return {k: entry for k, entry in manifest.items() if tags & set(entry.profiles)} | self.local_inputs

    def claims_profile(self) -> str:
        """The name of the expected_outputs/ folder holding this profile's claims."""
        return self.claims_from or self.name

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
        return [r.id for r in registries() if any(s.registry == r.id for s in self.snapshots)]

    def snapshots_of(self, registry: str) -> list[SnapshotInput]:
        """The registry's snapshots in date order."""
        return sorted((s for s in self.snapshots if s.registry == registry), key=lambda s: s.label)

    def snapshot(self, registry: str, label: str) -> SnapshotInput:
        """The snapshot of `registry` taken at `label`."""
        for candidate in self.snapshots:
            if (candidate.registry, candidate.label) == (registry, label):
                return candidate
        raise ArtifactError(f"profile {self.name!r} has no {registry} snapshot {label!r}")


def registry_snapshots(profile: str, first: tuple[str, ...] = ()) -> tuple[SnapshotInput, ...]:
    """The snapshots the registry records name for `profile`: the registries in `first` first, the rest in panel order."""
    records = sorted(registries(), key=lambda r: first.index(r.id) if r.id in first else len(first))
    return tuple(
        SnapshotInput(r.id, s.label, s.input_id, s.loader) for r in records for s in r.snapshots.get(profile, ())
    )


PROFILES: dict[str, Profile] = {
    "sample": Profile(
        name="sample",
        description="seeded synthetic inputs shipped in the repository; runs offline in seconds",
        top_k=1000,
        snapshots=registry_snapshots("sample"),
        inputs={
            "peatmoss": "sample-peatmoss",
            "m3-intermediate": "sample-m3-intermediate",
            "cards-top": "sample-cards-top",
            "cards-bottom": "sample-cards-bottom",
        },
        params={"m4_group_size": 150},  # of the 200 rows per archived file (artifact/sample/cards.py)
        synthetic=True,
    ),
    "esem2024": Profile(
        name="esem2024",
        description="the paper's own inputs (PurdueDualityLab/ptm-quantify-esem-2024 at f5ea2ca9)",
        top_k=1000,
        snapshots=registry_snapshots("esem2024"),
        inputs={
            "peatmoss": "esem2024-peatmoss-2023-10",
            "m3-intermediate": "esem2024-m3-intermediate",
            "cards-top": "esem2024-cards-top",
            "cards-bottom": "esem2024-cards-bottom",
            "authors-notebook": "esem2024-authors-turnover-notebook",
            "authors-figures": "esem2024-authors-figures",
            "authors-hf-2022-06": "esem2024-hf-2022-06",
        },
    ),
    "independent": Profile(
        name="independent",
        description="the paper's claims re-tested on public data from other sources near the same dates",
        top_k=1000,
        snapshots=registry_snapshots("independent", first=("pypi",)),  # as its report's task graph always listed them
        inputs={
            "hub-listing": "independent-hub-2024-07",
            "cards": "independent-cards-2024-09",
            "authors-notebook": "esem2024-authors-turnover-notebook",  # the authors' turnover beside ours
        },
        rename_registries=("hf",),
    ),
}


EXTENDED = "extended"
# The profile a run names when it names none: the paper's, for `make reproduce`, `python -m artifact
# reproduce` (and compare, fetch) and plain `luigi` alike.
DEFAULT_PROFILE = "esem2024"
HUB_LISTING_ROLE = "hub-listing"  # the Hub listing that Metrics 1 and 3 read, where a profile has one


def extended_profile(base: Profile, records: Sequence[SnapshotRecord], folder: Path) -> Profile:
    """`base` plus the snapshots of `folder` (its `records`), each a new column of Metric 2 in date
    order; Metrics 1 and 3 read the newest hf snapshot when there is one."""
    labels = _snapshot_labels(records)
    local = {_input_id(record): _snapshot_entry(record, Path(folder)) for record in records}
    snapshots = [SnapshotInput(r.registry, labels[r.id], _input_id(r), r.format) for r in records]
    inputs = dict(base.inputs)
    hub = [record for record in records if record.registry == "hf"]
    if hub:
        inputs[HUB_LISTING_ROLE] = _input_id(hub[-1])
    used = "; ".join(f"{r.registry} {labels[r.id]} (sha256 {r.sha256})" for r in records)
    return dataclasses.replace(
        base,
        name=EXTENDED,
        description=f"the {base.name} profile plus the local snapshots of {folder}: {used or 'none yet (make snapshot)'}",
        snapshots=base.snapshots + tuple(snapshots),
        inputs=inputs,
        manifest_profiles=base.manifest_profiles or (base.name,),
        local_inputs=base.local_inputs | local,
        claims_from=base.claims_profile(),
    )


def _snapshot_labels(records: Sequence[SnapshotRecord]) -> dict[str, str]:
    """Label per snapshot id: its UTC date, or its full time when its registry has two that day."""
    per_day = Counter((record.registry, record.date) for record in records)
    return {
        record.id: record.date if per_day[record.registry, record.date] == 1 else record.retrieved.replace(":", "")
        for record in records
    }


def _input_id(record: SnapshotRecord) -> str:
    return f"snapshot-{record.id}"


def _snapshot_entry(record: SnapshotRecord, folder: Path) -> InputEntry:
    """The snapshot as an input: its file, pinned by the recorded sha256 and size."""
    return InputEntry(
        id=_input_id(record),
        profiles=(EXTENDED,),
        source=f"{record.source} ({record.version})" if record.version else record.source,
        snapshot=record.retrieved,
        format=record.format,
        what=f"{record.registry} top list taken with `python -m artifact snapshot` ({record.count} entries)",
        licence="as published by the source",
        local=str((folder / record.file).resolve()),
        size=record.size,
        sha256=record.sha256,
    )


def profile_names() -> list[str]:
    """Every profile a run can name."""
    return sorted([*PROFILES, EXTENDED])
def snapshot_time(label: str) -> pd.Timestamp:
    """When a snapshot was taken, at the earliest: YYYY-MM means the first day of that month (UTC);
    the extended profile's labels are a date or a date and time."""
    import pandas as pd  # here: every CLI command reads the profiles, few need pandas (0.6 s of imports)

    return pd.Timestamp(f"{label}-01" if len(label) == len("YYYY-MM") else label.removesuffix("Z"), tz="UTC")


def get_profile(name: str, settings: Settings) -> Profile:
    """The profile called `name` (`extended` built from `settings`), or an error listing the known ones."""
    if name == EXTENDED:
        if settings.extended_base not in PROFILES:
            raise ArtifactError(
                f"the extended profile builds on profile {settings.extended_base!r} (ARTIFACT_EXTENDED_BASE), "
                f"which this checkout does not have; known profiles: {', '.join(PROFILES)}"
            )
        folder = settings.snapshots_dir
        return extended_profile(PROFILES[settings.extended_base], read_records(folder), folder)
    try:
        return PROFILES[name]
    except KeyError:
        raise ArtifactError(f"unknown profile {name!r}; known profiles: {', '.join(profile_names())}") from None
