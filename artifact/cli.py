"""Command line: `python -m artifact reproduce | compare | fetch | verify-data | score-cards | snapshot | ...`.

Failures the user can act on are printed as one message without a traceback (unless --debug);
exit codes: 0 success, 1 a task or a comparison failed, 2 a usage or input error, 3 a claim
DIFFERS from the paper (or, with --strict, could not be checked).
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import sys
import textwrap
import time
from collections import Counter
from pathlib import Path
from typing import TYPE_CHECKING

from artifact.atomic import atomic_path
from artifact.availability import STATUS_FILE, InputsStatus, check_inputs, write_status
from artifact.config import Settings
from artifact.errors import ArtifactError, ChecksumMismatchError
from artifact.expected import compare_outputs, expected_dir
from artifact.profiles import get_profile, profile_names
from artifact.scheduler import build_options
from artifact.snapshots import SOURCES

if TYPE_CHECKING:
    from artifact.inputs.manifest import InputEntry


def _reproduce(args: argparse.Namespace) -> int:
    import luigi
    from luigi.execution_summary import LuigiStatusCode

    from tasks import progress
    from tasks.report import RUN_STARTED, Report

    scheduler = build_options(args.scheduler_url)
    settings = Settings.from_env()
    status = check_inputs(get_profile(args.profile).name, settings)
    _announce_missing(args.profile, status)
    write_status(status, settings.outputs_root / args.profile / STATUS_FILE)
    logging.getLogger("luigi-interface").setLevel(logging.DEBUG if args.debug else logging.CRITICAL)
    progress.restart_clock()
    os.environ[RUN_STARTED] = str(time.time())
    report = Report(profile=args.profile, available=sorted(status.available()))
    result = luigi.build(
        [report],
        workers=args.workers,
        detailed_summary=True,
        log_level="DEBUG" if args.debug else "CRITICAL",
        **scheduler,
    )
    succeeded = [LuigiStatusCode.SUCCESS, LuigiStatusCode.SUCCESS_WITH_RETRY]
    if args.scheduler_url:  # tasks this worker was not granted are another worker's share of the graph
        succeeded.append(LuigiStatusCode.NOT_RUN)
    ok = result.status in succeeded
    print(f"{'OK' if ok else 'FAILED'}: profile {args.profile}: {_task_counts(result.worker)}")
    for task, error in _task_errors(result.worker):
        print(f"  {task}: {error}", file=sys.stderr)
    outputs = settings.outputs_root / args.profile
    print(f"outputs in {outputs}")
    if not ok:
        return 1
    if not _done_here(report, result.worker):
        print(f"the report is left to the worker that runs it (scheduler {args.scheduler_url}); its exit code tells")
        return 0
    code = _claims_exit_code(outputs, strict=args.strict)
    return 0 if args.claims_never_fail else code


def _done_here(task, worker) -> bool:
    """Whether `task` ran or was found complete by this process (not left to another worker)."""
    from luigi.execution_summary import _summary_dict

    tasks = _summary_dict(worker)
    return task in tasks["completed"] | tasks["already_done"]


def _claims_exit_code(outputs: Path, strict: bool) -> int:
    """Print the claims summary; 0 unless a claim DIFFERS or errs (or, when strict, is UNAVAILABLE)."""
    from artifact.report.claims import summary_counts
    from artifact.report.render import summary_line
    from artifact.tables import read_table

    verdicts = read_table(outputs / "tables" / "claims.csv")
    print(f"claims: {summary_line(verdicts)}; report: {outputs / 'REPORT.md'}")
    counts = summary_counts(verdicts)
    failing = counts["DIFFERS"] + counts["ERROR"] + (counts["UNAVAILABLE"] if strict else 0)
    return 3 if failing else 0


def _announce_missing(profile: str, status: InputsStatus) -> None:
    """First lines of a run: which inputs are missing, how to provide them, what still runs."""
    if not status.missing:
        print(f"profile {profile}: all {len(status.paths)} inputs verified")
        return
    print(f"profile {profile}: {len(status.paths)} inputs verified, {len(status.missing)} missing:")
    for input_id, reason in sorted(status.missing.items()):
        print(f"  - {input_id}: {reason}")
    print(
        "  Claims that need them are reported UNAVAILABLE; everything else runs. Provide them through "
        "ARTIFACT_MIRROR or the network (`make fetch`), or run `make reproduce PROFILE=sample` (offline)."
    )


def _task_counts(worker) -> str:
    """'N ran, M already complete, F failed (names)' from Luigi's per-status task sets."""
    from luigi.execution_summary import _summary_dict  # the partition Luigi's own summary uses

    tasks = _summary_dict(worker)
    failed = sorted(str(t) for t in tasks["failed"] | tasks["upstream_failure"] | tasks["scheduling_error"])
    counts = f"{len(tasks['completed'])} tasks ran, {len(tasks['already_done'])} already complete"
    elsewhere = tasks["run_by_other_worker"] | tasks["upstream_run_by_other_worker"] | tasks["not_run"]
    counts += f", {len(elsewhere)} left to other workers" if elsewhere else ""
    return counts + (f", {len(failed)} failed or blocked: {'; '.join(failed)}" if failed else "")


