"""Deposit metadata is valid, CITATION.cff and .zenodo.json agree, and the deposit archive is reproducible."""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
import tarfile
from pathlib import Path

import jsonschema
import pytest
import yaml

from tests.conftest import REPO
from tests.unit.test_packaging import package_metadata

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
    result = subprocess.run([CFFCONVERT, "--validate", "-i", str(REPO / "CITATION.cff")], capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stdout + result.stderr


def test_citation_cff_and_zenodo_json_agree() -> None:
    cff = yaml.safe_load((REPO / "CITATION.cff").read_text())
    zenodo = json.loads((REPO / ".zenodo.json").read_text())
    version = package_metadata()["version"]
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


GIT_ENV = {"GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@e", "GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@e",
           "GIT_AUTHOR_DATE": "1700000000 +0000", "GIT_COMMITTER_DATE": "1700000000 +0000"}
MIT_URL = "https://example.org/r/0123/mit.csv"
UNKNOWN_URL = "https://example.org/r/0123/unknown.csv"


NEEDS_GIT = pytest.mark.skipif(shutil.which("git") is None, reason="the deposit is built by git archive: needs git (the image has none)")


def _git(repo: Path, *args: str) -> None:
    subprocess.run(["git", "-C", str(repo), *args], check=True, capture_output=True, env={**os.environ, **GIT_ENV})


@pytest.fixture()
def repo(tmp_path: Path) -> Path:
    """A small committed checkout: a text file and an executable script."""
    if shutil.which("git") is None:
        pytest.skip("the deposit is built by git archive: needs git (the image has none)")
    root = tmp_path / "repo"
    (root / "bin").mkdir(parents=True)
    (root / "a.txt").write_text("committed\n")
    (root / "bin" / "run.sh").write_text("#!/bin/sh\n")
    (root / "bin" / "run.sh").chmod(0o755)
    _git(root, "init", "-q")
    _git(root, "add", ".")
    _git(root, "commit", "-q", "-m", "first")
    return root


@pytest.fixture()
def inputs(tmp_path: Path) -> dict[str, str]:
    """A manifest with an MIT input and one of unknown licence, both in a cache: the environment naming them."""
    manifest, cache = tmp_path / "manifest" / "manifest.toml", tmp_path / "cache"
    manifest.parent.mkdir()
    body = ""
    for name, url, licence in (("mit", MIT_URL, "MIT"), ("unknown", UNKNOWN_URL, "unknown")):
        data = f"{name} bytes\n".encode()
        digest = hashlib.sha256(data).hexdigest()
        blob = cache / "sha256" / digest[:2] / digest
        blob.parent.mkdir(parents=True, exist_ok=True)
        blob.write_bytes(data)
        body += (f'[[input]]\nid = "demo-{name}"\nprofiles = ["demo"]\nsource = "s"\nsnapshot = "2024-01"\n'
                 f'format = "toplist-csv"\nwhat = "w"\nlicence = "{licence}"\nurl = "{url}"\nsha256 = "{digest}"\nsize = {len(data)}\n\n')
    manifest.write_text(body)
    return {"ARTIFACT_MANIFEST": str(manifest), "ARTIFACT_CACHE": str(cache)}


def _zenodo(repo: Path, out: Path, *args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess:
    environment = {k: v for k, v in os.environ.items() if k not in ("SOURCE_DATE_EPOCH", "ARTIFACT_MANIFEST")}
    environment.setdefault("ARTIFACT_CACHE", str(out.parent / "empty-cache"))
    return subprocess.run(
        [sys.executable, "-m", "artifact", "zenodo", "--repo", str(repo), "--out", str(out), *args],
        cwd=REPO, env={**environment, **(env or {})}, capture_output=True, text=True, timeout=120, check=False
    )


def _members(archive: Path) -> dict[str, bytes]:
    with tarfile.open(archive) as tar:
        return {m.name.removeprefix("hf-claims-artifact/"): tar.extractfile(m).read() for m in tar if m.isfile()}


def test_deposit_is_the_committed_tree_byte_identical_when_built_twice(repo: Path, tmp_path: Path) -> None:
    first, second = tmp_path / "one.tar.gz", tmp_path / "two.tar.gz"
    assert _zenodo(repo, first).returncode == 0
    (repo / "a.txt").touch()  # a newer mtime on disk must not change the archive
    (repo / "untracked.txt").write_text("not committed")  # not in the commit, not in the deposit
    assert _zenodo(repo, second).returncode == 0
    assert first.read_bytes() == second.read_bytes()
    members = _members(first)
    assert sorted(members) == ["DEPOSIT.md", "SHA256SUMS", "a.txt", "bin/run.sh"]
    with tarfile.open(first) as tar:
        assert tar.getmember("hf-claims-artifact/bin/run.sh").mode == 0o755
        assert {m.mtime for m in tar} == {1_700_000_000}  # the commit's date, SOURCE_DATE_EPOCH being unset
    sums = members["SHA256SUMS"].decode().splitlines()
    committed = hashlib.sha256(b"committed\n").hexdigest()
    assert sums[1] == f"{committed}  a.txt" and len(sums) == 3
    head = subprocess.run(["git", "-C", str(repo), "rev-parse", "HEAD"], capture_output=True, text=True, check=False).stdout.strip()
    assert f"commit {head} (" in members["DEPOSIT.md"].decode()


def test_deposit_readme_says_first_how_to_run_and_what_runs_offline(repo: Path, tmp_path: Path, inputs: dict) -> None:
    assert _zenodo(repo, tmp_path / "d.tar.gz", "--with-inputs", env=inputs).returncode == 0
    head = _members(tmp_path / "d.tar.gz")["DEPOSIT.md"].decode().splitlines()[:6]
    assert "`make reproduce PROFILE=sample`, then `make compare PROFILE=sample`" in head[2]
    assert head[3].startswith("Offline, with no setting: `sample` (embedded)")
    assert "`demo` (1 of its 2 files packed here)" in head[4]


def test_dirty_tree_is_refused_unless_allowed_and_then_recorded(repo: Path, tmp_path: Path) -> None:
    (repo / "a.txt").write_text("edited\n")
    out = tmp_path / "d.tar.gz"
    refused = _zenodo(repo, out)
    assert refused.returncode == 2 and "uncommitted changes (a.txt)" in refused.stderr and "--allow-dirty" in refused.stderr
    assert not out.exists() and list(tmp_path.glob(".d.tar.gz*")) == []
    assert _zenodo(repo, out, "--allow-dirty").returncode == 0
    members = _members(out)
    assert members["a.txt"] == b"edited\n"
    assert "with uncommitted changes (--allow-dirty) to: a.txt" in members["DEPOSIT.md"].decode()


@pytest.mark.parametrize("committed", [True, False])
def test_a_symbolic_link_in_the_tree_is_refused_by_name(repo: Path, tmp_path: Path, committed: bool) -> None:
    (repo / "a.txt").unlink()
    (repo / "a.txt").symlink_to("/etc/hostname")
    if committed:
        _git(repo, "commit", "-q", "-am", "a link")
    out = tmp_path / "d.tar.gz"
    refused = _zenodo(repo, out, *(() if committed else ("--allow-dirty",)))
    assert refused.returncode == 2, refused.stderr
    assert "a.txt is a symbolic link to /etc/hostname" in refused.stderr
    assert not out.exists()


def test_inputs_are_packed_only_when_their_licence_allows_the_rest_listed(repo: Path, tmp_path: Path, inputs: dict) -> None:
    out = tmp_path / "d.tar.gz"
    assert _zenodo(repo, out, "--with-inputs", env=inputs).returncode == 0
    members = _members(out)
    assert members["inputs/example.org/r/0123/mit.csv"] == b"mit bytes\n"
    assert not any("unknown.csv" in name for name in members)
    readme = members["DEPOSIT.md"].decode()
    unknown_sha = hashlib.sha256(b"unknown bytes\n").hexdigest()
    assert f"| demo-unknown | unknown | {UNKNOWN_URL} | 14 | sha256 {unknown_sha} | `inputs/example.org/r/0123/unknown.csv` |" in readme
    asked = _zenodo(repo, out, "--input", "demo-unknown", env=inputs)
    assert asked.returncode == 2 and "input demo-unknown" in asked.stderr and "does not allow redistribution" in asked.stderr


def test_a_cached_input_that_no_longer_matches_its_pin_is_refused(repo: Path, tmp_path: Path, inputs: dict) -> None:
    blob = next(p for p in Path(inputs["ARTIFACT_CACHE"]).rglob("*") if p.is_file() and p.read_bytes() == b"mit bytes\n")
    blob.write_bytes(b"mit bytez\n")
    out = tmp_path / "d.tar.gz"
    refused = _zenodo(repo, out, "--with-inputs", env=inputs)
    assert refused.returncode == 2 and f"the cached file {blob} has sha256" in refused.stderr and "demo-mit" in refused.stderr
    assert not out.exists()
    blob.unlink()
    (tmp_path / "elsewhere").write_bytes(b"mit bytes\n")
    blob.symlink_to(tmp_path / "elsewhere")  # the right bytes, behind a link: still refused
    linked = _zenodo(repo, out, "--with-inputs", env=inputs)
    assert linked.returncode == 2 and f"{blob} is a symbolic link" in linked.stderr and not out.exists()


@NEEDS_GIT
def test_make_zenodo_and_the_module_give_the_same_bytes(tmp_path: Path) -> None:
    clone = tmp_path / "clone"
    subprocess.run(["git", "clone", "-q", str(REPO), str(clone)], check=True)
    environment = {k: v for k, v in os.environ.items() if k not in ("SOURCE_DATE_EPOCH", "MAKEFLAGS", "ARTIFACT_MANIFEST")}
    made = subprocess.run(["make", "-s", "-C", str(clone), "-o", "install", "zenodo", f"PY={sys.executable}"],
                          env=environment, capture_output=True, text=True, timeout=300, check=False)
    assert made.returncode == 0, made.stderr
    assert _zenodo(clone, tmp_path / "module.tar.gz").returncode == 0
    assert (clone / "dist" / "hf-claims-artifact.tar.gz").read_bytes() == (tmp_path / "module.tar.gz").read_bytes()


def test_an_unpacked_deposits_inputs_folder_is_the_mirror_when_none_is_set(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from artifact import config

    monkeypatch.setattr(config, "DEPOSIT_INPUTS", tmp_path / "inputs")
    assert config.Settings.from_env({}).mirror_dir is None  # a checkout: no inputs/ folder
    (tmp_path / "inputs").mkdir()
    assert config.Settings.from_env({}).mirror_dir == tmp_path / "inputs"
    assert config.Settings.from_env({"ARTIFACT_MIRROR": "/elsewhere"}).mirror_dir == Path("/elsewhere")


def test_source_date_epoch_when_set_fixes_the_file_times(repo: Path, tmp_path: Path) -> None:
    out = tmp_path / "d.tar.gz"
    assert _zenodo(repo, out, env={"SOURCE_DATE_EPOCH": "1234567890"}).returncode == 0
    with tarfile.open(out) as tar:
        assert {m.mtime for m in tar} == {1_234_567_890}
    refused = _zenodo(repo, tmp_path / "e.tar.gz", env={"SOURCE_DATE_EPOCH": "yesterday"})
    assert refused.returncode == 2 and "SOURCE_DATE_EPOCH='yesterday'" in refused.stderr
