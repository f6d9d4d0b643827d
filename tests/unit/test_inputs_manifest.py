"""The shipped manifest, its file set and lock file, DATA.md, and the checks on malformed manifests."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

import pytest

from artifact.errors import ArtifactError
from artifact.inputs.datamd import render_data_md
from artifact.inputs.digests import git_blob_of, sha256_of
from artifact.inputs.lockfile import LockRecord, read_lock, record_lock
from artifact.inputs.manifest import load_manifest, manifest_path
from tests.conftest import REPO

ESEM_BLOB_ONLY = {
    "esem2024-hf-2023-05", "esem2024-peatmoss-2023-10", "esem2024-hf-2024-04", "esem2024-cards-top",
    "esem2024-cards-bottom",
}
ECOSYSTEMS = {"ecosystems-2022-11-09", "ecosystems-2023-08-08", "ecosystems-2023-10-22", "ecosystems-2024-03-01"}
ESEM_PINNED = {"esem2024-hf-2022-06", "esem2024-m3-intermediate"}
INDEPENDENT = {
    *(f"independent-pypi-{d}" for d in ("2022-11", "2023-08", "2023-10", "2024-03")),
    *(f"independent-npm-{d}" for d in ("2022-11", "2023-08", "2023-11", "2024-02")),
    "independent-hf-2022-10", "independent-hub-2024-07", "independent-cards-2024-09",
}
# The authors' scripts the witness runs (artifact/authors/witness.py), pinned for every profile.
WITNESS = {
    "esem2024-authors-descendents-py", "esem2024-authors-analysis-r",
    "esem2024-authors-hf-main-src-proportion-directdescendantstolibrary-py",
    "esem2024-authors-hf-main-src-number-directdescendantstodownloads-py",
    "esem2024-authors-hf-main-src-number-directdescendantstoparentmodels-py",
}
COMMIT_URL = re.compile(r"https://raw\.githubusercontent\.com/[\w.-]+/[\w.-]+/[0-9a-f]{40}/\S+")


def test_shipped_manifest_has_every_real_input_pinned_to_a_commit() -> None:
    entries = load_manifest()
    assert set(entries) >= ESEM_BLOB_ONLY | ECOSYSTEMS | ESEM_PINNED | INDEPENDENT
    for entry in entries.values():
        urls = [m.url for m in entry.members] or ([entry.url] if entry.url else [])
        assert all(COMMIT_URL.fullmatch(url) for url in urls), entry.id
    assert {e.id for e in entries.values() if e.url and not e.sha256} == ESEM_BLOB_ONLY
    assert all(not entries[i].url and entries[i].unavailable == "not archived by the authors" for i in ECOSYSTEMS)
    assert entries["esem2024-hf-2022-06"].profiles == ("esem2024", "independent")
    assert {i for i, e in entries.items() if "independent" in e.profiles} == INDEPENDENT | WITNESS | {
        "esem2024-hf-2022-06", "esem2024-authors-turnover-notebook"  # the authors' turnover, beside the independent one
    }
    assert {i for i, e in entries.items() if "sample" in e.profiles and e.url} == WITNESS  # the sample's only fetched inputs
    assert (entries["esem2024-peatmoss-2023-10"].archive, entries["esem2024-peatmoss-2023-10"].member) == ("zip", "")


def test_hub_listing_set_lists_all_760_pages_under_their_names() -> None:
    members = load_manifest()["independent-hub-2024-07"].members
    assert [m.name for m in members] == [f"models_page{n}_07-11-2024.json" for n in range(1, 761)]
    assert all(m.url.endswith("/016ca26976c1e2c78778ba11b50697f4ce5d14fc/data/raw_data/model_lists/" + m.name)
               for m in members)
    assert all(re.fullmatch(r"[0-9a-f]{64}", m.sha256) and m.size > 0 for m in members)


def test_data_md_is_generated_from_the_manifest() -> None:
    text = render_data_md(load_manifest())
    assert (REPO / "DATA.md").read_text() == text, "DATA.md is out of date: run `make data-md` and commit it"
    assert "| `independent-hub-2024-07` | independent | 2024-07-11 | 287,778,570 B in 760 files |" in text


@pytest.mark.parametrize(
    ("body", "complaint"),
    [
        ('url = "https://example.org/x"', "has a location but no sha256 or git_blob"),
        ("", "has no url, local or fileset"),
        ('url = "https://example.org/x"\nsha256 = "ab"\nfileset = "good.tsv"', "has both 'url' and 'fileset'"),
        ('url = "https://example.org/x.zip"\nsha256 = "ab"\nmember = "x.db"', "names a member but no archive kind"),
        ('url = "https://example.org/x.tar"\nsha256 = "ab"\narchive = "tar"', "archive 'tar' is not one of"),
        ('fileset = "bad.tsv"', "member name '../x.json' must be a plain file name"),
        ('local = "x"\nsha256 = "ab"\nlicence = "MIT (this repository)"', "write an SPDX id (e.g. MIT, CC-BY-4.0) or"),
    ],
)
def test_malformed_entries_are_refused_naming_the_problem(tmp_path: Path, body: str, complaint: str) -> None:
    header = "name\turl\tsize\tsha256\tgit_blob\n"
    (tmp_path / "bad.tsv").write_text(header + "../x.json\thttps://e.org/x\t1\tab\t\n")
    (tmp_path / "good.tsv").write_text(header + "x.json\thttps://e.org/x\t1\tab\t\n")
    manifest = tmp_path / "manifest.toml"
    fields = 'id = "x"\nprofiles = ["p"]\nsource = "s"\nsnapshot = "s"\nformat = "f"\nwhat = "w"\n'
    manifest.write_text(f"[[input]]\n{fields}{body}\n")
    with pytest.raises(ArtifactError, match=re.escape(complaint)):
        load_manifest(manifest)


def test_every_shipped_entry_states_its_licence_as_an_spdx_id_or_unknown() -> None:
    raw = tomllib.loads(manifest_path().read_text())["input"]
    missing = [entry["id"] for entry in raw if "licence" not in entry]
    assert missing == []
    assert {entry["licence"] for entry in raw} <= {"MIT", "unknown"}  # today's; a new id must be a real SPDX one


def test_lock_records_are_added_replaced_and_read_back(tmp_path: Path) -> None:
    lock = tmp_path / "inputs.lock"
    assert read_lock(lock) == {}
    first = LockRecord("z-input", "https://e.org/z", "1" * 40, 10, "a" * 64)
    second = LockRecord("a-input", "https://e.org/a", "2" * 40, 20, "b" * 64)
    record_lock(lock, first)
    record_lock(lock, second)
    record_lock(lock, LockRecord("z-input", "https://e.org/z", "1" * 40, 11, "c" * 64))  # replaces `first`
    replaced = LockRecord("z-input", "https://e.org/z", "1" * 40, 11, "c" * 64)
    assert read_lock(lock) == {"a-input": second, "z-input": replaced}
    rows = [line.split("\t")[0] for line in lock.read_text().splitlines() if not line.startswith("#")]
    assert rows == ["id", "a-input", "z-input"]


def test_shipped_lock_records_belong_to_git_blob_entries() -> None:
    entries = load_manifest()
    for record in read_lock().values():
        entry = entries[record.id]
        assert (entry.url, entry.git_blob, entry.sha256) == (record.url, record.git_blob, "")


def test_digests_match_git_and_sha256sum(tmp_path: Path) -> None:
    path = tmp_path / "hello"
    path.write_bytes(b"hello\n")
    assert git_blob_of(path) == "ce013625030ba8dba906f756967f9e9ca394464a"  # `git hash-object`
    assert sha256_of(path) == "5891b5b522d5df086d0ff0b110fbd9d21bb4fc7163af34d08286a2e846f6be03"  # `sha256sum`


def test_an_input_that_cannot_be_had_has_no_location() -> None:
    """The report showed `artifact/` as the source of the authors' unarchived Ecosyste.ms dumps."""
    unarchived = [entry for entry in load_manifest().values() if entry.unavailable]
    assert unarchived and all(entry.location == "" for entry in unarchived)
