"""Settings read from the environment, in one place (`VARIABLES`, listed in the README, the CLI's and
`make help`'s), validated once and passed on: no other module reads the environment.

A value the artifact cannot use is refused with a `SettingsError` naming the variable, what it
holds and what it accepts: a setting that fails open (network allowed by a typo in
ARTIFACT_OFFLINE) or a path that is not a writable folder would otherwise surface later, as a
traceback or as the wrong behaviour.
"""

from __future__ import annotations

import os
import sys
import tempfile
from collections.abc import Mapping, MutableMapping
from dataclasses import dataclass
from pathlib import Path

from artifact.errors import ArtifactError

BOOLEANS = {"1": True, "true": True, "yes": True, "0": False, "false": False, "no": False, "": False}
# Not under outputs/ (which `make clean` removes): live snapshots cannot be taken again.
DEFAULT_SNAPSHOTS = Path("snapshots")
DEFAULT_EXTENDED_BASE = "independent"
DEFAULT_HF_ENDPOINT = "https://huggingface.co"
DEFAULT_GITHUB_API = "https://api.github.com"
DEFAULT_GITHUB_RAW = "https://raw.githubusercontent.com"
DEFAULT_NPM_REGISTRY = "https://registry.npmjs.org"
# Thread and kernel choices of the numeric libraries: never set by the artifact, recorded in the report.
ARROW_POOL = "ARROW_DEFAULT_MEMORY_POOL"  # read by pyarrow when it is first imported
THREAD_SETTINGS = ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS", "NPY_DISABLE_CPU_FEATURES", "OPENBLAS_CORETYPE")


@dataclass(frozen=True)
class Variable:
    """Environment variables of one setting (read here, or by a library as named), their default and meaning."""

    names: tuple[str, ...]
    default: str
    meaning: str


VARIABLES = (
    Variable(("ARTIFACT_OUTPUTS",), "outputs", "root of the outputs folders"),
    Variable(("ARTIFACT_MANIFEST",), "the shipped artifact/inputs/manifest.toml", "another inputs manifest"),
    Variable(("ARTIFACT_CACHE", "XDG_CACHE_HOME"), "$XDG_CACHE_HOME/hf-claims-artifact (else ~/.cache)",
             "verified downloads, by checksum"),
    Variable(("ARTIFACT_MIRROR",), "unset: the deposit's inputs/ folder when there is one, else none",
             "a folder laid out as <host>/<url path> (as `wget -x`) tried before the network"),
    Variable(("ARTIFACT_OFFLINE",), "unset", "1 forbids the network (`snapshot` refuses to run)"),
    Variable(("ARTIFACT_SNAPSHOTS",), "snapshots", "the local snapshots folder and its snapshots.toml (`snapshot`, profile extended)"),
    Variable(("ARTIFACT_EXTENDED_BASE",), "independent", "the profile that `extended` adds the snapshots to"),
    Variable(("HF_ENDPOINT", "HF_TOKEN"), "the public Hub, none", "Hub API and token for `snapshot hf` (the token read by huggingface_hub)"),
    Variable(("npm_config_registry", "NPM_CONFIG_REGISTRY"), DEFAULT_NPM_REGISTRY, "npm registry for `snapshot npm`"),
    Variable(("ARTIFACT_GITHUB_API", "ARTIFACT_GITHUB_RAW", "GITHUB_TOKEN"), "GitHub, none",
             "GitHub API, raw file host and token for `snapshot pypi`"),
    Variable(("ARTIFACT_GIT_COMMIT", "ARTIFACT_IMAGE"), "unset", "the commit and container image the report names when it cannot see them"),
    Variable(("ARTIFACT_CONCLUSION_FILE",), "unset (scripts/exit-code.sh sets it)",
             "where `reproduce` writes what the run verified, for the last line of `make reproduce`"),
    Variable(("SOURCE_DATE_EPOCH",), "the commit's date (the Makefile sets 1719792000)", "the date of the entries of the Zenodo archive"),
    Variable(THREAD_SETTINGS, "unset", "thread and kernel choices of numpy and BLAS, recorded in the report"),
    Variable((ARROW_POOL,), "jemalloc on Linux (set when unset), else Arrow's default", "the memory pool of Arrow's buffers"),
)
ROOT = Path(__file__).resolve().parents[1]  # the checkout, or the unpacked deposit
# An unpacked deposit's inputs, in the mirror layout: the mirror when ARTIFACT_MIRROR is unset.
DEPOSIT_INPUTS = ROOT / "inputs"


