from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from plandocs.project import textio
from plandocs.project.textio import NotTextError, decode


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


WIDE_TEXT = "# Заказ\n\nStatus: done — “quoted”, café ✅\n"


@pytest.mark.parametrize(
    ("codec", "bom", "name"),
    [
        ("utf-16-le", b"\xff\xfe", "UTF-16 LE"),
        ("utf-16-be", b"\xfe\xff", "UTF-16 BE"),
        ("utf-32-le", b"\xff\xfe\x00\x00", "UTF-32 LE"),
        ("utf-32-be", b"\x00\x00\xfe\xff", "UTF-32 BE"),
    ],
)
@pytest.mark.parametrize("with_bom", [True, False], ids=["bom", "no-bom"])
def test_utf16_and_utf32_are_named_with_the_fix(
    codec: str, bom: bytes, name: str, with_bom: bool
) -> None:
    data = (bom if with_bom else b"") + WIDE_TEXT.encode(codec)
    with pytest.raises(NotTextError) as caught:
        decode(data)
    assert str(caught.value) == f"not UTF-8 (looks like {name}); save the file as UTF-8"
    assert "NUL" not in str(caught.value)


@pytest.mark.parametrize(
    "data",
    [
        b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x01\x00",
        b"# plain ASCII page\nwith one stray\x00NUL byte in it\n",
        bytes(range(256)) * 4,
    ],
    ids=["png", "stray-nul", "all-bytes"],
)
def test_binary_is_not_taken_for_utf16(data: bytes) -> None:
    with pytest.raises(NotTextError, match="binary content"):
        decode(data)


# --- replace_file --------------------------------------------------------------------------


def snapshot(path: Path, data: bytes) -> textio.Snapshot:
    path.write_bytes(data)
    return textio.read_snapshot(path)


def names(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir())


def test_replace_file_replaces_and_leaves_no_temporary(tmp_path: Path) -> None:
    path = tmp_path / "page.md"
    original = snapshot(path, b"old\n")
    textio.replace_file(original, b"new\n")
    assert path.read_bytes() == b"new\n"
    assert names(tmp_path) == ["page.md"]


@pytest.mark.parametrize("name", ["文" * 84 + ".md", "é" * 125 + ".md", "x" * 252 + ".md"])
def test_a_file_with_the_longest_name_there_can_be_is_replaced(tmp_path: Path, name: str) -> None:
    # 255 bytes: the temporary beside it is cut to a length in bytes, not in characters
    path = tmp_path / name
    original = snapshot(path, b"old\n")
    textio.replace_file(original, b"new\n")
    assert path.read_bytes() == b"new\n"
    assert names(tmp_path) == [name]


@pytest.mark.parametrize(
    "change",
    [
        lambda path: path.write_bytes(path.read_bytes() + b"appended\n"),
        # same size, same modification time: only the bytes tell
        lambda path: _same_size_same_time(path, b"OLD\n"),
        lambda path: _renamed_over(path, b"saved by an editor\n"),
    ],
    ids=["appended", "same-size-same-time", "editor-rename"],
)
def test_a_file_changed_since_it_was_read_is_not_replaced(
    tmp_path: Path, change: Callable[[Path], None]
) -> None:
    path = tmp_path / "page.md"
    original = snapshot(path, b"old\n")
    change(path)
    edited = path.read_bytes()
    with pytest.raises(textio.NotReplacedError, match="changed while plandocs was repairing"):
        textio.replace_file(original, b"new\n")
    assert path.read_bytes() == edited
    assert names(tmp_path) == ["page.md"]


def _same_size_same_time(path: Path, data: bytes) -> None:
    status = path.stat()
    path.write_bytes(data)
    os.utime(path, ns=(status.st_atime_ns, status.st_mtime_ns))


def _renamed_over(path: Path, data: bytes) -> None:
    other = path.with_name("saved.tmp")
    other.write_bytes(data)
    other.replace(path)


@pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() != 0, reason="needs root to chown")
def test_a_file_whose_owner_cannot_be_kept_is_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A user who may write a file but not give a copy its owner (group-writable, someone
    # else's): writing in place could be cut half-way, a copy would change the owner.
    path = tmp_path / "page.md"
    path.write_bytes(b"old\n")
    os.chown(path, 12345, 23456)
    original = textio.read_snapshot(path)

    def refuse(*args: object) -> None:
        raise PermissionError("not permitted")

    monkeypatch.setattr(textio.os, "fchown", refuse)
    with pytest.raises(textio.NotReplacedError, match="belongs to user 12345, group 23456"):
        textio.replace_file(original, b"new\n")
    assert path.read_bytes() == b"old\n"
    assert (path.stat().st_uid, path.stat().st_gid) == (12345, 23456)
    assert names(tmp_path) == ["page.md"]


def test_a_hard_link_is_refused_and_both_names_keep_the_old_bytes(tmp_path: Path) -> None:
    path, other = tmp_path / "page.md", tmp_path / "same.md"
    path.write_bytes(b"old\n")
    os.link(path, other)
    original = textio.read_snapshot(path)
    with pytest.raises(textio.NotReplacedError, match="2 names \\(hard links\\)"):
        textio.replace_file(original, b"new\n")
    assert path.read_bytes() == other.read_bytes() == b"old\n"
    assert path.stat().st_ino == other.stat().st_ino
    assert names(tmp_path) == ["page.md", "same.md"]


def test_a_folder_that_cannot_take_a_temporary_file_is_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "page.md"
    original = snapshot(path, b"old\n")

    def refuse(temporary: Path) -> int:
        raise PermissionError("read-only folder")

    monkeypatch.setattr(textio, "_create", refuse)
    with pytest.raises(textio.NotReplacedError, match="folder is not writable"):
        textio.replace_file(original, b"new\n")
    assert path.read_bytes() == b"old\n"
    assert names(tmp_path) == ["page.md"]


def test_leftovers_of_dead_runs_are_removed_and_others_kept(tmp_path: Path) -> None:
    dead = subprocess.run(
        [sys.executable, "-c", "import os; print(os.getpid())"],
        capture_output=True,
        text=True,
        check=True,
    )
    dead_pid = int(dead.stdout)
    left = {
        f".page.md.plandocs-{dead_pid}-abc123_x.tmp": False,  # its run is gone: removed
        f".page.md.plandocs-{os.getpid()}-abc123_x.tmp": True,  # a live run's: kept
        f".page.md.plandocs-{dead_pid}-abc123_x.tmp.md": True,  # not our name
        ".page.md.k2j3h4g5.tmp": True,  # an older version's name: not proven ours
        "page.md": True,
    }
    for name in left:
        (tmp_path / name).write_bytes(b"x")
    removed = textio.remove_leftovers(tmp_path)
    assert [p.name for p in removed] == [name for name, kept in left.items() if not kept]
    assert names(tmp_path) == sorted(name for name, kept in left.items() if kept)


def test_changes_on_both_sides_of_the_rename_are_both_kept(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # One writer reaches the old file between the last check and the rename, another
    # the new one right after: neither version may be lost, so the old one is kept aside.
    path = tmp_path / "page.md"
    original = snapshot(path, b"old\n")
    checks, syncs = [], []
    real_unchanged, real_sync = textio._unchanged, textio._sync_folder

    def unchanged(*args: object) -> bool:
        result = real_unchanged(*args)  # type: ignore[arg-type]
        checks.append(result)
        if len(checks) == 1:
            with path.open("ab") as out:
                out.write(b"first\n")
        return result

    def sync(folder: Path) -> None:
        syncs.append(folder)
        if len(syncs) == 1:
            with path.open("ab") as out:
                out.write(b"second\n")
        real_sync(folder)

    monkeypatch.setattr(textio, "_unchanged", unchanged)
    monkeypatch.setattr(textio, "_sync_folder", sync)
    with pytest.raises(textio.NotReplacedError, match="and again since") as caught:
        textio.replace_file(original, b"new\n")

    assert path.read_bytes() == b"new\nsecond\n"
    (kept,) = [p for p in tmp_path.iterdir() if p.name.endswith(".kept")]
    assert kept.name in str(caught.value)
    assert kept.read_bytes() == b"old\nfirst\n"
    assert names(tmp_path) == sorted(["page.md", kept.name])
    assert textio.remove_leftovers(tmp_path) == []  # kept for the writer, never removed
