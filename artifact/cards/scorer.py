"""A deterministic model-card scorer: which of the five sections a Markdown card has.

It answers the question the paper put to GPT-4 with fixed rules instead, so that anyone can score
any card offline and get the same answer every time. A section is present when either rule holds:

Heading rule. A heading names the section (`sections.sections_named`: "Intended uses &
limitations" names both limitations and how to use) and has a substantive body: at least
`MIN_BODY_WORDS` words, or a code block, between it and the next heading of the same or a higher
level, not counting sub-heading lines nor template placeholders (`PLACEHOLDERS`, such as "More
information needed"). Headings are ATX (`## Title`), setext (a line underlined with === or ---),
HTML (`<h2>Title</h2>`), or a whole line in bold (`**Title**`, ranked below every real heading).

Phrase rule. The prose outside headings says it in so many words (`PHRASES`), for example "trained
on" for training or "the following results" for evaluation; for how to use, also a code block that
loads or calls the model (`USAGE_CODE`, such as `from_pretrained(` or `pip install`).

Before the rules apply, the card is lower-cased and the YAML front matter (metadata, scored apart
from the card's prose), HTML comments (the template's guidance) and the insides of code blocks (a
`# comment` in Python is not a heading) are set aside. Every pattern starts with a literal so that
the regular-expression engine can skip ahead: scoring runs at tens of megabytes per second.

Time grows linearly with the card: no pattern backtracks over a line more than once (an ATX line is
split in Python, not by a lazy title before optional closing hashes; HTML headings, tags and `{{...}}`
placeholders are found with `str.find` from positions that only move forward), and a card is scored on
its first `MAX_CARD_CHARS` characters (the largest card of the independent profile has 117,210).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass

import pandas as pd

from artifact.cards.sections import SECTIONS, sections_named

MIN_BODY_WORDS = 3
MAX_CARD_CHARS = 1_000_000  # a card is scored on this many characters at most (README: Metric 4)
_CODE_TOKEN = "\x00code\x00"
_BOLD_LEVEL = 7  # a bold line ranks below every real heading

_FRONT_MATTER = re.compile(r"\A\ufeff?\s*---[ \t]*\n.*?\n(?:---|\.\.\.)[ \t]*(?:\n|\Z)", re.DOTALL)
_HTML_COMMENT = re.compile(r"<!--.*?(?:-->|\Z)", re.DOTALL)
_CODE_BLOCK = re.compile(r"\n[ \t]*(`{3,}|~{3,})[^\n]*((?:\n.*?)?)(?:\n[ \t]*\1[ \t]*(?=\n|\Z)|\Z)", re.DOTALL)
_WORD = re.compile(r"[^\W_]{2,}")

PLACEHOLDERS: tuple[re.Pattern[str], ...] = tuple(
    re.compile(pattern)
    for pattern in (
        r"more info(?:rmation)? (?:is )?needed",
        r"info(?:rmation)? (?:is )?needed",
        r"needs? more info(?:rmation)?",
        r"\[optional\]",
        r"tbd\b",
        r"tba\b",
        r"todo\b",
        r"coming soon",
        r"to be (?:added|updated|determined|announced)",
        r"n/a\b",
    )
)  # and `{{...}}` on one line (a template's variable): `_without_templates`
USAGE_CODE = re.compile(
    r"from_pretrained\(|pipeline\(|import \w|pip install|\.generate\(|\.predict\(|\.encode\(|"
    r"torch\.hub\.load|hf_hub_download|curl |ollama run|llama-cli|python3? \S+\.py"
)


def _word(literal: str, rest: str = "") -> re.Pattern[str]:
    """`literal` at the start of a word, then `rest`. The word boundary is checked after the literal
    (a look-behind), so that the engine still skips ahead to the literal."""
    return re.compile(f"{re.escape(literal)}(?<![\\w-]{'.' * len(literal)}){rest}")


_VERBS_IN_PASSIVE = ("is", "was", "were", "been")
_METRICS = ("accuracy", "f1", "bleu", "rouge", "wer", "cer", "perplexity", "exact match", "auc", "precision", "recall")
PHRASES: dict[str, tuple[re.Pattern[str], ...]] = {
    "description": (
        _word("this ", r"(?:model|checkpoint|repo|repository) (?:is|was|has been|provides|contains|implements)\b"),
        _word("this is ", r"(?:a|an|the)\b"),
        re.compile(r"fine-?tuned version of\b"),
        _word("is a", r"n? (?:\w+[ -]){0,4}(?:model|checkpoint|network)\b"),
    ),
    "limitations": (
        re.compile("limitation"),
        _word("biased", r"\b"),
        re.compile(r"should not be used\b"),
        _word("not ", r"(?:intended|suitable|recommended) for\b"),
        _word("may ", r"(?:produce|generate|output|reflect|contain)\b"),
    ),
    "how_to_use": (
        _word("use ", r"(?:this|the) model\b"),
        _word("you can ", r"(?:load|try|run)\b"),
        _word("can be ", r"(?:used|loaded) (?:with|for|to|via|by|in)\b"),
    ),
    "training": (
        re.compile(r"trained (?:on|with|using|for)\b"),  # also pre-trained, pretrained
        re.compile(r"tuned (?:on|with|using|for)\b"),  # fine-tuned, finetuned
        *(_word(f"{verb} ", r"(?:trained|fine-?tuned|pre-?trained|distilled)\b") for verb in _VERBS_IN_PASSIVE),
        _word("distilled from"),
        re.compile("during training"),
        _word("learning", r"[ _]rate"),
        _word("num", r"[ _]epochs"),
    ),
    "evaluation": (
        re.compile("the following results"),
        *(_word(f"{verb} ", r"(?:on|against|with)\b") for verb in ("evaluated", "tested", "benchmarked")),
        *(_word(metric, r"[\w-]*\s*(?::|=|of|is)\s*[\d.]+") for metric in _METRICS),
    ),
}


_ATX_LINE = re.compile(r"\n {0,3}(#{1,6})([^\n]*)")  # its rest is split by `_atx`; "#" alone is an empty heading
_SETEXT_UNDERLINE = re.compile(r"\n {0,3}(=+|-{2,})[ \t]*(?=\n|\Z)")  # === is level 1, --- level 2
_SETEXT_NOT_TITLE = re.compile(r" {0,3}[|>\-*+#]| {4}|\s*$|\x00")  # tables, quotes, lists, code, blank lines
_HTML_OPEN = re.compile(r"<h([1-6])")  # then anything up to the first ">", the title on that line, "</hN>"
_BOLD_LINE = re.compile(r"\n {0,3}(\*\*|__)([^*_\n]{1,80})\1[ \t]*+(?::[ \t]*+)?(?=\n|\Z)")

Found = tuple[int, int, int, str]  # start, end, level, title of a heading


def _atx(text: str) -> Iterator[Found]:
    """`#` to `######`, then either blanks and a title (closing `#`s and blanks dropped) or only `#`s and blanks."""
    for match in _ATX_LINE.finditer(text):
        rest = match.group(2)
        if rest[:1] in (" ", "\t"):
            title = rest.lstrip(" \t").rstrip(" \t#")
        elif rest.strip(" \t#"):
            continue  # "#title", or seven "#": not a heading
        else:
            title = ""
        yield match.start(), match.end(), len(match.group(1)), title


def _setext(text: str) -> Iterator[Found]:
    for match in _SETEXT_UNDERLINE.finditer(text):
        line_start = text.rfind("\n", 0, match.start())
        line = text[line_start + 1 : match.start()]
        if line_start >= 0 and not _SETEXT_NOT_TITLE.match(line):
            yield line_start, match.end(), 1 if match.group(1).startswith("=") else 2, line


def _html(text: str) -> Iterator[Found]:
    """`<hN ...>title</hN>`, the title on the line of the tag's `>`; the next searches start where the last ended."""
    after, gt, newline, closing = 0, -1, -1, {}
    for match in _HTML_OPEN.finditer(text):
        if match.start() < after:
            continue
        if gt < match.end() and (gt := text.find(">", match.end())) < 0:
            return
        level, body = match.group(1), gt + 1
        if closing.get(level, -1) < body:
            found = text.find(f"</h{level}>", body)
            closing[level] = found if found >= 0 else len(text) + 1
        if newline < body:
            newline = found if (found := text.find("\n", body)) >= 0 else len(text)
        if closing[level] < newline:
            after = closing[level] + len(f"</h{level}>")
            yield match.start(), after, int(level), _without_tags(text[body : closing[level]])


