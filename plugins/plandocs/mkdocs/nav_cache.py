"""Material's sidebar and header, rendered once for all the pages outside the nav that see
them alike.

A page outside the nav has no entry of its own there and none of its sections is open, so
its sidebar (``partials/nav.html``, ``partials/tabs.html``) is any other such page's but
for its links, which are relative to the page; its header differs in its links and title.
The key is every address those templates write, as seen from the page, and the page's
``base_url``; the header takes each page's title in its place.

Rendered as usual, never from this cache: a page in the nav, or any page while an entry of
the nav is active; a template that is not Material's own, or includes one that is not (an
override reads what it likes of the page), and the header with language links
(``extra.alternate``); the header of a page whose title is empty or holds ``& < > " '``;
a template on every later page, once the first page to reuse one of its renderings shows
something else rendered again (a Material release that reads more of the page). The cache
lives one build; ``nav_cache: false`` turns it off.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from jinja2 import Environment, Template, TemplateNotFound
from jinja2.runtime import Context
from mkdocs.structure.nav import Link, Navigation, Section
from mkdocs.structure.pages import Page

from plandocs.mkdocs.internals import (
    HEADER,
    MATERIAL_PARTIALS,
    Render,
    header_parts,
    material_templates,
    normalize_url,
    wrap_template,
)

log = logging.getLogger("mkdocs.plugins.plandocs")

_ESCAPED = frozenset("&<>\"'")

#: a rendering with the page's title cut out: what comes before it and after it
_Parts = tuple[str, str]


def _shown_title(page: Page) -> str:
    """The title Material's header shows: the ``title`` of the page's metadata, else its
    own (as Jinja writes a value: ``None`` too)."""
    meta = page.meta.get("title") if page.meta else None
    return str(meta) if meta else str(page.title)


class NavCache:
    """The rendered sidebar and header of pages outside the nav, by what the page sees."""

    def __init__(self) -> None:
        self.hits = 0
        self.misses = 0
        #: by template and key: the rendering, cut around the title (the sidebar's has none);
        #: ``None`` for a header whose title could not be found in it
        self._parts: dict[tuple[object, ...], _Parts | None] = {}
        self._checked: set[tuple[object, ...]] = set()  # renderings a second page confirmed
        #: templates whose rendering a second page did not confirm: no longer cached
        self.refuted: set[str] = set()
        self._urls: tuple[Navigation | None, list[str]] = (None, [])
        self._extra: list[str] = []
        #: the page, nav and base URL the last key was worked out for, and that key
        self._last: tuple[object, object, object, tuple[object, ...]] = (None, None, None, ())

    def install(self, env: Environment, config: Any) -> list[str]:
        """Cache those of ``env``'s templates that are Material's own; the names of those."""
        theme = material_templates()
        if theme is None or env.loader is None:
            return []

        def own(name: str) -> bool:
            try:
                _, filename, _ = env.loader.get_source(env, name)  # type: ignore[union-attr]
            except TemplateNotFound:  # another theme, or another release of Material
                return False
            return filename is not None and theme in Path(filename).resolve().parents

        self._extra = [
            str(url)
            for url in (config.extra.get("homepage"), config.theme.get("logo"))
            if isinstance(url, str) and url
        ]
        installed = []
        for name, renders in MATERIAL_PARTIALS.items():
            if name == HEADER and config.extra.get("alternate"):
                continue  # language links: addresses the key does not see
            if own(name) and all(own(other) for other in renders):
                self._wrap(env.get_template(name))
                installed.append(name)
        return installed

    def _wrap(self, template: Template) -> None:
        """Make ``template``, as Jinja includes it, render through the cache."""
        wrap_template(template, lambda render: self._cached(template.name or "", render))

    def _cached(self, name: str, render: Render) -> Render:
        titled = name == HEADER

        def cached(context: Context) -> Iterator[str]:
            key = None if name in self.refuted else self.key(context)
            title = _shown_title(context["page"]) if key is not None and titled else ""
            if key is None or (titled and (not title or _ESCAPED.intersection(title))):
                yield from render(context)
                return
            key = (name, *key)
            if key not in self._parts:
                self.misses += 1
                html = "".join(render(context))
                self._parts[key] = header_parts(html, title) if titled else (html, "")
                yield html
                return
            parts = self._parts[key]
            if parts is None:  # a header whose title was not where it is looked for
                yield from render(context)
            elif key not in self._checked:
                # the first page to reuse a rendering renders it once more: a theme release
                # that reads more of the page than the key turns its caching off
                self.misses += 1
                fresh = "".join(render(context))
                self._checked.add(key)
                if fresh != title.join(parts):
                    self.refuted.add(name)
                    log.debug("%s not cached: it shows more of a page than the key", name)
                yield fresh
            else:
                self.hits += 1
                yield title.join(parts)

        return cached

    def key(self, context: Context) -> tuple[object, ...] | None:
        """What the sidebar of ``context``'s page depends on, or ``None`` when the page is
        in the nav (its entry, and the sections above it, are active) or there is no page."""
        page, nav = context.get("page"), context.get("nav")
        if not isinstance(page, Page) or not isinstance(nav, Navigation) or page.url is None:
            return None
        if any(item.active for item in nav.items):  # an active entry makes its section so
            return None
        base_url = context.get("base_url")
        last = self._last
        if last[0] is page and last[1] is nav and last[2] == base_url:
            return last[3]  # the page's header and sidebar share their key
        seen = tuple(normalize_url(url, page) for url in self._urls_of(nav))
        key = (id(nav), base_url, seen)
        self._last = (page, nav, base_url, key)
        return key

    def _urls_of(self, nav: Navigation) -> list[str]:
        """Every address the sidebar of ``nav`` links."""
        if self._urls[0] is not nav:
            urls = list(self._extra)
            if nav.homepage is not None:
                urls.append(nav.homepage.url)
            stack: list[Any] = list(nav.items)
            while stack:
                item = stack.pop()
                if isinstance(item, Section):
                    stack.extend(item.children)
                elif isinstance(item, (Page, Link)):
                    urls.append(item.url)
            self._urls = (nav, urls)
        return self._urls[1]
