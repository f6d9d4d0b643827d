"""The HF rename rule on hand-made snapshots, and Metric 2 with and without it, worked out by hand."""

from __future__ import annotations

import pandas as pd

from artifact.metrics.m2_renames import CHAIN_COLUMNS, apply_renames, rename_chain, rename_links, rename_mapping
from artifact.metrics.m2_turnover import top_k, turnover

TAKEN = pd.Timestamp("2022-10-01", tz="UTC")
BEFORE, AFTER = pd.Timestamp("2022-03-02", tz="UTC"), pd.Timestamp("2023-05-01", tz="UTC")


def _snapshot(names: list[str], created: list[pd.Timestamp] | None = None) -> pd.DataFrame:
    frame = pd.DataFrame({"name": names, "downloads": [float(100 - i) for i in range(len(names))]})
    return frame if created is None else frame.assign(created_at=pd.Series(created, dtype="datetime64[ns, UTC]"))


def _pairs(links: pd.DataFrame) -> list[tuple[str, str, str]]:
    return list(links[["legacy_id", "new_id", "status"]].itertuples(index=False, name=None))


def test_legacy_id_that_moved_into_an_organisation_is_linked() -> None:
    earlier = _snapshot(["bert-base-uncased", "gpt2", "org/x"])
    later = _snapshot(["google-bert/bert-base-uncased", "gpt2", "org/x"], [BEFORE, BEFORE, BEFORE])
    assert _pairs(rename_links(earlier, later, TAKEN)) == [("bert-base-uncased", "google-bert/bert-base-uncased", "linked")]


def test_copy_uploaded_after_the_earlier_snapshot_is_not_a_candidate() -> None:
    earlier = _snapshot(["bert-base-cased"])
    later = _snapshot(["google-bert/bert-base-cased", "user/bert-base-cased"], [BEFORE, AFTER])
    assert _pairs(rename_links(earlier, later, TAKEN)) == [("bert-base-cased", "google-bert/bert-base-cased", "linked")]


def test_two_candidates_are_ambiguous_and_not_linked() -> None:
    earlier = _snapshot(["t5-base"])
    later = _snapshot(["google-t5/t5-base", "someone/t5-base"], [BEFORE, BEFORE])
    links = rename_links(earlier, later, TAKEN)
    assert _pairs(links) == [("t5-base", "google-t5/t5-base", "ambiguous"), ("t5-base", "someone/t5-base", "ambiguous")]
    assert rename_mapping(links.assign(from_snapshot="a", to_snapshot="b")).empty


def test_no_link_when_the_legacy_id_stays_or_the_new_id_was_already_listed() -> None:
    stays = rename_links(_snapshot(["gpt2"]), _snapshot(["gpt2", "openai/gpt2"], [BEFORE, BEFORE]), TAKEN)
    already = rename_links(_snapshot(["roberta", "fb/roberta"]), _snapshot(["fb/roberta"], [BEFORE]), TAKEN)
    with_org = rename_links(_snapshot(["a/model"]), _snapshot(["b/a/model"], [BEFORE]), TAKEN)
    assert stays.empty and already.empty and with_org.empty


def test_creation_time_condition_needs_creation_times() -> None:
    earlier = _snapshot(["distilgpt2"])
    without_times = rename_links(earlier, _snapshot(["distilbert/distilgpt2"]), TAKEN)
    unknown_time = rename_links(earlier, _snapshot(["distilbert/distilgpt2"], [pd.NaT]), TAKEN)
    assert _pairs(without_times) == [("distilgpt2", "distilbert/distilgpt2", "linked")]
    assert unknown_time.empty


def test_a_name_listed_twice_is_judged_by_its_first_row() -> None:
    # google-t5/t5-small is listed first as created after TAKEN, then again as created before: its
    # first row decides, so it is no candidate; google/t5-base's first row is the early one.
    earlier = _snapshot(["t5-small", "t5-base"])
    later = _snapshot(
        ["google-t5/t5-small", "google/t5-base", "google-t5/t5-small", "google/t5-base"], [AFTER, BEFORE, BEFORE, AFTER]
    )
    assert _pairs(rename_links(earlier, later, TAKEN)) == [("t5-base", "google/t5-base", "linked")]


def test_chain_maps_every_snapshot_to_the_latest_naming() -> None:
    first = _snapshot(["bert", "old"])
    second = _snapshot(["bert", "old"], [BEFORE, BEFORE])
    third = _snapshot(["google/bert", "old"], [BEFORE, BEFORE])
    chain = rename_chain([("2022-06", None, first), ("2022-10", TAKEN, second), ("2024-07", None, third)])
    assert list(chain.columns) == list(CHAIN_COLUMNS)
    assert chain[["from_snapshot", "to_snapshot", "legacy_id", "new_id"]].to_numpy().tolist() == [
        ["2022-10", "2024-07", "bert", "google/bert"]
    ]
    assert rename_mapping(chain, "2022-06").to_dict() == {"bert": "google/bert"}
    assert rename_mapping(chain, "2024-07").empty
    assert apply_renames(first["name"], rename_mapping(chain, "2022-06")).tolist() == ["google/bert", "old"]


def test_renaming_replaces_whole_ids_at_once_and_keeps_the_rest() -> None:
    names = pd.Series(["gpt2", "gpt2-large", None, "bert"], index=[7, 3, 5, 1], name="name")
    mapping = pd.Series({"gpt2": "openai/gpt2", "bert": "gpt2"})  # replaced at once: bert becomes gpt2, not openai/gpt2
    renamed = apply_renames(names, mapping)
    assert renamed.iloc[[0, 1, 3]].tolist() == ["openai/gpt2", "gpt2-large", "gpt2"]
    assert renamed.isna().tolist() == [False, False, True, False]
    assert renamed.index.tolist() == [7, 3, 5, 1] and renamed.name == "name"
    assert apply_renames(names, pd.Series(dtype="str")).iloc[[0, 1, 3]].tolist() == ["gpt2", "gpt2-large", "bert"]


def test_chain_of_one_snapshot_is_empty() -> None:
    chain = rename_chain([("2022-06", None, _snapshot(["bert"]))])
    assert chain.empty and list(chain.columns) == list(CHAIN_COLUMNS)


def test_turnover_with_and_without_renames() -> None:
    # Top 2 of each snapshot. Without renames, bert leaves and google/bert is a newcomer at 2024-07;
    # with renames, bert remained: remained 1 -> 2, newcomers 1 -> 0, distinct names 3 -> 2.
    earlier = _snapshot(["bert", "gpt2", "tail"])
    later = _snapshot(["gpt2", "google/bert", "tail"], [BEFORE, BEFORE, BEFORE])
    chain = rename_chain([("2022-10", TAKEN, earlier), ("2024-07", None, later)])
    plain = [(label, frozenset(top_k(s, 2)["name"])) for label, s in (("2022-10", earlier), ("2024-07", later))]
    renamed = [
        (label, frozenset(top_k(s.assign(name=apply_renames(s["name"], rename_mapping(chain, label))), 2)["name"]))
        for label, s in (("2022-10", earlier), ("2024-07", later))
    ]
    assert turnover(plain).iloc[1][["remained", "newcomers"]].tolist() == [1, 1]
    assert turnover(renamed).iloc[1][["remained", "newcomers"]].tolist() == [2, 0]
