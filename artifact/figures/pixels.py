"""Where two renderings of a figure differ: the count of differing pixels and the first differing region.

`compare` uses it when a figure's bytes differ, so that an evaluator can tell "the rendering differs"
(same numbers, other pixels) from "the numbers differ".
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
from PIL import Image
from scipy import ndimage


def pixel_difference(got: Path, want: Path) -> str:
    """One phrase: how many pixels of PNG `got` differ from PNG `want`, and the box of the first region."""
    with Image.open(got) as a, Image.open(want) as b:
        if a.size != b.size:
            return f"image size {a.size[0]}x{a.size[1]} px, expected {b.size[0]}x{b.size[1]} px"
        left, right = np.asarray(a.convert("RGBA")), np.asarray(b.convert("RGBA"))
    differs = np.any(left != right, axis=-1)
    count = int(differs.sum())
    if not count:
        return "the pixels are identical (only the file's bytes differ)"
    regions, _ = ndimage.label(differs, structure=np.ones((3, 3), dtype=bool))
    first_y, first_x = np.argwhere(differs)[0]  # row-major: the top-most, then left-most, differing pixel
    rows, columns = ndimage.find_objects(regions)[regions[first_y, first_x] - 1]
    return (
        f"{count} of {differs.size} pixels differ; the first differing region is x {columns.start}-{columns.stop - 1}, "
        f"y {rows.start}-{rows.stop - 1} (from the top left)"
    )
