"""Metric 3: direct descendants of a base model against its popularity (Figure 7).

Per base model, the number of direct descendants (models whose `model_to_base_model` row names it).
Popularity in two variants, both reported, because the paper's text and the authors' code differ:
- `descendant-downloads`, the authors' code: base models are grouped by `base_model_name`;
  `descendants` counts the descendants that have a downloads value and `downloads` is the sum of
  their downloads (a base whose descendants all lack downloads gets 0 and 0, as in that code);
- `base-downloads`, the paper's text: base models that are model rows (`base_model_id` resolves)
  and have a downloads value; `descendants` counts all their direct descendants and `downloads`
  is the base model's own downloads.

Fits of descendants on popularity, all reported:
- `paper`: drop duplicate (downloads, descendants) pairs, then a degree-1 least-squares fit of
  log10(descendants + EPSILON) on log10(downloads + EPSILON) (the authors' script);
- `spearman`: Spearman's rank correlation over all base models, with its p-value;
- `loglog-positive`: least squares of log10(descendants) on log10(downloads) over the base models
  with downloads > 0 (and descendants > 0, so that both logarithms exist).
For the least-squares fits, `r` is Pearson's r of the fitted points and `p_value` its two-sided
p-value; for `spearman`, `rho` and its p-value.

Top parents: grouped by `base_model_name` (as the authors did, so differently written names of one
model count apart), all direct descendants counted; ties broken by name, ascending code points.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy import stats
from threadpoolctl import threadpool_limits

DESCENDANT_DOWNLOADS = "descendant-downloads"
BASE_DOWNLOADS = "base-downloads"
PAPER, SPEARMAN, LOGLOG_POSITIVE = "paper", "spearman", "loglog-positive"
EPSILON = 1e-5  # the authors' offset that keeps log10 finite at zero
PARENT_COLUMNS = ("variant", "base_model", "descendants", "downloads")
TOP_PARENT_COLUMNS = ("rank", "base_model", "descendants")
FIT_COLUMNS = ("variant", "method", "parents", "n", "slope", "intercept", "r", "rho", "p_value")


def parent_popularity(models: pd.DataFrame, base_links: pd.DataFrame) -> pd.DataFrame:
    """Both popularity variants in one table (PARENT_COLUMNS), one row per base model and variant."""
    table = pd.concat(
        [
            popularity_by_descendants(models, base_links).assign(variant=DESCENDANT_DOWNLOADS),
            popularity_by_base(models, base_links).assign(variant=BASE_DOWNLOADS),
        ],
        ignore_index=True,
    )
    return table.loc[:, list(PARENT_COLUMNS)]


def popularity_by_descendants(models: pd.DataFrame, base_links: pd.DataFrame) -> pd.DataFrame:
    """Per base model name: descendants with downloads, and the sum of their downloads."""
    links = base_links[["base_model_name", "model_id"]].drop_duplicates()
    known = models.loc[models["downloads"].notna(), ["model_id", "downloads"]]
    grouped = links.merge(known, on="model_id", how="left").groupby("base_model_name")["downloads"]
    counted = grouped.agg(["count", "sum"])
    return pd.DataFrame(
        {
            "base_model": counted.index.astype(str),
            "descendants": counted["count"].to_numpy(dtype="int64"),
            "downloads": counted["sum"].to_numpy(dtype="int64"),
        }
    )


def popularity_by_base(models: pd.DataFrame, base_links: pd.DataFrame) -> pd.DataFrame:
    """Per base model row with downloads: all its direct descendants, and its own downloads."""
    edges = base_links.dropna(subset=["base_model_id"])
    family = edges.assign(base=edges["base_model_id"].astype("int64"))[["base", "model_id"]].drop_duplicates()
    counts = family.groupby("base").size()
    bases = models[models["model_id"].isin(counts.index).to_numpy() & models["downloads"].notna().to_numpy()]  # in models' order
    bases = bases.assign(descendants=counts.reindex(bases["model_id"]).to_numpy())
    return pd.DataFrame(
        {
            "base_model": bases["name"].to_numpy(dtype=str),
            "descendants": bases["descendants"].to_numpy(dtype="int64"),
            "downloads": bases["downloads"].to_numpy(dtype="int64"),
        }
    )


def top_parents(base_links: pd.DataFrame, n: int = 10) -> pd.DataFrame:
    """The `n` base model names with the most direct descendants (TOP_PARENT_COLUMNS)."""
    counts = base_links[["base_model_name", "model_id"]].drop_duplicates().groupby("base_model_name").size()
    table = pd.DataFrame({"base_model": counts.index.astype(str), "descendants": counts.to_numpy(dtype="int64")})
    table = table.sort_values(["descendants", "base_model"], ascending=[False, True], kind="mergesort").head(n)
    return table.assign(rank=range(1, len(table) + 1)).loc[:, list(TOP_PARENT_COLUMNS)].reset_index(drop=True)


def descendant_fits(parents: pd.DataFrame) -> pd.DataFrame:
    """The three fits for each variant of `parents` (columns variant, downloads, descendants).

    BLAS runs on one thread: the fits are of some thousands of points, where a second thread only
    waits, spinning (a fifth of Metric 3's CPU time on the 2024-07 listing), and the least squares
    then split their sums the same way whatever the machine's cores.
    """
    rows = []
    with threadpool_limits(limits=1, user_api="blas"):
        for variant, group in parents.groupby("variant", sort=True):
            downloads = group["downloads"].to_numpy(dtype="float64")
            counts = group["descendants"].to_numpy(dtype="float64")
            for method, fit in ((PAPER, fit_paper), (SPEARMAN, fit_spearman), (LOGLOG_POSITIVE, fit_loglog_positive)):
                rows.append({"variant": variant, "method": method, "parents": len(group), **fit(downloads, counts)})
    return pd.DataFrame(rows, columns=list(FIT_COLUMNS))


def fit_paper(downloads: np.ndarray, counts: np.ndarray) -> dict[str, float]:
    """The authors' fit: distinct (downloads, count) pairs, least squares on log10(value + EPSILON)."""
    pairs = np.unique(np.column_stack([downloads, counts]), axis=0)
    return _least_squares(np.log10(pairs[:, 0] + EPSILON), np.log10(pairs[:, 1] + EPSILON))


def fit_spearman(downloads: np.ndarray, counts: np.ndarray) -> dict[str, float]:
    """Spearman's rho of counts and downloads over all base models, with its p-value."""
    result = {"n": len(downloads), "slope": np.nan, "intercept": np.nan, "r": np.nan, "rho": np.nan, "p_value": np.nan}
    if _varies(downloads) and _varies(counts):
        rho, p_value = stats.spearmanr(downloads, counts)
        result.update(rho=float(rho), p_value=float(p_value))
    return result


def fit_loglog_positive(downloads: np.ndarray, counts: np.ndarray) -> dict[str, float]:
    """Least squares of log10(count) on log10(downloads) where both are positive."""
    keep = (downloads > 0) & (counts > 0)
    return _least_squares(np.log10(downloads[keep]), np.log10(counts[keep]))


def _least_squares(x: np.ndarray, y: np.ndarray) -> dict[str, float]:
    """numpy's degree-1 least squares of y on x, with Pearson's r and its p-value (NaN if undefined)."""
    result = {"n": len(x), "slope": np.nan, "intercept": np.nan, "r": np.nan, "rho": np.nan, "p_value": np.nan}
    if _varies(x):
        slope, intercept = np.polyfit(x, y, 1)
        result.update(slope=float(slope), intercept=float(intercept))
        if _varies(y):
            r, p_value = stats.pearsonr(x, y)
            result.update(r=float(r), p_value=float(p_value))
    return result


def _varies(values: np.ndarray) -> bool:
    """At least three values and not all equal: the least a fit or a correlation needs."""
    return len(values) >= 3 and bool(np.ptp(values) > 0)
