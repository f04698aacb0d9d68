"""Material's sidebar, rendered once for all the pages outside the nav that see it alike
(part of the MkDocs adapter).

Material renders the whole navigation (``partials/nav.html``, and ``partials/tabs.html``
with ``navigation.tabs``) into every page: a tenth of a plain build of a thousand order
pages, though the orders are not in the nav. A page outside the nav has no entry of its
own there and none of its sections is open, so its sidebar is the same as any other such
page's except for its links, which are relative to the page. The key is therefore every
address those templates write, as seen from the page (each nav entry's, the home page's,
the logo's) and the page's ``base_url``: pages whose addresses all come out the same share
one rendering.

Rendered as usual, never from this cache:

- a page in the nav, or any page while an entry of the nav is active;
- every page, when the theme is not Material's own templates for these partials (a
  ``custom_dir`` that overrides one of them, another theme): what an override reads from
  the page is not known.

The cache lives one build; ``nav_cache: false`` turns it off.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from importlib.util import find_spec
from pathlib import Path
from typing import Any

from jinja2 import Environment, Template, TemplateNotFound
from jinja2.runtime import Context
from mkdocs.structure.nav import Link, Navigation, Section
from mkdocs.structure.pages import Page
from mkdocs.utils import normalize_url

#: the templates whose output is cached, as Material includes them
CACHED = ("partials/nav.html", "partials/tabs.html")
#: what they render for a page outside the nav; an override of any of them turns caching off
_RENDERED = (
    *CACHED,
    "partials/nav-item.html",
    "partials/tabs-item.html",
    "partials/logo.html",
    "partials/source.html",
)


def _material_templates() -> Path | None:
    spec = find_spec("material")
    if spec is None or spec.origin is None:
        return None
    return (Path(spec.origin).parent / "templates").resolve()


class NavCache:
    """The rendered sidebar of pages outside the nav, by what the page sees of it."""

    def __init__(self) -> None:
        self.hits = 0
        self.misses = 0
        self._html: dict[tuple[object, ...], str] = {}
        self._urls: tuple[Navigation | None, list[str]] = (None, [])
        self._extra: list[str] = []

    def install(self, env: Environment, config: Any) -> bool:
        """Cache ``env``'s sidebar templates, when they are Material's own; whether it did."""
        theme = _material_templates()
        if theme is None or env.loader is None:
            return False
        templates = []
        for name in _RENDERED:
            try:
                _, filename, _ = env.loader.get_source(env, name)
            except TemplateNotFound:  # another theme
                return False
            if filename is None or theme not in Path(filename).resolve().parents:
                return False
            if name in CACHED:
                templates.append(env.get_template(name))
        self._extra = [
            str(url)
            for url in (config.extra.get("homepage"), config.theme.get("logo"))
            if isinstance(url, str) and url
        ]
        for template in templates:
            self._wrap(template)
        return True

    def _wrap(self, template: Template) -> None:
        """Make ``template``, as Jinja includes it, render through the cache."""
        render: Callable[[Context], Iterator[str]] = template.root_render_func
        name = template.name

        def cached(context: Context) -> Iterator[str]:
            key = self.key(context)
            if key is None:
                yield from render(context)
                return
            key = (name, *key)
            html = self._html.get(key)
            if html is None:
                self.misses += 1
                html = self._html[key] = "".join(render(context))
            else:
                self.hits += 1
            yield html

        template.root_render_func = cached

    def key(self, context: Context) -> tuple[object, ...] | None:
        """What the sidebar of ``context``'s page depends on, or ``None`` when the page is
        in the nav (its entry, and the sections above it, are active) or there is no page."""
        page, nav = context.get("page"), context.get("nav")
        if not isinstance(page, Page) or not isinstance(nav, Navigation) or page.url is None:
            return None
        if any(item.active for item in nav.items):  # an active entry makes its section so
            return None
        seen = tuple(normalize_url(url, page) for url in self._urls_of(nav))
        return (id(nav), context.get("base_url"), seen)

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
