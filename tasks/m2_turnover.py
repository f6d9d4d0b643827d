"""Metric 2 tasks: load each snapshot, rank its top K, compute each registry's turnover, draw Figure 6."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

import luigi

from artifact.atomic import atomic_path
from artifact.loaders.losses import record_path
from artifact.profiles import Profile
from tasks.base import FingerprintedTask, InputFile
from tasks.listing import HubListing

if TYPE_CHECKING:
    import pandas as pd

LEFT_OUT = "no downloads value: left out of the top-K ranking (Metric 2)"
LISTING_LOADER = "hub-listing"  # read through the HubListing task, so the pages are parsed once per run
LISTING_SNAPSHOT_COLUMNS = {"id": "name", "downloads": "downloads", "created_at": "created_at"}


class LoadSnapshot(FingerprintedTask):
    """One snapshot as a tidy table (`name`, `downloads` or `position`), stored as Parquet."""

    registry = luigi.Parameter()
    label = luigi.Parameter()

    def requires(self) -> luigi.Task:
        spec = self.spec.snapshot(self.registry, self.label)
        if spec.loader == LISTING_LOADER:
            return HubListing(profile=self.profile, input_id=spec.input_id)
        return InputFile(profile=self.profile, input_id=spec.input_id)

    def output(self) -> dict[str, luigi.LocalTarget]:
        table = f"intermediate/snapshots/{self.registry}_{self.label}.parquet"
        return {"table": self.out(table), "rows": self.out(str(record_path(Path(table))))}

    def run(self) -> None:
        import pandas as pd

        from artifact.loaders.losses import count_missing, write_losses
        from artifact.loaders.registry import SNAPSHOT_LOADERS

        spec = self.spec.snapshot(self.registry, self.label)
        if spec.loader == LISTING_LOADER:
            models = pd.read_parquet(self.input()["models"].path, columns=list(LISTING_SNAPSHOT_COLUMNS))
            table = models.rename(columns=LISTING_SNAPSHOT_COLUMNS)
        else:
            table = SNAPSHOT_LOADERS[spec.loader](Path(self.input().path))
        write_losses(count_missing(table, spec.input_id, ("downloads",), LEFT_OUT), Path(self.output()["rows"].path))
        with atomic_path(self.output()["table"].path) as tmp:
            table.to_parquet(tmp, index=False)


class TopK(FingerprintedTask):
    """The top-K table of one snapshot under the documented ranking rule."""

    registry = luigi.Parameter()
    label = luigi.Parameter()

    def requires(self) -> luigi.Task:
        return LoadSnapshot(profile=self.profile, registry=self.registry, label=self.label)

    def output(self) -> luigi.LocalTarget:
        return self.out(f"tables/topk/{self.registry}_{self.label}.csv")

    def run(self) -> None:
        import pandas as pd

        from artifact.metrics.m2_turnover import TOP_K_COLUMNS, top_k
        from artifact.tables import write_table

        snapshot = pd.read_parquet(self.input()["table"].path)
        write_table(top_k(snapshot, self.spec.top_k), self.output().path, TOP_K_COLUMNS)


class Turnover(FingerprintedTask):
    """Remained / returning / newcomers per snapshot of one registry, and that registry's summary.

    One task per registry, so a registry's claims need only its own snapshots (npm's do not wait
    on the Hub's pages, and a missing HF snapshot leaves them checked).
    """

    registry = luigi.Parameter()

    def requires(self) -> list[luigi.Task]:
        return [TopK(profile=self.profile, registry=self.registry, label=s.label) for s in self.spec.snapshots_of(self.registry)]

    def output(self) -> dict[str, luigi.LocalTarget]:
        return {
            "turnover": self.out(f"tables/turnover/{self.registry}.csv"),
            "summary": self.out(f"tables/turnover_summary/{self.registry}.csv"),
        }

    def run(self) -> None:
        import pandas as pd

        from artifact.metrics.m2_turnover import SUMMARY_COLUMNS, TURNOVER_COLUMNS, summarise, turnover
        from artifact.tables import write_table

        labels = [s.label for s in self.spec.snapshots_of(self.registry)]
        top_sets = [(label, _names(t.path)) for label, t in zip(labels, self.input())]
        table = turnover(top_sets)
        summary = pd.DataFrame([{"registry": self.registry, **summarise(table, top_sets, self.spec.top_k)}])
        write_table(summary, self.output()["summary"].path, ("registry",) + SUMMARY_COLUMNS)
        write_table(table.assign(registry=self.registry), self.output()["turnover"].path, ("registry",) + TURNOVER_COLUMNS, sort_by=["snapshot"])


class Figure6(FingerprintedTask):
    """Figure 6 as PNG and PDF, and the plotted numbers as a table, over `registries` (all of the profile's by default)."""

    registries = luigi.ListParameter(default=())

    def chosen(self) -> list[str]:
        """The registries of the figure, in its panel order."""
        return in_panel_order(self.spec, self.registries)

    def requires(self) -> dict[str, Turnover]:
        return {registry: Turnover(profile=self.profile, registry=registry) for registry in self.chosen()}

    def output(self) -> dict[str, luigi.LocalTarget]:
        return self.figure_out("figures/fig6_turnover")

    def run(self) -> None:
        from artifact.figures.fig6_turnover import PLOTTED_COLUMNS, figure6, plotted_numbers
        from artifact.tables import write_table

        table = read_turnover(self.input())
        figure = figure6(table, self.chosen())
        self.save_figure(figure)
        write_table(plotted_numbers(table), self.output()["data"].path, PLOTTED_COLUMNS)


def in_panel_order(profile: Profile, registries: Sequence[str]) -> list[str]:
    """`registries` (all of the profile's when empty) in the profile's order, Figure 6's panel order."""
    return [r for r in profile.registries() if not registries or r in registries]


def read_turnover(outputs: Mapping[str, Mapping[str, luigi.LocalTarget]]) -> pd.DataFrame:
    """The per-snapshot turnover tables of several Turnover tasks' outputs, one after the other."""
    import pandas as pd

    from artifact.tables import read_table

    return pd.concat([read_table(targets["turnover"].path) for targets in outputs.values()], ignore_index=True)


def _names(path: str) -> frozenset[str]:
    """The names of a top-K table, read as text whatever they look like."""
    import pandas as pd

    return frozenset(pd.read_csv(path, usecols=["name"], dtype=str, keep_default_na=False)["name"])


def complete_registries(profile: Profile, available: frozenset[str]) -> tuple[str, ...]:
    """The registries whose snapshots are all available."""
    return tuple(r for r in profile.registries() if profile.snapshot_inputs(r) <= available)


def roots(profile: Profile, available: frozenset[str]) -> list[luigi.Task]:
    """Each snapshot's top-K table, the turnover of each registry whose snapshots are all at hand, and their Figure 6."""
    tasks: list[luigi.Task] = [TopK(profile=profile.name, registry=s.registry, label=s.label) for s in profile.snapshots]
    registries = complete_registries(profile, available)
    tasks += [Turnover(profile=profile.name, registry=registry) for registry in registries]
    return tasks + ([Figure6(profile=profile.name, registries=registries)] if registries else [])
