"""The sample's archived answers hold every messy form the loader must survive, in both schemas."""

from __future__ import annotations

from artifact.cards.replies import REPLY_STATUSES
from artifact.cards.scorer import score_cards
from artifact.config import Settings
from artifact.inputs.manifest import load_manifest
from artifact.inputs.resolve import resolve
from artifact.loaders.card_scores import load_archived_cards
from artifact.sample.cards import FILE_ROWS


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
