"""Command line: `python -m artifact reproduce | compare | fetch | verify-data | score-cards | snapshot | ...`.

Failures the user can act on are printed as one message without a traceback (unless --debug);
exit codes: 0 success, 1 a task or a comparison failed, 2 a usage or input error, 3 a claim
DIFFERS from the paper (or, with --strict, could not be checked).
"""

from __future__ import annotations

import argparse
import gc
import sys
from pathlib import Path
from typing import NoReturn

from artifact.atomic import DISK_FULL
from artifact.cli import inputs, run, tools
from artifact.config import ROOT, Settings, environment_help
from artifact.errors import ArtifactError
from artifact.profiles import DEFAULT_PROFILE, profile_names
from artifact.registries import snapshot_sources

PROFILE_HELP = f"(default: {DEFAULT_PROFILE}, the paper's; sample runs offline in a minute)"
EXIT_CODES = """exit codes:
  0  success
  1  a task or a comparison failed
  2  a usage or input error (a checksum mismatch included)
  3  a claim DIFFERS from the paper (or, with --strict, could not be checked)
  4  nothing verified: no claim was recomputed from data (inputs missing; transcriptions do not count)"""
ENVIRONMENT = environment_help()
EXAMPLES = f"""examples:
  python -m artifact reproduce                            # the default profile, {DEFAULT_PROFILE} (the paper's inputs)
  python -m artifact reproduce --profile sample           # offline, seconds
  python -m artifact reproduce --profile sample --dry-run # what would run, and why
  python -m artifact reproduce --profile sample --dag     # the task graph (Mermaid)
  python -m artifact compare --profile sample             # outputs vs expected_outputs
  ARTIFACT_MIRROR=../shared/mirror python -m artifact fetch --profile independent"""


def _version() -> str:
    """The installed package's version (pyproject.toml)."""
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("hf-claims-artifact")
    except PackageNotFoundError:
        return "unknown (not installed)"


class _VersionAction(argparse.Action):
    """`--version`: the command and the installed package's version, looked up only when asked (it costs a run 40 ms)."""

    def __init__(self, option_strings: list[str], dest: str = argparse.SUPPRESS, help: str | None = None) -> None:
        super().__init__(option_strings, dest=dest, default=argparse.SUPPRESS, nargs=0, help=help)

    def __call__(self, parser: argparse.ArgumentParser, namespace: argparse.Namespace, values: object, option_string: str | None = None) -> None:
        print(f"{parser.prog} {_version()}")
        parser.exit()


def invoked_as(argv0: str) -> str:
    """The command as the user typed it: `python -m artifact`, or the console script's name (hf-claims-artifact)."""
    name = Path(argv0).name
    return "python -m artifact" if name in ("__main__.py", "") else name


