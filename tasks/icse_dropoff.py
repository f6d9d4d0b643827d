"""Downloads by rank (the ICSE 2023 brief's drop-off), and per HF snapshot the share of downloads in the top N."""

from __future__ import annotations

import luigi

from artifact.profiles import Profile, snapshot_time
from artifact.registries import registries, registry
from tasks.base import FingerprintedTask
from tasks.m2_turnover import LoadSnapshot

UNCOUNTED_NOTE = "{id}: the top lists here are ranked names without download counts, so {id} has no curve."


class DownloadDropoff(FingerprintedTask):
    """Rank-downloads curves of the HF and PyPI snapshots, their summary, and the figure."""

    def requires(self) -> dict[tuple[str, str], LoadSnapshot]:
        return {
            (s.registry, s.label): LoadSnapshot(profile=self.profile, registry=s.registry, label=s.label)
            for s in self.spec.snapshots
            if registry(s.registry).has_counts
        }

    def output(self) -> dict[str, luigi.LocalTarget]:
        return {
            "curves": self.out("tables/icse_dropoff.csv"),
            "summary": self.out("tables/icse_dropoff_summary.csv"),
            **self.figure_out("figures/icse_dropoff", data=False),
        }

    def run(self) -> None:
        import pandas as pd

        from artifact.figures.fig_icse_dropoff import figure_dropoff
        from artifact.metrics.icse_dropoff import CURVE_TABLE_COLUMNS, SUMMARY_COLUMNS, dropoff_tables, rank_curve
        from artifact.tables import write_table

        profile = self.spec
        curves = {key: rank_curve(pd.read_parquet(targets["table"].path)) for key, targets in sorted(self.input().items())}
        uncounted = [r.id for r in registries() if not r.has_counts and r.id in profile.registries()]
        labels = {(r, s.label) for r in uncounted for s in profile.snapshots_of(r)}
        table, summary = dropoff_tables(curves, snapshot_time, sorted(labels))
        write_table(table, self.output()["curves"].path, CURVE_TABLE_COLUMNS, sort_by=["registry", "snapshot", "rank"])
        write_table(summary, self.output()["summary"].path, SUMMARY_COLUMNS, sort_by=["registry", "snapshot"])
        figure = figure_dropoff(table, " ".join(UNCOUNTED_NOTE.format(id=r) for r in uncounted))
        self.save_figure(figure)


class DownloadConcentration(FingerprintedTask):
    """One HF snapshot: the share of all its downloads held by its top N, and the downloads at rank N."""

    label = luigi.Parameter()

    def requires(self) -> LoadSnapshot:
        return LoadSnapshot(profile=self.profile, registry="hf", label=self.label)

    def output(self) -> luigi.LocalTarget:
        return self.out(f"tables/download_concentration/hf_{self.label}.csv")

    def run(self) -> None:
        import pandas as pd

        from artifact.metrics.icse_dropoff import CONCENTRATION_COLUMNS, concentration
        from artifact.tables import write_table

        top_n = self.spec.param("concentration_top_n")
        row = {"registry": "hf", "snapshot": self.label, **concentration(pd.read_parquet(self.input()["table"].path), top_n)}
        write_table(pd.DataFrame([row]), self.output().path, ("registry", "snapshot") + CONCENTRATION_COLUMNS)


def roots(profile: Profile, available: frozenset[str]) -> list[luigi.Task]:
    """The drop-off once the profile's HF and PyPI snapshots are all at hand; the top-N share per HF snapshot."""
    needs = frozenset(s.input_id for s in profile.snapshots if registry(s.registry).has_counts)
    result: list[luigi.Task] = [DownloadDropoff(profile=profile.name)] if needs and needs <= available else []
    return result + [DownloadConcentration(profile=profile.name, label=s.label) for s in profile.snapshots_of("hf")]
