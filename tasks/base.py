"""What every task shares: the run's settings, the profile, inputs as tasks, fingerprinted completeness.

Settings come from the `[artifact]` section of the Luigi configuration: `python -m artifact`
fills it once from its arguments and the environment (artifact/config.py); a plain `luigi`
command reads it from luigi.cfg or `--artifact-<field>` options. Tasks read no environment.
"""

from __future__ import annotations

import dataclasses
import functools
import hashlib
import json
import sys
import time
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING

import luigi

from artifact.atomic import atomic_path
from artifact.config import Settings, default_cache, default_mirror
from artifact.errors import ChecksumMismatchError, InputMissingError
from artifact.fingerprint import CHECKOUT, CodeDigests, FileDigests, Fingerprint, checkout_key, why_different
from artifact.inputs.manifest import InputEntry, load_manifest
from artifact.inputs.resolve import Resolved, iter_resolve
from artifact.profiles import DEFAULT_PROFILE, Profile, get_profile

if TYPE_CHECKING:
    from matplotlib.figure import Figure

FINGERPRINTS = "run/fingerprints"  # one sidecar per task: what its outputs were made from
FIGURE_KINDS = ("png", "pdf")  # every figure is written in both
FETCH_RECORDS = "run/inputs"  # FetchInput's record of an input this run could not get
CODE_DIGESTS = "derived/code-digests"  # under the download cache: the latest run's code digests, one record per checkout
CODE_DIGESTS_MAX = 2**24  # bytes: a larger record is not read (it is made again)
# Luigi priorities, for one worker's order only (never the outputs): the tasks the witness's children start from run
# first, the witness's tasks and those after them last, so that those children run beside the rest (artifact/authors/early.py).
EARLY, LATE = 10, -10


class artifact(luigi.Config):  # noqa: N801 - the class name is the luigi.cfg section `[artifact]`
    """The run's settings (artifact/config.py names each); empty means the default."""

    outputs_root = luigi.Parameter(default="outputs")
    cache_dir = luigi.Parameter(default="")
    mirror_dir = luigi.Parameter(default="")
    offline = luigi.BoolParameter(default=False)
    manifest = luigi.Parameter(default="")
    snapshots_dir = luigi.Parameter(default="snapshots")
    extended_base = luigi.Parameter(default="independent")
    git_commit = luigi.Parameter(default="")
    image = luigi.Parameter(default="")
    thread_settings = luigi.Parameter(default="")

    def settings(self) -> Settings:
        """These values as the frozen Settings the library functions take."""
        return _settings(
            self.outputs_root, self.cache_dir, self.mirror_dir, self.offline, self.manifest, self.snapshots_dir,
            self.extended_base, (self.git_commit, self.image, self.thread_settings),
        )


@functools.cache
def _settings(
    outputs: str, cache: str, mirror: str, offline: bool, manifest: str, snapshots: str, base: str, facts: tuple[str, str, str]
) -> Settings:
    return Settings(
        outputs_root=Path(outputs),
        cache_dir=Path(cache) if cache else default_cache(),
        mirror_dir=Path(mirror) if mirror else default_mirror(),
        offline=offline,
        manifest=Path(manifest) if manifest else None,
        snapshots_dir=Path(snapshots),
        extended_base=base,
        git_commit=facts[0],
        image=facts[1],
        thread_settings=facts[2],
    )


def configure(settings: Settings) -> None:
    """Make `settings` the `[artifact]` section every task of this process (and its workers) reads."""
    config = luigi.configuration.get_config()
    values = {
        "outputs_root": settings.outputs_root,
        "cache_dir": settings.cache_dir,
        "mirror_dir": settings.mirror_dir or "",
        "offline": settings.offline,
        "manifest": settings.manifest or "",
        "snapshots_dir": settings.snapshots_dir,
        "extended_base": settings.extended_base,
        "git_commit": settings.git_commit,
        "image": settings.image,
        "thread_settings": settings.thread_settings,
    }
    for key, value in values.items():
        config.set("artifact", key, str(value))
    luigi.task_register.Register.clear_instance_cache()  # tasks and configs made before see old values


