"""Rendered fragments kept between builds.

Every build writes every page, and so renders every order card, "Referenced by" list and
orders table again: Jinja2 work that is the same as last build's unless its data changed.
A fragment is a pure function of its template, the page it goes on and its context (plain
data: strings, numbers, lists, dicts), so that is its key, with plandocs' own source and
the templates' sources (a project's overrides included). A build reads a fragment's record
when the page is written, so records are never all held at once.

Records live in one SQLite file a configuration, ``.cache/plandocs/fragments/<config>.sqlite``;
those a build did not use are removed after it.
"""

from __future__ import annotations

import hashlib
import json
import marshal
from collections.abc import Callable, Hashable, Iterable
from pathlib import Path
from typing import Any, cast

from jinja2 import Environment

from plandocs.cache.parsed import code_digest
from plandocs.cache.records import RecordStore

_FORMAT = "plandocs-fragments-2"


def templates_digest(env: Environment) -> str:
    """The sources of every template ``env`` finds, as it finds them (overrides first)."""
    digest = hashlib.sha256()
    for name in sorted(env.list_templates()):
        source, _, _ = env.loader.get_source(env, name)  # type: ignore[union-attr]
        digest.update(f"{name}\0{source}\0".encode())
    return digest.hexdigest()


def _value_digest(value: object) -> bytes:
    """A digest of plain data. ``marshal`` (its version 2: no back-references, so the same
    data gives the same bytes whatever shares or interns it) is a tenth of JSON's time;
    a value it refuses (a ``Markup``, a str subclass) goes as JSON."""
    try:
        data = b"m" + marshal.dumps(cast(Any, value), 2)
    except ValueError:
        data = b"j" + json.dumps(value, sort_keys=True, ensure_ascii=False).encode("utf-8")
    return hashlib.blake2b(data, digest_size=16).digest()


class Recent:
    """Small fragments (a table's row, a card) kept in memory across the builds of one
    ``mkdocs serve``, up to ``limit`` characters, the oldest let go first: a rebuild that
    renders a table again reads its rows from here, not one SQLite query each. A record is
    found by the same key as in the store, so it is the store's record."""

    SMALL = 1 << 13  # characters: a bigger record (a whole table) stays in the store only

    def __init__(self, limit: int = 1 << 25) -> None:
        self.limit, self.size = limit, 0
        self.records: dict[str, str] = {}
        #: the orders' rows of the last build, by ID (``Views``: a row that did not change
        #: is the same value again, whose digest ``FragmentCache`` kept in ``known``)
        self.rows: dict[str, dict[str, Any]] = {}
        self.known: dict[int, tuple[object, bytes | None]] = {}
        #: what a build hands the next one by name (``FragmentCache.hand``)
        self.handed: dict[str, dict[Any, Any]] = {}
        # ``derived``'s texts: those this build asked for, and those the last one did
        self._asked: dict[Hashable, str] = {}
        self._before: dict[Hashable, str] = {}

    def derived(self, key: Hashable, make: Callable[[], str]) -> str:
        """A text made from what ``key`` holds alone (a table's row with its links from a
        page, a timeline's bar), kept as long as builds ask for it: a rebuild renders
        again the tables and timelines of the pages it rebuilds, mostly the same rows."""
        text = self._asked.get(key)
        if text is None:
            text = self._before.get(key)
            if text is None:
                text = make()
            self._asked[key] = text
        return text

    def turn(self) -> None:
        """A build begins: the texts the last one did not ask for are let go."""
        self._before, self._asked = self._asked, {}

    def get(self, key: str) -> str | None:
        return self.records.get(key)

    def put(self, key: str, text: str) -> None:
        if len(text) > self.SMALL or key in self.records:
            return
        self.records[key] = text
        self.size += len(text)
        while self.size > self.limit:  # dicts keep their order: the first is the oldest
            self.size -= len(self.records.pop(next(iter(self.records))))


