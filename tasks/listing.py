"""The Hub listing read once per run: its pages become the tidy tables Metrics 1, 2 and 3 take."""

from __future__ import annotations

import luigi

from artifact.atomic import atomic_path
from tasks.base import FingerprintedTask, InputFile

LISTING_TABLES = ("models", "libraries", "base_models")  # as artifact/loaders/hub_listing.py names them


class HubListing(FingerprintedTask):
    """One Hub listing input (a file or the 760 pages) as Parquet: models, libraries, base-model links."""

    input_id = luigi.Parameter()

    def requires(self) -> InputFile:
        return InputFile(profile=self.profile, input_id=self.input_id)

    def output(self) -> dict[str, luigi.LocalTarget]:
        return {name: self.out(f"intermediate/hub_listing/{self.input_id}/{name}.parquet") for name in LISTING_TABLES}

    def run(self) -> None:
        from artifact.loaders.hub_listing import load_hub_listing

        listing = load_hub_listing(self.input().path)
        for name in LISTING_TABLES:
            with atomic_path(self.output()[name].path) as tmp:
                getattr(listing, name).to_parquet(tmp, index=False)
