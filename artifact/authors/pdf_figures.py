"""The authors' saved figures (matplotlib vector PDFs), read with pdfplumber: text, bars, marks.

A figure is read as drawing operations, never rendered: the axes box is the largest filled
rectangle short of the page; bars are the other filled rectangles inside it; the y axis is
calibrated on its numeric tick labels, each paired with its tick mark; text is grouped into
labels by its rotation and baseline (matplotlib rotates bar labels by 45 or 90 degrees).
Bar labels are paired with bars left to right, count annotations with the bar under them.
A content stream drawn many times (the marker of a scatter plot, a form XObject drawn once per
point) is tokenised once per document and its operations replayed (`_ReplayingInterpreter`).
Streams made of what matplotlib writes (numbers, names, operators, plain and hex strings, arrays) are
tokenised by one regular expression (`_simple_tokens`, pdfminer's tokens, tested equal to them);
anything else (comments, dictionaries, escapes, inline images) by pdfminer's own parser. The page's
objects are pdfplumber's with only the fields read here (`_objects`: no curve's points, for one).
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
import pdfplumber
from pdfminer.layout import LTChar, LTContainer, LTTextContainer
from pdfminer.pdfinterp import PDFContentParser, PDFPageInterpreter
from pdfminer.pdfparser import PDFSyntaxError
from pdfminer.pdftypes import stream_value
from pdfminer.psparser import KWD, LIT, PSEOF, PSKeyword, keyword_name
from pdfplumber.page import PDFPageAggregatorWithMarkedContent, lt_pat
from pdfplumber.utils import resolve_all
from pdfplumber.utils.exceptions import PdfminerException

from artifact.errors import SchemaError

MAX_PDF_BYTES = 20 * 1024 * 1024  # the archived figures are under 200 kB each
GAP = 4.0  # points between two characters of one baseline that start a new run (spaces are characters)
NUMBER = re.compile(r"^-?\d+(\.\d+)?$")
_DELIMITED = rb"[^#/%\[\]()<>{}\s]*"  # the rest of a name or an operator: up to pdfminer's delimiters
_TOKEN = re.compile(
    rb"\s+|(?P<float>[-+]?(?:\d+\.\d*|\.\d+))|(?P<int>[-+]?\d+)|(?P<name>/" + _DELIMITED + rb")|(?P<keyword>[A-Za-z]"
    + _DELIMITED + rb")|(?P<string>\([^()\\]*\))|(?P<hex><[0-9A-Fa-f\s]*>(?!>))|(?P<open>\[)|(?P<close>\])|(?P<other>[\s\S])"
)
_SPACE = re.compile(rb"\s")
_FIELDS = frozenset(("x0", "y0", "x1", "y1", "width", "height", "fill", "non_stroking_color", "matrix", "size", "adv"))
BAR_COLUMNS = ("figure", "position", "label", "height", "annotation")
FIGURE_COLUMNS = ("figure", "title", "xlabel", "ylabel", "bars", "labels", "annotations", "markers", "cells", "x_ticks", "y_ticks")


@dataclass(frozen=True)
class TextLine:
    """Characters of one run of text: its string, rotation (degrees), anchor point and bounding box."""

    text: str
    angle: float
    x0: float
    x1: float
    top: float
    bottom: float
    end_x: float  # x of the last character's right edge (where a rotated tick label meets its tick)


@dataclass(frozen=True)
class Figure:
    """What one figure PDF shows: its texts, its bars (if any) and how many marks of each kind."""

    name: str
    title: str
    xlabel: str
    ylabel: str
    bars: pd.DataFrame  # BAR_COLUMNS
    markers: int  # curves inside the axes (scatter markers)
    cells: int  # filled rectangles inside the axes that are not bars of one colour (heatmap cells)
    x_ticks: tuple[str, ...]
    y_ticks: tuple[str, ...]

    def summary(self) -> dict:
        """One row of FIGURE_COLUMNS."""
        return {
            "figure": self.name, "title": self.title, "xlabel": self.xlabel, "ylabel": self.ylabel, "bars": len(self.bars),
            "labels": int(self.bars["label"].ne("").sum()), "annotations": int(self.bars["annotation"].notna().sum()),
            "markers": self.markers, "cells": self.cells, "x_ticks": " ".join(self.x_ticks), "y_ticks": " ".join(self.y_ticks),
        }


def read_figure(path: Path, name: str | None = None) -> Figure:
    """Read one figure PDF; SchemaError naming the file and what was looked for when it cannot be read."""
    name = name or path.name
    if path.stat().st_size > MAX_PDF_BYTES:
        raise SchemaError(f"{path}: {path.stat().st_size} bytes, more than a saved figure should be ({MAX_PDF_BYTES})")
    try:
        with pdfplumber.open(path) as pdf:
            if not pdf.pages:
                raise SchemaError(f"{path}: the PDF has no page")
            page = pdf.pages[0]
            page._layout = _layout(pdf, page)  # what page.layout would compute, with streams tokenised once
            page._objects = _objects(page)
            return _read_page(page, name, str(path))
    except (PDFSyntaxError, PdfminerException) as error:
        raise SchemaError(f"{path}: not a readable PDF ({error})") from None


class _ReplayingInterpreter(PDFPageInterpreter):
    """pdfminer's interpreter, each content stream's tokens parsed once per document and replayed after."""

    def __init__(self, rsrcmgr, device, tokens: dict | None = None) -> None:
        super().__init__(rsrcmgr, device)
        self.tokens: dict[tuple[int, ...], list] = {} if tokens is None else tokens

    def dup(self) -> _ReplayingInterpreter:
        return self.__class__(self.rsrcmgr, self.device, self.tokens)

    def execute(self, streams: Sequence[object]) -> None:
        """As pdfminer's `execute` (circular references refused), with the parsed tokens kept by stream ids."""
        valid = [stream_value(s) for s in streams if stream_value(s).objid is not None]
        valid = [s for s in valid if s.objid not in self.parent_stream_ids]
        self.stream_ids.clear()
        self.stream_ids.update(s.objid for s in valid)
        key = tuple(s.objid for s in valid)
        if key not in self.tokens:
            self.tokens[key] = _tokens(valid)
        for token in self.tokens[key]:
            if not isinstance(token, PSKeyword):
                self.push(token)
                continue
            name = keyword_name(token)
            method = getattr(self, "do_" + name.replace("*", "_a").replace('"', "_w").replace("'", "_q"), None)
            if method is None:
                continue
            nargs = method.__code__.co_argcount - 1
            if not nargs:
                method()
            elif len(args := self.pop(nargs)) == nargs:
                method(*args)


