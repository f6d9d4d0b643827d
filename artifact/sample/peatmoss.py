"""The sample PeaTMOSS database (10/2023): the authors' full schema, filled with synthetic rows.

The `model` table holds the sample's 2023-10 Hugging Face snapshot (drawn from the main stream of
the generator, so Metric 2 sees the same models), followed by derived models without downloads
(NULL or 0). Everything else comes from a separate stream (`extension_rng`), so that these tables
can change without touching the other sample files:
- `library`, `model_to_library`: models with no library, with one and with several; descendants
  mostly inherit their base's libraries (Metric 1);
- `model_to_base_model`: direct descendants whose base is a model row, whose base is not
  (base_model_id NULL, a Hub id or a local path), chains of descendants, a second base for some,
  and a base written under another spelling (`GPT-2` for `gpt2`) (Metric 3);
- the metadata categories of Metric 4 through their link tables, more often for popular models;
- `reuse_repository`, `model_to_reuse_repository`: GitHub repositories that reuse models.

`lineage` and `library_links` are also used by `bench/` to build a database at the real scale.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

import numpy as np
import pandas as pd

from artifact.sample.naming import model_ids
from artifact.sample.popularity import shuffled
from artifact.sample.sqlite_files import write_sqlite

# Shape of the lineage: about 0.45 base links per model, as in the real database.
DESCENDANT_SHARE = 0.44
SECOND_BASE_SHARE = 0.05
EXTERNAL_SHARE = 0.12
ATTRACTION = 0.5  # a base is drawn with weight (downloads + 1) ** ATTRACTION among earlier models
# Real Hub ids that are not rows of the sample's `model` table, and local paths found in model cards.
EXTERNAL_BASES = (
    "runwayml/stable-diffusion-v1-5",
    "CompVis/stable-diffusion-v1-4",
    "meta-llama/Llama-2-7b-hf",
    "stabilityai/stable-diffusion-2-1",
    "openai/whisper-small",
    "google/flan-t5-base",
    "microsoft/deberta-v3-base",
    "facebook/wav2vec2-base",
    "EleutherAI/gpt-neo-125m",
    "google/vit-base-patch16-224",
    "./output",
    "/content/drive/MyDrive/model",
)
OTHER_SPELLINGS = {"gpt2": "GPT-2"}

# Libraries: about 0.6 model-library rows per model, as in the real database.
LIBRARY_SHARE = 0.38
INHERITANCE = 0.75  # share of descendants that take their base's libraries
PRIMARY_LIBRARIES = {
    "transformers": 0.72,
    "diffusers": 0.05,
    "sentence-transformers": 0.04,
    "timm": 0.04,
    "peft": 0.03,
    "stable-baselines3": 0.02,
    "keras": 0.02,
    "ultralytics": 0.01,
    "spacy": 0.01,
    "fastai": 0.01,
    "ml-agents": 0.01,
    "speechbrain": 0.01,
    "adapter-transformers": 0.01,
    "flair": 0.01,
    "espnet": 0.01,
}
ADD_ON_LIBRARIES = {
    "safetensors": 0.3,
    "tensorboard": 0.18,
    "tensorflow": 0.03,
    "onnx": 0.025,
    "jax": 0.02,
    "rust": 0.012,
    "pytorch": 0.01,
    "transformers.js": 0.006,
    "coreml": 0.004,
}
LIBRARIES = tuple(PRIMARY_LIBRARIES) + tuple(ADD_ON_LIBRARIES)  # library.id = position + 1

DERIVED_MODELS = 160


@dataclass(frozen=True)
class Category:
    """A metadata category of Metric 4: its vocabulary table, its link table, and how common it is."""

    table: str
    columns: tuple[str, ...]  # vocabulary columns besides `id`
    vocabulary: tuple[tuple, ...]
    link_table: str
    link_column: str
    share: float  # share of models of median popularity with at least one row
    most: int  # most rows per model


def _names(*names: str) -> tuple[tuple, ...]:
    return tuple((name,) for name in names)


CATEGORIES = (
    Category(
        "architecture",
        ("name",),
        _names(
            "BertForMaskedLM", "BertForSequenceClassification", "RobertaForSequenceClassification",
            "GPT2LMHeadModel", "T5ForConditionalGeneration", "ViTForImageClassification",
            "WhisperForConditionalGeneration", "LlamaForCausalLM", "CLIPModel", "Wav2Vec2ForCTC",
        ),
        "model_to_architecture", "architecture_id", 0.55, 1,
    ),
    Category(
        "dataset",
        ("name", "url"),
        (
            ("glue", "https://huggingface.co/datasets/glue"),
            ("squad", "https://huggingface.co/datasets/squad"),
            ("imdb", "https://huggingface.co/datasets/imdb"),
            ("common_voice", "https://huggingface.co/datasets/common_voice"),
            ("conll2003", "https://huggingface.co/datasets/conll2003"),
            ("wikitext", None),
            ("c4", None),
            ("custom", None),
            ("in-house corpus", None),
        ),
        "model_to_dataset", "dataset_id", 0.3, 3,
    ),
    Category(
        "framework", ("name",), _names("pytorch", "tensorflow", "jax", "keras", "paddlepaddle"),
        "model_to_framework", "framework_id", 0.6, 2,
    ),
    Category(
        "license",
        ("name",),
        _names("apache-2.0", "mit", "openrail", "cc-by-4.0", "cc-by-nc-4.0", "bsd-3-clause", "llama2", "gpl-3.0", "other"),
        "model_to_license", "license_id", 0.45, 1,
    ),
    Category(
        "paper",
        ("title", "url"),
        tuple((f"Sample paper {i}", f"https://arxiv.org/abs/2301.{i:05d}") for i in range(1, 31)),
        "model_to_paper", "paper_id", 0.12, 2,
    ),
    Category(
        "tag",
        ("name",),
        _names(
            "en", "pytorch", "generated_from_trainer", "endpoints_compatible", "autotrain", "has_space",
            "region:us", "text-classification", "lora", "license:mit", "dataset:glue", "safetensors",
        ),
        "model_to_tag", "tag_id", 0.85, 6,
    ),
    Category(
        "domain",
        ("name",),
        _names("Natural Language Processing", "Computer Vision", "Audio", "Multimodal", "Reinforcement Learning", "Tabular"),
        "model_to_domain", "domain_id", 0.7, 1,
    ),
    Category(
        "model_task",
        ("name",),
        _names(
            "text-classification", "token-classification", "question-answering", "text-generation",
            "translation", "summarization", "fill-mask", "feature-extraction", "image-classification",
            "automatic-speech-recognition", "text-to-image",
        ),
        "model_to_model_task", "model_task_id", 0.6, 2,
    ),
    Category(
        "hardware", ("name",), _names("NVIDIA A100", "NVIDIA V100", "NVIDIA T4", "TPU v3-8", "NVIDIA RTX 3090"),
        "model_to_hardware", "hardware_id", 0.05, 1,
    ),
    Category(
        "grant", ("name",), _names(*(f"Sample grant {i}" for i in range(1, 6))),
        "model_to_grant", "grant_id", 0.02, 1,
    ),
)
AUTHOR_SHARE = 0.9
GITHUB_REPO_SHARE = 0.08
REUSE_SHARE = 0.1
REUSE_REPOSITORIES = 40

Inserts = list[tuple[str, list[tuple]]]


def peatmoss_ddl() -> str:
    """The PeaTMOSS schema as the authors printed it, minus SQLite's own `sqlite_sequence`."""
    text = resources.files("artifact.sample").joinpath("peatmoss_schema.sql").read_text()
    return "\n".join(line for line in text.splitlines() if "sqlite_sequence" not in line)


