"""Mojibake at build time: a real ``mkdocs build --strict`` repairs every Markdown file before
parsing, reports each repaired file once (``plandocs.mojibake-repaired``, level set by the
``encoding_repair`` option) and never touches the sources; ``plandocs check`` reports the
same findings."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path

import ftfy.bad_codecs  # noqa: F401  (the sloppy codecs, to make broken text as Windows does)
import pytest

from plandocs.cli.main import main
from tests.test_config import build, write_project

CODE = "plandocs.mojibake-repaired"
BOM = b"\xef\xbb\xbf"
_PYTHON_CODECS = {"cp1252": "sloppy-windows-1252", "mac-roman": "mac_roman"}

ROUTER = """---
id: ORDER-WRK-5-CP2-010
title: Реализация роутера ✅
priority: 🔴 high
status: done
to: wrk-5
---
# ORDER-WRK-5-CP2-010: Реализация роутера

Готово — “quoted”.
"""
GATEWAY = """---
id: ORDER-WRK-4-CP2-011
title: Шлюз OpenResty — “ingress”
priority: 🔴 high
status: in progress
to: wrk-4
---
# ORDER-WRK-4-CP2-011: Шлюз OpenResty

Маршруты → upstream; статус 🚧.
"""
CLEAN = """---
id: ORDER-WRK-3-CP2-012
title: Чистый файл — “clean”
priority: low
status: todo
to: wrk-3
---
# ORDER-WRK-3-CP2-012: Чистый файл

