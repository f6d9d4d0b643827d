"""Digitise the authors' Figure 6 (a PNG of bar panels on a shared log y axis) into counts.

How: the panels are the rectangles framed by dark spines; the log axis is calibrated on the
horizontal gridlines, whose values the caller reads off the tick labels (10^3, 10^2 in the
authors' figure); the bars are found by their fill colour (matplotlib's default cycle) inside each
panel, and each is assigned to the category whose centre is nearest (a pandas bar plot centres
category i of n at (i + 0.5) / n of the axis width). A bar's value is read at its top edge, give or
take TOLERANCE_PX pixels, so every value comes with [low, high]. A bar that is not drawn is below
the axis floor (a log axis cannot show 0): it is reported as "below N", not as 0.
"""

from __future__ import annotations

import io
import math
from dataclasses import dataclass

import matplotlib.image as mpimg
import numpy as np
import pandas as pd

from artifact.errors import SchemaError

TOLERANCE_PX = 2  # a bar top read within +-2 px: antialiasing, and a gridline drawn over it
DARK = 0.25  # spines: every channel below this
COLOUR_DISTANCE = 0.1  # a bar pixel: every channel within this of the series colour
GRID_GREY = 0.69  # matplotlib's default grid colour #b0b0b0
GRID_DISTANCE = 0.08
SPINE_SHARE = 0.3  # a spine column is dark over at least this share of the image height
GRID_SHARE = 0.3  # a gridline row is grey over at least this share of the panel width
DEFAULT_SERIES = (("remained", "#1f77b4"), ("newcomers", "#ff7f0e"), ("returning", "#2ca02c"))
BAR_COLUMNS = ("panel", "category", "series", "value", "low", "high", "below", "status")


@dataclass(frozen=True)
class Panel:
    """One axes box in pixels (inner edges of the spines) and its log calibration."""

    left: int
    right: int
    top: int
    bottom: int
    intercept: float  # log10(value) at row 0
    slope: float  # log10(value) per pixel row (negative: values grow upwards)

    def value_at(self, row: float) -> float:
        """The data value drawn at pixel row `row`."""
        return 10 ** (self.intercept + self.slope * row)


def decode_png(png: bytes, name: str) -> np.ndarray:
    """RGB floats in [0, 1] of a PNG; SchemaError naming `name` when it is not one."""
    try:
        image = mpimg.imread(io.BytesIO(png), format="png")
    except (ValueError, OSError, SyntaxError) as error:
        raise SchemaError(f"{name}: the embedded image is not a readable PNG ({error})") from None
    if image.ndim != 3:
        raise SchemaError(f"{name}: the embedded PNG is not an RGB image")
    image = image[..., :3].astype(float)
    return image / 255.0 if image.max() > 1.0 else image


def find_panels(rgb: np.ndarray, grid_values: tuple[float, ...], name: str) -> list[Panel]:
    """The panels left to right, each calibrated on its gridlines (`grid_values`, top to bottom)."""
    dark = rgb.max(axis=2) < DARK
    spine_columns = np.flatnonzero(dark.sum(axis=0) > SPINE_SHARE * rgb.shape[0])
    groups = _runs(spine_columns)
    if len(groups) < 2 or len(groups) % 2:
        raise SchemaError(f"{name}: looked for panel frames (dark vertical spines) and found {len(groups)} spine(s), not pairs")
    panels = []
    for left_group, right_group in zip(groups[::2], groups[1::2], strict=True):
        rows = np.flatnonzero(dark[:, left_group[0]])
        left, right, top, bottom = int(left_group[-1]) + 1, int(right_group[0]) - 1, int(rows.min()) + 1, int(rows.max()) - 1
        panels.append(_calibrate(rgb, left, right, top, bottom, grid_values, name))
    return panels


def _calibrate(rgb: np.ndarray, left: int, right: int, top: int, bottom: int, grid_values: tuple[float, ...], name: str) -> Panel:
    inner = rgb[top:bottom + 1, left:right + 1]
    grey = np.abs(inner - GRID_GREY).max(axis=2) < GRID_DISTANCE
    rows = _runs(np.flatnonzero(grey.sum(axis=1) > GRID_SHARE * (right - left)))
    centres = tuple(top + float(np.mean(r)) for r in rows)
    if len(centres) != len(grid_values) or len(centres) < 2:
        raise SchemaError(
            f"{name}: looked for {len(grid_values)} horizontal gridlines (grey {GRID_GREY:.2f}) in the panel at x {left}-{right} "
            f"to calibrate the log axis on {list(grid_values)}, found {len(centres)}"
        )
    logs = np.log10(np.asarray(grid_values, dtype=float))
    slope, intercept = np.polyfit(np.asarray(centres), logs, 1)
    if slope >= 0:
        raise SchemaError(f"{name}: the gridlines' values do not grow upwards in the panel at x {left}-{right}")
    return Panel(left, right, top, bottom, float(intercept), float(slope))


