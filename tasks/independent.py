"""Tasks of profiles with renamed ids, Hub listings and card samples (the `independent` profile).

- Metric 2 again with the HF rename rule applied: the links as an auditable table, the top-K
  tables, turnover and its per-registry summary in the latest naming, Figure 6 redrawn;
- the Hub listing as the frames Metrics 1 and 3 take, and those metrics on it (the tasks of
  tasks/peatmoss.py, reading the listing's frames instead of the PeaTMOSS database);
- Metric 4 on a sample of model cards: the deterministic card score, top against bottom third.
"""

from __future__ import annotations

import luigi
import pandas as pd

from artifact.atomic import atomic_path
from artifact.loaders.card_samples import load_card_samples
from artifact.loaders.hub_listing import load_hub_listing, peatmoss_frames
from artifact.metrics.descendants import PARENT_COLUMNS, TOP_PARENT_COLUMNS, parent_popularity, top_parents
from artifact.metrics.documentation import (
    CARD_SAMPLE_COLUMNS,
    STATISTICS_COLUMNS,
    card_sample_scores,
    card_sample_statistics,
)
from artifact.metrics.preservation import PRESERVATION_COLUMNS, preservation
from artifact.metrics.renames import CHAIN_COLUMNS, apply_renames, rename_chain, rename_mapping
from artifact.profiles import Profile, get_profile, snapshot_time
from artifact.tables import read_table, write_table
from tasks.base import ProfileTask
from tasks.peatmoss import LISTING, DescendantFits, Figure5, Figure7, ParentPopularity, Preservation, TopParents
from tasks.turnover import Figure6, LoadSnapshot, TopK, Turnover

LISTING_FRAMES = ("models", "model_libraries", "base_links")  # as artifact/loaders/peatmoss.py returns them
BASE_RENAME_COLUMNS = ("base_model", "renamed_to", "descendants")
LISTING_SUMMARY_COLUMNS = ("quantity", "value")
CARD_SAMPLE_FRACTION = 1 / 3  # Metric 4 on a card sample: top third against bottom third


class RenameLinks(ProfileTask):
    """The rename links between consecutive snapshots of one registry, linked and ambiguous."""

    registry = luigi.Parameter(default="hf")

    def requires(self) -> list[LoadSnapshot]:
        snapshots = get_profile(self.profile).snapshots_of(self.registry)
        return [LoadSnapshot(profile=self.profile, registry=self.registry, label=s.label) for s in snapshots]

    def output(self) -> luigi.LocalTarget:
        return self.out(f"tables/renames/{self.registry}_links.csv")

    def run(self) -> None:
        labels = [s.label for s in get_profile(self.profile).snapshots_of(self.registry)]
        snapshots = [(label, snapshot_time(label), pd.read_parquet(t.path)) for label, t in zip(labels, self.input())]
        links = rename_chain(snapshots)
        write_table(links, self.output().path, CHAIN_COLUMNS, sort_by=["from_snapshot", "legacy_id", "new_id"])


class RenamedSnapshot(ProfileTask):
    """One snapshot with its legacy ids replaced by the ids they moved to later."""

    registry = luigi.Parameter()
    label = luigi.Parameter()

    def requires(self) -> dict[str, luigi.Task]:
        return {
            "snapshot": LoadSnapshot(profile=self.profile, registry=self.registry, label=self.label),
            "links": RenameLinks(profile=self.profile, registry=self.registry),
        }

    def output(self) -> luigi.LocalTarget:
        return self.out(f"intermediate/snapshots_renamed/{self.registry}_{self.label}.parquet")

    def run(self) -> None:
        snapshot = pd.read_parquet(self.input()["snapshot"].path)
        mapping = rename_mapping(read_table(self.input()["links"].path), self.label)
        with atomic_path(self.output().path) as tmp:
            snapshot.assign(name=apply_renames(snapshot["name"], mapping)).to_parquet(tmp, index=False)


