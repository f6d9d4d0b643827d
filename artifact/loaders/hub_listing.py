"""Hub API model listings (the JSON form of `GET /api/models`) as tidy tables for Metrics 1, 2 and 3.

One loader serves every source in that form: the 760 pages of 2024-07-11
(TStalnaker44/hugging_face_analysis_replication), a snapshot taken with `huggingface_hub`, any
single file. The input is a JSON file holding a list of model objects (`id` or `modelId`,
`downloads`, `likes`, `tags`, `library_name`, `pipeline_tag`, `createdAt`; other keys are ignored,
missing ones are null), or a folder of such files (`*.json`, `*.json.gz`) read in the natural order
of their names, so that page 2 comes before page 10. An id listed twice (pages shifting while a
listing is crawled) keeps its first listing.

Each file is parsed by msgspec straight into typed structs of the fields read (no dict per model,
unknown keys skipped unparsed), then into Arrow columns; `make bench` measures this against the
plain `json` reading, the same parse alone, and polars' `read_json` when installed. A file holds
at most `MAX_PAGE_BYTES` (64 MiB, decompressed): the Hub API's pages are about 0.4 MB (the
largest of the 760 of 2024-07 is 0.55 MB) and a 15,000-model snapshot about 8 MB, while a 307 MB
page would take about 1.8 GB to read; a larger file is refused before it is parsed.

Every table is keyed by `id`, the model's Hub id:
- `models`: id, downloads, likes, library_name, pipeline_tag, created_at (UTC);
- `tags`: (id, tag) pairs as listed (`id` categorical, to keep millions of pairs cheap);
- `base_models`: (id, base_model, relation), one per descendant and base, from the tags
  `base_model:<base>` and the later forms `base_model:<relation>:<base>` (finetune, adapter,
  quantized, merge); Hub ids never contain ':', so the text after the last ':' is the base.
  `relation` is empty for the plain form; when both forms name the same base the specific one is
  kept. A model naming itself as its base is not a descendant and is dropped;
- `libraries`: (id, library): the libraries a model supports, see below.
`peatmoss_frames` gives the same content in the shapes of the PeaTMOSS loader
(artifact/loaders/peatmoss.py), so that Metrics 1 and 3 run on a listing unchanged.

Which tags are libraries. The Hub tags a model with its `library_name` and with the file formats
it detects in the repository; the paper's Metric 1 counts the PeaTMOSS `library` table, whose top
entries (transformers, safetensors, tensorboard, timm, sentence-transformers, diffusers, onnx,
rust, transformers.js, ultralytics) are of both kinds, while PeaTMOSS keeps the frameworks
(pytorch, tf, jax) in a separate `framework` table. So a tag, or the `library_name`, counts as a
library when it is either
- a library id the Hub recognises: the keys of `MODEL_LIBRARIES_UI_ELEMENTS` in
  `src/model-libraries.ts` of the npm package `@huggingface/tasks` 0.11.13 (MIT licence), the last
  0.11 release, from mid-2024 like the listing: its newest entries are libraries of July 2024
  such as sam2 and liveportrait (`HUB_LIBRARY_IDS`); or
- a file-format tag the Hub shows among its libraries (`FILE_FORMAT_TAGS`).
Frameworks are not libraries, and neither are free-text `library_name` values that the Hub does
not recognise (for example 'whisper', 'BERT' or 'unsloth', which would otherwise turn model
families and tools into libraries).
"""

from __future__ import annotations

import gzip
import re
from dataclasses import dataclass
from functools import cache
from operator import attrgetter
from pathlib import Path

import msgspec
import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from artifact.errors import InputMissingError, SchemaError
from artifact.text_columns import arrow_strings, positions

