"""Hub API model listings (the JSON form of `GET /api/models`) as tidy tables for Metrics 1, 2 and 3.

One loader serves every source in that form: the 760 pages of 2024-07-11
(TStalnaker44/hugging_face_analysis_replication), a snapshot taken with `huggingface_hub`, any
single file. The input is a JSON file holding a list of model objects (`id` or `modelId`,
`downloads`, `likes`, `tags`, `library_name`, `pipeline_tag`, `createdAt`; other keys are ignored,
missing ones are null), or a folder of such files (`*.json`, `*.json.gz`) read in the natural order
of their names, so that page 2 comes before page 10. An id listed twice (pages shifting while a
listing is crawled) keeps its first listing.

Each file is parsed by msgspec straight into typed structs of the fields read (no dict per model,
unknown keys skipped unparsed), then into one Arrow column per field; the tags of every
`PAGES_AT_ONCE` pages are reduced in one pass to the library and base-model tags, so that no other
tag outlives its pages (about six per model). `make bench` measures this against the plain `json`
reading, the same parse alone, and polars' `read_json` when installed. (Reading the next pages and
reducing the last ones' tags in a helper thread while this one parses saved no time: the parse and
the conversion hold the GIL. In paired runs over the 760 pages, the tags converted as one flat
list of strings with the lists' lengths took 5 % longer; each model's tags kept as its JSON text
(`msgspec.Raw`) and split into strings by Arrow, 7 % longer by 32 pages and 17 % page by page; and
leaving every column but the ids in its pages' chunks saved nothing.) A file holds at most
`MAX_PAGE_BYTES` (64 MiB, decompressed): the Hub API's pages are about 0.4 MB (the largest of the
760 of 2024-07 is 0.55 MB) and a 15,000-model snapshot about 8 MB, while a 307 MB page would take
about 1.8 GB to read; a larger file is refused before it is parsed.

Every table is keyed by `id`, the model's Hub id, and in the listing's order:
- `models`: id, downloads, likes, library_name, pipeline_tag, created_at (UTC), each id's first
  listing in page order;
- `base_models`: (id, base_model, relation, model_row), one per descendant and base, from the tags
  `base_model:<base>` and the later forms `base_model:<relation>:<base>` (finetune, adapter,
  quantized, merge); Hub ids never contain ':', so the text after the last ':' is the base.
  `relation` is empty for the plain form; when both forms name the same base the specific one is
  kept. A model naming itself as its base is not a descendant and is dropped;
- `libraries`: (id, library, model_row): the libraries a model supports, see below.
`model_row` is the row of the link's model (`id`) in `models`, counted from 0, so that no later step
looks the 760,000 ids up again. The links follow the models' order, then the base (or library) in
code-point order. (No table is sorted by id: sorting the 760,000 ids took a tenth of the
independent pipeline's CPU time.)
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

import gc
import gzip
import os
import re
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import msgspec
import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
from msgspec.structs import astuple

from artifact.errors import InputMissingError, SchemaError
from artifact.text_columns import positions

HUB_LIBRARY_IDS = frozenset(
    ["adapter-transformers", "allennlp", "asteroid", "audiocraft", "audioseal", "bertopic", "big_vision", "birefnet", "bm25s", "cartesia_mlx", "cartesia_pytorch", "champ", "chat_tts", "colpali", "deepforest", "depth-anything-v2", "diffree", "diffusers", "diffusion-single-file", "diffusionkit", "doctr", "edsnlp", "elm", "espnet", "fairseq", "fastai", "fasttext", "flair", "gemma.cpp", "gliner", "glyph-byt5", "grok", "hallo", "hunyuan-dit", "k2", "keras", "keras-nlp", "liveportrait", "llama-cpp-python", "mamba-ssm", "mars5-tts", "mesh-anything", "mindspore", "ml-agents", "mlc-llm", "mlx", "mlx-image", "nemo", "open_clip", "paddlenlp", "peft", "py-feat", "pyannote-audio", "pythae", "recurrentgemma", "refiners", "relik", "saelens", "sam2", "sample-factory", "seed-story", "sentence-transformers", "setfit", "sklearn", "spacy", "span-marker", "speechbrain", "stable-audio-tools", "stable-baselines3", "stanza", "tensorflowtts", "tf-keras", "tic-clip", "timesfm", "timm", "transformers", "transformers.js", "unity-sentis", "voicecraft", "whisperkit"]  # noqa: E501 - one list of data, as the Hub publishes it
)
FILE_FORMAT_TAGS = frozenset({"safetensors", "onnx", "gguf", "tensorboard", "rust", "coreml", "tflite", "openvino"})
LIBRARY_TAGS = HUB_LIBRARY_IDS | FILE_FORMAT_TAGS
LIBRARY_VOCABULARY = pa.array(sorted(LIBRARY_TAGS), type=pa.string())  # a library's code is its position here

BASE_MODEL_PREFIX = "base_model:"
MODEL_COLUMNS = ("id", "downloads", "likes", "library_name", "pipeline_tag", "created_at")
BASE_MODEL_COLUMNS = ("id", "base_model", "relation", "model_row")
LIBRARY_COLUMNS = ("id", "library", "model_row")

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
ID_HASH = "id_hash"  # a column of parse_page: Python's hash of each id, see _first_listings
_CREATED = pa.timestamp("ms", tz="UTC")
# How msgspec reads each field: numbers as given (Arrow converts them to float64 as json.load's did).
_PARSED = {pa.string(): str | None, pa.float64(): int | float | None, pa.list_(pa.string()): list[str | None] | None}
MAX_PAGE_BYTES = 64 * 1024 * 1024
PAGES_AT_ONCE = 32  # pages whose tags are reduced in one pass: fewer Arrow calls, and no more than 32 pages' tags held
_NO_ROWS = np.empty(0, dtype=np.int64)
# Where msgspec says a value is wrong: `$[<model index>].<field>`.
_AT = re.compile(r"- at `\$(?:\[(?P<index>\d+)\](?:\.(?P<field>\w+))?)?")


@dataclass(frozen=True)
class HubListing:
    """The tidy tables of one listing (columns as in the module docstring)."""

    models: pd.DataFrame
    base_models: pd.DataFrame
    libraries: pd.DataFrame


@dataclass(frozen=True)
class _Page:
    """Some pages read: their models' columns, and the rows that have a library or a base-model tag."""

    models: pa.Table  # the pages' fields but `tags`, `id` resolved, `createdAt` a timestamp
    library_rows: np.ndarray  # a row for each library a model names (tag or library_name), repeats included
    libraries: np.ndarray  # that library's position in LIBRARY_VOCABULARY
    base_rows: np.ndarray  # a row for each base-model tag
    base_tags: pa.Array  # that tag without its prefix


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


