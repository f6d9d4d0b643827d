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
from artifact.errors import InputMissingError
from artifact.inputs.manifest import InputEntry, load_manifest
from artifact.inputs.resolve import resolve
from artifact.profiles import get_profile

STATUS_FILE = "inputs.json"


@dataclass(frozen=True)
class InputsStatus:
    """Per input of a profile: its manifest entry, and its local path or why it is missing."""

    entries: dict[str, InputEntry]
    paths: dict[str, Path]
    missing: dict[str, str]

    def available(self) -> frozenset[str]:
        """Ids of the inputs whose verified bytes are on disk."""
        return frozenset(self.paths)

    def to_json(self) -> str:
        """Sorted, stable JSON for `outputs/<profile>/inputs.json` (read by the report)."""
        records = {}
        for input_id, entry in sorted(self.entries.items()):
            record = {"url": entry.location, "sha256": entry.sha256, "git_blob": entry.git_blob}
            if input_id in self.paths:
                record["status"] = "available"
            else:
                record.update(status="missing", reason=self.missing[input_id])
            records[input_id] = record
        return json.dumps(records, indent=2, sort_keys=True) + "\n"


def check_inputs(profile: str, settings: Settings) -> InputsStatus:
    """Resolve every manifest input of `profile`, collecting the missing ones instead of failing."""
    entries = get_profile(profile).input_entries(load_manifest(settings.manifest))
    paths, missing = {}, {}
    for input_id, entry in sorted(entries.items()):
        try:
            paths[input_id] = resolve(entry, settings)
        except InputMissingError as error:
            missing[input_id] = str(error)
    return InputsStatus(entries, paths, missing)


def write_status(status: InputsStatus, path: Path) -> None:
    """Write the status file atomically."""
    with atomic_path(path) as tmp:
        tmp.write_text(status.to_json())
