"""One SQLite file of cache records: the page and fragment caches keep thousands of small
records, and a file each would cost a cold build thousands of file creations.

Records are written in batches, each its own transaction, so a build holds at most one
batch in memory and a second build of the same project waits for a moment, not a whole
build. A big record (a table of every order) is written at once in slices of its own rows:
SQLite copies a value it is given, and builds a row from it. A store that cannot be opened
or written (a read-only checkout, a full disk) stops storing and the build goes on without
it; a damaged file is removed and begun again. A store whose file was empty when it opened
it (a cold build) answers a read of a key it has not written without asking SQLite: a cold
build asks for thousands of records that cannot be there.
"""

from __future__ import annotations

import contextlib
import logging
import sqlite3
from collections.abc import Iterable
from pathlib import Path

log = logging.getLogger("mkdocs.plugins.plandocs")

_SCHEMA = "CREATE TABLE IF NOT EXISTS records (key TEXT PRIMARY KEY, value TEXT NOT NULL)"
_PUT = "INSERT OR REPLACE INTO records (key, value) VALUES (?, ?)"
_BATCH_RECORDS = 64
_BATCH_CHARS = 1 << 20
_SLICE = 1 << 16  # characters: a longer record is kept in slices of this size
_SLICES = "\x00slices "  # a big record's own row: this, then how many slices it has
_PART = "\x1f"  # a slice's key: the record's key, this, its number (zero-padded)


