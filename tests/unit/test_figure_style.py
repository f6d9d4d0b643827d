"""A figure is laid out once for all its formats, and its text measured once for the layout and the PNG."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest
from matplotlib.backends.backend_agg import RendererAgg
from matplotlib.figure import Figure
from matplotlib.layout_engine import ConstrainedLayoutEngine

from artifact.figures.style import new_figure, save_figure, styled


@styled
def _figure() -> Figure:
    figure = new_figure(3, 2)
    ax = figure.subplots()
    ax.plot([0, 1], [1, 0])
    ax.set_title("a title")
    ax.set_ylabel("a long label on the y axis")
    return figure


def test_png_and_pdf_are_drawn_from_one_layout(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    runs: list[Figure] = []
    execute = ConstrainedLayoutEngine.execute
    monkeypatch.setattr(ConstrainedLayoutEngine, "execute", lambda engine, figure: runs.append(figure) or execute(engine, figure))
    figure = _figure()
    paths = [tmp_path / "figure.png", tmp_path / "figure.pdf", tmp_path / "figure.svg"]
    save_figure(figure, paths)
    assert runs == [figure], f"laid out {len(runs)} times"
    assert figure.get_layout_engine() is None
    assert all(path.stat().st_size > 0 for path in paths)


def test_the_png_measures_no_text_the_layout_measured(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    measured: Counter[str] = Counter()
    measure = RendererAgg.get_text_width_height_descent

    def counting(renderer: RendererAgg, text: str, *args, **kwargs) -> tuple[float, float, float]:
        measured[text] += 1
        return measure(renderer, text, *args, **kwargs)

    monkeypatch.setattr(RendererAgg, "get_text_width_height_descent", counting)
    save_figure(_figure(), [tmp_path / "figure.png"])
    assert measured["a title"] == 1, measured
