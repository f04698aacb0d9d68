"""``plandocs fix-encoding``: report mojibake (exit 1), repair it in place with ``--write``
(only the broken lines change; BOM, line endings and permissions kept; atomic), refuse what
it must not touch (exit 2, file left as it was), and repair stdin to stdout."""

from __future__ import annotations

import os
import re
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from plandocs.cli.main import main
from tests.corpus.mojibake import mojibake

# The two summaries the team first sent, byte for byte as they arrived (mojibake included).
SEEDS = Path(__file__).resolve().parent / "fixtures" / "seeds"
BOM = b"\xef\xbb\xbf"
_CORPUS_CODECS = {"cp1252": "cp1252", "mac-roman": "mac_roman"}

# Clean lines with the characters mojibake is made of: they must come out byte for byte.
CLEAN_LINES = [
    "plain ASCII line",
    "NBSP\u00a0here, “curly” and ‘single’ quotes, café, naïve – résumé…",
    "Готово, без ошибок: «ТОВАР» — 5 шт.",
    "ΔT = 3 °C, ± 0.5 µm, x ≥ 2",
    "box: ├── a │ └── b",
]
# (line as the team wrote it, code page it was read with)
BROKEN_LINES = [
    ("# Реализация роутера ✅", "cp1252"),
    ("Готово — “quoted”.", "cp1252"),
    ("**Priority**: 🔴 high", "mac-roman"),
    ("Zażółć gęślą jaźń", "mac-roman"),
]


def broken(text: str, label: str) -> str:
    """``text`` saved as UTF-8 and read back with the code page ``label``."""
    return mojibake(text, _CORPUS_CODECS[label])


def fix(capsys: pytest.CaptureFixture[str], *args: str | Path) -> tuple[int, str, str]:
    """``plandocs fix-encoding ARGS`` in-process: exit code, stdout, stderr."""
    code = main(["fix-encoding", *map(str, args)])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def listing(folder: Path) -> list[str]:
    """Every name in ``folder``, dot files included (temporary files start with a dot)."""
    return sorted(path.name for path in folder.iterdir())


def summary(err: str) -> str:
    """The one summary line on stderr."""
    lines = [line for line in err.splitlines() if line.startswith("plandocs: ")]
    assert len(lines) == 1, err
    return lines[0]


def has_count(text: str, number: int, noun: str) -> bool:
    return re.search(rf"(?<!\d){number} {noun}{'' if number == 1 else 's'}\b", text) is not None


def mixed_document() -> tuple[str, str, list[int]]:
    """A document of broken and clean lines: (as on disk, as written, broken line numbers)."""
    on_disk, written, numbers = [], [], []
    for index, clean in enumerate(CLEAN_LINES):
        on_disk.append(clean)
        written.append(clean)
        if index < len(BROKEN_LINES):
            text, label = BROKEN_LINES[index]
            on_disk.append(broken(text, label))
            written.append(text)
            numbers.append(len(on_disk))
    return "\n".join(on_disk) + "\n", "\n".join(written) + "\n", numbers


# --- report mode ---------------------------------------------------------------------------


@pytest.mark.parametrize(("text", "label"), BROKEN_LINES)
def test_report_names_the_line_with_before_and_after(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], text: str, label: str
) -> None:
    path = tmp_path / "page.md"
    data = f"# Page\n\nclean “line”\n{broken(text, label)}\nlast\n".encode()
    path.write_bytes(data)

    code, out, err = fix(capsys, path)

    assert code == 1
    assert out == f"{path}:4: {label}: {broken(text, label)}  →  {text}\n"
    line = summary(err)
    assert has_count(line, 1, "line")
    assert has_count(line, 1, "file")
    assert "--write" in line
    assert path.read_bytes() == data
    assert listing(tmp_path) == ["page.md"]


