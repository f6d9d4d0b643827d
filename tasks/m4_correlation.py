"""Metric 4 as a correlation: the documentation score against each popularity measure (tables/m4_correlation.csv)."""

from __future__ import annotations

import luigi

from artifact.profiles import Profile
from tasks.base import FingerprintedTask
from tasks.m4_documentation import CardSampleStatistics, DocumentationScores

TOP_AND_BOTTOM = "top-and-bottom"  # the paper's design: only the two extreme groups were scored
CARD_SAMPLE = "card-sample"  # every card of a sample


class DocumentationCorrelation(FingerprintedTask):
    """Spearman's rho of the documentation score and each popularity measure, over the models this profile scores."""

    def requires(self) -> luigi.Task:
        if self.spec.input_for("cards"):
            return CardSampleStatistics(profile=self.profile)
        return DocumentationScores(profile=self.profile)

    def output(self) -> luigi.LocalTarget:
        return self.out("tables/m4_correlation.csv")

    def run(self) -> None:
        from artifact.metrics.m4_correlation import CORRELATION_COLUMNS, documentation_correlations
        from artifact.metrics.m4_documentation import CARD_SAMPLE_MEASURES, MEASURES
        from artifact.tables import read_table, write_table

        scores = read_table(self.input()["scores"].path)
        if self.spec.input_for("cards"):
            table = documentation_correlations(scores, "score", CARD_SAMPLE_MEASURES, CARD_SAMPLE)
        else:
            table = documentation_correlations(scores, "documentation_score", MEASURES, TOP_AND_BOTTOM)
        write_table(table, self.output().path, CORRELATION_COLUMNS)


def roots(profile: Profile, available: frozenset[str]) -> list[luigi.Task]:
    """The correlation wherever Metric 4's scores are computed: a card sample, or the archived answers with PeaTMOSS."""
    has_scores = profile.input_for("cards") or all(profile.input_for(r) for r in ("cards-top", "cards-bottom", "peatmoss"))
    return [DocumentationCorrelation(profile=profile.name)] if has_scores else []
