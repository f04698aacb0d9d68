"""Rendered fragments kept between builds.

Every build writes every page, and so renders every order card, "Referenced by" list and
orders table again: Jinja2 work that is the same as last build's unless its data changed.
A fragment is a pure function of its template, the page it goes on and its context (plain
data: strings, numbers, lists, dicts), so that is its key, with plandocs' own source and
the templates' sources (a project's overrides included). A build reads a fragment's record
when the page is written, so records are never all held at once.

Records live one file each under ``.cache/plandocs/fragments/<config>/``; those a build did
not use are removed after it.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

from jinja2 import Environment

from .parse_cache import code_digest
from .textio import read_cache_file, remove_unused_records, write_cache_file

_FORMAT = "plandocs-fragments-1"


def templates_digest(env: Environment) -> str:
    """The sources of every template ``env`` finds, as it finds them (overrides first)."""
    digest = hashlib.sha256()
    for name in sorted(env.list_templates()):
        source, _, _ = env.loader.get_source(env, name)  # type: ignore[union-attr]
        digest.update(f"{name}\0{source}\0".encode())
    return digest.hexdigest()


class FragmentCache:
    def __init__(self, folder: Path, env: Environment) -> None:
        self.folder = folder
        salt = hashlib.sha256(_FORMAT.encode("ascii"))
        salt.update(code_digest().encode("ascii"))
        salt.update(templates_digest(env).encode("ascii"))
        self._salt = salt.digest()
        self.used: set[str] = set()
        self.hits = 0
        self.misses = 0

    def key(self, template: str, page_uri: str, context: dict[str, Any]) -> str:
        data = json.dumps([template, page_uri, context], sort_keys=True, ensure_ascii=False)
        return hashlib.blake2b(self._salt + data.encode("utf-8"), digest_size=20).hexdigest()

    def render(
        self, template: str, page_uri: str, context: dict[str, Any], make: Callable[[], str]
    ) -> str:
        """The fragment from its record, or ``make()`` it and keep it."""
        key = self.key(template, page_uri, context)
        self.used.add(key)
        path = self.folder / key[:2] / f"{key}.html"
        try:
            text = read_cache_file(path)
        except (OSError, UnicodeDecodeError):
            pass
        else:
            self.hits += 1
            return text
        self.misses += 1
        text = make()
        with contextlib.suppress(OSError):  # a cache that cannot be written only costs time
            write_cache_file(path, text.encode("utf-8"))
        return text

    def prune(self) -> int:
        """Remove the records this build did not use; returns how many."""
        return remove_unused_records(self.folder, self.used)
