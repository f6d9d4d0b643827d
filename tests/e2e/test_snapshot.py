"""Snapshots against a real HTTP server on 127.0.0.1 that answers like the Hub, GitHub and npm."""

from __future__ import annotations

import base64
import json
from collections.abc import Iterator
from pathlib import Path

import huggingface_hub
import pytest

from artifact.config import SnapshotSources
from artifact.inputs.digests import sha256_of
from artifact.loaders.registry import SNAPSHOT_LOADERS
from artifact.snapshots.http_retry import RetryPolicy, SnapshotError
from artifact.snapshots.store import MANIFEST_NAME, read_records
from artifact.snapshots.take import take_snapshot
from tests.conftest import run_cli
from tests.sources_server import MALFORMED, NPM_VERSION, PYPI_COMMIT, PYPI_TAG, STALL, SourcesServer

FAST = RetryPolicy(retries=2, backoff=0.05, timeout=5)


@pytest.fixture
def server(monkeypatch: pytest.MonkeyPatch) -> Iterator[SourcesServer]:
    """The server, with every source of the snapshots pointed at it."""
    with SourcesServer() as running:
        monkeypatch.delenv("ARTIFACT_OFFLINE", raising=False)  # the local server stands in for the network
        for variable in ("HF_ENDPOINT", "ARTIFACT_GITHUB_API", "ARTIFACT_GITHUB_RAW", "npm_config_registry"):
            monkeypatch.setenv(variable, running.url)
        yield running


def _visible_files(folder: Path) -> list[str]:
    """What a later run could pick up: every file but the hidden lock."""
    return sorted(p.name for p in folder.iterdir() if p.name != ".snapshots.lock") if folder.exists() else []


def _most_downloaded(server: SourcesServer, top: int) -> list[dict]:
    """The server's first `top` models as the snapshot must hold them (keys the Hub did not send left out)."""
    ranked = sorted(server.sources.models, key=lambda model: model["downloads"], reverse=True)[:top]
    return [{k: v for k, v in model.items() if k != "private" and v is not None} for model in ranked]


def test_hf_snapshot_on_the_command_line(tmp_path: Path, server: SourcesServer) -> None:
    env = {"HF_ENDPOINT": server.url, "HF_TOKEN": "hf_test_token", "ARTIFACT_OFFLINE": ""}
    result = run_cli("snapshot", "hf", "--top", "50", "--out", str(tmp_path), env=env)
    assert result.returncode == 0, result.stderr
    [record] = read_records(tmp_path)
    path = tmp_path / record.file
    assert json.loads(path.read_bytes()) == _most_downloaded(server, 50)  # download order, every field as served
    assert (record.top, record.count, record.size, record.sha256) == (50, 50, path.stat().st_size, sha256_of(path))
    assert record.huggingface_hub == huggingface_hub.__version__ and record.sha256 in result.stdout
    assert record.source.startswith(f"{server.url}/api/models?") and "cursor" not in record.source
    assert len(SNAPSHOT_LOADERS[record.format](path)) == 50
    pages = server.requests_to("/api/models")
    assert [page["query"].get("cursor", ["0"])[0] for page in pages] == ["0", "20", "40"]
    assert all(page["query"]["sort"] == ["downloads"] and page["query"]["limit"] == ["50"] for page in pages)
    assert all(page["headers"].get("authorization") == "Bearer hf_test_token" for page in pages)


def test_rate_limit_is_waited_out_as_the_server_asks(tmp_path: Path, server: SourcesServer) -> None:
    server.sources.faults["models:0"] = [(429, {"Retry-After": "1"})]
    record = take_snapshot("hf", tmp_path, 30, FAST, SnapshotSources.from_env())
    refused, served = server.requests_to("/api/models")[:2]
    assert served["time"] - refused["time"] >= 1.0  # Retry-After honoured, not the 0.05 s back-off
    assert record.count == 30
    assert json.loads((tmp_path / record.file).read_bytes()) == _most_downloaded(server, 30)


