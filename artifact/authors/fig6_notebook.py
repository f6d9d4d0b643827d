"""The authors' turnover notebook as tables: its printed distinct-ever counts, and its Figure 6 digitised and
checked against itself and against those counts (written under `tables/authors/` by tasks/authors.py)."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from artifact.authors.fig6_cache import digitised_bars
from artifact.authors.fig6_digitise import TOLERANCE_PX, self_check
from artifact.authors.notebook import read_turnover_cell
from artifact.authors.notebook_tables import NOTEBOOK_TABLES, STATUS_COLUMNS
from artifact.errors import ArtifactError

# The notebook's panel titles, as its code names them, and this artifact's registry ids.
REGISTRY_OF_PANEL = {"NPM": "npm", "PyPi": "pypi", "HuggingFace": "hf"}
# Read off Figure 6's tick labels (10^3 and 10^2, one gridline each): the calibration of its log axis.
FIG6_GRIDLINES = (1000.0, 100.0)


def status_table(rows: list[tuple[str, str, str, str]]) -> pd.DataFrame:
    """A status table (STATUS_COLUMNS): which output was written from which file, or why not."""
    return pd.DataFrame(rows, columns=list(STATUS_COLUMNS))


def notebook_tables(path: Path, shown: str, cache_dir: Path) -> dict[str, pd.DataFrame]:
    """Every table of NOTEBOOK_TABLES from the notebook at `path`, named `shown` in the status (its Figure 6 digitised
    once per PNG, kept in `cache_dir`); where it cannot be read, the tables with their header only and the reason in the status."""
    tables = [f"tables/authors/{name}.csv" for name in NOTEBOOK_TABLES if name != "status_notebook"]
    try:
        cell = read_turnover_cell(path)
        names = tuple(name for name, _, _ in cell.panels)
        unknown = sorted(set(names) - set(REGISTRY_OF_PANEL))
        if unknown:
            raise ArtifactError(f"{path}: panels {unknown} are not among the registries {sorted(REGISTRY_OF_PANEL)}")
        categories = tuple(labels for _, labels, _ in cell.panels)
        bars = digitised_bars(cell.png, f"{path} (cell {cell.index}, image/png)", names, categories, FIG6_GRIDLINES, cache_dir)
    except ArtifactError as error:
        empty = {name: pd.DataFrame(columns=list(columns)) for name, columns in NOTEBOOK_TABLES.items() if name != "status_notebook"}
        rows = [(table, shown, "unreadable", str(error).replace(str(path), shown)) for table in tables]
        return empty | {"status_notebook": status_table(rows)}
    top_k = {name: k for name, _, k in cell.panels}
    checks = self_check(bars, top_k)
    for frame in (bars, checks):
        frame.rename(columns={"panel": "registry", "category": "snapshot"}, inplace=True)
        frame["registry"] = frame["registry"].map(REGISTRY_OF_PANEL)
    distinct = cell.distinct.assign(registry=cell.distinct["registry"].map(REGISTRY_OF_PANEL))
    return {
        "notebook_distinct": distinct,
        "fig6_digitised": bars.assign(tolerance_px=TOLERANCE_PX),
        "fig6_selfcheck": checks,
        "fig6_distinct_check": _distinct_check(bars, distinct, top_k),
        "status_notebook": status_table([(table, shown, "written", "") for table in tables]),
    }


def _distinct_check(bars: pd.DataFrame, distinct: pd.DataFrame, top_k: dict[str, int]) -> pd.DataFrame:
    """Distinct names ever in the top K from the bars (K plus every later snapshot's newcomers) against the printed count."""
    later = bars[(bars["series"] == "newcomers") & bars.groupby("registry")["snapshot"].transform(lambda s: s != s.iloc[0])]
    sums = later.assign(low=later["low"].fillna(0.0), high=later["high"].fillna(later["below"])).groupby("registry")[["low", "high"]].sum()
    k = pd.Series({REGISTRY_OF_PANEL[name]: value for name, value in top_k.items()})
    table = distinct.set_index("registry")[["distinct_ever"]].rename(columns={"distinct_ever": "printed"})
    table["from_bars_low"] = (k + sums["low"]).round(1)
    table["from_bars_high"] = (k + sums["high"]).round(1)
    table["consistent"] = (table["from_bars_low"] <= table["printed"]) & (table["printed"] <= table["from_bars_high"])
    return table.reset_index()
