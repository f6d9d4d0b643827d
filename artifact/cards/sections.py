"""The five model-card sections the paper asked GPT-4 about, and how a title names one of them.

The same keyword rules classify the keys of a GPT-4 reply ("Model description", "how_to_use",
"4. Training") and the headings of a card ("Intended uses & limitations", "Evaluation results").
"""

from __future__ import annotations

import re
from functools import lru_cache

# Order of the paper's prompt: model description, limitations, how to use, training, evaluation.
SECTIONS: tuple[str, ...] = ("description", "limitations", "how_to_use", "training", "evaluation")

# A title (heading text or reply key, lower-cased, punctuation turned into spaces) names a section
# when it matches the section's pattern. Word stems, so that "limitation", "limits" and "trained"
# match; a heading may name several sections ("Intended uses & limitations", "Training results").
_TITLE_PATTERNS: dict[str, re.Pattern[str]] = {
    "description": re.compile(r"\b(descri\w*|overview|about|summary|introduction|model details?|model info\w*)\b"),
    "limitations": re.compile(r"\b(limit\w*|bias\w*|risks?|caveats?|out of scope|ethic\w*|known issues?)\b"),
    "how_to_use": re.compile(r"\b(how to use|how to get started|usage|uses?|getting started|quick ?start|inference|examples?)\b"),
    "training": re.compile(r"\b(train\w*|fine ?tun\w*|pre ?train\w*|hyper ?param\w*)\b"),
    "evaluation": re.compile(r"\b(eval\w*|results?|performance|benchmarks?|metrics?|scores?|accuracy)\b"),
}
_NOT_WORD = re.compile(r"[^0-9a-z]+")
_NUMBERING = re.compile(r"^\s*\d+\s+")


def normalise_title(title: str) -> str:
    """Lower case, punctuation and underscores as single spaces, leading numbering dropped."""
    spaced = _NOT_WORD.sub(" ", re.sub(r"([a-z])([A-Z])", r"\1 \2", title).lower())
    return _NUMBERING.sub("", spaced).strip()


@lru_cache(maxsize=4096)  # titles repeat across cards ("Training procedure", "Model description")
def sections_named(title: str) -> frozenset[str]:
    """The sections a heading or reply key names (empty when it names none)."""
    text = normalise_title(title)
    return frozenset(section for section, pattern in _TITLE_PATTERNS.items() if pattern.search(text))
