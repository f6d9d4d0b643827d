"""The package is built from setup.cfg (pyproject.toml keeps only the build system and tools), without a warning."""

from __future__ import annotations

import configparser
import os
import re
import shutil
import subprocess
import sys
import tomllib
import zipfile
from pathlib import Path

from tests.conftest import REPO


def package_metadata() -> dict[str, str]:
    """setup.cfg's [metadata] section."""
    config = configparser.ConfigParser()
    config.read(REPO / "setup.cfg")
    return dict(config["metadata"])


def test_pyproject_keeps_the_build_system_and_tool_settings_only() -> None:
    pyproject = tomllib.loads((REPO / "pyproject.toml").read_text())
    assert set(pyproject) == {"build-system", "tool"}
    assert pyproject["build-system"]["build-backend"] == "setuptools.build_meta"


def test_every_dependency_of_setup_cfg_is_pinned_in_the_lock() -> None:
    config = configparser.ConfigParser()
    config.read(REPO / "setup.cfg")
    options = config["options"]
    requirements = [*options["install_requires"].split("\n"), *config["options.extras_require"]["test"].split("\n")]
    names = {re.split(r"[<>=\[]", line)[0].strip().lower().replace("_", "-") for line in requirements if line.strip() and not line.startswith("#")}
    locked = set(re.findall(r"^([a-z0-9][a-z0-9._-]*)==", (REPO / "requirements.lock").read_text(), re.M | re.I))
    assert names - {name.lower() for name in locked} == set()


def test_the_wheel_builds_from_setup_cfg_without_a_warning(tmp_path: Path) -> None:
    source = tmp_path / "source"
    for name in ("setup.cfg", "pyproject.toml", "README.md", "LICENSE"):
        (source / name).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(REPO / name, source / name)
    for package in ("artifact", "tasks"):
        shutil.copytree(REPO / package, source / package, ignore=shutil.ignore_patterns("__pycache__"))
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    built = subprocess.run(
        [sys.executable, "-W", "always", "-c", f"from setuptools import build_meta; print(build_meta.build_wheel({str(tmp_path)!r}))"],
        cwd=source, env=env, capture_output=True, text=True, timeout=300, check=False
    )
    assert built.returncode == 0, built.stderr
    warnings = [line for line in (built.stdout + built.stderr).splitlines() if re.search(r"warn|deprecat", line, re.I)]
    assert warnings == []
    with zipfile.ZipFile(tmp_path / built.stdout.strip().splitlines()[-1]) as wheel:
        names = set(wheel.namelist())
        meta = package_metadata()
        info = f"hf_claims_artifact-{meta['version']}.dist-info"
        entry_points = wheel.read(f"{info}/entry_points.txt").decode()
        metadata = wheel.read(f"{info}/METADATA").decode()
    assert {"artifact/inputs/manifest.toml", "artifact/inputs/inputs.lock", "artifact/report/templates/report.html.j2",
            "artifact/sample/data/hf_2022-06.db", "tasks/pipeline.py"} <= names
    assert "hf-claims-artifact = artifact.cli:entry_point" in entry_points
    assert f"Name: {meta['name']}\nVersion: {meta['version']}\n" in metadata and "License-Expression: MIT" in metadata