class TopKRenamed(TopK):
    """The top-K table of a snapshot in the latest naming."""

    def requires(self) -> RenamedSnapshot:
        return RenamedSnapshot(profile=self.profile, registry=self.registry, label=self.label)

    def output(self) -> luigi.LocalTarget:
        return self.out(f"tables/topk_renamed/{self.registry}_{self.label}.csv")


class TurnoverRenamed(Turnover):
    """Metric 2 with the rename rule applied to the registries whose ids move."""

    def requires(self) -> dict[str, list[TopK]]:
        renames = get_profile(self.profile).rename_registries
        return {
            registry: [TopKRenamed(profile=t.profile, registry=t.registry, label=t.label) for t in tasks]
            if registry in renames
            else tasks
            for registry, tasks in super().requires().items()
        }

    def output(self) -> dict[str, luigi.LocalTarget]:
        return {
            "turnover": self.out("tables/turnover_renamed.csv"),
            "summary": self.out("tables/turnover_renamed_summary.csv"),
        }


class Figure6Renamed(Figure6):
    """Figure 6 redrawn with the rename rule applied."""

    def requires(self) -> TurnoverRenamed:
        return TurnoverRenamed(profile=self.profile)

    def output(self) -> dict[str, luigi.LocalTarget]:
        stem = "figures/fig6_turnover_renamed"
        return {kind: self.out(f"{stem}.{kind}") for kind in ("png", "pdf")} | {"data": self.out(f"{stem}.data.csv")}


class HubListingTables(ProfileTask):
    """The Hub listing as the frames Metrics 1 and 3 take (PeaTMOSS shapes), bases resolved through renames."""

    def requires(self) -> RenameLinks:
        return RenameLinks(profile=self.profile, registry="hf")

    def output(self) -> dict[str, luigi.LocalTarget]:
        frames = {name: self.out(f"intermediate/hub_listing/{name}.parquet") for name in LISTING_FRAMES}
        return frames | {
            "base_renames": self.out("tables/hub_listing/base_model_renames.csv"),
            "summary": self.out("tables/hub_listing/summary.csv"),
        }

    def run(self) -> None:
        listing = load_hub_listing(self.input_path(get_profile(self.profile).input_for("hub-listing")))
        mapping = rename_mapping(read_table(self.input().path))
        links = listing.base_models.assign(base_model=apply_renames(listing.base_models["base_model"], mapping))
        for name, frame in zip(LISTING_FRAMES, peatmoss_frames(listing.models, listing.libraries, links)):
            with atomic_path(self.output()[name].path) as tmp:
                frame.to_parquet(tmp, index=False)
        renamed = listing.base_models.assign(renamed_to=links["base_model"])
        renamed = renamed[renamed["renamed_to"] != renamed["base_model"]]
        counts = renamed.groupby(["base_model", "renamed_to"]).size().reset_index(name="descendants")
        write_table(counts, self.output()["base_renames"].path, BASE_RENAME_COLUMNS, sort_by=["base_model"])
        summary = _listing_summary(listing.models, listing.libraries, links, len(renamed))
        write_table(summary, self.output()["summary"].path, LISTING_SUMMARY_COLUMNS)


def _listing_summary(models: pd.DataFrame, libraries: pd.DataFrame, links: pd.DataFrame, renamed: int) -> pd.DataFrame:
    """Counts that let a reader check the listing's tables at a glance."""
    bases = links["base_model"].drop_duplicates()
    counts = {
        "models": len(models),
        "models with downloads > 0": int((models["downloads"] > 0).sum()),
        "models with a library": libraries["id"].nunique(),
        "model-library pairs": len(libraries),
        "distinct libraries": libraries["library"].nunique(),
        "descendant-base links": len(links),
        "descendants": links["id"].nunique(),
        "base models": len(bases),
        "base models listed as models": int((pd.Index(models["id"]).get_indexer(bases) >= 0).sum()),
        "base-model links resolved through renames": renamed,
    }
    return pd.DataFrame({"quantity": list(counts), "value": list(counts.values())})


