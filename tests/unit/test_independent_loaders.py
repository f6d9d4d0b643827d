"""Loaders of the independent profile's formats, on hand-made files with answers worked out by hand."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pytest

from artifact.errors import InputMissingError, SchemaError
from artifact.loaders import hub_listing
from artifact.loaders.card_samples import load_card_samples
from artifact.loaders.hub_listing import load_hub_listing, load_hub_listing_snapshot, peatmoss_frames
from artifact.loaders.model_info_parquet import load_model_info
from artifact.loaders.npm_top import load_npm_top, parse_top_download
from artifact.loaders.pypi_top import load_pypi_top
from artifact.metrics.m2_turnover import top_k
from artifact.text_columns import positions

# ---- npm: a JavaScript module parsed as text ----


def test_npm_names_in_order_whatever_the_quotes_and_comments() -> None:
    text = "// generated\nexport const topDownload = [\n  'semver', // most\n  \"@types/node\",\n  /* x */ 'ms'\n]\n"
    assert parse_top_download(text) == ["semver", "@types/node", "ms"]


def test_npm_positions_rank_the_list(tmp_path: Path) -> None:
    path = tmp_path / "top-download.js"
    path.write_text("export const topDownload = ['b', 'a', 'c']\n")
    table = load_npm_top(path)
    assert table["position"].tolist() == [1, 2, 3]
    assert top_k(table, 2)["name"].tolist() == ["b", "a"]  # the given order, not alphabetical


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("module.exports = ['a']", "no `export const"),
        ("export const x = ['a', require('b')]", 'unexpected "require'),
        ("export const x = ['a', 'b'", "truncated"),
        ("export const x = ['a\\'b']", "not a plain npm package name"),
        ("export const x = []", "empty"),
    ],
)
def test_npm_anything_but_string_literals_is_an_error(text: str, message: str) -> None:
    with pytest.raises(SchemaError, match=message) as caught:
        parse_top_download(text, "lib/top-download.js")
    assert "lib/top-download.js" in str(caught.value)


# ---- PyPI: JSON rows ----


def test_pypi_rows_become_name_and_downloads(tmp_path: Path) -> None:
    path = tmp_path / "top.json"
    rows = [{"download_count": 30, "project": "boto3"}, {"download_count": 20, "project": "1e5"}]
    path.write_text(json.dumps({"last_update": "2022-11-01", "query": {}, "rows": rows}))
    table = load_pypi_top(path)
    assert table["name"].tolist() == ["boto3", "1e5"]
    assert table["downloads"].tolist() == [30.0, 20.0] and table["downloads"].dtype == "float64"


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("{not json", "not valid JSON"),
        ('{"rows": {"a": 1}}', "'rows' is a list of objects"),
        ('{"rows": []}', "'rows' is empty"),
        ('{"rows": [{"project": "a", "download_count": 1}, {"download_count": 2}]}', "row 1 has no 'project'"),
    ],
)
def test_pypi_bad_files_are_named(tmp_path: Path, content: str, message: str) -> None:
    path = tmp_path / "top.json"
    path.write_text(content)
    with pytest.raises(SchemaError, match=message) as caught:
        load_pypi_top(path)
    assert str(path) in str(caught.value)


# ---- model_info.parquet ----


def test_model_info_columns_renamed(tmp_path: Path) -> None:
    path = tmp_path / "model_info.parquet"
    created = pd.to_datetime(["2019-01-01", "2022-09-30"], utc=True)
    pd.DataFrame({"modelId": ["gpt2", "a/b"], "downloads": [5.0, None], "creation_time": created, "author": ["", "a"]}).to_parquet(path)
    table = load_model_info(path)
    assert list(table.columns) == ["name", "downloads", "created_at"]
    assert table["name"].tolist() == ["gpt2", "a/b"] and table["downloads"].isna().tolist() == [False, True]
    assert table["created_at"].iloc[1] == pd.Timestamp("2022-09-30", tz="UTC")


def test_model_info_missing_column_and_wrong_format_are_named(tmp_path: Path) -> None:
    path = tmp_path / "model_info.parquet"
    pd.DataFrame({"modelId": ["gpt2"], "downloads": [5.0]}).to_parquet(path)
    with pytest.raises(SchemaError, match="creation_time"):
        load_model_info(path)
    path.write_text("not parquet")
    with pytest.raises(SchemaError, match="not a readable Parquet file"):
        load_model_info(path)


# ---- Hub API listing ----

PAGE_1 = [
    {"_id": "1", "id": "org/base", "downloads": 100, "likes": 3, "library_name": "transformers", "pipeline_tag": "fill-mask",
     "createdAt": "2022-03-02T23:29:04.000Z", "tags": ["transformers", "pytorch", "safetensors", "region:us"]},
    {"_id": "2", "id": "u/tuned", "downloads": 50, "likes": 0, "library_name": "whisper", "createdAt": "2024-01-01T00:00:00.000Z",
     "tags": ["whisper", "tensorboard", "base_model:org/base", "base_model:finetune:org/base", "base_model:u/tuned"]},
]
PAGE_2 = [
    {"modelId": "v/merged", "downloads": 0, "likes": 1, "library_name": "timm", "createdAt": "2024-02-01T10:00:00Z",
     "tags": ["base_model:merge:org/base", "base_model:quantized:bert-base-uncased", "base_model:adapter:w/x"]},
]
PAGE_10 = [{"id": "org/base", "downloads": 1, "likes": 0, "tags": []}]  # listed again on a later page


def _listing(folder: Path) -> Path:
    folder.mkdir()
    (folder / "models_page1.json").write_text(json.dumps(PAGE_1))
    with gzip.open(folder / "models_page2.json.gz", "wt") as handle:
        json.dump(PAGE_2, handle)
    (folder / "models_page10.json").write_text(json.dumps(PAGE_10))
    (folder / "README.md").write_text("not a page")
    return folder


def test_listing_models_in_page_order_first_listing_wins(tmp_path: Path) -> None:
    models = load_hub_listing(_listing(tmp_path / "pages")).models
    assert list(models.columns) == ["id", "downloads", "likes", "library_name", "pipeline_tag", "created_at"]
    assert models["id"].tolist() == ["org/base", "u/tuned", "v/merged"]  # page 2 before page 10; modelId read
    assert models["downloads"].tolist() == [100.0, 50.0, 0.0]
    assert models["created_at"].tolist() == pd.to_datetime(
        ["2022-03-02T23:29:04Z", "2024-01-01T00:00:00Z", "2024-02-01T10:00:00Z"], utc=True
    ).tolist()
    assert models["pipeline_tag"].isna().tolist() == [False, True, True]


def test_listing_base_models_from_every_tag_form(tmp_path: Path) -> None:
    links = load_hub_listing(_listing(tmp_path / "pages")).base_models
    assert links.to_dict("records") == [
        # plain and finetune forms name the same base: one link, the specific relation kept; self link dropped
        {"id": "u/tuned", "base_model": "org/base", "relation": "finetune", "model_row": 1},
        {"id": "v/merged", "base_model": "bert-base-uncased", "relation": "quantized", "model_row": 2},
        {"id": "v/merged", "base_model": "org/base", "relation": "merge", "model_row": 2},
        {"id": "v/merged", "base_model": "w/x", "relation": "adapter", "model_row": 2},
    ]


def test_listing_libraries_are_hub_libraries_and_formats_not_frameworks(tmp_path: Path) -> None:
    libraries = load_hub_listing(_listing(tmp_path / "pages")).libraries
    pairs = sorted(map(tuple, libraries.to_numpy().tolist()))
    # pytorch (a framework) and whisper (a free-text library_name) are not libraries;
    # timm counts from library_name alone.
    assert pairs == [("org/base", "safetensors", 0), ("org/base", "transformers", 0), ("u/tuned", "tensorboard", 1), ("v/merged", "timm", 2)]


def test_listing_libraries_in_model_then_library_order_each_pair_once(tmp_path: Path) -> None:
    page = [
        {"id": "z/m", "library_name": "onnx", "tags": ["safetensors", "onnx", "safetensors"]},
        {"id": "B/m", "library_name": "timm", "tags": ["timm", "gguf"]},
        {"id": "a/m", "tags": ["transformers"]},
    ]
    (tmp_path / "page.json").write_text(json.dumps(page))
    libraries = load_hub_listing(tmp_path / "page.json").libraries
    # the models' (page) order, not the ids'; within a model, the libraries in code point order
    assert libraries.to_numpy().tolist() == [
        ["z/m", "onnx", 0], ["z/m", "safetensors", 0], ["B/m", "gguf", 1], ["B/m", "timm", 1], ["a/m", "transformers", 2]
    ]
    assert libraries.index.tolist() == list(range(5))


def test_listing_ids_of_equal_hash_are_told_apart_by_their_text(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(hub_listing, "_hashes", lambda ids: pa.array(np.zeros(len(ids), dtype=np.int64)))  # every hash equal
    page = [{"id": "b/m", "tags": ["onnx"]}, {"id": "a/m", "tags": ["gguf"]}, {"id": "b/m", "tags": ["timm"]}, {"id": "c/m"}]
    (tmp_path / "page.json").write_text(json.dumps(page))
    listing = load_hub_listing(tmp_path / "page.json")
    assert listing.models["id"].tolist() == ["b/m", "a/m", "c/m"]  # only the true repeat dropped
    assert listing.libraries.to_numpy().tolist() == [["b/m", "onnx", 0], ["a/m", "gguf", 1]]
    assert load_hub_listing_snapshot(tmp_path / "page.json")["name"].tolist() == ["b/m", "a/m", "c/m"]


def test_listing_tags_of_a_later_listing_are_not_read(tmp_path: Path) -> None:
    first = [{"id": "a/m", "library_name": "timm", "tags": ["timm", "base_model:b/x"]}, {"id": "b/x", "tags": ["onnx"]}]
    again = [{"id": "c/y", "tags": ["gguf"]}, {"id": "a/m", "library_name": "keras", "tags": ["gguf", "base_model:c/y"]}]
    (tmp_path / "models_page1.json").write_text(json.dumps(first))
    (tmp_path / "models_page2.json").write_text(json.dumps(again))
    listing = load_hub_listing(tmp_path)
    assert listing.models["id"].tolist() == ["a/m", "b/x", "c/y"]
    assert listing.libraries.to_numpy().tolist() == [["a/m", "timm", 0], ["b/x", "onnx", 1], ["c/y", "gguf", 2]]
    assert listing.base_models.to_numpy().tolist() == [["a/m", "b/x", "", 0]]


def test_listing_base_model_tag_split_at_its_last_colon(tmp_path: Path) -> None:
    page = [{"id": "u/m", "tags": ["base_model:a:b:org/x", "base_model:finetune:", "base_model:", "base_model:org/y"]},
            {"id": "u/n", "tags": ["base_model:adapter:org/y\n"]}]
    (tmp_path / "page.json").write_text(json.dumps(page))
    links = load_hub_listing(tmp_path / "page.json").base_models
    # the relation is all text before the last ':'; a tag naming no base is no link
    assert links.to_numpy().tolist() == [["u/m", "org/x", "a:b", 0], ["u/m", "org/y", "", 0], ["u/n", "org/y\n", "adapter", 1]]


def test_listing_rows_keep_their_model_across_steps_of_pages(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(hub_listing, "PAGES_AT_ONCE", 2)  # five pages: three steps, the last of one page
    pages = [[{"id": f"o/m{n}", "modelId": "ignored", "library_name": "timm", "tags": [f"base_model:o/b{n}"]}] for n in range(4)]
    pages[2] = []  # an empty page in the middle
    pages.append([{"id": "o/m1", "tags": ["gguf"]}, {"modelId": "o/m9", "tags": ["onnx", "base_model:o/m1"]}])
    for number, page in enumerate(pages, start=1):
        (tmp_path / f"models_page{number}.json").write_text(json.dumps(page))
    listing = load_hub_listing(tmp_path)
    assert listing.models["id"].tolist() == ["o/m0", "o/m1", "o/m3", "o/m9"]  # `id` before `modelId`; first listing kept
    assert listing.libraries.to_numpy().tolist() == [["o/m0", "timm", 0], ["o/m1", "timm", 1], ["o/m3", "timm", 2], ["o/m9", "onnx", 3]]
    assert listing.base_models.to_numpy().tolist() == [["o/m0", "o/b0", "", 0], ["o/m1", "o/b1", "", 1], ["o/m3", "o/b3", "", 2],
                                                       ["o/m9", "o/m1", "", 3]]


def test_listing_snapshot_for_metric_2(tmp_path: Path) -> None:
    snapshot = load_hub_listing_snapshot(_listing(tmp_path / "pages"))
    assert list(snapshot.columns) == ["name", "downloads", "created_at"]
    assert top_k(snapshot, 2)["name"].tolist() == ["org/base", "u/tuned"]


def test_listing_single_file_is_read_too(tmp_path: Path) -> None:
    path = tmp_path / "snapshot.json"
    path.write_text(json.dumps(PAGE_1))
    assert load_hub_listing(path).models["id"].tolist() == ["org/base", "u/tuned"]


@pytest.mark.parametrize(
    ("page", "message"),
    [
        ({"id": "a"}, "expected a JSON list"),
        ([{"id": "a", "downloads": "many"}], "does not have the Hub listing form"),
        ([{"downloads": 1}], "neither 'id' nor 'modelId'"),
        ([{"id": "a", "createdAt": "yesterday"}], "'createdAt' is not an ISO 8601 time"),
    ],
)
def test_listing_bad_page_is_named(tmp_path: Path, page: object, message: str) -> None:
    path = tmp_path / "models_page3.json"
    path.write_text(json.dumps(page))
    with pytest.raises(SchemaError, match=message) as caught:
        load_hub_listing(path)
    assert str(path) in str(caught.value)


def test_listing_folder_without_pages_is_missing_input(tmp_path: Path) -> None:
    with pytest.raises(InputMissingError, match=r"\*\.json"):
        load_hub_listing(tmp_path)


def test_peatmoss_frames_number_models_by_position() -> None:
    models = pd.DataFrame({"id": ["a/x", "b", "c/y"], "downloads": [1.0, None, 3.0]})
    libraries = pd.DataFrame({"id": ["c/y", "a/x"], "library": ["timm", "transformers"], "model_row": [2, 0]})
    links = pd.DataFrame({"id": ["c/y", "b", "b"], "base_model": ["a/x", "gone", "a/x"], "relation": ["", "", ""], "model_row": [2, 1, 1]})
    frames, libs, base = peatmoss_frames(models, libraries, links)
    nan = pytest.approx(float("nan"), nan_ok=True)
    assert frames.to_dict("list") == {"model_id": [1, 2, 3], "name": ["a/x", "b", "c/y"], "downloads": [1.0, nan, 3.0]}
    assert libs.to_dict("list") == {"model_id": [3, 1], "library": ["timm", "transformers"]}
    assert base["model_id"].tolist() == [3, 2, 2] and base["base_model_name"].tolist() == ["a/x", "gone", "a/x"]
    assert base["base_model_id"].dtype == "Int64" and base["base_model_id"].tolist() == [1, pd.NA, 1]


def test_positions_of_values_in_unique_ids_absent_and_null_are_minus_one() -> None:
    among = pd.Series(["m/a", "m/b", "m/c", "m/d"], dtype="str")
    values = pa.array(["m/c", "x/y", "m/a", "m/c", None, "m/d"])
    assert positions(among, values).tolist() == [2, -1, 0, 2, -1, 3]
    assert positions(among, pa.array([], pa.string())).tolist() == []


# ---- model-card sample ----


def test_card_sample_rows_in_key_order_with_tags(tmp_path: Path) -> None:
    path = tmp_path / "samples_data.json"
    card = {"tags": ["a", "b"], "downloads": 2.0, "likes": 0.0, "modelcard_text": "# Model"}
    data = {"10": {**card, "modelId": "m10"}, "2": {**card, "modelId": "m2", "tags": []}, "1": {**card, "modelId": "m1"}}
    path.write_text(json.dumps(data))
    sample = load_card_samples(path)
    assert sample.cards["id"].tolist() == ["m1", "m2", "m10"]
    assert list(sample.cards.columns) == ["id", "downloads", "likes", "card"]
    assert sample.tags.to_numpy().tolist() == [["m1", "a"], ["m1", "b"], ["m10", "a"], ["m10", "b"]]


def test_card_sample_missing_field_is_named(tmp_path: Path) -> None:
    path = tmp_path / "samples_data.json"
    path.write_text(json.dumps({"1": {"modelId": "m1", "tags": [], "downloads": 1.0, "likes": 0.0}}))
    with pytest.raises(SchemaError, match="modelcard_text"):
        load_card_samples(path)
