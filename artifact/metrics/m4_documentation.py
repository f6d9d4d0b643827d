"""Metric 4: documentation quality of the most and least popular models (paper, Metric 4, Figure 8).

Per model of the two archived files (the most popular models and the least popular of the most
downloaded, as the authors selected them):
- card score = sections present / 5, the sections being model description, limitations, how to use,
  training and evaluation. From the archived GPT-4 verdicts: a missing or unparseable reply scores
  0, as in the authors' code, and an unknown value counts as absent. From the deterministic scorer
  (`artifact.cards.scorer`) on the card text: `det_card_score`.
- metadata score = share of the PeaTMOSS categories (`METADATA_CATEGORIES`) with at least one entry.
  The authors' code averaged presence over all columns of its table, which also holds the model id,
  downloads and likes (never empty): (categories present + 3) / (categories + 3), kept as
  `metadata_score_authors_code`.
- documentation score = (card score + metadata score) / 2; NaN when the model is not in PeaTMOSS.

Groups, per popularity measure (downloads, likes, downstream repositories): the `size` rows of the
top file with the highest values and the `size` rows of the bottom file with the lowest, as the
authors' R script took them (ties by model id, missing values last). A file of exactly `size` rows
is its own group for every measure.

A sample of model cards without GPT-4 answers or PeaTMOSS metadata (the independent profile's) is
compared on the deterministic card score alone (`card_sample_scores`, `card_sample_statistics`):
per measure, the given fraction of the cards with the highest values against as many with the lowest.

Statistics per variant (`VARIANTS`) and measure: one-sided Welch t-test (top greater than bottom),
Holm adjustment across the three measures of the variant, Cohen's d (pooled SD), one-sided
Mann-Whitney U (`artifact.metrics.stats`).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass

import numpy as np
import pandas as pd

from artifact.cards.replies import SCORED_REPLY_STATUSES
from artifact.cards.scorer import score_cards
from artifact.cards.sections import SECTIONS
from artifact.loaders.peatmoss_metadata import METADATA_CATEGORIES
from artifact.metrics.stats import accuracy, cohens_kappa, compare_greater, holm

MEASURES = ("downloads", "likes", "num_downstream_repos")
FILES = ("top", "bottom")
GPT4 = tuple(f"gpt4_{section}" for section in SECTIONS)
DETERMINISTIC = tuple(f"det_{section}" for section in SECTIONS)
# Columns of the authors' metadata table besides the categories: model id, downloads, likes.
AUTHORS_CODE_EXTRA_COLUMNS = 3

CARD_COLUMNS = ("file", "context_id", *MEASURES, "verdict_column", "reply_status", *GPT4, *DETERMINISTIC)
SCORE_COLUMNS = (
    "file",
    "context_id",
    *MEASURES,
    "reply_status",
    *GPT4,
    *DETERMINISTIC,
    "card_score",
    "det_card_score",
    "metadata_categories",
    "metadata_score",
    "metadata_score_authors_code",
    "documentation_score",
    "documentation_score_authors_code",
    "det_documentation_score",
    *(f"group_{measure}" for measure in MEASURES),
)
STATISTICS_COLUMNS = (
    "variant", "measure", "n_top", "n_bottom", "mean_top", "mean_bottom", "median_top", "median_bottom",
    "t", "df", "p", "p_holm", "d", "U", "p_U",
)
CARD_SAMPLE_VARIANT = "deterministic-card-score"
CARD_SAMPLE_MEASURES = ("downloads", "likes")
CARD_SAMPLE_COLUMNS = ("id", *CARD_SAMPLE_MEASURES, *SECTIONS, "score")
AGREEMENT_COLUMNS = ("section", "n", "gpt4_present", "scorer_present", "agree", "accuracy", "kappa")
REPLY_COLUMNS = ("file", "verdict_column", "reply_status", "rows", "scored_as")


@dataclass(frozen=True)
class Variant:
    """Which documentation score a comparison uses, and whether rows without a GPT-4 verdict count."""

    score: str
    with_verdict_only: bool


VARIANTS: dict[str, Variant] = {
    # as the paper defines it: GPT-4 card score (no verdict = 0) and the metadata score
    "paper": Variant("documentation_score", with_verdict_only=False),
    # the same, rows whose reply is missing or unparseable left out
    "no-verdict-excluded": Variant("documentation_score", with_verdict_only=True),
    # the metadata score as the authors' code computed it
    "authors-code-metadata": Variant("documentation_score_authors_code", with_verdict_only=False),
    # the deterministic scorer's card score instead of GPT-4's
    "deterministic-scorer": Variant("det_documentation_score", with_verdict_only=False),
}


def card_table(archived: pd.DataFrame, file: str, verdict_column: str, has_card_text: bool) -> pd.DataFrame:
    """One archived file (`artifact.loaders.card_scores`) with both verdicts: `gpt4_*` and `det_*` sections.

    Without card text (`has_card_text` False) the deterministic sections are unknown (NA).
    """
    table = archived.rename(columns=dict(zip(SECTIONS, GPT4))).assign(file=file, verdict_column=verdict_column)
    if has_card_text:
        scored = score_cards(archived["card"])
        for section, column in zip(SECTIONS, DETERMINISTIC):
            table[column] = scored[section].astype("boolean")
    else:
        for column in DETERMINISTIC:
            table[column] = pd.array([pd.NA] * len(table), dtype="boolean")
    return table.loc[:, list(CARD_COLUMNS)]


def metadata_scores(presence: pd.DataFrame) -> pd.DataFrame:
    """Per model: categories present, the metadata score, and the authors' code's version of it."""
    count = presence[list(METADATA_CATEGORIES)].sum(axis=1).astype("int64")
    categories = len(METADATA_CATEGORIES)
    return pd.DataFrame(
        {
            "context_id": presence["context_id"],
            "metadata_categories": count,
            "metadata_score": count / categories,
            "metadata_score_authors_code": (count + AUTHORS_CODE_EXTRA_COLUMNS) / (categories + AUTHORS_CODE_EXTRA_COLUMNS),
        }
    )


def documentation_scores(cards: pd.DataFrame, metadata: pd.DataFrame, size: int) -> pd.DataFrame:
    """Per archived row (`CARD_COLUMNS`, both files): every score and its group per measure (`SCORE_COLUMNS`)."""
    scores = cards.merge(metadata_scores(metadata), on="context_id", how="left", validate="many_to_one")
    scores["card_score"] = _present(scores, GPT4).fillna(0) / len(SECTIONS)
    scores["det_card_score"] = _present(scores, DETERMINISTIC) / len(SECTIONS)
    scores["documentation_score"] = (scores["card_score"] + scores["metadata_score"]) / 2
    scores["documentation_score_authors_code"] = (scores["card_score"] + scores["metadata_score_authors_code"]) / 2
    scores["det_documentation_score"] = (scores["det_card_score"] + scores["metadata_score"]) / 2
    scores["metadata_categories"] = scores["metadata_categories"].astype("Int64")
    for measure in MEASURES:
        scores[f"group_{measure}"] = _groups(scores, measure, size)
    return scores.loc[:, list(SCORE_COLUMNS)]


def group_statistics(scores: pd.DataFrame) -> pd.DataFrame:
    """Top against bottom per variant and measure (`STATISTICS_COLUMNS`), Holm within each variant."""
    rows = []
    for name, variant in VARIANTS.items():
        kept = scores[scores["reply_status"].isin(SCORED_REPLY_STATUSES)] if variant.with_verdict_only else scores
        family = []
        for measure in MEASURES:
            group = kept[f"group_{measure}"]
            result = compare_greater(kept.loc[group == "top", variant.score], kept.loc[group == "bottom", variant.score])
            family.append({"variant": name, "measure": measure, **_renamed(asdict(result))})
        for row, adjusted in zip(family, holm([row["p"] for row in family])):
            row["p_holm"] = adjusted
        rows += family
    return pd.DataFrame(rows, columns=list(STATISTICS_COLUMNS))


def card_sample_scores(cards: pd.DataFrame) -> pd.DataFrame:
    """A card sample (id, downloads, likes, card) with the deterministic scorer's sections and score."""
    scored = score_cards(cards["card"])
    return pd.concat([cards.loc[:, ["id", *CARD_SAMPLE_MEASURES]], scored.loc[:, [*SECTIONS, "score"]]], axis=1)