def load_hub_listing(path: Path) -> HubListing:
    """All tidy tables of the listing at `path` (a file or a folder of pages), read page by page."""
    with _reusing_allocator():
        pages = _read_listing(listing_files(path), tuple(FIELDS))
        starts = np.cumsum([0] + [page.models.num_rows for page in pages])
        library_rows = np.concatenate([start + page.library_rows for start, page in zip(starts, pages)] + [_NO_ROWS])
        libraries = np.concatenate([page.libraries for page in pages] + [_NO_ROWS])
        base_rows = np.concatenate([start + page.base_rows for start, page in zip(starts, pages)] + [_NO_ROWS])
        base_tags = pa.concat_arrays([page.base_tags for page in pages] + [pa.array([], pa.string())])
        table = pa.concat_tables([page.models for page in pages])
        del pages  # the pages' columns now held by `table` alone, so that joining its chunks frees them column by column
        table = _joined(table)
        first = _first_listings(table)
        model_row = np.cumsum(first) - 1  # of each first listing, its row in `models`
        ids = table.column("id").chunk(0)
        ids = ids if first.all() else ids.filter(first)  # the ids of `models`
        listed, based = first[library_rows], first[base_rows]
        return HubListing(
            _models(table, first),
            _base_model_links(ids, model_row[base_rows[based]], base_tags.filter(based)),
            _model_libraries(ids, model_row[library_rows[listed]], libraries[listed]),
        )


def load_hub_listing_snapshot(path: Path) -> pd.DataFrame:
    """Metric 2 snapshot (`name`, `downloads` float64, `created_at`) of the listing at `path`."""
    with _reusing_allocator():
        table = _joined(pa.concat_tables([page.models for page in _read_listing(listing_files(path), ("downloads", "createdAt"))]))
        first = _first_listings(table)
        frame = (table if first.all() else table.filter(first)).select(["id", "downloads", "createdAt"]).to_pandas()
    return frame.rename(columns={"id": "name", "createdAt": "created_at"})


