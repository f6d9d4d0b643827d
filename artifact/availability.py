"""Which inputs of a profile can be had: verified ones by path, missing ones with the reason.

The pipeline runs every task whose inputs are all available and reports the rest UNAVAILABLE;
a checksum mismatch is not "missing" and stops the run.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from artifact.atomic import atomic_path
from artifact.config import Settings
from artifact.inputs.lockfile import lock_path, read_lock
from artifact.inputs.manifest import load_manifest
from artifact.inputs.resolve import Resolved, iter_resolve

STATUS_FILE = "inputs.json"


@dataclass(frozen=True)
class InputsStatus:
    """Per input of a profile: how it was resolved (a verified path, or why it is missing)."""

    results: dict[str, Resolved]
    locked_sha256: dict[str, str]  # sha256 recorded in the lock file for git-blob-pinned inputs

    @property
    def paths(self) -> dict[str, Path]:
        return {k: r.path for k, r in self.results.items() if r.path is not None}

    @property
    def missing(self) -> dict[str, str]:
        return {k: r.missing for k, r in self.results.items() if r.path is None}

    def available(self) -> frozenset[str]:
        """Ids of the inputs whose verified bytes are on disk."""
        return frozenset(self.paths)

    def to_json(self) -> str:
        """Sorted, stable JSON for `outputs/<profile>/inputs.json` (read by the report)."""
        records = {}
        for input_id, result in sorted(self.results.items()):
            entry = result.entry
            record = {
                "url": entry.url or (f"artifact/inputs/{entry.fileset}" if entry.fileset else f"artifact/{entry.local}"),
                "sha256": entry.sha256 or self.locked_sha256.get(input_id, ""),
                "git_blob": entry.git_blob,
                "status": "available" if result.path is not None else "missing",
            }
            if entry.fileset:
                record["files"] = len(entry.members)
                record["sha256"] = f"per file, in artifact/inputs/{entry.fileset}"
            if result.path is None:
                record["reason"] = result.missing
            records[input_id] = record
        return json.dumps(records, indent=2, sort_keys=True) + "\n"


def check_inputs(profile: str, settings: Settings) -> InputsStatus:
    """Resolve every manifest input of `profile`, collecting the missing ones instead of failing."""
    entries = [e for _, e in sorted(load_manifest(settings.manifest).items()) if profile in e.profiles]
    results = {result.entry.id: result for result in iter_resolve(entries, settings)}
    locked = {k: record.sha256 for k, record in read_lock(lock_path(settings)).items()}
    return InputsStatus(results, locked)


def write_status(status: InputsStatus, path: Path) -> None:
    """Write the status file atomically."""
    with atomic_path(path) as tmp:
        tmp.write_text(status.to_json())