def _tokens(streams: list) -> list:
    """The objects and operators of content `streams`, in order."""
    simple = _simple_tokens([stream.get_data() for stream in streams])
    if simple is not None:
        return simple
    try:
        parser = PDFContentParser(streams)
    except PSEOF:
        return []
    tokens = []
    while True:
        try:
            tokens.append(parser.nextobject()[1])
        except PSEOF:
            return tokens


def _simple_tokens(datas: list[bytes]) -> list | None:
    """pdfminer's objects of the decoded streams `datas` (the end of each ends a token, as in pdfminer), when they hold
    only numbers, names, operators, strings without escapes or parentheses, even hex strings and balanced arrays; else None."""
    out: list = []
    stack: list[list] = []
    for match in _TOKEN.finditer(b"".join(data + b"\n" for data in datas)):
        kind, text = match.lastgroup, match.group()
        if kind is None:
            continue
        if kind == "float":
            out.append(float(text))
        elif kind == "int":
            out.append(int(text))
        elif kind == "keyword":
            if text in (b"BI", b"ID", b"EI"):
                return None  # an inline image
            out.append(True if text == b"true" else False if text == b"false" else KWD(text))
        elif kind == "name":
            try:
                out.append(LIT(text[1:].decode("utf-8")))
            except UnicodeDecodeError:
                return None
        elif kind == "string":
            out.append(text[1:-1])
        elif kind == "hex" and len(digits := _SPACE.sub(b"", text[1:-1])) % 2 == 0:
            out.append(bytes.fromhex(digits.decode()))
        elif kind == "open":
            stack.append(out)
            out = []
        elif kind == "close" and stack:
            array, out = out, stack.pop()
            out.append(array)
        else:
            return None
    return None if stack else out


