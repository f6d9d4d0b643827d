"""The sample's archived answers hold every messy form the loader must survive, in both schemas."""

from __future__ import annotations

import numpy as np

from artifact.cards.replies import REPLY_STATUSES
from artifact.cards.scorer import score_card, score_cards
from artifact.cards.sections import sections_named
from artifact.config import Settings
from artifact.inputs.manifest import load_manifest
from artifact.inputs.resolve import resolve
from artifact.loaders.card_scores import load_archived_cards
from artifact.sample.cards import FILE_ROWS, HEADING_STYLES, HEADINGS, OTHER_HEADINGS, heading
from bench.bench_documentation import synthetic_cards


def _load(input_id: str):
    return load_archived_cards(resolve(load_manifest()[input_id], Settings.from_env({})))


def test_sample_answers_cover_both_schemas_every_status_and_every_kind_of_card() -> None:
    top, bottom = _load("sample-cards-top"), _load("sample-cards-bottom")
    assert (top.verdict_column, bottom.verdict_column) == ("analysis_result", "analysis")
    assert len(top.table) == len(bottom.table) == FILE_ROWS
    assert set(top.table["reply_status"]) == set(REPLY_STATUSES)
    assert {"parsed", "partial", "missing"} <= set(bottom.table["reply_status"])
    for archived in (top, bottom):
        cards = archived.table["card"]
        assert cards.isna().any() and (cards == "").any()
        sections = score_cards(cards)
        assert sections["sections"].min() == 0 and sections["sections"].max() == 5
    assert score_cards(top.table["card"])["score"].mean() > score_cards(bottom.table["card"])["score"].mean()
    assert top.table["downloads"].min() > bottom.table["downloads"].max()


def test_synthetic_headings_name_their_section_and_only_it() -> None:
    """The one table of synthetic headings (the sample's cards and the documentation bench) agrees with the scorer."""
    for section, titles in HEADINGS.items():
        assert all(sections_named(title) == {section} for title in titles), section
    assert all(sections_named(title) == set() for title in OTHER_HEADINGS)
    for style in range(HEADING_STYLES):
        body = "The model was fine-tuned for three epochs on a large corpus of English text.\n\n"
        card = "".join(heading(titles[0], style) + body for titles in HEADINGS.values())
        assert score_card(card) == (True,) * len(HEADINGS), style


def test_the_bench_cards_use_the_sample_headings() -> None:
    cards = "\n".join(synthetic_cards(20, np.random.default_rng(1)))
    titles = {title for titles in HEADINGS.values() for title in titles} | set(OTHER_HEADINGS)
    assert {title for title in titles if title in cards} == titles
