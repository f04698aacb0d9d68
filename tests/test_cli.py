"""The command line in-process: exit codes, one-line errors, the same findings as the core."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from plandocs.cli import main

from .test_golden import GOLDEN


def project(tmp_path: Path, case: str, extra: str = "") -> Path:
    shutil.copytree(GOLDEN / case / "input", tmp_path / "docs")
    config = tmp_path / "mkdocs.yml"
    config.write_text(
        "site_name: t\n"
        "markdown_extensions:\n"
        "  - pymdownx.emoji:\n"
        "      emoji_index: !!python/name:material.extensions.emoji.twemoji\n"
        "plugins:\n  - search\n  - plandocs:\n      orders_dir: ''\n" + extra,
        encoding="utf-8",
    )
    return config


def test_check_clean_project_exits_zero(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["check", "-f", str(project(tmp_path, "frontmatter-variants"))]) == 0
    out, err = capsys.readouterr()
    assert out == ""
    assert "3 orders, 1 ADRs" in err and "0 errors, 0 warnings" in err


def test_check_reports_findings_and_exits_one(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["check", "-f", str(project(tmp_path, "broken"))]) == 1
    out, _ = capsys.readouterr()
    expected = (GOLDEN / "broken" / "diagnostics.txt").read_text(encoding="utf-8")
    # Same findings as the golden file, each line "file:line: level: message [code]".
    assert len(out.splitlines()) == len(expected.splitlines())
    assert (
        "docs/cycle.md:10: warning: ORDER-WRK-6-CP2-002 depends on ORDER-WRK-6-CP2-0003, "
        "which is not a known order; did you mean ORDER-WRK-6-CP2-003? [plandocs.unknown-ref]"
    ) in out.splitlines()


def test_check_json(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    main(["check", "-f", str(project(tmp_path, "adrs")), "--format", "json"])
    findings = json.loads(capsys.readouterr().out)
    assert {f["code"] for f in findings} >= {
        "plandocs.duplicate-adr-number",
        "plandocs.unknown-ref",
    }
    assert all(set(f) == {"code", "level", "file", "line", "message"} for f in findings)


def test_export_writes_planning_json(tmp_path: Path) -> None:
    target = tmp_path / "out.json"
    assert main(["export", "-f", str(project(tmp_path, "variants")), "-o", str(target)]) == 0
    data = json.loads(target.read_text(encoding="utf-8"))
    assert [o["id"] for o in data["orders"]] == ["ORDER-WRK-2-CP2-002", "ORDER-WRK-3-CP2-001"]


@pytest.mark.parametrize(
    ("config_text", "message"),
    [
        (None, "cannot read"),
        ("site_name: [x\n", "mkdocs.yml is not valid YAML"),
        (
            "plugins:\n  - plandocs:\n      order_id_pattern: 'ORDER-('\n",
            "not a valid regular expression",
        ),
    ],
)
def test_usage_errors_are_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], config_text: str | None, message: str
) -> None:
    config = tmp_path / "mkdocs.yml"
    if config_text is not None:
        config.write_text(config_text, encoding="utf-8")
    assert main(["check", "-f", str(config)]) == 2
    err = capsys.readouterr().err
    assert message in err
    assert len(err.strip().splitlines()) == 1
