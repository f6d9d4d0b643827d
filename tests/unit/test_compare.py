"""`compare` on a differing figure: still a difference, and it says whether the numbers or the pixels differ."""

from __future__ import annotations

import hashlib
from pathlib import Path

import numpy as np
from PIL import Image

from artifact.expected import FIGURE_SUMS, compare_outputs


def _tree(root: Path, pixels: np.ndarray, data: str) -> None:
    (root / "figures").mkdir(parents=True)
    Image.fromarray(pixels).save(root / "figures" / "fig9_x.png")
    (root / "figures" / "fig9_x.data.csv").write_text(data)
    (root / "figures" / "fig9_x.pdf").write_bytes(b"%PDF " + pixels.tobytes())


def _archive(expected: Path) -> None:
    names = ("figures/fig9_x.png", "figures/fig9_x.pdf")
    sums = [f"{hashlib.sha256((expected / name).read_bytes()).hexdigest()}  {name}" for name in names]
    (expected / FIGURE_SUMS).write_text("\n".join(sums) + "\n")


def test_same_numbers_other_pixels(tmp_path: Path) -> None:
    image = np.zeros((40, 60, 3), dtype=np.uint8)
    _tree(tmp_path / "expected", image, "x,y\n1,2\n")
    _archive(tmp_path / "expected")
    changed = image.copy()
    changed[10:13, 20:25] = 255  # one region of 15 pixels
    changed[30, 50] = 7  # and another, later
    _tree(tmp_path / "out", changed, "x,y\n1,2\n")
    problems = compare_outputs(tmp_path / "out", tmp_path / "expected")
    png = next(p for p in problems if p.startswith("figures/fig9_x.png"))
    assert "(figures/fig9_x.data.csv) match: the rendering differs" in png
    assert "16 of 2400 pixels differ" in png and "x 20-24, y 10-12" in png
    assert any(p.startswith("figures/fig9_x.pdf") for p in problems)


def test_other_numbers_are_named(tmp_path: Path) -> None:
    image = np.zeros((8, 8, 3), dtype=np.uint8)
    _tree(tmp_path / "expected", image, "x,y\n1,2\n")
    _archive(tmp_path / "expected")
    _tree(tmp_path / "out", image + 1, "x,y\n1,3\n")
    problems = compare_outputs(tmp_path / "out", tmp_path / "expected")
    assert "figures/fig9_x.data.csv differs" in problems[0]
    assert "DIFFER: see that table first" in problems[1] and "64 of 64 pixels differ" in problems[1]
