"""Facts about the run for the report: code version, interpreter, packages, container, resources."""

from __future__ import annotations

import hashlib
import platform
import resource
import subprocess
import sys
from importlib import metadata
from pathlib import Path

from artifact.authors.sandbox import isolation_available, r_version
from artifact.config import Settings
from artifact.platform_info import numeric_platform

PACKAGES = ("luigi", "pandas", "numpy", "pyarrow", "scipy", "matplotlib", "requests", "huggingface_hub", "pooch", "sqlalchemy", "progress")
REPO_ROOT = Path(__file__).resolve().parents[2]


def git_commit(given: str) -> str:
    """The artifact's git commit (with `-dirty` for local changes), else `given` (ARTIFACT_GIT_COMMIT), or unknown."""
    if (REPO_ROOT / ".git").exists():
        try:
            commit = subprocess.run(
                ["git", "-C", str(REPO_ROOT), "describe", "--always", "--dirty", "--abbrev=40"],
                capture_output=True, text=True, check=True, timeout=10,
            ).stdout.strip()
            if commit:
                return commit
        except (OSError, subprocess.SubprocessError):
            pass
    return given or "unknown (no git checkout)"


def container(image: str) -> str:
    """The container image when running inside one (`image`, from ARTIFACT_IMAGE, or detected), else 'none'."""
    if image:
        return image
    if Path("/run/.containerenv").exists() or Path("/.dockerenv").exists():
        return "a container (image name not given: set ARTIFACT_IMAGE)"
    return "none (host)"


def peak_memory_mib() -> float:
    """Peak resident memory of the calling process, in MiB (Linux reports KiB).

    Called by each task as it ends, in the process that ran it (a forked worker or the main one),
    so that the report can take the largest over the whole run: RUSAGE_CHILDREN in a worker does
    not see its siblings, and the main process reaps the workers only after the report is written.
    """
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def lock_sha256() -> str:
    """sha256 of requirements.lock, the hash-locked environment the run is meant to use."""
    lock = REPO_ROOT / "requirements.lock"
    return hashlib.sha256(lock.read_bytes()).hexdigest() if lock.is_file() else "no requirements.lock next to the package"


def package_versions() -> dict[str, str]:
    """The installed version of each of PACKAGES."""
    versions = {}
    for package in PACKAGES:
        try:
            versions[package] = metadata.version(package)
        except metadata.PackageNotFoundError:
            versions[package] = "not installed"
    return versions


def environment(settings: Settings) -> dict[str, str]:
    """Code version, interpreter, platform, package versions and the numeric platform, as printable strings."""
    facts = {
        "artifact commit": git_commit(settings.git_commit),
        "python": sys.version.split()[0],
        "platform": platform.platform(),
        "container": container(settings.image),
        "R (the witness runs analysis.r)": r_version(),
        "witness sandbox": "network and mount namespaces" if isolation_available() else "Python guards only (not root or no unshare)",
    }
    return facts | package_versions() | numeric_platform(settings.thread_settings)
