"""A Hub listing page over the size bound is refused, naming the file, before it is parsed."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import pytest

from artifact.errors import SchemaError
from artifact.loaders import hub_listing
from artifact.loaders.hub_listing import MAX_PAGE_BYTES, load_hub_listing, load_hub_listing_snapshot

PAGE = [{"id": "org/base", "downloads": 10, "tags": ["transformers"], "createdAt": "2023-01-01T00:00:00.000Z"}]


def test_an_oversized_page_is_refused_naming_the_file_and_the_bound(tmp_path: Path) -> None:
    (tmp_path / "models_page1.json").write_text(json.dumps(PAGE))
    huge = tmp_path / "models_page2.json"
    with huge.open("wb") as handle:  # sparse: one byte over the bound costs no disk
        handle.truncate(MAX_PAGE_BYTES + 1)
    with pytest.raises(SchemaError, match=r"over 64 MiB") as caught:
        load_hub_listing(tmp_path)
    assert str(huge) in str(caught.value)


def test_a_compressed_page_is_bounded_by_its_decompressed_size(tmp_path: Path) -> None:
    padded = b"[" + b" " * MAX_PAGE_BYTES + json.dumps(PAGE)[1:].encode()  # valid JSON, small once compressed
    page = tmp_path / "models_page1.json.gz"
    page.write_bytes(gzip.compress(padded, compresslevel=1))
    assert page.stat().st_size < MAX_PAGE_BYTES // 100
    with pytest.raises(SchemaError, match=r"over 64 MiB") as caught:
        load_hub_listing_snapshot(tmp_path)
    assert str(page) in str(caught.value)


def test_a_page_at_the_bound_is_read(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    page = tmp_path / "models_page1.json"
    page.write_text(json.dumps(PAGE))
    monkeypatch.setattr(hub_listing, "MAX_PAGE_BYTES", page.stat().st_size)
    assert load_hub_listing(tmp_path).models["id"].tolist() == ["org/base"]


def test_a_bad_value_names_the_model_index_and_the_field(tmp_path: Path) -> None:
    page = tmp_path / "models_page1.json"
    page.write_text(json.dumps(PAGE + [{"id": "u/x", "likes": "many"}]))
    with pytest.raises(SchemaError, match=r"model object 1, field 'likes'") as caught:
        load_hub_listing(tmp_path)
    assert str(page) in str(caught.value)


@pytest.mark.parametrize(
    ("model", "message"),
    [
        ({"id": "u/x", "createdAt": "yesterday"}, r"model object 1, field 'createdAt' is not an ISO 8601 time"),
        ({"downloads": 3}, r"model object 1 has neither 'id' nor 'modelId'"),
    ],
)
def test_a_bad_time_or_a_missing_id_names_the_model_index_and_the_field(tmp_path: Path, model: dict, message: str) -> None:
    page = tmp_path / "models_page1.json"
    page.write_text(json.dumps(PAGE + [model]))
    with pytest.raises(SchemaError, match=message) as caught:
        load_hub_listing(tmp_path)
    assert str(page) in str(caught.value)


def test_malformed_json_names_the_byte_offset(tmp_path: Path) -> None:
    page = tmp_path / "models_page1.json"
    page.write_text('[{"id": "a"}, {"id": ]')
    with pytest.raises(SchemaError, match=r"byte 21") as caught:
        load_hub_listing(tmp_path)
    assert str(page) in str(caught.value)