def peatmoss_frames(
    models: pd.DataFrame, libraries: pd.DataFrame, base_models: pd.DataFrame
) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """(models, model libraries, base links) shaped as the PeaTMOSS loader's frames.

    `model_id` is the 1-based position of a model in `models` (its `model_row` plus one);
    `base_model_name` is the base id as given in `base_models` (after any renaming) and
    `base_model_id` its position, <NA> when the base is not a listed model.
    """
    bases_at = positions(models["id"], base_models["base_model"])
    return (
        pd.DataFrame({"model_id": np.arange(1, len(models) + 1), "name": _text(models["id"]), "downloads": models["downloads"].to_numpy()}),
        pd.DataFrame({"model_id": libraries["model_row"].to_numpy() + 1, "library": _text(libraries["library"])}),
        pd.DataFrame(
            {
                "model_id": base_models["model_row"].to_numpy() + 1,
                "base_model_name": _text(base_models["base_model"]),
                "base_model_id": pd.arrays.IntegerArray(bases_at + 1, bases_at < 0),
            }
        ),
    )


def _text(column: pd.Series) -> pd.api.extensions.ExtensionArray:
    """A text column's values as pandas text (`str`) whatever its length: Arrow-backed text is not copied."""
    return column.astype("str").array


def _joined(table: pa.Table) -> pa.Table:
    """`table` with each column in one chunk, joined a column at a time: only one column's chunks are held twice."""
    for index in range(table.num_columns):
        table = table.set_column(index, table.field(index), pa.chunked_array([table.column(index).combine_chunks()]))
    return table


def _first_listings(table: pa.Table) -> np.ndarray:
    """Whether each row of `table` (one chunk a column) is its id's first listing, in page order.

    The ids' Python hashes (ID_HASH, taken while the ids were Python strings) are sorted: when no
    two are equal, no id is listed twice, as in the 760 pages of 2024-07. For those 760,000 ids this
    takes about 0.07 s of CPU (the hashes included), against 0.17 s for hashing them again in Arrow
    and 0.3 s for sorting them. Otherwise Arrow numbers the ids in order of first appearance, and a row is a first listing
    where its number exceeds every number before it.
    """
    hashes = np.sort(table.column(ID_HASH).chunk(0).to_numpy())
    if not (hashes[1:] == hashes[:-1]).any():
        return np.ones(table.num_rows, dtype=bool)
    numbers = pc.dictionary_encode(table.column("id").chunk(0)).indices.to_numpy().astype(np.int64)
    return numbers > np.maximum.accumulate(np.concatenate(([-1], numbers[:-1])))


def _models(table: pa.Table, first: np.ndarray) -> pd.DataFrame:
    """The models table (MODEL_COLUMNS) of the rows that are first listings."""
    table = (table if first.all() else table.filter(first)).drop_columns([ID_HASH])
    return table.to_pandas().rename(columns={"createdAt": "created_at"}).loc[:, list(MODEL_COLUMNS)]


def _base_model_links(ids: pa.Array, rows: np.ndarray, tags: pa.Array) -> pd.DataFrame:
    """(id, base_model, relation, model_row) from base-model `tags` (prefix removed) of the models at `rows` of `ids`.

    Sorted by model, base and relation descending, so that of the links naming the same base the
    specific relation comes first and is kept.
    """
    relation, base = _relation_and_base(tags)
    valid = pc.and_(pc.not_equal(base, ""), pc.not_equal(base, ids.take(rows)))
    links = pa.table({"model_row": rows, "base_model": base, "relation": relation}).filter(valid)
    keys = [("model_row", "ascending"), ("base_model", "ascending"), ("relation", "descending")]
    links = links.take(pc.sort_indices(links, sort_keys=keys)).combine_chunks()
    rows, base = links.column("model_row").to_numpy(), links.column("base_model").combine_chunks()
    once = np.ones(len(rows), dtype=bool)
    if len(rows) > 1:
        same_base = pc.equal(base.slice(1), base.slice(0, len(rows) - 1)).to_numpy(zero_copy_only=False)
        once[1:] = (rows[1:] != rows[:-1]) | ~same_base
    links = links.filter(once)
    return pd.DataFrame(
        {
            "id": pd.array(ids.take(rows[once]), dtype="str"),
            "base_model": pd.array(links.column("base_model"), dtype="str"),
            "relation": pd.array(links.column("relation"), dtype="str"),
            "model_row": rows[once],
        }
    )