HUB_LIBRARY_IDS = frozenset(
    ["adapter-transformers", "allennlp", "asteroid", "audiocraft", "audioseal", "bertopic", "big_vision", "birefnet", "bm25s", "cartesia_mlx", "cartesia_pytorch", "champ", "chat_tts", "colpali", "deepforest", "depth-anything-v2", "diffree", "diffusers", "diffusion-single-file", "diffusionkit", "doctr", "edsnlp", "elm", "espnet", "fairseq", "fastai", "fasttext", "flair", "gemma.cpp", "gliner", "glyph-byt5", "grok", "hallo", "hunyuan-dit", "k2", "keras", "keras-nlp", "liveportrait", "llama-cpp-python", "mamba-ssm", "mars5-tts", "mesh-anything", "mindspore", "ml-agents", "mlc-llm", "mlx", "mlx-image", "nemo", "open_clip", "paddlenlp", "peft", "py-feat", "pyannote-audio", "pythae", "recurrentgemma", "refiners", "relik", "saelens", "sam2", "sample-factory", "seed-story", "sentence-transformers", "setfit", "sklearn", "spacy", "span-marker", "speechbrain", "stable-audio-tools", "stable-baselines3", "stanza", "tensorflowtts", "tf-keras", "tic-clip", "timesfm", "timm", "transformers", "transformers.js", "unity-sentis", "voicecraft", "whisperkit"]
)
FILE_FORMAT_TAGS = frozenset({"safetensors", "onnx", "gguf", "tensorboard", "rust", "coreml", "tflite", "openvino"})
LIBRARY_TAGS = HUB_LIBRARY_IDS | FILE_FORMAT_TAGS

BASE_MODEL_PREFIX = "base_model:"
MODEL_COLUMNS = ("id", "downloads", "likes", "library_name", "pipeline_tag", "created_at")
BASE_MODEL_COLUMNS = ("id", "base_model", "relation")
LIBRARY_COLUMNS = ("id", "library")
# A base-model tag after its prefix: the text after the last ':' is the base, any text before it the relation.
_RELATION_AND_BASE = r"(?s)^(?:(?P<relation>.*):)?(?P<base>[^:]*)$"

# The fields read from each model object, with the Arrow type they must convert to.
FIELDS = {
    "id": pa.string(),
    "modelId": pa.string(),  # older listings name the id only so
    "downloads": pa.float64(),
    "likes": pa.float64(),
    "library_name": pa.string(),
    "pipeline_tag": pa.string(),
    "createdAt": pa.string(),
    "tags": pa.list_(pa.string()),
}
_CREATED = pa.timestamp("ms", tz="UTC")
# How msgspec reads each field: numbers as given (Arrow converts them to float64 as json.load's did).
_PARSED = {pa.string(): str | None, pa.float64(): int | float | None, pa.list_(pa.string()): list[str | None] | None}
MAX_PAGE_BYTES = 64 * 1024 * 1024
# Where msgspec says a value is wrong: `$[<model index>].<field>`.
_AT = re.compile(r"- at `\$(?:\[(?P<index>\d+)\](?:\.(?P<field>\w+))?)?")


@dataclass(frozen=True)
class HubListing:
    """The tidy tables of one listing (columns as in the module docstring)."""

    models: pd.DataFrame
    tags: pd.DataFrame
    base_models: pd.DataFrame
    libraries: pd.DataFrame


def listing_files(path: Path) -> list[Path]:
    """The JSON files of a listing: `path` itself, or the `*.json[.gz]` files of a folder in natural order."""
    path = Path(path)
    if path.is_file():
        return [path]
    if not path.is_dir():
        raise InputMissingError(f"Hub listing {path} does not exist")
    files = [p for p in path.iterdir() if p.is_file() and p.name.endswith((".json", ".json.gz"))]
    if not files:
        raise InputMissingError(f"Hub listing folder {path} holds no *.json or *.json.gz file")
    return sorted(files, key=_natural_key)


def read_listing(path: Path, fields: tuple[str, ...] = tuple(FIELDS)) -> pa.Table:
    """The listing's models as one Arrow table with `fields` (`id` resolved, `createdAt` a timestamp)."""
    wanted = {name: FIELDS[name] for name in dict.fromkeys(("id", "modelId") + tuple(fields))}
    table = pa.concat_tables([_read_file(file, wanted) for file in listing_files(path)]).combine_chunks()
    return _first_listings(table)


def load_hub_listing(path: Path) -> HubListing:
    """All tidy tables of the listing at `path` (a file or a folder of pages)."""
    table = read_listing(path)
    models = _models(table)
    tags = tag_pairs(table)
    return HubListing(models, tags, base_model_links(tags), model_libraries(models, tags))


