"""The Dockerfile's promises, checked on its text (no container engine is needed for this)."""

from __future__ import annotations

import re

from tests.conftest import REPO

DOCKERFILE = (REPO / "Dockerfile").read_text()
INSTRUCTIONS = [line for line in DOCKERFILE.splitlines() if line and not line.startswith("#")]


def test_base_image_is_a_digest_pinned_argument_before_from() -> None:
    arg = next(i for i, line in enumerate(INSTRUCTIONS) if line.startswith("ARG BASE_IMAGE="))
    from_line = next(i for i, line in enumerate(INSTRUCTIONS) if line.startswith("FROM "))
    assert arg < from_line and INSTRUCTIONS[from_line] == "FROM ${BASE_IMAGE}"
    assert re.fullmatch(r"ARG BASE_IMAGE=python:3\.11-slim-bookworm@sha256:[0-9a-f]{64}", INSTRUCTIONS[arg])


def test_determinism_settings_are_in_the_environment() -> None:
    for setting in ("MPLBACKEND=Agg", "PYTHONHASHSEED=0", "SOURCE_DATE_EPOCH="):
        assert setting in DOCKERFILE


def test_installs_through_make_install_as_a_non_root_user_and_reproduces_by_default() -> None:
    user = next(i for i, line in enumerate(INSTRUCTIONS) if line.startswith("USER "))
    install = next(i for i, line in enumerate(INSTRUCTIONS) if line.startswith("RUN make install"))
    assert INSTRUCTIONS[user] != "USER root" and user < install
    assert INSTRUCTIONS[-1] == 'CMD ["make", "reproduce"]'
