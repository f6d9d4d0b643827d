"""A user's matplotlibrc changes no byte of a figure: the style starts from matplotlib's own defaults."""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
DRAW = """
import sys
from pathlib import Path
from artifact.figures.style import new_figure, save_figure, styled

@styled
def build():
    figure = new_figure(3, 2)
    axes = figure.add_subplot()
    axes.plot([0, 1, 2], [1, 3, 2], label="line")
    axes.scatter([0.5, 1.5], [2, 2.5])
    axes.set_title("title")
    axes.legend()
    return figure

save_figure(build(), [Path(sys.argv[1])])
"""
HOSTILE = """
lines.linewidth: 7
axes.facecolor: yellow
axes.grid: True
axes.prop_cycle: cycler('color', ['ff0000', '00ff00'])
xtick.direction: in
legend.frameon: False
figure.facecolor: 0.5
savefig.transparent: True
savefig.bbox: tight
scatter.marker: x
"""


def draw(folder: Path, rc: str | None) -> str:
    """The sha256 of the test figure's PNG, drawn in a child process (with `rc` as its matplotlibrc)."""
    env = {k: v for k, v in os.environ.items() if k != "MATPLOTLIBRC"} | {"PYTHONPATH": str(REPO)}
    if rc is not None:
        (folder / "matplotlibrc").write_text(rc)
        env["MATPLOTLIBRC"] = str(folder / "matplotlibrc")
    png = folder / "figure.png"
    subprocess.run([sys.executable, "-c", DRAW, str(png)], cwd=folder, env=env, check=True, timeout=120)
    return hashlib.sha256(png.read_bytes()).hexdigest()


def test_a_hostile_matplotlibrc_changes_no_byte(tmp_path: Path) -> None:
    (tmp_path / "plain").mkdir()
    (tmp_path / "hostile").mkdir()
    assert draw(tmp_path / "hostile", HOSTILE) == draw(tmp_path / "plain", None)
