"""`reproduce` and `compare`: run a profile's pipeline, report its claims, check its outputs."""

from __future__ import annotations

import argparse
import functools
import gc
import importlib
import json
import logging
import os
import shutil
import sys
import textwrap
import time
from pathlib import Path

from artifact.atomic import read_record
from artifact.config import Settings
from artifact.errors import ArtifactError, failure_exit_code
from artifact.expected import expected_dir
from artifact.platform_info import PLATFORM_RECORD, write_platform
from artifact.preflight import prepare_run
from artifact.profiles import get_profile
from artifact.report.statements import check_registry

LUIGI_CFG = Path(__file__).resolve().parents[2] / "luigi.cfg"  # the settings the CLI relies on, shipped
HASHED_WHEN_READ = "(each hashed against its pin before a task reads it)"
# What tasks import when they run: imported once before Luigi forks its workers (--workers 2 or more), not in each task process.
FORKED_IMPORTS = ("numpy", "pandas", "pyarrow.parquet", "scipy.stats", "matplotlib.figure", "jinja2")


def reproduce(args: argparse.Namespace) -> int:
    """Run the profile's pipeline and report its claims; the exit code follows the verdicts."""
    settings = Settings.from_env()
    prepare_run(settings, args.profile, args.workers)  # before the slow imports: bad settings fail at once
    check_registry(expected_dir(get_profile(args.profile, settings).claims_profile()))  # bad claims fail before any task
    import luigi
    from luigi.execution_summary import LuigiStatusCode

    from artifact.authors import early
    from artifact.scheduler import build_options
    from tasks import progress
    from tasks.base import InputFile, code_record, configure, save_code_digests, start_early
    from tasks.graph import mermaid
    from tasks.pipeline import Report

    if LUIGI_CFG.is_file():
        luigi.configuration.add_config_path(str(LUIGI_CFG))
    configure(settings)
    report = Report(profile=args.profile, started=time.time())
    if args.dag:  # the graph as the inputs at hand make it: drawing it fetches nothing
        print(mermaid(report), end="")
        return 0
    scheduler = build_options(args.scheduler_url)
    logging.getLogger("luigi-interface").setLevel(logging.DEBUG if args.debug else logging.CRITICAL)
    shutil.rmtree(report.root / progress.ERRORS, ignore_errors=True)
    build = functools.partial(
        luigi.build, workers=args.workers, detailed_summary=True, log_level="DEBUG" if args.debug else "CRITICAL", **scheduler
    )
    fetched = build(report.fetch_tasks())  # the scheduler brings the inputs first, so the report knows which it has
    if fetched.status not in (LuigiStatusCode.SUCCESS, LuigiStatusCode.SUCCESS_WITH_RETRY, LuigiStatusCode.NOT_RUN):
        return failure_exit_code(read_record(path) for path in (report.root / progress.ERRORS).glob("*.txt"))
    _announce_missing(args.profile, report)
    before = _stale(report)
    if args.dry_run:
        return _print_plan(before)
    if any(before.values()):  # the platform of a run that computes; a run with nothing to do keeps that record
        write_platform(report.root / PLATFORM_RECORD, settings.thread_settings)
    in_process = args.workers == 1 and not args.scheduler_url  # every task runs here: slow work may begin early, beside them
    if in_process:
        start_early(task for task, why in before.items() if why)  # the authors' PDFs
        early.enable(len(os.sched_getaffinity(0)) - 1)  # the witness's children, once their inputs are complete
    elif args.workers > 1 and any(before.values()):  # imported once before Luigi forks; a no-op run imports none of them
        for name in FORKED_IMPORTS:
            importlib.import_module(name)
        gc.freeze()  # and frozen: the forked workers' collections would touch, and so copy, their pages (0.6 s of CPU a sample run)
    token = progress.restart_clock()
    try:
        result = build([report])
    finally:
        early.close()
    save_code_digests(code_record(report.settings.cache_dir), before)  # a run's workers compute them in their own processes
    succeeded = [LuigiStatusCode.SUCCESS, LuigiStatusCode.SUCCESS_WITH_RETRY]
    if args.scheduler_url:  # tasks this worker was not granted are another worker's share of the graph
        succeeded.append(LuigiStatusCode.NOT_RUN)
    ok = result.status in succeeded
    ran, failed, elsewhere = _outcome(before, report.root / progress.ERRORS, progress.ran_here(report.root, token))
    complete = [task for task, why in before.items() if not why]
    inputs = sum(isinstance(task, InputFile) for task in complete)
    counts = run_counts(len(ran), len(complete) - inputs, inputs)
    counts += f", {len(elsewhere)} left to other workers" if elsewhere and args.scheduler_url else ""
    if failed or (elsewhere and not args.scheduler_url):
        blocked = sorted(str(t) for t in set(failed) | (set() if args.scheduler_url else elsewhere))
        counts += f", {len(blocked)} failed or blocked: {'; '.join(blocked)}"
    print(f"{'OK' if ok else 'FAILED'}: profile {args.profile}: {counts}")
    for task, error in sorted(failed.items(), key=lambda item: str(item[0])):
        print(f"  {task}: {error}", file=sys.stderr)
    print(f"outputs in {report.root}")
    if not ok:
        return failure_exit_code(read_record(path) for path in (report.root / progress.ERRORS).glob("*.txt"))
    if not report.complete():
        print(f"the report is left to the worker that runs it (scheduler {args.scheduler_url}); its exit code tells")
        return 0
    code, verified = _claims_exit_code(Path(report.output()["summary"].path), report.root, strict=args.strict)
    if args.claims_never_fail and code:  # the exit code no longer tells the claims apart: the last line must
        from artifact.report.claims import EXIT_CODES

        overridden = f"--claims-never-fail: every task ran, but the claims alone would exit {code} ({EXIT_CODES[code]})"
        verified = "; ".join(filter(None, [overridden, verified]))
        print(overridden)
        code = 0
    if verified and settings.conclusion_file:  # scripts/exit-code.sh puts it on the last line
        settings.conclusion_file.write_text(verified + "\n")
    return code


