"""What a new user meets first: `make help`, `make clean`, `--version`, one default profile, the run's counts."""

from __future__ import annotations

import argparse
import re
import subprocess
import sys
from pathlib import Path

from artifact.cli import build_parser, invoked_as
from artifact.cli.run import run_counts
from artifact.profiles import DEFAULT_PROFILE
from tasks.base import ProfileTask
from tests.conftest import REPO, run_cli


def _make(*args: str, cwd: Path = REPO) -> str:
    result = subprocess.run(["make", "-s", "--no-print-directory", "-f", str(REPO / "Makefile"), *args], cwd=cwd,
                            capture_output=True, text=True, timeout=60, check=False)
    assert result.returncode == 0, result.stderr
    return result.stdout


def test_make_help_prints_each_targets_first_sentence_whole_with_variables_expanded() -> None:
    targets, _, environment = _make("help", "-C", str(REPO)).partition("\n\n")  # the targets, then the variables
    lines = targets.splitlines()
    assert "ARTIFACT_MIRROR" in environment
    assert lines and all(line.rstrip().endswith((".", ")")) for line in lines), [line for line in lines if not line.endswith(".")]
    assert not [line for line in lines if "$(" in line]
    text = "\n".join(lines)
    assert re.search(r"^  test +The offline test suite on 2 pytest-xdist workers .* \(ruff, from the lock file\)\.$", text, re.M)
    assert f"Run the pipeline of {DEFAULT_PROFILE} and write its report." in text
    assert "Run the pipeline of sample and" in _make("help", "-C", str(REPO), "PROFILE=sample")


def test_make_clean_removes_bytecode_but_never_enters_hidden_folders(tmp_path: Path) -> None:
    for folder in (".venv/lib/site-packages/pkg/__pycache__", "artifact/__pycache__", "outputs/sample"):
        (tmp_path / folder).mkdir(parents=True)
        (tmp_path / folder / "f.pyc").write_bytes(b"")
    _make("clean", cwd=tmp_path)
    assert (tmp_path / ".venv/lib/site-packages/pkg/__pycache__/f.pyc").is_file()
    assert not (tmp_path / "artifact/__pycache__").exists() and not (tmp_path / "outputs").exists()
    dry = _make("-n", "clean", cwd=tmp_path)
    assert "-name '.*' -prune" in dry  # pruned before find descends, not filtered after walking it


def test_version_names_the_command_it_was_called_as() -> None:
    assert invoked_as("/x/.venv/bin/hf-claims-artifact") == "hf-claims-artifact"
    assert invoked_as("/x/artifact/__main__.py") == "python -m artifact"
    script = Path(sys.executable).parent / "hf-claims-artifact"
    if script.is_file():  # the console script of the editable install
        called = subprocess.run([str(script), "--version"], capture_output=True, text=True, timeout=60, check=False)
        assert called.stdout.startswith("hf-claims-artifact ") and called.returncode == 0
    module = run_cli("--version")
    assert module.stdout.startswith("python -m artifact ")


def _subcommand(name: str) -> argparse.ArgumentParser:
    parser = build_parser()
    action = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    return action.choices[name]


def test_one_default_profile_for_make_the_module_and_plain_luigi_shown_in_help() -> None:
    makefile = (REPO / "Makefile").read_text()
    assert re.search(r"^PROFILE \?= (\S+)$", makefile, re.M).group(1) == DEFAULT_PROFILE
    assert ProfileTask.profile._default == DEFAULT_PROFILE
    for command in ("reproduce", "compare", "fetch"):
        parser = _subcommand(command)
        assert parser.parse_args([]).profile == DEFAULT_PROFILE
        assert f"default: {DEFAULT_PROFILE}" in " ".join(parser.format_help().split()), command
    assert f"(default: {DEFAULT_PROFILE})" in build_parser().format_help()


def test_the_run_counts_read_naturally() -> None:
    assert run_counts(52, 0, 15) == "52 tasks ran, 15 inputs at hand"
    assert run_counts(0, 52, 15) == "0 tasks ran, 52 were up to date, 15 inputs at hand"
    assert run_counts(1, 1, 1) == "1 task ran, 1 was up to date, 1 input at hand"


def test_the_first_screen_groups_missing_inputs_by_what_gets_them(tmp_path: Path) -> None:
    env = {"ARTIFACT_CACHE": str(tmp_path / "cache"), "ARTIFACT_OUTPUTS": str(tmp_path / "out"), "ARTIFACT_OFFLINE": "1", "ARTIFACT_MIRROR": ""}
    lines = run_cli("reproduce", "--profile", "esem2024", "--dry-run", env=env).stdout.splitlines()
    assert lines[0].endswith(" missing.") and lines[0].startswith("profile esem2024: 0 inputs at hand")
    assert lines[1].startswith("  `make fetch PROFILE=esem2024` gets ")
    assert sum("make fetch" in line for line in lines) == 1
    never = lines.index(next(line for line in lines if line.endswith(" cannot be had:")))
    listed = " ".join(lines[2:never])
    assert "esem2024-authors-figures," in listed and "esem2024-hf-2022-06," in listed  # a file set, and a file
    assert lines[never + 1] == "    ecosystems-2022-11-09: not archived by the authors"
    assert not [line for line in lines if "url:" in line or "tried:" in line]
