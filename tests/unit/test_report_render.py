"""The report's rendering: one view for Markdown and HTML, autoescaped, with the answer at the top."""

from __future__ import annotations

import re
import struct
from pathlib import Path

import pandas as pd

from artifact.report import view
from artifact.report.claims import VERDICT_COLUMNS
from artifact.report.render import THIS_RUN_BEGIN, THIS_RUN_END, ReportData, ThisRun, render_html, render_markdown, render_report, stable_part
from tests.conftest import REPO

URL = "https://raw.githubusercontent.com/o/r/abc/data/old.db"
INPUTS = {
    "have": {"status": "available", "url": "artifact/sample/data/x.db", "sha256": "ab" * 32, "git_blob": ""},
    "old-db": {"status": "missing", "url": URL, "sha256": "", "git_blob": "cd" * 20, "reason": "input old-db is not available.\n  url: ..."},
    "dump": {"status": "missing", "url": "", "sha256": "", "git_blob": "", "reason": "input dump is not available: not archived by the authors"},
    "figs": {"status": "missing", "url": "artifact/inputs/figs.tsv", "sha256": "per file, in artifact/inputs/figs.tsv", "git_blob": "",
             "reason": "input figs: 2 of its 2 files are not available (for the first: ...). The mirror needs each at ...:"},
}


def _verdicts(**overrides: str) -> pd.DataFrame:
    row = {
        "id": "M2.hf-below-npm", "kind": "recomputed", "source": "paper", "where": "Metric 2", "quote": "", "statement": "HF keeps less",
        "output": "tables/turnover_summary/hf.csv",
        "column": "mean_remained_share", "check": "lt", "expected": "0.9", "tolerance": "", "observed": "0.95",
        "verdict": "DIFFERS", "detail": "",
    }
    other = {**row, "id": "M4.top-better", "verdict": "UNAVAILABLE", "observed": "", "detail": "missing input(s): old-db"}
    return pd.DataFrame([{**row, **overrides}, other], columns=list(VERDICT_COLUMNS))


def _data(verdicts: pd.DataFrame | None = None, **fields: object) -> ReportData:
    values = {
        "profile": "esem2024",
        "description": "the paper's inputs",
        "verdicts": _verdicts() if verdicts is None else verdicts,
        "inputs": INPUTS,
        "tables": ["tables/turnover/hf.csv"],
        "figures": ["figures/fig7_descendants_database.png", "figures/fig7_descendants_database.pdf"],
        "disagreements": [],
        "provenance": {"requirements.lock sha256": "ef" * 32},
        "this_run": ThisRun({"wall time until the report": "1.5 s"}, [("TopK(registry=hf)", "0.30", "180")]),
        "figure_needs": {"figures/fig5_preservation.png": frozenset({"old-db"}), "figures/fig7_descendants_database.png": frozenset({"have"})},
        "table3": "| # | Claim |\n|---|---|\n| 1 | a \\| b |\n\n12 rows marked.\n",
        "input_uses": {"dump": "Metric 2, npm turnover (Figure 6; C2)", "have": "Figure 7"},
        **fields,
    }
    return ReportData(**values)


FAKE_PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + struct.pack(">II", 800, 600)  # the header render_html reads


def _html(data: ReportData) -> str:
    return render_html(data, lambda relative: FAKE_PNG)


def test_html_is_autoescaped() -> None:
    page = _html(_data(_verdicts(statement="<script>alert(1)</script> & co")))
    assert "<script>alert(1)" not in page and "&lt;script&gt;alert(1)&lt;/script&gt; &amp; co" in page


def test_markdown_and_html_show_the_same_claims_and_verdicts() -> None:
    data = _data()
    markdown, page = render_markdown(data), _html(data)
    for claim_id, verdict in zip(data.verdicts["id"], data.verdicts["verdict"], strict=True):
        assert re.search(rf"\| {verdict} \| `{re.escape(claim_id)}`", markdown)
        assert re.search(rf'data-claim="{re.escape(claim_id)}">\s*<td class="verdict">{verdict}</td>', page)


def test_summary_comes_first_with_counts_exit_code_and_missing_inputs() -> None:
    markdown = render_markdown(_data())
    summary = markdown[: markdown.index("## Claims")]
    assert "| M2 | 0 | 1 |" in summary and "| all | 0 | 1 | 0 | 0 | 0 | 0 | 0 | 0 | 1 | 0 | 0 | 2 |" in summary
    assert "- TRANSCRIBED / MISTRANSCRIBED: Held only as the paper's text (never a reproduction)." in summary
    assert "exits **3**" in summary and "With `--strict`" in summary
    # Grouped by what gets them: one `make fetch` line for those with a URL (a file set too), then those never had.
    assert "`make fetch PROFILE=esem2024` gets 2 of them (from the network, or from ARTIFACT_MIRROR" in summary
    assert "`<mirror>/<host>/<URL path>`): `figs`, `old-db`.\n\n1 cannot be had:\n\n- `dump`: not archived by the authors\n" in summary
    assert summary.count("make fetch") == 1 and "available (for the first" not in summary
    page = _html(_data())
    assert "<code>figs</code>, <code>old-db</code>.</p>" in page and "<li><code>dump</code>: not archived by the authors</li>" in page


def test_a_claim_that_differs_without_detail_says_what_was_compared() -> None:
    markdown = render_markdown(_data())
    assert "observed 0.95 < 0.9: does not hold" in markdown


