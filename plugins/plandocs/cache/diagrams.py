"""Which SVG each diagram of the planning graph had, kept between builds.

A diagram's SVG is cached by its DOT source, and making every diagram's source means
building its model. Every diagram is made from the planning files, the settings, the site's
URLs and plandocs' own code: when none of these changed since the build that wrote the
index, and the SVG cache still holds each SVG the index names, no source is made at all.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path

from plandocs.cache.parsed import code_digest
from plandocs.core.model import SourceDoc
from plandocs.core.settings import Settings
from plandocs.core.urls import SiteUrls
from plandocs.project.textio import write_cache_file

_FORMAT = "plandocs-diagrams-1"


def diagrams_made_from(
    docs: Iterable[SourceDoc], settings: Settings, urls: SiteUrls, drawn_by: Iterable[str]
) -> str:
    """A digest of everything the planning graph's diagrams are made from; ``drawn_by``
    names how they are drawn (Graphviz's version, the style)."""
    digest = hashlib.blake2b(digest_size=20)
    for part in (_FORMAT, code_digest(), repr(settings), repr(urls), *drawn_by):
        digest.update(part.encode("utf-8") + b"\0")
    for doc in sorted(docs, key=lambda doc: doc.uri):
        for part in (doc.uri, doc.path, doc.text):
            digest.update(len(part).to_bytes(8, "big"))
            digest.update(part.encode("utf-8", "surrogatepass"))
    return digest.hexdigest()


class DiagramIndex:
    """The SVG cache key of each diagram, stored with what the diagrams were made from."""

    def __init__(self, path: Path, made_from: str) -> None:
        self.path = path
        self.made_from = made_from
        self._stored: dict[str, str] | None = None

    def known(self, keys: Iterable[str], cached: Callable[[str], bool]) -> dict[str, str] | None:
        """Each of ``keys``' SVG cache key, when the index was made from the same input and
        the SVG cache holds (``cached``) every SVG it names; else ``None``: the sources must
        be made."""
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None
        if not isinstance(data, dict) or data.get("made_from") != self.made_from:
            return None
        digests = data.get("digests")
        if not isinstance(digests, dict) or set(digests) != set(keys):
            return None
        if not all(isinstance(d, str) and cached(d) for d in digests.values()):
            return None
        self._stored = digests
        return dict(digests)

    def store(self, digests: Mapping[str, str]) -> None:
        """Keep ``digests`` for the next build, unless the index holds them already."""
        if self._stored == dict(digests):
            return
        data = {"made_from": self.made_from, "digests": dict(sorted(digests.items()))}
        with contextlib.suppress(OSError):  # unwritten: the next build makes the sources
            write_cache_file(self.path, json.dumps(data).encode("utf-8"))