def write_peatmoss(path: Path, snapshot: pd.DataFrame, rng: np.random.Generator, extension_rng: np.random.Generator) -> None:
    """Write the sample database: `snapshot` (`name`, `downloads`, `likes`) as the first model rows."""
    table = shuffled(snapshot, rng)
    models = pd.concat(
        [
            pd.DataFrame(
                {
                    "model_id": np.arange(1, len(table) + 1),
                    "name": table["name"].to_numpy(),
                    "downloads": table["downloads"].astype("Int64").to_numpy(),
                    "likes": table["likes"].to_numpy(dtype="int64"),
                }
            ),
            derived_models(len(table) + 1, DERIVED_MODELS, extension_rng),
        ],
        ignore_index=True,
    )
    links = lineage(models, extension_rng)
    inserts = [("INSERT INTO model (id, context_id, downloads, likes) VALUES (?, ?, ?, ?)", records(models))]
    inserts += lineage_inserts(models, links, extension_rng)
    inserts += documentation_inserts(models, extension_rng)
    write_sqlite(path, peatmoss_ddl(), inserts)


def write_m3_intermediate(csv_path: Path, database: Path) -> None:
    """The authors' Metric 3 intermediate (`downloads,count`) computed in SQL from the sample database.

    Per base model name: how many of its descendants have a downloads value, and their summed
    downloads; rows by count then downloads, descending, as the authors sorted theirs.
    """
    connection = sqlite3.connect(f"{database.resolve().as_uri()}?mode=ro", uri=True)
    try:
        rows = connection.execute(
            "SELECT coalesce(sum(m.downloads), 0) AS downloads, count(m.downloads) AS count "
            "FROM (SELECT DISTINCT model_id, base_model_name FROM model_to_base_model) AS l "
            "LEFT JOIN model AS m ON m.id = l.model_id GROUP BY l.base_model_name "
            "ORDER BY count DESC, downloads DESC"
        ).fetchall()
    finally:
        connection.close()
    pd.DataFrame(rows, columns=["downloads", "count"]).to_csv(csv_path, index=False, lineterminator="\n")


