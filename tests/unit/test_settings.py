"""Settings are read once: the environment only in artifact/config.py, every variable listed in the three places."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

from artifact.cli import build_parser
from artifact.config import THREAD_SETTINGS, VARIABLES
from tests.conftest import REPO

_READ = re.compile(r"\bos\.(environ|getenv)\b|\bgetenv\(")
_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")


def _documented() -> set[str]:
    return {name for variable in VARIABLES for name in variable.names}


def _names(text: str) -> set[str]:
    """Variable names written as a comma-separated list at the start of `text`."""
    head = re.split(r"[:|]|\s{2,}|\(", text.strip(), maxsplit=1)[0]
    return set(_NAME.findall(head.replace("`", "")))


def test_only_config_reads_the_environment() -> None:
    readers = {
        str(path.relative_to(REPO))
        for folder in ("artifact", "tasks", "bench", "scripts")
        for path in (REPO / folder).rglob("*.py")
        if _READ.search(path.read_text())
    }
    assert readers == {"artifact/config.py"}


def test_every_variable_config_reads_is_documented() -> None:
    source = (REPO / "artifact/config.py").read_text()
    read = set(re.findall(r"""env(?:\.get\(|\[)"(\w+)"\]?""", source)) | set(THREAD_SETTINGS)
    assert read and read <= _documented()


def test_cli_help_make_help_and_readme_list_the_same_variables() -> None:
    documented = _documented()
    cli_help = build_parser().format_help().split("environment:\n", 1)[1]
    cli = set().union(*(_names(line) for line in cli_help.splitlines() if line.startswith("  ") and not line.startswith("   ")))
    make = subprocess.run(["make", "-s", "help"], cwd=REPO, capture_output=True, text=True, check=True).stdout
    make_section = make.split("environment (", 1)[1].splitlines()[1:]
    made = set().union(*(_names(line) for line in make_section if line.startswith("  ")))
    readme = (REPO / "README.md").read_text().split("## Environment variables", 1)[1].split("\n## ", 1)[0]
    rows = [line.split("|")[1] for line in readme.splitlines() if line.startswith("| `")]
    listed = set().union(*(_names(row) for row in rows))
    assert cli == documented, cli ^ documented
    assert made == documented, made ^ documented
    assert listed == documented, listed ^ documented


def test_figure_bytes_do_not_depend_on_source_date_epoch(tmp_path: Path) -> None:
    script = (
        "import sys; from pathlib import Path; from artifact.figures.style import new_figure, save_figure\n"
        "figure = new_figure(2, 2); figure.add_subplot().plot([0, 1], [1, 0])\n"
        "save_figure(figure, [Path(sys.argv[1] + suffix) for suffix in ('.pdf', '.png', '.svg')])\n"
    )
    outputs = {}
    for label, epoch in (("unset", None), ("early", "0"), ("late", "1719792000")):
        env = {"PATH": "/usr/bin:/bin", "MPLBACKEND": "Agg", **({"SOURCE_DATE_EPOCH": epoch} if epoch else {})}
        subprocess.run([sys.executable, "-c", script, str(tmp_path / label)], cwd=REPO, env=env, check=True, timeout=120)
        outputs[label] = [(tmp_path / f"{label}{suffix}").read_bytes() for suffix in (".pdf", ".png", ".svg")]
    assert outputs["unset"] == outputs["early"] == outputs["late"]
