"""Cases 1, 2, 3 and 8 of issue 17: the cache, the mirror's gzip copies, downloads and manifest ids under attack."""

from __future__ import annotations

import dataclasses
import gzip
import os
import zlib
from pathlib import Path

import pytest

from artifact.errors import ArtifactError, ChecksumMismatchError
from artifact.inputs.cache import Cache
from artifact.inputs.manifest import load_manifest
from artifact.inputs.resolve import resolve
from tasks.base import InputFile, configure
from tests.faults.helpers import PAYLOAD, URL, Server, entry, mirror_file, quarantined, settings, sha256


def test_case1_a_flipped_bit_with_its_mtime_restored_is_not_trusted(tmp_path: Path) -> None:
    mirror = tmp_path / "mirror"
    mirror_file(mirror).write_bytes(PAYLOAD)
    config = settings(tmp_path, mirror)
    cached = resolve(entry(), config)
    assert cached.read_bytes() == PAYLOAD
    _flip_a_bit_keeping_the_mtime(cached)
    again = resolve(entry(), config)  # a later run (the cache is re-read, as by a new process)
    assert again.read_bytes() == PAYLOAD  # the changed bytes were not used: the mirror's were fetched again
    [kept] = quarantined(tmp_path)
    assert kept.read_bytes() != PAYLOAD and len(kept.read_bytes()) == len(PAYLOAD)


def test_case2_a_gzip_bomb_in_the_mirror_stops_at_the_pinned_size(tmp_path: Path) -> None:
    mirror = tmp_path / "mirror"
    bomb = zlib.compressobj(9, zlib.DEFLATED, 31)  # gzip framing, streamed: 64 MiB of zeros in about 64 kB
    with mirror_file(mirror).with_name("top.csv.gz").open("wb") as handle:
        for _ in range(64):
            handle.write(bomb.compress(bytes(1 << 20)))
        handle.write(bomb.flush())
    with pytest.raises(ChecksumMismatchError) as caught:
        resolve(entry(), settings(tmp_path, mirror))
    message = str(caught.value)
    assert f"more than {len(PAYLOAD):,} bytes" in message and "only its first" in message
    [kept] = quarantined(tmp_path)
    assert kept.read_bytes() == bytes(len(PAYLOAD))  # at most the pinned size is kept: the bomb's first zeros
    assert kept.name == f"fault-input.{sha256(bytes(len(PAYLOAD)))}"  # named by the bytes kept
    assert list((tmp_path / "cache" / "tmp").iterdir()) == []


def _endless(handler) -> None:
    """200 with no length, then far more bytes than any pin, until the client hangs up."""
    handler.send_response(200)
    handler.end_headers()
    try:
        for _ in range(256):  # 64 MiB at most
            handler.wfile.write(bytes(1 << 18))
    except (BrokenPipeError, ConnectionResetError):
        pass


def test_case2_a_download_larger_than_its_pin_stops_at_the_pinned_size(tmp_path: Path) -> None:
    from artifact.retry import RetryPolicy

    fast = RetryPolicy(timeout=2.0, retries=0, backoff=0.01)
    with Server({"/top.csv": _endless}) as server, pytest.raises(ChecksumMismatchError) as caught:
        resolve(entry(url=f"{server.url}/top.csv"), settings(tmp_path, offline=False), fast)
    assert f"more than {len(PAYLOAD):,} bytes" in str(caught.value)
    [kept] = quarantined(tmp_path)
    assert kept.read_bytes() == bytes(len(PAYLOAD))
    assert kept.name == f"fault-input.{sha256(bytes(len(PAYLOAD)))}" and kept.name in str(caught.value)