class SettingsError(ArtifactError):
    """An environment variable or option holds a value the artifact does not accept."""


def parse_flag(name: str, value: str | None) -> bool:
    """A yes/no variable: 0/1/true/false/yes/no (any case; unset or empty = no); anything else is refused."""
    try:
        return BOOLEANS[(value or "").strip().lower()]
    except KeyError:
        raise SettingsError(
            f"{name}={value!r} is not understood; use one of 0, 1, true, false, yes, no (unset means no)"
        ) from None


def check_workers(workers: int) -> int:
    """The worker count, refused unless at least 1 (0 or -1 would leave every task to nobody)."""
    if workers < 1:
        raise SettingsError(f"WORKERS (--workers) must be a whole number of at least 1, not {workers}")
    return workers


def check_writable_folder(path: Path, name: str) -> None:
    """Refuse `path` (the value of variable `name`) unless it is a folder we can write in, or could be made one.

    Nothing is created: writing is tried (a file made and removed at once) in `path`, or in its
    nearest existing parent, so read-only mounts and permissions are seen as the run would see them,
    also for root.
    """
    existing = next((p for p in (path, *path.absolute().parents) if p.exists()), None)
    if existing is not None and not existing.is_dir():
        raise SettingsError(f"{name}={path} is not usable: {existing} is a file, not a folder; name a folder")
    try:
        with tempfile.TemporaryFile(dir=existing, prefix=".write-test-"):
            pass
    except OSError as error:
        raise SettingsError(
            f"{name}={path} is not a folder this run can write in ({error.strerror or error}); "
            f"make it writable or point {name} at another folder"
        ) from None


@dataclass(frozen=True)
class Settings:
    """Where outputs, the download cache and the mirror live, and whether the network is allowed."""

    outputs_root: Path
    cache_dir: Path
    mirror_dir: Path | None
    offline: bool
    manifest: Path | None  # another inputs manifest instead of the shipped one
    snapshots_dir: Path = DEFAULT_SNAPSHOTS  # `python -m artifact snapshot` files and their snapshots.toml
    extended_base: str = DEFAULT_EXTENDED_BASE  # the profile that `extended` adds the snapshots to
    git_commit: str = ""  # the commit to name when there is no git checkout
    image: str = ""  # the container image to name
    thread_settings: str = ""  # the THREAD_SETTINGS that are set, as `NAME=value, ...`
    conclusion_file: Path | None = None  # where `reproduce` writes its one-line conclusion for scripts/exit-code.sh

    @classmethod
    def from_env(cls, env: dict[str, str] | None = None) -> Settings:
        """Read ARTIFACT_OUTPUTS, ARTIFACT_CACHE, ARTIFACT_MIRROR, ARTIFACT_OFFLINE, ARTIFACT_MANIFEST,
        ARTIFACT_SNAPSHOTS, ARTIFACT_EXTENDED_BASE, ARTIFACT_GIT_COMMIT, ARTIFACT_IMAGE, ARTIFACT_CONCLUSION_FILE and the
        THREAD_SETTINGS."""
        env = dict(os.environ if env is None else env)
        mirror = env.get("ARTIFACT_MIRROR", "").strip()
        manifest = env.get("ARTIFACT_MANIFEST", "").strip()
        return cls(
            outputs_root=Path(env.get("ARTIFACT_OUTPUTS", "outputs")),
            cache_dir=Path(env["ARTIFACT_CACHE"]) if env.get("ARTIFACT_CACHE") else default_cache(env),
            mirror_dir=Path(mirror) if mirror else default_mirror(),
            offline=parse_flag("ARTIFACT_OFFLINE", env.get("ARTIFACT_OFFLINE")),
            manifest=Path(manifest) if manifest else None,
            snapshots_dir=Path(env.get("ARTIFACT_SNAPSHOTS", "").strip() or DEFAULT_SNAPSHOTS),
            extended_base=env.get("ARTIFACT_EXTENDED_BASE", "").strip() or DEFAULT_EXTENDED_BASE,
            git_commit=env.get("ARTIFACT_GIT_COMMIT", ""),
            image=env.get("ARTIFACT_IMAGE", ""),
            thread_settings=", ".join(f"{name}={env[name]}" for name in THREAD_SETTINGS if name in env),
            conclusion_file=Path(env["ARTIFACT_CONCLUSION_FILE"]) if env.get("ARTIFACT_CONCLUSION_FILE") else None,
        )

    def check_writable(self) -> None:
        """Before any task starts: the outputs and cache folders are folders, and writable."""
        check_writable_folder(self.outputs_root, "ARTIFACT_OUTPUTS")
        check_writable_folder(self.cache_dir, "ARTIFACT_CACHE")


