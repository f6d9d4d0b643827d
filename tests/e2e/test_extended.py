"""Profile `extended` on the sample: one local hf snapshot adds a fifth HF column to Metric 2, offline."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import huggingface_hub
import pandas as pd
import pytest

from artifact.loaders.registry import SNAPSHOT_LOADERS
from artifact.metrics.m2_turnover import top_k
from artifact.snapshots.store import Fetched, SnapshotRecord, store
from tests.conftest import REPO, run_cli

TAKEN = datetime(2026, 11, 5, 10, 11, 12, tzinfo=UTC)
KEPT, NEW = 600, 400  # of the sample's 2024-04 top 1000, and models never seen before


def _hub_listing(kept: list[str]) -> bytes:
    """A Hub listing, most downloaded first: `kept` sample models, then NEW models seen nowhere else."""
    names = [f"newcomer-org/model-{index:03d}" for index in range(NEW)] + kept
    models = [
        {"_id": f"{index:024x}", "id": name, "likes": 0, "downloads": 10_000_000 - index, "tags": ["transformers"],
         "library_name": "transformers", "createdAt": "2026-01-02T03:04:05.000Z"}
        for index, name in enumerate(names)
    ]
    return json.dumps(models).encode()


@pytest.fixture(scope="module")
def snapshot_folder(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, SnapshotRecord]:
    """A snapshots folder holding one hand-made hf snapshot, recorded as `snapshot hf` records it."""
    folder = tmp_path_factory.mktemp("snapshots")
    previous = top_k(SNAPSHOT_LOADERS["hf-new"](REPO / "artifact/sample/data/hf_2024-04.db"), 1000)
    fetched = Fetched("hf", "hub-listing", ".json", _hub_listing(previous["name"].tolist()[:KEPT]), "test listing", "")
    record = store(folder, fetched, 1000, TAKEN, lambda path: len(SNAPSHOT_LOADERS["hub-listing"](path)), huggingface_hub.__version__)
    return folder, record


def _run_extended(outputs: Path, snapshots: Path) -> object:
    env = {"ARTIFACT_OUTPUTS": str(outputs), "ARTIFACT_SNAPSHOTS": str(snapshots), "ARTIFACT_EXTENDED_BASE": "sample",
           "ARTIFACT_OFFLINE": "1"}
    return run_cli("reproduce", "--profile", "extended", "--workers", "1", env=env)


def test_a_snapshot_adds_a_fifth_hf_column(tmp_path: Path, snapshot_folder: tuple, sample_outputs: Path) -> None:
    folder, record = snapshot_folder
    result = _run_extended(tmp_path, folder)
    assert result.returncode == 0, result.stdout + result.stderr
    outputs = tmp_path / "extended"
    turnover = pd.read_csv(outputs / "tables/turnover/hf.csv", dtype={"snapshot": str})
    base = pd.read_csv(sample_outputs / "tables/turnover/hf.csv", dtype={"snapshot": str})
    added = turnover.merge(base, how="left", indicator=True).query("_merge == 'left_only'").drop(columns="_merge")
    assert added.to_dict("records") == [
        {"registry": "hf", "snapshot": "2026-11-05", "top_k": 1000, "remained": KEPT, "returning": 0, "newcomers": NEW}
    ]
    assert len(turnover) == len(base) + 1
    plotted = pd.read_csv(outputs / "figures/fig6_turnover.data.csv", dtype={"snapshot": str})
    assert plotted.loc[plotted["registry"] == "hf", "snapshot"].unique().tolist() == ["2022-06", "2023-05", "2023-10", "2024-04", "2026-11-05"]
    for table in (sample_outputs / "tables/topk").iterdir():  # the base's columns are untouched
        assert (outputs / "tables/topk" / table.name).read_bytes() == table.read_bytes()
    report = (outputs / "REPORT.md").read_text()
    assert f"hf 2026-11-05 (sha256 {record.sha256})" in report and f"snapshot-{record.id}" in report


def test_a_changed_snapshot_file_is_refused(tmp_path: Path, snapshot_folder: tuple) -> None:
    folder, record = snapshot_folder
    changed = tmp_path / "snapshots"
    changed.mkdir()
    for source in folder.iterdir():
        (changed / source.name).write_bytes(source.read_bytes())
    (changed / record.file).write_bytes((folder / record.file).read_bytes().replace(b"newcomer-org", b"newcomer-orh", 1))
    result = _run_extended(tmp_path / "out", changed)
    assert result.returncode == 2 and record.sha256 in result.stderr and record.file in result.stderr
    assert not (tmp_path / "out" / "extended" / "tables").exists()