def derived_models(first_id: int, count: int, rng: np.random.Generator) -> pd.DataFrame:
    """`count` fine-tuned models without downloads: two in three NULL, the others 0."""
    downloads = pd.array(np.zeros(count, dtype="int64"), dtype="Int64")
    downloads[rng.random(count) < 2 / 3] = pd.NA
    return pd.DataFrame(
        {
            "model_id": np.arange(first_id, first_id + count),
            "name": [f"{name}-ft" for name in model_ids(count, rng)],
            "downloads": downloads,
            "likes": np.zeros(count, dtype="int64"),
        }
    )


def lineage(models: pd.DataFrame, rng: np.random.Generator) -> pd.DataFrame:
    """Base links (`model_id`, `base_model_name`, `base_model_url`, `base_model_id`) for `models`.

    Models get a random creation order; a descendant's base is an earlier model drawn with weight
    (downloads + 1) ** ATTRACTION (so chains form and popular models attract), or an external base.
    """
    ids = models["model_id"].to_numpy(dtype="int64")
    names = models["name"].to_numpy(dtype=object)
    count = len(models)
    order = rng.permutation(count)
    position = np.empty(count, dtype="int64")
    position[order] = np.arange(count)
    weight = (np.nan_to_num(models["downloads"].to_numpy(dtype="float64", na_value=np.nan), nan=0.0) + 1.0) ** ATTRACTION
    cumulative = np.cumsum(weight[order])
    children = np.flatnonzero(rng.random(count) < DESCENDANT_SHARE)
    external = (rng.random(len(children)) < EXTERNAL_SHARE) | (position[children] == 0)
    second = children[(rng.random(len(children)) < SECOND_BASE_SHARE) & (position[children] > 0)]
    internal_children = np.concatenate([children[~external], second])
    draw = rng.random(len(internal_children)) * cumulative[position[internal_children] - 1]
    bases = order[np.searchsorted(cumulative, draw, side="right")]
    internal = pd.DataFrame(
        {"model_id": ids[internal_children], "base_model_name": names[bases], "base_model_id": ids[bases]}
    ).drop_duplicates(["model_id", "base_model_id"])
    respelled = internal["base_model_name"].isin(list(OTHER_SPELLINGS)) & (rng.random(len(internal)) < 0.5)
    internal.loc[respelled, "base_model_name"] = internal.loc[respelled, "base_model_name"].map(OTHER_SPELLINGS)
    zipf = 1.0 / np.arange(1, len(EXTERNAL_BASES) + 1)
    outside = pd.DataFrame(
        {
            "model_id": ids[children[external]],
            "base_model_name": rng.choice(np.array(EXTERNAL_BASES, dtype=object), size=int(external.sum()), p=zipf / zipf.sum()),
            "base_model_id": pd.NA,
        }
    )
    links = pd.concat([internal, outside], ignore_index=True).drop_duplicates(["model_id", "base_model_name"])
    links["base_model_id"] = links["base_model_id"].astype("Int64")
    hub_id = ~links["base_model_name"].str.startswith(("/", "."))
    links["base_model_url"] = ("https://huggingface.co/" + links["base_model_name"]).where(hub_id, None)
    return links.loc[:, ["model_id", "base_model_name", "base_model_url", "base_model_id"]].reset_index(drop=True)


