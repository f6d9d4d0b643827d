"""The archived GPT-4 replies: one verdict per card, parsed tolerantly.

The authors asked GPT-4 for "a JSON object indicating whether each of these points is present with
true/false". The replies are text that should hold one such object, but real replies wrap it in
prose or a Markdown code fence, write the values as strings, leave some null, name the keys in
their own way, or are cut off. Rules, in order:

1. A reply that is None, NaN or blank is `missing`.
2. The first `{` from which a JSON object decodes is the answer (prose and code fences around it
   are ignored; nested objects are fine). Failing that, the text from the first `{` to the last `}`
   read as a Python literal (single quotes, True/False/None). Failing that, the reply is
   `unparseable` (for example a truncated object, or no object at all).
3. Each key is mapped to the section its title names (`sections.sections_named`); keys naming no
   section or several are ignored. An object with no key naming a section is `unparseable`.
4. Values: booleans as they are; the strings true/yes/present and false/no/absent (any case);
   the numbers 1 and 0; an object with a `present`, `value` or `answer` field by that field;
   anything else, null included, is unknown (None).
5. A reply giving a known value for all five sections is `parsed`; one with some unknown is `partial`.

The authors' code scores `missing` and `unparseable` replies as 0 and counts an unknown value as not
present; `artifact.metrics.m4_documentation` does the same and also reports the figures without them.
An already parsed mapping (the `analysis` column) goes through rules 3-5 (`verdict_from_mapping`).
"""

from __future__ import annotations

import ast
import json
import math
from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np

from artifact.cards.sections import SECTIONS, sections_named

MISSING, UNPARSEABLE, PARTIAL, PARSED = "missing", "unparseable", "partial", "parsed"
REPLY_STATUSES = (PARSED, PARTIAL, UNPARSEABLE, MISSING)
SCORED_REPLY_STATUSES = frozenset({PARSED, PARTIAL})  # the others carry no verdict at all

_TRUE_WORDS = frozenset({"true", "yes", "present"})
_FALSE_WORDS = frozenset({"false", "no", "absent", "not present"})
_NESTED_VALUE_KEYS = ("present", "value", "answer")
_DECODER = json.JSONDecoder()


@dataclass(frozen=True)
class Verdict:
    """Per section (in `SECTIONS` order) True, False or None (unknown), and the reply's status."""

    sections: tuple[bool | None, ...]
    status: str

    @property
    def present(self) -> int:
        """How many sections the verdict says are present (unknown counts as not present)."""
        return sum(value is True for value in self.sections)


NO_VERDICT = {status: Verdict((None,) * len(SECTIONS), status) for status in (MISSING, UNPARSEABLE)}


def parse_reply(reply: object) -> Verdict:
    """The verdict in one raw GPT-4 reply (rules 1-5 of the module docstring)."""
    if _is_missing(reply):
        return NO_VERDICT[MISSING]
    mapping = _first_object(str(reply))
    return NO_VERDICT[UNPARSEABLE] if mapping is None else verdict_from_mapping(mapping)


def verdict_from_mapping(mapping: object) -> Verdict:
    """The verdict in an already parsed reply: a mapping, a list of (key, value) pairs, or JSON text."""
    if _is_missing(mapping):
        return NO_VERDICT[MISSING]
    if isinstance(mapping, str):
        return parse_reply(mapping)
    if not isinstance(mapping, Mapping):
        try:
            mapping = dict(mapping)  # a Parquet map column arrives as a list of (key, value) pairs
        except (TypeError, ValueError):
            return NO_VERDICT[UNPARSEABLE]
    values: dict[str, list[bool | None]] = {}
    for key, value in mapping.items():
        named = sections_named(str(key))
        if len(named) == 1:
            values.setdefault(next(iter(named)), []).append(_truth(value))
    if not values:
        return NO_VERDICT[UNPARSEABLE]
    sections = tuple(_combine(values.get(section, [])) for section in SECTIONS)
    return Verdict(sections, PARSED if None not in sections else PARTIAL)


def _is_missing(value: object) -> bool:
    if value is None:
        return True
    if isinstance(value, float) and math.isnan(value):
        return True
    return isinstance(value, str) and not value.strip()


def _first_object(text: str) -> dict | None:
    """The first JSON object in `text`, else its outermost braces as a Python literal, else None."""
    start = text.find("{")
    while start != -1:
        try:
            candidate, _ = _DECODER.raw_decode(text, start)
        except json.JSONDecodeError:
            candidate = None
        if isinstance(candidate, dict):
            return candidate
        start = text.find("{", start + 1)
    first, last = text.find("{"), text.rfind("}")
    if first == -1 or last < first:
        return None
    try:
        candidate = ast.literal_eval(text[first : last + 1])
    except (ValueError, SyntaxError, MemoryError, RecursionError):
        return None
    return candidate if isinstance(candidate, dict) else None


def _truth(value: object) -> bool | None:
    """True, False or None (unknown) for one value of a reply (rule 4)."""
    if isinstance(value, bool | np.bool_):
        return bool(value)
    if isinstance(value, str):
        word = " ".join(value.strip().strip(".").lower().split())
        return True if word in _TRUE_WORDS else False if word in _FALSE_WORDS else None
    if isinstance(value, int | float) and value in (0, 1):
        return bool(value)
    if isinstance(value, Mapping):
        for key in _NESTED_VALUE_KEYS:
            if key in value:
                return _truth(value[key])
    return None


def _combine(values: list[bool | None]) -> bool | None:
    """Several keys for one section: present if any says so, absent if any says so, else unknown."""
    if True in values:
        return True
    return False if False in values else None
