"""Turning file bytes into text and back (BOM, CRLF, binary and UTF-16/32 files handled in
one place), and replacing a file so that no edit made meanwhile is lost and no kill leaves
it half-written. Every ``os.open`` here is close-on-exec, as Python makes them (PEP 446)."""

from __future__ import annotations

import codecs
import contextlib
import os
import re
import secrets
import stat
import tempfile
from dataclasses import dataclass
from pathlib import Path

BOM = b"\xef\xbb\xbf"
# What Windows editors save as "Unicode": (byte order mark, name, codec). UTF-32 LE comes
# before UTF-16 LE, whose mark starts it.
_WIDE = (
    (b"\xff\xfe\x00\x00", "UTF-32 LE", "utf-32-le"),
    (b"\x00\x00\xfe\xff", "UTF-32 BE", "utf-32-be"),
    (b"\xff\xfe", "UTF-16 LE", "utf-16-le"),
    (b"\xfe\xff", "UTF-16 BE", "utf-16-be"),
)
_WIDE_SAMPLE = 4096


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
    ``keep_line_endings``: to write the text back byte for byte). ``NotTextError`` for bytes
    that are not UTF-8 text: UTF-16 or UTF-32 (named, so the writer knows what to change),
    or a binary file named ``.md``."""
    had_bom = data.startswith(BOM)
    data = data.removeprefix(BOM)
    if not had_bom and (wide := wide_encoding(data)):
        raise NotTextError(f"not UTF-8 (looks like {wide}); save the file as UTF-8")
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


def wide_encoding(data: bytes) -> str | None:
    """ "UTF-16 LE" (or BE, or UTF-32) when ``data`` starts with that encoding's byte order
    mark, or holds NUL bytes and its start reads as text in it; else None. Without a mark, so
    that a binary file or UTF-8 with a stray NUL is not taken for text, the sample must hold
    no control characters but whitespace, and a tenth of it ASCII (which puts the NULs there)."""
    for mark, name, _ in _WIDE:
        if data.startswith(mark):
            return name
    if b"\x00" not in data[:_WIDE_SAMPLE]:
        return None
    for _, name, codec in _WIDE:
        try:
            sample = codecs.getincrementaldecoder(codec)().decode(data[:_WIDE_SAMPLE])
        except UnicodeDecodeError:
            continue
        printable = all(ch.isprintable() or ch in "\t\n\r\f" for ch in sample)
        if sample and printable and sum(ch < "\x80" for ch in sample) * 10 >= len(sample):
            return name
    return None


def encode(decoded: Decoded, text: str) -> bytes:
    """``text`` as file content again, with the BOM the file had and the text's line endings."""
    return (BOM if decoded.had_bom else b"") + text.encode("utf-8")


# --- replacing a file -----------------------------------------------------------------------


class NotReplacedError(OSError):
    """The file was not replaced, on purpose; the message says why, in one line."""


CHANGED = (
    "the file changed while plandocs was repairing it; it was left as it was, with that "
    "change: run the command again"
)
# Temporary files are named ".NAME.plandocs-PID-RANDOM.tmp": one that a killed run left
# behind (a kill -9 gives no chance to remove it) is recognised by its name and removed by
# the next run that writes in its folder, once no process of that number is alive.
_TEMPORARY_NAME = re.compile(r"\..+\.plandocs-(?P<pid>[0-9]+)-[a-z0-9_]+\.tmp\Z")
# Long names are cut in the temporary's name, which must stay under the file system's limit:
# in bytes (255 on most), which a name of CJK characters reaches at 85 of them.
_NAME_KEPT = 100


@dataclass(frozen=True)
class Snapshot:
    """A file's bytes as read, and what tells whether it changed since: the same ``stamp``
    (device, inode, size and modification time) and the same bytes."""

    #: resolved: through a symbolic link, the file it points to is the one read and written
    path: Path
    data: bytes
    stamp: tuple[int, ...]


def _stamp(status: os.stat_result) -> tuple[int, ...]:
    return status.st_dev, status.st_ino, status.st_size, status.st_mtime_ns


