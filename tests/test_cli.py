"""The command line in-process: exit codes, one-line errors, the same findings as the core."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from plandocs.cli.main import main

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
    assert err == "plandocs: 3 orders, 1 ADR, 3 phases in 4 files; 0 errors, 0 warnings\n"


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


def test_export_writes_where_the_build_keeps_planning_json_and_says_so(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Without -o, export writes the site's planning.json (site_dir is relative to
    mkdocs.yml, not to the working folder) and one line says where; -o - is for a pipe."""
    config = project(tmp_path, "variants")
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    monkeypatch.chdir(elsewhere)
    assert main(["export", "-f", str(config)]) == 0
    out, err = capsys.readouterr()
    written = tmp_path / "site" / "planning.json"
    assert out == ""
    assert err == f"plandocs: wrote {written} (2 orders, 0 ADRs, 1 phase)\n"
    assert json.loads(written.read_text(encoding="utf-8"))["orders"]
    # site_dir and the plugin's export option name the file, as for the build
    config.write_text(
        config.read_text(encoding="utf-8").replace(
            "site_name: t\n", "site_name: t\nsite_dir: out\n"
        )
        + "      export: data/plan.json\n",
        encoding="utf-8",
    )
    monkeypatch.chdir(tmp_path)
    assert main(["export"]) == 0
    assert (
        capsys.readouterr().err
        == "plandocs: wrote out/data/plan.json (2 orders, 0 ADRs, 1 phase)\n"
    )
    assert main(["export", "-o", "-"]) == 0
    out, err = capsys.readouterr()
    assert json.loads(out) == json.loads((tmp_path / "out/data/plan.json").read_text("utf-8"))
    assert err == ""


@pytest.mark.parametrize("command", ["", "check", "schema", "export", "fix-encoding"])
def test_help_is_written_for_users_with_exit_status(
    command: str, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) as exited:
        main([command, "--help"] if command else ["--help"])
    assert exited.value.code == 0
    text = " ".join(capsys.readouterr().out.split())
    assert "``" not in text and "adapter" not in text  # no reStructuredText, no internals
    if command:
        assert "Exit status: 0 " in text
        assert "a usage problem" in text
    else:
        assert "Run 'plandocs COMMAND --help' for a command's options and exit status." in text
    if command == "check":
        assert "1 errors or warnings found" in text


def test_fix_encoding_says_how_many_files_it_checked(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    for number in range(10):
        (tmp_path / f"order-{number}.md").write_text("# Clean\n", encoding="utf-8")
    assert main(["fix-encoding", str(tmp_path)]) == 0
    assert capsys.readouterr().err == "plandocs: nothing to repair; 10 files checked\n"


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


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="named pipes are POSIX")
def test_a_named_pipe_among_the_pages_is_a_finding_not_a_hang(tmp_path: Path) -> None:
    # opening a pipe for reading waits for a writer: check (and new, which reads the
    # project first) waited for ever
    config = project(tmp_path, "frontmatter-variants")
    os.mkfifo(tmp_path / "docs" / "pipe.md")
    done = subprocess.run(
        [sys.executable, "-m", "plandocs.cli.main", "check", "-f", str(config)],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 1
    assert done.stdout.splitlines() == [
        "docs/pipe.md: error: cannot read file: not a regular file (a named pipe, a device "
        "or a socket); it is left out of the site [plandocs.unreadable-file]"
    ]


@pytest.mark.parametrize("kind", ["pipe", "not-utf-8"])
def test_an_adr_dir_file_that_is_no_text_file_is_no_hang(tmp_path: Path, kind: str) -> None:
    # adr-tools' .adr-dir as a named pipe: "new adr" waited for a writer for ever
    config = project(tmp_path, "frontmatter-variants")
    if kind == "pipe":
        os.mkfifo(tmp_path / ".adr-dir")
    else:
        (tmp_path / ".adr-dir").write_bytes(b"d\xe9cisions\n")
    argv = ["new", "adr", "X", "--dry-run", "-f", str(config)]
    done = subprocess.run(
        [sys.executable, "-m", "plandocs.cli.main", *argv],
        capture_output=True,
        text=True,
        timeout=20,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("would write ")
