"""Figure 7: every base model that can be placed is drawn, bins as the authors', no empty stripes, clear errors."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from matplotlib.collections import QuadMesh

from artifact.errors import SchemaError
from artifact.figures.fig7_descendants import DESCENDANTS, DOWNLOADS, count_classes, figure7, histogram_cells, not_drawn


def _parents(downloads, descendants) -> pd.DataFrame:
    return pd.DataFrame({"downloads": downloads, "descendants": descendants})


def _mesh(figure) -> QuadMesh:
    return next(c for c in figure.axes[0].collections if isinstance(c, QuadMesh))


def test_bins_are_the_authors_edges_and_continue_beyond() -> None:
    assert np.allclose([DOWNLOADS.edge(i) for i in range(30)], np.logspace(0, 8, 30), rtol=1e-13, atol=0)
    assert np.allclose([DESCENDANTS.edge(i) for i in range(30)], np.logspace(0, 3, 30), rtol=1e-13, atol=0)
    assert DOWNLOADS.edge(29) == 1e8 and DESCENDANTS.edge(29) == 1000.0
    # Values on an edge belong to the bin above it, those past the authors' range to bins beyond it.
    assert DESCENDANTS.bin_of(np.array([1.0, 999.0, 1000.0, 5239.0])).tolist() == [0, 28, 29, 35]
    assert DOWNLOADS.bin_of(np.array([1.0, 1e8, 3e9])).tolist() == [0, 29, 34]


def test_every_placeable_base_model_is_in_a_drawn_cell() -> None:
    rng = np.random.default_rng(7)
    downloads = np.concatenate([[0, 0, 5, 1e8, 4e9], rng.integers(1, 10**7, 300)])
    descendants = np.concatenate([[3, 1, 0, 5239, 1], rng.integers(1, 2000, 300)])
    parents = _parents(downloads.astype(float), descendants)
    cells = histogram_cells(parents)
    assert cells["parents"].sum() == len(parents) - 3 and not_drawn(parents) == 3
    figure = figure7(cells, 0.1, 0.2, "t", undrawn=3)
    mesh, ax = _mesh(figure), figure.axes[0]
    drawn = mesh.get_array()
    assert int(drawn.count()) == len(cells) and int(drawn.sum()) == cells["parents"].sum()
    x0, x1 = ax.get_xlim()
    y0, y1 = ax.get_ylim()
    coordinates = mesh.get_coordinates()
    assert x0 <= coordinates[..., 0].min() and coordinates[..., 0].max() <= x1
    assert y0 <= coordinates[..., 1].min() and coordinates[..., 1].max() <= y1
    assert (x0, x1) == (0, 10) and (y0, y1) == (0, 4)  # whole decades past the data (4e9 downloads, 5239)


def test_no_row_without_an_integer_count_is_drawn() -> None:
    figure = figure7(histogram_cells(_parents([10.0, 100.0, 1000.0], [1, 2, 3])), math.nan, math.nan, "t")
    rows = _mesh(figure).get_coordinates()[:, 0, 1]
    for low, high in zip(rows, rows[1:]):
        assert math.ceil(10**low - 1e-9) < 10**high  # every drawn row holds an integer


def test_colour_classes_are_integers() -> None:
    assert count_classes(0) == count_classes(1) == [1, 2]
    assert count_classes(49) == [1, 2, 5, 10, 20, 50]
    assert count_classes(50) == [1, 2, 5, 10, 20, 50, 100]


@pytest.mark.parametrize("bad", [math.nan, math.inf])
def test_non_finite_values_name_the_figure_and_column(bad) -> None:
    with pytest.raises(SchemaError, match="Figure 7: column 'downloads'"):
        histogram_cells(_parents([1.0, bad], [1, 2]))


def test_nothing_placeable_still_draws_the_authors_range() -> None:
    cells = histogram_cells(_parents([0.0, 0.0], [1, 2]))
    assert cells.empty
    figure = figure7(cells, math.nan, math.nan, "t", undrawn=2)
    assert figure.axes[0].get_xlim() == (0, 8) and figure.axes[0].get_ylim() == (0, 3)
    assert "not drawn: 2 base models" in figure.legends[0].get_title().get_text()
