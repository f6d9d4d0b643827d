"""Runs on a real Luigi central scheduler (`luigid` on 127.0.0.1) give the local scheduler's outputs."""

from __future__ import annotations

import json
import os
import re
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import requests

from tests.conftest import REPO, deterministic_files, run_cli

# Clients give up on an unreachable scheduler after 2 quick attempts instead of 3 x 30 s.
CLIENT_CONFIG = "[core]\nrpc-retry-attempts = 2\nrpc-retry-wait = 1\n"


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _ping(url: str) -> bool:
    try:
        return requests.get(f"{url}/api/ping", params={"data": json.dumps({"worker": "test"})}, timeout=1).ok
    except requests.ConnectionError:
        return False


@pytest.fixture
def luigid(tmp_path: Path) -> Iterator[str]:
    """The URL of a `luigid` with its own state file and log folder, stopped after the test."""
    url = f"http://127.0.0.1:{free_port()}"
    logs = tmp_path / "luigid-logs"
    logs.mkdir()
    command = [str(Path(sys.executable).parent / "luigid"), "--address", "127.0.0.1", "--port", url.rsplit(":", 1)[1]]
    command += ["--state-path", str(tmp_path / "luigid-state.pickle"), "--logdir", str(logs)]
    server = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 30
        while not _ping(url):
            assert server.poll() is None, f"luigid exited with {server.returncode}; see {logs}"
            assert time.monotonic() < deadline, f"luigid did not answer {url}/api/ping within 30 s"
            time.sleep(0.2)
        yield url
    finally:
        server.terminate()
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()


def _client_env(tmp_path: Path, outputs: Path) -> dict[str, str]:
    config = tmp_path / "luigi-client.cfg"
    config.write_text(CLIENT_CONFIG)
    return {"ARTIFACT_OUTPUTS": str(outputs), "LUIGI_CONFIG_PATH": str(config)}


def test_luigid_with_two_workers_gives_the_local_outputs(tmp_path: Path, luigid: str, sample_outputs: Path) -> None:
    env = _client_env(tmp_path, tmp_path / "out")
    result = run_cli("reproduce", "--profile", "sample", "--workers", "2", "--scheduler-url", luigid, env=env)
    assert result.returncode == 0, result.stdout + result.stderr
    assert deterministic_files(tmp_path / "out" / "sample") == deterministic_files(sample_outputs)
    # The central scheduler, not an in-process one, saw every task of the run done.
    families = _done_tasks(luigid)
    ran = int(re.search(r"(\d+) tasks? ran", result.stdout).group(1))
    assert len(_run_tasks(families)) == ran and {"Report", "Figure6", "TopK"} <= set(families)


def _done_tasks(url: str) -> list[str]:
    """Families of the tasks the central scheduler saw done."""
    done = requests.get(f"{url}/api/task_list", params={"data": json.dumps({"status": "DONE"})}, timeout=5).json()
    return sorted(task["name"] for task in done["response"].values())


def _run_tasks(families: list[str]) -> list[str]:
    """The families that had to run: the sample's inputs ship with the package, complete from the start."""
    return [family for family in families if family not in ("InputFile", "FetchInput")]


def test_two_processes_share_the_graph_each_task_runs_once(tmp_path: Path, luigid: str, sample_outputs: Path) -> None:
    env = {**os.environ, "MPLBACKEND": "Agg", **_client_env(tmp_path, tmp_path / "out")}
    command = [sys.executable, "-m", "artifact", "reproduce", "--profile", "sample", "--scheduler-url", luigid]
    processes = [subprocess.Popen(command, cwd=REPO, env=env, stdout=subprocess.PIPE, text=True) for _ in range(2)]
    outputs = [process.communicate(timeout=600)[0] for process in processes]
    assert [process.returncode for process in processes] == [0, 0], outputs
    ran = [int(re.search(r"(\d+) tasks? ran", output).group(1)) for output in outputs]
    assert sum(ran) == len(_run_tasks(_done_tasks(luigid)))  # no task ran twice, none was missed
    assert any("claims:" in output for output in outputs)  # the process that made the report tells the claims
    assert deterministic_files(tmp_path / "out" / "sample") == deterministic_files(sample_outputs)


def test_unreachable_scheduler_is_a_clear_error(tmp_path: Path) -> None:
    url = f"http://127.0.0.1:{free_port()}"
    result = run_cli("reproduce", "--profile", "sample", "--scheduler-url", url, env=_client_env(tmp_path, tmp_path / "out"))
    assert result.returncode == 2
    assert f"no Luigi central scheduler answers at {url}/api/ping" in result.stderr and "luigid" in result.stderr
    assert not (tmp_path / "out").exists()  # refused before anything was written
