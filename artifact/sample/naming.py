"""Deterministic names for synthetic packages and models."""

from __future__ import annotations

import numpy as np

# Canonical Hugging Face ids that moved into organisations in 2024 (legacy id -> organisation id).
# These are real renames on the Hub; the sample uses them so rename handling is exercised.
HF_RENAMES: dict[str, str] = {
    "bert-base-uncased": "google-bert/bert-base-uncased",
    "bert-base-cased": "google-bert/bert-base-cased",
    "distilbert-base-uncased": "distilbert/distilbert-base-uncased",
    "gpt2": "openai-community/gpt2",
    "roberta-base": "FacebookAI/roberta-base",
    "xlm-roberta-base": "FacebookAI/xlm-roberta-base",
    "t5-small": "google-t5/t5-small",
}

_SYLLABLES = ("ka", "lo", "mi", "ne", "pu", "ra", "si", "to", "ve", "zu", "bo", "de")
_HF_ORGS = ("acme-ai", "northlab", "deepfield", "opencorp", "tinyml", "univ-nlp", "vision-co", "speechworks")
_HF_STEMS = ("bert", "roberta", "t5", "gpt", "vit", "whisper", "llama", "clip", "resnet", "wav2vec2")
_HF_TASKS = ("finetuned-sst2", "ner", "squad", "base", "large", "small", "chat", "lora", "distilled")


def package_names(count: int, rng: np.random.Generator) -> list[str]:
    """`count` distinct lower-case package names such as `kalo-mine-17`."""
    names = []
    for i in range(count):
        a, b, c = rng.integers(0, len(_SYLLABLES), size=3)
        names.append(f"{_SYLLABLES[a]}{_SYLLABLES[b]}-{_SYLLABLES[c]}{i}")
    return names


def model_ids(count: int, rng: np.random.Generator) -> list[str]:
    """`count` distinct Hub model ids such as `northlab/roberta-ner-42`."""
    ids = []
    for i in range(count):
        org = _HF_ORGS[rng.integers(0, len(_HF_ORGS))]
        stem = _HF_STEMS[rng.integers(0, len(_HF_STEMS))]
        task = _HF_TASKS[rng.integers(0, len(_HF_TASKS))]
        ids.append(f"{org}/{stem}-{task}-{i}")
    return ids
