"""Hugging Face renames: link a legacy model id to the organisation id it moved to.

In 2024 many canonical models moved into organisations (`bert-base-uncased` became
`google-bert/bert-base-uncased`); the old id only redirects, so a later snapshot lists the model
under its new id alone, and Metric 2 counts it as one model leaving the top K and another entering.

The rule, between an earlier snapshot E taken at time t_E and a later snapshot T: a legacy id L is
linked to a later id N when
1. L has no organisation (no '/'), is listed in E and is not listed in T (the old name went away);
2. N is `<org>/L` for some organisation, is listed in T and is not listed in E (the new name came);
3. N was created before t_E, when T records creation times (a `created_at` column): the repository
   already existed when E was taken, under the old name. This rules out the many copies uploaded
   later under the same model name (`<user>/bert-base-cased`). A candidate without a creation
   time in such a snapshot is not linked;
4. exactly one N satisfies 1-3; when several do, all are reported `ambiguous` and none is linked.
Over a series of snapshots (labels sorting in date order) the rule is applied to each pair of
consecutive snapshots. A snapshot's names are mapped through the links of every later transition,
the nearest first, so that every snapshot is expressed in the naming of the last one.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd
import pyarrow.compute as pc

from artifact.text_columns import arrow_strings, isin, positions

LINK_COLUMNS = ("legacy_id", "new_id", "new_created_at", "status")
CHAIN_COLUMNS = ("from_snapshot", "to_snapshot") + LINK_COLUMNS
LINKED, AMBIGUOUS = "linked", "ambiguous"


def rename_links(earlier: pd.DataFrame, later: pd.DataFrame, earlier_taken: pd.Timestamp | None) -> pd.DataFrame:
    """Candidate links between two snapshots (`name`, optionally `created_at`), with their status.

    The filters on a row alone come first, rule 3 among them where it applies, so that few rows are
    split at their '/' and deduplicated: of the 760,000 models listed in 2024-07, 70,790 were
    created before 2022-10. A name's first row in `later` still decides, as when every row is split.
    """
    earlier_names = pd.Index(earlier["name"].unique())
    later_known = isin(later["name"], earlier_names)  # hashes the earlier snapshot only: the later one is the large one
    found = isin(earlier_names, later["name"][later_known])
    legacy = earlier_names[~earlier_names.str.contains("/", regex=False) & ~found]
    timed = earlier_taken is not None and "created_at" in later.columns
    possible = ~later_known
    if timed:  # rule 3 asked of every row (NaT is never before)
        possible &= (later["created_at"] < earlier_taken).to_numpy()
    rows = np.flatnonzero(possible)
    names = arrow_strings(later["name"]).take(rows)
    organised = pc.match_substring(names, "/").to_numpy(zero_copy_only=False)
    rows, names = rows[organised], names.filter(organised)
    after_organisation = pc.list_element(pc.split_pattern(names, "/", max_splits=1), 1)
    moved = isin(after_organisation, legacy)
    new = later.iloc[rows[moved]].assign(legacy_id=pd.array(after_organisation.filter(moved), dtype="str"))
    first = ~new["name"].duplicated().to_numpy()
    new = new[first]
    if timed:  # a row created before t_E that is not its name's first row: the first, created later, decides
        new = new[_first_rows(later["name"], new["name"]) == rows[moved][first]]
    created = new["created_at"] if "created_at" in new.columns else pd.Series(pd.NaT, index=new.index)
    candidates = pd.DataFrame({"legacy_id": new["legacy_id"], "new_id": new["name"], "new_created_at": created})
    per_legacy = candidates.groupby("legacy_id")["new_id"].transform("size")
    candidates = candidates.assign(status=np.where(per_legacy == 1, LINKED, AMBIGUOUS))
    return candidates.sort_values(["legacy_id", "new_id"], kind="mergesort", ignore_index=True).loc[:, list(LINK_COLUMNS)]


def _first_rows(column: pd.Series, names: pd.Series) -> np.ndarray:
    """The position in `column` of the first row of each of `names` (distinct, all in `column`)."""
    rows = np.flatnonzero(isin(column, names))
    listed = column.iloc[rows]
    firsts = ~listed.duplicated().to_numpy()
    return rows[firsts][positions(listed[firsts], names)]


def rename_chain(snapshots: Sequence[tuple[str, pd.Timestamp | None, pd.DataFrame]]) -> pd.DataFrame:
    """Links between consecutive snapshots, given as (label, time taken, table) in date order."""
    transitions = [
        rename_links(earlier, later, taken).assign(from_snapshot=label, to_snapshot=next_label)
        for (label, taken, earlier), (next_label, _, later) in zip(snapshots, snapshots[1:])
    ]
    empty = pd.DataFrame({column: pd.Series(dtype="str") for column in CHAIN_COLUMNS})
    return pd.concat([empty, *transitions], ignore_index=True).loc[:, list(CHAIN_COLUMNS)]


def rename_mapping(chain: pd.DataFrame, label: str | None = None) -> pd.Series:
    """legacy id -> new id from the linked transitions at or after snapshot `label` (all if None)."""
    linked = chain[chain["status"] == LINKED]
    if label is not None:
        linked = linked[linked["from_snapshot"] >= label]
    linked = linked.sort_values("from_snapshot", kind="mergesort").drop_duplicates("legacy_id", keep="first")
    return pd.Series(linked["new_id"].to_numpy(), index=linked["legacy_id"].to_numpy(), dtype="str")


def apply_renames(names: pd.Series, mapping: pd.Series) -> pd.Series:
    """`names` (as text) with every legacy id replaced by its new id; other names unchanged."""
    names = names.astype("str")
    if mapping.empty:
        return names  # nothing to look up (the last snapshot has no later transition)
    texts = arrow_strings(names)
    position = pc.index_in(texts, value_set=arrow_strings(mapping.index))
    renamed = pc.if_else(pc.is_valid(position), pc.take(arrow_strings(mapping), position), texts)
    return pd.Series(pd.array(renamed, dtype="str"), index=names.index, name=names.name)

