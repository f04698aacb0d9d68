from __future__ import annotations

import os
from pathlib import Path

import pytest

from plandocs import textio
from plandocs.textio import NotTextError, decode


@pytest.mark.parametrize(
    ("data", "text", "bom", "crlf"),
    [
        (b"# T\n", "# T\n", False, False),
        (b"\xef\xbb\xbf# T\r\nx\r\n", "# T\nx\n", True, True),
        (b"a\rb", "a\nb", False, False),
        ("Реализованы ✅\n".encode(), "Реализованы ✅\n", False, False),
    ],
)
def test_decode(data: bytes, text: str, bom: bool, crlf: bool) -> None:
    decoded = decode(data)
    assert (decoded.text, decoded.had_bom, decoded.had_crlf) == (text, bom, crlf)


@pytest.mark.parametrize(
    ("data", "message", "line"),
    [
        (b"\x89PNG\r\n\x1a\n\x00\x00", "NUL byte at offset 8", 0),
        (b"ok\nline two \xff\n", "byte 0xff", 2),
    ],
)
def test_not_text(data: bytes, message: str, line: int) -> None:
    with pytest.raises(NotTextError, match=message) as caught:
        decode(data)
    assert caught.value.line == line


@pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() != 0, reason="needs root to chown")
def test_a_file_that_cannot_be_given_back_is_written_in_place(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A user who may write a file but not give it away (group-writable, someone else's):
    # the file is written in place, so its owner stays.
    path = tmp_path / "page.md"
    path.write_bytes(b"old\n")
    os.chown(path, 12345, 23456)
    inode = path.stat().st_ino

    def refuse(*args: object) -> None:
        raise PermissionError("not permitted")

    monkeypatch.setattr(textio.os, "chown", refuse)
    textio.replace_file(path, b"new\n")
    assert path.read_bytes() == b"new\n"
    assert (path.stat().st_uid, path.stat().st_gid, path.stat().st_ino) == (12345, 23456, inode)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["page.md"]


def test_a_hard_link_stays_one_file(tmp_path: Path) -> None:
    path, other = tmp_path / "page.md", tmp_path / "same.md"
    path.write_bytes(b"old\n")
    os.link(path, other)
    textio.replace_file(path, b"new\n")
    assert other.read_bytes() == b"new\n"
    assert path.stat().st_ino == other.stat().st_ino


def test_a_folder_that_cannot_take_a_temporary_file_is_written_in_place(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "page.md"
    path.write_bytes(b"old\n")

    def refuse(*args: object, **kwargs: object) -> tuple[int, str]:
        raise PermissionError("read-only folder")

    monkeypatch.setattr(textio.tempfile, "mkstemp", refuse)
    textio.replace_file(path, b"new\n")
    assert path.read_bytes() == b"new\n"
