"""Every use of a private or undocumented MkDocs, Material or Jinja name, in one place.

Checked against mkdocs 1.6.1 and mkdocs-material 9.8.2 (``CHECKED``); each use is a
workaround, and tests/test_internals.py fails when an upgrade changes any of them:

1. Workaround: ``Page._title_from_render``, and the attributes ``Page.render`` leaves on a
   page (``content``, ``toc``, ``present_anchor_ids``, ``links_to_anchors``): the page cache
   keeps and restores exactly these (``page_record``, ``restore_page``).
   https://github.com/mkdocs/mkdocs/blob/1.6.1/mkdocs/structure/pages.py#L263-L292
2. Workaround: ``render`` replaced on one ``Page`` object (never on the class or the module),
   so that the page cache answers in its place (``wrap_render``).
3. Workaround: whether MkDocs said anything while a page converted, heard on the ``mkdocs``
   and root loggers (``heard``), and what ``mkdocs.structure.pages`` logs at (``log_level``):
   a page that logs is converted on every build, so it says it again.
4. Workaround: Material's templates (``material/templates``): which partials its sidebar,
   tabs and header include (``MATERIAL_PARTIALS``), and where its header shows the page's
   title (``header_parts``); the nav cache renders them once for many pages.
5. Workaround: Jinja's ``Template.root_render_func``, replaced on the Material templates the
   nav cache serves (``wrap_template``), and ``mkdocs.utils.normalize_url``, the address a
   template writes for a page.
6. Workaround: under ``mkdocs serve --dirty``, the warning MkDocs' build logs on every dirty
   build (``DIRTY_WARNING``, ``DIRTY_LOGGERS``) is kept out of the log: under
   ``strict`` it aborts every rebuild, and plandocs puts right what it warns of
   (``mkdocs.serve``). Material's search index, its path and its JSON form
   (``SEARCH_INDEX``, ``search_index_text``), which ``mkdocs.serve`` writes back whole.
   https://github.com/mkdocs/mkdocs/blob/1.6.1/mkdocs/commands/build.py#L279-L284
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from importlib.util import find_spec
from pathlib import Path
from typing import Any

from jinja2 import Template
from jinja2.runtime import Context
from mkdocs.structure.files import Files
from mkdocs.structure.pages import Page
from mkdocs.structure.toc import AnchorLink, TableOfContents
from mkdocs.utils import normalize_url

CHECKED = {"mkdocs": "1.6.1", "mkdocs-material": "9.8.2"}

__all__ = ["normalize_url"]


# 1. What Page.render leaves on a page


def page_record(page: Page) -> dict[str, Any] | None:
    """What ``Page.render`` left on ``page``, as JSON-ready data; ``None`` before it ran."""
    if page.content is None:
        return None
    return {
        "content": page.content,
        "toc": [_anchor(item) for item in page.toc],
        "title": page._title_from_render,
        # an element without an id can put None among the ids: sorted after the names
        "anchors": sorted(page.present_anchor_ids or (), key=lambda a: (a is None, a or "")),
        "links_to_anchors": None
        if page.links_to_anchors is None
        else {file.src_uri: links for file, links in page.links_to_anchors.items()},
    }


def _anchor(item: AnchorLink) -> dict[str, Any]:
    fields = {name: value for name, value in vars(item).items() if name != "children"}
    return {"fields": fields, "children": [_anchor(child) for child in item.children]}


def _link(data: dict[str, Any]) -> AnchorLink:
    fields = data["fields"]
    link = AnchorLink(fields["title"], fields["id"], fields["level"])
    for name, value in fields.items():
        setattr(link, name, value)
    link.children = [_link(child) for child in data["children"]]
    return link


def restore_page(page: Page, record: dict[str, Any], files: Files) -> bool:
    """Put ``record`` on ``page`` as ``render`` would have; False when it does not fit."""
    try:
        toc = TableOfContents([_link(item) for item in record["toc"]])
        links = record["links_to_anchors"]
        targets = None
        if links is not None:
            targets = {}
            for uri, anchors in links.items():
                target = files.get_file_from_path(uri)
                if target is None:
                    return False
                targets[target] = dict(anchors)
        content, title = record["content"], record["title"]
        anchors = set(record["anchors"])
    except (KeyError, TypeError, AttributeError):
        return False
    page.content = content
    page.toc = toc
    page._title_from_render = title
    page.present_anchor_ids = anchors
    page.links_to_anchors = targets
    return True


# 2. Page.render, answered by the page cache


def wrap_render(page: Page, render: Callable[[Callable[[], None], Any, Files], None]) -> None:
    """Make ``page.render(config, files)`` call ``render(convert, config, files)``, where
    ``convert()`` is MkDocs' own conversion of the page."""
    convert: Callable[[Any, Files], None] = page.render

    def cached(config: Any, files: Files) -> None:
        render(lambda: convert(config, files), config, files)

    page.render = cached  # type: ignore[method-assign]


