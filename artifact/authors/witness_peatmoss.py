"""The witness's comparisons of the authors' PeaTMOSS scripts with our Metric 1 and 3 tables.

Apart from artifact/authors/witness.py so that a change of Metric 1 or 3 reruns only the witness
runs that read them (a task's fingerprint covers the modules it imports).
"""

from __future__ import annotations

import pandas as pd

from artifact.authors.witness import EXACT, FIT_RTOL, compared
from artifact.metrics.m1_preservation import AUTHORS_CODE
from artifact.metrics.m3_descendants import DESCENDANT_DOWNLOADS


def compare_preservation(script: str, label: str, ours: pd.DataFrame, theirs: pd.DataFrame) -> list[dict]:
    """Per library: count (exact) and proportion (relative FIT_RTOL) of our authors-code variant of Metric 1."""
    ours = ours[ours["variant"] == AUTHORS_CODE].set_index("library")
    theirs = theirs.assign(library=theirs["library"].replace({"sentence-tx": "sentence-transformers"})).set_index("library")
    rows = [compared(script, label, "libraries", "", len(ours), len(theirs), EXACT)]
    for library in sorted(set(ours.index) | set(theirs.index)):
        mine = ours.loc[library] if library in ours.index else None
        their = theirs.loc[library] if library in theirs.index else None
        rows.append(compared(script, label, "count", library, None if mine is None else int(mine["count"]),
                             None if their is None else int(their["count"]), EXACT))
        rows.append(compared(script, label, "proportion", library, None if mine is None else mine["count"] / mine["total"],
                             None if their is None else float(their["prop"]), FIT_RTOL))
    return rows


def compare_parents(script: str, label: str, ours: pd.DataFrame, theirs: pd.DataFrame) -> list[dict]:
    """Per base model name: descendants with downloads and their summed downloads, exact (our `descendant-downloads` rows)."""
    ours = ours[ours["variant"] == DESCENDANT_DOWNLOADS].set_index("base_model")
    theirs = theirs.set_index("base_model").rename(columns={"count": "descendants"})
    rows = [compared(script, label, "base models", "", len(ours), len(theirs), EXACT)]
    for quantity in ("descendants", "downloads"):
        joined = ours[[quantity]].merge(theirs[[quantity]], how="outer", left_index=True, right_index=True, suffixes=("", "_authors"))
        joined = joined.astype("Float64")
        differ = joined[quantity].ne(joined[f"{quantity}_authors"]).fillna(True)
        rows.append(compared(script, label, f"{quantity}: base models that differ", "", 0, int(differ.sum()), EXACT))
        rows.append(compared(script, label, f"{quantity}: total", "", int(ours[quantity].sum()), int(theirs[quantity].sum()), EXACT))
    return rows


def compare_top_parents(script: str, label: str, ours: pd.DataFrame, theirs: pd.DataFrame) -> list[dict]:
    """Our top parents: the authors' count of direct descendants for each (exact)."""
    counts = theirs.set_index("base_model")["count"]
    return [compared(script, label, "descendants", row.base_model, int(row.descendants),
                     int(counts[row.base_model]) if row.base_model in counts.index else None, EXACT)
            for row in ours.itertuples()]
