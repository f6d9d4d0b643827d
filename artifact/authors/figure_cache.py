"""The authors' figure PDFs read once per checksum: each parsed result kept in the cache folder.

A result is stored under `<cache>/derived/authors-pdf-figures/<pdf sha256>-<reader>.json`, where
`reader` is a hash of the reading code (pdf_figures.py and this module) and of the pdfplumber and
pdfminer.six versions, so a change to either is a new key. The file's first line is the sha256 of
the rest; a result is used only when that checksum, its PDF checksum and its reader hash all
match, like any input, and is otherwise ignored and recomputed (and rewritten). A PDF that cannot
be read is not stored: it fails again, with the same message, the next time. The PDFs not in the
cache are read in parallel, in `workers` processes (the heaviest first, so that a slow scatter plot
does not start last); `start_reading` begins that at the start of a run, beside the other tasks, and
`read_figures` later takes what those processes read (in the process that started them).
"""

from __future__ import annotations

import hashlib
import math
import os
from collections.abc import Sequence
from concurrent.futures import CancelledError, Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from functools import cache
from pathlib import Path

import pandas as pd

from artifact.authors import pdf_figures
from artifact.authors.pdf_figures import BAR_COLUMNS, Figure, read_figure
from artifact.checked_json import code_hash, read_matching, write_checked
from artifact.errors import ArtifactError

FOLDER = "derived/authors-pdf-figures"
MAX_RESULT_BYTES = 4 * 1024 * 1024  # a figure's result is a few kB: a larger file is not one of ours
_BAR_FIELDS = ("position", "label", "height", "annotation")  # `figure` is the name, given when read
_started: dict[tuple[int, Path, str], Future] = {}  # (pid, PDF path, PDF sha256) -> its reading begun by start_reading


@cache
def reader_hash() -> str:
    """The hash of the code that turns a PDF into a Figure: these two modules and the PDF libraries' versions."""
    return code_hash((pdf_figures.__file__, __file__), ("pdfplumber", "pdfminer.six"))


def start_reading(paths: Sequence[Path], cache_dir: Path, workers: int | None = None) -> bool:
    """Begin reading, in `workers` background processes (default: one per processor this process may use, but one, which
    the run's other tasks keep busy meanwhile), each PDF of `paths` whose result `cache_dir` lacks (heaviest first);
    whether there was any."""
    checksums = [hashlib.sha256(_pdf_bytes(path)).hexdigest() for path in paths]
    missing = _heaviest_first([(path, sha) for path, sha in zip(paths, checksums) if _cached(cache_dir, sha, path.name) is None])
    if not missing:
        return False
    workers = workers or max(1, len(os.sched_getaffinity(0)) - 1)
    pool = ProcessPoolExecutor(min(workers, len(missing)))
    for path, sha in missing:  # each stored by the process that read it: kept even if the run stops before using it
        _started[(os.getpid(), path, sha)] = pool.submit(_read_and_store, path, cache_dir, sha)
    pool.shutdown(wait=False)  # its processes end once the readings submitted are done
    return True


def read_figures(paths: Sequence[Path], cache_dir: Path, workers: int = 2) -> list[Figure | ArtifactError]:
    """Each PDF of `paths` read (or its verified result taken from `cache_dir`, or from a reading begun by start_reading);
    an error in place of a figure it cannot read."""
    checksums = [hashlib.sha256(_pdf_bytes(path)).hexdigest() for path in paths]
    results: list[Figure | ArtifactError | None] = [_cached(cache_dir, sha, path.name) for path, sha in zip(paths, checksums)]
    begun = {i: _started.pop((os.getpid(), paths[i], checksums[i]), None) for i, result in enumerate(results) if result is None}
    missing = [i for i, _ in _heaviest_first([(i, paths[i]) for i, future in begun.items() if future is None], key=1)]
    if len(missing) > 1 and workers > 1:
        with ProcessPoolExecutor(min(workers, len(missing))) as pool:
            read = list(pool.map(_read, [paths[i] for i in missing]))
    else:
        read = [_read(paths[i]) for i in missing]
    for i, result in zip(missing, read):
        if isinstance(result, Figure):
            _store(cache_dir, checksums[i], result)
        results[i] = result
    for i, future in begun.items():
        if future is not None:
            results[i] = _result(future, paths[i], cache_dir, checksums[i])
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


def _read_and_store(path: Path, cache_dir: Path, pdf_sha256: str) -> Figure | ArtifactError:
    """_read, its figure stored as the result of the PDF with `pdf_sha256`."""
    result = _read(path)
    if isinstance(result, Figure):
        _store(cache_dir, pdf_sha256, result)
    return result


def _result(future: Future, path: Path, cache_dir: Path, pdf_sha256: str) -> Figure | ArtifactError:
    """What a reading begun by start_reading gave; read here when its process was lost."""
    try:
        return future.result()
    except (BrokenProcessPool, CancelledError):
        return _read_and_store(path, cache_dir, pdf_sha256)


def _heaviest_first(items: list, key: int = 0) -> list:
    """`items` sorted by the size of the PDF at their `key` position, largest first (the slowest to read starts first)."""
    return sorted(items, key=lambda item: -item[key].stat().st_size)


def _read(path: Path) -> Figure | ArtifactError:
    """read_figure, its ArtifactError returned (not raised) so that a pool hands it back."""
    try:
        return read_figure(path)
    except ArtifactError as error:
        return error


def _cached(cache_dir: Path, pdf_sha256: str, name: str) -> Figure | None:
    """The stored result for this PDF and reader, named `name`; None when absent or failing a check."""
    stored = read_matching(result_path(cache_dir, pdf_sha256), MAX_RESULT_BYTES, {"pdf_sha256": pdf_sha256, "reader": reader_hash()})
    if stored is None:
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
