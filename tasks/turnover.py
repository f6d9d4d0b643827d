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
from artifact.profiles import Profile, get_profile
from artifact.tables import read_table, write_table
from tasks.base import ProfileTask

TURNOVER_TABLE_COLUMNS = ("registry",) + TURNOVER_COLUMNS
SUMMARY_TABLE_COLUMNS = ("registry",) + SUMMARY_COLUMNS
LEFT_OUT = "no downloads value: left out of the top-K ranking (Metric 2)"


class LoadSnapshot(ProfileTask):
    """One snapshot as a tidy table (`name`, `downloads` or `position`), stored as Parquet."""

    registry = luigi.Parameter()
    label = luigi.Parameter()

    def output(self) -> luigi.LocalTarget:
        return self.out(f"intermediate/snapshots/{self.registry}_{self.label}.parquet")

    def run(self) -> None:
        spec = get_profile(self.profile).snapshot(self.registry, self.label)
        table = SNAPSHOT_LOADERS[spec.loader](self.input_path(spec.input_id))
        write_losses(count_missing(table, spec.input_id, ("downloads",), LEFT_OUT), Path(self.output().path))
        with atomic_path(self.output().path) as tmp:
            table.to_parquet(tmp, index=False)


class TopK(ProfileTask):
    """The top-K table of one snapshot under the documented ranking rule."""

    registry = luigi.Parameter()
    label = luigi.Parameter()

    def requires(self) -> LoadSnapshot:
        return LoadSnapshot(profile=self.profile, registry=self.registry, label=self.label)

    def output(self) -> luigi.LocalTarget:
        return self.out(f"tables/topk/{self.registry}_{self.label}.csv")

    def run(self) -> None:
        snapshot = pd.read_parquet(self.input().path)
        table = top_k(snapshot, get_profile(self.profile).top_k)
        write_table(table, self.output().path, TOP_K_COLUMNS)


class Turnover(ProfileTask):
    """Remained / returning / newcomers per registry and snapshot, and a per-registry summary."""

    def requires(self) -> dict[str, list[TopK]]:
        profile = get_profile(self.profile)
        return {
            registry: [TopK(profile=self.profile, registry=registry, label=s.label) for s in profile.snapshots_of(registry)]
            for registry in profile.registries()
        }

    def output(self) -> dict[str, luigi.LocalTarget]:
        return {"turnover": self.out("tables/turnover.csv"), "summary": self.out("tables/turnover_summary.csv")}

    def run(self) -> None:
        profile = get_profile(self.profile)
        per_registry, summaries = [], []
        for registry, targets in self.input().items():
            labels = [s.label for s in profile.snapshots_of(registry)]
            top_sets = [(label, _names(t.path)) for label, t in zip(labels, targets)]
            table = turnover(top_sets)
            per_registry.append(table.assign(registry=registry))
            summaries.append({"registry": registry, **summarise(table, top_sets, profile.top_k)})
        write_table(pd.DataFrame(summaries), self.output()["summary"].path, SUMMARY_TABLE_COLUMNS, sort_by=["registry"])
        write_table(
            pd.concat(per_registry), self.output()["turnover"].path, TURNOVER_TABLE_COLUMNS, sort_by=["registry", "snapshot"]
        )


class Figure6(ProfileTask):
    """Figure 6 as PNG and PDF, and the plotted numbers as a table."""

    def requires(self) -> Turnover:
        return Turnover(profile=self.profile)

    def output(self) -> dict[str, luigi.LocalTarget]:
        return {
            "png": self.out("figures/fig6_turnover.png"),
            "pdf": self.out("figures/fig6_turnover.pdf"),
            "data": self.out("figures/fig6_turnover.data.csv"),
        }

    def run(self) -> None:
        table = read_table(self.input()["turnover"].path)
        figure = figure6(table, get_profile(self.profile).registries())
        for kind in ("png", "pdf"):
            save_figure(figure, Path(self.output()[kind].path))
        write_table(plotted_numbers(table), self.output()["data"].path, PLOTTED_COLUMNS)


def _names(path: str) -> frozenset[str]:
    """The names of a top-K table, read as text whatever they look like."""
    return frozenset(pd.read_csv(path, usecols=["name"], dtype=str, keep_default_na=False)["name"])


def roots(profile: Profile) -> list[tuple[luigi.Task, frozenset[str]]]:
    """Figure 6 when every snapshot is at hand; each snapshot's top-K table on its own otherwise."""
    snapshot_tasks = [
        (TopK(profile=profile.name, registry=s.registry, label=s.label), frozenset({s.input_id}))
        for s in profile.snapshots
    ]
    return snapshot_tasks + [(Figure6(profile=profile.name), profile.snapshot_inputs())]
