"""What the fault-injection tests share: pinned test inputs, settings in tmp folders, a scriptable HTTP server."""

from __future__ import annotations

import contextlib
import hashlib
import subprocess
import threading
from collections.abc import Callable, Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from artifact.config import Settings
from artifact.inputs.manifest import InputEntry

URL = "https://files.example.invalid/owner/repo/0123abcd/data/top.csv"
PAYLOAD = b"name,downloads\n" + b"".join(b"pkg%d,%d\n" % (i, 1000 - i) for i in range(100))


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def entry(data: bytes = PAYLOAD, url: str = URL, **fields: object) -> InputEntry:
    """An input pinning `data` at `url`."""
    defaults = {"id": "fault-input", "profiles": ("test",), "source": "test", "snapshot": "2024-01",
                "format": "toplist-csv", "what": "a test file", "size": len(data), "sha256": sha256(data)}
    return InputEntry(url=url, **{**defaults, **fields})


def settings(tmp_path: Path, mirror: Path | None = None, offline: bool = True) -> Settings:
    """Outputs and cache under `tmp_path`; a mirror when given; no network unless asked."""
    return Settings(tmp_path / "out", tmp_path / "cache", mirror, offline, None)


def mirror_file(mirror: Path, url: str = URL) -> Path:
    """Where the mirror holds the file of `url` (`<mirror>/<host>/<path>`)."""
    host, _, path = url.split("://", 1)[1].partition("/")
    target = mirror / host / path
    target.parent.mkdir(parents=True, exist_ok=True)
    return target


def quarantined(tmp_path: Path) -> list[Path]:
    folder = tmp_path / "cache" / "quarantine"
    return sorted(folder.iterdir()) if folder.is_dir() else []


@contextlib.contextmanager
def full_disk(folder: Path) -> Iterator[Path]:
    """A 1 MiB tmpfs mounted at `folder`, to be filled (the test is skipped where mounting needs a root it lacks)."""
    folder.mkdir()
    mounted = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=1m", "tmpfs", str(folder)], capture_output=True, check=False)
    if mounted.returncode != 0:
        pytest.skip("mounting a 1 MiB tmpfs needs root (CAP_SYS_ADMIN); the file size limit test stands in")
    try:
        yield folder
    finally:
        subprocess.run(["umount", str(folder)], check=True)


Answer = Callable[[BaseHTTPRequestHandler], None]


class Server(ThreadingHTTPServer):
    """A real HTTP server on 127.0.0.1: `routes[path](handler)` answers; every request path is logged."""

    daemon_threads = True

    def __init__(self, routes: dict[str, Answer]) -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        self.routes = routes
        self.requests: list[str] = []
        self.stop = threading.Event()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}"

    def __enter__(self) -> Server:
        threading.Thread(target=self.serve_forever, daemon=True).start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop.set()
        self.shutdown()
        self.server_close()


class _Handler(BaseHTTPRequestHandler):
    def do_GET(self) -> None:  # noqa: N802 (the http.server API)
        self.server.requests.append(self.path)
        answer = self.server.routes.get(self.path.split("?")[0])
        if answer is None:
            self.send_error(404)
        else:
            answer(self)

    def log_message(self, *args: object) -> None:
        """Quiet."""
