"""The tables read from the authors' notebook, by name, with their columns (no pandas: the task graph names them)."""

DISTINCT_COLUMNS = ("registry", "top_k", "distinct_ever", "cell")
STATUS_COLUMNS = ("output", "file", "status", "reason")
DIGITISED_COLUMNS = ("registry", "snapshot", "series", "value", "low", "high", "below", "status", "tolerance_px")
SELFCHECK_COLUMNS = ("registry", "snapshot", "low", "high", "below_floor", "top_k", "sum_ok")
DISTINCT_CHECK_COLUMNS = ("registry", "printed", "from_bars_low", "from_bars_high", "consistent")
NOTEBOOK_TABLES = {
    "notebook_distinct": DISTINCT_COLUMNS,
    "fig6_digitised": DIGITISED_COLUMNS,
    "fig6_selfcheck": SELFCHECK_COLUMNS,
    "fig6_distinct_check": DISTINCT_CHECK_COLUMNS,
    "status_notebook": STATUS_COLUMNS,
}
