"""What a run checks and tidies before any task starts: its settings, and leftovers of killed runs."""

from __future__ import annotations

from artifact.atomic import remove_stale
from artifact.config import Settings, check_workers
from artifact.profiles import get_profile


def prepare_run(settings: Settings, profile: str, workers: int) -> None:
    """Refuse unusable settings (SettingsError, exit 2) and a profile that cannot be built (a snapshots folder
    with a bad entry: ArtifactError, exit 2); remove stale temporary files and folders of the profile's outputs."""
    check_workers(workers)
    settings.check_writable()
    get_profile(profile, settings)
    outputs = settings.outputs_root / profile
    removed = remove_stale(outputs)
    if removed:
        print(f"removed {len(removed)} temporary file(s) or folder(s) left by an interrupted run under {outputs}")