def test_every_paper_figure_in_order_with_a_placeholder_naming_the_missing_input() -> None:
    markdown = render_markdown(_data())
    headings = re.findall(r"^### Figure (\d) \(paper §[\d.]+\): ", markdown, flags=re.M)
    assert headings == [str(n) for n in range(1, 9)]
    figure5 = markdown[markdown.index("### Figure 5") : markdown.index("### Figure 6")]
    assert "not drawn in this run: it needs old-db (missing" in figure5
    figure6 = markdown[markdown.index("### Figure 6") : markdown.index("### Figure 7")]
    assert "not drawn in this run: it needs dump (missing" in figure6  # no task: the manifest's used_by says
    figure7 = markdown[markdown.index("### Figure 7") : markdown.index("### Figure 8")]
    assert "![Figure 7 (database): Two-dimensional log-log histogram" in figure7
    assert "[PDF](figures/fig7_descendants_database.pdf)" in figure7


def test_html_images_have_descriptive_alt_text_and_tables_captions_and_scope() -> None:
    page = _html(_data())
    alts = re.findall(r'<img src="data:image/png;base64,[^"]+" alt="([^"]+)"', page)
    assert alts and all(not alt.startswith("figures/") and "histogram" in alt for alt in alts)
    assert page.count("<table") == page.count("<caption>")
    assert 'scope="col"' in page and 'scope="row"' in page
    assert '<meta name="viewport" content="width=device-width, initial-scale=1">' in page


def test_table3_is_inline_with_escaped_pipes_kept() -> None:
    data = _data()
    assert "| 1 | a \\| b |" in render_markdown(data)
    assert "<td>a | b</td>" in _html(data) and "<p>12 rows marked.</p>" in _html(data)


def test_run_specific_facts_only_inside_this_run() -> None:
    first = render_markdown(_data())
    second = render_markdown(_data(this_run=ThisRun({"wall time until the report": "9.9 s"}, [])))
    assert first != second and stable_part(first) == stable_part(second)
    assert THIS_RUN_BEGIN not in stable_part(first) and "1.5 s" not in stable_part(first)
    assert first.index(THIS_RUN_BEGIN) < first.index("1.5 s") < first.index(THIS_RUN_END)
    assert stable_part(_html(_data())) == stable_part(_html(_data(this_run=ThisRun({"x": "y"}, []))))


def test_verdicts_are_counted_per_metric_without_the_authors_files_against_each_other() -> None:
    verdicts = _verdicts().assign(kind=["authors-files", "recomputed"], verdict=["FILES-MATCH", "UNAVAILABLE"])
    counts = [(metric, total) for metric, _, total in view.verdict_counts(verdicts)]
    assert counts == [("M4", 1), ("all", 1)] and view.files_counts(verdicts) == (1, 1)
    markdown = render_markdown(_data(verdicts))
    apart = markdown[markdown.index("## The authors' files agree with each other") : markdown.index("## Figures")]
    assert "`M2.hf-below-npm`" in apart and "`M2.hf-below-npm`" not in markdown[markdown.index("## Claims") : markdown.index("## The authors'")]
    assert "the authors' files agree with each other in 1 of 1 checks (outside these counts)" in markdown


def test_rows_left_out_names_the_count_the_total_and_why() -> None:
    from artifact.report.view import rows_left_out

    assert rows_left_out({"rows": 10406, "rows_left_out": 1369, "left_out_because": "no downloads"}) == "1369 of 10406: no downloads"
    assert rows_left_out({"rows": 5, "rows_left_out": 0, "left_out_because": "no downloads"}) == "none of 5"
    assert rows_left_out({"status": "available"}) == "-"  # no loader counted rows of this input


def test_a_disagreement_value_is_the_number_not_computed_or_error_never_a_lookup_message_as_prose() -> None:
    from artifact.report.disagreements import disagreement_value

    tables = {"t.csv": pd.DataFrame({"key": ["a", "a", "b"], "n": [1, 2, 3]})}
    where = Path("expected_outputs/sample/disagreements.toml")
    assert disagreement_value(tables, {"output": "t.csv", "select": {"key": "b"}, "column": "n"}, where) == "3"
    missing = disagreement_value(tables, {"output": "other.csv", "select": {}, "column": "n"}, where)
    assert missing == "not computed in this run (its inputs are missing)"
    ambiguous = disagreement_value(tables, {"output": "t.csv", "select": {"key": "a"}, "column": "n"}, where)
    assert ambiguous.startswith("ERROR: 2 rows of t.csv match") and ambiguous.endswith("fix its definition in sample/disagreements.toml")


def test_the_sample_reports_disagreements_show_values_only() -> None:
    report = (REPO / "expected_outputs" / "sample" / "REPORT.md").read_text()
    section = report[report.index("## Where the paper and the authors' code disagree") :]
    section = section[: section.index("\n## ", 1)]
    values = re.findall(r"^- [^:\n]+: \*\*(.+)\*\*$", section, re.M)
    assert values and not [v for v in values if "ERROR" in v or "not computed" in v or "match" in v]


def test_long_names_in_html_cells_may_wrap_only_where_their_parts_join() -> None:
    from artifact.report.render import breakable

    assert str(breakable("mean_share of tables/a_b.csv where k=v")) == "mean_<wbr>share of tables/<wbr>a_<wbr>b.<wbr>csv where k=<wbr>v"
    assert str(breakable("A.M1.fig5 0.95 <b>")) == "A.<wbr>M1.<wbr>fig5 0.95 &lt;b&gt;"  # numbers whole, text escaped


def test_checksums_in_html_may_wrap_between_groups_of_sixteen_digits() -> None:
    from artifact.report.render import checksum

    assert str(checksum("ab" * 20)) == "abababababababab<wbr>abababababababab<wbr>abababab"


def test_both_reports_rendered_together_are_those_rendered_apart() -> None:
    data = _data()
    assert render_report(data, lambda relative: FAKE_PNG) == (render_markdown(data), _html(data))
