"""The readers of the authors' outputs on files the tests make: a drawn Figure 6, a notebook, figure PDFs."""

from __future__ import annotations

import base64
import io
import json
from pathlib import Path

import matplotlib
import numpy as np
import pandas as pd
import pytest
from matplotlib.figure import Figure

from artifact.authors.fig6_digitise import read_bars, self_check
from artifact.authors.notebook import read_turnover_cell
from artifact.authors.pdf_figures import read_figure
from artifact.errors import SchemaError

LABELS = ("a1", "a2", "a3", "a4")
# Known bars (remained, newcomers, returning) per category; 5 and 0 are below the axis floor of 20.
HEIGHTS = {
    "One": [(0, 1000, 0), (900, 95, 5), (700, 260, 40), (450, 500, 50)],
    "Two": [(0, 1000, 0), (600, 400, 0), (980, 20.5, 0), (300, 640, 60)],
}
GRID = (1000.0, 100.0)


def _figure6_png(grid: bool = True, colours: tuple[str, ...] = ("#1f77b4", "#ff7f0e", "#2ca02c")) -> bytes:
    """Panels like the authors' (pandas bar plot, shared log y axis, gridlines at the decades), as PNG bytes."""
    with matplotlib.rc_context(matplotlib.rcParamsDefault):
        figure = Figure(figsize=(12, 4), dpi=100)
        axes = figure.subplots(1, len(HEIGHTS), sharey=True)
        for ax, (name, rows) in zip(axes, HEIGHTS.items()):
            frame = pd.DataFrame(rows, columns=["Remained", "Newcomers", "Returning"]).assign(Time=list(LABELS))
            frame.plot(kind="bar", x="Time", y=["Remained", "Newcomers", "Returning"], ax=ax, color=list(colours), legend=False)
            ax.set_yscale("log")
            ax.set_ylim(20, 1300)
            ax.set_title(name)
            ax.yaxis.grid(grid)
        buffer = io.BytesIO()
        figure.savefig(buffer, format="png")
    return buffer.getvalue()


def _read(png: bytes) -> pd.DataFrame:
    return read_bars(png, "test.png", tuple(HEIGHTS), (LABELS, LABELS), GRID)


def test_digitiser_recovers_known_bars_within_its_tolerance() -> None:
    bars = _read(_figure6_png()).set_index(["panel", "category", "series"])
    for panel, rows in HEIGHTS.items():
        for label, values in zip(LABELS, rows):
            for series, truth in zip(("remained", "newcomers", "returning"), values):
                bar = bars.loc[(panel, label, series)]
                if truth < 20:  # not drawn on the log axis: reported as below the floor, never as 0
                    assert bar["status"] == f"below {int(bar['below'])}" and 19 <= bar["below"] <= 20 and np.isnan(bar["value"])
                else:
                    assert bar["status"] == "measured" and bar["low"] <= truth <= bar["high"], (panel, label, series, bar)
                    assert abs(bar["value"] - truth) / truth < 0.02


def test_self_check_sums_each_category_to_the_top_k() -> None:
    checks = self_check(_read(_figure6_png()), {"One": 1000, "Two": 1000})
    assert checks["sum_ok"].all() and len(checks) == 8
    assert not self_check(_read(_figure6_png()), {"One": 1200, "Two": 1000})["sum_ok"].iloc[:4].any()


def test_no_gridlines_is_an_error_naming_the_file_and_what_was_looked_for() -> None:
    with pytest.raises(SchemaError, match=r"test.png: looked for 2 horizontal gridlines .* found 0"):
        _read(_figure6_png(grid=False))


def test_bars_of_other_colours_are_not_found() -> None:
    with pytest.raises(SchemaError, match=r"test.png: no bar of the colours .* inside the panel 'One'"):
        _read(_figure6_png(colours=("#000080", "#800000", "#008000")))


def test_bytes_that_are_no_png_are_an_error() -> None:
    with pytest.raises(SchemaError, match="test.png: the embedded image is not a readable PNG"):
        _read(b"not a png")


def _notebook(path: Path, cells: list[dict]) -> Path:
    path.write_text(json.dumps({"cells": cells, "metadata": {}, "nbformat": 4, "nbformat_minor": 4}))
    return path


def _turnover_cell(png: bytes | None = b"\x89PNG", source: str | None = None) -> dict:
    source = source or (
        'dates = ["11/22", "08/23"]\n'
        'plot_package_turnover(npm_history, "NPM", dates, 1000, axes=axes[0])\n'
        'plot_package_turnover(hf_history, "HuggingFace", ["06/22", "05/23"], 1000, axes=axes[1])\n'
    )
    outputs = [{"output_type": "stream", "name": "stdout", "text": [
        "There are a total of 1127 packages that have ever been in the top 1000 packages from NPM\n",
        "There are a total of 2535 packages that have ever been in the top 1000 packages from HuggingFace\n",
    ]}]
    if png is not None:
        outputs.append({"output_type": "display_data", "data": {"image/png": base64.b64encode(png).decode(), "text/plain": ["<Figure>"]}})
    return {"cell_type": "code", "execution_count": 4, "source": source.splitlines(keepends=True), "outputs": outputs}