def card_sample_statistics(scores: pd.DataFrame, fraction: float) -> pd.DataFrame:
    """Top against bottom `fraction` of a scored card sample per measure (`STATISTICS_COLUMNS`), Holm across measures.

    Per measure, the cards with a value are ranked (highest first, ties by id): the first
    int(fraction x their number) are the top group, the last as many the bottom group (disjoint for
    a fraction up to one half, whatever the ties).
    """
    family = []
    for measure in CARD_SAMPLE_MEASURES:
        top, bottom = card_sample_groups(scores, measure, fraction)
        result = compare_greater(top["score"], bottom["score"])
        family.append({"variant": CARD_SAMPLE_VARIANT, "measure": measure, **_renamed(asdict(result))})
    for row, adjusted in zip(family, holm([row["p"] for row in family])):
        row["p_holm"] = adjusted
    return pd.DataFrame(family, columns=list(STATISTICS_COLUMNS))


def card_sample_groups(scores: pd.DataFrame, measure: str, fraction: float) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The top and bottom `fraction` of the cards with a value of `measure` (ranked highest first, ties by id)."""
    known = scores.dropna(subset=[measure])
    size = int(len(known) * fraction)
    ranked = known.sort_values([measure, "id"], ascending=[False, True], kind="mergesort")
    return ranked.head(size), ranked.tail(size)


def scorer_agreement(cards: pd.DataFrame) -> pd.DataFrame:
    """Deterministic scorer against GPT-4 per section and pooled (`AGREEMENT_COLUMNS`), where both gave a value."""
    rows = []
    pooled_gpt4, pooled_scorer = [], []
    for section, gpt4, det in zip(SECTIONS, GPT4, DETERMINISTIC):
        known = cards[gpt4].notna() & cards[det].notna()
        x = cards.loc[known, gpt4].to_numpy(dtype=bool)
        y = cards.loc[known, det].to_numpy(dtype=bool)
        rows.append(_agreement_row(section, x, y))
        pooled_gpt4.append(x)
        pooled_scorer.append(y)
    rows.append(_agreement_row("all", np.concatenate(pooled_gpt4), np.concatenate(pooled_scorer)))
    return pd.DataFrame(rows, columns=list(AGREEMENT_COLUMNS))


def reply_summary(cards: pd.DataFrame) -> pd.DataFrame:
    """Rows per file and reply status, the column the verdicts came from, and how each status is scored."""
    counts = cards.groupby(["file", "verdict_column", "reply_status"]).size().rename("rows").reset_index()
    counts["scored_as"] = np.where(
        counts["reply_status"].isin(SCORED_REPLY_STATUSES), "sections present / 5", "0 (as the authors' code)"
    )
    return counts.loc[:, list(REPLY_COLUMNS)]


def _present(table: pd.DataFrame, columns: tuple[str, ...]) -> pd.Series:
    """How many of `columns` are True per row; NA where every one of them is NA (no verdict at all)."""
    values = table[list(columns)]
    count = values.fillna(False).astype(bool).sum(axis=1).astype("float64")
    return count.where(values.notna().any(axis=1))


def _groups(scores: pd.DataFrame, measure: str, size: int) -> pd.Series:
    """'top', 'bottom' or NA per row: the `size` highest of the top file, the `size` lowest of the bottom file."""
    group = pd.Series(pd.NA, index=scores.index, dtype="string")
    for file, descending in (("top", True), ("bottom", False)):
        rows = scores[scores["file"] == file].sort_values(
            [measure, "context_id"], ascending=[not descending, True], na_position="last", kind="mergesort"
        )
        group.loc[rows.index[:size]] = file
    return group


def _renamed(result: dict) -> dict:
    """Comparison fields under the table's names (group a = top, b = bottom)."""
    names = {"n_a": "n_top", "n_b": "n_bottom", "mean_a": "mean_top", "mean_b": "mean_bottom",
             "median_a": "median_top", "median_b": "median_bottom", "u": "U", "p_u": "p_U"}
    return {names.get(key, key): value for key, value in result.items()}


def _agreement_row(section: str, gpt4: np.ndarray, scorer: np.ndarray) -> dict:
    return {
        "section": section,
        "n": len(gpt4),
        "gpt4_present": int(gpt4.sum()),
        "scorer_present": int(scorer.sum()),
        "agree": int((gpt4 == scorer).sum()),
        "accuracy": accuracy(gpt4, scorer),
        "kappa": cohens_kappa(gpt4, scorer),
    }