def _without_tags(title: str) -> str:
    """`title` with every `<...>` (at least one character inside) replaced by a blank."""
    pieces, kept, search = [], 0, 0
    while (lt := title.find("<", search)) >= 0 and (gt := title.find(">", lt + 1)) >= 0:
        if gt > lt + 1:
            pieces += [title[kept:lt], " "]
            kept = gt + 1
        search = gt + 1 if gt > lt + 1 else lt + 1
    return "".join(pieces) + title[kept:]


def _without_templates(text: str) -> str:
    """`text` with every `{{...}}` within one line replaced by a blank (the first `}}` closes)."""
    pieces, kept, search, closing, newline = [], 0, 0, -1, -1
    while (start := text.find("{{", search)) >= 0:
        if closing < start + 2 and (closing := text.find("}}", start + 2)) < 0:
            break
        if newline < start + 2:
            newline = found if (found := text.find("\n", start + 2)) >= 0 else len(text)
        if closing < newline:
            pieces += [text[kept:start], " "]
            kept = search = closing + 2
        else:
            search = start + 1
    return "".join(pieces) + text[kept:]


def _bold(text: str) -> Iterator[Found]:
    for match in _BOLD_LINE.finditer(text):
        yield match.start(), match.end(), _BOLD_LEVEL, match.group(2)


