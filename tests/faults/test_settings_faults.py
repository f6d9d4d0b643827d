"""Cases 6, 9, 10, 11 and 12 of issue 17: odd settings, unusable folders, leftovers, make's exit code."""

from __future__ import annotations

import hashlib
import os
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.conftest import REPO, run_cli
from tests.faults.helpers import PAYLOAD, Server, sha256


def _refused(result: subprocess.CompletedProcess, *needles: str) -> None:
    """Exit 2 with a one-line error naming `needles`, and no traceback."""
    assert result.returncode == 2, result.stdout + result.stderr
    assert "Traceback" not in result.stderr and result.stderr.startswith("error: "), result.stderr
    for needle in needles:
        assert needle in result.stderr, result.stderr


def _serve_payload(handler) -> None:
    handler.send_response(200)
    handler.send_header("Content-Length", str(len(PAYLOAD)))
    handler.end_headers()
    handler.wfile.write(PAYLOAD)


@pytest.mark.parametrize("value", ["Y", "2", "enabled"])
def test_case6_an_offline_setting_not_understood_is_refused_before_any_request(tmp_path: Path, value: str) -> None:
    with Server({"/top.csv": _serve_payload}) as server:
        manifest = tmp_path / "manifest.toml"
        manifest.write_text(
            '[[input]]\nid = "fault-input"\nprofiles = ["fault"]\nsource = "s"\nsnapshot = "s"\n'
            f'format = "toplist-csv"\nwhat = "w"\nurl = "{server.url}/top.csv"\nsize = {len(PAYLOAD)}\n'
            f'sha256 = "{sha256(PAYLOAD)}"\n'
        )
        env = {"ARTIFACT_OFFLINE": value, "ARTIFACT_MANIFEST": str(manifest), "ARTIFACT_CACHE": str(tmp_path / "c"),
               "ARTIFACT_MIRROR": ""}
        result = run_cli("fetch", "--profile", "fault", env=env)
        assert server.requests == []  # the network was not used
    _refused(result, f"ARTIFACT_OFFLINE={value!r}", "0, 1, true, false, yes, no")


@pytest.mark.parametrize("variable", ["ARTIFACT_OUTPUTS", "ARTIFACT_CACHE"])
def test_case9_a_path_setting_naming_a_file_is_a_message(tmp_path: Path, variable: str) -> None:
    afile = tmp_path / "a-file"
    afile.write_text("not a folder")
    env = {"ARTIFACT_OUTPUTS": str(tmp_path / "out"), "ARTIFACT_CACHE": str(tmp_path / "cache"), variable: str(afile)}
    _refused(run_cli("reproduce", "--profile", "sample", env=env), variable, "is a file, not a folder")


def test_case9_a_read_only_outputs_folder_is_a_message(tmp_path: Path) -> None:
    outputs = tmp_path / "out"
    outputs.mkdir()
    outputs.chmod(0o555)
    command = [sys.executable, "-m", "artifact", "reproduce", "--profile", "sample"]
    if os.geteuid() == 0:  # root writes anywhere: drop the capabilities that let it
        if shutil.which("capsh") is None:
            pytest.skip("running as root without capsh: a read-only folder cannot be made")
        command = ["capsh", "--drop=cap_dac_override,cap_dac_read_search", "--", "-c", 'exec "$@"', "sh", *command]
    env = {**os.environ, "ARTIFACT_OUTPUTS": str(outputs), "ARTIFACT_CACHE": str(tmp_path / "cache")}
    result = subprocess.run(command, cwd=REPO, env=env, capture_output=True, text=True, timeout=120, check=False)
    _refused(result, "ARTIFACT_OUTPUTS", "not a folder this run can write in")