def test_report_lists_every_broken_line_of_a_document(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    on_disk, _, numbers = mixed_document()
    path = tmp_path / "mixed.md"
    path.write_text(on_disk, encoding="utf-8")

    code, out, err = fix(capsys, path)

    assert code == 1
    expected = [
        f"{path}:{number}: {label}: {broken(text, label)}  →  {text}"
        for number, (text, label) in zip(numbers, BROKEN_LINES, strict=True)
    ]
    assert out.splitlines() == expected
    assert has_count(summary(err), len(numbers), "line")
    assert path.read_text(encoding="utf-8") == on_disk


def test_clean_file_exits_0_and_prints_only_the_summary(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "clean.md"
    data = ("\n".join(CLEAN_LINES) + "\n").encode()
    path.write_bytes(data)

    for args in ((path,), ("--write", path)):
        code, out, err = fix(capsys, *args)
        assert code == 0
        assert out == ""
        line = summary(err)
        # nothing found, and the file was looked at ("0 lines in 0 files" read as if not)
        assert line.startswith("plandocs: nothing to repair; ")
        assert has_count(line, 1, "file") and "checked" in line
        assert not has_count(line, 1, "line")
        assert err == line + "\n"
    assert path.read_bytes() == data


# --- --write -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "codec", "label"),
    [
        ("CP2_ORDERS_SUMMARY.md", "cp1252", "cp1252"),
        ("CP3_ORDERS_SUMMARY.md", "mac_roman", "mac-roman"),
    ],
)
def test_write_brings_the_seeds_back_as_the_team_wrote_them(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], name: str, codec: str, label: str
) -> None:
    seed = (SEEDS / name).read_bytes()
    original = seed.decode("utf-8").encode(codec)  # the bytes the team saved
    changed = [
        number
        for number, (now, then) in enumerate(
            zip(seed.split(b"\n"), original.split(b"\n"), strict=True), 1
        )
        if now != then
    ]
    assert changed
    path = tmp_path / name
    path.write_bytes(seed)

    # Report mode names exactly the lines that differ from what was written.
    code, out, _ = fix(capsys, path)
    assert code == 1
    assert [int(line.split(":")[1]) for line in out.splitlines()] == changed

    code, out, err = fix(capsys, "--write", path)
    assert code == 0
    assert out == f"{path}: repaired {len(changed)} lines ({label})\n"
    assert has_count(summary(err), len(changed), "line")
    assert path.read_bytes() == original
    assert listing(tmp_path) == [name]

    # Idempotent: a second write, and a report, find nothing.
    code, out, _ = fix(capsys, "--write", path)
    assert (code, out) == (0, "")
    code, out, _ = fix(capsys, path)
    assert (code, out) == (0, "")
    assert path.read_bytes() == original


