"""End-to-end runs of the CLI: determinism across worker counts, re-runs, and bad inputs."""

from __future__ import annotations

import re
import shutil
import sqlite3
from pathlib import Path

from artifact.inputs.manifest import load_manifest
from artifact.inputs.resolve import sha256_of
from tests.conftest import REPO, deterministic_files, run_cli
from tests.mirror_inputs import needs_authors_scripts


def test_one_and_two_workers_give_byte_identical_outputs(tmp_path: Path, sample_outputs: Path) -> None:
    result = run_cli("reproduce", "--profile", "sample", "--workers", "1", env={"ARTIFACT_OUTPUTS": str(tmp_path)})
    assert result.returncode == 0, result.stderr
    assert deterministic_files(tmp_path / "sample") == deterministic_files(sample_outputs)


@needs_authors_scripts
def test_second_run_does_nothing(tmp_path: Path, sample_outputs: Path) -> None:
    shutil.copytree(sample_outputs, tmp_path / "sample")
    result = run_cli("reproduce", "--profile", "sample", env={"ARTIFACT_OUTPUTS": str(tmp_path)})
    assert result.returncode == 0
    assert " start " not in result.stderr  # no task ran: every output was already there
    assert re.search(r"OK: profile sample: 0 tasks ran, \d+ were up to date, \d+ inputs at hand", result.stdout), result.stdout


def test_compare_reports_a_changed_table(tmp_path: Path, sample_outputs: Path) -> None:
    shutil.copytree(sample_outputs, tmp_path / "sample")
    env = {"ARTIFACT_OUTPUTS": str(tmp_path)}
    assert run_cli("compare", "--profile", "sample", env=env).returncode == 0
    turnover = tmp_path / "sample" / "tables" / "turnover" / "npm.csv"
    turnover.write_text(turnover.read_text().replace("1000", "999", 1))
    result = run_cli("compare", "--profile", "sample", env=env)
    assert result.returncode == 1 and "tables/turnover/npm.csv" in result.stdout


def _manifest_with(tmp_path: Path, input_id: str, replacement: Path) -> Path:
    """A copy of the shipped manifest's package files whose entry `input_id` points at `replacement`."""
    entries = load_manifest()
    lines = []
    for entry in (entry for entry in entries.values() if entry.local):
        local = str(replacement) if entry.id == input_id else str(REPO / "artifact" / entry.local)
        digest = sha256_of(Path(local))
        lines.append(
            f'[[input]]\nid = "{entry.id}"\nprofiles = {list(entry.profiles)!r}\nsource = "test"\n'
            f'snapshot = "{entry.snapshot}"\nformat = "{entry.format}"\nwhat = "test"\n'
            f'local = "{local}"\nsha256 = "{digest}"\n'
        )
    path = tmp_path / "manifest.toml"
    path.write_text("\n".join(lines).replace("'", '"'))
    return path


def _needing_hf_2023_05(outputs: Path) -> list[Path]:
    """Outputs made from the HF 2023-05 snapshot, which a run with that input broken must not write."""
    return [outputs / "tables" / "turnover" / "hf.csv", *outputs.glob("figures/fig6_turnover*")]


def _run_with_broken(tmp_path: Path, ddl: str, workers: str, sample_outputs: Path) -> tuple:
    broken = tmp_path / "broken.db"
    with sqlite3.connect(broken) as db:
        db.execute(ddl)
    out = tmp_path / "out"
    # The session's run, copied without what needs the snapshot: the tasks that do not need it are done,
    # those that need it (the failing LoadSnapshot first) run.
    shutil.copytree(sample_outputs, out / "sample")
    needing = _needing_hf_2023_05(out / "sample")
    assert len(needing) > 1 and all(path.is_file() for path in needing)
    for path in needing:
        path.unlink()
    env = {"ARTIFACT_OUTPUTS": str(out), "ARTIFACT_MANIFEST": str(_manifest_with(tmp_path, "sample-hf-2023-05", broken))}
    return run_cli("reproduce", "--profile", "sample", "--workers", workers, env=env), broken, out / "sample"


def _assert_nothing_partial(outputs: Path) -> None:
    names = [p.name for p in outputs.rglob("*")]
    assert not any(name.endswith(".tmp") or "luigi-tmp" in name for name in names)
    assert not any(path.exists() for path in _needing_hf_2023_05(outputs))  # none written from the broken input


def test_missing_column_stops_the_run_naming_file_table_and_column(tmp_path: Path, sample_outputs: Path) -> None:
    ddl = 'CREATE TABLE "PeaTMOSS_OLD" ("modelId" TEXT, author TEXT, likes INTEGER)'
    result, broken, outputs = _run_with_broken(tmp_path, ddl, "2", sample_outputs)  # the error told from a forked worker
    assert result.returncode == 2
    assert str(broken) in result.stderr and "PeaTMOSS_OLD" in result.stderr and "downloads" in result.stderr
    _assert_nothing_partial(outputs)


def test_wrong_table_name_stops_the_run_naming_file_and_table(tmp_path: Path, sample_outputs: Path) -> None:
    result, broken, outputs = _run_with_broken(tmp_path, 'CREATE TABLE "OLD" ("modelId" TEXT, downloads INTEGER)', "1", sample_outputs)
    assert result.returncode == 2
    assert str(broken) in result.stderr and "'PeaTMOSS_OLD' not found" in result.stderr
    _assert_nothing_partial(outputs)


def test_changed_input_bytes_are_refused(tmp_path: Path) -> None:
    manifest = _manifest_with(tmp_path, "sample-npm-2022-11", REPO / "artifact/sample/data/npm_2022-11.csv")
    manifest.write_text(manifest.read_text().replace(sha256_of(REPO / "artifact/sample/data/npm_2022-11.csv"), "0" * 64))
    env = {"ARTIFACT_OUTPUTS": str(tmp_path / "out"), "ARTIFACT_MANIFEST": str(manifest)}
    result = run_cli("reproduce", "--profile", "sample", env=env)
    assert result.returncode == 2 and "0" * 64 in result.stderr and "npm_2022-11.csv" in result.stderr
    assert not (tmp_path / "out" / "sample" / "tables").exists()  # refused before any task ran


def test_unknown_profile_is_a_usage_error() -> None:
    assert run_cli("reproduce", "--profile", "nope").returncode == 2
