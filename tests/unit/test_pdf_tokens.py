"""The figure reader's own tokeniser of PDF content streams gives pdfminer's objects, or leaves the stream to pdfminer;
its lean page objects give what pdfplumber's full ones give."""

from __future__ import annotations

import io
import zlib
from pathlib import Path

import matplotlib
import numpy as np
import pandas as pd
import pdfplumber
import pytest
from matplotlib.figure import Figure as MplFigure
from pdfminer.pdftypes import PDFStream
from pdfminer.psparser import LIT, PSKeyword, PSLiteral

from artifact.authors import pdf_figures
from artifact.authors.pdf_figures import _simple_tokens, _tokens


def _typed(tokens: list) -> list:
    """Tokens with their types (True == 1 in Python, a keyword is not a name)."""
    return [(type(t).__name__, _typed(t) if isinstance(t, list) else t.name if isinstance(t, (PSKeyword, PSLiteral)) else t) for t in tokens]


def _pdfminer(datas: list[bytes]) -> list:
    """pdfminer's objects of the streams holding `datas` (the reader's fallback alone)."""
    streams = [PDFStream({"Length": len(data)}, data) for data in datas]
    for stream in streams:
        stream.objid = 1
    original = pdf_figures._simple_tokens
    try:
        pdf_figures._simple_tokens = lambda datas: None
        return _tokens(streams)
    finally:
        pdf_figures._simple_tokens = original


def _figure_streams() -> list[bytes]:
    """The decoded content streams of matplotlib PDFs like the authors': bars with rotated labels, a scatter, a heatmap."""
    with matplotlib.rc_context(matplotlib.rcParamsDefault):
        figure = MplFigure()
        axes = figure.subplots(1, 3)
        axes[0].bar(["a (b)", "c\\d", "é"], [3, 1.5, 2])
        axes[0].tick_params(axis="x", labelrotation=45)
        axes[1].scatter(np.arange(1, 38), np.arange(1, 38) ** 0.5)
        axes[1].set_xscale("log")
        cells = axes[2].imshow(np.arange(12).reshape(3, 4))
        for (row, column), value in np.ndenumerate(np.arange(12).reshape(3, 4)):
            axes[2].text(column, row, str(value))
        figure.colorbar(cells)
        axes[2].set_title("$10^{3}$ mathtext")
        buffer = io.BytesIO()
        figure.savefig(buffer, format="pdf")
    with pdfplumber.open(io.BytesIO(buffer.getvalue())) as pdf:
        return [obj.get_data() for xref in pdf.doc.xrefs for objid in xref.get_objids()
                if isinstance(obj := pdf.doc.getobj(objid), PDFStream) and obj.get("Subtype") is None and obj.get("Type") is None]


def test_matplotlib_streams_are_tokenised_as_pdfminer_does() -> None:
    datas = [data for data in _figure_streams() if data.strip()]
    assert len(datas) >= 5
    simple = [data for data in datas if _simple_tokens([data]) is not None]
    assert simple == [data for data in datas if b"\\" not in data and b"<<" not in data]  # all but escapes and a CMap
    for data in datas:
        assert _typed(_tokens([PDFStream({}, data)])) == _typed(_pdfminer([data]))
    for data in simple:
        assert _typed(_simple_tokens([data])) == _typed(_pdfminer([data]))


@pytest.mark.parametrize("data", [
    b"1 0 0 1 72.5 -3. cm .5 +.25 -.75 +4 007 re f* q Q\n",
    b"/F1 12 Tf /DejaVuSans-Bold 9 Tf (0.25) Tj [(A) -120 (B)] TJ <00410042> Tj <> Tj\n",
    b"[1 [2 3] /n true false] 0 d 1 0 0 RG 0.5 g\n",
    b"BT\n/F1 1 Tf\n10 0 0 10 5 5 Tm\n(x) Tj\nET\n",
])
def test_simple_streams_are_tokenised_as_pdfminer_does(data: bytes) -> None:
    simple = _simple_tokens([data])
    assert simple is not None
    assert _typed(simple) == _typed(_pdfminer([data]))


@pytest.mark.parametrize("datas", [
    [b"(a\\)b) Tj\n"],  # an escape
    [b"(a (nested) b) Tj\n"],
    [b"% a comment\n0 g\n"],
    [b"<< /A 1 >> BDC\n"],
    [b"BI /W 1 /H 1 ID \x00 EI\n"],
    [b"<abc> Tj\n"],  # odd hex
    [b"] 1 g\n"],
    [b"[1 2\n"],
    [b"/A#20B 1 g\n"],
    [b"- 1 . g\n"],
])
def test_other_streams_are_left_to_pdfminer(datas: list[bytes]) -> None:
    assert _simple_tokens(datas) is None


@pytest.mark.parametrize("datas", [
    [b"q 1 0 0 1 5 5 cm\n[1", b"2] 0 d\nQ"], [b"/Na", b"me 1 g"], [b"12", b"3 g"], [b"(a", b"b) Tj"], [b"(a\r\nb) Tj"],
    [b"1 g\x00\n"],
])
def test_streams_drawn_together_are_tokenised_as_one_each_end_ending_a_token(datas: list[bytes]) -> None:
    assert _typed(_simple_tokens(datas)) == _typed(_pdfminer(datas))


@pytest.mark.parametrize("kind", ["bars", "scatter"])
def test_a_figure_read_through_pdfminers_tokeniser_and_pdfplumbers_objects_is_the_same(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, kind: str
) -> None:
    from tests.unit.test_authors_figure_cache import _scatter_pdf
    from tests.unit.test_authors_readers import _bar_pdf

    path = _scatter_pdf(tmp_path / "f.pdf") if kind == "scatter" else _bar_pdf(tmp_path / "f.pdf", 45)
    fast = pdf_figures.read_figure(path)
    monkeypatch.setattr(pdf_figures, "_simple_tokens", lambda datas: None)
    monkeypatch.setattr(pdf_figures, "_objects", lambda page: page.parse_objects())  # every field pdfplumber makes
    slow = pdf_figures.read_figure(path)
    assert fast.summary() == slow.summary()
    pd.testing.assert_frame_equal(fast.bars, slow.bars)
    assert fast.markers == 37 if kind == "scatter" else len(fast.bars) > 0 and fast.bars["label"].ne("").all()


def test_zlib_streams_are_decoded_first() -> None:
    data = b"0 0 m 1 1 l S\n"
    stream = PDFStream({"Filter": LIT("FlateDecode")}, zlib.compress(data))
    assert _typed(_tokens([stream])) == _typed(_pdfminer([data]))
