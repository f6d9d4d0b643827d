"""`reproduce` and `compare`: run a profile's pipeline, report its claims, check its outputs."""

from __future__ import annotations

import argparse
import logging
import os
import shutil
import sys
import time
from pathlib import Path

from artifact.config import Settings
from artifact.errors import ArtifactError, failure_exit_code
from artifact.expected import expected_dir
from artifact.platform_info import PLATFORM_RECORD, write_platform
from artifact.preflight import prepare_run
from artifact.profiles import get_profile
from artifact.report.statements import check_registry

LUIGI_CFG = Path(__file__).resolve().parents[2] / "luigi.cfg"  # the settings the CLI relies on, shipped
CONCLUSION_FILE = "ARTIFACT_CONCLUSION_FILE"  # where scripts/exit-code.sh reads what the run verified
HASHED_WHEN_READ = "(each hashed against its pin before a task reads it)"


def reproduce(args: argparse.Namespace) -> int:
    """Run the profile's pipeline and report its claims; the exit code follows the verdicts."""
    prepare_run(Settings.from_env(), args.profile, args.workers)  # before the slow imports: bad settings fail at once
    check_registry(expected_dir(get_profile(args.profile).claims_profile()))  # bad claims fail before any task
    import luigi
    from luigi.execution_summary import LuigiStatusCode

    from artifact.scheduler import build_options
    from tasks import progress
    from tasks.base import configure
    from tasks.graph import mermaid
    from tasks.pipeline import Report

    if LUIGI_CFG.is_file():
        luigi.configuration.add_config_path(str(LUIGI_CFG))
    settings = Settings.from_env()
    configure(settings)
    report = Report(profile=args.profile, started=time.time())
    if args.dag:
        print(mermaid(report), end="")
        return 0
    _announce_missing(args.profile, report)
    before = _stale(report)
    if args.dry_run:
        return _print_plan(before)
    scheduler = build_options(args.scheduler_url)
    write_platform(report.root / PLATFORM_RECORD)
    logging.getLogger("luigi-interface").setLevel(logging.DEBUG if args.debug else logging.CRITICAL)
    shutil.rmtree(report.root / progress.ERRORS, ignore_errors=True)
    token = progress.restart_clock()
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
    ran, failed, elsewhere = _outcome(before, report.root / progress.ERRORS, progress.ran_here(report.root, token))
    counts = f"{len(ran)} tasks ran, {len(before) - len(ran) - len(failed) - len(elsewhere)} already complete"
    counts += f", {len(elsewhere)} left to other workers" if elsewhere and args.scheduler_url else ""
    if failed or (elsewhere and not args.scheduler_url):
        blocked = sorted(str(t) for t in set(failed) | (set() if args.scheduler_url else elsewhere))
        counts += f", {len(blocked)} failed or blocked: {'; '.join(blocked)}"
    print(f"{'OK' if ok else 'FAILED'}: profile {args.profile}: {counts}")
    for task, error in sorted(failed.items(), key=lambda item: str(item[0])):
        print(f"  {task}: {error}", file=sys.stderr)
    print(f"outputs in {report.root}")
    if not ok:
        return failure_exit_code(path.read_text() for path in (report.root / progress.ERRORS).glob("*.txt"))
    if not report.complete():
        print(f"the report is left to the worker that runs it (scheduler {args.scheduler_url}); its exit code tells")
        return 0
    code = _claims_exit_code(report.root, strict=args.strict, synthetic=report.spec.synthetic)
    return 0 if args.claims_never_fail else code


def _stale(report) -> dict:
    """Every task of the report's graph with why it would run ("" when it is complete)."""
    from tasks.base import FingerprintedTask
    from tasks.graph import graph

    reasons = {}
    for task in graph([report]):
        if isinstance(task, FingerprintedTask):
            reasons[task] = task.stale_reason()
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
            failed[task] = (errors / f"{task.task_id}.txt").read_text().strip().splitlines()[-1]
        else:
            elsewhere.add(task)
    return ran, failed, elsewhere


def _claims_exit_code(outputs: Path, strict: bool, synthetic: bool) -> int:
    """Print the claims summary and what was verified; 0, 3 when a claim fails, 4 when nothing was recomputed."""
    from artifact.report.claims import exit_code, summary_counts
    from artifact.report.render import summary_line
    from artifact.report.verdicts import WITNESS
    from artifact.report.view import conclusion
    from artifact.tables import read_table

    verdicts = read_table(outputs / "tables" / "claims.csv")
    print(f"claims: {summary_line(verdicts, synthetic)}; report: {outputs / 'REPORT.md'}")
    verified = conclusion(verdicts, synthetic)
    if verified:
        print(verified)
        if note := os.environ.get(CONCLUSION_FILE):  # scripts/exit-code.sh puts it on the last line
            Path(note).write_text(verified + "\n")
    return exit_code(summary_counts(verdicts[verdicts["kind"] != WITNESS]), strict)  # the authors' code on our bytes never sets it


def _announce_missing(profile: str, report) -> None:
    """First lines of a run: which inputs are missing, how to provide them, what still runs."""
    status = report.inputs_status()
    missing = [s for s in status if not s.available]
    if not missing:
        print(f"profile {profile}: all {len(status)} inputs at hand {HASHED_WHEN_READ}")
        return
    print(f"profile {profile}: {len(status) - len(missing)} inputs at hand {HASHED_WHEN_READ}, {len(missing)} missing:")
    for item in missing:
        print(f"  - {item.task.input_id}: {item.missing}")
    print(
        "  Claims that need them are reported UNAVAILABLE; everything else runs. Provide them through "
        "ARTIFACT_MIRROR or the network (`make fetch`), or run `make reproduce PROFILE=sample` (offline)."
    )


def compare(args: argparse.Namespace) -> int:
    """Compare the profile's outputs with expected_outputs, byte for byte."""
    from artifact.expected import compare_outputs, expected_dir

    outputs = Settings.from_env().outputs_root / args.profile
    if not expected_dir(args.profile).is_dir():
        raise ArtifactError(
            f"profile {args.profile!r} has no archived outputs ({expected_dir(args.profile)}) to compare"
        )
    problems = compare_outputs(outputs, expected_dir(args.profile))
    for problem in problems:
        print(problem)
    print(f"{outputs} {'matches' if not problems else 'DIFFERS from'} {expected_dir(args.profile)}")
    return 1 if problems else 0