def _relation_and_base(tags: pa.Array) -> tuple[pa.Array, pa.Array]:
    """Base-model tags (prefix removed) split at their last ':': the relation before it ('' when none), the base after it.

    One split of each tag from its end, not a regular expression (a tenth of the time).
    """
    parts = pc.split_pattern(tags, ":", max_splits=1, reverse=True)  # [base] or [relation, base]
    ends = parts.offsets.to_numpy()
    related = pa.array(np.diff(ends) == 2)
    return pc.if_else(related, parts.values.take(ends[:-1]), ""), parts.values.take(ends[1:] - 1)


def _model_libraries(ids: pa.Array, rows: np.ndarray, libraries: np.ndarray) -> pd.DataFrame:
    """(id, library, model_row) for each model at `rows` of `ids` and library at `libraries` of LIBRARY_VOCABULARY, each pair once.

    Each pair is one integer, the model's row times the number of libraries plus the library's
    position, so that one integer sort both drops repeated pairs and orders them by (model, library).
    """
    size = len(LIBRARY_VOCABULARY)
    pairs = rows * size  # a new array, changed in place below: at three times the 2024-07 listing each copy would be 30 MB
    pairs += libraries
    pairs.sort()
    once = np.ones(len(pairs), dtype=bool)
    once[1:] = pairs[1:] != pairs[:-1]  # np.unique hashes, slower than this
    pairs = pairs[once]
    rows = pairs // size
    return pd.DataFrame(
        {
            "id": pd.array(ids.take(rows), dtype="str"),
            "library": pd.array(LIBRARY_VOCABULARY.take(pairs % size), dtype="str"),
            "model_row": rows,
        }
    )


def _read_listing(files: list[Path], fields: tuple[str, ...]) -> list[_Page]:
    """The pages `files` read PAGES_AT_ONCE at a time, in order, as _Page."""
    steps = [files[start : start + PAGES_AT_ONCE] for start in range(0, len(files), PAGES_AT_ONCE)]
    return [_reduced(pa.concat_tables([_page_table(file, fields) for file in step])) for step in steps]


def _reduced(table: pa.Table) -> _Page:
    """Pages' models (one chunk a page) with their tags reduced in one pass to the rows with a library or a base-model tag."""
    if "tags" not in table.column_names:
        return _Page(table, _NO_ROWS, _NO_ROWS, _NO_ROWS, pa.array([], pa.string()))
    tags = table.column("tags")  # one chunk a page, not joined: the other columns are joined once, for the whole listing
    values, rows = pc.list_flatten(tags), pc.list_parent_indices(tags).to_numpy()
    tagged = pc.index_in(values, value_set=LIBRARY_VOCABULARY).fill_null(-1).to_numpy()
    named = pc.index_in(table.column("library_name"), value_set=LIBRARY_VOCABULARY).fill_null(-1).to_numpy()
    is_base = pc.starts_with(values, BASE_MODEL_PREFIX).fill_null(False)
    return _Page(
        table.drop_columns(["tags"]),
        np.concatenate([rows[tagged >= 0], np.flatnonzero(named >= 0)]),
        np.concatenate([tagged[tagged >= 0], named[named >= 0]]).astype(np.int64),
        rows[is_base.to_numpy(zero_copy_only=False)],
        pc.utf8_slice_codeunits(values.filter(is_base), len(BASE_MODEL_PREFIX)).combine_chunks(),
    )


def _page_table(file: Path, fields: tuple[str, ...]) -> pa.Table:
    """One page's models (`fields`, `createdAt` a timestamp); errors name the file, model and field."""
    table = parse_page(_page_bytes(file), tuple(dict.fromkeys(("id", "modelId") + fields)), file)
    if table.column("id").null_count:
        index = table.column("id").to_pylist().index(None)
        raise SchemaError(f"{file}: model object {index} has neither 'id' nor 'modelId'")
    if "createdAt" in fields:
        table = table.set_column(table.schema.get_field_index("createdAt"), "createdAt", _created(table.column("createdAt"), file))
    return table


def _created(values: pa.ChunkedArray, file: Path) -> pa.ChunkedArray:
    """`createdAt` texts as UTC timestamps; an error names the file and the first model whose time is not ISO 8601."""
    try:
        return pc.cast(values, _CREATED)
    except pa.ArrowInvalid as error:
        index = next(i for i, value in enumerate(values.to_pylist()) if not _is_time(value))
        raise SchemaError(f"{file}: model object {index}, field 'createdAt' is not an ISO 8601 time ({error})") from error