Café, naïve – résumé… «ТОВАР», NBSP\u00a0here.
"""
NOTES = "# Заметки ✅\r\n\r\nПлан — “готов”.\r\nplain line\r\n"


@dataclass(frozen=True)
class Source:
    path: str  # relative to the project root, as diagnostics name it
    written: str  # as the team wrote it
    label: str | None  # the code page it was read with, None for a clean file
    bom: bool = False

    @property
    def on_disk(self) -> bytes:
        text = self.written
        if self.label is not None:
            text = text.encode("utf-8").decode(_PYTHON_CODECS[self.label])
        return (BOM if self.bom else b"") + text.encode("utf-8")

    @property
    def broken_lines(self) -> list[int]:
        now = self.on_disk.removeprefix(BOM).decode("utf-8").split("\n")
        return [
            n
            for n, (a, b) in enumerate(zip(now, self.written.split("\n"), strict=True), 1)
            if a != b
        ]


SOURCES = [
    Source("orders/ORDER_WRK_5_CP2_010.md", ROUTER, "cp1252"),
    Source("orders/ORDER_WRK_4_CP2_011.md", GATEWAY, "mac-roman"),
    Source("orders/ORDER_WRK_3_CP2_012.md", CLEAN, None),
    Source("docs/notes.md", NOTES, "cp1252", bom=True),
]
BROKEN = [source for source in SOURCES if source.label is not None]


@dataclass(frozen=True)
class Built:
    root: Path
    config: Path
    returncode: int
    log: str  # stderr: MkDocs' log
    output: str  # stdout and stderr
    before: dict[str, bytes]

    @property
    def site(self) -> Path:
        return self.root / "s"

    def page(self, uri: str) -> str:
        return (self.site / uri / "index.html").read_text(encoding="utf-8")

    def findings(self) -> list[str]:
        return [line for line in self.log.splitlines() if f"[{CODE}]" in line]


def build_project(root: Path, options: str, *flags: str) -> Built:
    config = write_project(root, options)
    for source in SOURCES:
        path = root / source.path
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(source.on_disk)
    before = snapshot(root)
    result = build(config, *flags)
    return Built(
        root, config, result.returncode, result.stderr, result.stdout + result.stderr, before
    )


def snapshot(root: Path) -> dict[str, bytes]:
    """Every file of the sources (docs/ and orders/), by path."""
    return {
        path.relative_to(root).as_posix(): path.read_bytes()
        for folder in ("docs", "orders")
        for path in sorted((root / folder).rglob("*"))
        if path.is_file()
    }


@pytest.fixture(scope="module")
def info(tmp_path_factory: pytest.TempPathFactory) -> Built:
    return build_project(tmp_path_factory.mktemp("info"), " {}\n", "--strict")


@pytest.fixture(scope="module")
def warning(tmp_path_factory: pytest.TempPathFactory) -> Built:
    options = "\n      encoding_repair: warning\n"
    return build_project(tmp_path_factory.mktemp("warning"), options, "--strict")


@pytest.fixture(scope="module")
def off(tmp_path_factory: pytest.TempPathFactory) -> Built:
    # Quoted: YAML 1.1 reads a bare off as False (see test_bare_off_turns_repair_off).
    # Not strict: the unrepaired cp1252 frontmatter holds a C1 control that YAML refuses.
    return build_project(tmp_path_factory.mktemp("off"), "\n      encoding_repair: 'off'\n")


def has_count(text: str, number: int, noun: str) -> bool:
    return re.search(rf"(?<!\d){number} {noun}{'' if number == 1 else 's'}\b", text) is not None


def check(config: Path, capsys: pytest.CaptureFixture[str], *flags: str) -> tuple[int, list[str]]:
    """``plandocs check`` in-process: exit code and the mojibake findings it prints."""
    code = main(["check", "-f", str(config), *flags])
    out = capsys.readouterr().out
    return code, [line for line in out.splitlines() if f"[{CODE}]" in line]


def without_level(line: str, level: str) -> str:
    """A ``check`` line as the build logs it: ``file:line: message [code]``."""
    place, found, rest = line.partition(f": {level}: ")
    assert found, line
    return f"{place}: {rest}"


# --- encoding_repair: info (the default) -------------------------------------------------


def test_strict_build_succeeds_by_default(info: Built) -> None:
    assert info.returncode == 0, info.log
    assert "Traceback" not in info.log
    assert "WARNING" not in info.log


@pytest.mark.parametrize("source", BROKEN, ids=lambda s: s.path)
def test_each_repaired_file_is_logged_once_at_info(info: Built, source: Source) -> None:
    mine = [line for line in info.findings() if f" {source.path}:" in line]
    assert len(mine) == 1, info.findings()
    first, count = source.broken_lines[0], len(source.broken_lines)
    assert mine[0].startswith(f"INFO    -  plandocs: {source.path}:{first}: ")
    assert has_count(mine[0], count, "line")
    assert source.label is not None
    assert re.search(rf"\b{source.label}\b", mine[0])


def test_only_broken_files_are_logged(info: Built) -> None:
    assert len(info.findings()) == len(BROKEN)
    assert not any("ORDER_WRK_3_CP2_012" in line for line in info.findings())


@pytest.mark.parametrize(
    ("uri", "wanted", "mojibake"),
    [
        ("orders/ORDER_WRK_5_CP2_010", ["Реализация роутера ✅", "Готово — “quoted”."], "Ð"),
        (
            "orders/ORDER_WRK_4_CP2_011",
            ["Шлюз OpenResty — “ingress”", "Маршруты → upstream; статус 🚧."],
            "–",
        ),
        ("notes", ["Заметки ✅", "План — “готов”."], "Ð"),
        ("orders/ORDER_WRK_3_CP2_012", ["Café, naïve – résumé… «ТОВАР», NBSP\u00a0here."], "Ã"),
    ],
)
def test_pages_show_the_repaired_text(
    info: Built, uri: str, wanted: list[str], mojibake: str
) -> None:
    html = info.page(uri)
    for text in wanted:
        assert text in html
    assert mojibake not in html
    assert "â€" not in html


def test_planning_json_holds_the_repaired_fields(info: Built) -> None:
    data = json.loads((info.site / "planning.json").read_text(encoding="utf-8"))
    orders = {order["id"]: order for order in data["orders"]}
    assert {k: orders["ORDER-WRK-5-CP2-010"][k] for k in ("title", "priority", "status")} == {
        "title": "Реализация роутера ✅",
        "priority": "high",
        "status": "done",
    }
    assert orders["ORDER-WRK-4-CP2-011"]["title"] == "Шлюз OpenResty — “ingress”"
    assert orders["ORDER-WRK-4-CP2-011"]["priority"] == "high"
    assert orders["ORDER-WRK-3-CP2-012"]["title"] == "Чистый файл — “clean”"
    found = {d["file"]: d for d in data["diagnostics"] if d["code"] == CODE}
    assert set(found) == {source.path for source in BROKEN}
    assert {d["level"] for d in found.values()} == {"info"}


def test_build_leaves_the_sources_byte_for_byte(info: Built) -> None:
    assert snapshot(info.root) == info.before
    assert info.before["docs/notes.md"].startswith(BOM)


def test_check_reports_the_same_findings_with_verbose(
    info: Built, capsys: pytest.CaptureFixture[str]
) -> None:
    code, quiet = check(info.config, capsys)
    assert (code, quiet) == (0, [])

    code, verbose = check(info.config, capsys, "--verbose")
    assert code == 0
    logged = [line.removeprefix("INFO    -  plandocs: ") for line in info.findings()]
    assert sorted(without_level(line, "info") for line in verbose) == sorted(logged)


# --- encoding_repair: warning ------------------------------------------------------------


def test_warning_level_fails_the_strict_build(warning: Built) -> None:
    assert warning.returncode != 0
    assert "Traceback" not in warning.log
    findings = warning.findings()
    assert len(findings) == len(BROKEN)
    assert all(line.startswith("WARNING -  plandocs: ") for line in findings)
    assert {line.split(": ")[1].rsplit(":", 1)[0] for line in findings} == {
        source.path for source in BROKEN
    }
    assert re.search(rf"Aborted with {len(BROKEN)} warnings in strict mode", warning.output)


def test_warning_level_makes_check_exit_1(
    warning: Built, capsys: pytest.CaptureFixture[str]
) -> None:
    code, found = check(warning.config, capsys)
    assert code == 1
    logged = [line.removeprefix("WARNING -  plandocs: ") for line in warning.findings()]
    assert sorted(without_level(line, "warning") for line in found) == sorted(logged)


# --- encoding_repair: off ----------------------------------------------------------------


def test_off_keeps_the_mojibake_and_reports_nothing(
    off: Built, capsys: pytest.CaptureFixture[str]
) -> None:
    assert off.returncode == 0, off.log
    assert "Traceback" not in off.log
    assert off.findings() == []
    assert CODE not in off.log
    html = off.page("orders/ORDER_WRK_5_CP2_010")
    assert "Ð“Ð¾Ñ‚Ð¾Ð²Ð¾ â€” â€œquotedâ€" in html
    assert "Готово" not in html
    html = off.page("orders/ORDER_WRK_4_CP2_011")
    assert "–®–ª—é–∑ OpenResty" in html
    assert "Шлюз" not in html
    assert "Готов" not in off.page("notes")
    assert snapshot(off.root) == off.before

    code, found = check(off.config, capsys, "--verbose")
    assert found == []
    # Unrepaired, the cp1252 frontmatter holds a C1 control ("я" read as "Ñ\x8f"): YAML
    # refuses it, which the build reports and check counts.
    assert code == 1
    assert any(
        "[plandocs.yaml-error]" in line
        and line.startswith("ERROR   -  plandocs: orders/ORDER_WRK_5")
        for line in off.log.splitlines()
    )


def test_bare_off_turns_repair_off(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    # YAML reads a bare `off` as false; it still means off. (The Mac Roman file: unrepaired,
    # its frontmatter still parses.)
    config = write_project(tmp_path, "\n      encoding_repair: off\n")
    source = BROKEN[1]
    (tmp_path / source.path).parent.mkdir(parents=True, exist_ok=True)
    (tmp_path / source.path).write_bytes(source.on_disk)

    code, found = check(config, capsys, "--verbose")
    assert (code, found) == (0, [])

    result = build(config, "--strict")
    assert result.returncode == 0, result.stderr
    assert CODE not in result.stderr


# --- a value that is not a choice --------------------------------------------------------


def test_unknown_level_is_a_one_line_config_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    config = write_project(tmp_path, "\n      encoding_repair: loud\n")

    result = build(config, "--strict")

    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    errors = [line for line in result.stderr.splitlines() if line.startswith("ERROR")]
    assert len(errors) == 1
    assert "encoding_repair" in errors[0]
    assert "loud" in errors[0]
    assert not (tmp_path / "s").exists()

    assert main(["check", "-f", str(config)]) == 2
    err = capsys.readouterr().err
    assert len(err.strip().splitlines()) == 1
    assert "'encoding_repair' must be one of info, warning, off, not 'loud'" in err
