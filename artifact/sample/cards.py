"""Sample inputs of Metric 4: the two archived answer files, in the forms the real ones may take.

From the sample PeaTMOSS models (10/2023): the `FILE_ROWS` most downloaded form the top file, the
`FILE_ROWS` least downloaded of the `POPULATION` most downloaded form the bottom file. Each row has
the model id, downloads, likes, a number of downstream repositories, a synthetic model card and a
simulated GPT-4 verdict on it (the sections the card really has, each flipped with a small
probability, as a second rater disagrees). The two files use the two verdict schemas the loader
accepts, so both are exercised:
- top (`cards_top.parquet`): `analysis_result`, the raw reply text, in every messy form seen in
  practice (bare JSON, JSON inside prose or a code fence, "true"/"false" strings, nulls, other key
  spellings, nested objects, a Python literal, cut-off JSON, prose only, blank, missing);
- bottom (`cards_bottom.parquet`): `analysis`, already parsed, as a Parquet struct whose fields are
  the union of the key spellings (absent keys read back as null), and null for missing replies.
Cards come with and without each section, in several heading styles, with placeholder bodies
("More information needed"), the Trainer's generated template, code blocks holding `# comments`,
YAML front matter, and some empty or missing cards. Only the model table is read (through the
generator's in-memory rows), with its own random stream, so no other sample file changes.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from artifact.cards.sections import SECTIONS
from artifact.sample.popularity import shuffled

POPULATION = 1500  # the "most downloaded" models the bottom file is drawn from
FILE_ROWS = 200  # rows per file (the sample profile's groups take 150 of them per measure)
FLIP_SHARE = 0.08  # chance that the simulated GPT-4 verdict on one section disagrees with the card

_KEY_STYLES = {
    "title": ("Model description", "Limitations", "How to use", "Training", "Evaluation"),
    "snake": ("model_description", "limitations", "how_to_use", "training", "evaluation"),
    "camel": ("modelDescription", "limitations", "howToUse", "training", "evaluation"),
    "numbered": ("1. Model description", "2. Limitations", "3. How to use", "4. Training", "5. Evaluation"),
}
# form of a raw reply -> probability (top file)
_REPLY_FORMS = {
    "json": 0.34, "prose": 0.14, "fence": 0.14, "strings": 0.08, "nulls": 0.06, "python": 0.04,
    "nested": 0.04, "truncated": 0.05, "no_json": 0.03, "blank": 0.03, "missing": 0.05,
}
# card style -> probability, per file
_CARD_STYLES = {
    "top": {"written": 0.78, "trainer": 0.14, "title_only": 0.03, "empty": 0.02, "missing": 0.03},
    "bottom": {"written": 0.45, "trainer": 0.35, "title_only": 0.08, "empty": 0.06, "missing": 0.06},
}
_SECTION_SHARE = {"top": 0.7, "bottom": 0.35}  # chance that a written card has each section

_BODIES = {
    "description": "{name} is a {stem} model for {task} released by {org}. It keeps the tokenizer of its base model.",
    "limitations": "The model may produce biased output for dialects it rarely saw and should not be used for medical advice.",
    "how_to_use": (
        "```python\nfrom transformers import pipeline\n# Load the model\n"
        "model = pipeline(\"{task}\", model=\"{name}\")\nmodel(\"Hello\")\n```"
    ),
    "training": "The model was fine-tuned on {dataset} for 3 epochs with a learning rate of 2e-5 and batch size 32.",
    "evaluation": "| metric | value |\n|---|---|\n| accuracy | 0.{score} |\n| f1 | 0.{score2} |",
}
# The one source of synthetic card headings (the sample's cards, bench/bench_documentation.py's):
# section -> the titles a card may give it, and titles of sections the scorer does not look for.
HEADINGS = {
    "description": ("Model description", "Model Details", "Overview"),
    "limitations": ("Limitations and bias", "Bias, Risks, and Limitations", "Known limitations"),
    "how_to_use": ("How to use", "Usage", "Getting started"),
    "training": ("Training procedure", "Training data", "Fine-tuning"),
    "evaluation": ("Evaluation results", "Results", "Benchmarks"),
}
OTHER_HEADINGS = ("Citation", "Environmental Impact", "Model Card Authors", "Framework versions", "Technical Specifications")
HEADING_STYLES = 4  # ATX, setext, bold line, HTML (`heading`)
_PLACEHOLDERS = ("More information needed", "[More Information Needed]", "TBD", "")
_TASKS = ("text-classification", "token-classification", "summarization", "translation", "fill-mask")
_DATASETS = ("sst2", "conll2003", "cnn_dailymail", "wmt16", "squad")


def write_card_scores(out_dir: Path, models: pd.DataFrame, seed: list[int]) -> list[Path]:
    """Write `cards_top.parquet` and `cards_bottom.parquet` from the PeaTMOSS model rows (`name`, `downloads`, `likes`)."""
    rng = np.random.default_rng(seed)
    ranked = models.dropna(subset=["downloads"]).sort_values(
        ["downloads", "name"], ascending=[False, True], kind="mergesort"
    )
    population = ranked.head(POPULATION)
    written = []
    for file, rows in (("top", population.head(FILE_ROWS)), ("bottom", population.tail(FILE_ROWS))):
        table = shuffled(rows, rng).reset_index(drop=True)
        cards, truths = zip(*(_card(name, file, rng) for name in table["name"]))
        columns = {
            "context_id": pa.array(table["name"].astype(str).tolist(), pa.string()),
            "downloads": pa.array(table["downloads"].astype("int64").tolist(), pa.int64()),
            "likes": pa.array(table["likes"].astype("int64").tolist(), pa.int64()),
            "num_downstream_repos": pa.array(_downstream(table["downloads"], rng).tolist(), pa.int64()),
            "card": pa.array(list(cards), pa.string()),
        }
        verdicts = [_simulated_verdict(truth, rng) for truth in truths]
        if file == "top":
            columns["analysis_result"] = pa.array([_reply_text(v, rng) for v in verdicts], pa.string())
        else:
            columns["analysis"] = pa.array([_reply_mapping(v, rng) for v in verdicts])
        path = out_dir / f"cards_{file}.parquet"
        pq.write_table(pa.table(columns), path, compression="zstd")
        written.append(path)
    return written


def _downstream(downloads: pd.Series, rng: np.random.Generator) -> np.ndarray:
    """Downstream repositories grow with downloads; most models have none."""
    rate = np.exp(np.log10(downloads.astype("float64").to_numpy()) - 3.5)
    return rng.poisson(rate)


def _card(name: str, file: str, rng: np.random.Generator) -> tuple[str | None, frozenset[str]]:
    """A synthetic model card and the sections it really has."""
    style = _choice(_CARD_STYLES[file], rng)
    fill = {
        "name": name,
        "stem": name.rsplit("/", maxsplit=1)[-1].split("-", maxsplit=1)[0],
        "org": name.split("/", maxsplit=1)[0] if "/" in name else "the community",
        "task": _TASKS[rng.integers(len(_TASKS))],
        "dataset": _DATASETS[rng.integers(len(_DATASETS))],
        "score": rng.integers(50, 99),
        "score2": rng.integers(50, 99),
    }
    if style == "missing":
        return None, frozenset()
    if style == "empty":
        return "", frozenset()
    if style == "title_only":
        return f"# {name}\n", frozenset()
    if style == "trainer":
        return _trainer_card(fill), frozenset({"description", "training", "evaluation"})
    parts, present = [], set()
    if rng.random() < 0.5:
        parts.append(f"---\nlicense: apache-2.0\ntags:\n- {fill['task']}\n---\n")
    parts.append(f"# {name}\n\n<!-- Provide a quick summary of what the model is/does. -->\n")
    heading_style = rng.integers(HEADING_STYLES)
    for section in SECTIONS:
        if rng.random() < _SECTION_SHARE[file]:
            body = _BODIES[section].format(**fill)
            present.add(section)
        elif rng.random() < 0.4:
            body = _PLACEHOLDERS[rng.integers(len(_PLACEHOLDERS))]  # heading kept, nothing under it
        else:
            continue
        parts.append(section_heading(section, heading_style, rng) + body + "\n")
    if rng.random() < 0.3:
        parts.append(heading(OTHER_HEADINGS[0], heading_style) + "```bibtex\n@misc{x, title={X}}\n```\n")
    return "\n".join(parts), frozenset(present)


def section_heading(section: str, style: int, rng: np.random.Generator) -> str:
    """A level-2 heading of `section` (one of SECTIONS), one of its HEADINGS at random, in `style`."""
    titles = HEADINGS[section]
    return heading(titles[rng.integers(len(titles))], style)


def heading(title: str, style: int) -> str:
    """A level-2 heading in one of four Markdown styles: ATX, setext, bold line, HTML."""
    return (f"## {title}\n\n", f"{title}\n{'-' * len(title)}\n\n", f"**{title}**\n\n", f"<h2>{title}</h2>\n\n")[style]


def _trainer_card(fill: dict) -> str:
    """The card the Trainer generates, with its empty sections left as they come."""
    return (
        "<!-- This model card has been generated automatically according to the information the Trainer had "
        "access to. You\nshould probably proofread and complete it, then remove this comment. -->\n\n"
        f"# {fill['name']}\n\nThis model is a fine-tuned version of [base](https://huggingface.co/base) on the "
        f"{fill['dataset']} dataset.\nIt achieves the following results on the evaluation set:\n- Loss: 0.31\n"
        f"- Accuracy: 0.{fill['score']}\n\n## Model description\n\nMore information needed\n\n"
        "## Intended uses & limitations\n\nMore information needed\n\n## Training and evaluation data\n\n"
        "More information needed\n\n## Training procedure\n\n### Training hyperparameters\n\n"
        "The following hyperparameters were used during training:\n- learning_rate: 2e-05\n- num_epochs: 3\n\n"
        "### Framework versions\n\n- Transformers 4.34.0\n- Pytorch 2.1.0\n"
    )


def _simulated_verdict(truth: frozenset[str], rng: np.random.Generator) -> dict[str, bool]:
    """What a second rater says: the truth, each section flipped with probability FLIP_SHARE."""
    flips = rng.random(len(SECTIONS)) < FLIP_SHARE
    return {section: (section in truth) != bool(flip) for section, flip in zip(SECTIONS, flips)}


def _reply_text(verdict: dict[str, bool], rng: np.random.Generator) -> str | None:
    """The verdict as raw reply text, in one of the forms of `_REPLY_FORMS`."""
    form = _choice(_REPLY_FORMS, rng)
    keys = _KEY_STYLES[list(_KEY_STYLES)[rng.integers(len(_KEY_STYLES))]]
    values: dict[str, object] = {key: verdict[section] for key, section in zip(keys, SECTIONS)}
    if form == "strings":
        values = {key: str(value).lower() for key, value in values.items()}
    elif form == "nulls":
        values[keys[rng.integers(len(keys))]] = None
    elif form == "nested":
        values = {key: {"present": value, "details": "see card"} for key, value in values.items()}
    body = json.dumps(values)
    forms = {
        "prose": f"Based on the model card, here is my analysis:\n\n{body}\n\nThe card could say more about its data.",
        "fence": f"```json\n{json.dumps(values, indent=2)}\n```",
        "python": repr(values),
        "truncated": body[: len(body) // 2],
        "no_json": "The model card describes the model and its training, but says nothing about evaluation.",
        "blank": "  ",
        "missing": None,
    }
    return forms.get(form, body)


def _reply_mapping(verdict: dict[str, bool], rng: np.random.Generator) -> dict[str, bool | None] | None:
    """The verdict as the authors' parsed mapping: title or snake_case keys, sometimes a null, sometimes none."""
    if rng.random() < 0.06:
        return None
    keys = _KEY_STYLES["title" if rng.random() < 0.7 else "snake"]
    mapping: dict[str, bool | None] = {key: verdict[section] for key, section in zip(keys, SECTIONS)}
    if rng.random() < 0.05:
        mapping[keys[rng.integers(len(keys))]] = None
    return mapping


def _choice(probabilities: dict[str, float], rng: np.random.Generator) -> str:
    """One key drawn with the given probabilities (normalised)."""
    names = list(probabilities)
    weights = np.array([probabilities[name] for name in names])
    return names[rng.choice(len(names), p=weights / weights.sum())]
