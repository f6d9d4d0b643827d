"""Fingerprinted completeness end to end: changed code or changed input bytes rerun what depends on
them, and nothing else (each case on a copy of the session's sample run, which a copy of the
checkout elsewhere must also take as current)."""

from __future__ import annotations

import json
import os
import re
import shutil
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from artifact.config import Settings
from artifact.fingerprint import RACY_NS
from artifact.inputs.manifest import manifest_path
from artifact.inputs.resolve import sha256_of
from tasks.base import CODE_DIGESTS
from tests.conftest import REPO, run_cli
from tests.mirror_inputs import needs_authors_scripts

CHECKOUT_PARTS = ("artifact", "tasks", "expected_outputs", "luigi.cfg", "requirements.lock")
# `python -m artifact ARGS`, then what it imported of the scientific stack and how many source files it read for code digests
WATCHED = """import runpy, sys
sys.argv = ["artifact", *sys.argv[1:]]
try:
    runpy.run_module("artifact", run_name="__main__")
finally:
    from artifact import fingerprint
    heavy = sorted(m for m in ("pandas", "numpy", "scipy", "matplotlib", "pyarrow", "jinja2") if m in sys.modules)
    print(f"imported: {heavy}; sources read: {len(fingerprint._READ)}", file=sys.stderr)
"""


def _ran(stderr: str) -> list[str]:
    """Families (with parameters) of the tasks a run's progress lines say were done."""
    return sorted(re.findall(r"\] done\s+(\S.*?\)) \(", stderr))


def _reproduce(env: dict[str, str], cwd: Path = REPO, exit_code: int = 0) -> list[str]:
    result = run_cli("reproduce", "--profile", "sample", env=env, cwd=cwd)
    assert result.returncode == exit_code, result.stdout + result.stderr
    return _ran(result.stderr)


@pytest.fixture
def checkout(tmp_path: Path) -> Path:
    """A copy of the checkout's code, imported instead of the installed one (PYTHONPATH)."""
    copy = tmp_path / "checkout"
    for part in CHECKOUT_PARTS:
        source = REPO / part
        if source.is_dir():
            shutil.copytree(source, copy / part, ignore=shutil.ignore_patterns("__pycache__"))
        else:
            shutil.copy2(source, copy / part)
    return copy


def _copy_of(sample_outputs: Path, tmp_path: Path) -> dict[str, str]:
    """The environment of a run whose outputs folder starts as a copy of the session's sample run."""
    shutil.copytree(sample_outputs, tmp_path / "out" / "sample")
    return {"ARTIFACT_OUTPUTS": str(tmp_path / "out")}


@needs_authors_scripts
def test_changed_metric_code_reruns_its_dependants_only(tmp_path: Path, checkout: Path, sample_outputs: Path) -> None:
    env = _copy_of(sample_outputs, tmp_path) | {"PYTHONPATH": str(checkout)}
    time.sleep(RACY_NS / 1e9)  # the copy's sources, just written, would not have their digests recorded
    assert _reproduce(env, checkout) == []  # the same code elsewhere: every output is current
    records = (json.loads(path.read_text()) for path in (Settings.from_env().cache_dir / CODE_DIGESTS).glob("*.json"))
    recorded = next(record for record in records if record.get("checkout") == str(checkout))  # the copy's own record
    assert recorded["checkout"] == str(checkout) and "class:tasks.m1_preservation.Preservation" in recorded["entries"]
    metric = checkout / "artifact" / "metrics" / "m1_preservation.py"
    text = metric.read_text()
    assert text.count("counted = (pairs.size >= 2) & np.isin(") == 1
    # The authors' variant now counts descendants of three or more libraries: a real change of numbers.
    metric.write_text(text.replace("counted = (pairs.size >= 2) & np.isin(", "counted = (pairs.size >= 3) & np.isin("))
    assert metric.read_text() != text
    # Exit code 3: the rerun says that a number no longer matches (the claim on transformers' rank).
    # With the authors' scripts at hand, their witness of Metric 1 reruns too (and now disagrees with ours).
    witness = (sample_outputs / "tables" / "authors_code" / "summary.csv").is_file()
    ran = _reproduce(env, checkout, exit_code=3)
    assert [task for task in ran if not task.startswith("WitnessSummary(")] == [
        "Figure5(profile=sample, source=database)",
        "Preservation(profile=sample, source=database)",
        "Report(profile=sample)",
        *(["SqliteWitness(profile=sample, source=database)"] if witness else []),
    ]
    assert sum(task.startswith("WitnessSummary(") for task in ran) == witness
    assert _reproduce(env, checkout, exit_code=3) == []
    if witness:
        summary = (Path(env["ARTIFACT_OUTPUTS"]) / "sample" / "tables" / "authors_code" / "summary.csv").read_text()
        assert "proportion_database" in summary and "DISAGREES" in summary


