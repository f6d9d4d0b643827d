"""Case 7 of issue 17: snapshots against servers that trickle, loop, flood or keep failing."""

from __future__ import annotations

import gzip
import time

import pytest

from artifact.snapshots.http_retry import RetryingTransport, RetryPolicy, SnapshotError, get, get_json, new_client
from artifact.snapshots.hub import fetch_hub
from tests.faults.helpers import Server

MIB = 1 << 20


def _trickle(handler) -> None:
    """A promised 100-byte body, one byte every 0.2 s: each byte restarts a read timeout."""
    handler.send_response(200)
    handler.send_header("Content-Length", "100")
    handler.end_headers()
    for _ in range(100):
        if handler.server.stop.wait(0.2):
            return
        try:
            handler.wfile.write(b"x")
            handler.wfile.flush()
        except (BrokenPipeError, ConnectionResetError):
            return


def _flood(declared: bool):
    def answer(handler) -> None:
        handler.send_response(200)
        if declared:
            handler.send_header("Content-Length", str(3 * MIB))
        handler.send_header("Connection", "close")
        handler.end_headers()
        try:
            for _ in range(3 * 16):
                handler.wfile.write(bytes(MIB // 16))
        except (BrokenPipeError, ConnectionResetError):
            pass
    return answer


def _busy(handler) -> None:
    handler.send_response(503)
    handler.send_header("Retry-After", "0.4")
    handler.send_header("Content-Length", "0")
    handler.end_headers()


def test_case7_a_trickling_server_meets_the_request_deadline() -> None:
    policy = RetryPolicy(retries=0, timeout=5.0, request_deadline=1.0)
    with Server({"/slow": _trickle}) as server, new_client(RetryingTransport(policy)) as client:
        started = time.monotonic()
        with pytest.raises(SnapshotError, match="deadline of 1 s"):
            get(client, f"{server.url}/slow")
    assert time.monotonic() - started < 4


@pytest.mark.parametrize("declared", [True, False])
def test_case7_a_body_beyond_the_largest_accepted_is_refused(declared: bool) -> None:
    policy = RetryPolicy(retries=0, timeout=5.0, max_body=MIB)
    with (
        Server({"/big": _flood(declared)}) as server,
        new_client(RetryingTransport(policy)) as client,
        pytest.raises(SnapshotError, match="1,048,576 bytes"),
    ):
        get(client, f"{server.url}/big")


def _encoded(body: bytes, encoding: str):
    """An answer sending `body` as it is, declared to be in Content-Encoding `encoding`."""
    def answer(handler) -> None:
        handler.send_response(200)
        handler.send_header("Content-Encoding", encoding)
        handler.send_header("Content-Length", str(len(body)))
        handler.end_headers()
        handler.wfile.write(body)
    return answer


def test_case7_a_small_gzip_body_that_decodes_beyond_the_largest_accepted_is_refused() -> None:
    bomb = gzip.compress(bytes(4 * MIB))  # about 4 kB sent, 4 MiB once decoded
    assert len(bomb) < 10_000
    policy = RetryPolicy(retries=0, timeout=5.0, max_body=MIB)
    with (
        Server({"/bomb": _encoded(bomb, "gzip")}) as server,
        new_client(RetryingTransport(policy)) as client,
        pytest.raises(SnapshotError, match="decodes to more than 1,048,576 bytes"),
    ):
        get(client, f"{server.url}/bomb")


def test_case7_a_gzip_body_within_the_bound_is_decoded_and_other_encodings_are_refused() -> None:
    routes = {"/page": _encoded(gzip.compress(b'[{"id": "a/b"}]'), "gzip"), "/br": _encoded(b"?", "br")}
    policy = RetryPolicy(retries=0, timeout=5.0, max_body=MIB)
    with Server(routes) as server, new_client(RetryingTransport(policy)) as client:
        assert get_json(client, f"{server.url}/page") == [{"id": "a/b"}]
        with pytest.raises(SnapshotError, match="Content-Encoding 'br', which is not decoded within a bound"):
            get(client, f"{server.url}/br")


def test_case7_retries_stop_at_the_commands_deadline() -> None:
    policy = RetryPolicy(retries=50, backoff=0.01, timeout=5.0, command_deadline=1.5)
    with Server({"/busy": _busy}) as server, new_client(RetryingTransport(policy)) as client:
        started = time.monotonic()
        with pytest.raises(SnapshotError, match="deadline of 1.5 s"):
            get(client, f"{server.url}/busy")
    assert time.monotonic() - started < 3 and len(server.requests) <= 5


def test_case7_a_next_link_back_to_a_page_already_read_ends_the_listing() -> None:
    def empty_page_linking_to_itself(handler) -> None:
        if len(handler.server.requests) > 30:  # (without the guard, today's code would loop for ever)
            handler.send_error(500)
            return
        body = b"[]"
        handler.send_response(200)
        handler.send_header("Content-Type", "application/json")
        handler.send_header("Content-Length", str(len(body)))
        handler.send_header("Link", f'<{handler.server.url}{handler.path}>; rel="next"')
        handler.end_headers()
        handler.wfile.write(body)

    with Server({"/api/models": empty_page_linking_to_itself}) as server, pytest.raises(SnapshotError, match="already read"):
        fetch_hub(10, RetryPolicy(retries=0, timeout=5.0), endpoint=server.url)
    assert len(server.requests) == 1
