"""The independent profile's tasks end to end on two tiny hand-made Hub listings, answers by hand.

Listing of 2022-10: bert-base (100 downloads), gpt2 (90), x/tail (1). Listing of 2024-07:
google/bert-base (200, created before 2022-10, so the moved bert-base), d/desc (150, a descendant
of the legacy id bert-base), gpt2 (80), user/bert-base (5, a copy made in 2023). Top 2:
2022-10 {bert-base, gpt2}; 2024-07 {google/bert-base, d/desc}. Ids as strings: nothing remains;
with bert-base linked to google/bert-base, one model remains.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import luigi
import pandas as pd
import pytest

from artifact.profiles import PROFILES, Profile, SnapshotInput
from tasks import independent, turnover

CREATED_EARLY, CREATED_LATE = "2022-03-02T23:29:04.000Z", "2023-01-05T10:00:00.000Z"
LISTINGS = {
    "2022-10": [
        {"id": "bert-base", "downloads": 100, "tags": ["transformers"], "createdAt": CREATED_EARLY},
        {"id": "gpt2", "downloads": 90, "tags": ["transformers"], "createdAt": CREATED_EARLY},
        {"id": "x/tail", "downloads": 1, "tags": [], "createdAt": CREATED_EARLY},
    ],
    "2024-07": [
        {"id": "google/bert-base", "downloads": 200, "tags": ["transformers", "safetensors"], "createdAt": CREATED_EARLY},
        {"id": "d/desc", "downloads": 150, "library_name": "transformers", "tags": ["base_model:bert-base", "pytorch"],
         "createdAt": "2024-01-01T00:00:00.000Z"},
        {"id": "gpt2", "downloads": 80, "tags": [], "createdAt": CREATED_EARLY},
        {"id": "user/bert-base", "downloads": 5, "tags": [], "createdAt": CREATED_LATE},
    ],
}


@pytest.fixture
def tiny(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[Profile, Path]:
    """A two-snapshot HF profile whose inputs are the listings above, and its outputs folder."""
    entries = []
    for label, models in LISTINGS.items():
        path = tmp_path / f"listing_{label}.json"
        path.write_text(json.dumps(models))
        sha256 = hashlib.sha256(path.read_bytes()).hexdigest()
        entries.append(
            f'[[input]]\nid = "tiny-{label}"\nprofiles = ["tiny"]\nsource = "test"\nsnapshot = "{label}"\n'
            f'format = "hub-listing"\nwhat = "hand-made listing"\nlocal = "{path}"\nsha256 = "{sha256}"\n'
        )
    (tmp_path / "manifest.toml").write_text("\n".join(entries))
    monkeypatch.setenv("ARTIFACT_MANIFEST", str(tmp_path / "manifest.toml"))
    monkeypatch.setenv("ARTIFACT_OUTPUTS", str(tmp_path / "outputs"))
    profile = Profile(
        name="tiny",
        description="hand-made",
        top_k=2,
        snapshots=tuple(SnapshotInput("hf", label, f"tiny-{label}", "hub-listing") for label in LISTINGS),
        inputs={"hub-listing": "tiny-2024-07"},
        rename_registries=("hf",),
    )
    monkeypatch.setitem(PROFILES, "tiny", profile)
    return profile, tmp_path / "outputs" / "tiny"


def _table(root: Path, relative: str) -> pd.DataFrame:
    return pd.read_csv(root / relative, keep_default_na=False)


def test_roots_need_every_snapshot_and_the_listing(tiny: tuple[Profile, Path]) -> None:
    profile, _ = tiny
    needs = {type(task).__name__: ids for task, ids in independent.roots(profile)}
    assert needs == {
        "RenameLinks": frozenset({"tiny-2022-10", "tiny-2024-07"}),
        "Figure6Renamed": frozenset({"tiny-2022-10", "tiny-2024-07"}),
        "HubListingTables": frozenset({"tiny-2022-10", "tiny-2024-07"}),
    }
    assert independent.roots(PROFILES["sample"]) == []


def test_tasks_link_renames_and_count_turnover_both_ways(tiny: tuple[Profile, Path]) -> None:
    profile, root = tiny
    roots = independent.roots(profile) + turnover.roots(profile)
    assert luigi.build([task for task, _ in roots], local_scheduler=True, workers=1, log_level="ERROR")
    links = _table(root, "tables/renames/hf_links.csv")
    assert links[["legacy_id", "new_id", "status"]].to_numpy().tolist() == [["bert-base", "google/bert-base", "linked"]]
    plain = _table(root, "tables/turnover.csv").set_index("snapshot")
    renamed = _table(root, "tables/turnover_renamed.csv").set_index("snapshot")
    assert plain.loc["2024-07", ["remained", "newcomers"]].tolist() == [0, 2]
    assert renamed.loc["2024-07", ["remained", "newcomers"]].tolist() == [1, 1]
    assert _table(root, "tables/topk_renamed/hf_2022-10.csv")["name"].tolist() == ["google/bert-base", "gpt2"]
    summary = _table(root, "tables/turnover_renamed_summary.csv")
    assert summary[["distinct_ever", "mean_remained_share"]].to_numpy().tolist() == [[3, 0.5]]
    assert (root / "figures/fig6_turnover_renamed.png").is_file()


def test_listing_frames_resolve_legacy_bases(tiny: tuple[Profile, Path]) -> None:
    profile, root = tiny
    assert luigi.build([independent.HubListingTables(profile=profile.name)], local_scheduler=True, workers=1, log_level="ERROR")
    base = pd.read_parquet(root / "intermediate/hub_listing/base_links.parquet")
    assert base.to_dict("list") == {"model_id": [2], "base_model_name": ["google/bert-base"], "base_model_id": [1]}
    libraries = pd.read_parquet(root / "intermediate/hub_listing/model_libraries.parquet")
    assert sorted(map(tuple, libraries.to_numpy().tolist())) == [(1, "safetensors"), (1, "transformers"), (2, "transformers")]
    renames = _table(root, "tables/hub_listing/base_model_renames.csv")
    assert renames.to_numpy().tolist() == [["bert-base", "google/bert-base", 1]]
    summary = dict(_table(root, "tables/hub_listing/summary.csv").to_numpy().tolist())
    assert summary["base models listed as models"] == 1 and summary["base-model links resolved through renames"] == 1