class FragmentCache:
    def __init__(self, path: Path, env: Environment, recent: Recent | None = None) -> None:
        self.store = RecordStore(path)
        self.recent = recent
        salt = hashlib.sha256(_FORMAT.encode("ascii"))
        salt.update(code_digest().encode("ascii"))
        salt.update(templates_digest(env).encode("ascii"))
        self._salt = salt.digest()
        self.used: set[str] = set()
        self.hits = 0
        self.misses = 0
        self.part_hits = 0  # parts of fragments: the rows of the orders tables
        self.part_misses = 0
        # the digests of the values ``remember`` was given, by identity (kept with the
        # value, so that its id is not reused): an order's row is in four tables or more;
        # under ``mkdocs serve``, those of the last build to remember (``Recent.known``)
        self._known: dict[int, tuple[object, bytes | None]] = recent.known if recent else {}
        self._kept: list[tuple[str, str, dict[str, Any]]] = []  # ``keep``'s, keyed at close

    def remember(self, values: Iterable[object]) -> None:
        """Work out the JSON of each of ``values`` once a build, however many fragments'
        keys it is in: the caller does not change them until ``forget``. A value the last
        build remembered too keeps its digest."""
        before, self._known = self._known, {}
        for value in values:
            known = before.get(id(value))
            self._known[id(value)] = known if known and known[0] is value else (value, None)
        if self.recent is not None:  # the next build's ``remember`` starts from these
            self.recent.known = self._known

    def forget(self) -> None:
        """Let go of the values given to ``remember`` and of their digests (a rebuild
        under ``mkdocs serve`` renders some tables only, and does not call it)."""
        self._known = {}

    def key(self, template: str, page_uri: str, context: dict[str, Any]) -> str:
        """A hash of the template, the page and the JSON of each context value, a list
        item at a time (the JSON of a big table at once is megabytes)."""
        digest = hashlib.blake2b(self._salt, digest_size=20)
        for part in (template, page_uri):
            digest.update(part.encode("utf-8") + b"\0")
        for name in sorted(context):
            value = context[name]
            if isinstance(value, list):
                digest.update(f"{name}=[".encode())
                for item in value:
                    digest.update(self._digest(item))
            else:
                digest.update(f"{name}=".encode())
                digest.update(self._digest(value))
            digest.update(b"\1")
        return digest.hexdigest()

    def _digest(self, value: object) -> bytes:
        known = self._known.get(id(value))
        if known is None or known[0] is not value:
            return _value_digest(value)
        if known[1] is None:
            known = self._known[id(value)] = (value, _value_digest(value))
        return known[1]  # type: ignore[return-value]

    def render(
        self,
        template: str,
        page_uri: str,
        context: dict[str, Any],
        make: Callable[[], str],
        *,
        counted: bool = True,
    ) -> str:
        """The fragment from its record, or ``make()`` it and keep it. A part of another
        fragment (a table's row) is not ``counted`` in ``hits`` and ``misses`` but in
        ``part_hits`` and ``part_misses``: whether it is asked for at all depends on
        whether its table was cached."""
        key = self.key(template, page_uri, context)
        self.used.add(key)
        recent = self.recent
        text = recent.get(key) if recent is not None else None
        if text is None:
            text = self.store.get(key)
        if text is not None:
            self.hits += counted
            self.part_hits += not counted
        else:
            self.misses += counted
            self.part_misses += not counted
            text = make()
            self.store.put(key, text)
        if recent is not None:
            recent.put(key, text)
        return text

    def derived(self, key: Hashable, make: Callable[[], str]) -> str:
        """``make()``, or under ``mkdocs serve`` the text the last build made for ``key``
        (``Recent.derived``)."""
        return make() if self.recent is None else self.recent.derived(key, make)

    def hand(self, name: str, kept: dict[Any, Any]) -> None:
        """Under ``mkdocs serve``, give the next build ``kept`` (``handed``); else nothing."""
        if self.recent is not None:
            self.recent.handed[name] = kept

    def handed(self, name: str) -> dict[Any, Any]:
        """What the last build of this ``mkdocs serve`` handed on by ``name``; empty else."""
        return self.recent.handed.get(name, {}) if self.recent is not None else {}

    def keep(self, template: str, page_uri: str, context: dict[str, Any]) -> None:
        """Keep this fragment's record though the build did not ask for it (a row of a
        table that came from the cache whole): the next change to the table needs it.
        Its key is worked out by a ``close`` that prunes (a dirty build does not)."""
        self._kept.append((template, page_uri, context))

    def close(self, *, prune: bool) -> int:
        """Write what is left; with ``prune``, first remove the records this build did not
        use. Returns how many were removed."""
        if prune:
            self.used.update(self.key(*kept) for kept in self._kept)
        self._kept = []
        removed = self.store.keep_only(self.used) if prune else 0
        self.store.close()
        return removed
