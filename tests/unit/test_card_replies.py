"""The archived GPT-4 replies: real-looking messy strings and mappings, parsed by hand-checked rules."""

from __future__ import annotations

import math

import pytest

from artifact.cards.replies import MISSING, PARSED, PARTIAL, UNPARSEABLE, parse_reply, verdict_from_mapping

T, F, N = True, False, None
ALL_FIVE = '{"Model description": true, "Limitations": false, "How to use": true, "Training": true, "Evaluation": false}'


@pytest.mark.parametrize(
    ("reply", "sections", "status"),
    [
        (ALL_FIVE, (T, F, T, T, F), PARSED),
        (f"Here is my analysis of the model card:\n\n{ALL_FIVE}\n\nLet me know if you need more.", (T, F, T, T, F), PARSED),
        (f"```json\n{ALL_FIVE}\n```", (T, F, T, T, F), PARSED),
        (
            '{"model_description": "true", "limitations": "False", "how_to_use": "yes", "training": "no", '
            '"evaluation": "TRUE"}',
            (T, F, T, F, T),
            PARSED,
        ),
        (
            '{"modelDescription": true, "limitations": null, "howToUse": false, "training": true, "evaluation": "n/a"}',
            (T, N, F, T, N),
            PARTIAL,
        ),
        (
            '{"1. Model description": true, "2. Limitations": false, "3. How to use": false, "4. Training": true, '
            '"5. Evaluation": true}',
            (T, F, F, T, T),
            PARSED,
        ),
        (
            '{"Model description": {"present": true, "details": "a BERT model {base}"}, "Limitations": {"present": false}, '
            '"How to use": {"present": true}, "Training": {"present": false}, "Evaluation": {"present": true}}',
            (T, F, T, F, T),
            PARSED,
        ),
        (
            "{'Model description': True, 'Limitations': False, 'How to use': False, 'Training': True, 'Evaluation': True}",
            (T, F, F, T, T),
            PARSED,
        ),
        ('{"Model description": true, "Training": 1, "Evaluation": 0}', (T, N, N, T, F), PARTIAL),
        ('{"Model description": true, "Limitations": false, "How', (N,) * 5, UNPARSEABLE),
        ("The card describes the model and its training data but has no evaluation.", (N,) * 5, UNPARSEABLE),
        ('{"error": "the card is empty"}', (N,) * 5, UNPARSEABLE),
        ("   \n", (N,) * 5, MISSING),
        (None, (N,) * 5, MISSING),
        (math.nan, (N,) * 5, MISSING),
    ],
    ids=[
        "bare-json", "json-in-prose", "code-fence", "string-values", "nulls-and-unknown", "numbered-keys",
        "nested-objects", "python-literal", "numbers-and-absent-keys", "truncated", "prose-only", "no-section-key",
        "blank", "none", "nan",
    ],
)
def test_reply_forms(reply: object, sections: tuple, status: str) -> None:
    verdict = parse_reply(reply)
    assert (verdict.sections, verdict.status) == (sections, status)


def test_a_key_naming_two_sections_is_ignored_and_duplicates_combine() -> None:
    reply = '{"Training and evaluation": true, "training": false, "Training data": true, "evaluation": false}'
    assert parse_reply(reply).sections == (N, N, N, T, F)


def test_the_first_decodable_object_wins() -> None:
    reply = 'Format: {like this} -> {"Limitations": true} and later {"Limitations": false}'
    assert parse_reply(reply).sections == (N, T, N, N, N)


def test_parsed_mappings_as_parquet_gives_them() -> None:
    struct_row = {"Model description": True, "model_description": None, "Limitations": None, "limitations": False,
                  "How to use": True, "how_to_use": None, "Training": None, "training": None,
                  "Evaluation": False, "evaluation": None}
    verdict = verdict_from_mapping(struct_row)
    assert verdict.sections == (T, F, T, N, F) and verdict.status == PARTIAL
    assert verdict.present == 2
    pairs = [("Model description", True), ("Limitations", False), ("How to use", False), ("Training", True),
             ("Evaluation", True)]
    assert verdict_from_mapping(pairs).sections == (T, F, F, T, T)
    assert verdict_from_mapping(None).status == MISSING
    assert verdict_from_mapping(ALL_FIVE).status == PARSED
    assert verdict_from_mapping(42).status == UNPARSEABLE
