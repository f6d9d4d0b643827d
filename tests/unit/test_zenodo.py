"""Deposit metadata is valid and the deposit archive is reproducible byte for byte."""

from __future__ import annotations

import json
import tarfile
from pathlib import Path

import yaml

from artifact.zenodo import build_deposit
from tests.conftest import REPO

PAPER_DOI = "10.1145/3674805.3686665"


def test_zenodo_json_relates_the_deposit_to_the_paper() -> None:
    meta = json.loads((REPO / ".zenodo.json").read_text())
    for key in ("title", "upload_type", "description", "creators", "license"):
        assert meta[key], key
    assert meta["upload_type"] in {"software", "dataset", "other"}
    assert all("name" in creator for creator in meta["creators"])
    assert {"identifier": PAPER_DOI, "relation": "isSupplementTo"}.items() <= meta["related_identifiers"][0].items()


def test_citation_cff_has_the_required_fields_and_cites_the_paper() -> None:
    cff = yaml.safe_load((REPO / "CITATION.cff").read_text())
    assert cff["cff-version"] == "1.2.0"
    for key in ("message", "title", "authors"):
        assert cff[key], key
    assert all("name" in a or "family-names" in a for a in cff["authors"] + cff["preferred-citation"]["authors"])
    assert cff["preferred-citation"]["doi"] == PAPER_DOI


def test_deposit_is_byte_identical_when_built_twice(tmp_path: Path) -> None:
    source = tmp_path / "src"
    source.mkdir()
    (source / "b.txt").write_text("b")
    (source / "a.sh").write_text("#!/bin/sh\n")
    (source / "a.sh").chmod(0o755)
    files = [("b.txt", source / "b.txt"), ("a.sh", source / "a.sh")]
    first = build_deposit(files, tmp_path / "one.tar.gz", mtime=1_700_000_000)
    (source / "b.txt").touch()  # a newer mtime on disk must not change the archive
    second = build_deposit(list(reversed(files)), tmp_path / "two.tar.gz", mtime=1_700_000_000)
    assert first == second
    with tarfile.open(tmp_path / "one.tar.gz") as tar:
        names = tar.getnames()
        sums = tar.extractfile("hf-claims-artifact/SHA256SUMS").read().decode()
        assert tar.getmember("hf-claims-artifact/a.sh").mode == 0o755
    assert names == ["hf-claims-artifact/a.sh", "hf-claims-artifact/b.txt", "hf-claims-artifact/SHA256SUMS"]
    assert sums.splitlines()[0].endswith("  a.sh") and len(sums.splitlines()) == 2
