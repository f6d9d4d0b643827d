"""Where the real inputs are in a mirror (`<host>/<url path>`), for the tests that need them.

Tests that need them call `mirror_path`, which skips the test, saying why, when ARTIFACT_MIRROR is
unset or lacks the file.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

RAW = "raw.githubusercontent.com"
SNAPSHOT_FILES = {
    "pypi": RAW + "/hugovk/top-pypi-packages/{commit}/top-pypi-packages-30-days.json",
    "npm": RAW + "/wooorm/npm-high-impact/{commit}/lib/top-download.js",
}
COMMITS = {  # (registry, snapshot label) -> the pinned commit of the top list
    ("pypi", "2022-11"): "c6144bbe7de38f47b467c1c8c948378c86bf3775",
    ("pypi", "2023-08"): "caba5e2fe0537d56caa59245eb4fb082d7d1bb70",
    ("pypi", "2023-10"): "0eec57f566ccd4eb2ae22e3060a5240de501fdba",
    ("pypi", "2024-03"): "ee2d4a10695c16c3e7983b6a6fe3e1744f8a5471",
    ("npm", "2022-11"): "fde624b5fa0c380b046f1dd015590fa13337195c",
    ("npm", "2023-08"): "a849b292fab7bb3d728739130c56577697524319",
    ("npm", "2023-11"): "d74d32cf222ffa00dea0e996a67d4915bf08bf53",
    ("npm", "2024-02"): "f4ebfe29d9322b963e858fef3deafd20bf953147",
}
MODEL_INFO = RAW + "/Weixin-Liang/AI-model-card-analysis-HuggingFace/6bcc76fe6142e119732491805e7f0240ebb8eca5/data/model_info.parquet"
CARDS = RAW + "/hn5318/model_card_analysis/6540bff11f5d4f4965f46624781d18d261d49169/Dataset/Sample_modelcard/samples_data.json"
HUB_PAGES = RAW + "/TStalnaker44/hugging_face_analysis_replication/016ca26976c1e2c78778ba11b50697f4ce5d14fc/data/raw_data/model_lists"
HUB_PAGE = "models_page{page}_07-11-2024.json.gz"  # the mirror stores the pages gzip-compressed


def top_list(registry: str, label: str) -> str:
    """The mirror path of a PyPI or npm top list."""
    return SNAPSHOT_FILES[registry].format(commit=COMMITS[(registry, label)])


def mirror_path(relative: str) -> Path:
    """The mirror's copy of `relative`, or skip the test naming what is missing."""
    root = os.environ.get("ARTIFACT_MIRROR", "").strip()
    if not root:
        pytest.skip("needs the real inputs: set ARTIFACT_MIRROR to a mirror folder (for example ../shared/mirror)")
    path = Path(root) / relative
    if not path.exists():
        pytest.skip(f"the mirror {root} lacks {relative}")
    return path


# The sample's witness runs the authors' scripts: pinned inputs that are not shipped (their licence is
# unknown), so a test that needs the sample's whole run, witness included, needs them from the mirror.
needs_authors_scripts = pytest.mark.skipif(
    not os.environ.get("ARTIFACT_MIRROR", "").strip(),
    reason="the sample's witness runs the authors' scripts, which are not shipped: set ARTIFACT_MIRROR (CI does)",
)
