"""``output_dir`` and ``export`` name places inside the built site: a value that leaves it
(``..``, an absolute file path) stops the build, ``plandocs check`` and ``plandocs export``
with one line, and nothing is written outside the site."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from plandocs.cli.main import main
from plandocs.core.settings import SettingsError, path_in_site, settings_from_options


@pytest.mark.parametrize(
    ("key", "raw", "folder", "expected"),
    [
        ("output_dir", "planning", True, "planning"),
        ("output_dir", "/planning/", True, "planning"),  # a leading / is the site's root
        ("output_dir", "./plans/./work", True, "plans/work"),
        ("output_dir", "plans//work", True, "plans/work"),
        ("export", "planning.json", False, "planning.json"),
        ("export", "./data/planning.json", False, "data/planning.json"),
        ("export", "data..json", False, "data..json"),  # dots in a name are no way up
    ],
)
def test_paths_inside_the_site_are_kept(key: str, raw: str, folder: bool, expected: str) -> None:
    assert path_in_site(key, raw, folder=folder) == expected


@pytest.mark.parametrize(
    ("key", "raw", "folder", "message"),
    [
        ("output_dir", "../..", True, "'output_dir' must stay inside the site, but '../..'"),
        ("output_dir", "..", True, "'output_dir' must stay inside the site"),
        ("output_dir", "a/../../b", True, "'output_dir' must stay inside the site"),
        ("output_dir", "a\\..\\..\\b", True, "'output_dir' must stay inside the site"),
        ("output_dir", "/", True, "'output_dir' must name a folder, like planning"),
        ("output_dir", "./.", True, "'output_dir' must name a folder, like planning"),
        ("export", "../x.json", False, "'export' must stay inside the site, but '../x.json'"),
        ("export", "data/../../x.json", False, "'export' must stay inside the site"),
        ("export", "/tmp/x.json", False, "'export' must name a file inside the site"),
        ("export", "C:\\x.json", False, "'export' must name a file inside the site"),
        ("export", "\\\\server\\x.json", False, "'export' must name a file inside the site"),
        ("export", "data/", False, "'export' must name a file inside the site"),
        ("export", ".", False, "'export' must name a file, like planning.json"),
    ],
)
def test_paths_out_of_the_site_are_refused(key: str, raw: str, folder: bool, message: str) -> None:
    with pytest.raises(SettingsError) as caught:
        path_in_site(key, raw, folder=folder)
    assert str(caught.value).startswith(message)
    assert "\n" not in str(caught.value)


def test_settings_check_export_and_output_dir() -> None:
    assert settings_from_options({"output_dir": "./plans/"}).output_dir == "plans"
    assert settings_from_options({"export": ""}).output_dir == "planning"  # '' turns it off
    for options in ({"export": "../x.json"}, {"output_dir": "../.."}, {"export": 5}):
        with pytest.raises(SettingsError):
            settings_from_options(options)


# --- end to end -----------------------------------------------------------------------------


def write_project(root: Path, options: str) -> Path:
    (root / "docs").mkdir(parents=True, exist_ok=True)
    (root / "docs" / "index.md").write_text("# Home\n", encoding="utf-8")
    (root / "orders").mkdir(exist_ok=True)
    (root / "orders" / "ORDER_A.md").write_text(
        "---\nid: ORDER-A-1\ntitle: A\n---\n# A\n", encoding="utf-8"
    )
    config = root / "mkdocs.yml"
    config.write_text(
        "site_name: t\ntheme:\n  name: material\nplugins:\n  - plandocs:\n" + options,
        encoding="utf-8",
    )
    return config


def build(config: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "-f", str(config)],
        capture_output=True,
        text=True,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
        check=False,
        timeout=300,
    )


def everything_under(folder: Path) -> set[str]:
    return {str(p.relative_to(folder)) for p in folder.rglob("*")}


@pytest.mark.parametrize(
    ("option", "message"),
    [
        ("export: ../x.json", "'export' must stay inside the site, but '../x.json' goes up"),
        ("export: ../../x.json", "'export' must stay inside the site"),
        ("export: {absolute}", "'export' must name a file inside the site, like planning.json"),
        ("output_dir: ../..", "'output_dir' must stay inside the site, but '../..' goes up"),
        ("output_dir: planning/../..", "'output_dir' must stay inside the site"),
    ],
)
def test_build_check_and_export_refuse_a_path_out_of_the_site(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], option: str, message: str
) -> None:
    root = tmp_path / "project"
    absolute = tmp_path / "absolute.json"
    config = write_project(root, f"      {option.format(absolute=absolute)}\n")
    before = everything_under(tmp_path)

    result = build(config)

    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert f"ERROR   -  plandocs: {message}" in result.stderr
    assert not absolute.exists()
    # nothing was written outside the project, and no page or export inside the site
    written = everything_under(tmp_path) - before
    assert all(name.startswith("project/") for name in written), written
    assert not any(name.endswith(".json") for name in written), written

    for command in (["check"], ["export", "-o", str(tmp_path / "named.json")]):
        assert main([*command, "-f", str(config)]) == 2
        err = capsys.readouterr().err
        (line,) = err.splitlines()
        assert line.startswith(f"plandocs: error: {config}: {message}")
    assert not (tmp_path / "named.json").exists()


def test_export_in_a_folder_of_the_site_is_written_there(tmp_path: Path) -> None:
    config = write_project(tmp_path, "      export: ./data/planning.json\n")

    result = build(config)

    assert result.returncode == 0, result.stderr
    exported = json.loads((tmp_path / "site" / "data" / "planning.json").read_text("utf-8"))
    assert [order["id"] for order in exported["orders"]] == ["ORDER-A-1"]
