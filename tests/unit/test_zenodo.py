"""Deposit metadata is valid, CITATION.cff and .zenodo.json agree, and the deposit archive is reproducible."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
import tarfile
import tomllib
from pathlib import Path

import jsonschema
import pytest
import yaml

from artifact.zenodo import build_deposit
from tests.conftest import REPO

PAPER_DOI = "10.1145/3674805.3686665"
ZENODO_SCHEMA = REPO / "tests" / "data" / "zenodo" / "legacyrecord.json"
CFFCONVERT = shutil.which("cffconvert", path=str(Path(sys.executable).parent))


def _zenodo_schema() -> dict:
    """Zenodo's deposit schema as vendored, plus the `version` field (tests/data/zenodo/README.md says why)."""
    schema = json.loads(ZENODO_SCHEMA.read_text())
    schema["properties"]["version"] = {"type": "string"}
    return schema


def _problems(meta: dict) -> list[str]:
    validator = jsonschema.Draft4Validator(_zenodo_schema())
    return sorted(f"{list(error.path)}: {error.message}" for error in validator.iter_errors(meta))


def test_zenodo_json_is_valid_against_zenodos_deposit_schema() -> None:
    assert _problems(json.loads((REPO / ".zenodo.json").read_text())) == []


@pytest.mark.parametrize(
    "change",
    [{"upload_type": "sofware"}, {"keyword": ["typo of keywords"]}, {"creators": [{"name": "x", "email": "x@y"}]}],
)
def test_zenodo_schema_check_refuses_what_zenodo_would(change: dict) -> None:
    meta = {**json.loads((REPO / ".zenodo.json").read_text()), **change}
    assert _problems(meta)


@pytest.mark.skipif(CFFCONVERT is None, reason="cffconvert is not installed (test extra)")
def test_citation_cff_is_valid() -> None:
    result = subprocess.run([CFFCONVERT, "--validate", "-i", str(REPO / "CITATION.cff")], capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


def test_citation_cff_and_zenodo_json_agree() -> None:
    cff = yaml.safe_load((REPO / "CITATION.cff").read_text())
    zenodo = json.loads((REPO / ".zenodo.json").read_text())
    version = tomllib.loads((REPO / "pyproject.toml").read_text())["project"]["version"]
    assert zenodo["title"] == cff["title"]
    assert zenodo["version"] == cff["version"] == version
    assert zenodo["license"] == cff["license"]
    assert zenodo["keywords"] == cff["keywords"]
    assert zenodo["publication_date"] == cff["date-released"]
    assert re.sub(r"</?p>", "", zenodo["description"]) == cff["abstract"]
    assert [c["name"] for c in zenodo["creators"]] == [a.get("name") or f"{a['family-names']}, {a['given-names']}" for a in cff["authors"]]
    assert [i["value"] for i in cff["identifiers"] if i["type"] == "doi"] == [PAPER_DOI]
    assert all(PAPER_DOI in reference for reference in zenodo["references"])


def test_preferred_citation_is_the_paper_by_its_authors() -> None:
    paper = yaml.safe_load((REPO / "CITATION.cff").read_text())["preferred-citation"]
    assert paper["type"] == "conference-paper" and paper["doi"] == PAPER_DOI
    assert [a["family-names"] for a in paper["authors"]] == ["Jones", "Jiang", "Synovic", "Thiruvathukal", "Davis"]


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
