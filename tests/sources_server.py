"""A real HTTP server on 127.0.0.1 that answers like the snapshot sources, with faults on demand.

- `/api/models`: the Hub's model listing: `sort`, `direction` (-1, the default, or 1), `limit`
  (capped at `page_size` per page, as the Hub caps it at 1000), `expand`, pages chained by
  `Link: <...>; rel="next"` headers carrying a `cursor`;
- `/repos/hugovk/top-pypi-packages/...` and `/hugovk/top-pypi-packages/<commit>/<file>`: the
  GitHub API (latest release, tag -> commit) and raw file host;
- `/npm-high-impact` and its `.tgz`: the npm registry's package document and tarball.

`faults[name]` is a list of answers given, one per request, before the normal one: a status with
headers, MALFORMED (a body that is not JSON), or (STALL, seconds): silence, then the normal answer. Names: `models:<cursor>`, `pypi-file`, `tarball`.
Every request is logged with its time and headers (names in lower case).
"""

from __future__ import annotations

import base64
import contextlib
import hashlib
import io
import json
import tarfile
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlencode, urlsplit

MALFORMED = "malformed"
STALL = "stall"
PYPI_TAG = "2026.11"
PYPI_COMMIT = "0123456789abcdef0123456789abcdef01234567"
NPM_VERSION = "9.9.9"


def hub_models(count: int) -> list[dict]:
    """`count` models in the Hub's listing form, stored out of download order, in pairs of equal counts."""
    models = [
        {
            "_id": f"{index:024x}",
            "id": f"org{index % 7}/model-{index:05d}",
            "likes": index % 13,
            "private": False,
            "downloads": 1000 * ((count - index + 1) // 2),
            "tags": ["transformers", f"base_model:org0/model-{index // 10:05d}"],
            "pipeline_tag": "fill-mask" if index % 2 else None,
            "library_name": "transformers" if index % 5 else None,
            "createdAt": f"2024-{index % 12 + 1:02d}-0{index % 9 + 1}T0{index % 10}:04:05.{index % 1000:03d}Z",
        }
        for index in range(count)
    ]
    return models[1::2] + models[::2]


def pypi_top(rows: int) -> bytes:
    """A top-pypi-packages JSON file with `rows` projects, most downloaded first."""
    data = {"last_update": "2026-11-01 09:00:00", "query": {"cached": False}, "rows": [
        {"download_count": 10_000_000 - i, "project": f"project-{i}"} for i in range(rows)
    ]}
    return json.dumps(data, indent=1).encode()


def npm_tarball(names: list[str]) -> bytes:
    """An npm package tarball whose `package/lib/top-download.js` exports `names`."""
    files = {
        "package/package.json": json.dumps({"name": "npm-high-impact", "version": NPM_VERSION}).encode(),
        "package/lib/top-download.js": ("export const topDownload = [\n" + ",\n".join(f"  '{n}'" for n in names) + "\n]\n").encode(),
    }
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w:gz") as archive:
        for name, data in files.items():
            info = tarfile.TarInfo(name)
            info.size = len(data)
            archive.addfile(info, io.BytesIO(data))
    return buffer.getvalue()


@dataclass
class Sources:
    """What the server answers, the faults to give first, and the requests it saw."""

    models: list[dict] = field(default_factory=lambda: hub_models(120))
    page_size: int = 20
    pypi_file: bytes = field(default_factory=lambda: pypi_top(1200))
    tarball: bytes = field(default_factory=lambda: npm_tarball([f"pkg-{i}" for i in range(1100)]))
    integrity: str = ""  # the npm registry's sha512 of the tarball; computed when empty
    faults: dict[str, list] = field(default_factory=dict)
    requests: list[dict] = field(default_factory=list)


class SourcesServer:
    """Serves `Sources` on 127.0.0.1 from a thread; use as a context manager."""

    def __init__(self, sources: Sources | None = None) -> None:
        self.sources = sources or Sources()
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(self.sources))
        self.url = f"http://127.0.0.1:{self._server.server_address[1]}"
        self._thread = threading.Thread(target=self._server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)

    def __enter__(self) -> SourcesServer:
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._server.shutdown()
        self._server.server_close()
        self._thread.join()

    def requests_to(self, prefix: str) -> list[dict]:
        """The logged requests whose path starts with `prefix`."""
        return [request for request in self.sources.requests if request["path"].startswith(prefix)]


