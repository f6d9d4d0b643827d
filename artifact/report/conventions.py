"""Named, cited conventions that turn a value into the word a paper would use for it.

A claim with `check = "word"` names one convention here and the paper's word as `expected`; the
verdict compares the paper's word with the word the convention gives the observed value, and the
report shows the value, the convention's word and the paper's word. The same convention is applied
on every profile: no claim chooses its own threshold for "weak" or "significantly".
"""

from __future__ import annotations

import math
from dataclasses import dataclass


@dataclass(frozen=True)
class Convention:
    """Bands of a value, each with its word: `bands[i] = (lower bound, word)`, bounds ascending."""

    name: str
    citation: str
    bands: tuple[tuple[float, str], ...]
    absolute: bool = False  # bands apply to |value| (correlations: the sign is checked by its own claim)

    def word(self, value: float) -> str:
        """The word this convention gives `value` ("" for a missing value)."""
        if math.isnan(value):
            return ""
        value = abs(value) if self.absolute else value
        chosen = self.bands[0][1]
        for lower, word in self.bands:
            if value >= lower:
                chosen = word
        return chosen


CONVENTIONS: dict[str, Convention] = {
    "evans1996": Convention(
        name="Evans (1996) scale for the strength of a correlation",
        citation="J. D. Evans, Straightforward Statistics for the Behavioral Sciences, Brooks/Cole, 1996: "
        "|r| 0.00-0.19 very weak, 0.20-0.39 weak, 0.40-0.59 moderate, 0.60-0.79 strong, 0.80-1.0 very strong",
        bands=((0.0, "very weak"), (0.2, "weak"), (0.4, "moderate"), (0.6, "strong"), (0.8, "very strong")),
        absolute=True,
    ),
    "alpha-0.05": Convention(
        name="significance at alpha = 0.05",
        citation="R. A. Fisher, Statistical Methods for Research Workers, 1925: p < 0.05 is significant",
        bands=((0.0, "significant"), (0.05, "not significant")),
    ),
    "alpha-0.01": Convention(
        name="significance at alpha = 0.01 (the level the paper prints, p<0.01)",
        citation="R. A. Fisher, Statistical Methods for Research Workers, 1925, with the paper's own level p < 0.01",
        bands=((0.0, "significant"), (0.01, "not significant")),
    ),
}


def convention_word(name: str, value: float) -> str:
    """The word convention `name` gives `value`; KeyError for an unknown convention."""
    return CONVENTIONS[name].word(value)


def described(name: str, value_text: str, word: str) -> str:
    """'0.419 (moderate on the Evans (1996) scale ...)': the value with the word the convention gives it."""
    return f"{value_text} ({word or 'no value'}, {CONVENTIONS[name].name})"
