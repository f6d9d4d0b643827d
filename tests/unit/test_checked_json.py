"""Checked JSON records: what was written reads back; a flipped byte, an oversized or a missing record reads as None."""

from __future__ import annotations

from pathlib import Path

from artifact.checked_json import code_hash, read_checked, write_checked


def test_a_record_reads_back_and_its_first_line_is_the_bodys_checksum(tmp_path: Path) -> None:
    path = tmp_path / "derived" / "r.json"
    assert write_checked(path, {"b": [1, 2.5], "a": "x"}, 1000)
    assert read_checked(path, 1000) == {"a": "x", "b": [1, 2.5]}
    body = b'{"a": "x", "b": [1, 2.5]}'  # keys sorted; its sha256 computed apart (hashlib, by hand)
    assert path.read_bytes() == b"sha256 0acd2d90f0cd6e85fef729a57602a400c2c4e760a419534eb7aaa5117dcdd8c4\n" + body


def test_a_flipped_byte_an_oversized_or_a_missing_record_reads_as_none(tmp_path: Path) -> None:
    path = tmp_path / "r.json"
    write_checked(path, {"a": 1}, 1000)
    data = bytearray(path.read_bytes())
    data[-2] ^= 1  # '1' -> '0': still valid JSON, wrong checksum
    path.write_bytes(bytes(data))
    assert read_checked(path, 1000) is None
    write_checked(path, {"a": 1}, 1000)
    assert read_checked(path, len(path.read_bytes()) - 1) is None
    assert read_checked(tmp_path / "absent.json", 1000) is None


def test_a_body_over_the_bound_is_not_written(tmp_path: Path) -> None:
    assert not write_checked(tmp_path / "r.json", {"a": "x" * 100}, 50)
    assert not (tmp_path / "r.json").exists()


def test_code_hash_names_an_absent_package_and_follows_more(tmp_path: Path) -> None:
    source = tmp_path / "m.py"
    source.write_text("x = 1\n")
    absent = code_hash([str(source)], ["no-such-package-here"])
    assert absent == code_hash([str(source)], ["no-such-package-here"])  # absent: a hash, not an error
    assert code_hash([str(source)], ["no-such-package-here"], "3.11") != absent