@functools.cache
def _profile(name: str, settings: Settings) -> Profile:
    return get_profile(name, settings)


@functools.cache
def _manifest(path: Path | None) -> dict[str, InputEntry]:
    return load_manifest(path)


def code_record(cache_dir: Path) -> Path:
    """Where the code digests of this checkout and Python are kept: in the download cache, so that a run into an empty
    outputs folder reuses them too (CodeDigests trusts a record only for its own module, Python and checkout)."""
    key = hashlib.sha256(f"{CHECKOUT}\n{sys.version}".encode()).hexdigest()[:16]
    return cache_dir / CODE_DIGESTS / f"{key}.json"


@functools.cache
def code_digests(record: Path) -> CodeDigests:
    """The code digests recorded at `record` (code_record), read once per process; none when unreadable."""
    try:
        with record.open("rb") as handle:
            text = handle.read(CODE_DIGESTS_MAX + 1)
        record = json.loads(text) if len(text) <= CODE_DIGESTS_MAX else None
    except (OSError, ValueError):
        record = None
    return CodeDigests(record)


def save_code_digests(record: Path, tasks: Iterable[luigi.Task]) -> None:
    """Record at `record` (code_record) the code digests of `tasks` (a run's graph; computed now where this process has
    not), for the next run to reuse."""
    digests = code_digests(record)
    for task in tasks:
        if isinstance(task, FingerprintedTask):
            digests.code(type(task))
    digests.lock()
    if digests.changed:
        with atomic_path(record) as tmp:
            tmp.write_text(digests.to_json())


def start_early(stale: Iterable[luigi.Task]) -> None:
    """Let each task of `stale` (those a run in this one process will run) begin its slow work beside the others."""
    for task in stale:
        if isinstance(task, FingerprintedTask):
            task.start_early()


class ProfileTask(luigi.Task):
    """A task of one profile; its outputs live under `<outputs root>/<profile>/`."""

    profile = luigi.Parameter(default=DEFAULT_PROFILE, description=f"the profile to run (default: {DEFAULT_PROFILE}, the paper's)")

    @property
    def settings(self) -> Settings:
        """The run's settings (read once per task object)."""
        if getattr(self, "_settings", None) is None:
            self._settings = artifact().settings()
        return self._settings

    @property
    def spec(self) -> Profile:
        """The profile this task belongs to."""
        return _profile(self.profile, self.settings)

    @property
    def root(self) -> Path:
        """This profile's output folder."""
        return self.settings.outputs_root / self.profile

    def out(self, relative: str) -> luigi.LocalTarget:
        """A target at `relative` under this profile's output folder."""
        return luigi.LocalTarget(str(self.root / relative))

    def figure_out(self, stem: str, data: bool = True) -> dict[str, luigi.LocalTarget]:
        """The PNG and PDF targets of the figure at `stem` (no suffix), and its plotted numbers as `data` unless told not."""
        targets = {kind: self.out(f"{stem}.{kind}") for kind in FIGURE_KINDS}
        return targets | {"data": self.out(f"{stem}.data.csv")} if data else targets

    def save_figure(self, figure: Figure) -> None:
        """Save `figure` to this task's PNG and PDF outputs, from one layout."""
        from artifact.figures.style import save_figure

        save_figure(figure, [Path(self.output()[kind].path) for kind in FIGURE_KINDS])

    def profile_inputs(self) -> list[InputFile]:
        """The input task of every manifest input of this profile, by id."""
        entries = self.spec.input_entries(_manifest(self.settings.manifest))
        return [InputFile(profile=self.profile, input_id=input_id) for input_id in sorted(entries)]

    def input_file(self, role: str) -> InputFile:
        """The input task of the manifest input playing `role` in this profile."""
        input_id = self.spec.input_for(role)
        if input_id is None:
            raise InputMissingError(f"profile {self.profile!r} names no input for the role {role!r}")
        return InputFile(profile=self.profile, input_id=input_id)


