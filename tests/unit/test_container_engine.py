"""scripts/container/engine.sh: which engine runs the image, and the flags podman gets on this host."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from tests.conftest import REPO

ENGINE_SH = REPO / "scripts" / "container" / "engine.sh"


def _fake_tools(bin_dir: Path, docker_daemon: bool) -> None:
    """Stand-in engines that print their arguments; `docker info` fails unless a daemon 'answers'."""
    bin_dir.mkdir()
    for tool in ("podman", "docker", "runc"):
        fails_info = tool == "docker" and not docker_daemon
        script = f'#!/bin/sh\n[ "$1" = info ] && exit {1 if fails_info else 0}\necho "{tool} $*"\n'
        (bin_dir / tool).write_text(script)
        (bin_dir / tool).chmod(0o755)


def _engine(tmp_path: Path, *args: str, docker_daemon: bool = False, container: str = "") -> str:
    bin_dir = tmp_path / "bin"
    _fake_tools(bin_dir, docker_daemon)
    env = {"PATH": f"{bin_dir}:/usr/bin:/bin", "CONTAINER": container}
    result = subprocess.run(["bash", str(ENGINE_SH), *args], env=env, capture_output=True, text=True, check=True)
    return result.stdout.strip().replace(str(bin_dir) + "/", "")


@pytest.mark.parametrize(
    ("docker_daemon", "container", "engine"),
    [(False, "", "podman"), (True, "", "docker"), (True, "podman", "podman"), (False, "docker", "docker")],
)
def test_docker_only_when_its_daemon_answers_unless_overridden(
    tmp_path: Path, docker_daemon: bool, container: str, engine: str
) -> None:
    assert _engine(tmp_path, "name", docker_daemon=docker_daemon, container=container) == engine


def test_podman_runs_with_runc_and_ulimits_the_host_allows(tmp_path: Path) -> None:
    assert _engine(tmp_path, "run", "--rm", "img") == (
        "podman --runtime runc run --ulimit nofile=1024:1024 --ulimit nproc=4096:4096 --rm img"
    )


def test_podman_builds_in_docker_format_with_the_hosts_network_and_certificates(tmp_path: Path) -> None:
    assert _engine(tmp_path, "build", "-t", "img", ".") == (
        "podman --runtime runc build --ulimit nofile=1024:1024 --ulimit nproc=4096:4096 --format docker"
        " --network=host -v /etc/ssl/certs:/etc/ssl/certs:ro -t img ."
    )


def test_docker_gets_no_host_flags(tmp_path: Path) -> None:
    assert _engine(tmp_path, "run", "--rm", "img", docker_daemon=True) == "docker run --rm img"
