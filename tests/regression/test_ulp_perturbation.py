"""Same bytes on any CPU: the sample's outputs do not change when numpy's last bits do.

Another processor may take other SIMD kernels for `log`, `exp`, `power`... (and another BLAS kernel
for least squares) that round the last bit differently. This test stands in for those processors:
it runs the sample profile with each of those functions moved by one ulp up, and again down
(tests/regression/perturb.py; the two runs side by side, one worker each), and asserts that every
figure and table is byte-identical to the normal run's.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import REPO, deterministic_files
from tests.mirror_inputs import needs_authors_scripts
from tests.regression.test_sample_outputs import FIGURES, TABLES

DIRECTIONS = ("up", "down")


@pytest.fixture(scope="module")
def perturbed_outputs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """The sample's outputs under each perturbation, both runs started at once."""
    runs = {}
    for direction in DIRECTIONS:
        root = tmp_path_factory.mktemp(f"perturbed-{direction}")
        command = [sys.executable, "-m", "tests.regression.perturb", direction, "reproduce", "--profile", "sample", "--workers", "1"]
        env = {**os.environ, "MPLBACKEND": "Agg", "ARTIFACT_OUTPUTS": str(root)}
        runs[direction] = (root, subprocess.Popen(command, cwd=REPO, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True))
    outputs = {}
    for direction, (root, process) in runs.items():
        log, _ = process.communicate(timeout=600)
        assert process.returncode == 0, log
        outputs[direction] = root / "sample"
    return outputs


@needs_authors_scripts
@pytest.mark.parametrize("direction", DIRECTIONS)
def test_outputs_do_not_depend_on_the_last_bit(direction: str, perturbed_outputs: dict[str, Path], sample_outputs: Path) -> None:
    perturbed, normal = deterministic_files(perturbed_outputs[direction]), deterministic_files(sample_outputs)
    assert set(FIGURES) | set(TABLES) <= set(normal)  # every figure and table of the profile is compared
    changed = sorted(name for name in normal if perturbed.get(name) != normal[name])
    assert not changed, f"one ulp {direction} in numpy's functions changed {changed}"


def test_the_perturbation_reaches_numpy_and_matplotlib() -> None:
    """The perturbed functions move results by one ulp, also where matplotlib calls them, and keep masks."""
    script = (
        "import numpy as np; from matplotlib.scale import LogTransform; import tests.regression.perturb as p; "
        "exact = np.log10(2.0); p.install('up'); moved = np.nextafter(exact, 9); "
        "masked = np.log10(np.ma.masked_equal([0.0, 2.0], 0)); "
        "print(np.log10(2.0) == moved, LogTransform(10).transform_non_affine(np.array([2.0]))[0] == moved, "
        "np.power(2, 3), masked.mask.tolist() == [True, False] and masked[1] == moved, np.polyfit([0, 1, 2], [0, 1, 2], 1)[0] > 1)"
    )
    result = subprocess.run([sys.executable, "-c", script], cwd=REPO, capture_output=True, text=True, timeout=60, check=False)
    assert result.stdout.split() == ["True", "True", "8", "True", "True"], result.stderr