def library_links(models: pd.DataFrame, links: pd.DataFrame, rng: np.random.Generator) -> pd.DataFrame:
    """`model_id`, `library_id` rows: a primary library and add-ons; descendants mostly inherit them."""
    count = len(models)
    has_library = rng.random(count) < LIBRARY_SHARE
    weights = np.array(list(PRIMARY_LIBRARIES.values()))
    primary = rng.choice(len(PRIMARY_LIBRARIES), size=count, p=weights / weights.sum())
    add_ons = rng.random((count, len(ADD_ON_LIBRARIES))) < np.array(list(ADD_ON_LIBRARIES.values()))
    resolved = links.dropna(subset=["base_model_id"]).drop_duplicates("model_id")
    index = pd.Index(models["model_id"])
    child = index.get_indexer(resolved["model_id"])
    base = index.get_indexer(resolved["base_model_id"].astype("int64"))
    inherit = rng.random(len(child)) < INHERITANCE
    child, base = child[inherit], base[inherit]
    has_library[child], primary[child], add_ons[child] = has_library[base], primary[base], add_ons[base]
    owners = np.flatnonzero(has_library)
    add_on_owner, add_on = np.nonzero(add_ons[owners])
    ids = models["model_id"].to_numpy(dtype="int64")
    return pd.DataFrame(
        {
            "model_id": np.concatenate([ids[owners], ids[owners[add_on_owner]]]),
            "library_id": np.concatenate([primary[owners] + 1, add_on + len(PRIMARY_LIBRARIES) + 1]),
        }
    )


def lineage_inserts(models: pd.DataFrame, links: pd.DataFrame, rng: np.random.Generator) -> Inserts:
    """Inserts for `library`, `model_to_library` and `model_to_base_model`."""
    libraries = pd.DataFrame({"id": np.arange(1, len(LIBRARIES) + 1), "name": LIBRARIES})
    return [
        ("INSERT INTO library (id, name) VALUES (?, ?)", records(libraries)),
        ("INSERT INTO model_to_library (model_id, library_id) VALUES (?, ?)", records(library_links(models, links, rng))),
        (
            "INSERT INTO model_to_base_model (model_id, base_model_name, base_model_url, base_model_id) VALUES (?, ?, ?, ?)",
            records(links),
        ),
    ]


def documentation_inserts(models: pd.DataFrame, rng: np.random.Generator) -> Inserts:
    """Inserts for the metadata categories of Metric 4, authors, GitHub and reuse repositories."""
    popularity = models["downloads"].astype("float64").rank(pct=True).fillna(0.0).to_numpy()
    ids = models["model_id"].to_numpy(dtype="int64")
    inserts: Inserts = []
    for category in CATEGORIES:
        vocabulary = pd.DataFrame(list(category.vocabulary), columns=list(category.columns))
        vocabulary.insert(0, "id", np.arange(1, len(vocabulary) + 1))
        pairs = _category_links(ids, popularity, rng, category.share, category.most, len(vocabulary))
        columns = ", ".join(["id", *category.columns])
        inserts += [
            (f'INSERT INTO "{category.table}" ({columns}) VALUES ({", ".join("?" * len(vocabulary.columns))})', records(vocabulary)),
            (f'INSERT INTO "{category.link_table}" (model_id, "{category.link_column}") VALUES (?, ?)', records(pairs)),
        ]
    return inserts + _author_inserts(models, popularity, rng) + _repository_inserts(models, popularity, rng)


