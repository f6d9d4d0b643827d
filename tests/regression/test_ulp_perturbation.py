"""Same bytes on any CPU: the sample's outputs do not change when numpy's last bits do.

Another processor may take other SIMD kernels for `log`, `exp`, `power`... (and another BLAS kernel
for least squares) that round the last bit differently. This test stands in for those processors:
it runs the sample profile with each of those functions moved by one ulp up, then down
(tests/regression/perturb.py), and asserts that every figure and table is byte-identical to the
normal run's.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import REPO, deterministic_files
from tests.regression.test_sample_outputs import FIGURES, TABLES


@pytest.mark.parametrize("direction", ["up", "down"])
def test_outputs_do_not_depend_on_the_last_bit(direction: str, sample_outputs: Path, tmp_path: Path) -> None:
    command = [sys.executable, "-m", "tests.regression.perturb", direction, "reproduce", "--profile", "sample", "--workers", "2"]
    env = {**os.environ, "MPLBACKEND": "Agg", "ARTIFACT_OUTPUTS": str(tmp_path)}
    result = subprocess.run(command, cwd=REPO, env=env, capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stdout + result.stderr
    perturbed, normal = deterministic_files(tmp_path / "sample"), deterministic_files(sample_outputs)
    assert set(FIGURES) | set(TABLES) <= set(normal)  # every figure and table of the profile is compared
    changed = sorted(name for name in normal if perturbed.get(name) != normal[name])
    assert not changed, f"one ulp {direction} in numpy's functions changed {changed}"


def test_the_perturbation_reaches_numpy_and_matplotlib() -> None:
    """The perturbed functions move results by one ulp, also where matplotlib calls them."""
    script = (
        "import numpy as np; from matplotlib.scale import LogTransform; import tests.regression.perturb as p; "
        "exact = np.log10(2.0); p.install('up'); moved = np.nextafter(exact, 9); "
        "print(np.log10(2.0) == moved, LogTransform(10).transform_non_affine(np.array([2.0]))[0] == moved, np.power(2, 3))"
    )
    result = subprocess.run([sys.executable, "-c", script], cwd=REPO, capture_output=True, text=True, timeout=60)
    assert result.stdout.split() == ["True", "True", "8"], result.stderr