def test_write_keeps_bom_crlf_and_every_clean_line_byte_for_byte(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    on_disk, written, numbers = mixed_document()
    path = tmp_path / "crlf.md"
    data = BOM + on_disk.replace("\n", "\r\n").encode()
    path.write_bytes(data)

    # Report mode shows the lines without their CR.
    code, out, _ = fix(capsys, path)
    assert code == 1
    assert "\r" not in out
    assert [int(line.split(":")[1]) for line in out.splitlines()] == numbers

    code, out, _ = fix(capsys, "--write", path)
    assert code == 0
    assert out == f"{path}: repaired {len(numbers)} lines (cp1252, mac-roman)\n"

    result = path.read_bytes()
    assert result == BOM + written.replace("\n", "\r\n").encode()
    assert result.count(b"\n") == result.count(b"\r\n")
    before, after = data[len(BOM) :].split(b"\r\n"), result[len(BOM) :].split(b"\r\n")
    assert len(before) == len(after)
    for number, (old, new) in enumerate(zip(before, after, strict=True), 1):
        if number in numbers:
            assert old != new
        else:
            assert old == new, f"clean line {number} changed"

    code, out, _ = fix(capsys, "--write", path)
    assert (code, out) == (0, "")
    assert path.read_bytes() == result


def test_write_keeps_mixed_line_endings(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "mixed.md"
    mojibake = broken("Готово ✅", "cp1252")
    path.write_bytes(f"a\r\n{mojibake}\nb “c”\r\n{mojibake}\r\nend".encode())

    assert fix(capsys, "--write", path)[0] == 0

    assert path.read_bytes() == "a\r\nГотово ✅\nb “c”\r\nГотово ✅\r\nend".encode()


@pytest.mark.parametrize("mode", [0o640, 0o600, 0o755])
def test_write_keeps_permissions_and_leaves_no_temporary_file(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], mode: int
) -> None:
    path = tmp_path / "page.md"
    path.write_text(broken("Статус: готово ✅", "cp1252") + "\n", encoding="utf-8")
    path.chmod(mode)

    code, out, _ = fix(capsys, "--write", path)

    assert code == 0
    assert out == f"{path}: repaired 1 line (cp1252)\n"
    assert path.read_text(encoding="utf-8") == "Статус: готово ✅\n"
    assert stat.S_IMODE(path.stat().st_mode) == mode
    assert listing(tmp_path) == ["page.md"]


# --- refusals ----------------------------------------------------------------------------


def test_read_only_file_is_refused_and_left_as_it_was(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # The suite may run as root, who can write anyway: the product refuses by mode bits.
    locked, other = tmp_path / "locked.md", tmp_path / "other.md"
    data = (broken("Готово — “quoted”.", "cp1252") + "\n").encode()
    locked.write_bytes(data)
    other.write_bytes(data)
    locked.chmod(0o444)

    code, out, err = fix(capsys, "--write", locked, other)

    assert code == 2
    errors = [line for line in err.splitlines() if "error" in line]
    assert len(errors) == 1
    assert errors[0].startswith(f"{locked}: error: ")
    assert "read-only" in errors[0]
    assert locked.read_bytes() == data
    assert stat.S_IMODE(locked.stat().st_mode) == 0o444
    # The other file is still repaired, and the run reports it.
    assert out == f"{other}: repaired 1 line (cp1252)\n"
    assert other.read_text(encoding="utf-8") == "Готово — “quoted”.\n"
    assert listing(tmp_path) == ["locked.md", "other.md"]


def test_read_only_file_is_only_reported_without_write(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "locked.md"
    path.write_text(broken("🔴 high", "cp1252") + "\n", encoding="utf-8")
    path.chmod(0o444)

    code, out, err = fix(capsys, path)

    assert code == 1
    assert out == f"{path}:1: cp1252: {broken('🔴 high', 'cp1252')}  →  🔴 high\n"
    assert "error" not in err


@pytest.mark.parametrize(
    ("data", "where", "words"),
    [
        (b"# Logo\x89PNG\x00\x00 \xc3\xb0\xc5\xb8\xe2\x80\x9d\xc2\xb4\n", "", "NUL byte"),
        (b"# Caf\xc3\xa9\ncaf\xe9 \xc3\xb0\xc5\xb8\n", ":2", "not UTF-8"),
    ],
    ids=["binary", "latin-1"],
)
def test_file_that_is_not_utf8_text_is_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], data: bytes, where: str, words: str
) -> None:
    path = tmp_path / "page.md"
    path.write_bytes(data)

    for flags in ([], ["--write"]):
        code, out, err = fix(capsys, *flags, path)

        assert code == 2
        assert out == ""
        errors = [line for line in err.splitlines() if " error: " in line]
        assert len(errors) == 1
        assert errors[0].startswith(f"{path}{where}: error: ")
        assert words in errors[0]
        assert "left as it was" in errors[0]
        assert "Traceback" not in err
        assert path.read_bytes() == data
        assert listing(tmp_path) == ["page.md"]


def test_missing_path_is_one_line_exit_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    missing = tmp_path / "nope.md"

    code, out, err = fix(capsys, "--write", missing)

    assert code == 2
    assert out == ""
    assert len(err.splitlines()) == 1
    assert str(missing) in err
    assert "no such file" in err
    assert listing(tmp_path) == []


# --- folders -----------------------------------------------------------------------------


def test_folder_is_walked_for_markdown_skipping_dot_folders(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    mojibake = (broken("Готово ✅", "cp1252") + "\n").encode()
    files = {
        "a.md": True,
        "sub/b.md": True,
        "sub/deeper/c.md": True,
        "clean.md": False,
        ".hidden/d.md": False,
        "sub/.cache/e.md": False,
        "notes.txt": False,
        "sub/page.html": False,
    }
    for name in files:
        path = tmp_path / "docs" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(b"clean\n" if name == "clean.md" else mojibake)
    docs = tmp_path / "docs"
    wanted = sorted(str(docs / name) for name, repaired in files.items() if repaired)

    code, out, _ = fix(capsys, docs)
    assert code == 1
    assert sorted(line.split(":")[0] for line in out.splitlines()) == wanted

    code, out, err = fix(capsys, "--write", docs)
    assert code == 0
    assert sorted(out.splitlines()) == [f"{name}: repaired 1 line (cp1252)" for name in wanted]
    assert has_count(summary(err), 3, "file")
    for name, repaired in files.items():
        data = (docs / name).read_bytes()
        if repaired:
            assert data == "Готово ✅\n".encode()
        elif name != "clean.md":
            assert data == mojibake, f"{name} was touched"


# --- stdin -------------------------------------------------------------------------------


def run_stdin(data: bytes) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run(
        [sys.executable, "-m", "plandocs.cli.main", "fix-encoding", "-"],
        input=data,
        capture_output=True,
        check=False,
        timeout=60,
    )


def test_stdin_is_repaired_to_stdout_keeping_bom_and_crlf() -> None:
    on_disk, written, _ = mixed_document()

    result = run_stdin(BOM + on_disk.replace("\n", "\r\n").encode())

    assert result.returncode == 0, result.stderr
    assert result.stdout == BOM + written.replace("\n", "\r\n").encode()
    assert result.stderr == b""


def test_stdin_clean_text_comes_out_byte_for_byte() -> None:
    data = ("\r\n".join(CLEAN_LINES) + "\n").encode()

    result = run_stdin(data)

    assert result.returncode == 0
    assert result.stdout == data


def test_stdin_that_is_not_utf8_is_refused() -> None:
    result = run_stdin(b"caf\xe9\n")

    assert result.returncode == 2
    assert result.stdout == b""
    err = result.stderr.decode()
    assert len(err.splitlines()) == 1
    assert "stdin" in err
    assert "not UTF-8" in err


# --- regressions --------------------------------------------------------------------------


def test_clean_maths_line_beside_mac_roman_mojibake_is_left_alone(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    clean = "Area: A = πr², so r = √π ≈ 1.77"
    lines = [clean, *(text for text, label in BROKEN_LINES if label == "mac-roman")]
    path = tmp_path / "maths.md"
    path.write_text(
        "\n".join([clean, *(broken(line, "mac-roman") for line in lines[1:])]) + "\n",
        encoding="utf-8",
    )

    code, out, _ = fix(capsys, "--write", path)

    assert code == 0
    assert out == f"{path}: repaired 2 lines (mac-roman)\n"
    assert path.read_text(encoding="utf-8") == "\n".join(lines) + "\n"


def test_write_through_a_symlink_repairs_the_target(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    target, link = tmp_path / "target.md", tmp_path / "link.md"
    target.write_text(broken("Готово ✅", "cp1252") + "\n", encoding="utf-8")
    link.symlink_to(target.name)

    code, _, _ = fix(capsys, "--write", link)

    assert code == 0
    assert link.is_symlink()
    assert target.read_text(encoding="utf-8") == "Готово ✅\n"


@pytest.mark.skipif(
    not hasattr(os, "geteuid") or os.geteuid() != 0, reason="only root can hand a file over"
)
def test_write_keeps_the_owner(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "page.md"
    path.write_text(broken("Готово ✅", "cp1252") + "\n", encoding="utf-8")
    os.chown(path, 12345, 23456)

    code, _, _ = fix(capsys, "--write", path)

    assert code == 0
    assert path.read_text(encoding="utf-8") == "Готово ✅\n"
    assert (path.stat().st_uid, path.stat().st_gid) == (12345, 23456)


def test_a_file_named_twice_is_repaired_once(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "page.md"
    path.write_text(broken("Готово ✅", "cp1252") + "\n", encoding="utf-8")

    code, out, _ = fix(capsys, "--write", tmp_path, path)

    assert code == 0
    assert out == f"{path}: repaired 1 line (cp1252)\n"


def test_old_mac_line_endings_are_kept_and_counted(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "cr.md"
    lines = ["# Page", broken("Готово ✅", "cp1252"), "clean «ТОВАР»"]
    path.write_bytes("\r".join(lines).encode() + b"\r")

    code, out, _ = fix(capsys, path)
    assert (code, out) == (1, f"{path}:2: cp1252: {lines[1]}  →  Готово ✅\n")

    assert fix(capsys, "--write", path)[0] == 0
    assert path.read_bytes() == "# Page\rГотово ✅\rclean «ТОВАР»\r".encode()


@pytest.mark.parametrize("eol", ["\n", "\r\n", "\r"])
def test_a_page_that_keeps_its_mojibake_is_left_alone(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], eol: str
) -> None:
    text = eol.join(["---", "encoding_repair: off", "---", "We saw `ðŸ”´` for 🔴.", ""])
    path = tmp_path / "about.md"
    path.write_bytes(text.encode())

    assert fix(capsys, "--write", path)[0] == 0
    assert path.read_bytes() == text.encode()
    result = subprocess.run(
        [sys.executable, "-m", "plandocs.cli.main", "fix-encoding", "-"],
        input=text.encode(),
        capture_output=True,
        check=False,
    )
    assert (result.returncode, result.stdout) == (0, text.encode())


def test_a_report_to_a_terminal_that_is_not_utf8_has_escapes(tmp_path: Path) -> None:
    path = tmp_path / "page.md"
    path.write_text(broken("Готово ✅", "cp1252") + "\n", encoding="utf-8")
    result = subprocess.run(
        [sys.executable, "-m", "plandocs.cli.main", "fix-encoding", str(path)],
        capture_output=True,
        env={**os.environ, "PYTHONIOENCODING": "latin-1"},
        check=False,
    )
    assert result.returncode == 1
    assert b"Traceback" not in result.stderr
    assert b"\\u2192" in result.stdout  # the arrow, escaped


@pytest.mark.parametrize("label", ["cp1252", "mac-roman"])
def test_write_turns_a_misread_bom_back_into_the_bytes_the_writer_saved(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], label: str
) -> None:
    written = BOM + "# Plan — done\r\nplain line\r\n".encode()  # saved by the writer
    path = tmp_path / "bom.md"
    path.write_bytes(broken(written.decode("utf-8"), label).encode("utf-8"))
    code, out, _ = fix(capsys, "--write", path)
    assert code == 0
    assert out == f"{path}: repaired 1 line ({label})\n"
    assert path.read_bytes() == written


def test_write_keeps_mojibake_quoted_in_code_spans(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    text = "# Encoding\n\nFix encoding bug: `Ã©` should render as `é`.\nGrep for `â€”`.\n"
    path = tmp_path / "quoted.md"
    path.write_text(text, encoding="utf-8")
    assert fix(capsys, "--write", path)[:2] == (0, "")
    assert path.read_text(encoding="utf-8") == text