@dataclass(frozen=True)
class SnapshotSources:
    """Where `python -m artifact snapshot` reads today's top lists, and the GitHub token (empty: none)."""

    hf_endpoint: str = DEFAULT_HF_ENDPOINT
    github_api: str = DEFAULT_GITHUB_API
    github_raw: str = DEFAULT_GITHUB_RAW
    github_token: str = ""
    npm_registry: str = DEFAULT_NPM_REGISTRY

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> SnapshotSources:
        """Read HF_ENDPOINT, ARTIFACT_GITHUB_API, ARTIFACT_GITHUB_RAW, GITHUB_TOKEN and npm_config_registry (any case)."""
        env = dict(os.environ if env is None else env)
        npm = env.get("npm_config_registry") or env.get("NPM_CONFIG_REGISTRY")
        return cls(
            hf_endpoint=(env.get("HF_ENDPOINT") or DEFAULT_HF_ENDPOINT).rstrip("/"),
            github_api=(env.get("ARTIFACT_GITHUB_API") or DEFAULT_GITHUB_API).rstrip("/"),
            github_raw=(env.get("ARTIFACT_GITHUB_RAW") or DEFAULT_GITHUB_RAW).rstrip("/"),
            github_token=env.get("GITHUB_TOKEN", ""),
            npm_registry=(npm or DEFAULT_NPM_REGISTRY).rstrip("/"),
        )


def child_environment(overrides: Mapping[str, str]) -> dict[str, str]:
    """This process's environment with `overrides`, for a child process (bench and scripts)."""
    return dict(os.environ) | dict(overrides)


def prefer_reusing_arrow_pool(env: MutableMapping[str, str] | None = None) -> None:
    """ARROW_POOL set to jemalloc in `env` (this process's environment when None) on Linux, unless it is set.

    Arrow's default pool on Linux, mimalloc, hands freed memory back to the system at once and takes
    it again for the next buffer, in 2 MB pages the kernel zeroes where transparent huge pages are
    allowed: the listing's renames and frames spent about as many CPU seconds in the kernel as in
    Arrow. jemalloc (in pyarrow's Linux wheels) keeps freed memory for the next buffers: `make
    bench-independent` measured the renames' and frames' CPU seconds a third lower and the pipeline's
    peak memory 730 -> 551 MB. Set at the start of a process (`python -m artifact`, a bench's child),
    before pyarrow is imported; forked workers inherit the pool. Other systems keep Arrow's default.
    """
    env = os.environ if env is None else env
    if sys.platform.startswith("linux"):
        env.setdefault(ARROW_POOL, "jemalloc")


def environment_help() -> str:
    """The `environment:` section of the command line's help: every variable, its default and meaning."""
    lines = [f"  {', '.join(v.names)}\n      {v.meaning} (default: {v.default})" for v in VARIABLES]
    return "environment:\n" + "\n".join(lines)


def source_date_epoch(env: dict[str, str] | None = None) -> int | None:
    """SOURCE_DATE_EPOCH (the file times of reproducible archives) when set, else None."""
    value = dict(os.environ if env is None else env).get("SOURCE_DATE_EPOCH", "").strip()
    if not value:
        return None
    if not value.isdigit():
        raise SettingsError(f"SOURCE_DATE_EPOCH={value!r} is not a whole number of seconds since 1970; set one or unset it")
    return int(value)


def default_mirror() -> Path | None:
    """The mirror when ARTIFACT_MIRROR is unset: an unpacked deposit's `inputs/` folder, if this is one."""
    return DEPOSIT_INPUTS if DEPOSIT_INPUTS.is_dir() else None


def default_cache(env: dict[str, str] | None = None) -> Path:
    """The download cache when ARTIFACT_CACHE is not set: `$XDG_CACHE_HOME/hf-claims-artifact` (else ~/.cache)."""
    env = dict(os.environ if env is None else env)
    return Path(env.get("XDG_CACHE_HOME", Path.home() / ".cache")) / "hf-claims-artifact"
