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
"""

from __future__ import annotations

import pandas as pd

AUTHORS_CODE = "authors-code"
EQUATION_1 = "equation-1"
PRESERVATION_COLUMNS = ("variant", "rank", "library", "count", "total", "proportion")


def preservation(model_libraries: pd.DataFrame, base_links: pd.DataFrame) -> pd.DataFrame:
    """Both variants in one table (PRESERVATION_COLUMNS), from the loader's tidy frames."""
    variants = {
        AUTHORS_CODE: preservation_authors_code(model_libraries, base_links),
        EQUATION_1: preservation_equation_1(model_libraries, base_links),
    }
    table = pd.concat([frame.assign(variant=name) for name, frame in variants.items()], ignore_index=True)
    return table.loc[:, list(PRESERVATION_COLUMNS)]


def preservation_authors_code(model_libraries: pd.DataFrame, base_links: pd.DataFrame) -> pd.DataFrame:
    """Per library, the share of multi-library direct descendants that support it."""
    libraries = model_libraries.drop_duplicates()
    descendants = libraries[libraries["model_id"].isin(base_links["model_id"])]
    multi = descendants[descendants.groupby("model_id")["model_id"].transform("size") >= 2]
    counts = multi.groupby("library")["model_id"].nunique()
    totals = pd.Series(multi["model_id"].nunique(), index=counts.index)
    return _ranked(counts, totals)


def preservation_equation_1(model_libraries: pd.DataFrame, base_links: pd.DataFrame) -> pd.DataFrame:
    """Per library L, P_L over the multi-library base models that support L (Equation 1)."""
    libraries = model_libraries.drop_duplicates()
    edges = (
        base_links.dropna(subset=["base_model_id"])
        .assign(base=lambda f: f["base_model_id"].astype("int64"))
        .loc[:, ["base", "model_id"]]
        .drop_duplicates()
    )
    family_size = edges.groupby("base").size().reset_index(name="family_size")
    multi = libraries[libraries.groupby("model_id")["model_id"].transform("size") >= 2]
    base_libraries = multi.rename(columns={"model_id": "base"}).merge(family_size, on="base")
    totals = base_libraries.groupby("library")["family_size"].sum()
    preserved = edges.merge(base_libraries[["base", "library"]], on="base").merge(libraries, on=["model_id", "library"])
    counts = preserved.groupby("library").size().reindex(totals.index, fill_value=0)
    return _ranked(counts, totals)


def _ranked(counts: pd.Series, totals: pd.Series) -> pd.DataFrame:
    """library, count, total, proportion, ranked by the documented rule (counts, totals by library)."""
    table = pd.DataFrame(
        {
            "library": counts.index.astype(str),
            "count": counts.to_numpy(dtype="int64"),
            "total": totals.reindex(counts.index).to_numpy(dtype="int64"),
        }
    )
    table["proportion"] = table["count"] / table["total"]
    table = table.sort_values(["proportion", "count", "library"], ascending=[False, False, True], kind="mergesort")
    return table.assign(rank=range(1, len(table) + 1)).reset_index(drop=True)
