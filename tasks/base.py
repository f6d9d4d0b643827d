"""What every task shares: the profile parameter and outputs under `outputs/<profile>/`."""

from __future__ import annotations

from pathlib import Path

import luigi

from artifact.config import Settings
from artifact.errors import InputMissingError
from artifact.inputs.manifest import load_manifest
from artifact.inputs.resolve import resolve
from artifact.profiles import get_profile


class ProfileTask(luigi.Task):
    """A task of one profile; its outputs live under `<outputs root>/<profile>/`."""

    profile = luigi.Parameter()

    def out(self, relative: str) -> luigi.LocalTarget:
        """A target at `relative` under this profile's output folder."""
        return luigi.LocalTarget(str(Settings.from_env().outputs_root / self.profile / relative))

    def input_path(self, input_id: str) -> Path:
        """The verified local path of input `input_id` of this task's profile."""
        settings = Settings.from_env()
        entries = get_profile(self.profile).input_entries(load_manifest(settings.manifest))
        if input_id not in entries:
            raise InputMissingError(
                f"profile {self.profile!r} has no input {input_id!r}; check ARTIFACT_MANIFEST (and ARTIFACT_SNAPSHOTS)"
            )
        return resolve(entries[input_id], settings)
