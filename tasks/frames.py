"""The model frames Metrics 1 and 3 take, from one source: the PeaTMOSS database or a Hub listing.

Both sources give the same three tables (artifact/loaders/peatmoss.py shapes): `models`,
`model_libraries`, `base_links`. The listing's base models are resolved through the HF renames
first, and two audit tables say what that changed (tables/hub_listing/).
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import luigi

from artifact.atomic import atomic_path
from artifact.profiles import HUB_LISTING_ROLE
from tasks.base import FingerprintedTask
from tasks.listing import HubListing
from tasks.m2_renames import RenameLinks

if TYPE_CHECKING:
    import pandas as pd

DATABASE, LISTING = "database", "listing"
FRAME_SOURCES = (DATABASE, LISTING)
SOURCE_ROLES = {DATABASE: "peatmoss", LISTING: HUB_LISTING_ROLE}
FRAMES = ("models", "model_libraries", "base_links")  # as artifact/loaders/peatmoss.py returns them
BASE_RENAME_COLUMNS = ("base_model", "renamed_to", "descendants")
LISTING_SUMMARY_COLUMNS = ("quantity", "value")


class ModelFrames(FingerprintedTask):
    """Models, their libraries and their base-model links from one source, as Parquet."""

    source = luigi.ChoiceParameter(choices=FRAME_SOURCES)

    def requires(self) -> luigi.Task | dict[str, luigi.Task]:
        if self.source == DATABASE:
            return self.input_file(SOURCE_ROLES[DATABASE])
        listing = self.input_file(HUB_LISTING_ROLE).input_id
        return {"listing": HubListing(profile=self.profile, input_id=listing), "renames": RenameLinks(profile=self.profile)}

    def output(self) -> dict[str, luigi.LocalTarget]:
        frames = {name: self.out(f"intermediate/model_frames/{self.source}/{name}.parquet") for name in FRAMES}
        if self.source == LISTING:
            frames |= {"base_renames": self.out("tables/hub_listing/base_model_renames.csv"),
                       "summary": self.out("tables/hub_listing/summary.csv")}
        return frames

    def run(self) -> None:
        from artifact.loaders.peatmoss import load_base_links, load_model_libraries, load_models

        if self.source == DATABASE:
            path = Path(self.input().path)
            frames = (load_models(path), load_model_libraries(path), load_base_links(path))
        else:
            frames = self._listing_frames()
        for name, frame in zip(FRAMES, frames):
            with atomic_path(self.output()[name].path) as tmp:
                frame.to_parquet(tmp, index=False)

    def _listing_frames(self) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
        """The listing's frames, bases resolved through the renames; writes the two audit tables."""
        import pandas as pd

        from artifact.loaders.hub_listing import peatmoss_frames
        from artifact.metrics.m2_renames import apply_renames, rename_mapping
        from artifact.tables import read_table, write_table

        tables = {name: pd.read_parquet(target.path) for name, target in self.input()["listing"].items()}
        models, libraries, base_models = tables["models"], tables["libraries"], tables["base_models"]
        mapping = rename_mapping(read_table(self.input()["renames"].path))
        links = base_models.assign(base_model=apply_renames(base_models["base_model"], mapping))
        renamed = base_models.assign(renamed_to=links["base_model"])
        renamed = renamed[renamed["renamed_to"] != renamed["base_model"]]
        counts = renamed.groupby(["base_model", "renamed_to"]).size().reset_index(name="descendants")
        write_table(counts, self.output()["base_renames"].path, BASE_RENAME_COLUMNS, sort_by=["base_model"])
        summary = _listing_summary(models, libraries, links, len(renamed))
        write_table(summary, self.output()["summary"].path, LISTING_SUMMARY_COLUMNS)
        return peatmoss_frames(models, libraries, links)


def _listing_summary(models: pd.DataFrame, libraries: pd.DataFrame, links: pd.DataFrame, renamed: int) -> pd.DataFrame:
    """Counts that let a reader check the listing's tables at a glance."""
    import pandas as pd

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


def frame_sources(profile) -> list[str]:
    """The sources of model frames this profile has: the database and/or a Hub listing."""
    return [source for source in FRAME_SOURCES if profile.input_for(SOURCE_ROLES[source])]


def frame(targets: dict[str, luigi.LocalTarget], name: str) -> pd.DataFrame:
    """One of the model frames written by ModelFrames."""
    import pandas as pd

    return pd.read_parquet(targets[name].path)