def _layout(pdf: pdfplumber.PDF, page: pdfplumber.page.Page):
    """The page's layout objects, as pdfplumber's `Page.layout` makes them, through `_ReplayingInterpreter`."""
    device = PDFPageAggregatorWithMarkedContent(pdf.rsrcmgr, pageno=page.page_number, laparams=pdf.laparams)
    try:
        _ReplayingInterpreter(pdf.rsrcmgr, device).process_page(page.page_obj)
    except Exception as error:  # as pdfplumber does: any failure inside pdfminer is a PdfminerException
        raise PdfminerException(error) from error
    return device.get_result()


def _objects(page: pdfplumber.page.Page) -> dict[str, list[dict]]:
    """pdfplumber's `page.objects` (its `iter_layout_objects` and `process_object`) with only the fields of _FIELDS and text."""
    mb_x0, mb_top = page.mediabox[:2]
    objects: dict[str, list[dict]] = {}

    def add(obj) -> None:
        kind = lt_pat.sub("", obj.__class__.__name__).lower()
        attr = {key: resolve_all(value) for key, value in obj.__dict__.items() if key in _FIELDS}
        if isinstance(obj, (LTChar, LTTextContainer)):
            attr["text"] = obj.get_text() if page.pdf.unicode_norm is None else unicodedata.normalize(page.pdf.unicode_norm, obj.get_text())
        if isinstance(obj, LTChar):
            colour = obj.graphicstate.ncolor
            attr["non_stroking_color"] = colour if isinstance(colour, tuple) else (colour,)
        if "y0" in attr:
            attr["top"] = (page.height - attr["y1"]) + mb_top
            attr["bottom"] = (page.height - attr["y0"]) + mb_top
        if "x0" in attr and mb_x0 != 0:
            attr["x0"], attr["x1"] = attr["x0"] + mb_x0, attr["x1"] + mb_x0
        if kind != "anno":
            objects.setdefault(kind, []).append(attr)

    def walk(items) -> None:
        for obj in items:
            if isinstance(obj, LTContainer):
                if page.pdf.laparams is not None:
                    add(obj)
                walk(obj._objs)
            else:
                add(obj)

    walk(page.layout._objs)
    return objects


def _read_page(page: pdfplumber.page.Page, name: str, where: str) -> Figure:
    area = page.width * page.height
    boxes = [r for r in page.rects if r["width"] * r["height"] < 0.98 * area and r.get("fill")]
    if not boxes:
        raise SchemaError(f"{where}: looked for the axes (a filled rectangle smaller than the page) and found none")
    axes = max(boxes, key=lambda r: r["width"] * r["height"])
    inside = [r for r in boxes if r is not axes and _within(r, axes)]
    lines = _text_lines(page.chars)
    title = " ".join(t.text for t in sorted(lines, key=lambda t: t.x0) if t.angle == 0 and (t.top + t.bottom) / 2 < axes["top"])
    xlabel = " ".join(t.text for t in lines if t.angle == 0 and t.top >= axes["bottom"] and not NUMBER.match(t.text.replace("^", "")))
    ylabel = " ".join(t.text for t in lines if abs(t.angle) == 90 and t.x1 <= axes["x0"])
    y_ticks = sorted((t for t in lines if t.angle == 0 and t.x1 <= axes["x0"]), key=lambda t: t.top)
    x_ticks = sorted((t for t in lines if t.angle == 0 and t.top >= axes["bottom"] and NUMBER.match(t.text.replace("^", ""))), key=lambda t: t.x0)
    colours = {_colour(r) for r in inside}
    bar_rects = sorted(inside, key=lambda r: r["x0"]) if len(colours) == 1 else []
    bars = _bars(page, axes, bar_rects, lines, y_ticks, name, where) if bar_rects else pd.DataFrame(columns=list(BAR_COLUMNS))
    markers = sum(1 for c in page.curves if _within(c, axes))
    return Figure(name, title, xlabel, ylabel, bars, markers, 0 if bar_rects else len(inside),
                  tuple(t.text for t in x_ticks), tuple(t.text for t in y_ticks))


def _within(box: dict, outer: dict, slack: float = 0.5) -> bool:
    return (box["x0"] >= outer["x0"] - slack and box["x1"] <= outer["x1"] + slack
            and box["top"] >= outer["top"] - slack and box["bottom"] <= outer["bottom"] + slack)


def _colour(rect: dict) -> tuple:
    colour = rect.get("non_stroking_color")
    return tuple(round(float(c), 4) for c in colour) if isinstance(colour, (list, tuple)) else (colour,)


