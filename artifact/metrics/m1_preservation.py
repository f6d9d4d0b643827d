"""Metric 1: library preservation between a base model and its direct descendants (Figure 5).

Two variants, both reported, because the paper's Equation 1 and the authors' code differ:
- `authors-code`, what the authors' script computed: take the direct descendants (models with at
  least one `model_to_base_model` row, whatever their base) that support at least two libraries;
  for each library, `count` = how many of them support it, `total` = how many there are, and
  `proportion` = count / total.
- `equation-1`, the paper's definition: for library L, B = the base models (model rows) that
  support L and at least one other library, D_b = the direct descendants of b;
  `count` = sum over b in B of |{d in D_b supporting L}|, `total` = sum over b in B of |D_b|,
  `proportion` = count / total. A descendant of two such bases counts once for each.

Ranks within a variant: proportion descending, then count descending, then library name ascending.

Both are computed on integer codes (models and libraries numbered once, each distinct pair one
integer), so that a listing's million pairs are counted by NumPy rather than joined as frames.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

AUTHORS_CODE = "authors-code"
EQUATION_1 = "equation-1"
PRESERVATION_COLUMNS = ("variant", "rank", "library", "count", "total", "proportion")


@dataclass(frozen=True)
class _Pairs:
    """Distinct (model, library) pairs as codes, in model then library order."""

    model_ids: np.ndarray  # the model id of each model code
    keys: np.ndarray  # each pair as one integer, model code times the number of libraries plus library code (sorted)
    model: np.ndarray  # each pair's model code
    library: np.ndarray  # each pair's library code
    names: pd.Index  # the library of each library code, in name order (a missing name last)
    start: np.ndarray  # each model's first pair
    size: np.ndarray  # each model's number of libraries


def preservation(model_libraries: pd.DataFrame, base_links: pd.DataFrame) -> pd.DataFrame:
    """Both variants in one table (PRESERVATION_COLUMNS), from the loader's tidy frames."""
    pairs = _pairs(model_libraries)
    variants = {AUTHORS_CODE: _authors_code(pairs, base_links), EQUATION_1: _equation_1(pairs, base_links)}
    table = pd.concat([frame.assign(variant=name) for name, frame in variants.items()], ignore_index=True)
    return table.loc[:, list(PRESERVATION_COLUMNS)]


def preservation_authors_code(model_libraries: pd.DataFrame, base_links: pd.DataFrame) -> pd.DataFrame:
    """Per library, the share of multi-library direct descendants that support it."""
    return _authors_code(_pairs(model_libraries), base_links)


def preservation_equation_1(model_libraries: pd.DataFrame, base_links: pd.DataFrame) -> pd.DataFrame:
    """Per library L, P_L over the multi-library base models that support L (Equation 1)."""
    return _equation_1(_pairs(model_libraries), base_links)


def _pairs(model_libraries: pd.DataFrame) -> _Pairs:
    """The distinct pairs of `model_libraries` (model_id, library) as codes."""
    model_codes, model_ids = pd.factorize(model_libraries["model_id"])
    library_codes, names = pd.factorize(model_libraries["library"], sort=True, use_na_sentinel=False)
    width = max(len(names), 1)
    keys = np.sort(model_codes.astype(np.int64) * width + library_codes)
    keys = keys[np.concatenate(([True], keys[1:] != keys[:-1]))] if len(keys) else keys  # np.unique hashes, slower
    model = keys // width
    size = np.bincount(model, minlength=len(model_ids))
    return _Pairs(np.asarray(model_ids), keys, model, keys % width, pd.Index(names), np.cumsum(size) - size, size)


def _per_library(pairs: _Pairs, library: np.ndarray, weights: np.ndarray | None = None) -> np.ndarray:
    """How many of `library` (codes) there are per library code, or the sum of their `weights`."""
    return np.bincount(library, weights=weights, minlength=len(pairs.names))


def _authors_code(pairs: _Pairs, base_links: pd.DataFrame) -> pd.DataFrame:
    """The authors' variant on `pairs`: shares among the multi-library descendants."""
    counted = (pairs.size >= 2) & np.isin(pairs.model_ids, base_links["model_id"].to_numpy())
    counts = _per_library(pairs, pairs.library[counted[pairs.model]])
    present = (counts > 0) & pairs.names.notna()  # groupby leaves a missing name out
    return _ranked(pairs.names[present], counts[present], np.full(present.sum(), counted.sum()))


def _equation_1(pairs: _Pairs, base_links: pd.DataFrame) -> pd.DataFrame:
    """Equation 1 on `pairs`: over the multi-library bases, their descendants' shares per library."""
    bases = base_links["base_model_id"].to_numpy(dtype=np.int64, na_value=-1)
    known = base_links["base_model_id"].notna().to_numpy()
    edge_bases, edge_children = _distinct_edges(bases[known], base_links["model_id"].to_numpy(dtype=np.int64)[known])
    model_index = pd.Index(pairs.model_ids)
    base, child = model_index.get_indexer(edge_bases), model_index.get_indexer(edge_children)
    family = np.bincount(base[base >= 0], minlength=len(pairs.model_ids))  # |D_b| of each model with libraries
    family[pairs.size < 2] = 0  # only the bases in B count
    weighted = family[pairs.model] > 0
    totals = _per_library(pairs, pairs.library[weighted], family[pairs.model[weighted]].astype(np.float64))
    present = (_per_library(pairs, pairs.library[weighted]) > 0) & pairs.names.notna()
    # Each edge of a base in B, once per library of the base: preserved where the descendant has that library too.
    base, child = base[base >= 0], child[base >= 0]
    base, child = base[family[base] > 0], child[family[base] > 0]
    repeats = pairs.size[base]
    library = pairs.library[np.repeat(pairs.start[base] - (np.cumsum(repeats) - repeats), repeats) + np.arange(repeats.sum())]
    wanted = np.repeat(child.astype(np.int64), repeats) * max(len(pairs.names), 1) + library  # negative: no libraries
    found = np.searchsorted(pairs.keys, wanted).clip(max=max(len(pairs.keys) - 1, 0))
    counts = _per_library(pairs, library[pairs.keys[found] == wanted] if len(pairs.keys) else library[:0])
    return _ranked(pairs.names[present], counts[present], totals[present].astype(np.int64))


def _distinct_edges(bases: np.ndarray, children: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Each distinct (base, child) pair of model ids (>= 0) once, in (base, child) order.

    Each pair is one integer, base times (largest child + 1) plus child, so that a sort of integers
    finds them (a third of the time of `np.unique` on rows).
    """
    width = int(children.max()) + 1 if len(children) else 1
    keys = np.unique(bases * width + children)
    return keys // width, keys % width


def _ranked(libraries: pd.Index, counts: np.ndarray, totals: np.ndarray) -> pd.DataFrame:
    """library, count, total, proportion, ranked by the documented rule."""
    table = pd.DataFrame(
        {"library": libraries.astype(str), "count": counts.astype("int64"), "total": totals.astype("int64")}
    )
    table["proportion"] = table["count"] / table["total"]
    table = table.sort_values(["proportion", "count", "library"], ascending=[False, False, True], kind="mergesort")
    return table.assign(rank=range(1, len(table) + 1)).reset_index(drop=True)
