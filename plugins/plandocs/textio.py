"""Turning file bytes into text and back: BOM, CRLF and binary files handled in one place."""

from __future__ import annotations

import os
import stat
import tempfile
from dataclasses import dataclass
from pathlib import Path

BOM = b"\xef\xbb\xbf"


@dataclass(frozen=True)
class Decoded:
    text: str
    had_bom: bool
    had_crlf: bool


class NotTextError(ValueError):
    """The bytes are not UTF-8 text; the message says why in one line, ``line`` where."""

    def __init__(self, message: str, line: int = 0) -> None:
        super().__init__(message)
        self.line = line


def decode(data: bytes, *, keep_line_endings: bool = False) -> Decoded:
    """Decode UTF-8 file content to text with ``\\n`` line endings (or the file's own, when
    ``keep_line_endings``: to write the text back byte for byte).

    Raises ``NotTextError`` for bytes that are not UTF-8 text (a binary file named ``.md``).
    """
    had_bom = data.startswith(BOM)
    if had_bom:
        data = data[len(BOM) :]
    nul = data.find(b"\x00")
    if nul >= 0:
        raise NotTextError(
            f"binary content (NUL byte at offset {nul}); this is not a Markdown file: "
            "rename it or remove it"
        )
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        raise NotTextError(
            f"not UTF-8 (byte 0x{data[exc.start]:02x}); save the file as UTF-8", line
        ) from None
    had_crlf = "\r\n" in text
    if "\r" in text and not keep_line_endings:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    return Decoded(text=text, had_bom=had_bom, had_crlf=had_crlf)


def encode(decoded: Decoded, text: str) -> bytes:
    """``text`` as file content again, with the BOM the file had. Line endings are the
    text's own: pass text decoded with ``keep_line_endings``."""
    return (BOM if decoded.had_bom else b"") + text.encode("utf-8")


def replace_file(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` atomically (a temporary file beside it, then a rename),
    keeping the file's permissions and owner; through a symbolic link, the file it points
    to is written. Where that cannot keep the owner, or the folder is not writable, the file
    is written in place instead (the rename would also split a hard link; writing in place
    does not). A read-only file is refused, even for root, with a ``PermissionError``
    whose message is one line; the file is then left as it was."""
    path = path.resolve()
    status = path.stat()
    mode = stat.S_IMODE(status.st_mode)
    if not mode & stat.S_IWUSR or not os.access(path, os.W_OK):
        raise PermissionError("the file is read-only; it was left as it was")
    if status.st_nlink > 1:
        _write_in_place(path, data)
        return
    try:
        handle, name = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    except PermissionError:
        _write_in_place(path, data)  # the folder is not writable, the file is
        return
    temporary = Path(name)
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(data)
            out.flush()
            os.fsync(out.fileno())
        temporary.chmod(mode)
        if (status.st_uid, status.st_gid) != (os.geteuid(), os.getegid()):
            try:
                os.chown(temporary, status.st_uid, status.st_gid)
            except PermissionError:
                # Only root may give a file away: write in place, so the owner stays.
                temporary.unlink()
                _write_in_place(path, data)
                return
        temporary.replace(path)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise


def _write_in_place(path: Path, data: bytes) -> None:
    with path.open("r+b") as out:
        out.write(data)
        out.truncate()
        out.flush()
        os.fsync(out.fileno())


def read_cache_file(path: Path) -> str:
    """A cache record's UTF-8 text, read with four system calls (open, read, read, close)
    where ``Path.read_text`` makes about eight: a warm build reads thousands of records.
    Raises ``OSError`` or ``UnicodeDecodeError`` as ``read_text`` does."""
    handle = os.open(path, os.O_RDONLY | getattr(os, "O_CLOEXEC", 0))
    try:
        chunks = []
        while chunk := os.read(handle, 1 << 20):
            chunks.append(chunk)
    finally:
        os.close(handle)
    return b"".join(chunks).decode("utf-8")


def write_cache_file(path: Path, data: bytes) -> None:
    """Write a cache record: into a temporary file of its own beside it (two builds of one
    project may write the same record at once), then renamed, so a reader never sees half
    a record. Raises ``OSError`` when the folder cannot be written."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, name = tempfile.mkstemp(dir=path.parent, suffix=".tmp")
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(data)
        Path(name).replace(path)
    except BaseException:
        Path(name).unlink(missing_ok=True)
        raise
