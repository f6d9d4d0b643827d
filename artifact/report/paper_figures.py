"""The paper's figures in its order: number, section, what each shows, and the files that draw it.

Captions and sections are read from the paper (Jones et al., ESEM 2024); the report shows every
figure under "Figure N (paper §x): what it shows", or says which input it would need.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class PaperFigure:
    """One figure of the paper and the stem of the output files that redraw it (empty: a diagram)."""

    number: int
    section: str
    shows: str
    stem: str = ""
    alt: str = ""  # what the redrawn image shows, for readers who cannot see it


PAPER_FIGURES = (
    PaperFigure(1, "§1", "overview of the work's context and approach (a diagram: nothing to recompute)"),
    PaperFigure(2, "§2.1.1", "the software supply chain (a diagram: nothing to recompute)"),
    PaperFigure(3, "§2.1.2", "reuse processes of traditional software and of PTMs (a diagram: nothing to recompute)"),
    PaperFigure(
        4,
        "§4.1",
        "the systematic literature review's process and results",
        "fig4_funnel",
        "Funnel of the literature review: papers found, kept after each selection step, and claims extracted",
    ),
    PaperFigure(
        5,
        "§5.3.2",
        "Metric 1: the usage proportion of the top 10 libraries among PTMs that use at least two libraries",
        "fig5_preservation",
        "Bar chart: for each of the top 10 libraries, the share of descendants that keep it, annotated with counts",
    ),
    PaperFigure(
        6,
        "§5.4.2",
        "Metric 2: turnover of the top 1000 packages of Hugging Face, npm and PyPI per snapshot",
        "fig6_turnover",
        "Bar chart per registry and snapshot: packages of the top 1000 that remained, are newcomers, or returned",
    ),
    PaperFigure(
        7,
        "§5.4.2",
        "Metric 3: downloads against direct descendant models, with the fitted line (log-log)",
        "fig7_descendants",
        "Two-dimensional log-log histogram of base models by popularity and number of direct descendants, "
        "with the fitted line",
    ),
    PaperFigure(
        8,
        "§5.5.2",
        "Metric 4: documentation quality of the top and bottom models, by downloads and by downstream reuse",
        "fig8_documentation",
        "Box plots of the documentation score of the top and the bottom group, one panel per popularity measure",
    ),
)