class ListingPreservation(Preservation):
    """Metric 1, both variants, from the Hub listing's frames."""

    def requires(self) -> HubListingTables:
        return HubListingTables(profile=self.profile)

    def run(self) -> None:
        table = preservation(_frame(self.input(), "model_libraries"), _frame(self.input(), "base_links"))
        write_table(table, self.output().path, PRESERVATION_COLUMNS, sort_by=["variant", "rank"])


class ListingFigure5(Figure5):
    """Figure 5 from the Hub listing."""

    def requires(self) -> ListingPreservation:
        return ListingPreservation(profile=self.profile)


class ListingTopParents(TopParents):
    """The parent models with the most direct descendants, from the Hub listing."""

    def requires(self) -> HubListingTables:
        return HubListingTables(profile=self.profile)

    def run(self) -> None:
        write_table(top_parents(_frame(self.input(), "base_links")), self.output().path, TOP_PARENT_COLUMNS)


class ListingParentPopularity(ParentPopularity):
    """Per base model of the Hub listing: descendants and downloads, per popularity variant."""

    def requires(self) -> HubListingTables:
        return HubListingTables(profile=self.profile)

    def run(self) -> None:
        table = parent_popularity(_frame(self.input(), "models"), _frame(self.input(), "base_links"))
        write_table(table, self.output().path, PARENT_COLUMNS, sort_by=list(PARENT_COLUMNS))


class ListingDescendantFits(DescendantFits):
    """The three fits of Metric 3 on the Hub listing."""

    def requires(self) -> ListingParentPopularity:
        return ListingParentPopularity(profile=self.profile, source=LISTING)


class ListingFigure7(Figure7):
    """Figure 7 from the Hub listing."""

    def requires(self) -> dict[str, luigi.Task]:
        return {
            "parents": ListingParentPopularity(profile=self.profile, source=LISTING),
            "fits": ListingDescendantFits(profile=self.profile, source=LISTING),
        }


class CardSampleStatistics(ProfileTask):
    """Metric 4 on a card sample: each card's sections and score, and top against bottom third."""

    def output(self) -> dict[str, luigi.LocalTarget]:
        return {"scores": self.out("tables/m4_card_scores.csv"), "statistics": self.out("tables/m4_statistics.csv")}

    def run(self) -> None:
        sample = load_card_samples(self.input_path(get_profile(self.profile).input_for("cards")))
        scores = card_sample_scores(sample.cards)
        write_table(scores, self.output()["scores"].path, CARD_SAMPLE_COLUMNS, sort_by=["id"])
        statistics = card_sample_statistics(scores, CARD_SAMPLE_FRACTION)
        write_table(statistics, self.output()["statistics"].path, STATISTICS_COLUMNS)


def _frame(targets: dict[str, luigi.LocalTarget], name: str) -> pd.DataFrame:
    """One of the listing's frames written by HubListingTables."""
    return pd.read_parquet(targets[name].path)


def roots(profile: Profile) -> list[tuple[luigi.Task, frozenset[str]]]:
    """Metric 2 with renames for profiles that name rename registries; Metrics 1 and 3 on a Hub
    listing (its bases resolved through the HF renames); Metric 4 on a card sample."""
    result: list[tuple[luigi.Task, frozenset[str]]] = [
        (RenameLinks(profile=profile.name, registry=registry), profile.snapshot_inputs(registry))
        for registry in profile.rename_registries
    ]
    if profile.rename_registries:
        result.append((Figure6Renamed(profile=profile.name), profile.snapshot_inputs()))
    if listing := profile.input_for("hub-listing"):
        needs = profile.snapshot_inputs("hf") | {listing}
        result += [
            (ListingFigure5(profile=profile.name), needs),
            (ListingTopParents(profile=profile.name), needs),
            (ListingFigure7(profile=profile.name, source=LISTING), needs),
        ]
    if cards := profile.input_for("cards"):
        result.append((CardSampleStatistics(profile=profile.name), frozenset({cards})))
    return result
