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
import warnings
from collections.abc import Iterator
from pathlib import Path

import pandas as pd
import pytest

from artifact.config import Settings
from artifact.profiles import PROFILES, Profile, SnapshotInput

with warnings.catch_warnings():  # luigi warns, once, at import, about a default of its own config
    warnings.filterwarnings("ignore", r"\s*Autoloading range tasks", DeprecationWarning)
    import luigi

    from tasks import graph, m1_preservation, m3_descendants
    from tasks import m2_renames as renames
    from tasks import m2_turnover as turnover
    from tasks.base import configure

CREATED_EARLY, CREATED_LATE = "2022-03-02T23:29:04.000Z", "2023-01-05T10:00:00.000Z"
LISTINGS = {
    "2022-10": [
        {"id": "bert-base", "downloads": 100, "tags": ["transformers"], "createdAt": CREATED_EARLY},
        {"id": "gpt2", "downloads": 90, "tags": ["transformers"], "createdAt": CREATED_EARLY},
        {"id": "x/tail", "downloads": 1, "tags": [], "createdAt": CREATED_EARLY},
    ],
    "2024-07": [
        {"id": "google/bert-base", "downloads": 200, "tags": ["transformers", "safetensors"], "createdAt": CREATED_EARLY},
        {"id": "d/desc", "downloads": 150, "library_name": "transformers", "tags": ["base_model:bert-base", "pytorch", "safetensors"],
         "createdAt": "2024-01-01T00:00:00.000Z"},
        {"id": "gpt2", "downloads": 80, "tags": [], "createdAt": CREATED_EARLY},
        {"id": "user/bert-base", "downloads": 5, "tags": [], "createdAt": CREATED_LATE},
    ],
}


@pytest.fixture(scope="module")
def tiny(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Profile, Path]]:
    """A two-snapshot HF profile whose inputs are the listings above, and its outputs folder, built once."""
    folder = tmp_path_factory.mktemp("tiny")
    entries = []
    for label, models in LISTINGS.items():
        path = folder / f"listing_{label}.json"
        path.write_text(json.dumps(models))
        sha256 = hashlib.sha256(path.read_bytes()).hexdigest()
        entries.append(
            f'[[input]]\nid = "tiny-{label}"\nprofiles = ["tiny"]\nsource = "test"\nsnapshot = "{label}"\n'
            f'format = "hub-listing"\nwhat = "hand-made listing"\nlocal = "{path}"\nsha256 = "{sha256}"\n'
        )
    (folder / "manifest.toml").write_text("\n".join(entries))
    profile = Profile(
        name="tiny",
        description="hand-made",
        top_k=2,
        snapshots=tuple(SnapshotInput("hf", label, f"tiny-{label}", "hub-listing") for label in LISTINGS),
        inputs={"hub-listing": "tiny-2024-07"},
        rename_registries=("hf",),
    )
    settings = Settings.from_env({"ARTIFACT_MANIFEST": str(folder / "manifest.toml"),
                                  "ARTIFACT_OUTPUTS": str(folder / "outputs"), "ARTIFACT_CACHE": str(folder / "cache")})
    with pytest.MonkeyPatch.context() as patch:
        patch.setitem(PROFILES, "tiny", profile)
        configure(settings)
        everything = frozenset(f"tiny-{label}" for label in LISTINGS)
        roots = [root for module in (renames, m1_preservation, m3_descendants, turnover) for root in module.roots(profile, everything)]
        assert luigi.build(roots, local_scheduler=True, workers=1, log_level="ERROR")
        yield profile, folder / "outputs" / "tiny"


def _table(root: Path, relative: str) -> pd.DataFrame:
    return pd.read_csv(root / relative, keep_default_na=False)


