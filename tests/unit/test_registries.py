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
from artifact.profiles import PROFILES, Profile, SnapshotInput, registry_snapshots
from artifact.registries import Registry, Snapshot
from artifact.report.claims import Claim, evaluate
from tasks import icse_dropoff, m2_turnover
from tasks.report import Report

LABELS = ("2024-01", "2024-02")


@pytest.fixture
def fake(monkeypatch: pytest.MonkeyPatch) -> Profile:
    """The three places a new registry touches: its record (with its snapshots' manifest ids), a loader, its inputs."""
    snapshots = {"fake-registry": tuple(Snapshot(label, f"fake-cran-{label}", "cran-csv") for label in LABELS)}
    record = Registry(
        id="cran", title="CRAN", colour=3, has_counts=True, snapshot_source="pypi", default_top=10,
        loaders=("cran-csv",), snapshots=snapshots,
    )
    monkeypatch.setattr(registries, "REGISTRIES", registries.REGISTRIES + (record,))
    monkeypatch.setitem(loaders.SNAPSHOT_LOADERS, "cran-csv", load_toplist_csv)
    # The profiles are built from the records when artifact.profiles is imported; this one after the record came.
    snapshots = registry_snapshots("fake-registry")
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
    counts = {"remained": [10, 8], "newcomers": [0, 2], "returning": [0, 0]}
    table = pd.DataFrame({"registry": "cran", "snapshot": list(LABELS), "top_k": 10, **counts})
    assert [ax.get_title() for ax in figure6(table, ["cran"]).axes] == ["CRAN"]
    assert "cran" in registries.snapshot_sources()
    assert build_parser().parse_args(["snapshot", "cran"]).registry == "cran"


def test_the_claims_on_a_fake_registry_read_its_tables(fake: Profile, monkeypatch: pytest.MonkeyPatch) -> None:
    available = frozenset(s.input_id for s in fake.snapshots)
    monkeypatch.setattr(Report, "available", lambda self: available)
    summary = "tables/turnover_summary/cran.csv"
    assert summary in Report(profile=fake.name).graph_outputs()  # the report reads the tables of its graph
    claim = Claim(
        id="M2.cran.keeps-most", source="artifact-rule", kind="recomputed", where="a rule",
        statement="CRAN keeps most of its top K", output=summary, column="min_remained_share", check="gt",
        expected=0.5, select={"registry": "cran"}, inputs=tuple(sorted(available)),
    )
    table = pd.DataFrame({"registry": ["cran"], "min_remained_share": [0.8]})
    verdicts = evaluate([claim], {summary: table}, set(available))
    assert verdicts["verdict"].tolist() == ["REPRODUCED"]
    assert evaluate([claim], {summary: table}, set())["verdict"].tolist() == ["UNAVAILABLE"]


@pytest.mark.parametrize("missing", [f.name for f in dataclasses.fields(Registry)])
def test_a_registry_record_missing_a_field_fails_when_made(missing: str) -> None:
    fields = {f.name: getattr(registries.REGISTRIES[0], f.name) for f in dataclasses.fields(Registry)}
    del fields[missing]
    with pytest.raises(TypeError, match=missing):
        Registry(**fields)


def test_a_record_whose_snapshot_names_a_loader_it_does_not_list_fails_when_made() -> None:
    record = registries.REGISTRIES[0]
    snapshots = {"sample": (Snapshot("2024-01", "sample-npm-2024-01", "pypi-top-json"),)}
    with pytest.raises(ValueError, match=r"npm.*\['pypi-top-json'\]"):
        dataclasses.replace(record, snapshots=snapshots)


def test_a_snapshot_of_an_unknown_registry_is_an_error_naming_the_records() -> None:
    snapshot = SnapshotInput("cran", "2024-01", "fake-cran-2024-01", "toplist-csv")
    with pytest.raises(ArtifactError, match=r"no registry 'cran'.*artifact/registries.py"):
        Profile(name="fake", description="", top_k=10, snapshots=(snapshot,))


def test_every_loader_a_record_names_exists() -> None:
    named = {loader for record in registries.registries() for loader in record.loaders}
    assert named <= set(loaders.SNAPSHOT_LOADERS)
