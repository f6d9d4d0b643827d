"""One record per registry: a fake registry added as a record, a loader and its inputs reaches every registry path."""

from __future__ import annotations

import dataclasses

import pandas as pd
import pytest

from artifact import registries
from artifact.cli import build_parser
from artifact.errors import ArtifactError
from artifact.figures.fig6_turnover import figure6
from artifact.loaders import registry as loaders
from artifact.loaders.toplist_csv import load_toplist_csv
from artifact.profiles import PROFILES, Profile, SnapshotInput
from artifact.registries import Registry
from tasks import icse_dropoff, m2_turnover

LABELS = ("2024-01", "2024-02")


@pytest.fixture
def fake(monkeypatch: pytest.MonkeyPatch) -> Profile:
    """The three places a new registry touches: its record, its loader, its inputs (a profile's snapshots)."""
    record = Registry(id="cran", title="CRAN", colour=3, has_counts=True, snapshot_source="pypi", default_top=10, loaders=("cran-csv",))
    monkeypatch.setattr(registries, "REGISTRIES", registries.REGISTRIES + (record,))
    monkeypatch.setitem(loaders.SNAPSHOT_LOADERS, "cran-csv", load_toplist_csv)
    snapshots = tuple(SnapshotInput("cran", label, f"fake-cran-{label}", "cran-csv") for label in LABELS)
    profile = Profile(name="fake-registry", description="a fake registry", top_k=10, snapshots=snapshots)
    monkeypatch.setitem(PROFILES, profile.name, profile)
    return profile


def test_a_fake_registry_reaches_turnover_figure_dropoff_and_snapshots(fake: Profile) -> None:
    available = frozenset(s.input_id for s in fake.snapshots)
    assert fake.registries() == ["cran"]
    turnover = [t for t in m2_turnover.roots(fake, available) if isinstance(t, m2_turnover.Turnover)]
    assert [t.registry for t in turnover] == ["cran"]
    assert m2_turnover.Figure6(profile=fake.name).chosen() == ["cran"]
    assert [type(t).__name__ for t in icse_dropoff.roots(fake, available)] == ["DownloadDropoff"]
    assert sorted(icse_dropoff.DownloadDropoff(profile=fake.name).requires()) == [("cran", label) for label in LABELS]
    table = pd.DataFrame({"registry": "cran", "snapshot": list(LABELS), "top_k": 10, "remained": [10, 8], "newcomers": [0, 2], "returning": [0, 0]})
    assert [ax.get_title() for ax in figure6(table, ["cran"]).axes] == ["CRAN"]
    assert "cran" in registries.snapshot_sources()
    assert build_parser().parse_args(["snapshot", "cran"]).registry == "cran"


def test_a_registry_record_missing_a_field_fails_when_made() -> None:
    fields = {f.name: getattr(registries.REGISTRIES[0], f.name) for f in dataclasses.fields(Registry)}
    del fields["has_counts"]
    with pytest.raises(TypeError, match="has_counts"):
        Registry(**fields)


def test_a_snapshot_of_an_unknown_registry_is_an_error_naming_the_records() -> None:
    snapshot = SnapshotInput("cran", "2024-01", "fake-cran-2024-01", "toplist-csv")
    with pytest.raises(ArtifactError, match=r"no registry 'cran'.*artifact/registries.py"):
        Profile(name="fake", description="", top_k=10, snapshots=(snapshot,))


def test_every_loader_a_record_names_exists() -> None:
    named = {loader for record in registries.registries() for loader in record.loaders}
    assert named <= set(loaders.SNAPSHOT_LOADERS)
