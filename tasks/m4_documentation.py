"""Metric 4 tasks: read the archived answers and the PeaTMOSS metadata, score, compare, draw Figure 8."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import luigi

from artifact.atomic import atomic_path
from artifact.profiles import Profile
from tasks.base import EARLY, FingerprintedTask, InputFile

if TYPE_CHECKING:
    import pandas as pd

ROLES = {"top": "cards-top", "bottom": "cards-bottom"}  # each archived answers file (metrics' FILES) by its input role
CARD_SAMPLE_FRACTION = 1 / 3  # Metric 4 on a card sample: top third against bottom third


class ArchivedCards(FingerprintedTask):
    """One archived answers file with its GPT-4 verdicts parsed and the deterministic scorer's, as Parquet."""

    file = luigi.ChoiceParameter(choices=tuple(ROLES))

    def requires(self) -> InputFile:
        return self.input_file(ROLES[self.file])

    def output(self) -> luigi.LocalTarget:
        return self.out(f"intermediate/m4/cards_{self.file}.parquet")

    def run(self) -> None:
        from artifact.loaders.card_scores import load_archived_cards
        from artifact.metrics.m4_documentation import card_table

        archived = load_archived_cards(Path(self.input().path))
        table = card_table(archived.table, self.file, archived.verdict_column, archived.card_column is not None)
        with atomic_path(self.output().path) as tmp:
            table.to_parquet(tmp, index=False)


class MetadataPresence(FingerprintedTask):
    """Which metadata categories each PeaTMOSS model has, as Parquet."""

    def requires(self) -> InputFile:
        return self.input_file("peatmoss")

    def output(self) -> luigi.LocalTarget:
        return self.out("intermediate/m4/metadata_presence.parquet")

    def run(self) -> None:
        from artifact.loaders.peatmoss_metadata import load_metadata_presence

        presence = load_metadata_presence(Path(self.input().path))
        with atomic_path(self.output().path) as tmp:
            presence.to_parquet(tmp, index=False)


class CardAgreement(FingerprintedTask):
    """How the replies parsed, and how the deterministic scorer agrees with GPT-4, per section."""

    def requires(self) -> list[ArchivedCards]:
        return [ArchivedCards(profile=self.profile, file=file) for file in ROLES]

    def output(self) -> dict[str, luigi.LocalTarget]:
        return {"agreement": self.out("tables/m4_scorer_agreement.csv"), "replies": self.out("tables/m4_replies.csv")}

    def run(self) -> None:
        from artifact.metrics.m4_documentation import AGREEMENT_COLUMNS, REPLY_COLUMNS, reply_summary, scorer_agreement
        from artifact.tables import write_table

        cards = _cards(self.input())
        write_table(scorer_agreement(cards), self.output()["agreement"].path, AGREEMENT_COLUMNS)
        write_table(reply_summary(cards), self.output()["replies"].path, REPLY_COLUMNS, sort_by=["file", "reply_status"])


class DocumentationScores(FingerprintedTask):
    """Every model's scores and groups, and the top-against-bottom statistics."""

    priority = EARLY  # a witness child starts from it (tasks/authors_code.py)

    def requires(self) -> dict[str, luigi.Task]:
        return {
            "cards": [ArchivedCards(profile=self.profile, file=file) for file in ROLES],
            "metadata": MetadataPresence(profile=self.profile),
        }

    def output(self) -> dict[str, luigi.LocalTarget]:
        return {"scores": self.out("tables/m4_scores.csv"), "statistics": self.out("tables/m4_statistics.csv")}

    def run(self) -> None:
        import pandas as pd

        from artifact.metrics.m4_documentation import SCORE_COLUMNS, STATISTICS_COLUMNS, documentation_scores, group_statistics
        from artifact.tables import write_table

        size = self.spec.param("m4_group_size")
        metadata = pd.read_parquet(self.input()["metadata"].path)
        scores = documentation_scores(_cards(self.input()["cards"]), metadata, size)
        write_table(scores, self.output()["scores"].path, SCORE_COLUMNS, sort_by=["file", "context_id"])
        write_table(group_statistics(scores), self.output()["statistics"].path, STATISTICS_COLUMNS)


class Figure8(FingerprintedTask):
    """Figure 8 as PNG and PDF, and the plotted numbers as a table."""

    def requires(self) -> DocumentationScores:
        return DocumentationScores(profile=self.profile)

    def output(self) -> dict[str, luigi.LocalTarget]:
        return self.figure_out("figures/fig8_documentation")

    def run(self) -> None:
        from artifact.figures.fig8_documentation import PLOTTED_COLUMNS, figure8, plotted_numbers
        from artifact.tables import read_table, write_table

        scores = read_table(self.input()["scores"].path)
        figure = figure8(scores)
        self.save_figure(figure)
        write_table(plotted_numbers(scores), self.output()["data"].path, PLOTTED_COLUMNS)


class CardSampleStatistics(FingerprintedTask):
    """Metric 4 on a card sample: each card's sections and score, and top against bottom third."""

    priority = EARLY  # a witness child starts from it (tasks/authors_code.py)

    def requires(self) -> InputFile:
        return self.input_file("cards")

    def output(self) -> dict[str, luigi.LocalTarget]:
        return {"scores": self.out("tables/m4_card_scores.csv"), "statistics": self.out("tables/m4_statistics.csv")}

    def run(self) -> None:
        from artifact.loaders.card_samples import load_card_samples
        from artifact.metrics.m4_documentation import CARD_SAMPLE_COLUMNS, STATISTICS_COLUMNS, card_sample_scores, card_sample_statistics
        from artifact.tables import write_table

        sample = load_card_samples(Path(self.input().path))
        scores = card_sample_scores(sample.cards)
        write_table(scores, self.output()["scores"].path, CARD_SAMPLE_COLUMNS, sort_by=["id"])
        statistics = card_sample_statistics(scores, CARD_SAMPLE_FRACTION)
        write_table(statistics, self.output()["statistics"].path, STATISTICS_COLUMNS)


def _cards(targets: list[luigi.LocalTarget]) -> pd.DataFrame:
    """Both files' card tables, one under the other."""
    import pandas as pd

    return pd.concat([pd.read_parquet(target.path) for target in targets], ignore_index=True)


def roots(profile: Profile, available: frozenset[str]) -> list[luigi.Task]:
    """The replies summary and scorer agreement from the two archived answer files; Figure 8 (with the
    scores and statistics) when the profile also has PeaTMOSS; Metric 4 on a card sample."""
    found: list[luigi.Task] = []
    if all(profile.input_for(role) for role in ROLES.values()):
        found.append(CardAgreement(profile=profile.name))
        if profile.input_for("peatmoss"):
            found.append(Figure8(profile=profile.name))
    if profile.input_for("cards"):
        found.append(CardSampleStatistics(profile=profile.name))
    return found