def _runs(indices: np.ndarray) -> list[np.ndarray]:
    """Consecutive integers grouped: [3, 4, 5, 9] -> [[3, 4, 5], [9]]."""
    if not len(indices):
        return []
    return np.split(indices, np.flatnonzero(np.diff(indices) > 1) + 1)


def read_bars(
    png: bytes,
    name: str,
    panel_names: tuple[str, ...],
    categories: tuple[tuple[str, ...], ...],
    grid_values: tuple[float, ...],
    series: tuple[tuple[str, str], ...] = DEFAULT_SERIES,
) -> pd.DataFrame:
    """Every (panel, category, series) of the figure with its value and [low, high], or `below` the floor."""
    rgb = decode_png(png, name)
    panels = find_panels(rgb, grid_values, name)
    if len(panels) != len(panel_names):
        raise SchemaError(f"{name}: looked for {len(panel_names)} panels ({', '.join(panel_names)}), found {len(panels)}")
    rows = []
    for panel, panel_name, labels in zip(panels, panel_names, categories, strict=True):
        found = {}
        for series_name, colour in series:
            for category, top_row in _bars(rgb, panel, colour, len(labels)):
                found[(category, series_name)] = top_row
        if not found:
            raise SchemaError(f"{name}: no bar of the colours {[c for _, c in series]} inside the panel {panel_name!r}")
        floor = panel.value_at(panel.bottom + 0.5)
        for index, label in enumerate(labels):
            for series_name, _ in series:
                rows.append(_bar_row(panel, panel_name, label, series_name, found.get((index, series_name)), floor))
    return pd.DataFrame(rows, columns=list(BAR_COLUMNS))


def _bars(rgb: np.ndarray, panel: Panel, colour: str, categories: int) -> list[tuple[int, int]]:
    """(category index, top pixel row) of each bar of `colour` in `panel`."""
    target = np.array([int(colour[i:i + 2], 16) / 255 for i in (1, 3, 5)])
    inner = rgb[panel.top:panel.bottom + 1, panel.left:panel.right + 1]
    mask = np.abs(inner - target).max(axis=2) < COLOUR_DISTANCE
    width = panel.right - panel.left + 1
    bars = []
    for columns in _runs(np.flatnonzero(mask.any(axis=0))):
        if len(columns) < 3:  # an antialiased speck, not a bar
            continue
        top = panel.top + int(np.flatnonzero(mask[:, columns].any(axis=1)).min())
        centre = (columns[0] + columns[-1]) / 2 / width * categories - 0.5
        bars.append((int(min(max(round(centre), 0), categories - 1)), top))
    return bars


def _bar_row(panel: Panel, panel_name: str, label: str, series_name: str, top: int | None, floor: float) -> dict:
    if top is None:
        return {"panel": panel_name, "category": label, "series": series_name, "value": math.nan, "low": math.nan,
                "high": math.nan, "below": math.floor(floor), "status": f"below {math.floor(floor)}"}
    value = panel.value_at(top)
    low, high = panel.value_at(top + TOLERANCE_PX), panel.value_at(top - TOLERANCE_PX)
    return {"panel": panel_name, "category": label, "series": series_name, "value": round(value, 1), "low": round(low, 1),
            "high": round(high, 1), "below": math.nan, "status": "measured"}


def self_check(bars: pd.DataFrame, top_k: dict[str, int]) -> pd.DataFrame:
    """Per panel and category: the bars' sum, as [low, high] with bars below the floor in [0, floor], against the top K."""
    frame = bars.assign(
        low_sum=bars["low"].fillna(0.0),
        high_sum=bars["high"].fillna(bars["below"]),
        hidden=bars["status"].ne("measured").astype(int),
    )
    sums = frame.groupby(["panel", "category"], sort=False).agg(
        low=("low_sum", "sum"), high=("high_sum", "sum"), below_floor=("hidden", "sum")
    ).reset_index()
    sums["top_k"] = sums["panel"].map(top_k)
    sums["sum_ok"] = (sums["low"] <= sums["top_k"]) & (sums["top_k"] <= sums["high"])
    return sums.round({"low": 1, "high": 1})
