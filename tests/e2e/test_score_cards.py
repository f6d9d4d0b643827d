"""`python -m artifact score-cards`: a folder or a table of cards in, one CSV row per card out."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd

from tests.conftest import run_cli

CARD = "# m\n\n## Model description\nA small model for tests.\n\n## Evaluation\nIt scores 0.9 accuracy on sst2.\n"


def test_a_folder_of_markdown_cards(tmp_path: Path) -> None:
    (tmp_path / "cards" / "org" / "m").mkdir(parents=True)
    (tmp_path / "cards" / "org" / "m" / "README.md").write_text(CARD)
    (tmp_path / "cards" / "empty.md").write_text("")
    out = tmp_path / "scores.csv"
    result = run_cli("score-cards", str(tmp_path / "cards"), "--out", str(out))
    assert result.returncode == 0, result.stderr
    assert "scored 2 cards" in result.stdout
    assert out.read_text() == (
        "id,description,limitations,how_to_use,training,evaluation,sections,score\n"
        "empty,False,False,False,False,False,0,0\n"
        "org/m,True,False,False,False,True,2,0.4\n"
    )


def test_a_json_table_keyed_by_row_with_a_named_text_column(tmp_path: Path) -> None:
    source = tmp_path / "cards.json"
    source.write_text(json.dumps({"1": {"modelId": "b/x", "body": CARD}, "2": {"modelId": "a/y", "body": None}}))
    out = tmp_path / "scores.csv"
    result = run_cli("score-cards", str(source), "--text-column", "body", "--out", str(out))
    assert result.returncode == 0, result.stderr
    table = pd.read_csv(out)
    assert table["id"].tolist() == ["a/y", "b/x"] and table["sections"].tolist() == [0, 2]


def test_a_table_without_a_text_column_is_a_usage_error(tmp_path: Path) -> None:
    source = tmp_path / "cards.csv"
    source.write_text("id,words\n1,hello\n")
    result = run_cli("score-cards", str(source), "--out", str(tmp_path / "scores.csv"))
    assert result.returncode == 2
    assert str(source) in result.stderr and "columns present: id, words" in result.stderr
    assert not (tmp_path / "scores.csv").exists()