def run_counts(ran: int, up_to_date: int, inputs: int) -> str:
    """What a run did, in words: "52 tasks ran, 15 inputs at hand"; "0 tasks ran, 52 were up to date, ..."."""
    parts = [f"{ran} task{'' if ran == 1 else 's'} ran"]
    if up_to_date:
        parts.append(f"{up_to_date} {'was' if up_to_date == 1 else 'were'} up to date")
    if inputs:
        parts.append(f"{inputs} input{'' if inputs == 1 else 's'} at hand")
    return ", ".join(parts)


def _stale(report) -> dict:
    """Every task of the report's graph with why it would run ("" when it is complete)."""
    from tasks.base import FetchInput, FingerprintedTask
    from tasks.graph import graph

    reasons = {}
    for task in graph([report]):
        if isinstance(task, FetchInput):  # already run: what it brought is its InputFile's
            continue
        if isinstance(task, FingerprintedTask):  # complete() keeps a True answer: each task's check is made once
            reasons[task] = "" if task.complete() else task.stale_reason()
        else:
            reasons[task] = "" if task.complete() else "input not yet fetched"
    return reasons


def _print_plan(reasons: dict) -> int:
    """`--dry-run`: one line per task that would run, with why; then the count of complete ones."""
    stale = {task: why for task, why in reasons.items() if why}
    for task, why in sorted(stale.items(), key=lambda item: str(item[0])):
        print(f"would run {task}: {why}")
    print(f"{len(stale)} tasks would run, {len(reasons) - len(stale)} are complete")
    return 0


def _outcome(before: dict, errors: Path, ran_ids: set[str]) -> tuple[list, dict, set]:
    """(tasks that ran here, {failed task: its error}, tasks left to others or blocked without an error here)."""
    ran, failed, elsewhere = [], {}, set()
    for task, why in before.items():
        if not why:
            continue
        if task.task_id in ran_ids:
            ran.append(task)
        elif (errors / f"{task.task_id}.txt").is_file():
            lines = (errors / f"{task.task_id}.txt").read_text(errors="replace").strip().splitlines()
            failed[task] = lines[-1] if lines else "its error could not be recorded (is the outputs disk full?)"
        else:
            elsewhere.add(task)
    return ran, failed, elsewhere


def _claims_exit_code(summary_file: Path, outputs: Path, strict: bool) -> tuple[int, str]:
    """Print the claims summary the report recorded and what was verified; (0, 3 when a claim fails or 4 when nothing
    was recomputed; the one-line conclusion)."""
    from artifact.report.claims import exit_code

    summary = json.loads(read_record(summary_file))  # a report output: its digest was checked with the others
    print(f"claims: {summary['summary']}; report: {outputs / 'REPORT.md'}")
    if summary["conclusion"]:
        print(summary["conclusion"])
    return exit_code(summary["counts"], strict), summary["conclusion"]


def _announce_missing(profile: str, report) -> None:
    """First lines of a run: which inputs are missing, how to provide them, what still runs."""
    status = report.inputs_status()
    missing = [s for s in status if not s.available]
    if not missing:
        print(f"profile {profile}: all {len(status)} inputs at hand {HASHED_WHEN_READ}")
        return
    print(f"profile {profile}: {len(status) - len(missing)} inputs at hand {HASHED_WHEN_READ}, {len(missing)} missing.")
    never = {item.task.input_id: item.task.entry().unavailable for item in missing if item.task.entry().unavailable}
    fetchable = [item.task.input_id for item in missing if item.task.input_id not in never]
    if fetchable:
        print(f"  `make fetch PROFILE={profile}` gets {len(fetchable)} (and prints each URL, checksum and mirror path):")
        print(textwrap.fill(", ".join(fetchable), 100, initial_indent="    ", subsequent_indent="    ", break_on_hyphens=False))
    if never:
        print(f"  {len(never)} cannot be had:")
        for input_id, why in never.items():
            print(f"    {input_id}: {why}")
    print(
        "  Claims that need them are reported UNAVAILABLE; everything else runs. "
        "`make reproduce PROFILE=sample` runs offline."
    )


def compare(args: argparse.Namespace) -> int:
    """Compare the profile's outputs with expected_outputs; nothing to compare is an error, never a match."""
    from artifact.expected import comparable, compare_outputs, expected_dir, variant_note

    outputs = Settings.from_env().outputs_root / args.profile
    if not expected_dir(args.profile).is_dir() or not comparable(expected_dir(args.profile)):
        raise ArtifactError(
            f"nothing to compare: profile {args.profile!r} has no archived outputs or verdicts in {expected_dir(args.profile)}"
        )
    if not outputs.is_dir():
        raise ArtifactError(
            f"nothing to compare: {outputs} does not exist; run `make reproduce PROFILE={args.profile}` first "
            "(with the same ARTIFACT_OUTPUTS)"
        )
    problems = compare_outputs(outputs, expected_dir(args.profile))
    if note := variant_note(outputs, expected_dir(args.profile)):
        print(f"note: {note}")
    for problem in problems:
        print(problem)
    print(f"{outputs} {'matches' if not problems else 'DIFFERS from'} {expected_dir(args.profile)}")
    return 1 if problems else 0
