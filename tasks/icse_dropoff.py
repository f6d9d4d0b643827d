"""Downloads by rank (the ICSE 2023 brief's drop-off), and per HF snapshot the share of downloads in the top N."""

from __future__ import annotations

import luigi
import pandas as pd

from artifact.figures.fig_icse_dropoff import figure_dropoff
from artifact.metrics.icse_dropoff import CONCENTRATION_COLUMNS, CURVE_COLUMNS, concentration, rank_curve
from artifact.profiles import Profile, snapshot_time
from artifact.tables import write_table
from tasks.base import FingerprintedTask
from tasks.m2_turnover import LoadSnapshot

CURVE_TABLE_COLUMNS = ("registry", "snapshot") + CURVE_COLUMNS
SUMMARY_COLUMNS = (
    "registry", "snapshot", "counts", "listed", "top1", "at_100", "at_1000", "ratio_100", "ratio_1000", "pypi_snapshot", "top1_to_pypi",
)
CONCENTRATION_TABLE_COLUMNS = ("registry", "snapshot") + CONCENTRATION_COLUMNS
COUNTED = ("hf", "pypi")  # registries whose lists carry download counts; npm's are ranked names only
NPM_NOTE = "npm: the top lists here are ranked names without download counts, so npm has no curve."


class DownloadDropoff(FingerprintedTask):
    """Rank-downloads curves of the HF and PyPI snapshots, their summary, and the figure."""

    def requires(self) -> dict[tuple[str, str], LoadSnapshot]:
        return {
            (s.registry, s.label): LoadSnapshot(profile=self.profile, registry=s.registry, label=s.label)
            for s in self.spec.snapshots
            if s.registry in COUNTED
        }

    def output(self) -> dict[str, luigi.LocalTarget]:
        return {
            "curves": self.out("tables/icse_dropoff.csv"),
            "summary": self.out("tables/icse_dropoff_summary.csv"),
            **self.figure_out("figures/icse_dropoff", data=False),
        }

    def run(self) -> None:
        profile = self.spec
        curves, summary = [], []
        for (registry, label), targets in sorted(self.input().items()):
            snapshot = pd.read_parquet(targets["table"].path)
            curve = rank_curve(snapshot).assign(registry=registry, snapshot=label)
            curves.append(curve)
            summary.append(_summary(registry, label, curve))
        summary = _against_pypi(summary)
        if any(s.registry == "npm" for s in profile.snapshots):
            summary += [{"registry": "npm", "snapshot": s.label, "counts": "none: ranked names only"} for s in profile.snapshots_of("npm")]
        table = pd.concat(curves, ignore_index=True) if curves else pd.DataFrame(columns=list(CURVE_TABLE_COLUMNS))
        write_table(table, self.output()["curves"].path, CURVE_TABLE_COLUMNS, sort_by=["registry", "snapshot", "rank"])
        write_table(pd.DataFrame(summary).reindex(columns=list(SUMMARY_COLUMNS)), self.output()["summary"].path, SUMMARY_COLUMNS, sort_by=["registry", "snapshot"])
        figure = figure_dropoff(table, NPM_NOTE if any(s.registry == "npm" for s in profile.snapshots) else "")
        self.save_figure(figure)


class DownloadConcentration(FingerprintedTask):
    """One HF snapshot: the share of all its downloads held by its top N, and the downloads at rank N."""

    label = luigi.Parameter()

    def requires(self) -> LoadSnapshot:
        return LoadSnapshot(profile=self.profile, registry="hf", label=self.label)

    def output(self) -> luigi.LocalTarget:
        return self.out(f"tables/download_concentration/hf_{self.label}.csv")

    def run(self) -> None:
        top_n = self.spec.param("concentration_top_n")
        row = {"registry": "hf", "snapshot": self.label, **concentration(pd.read_parquet(self.input()["table"].path), top_n)}
        write_table(pd.DataFrame([row]), self.output().path, CONCENTRATION_TABLE_COLUMNS)


def _summary(registry: str, label: str, curve: pd.DataFrame) -> dict:
    """Top-1 downloads, downloads at ranks 100 and 1000, and their ratios to the top (the drop-off)."""
    at = dict(zip(curve["rank"], curve["downloads"]))
    top = at.get(1, float("nan"))
    return {
        "registry": registry, "snapshot": label, "counts": "30-day downloads", "listed": int(curve["rank"].max()) if len(curve) else 0,
        "top1": top, "at_100": at.get(100), "at_1000": at.get(1000),
        "ratio_100": at[100] / top if 100 in at else None, "ratio_1000": at[1000] / top if 1000 in at else None,
    }


def _against_pypi(summary: list[dict]) -> list[dict]:
    """Each HF row with the PyPI snapshot nearest in date, and its top-1 downloads as a share of PyPI's top 1."""
    pypi = {row["snapshot"]: row["top1"] for row in summary if row["registry"] == "pypi"}
    for row in summary:
        if row["registry"] == "hf" and pypi:
            nearest = min(pypi, key=lambda label: (abs((snapshot_time(label) - snapshot_time(row["snapshot"])).days), label))
            row.update(pypi_snapshot=nearest, top1_to_pypi=row["top1"] / pypi[nearest])
    return summary


def roots(profile: Profile, available: frozenset[str]) -> list[luigi.Task]:
    """The drop-off once the profile's HF and PyPI snapshots are all at hand; the top-N share per HF snapshot."""
    needs = frozenset(s.input_id for s in profile.snapshots if s.registry in COUNTED)
    result: list[luigi.Task] = [DownloadDropoff(profile=profile.name)] if needs and needs <= available else []
    return result + [DownloadConcentration(profile=profile.name, label=s.label) for s in profile.snapshots_of("hf")]
