"""The report of the sample profile: every link and image resolves, the summary matches the claims."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

import pandas as pd

from artifact.report.claims import summary_counts
from tests.mirror_inputs import needs_authors_scripts


class _Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.targets: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        wanted = {"a": "href", "img": "src"}.get(tag)
        self.targets += [value for name, value in attrs if name == wanted and value]


def test_html_report_links_and_images_resolve(sample_outputs: Path) -> None:
    parser = _Links()
    parser.feed((sample_outputs / "report.html").read_text())
    images = [t for t in parser.targets if t.startswith("data:image/png;base64,")]
    files = [t for t in parser.targets if not t.startswith(("data:", "#"))]
    assert images, "figures are embedded"
    assert files, "tables and figures are linked"
    assert all((sample_outputs / target).is_file() for target in files), [t for t in files if not (sample_outputs / t).is_file()]


def test_markdown_links_resolve(sample_outputs: Path) -> None:
    links = re.findall(r"\]\(([^)]+)\)", (sample_outputs / "REPORT.md").read_text())
    assert links and all((sample_outputs / link).is_file() for link in links)


@needs_authors_scripts
def test_summary_line_counts_match_the_claims_table(sample_outputs: Path) -> None:
    counts = summary_counts(pd.read_csv(sample_outputs / "tables" / "claims.csv"))
    summary = re.search(
        r"\*\*on synthetic data, not the paper: (\d+) claims reproduced, (\d+) differ \(recomputed from data\), (\d+) could not be checked",
        (sample_outputs / "REPORT.md").read_text(),
    )
    assert summary is not None
    assert [int(n) for n in summary.groups()] == [counts["REPRODUCED"], counts["DIFFERS"], counts["UNAVAILABLE"]]
    assert sum(counts.values()) > 0


def test_report_names_every_input_checksum(sample_outputs: Path) -> None:
    report = (sample_outputs / "REPORT.md").read_text()
    inputs = pd.read_json(sample_outputs / "inputs.json", orient="index")
    assert all(digest in report for digest in inputs["sha256"])