def load_hub_listing_snapshot(path: Path) -> pd.DataFrame:
    """Metric 2 snapshot (`name`, `downloads` float64, `created_at`) of the listing at `path`."""
    table = read_listing(path, ("downloads", "createdAt"))
    frame = table.select(["id", "downloads", "createdAt"]).to_pandas()
    return frame.rename(columns={"id": "name", "createdAt": "created_at"})


def tag_pairs(table: pa.Table) -> pd.DataFrame:
    """(id, tag) pairs as listed, one per tag of each model; `id` is categorical (ids must be unique)."""
    tags = table.column("tags").combine_chunks()
    ids = pd.Categorical.from_codes(
        pc.list_parent_indices(tags).to_numpy(), categories=pd.Index(table.column("id").to_pandas())
    )
    pairs = pd.DataFrame({"id": ids, "tag": pc.list_flatten(tags).to_pandas()})
    return pairs.dropna(subset=["tag"]).reset_index(drop=True)


def base_model_links(tags: pd.DataFrame) -> pd.DataFrame:
    """(id, base_model, relation) from the `base_model:` tags of (id, tag) pairs."""
    tagged = tags[tags["tag"].str.startswith(BASE_MODEL_PREFIX)]
    parts = pc.extract_regex(arrow_strings(tagged["tag"].str.slice(len(BASE_MODEL_PREFIX))), _RELATION_AND_BASE)
    links = pd.DataFrame(
        {
            "id": tagged["id"].astype(str),
            "base_model": pd.array(parts.field("base"), dtype="str"),
            "relation": pd.array(parts.field("relation"), dtype="str"),
        }
    )
    links = links[(links["base_model"] != "") & (links["base_model"] != links["id"])]
    links = links.sort_values(list(BASE_MODEL_COLUMNS), ascending=[True, True, False], kind="mergesort")
    return links.drop_duplicates(["id", "base_model"], keep="first").reset_index(drop=True)


