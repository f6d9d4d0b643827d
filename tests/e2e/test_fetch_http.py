"""Fetching through the real client (pooch's downloader on requests) from a real HTTP server on 127.0.0.1."""

from __future__ import annotations

import gzip
import hashlib
import io
import threading
import time
import zipfile
from collections import Counter
from collections.abc import Iterator
from dataclasses import replace
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from artifact.config import Settings
from artifact.errors import ArtifactError, ChecksumMismatchError, InputMissingError
from artifact.inputs.lockfile import read_lock
from artifact.inputs.manifest import InputEntry, SetMember
from artifact.inputs.resolve import resolve, resolve_all
from artifact.retry import RetryPolicy

FAST = RetryPolicy(timeout=1.0, retries=1, backoff=0.01, progress_from=0)  # every download draws its bar
PAYLOAD = b"rank,name,downloads\n" + b"".join(b"%d,pkg%d,%d\n" % (i, i, 1000 - i) for i in range(200))


class _Handler(BaseHTTPRequestHandler):
    """Serves `server.routes[path] = (behaviour, body)`: ok, truncate, stall; anything else is a 404."""

    def do_GET(self) -> None:  # noqa: N802 (the http.server API)
        self.server.hits[self.path] += 1
        behaviour, body = self.server.routes.get(self.path, ("missing", b""))
        if behaviour == "missing":
            self.send_error(404)
            return
        self.send_response(200)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if behaviour == "ok":
            self.wfile.write(body)
        elif behaviour == "truncate":  # promise every byte, send half, hang up
            self.wfile.write(body[: len(body) // 2])
        elif behaviour == "stall":  # send a little, then nothing until the test ends
            self.wfile.write(body[:10])
            self.wfile.flush()
            self.server.release.wait(10)

    def log_message(self, *args: object) -> None:
        """Keep the test output quiet."""


class _Server(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        self.routes: dict[str, tuple[str, bytes]] = {}
        self.hits: Counter[str] = Counter()
        self.release = threading.Event()

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}{path}"


@pytest.fixture
def server() -> Iterator[_Server]:
    httpd = _Server()
    thread = threading.Thread(target=httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    yield httpd
    httpd.release.set()
    httpd.shutdown()
    httpd.server_close()


def _sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _git_blob(data: bytes) -> str:
    return hashlib.sha1(b"blob %d\0" % len(data) + data).hexdigest()


def _entry(url: str, data: bytes, **fields: object) -> InputEntry:
    """An entry pinning `data` at `url`; `fields` override the defaults."""
    defaults = {"id": "t-input", "profiles": ("test",), "source": "test server", "snapshot": "2024-01",
                "format": "csv", "what": "a test file", "size": len(data), "sha256": _sha(data)}
    return InputEntry(url=url, **{**defaults, **fields})


def _settings(tmp_path: Path, mirror: Path | None = None, offline: bool = False) -> Settings:
    return Settings(tmp_path / "out", tmp_path / "cache", mirror, offline, tmp_path / "manifest.toml")


def _published(tmp_path: Path) -> list[Path]:
    """Every file visible under the cache's verified folders (not quarantine, not tmp)."""
    cache = tmp_path / "cache"
    return sorted(p for folder in ("sha256", "extracted", "sets") for p in (cache / folder).rglob("*") if p.is_file())


def _zip(members: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def test_correct_file_is_verified_cached_and_reused(server: _Server, tmp_path: Path) -> None:
    server.routes["/data/top.csv"] = ("ok", PAYLOAD)
    entry = _entry(server.url("/data/top.csv"), PAYLOAD)
    path = resolve(entry, _settings(tmp_path), FAST)
    assert path.read_bytes() == PAYLOAD
    assert path == tmp_path / "cache" / "sha256" / _sha(PAYLOAD)[:2] / _sha(PAYLOAD)
    assert resolve(entry, _settings(tmp_path), FAST) == path
    assert server.hits["/data/top.csv"] == 1  # the second resolve used the cache


def test_wrong_checksum_is_fatal_and_quarantined(server: _Server, tmp_path: Path) -> None:
    served = PAYLOAD.replace(b"pkg7,", b"pkg8,")
    server.routes["/top.csv"] = ("ok", served)
    entry = _entry(server.url("/top.csv"), PAYLOAD)
    with pytest.raises(ChecksumMismatchError) as error:
        resolve(entry, _settings(tmp_path), FAST)
    message = str(error.value)
    assert _sha(PAYLOAD) in message and _sha(served) in message and entry.url in message
    assert _published(tmp_path) == []
    kept = tmp_path / "cache" / "quarantine" / f"t-input.{_sha(served)}"
    assert kept.read_bytes() == served and str(kept) in message
    assert list((tmp_path / "cache" / "tmp").iterdir()) == []


def test_truncated_transfer_is_retried_then_reported(server: _Server, tmp_path: Path) -> None:
    server.routes["/top.csv"] = ("truncate", PAYLOAD)
    with pytest.raises(InputMissingError, match="cut short") as error:
        resolve(_entry(server.url("/top.csv"), PAYLOAD), _settings(tmp_path), FAST)
    assert "after 2 attempts" in str(error.value)
    assert server.hits["/top.csv"] == 2
    assert _published(tmp_path) == [] and list((tmp_path / "cache" / "tmp").iterdir()) == []


def test_404_is_reported_without_retrying(server: _Server, tmp_path: Path) -> None:
    entry = _entry(server.url("/gone.csv"), PAYLOAD)
    with pytest.raises(InputMissingError, match="HTTP 404") as error:
        resolve(entry, _settings(tmp_path), FAST)
    assert server.hits["/gone.csv"] == 1
    assert entry.url in str(error.value) and _sha(PAYLOAD) in str(error.value)


def test_stalled_server_times_out(server: _Server, tmp_path: Path) -> None:
    server.routes["/slow.csv"] = ("stall", PAYLOAD)
    started = time.monotonic()
    with pytest.raises(InputMissingError, match="timed out"):
        resolve(_entry(server.url("/slow.csv"), PAYLOAD), _settings(tmp_path), RetryPolicy(timeout=1.0, retries=0))
    assert time.monotonic() - started < 5
    assert _published(tmp_path) == []


def test_mirror_is_used_with_no_server_at_all(tmp_path: Path) -> None:
    url = "https://files.example.invalid/owner/repo/0123abcd/data/top.csv"
    plain, packed = tmp_path / "mirror", tmp_path / "mirror-gz"
    (plain / "files.example.invalid/owner/repo/0123abcd/data").mkdir(parents=True)
    (plain / "files.example.invalid/owner/repo/0123abcd/data/top.csv").write_bytes(PAYLOAD)
    (packed / "files.example.invalid/owner/repo/0123abcd/data").mkdir(parents=True)
    (packed / "files.example.invalid/owner/repo/0123abcd/data/top.csv.gz").write_bytes(gzip.compress(PAYLOAD))
    for mirror in (plain, packed):
        settings = _settings(tmp_path / mirror.name, mirror=mirror)  # network allowed: the mirror comes first
        assert resolve(_entry(url, PAYLOAD), settings, FAST).read_bytes() == PAYLOAD


def test_mirror_path_of_an_escaped_url_is_the_decoded_name(tmp_path: Path) -> None:
    url = "https://files.example.invalid/owner/repo/0123abcd/figs/Number%20of%20Forks%20-%202.pdf"
    folder = tmp_path / "mirror" / "files.example.invalid/owner/repo/0123abcd/figs"
    folder.mkdir(parents=True)
    (folder / "Number of Forks - 2.pdf").write_bytes(PAYLOAD)  # wget -x stores the decoded name
    settings = _settings(tmp_path / "cache", mirror=tmp_path / "mirror")
    assert resolve(_entry(url, PAYLOAD), settings, FAST).read_bytes() == PAYLOAD


def test_offline_lists_every_missing_file_and_keeps_the_rest(tmp_path: Path) -> None:
    mirror = tmp_path / "mirror"
    present, absent = b"present\n", b"absent\n"
    (mirror / "example.org/a").mkdir(parents=True)
    (mirror / "example.org/a/present.txt").write_bytes(present)
    entries = [
        _entry("https://example.org/a/present.txt", present, id="t-present"),
        _entry("https://example.org/a/absent.txt", absent, id="t-absent"),
        _entry("https://example.org/a/blob-only.db", absent, id="t-blob", size=None, sha256="", git_blob="ab" * 20),
        InputEntry(
            id="t-lost", profiles=("test",), source="s", snapshot="s", format="f", what="w", unavailable="never kept"
        ),
    ]
    found, missing = resolve_all(entries, _settings(tmp_path, mirror=mirror, offline=True), FAST)
    assert set(found) == {"t-present"} and set(missing) == {"t-absent", "t-blob", "t-lost"}
    reason = missing["t-absent"]
    assert "https://example.org/a/absent.txt" in reason and _sha(absent) in reason
    assert str(mirror / "example.org/a/absent.txt") in reason and "ARTIFACT_OFFLINE=1" in reason
    assert "git blob " + "ab" * 20 in missing["t-blob"]
    assert "never kept" in missing["t-lost"]


def test_zip_member_is_extracted_and_verified(server: _Server, tmp_path: Path) -> None:
    database = b"SQLite format 3\0" + bytes(range(256)) * 8
    archive = _zip({"PeaTMOSS/README.txt": b"read me\n", "PeaTMOSS/PeaTMOSS.db": database})
    server.routes["/dist.db.zip"] = ("ok", archive)
    settings = _settings(tmp_path)
    default = resolve(_entry(server.url("/dist.db.zip"), archive, archive="zip"), settings, FAST)
    assert default.read_bytes() == database and default.name == "PeaTMOSS.db"
    assert default.is_relative_to(tmp_path / "cache" / "extracted" / _sha(archive))
    named = _entry(server.url("/dist.db.zip"), archive, archive="zip", member="PeaTMOSS/README.txt")
    assert resolve(named, settings, FAST).read_bytes() == b"read me\n"
    two = _zip({"a.db": b"a", "b.db": b"b"})
    server.routes["/two.zip"] = ("ok", two)
    with pytest.raises(ArtifactError, match=r"exactly one \*\.db member.*a\.db, b\.db"):
        resolve(_entry(server.url("/two.zip"), two, archive="zip"), settings, FAST)


def test_zip_with_a_parent_path_is_rejected(server: _Server, tmp_path: Path) -> None:
    archive = _zip({"good.db": b"fine", "../../evil.db": b"escape"})
    server.routes["/evil.zip"] = ("ok", archive)
    with pytest.raises(ArtifactError, match=r"'\.\./\.\./evil\.db' is a '\.\.' component"):
        resolve(_entry(server.url("/evil.zip"), archive, archive="zip", member="good.db"), _settings(tmp_path), FAST)
    assert not list(tmp_path.rglob("evil.db"))
    assert not (tmp_path / "cache" / "extracted").exists()


def test_git_blob_only_entry_is_verified_and_locked(server: _Server, tmp_path: Path) -> None:
    server.routes["/old.db"] = ("ok", PAYLOAD)
    entry = _entry(server.url("/old.db"), PAYLOAD, size=None, sha256="", git_blob=_git_blob(PAYLOAD))
    settings = _settings(tmp_path)
    assert resolve(entry, settings, FAST).read_bytes() == PAYLOAD
    record = read_lock(tmp_path / "inputs.lock")["t-input"]
    assert (record.sha256, record.size) == (_sha(PAYLOAD), len(PAYLOAD))
    assert (record.git_blob, record.url) == (entry.git_blob, entry.url)
    resolve(entry, settings, FAST)
    assert server.hits["/old.db"] == 1  # the lock's sha256 found the bytes in the cache

    server.routes["/other.db"] = ("ok", PAYLOAD + b"x")
    wrong = _entry(server.url("/other.db"), PAYLOAD, id="t-other", size=None, sha256="", git_blob=_git_blob(PAYLOAD))
    with pytest.raises(ChecksumMismatchError, match="git blob"):
        resolve(wrong, settings, FAST)
    assert "t-other" not in read_lock(tmp_path / "inputs.lock")


def test_file_set_becomes_one_folder_of_verified_files(server: _Server, tmp_path: Path) -> None:
    pages = {f"models_page{n}_07-11-2024.json": b'[{"id": "m%d"}]' % n for n in (1, 2, 3)}
    mirror = tmp_path / "mirror"
    members = []
    for index, (name, data) in enumerate(pages.items()):
        url = server.url(f"/lists/{name}")
        if index == 0:  # one page from the mirror, gzipped; wget names a host folder `host:port`
            folder = mirror / f"127.0.0.1:{server.server_address[1]}" / "lists"
            folder.mkdir(parents=True, exist_ok=True)
            (folder / f"{name}.gz").write_bytes(gzip.compress(data))
        else:
            server.routes[f"/lists/{name}"] = ("ok", data)
        members.append(SetMember(name, url, len(data), _sha(data), _git_blob(data)))
    entry = InputEntry(
        id="t-set", profiles=("test",), source="s", snapshot="s", format="f", what="w", fileset="t.tsv",
        members=tuple(members),
    )
    folder = resolve(entry, _settings(tmp_path, mirror=mirror), FAST)
    assert {p.name: p.read_bytes() for p in folder.iterdir()} == pages
    assert server.hits[f"/lists/{members[0].name}"] == 0

    server.routes.pop(f"/lists/{members[2].name}")
    missing = replace(entry, members=(*members[:2], SetMember("new.json", server.url("/new.json"), 3, _sha(b"new"))))
    with pytest.raises(InputMissingError, match=r"1 of its 3 files are not available") as error:
        resolve(missing, _settings(tmp_path, mirror=mirror), FAST)
    assert server.url("/new.json") in str(error.value) and _sha(b"new") in str(error.value)


def test_changed_cache_file_is_quarantined_and_fetched_again(server: _Server, tmp_path: Path) -> None:
    server.routes["/top.csv"] = ("ok", PAYLOAD)
    entry = _entry(server.url("/top.csv"), PAYLOAD)
    path = resolve(entry, _settings(tmp_path), FAST)
    path.chmod(0o644)
    path.write_bytes(PAYLOAD.replace(b"pkg1,", b"pkgX,"))
    assert resolve(entry, _settings(tmp_path), FAST).read_bytes() == PAYLOAD
    assert server.hits["/top.csv"] == 2
    assert len(list((tmp_path / "cache" / "quarantine").iterdir())) == 1