def _text_lines(chars: list[dict]) -> list[TextLine]:
    """Characters grouped into runs: same rotation, same baseline, no gap wider than a character."""
    groups: dict[tuple[float, float], list[tuple[float, dict]]] = {}
    for char in chars:
        a, b, _, _, e, f = char["matrix"]
        angle = round(math.degrees(math.atan2(b, a)))
        theta = math.radians(angle)
        normal = round(-e * math.sin(theta) + f * math.cos(theta))
        along = e * math.cos(theta) + f * math.sin(theta)
        groups.setdefault((angle, normal), []).append((along, char))
    lines = []
    for (angle, _), members in groups.items():
        members.sort(key=lambda m: m[0])
        run: list[tuple[float, dict]] = []
        for along, char in members:
            if run and along - run[-1][0] - run[-1][1]["adv"] > GAP:
                lines.append(_line(run, angle))
                run = []
            run.append((along, char))
        lines.append(_line(run, angle))
    return [line for line in lines if line.text.strip()]


def _line(run: list[tuple[float, dict]], angle: float) -> TextLine:
    """A run of characters as text; superscripts (smaller characters after a larger one) written as ^."""
    text, size = "", 0.0
    for _, char in run:
        if angle == 0 and size and char["size"] < 0.8 * size and char["text"].strip() and "^" not in text:
            text += "^"
        size = max(size, char["size"])
        text += char["text"]
    chars = [c for _, c in run]
    return TextLine(text.strip(), angle, min(c["x0"] for c in chars), max(c["x1"] for c in chars),
                    min(c["top"] for c in chars), max(c["bottom"] for c in chars), max(c["x1"] for c in chars))


def _bars(page, axes: dict, rects: list[dict], lines: list[TextLine], y_ticks: list[TextLine], name: str, where: str) -> pd.DataFrame:
    """One row per bar: its label (tick text), height in data units (calibrated y axis) and annotation."""
    to_value = _y_calibration(page, axes, y_ticks, where)
    labels = sorted((t for t in lines if t.angle != 0 and t.top >= axes["bottom"] - 1), key=lambda t: t.end_x)
    if labels and len(labels) != len(rects):
        raise SchemaError(f"{where}: looked for one rotated label per bar under the axes: {len(rects)} bars, {len(labels)} labels")
    numbers = [t for t in lines if t.angle == 0 and NUMBER.match(t.text) and axes["top"] <= t.top <= axes["bottom"] and t.x0 >= axes["x0"]]
    rows = []
    for position, rect in enumerate(rects, start=1):
        centre = (rect["x0"] + rect["x1"]) / 2
        over = [t for t in numbers if rect["x0"] - 2 <= (t.x0 + t.x1) / 2 <= rect["x1"] + 2 and t.top < rect["top"]]
        annotation = float(over[0].text) if len(over) == 1 else math.nan
        height = to_value(rect["top"]) - to_value(rect["bottom"])
        label = labels[position - 1].text if labels else ""
        rows.append({"figure": name, "position": position, "label": label, "height": float(np.round(height, 4)),
                     "annotation": annotation, "_centre": centre})
    return pd.DataFrame(rows).drop(columns="_centre").reindex(columns=list(BAR_COLUMNS))


def _y_calibration(page, axes: dict, ticks: list[TextLine], where: str):
    """Value at a `top` coordinate, fitted on the numeric y tick labels each paired with its tick mark."""
    marks = [ln["top"] for ln in page.lines if abs(ln["top"] - ln["bottom"]) < 0.01 and abs(ln["x1"] - axes["x0"]) < 1.0]
    pairs = []
    for tick in ticks:
        if not NUMBER.match(tick.text):
            continue
        centre = (tick.top + tick.bottom) / 2
        nearest = min(marks, key=lambda y: abs(y - centre), default=centre)
        pairs.append((nearest if abs(nearest - centre) < (tick.bottom - tick.top) else centre, float(tick.text)))
    if len(pairs) < 2:
        raise SchemaError(f"{where}: looked for two or more numeric y tick labels left of the axes to calibrate bar heights, found {len(pairs)}")
    slope, intercept = np.polyfit([p[0] for p in pairs], [p[1] for p in pairs], 1)
    return lambda top: float(intercept + slope * top)