def read_snapshot(path: Path) -> Snapshot:
    """The bytes of ``path`` and the file's identity, for ``replace_file``."""
    resolved = path.resolve()
    # O_NONBLOCK: opening a named pipe waits for a writer, forever in a hook or in CI; opened
    # so, it is found to be no file and refused (a regular file reads as ever).
    handle = os.open(resolved, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    with os.fdopen(handle, "rb") as file:
        # Taken before the read: a change during the read then shows as a change.
        status = os.fstat(file.fileno())
        if not stat.S_ISREG(status.st_mode):
            raise NotReplacedError(
                "not a regular file (a named pipe, a device or a socket); it was left as it was"
            )
        return Snapshot(resolved, file.read(), _stamp(status))


def replace_file(original: Snapshot, data: bytes) -> None:
    """Replace the file read as ``original`` by ``data``: the new bytes go to a temporary
    file beside it with its permissions and owner, which is then renamed over it, so a
    reader or a kill at any moment sees either the old bytes or the new ones.
    ``NotReplacedError`` (the file left as it was) when the file changed since it was read
    (checked before the rename, and after it through the old file still open: a change that
    slipped in is put back), and where a rename cannot keep what the file is: read-only
    (even for root), a hard link (renaming would split it, writing in place could be cut
    half-way), an owner this user cannot give to a copy, a folder that cannot take one."""
    path = original.path
    status = path.stat()
    if _stamp(status) != original.stamp:
        raise NotReplacedError(CHANGED)
    mode = stat.S_IMODE(status.st_mode)
    if not mode & stat.S_IWUSR or not os.access(path, os.W_OK):
        raise NotReplacedError("the file is read-only; it was left as it was")
    if status.st_nlink > 1:
        raise NotReplacedError(
            f"the file has {status.st_nlink} names (hard links): replacing it would split "
            "them and rewriting it in place could leave it half-written if interrupted; it "
            "was left as it was (repair a copy with 'plandocs fix-encoding - < FILE', then "
            "copy it over)"
        )
    # Named before it exists, so whatever stops the run after this line removes it.
    temporary = _temporary_beside(path)
    try:
        written = _write_temporary(temporary, data, status)
        _swap(original, temporary, written, status)
    finally:
        temporary.unlink(missing_ok=True)


def _swap(
    original: Snapshot, temporary: Path, written: os.stat_result, status: os.stat_result
) -> None:
    path = original.path
    try:
        # O_NOFOLLOW: a symbolic link put in its place is a change, not a file to follow
        current = os.open(path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0))
    except OSError:
        raise NotReplacedError(CHANGED) from None
    try:
        if not _unchanged(original, current):
            raise NotReplacedError(CHANGED)
        temporary.replace(path)
        _sync_folder(path.parent)
        # The old file is still open: a write that reached it between the check and the
        # rename would be lost with it, so it goes back in place of the repair.
        if not _unchanged(original, current):
            _put_back(path, current, written, status)
            raise NotReplacedError(CHANGED)
    finally:
        os.close(current)


def _put_back(path: Path, old: int, written: os.stat_result, status: os.stat_result) -> None:
    temporary = _temporary_beside(path)
    try:
        _write_temporary(temporary, _read_all(old, 0), status)
        if _stamp(path.lstat()) == _stamp(written):
            temporary.replace(path)
            _sync_folder(path.parent)
            return
        # Changed again since the rename: both versions may hold someone's work. The
        # old one is kept beside it under a name no run removes, and the writer decides.
        kept = temporary.with_suffix(".kept")
        temporary.replace(kept)
    finally:
        temporary.unlink(missing_ok=True)
    raise NotReplacedError(
        "the file changed while plandocs was replacing it, and again since; what it held "
        f"before, with the first change, is in {kept.name}: compare the two"
    )


def _temporary_beside(path: Path) -> Path:
    # The process number makes the name this run's alone: no other live process makes
    # one like it, so removing it never removes another run's file.
    token = secrets.token_hex(4)
    kept = path.name[:_NAME_KEPT]
    while len(os.fsencode(kept)) > _NAME_KEPT:
        kept = kept[:-1]
    return path.with_name(f".{kept}.plandocs-{os.getpid()}-{token}.tmp")