def test_notebook_parser_reads_printed_counts_panels_and_the_image(tmp_path: Path) -> None:
    cells = [{"cell_type": "markdown", "source": ["# Turnover"]}, {"cell_type": "code", "source": [], "outputs": []}, _turnover_cell()]
    cell = read_turnover_cell(_notebook(tmp_path / "t.ipynb", cells))
    assert cell.index == 2 and cell.png == b"\x89PNG"
    assert cell.distinct[["registry", "top_k", "distinct_ever"]].values.tolist() == [["NPM", 1000, 1127], ["HuggingFace", 1000, 2535]]
    assert cell.panels == (("NPM", ("11/22", "08/23"), 1000), ("HuggingFace", ("06/22", "05/23"), 1000))


@pytest.mark.parametrize(
    ("cells", "message"),
    [
        ([{"cell_type": "code", "source": ["print(1)"], "outputs": []}], "no code cell prints 'There are a total of N packages"),
        ([_turnover_cell(png=None)], "cell 0 displays no image/png output"),
        ([_turnover_cell(source="plot(x)")], r"cell 0 has no call plot_package_turnover"),
        ([_turnover_cell(source='plot_package_turnover(h, "NPM", dates, 1000, axes=axes[0])')], "assigns no list literal"),
    ],
)
def test_notebook_without_what_is_looked_for_is_an_error_naming_it(tmp_path: Path, cells: list[dict], message: str) -> None:
    path = _notebook(tmp_path / "t.ipynb", cells)
    with pytest.raises(SchemaError, match=message) as error:
        read_turnover_cell(path)
    assert str(path) in str(error.value)


def test_a_file_that_is_no_notebook_is_an_error(tmp_path: Path) -> None:
    path = tmp_path / "t.ipynb"
    path.write_text("[1, 2]")
    with pytest.raises(SchemaError, match="not a Jupyter notebook"):
        read_turnover_cell(path)


BAR_LABELS = ["transformers", "safetensors", "sentence-tx", "timm"]
BAR_VALUES = [0.83, 0.5932, 0.0677, 0.0081]
BAR_COUNTS = [2699, 1929, 220, 26]


def _bar_pdf(path: Path, rotation: int, yticks: bool = True) -> Path:
    with matplotlib.rc_context(matplotlib.rcParamsDefault):
        figure = Figure(figsize=(6.4, 4.8))
        ax = figure.subplots()
        bars = ax.bar(BAR_LABELS, BAR_VALUES)
        ax.bar_label(bars, labels=[str(c) for c in BAR_COUNTS])
        ax.set_xticks(range(len(BAR_LABELS)), BAR_LABELS, rotation=rotation)
        ax.set_title("Proportion per Library")
        ax.set_xlabel("Library")
        ax.set_ylabel("Proportion")
        if not yticks:
            ax.set_yticks([])
        figure.tight_layout()
        figure.savefig(path, format="pdf")
    return path


@pytest.mark.parametrize("rotation", [45, 90])
def test_pdf_reader_reads_labels_bar_heights_and_counts(tmp_path: Path, rotation: int) -> None:
    figure = read_figure(_bar_pdf(tmp_path / "f.pdf", rotation))
    assert (figure.title, figure.xlabel, figure.ylabel) == ("Proportion per Library", "Library", "Proportion")
    assert figure.bars["label"].tolist() == BAR_LABELS
    assert figure.bars["annotation"].tolist() == BAR_COUNTS
    assert np.allclose(figure.bars["height"], BAR_VALUES, atol=2e-4)
    assert figure.summary()["bars"] == 4 and figure.markers == 0


def test_pdf_reader_counts_scatter_markers(tmp_path: Path) -> None:
    with matplotlib.rc_context(matplotlib.rcParamsDefault):
        figure = Figure()
        ax = figure.subplots()
        ax.scatter(np.arange(1, 38), np.arange(1, 38) ** 0.5)
        ax.set_xscale("log")
        figure.savefig(tmp_path / "s.pdf", format="pdf")
    read = read_figure(tmp_path / "s.pdf")
    assert read.markers == 37 and read.bars.empty


def test_pdf_without_y_tick_labels_is_an_error_naming_what_was_looked_for(tmp_path: Path) -> None:
    with pytest.raises(SchemaError, match=r"f.pdf: looked for two or more numeric y tick labels"):
        read_figure(_bar_pdf(tmp_path / "f.pdf", 45, yticks=False))


def test_a_file_that_is_no_pdf_is_an_error(tmp_path: Path) -> None:
    (tmp_path / "x.pdf").write_bytes(b"%PDF-1.4 broken")
    with pytest.raises(SchemaError, match="x.pdf"):
        read_figure(tmp_path / "x.pdf")


def test_oversized_files_are_refused_before_reading(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from artifact.authors import notebook, pdf_figures

    monkeypatch.setattr(notebook, "MAX_NOTEBOOK_BYTES", 10)
    monkeypatch.setattr(pdf_figures, "MAX_PDF_BYTES", 10)
    with pytest.raises(SchemaError, match="more than a notebook should be"):
        read_turnover_cell(_notebook(tmp_path / "t.ipynb", [_turnover_cell()]))
    with pytest.raises(SchemaError, match="more than a saved figure should be"):
        read_figure(_bar_pdf(tmp_path / "f.pdf", 45))