def _compare(args: argparse.Namespace) -> int:
    outputs = Settings.from_env().outputs_root / args.profile
    if not expected_dir(args.profile).is_dir():
        raise ArtifactError(f"profile {args.profile!r} has no archived outputs ({expected_dir(args.profile)}) to compare")
    problems = compare_outputs(outputs, expected_dir(args.profile))
    for problem in problems:
        print(problem)
    print(f"{outputs} {'matches' if not problems else 'DIFFERS from'} {expected_dir(args.profile)}")
    return 1 if problems else 0


def _sample(args: argparse.Namespace) -> int:
    from artifact.inputs.resolve import sha256_of
    from artifact.sample.generate import generate

    for path in generate(args.out):
        print(f"{sha256_of(path)}  sample/data/{path.name}")
    return 0


def _snapshot(args: argparse.Namespace) -> int:
    from artifact.snapshots.http_retry import RetryPolicy
    from artifact.snapshots.take import take_snapshot

    settings = Settings.from_env()
    if settings.offline:
        raise ArtifactError("a snapshot reads live sources: unset ARTIFACT_OFFLINE to take one")
    folder = args.out or settings.snapshots_dir
    policy = RetryPolicy(retries=args.retries, backoff=args.backoff, timeout=args.timeout)
    record = take_snapshot(args.registry, folder, args.top, policy)
    print(f"{record.registry} snapshot {record.id}: {record.count} entries, {record.size} B, sha256 {record.sha256}")
    print(f"  read {record.source} ({record.version or 'live listing'}) at {record.retrieved}")
    print(f"  written to {folder / record.file}, recorded in {folder / 'snapshots.toml'}")
    if record.registry == "hf" and record.count < record.top:
        print(f"  note: {record.top} models asked for, {record.count} distinct ones listed")
    if folder.resolve() != settings.snapshots_dir.resolve():
        print(f"  the extended profile reads {settings.snapshots_dir}: set ARTIFACT_SNAPSHOTS={folder} to use this one")
    return 0


def _profile_inputs(profile: str | None, settings: Settings) -> list[InputEntry]:
    """The manifest's entries used by `profile` (all entries when it is None), in manifest order."""
    from artifact.inputs.manifest import load_manifest

    manifest = load_manifest(settings.manifest)
    entries = list(manifest.values())
    if profile is None:
        return entries
    if profile in profile_names():  # a profile's inputs, with those of its base and its local snapshots
        chosen = list(get_profile(profile).input_entries(manifest).values())
    else:
        chosen = [entry for entry in entries if profile in entry.profiles]
    if not chosen:
        known = sorted({name for entry in entries for name in entry.profiles})
        raise ArtifactError(f"no input of the manifest belongs to profile {profile!r}; known: {', '.join(known)}")
    return chosen


