"""The deterministic card scorer on small Markdown cards whose sections were decided by hand."""

from __future__ import annotations

import os
from pathlib import Path

import pandas as pd
import pytest

from artifact.cards.scorer import score_card, score_cards
from artifact.cards.sections import SECTIONS, sections_named
from artifact.loaders.card_texts import read_cards

NONE = (False,) * 5

TRAINER_CARD = """<!-- This model card has been generated automatically according to the information the Trainer had
access to. You should probably proofread and complete it, then remove this comment. -->

# tiny-bert-sst2

This model is a fine-tuned version of [bert-base-uncased](https://huggingface.co/bert-base-uncased) on the sst2 dataset.
It achieves the following results on the evaluation set:
- Loss: 0.2
- Accuracy: 0.91

## Model description

More information needed

## Intended uses & limitations

More information needed

## Training procedure

### Training hyperparameters

The following hyperparameters were used during training:
- learning_rate: 2e-05
"""

FULL_CARD = """---
license: mit
model-index:
- name: how to use this
---
Tiny model
==========

Overview
--------
A tiny encoder kept for unit tests of the scorer.

**Limitations**

It was never checked on real text and breaks easily.

<h2>Usage</h2>

```python
# Training loop below is not a heading
from transformers import AutoModel
model = AutoModel.from_pretrained("org/tiny")
```

## Training
### Data
Two sentences typed by hand.

## Evaluation
| metric | value |
|---|---|
| accuracy | 0.5 |
"""


@pytest.mark.parametrize(
    ("card", "expected"),
    [
        (TRAINER_CARD, (True, False, False, True, True)),
        (FULL_CARD, (True, True, True, True, True)),
        ("", NONE),
        (None, NONE),
        ("# my-model\n", NONE),
        ("## Limitations\n\n[More Information Needed]\n\n## Evaluation\nTBD\n", NONE),
        # a heading's body runs down to the next heading as high: sub-sections count, siblings do not
        ("## Training Details\n### Data\n[More Information Needed]\n### Other\nsome words here now\n",
         (False, False, False, True, False)),
        ("## Training Details\n### Data\n[More Information Needed]\n## Other\nsome words here now\n", NONE),
        # code comments are not headings, but calling the model in code is how to use it
        ("```\n# Evaluation\nimport torch\n```\n", (False, False, True, False, False)),
        # YAML front matter is metadata, not the card's prose
        ("---\ntags:\n- limitations\n---\n", NONE),
        ("This model was trained on 10k tweets. You can use the model with the pipeline API.",
         (True, False, True, True, False)),
        # phrases start at a word: "flower: 1.2" is no word error rate, "unbiased" no admission of bias
        ("Prompt: a red flower: 1.2, unbiased lighting, power: 3", NONE),
        ("Test WER: 4.1 on LibriSpeech; the outputs are biased towards English.", (False, True, False, False, True)),
    ],
    ids=["trainer-template", "every-heading-style", "empty", "none", "title-only", "placeholders",
         "sub-section-counts", "sibling-does-not", "code-comment", "front-matter-only", "phrases-only",
         "inside-words", "at-word-starts"],
)
def test_cards(card: object, expected: tuple[bool, ...]) -> None:
    assert score_card(card) == expected


def test_heading_titles_name_sections() -> None:
    assert sections_named("Intended uses & limitations") == {"how_to_use", "limitations"}
    assert sections_named("Training results") == {"training", "evaluation"}
    assert sections_named("howToUse") == {"how_to_use"}
    assert sections_named("Citation") == set()


def test_score_cards_keeps_the_index_and_scores_fifths() -> None:
    table = score_cards(pd.Series({"a": FULL_CARD, "b": None, "c": TRAINER_CARD}))
    assert list(table.columns) == [*SECTIONS, "sections", "score"]
    assert table["sections"].to_dict() == {"a": 5, "b": 0, "c": 3}
    assert table["score"].to_dict() == {"a": 1.0, "b": 0.0, "c": 0.6}


SAMPLES_DATA = (
    "raw.githubusercontent.com/hn5318/model_card_analysis/6540bff11f5d4f4965f46624781d18d261d49169/"
    "Dataset/Sample_modelcard/samples_data.json"
)


@pytest.mark.mirror
def test_real_cards_from_the_mirror_give_every_section_sometimes_and_none_always() -> None:
    """758 real Hub cards (hn5318/model_card_analysis), read as `score-cards` reads a JSON table."""
    path = Path(os.environ.get("ARTIFACT_MIRROR", "/nonexistent")) / SAMPLES_DATA
    if not path.is_file():
        pytest.skip("needs ARTIFACT_MIRROR holding hn5318/model_card_analysis samples_data.json")
    cards = read_cards(path)
    assert len(cards) == 758 and cards["id"].is_unique
    shares = score_cards(cards["card"])[list(SECTIONS)].mean()
    assert ((shares > 0.05) & (shares < 0.95)).all(), shares.to_dict()
