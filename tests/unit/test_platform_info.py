"""The numeric platform in provenance: CPU, numpy's SIMD paths, BLAS kernel and threads; narrowing is seen."""

from __future__ import annotations

import json
import os
import subprocess
import sys

from artifact.config import Settings
from artifact.platform_info import dispatched_targets, numeric_platform
from artifact.report.provenance import environment
from tests.conftest import REPO


def test_the_platform_names_cpu_simd_and_blas_kernel() -> None:
    facts = numeric_platform("")
    assert facts["cpu model"] and facts["numpy SIMD baseline"] != "none"
    assert facts["numpy SIMD dispatched"].split() == dispatched_targets() or not dispatched_targets()
    blas = [value for key, value in facts.items() if key.startswith("blas ")]
    assert blas and all("kernel " in value and " threads" in value for value in blas)
    assert set(facts) <= set(environment(Settings.from_env({})))  # the report's provenance carries every fact


def test_narrowed_dispatch_is_recorded() -> None:
    script = (
        "import json; from artifact.config import Settings; from artifact.platform_info import numeric_platform; "
        "print(json.dumps(numeric_platform(Settings.from_env().thread_settings)))"
    )
    env = {**os.environ, "NPY_DISABLE_CPU_FEATURES": " ".join(dispatched_targets())}
    result = subprocess.run([sys.executable, "-c", script], cwd=REPO, env=env, capture_output=True, text=True, timeout=60, check=False)
    facts = json.loads(result.stdout)
    assert facts["numpy SIMD dispatched"] == "none (baseline only)"
    assert "NPY_DISABLE_CPU_FEATURES=" in facts["thread and kernel settings"] or not dispatched_targets()