class RecordStore:
    """Text records by key in the SQLite file ``path``, created on first use. A record is
    handed to SQLite as the string it is (an ASCII string is its own UTF-8), not encoded
    into another copy first."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._db: sqlite3.Connection | None = None
        self._opened = False
        self._pending: dict[str, str] = {}
        self._pending_chars = 0
        #: when the file held no record as this store opened it to write: the hashes of
        #: the keys it has written since, the only records a read can find (a cold build
        #: asks for thousands that are not there)
        self._written: set[int] | None = None

    def _connect(self) -> sqlite3.Connection | None:
        if self._opened:
            return self._db
        self._opened = True
        for attempt in (1, 2):
            db = None
            try:
                self.path.parent.mkdir(parents=True, exist_ok=True)
                db = sqlite3.connect(self.path, timeout=30, isolation_level=None)
                # a cache: a crash may lose the last records, never the project's files
                db.execute("PRAGMA journal_mode=WAL")
                db.execute("PRAGMA synchronous=OFF")
                db.execute("PRAGMA cache_size=-512")  # KiB: records are read once a build
                db.execute(_SCHEMA)
            except (sqlite3.Error, OSError) as exc:
                if db is not None:
                    db.close()  # before its files are removed, or it holds them open
                if attempt == 1 and _damaged(exc):
                    log.debug("cache %s is damaged (%s): begun again", self.path, exc)
                    self._remove_files()
                    continue
                log.debug("cache %s not used: %s", self.path, exc)
                return None
            self._db = db
            self._written = set() if self._holds_nothing(db) else None
            return db
        return None

    def _holds_nothing(self, db: sqlite3.Connection) -> bool:
        try:
            return db.execute("SELECT 1 FROM records LIMIT 1").fetchone() is None
        except sqlite3.Error:
            return False  # found out, and handled, by the first read

    def _remove_files(self) -> None:
        for suffix in ("", "-wal", "-shm"):
            with contextlib.suppress(OSError):
                Path(f"{self.path}{suffix}").unlink()

    def _give_up(self, exc: sqlite3.Error) -> None:
        log.debug("cache %s not used any more: %s", self.path, exc)
        if self._db is not None:
            with contextlib.suppress(sqlite3.Error):
                self._db.close()
        self._db = None
        self._pending.clear()
        if _damaged(exc):  # the next build begins it again
            self._remove_files()

    def get(self, key: str) -> str | None:
        if key in self._pending:
            return self._pending[key]
        db = self._connect()
        if db is None or (self._written is not None and hash(key) not in self._written):
            return None
        try:
            row = db.execute("SELECT value FROM records WHERE key = ?", (key,)).fetchone()
        except sqlite3.Error as exc:
            self._give_up(exc)
            return None
        value = None if row is None else row[0]
        if not isinstance(value, str):  # none, or not written by this code: not trusted
            return None
        return self._joined(db, key, value) if value.startswith(_SLICES) else value

    def _joined(self, db: sqlite3.Connection, key: str, head: str) -> str | None:
        """A big record from its slices; ``None`` when one is missing."""
        try:
            count = int(head[len(_SLICES) :])
            rows = db.execute(
                "SELECT value FROM records WHERE key > ? AND key < ? ORDER BY key",
                _slice_keys(key),
            ).fetchall()
        except (ValueError, sqlite3.Error):
            return None
        parts = [value for (value,) in rows]
        if len(parts) != count or not all(isinstance(part, str) for part in parts):
            return None
        return "".join(parts)

    def count(self) -> int:
        """How many records the file holds (those put and not flushed aside)."""
        db = self._connect()
        if db is None:
            return 0
        try:
            (found,) = db.execute(
                "SELECT count(*) FROM records WHERE instr(key, ?) = 0", (_PART,)
            ).fetchone()
        except sqlite3.Error as exc:
            self._give_up(exc)
            return 0
        return int(found)

    def put(self, key: str, value: str) -> None:
        if self._connect() is None:
            return
        if len(value) > _SLICE:
            self._put_sliced(key, value)
            return
        self._pending[key] = value
        self._pending_chars += len(value)
        if len(self._pending) >= _BATCH_RECORDS or self._pending_chars >= _BATCH_CHARS:
            self.flush()

    def flush(self) -> None:
        """Write the records put since the last flush, in one transaction."""
        db = self._db
        if not self._pending or db is None:
            return
        try:
            with db:
                db.execute("BEGIN IMMEDIATE")
                db.executemany(_PUT, self._pending.items())
        except sqlite3.Error as exc:
            self._give_up(exc)
            return
        if self._written is not None:
            self._written.update(map(hash, self._pending))
        self._pending.clear()
        self._pending_chars = 0

    def _put_sliced(self, key: str, value: str) -> None:
        """Write a big record now, a slice a row: the slices are made one at a time, and
        SQLite copies one at a time."""
        self.flush()
        db = self._db
        if db is None:
            return
        count = -(-len(value) // _SLICE)
        slices = (
            (f"{key}{_PART}{number:06d}", value[number * _SLICE : (number + 1) * _SLICE])
            for number in range(count)
        )
        try:
            with db:
                db.execute("BEGIN IMMEDIATE")
                db.execute("DELETE FROM records WHERE key > ? AND key < ?", _slice_keys(key))
                db.executemany(_PUT, slices)
                db.execute(_PUT, (key, f"{_SLICES}{count}"))
        except sqlite3.Error as exc:
            self._give_up(exc)
            return
        if self._written is not None:
            self._written.add(hash(key))

    def keep_only(self, used: Iterable[str]) -> int:
        """Remove every record whose key is not in ``used``; returns how many."""
        self.flush()
        db = self._connect()
        if db is None:
            return 0
        keep = set(used)
        try:
            unused = [
                (key,)
                for (key,) in db.execute("SELECT key FROM records")
                if key.partition(_PART)[0] not in keep  # a slice goes with its record
            ]
            if unused:
                with db:
                    db.execute("BEGIN IMMEDIATE")
                    db.executemany("DELETE FROM records WHERE key = ?", unused)
        except sqlite3.Error as exc:
            self._give_up(exc)
            return 0
        return len(unused)

    def close(self) -> None:
        self.flush()
        if self._db is not None:
            with contextlib.suppress(sqlite3.Error):
                self._db.close()
        self._db = None
        self._opened = False


def _slice_keys(key: str) -> tuple[str, str]:
    """The bounds between which the keys of ``key``'s slices sort, and no other key."""
    return key + _PART, key + chr(ord(_PART) + 1)


def _damaged(exc: Exception) -> bool:
    """The file is not a sound database (not one that is locked, or cannot be opened)."""
    return isinstance(exc, sqlite3.DatabaseError) and not isinstance(exc, sqlite3.OperationalError)