class InputFile(ProfileTask, luigi.ExternalTask):
    """One manifest input of the profile; its output is the verified file (or folder of a set).

    Complete when the verified bytes are in the cache (or, shipped in the package, match their pin);
    never run: FetchInput, a task the scheduler runs, brings them from the mirror or the network. An
    input is available exactly when this task is complete.
    """

    input_id = luigi.Parameter()

    def entry(self) -> InputEntry:
        """The input's manifest entry."""
        entries = self.spec.input_entries(_manifest(self.settings.manifest))
        if self.input_id not in entries:
            raise InputMissingError(
                f"profile {self.profile!r} has no input {self.input_id!r}; check ARTIFACT_MANIFEST (and ARTIFACT_SNAPSHOTS)"
            )
        return entries[self.input_id]

    def resolved(self) -> Resolved | None:
        """The input as at hand (cache or package), without mirror, network or reading it; None if not."""
        if getattr(self, "_resolved", None) is None:
            local_only = dataclasses.replace(self.settings, mirror_dir=None, offline=True)
            try:
                self._resolved = _resolve(self.entry(), local_only, rehash=False)
            except InputMissingError:
                return None
        return self._resolved

    def verified(self) -> Resolved:
        """The input's bytes hashed against their pin in this process (a changed cached file is fetched again)."""
        if getattr(self, "_verified", None) is None:
            self._verified = _resolve(self.entry(), self.settings)
        return self._verified

    def complete(self) -> bool:
        return self.resolved() is not None

    def output(self) -> luigi.LocalTarget:
        """What a task reads: the verified bytes (hashed now) when at hand, else where they will be."""
        if self.resolved() is None:
            return luigi.LocalTarget(str(self.settings.cache_dir / "pending" / self.input_id))
        return luigi.LocalTarget(str(self.verified().path))

    def digest(self) -> str:
        """sha256 of the verified bytes (a set: of its list of member names and sha256)."""
        found = self.resolved()
        if found is None:
            raise InputMissingError(f"input {self.input_id} is not available")
        if found.sha256:
            return found.sha256
        listing = "".join(f"{m.name}\t{m.sha256}\n" for m in found.entry.members)
        return hashlib.sha256(listing.encode()).hexdigest()


class FetchInput(ProfileTask):
    """Bring one input into the cache from the mirror or the network; a missing input is recorded, not a failure.

    Complete when the input is at hand, or when a try made since this run began (`started`) recorded why
    it is missing (`run/inputs/<id>.json`, with the time of the try), so that the report runs without it
    and says so. The try may be another process's: `started` is not significant, so processes sharing a
    central scheduler share this task, and the one that ran it has tried for all. A checksum mismatch
    fails the task.
    """

    input_id = luigi.Parameter()
    started = luigi.FloatParameter(default=0.0, significant=False, description="epoch seconds the run began")

    def input_task(self) -> InputFile:
        """The input, as the tasks that read it require it."""
        return InputFile(profile=self.profile, input_id=self.input_id)

    def output(self) -> luigi.LocalTarget:
        """Why the input is missing, as this run found (absent while it is at hand)."""
        return self.out(f"{FETCH_RECORDS}/{self.input_id}.json")

    def complete(self) -> bool:
        try:
            at_hand = self.input_task().complete()
        except ChecksumMismatchError:  # changed bytes: left to run(), which fails naming them
            return False
        tried = self._record().get("tried")
        return at_hand or (isinstance(tried, (int, float)) and tried >= self.started)

    def run(self) -> None:
        path = Path(self.output().path)
        try:
            self.input_task().verified()
        except InputMissingError as error:
            with atomic_path(path) as tmp:
                tmp.write_text(json.dumps({"tried": time.time(), "missing": str(error)}, indent=2) + "\n")
        else:
            path.unlink(missing_ok=True)

    def missing(self) -> str:
        """Why the input is not at hand: as the latest try recorded it, else that it was not fetched yet."""
        return self._record().get("missing") or f"input {self.input_id} is not available: not fetched yet (`make fetch`)"

    def _record(self) -> dict:
        path = Path(self.output().path)
        try:
            return json.loads(path.read_text()) if path.is_file() else {}
        except (OSError, ValueError):  # a record cut short is no record: the input is tried again
            return {}