def test_roots_need_every_snapshot_and_the_listing(tiny: tuple[Profile, Path]) -> None:
    profile, _ = tiny
    both = frozenset({"tiny-2022-10", "tiny-2024-07"})
    roots = renames.roots(profile, both) + m1_preservation.roots(profile, both) + m3_descendants.roots(profile, both)
    needs = {type(task).__name__: graph.needed_inputs(task) for task in roots}
    assert needs == dict.fromkeys(["RenameLinks", "TurnoverRenamed", "Figure6Renamed", "Figure5", "TopParents", "Figure7"], both)
    assert renames.roots(PROFILES["sample"], both) == []


def test_tasks_link_renames_and_count_turnover_both_ways(tiny: tuple[Profile, Path]) -> None:
    _, root = tiny
    links = _table(root, "tables/renames/hf_links.csv")
    assert links[["legacy_id", "new_id", "status"]].to_numpy().tolist() == [["bert-base", "google/bert-base", "linked"]]
    plain = _table(root, "tables/turnover/hf.csv").set_index("snapshot")
    renamed = _table(root, "tables/turnover_renamed/hf.csv").set_index("snapshot")
    assert plain.loc["2024-07", ["remained", "newcomers"]].tolist() == [0, 2]
    assert renamed.loc["2024-07", ["remained", "newcomers"]].tolist() == [1, 1]
    assert _table(root, "tables/topk_renamed/hf_2022-10.csv")["name"].tolist() == ["google/bert-base", "gpt2"]
    summary = _table(root, "tables/turnover_renamed_summary/hf.csv")
    assert summary[["distinct_ever", "mean_remained_share"]].to_numpy().tolist() == [[3, 0.5]]
    assert (root / "figures/fig6_turnover_renamed.png").is_file()


def test_metrics_1_and_3_run_on_the_listing(tiny: tuple[Profile, Path]) -> None:
    # d/desc, the one descendant, supports safetensors and transformers, as does its base google/bert-base:
    # every proportion is 1 (ranks by proportion, count, then name).
    _, root = tiny
    m1 = _table(root, "tables/m1_preservation_listing.csv")
    assert m1[["variant", "rank", "library", "count", "total"]].to_numpy().tolist() == [
        ["authors-code", 1, "safetensors", 1, 1],
        ["authors-code", 2, "transformers", 1, 1],
        ["equation-1", 1, "safetensors", 1, 1],
        ["equation-1", 2, "transformers", 1, 1],
    ]
    assert _table(root, "tables/m3_top_parents_listing.csv").to_numpy().tolist() == [[1, "google/bert-base", 1]]
    parents = _table(root, "tables/m3_parents_listing.csv")
    assert parents.to_numpy().tolist() == [["base-downloads", "google/bert-base", 1, 200], ["descendant-downloads", "google/bert-base", 1, 150]]
    assert set(_table(root, "tables/m3_fits_listing.csv")["source"]) == {"listing"}
    assert (root / "figures/fig5_preservation_listing.png").is_file() and (root / "figures/fig7_descendants_listing.png").is_file()


def test_listing_frames_resolve_legacy_bases(tiny: tuple[Profile, Path]) -> None:
    _, root = tiny
    base = pd.read_parquet(root / "intermediate/model_frames/listing/base_links.parquet")
    assert base.to_dict("list") == {"model_id": [2], "base_model_name": ["google/bert-base"], "base_model_id": [1]}
    libraries = pd.read_parquet(root / "intermediate/model_frames/listing/model_libraries.parquet")
    assert sorted(map(tuple, libraries.to_numpy().tolist())) == [
        (1, "safetensors"), (1, "transformers"), (2, "safetensors"), (2, "transformers")
    ]
    renames = _table(root, "tables/hub_listing/base_model_renames.csv")
    assert renames.to_numpy().tolist() == [["bert-base", "google/bert-base", 1]]
    summary = dict(_table(root, "tables/hub_listing/summary.csv").to_numpy().tolist())
    assert summary["base models listed as models"] == 1 and summary["base-model links resolved through renames"] == 1
