"""The extended profile: a base profile plus the local snapshots, labelled and pinned as inputs."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from artifact.config import Settings
from artifact.errors import ArtifactError
from artifact.inputs.manifest import load_manifest
from artifact.profiles import HUB_LISTING_ROLE, PROFILES, extended_profile, get_profile
from artifact.snapshots.store import SnapshotRecord

RECORD = SnapshotRecord(
    id="hf-2026-11-05T101112Z", registry="hf", format="hub-listing", file="hf_2026-11-05T101112Z.json",
    retrieved="2026-11-05T10:11:12Z", source="https://huggingface.co/api/models?sort=downloads", version="",
    top=15000, count=15000, size=10, sha256="a" * 64, huggingface_hub="2.4.0",
)


def _record(registry: str, retrieved: str) -> SnapshotRecord:
    stamp = retrieved.replace(":", "")
    return replace(RECORD, id=f"{registry}-{stamp}", registry=registry, file=f"{registry}_{stamp}.json", retrieved=retrieved)


def test_snapshots_become_later_columns_labelled_by_day_or_by_time_when_a_day_has_two(tmp_path: Path) -> None:
    records = [_record("hf", "2026-11-05T10:11:12Z"), _record("npm", "2026-11-05T10:12:00Z"), _record("hf", "2026-11-05T18:00:00Z")]
    profile = extended_profile(PROFILES["sample"], records, tmp_path)
    assert [s.label for s in profile.snapshots_of("hf")] == ["2022-06", "2023-05", "2023-10", "2024-04", "2026-11-05T101112Z", "2026-11-05T180000Z"]
    assert [s.label for s in profile.snapshots_of("npm")][-1] == "2026-11-05"
    assert profile.inputs[HUB_LISTING_ROLE] == "snapshot-hf-2026-11-05T180000Z"  # Metrics 1 and 3 read the newest
    assert profile.claims_profile() == "sample" and profile.name == "extended"


def test_inputs_are_the_base_entries_and_the_pinned_snapshot_files(tmp_path: Path) -> None:
    profile = extended_profile(PROFILES["sample"], [RECORD], tmp_path)
    entries = profile.input_entries(load_manifest())
    sample_ids = set(PROFILES["sample"].input_entries(load_manifest()))
    assert set(entries) == sample_ids | {"snapshot-hf-2026-11-05T101112Z"}
    local = entries["snapshot-hf-2026-11-05T101112Z"]
    assert local.local == str((tmp_path / RECORD.file).resolve()) and local.sha256 == RECORD.sha256 and local.size == 10
    assert RECORD.sha256 in profile.description


def test_extended_from_the_environment(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ARTIFACT_SNAPSHOTS", str(tmp_path))
    monkeypatch.setenv("ARTIFACT_EXTENDED_BASE", "sample")
    assert get_profile("extended", Settings.from_env()).snapshots == PROFILES["sample"].snapshots  # none taken yet
    monkeypatch.setenv("ARTIFACT_EXTENDED_BASE", "nope")
    with pytest.raises(ArtifactError, match="builds on profile 'nope'"):
        get_profile("extended", Settings.from_env())
