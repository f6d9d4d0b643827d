"""The listing benches' builders and measurements work (at a small scale: `make bench` runs the real ones)."""

from __future__ import annotations

import json
from pathlib import Path

from artifact.loaders.hub_listing import load_hub_listing
from bench import listing_scale
from bench.bench_independent import reference


def test_synthetic_listing_has_the_real_proportions_and_moved_ids(tmp_path: Path) -> None:
    assert listing_scale.write_listing(tmp_path / "pages", 5_000) == 5
    listing = load_hub_listing(tmp_path / "pages")
    assert len(listing.models) == 5_000
    assert 0.14 < listing.base_models["id"].nunique() / 5_000 < 0.19  # one in six has base-model tags
    tags = sum(len(model["tags"]) for page in (tmp_path / "pages").iterdir() for model in json.loads(page.read_text()))
    assert 4 < tags / 5_000 < 8  # about six tags per model, as in the real pages
    earlier = listing_scale.earlier_snapshot(5_000, 0.1, seed=1)
    legacy = set(earlier["name"]) - set(listing.models["id"])
    assert legacy and all("/" not in name for name in legacy)  # moved ids: listed under the old name before


def test_synthetic_listing_is_the_same_for_the_same_seed(tmp_path: Path) -> None:
    listing_scale.write_listing(tmp_path / "a", 1_500)
    listing_scale.write_listing(tmp_path / "b", 1_500)
    for page in ("models_page1_synthetic.json", "models_page2_synthetic.json"):
        assert (tmp_path / "a" / page).read_bytes() == (tmp_path / "b" / page).read_bytes()


def test_reference_counts_what_the_loader_finds(tmp_path: Path) -> None:
    listing_scale.write_listing(tmp_path / "pages", 2_000)
    page = json.loads((tmp_path / "pages" / "models_page1_synthetic.json").read_text())
    (tmp_path / "pages" / "models_page3_synthetic.json").write_text(json.dumps(page[:10]))  # listed again: first wins
    listing = load_hub_listing(tmp_path / "pages")
    links = listing.base_models
    assert reference(tmp_path / "pages") == {"models": len(listing.models), "links": len(links), "bases": links["base_model"].nunique()}


def test_one_scale_is_measured_with_every_stage(tmp_path: Path) -> None:
    folders = listing_scale.prepare(tmp_path, (1,), models_per_scale=3_000)
    listing_scale.child(folders[1])  # prints its stages; here it must simply run
    results = {1: {"listing": (1.0, 1.0), "metric 1": (0.5, 0.5), "peak_mb": (900.0, 0.0)},
               2: {"listing": (2.0, 2.1), "metric 1": (1.0, 1.0), "peak_mb": (1500.0, 0.0)}}
    assert listing_scale.report(results, models_per_scale=3_000) == 0
    results = {1: {"listing": (1.0, 1.0), "peak_mb": (900.0, 0.0)}, 2: {"listing": (4.0, 4.0), "peak_mb": (900.0, 0.0)}}
    assert listing_scale.report(results, models_per_scale=3_000) == 1  # twice the models, four times the time
