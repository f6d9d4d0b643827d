"""Case 9 of issue 25: the card scorer's time grows linearly with the card, and a card is read up to a bound."""

from __future__ import annotations

import gc
import time

import pytest

from artifact.cards import scorer
from artifact.cards.scorer import score_card
from tests.conftest import REPO

SIZE = 80_000
ADVERSARIAL = {  # each about 80 kB; before the fix the first took 97 s in `score-cards`
    "atx-hashes": "\n# " + "# " * (SIZE // 2) + "x",
    "html-openings": "<h1>" * (SIZE // 4),
    "html-openings-unclosed": "<h1" * (SIZE // 3),
    "html-title-of-brackets": "<h1>" + "<" * SIZE + "</h1>",
    "templates-unclosed": "{{" * (SIZE // 2),
    "bold-line-trailing-blanks": "**x**" + " " * SIZE + "y",
    "setext-underline": "a\n" + "=" * SIZE + "x",
    "nested-headings": "".join(f"{'#' * (i % 6 + 1)} training\n" for i in range(SIZE // 12)),
}


@pytest.mark.parametrize("name", sorted(ADVERSARIAL))
def test_case9_an_adversarial_80_kb_card_is_scored_well_under_a_second(name: str) -> None:
    card = ADVERSARIAL[name]
    gc.collect()  # this thread's own CPU time, without a collection of the worker's heap or other threads' work
    gc.disable()
    try:
        started = time.thread_time()
        score_card(card)
        spent = time.thread_time() - started
    finally:
        gc.enable()
    assert spent < 0.25, f"{name}: {len(card)} characters in {spent:.3f} s of CPU"


def test_case9_a_card_is_scored_on_its_first_max_card_chars_characters() -> None:
    section = "\n## Training\nThe model was trained on books.\n"
    assert score_card("word " * (scorer.MAX_CARD_CHARS // 5 - 20) + section)[3]  # within the bound: found
    assert not any(score_card("word " * (scorer.MAX_CARD_CHARS // 5) + section))  # beyond it: not read


def test_case9_the_readme_names_the_card_size_bound() -> None:
    assert f"{scorer.MAX_CARD_CHARS:,}" in (REPO / "README.md").read_text(encoding="utf-8")