def _fetch(args: argparse.Namespace) -> int:
    from artifact.inputs.resolve import iter_resolve

    settings = Settings.from_env()
    counts: Counter[str] = Counter()
    for result in iter_resolve(_profile_inputs(args.profile, settings), settings):
        entry = result.entry
        if result.path is not None:
            status, checksum = "OK", f"sha256 {result.sha256[:16]}" if result.sha256 else f"{len(entry.members)} files"
            line = f"{entry.id:<27} {result.size:>13,} B  {checksum:<23} from {result.origin:<8} {result.path}"
        elif entry.unavailable:
            status, line = "UNAVAILABLE", f"{entry.id:<27} {entry.unavailable}"
        else:
            status, line = "MISSING", f"{entry.id}\n{textwrap.indent(result.missing, ' ' * 13)}"
        counts[status] += 1
        print(f"{status:<12} {line}", flush=True)
    print(
        f"fetch {args.profile}: {counts['OK']} verified, {counts['MISSING']} missing, "
        f"{counts['UNAVAILABLE']} unavailable (cache {settings.cache_dir}, "
        f"mirror {settings.mirror_dir or 'not set'}, network {'off' if settings.offline else 'allowed'})"
    )
    if counts["MISSING"]:
        print("to get them: put each file at its mirror path above (ARTIFACT_MIRROR), or run where its URL answers")
    return 0 if counts["OK"] == sum(counts.values()) else 1


def _verify_data(args: argparse.Namespace) -> int:
    from artifact.inputs.cache import Cache
    from artifact.inputs.resolve import cache_keys, resolve

    settings = Settings.from_env()
    entries = _profile_inputs(args.profile, settings)
    problems = []
    shipped = [entry for entry in entries if entry.local]
    for entry in shipped:
        try:
            resolve(entry, settings)
        except ChecksumMismatchError as error:
            problems.append(str(error))
    checks = Cache(settings.cache_dir).verify_all(cache_keys(entries, settings) if args.profile else None)
    for check in checks:
        if not check.ok:
            problems.append(
                f"CHANGED {check.path}: expected sha256 {check.expected}, observed {check.observed}; "
                "delete it and run `make fetch` to get the pinned bytes again"
            )
    for problem in problems:
        print(problem)
    scope = f"profile {args.profile}" if args.profile else "all profiles"
    print(
        f"verify-data ({scope}): re-hashed {len(checks)} cached files in {settings.cache_dir} and "
        f"{len(shipped)} package files: {'all match' if not problems else f'{len(problems)} CHANGED'}"
    )
    return 1 if problems else 0


def _data_md(args: argparse.Namespace) -> int:
    from artifact.inputs.datamd import render_data_md
    from artifact.inputs.manifest import load_manifest

    text = render_data_md(load_manifest(Settings.from_env().manifest))
    if args.out is None:
        sys.stdout.write(text)
    else:
        with atomic_path(args.out) as tmp:
            tmp.write_text(text)
    return 0


def _score_cards(args: argparse.Namespace) -> int:
    from artifact.cards.scorer import score_cards
    from artifact.cards.sections import SECTIONS
    from artifact.cards.texts import read_cards
    from artifact.tables import write_table

    cards = read_cards(args.source, args.text_column, args.id_column)
    scored = score_cards(cards["card"]).assign(id=cards["id"])
    write_table(scored, args.out, ["id", *SECTIONS, "sections", "score"], sort_by=["id"])
    shares = ", ".join(f"{section} {scored[section].mean():.0%}" for section in SECTIONS)
    print(f"scored {len(scored)} cards into {args.out}; sections present: {shares}")
    return 0


def _task_errors(worker) -> list[tuple[str, str]]:
    """(task, last line of its error) for each task that failed, as the scheduler recorded them."""
    from luigi.execution_summary import _summary_dict

    errors = []
    for task in sorted(_summary_dict(worker)["failed"], key=str):
        text = worker._scheduler.fetch_error(task.task_id).get("error") or ""
        if text.startswith('"'):  # forked workers hand the traceback over JSON-encoded
            text = json.loads(text)
        lines = [line for line in text.strip().splitlines() if line.strip()]
        errors.append((str(task), lines[-1] if lines else "no error text recorded"))
    return errors