def _is_time(value: str | None) -> bool:
    """Whether one `createdAt` text casts to a timestamp (None does)."""
    try:
        pc.cast(pa.array([value], pa.string()), _CREATED)
    except pa.ArrowInvalid:
        return False
    return True


def parse_page(data: bytes, fields: tuple[str, ...], file: Path) -> pa.Table:
    """The JSON list of model objects in `data` as Arrow columns of `fields` (by msgspec typed structs); errors name `file`.

    A missing `id` is taken from `modelId` (older listings name the id only so), which is not a
    column: it is decoded only from a page where some model has no `id` (a second decoding of the
    page, for that field alone), so that the 760 pages of 2024-07, which repeat every `id` as
    `modelId`, do not decode it 760,000 times. The table also holds ID_HASH, the ids' Python hashes.
    """
    columns = _columns(data, tuple(name for name in fields if name != "modelId"), file)
    if "modelId" in fields and columns["id"].null_count:
        columns["id"] = pc.coalesce(columns["id"], _columns(data, ("modelId",), file)["modelId"])
        columns[ID_HASH] = _hashes(columns["id"].to_pylist())
    return pa.table(columns)


def _columns(data: bytes, fields: tuple[str, ...], file: Path) -> dict[str, pa.Array]:
    """One Arrow array per field of `fields` from the JSON list of model objects in `data`; errors name `file`.

    The structs are turned into one tuple of values per field in one pass (`zip` of their tuples),
    each then converted to its Arrow type (no Arrow struct per model). Python's cyclic garbage
    collector is paused meanwhile: the page's lists of tags make no cycles, and tracking them costs
    about a sixth of the reading.
    """
    with _collector_paused():
        try:
            models = _decoder(fields).decode(data)
        except msgspec.ValidationError as error:
            raise SchemaError(f"{file}: {_where(error)} ({error})") from error
        except msgspec.DecodeError as error:
            raise SchemaError(f"{file} is not a readable JSON file ({error}); check that the file is the pinned input") from error
        values = list(zip(*map(astuple, models))) if models else [()] * len(fields)
        del models  # freed while the collector is off, so that it never scans them
        columns = {name: pa.array(column, FIELDS[name]) for name, column in zip(fields, values)}
        if "id" in fields:
            columns[ID_HASH] = _hashes(values[fields.index("id")])
        del values  # likewise: freed after the collector is back on, they cost a sixth more
    return columns


def _hashes(ids: Sequence[str | None]) -> pa.Array:
    """Python's hash of each of `ids` (equal ids, equal hashes), taken while they are Python strings."""
    return pa.array(np.fromiter(map(hash, ids), np.int64, len(ids)))


@contextmanager
def _reusing_allocator() -> Iterator[None]:
    """Arrow's buffers allocated for the block by jemalloc, or the C library's allocator where pyarrow has no jemalloc.

    Building a page's columns grows and frees buffers page after page; mimalloc, Arrow's default on
    Linux, returns that memory to the system and faults it in again, which made reading the 760
    pages about a fifth slower in CPU seconds (`make bench`). Both keep it for reuse; jemalloc
    also peaked lower (`config.prefer_reusing_arrow_pool` makes it the default of the command line's processes).
    A buffer is freed by the pool it came from.
    """
    previous = pa.default_memory_pool()
    pa.set_memory_pool(pa.jemalloc_memory_pool() if "jemalloc" in pa.supported_memory_backends() else pa.system_memory_pool())
    try:
        yield
    finally:
        pa.set_memory_pool(previous)


@contextmanager
def _collector_paused() -> Iterator[None]:
    """Python's cyclic garbage collector off for the block (as it was before, after it)."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _page_bytes(file: Path) -> bytes:
    """The (decompressed) bytes of one listing file, refused when over MAX_PAGE_BYTES.

    A plain file is read up to its size (plus one byte), so that no MAX_PAGE_BYTES buffer is
    allocated for each page (which doubled the reading time).
    """
    compressed = file.name.endswith(".gz")
    try:
        with (gzip.open if compressed else open)(file, "rb") as handle:
            size = MAX_PAGE_BYTES if compressed else min(os.fstat(handle.fileno()).st_size, MAX_PAGE_BYTES)
            data = handle.read(size + 1)
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