# 3. What MkDocs said


class _Heard(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.INFO)
        self.heard = False

    def emit(self, record: logging.LogRecord) -> None:
        self.heard = True


@contextmanager
def heard() -> Iterator[Callable[[], bool]]:
    """While the block runs, listen to MkDocs' loggers (and the root one, where a Markdown
    extension may log); gives a function that says whether anything at INFO or above was
    logged."""
    handler = _Heard()
    loggers = (logging.getLogger("mkdocs"), logging.getLogger())
    for logger in loggers:
        logger.addHandler(handler)
    try:
        yield lambda: handler.heard
    finally:
        for logger in loggers:
            logger.removeHandler(handler)


def log_level() -> int:
    """The level MkDocs logs a page's findings at (``--quiet`` raises it): a page converted
    under ``--quiet`` says nothing, and must not be cached for a build that listens."""
    return logging.getLogger("mkdocs.structure.pages").getEffectiveLevel()


# 4. Material's templates

HEADER = "partials/header.html"
#: the templates the nav cache serves, as Material includes them, with what each includes
#: for a page outside the nav: an override of any of these leaves the template uncached
MATERIAL_PARTIALS = {
    "partials/nav.html": (
        "partials/nav-item.html",
        "partials/logo.html",
        "partials/source.html",
    ),
    "partials/tabs.html": ("partials/tabs-item.html",),
    HEADER: (
        "partials/logo.html",
        "partials/palette.html",
        "partials/javascripts/palette.html",
        "partials/search.html",
        "partials/source.html",
        "partials/tabs.html",
        "partials/tabs-item.html",
    ),
}
#: where Material's header shows the page's title: right inside the first span after this
_TOPIC = 'data-md-component="header-topic"'
_SPAN = '<span class="md-ellipsis">'


def material_templates() -> Path | None:
    """The folder of Material's own templates, if Material is installed."""
    spec = find_spec("material")
    if spec is None or spec.origin is None:
        return None
    return (Path(spec.origin).parent / "templates").resolve()


def header_parts(html: str, title: str) -> tuple[str, str] | None:
    """Material's header cut around the page's title, or ``None`` where it is not found
    right inside the topic's span."""
    topic = html.find(_TOPIC)
    span = html.find(_SPAN, topic) if topic >= 0 else -1
    if span < 0:
        return None
    start = span + len(_SPAN)
    at = html.find(title, start)
    if at < 0 or html[start:at].strip():
        return None
    return html[:at], html[at + len(title) :]


# 5. Jinja's compiled templates

Render = Callable[[Context], Iterator[str]]


def wrap_template(template: Template, wrapper: Callable[[Render], Render]) -> None:
    """Make ``template`` render through ``wrapper(its own render)``, also where another
    template includes it (Jinja calls ``root_render_func`` then)."""
    template.root_render_func = wrapper(template.root_render_func)


# 6. mkdocs serve --dirty

#: MkDocs' and ProperDocs' (which logs under its own name)
DIRTY_LOGGERS = ("mkdocs.commands.build", "properdocs.commands.build")
DIRTY_WARNING = "A 'dirty' build is being performed"
SEARCH_INDEX = "search/search_index.json"


def _not_dirty_warning(record: logging.LogRecord) -> bool:
    return not str(record.msg).startswith(DIRTY_WARNING)


def quiet_dirty_warning() -> None:
    """Keep MkDocs' warning of a dirty build out of the log (once per process)."""
    for name in DIRTY_LOGGERS:
        logger = logging.getLogger(name)
        if _not_dirty_warning not in logger.filters:
            logger.addFilter(_not_dirty_warning)


def search_index_text(data: Any) -> str:
    """The search index as Material's search plugin writes it."""
    return json.dumps(data, separators=(",", ":"), default=str)