def model_libraries(models: pd.DataFrame, tags: pd.DataFrame) -> pd.DataFrame:
    """(id, library) for each library a model supports: its library tags and its `library_name`.

    `tags` is `tag_pairs` of the same listing: its `id` codes are positions in `models`. Each pair is
    one integer, the model's rank in id order times the number of libraries plus the library's rank,
    so that one integer sort both drops repeated pairs and orders them by (id, library).
    """
    vocabulary = pa.array(sorted(LIBRARY_TAGS), type=pa.large_string())
    tag_library = pc.index_in(arrow_strings(tags["tag"]), value_set=vocabulary).to_numpy(zero_copy_only=False)
    declared = pc.index_in(arrow_strings(models["library_name"]), value_set=vocabulary).to_numpy(zero_copy_only=False)
    tagged, named = ~np.isnan(tag_library), ~np.isnan(declared)
    rows = np.concatenate([tags["id"].cat.codes.to_numpy()[tagged], np.flatnonzero(named)])
    library = np.concatenate([tag_library[tagged], declared[named]]).astype(np.int64)
    ids = arrow_strings(models["id"])
    order = pc.sort_indices(ids).to_numpy()
    rank = np.empty(len(order), dtype=np.int64)
    rank[order] = np.arange(len(order))
    pairs = np.sort(rank[rows] * len(vocabulary) + library)
    pairs = pairs[np.concatenate(([True], pairs[1:] != pairs[:-1]))]  # np.unique hashes, slower than this
    return pd.DataFrame(
        {
            "id": pd.array(pc.take(ids, order[pairs // len(vocabulary)]), dtype="str"),
            "library": pd.array(pc.take(vocabulary, pairs % len(vocabulary)), dtype="str"),
        }
    )


def peatmoss_frames(
    models: pd.DataFrame, libraries: pd.DataFrame, base_models: pd.DataFrame
) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """(models, model libraries, base links) shaped as the PeaTMOSS loader's frames.

    `model_id` is the 1-based position of a model in `models`; `base_model_name` is the base id
    as given in `base_models` (after any renaming) and `base_model_id` its position, <NA> when the
    base is not a listed model.
    """
    libraries_at, ids_at, bases_at = positions(models["id"], libraries["id"], base_models["id"], base_models["base_model"])
    return (
        pd.DataFrame({"model_id": np.arange(1, len(models) + 1), "name": models["id"].to_numpy(), "downloads": models["downloads"].to_numpy()}),
        pd.DataFrame({"model_id": libraries_at + 1, "library": libraries["library"].to_numpy()}),
        pd.DataFrame(
            {
                "model_id": ids_at + 1,
                "base_model_name": base_models["base_model"].to_numpy(),
                "base_model_id": pd.Series(bases_at + 1).where(bases_at >= 0).astype("Int64").array,
            }
        ),
    )


def _first_listings(table: pa.Table) -> pa.Table:
    """The table without repeated ids, each id keeping its first listing."""
    codes = pc.dictionary_encode(table.column("id")).combine_chunks().indices.to_numpy()
    first = np.unique(codes, return_index=True)[1]
    return table if len(first) == len(codes) else table.take(np.sort(first))


def _models(table: pa.Table) -> pd.DataFrame:
    frame = table.drop_columns(["tags"]).to_pandas().rename(columns={"createdAt": "created_at"})
    return frame.loc[:, list(MODEL_COLUMNS)]


def _read_file(file: Path, fields: dict[str, pa.DataType]) -> pa.Table:
    """One JSON page as an Arrow table of `fields`; errors name the file, and the model index and field."""
    table = parse_page(_page_bytes(file), fields, file)
    ids = pc.coalesce(table.column("id"), table.column("modelId"))
    if ids.null_count:
        raise SchemaError(f"{file}: {ids.null_count} model object(s) have neither 'id' nor 'modelId'")
    table = table.set_column(0, "id", ids).drop_columns(["modelId"])
    if "createdAt" in fields:
        try:
            created = pc.cast(table.column("createdAt"), _CREATED)
        except pa.ArrowInvalid as error:
            raise SchemaError(f"{file}: 'createdAt' is not an ISO 8601 time ({error})") from error
        table = table.set_column(table.schema.get_field_index("createdAt"), "createdAt", created)
    return table


def parse_page(data: bytes, fields: dict[str, pa.DataType], file: Path) -> pa.Table:
    """The JSON list of model objects in `data` as Arrow columns of `fields` (by msgspec typed structs); errors name `file`."""
    try:
        models = _decoder(tuple(fields)).decode(data)
    except msgspec.ValidationError as error:
        raise SchemaError(f"{file}: {_where(error)} ({error})") from error
    except msgspec.DecodeError as error:
        raise SchemaError(f"{file} is not a readable JSON file ({error}); check that the file is the pinned input") from error
    return pa.table({name: pa.array(list(map(attrgetter(name), models)), type) for name, type in fields.items()})


def _page_bytes(file: Path) -> bytes:
    """The (decompressed) bytes of one listing file, refused when over MAX_PAGE_BYTES."""
    opener = gzip.open if file.name.endswith(".gz") else open
    try:
        with opener(file, "rb") as handle:
            data = handle.read(MAX_PAGE_BYTES + 1)
    except (OSError, EOFError) as error:
        raise SchemaError(f"{file} is not a readable JSON file ({error}); check that the file is the pinned input") from error
    if len(data) > MAX_PAGE_BYTES:
        raise SchemaError(
            f"{file} holds over {MAX_PAGE_BYTES // 2**20} MiB of JSON, more than any Hub listing page (about 0.4 MB) "
            "or snapshot; check that the file is the pinned input, or split it into pages"
        )
    return data


@cache
def _decoder(fields: tuple[str, ...]) -> msgspec.json.Decoder:
    """A decoder of a JSON list of model objects into structs of `fields` (other keys skipped)."""
    model = msgspec.defstruct("ListedModel", [(name, _PARSED[FIELDS[name]], None) for name in fields], gc=False)
    return msgspec.json.Decoder(list[model])


def _where(error: msgspec.ValidationError) -> str:
    """What a validation error is about: the list itself, or a model's index and field."""
    at = _AT.search(str(error))
    if at is None or at["index"] is None:
        return "expected a JSON list of model objects"
    field = f", field '{at['field']}'" if at["field"] else ""
    return f"model object {at['index']}{field} does not have the Hub listing form"


def _natural_key(path: Path) -> list[object]:
    """Sort key that orders embedded numbers by value: page2 before page10."""
    return [int(part) if part.isdigit() else part for part in re.split(r"(\d+)", path.name)]
