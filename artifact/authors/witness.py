"""The authors' code as a witness: which of their scripts run, how, and how their values meet ours.

Every script of the authors' repository (f5ea2ca9) is in `INVENTORY`, with what the witness runs
of it or why it does not. A script runs unchanged in the sandbox (artifact/authors/sandbox.py);
where its `main()` keeps the numbers in local variables, `main()` itself runs and its locals are
read at its return (a profiling hook, `main_locals`), and where `main()` stops early (a pickle it
would load, never unpickled here) the function it would have called runs on main's own frames.

Comparisons (`COMPARISON_COLUMNS`), one row per number, the difference relative to the larger
magnitude (below `NEGLIGIBLE` written as 0, so that the tables have the same bytes on any CPU):
AGREES when the two values are equal
(counts, names) or within the stated relative tolerance (fits: `FIT_RTOL`, from the BLAS and the
order of the rows numpy sums; p-values and t statistics: `TEST_RTOL`, from R's `pt` against
SciPy's), DISAGREES otherwise, with the difference.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import TYPE_CHECKING

from artifact.authors.sandbox import RAN, Outcome

if TYPE_CHECKING:
    import pandas as pd

    from artifact.metrics.stats import Comparison

AGREES, DISAGREES = "AGREES", "DISAGREES"
EXACT, FIT_RTOL, TEST_RTOL = 0.0, 1e-9, 1e-6
COMPARISON_COLUMNS = ("script", "input", "quantity", "key", "ours", "authors_code", "difference", "tolerance", "verdict")
STATUS_COLUMNS = ("script", "input", "status", "reason")  # the isolation used is the run's (the report's "This run")
NEGLIGIBLE = 1e-12  # relative differences below this (the last bits of a double) are written as 0: same bytes on any CPU
REPOSITORY = "PurdueDualityLab/ptm-quantify-esem-2024@f5ea2ca9"
SRC = "research_quantitative-analysis-of-hf-main/src/"


@dataclass(frozen=True)
class Known:
    """A script of the authors' repository: its manifest id when the witness runs it, else why not."""

    name: str
    input_id: str = ""
    not_run: str = ""


DESCENDENTS = Known("descendents.py", "esem2024-authors-descendents-py")
ANALYSIS_R = Known("analysis.r", "esem2024-authors-analysis-r")
PROPORTION = Known(SRC + "proportion_DirectDescendantsToLibrary.py", "esem2024-authors-hf-main-src-proportion-directdescendantstolibrary-py")
TO_DOWNLOADS = Known(SRC + "number_DirectDescendantsToDownloads.py", "esem2024-authors-hf-main-src-number-directdescendantstodownloads-py")
TO_PARENTS = Known(SRC + "number_DirectDescendantsToParentModels.py", "esem2024-authors-hf-main-src-number-directdescendantstoparentmodels-py")
RUN = (DESCENDENTS, ANALYSIS_R, PROPORTION, TO_DOWNLOADS, TO_PARENTS)
INVENTORY = RUN + (
    Known(SRC + "heatmap_DirectDescendantsToDownloads.py", not_run=(
        "not run: it unpickles pickle/data.pickle at import (never unpickled here; the file is not in the repository) "
        "and computes no number, it draws the clamped table with imshow")),
    Known("model_cards.py", not_run=(
        "not run: it imports openai and tiktoken and, at module level, calls the OpenAI API and reads PeaTMOSS_DIST.db "
        "and the card parquets model-cards-0/1, none archived; its score functions are not extracted in this version")),
    Known("turnover.ipynb", not_run=(
        "not run: its import cell needs psycopg2 and IPython and its package cells query PostgreSQL dumps that were "
        "never archived; extracting its HF cells by cell is not done in this version (tables/authors/ reads its outputs)")),
    Known(SRC + "__init__.py", not_run="not run: empty (0 bytes)"),
)

