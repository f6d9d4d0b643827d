"""Invariants of every profile's task graph (sample, esem2024, independent, extended on the sample):
no two tasks write the same file; every output a claim reads is made by a task of the graph; a task
reads manifest inputs only through its InputFile requirements; the report lists only the graph's outputs."""

from __future__ import annotations

import ast
import os
import re
import shutil
from datetime import UTC, datetime
from pathlib import Path

import luigi
import pytest

from artifact.config import Settings
from artifact.expected import expected_dir
from artifact.inputs.manifest import load_manifest
from artifact.profiles import get_profile
from artifact.report.claims import load_claims
from artifact.snapshots.store import Fetched, store
from tasks.base import InputFile, configure
from tasks.graph import candidate_roots, graph, needed_inputs
from tasks.report import Report
from tests.conftest import REPO

PROFILES = ("sample", "esem2024", "independent", "extended")
LISTING = b'[{"id": "org/a", "downloads": 5, "tags": ["transformers", "base_model:org/b"]}, {"id": "org/b", "downloads": 9, "tags": []}]'
# The only modules that may turn a manifest id into a file: the InputFile task and nothing else.
INPUT_READERS = {"tasks/base.py"}
INPUT_FUNCTIONS = {"resolve", "iter_resolve", "resolve_all", "load_manifest", "_manifest", "input_path"}


@pytest.fixture(scope="module", params=PROFILES)
def profile_graph(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> tuple[str, Settings, dict]:
    """(profile, settings, graph) with every input taken as available; `extended` on the sample plus
    one hf snapshot (a Hub listing, so both sources of model frames are in the graph)."""
    folder = tmp_path_factory.mktemp(request.param)
    snapshots = folder / "snapshots"
    if request.param == "extended":
        taken = datetime(2026, 11, 5, tzinfo=UTC)
        store(snapshots, Fetched("hf", "hub-listing", ".json", LISTING, "test", ""), 2, taken, lambda path: 2, "test")
    settings = Settings.from_env({"ARTIFACT_OUTPUTS": str(folder / "outputs"), "ARTIFACT_CACHE": str(folder / "cache"),
                                  "ARTIFACT_SNAPSHOTS": str(snapshots), "ARTIFACT_EXTENDED_BASE": "sample",
                                  "ARTIFACT_OFFLINE": "1"})
    configure(settings)
    profile = get_profile(request.param, settings)
    everything = frozenset(profile.input_entries(load_manifest()))
    tasks = graph(candidate_roots(profile, everything))
    return request.param, settings, tasks


def _writers(tasks: dict) -> dict[str, list[str]]:
    writers: dict[str, list[str]] = {}
    for task in tasks:
        for target in luigi.task.flatten(task.output()):
            writers.setdefault(target.path, []).append(str(task))
    return writers


def test_no_two_tasks_share_an_output_path(profile_graph: tuple) -> None:
    _, _, tasks = profile_graph
    shared = {path: names for path, names in _writers(tasks).items() if len(names) > 1}
    assert not shared


def test_every_output_a_claim_reads_is_made_by_a_task_of_the_graph(profile_graph: tuple) -> None:
    name, settings, tasks = profile_graph
    root = settings.outputs_root / name
    made = {str(Path(path).relative_to(root)) for path in _writers(tasks) if Path(path).is_relative_to(root)}
    claims = load_claims(expected_dir(get_profile(name, settings).claims_profile()) / "claims")
    assert claims and not sorted({claim.output for claim in claims if claim.output} - made)  # "": uncheckable claims


def test_tasks_need_only_inputs_of_their_profile(profile_graph: tuple) -> None:
    name, settings, tasks = profile_graph
    entries = get_profile(name, settings).input_entries(load_manifest())
    inputs = {task.input_id for task in tasks if isinstance(task, InputFile)}
    assert inputs and inputs <= set(entries)
    for task in tasks:  # what a task needs is what its own requirements need, nothing hidden
        requirements = luigi.task.flatten(task.requires())
        assert needed_inputs(task) == frozenset().union(*[needed_inputs(r) for r in requirements], {
            task.input_id} if isinstance(task, InputFile) else set())


def test_only_the_input_task_reads_manifest_inputs() -> None:
    offenders = []
    for path in sorted((REPO / "tasks").glob("*.py")):
        relative = str(path.relative_to(REPO))
        called = {node.func.id if isinstance(node.func, ast.Name) else node.func.attr
                  for node in ast.walk(ast.parse(path.read_text())) if isinstance(node, ast.Call)
                  and isinstance(node.func, (ast.Name, ast.Attribute))}
        if relative not in INPUT_READERS and called & INPUT_FUNCTIONS:
            offenders.append(f"{relative}: {sorted(called & INPUT_FUNCTIONS)}")
    assert not offenders


def test_the_report_lists_only_outputs_of_its_graph(sample_outputs: Path, tmp_path: Path) -> None:
    configure(Settings.from_env({**os.environ, "ARTIFACT_OUTPUTS": str(sample_outputs.parent)}))  # its cache and mirror too
    report = Report(profile="sample")
    made = set(report.graph_outputs()) | {"tables/claims.csv"}
    listed = set(re.findall(r"\b((?:tables|figures)/[\w./-]+\.(?:csv|md|tex|png|pdf))", (sample_outputs / "REPORT.md").read_text()))
    assert listed and not sorted(listed - made)
    shutil.copytree(sample_outputs, tmp_path / "sample")  # the session's run is shared by other tests: add the stray to a copy
    (tmp_path / "sample" / "tables" / "left_over_from_an_earlier_run.csv").write_text("a\n1\n")
    configure(Settings.from_env({**os.environ, "ARTIFACT_OUTPUTS": str(tmp_path)}))
    assert "tables/left_over_from_an_earlier_run.csv" not in Report(profile="sample").graph_outputs()


def test_each_registrys_turnover_needs_only_its_own_snapshots(profile_graph: tuple) -> None:
    name, settings, tasks = profile_graph
    profile = get_profile(name, settings)
    turnovers = [task for task in tasks if type(task).__name__ in ("Turnover", "TurnoverRenamed")]
    assert {task.registry for task in turnovers} == set(profile.registries())
    for task in turnovers:  # npm's Metric 2 does not wait on (or fail with) the Hub's pages, nor PyPI's on npm's
        assert needed_inputs(task) == profile.snapshot_inputs(task.registry), task
