"""`reproduce` and `compare`: run a profile's pipeline, report its claims, check its outputs."""

from __future__ import annotations

import argparse
import json
import logging
import os
import sys
import time
from pathlib import Path

from artifact.availability import STATUS_FILE, InputsStatus, check_inputs, write_status
from artifact.config import Settings
from artifact.preflight import prepare_run
from artifact.errors import ArtifactError, is_input_error
from artifact.expected import compare_outputs, expected_dir
from artifact.profiles import get_profile
from artifact.scheduler import build_options


def reproduce(args: argparse.Namespace) -> int:
    """Run the profile's pipeline and report its claims; the exit code follows the verdicts."""
    settings = Settings.from_env()
    prepare_run(settings, args.profile, args.workers)  # before the slow imports: a bad setting fails at once
    import luigi
    from luigi.execution_summary import LuigiStatusCode

    from tasks import progress
    from tasks.report import RUN_STARTED, Report

    scheduler = build_options(args.scheduler_url)
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
    errors = _task_errors(result.worker)
    for task, error, _ in errors:
        print(f"  {task}: {error}", file=sys.stderr)
    outputs = settings.outputs_root / args.profile
    print(f"outputs in {outputs}")
    if not ok:
        return 2 if any(input_error for _, _, input_error in errors) else 1
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
    from luigi.execution_summary import (
        _summary_dict,  # the partition Luigi's own summary uses
    )

    tasks = _summary_dict(worker)
    failed = sorted(str(t) for t in tasks["failed"] | tasks["upstream_failure"] | tasks["scheduling_error"])
    counts = f"{len(tasks['completed'])} tasks ran, {len(tasks['already_done'])} already complete"
    elsewhere = tasks["run_by_other_worker"] | tasks["upstream_run_by_other_worker"] | tasks["not_run"]
    counts += f", {len(elsewhere)} left to other workers" if elsewhere else ""
    return counts + (f", {len(failed)} failed or blocked: {'; '.join(failed)}" if failed else "")


def _task_errors(worker) -> list[tuple[str, str, bool]]:
    """(task, last line of its error, whether it is an input error) per failed task, as the scheduler recorded them."""
    from luigi.execution_summary import _summary_dict

    errors = []
    for task in sorted(_summary_dict(worker)["failed"], key=str):
        text = worker._scheduler.fetch_error(task.task_id).get("error") or ""
        if text.startswith('"'):  # forked workers hand the traceback over JSON-encoded
            text = json.loads(text)
        lines = [line for line in text.strip().splitlines() if line.strip()]
        errors.append((str(task), lines[-1] if lines else "no error text recorded", is_input_error(text)))
    return errors


def compare(args: argparse.Namespace) -> int:
    """Compare the profile's outputs with expected_outputs, byte for byte."""
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
