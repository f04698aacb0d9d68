"""One Python-Markdown instance for all the pages of a build (part of the MkDocs adapter).

MkDocs' ``Page.render`` makes a new ``markdown.Markdown`` for every page, and with it every
extension, its processors and its settings, before a line is converted
(``bench/markdown_instances.py`` times it). Python-Markdown's own contract is that an
instance converts many documents, with ``reset()`` between them, and that an extension
keeps what it learns from one document only until ``reset()``. So while a page converts,
``Page.render`` is handed the build's instance, reset, in place of a new one; the rest of
``Page.render`` is MkDocs' own code: it registers its own processors for the page
(anchors, links, title), which replace the last page's by name.

An instance is reused only when:

- every processor it holds comes from code known to keep that contract
  (``KNOWN_MODULES``: Python-Markdown's extensions, pymdown-extensions, Material's and
  plandocs' own), but for ``KEEPS_STATE``: footnotes with ``UNIQUE_IDS`` (their prefix
  counts the documents converted) and Material's link previews (which add to their
  settings on every page); with another extension, each page gets a new instance, as
  without plandocs;
- the page asks for the same extensions with the same settings as the instance was made
  with (each extension's settings compared value by value, a function by identity);
- no conversion is under way (a conversion inside a conversion gets a new instance);
- no conversion that had the instance raised: it may have stopped half-way, and it is
  dropped.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import markdown
from markdown.extensions.footnotes import FootnoteExtension
from mkdocs.structure import pages as mkdocs_pages
from mkdocs.structure.files import Files
from mkdocs.structure.pages import Page

#: the names of MkDocs' pages module: ``Page.render`` finds ``markdown`` there when it runs
_PAGES_MODULE: dict[str, Any] = vars(mkdocs_pages)
#: modules whose processors keep nothing from one document to the next past ``reset()``;
#: MkDocs' own are made again for every page
KNOWN_MODULES = ("markdown.", "pymdownx.", "material.", "mkdocs.", "plandocs.")
#: modules of known code whose processors keep state from page to page all the same
KEEPS_STATE = ("material.extensions.preview",)


class MarkdownReuse:
    """Hands ``Page.render`` one reset ``markdown.Markdown`` while a page converts."""

    def __init__(self) -> None:
        self._md: markdown.Markdown | None = None
        self._made_with: tuple[list[Any], dict[str, Any]] | None = None
        self._busy = False  # the instance is converting a page
        self._busy_at = 0  # in the conversion at this depth
        self._depth = 0  # conversions under way, one inside another
        #: the first processor of unknown code found, when there is one: no reuse then
        self.unknown: str | None = None
        self.made = 0
        self.reused = 0
        self._module = _Markdown(self._markdown)

    def wrap(self, page: Page) -> None:
        """Make ``page.render`` convert with the build's instance."""
        render: Callable[[Any, Files], None] = page.render

        def reusing(config: Any, files: Files) -> None:
            with self.installed():
                render(config, files)

        page.render = reusing  # type: ignore[method-assign]

    @contextmanager
    def installed(self) -> Iterator[None]:
        """While this runs, ``Page.render`` makes its instance through ``_markdown``. Left
        as it was when another plugin put something else in MkDocs' place."""
        if self._depth == 0 and _PAGES_MODULE["markdown"] is not markdown:
            yield
            return
        self._depth += 1
        depth = self._depth
        _PAGES_MODULE["markdown"] = self._module
        try:
            yield
        except BaseException:
            if self._busy and self._busy_at == depth:  # it may have stopped half-way
                self._md = None
            raise
        finally:
            if self._busy and self._busy_at == depth:
                self._busy = False
            self._depth -= 1
            if self._depth == 0:
                _PAGES_MODULE["markdown"] = markdown

    def close(self) -> None:
        """Let go of the instance, and of the last page it holds (``mkdocs serve`` keeps the
        plugin between builds)."""
        self._md = self._made_with = None

    def _markdown(self, **options: Any) -> markdown.Markdown:
        """``markdown.Markdown(**options)``: the build's instance, reset, when it may be."""
        reusable = set(options) <= {"extensions", "extension_configs"}
        made_with = (list(options.get("extensions", [])), options.get("extension_configs", {}))
        md = self._md
        if reusable and md is not None and not self._busy and self._made_with == made_with:
            self._busy, self._busy_at = True, self._depth
            self.reused += 1
            return md.reset()
        md = markdown.Markdown(**options)
        self.made += 1
        if not reusable or self._busy or self.unknown is not None:
            return md
        self.unknown = unknown_processor(md)
        if self.unknown is not None:
            return md
        self._made_with = (made_with[0], _snapshot(made_with[1]))
        self._md, self._busy, self._busy_at = md, True, self._depth
        return md


class _Markdown:
    """The ``markdown`` module as ``Page.render`` sees it: its ``Markdown`` is the build's;
    every other name is the module's own."""

    def __init__(self, make: Callable[..., markdown.Markdown]) -> None:
        self.Markdown = make

    def __getattr__(self, name: str) -> Any:
        return getattr(markdown, name)


def _snapshot(configs: dict[str, Any]) -> dict[str, Any]:
    """Extension settings as they are now, to compare a later page's with: each
    extension's settings copied one level down, so a value changed in place shows, and a
    value that is a function (a ``slugify`` partial) compares by identity."""
    return {
        name: dict(settings) if isinstance(settings, dict) else settings
        for name, settings in configs.items()
    }


def unknown_processor(md: markdown.Markdown) -> str | None:
    """The first processor ``md`` holds that is not of ``KNOWN_MODULES``, or is of
    ``KEEPS_STATE``, by module and class; footnotes with ``UNIQUE_IDS`` (their prefix
    grows with every document); ``None`` when there is none."""
    registries: list[Any] = [
        md.preprocessors,
        md.parser.blockprocessors,
        md.inlinePatterns,
        md.treeprocessors,
        md.postprocessors,
    ]
    items = [item for registry in registries for item in registry]
    for item in [*items, *md.registeredExtensions]:
        module = type(item).__module__
        if not module.startswith(KNOWN_MODULES) or module.startswith(KEEPS_STATE):
            return f"{module}.{type(item).__qualname__}"
        if isinstance(item, FootnoteExtension) and item.getConfig("UNIQUE_IDS"):
            return f"{module}.{type(item).__qualname__} (UNIQUE_IDS)"
    return None
