"""`rename_links` against the rule of artifact/metrics/m2_renames.py written out plainly, name by name (Hypothesis).

The vectorised rule asks rule 3 of every row before it splits names at '/'; this checks that it
still answers as the plain reading does, repeated names, missing creation times and names with
several '/' included.
"""

from __future__ import annotations

import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st

from artifact.metrics.m2_renames import AMBIGUOUS, LINKED, rename_links

TAKEN = pd.Timestamp("2022-10-01", tz="UTC")
TIMES = (pd.Timestamp("2022-03-02", tz="UTC"), TAKEN, pd.Timestamp("2023-05-01", tz="UTC"), pd.NaT)
EARLIER_NAMES = st.sampled_from(["bert", "t5", "a/t5", "a/bert"])
LATER_NAMES = st.sampled_from(["a/bert", "b/bert", "bert", "b/t5", "a/b/t5", "a/t5"])


def plain_links(earlier: list[str], later: list[tuple[str, pd.Timestamp]], timed: bool) -> list[tuple[str, str, str]]:
    """Rules 1-4 name by name: each later name's first row decides its creation time."""
    later_names = [name for name, _ in later]
    created = dict(reversed(later))  # the first row's time wins
    candidates = []
    for legacy in dict.fromkeys(earlier):
        if "/" in legacy or legacy in later_names:
            continue
        for new in dict.fromkeys(later_names):
            before = not timed or (created[new] is not pd.NaT and created[new] < TAKEN)
            if new.count("/") >= 1 and new.split("/", 1)[1] == legacy and new not in earlier and before:
                candidates.append((legacy, new))
    per_legacy = pd.Series([legacy for legacy, _ in candidates]).value_counts()
    return sorted((legacy, new, LINKED if per_legacy[legacy] == 1 else AMBIGUOUS) for legacy, new in candidates)


@settings(max_examples=200, deadline=None, derandomize=True, database=None)
@given(
    earlier=st.lists(EARLIER_NAMES, min_size=1, max_size=4),
    later=st.lists(st.tuples(LATER_NAMES, st.sampled_from(TIMES)), max_size=8),
    timed=st.booleans(),
)
def test_rename_links_follows_the_plain_rule(earlier: list[str], later: list[tuple[str, pd.Timestamp]], timed: bool) -> None:
    frame = pd.DataFrame({"name": pd.Series([name for name, _ in later], dtype="str"), "downloads": 1.0})
    if timed:
        frame = frame.assign(created_at=pd.Series([time for _, time in later], dtype="datetime64[ns, UTC]"))
    links = rename_links(pd.DataFrame({"name": pd.Series(earlier, dtype="str")}), frame, TAKEN)
    found = sorted(links[["legacy_id", "new_id", "status"]].itertuples(index=False, name=None))
    assert found == plain_links(earlier, later, timed)