def _zenodo(args: argparse.Namespace) -> int:
    from artifact.inputs.cache import Cache
    from artifact.report.provenance import REPO_ROOT
    from artifact.zenodo import build_deposit, source_files

    files = [(str(p.relative_to(REPO_ROOT)), p) for p in source_files(REPO_ROOT)]
    if args.with_inputs:  # the verified input files only: no links, markers, quarantine or partial downloads
        cache = Cache(Settings.from_env().cache_dir)
        files += [(f"inputs/{p.relative_to(cache.root)}", p) for p, _ in cache.stored_files()]
    digest = build_deposit(files, args.out)
    print(f"{digest}  {args.out} ({len(files)} files + SHA256SUMS)")
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m artifact", description=__doc__.splitlines()[0])
    parser.add_argument("--debug", action="store_true", help="show tracebacks and Luigi's own log")
    commands = parser.add_subparsers(dest="command", required=True)

    reproduce = commands.add_parser("reproduce", help="run the pipeline of a profile")
    reproduce.add_argument("--profile", default="sample", choices=profile_names())
    reproduce.add_argument("--workers", type=int, default=1, help="Luigi worker processes")
    reproduce.add_argument("--strict", action="store_true", help="exit non-zero when a claim is UNAVAILABLE too")
    reproduce.add_argument(
        "--claims-never-fail",
        action="store_true",
        help="exit 0 once the run completed, whatever the claims' verdicts (to check the machinery, not the paper)",
    )
    reproduce.add_argument(
        "--scheduler-url",
        metavar="URL",
        help="a Luigi central scheduler (luigid), e.g. http://HOST:8082, shared by workers on several machines; "
        "default: the in-process scheduler",
    )
    reproduce.set_defaults(handler=_reproduce)

    compare = commands.add_parser("compare", help="compare outputs with expected_outputs, byte for byte")
    compare.add_argument("--profile", default="sample", choices=profile_names())
    compare.set_defaults(handler=_compare)

    sample = commands.add_parser(
        "sample", help="generate the embedded sample's files; prints their sums (artifact/inputs/sample.sha256)"
    )
    sample.add_argument("--out", type=Path, required=True)
    sample.set_defaults(handler=_sample)

    fetch = commands.add_parser("fetch", help="get and verify a profile's inputs (cache, mirror, network)")
    fetch.add_argument("--profile", default="sample", help="a profile named in the inputs manifest")
    fetch.set_defaults(handler=_fetch)

    verify = commands.add_parser("verify-data", help="re-hash every cached input (and the package's own)")
    verify.add_argument("--profile", default=None, help="only the inputs of this profile (default: all)")
    verify.set_defaults(handler=_verify_data)

    data_md = commands.add_parser("data-md", help="write DATA.md, the description of every input, from the manifest")
    data_md.add_argument("--out", type=Path, default=None, help="the file to write (default: standard output)")
    data_md.set_defaults(handler=_data_md)

    zenodo = commands.add_parser("zenodo", help="build the deterministic Zenodo deposit archive")
    zenodo.add_argument("--out", type=Path, default=Path("dist/hf-claims-artifact.tar.gz"))
    zenodo.add_argument("--with-inputs", action="store_true", help="also the verified inputs of the cache")
    zenodo.set_defaults(handler=_zenodo)
    cards = commands.add_parser(
        "score-cards",
        help="score model cards offline with the deterministic scorer (Metric 4's five sections); no API key",
        description="Score every card of a folder of Markdown files, or of a CSV, Parquet or JSON table, "
        "and write one CSV row per card: the five sections (True/False), how many, and the score (= sections / 5).",
    )
    cards.add_argument("source", type=Path, help="a folder of .md files, or a .csv, .parquet, .json or .jsonl table")
    cards.add_argument("--out", type=Path, required=True, help="the CSV to write")
    cards.add_argument("--text-column", help="the table's card text column (default: the first of card, model_card, ...)")
    cards.add_argument("--id-column", help="the table's card id column (default: context_id, modelId, ..., else row number)")
    cards.set_defaults(handler=_score_cards)

    snapshot = commands.add_parser(
        "snapshot", help="take today's top list of a registry into the local snapshots folder (needs the network)"
    )
    snapshot.add_argument("registry", choices=SOURCES)
    snapshot.add_argument(
        "--top",
        type=int,
        help="hf: models to list (default 15000); pypi, npm: fewest entries the list must hold (default 1000)",
    )
    snapshot.add_argument("--out", type=Path, help="snapshots folder (default: ARTIFACT_SNAPSHOTS, else ./snapshots)")
    snapshot.add_argument("--retries", type=int, default=5, help="retries of a rate-limited or failed request")
    snapshot.add_argument("--backoff", type=float, default=1.0, help="first wait between retries, then doubled (s)")
    snapshot.add_argument("--timeout", type=float, default=60.0, help="per-request connect and read timeout (s)")
    snapshot.set_defaults(handler=_snapshot)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return args.handler(args)
    except ArtifactError as error:
        if args.debug:
            raise
        print(f"error: {error}", file=sys.stderr)
        return 2
