"""Metric 2 again with the HF rename rule applied (artifact/metrics/m2_renames.py).

The links between consecutive snapshots as an auditable table, each snapshot in the latest
naming, its top-K table, the registry's turnover and summary, Figure 6 redrawn.
"""

from __future__ import annotations

import luigi

from artifact.atomic import atomic_path
from artifact.profiles import Profile, snapshot_time
from tasks.base import FingerprintedTask
from tasks.m2_turnover import Figure6, LoadSnapshot, TopK, Turnover, complete_registries


class RenameLinks(FingerprintedTask):
    """The rename links between consecutive snapshots of one registry, linked and ambiguous."""

    registry = luigi.Parameter(default="hf")

    def requires(self) -> list[LoadSnapshot]:
        return [LoadSnapshot(profile=self.profile, registry=self.registry, label=s.label) for s in self._snapshots()]

    def output(self) -> luigi.LocalTarget:
        return self.out(f"tables/renames/{self.registry}_links.csv")

    def run(self) -> None:
        import pandas as pd

        from artifact.metrics.m2_renames import CHAIN_COLUMNS, rename_chain
        from artifact.tables import write_table

        labels = [s.label for s in self._snapshots()]
        snapshots = [(label, snapshot_time(label), pd.read_parquet(t["table"].path)) for label, t in zip(labels, self.input())]
        links = rename_chain(snapshots)
        write_table(links, self.output().path, CHAIN_COLUMNS, sort_by=["from_snapshot", "legacy_id", "new_id"])

    def _snapshots(self) -> list:
        return self.spec.snapshots_of(self.registry)


class RenamedSnapshot(FingerprintedTask):
    """One snapshot with its legacy ids replaced by the ids they moved to later."""

    registry = luigi.Parameter()
    label = luigi.Parameter()

    def requires(self) -> dict[str, luigi.Task]:
        return {
            "snapshot": LoadSnapshot(profile=self.profile, registry=self.registry, label=self.label),
            "links": RenameLinks(profile=self.profile, registry=self.registry),
        }

    def output(self) -> dict[str, luigi.LocalTarget]:
        """As LoadSnapshot's table (TopK reads either); the rows were counted when the snapshot was loaded."""
        return {"table": self.out(f"intermediate/snapshots_renamed/{self.registry}_{self.label}.parquet")}

    def run(self) -> None:
        import pandas as pd

        from artifact.metrics.m2_renames import apply_renames, rename_mapping
        from artifact.tables import read_table

        snapshot = pd.read_parquet(self.input()["snapshot"]["table"].path)
        mapping = rename_mapping(read_table(self.input()["links"].path), self.label)
        with atomic_path(self.output()["table"].path) as tmp:
            snapshot.assign(name=apply_renames(snapshot["name"], mapping)).to_parquet(tmp, index=False)


class TopKRenamed(TopK):
    """The top-K table of a snapshot in the latest naming."""

    def requires(self) -> RenamedSnapshot:
        return RenamedSnapshot(profile=self.profile, registry=self.registry, label=self.label)

    def output(self) -> luigi.LocalTarget:
        return self.out(f"tables/topk_renamed/{self.registry}_{self.label}.csv")


class TurnoverRenamed(Turnover):
    """Metric 2 of one registry whose ids move, with the rename rule applied."""

    def requires(self) -> list[TopKRenamed]:
        return [TopKRenamed(profile=t.profile, registry=t.registry, label=t.label) for t in super().requires()]

    def output(self) -> dict[str, luigi.LocalTarget]:
        return {
            "turnover": self.out(f"tables/turnover_renamed/{self.registry}.csv"),
            "summary": self.out(f"tables/turnover_renamed_summary/{self.registry}.csv"),
        }


class Figure6Renamed(Figure6):
    """Figure 6 redrawn with the rename rule applied to the registries whose ids move."""

    def requires(self) -> dict[str, Turnover]:
        renames = self.spec.rename_registries
        return {
            registry: TurnoverRenamed(profile=self.profile, registry=registry) if registry in renames else task
            for registry, task in super().requires().items()
        }

    def output(self) -> dict[str, luigi.LocalTarget]:
        stem = "figures/fig6_turnover_renamed"
        return self.figure_out(stem)


def roots(profile: Profile, available: frozenset[str]) -> list[luigi.Task]:
    """The rename links of each rename registry, its renamed turnover and Figure 6 redrawn, for profiles that name them."""
    if not profile.rename_registries:
        return []
    links: list[luigi.Task] = [RenameLinks(profile=profile.name, registry=r) for r in profile.rename_registries]
    registries = complete_registries(profile, available)
    renamed: list[luigi.Task] = [TurnoverRenamed(profile=profile.name, registry=r) for r in registries if r in profile.rename_registries]
    return links + renamed + ([Figure6Renamed(profile=profile.name, registries=registries)] if registries else [])