def test_case2_a_retry_after_is_not_reused_after_a_later_different_failure(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from artifact.inputs import fetch
    from artifact.retry import RetryPolicy

    def busy_then_hang_up_then_serve(handler) -> None:
        if len(handler.server.requests) == 1:
            handler.send_response(503)
            handler.send_header("Retry-After", "30")
            handler.send_header("Content-Length", "0")
            handler.end_headers()
        elif len(handler.server.requests) == 3:
            handler.send_response(200)
            handler.send_header("Content-Length", str(len(PAYLOAD)))
            handler.end_headers()
            handler.wfile.write(PAYLOAD)
        # the second request: the connection is closed without an answer

    waits: list[float] = []
    monkeypatch.setattr(fetch.time, "sleep", waits.append)
    policy = RetryPolicy(timeout=2.0, retries=2, backoff=0.05)
    with Server({"/top.csv": busy_then_hang_up_then_serve}) as server:
        cached = resolve(entry(url=f"{server.url}/top.csv"), settings(tmp_path, offline=False), policy)
    assert cached.read_bytes() == PAYLOAD
    # the server's 30 s once, then the back-off after the second failure: 0.05 * 2 s, not 30 s again
    assert waits == [30.0, 0.1]


@pytest.mark.parametrize("damage", ["flipped byte", "truncated member"])
def test_case3_a_damaged_gzip_copy_is_a_checksum_failure_and_quarantined(tmp_path: Path, damage: str) -> None:
    mirror = tmp_path / "mirror"
    packed = bytearray(gzip.compress(PAYLOAD * 50, mtime=0))
    data = PAYLOAD * 50
    if damage == "flipped byte":
        packed[len(packed) // 2] ^= 0xFF
    else:
        packed = packed[: len(packed) - 12]
    mirror_file(mirror).with_name("top.csv.gz").write_bytes(bytes(packed))
    with pytest.raises(ChecksumMismatchError) as caught:  # not InputMissingError: the run must stop (exit 2)
        resolve(entry(data), settings(tmp_path, mirror))
    assert "top.csv.gz is damaged" in str(caught.value) and "kept aside in" in str(caught.value)
    assert len(quarantined(tmp_path)) == 1


def test_case8_a_manifest_id_that_is_a_path_is_refused(tmp_path: Path) -> None:
    manifest = tmp_path / "manifest.toml"
    manifest.write_text(
        '[[input]]\nid = "../../escaped"\nprofiles = ["test"]\nsource = "s"\nsnapshot = "s"\nformat = "f"\n'
        f'what = "w"\nurl = "{URL}"\nsize = 3\nsha256 = "{"0" * 64}"\n'
    )
    with pytest.raises(ArtifactError, match=r"\[a-z0-9\]\[a-z0-9.-\]\*"):
        load_manifest(manifest)


def test_case8_the_quarantine_never_writes_outside_the_cache(tmp_path: Path) -> None:
    cache = Cache(tmp_path / "cache")
    with cache.temporary() as tmp:
        tmp.write_bytes(b"bad")
        with pytest.raises(ArtifactError, match="would leave"):
            cache.quarantine(tmp, "../../escaped", "0" * 64)
    assert not list(tmp_path.glob("escaped*")) and not list((tmp_path / "cache").glob("escaped*"))


def test_case1_a_task_reads_a_changed_cached_input_only_after_hashing_it(tmp_path: Path) -> None:
    mirror = tmp_path / "mirror"
    mirror_file(mirror).write_bytes(PAYLOAD)
    manifest = tmp_path / "manifest.toml"
    manifest.write_text(
        f'[[input]]\nid = "fault-input"\nprofiles = ["independent"]\nsource = "s"\nsnapshot = "s"\nformat = "toplist-csv"\n'
        f'what = "w"\nurl = "{URL}"\nsize = {len(PAYLOAD)}\nsha256 = "{sha256(PAYLOAD)}"\n'
    )
    configure(dataclasses.replace(settings(tmp_path, mirror), manifest=manifest))
    cached = Path(InputFile(profile="independent", input_id="fault-input").verified().path)
    _flip_a_bit_keeping_the_mtime(cached)
    configure(dataclasses.replace(settings(tmp_path, mirror), manifest=manifest))  # a later run's fresh tasks
    task = InputFile(profile="independent", input_id="fault-input")
    assert task.complete() and quarantined(tmp_path) == []  # deciding what runs reads no input bytes
    assert Path(task.output().path).read_bytes() == PAYLOAD  # what a task reads was hashed first, and fetched again
    [kept] = quarantined(tmp_path)
    assert kept.read_bytes() != PAYLOAD


def _flip_a_bit_keeping_the_mtime(path: Path) -> None:
    """Bit rot: one bit of one byte changed, the size and the mtime as they were."""
    before = path.stat()
    path.chmod(0o644)
    with path.open("r+b") as handle:
        handle.seek(40)
        byte = handle.read(1)[0]
        handle.seek(40)
        handle.write(bytes([byte ^ 0x10]))
    os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))
