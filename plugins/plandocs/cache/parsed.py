"""Parsed files kept between builds.

Reading a planning file means decoding it, repairing its mojibake, parsing its
frontmatter, fields and trees, and finding the references in its text (``PageScan``):
most of what the collect step costs. None of it depends on any other file, so a file
whose bytes, path and URI are those of the last build, under the same settings and the
same plandocs code, gets last build's result back. Everything that depends on several
files (the graph, what each reference resolves to) is computed again on every build.

The records live in one pickle file a configuration (``.cache/plandocs/parsed/``), written
after a build that changed them; a record no file asked for is dropped. A file that is not
a pickle of this format is ignored and replaced.
"""

from __future__ import annotations

import hashlib
import pickle
import sys
from functools import cache
from pathlib import Path
from typing import Any

from plandocs.core.settings import Settings
from plandocs.project.load import Record, SourceEntry
from plandocs.project.textio import write_cache_file

_FORMAT = b"plandocs-parsed-2"


@cache
def code_digest() -> str:
    """plandocs' own source: a checkout changes the parser without a new version. Once a
    process: it is the code that runs, and the parse and fragment caches both ask."""
    digest = hashlib.sha256(sys.version.encode("utf-8"))
    package = Path(__file__).parents[1]
    for path in sorted(package.rglob("*.py")):
        digest.update(path.relative_to(package).as_posix().encode("utf-8"))
        digest.update(path.read_bytes())
    return digest.hexdigest()


class ParseCache:
    """Parse results by a key of the file's bytes, place and settings."""

    def __init__(self, path: Path, settings: Settings) -> None:
        self.path = path
        salt = hashlib.sha256(_FORMAT)
        salt.update(code_digest().encode("ascii"))
        salt.update(repr(settings).encode("utf-8"))
        self._salt = salt.digest()
        self._old = self._read()
        self._new: dict[str, Record] = {}
        self.hits = 0
        self.misses = 0

    def _read(self) -> dict[str, Record]:
        try:
            with self.path.open("rb") as stream:
                records: Any = pickle.load(stream)
        except Exception:  # absent, cut short by a killed build, another format
            return {}
        return records if isinstance(records, dict) else {}

    def key(self, path: str, uri: str, data: bytes) -> str:
        digest = hashlib.blake2b(self._salt, digest_size=20)
        for part in (path.encode("utf-8"), uri.encode("utf-8"), data):
            digest.update(len(part).to_bytes(8, "big"))
            digest.update(part)
        return digest.hexdigest()

    def recall(self, entry: SourceEntry) -> Record | None:
        """None: a build reads every file (``KeptParses`` does not, under serve)."""
        return None

    def note(self, entry: SourceEntry, record: Record) -> None:
        pass

    def get(self, key: str) -> Record | None:
        record = self._old.get(key)
        if record is not None:
            self.hits += 1
            self._new[key] = record
        return record

    def put(self, key: str, record: Record) -> None:
        self.misses += 1
        self._new[key] = record

    def save(self) -> None:
        """Write the records this build used, when they differ from those it found."""
        if self._new.keys() == self._old.keys():
            return
        try:
            write_cache_file(self.path, pickle.dumps(self._new, protocol=pickle.HIGHEST_PROTOCOL))
        except OSError:  # a read-only checkout: the next build parses again
            return
        self._old = self._new
