"""Where things are published, and relative links between them. Pure path arithmetic that
gives the same URLs MkDocs gives, with ``use_directory_urls`` on and off."""

from __future__ import annotations

import posixpath
from dataclasses import dataclass
from functools import lru_cache
from urllib.parse import quote

from plandocs.core.model import Adr, Order, Phase

#: written in every redirect page of a permanent address, so a later build (``--dirty``) and
#: the rename redirects know the file is plandocs' own
REDIRECT_MARKER = "<!-- plandocs redirect -->"


# Cached: every card, table row and diagram node asks for the same pages again and again
# (``relative_url`` is not: its pairs rarely repeat, and keeping them costs memory).
@lru_cache(maxsize=1 << 16)
def page_url(uri: str, use_directory_urls: bool) -> str:
    """Site URL of a Markdown source, as MkDocs' ``File.url`` computes it."""
    parent, filename = posixpath.split(uri)
    name = posixpath.splitext(filename)[0]
    index = name in ("index", "README")  # exactly as MkDocs: readme.md and Index.md are pages
    if use_directory_urls:
        folder = parent if index else posixpath.join(parent, name)
        return quote((folder or ".") + "/")
    return quote(posixpath.join(parent, "index.html" if index else name + ".html"))


def relative_url(target: str, page: str) -> str:
    """Link from the page at site URL ``page`` to site URL ``target`` (``#anchor`` allowed)."""
    path, sep, anchor = target.partition("#")
    page_parts = _parts(page if page.endswith("/") else page.rpartition("/")[0])
    dest_parts = _parts(path)
    common = len(posixpath.commonprefix([page_parts, dest_parts]))
    rel = "/".join([".."] * (len(page_parts) - common) + list(dest_parts[common:])) or "."
    if path.endswith("/"):
        rel += "/"
    return rel + sep + anchor


@lru_cache(maxsize=1 << 12)
def _parts(path: str) -> tuple[str, ...]:
    """A site path's folders and file, without empty and "." parts."""
    return tuple(part for part in path.split("/") if part not in ("", "."))


@dataclass(frozen=True)
class SiteUrls:
    """URLs of every planning object, for one site layout."""

    use_directory_urls: bool = True
    output_dir: str = "planning"

    def of(self, uri: str, anchor: str | None = None) -> str:
        return page_url(uri, self.use_directory_urls) + (f"#{anchor}" if anchor else "")

    def order(self, order: Order) -> str:
        return self.of(order.uri, order.anchor)

    def adr(self, adr: Adr) -> str:
        return self.of(adr.uri)

    # Generated pages: their source URIs, and their URLs.
    def overview_uri(self) -> str:
        return f"{self.output_dir}/index.md"

    def orders_uri(self) -> str:
        return f"{self.output_dir}/orders.md"

    def adrs_uri(self) -> str:
        return f"{self.output_dir}/adrs.md"

    def timeline_uri(self) -> str:
        return f"{self.output_dir}/timeline.md"

    def phase_uri(self, phase: Phase | str) -> str:
        return f"{self.output_dir}/phases/{phase if isinstance(phase, str) else phase.id}.md"

    def owner_uri(self, owner: str) -> str:
        return f"{self.output_dir}/owners/{owner}.md"

    def status_uri(self, status: str) -> str:
        return f"{self.output_dir}/status/{status}.md"