def test_server_error_mid_listing_fails_cleanly(tmp_path: Path, server: SourcesServer) -> None:
    earlier = take_snapshot("npm", tmp_path, None, FAST, SnapshotSources.from_env())
    before = {name: (tmp_path / name).read_bytes() for name in _visible_files(tmp_path)}
    server.sources.faults["models:20"] = [(500, {})] * 10
    with pytest.raises(SnapshotError) as caught:
        take_snapshot("hf", tmp_path, 50, FAST, SnapshotSources.from_env())
    message = str(caught.value)
    assert "cursor=20" in message and "HTTP 500" in message and "failed 3 times" in message
    assert {name: (tmp_path / name).read_bytes() for name in _visible_files(tmp_path)} == before
    assert read_records(tmp_path) == [earlier]


def test_malformed_page_is_an_error_naming_its_url(tmp_path: Path, server: SourcesServer) -> None:
    server.sources.faults["models:20"] = [MALFORMED]
    with pytest.raises(SnapshotError) as caught:
        take_snapshot("hf", tmp_path, 50, FAST, SnapshotSources.from_env())
    assert f"{server.url}/api/models?" in str(caught.value) and "cursor=20" in str(caught.value)
    assert _visible_files(tmp_path) == []


def test_a_stalled_page_times_out_and_is_retried(tmp_path: Path, server: SourcesServer) -> None:
    server.sources.faults["models:0"] = [(STALL, 2.0)]
    record = take_snapshot("hf", tmp_path, 30, RetryPolicy(retries=1, backoff=0.05, timeout=0.5), SnapshotSources.from_env())
    assert record.count == 30 and len(server.requests_to("/api/models")) == 3  # page 0 twice, then page 20


def test_identical_responses_give_byte_identical_files(tmp_path: Path, server: SourcesServer) -> None:
    first = take_snapshot("hf", tmp_path / "a", 50, FAST, SnapshotSources.from_env())
    second = take_snapshot("hf", tmp_path / "b", 50, FAST, SnapshotSources.from_env())
    assert (tmp_path / "a" / first.file).read_bytes() == (tmp_path / "b" / second.file).read_bytes()
    assert first.sha256 == second.sha256


def test_pypi_snapshot_is_the_published_file_at_the_latest_release(tmp_path: Path, server: SourcesServer) -> None:
    server.sources.faults["pypi-file"] = [(503, {})]
    record = take_snapshot("pypi", tmp_path, None, FAST, SnapshotSources.from_env())
    assert (tmp_path / record.file).read_bytes() == server.sources.pypi_file
    assert PYPI_COMMIT in record.source and PYPI_TAG in record.version and record.count == 1200


def test_pypi_list_shorter_than_top_is_refused(tmp_path: Path, server: SourcesServer) -> None:
    with pytest.raises(SnapshotError, match="1200 entries, fewer than 5000"):
        take_snapshot("pypi", tmp_path, 5000, FAST, SnapshotSources.from_env())
    assert _visible_files(tmp_path) == []


def test_npm_snapshot_is_the_list_file_of_the_checked_tarball(tmp_path: Path, server: SourcesServer) -> None:
    record = take_snapshot("npm", tmp_path, None, FAST, SnapshotSources.from_env())
    text = (tmp_path / record.file).read_text()
    assert text.startswith("export const topDownload = [\n  'pkg-0',") and record.count == 1100
    assert f"npm-high-impact {NPM_VERSION}, sha512-" in record.version and record.source.endswith("(package/lib/top-download.js)")


def test_npm_tarball_that_fails_its_integrity_is_refused(tmp_path: Path, server: SourcesServer) -> None:
    server.sources.integrity = "sha512-" + base64.b64encode(bytes(64)).decode()
    with pytest.raises(SnapshotError, match="differs from the registry's"):
        take_snapshot("npm", tmp_path, None, FAST, SnapshotSources.from_env())
    assert not (tmp_path / MANIFEST_NAME).exists()
