"""Options are checked once, in the core: the plugin and the CLI accept and refuse the same
values, each refusal one line and never a traceback."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from plandocs.cli.common import plugin_options
from plandocs.cli.main import main
from plandocs.core.parse.fields import order_refs
from plandocs.core.settings import Settings, SettingsError, options_markdown, settings_from_options
from plandocs.mkdocs.build import ShownPaths
from plandocs.mkdocs.plugin import PlandocsConfig
from plandocs.project.load import shown_path

BAD_OPTIONS = [
    ({"languages": "ru"}, "'languages' must be a list of text values"),
    ({"phase_titles": ["a", "b"]}, "'phase_titles' must map phase IDs to titles"),
    ({"field_aliases": ["assignee"]}, "'field_aliases' must map field names to fields"),
    ({"field_aliases": {"who": "boss"}}, "'field_aliases' maps 'who' to 'boss', which is no"),
    ({"summary_heading_level": 7}, "'summary_heading_level' must be a whole number from 1 to 6"),
    ({"adr_id_width": 0}, "'adr_id_width' must be a whole number from 1 to 9"),
    ({"output_dir": "/"}, "'output_dir' must name a folder"),
    ({"order_id_pattern": "ORDER-("}, "'order_id_pattern' is not a valid regular expression"),
    ({"order_id_pattern": 5}, "'order_id_pattern' must be text, not int"),
    ({"output_dir": 5}, "'output_dir' must be text, not int"),
    ({"encoding_repair": "loud"}, "'encoding_repair' must be one of info, warning, off"),
    ({"encoding_repair": True}, "'encoding_repair' must be one of info, warning, off"),
    ({"external_ids": "JIRA-.*"}, "'external_ids' must be a list of text values"),
    ({"external_ids": ["JIRA-("]}, "'external_ids' holds 'JIRA-\\(', not a valid regular"),
    # a phase names its page: "../x" linked out of the site to a page never written
    ({"phase_titles": {"../../x": "X"}}, "'phase_titles' has '../../x', which is no phase ID"),
    ({"phase_titles": {"..": "X"}}, "'phase_titles' has '..', which is no phase ID"),
    ({"phase_titles": {"a\\b": "X"}}, "'phase_titles' has 'a\\\\b', which is no phase ID"),
]


@pytest.mark.parametrize(("options", "message"), BAD_OPTIONS)
def test_settings_refuse_bad_values(options: dict[str, object], message: str) -> None:
    with pytest.raises(SettingsError, match=message):
        settings_from_options(options)


@pytest.mark.parametrize(
    ("stem", "lang"),
    [("ORDER_A_(", "("), ("ORDER_A_C++", "c++"), ("ORDER_A_B", None), ("ORDER_A_RU", "ru")],
)
def test_language_codes_are_text(stem: str, lang: str | None) -> None:
    # a code was read as a regular expression: "(" stopped the build and the check with a
    # traceback, "B|.*" made every file a translation
    settings = settings_from_options({"languages": ["(", "c++", "B|.*", "ru"]})
    found = settings.language_re.search(stem)
    assert (found.group("lang").lower() if found else None) == lang


def test_capture_groups_in_the_id_pattern_do_not_cut_ids() -> None:
    settings = settings_from_options({"order_id_pattern": "ORDER-(WRK)-[0-9]+-CP[0-9]-[0-9]+"})
    assert order_refs(["after ORDER-WRK-1-CP2-001"], settings) == (("ORDER-WRK-1-CP2-001",), ())


def write_project(root: Path, options: str, *, docs: bool = True) -> Path:
    if docs:
        (root / "docs").mkdir(parents=True, exist_ok=True)
        (root / "docs" / "index.md").write_text("# Home\n", encoding="utf-8")
    config = root / "mkdocs.yml"
    config.write_text(
        "site_name: t\ntheme:\n  name: material\nplugins:\n  - plandocs:" + options,
        encoding="utf-8",
    )
    return config


def build(config: Path, *flags: str) -> subprocess.CompletedProcess[str]:
    """``mkdocs build`` of a project into its ``s/`` folder (flags such as ``--strict``)."""
    return subprocess.run(
        [
            sys.executable,
            "-m",
            "mkdocs",
            "build",
            *flags,
            "-f",
            str(config),
            "-d",
            str(config.parent / "s"),
        ],
        capture_output=True,
        text=True,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
        check=False,
    )


@pytest.mark.parametrize(
    ("options", "in_build", "in_check"),
    [
        (
            "\n      summary_heading_level: 7\n",
            "ERROR   -  plandocs: 'summary_heading_level' must be a whole number",
            "'summary_heading_level' must be a whole number from 1 to 6",
        ),
        (
            "\n      output_dir: ''\n",
            "ERROR   -  plandocs: 'output_dir' must name a folder",
            "'output_dir' must name a folder",
        ),
        (
            "\n      orders_dir: plans\n",
            "ERROR   -  plandocs: 'orders_dir' is 'plans', but there is no such folder",
            "'orders_dir' is 'plans', but there is no such folder",
        ),
        (  # MkDocs' own type check words it differently; both refuse it
            "\n      output_dir: 5\n",
            "Expected type: <class 'str'> but received: <class 'int'>",
            "'output_dir' must be text, not int",
        ),
        (
            "\n      phase_titles: {CP2: 2}\n",
            "Expected type: <class 'str'> but received: <class 'int'>",
            "'phase_titles' must map phase IDs to titles",
        ),
        (
            "\n      gfm_lists: 'yes'\n",
            "Expected type: <class 'bool'> but received: <class 'str'>",
            "'gfm_lists' must be bool, not str",
        ),
        (
            "\n      missing_dot: maybe\n",
            "Expected one of: ('error', 'source') but received: 'maybe'",
            "'missing_dot' must be one of error, source, not 'maybe'",
        ),
        (
            "\n      diagram_limit: 1\n",
            "'diagram_limit' must be a whole number from 2 to 100000",
            "'diagram_limit' must be a whole number from 2 to 100000",
        ),
        (  # an option of the page workers, which are gone
            "\n      workers: 1\n",
            "Unrecognised configuration name: workers",
            "plugin 'plandocs' has no option 'workers'",
        ),
        (
            "\n      colour: red\n",
            "Unrecognised configuration name: colour",
            "plugin 'plandocs' has no option 'colour'",
        ),
        (
            "\n        - a\n",
            "Invalid config options for the 'plandocs' plugin",
            "the options of plugin 'plandocs' must be a mapping",
        ),
    ],
)
def test_build_and_check_refuse_the_same_options(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    options: str,
    in_build: str,
    in_check: str,
) -> None:
    config = write_project(tmp_path, options)
    result = build(config, "--strict")
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert in_build in result.stderr
    assert main(["check", "-f", str(config)]) == 2
    err = capsys.readouterr().err
    assert in_check in err
    assert len(err.strip().splitlines()) == 1


def test_broken_template_override_is_one_line(tmp_path: Path) -> None:
    (tmp_path / "overrides").mkdir()
    (tmp_path / "overrides" / "orders.md").write_text("# {{ o.nope }}\n", encoding="utf-8")
    config = write_project(tmp_path, "\n      templates_dir: overrides\n")
    result = build(config)
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert "ERROR   -  plandocs: template orders.md: 'o' is undefined" in result.stderr


def test_cli_follows_inherit_and_env(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "plans").mkdir()
    (tmp_path / "plans" / "ORDER_A.md").write_text(
        "---\nid: ORDER-A-1\n---\n# A\n", encoding="utf-8"
    )
    (tmp_path / "base.yml").write_text(
        "site_name: !ENV [SITE_NAME, t]\nplugins:\n  - plandocs:\n      orders_dir: !ENV PLANS\n",
        encoding="utf-8",
    )
    (tmp_path / "docs").mkdir()
    config = tmp_path / "mkdocs.yml"
    config.write_text("INHERIT: base.yml\ndocs_dir: docs\n", encoding="utf-8")
    os.environ["PLANS"] = "plans"
    try:
        assert main(["check", "-f", str(config)]) == 0
    finally:
        del os.environ["PLANS"]
    assert "1 order, " in capsys.readouterr().err


def test_export_to_a_missing_folder_is_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    config = write_project(tmp_path, " {}\n")
    assert main(["export", "-f", str(config), "-o", str(tmp_path / "no" / "x.json")]) == 2
    assert "cannot write" in capsys.readouterr().err


def test_check_accepts_every_option_the_build_accepts() -> None:
    assert set(_DEFAULTS) == {name for name, _ in PlandocsConfig._schema}
    assert plugin_options({"plugins": [{"plandocs": _DEFAULTS}]}) == _DEFAULTS


# a valid value of every option, as a user would write it in mkdocs.yml
_DEFAULTS: dict[str, object] = {
    "orders_dir": "orders",
    "output_dir": "planning",
    "order_id_pattern": "ORDER-[0-9]+",
    "order_file_pattern": "ORDER_.*\\.md",
    "adr_file_pattern": "ADR-(?P<number>[0-9]+).*\\.md",
    "phase_pattern": "CP[0-9]+",
    "task_id_pattern": "CP[0-9]+-[A-Z]+-[0-9]+",
    "adr_id_width": 3,
    "adr_statuses": ["implemented"],
    "phase_states": ["LC"],
    "phase_titles": {"CP2": "Core"},
    "field_aliases": {"assigned_people": "owner"},
    "languages": ["ru"],
    "summary_heading_level": 2,
    "external_ids": ["JIRA-[0-9]+"],
    "encoding_repair": "off",
    "templates_dir": "overrides",
    "export": "planning.json",
    "gfm_lists": True,
    "nav": True,
    "page_cache": True,
    "nav_cache": False,
    "diagram_limit": 400,
    "missing_dot": "source",
    "dot_timeout": 30,
    "schedule_start": "2025-02-03",
    "holidays": ["2025-12-25"],
    "history": False,
    "changes_since": "30 days",
}


def test_shown_paths_match_the_core_with_folders_resolved_once(tmp_path: Path) -> None:
    """The plugin resolves each folder once a build; the paths it shows are the core's:
    relative to the project root, through a linked folder or file, and absolute outside."""
    root = tmp_path / "project"
    (root / "docs" / "orders").mkdir(parents=True)
    outside = tmp_path / "elsewhere"
    outside.mkdir()
    (outside / "far.md").write_text("x", encoding="utf-8")
    (root / "docs" / "orders" / "a.md").write_text("x", encoding="utf-8")
    (root / "docs" / "linked").symlink_to(root / "docs" / "orders")
    (root / "docs" / "file-link.md").symlink_to(root / "docs" / "orders" / "a.md")
    (root / "docs" / "out").symlink_to(outside)
    shown = ShownPaths(root.resolve())
    for relative in ("orders/a.md", "linked/a.md", "file-link.md", "out/far.md"):
        path = root / "docs" / relative
        assert shown(str(path)) == shown_path(root, path), relative
    assert shown(str(root / "docs" / "linked" / "a.md")) == "docs/orders/a.md"
    assert len(shown.folders) == 3  # orders, linked, out: docs itself not needed


def test_the_options_page_is_the_options_table(capsys: pytest.CaptureFixture[str]) -> None:
    """docs/guide/options.md is made by `plandocs options --markdown` from ``OPTIONS``."""
    page = Path(__file__).parents[1] / "docs" / "guide" / "options.md"
    assert page.read_text(encoding="utf-8") == options_markdown()
    assert main(["options", "--markdown"]) == 0
    assert capsys.readouterr().out == options_markdown()
    assert main(["options"]) == 0
    listed = capsys.readouterr().out
    assert "diagram_limit (whole number, default 400)\n    The most orders" in listed
    assert "missing_dot (one of: error, source, default 'error')" in listed


def test_the_build_s_defaults_are_the_core_s() -> None:
    """Each default is written once, in ``Settings`` or ``OPTIONS``: the MkDocs config class
    made from the table gives the core its own defaults."""
    config = PlandocsConfig()
    config.load_dict({})
    assert config.validate() == ([], [])
    assert settings_from_options(dict(config)) == Settings()
    assert config["diagram_limit"] == Settings().diagram_limit
    assert {name: config[name] for name in ("export", "dot_timeout", "missing_dot")} == {
        "export": "planning.json",
        "dot_timeout": 30.0,
        "missing_dot": "error",
    }


def test_a_broken_card_override_is_one_line(tmp_path: Path) -> None:
    """Cards are finished late (on_post_page): a broken override there is one line too."""
    (tmp_path / "overrides").mkdir()
    (tmp_path / "overrides" / "card.html").write_text("{{ o.nope }}\n", encoding="utf-8")
    config = write_project(tmp_path, "\n      templates_dir: overrides\n")
    (tmp_path / "docs" / "a.md").write_text("---\nid: ORDER-A-1\n---\n# A\n", encoding="utf-8")
    result = build(config)
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert "ERROR   -  plandocs: template card.html:" in result.stderr


@pytest.mark.parametrize("blocked", ["templates", "parsed"])
def test_a_cache_that_cannot_be_written_builds_as_without_it(tmp_path: Path, blocked: str) -> None:
    """A file where a cache folder should be (as on a read-only checkout): the site is the
    one a build without that cache writes."""
    config = write_project(tmp_path, " {}\n")
    (tmp_path / "docs" / "a.md").write_text("---\nid: ORDER-A-1\n---\n# A\n", encoding="utf-8")
    (tmp_path / ".cache" / "plandocs").mkdir(parents=True)
    (tmp_path / ".cache" / "plandocs" / blocked).write_text("not a folder", encoding="utf-8")
    result = build(config, "--strict")
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    assert "ORDER-A-1" in (tmp_path / "s" / "a" / "index.html").read_text(encoding="utf-8")


def test_a_diagram_cache_that_cannot_be_made_is_one_line(tmp_path: Path) -> None:
    config = write_project(tmp_path, "\n      page_cache: false\n")
    (tmp_path / "docs" / "a.md").write_text(
        "---\nid: ORDER-A-1\n---\n# A\n\n```dot\ndigraph { a -> b }\n```\n", encoding="utf-8"
    )
    (tmp_path / ".cache").mkdir()
    (tmp_path / ".cache" / "plandocs").write_text("not a folder", encoding="utf-8")
    result = build(config)
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert "ERROR   -  plandocs: the diagram cache cannot be used:" in result.stderr
