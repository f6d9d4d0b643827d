"""The loaders that read snapshot files back: Hub listing, PyPI top JSON, npm top-download.js."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from artifact.errors import SchemaError
from artifact.loaders.hub_listing import load_hub_listing_snapshot
from artifact.loaders.npm_top import load_npm_top
from artifact.loaders.pypi_top import load_pypi_top


def test_hub_listing_reads_id_or_model_id_and_keeps_a_models_first_listing(tmp_path: Path) -> None:
    path = tmp_path / "listing.json"
    models = [{"id": "a/x", "downloads": 5}, {"modelId": "b/y", "downloads": 3}, {"id": "a/x", "downloads": 1}, {"id": "c/z"}]
    path.write_text(json.dumps(models))
    table = load_hub_listing_snapshot(path)
    assert table["name"].tolist() == ["a/x", "b/y", "c/z"]
    assert table["downloads"].tolist()[:2] == [5.0, 3.0] and table["downloads"].isna().tolist()[2]


def test_pypi_top_reads_rows(tmp_path: Path) -> None:
    path = tmp_path / "top.json"
    path.write_text(json.dumps({"last_update": "x", "rows": [{"project": "boto3", "download_count": 7}]}))
    table = load_pypi_top(path)
    assert table["name"].tolist() == ["boto3"] and table["downloads"].tolist() == [7.0]


def test_npm_top_keeps_the_given_order_and_never_runs_code(tmp_path: Path) -> None:
    path = tmp_path / "top-download.js"
    path.write_text("// ranked\nexport const topDownload = [\n  'semver', // comment\n  \"@scope/pkg\",\n  'debug'\n]\n")
    table = load_npm_top(path)
    assert table["name"].tolist() == ["semver", "@scope/pkg", "debug"] and table["position"].tolist() == [1, 2, 3]
    path.write_text("export const topDownload = [\n  'semver',\n  require('child_process').name\n]\n")
    with pytest.raises(SchemaError):
        load_npm_top(path)