def _chosen(popularity: np.ndarray, share: float, rng: np.random.Generator) -> np.ndarray:
    """Which models have the property: about `share` at median popularity, more for popular ones."""
    return rng.random(len(popularity)) < np.minimum(0.97, share * (0.35 + 1.3 * popularity))


def _category_links(
    ids: np.ndarray, popularity: np.ndarray, rng: np.random.Generator, share: float, most: int, size: int
) -> pd.DataFrame:
    """Distinct (model_id, item id) pairs: 1..`most` items for the chosen models, common items first."""
    owners = ids[_chosen(popularity, share, rng)]
    owners = np.repeat(owners, rng.integers(1, most + 1, size=len(owners)))
    zipf = 1.0 / np.arange(1, size + 1)
    items = rng.choice(size, size=len(owners), p=zipf / zipf.sum()) + 1
    return pd.DataFrame({"model_id": owners, "item_id": items}).drop_duplicates()


def _author_inserts(models: pd.DataFrame, popularity: np.ndarray, rng: np.random.Generator) -> Inserts:
    """Authors: the organisation part of the model id, for the chosen models that have one."""
    organisation = models["name"].str.split("/", n=1).str[0].where(models["name"].str.contains("/", regex=False))
    chosen = _chosen(popularity, AUTHOR_SHARE, rng) & organisation.notna().to_numpy()
    names = sorted(organisation[chosen].unique())
    authors = pd.DataFrame({"id": np.arange(1, len(names) + 1), "name": names})
    pairs = pd.DataFrame({"model_id": models["model_id"][chosen], "author_id": organisation[chosen].map(dict(zip(names, authors["id"])))})
    return [
        ("INSERT INTO author (id, name) VALUES (?, ?)", records(authors)),
        ("INSERT INTO model_to_author (model_id, author_id) VALUES (?, ?)", records(pairs)),
    ]


def _repository_inserts(models: pd.DataFrame, popularity: np.ndarray, rng: np.random.Generator) -> Inserts:
    """A GitHub repository for some models, and reuse repositories that reuse others."""
    with_repo = models[_chosen(popularity, GITHUB_REPO_SHARE, rng)]
    short = with_repo["name"].str.split("/").str[-1]
    owner = "dev-" + (with_repo["model_id"] % 97).astype(str)
    github = pd.DataFrame(
        {"owner": owner, "name": short, "url": "https://github.com/" + owner + "/" + short, "model_id": with_repo["model_id"]}
    )
    numbers = np.arange(1, REUSE_REPOSITORIES + 1)
    reuse = pd.DataFrame(
        {
            "id": numbers,
            "owner": [f"user{i}" for i in numbers],
            "name": [f"app{i}" for i in numbers],
            "url": [f"https://github.com/user{i}/app{i}" for i in numbers],
        }
    )
    ids = models["model_id"].to_numpy(dtype="int64")
    reused = _category_links(ids, popularity, rng, REUSE_SHARE, 3, REUSE_REPOSITORIES)
    return [
        ("INSERT INTO github_repo (owner, name, url, model_id) VALUES (?, ?, ?, ?)", records(github)),
        ("INSERT INTO reuse_repository (id, owner, name, url) VALUES (?, ?, ?, ?)", records(reuse)),
        ("INSERT INTO model_to_reuse_repository (model_id, reuse_repository_id) VALUES (?, ?)", records(reused)),
    ]


def records(frame: pd.DataFrame) -> list[tuple]:
    """Rows of `frame` as tuples of Python values, None for missing (what sqlite3 binds)."""
    return list(frame.astype(object).where(frame.notna(), None).itertuples(index=False, name=None))
