"""Take one snapshot: read the live source, check the file with its loader, record it in the folder."""

from __future__ import annotations

import importlib
from datetime import UTC, datetime
from functools import partial
from pathlib import Path

from artifact.config import SnapshotSources
from artifact.errors import ArtifactError
from artifact.loaders.registry import SNAPSHOT_LOADERS
from artifact.registries import registry as registry_record
from artifact.registries import snapshot_sources
from artifact.snapshots.http_retry import RetryPolicy, SnapshotError
from artifact.snapshots.store import Fetched, SnapshotRecord, store


def take_snapshot(
    registry: str, folder: Path, top: int | None, policy: RetryPolicy, sources: SnapshotSources
) -> SnapshotRecord:
    """Read `registry`'s source (where `sources` say) now and add the snapshot to `folder`; nothing is recorded on failure."""
    import huggingface_hub

    if registry not in snapshot_sources():
        raise ArtifactError(f"no snapshot source for {registry!r}; sources: {', '.join(snapshot_sources())}")
    record = registry_record(registry)
    # hf: models to list (the paper's population for Metrics 3 and 4). pypi, npm: the published list is
    # kept whole, as published; `top` is the fewest entries it must hold (Metric 2's top K).
    top = record.default_top if top is None else top
    if top < 1:
        raise ArtifactError(f"--top must be at least 1, not {top}")
    retrieved = datetime.now(UTC).replace(microsecond=0)
    fetched = importlib.import_module(f"artifact.snapshots.{record.snapshot_source}").fetch(top, policy, sources)
    count_entries = partial(_count_entries, fetched=fetched, top=top)
    return store(folder, fetched, top, retrieved, count_entries, huggingface_hub.__version__)


def _count_entries(path: Path, fetched: Fetched, top: int) -> int:
    """Entries in the file as its loader reads them; unreadable, empty or (pypi, npm) short is an error."""
    try:
        count = len(SNAPSHOT_LOADERS[fetched.format](path))
    except ArtifactError as error:
        raise SnapshotError(
            f"{fetched.source} is not in the {fetched.format} form ({error}); nothing was written"
        ) from None
    fewest = 1 if fetched.registry == "hf" else top
    if count < fewest:
        raise SnapshotError(f"{fetched.source} lists {count} entries, fewer than {fewest}; nothing was written")
    return count
