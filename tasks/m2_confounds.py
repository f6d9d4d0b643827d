"""Metric 2's confounds as tables: the coverage of each HF snapshot, and turnover beside each step's interval."""

from __future__ import annotations

import luigi

from artifact.profiles import Profile, snapshot_time
from tasks.base import FingerprintedTask
from tasks.m2_turnover import LoadSnapshot, TopK, Turnover, complete_registries, in_panel_order, read_turnover

HF = "hf"


class SnapshotCoverage(FingerprintedTask):
    """tables/coverage/<registry>.csv: each snapshot's size, K-th model's downloads and newcomers listed late."""

    registry = luigi.Parameter(default=HF)

    def labels(self) -> list[str]:
        return [s.label for s in self.spec.snapshots_of(self.registry)]

    def requires(self) -> dict[str, dict[str, luigi.Task]]:
        return {
            label: {"listed": LoadSnapshot(profile=self.profile, registry=self.registry, label=label),
                    "top": TopK(profile=self.profile, registry=self.registry, label=label)}
            for label in self.labels()
        }

    def output(self) -> luigi.LocalTarget:
        return self.out(f"tables/coverage/{self.registry}.csv")

    def run(self) -> None:
        import pandas as pd

        from artifact.metrics.m2_coverage import COVERAGE_COLUMNS, snapshot_coverage
        from artifact.tables import read_table, write_table

        snapshots = [
            (label, snapshot_time(label), pd.read_parquet(self.input()[label]["listed"]["table"].path),
             read_table(self.input()[label]["top"].path))
            for label in self.labels()
        ]
        write_table(snapshot_coverage(self.registry, snapshots, self.spec.top_k), self.output().path, COVERAGE_COLUMNS)


class TurnoverIntervals(FingerprintedTask):
    """tables/turnover_intervals.csv (each step's months and newcomer share per month) and its per-registry summary."""

    registries = luigi.ListParameter(default=())

    def requires(self) -> dict[str, Turnover]:
        return {registry: Turnover(profile=self.profile, registry=registry) for registry in in_panel_order(self.spec, self.registries)}

    def output(self) -> dict[str, luigi.LocalTarget]:
        return {"steps": self.out("tables/turnover_intervals.csv"), "summary": self.out("tables/turnover_intervals_summary.csv")}

    def run(self) -> None:
        from artifact.metrics.m2_coverage import INTERVAL_COLUMNS, INTERVAL_SUMMARY_COLUMNS, interval_summary, interval_turnover
        from artifact.tables import write_table

        table = read_turnover(self.input())
        times = {label: snapshot_time(label) for label in table["snapshot"].astype(str).unique()}
        steps = interval_turnover(table.assign(snapshot=table["snapshot"].astype(str)), times)
        write_table(steps, self.output()["steps"].path, INTERVAL_COLUMNS, sort_by=["registry", "snapshot"])
        write_table(interval_summary(steps), self.output()["summary"].path, INTERVAL_SUMMARY_COLUMNS)


def roots(profile: Profile, available: frozenset[str]) -> list[luigi.Task]:
    """The HF coverage when its snapshots are all at hand; the intervals of every registry whose snapshots are."""
    registries = complete_registries(profile, available)
    tasks: list[luigi.Task] = [SnapshotCoverage(profile=profile.name)] if HF in registries else []
    return tasks + ([TurnoverIntervals(profile=profile.name, registries=registries)] if registries else [])
