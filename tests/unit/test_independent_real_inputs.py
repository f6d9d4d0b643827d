"""The independent profile's loaders and rename rule on the real files (skipped without ARTIFACT_MIRROR).

Counts are facts of the pinned files (see ../shared/mirror/README.md), not results of the paper.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pandas as pd
import pytest

from artifact.loaders.card_samples import load_card_samples
from artifact.loaders.hub_listing import load_hub_listing, load_hub_listing_snapshot
from artifact.loaders.model_info_parquet import load_model_info
from artifact.loaders.npm_top import load_npm_top
from artifact.loaders.pypi_top import load_pypi_top
from artifact.metrics.m2_renames import rename_links
from tests.mirror_inputs import CARDS, HUB_PAGE, HUB_PAGES, MODEL_INFO, mirror_path, top_list

pytestmark = pytest.mark.mirror


@pytest.mark.parametrize(("label", "rows"), [("2022-11", 5000), ("2023-08", 5000), ("2023-10", 8000), ("2024-03", 8000)])
def test_pypi_lists(label: str, rows: int) -> None:
    table = load_pypi_top(mirror_path(top_list("pypi", label)))
    assert len(table) == rows and table["name"].is_unique and table["downloads"].notna().all()
    assert table["downloads"].is_monotonic_decreasing  # published ranked


@pytest.mark.parametrize(("label", "names"), [("2022-11", 4366), ("2023-08", 4975), ("2023-11", 5111), ("2024-02", 5157)])
def test_npm_lists_parse_without_running_them(label: str, names: int) -> None:
    table = load_npm_top(mirror_path(top_list("npm", label)))
    assert len(table) == names and table["name"].is_unique
    assert table["position"].tolist() == list(range(1, names + 1))


def test_model_info() -> None:
    table = load_model_info(mirror_path(MODEL_INFO))
    assert len(table) == 74970 and table["name"].is_unique
    assert table["created_at"].max() < pd.Timestamp("2022-10-01", tz="UTC")


def test_card_sample() -> None:
    sample = load_card_samples(mirror_path(CARDS))
    assert len(sample.cards) == 758 and sample.cards["card"].str.len().gt(0).all()


@pytest.fixture(scope="module")
def first_pages(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Pages 1, 2 and 10 of the 2024-07-11 listing (gzip, as the mirror keeps them)."""
    folder = tmp_path_factory.mktemp("pages")
    for page in (10, 1, 2):
        shutil.copy(mirror_path(f"{HUB_PAGES}/{HUB_PAGE.format(page=page)}"), folder)
    return folder


def test_listing_pages_in_download_order(first_pages: Path) -> None:
    listing = load_hub_listing(first_pages)
    assert len(listing.models) == 3000 and listing.models["id"].is_unique
    assert listing.models["downloads"].is_monotonic_decreasing  # page 1, 2, then 10
    assert set(listing.libraries["id"]) <= set(listing.models["id"])
    assert listing.base_models["relation"].eq("").all()  # these pages have only the plain form
    snapshot = load_hub_listing_snapshot(first_pages)
    assert snapshot["name"].tolist() == listing.models["id"].tolist()


def test_canonical_models_moved_into_organisations_are_linked(first_pages: Path) -> None:
    links = rename_links(load_model_info(mirror_path(MODEL_INFO)), load_hub_listing_snapshot(first_pages), pd.Timestamp("2022-10-01", tz="UTC"))
    linked = dict(links.loc[links["status"] == "linked", ["legacy_id", "new_id"]].to_numpy().tolist())
    assert linked["bert-base-uncased"] == "google-bert/bert-base-uncased"
    assert linked["gpt2"] == "openai-community/gpt2"
    assert all(new.endswith("/" + legacy) and "/" not in legacy for legacy, new in linked.items())