def _create(temporary: Path) -> int:
    return os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)


def _write_temporary(temporary: Path, data: bytes, status: os.stat_result) -> os.stat_result:
    """``data`` on disk in the new file ``temporary`` (which the caller removes), with the
    mode and owner of ``status``; its status."""
    try:
        handle = _create(temporary)
    except PermissionError:
        raise NotReplacedError(
            "its folder is not writable, so no repaired copy can be put beside it and "
            "renamed over it; the file was left as it was"
        ) from None
    with os.fdopen(handle, "wb") as out:
        out.write(data)
        out.flush()
        os.fchmod(out.fileno(), stat.S_IMODE(status.st_mode))
        if (status.st_uid, status.st_gid) != (os.geteuid(), os.getegid()):
            try:
                os.fchown(out.fileno(), status.st_uid, status.st_gid)
            except PermissionError:
                raise NotReplacedError(
                    f"the file belongs to user {status.st_uid}, group {status.st_gid}, "
                    "which a repaired copy cannot keep (only root can give a file away); "
                    "it was left as it was"
                ) from None
        os.fsync(out.fileno())
        return os.fstat(out.fileno())


def _unchanged(original: Snapshot, handle: int) -> bool:
    # The bytes too: a same-size edit within the clock's tick keeps size and time.
    return _stamp(os.fstat(handle)) == original.stamp and _read_all(handle, 0) == original.data


def _read_all(handle: int, start: int | None = None) -> bytes:
    """Everything from ``start`` (or the current position) to the end of the file."""
    if start is not None:
        os.lseek(handle, start, os.SEEK_SET)
    chunks = []
    while chunk := os.read(handle, 1 << 20):
        chunks.append(chunk)
    return b"".join(chunks)


def _sync_folder(folder: Path) -> None:
    # The rename is durable once the folder is on disk; some file systems cannot say so.
    with contextlib.suppress(OSError):
        handle = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(handle)
        finally:
            os.close(handle)


def remove_leftovers(folder: Path, *, ours: bool = False) -> list[Path]:
    """Remove, and return, the temporary files that runs killed while writing into ``folder``
    left there, and with ``ours`` this process's own (a signal may come between any two steps
    of its own clean-up). One that cannot be removed is no harm: nothing reads it."""
    removed: list[Path] = []
    try:
        entries = list(os.scandir(folder))
    except OSError:
        return removed
    for entry in entries:
        found = _TEMPORARY_NAME.match(entry.name)
        pid = int(found["pid"]) if found else 0
        if found is None or (alive(pid) and not (ours and pid == os.getpid())):
            continue
        with contextlib.suppress(OSError):
            if entry.is_file(follow_symlinks=False):
                Path(entry.path).unlink()
                removed.append(Path(entry.path))
    return sorted(removed)


def alive(pid: int) -> bool:
    """Whether process ``pid`` runs, or may: the owner of a work file named by its pid."""
    if os.name != "posix" or pid == os.getpid():
        return True  # elsewhere signal 0 is not a harmless probe: Windows ends the process
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (OSError, OverflowError):
        pass  # another user's process, or a number too big for a pid: keep its files
    return True


def read_cache_file(path: Path) -> str:
    """A cache record's UTF-8 text, read with half the system calls of ``Path.read_text``:
    a warm build reads thousands of records."""
    handle = os.open(path, os.O_RDONLY)
    try:
        return _read_all(handle).decode("utf-8")
    finally:
        os.close(handle)


def write_cache_file(path: Path, data: bytes) -> None:
    """Write a cache record into a temporary file of its own (two builds of one project may
    write the same record at once), renamed over it: a reader never sees half a record."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, name = tempfile.mkstemp(dir=path.parent, suffix=".tmp")
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(data)
        Path(name).replace(path)
    except BaseException:
        Path(name).unlink(missing_ok=True)
        raise
