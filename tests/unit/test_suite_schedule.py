"""The work units of `make test` (tests/conftest.py): every module and test its scheduling names exists,
and the longest units are handed out first."""

from __future__ import annotations

import re

from tests.conftest import LONGEST_FIRST, REPO, SPREAD, longest_first


def _defined(unit: str) -> bool:
    """Whether the module of `unit` exists and, for MODULE::TEST, defines TEST."""
    module, _, test = unit.partition("::")
    path = REPO / module
    return path.is_file() and (not test or re.search(rf"^def {re.escape(test)}\(", path.read_text(), re.M) is not None)


def test_every_unit_the_scheduling_names_exists() -> None:
    assert [unit for unit in (*SPREAD, *LONGEST_FIRST) if not _defined(unit)] == []
    # A test is a unit of its own only in a SPREAD module; a module is one only outside them.
    assert [unit for unit in LONGEST_FIRST if ("::" in unit) != (unit.partition("::")[0] in SPREAD)] == []
    assert len(set(LONGEST_FIRST)) == len(LONGEST_FIRST)


def test_the_named_units_go_first_in_their_order_and_the_others_keep_theirs() -> None:
    units = ["tests/unit/test_b.py", LONGEST_FIRST[1], "tests/unit/test_a.py", LONGEST_FIRST[0]]
    assert longest_first(units) == [LONGEST_FIRST[0], LONGEST_FIRST[1], "tests/unit/test_b.py", "tests/unit/test_a.py"]