def build_parser(prog: str = "python -m artifact") -> argparse.ArgumentParser:
    """The argument parser of every subcommand, its usage and --version naming `prog`."""
    parser = argparse.ArgumentParser(
        prog=prog,
        description=__doc__.splitlines()[0],
        epilog="\n\n".join((EXAMPLES, EXIT_CODES, ENVIRONMENT)),
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action=_VersionAction, help="show the program's version number and exit")
    parser.add_argument("--debug", action="store_true", help="show tracebacks and Luigi's own log")
    commands = parser.add_subparsers(dest="command", required=True)

    reproduce = commands.add_parser(
        "reproduce",
        help=f"run the pipeline of a profile (default: {DEFAULT_PROFILE})",
        description="Run every task of the profile whose inputs are available, then check its claims and write "
        "the report. A task reruns when its outputs are missing or were made from other inputs, code, lock file or "
        "parameters than today's (see --dry-run).",
        epilog="\n\n".join((EXAMPLES, EXIT_CODES, ENVIRONMENT)),
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    reproduce.add_argument("--profile", default=DEFAULT_PROFILE, choices=profile_names(), help=PROFILE_HELP)
    reproduce.add_argument("--workers", type=int, default=1, help="Luigi worker processes")
    reproduce.add_argument("--strict", action="store_true", help="exit non-zero when a claim is UNAVAILABLE too")
    reproduce.add_argument(
        "--claims-never-fail",
        action="store_true",
        help="exit 0 once the run completed, whatever the claims' verdicts (to check the machinery, not the paper)",
    )
    reproduce.add_argument(
        "--dry-run",
        "--explain",
        action="store_true",
        help="print each task that would run and why (missing output, input, code or parameters changed); run nothing",
    )
    reproduce.add_argument("--dag", action="store_true", help="print the task graph as Mermaid text; run nothing")
    reproduce.add_argument(
        "--scheduler-url",
        metavar="URL",
        help="a Luigi central scheduler (luigid), e.g. http://HOST:8082, shared by workers on several machines; "
        "default: the in-process scheduler",
    )
    reproduce.set_defaults(handler=run.reproduce)

    compare = commands.add_parser("compare", help="compare outputs with expected_outputs, byte for byte")
    compare.add_argument("--profile", default=DEFAULT_PROFILE, choices=profile_names(), help=PROFILE_HELP)
    compare.set_defaults(handler=run.compare)

    sample = commands.add_parser(
        "sample", help="generate the embedded sample's files; prints their sums (artifact/inputs/sample.sha256)"
    )
    sample.add_argument("--out", type=Path, required=True)
    sample.set_defaults(handler=tools.sample)

    fetch = commands.add_parser("fetch", help="get and verify a profile's inputs (cache, mirror, network)")
    fetch.add_argument("--profile", default=DEFAULT_PROFILE, help="a profile named in the inputs manifest " + PROFILE_HELP)
    fetch.set_defaults(handler=inputs.fetch)

    verify = commands.add_parser("verify-data", help="re-hash every cached input (and the package's own)")
    verify.add_argument("--profile", default=None, help="only the inputs of this profile (default: all)")
    verify.set_defaults(handler=inputs.verify_data)

    data_md = commands.add_parser("data-md", help="write DATA.md, the description of every input, from the manifest")
    data_md.add_argument("--out", type=Path, default=None, help="the file to write (default: standard output)")
    data_md.set_defaults(handler=inputs.data_md)

    zenodo = commands.add_parser(
        "zenodo",
        help="build the deterministic Zenodo deposit archive from the committed tree",
        description="Pack `git archive` of HEAD (refused with uncommitted changes unless --allow-dirty), DEPOSIT.md and "
        "SHA256SUMS; with inputs, each re-hashed against its pin, under inputs/ where a run from the deposit finds them. "
        "File times: SOURCE_DATE_EPOCH, else the commit's date.",
    )
    zenodo.add_argument("--out", type=Path, default=Path("dist/hf-claims-artifact.tar.gz"))
    zenodo.add_argument(
        "--with-inputs",
        action="store_true",
        help="also every input whose licence allows redistribution (from the cache); the others are listed in DEPOSIT.md",
    )
    zenodo.add_argument(
        "--input", action="append", default=[], metavar="ID", help="pack this input (refused unless its licence allows it)"
    )
    zenodo.add_argument("--repo", type=Path, default=ROOT, help="the git checkout to archive (default: this one)")
    zenodo.add_argument(
        "--allow-dirty", action="store_true", help="pack uncommitted changes to tracked files too (DEPOSIT.md names them)"
    )
    zenodo.set_defaults(handler=tools.zenodo)
    cards = commands.add_parser(
        "score-cards",
        help="score model cards offline with the deterministic scorer (Metric 4's five sections); no API key",
        description="Score every card of a folder of Markdown files, or of a CSV, Parquet or JSON table, "
        "and write one CSV row per card: the five sections (True/False), how many, and the score (= sections / 5).",
    )
    cards.add_argument("source", type=Path, help="a folder of .md files, or a .csv, .parquet, .json or .jsonl table")
    cards.add_argument("--out", type=Path, required=True, help="the CSV to write")
    cards.add_argument(
        "--text-column", help="the table's card text column (default: the first of card, model_card, ...)"
    )
    cards.add_argument(
        "--id-column", help="the table's card id column (default: context_id, modelId, ..., else row number)"
    )
    cards.set_defaults(handler=tools.score_cards)

    snapshot = commands.add_parser(
        "snapshot", help="take today's top list of a registry into the local snapshots folder (needs the network)"
    )
    snapshot.add_argument("registry", choices=snapshot_sources())
    snapshot.add_argument(
        "--top",
        type=int,
        help="hf: models to list (default 15000); pypi, npm: fewest entries the list must hold (default 1000)",
    )
    snapshot.add_argument("--out", type=Path, help="snapshots folder (default: ARTIFACT_SNAPSHOTS, else ./snapshots)")
    snapshot.add_argument("--retries", type=int, default=5, help="retries of a rate-limited or failed request")
    snapshot.add_argument("--backoff", type=float, default=1.0, help="first wait between retries, then doubled (s)")
    snapshot.add_argument("--timeout", type=float, default=60.0, help="per-request connect and read timeout (s)")
    snapshot.set_defaults(handler=tools.snapshot)
    return parser


def main(argv: list[str] | None = None) -> int:
    """Run the subcommand; an ArtifactError, or a file the system refused, becomes one message and exit code 2."""
    args = build_parser(invoked_as(sys.argv[0])).parse_args(argv)
    try:
        return args.handler(args)
    except ArtifactError as error:
        if args.debug:
            raise
        print(f"error: {error}", file=sys.stderr)
        return 2
    except OSError as error:  # a read-only folder, a full disk, a path that is a file: the user's to fix
        if args.debug:
            raise
        print(f"error: {error} (rerun with --debug for the traceback)", file=sys.stderr)
        return 1 if _is_full_outputs_disk(error) else 2


def entry_point(argv: list[str] | None = None) -> NoReturn:
    """The command line's process (`python -m artifact`, `hf-claims-artifact`): `main(argv)`, then exit with its code.

    The run's objects are frozen out of the cyclic collector first: the interpreter's collections
    at exit went over every object a run leaves (pandas, Arrow, matplotlib), 0.5 s of a 7 s sample
    run; they are now left to the system as the process ends. Every output is written and closed by
    then (a sample run under `python -X dev` reports no unclosed file); atexit handlers still run.
    """
    code = main(argv)
    gc.freeze()
    sys.exit(code)


def _is_full_outputs_disk(error: OSError) -> bool:
    """Whether `error` is a full disk (or quota, or file size limit) met writing under the outputs folder: exit 1."""
    if error.errno not in DISK_FULL or not error.filename:
        return False
    return Path(error.filename).resolve().is_relative_to(Settings.from_env().outputs_root.resolve())
