"""RQ1 task: render the review's funnel (Figure 4), Table 3 and the consistency checks."""

from __future__ import annotations

from pathlib import Path

import luigi

from artifact.atomic import atomic_path
from artifact.expected import expected_dir
from artifact.profiles import Profile
from tasks.base import FingerprintedTask

REVIEW_FILE = expected_dir("esem2024") / "rq1_review.toml"  # the paper's review, the same for every profile


class ReviewTables(FingerprintedTask):
    """Figure 4, Table 3 (Markdown and LaTeX), the funnel, the unquantified counts, the consistency table (daggers read from Table 3)."""

    def read_files(self) -> list[Path]:
        return [REVIEW_FILE]

    def output(self) -> dict[str, luigi.LocalTarget]:
        return {
            "funnel": self.out("tables/rq1_funnel.csv"),
            "consistency": self.out("tables/rq1_consistency.csv"),
            "unquantified": self.out("tables/rq1_unquantified.csv"),
            "table3_md": self.out("tables/table3_claims.md"),
            "table3_tex": self.out("tables/table3_claims.tex"),
            **self.figure_out("figures/fig4_funnel", data=False),
        }

    def run(self) -> None:
        from artifact.figures.fig4_funnel import figure4
        from artifact.metrics.rq1_review import (
            CONSISTENCY_COLUMNS,
            FUNNEL_COLUMNS,
            UNQUANTIFIED_COLUMNS,
            consistency,
            load_review,
            table3_latex,
            table3_markdown,
            unquantified_table,
        )
        from artifact.tables import write_table

        review = load_review(REVIEW_FILE)
        write_table(review["funnel"], self.output()["funnel"].path, FUNNEL_COLUMNS)
        write_table(consistency(review), self.output()["consistency"].path, CONSISTENCY_COLUMNS)
        write_table(unquantified_table(review), self.output()["unquantified"].path, UNQUANTIFIED_COLUMNS)
        for key, render in (("table3_md", table3_markdown), ("table3_tex", table3_latex)):
            with atomic_path(self.output()[key].path) as tmp:
                tmp.write_text(render(review))
        figure = figure4(review["funnel"])
        self.save_figure(figure)


def roots(profile: Profile, available: frozenset[str]) -> list[luigi.Task]:
    """The review needs no input file: it is rendered for every profile."""
    return [ReviewTables(profile=profile.name)]
