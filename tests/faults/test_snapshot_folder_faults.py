"""Cases 4, 5 and 11 of issue 25: a hostile or broken snapshots folder is refused, naming the entry, before any task."""

from __future__ import annotations

from pathlib import Path

import pytest

from artifact.config import Settings
from artifact.errors import ArtifactError, SchemaError
from artifact.loaders.registry import SNAPSHOT_LOADERS
from artifact.profiles import get_profile
from tests.conftest import run_cli
from tests.faults.helpers import sha256

LIST = b"name,downloads\n" + b"".join(b"pkg%d,%d\n" % (i, 1000 - i) for i in range(20))


def _entry(file: str = "pypi.csv", **fields: object) -> str:
    """One [[snapshot]] table pinning `file` (LIST), with `fields` overriding the usual values."""
    values = {"id": "pypi-2025-01-01T000000Z", "registry": "pypi", "format": "toplist-csv", "file": file,
              "retrieved": "2025-01-01T00:00:00Z", "source": "test", "version": "", "top": 20, "count": 20,
              "size": len(LIST), "sha256": sha256(LIST), "huggingface_hub": "", **fields}
    lines = [f"{name} = {value}" if isinstance(value, int) else f'{name} = "{value}"' for name, value in values.items()]
    return "[[snapshot]]\n" + "\n".join(lines) + "\n"


def _folder(tmp_path: Path, *entries: str, data: bytes = LIST) -> Settings:
    folder = tmp_path / "snapshots"
    folder.mkdir(exist_ok=True)
    (folder / "pypi.csv").write_bytes(data)
    (folder / "snapshots.toml").write_text("".join(entries) or _entry(), encoding="utf-8")
    return Settings(tmp_path / "out", tmp_path / "cache", None, True, None, snapshots_dir=folder, extended_base="sample")


def _refused(settings: Settings, *words: str) -> None:
    with pytest.raises(ArtifactError) as caught:
        get_profile("extended", settings)
    message = str(caught.value)
    assert str(settings.snapshots_dir / "snapshots.toml") in message
    assert all(word in message for word in words), message


def test_case4_a_good_folder_is_accepted(tmp_path: Path) -> None:
    profile = get_profile("extended", _folder(tmp_path))
    assert [s.label for s in profile.snapshots_of("pypi")][-1] == "2025-01-01"


@pytest.mark.parametrize(
    ("field", "value", "allowed"),
    [
        ("registry", "../../../../escaped", "is not allowed (one of "),
        ("retrieved", "../../2025-01-01T00:00:00Z", "YYYY-MM-DDTHH:MM:SSZ"),
        ("retrieved", "2025-13-45T00:00:00Z", "YYYY-MM-DDTHH:MM:SSZ"),  # case 11: an unparsable date
        ("id", "a/../../b", "letters, digits"),
        ("file", "../../../../etc/hostname", "a plain file name"),
        ("format", "pickle", "one of pypi-top-json, toplist-csv"),  # case 11: the allowed ones listed
    ],
)
def test_case4_a_field_that_could_leave_its_root_is_refused(tmp_path: Path, field: str, value: str, allowed: str) -> None:
    _refused(_folder(tmp_path, _entry(**{field: value})), f"{field} = {value!r}", allowed)


def test_case4_a_file_linked_outside_the_folder_is_refused(tmp_path: Path) -> None:
    settings = _folder(tmp_path, _entry(file="linked.csv"))
    (tmp_path / "outside.csv").write_bytes(LIST)
    (settings.snapshots_dir / "linked.csv").symlink_to(tmp_path / "outside.csv")
    _refused(settings, "file = 'linked.csv'", "inside")


def test_case4_reproduce_refuses_an_escaping_registry_before_any_task(tmp_path: Path) -> None:
    settings = _folder(tmp_path, _entry(registry="../../../../escaped"))
    outputs = tmp_path / "deep" / "er" / "out"
    env = {"ARTIFACT_OUTPUTS": str(outputs), "ARTIFACT_SNAPSHOTS": str(settings.snapshots_dir),
           "ARTIFACT_EXTENDED_BASE": "sample", "ARTIFACT_OFFLINE": "1", "ARTIFACT_CACHE": str(tmp_path / "cache")}
    result = run_cli("reproduce", "--profile", "extended", env=env)
    assert result.returncode == 2, result.stdout + result.stderr
    assert "registry = '../../../../escaped'" in result.stderr
    assert not list(tmp_path.rglob("escaped*")) and not (outputs / "extended" / "tables").exists()


def test_case5_two_snapshots_with_one_id_are_refused(tmp_path: Path) -> None:
    settings = _folder(tmp_path, _entry(), _entry(retrieved="2025-02-01T00:00:00Z"))
    _refused(settings, "two snapshots have the id 'pypi-2025-01-01T000000Z'")


def test_case11_invalid_utf8_in_the_manifest_names_the_file_and_line(tmp_path: Path) -> None:
    settings = _folder(tmp_path)
    path = settings.snapshots_dir / "snapshots.toml"
    path.write_bytes(path.read_bytes().replace(b'source = "test"', b'source = "t\xffst"'))
    _refused(settings, "line 7", "UTF-8")


def test_case11_invalid_toml_names_the_file_and_line(tmp_path: Path) -> None:
    settings = _folder(tmp_path, _entry() + "top = = 3\n")
    _refused(settings, "line 14")


@pytest.mark.parametrize("loader", ["toplist-csv", "pypi-top-json", "npm-top-js"])
def test_case11_a_snapshot_file_that_is_not_utf8_names_the_file(tmp_path: Path, loader: str) -> None:
    path = tmp_path / "snapshot"
    path.write_bytes(b"name,downloads\nbad\xff\xfename,3\n")
    with pytest.raises(SchemaError, match=str(path)):
        SNAPSHOT_LOADERS[loader](path)
