"""Metric 2 tasks: load each snapshot, rank its top K, compute turnover, draw Figure 6."""

from __future__ import annotations

from pathlib import Path

import luigi
import pandas as pd

from artifact.atomic import atomic_path
from artifact.figures.fig6_turnover import PLOTTED_COLUMNS, figure6, plotted_numbers
from artifact.figures.style import save_figure
from artifact.loaders.losses import count_missing, write_losses
from artifact.loaders.registry import SNAPSHOT_LOADERS
from artifact.metrics.turnover import SUMMARY_COLUMNS, TOP_K_COLUMNS, TURNOVER_COLUMNS, summarise, top_k, turnover
from artifact.profiles import Profile
from artifact.tables import read_table, write_table
from tasks.base import FingerprintedTask, InputFile
from tasks.listing import HubListing

TURNOVER_TABLE_COLUMNS = ("registry",) + TURNOVER_COLUMNS
SUMMARY_TABLE_COLUMNS = ("registry",) + SUMMARY_COLUMNS
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

    def output(self) -> luigi.LocalTarget:
        return self.out(f"intermediate/snapshots/{self.registry}_{self.label}.parquet")

    def run(self) -> None:
        spec = self.spec.snapshot(self.registry, self.label)
        if spec.loader == LISTING_LOADER:
            models = pd.read_parquet(self.input()["models"].path, columns=list(LISTING_SNAPSHOT_COLUMNS))
            table = models.rename(columns=LISTING_SNAPSHOT_COLUMNS)
        else:
            table = SNAPSHOT_LOADERS[spec.loader](Path(self.input().path))
        write_losses(count_missing(table, spec.input_id, ("downloads",), LEFT_OUT), Path(self.output().path))
        with atomic_path(self.output().path) as tmp:
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
        snapshot = pd.read_parquet(self.input().path)
        write_table(top_k(snapshot, self.spec.top_k), self.output().path, TOP_K_COLUMNS)


class Turnover(FingerprintedTask):
    """Remained / returning / newcomers per registry and snapshot, and a per-registry summary.

    `registries` (default: all of the profile's) are those whose snapshots are all at hand, so a
    registry with a missing snapshot leaves the others' rows in place.
    """

    registries = luigi.ListParameter(default=())

    def chosen(self) -> list[str]:
        """The registries of this table, in the figure's panel order."""
        return [r for r in self.spec.registries() if not self.registries or r in self.registries]

    def requires(self) -> dict[str, list[luigi.Task]]:
        return {
            registry: [TopK(profile=self.profile, registry=registry, label=s.label) for s in self.spec.snapshots_of(registry)]
            for registry in self.chosen()
        }

    def output(self) -> dict[str, luigi.LocalTarget]:
        return {"turnover": self.out("tables/turnover.csv"), "summary": self.out("tables/turnover_summary.csv")}

    def run(self) -> None:
        per_registry, summaries = [], []
        for registry, targets in self.input().items():
            labels = [s.label for s in self.spec.snapshots_of(registry)]
            top_sets = [(label, _names(t.path)) for label, t in zip(labels, targets)]
            table = turnover(top_sets)
            per_registry.append(table.assign(registry=registry))
            summaries.append({"registry": registry, **summarise(table, top_sets, self.spec.top_k)})
        write_table(pd.DataFrame(summaries), self.output()["summary"].path, SUMMARY_TABLE_COLUMNS, sort_by=["registry"])
        write_table(
            pd.concat(per_registry), self.output()["turnover"].path, TURNOVER_TABLE_COLUMNS, sort_by=["registry", "snapshot"]
        )


class Figure6(FingerprintedTask):
    """Figure 6 as PNG and PDF, and the plotted numbers as a table."""

    registries = luigi.ListParameter(default=())

    def requires(self) -> Turnover:
        return Turnover(profile=self.profile, registries=self.registries)

    def output(self) -> dict[str, luigi.LocalTarget]:
        return {
            "png": self.out("figures/fig6_turnover.png"),
            "pdf": self.out("figures/fig6_turnover.pdf"),
            "data": self.out("figures/fig6_turnover.data.csv"),
        }

    def run(self) -> None:
        table = read_table(self.input()["turnover"].path)
        figure = figure6(table, self.requires().chosen())
        for kind in ("png", "pdf"):
            save_figure(figure, Path(self.output()[kind].path))
        write_table(plotted_numbers(table), self.output()["data"].path, PLOTTED_COLUMNS)


def _names(path: str) -> frozenset[str]:
    """The names of a top-K table, read as text whatever they look like."""
    return frozenset(pd.read_csv(path, usecols=["name"], dtype=str, keep_default_na=False)["name"])


def complete_registries(profile: Profile, available: frozenset[str]) -> tuple[str, ...]:
    """The registries whose snapshots are all available."""
    return tuple(r for r in profile.registries() if profile.snapshot_inputs(r) <= available)


def roots(profile: Profile, available: frozenset[str]) -> list[luigi.Task]:
    """Each snapshot's top-K table, and Figure 6 of the registries whose snapshots are all at hand."""
    tasks: list[luigi.Task] = [TopK(profile=profile.name, registry=s.registry, label=s.label) for s in profile.snapshots]
    registries = complete_registries(profile, available)
    return tasks + ([Figure6(profile=profile.name, registries=registries)] if registries else [])