@pytest.mark.parametrize("case", ["binary.csv", "binary.json", "binary.jsonl", "broken.parquet", "empty.csv", "--out"])
def test_case9_score_cards_on_unreadable_tables_is_a_message(tmp_path: Path, case: str) -> None:
    source, out = tmp_path / case, tmp_path / "scores.csv"
    if case == "--out":
        source = tmp_path / "cards.csv"
        source.write_text("card\n# Model\n")
        out = tmp_path
    elif case == "empty.csv":
        source.write_bytes(b"")
    else:
        source.write_bytes(bytes(range(256)) * 8)  # not text, not Parquet
    result = run_cli("score-cards", str(source), "--out", str(out))
    _refused(result, str(source) if case != "--out" else "is a folder")


@pytest.mark.parametrize("workers", ["0", "-1"])
def test_case10_workers_below_one_are_refused(tmp_path: Path, workers: str) -> None:
    env = {"ARTIFACT_OUTPUTS": str(tmp_path / "out")}
    _refused(run_cli("reproduce", "--profile", "sample", "--workers", workers, env=env), "at least 1")


def _dead_pid() -> int:
    """The id of a process that has exited."""
    process = subprocess.Popen([sys.executable, "-c", "pass"])
    process.wait()
    return process.pid


def test_case11_stale_temporary_files_are_removed_at_the_start_of_a_run(tmp_path: Path, sample_outputs: Path) -> None:
    outputs = tmp_path / "sample"
    shutil.copytree(sample_outputs, outputs)
    host = hashlib.sha1(socket.gethostname().encode()).hexdigest()[:8]  # the naming rule of artifact/atomic.py
    figures = outputs / "figures"
    stale = [figures / ".fig6_turnover.png.k2j_3hs9.tmp",  # the naming of earlier versions, no pid
             figures / f".fig6_turnover.pdf.{_dead_pid()}-{host}.abcd1234.tmp"]
    live = figures / f".fig5_preservation.png.{os.getpid()}-{host}.abcd1234.tmp"  # this process still runs
    for path in [*stale, live]:
        path.write_bytes(b"")
    scratch = outputs / "intermediate" / "authors_code" / "scratch"  # the witness's staging folders, by their maker
    stale_folder, live_folder = scratch / f"stage.{_dead_pid()}-{host}.k2j_3hs9", scratch / f"witness.{os.getpid()}-{host}.k2j_3hs9"
    for folder in (stale_folder, live_folder):
        (folder / "box").mkdir(parents=True)
        (folder / "box" / "database.csv").write_text("downloads,count\n")
    result = run_cli("reproduce", "--profile", "sample", env={"ARTIFACT_OUTPUTS": str(tmp_path)})
    assert result.returncode == 0, result.stderr
    assert not any(path.exists() for path in stale) and live.exists()
    assert not stale_folder.exists() and (live_folder / "box" / "database.csv").is_file()
    assert "removed 3 temporary file(s) or folder(s)" in result.stdout


def test_case12_make_reproduce_names_the_clis_exit_code(tmp_path: Path) -> None:
    if shutil.which("make") is None:
        pytest.skip("make is not installed")
    stub = tmp_path / "python"
    stub.write_text("#!/bin/sh\necho \"differs\"\nexit 3\n")  # stands for a run whose claim differs
    stub.chmod(0o755)
    code_file = tmp_path / "code.txt"
    result = subprocess.run(
        ["make", "-s", "-o", "install", "reproduce", f"PY={stub}", f"EXIT_CODE_FILE={code_file}", "PROFILE=sample"],
        cwd=REPO, capture_output=True, text=True, timeout=60, check=False
    )
    assert result.returncode == 2  # make's own status for any failing recipe
    assert "exit code 3: a claim DIFFERS" in result.stderr
    assert code_file.read_text().strip() == "3"


def test_case11_a_killed_writer_not_yet_reaped_counts_as_gone(tmp_path: Path) -> None:
    from artifact.atomic import HOST, is_stale

    pid = os.fork()
    if pid == 0:  # the child ends at once; unreaped, it stays a zombie that kill(pid, 0) still finds
        os._exit(0)
    try:
        time.sleep(0.2)
        leftover = tmp_path / f".table.csv.{pid}-{HOST}.abcd1234.tmp"
        leftover.write_bytes(b"")
        assert is_stale(leftover)
    finally:
        os.waitpid(pid, 0)
