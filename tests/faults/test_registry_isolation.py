"""Fault: a missing input in one registry must not turn other registries' claims into ERROR.

The sample with its HF 2022-06 snapshot missing (a custom manifest pointing it at a file that does
not exist): the npm and PyPI claims of Metric 2 are still checked (REPRODUCED), the claims that
need the HF snapshot are UNAVAILABLE, none is ERROR, and the run exits 0.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pandas as pd

from artifact.inputs.manifest import manifest_path
from tests.conftest import run_cli

MISSING = "sample-hf-2022-06"


def _manifest_without(tmp_path: Path, input_id: str) -> Path:
    """The shipped manifest with `input_id` pointing at a file that does not exist."""
    text = manifest_path().read_text()
    start = text.index(f'id = "{input_id}"')
    end = text.find("[[input]]", start)
    block = re.sub(r'local = ".*"', f'local = "{tmp_path / "absent.db"}"', text[start:end])
    block = re.sub(r'sums = ".*"\n', f'sha256 = "{"0" * 64}"\n', block)
    for neighbour in manifest_path().parent.iterdir():  # the sums file and file-set lists the manifest names
        if neighbour.suffix in (".sha256", ".tsv"):
            shutil.copy(neighbour, tmp_path / neighbour.name)
    custom = tmp_path / "manifest.toml"
    custom.write_text(text[:start] + block + text[end:])
    return custom


def test_a_missing_hf_snapshot_leaves_npm_and_pypi_claims_checked(tmp_path: Path) -> None:
    env = {"ARTIFACT_OUTPUTS": str(tmp_path / "out"), "ARTIFACT_MANIFEST": str(_manifest_without(tmp_path, MISSING))}
    result = run_cli("reproduce", "--profile", "sample", env=env)
    assert result.returncode == 0, result.stdout + result.stderr
    listed = result.stdout.split(" missing.", 1)[1].split("Claims that need them", 1)[0]  # the first screen's missing inputs
    assert MISSING in re.findall(r"[a-z0-9][a-z0-9.-]*[a-z0-9]", listed)
    claims = pd.read_csv(tmp_path / "out/sample/tables/claims.csv").set_index("id")["verdict"]
    assert "ERROR" not in set(claims)
    assert claims["M2.npm.keeps-most"] == claims["M2.pypi.keeps-most"] == "REPRODUCED"
    assert claims["M2.hf-below-npm"] == claims["M2.hf-below-pypi"] == "UNAVAILABLE"
    tables = tmp_path / "out/sample/tables"
    assert sorted(p.name for p in (tables / "turnover_summary").iterdir()) == ["npm.csv", "pypi.csv"]
