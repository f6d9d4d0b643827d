"""The real inputs from the shared mirror (ARTIFACT_MIRROR): every pin checked against the real bytes."""

from __future__ import annotations

import csv
import os
import time
from pathlib import Path

import pytest

from artifact.inputs.manifest import load_manifest
from tests.conftest import run_cli

MIRROR = Path(os.environ.get("ARTIFACT_MIRROR", "/nonexistent"))
pytestmark = [
    pytest.mark.mirror,
    pytest.mark.skipif(not (MIRROR / "INDEX.tsv").is_file(), reason="needs the real inputs: set ARTIFACT_MIRROR"),
]
BLOB_ONLY = ["esem2024-hf-2023-05", "esem2024-peatmoss-2023-10", "esem2024-hf-2024-04", "esem2024-cards-top",
             "esem2024-cards-bottom"]


def _run(profile: str, cache: Path) -> tuple[int, list[str]]:
    env = {"ARTIFACT_CACHE": str(cache), "ARTIFACT_MIRROR": str(MIRROR), "ARTIFACT_OFFLINE": "1"}
    result = run_cli("fetch", "--profile", profile, env=env)
    return result.returncode, result.stdout.splitlines()


def test_manifest_agrees_with_the_mirror_index() -> None:
    pins = {}
    for entry in load_manifest().values():
        pins.update({m.url: (m.size, m.sha256, m.git_blob) for m in entry.members})
        if entry.url:
            pins[entry.url] = (entry.size, entry.sha256, entry.git_blob)
    with (MIRROR / "INDEX.tsv").open(newline="") as handle:
        rows = list(csv.DictReader(handle, delimiter="\t"))
    assert len(rows) == 817  # 772 inputs of the profiles + 45 further files of the authors' repository
    for row in rows:
        assert pins[row["url"]] == (int(row["size"]), row["sha256"], row["git_blob"]), row["url"]
    facts = MIRROR.parent / "pinned-facts.tsv"  # the inputs whose bytes the mirror lacks, next to it
    if facts.is_file():
        entries = load_manifest()
        with facts.open(newline="") as handle:
            for row in csv.DictReader(handle, delimiter="\t"):
                entry = entries[row["id"]]
                assert (entry.url or "(unarchived)", entry.git_blob, entry.snapshot) == (
                    row["url"].split(" ")[0], row["git_blob"], row["snapshot"]
                ), row["id"]


def test_independent_profile_is_verified_offline_from_the_mirror(tmp_path: Path) -> None:
    started = time.monotonic()
    code, lines = _run("independent", tmp_path)
    assert code == 0, "\n".join(lines)
    assert time.monotonic() - started < 60
    verified = [line.split()[1] for line in lines if line.startswith("OK ")]
    # 13 inputs of its own and the paper's, and the 5 authors' scripts the witness runs
    assert len(verified) == 18 and "independent-hub-2024-07" in verified and "esem2024-authors-turnover-notebook" in verified
    pages = next((tmp_path / "sets").glob("independent-hub-2024-07-*"))
    assert len(list(pages.glob("models_page*_07-11-2024.json"))) == 760
    assert (pages / "models_page1_07-11-2024.json").read_bytes().startswith(b"[")


def test_esem2024_lists_exactly_what_the_mirror_lacks(tmp_path: Path) -> None:
    code, lines = _run("esem2024", tmp_path)
    assert code == 2  # inputs missing: an input error
    status = {line.split()[1]: line.split()[0] for line in lines if line.split()[0] in ("OK", "MISSING", "UNAVAILABLE")}
    assert status == {
        "esem2024-hf-2022-06": "OK", "esem2024-m3-intermediate": "OK",
        **{name: "OK" for name in load_manifest() if name.startswith("esem2024-authors-")},
        **dict.fromkeys(BLOB_ONLY, "MISSING"),
        **{f"ecosystems-{d}": "UNAVAILABLE" for d in ("2022-11-09", "2023-08-08", "2023-10-22", "2024-03-01")},
    }
    text = "\n".join(lines)
    assert f"{MIRROR}/raw.githubusercontent.com/PurdueDualityLab/ptm-quantify-esem-2024/" in text
    assert "git blob c2a7b51a49cea85cf1da8b946a5dff0c615482be" in text
    assert sum(name.startswith("esem2024-authors-") for name in status) == 19  # notebook, 27 figures as one set, 17 files
    figures = next((tmp_path / "sets").glob("esem2024-authors-figures-*"))
    assert (figures / "Number of Forks - 2.pdf").read_bytes().startswith(b"%PDF")
