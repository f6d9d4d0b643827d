"""Metric 2 on small series whose answers were worked out by hand."""

from __future__ import annotations

import math

import pandas as pd

from artifact.metrics.m2_turnover import distinct_ever, summarise, top_k, turnover


def _snapshot(rows: dict[str, float | None]) -> pd.DataFrame:
    return pd.DataFrame({"name": list(rows), "downloads": [math.nan if v is None else v for v in rows.values()]})


def test_top_k_orders_by_downloads_then_name_and_drops_missing() -> None:
    snapshot = _snapshot({"b": 10, "a": 10, "c": 30, "d": None, "e": 5})
    table = top_k(snapshot, k=3)
    # c (30) first; a and b tie at 10 and a wins by name; d has no downloads; e is fourth.
    assert table["name"].tolist() == ["c", "a", "b"]
    assert table["rank"].tolist() == [1, 2, 3]
    assert table["downloads"].tolist() == [30.0, 10.0, 10.0]


def test_tie_at_the_cut_off_is_decided_by_name() -> None:
    snapshot = _snapshot({"zeta": 7, "alpha": 7, "mid": 9})
    assert top_k(snapshot, k=2)["name"].tolist() == ["mid", "alpha"]


def test_fewer_than_k_rankable_rows_give_a_shorter_table() -> None:
    snapshot = _snapshot({"a": 1, "b": None})
    assert top_k(snapshot, k=1000)["name"].tolist() == ["a"]


def test_duplicate_names_count_once_with_their_highest_downloads() -> None:
    snapshot = _snapshot({"a": 1, "b": 2}).pipe(lambda f: pd.concat([f, _snapshot({"a": 5})]))
    assert top_k(snapshot, k=2)["name"].tolist() == ["a", "b"]
    assert top_k(snapshot, k=2)["downloads"].tolist() == [5.0, 2.0]


def test_names_repeated_at_the_top_still_give_k_names() -> None:
    # The three highest values are one name's: the rows above the k-th value hold a single name,
    # so the ranking must look further down (a shortcut that sorts only those rows would stop at 'a').
    snapshot = _snapshot({"b": 4, "c": 3, "d": 1}).pipe(lambda f: pd.concat([_snapshot({"a": 9}), _snapshot({"a": 8}), f]))
    snapshot = pd.concat([snapshot, _snapshot({"a": 7})], ignore_index=True)
    assert top_k(snapshot, k=3)["name"].tolist() == ["a", "b", "c"]


def test_position_ranked_lists_keep_their_order() -> None:
    snapshot = pd.DataFrame({"name": ["x", "y", "z"], "position": [2, 1, 3]})
    table = top_k(snapshot, k=2)
    assert table["name"].tolist() == ["y", "x"]
    assert table["downloads"].isna().all()


def test_turnover_counts_remained_returning_and_newcomers() -> None:
    # By hand: S1 = {a,b,c}: 3 newcomers.
    # S2 = {a,b,d}: remained a,b (2); d new (1); returning 0.
    # S3 = {a,c,e}: remained a (in S2); c returns (in S1, not S2); e new -> 1, 1, 1.
    # S4 = {b,c,d}: remained c (in S3); b and d return (seen before, not in S3) -> 1, 2, 0.
    series = [
        ("s1", frozenset("abc")),
        ("s2", frozenset("abd")),
        ("s3", frozenset("ace")),
        ("s4", frozenset("bcd")),
    ]
    table = turnover(series)
    assert table.to_dict("records") == [
        {"snapshot": "s1", "top_k": 3, "remained": 0, "returning": 0, "newcomers": 3},
        {"snapshot": "s2", "top_k": 3, "remained": 2, "returning": 0, "newcomers": 1},
        {"snapshot": "s3", "top_k": 3, "remained": 1, "returning": 1, "newcomers": 1},
        {"snapshot": "s4", "top_k": 3, "remained": 1, "returning": 2, "newcomers": 0},
    ]
    assert distinct_ever(series) == 5


def test_each_top_set_is_split_exactly_into_the_three_groups() -> None:
    series = [("1", frozenset({"a"})), ("2", frozenset({"b", "c"})), ("3", frozenset({"a", "c", "d"}))]
    table = turnover(series)
    assert (table["remained"] + table["returning"] + table["newcomers"]).tolist() == table["top_k"].tolist()


def test_a_rename_counts_as_turnover_when_names_are_compared_as_they_are() -> None:
    series = [("2023", frozenset({"bert-base-uncased"})), ("2024", frozenset({"google-bert/bert-base-uncased"}))]
    assert turnover(series).iloc[1][["remained", "newcomers"]].tolist() == [0, 1]


def test_summary_shares_cover_the_snapshots_after_the_first() -> None:
    # Remained shares by hand: s2 2/3, s3 1/3, s4 1/3 -> mean 4/9, min 1/3, max 2/3.
    series = [("s1", frozenset("abc")), ("s2", frozenset("abd")), ("s3", frozenset("ace")), ("s4", frozenset("bcd"))]
    summary = summarise(turnover(series), series, k=3)
    assert summary["distinct_ever"] == 5 and summary["snapshots"] == 4
    assert math.isclose(summary["mean_remained_share"], 4 / 9)
    assert math.isclose(summary["min_remained_share"], 1 / 3) and math.isclose(summary["max_remained_share"], 2 / 3)