def _handler(sources: Sources) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args) -> None:  # keep test output quiet
            pass

        def do_GET(self) -> None:
            parts = urlsplit(self.path)
            query = parse_qs(parts.query)
            headers = {k.lower(): v for k, v in self.headers.items()}
            sources.requests.append({"time": time.monotonic(), "path": parts.path, "query": query, "headers": headers})
            base = f"http://{self.headers['Host']}"
            if parts.path == "/api/models":
                self._models(query, base)
            elif parts.path == "/repos/hugovk/top-pypi-packages/releases/latest":
                self._send(200, json.dumps({"tag_name": PYPI_TAG, "name": f"Release {PYPI_TAG}"}).encode())
            elif parts.path == f"/repos/hugovk/top-pypi-packages/commits/{PYPI_TAG}":
                self._send(200, PYPI_COMMIT.encode(), content_type="application/vnd.github.sha")
            elif parts.path == f"/hugovk/top-pypi-packages/{PYPI_COMMIT}/top-pypi-packages.json":
                self._faulty("pypi-file") or self._send(200, sources.pypi_file)
            elif parts.path == "/npm-high-impact":
                self._send(200, json.dumps(self._package_document(base)).encode())
            elif parts.path == f"/npm-high-impact/-/npm-high-impact-{NPM_VERSION}.tgz":
                self._faulty("tarball") or self._send(200, sources.tarball, content_type="application/octet-stream")
            else:
                self._send(404, b'{"error": "not found"}')

        def _models(self, query: dict[str, list[str]], base: str) -> None:
            cursor = int(query.get("cursor", ["0"])[0])
            if self._faulty(f"models:{cursor}"):
                return
            key = query.get("sort", ["downloads"])[0]
            descending = query.get("direction", ["-1"])[0] != "1"
            ranked = sorted(sources.models, key=lambda model: model.get(key) or 0, reverse=descending)
            size = min(int(query.get("limit", [str(sources.page_size)])[0]), sources.page_size)
            expand = query.get("expand")
            page = [
                {k: v for k, v in model.items() if v is not None and (expand is None or k in ("_id", "id") or k in expand)}
                for model in ranked[cursor : cursor + size]
            ]
            headers = {}
            if cursor + size < len(ranked):
                following = {k: v for k, v in query.items() if k != "cursor"} | {"cursor": [str(cursor + size)]}
                headers["Link"] = f'<{base}/api/models?{urlencode(following, doseq=True)}>; rel="next"'
            self._send(200, json.dumps(page).encode(), headers)

        def _package_document(self, base: str) -> dict:
            integrity = sources.integrity or "sha512-" + base64.b64encode(hashlib.sha512(sources.tarball).digest()).decode()
            tarball = f"{base}/npm-high-impact/-/npm-high-impact-{NPM_VERSION}.tgz"
            return {
                "name": "npm-high-impact",
                "dist-tags": {"latest": NPM_VERSION},
                "versions": {NPM_VERSION: {"dist": {"tarball": tarball, "integrity": integrity}}},
            }

        def _faulty(self, name: str) -> bool:
            """Give the next planned fault for `name`, if any; True when one was given."""
            planned = sources.faults.get(name)
            if not planned:
                return False
            fault = planned.pop(0)
            if fault[0] == STALL:
                time.sleep(fault[1])
                return False
            if fault == MALFORMED:
                self._send(200, b'[{"id": "org0/model-00000", "downloads": 5')
            else:
                status, headers = fault
                self._send(status, b'{"error": "planned fault"}', headers)
            return True

        def _send(self, status: int, body: bytes, headers: dict | None = None, content_type: str = "application/json") -> None:
            self.send_response(status)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(body)))
            for name, value in (headers or {}).items():
                self.send_header(name, value)
            self.end_headers()
            with contextlib.suppress(BrokenPipeError, ConnectionResetError):  # the client gave up waiting (a STALL fault)
                self.wfile.write(body)

    return Handler
