"""The authors' figure PDFs read once per checksum: each parsed result kept in the cache folder.

A result is stored under `<cache>/derived/authors-pdf-figures/<pdf sha256>-<reader>.json`, where
`reader` is a hash of the reading code (pdf_figures.py and this module) and of the pdfplumber and
pdfminer.six versions, so a change to either is a new key. The file's first line is the sha256 of
the rest; a result is used only when that checksum, its PDF checksum and its reader hash all
match, like any input, and is otherwise ignored and recomputed (and rewritten). A PDF that cannot
be read is not stored: it fails again, with the same message, the next time. The PDFs not in the
cache are read in parallel, in `workers` processes (the heaviest first, so that a slow scatter plot
does not start last).
"""

from __future__ import annotations

import hashlib
import math
from collections.abc import Sequence
from concurrent.futures import ProcessPoolExecutor
from functools import cache
from importlib.metadata import version
from pathlib import Path

import pandas as pd

from artifact.authors import pdf_figures
from artifact.authors.pdf_figures import BAR_COLUMNS, Figure, read_figure
from artifact.checked_json import read_checked, write_checked
from artifact.errors import ArtifactError

FOLDER = "derived/authors-pdf-figures"
MAX_RESULT_BYTES = 4 * 1024 * 1024  # a figure's result is a few kB: a larger file is not one of ours
_BAR_FIELDS = ("position", "label", "height", "annotation")  # `figure` is the name, given when read


@cache
def reader_hash() -> str:
    """The hash of the code that turns a PDF into a Figure: these two modules and the PDF libraries' versions."""
    digest = hashlib.sha256()
    for module in (pdf_figures.__file__, __file__):
        digest.update(Path(module).read_bytes())
    digest.update(f"pdfplumber {version('pdfplumber')} pdfminer.six {version('pdfminer.six')}".encode())
    return digest.hexdigest()[:16]


def read_figures(paths: Sequence[Path], cache_dir: Path, workers: int = 2) -> list[Figure | ArtifactError]:
    """Each PDF of `paths` read (or its verified result taken from `cache_dir`); an error in place of a figure it cannot read."""
    checksums = [hashlib.sha256(_pdf_bytes(path)).hexdigest() for path in paths]
    results: list[Figure | ArtifactError | None] = [_cached(cache_dir, sha, path.name) for path, sha in zip(paths, checksums)]
    missing = sorted((i for i, result in enumerate(results) if result is None), key=lambda i: -paths[i].stat().st_size)
    if len(missing) > 1 and workers > 1:
        with ProcessPoolExecutor(min(workers, len(missing))) as pool:
            read = list(pool.map(_read, [paths[i] for i in missing]))
    else:
        read = [_read(paths[i]) for i in missing]
    for i, result in zip(missing, read):
        results[i] = result
        if isinstance(result, Figure):
            _store(cache_dir, checksums[i], result)
    return results  # type: ignore[return-value]  # every None was filled


def result_path(cache_dir: Path, pdf_sha256: str) -> Path:
    """Where the result of the PDF with `pdf_sha256` is kept for the current reader."""
    return cache_dir / FOLDER / f"{pdf_sha256}-{reader_hash()}.json"


def _pdf_bytes(path: Path) -> bytes:
    """The PDF's bytes, refused (like read_figure does) when larger than a saved figure should be."""
    size = path.stat().st_size
    if size > pdf_figures.MAX_PDF_BYTES:
        return b""  # read_figure names the file and its size
    return path.read_bytes()


def _read(path: Path) -> Figure | ArtifactError:
    """read_figure, its ArtifactError returned (not raised) so that a pool hands it back."""
    try:
        return read_figure(path)
    except ArtifactError as error:
        return error


def _cached(cache_dir: Path, pdf_sha256: str, name: str) -> Figure | None:
    """The stored result for this PDF and reader, named `name`; None when absent or failing a check."""
    stored = read_checked(result_path(cache_dir, pdf_sha256), MAX_RESULT_BYTES)
    if not isinstance(stored, dict) or stored.get("pdf_sha256") != pdf_sha256 or stored.get("reader") != reader_hash():
        return None
    return _figure(stored["figure"], name)


def _store(cache_dir: Path, pdf_sha256: str, figure: Figure) -> None:
    """Keep `figure` as the result of the PDF with `pdf_sha256`, atomically."""
    bars = [
        {"position": int(row.position), "label": row.label, "height": float(row.height),
         "annotation": None if math.isnan(row.annotation) else float(row.annotation)}
        for row in figure.bars.itertuples()
    ]
    fields = {"title": figure.title, "xlabel": figure.xlabel, "ylabel": figure.ylabel, "bars": bars, "markers": figure.markers,
              "cells": figure.cells, "x_ticks": list(figure.x_ticks), "y_ticks": list(figure.y_ticks)}
    write_checked(result_path(cache_dir, pdf_sha256), {"pdf_sha256": pdf_sha256, "reader": reader_hash(), "figure": fields}, MAX_RESULT_BYTES)


def _figure(fields: dict, name: str) -> Figure:
    """A Figure as read_figure returns it, from its stored fields."""
    rows = [{"figure": name, **{key: bar[key] for key in _BAR_FIELDS}} for bar in fields["bars"]]
    for row in rows:
        row["annotation"] = math.nan if row["annotation"] is None else row["annotation"]
    bars = pd.DataFrame(rows).reindex(columns=list(BAR_COLUMNS)) if rows else pd.DataFrame(columns=list(BAR_COLUMNS))
    return Figure(name, fields["title"], fields["xlabel"], fields["ylabel"], bars, fields["markers"], fields["cells"],
                  tuple(fields["x_ticks"]), tuple(fields["y_ticks"]))