def _resolve(entry: InputEntry, settings: Settings, rehash: bool = True) -> Resolved:
    """The verified bytes of `entry` (see `iter_resolve` for `rehash`); InputMissingError when there are none."""
    found = next(iter_resolve([entry], settings, rehash=rehash))
    if found.path is None:
        raise InputMissingError(found.missing)
    return found


class FingerprintedTask(ProfileTask):
    """A task whose outputs count only while the fingerprint they were made from equals today's."""

    def fingerprint(self, digests: FileDigests) -> Fingerprint:
        """Today's fingerprint: the digests of what this task reads, its code, the lock, its parameters."""
        inputs = {}
        for task in luigi.task.flatten(self.requires()):
            if isinstance(task, InputFile):
                inputs[f"input:{task.input_id}"] = task.digest()
            elif isinstance(task, FetchInput):  # what it brought is the InputFile's digest
                continue
            else:
                for target in luigi.task.flatten(task.output()):
                    inputs[self._relative(target.path)] = digests.digest(Path(target.path))
        for path in self.read_files():
            inputs[checkout_key(path)] = digests.digest(path)
        params = dict(self.to_str_params(only_significant=True))
        code = code_digests(code_record(self.settings.cache_dir))
        return Fingerprint(inputs, code.code(type(self)), code.lock(), params)

    def start_early(self) -> None:
        """Begin in the background, at the start of a run that will run this task, slow work its `run` takes over (none here)."""

    def read_files(self) -> list[Path]:
        """Files of the checkout this task reads besides its requirements' outputs (claims, the review)."""
        return []

    def sidecar(self) -> Path:
        return self.root / FINGERPRINTS / f"{self.task_id}.json"

    def stale_reason(self) -> str:
        """Why this task would run ("" when complete): missing output, input, code or parameters changed."""
        outputs = [Path(t.path) for t in luigi.task.flatten(self.output())]
        missing = [str(path) for path in outputs if not path.exists()]
        if missing:
            return "missing output: " + self._relative(missing[0])
        try:
            stored = json.loads(self.sidecar().read_text())
        except (OSError, ValueError):
            return "no fingerprint recorded"
        digests = FileDigests(stored.get("stats"))
        for path in outputs:
            if stored.get("outputs", {}).get(self._relative(path)) != digests.digest(path):
                return "output changed since it was made: " + self._relative(path)
        if any(not task.complete() for task in luigi.task.flatten(self.requires())):
            return "an input is not complete"
        return why_different(stored, self.fingerprint(digests))

    def complete(self) -> bool:
        """Outputs present and made from today's fingerprint (a True answer holds for this process)."""
        if not getattr(self, "_complete", False):
            self._complete = self.stale_reason() == ""
        return self._complete

    def record_fingerprint(self) -> None:
        """Store what the outputs were just made from, next to them (run/fingerprints/)."""
        digests = FileDigests()
        today = self.fingerprint(digests)
        outputs = {self._relative(t.path): digests.digest(Path(t.path)) for t in luigi.task.flatten(self.output())}
        record = dataclasses.replace(today, outputs=outputs)
        with atomic_path(self.sidecar()) as tmp:
            tmp.write_text(record.to_json(digests.known))

    def _relative(self, path: str) -> str:
        return str(Path(path).relative_to(self.root)) if Path(path).is_relative_to(self.root) else str(path)


@FingerprintedTask.event_handler(luigi.Event.SUCCESS)
def _record(task: FingerprintedTask) -> None:
    task.record_fingerprint()