# In order of precedence where two kinds claim the same line (a bold line underlined with --- is setext).
_HEADING_FINDERS: tuple[Callable[[str], Iterator[Found]], ...] = (_atx, _setext, _html, _bold)


@dataclass(frozen=True)
class _Heading:
    start: int
    end: int
    level: int
    title: str


def score_card(card: object) -> tuple[bool, ...]:
    """Per section (in `SECTIONS` order) whether the card has it; no card or a blank one has none."""
    if not isinstance(card, str) or not card.strip():
        return (False,) * len(SECTIONS)
    text = "\n" + _HTML_COMMENT.sub("", _FRONT_MATTER.sub("", card[:MAX_CARD_CHARS].replace("\r\n", "\n"), count=1)).lower()
    blocks = [match.group(2) for match in _CODE_BLOCK.finditer(text)]
    text = _CODE_BLOCK.sub(f"\n{_CODE_TOKEN}", text)
    for placeholder in PLACEHOLDERS:
        text = placeholder.sub(" ", text)
    text = _without_templates(text)
    headings = _headings(text)
    found = _by_headings(text, headings)
    prose = _without_headings(text, headings)
    for section, patterns in PHRASES.items():
        if section not in found and any(pattern.search(prose) for pattern in patterns):
            found.add(section)
    if "how_to_use" not in found and any(USAGE_CODE.search(block) for block in blocks):
        found.add("how_to_use")
    return tuple(section in found for section in SECTIONS)


def score_cards(cards: pd.Series) -> pd.DataFrame:
    """One row per card (same index): a boolean column per section, `sections` and `score` (= sections / 5)."""
    table = pd.DataFrame([score_card(card) for card in cards], index=cards.index, columns=list(SECTIONS), dtype=bool)
    table["sections"] = table[list(SECTIONS)].sum(axis=1).astype("int64")
    table["score"] = table["sections"] / len(SECTIONS)
    return table


def _headings(text: str) -> list[_Heading]:
    """Every heading of `text` in order of position; of overlapping candidates the earliest wins,
    and at the same position the kind found first (`_HEADING_FINDERS`)."""
    candidates = sorted(
        (start, rank, end, level, title)
        for rank, finder in enumerate(_HEADING_FINDERS)
        for start, end, level, title in finder(text)
    )
    headings: list[_Heading] = []
    for start, _, end, level, title in candidates:
        if not headings or start >= headings[-1].end:
            headings.append(_Heading(start, end, level, title.strip()))
    return headings


def _by_headings(text: str, headings: list[_Heading]) -> set[str]:
    """Sections named by a heading whose body (down to the next heading as high) is substantive."""
    ends = [h.start for h in headings[1:]] + [len(text)]
    segments = [_segment_weight(text[h.end : end]) for h, end in zip(headings, ends)]
    found: set[str] = set()
    for i, heading in enumerate(headings):
        named = sections_named(heading.title) - found
        if not named:
            continue
        weight = 0
        for j in range(i, len(headings)):
            if j > i and headings[j].level <= heading.level:
                break
            weight += segments[j]
            if weight >= MIN_BODY_WORDS:
                found |= named
                break
    return found


def _segment_weight(segment: str) -> int:
    """Words in a segment (counted up to `MIN_BODY_WORDS`); a code block counts as enough on its own."""
    if _CODE_TOKEN in segment:
        return MIN_BODY_WORDS
    words = 0
    for words, _ in enumerate(_WORD.finditer(segment), start=1):
        if words >= MIN_BODY_WORDS:
            break
    return words


def _without_headings(text: str, headings: list[_Heading]) -> str:
    """`text` with every heading line blanked (a heading is no evidence by itself)."""
    pieces, position = [], 0
    for heading in headings:
        pieces.append(text[position : heading.start])
        position = heading.end
    pieces.append(text[position:])
    return "\n".join(pieces)