# Python run after the module is loaded (run_name "witness"): main() unchanged, its locals read.
MAIN_LOCALS = """
scope_locals, main_error = main_locals(main)
witness = {"main_error": main_error}
"""
DRIVERS = {
    PROPORTION.name: MAIN_LOCALS + 'witness["metric"] = scope_locals.get("metric")\n',
    TO_PARENTS.name: MAIN_LOCALS + 'witness["metric"] = scope_locals.get("metric")\n',
    # main() stops at pickle/data.pickle; computeMetric (commented out in main) runs on main's own frames.
    TO_DOWNLOADS.name: MAIN_LOCALS + (
        'witness["metric"] = computeMetric(m2=scope_locals["model2baseModelDF"], models=scope_locals["modelDF"])\n'),
}
# analysis.r's values per measure: the t statistic, degrees of freedom and one-sided p-value.
R_RESULTS = {"likes": "likes_results", "downloads": "downloads_results", "num_downstream_repos": "downstream_results"}


def r_values(measure: str) -> dict[str, str]:
    """The R expressions giving analysis.r's t, df and p for `measure`."""
    name = R_RESULTS[measure]
    return {"t": f"{name}$statistic", "df": f"{name}$parameter", "p": f"{name}$p.value"}


def status_row(known: Known, input_label: str, outcome: Outcome | None, note: str = "") -> dict:
    """The status of one run (or of a script not run)."""
    if outcome is None:
        return {"script": known.name, "input": input_label, "status": "not run", "reason": known.not_run}
    reason = "; ".join(part for part in (outcome.reason, note) if part)
    status = outcome.status
    if outcome.status != RAN and outcome.values:
        status = f"ran in part ({outcome.status})"
    return {"script": known.name, "input": input_label, "status": status, "reason": reason}


def compared(script: str, input_label: str, quantity: str, key: str, ours: object, theirs: object, tolerance: float) -> dict:
    """One comparison row: both values, their difference and the verdict under `tolerance` (relative)."""
    verdict, difference = _verdict(ours, theirs, tolerance)
    return {
        "script": script, "input": input_label, "quantity": quantity, "key": key, "ours": ours, "authors_code": theirs,
        "difference": difference, "tolerance": "exact" if tolerance == EXACT else f"relative {tolerance:g}", "verdict": verdict,
    }


def _verdict(ours: object, theirs: object, tolerance: float) -> tuple[str, float]:
    """AGREES or DISAGREES, and the relative difference |ours - theirs| / max(|ours|, |theirs|)
    (0 below NEGLIGIBLE; NaN for text or a missing value)."""
    if isinstance(ours, str) or isinstance(theirs, str) or ours is None or theirs is None:
        return (AGREES if ours == theirs else DISAGREES), math.nan
    a, b = float(ours), float(theirs)
    if math.isnan(a) or math.isnan(b):
        return (AGREES if math.isnan(a) and math.isnan(b) else DISAGREES), math.nan
    scale = max(abs(a), abs(b))
    difference = abs(a - b) / scale if scale else 0.0
    return (AGREES if difference <= tolerance else DISAGREES), (difference if difference >= NEGLIGIBLE else 0.0)


def compare_fit(script: str, label: str, ours: dict, values: dict) -> list[dict]:
    """descendents.py's globals `m`, `b` and its de-duplicated `df` against our paper fit (`fit_paper`)."""
    if values.get("m") is None:
        return []
    return [
        compared(script, label, "slope", "", ours["slope"], values["m"], FIT_RTOL),
        compared(script, label, "intercept", "", ours["intercept"], values["b"], FIT_RTOL),
        compared(script, label, "rows after de-duplication", "", ours["n"], len(frame(values.get("df"))), EXACT),
    ]


def compare_welch(script: str, label: str, measure: str, ours: Comparison, values: dict) -> list[dict]:
    """analysis.r's t, df and one-sided p of one measure (printed with %.17g) against our Welch test."""
    return [compared(script, label, quantity, measure, mine, number(values.get(quantity, "")), TEST_RTOL)
            for quantity, mine in (("t", ours.t), ("df", ours.df), ("p", ours.p))]


def frame(value: dict | None) -> pd.DataFrame:
    """A DataFrame serialised by the sandbox's driver (`columns`, `rows`) back as a frame."""
    import pandas as pd

    if not value:
        return pd.DataFrame()
    return pd.DataFrame(value["rows"], columns=value["columns"])


def number(text: str) -> float:
    """A value R printed with %.17g ("" or NA: NaN)."""
    try:
        return float(text)
    except ValueError:
        return math.nan