@needs_authors_scripts
def test_changed_input_bytes_rerun_their_dependants_only(tmp_path: Path, sample_outputs: Path) -> None:
    env = _copy_of(sample_outputs, tmp_path)
    assert _reproduce(env) == []
    # The HF 2022-06 snapshot with other bytes: its most downloaded model drops out of the top K.
    database = tmp_path / "hf_2022-06.db"
    shutil.copy(REPO / "artifact" / "sample" / "data" / "hf_2022-06.db", database)
    with sqlite3.connect(database) as connection:
        connection.execute(
            "UPDATE PeaTMOSS_ANCIENT SET downloads_last_month = 0 WHERE modelId = "
            "(SELECT modelId FROM PeaTMOSS_ANCIENT ORDER BY downloads_last_month DESC LIMIT 1)"
        )
    connection.close()
    manifest = manifest_path().read_text()
    entry = manifest.index('id = "sample-hf-2022-06"')
    end = manifest.find("[[input]]", entry)
    block = manifest[entry:end]
    changed = re.sub(r'local = ".*"', f'local = "{database}"', block)
    changed = re.sub(r'sums = ".*"\n', f'sha256 = "{sha256_of(database)}"\n', changed)
    custom = tmp_path / "manifest.toml"
    custom.write_text(manifest[:entry] + changed + manifest[end:])
    for neighbour in manifest_path().parent.iterdir():  # the sums file and file-set lists the manifest names
        if neighbour.suffix in (".sha256", ".tsv"):
            shutil.copy(neighbour, tmp_path / neighbour.name)
    old_top = (tmp_path / "out/sample/tables/topk/hf_2022-06.csv").read_text()
    assert _reproduce(env | {"ARTIFACT_MANIFEST": str(custom)}) == [
        "DownloadConcentration(profile=sample, label=2022-06)",
        "DownloadDropoff(profile=sample)",
        "Figure6(profile=sample, registries=[\"npm\", \"pypi\", \"hf\"])",
        "LoadSnapshot(profile=sample, registry=hf, label=2022-06)",
        "Report(profile=sample)",
        "SnapshotCoverage(profile=sample, registry=hf)",
        "TopK(profile=sample, registry=hf, label=2022-06)",
        "Turnover(profile=sample, registry=hf)",
        "TurnoverIntervals(profile=sample, registries=[\"npm\", \"pypi\", \"hf\"])",
    ]
    assert (tmp_path / "out/sample/tables/topk/hf_2022-06.csv").read_text() != old_top
    assert sha256_of(database) in (tmp_path / "out/sample/inputs.json").read_text()


@needs_authors_scripts
def test_a_changed_report_template_reruns_the_report_only(tmp_path: Path, checkout: Path, sample_outputs: Path) -> None:
    env = _copy_of(sample_outputs, tmp_path) | {"PYTHONPATH": str(checkout)}
    template = checkout / "artifact" / "report" / "templates" / "report.md.j2"
    template.write_text(template.read_text().replace("## Tables\n", "## Tables (edited)\n", 1))
    assert _reproduce(env, checkout) == ["Report(profile=sample)"]  # not Python, yet code the report is made by
    assert "## Tables (edited)" in (tmp_path / "out/sample/REPORT.md").read_text()


@needs_authors_scripts
def test_a_changed_manifest_entry_the_report_shows_reruns_the_report_only(tmp_path: Path, sample_outputs: Path) -> None:
    env = _copy_of(sample_outputs, tmp_path)
    database = tmp_path / "hf_2022-06.db"  # the same bytes, somewhere else: the report's source column changes
    shutil.copy(REPO / "artifact" / "sample" / "data" / "hf_2022-06.db", database)
    manifest = manifest_path().read_text()
    pinned = 'local = "sample/data/hf_2022-06.db"\nsums = "sample.sha256"\n'
    assert manifest.count(pinned) == 1
    custom = tmp_path / "manifest.toml"
    custom.write_text(manifest.replace(pinned, f'local = "{database}"\nsha256 = "{sha256_of(database)}"\n'))
    for neighbour in manifest_path().parent.iterdir():  # the sums file and file-set lists the manifest names
        if neighbour.suffix in (".sha256", ".tsv"):
            shutil.copy(neighbour, tmp_path / neighbour.name)
    assert _reproduce(env | {"ARTIFACT_MANIFEST": str(custom)}) == ["Report(profile=sample)"]
    assert str(database) in (tmp_path / "out/sample/REPORT.md").read_text()


@needs_authors_scripts
def test_a_run_with_nothing_to_do_reads_no_source_and_imports_no_scientific_library(tmp_path: Path, sample_outputs: Path) -> None:
    env = {**os.environ, "MPLBACKEND": "Agg", **_copy_of(sample_outputs, tmp_path)}
    assert _reproduce(env) == []  # the code digests recorded for this checkout (kept from the session's run, or made now)
    result = subprocess.run([sys.executable, "-c", WATCHED, "reproduce", "--profile", "sample"], cwd=REPO, env=env,
                            capture_output=True, text=True, timeout=600, check=False)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "OK: profile sample: 0 tasks ran" in result.stdout and "claims: on synthetic data" in result.stdout
    assert "imported: []; sources read: 0" in result.stderr
