"""`compare` on a differing figure (still a difference; it says whether the numbers or the pixels differ), and on a run
without the authors' scripts (its variant of the expected outputs, said)."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import numpy as np
from PIL import Image

from artifact.expected import FIGURE_SUMS, WITHOUT_AUTHORS_CODE, compare_outputs, variant_note


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


def _witness_tree(root: Path, claims: str, scripts: str, comparison: bool) -> None:
    """An outputs or expected folder: a claims table, the witness's status, maybe a comparison table, and inputs.json."""
    (root / "tables" / "authors_code").mkdir(parents=True)
    (root / "tables" / "claims.csv").write_text(claims)
    (root / "tables" / "authors_code" / "status.csv").write_text(claims)
    if comparison:
        (root / "tables" / "authors_code" / "m3_descendents_database.csv").write_text("x\n1\n")
    (root / "inputs.json").write_text(json.dumps({"esem2024-authors-descendents-py": {"status": scripts}}))


def test_a_run_without_the_authors_scripts_is_compared_with_its_variant_and_says_so(tmp_path: Path) -> None:
    expected, out = tmp_path / "expected", tmp_path / "out"
    _witness_tree(expected, "AGREES\n", "available", comparison=True)
    _witness_tree(expected / WITHOUT_AUTHORS_CODE, "UNAVAILABLE\n", "missing", comparison=False)
    _witness_tree(out, "UNAVAILABLE\n", "missing", comparison=False)
    assert compare_outputs(out, expected) == [] and "not at hand" in variant_note(out, expected)
    (out / "inputs.json").write_text(json.dumps({"esem2024-authors-descendents-py": {"status": "available"}}))
    assert "missing output tables/authors_code/m3_descendents_database.csv" in compare_outputs(out, expected)
    assert variant_note(out, expected) == ""
