"""The templates every fragment and generated page comes from.

Jinja2 with autoescape on, so no title can inject markup; a project can override any
template with a file of the same name in its own templates folder. Links are relative site
URLs computed for the page they appear on (``rel``), so they work with
``use_directory_urls`` on and off.
"""

from __future__ import annotations

import contextlib
import re
from collections.abc import Callable, Hashable, Iterable
from functools import partial
from pathlib import Path
from typing import Any, Protocol

from jinja2 import (
    ChoiceLoader,
    Environment,
    FileSystemBytecodeCache,
    FileSystemLoader,
    PackageLoader,
    StrictUndefined,
    TemplateError,
)
from jinja2.bccache import Bucket

from plandocs.core.urls import SiteUrls, relative_url
from plandocs.render.titles import one_line

# "<", ">" and "&" are left to autoescape: escaped here too, they would show a backslash.
_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+!|])")
#: what ``getattr`` finds on any plain dict: its methods, which Jinja2 gives before a key
_DICT_ATTRIBUTES = frozenset(dir(dict))


class _BytecodeCache(FileSystemBytecodeCache):
    """Compiled templates kept between builds; a file that cannot be read or written is
    compiled again, as without the cache."""

    def load_bytecode(self, bucket: Bucket) -> None:
        with contextlib.suppress(OSError):
            super().load_bytecode(bucket)

    def dump_bytecode(self, bucket: Bucket) -> None:
        with contextlib.suppress(OSError):
            super().dump_bytecode(bucket)


def template_cache(folder: Path) -> _BytecodeCache | None:
    """Jinja's cache of compiled templates in ``folder``; ``None`` where it cannot be made
    (a read-only checkout): no cache then."""
    with contextlib.suppress(OSError):
        folder.mkdir(parents=True, exist_ok=True)
        return _BytecodeCache(str(folder))
    return None


class RenderError(Exception):
    """A template could not be rendered (usually a project's own override); one line."""


class FragmentStore(Protocol):
    """Rendered fragments kept between builds, by template, page and context (plain data):
    ``plandocs.cache.fragments.FragmentCache``, made by the adapter from the environment,
    whose templates are part of every key."""

    def render(
        self,
        template: str,
        page_uri: str,
        context: dict[str, Any],
        make: Callable[[], str],
        *,
        counted: bool = True,
    ) -> str: ...

    def keep(self, template: str, page_uri: str, context: dict[str, Any]) -> None: ...

    def derived(self, key: Hashable, make: Callable[[], str]) -> str: ...

    def hand(self, name: str, kept: dict[Any, Any]) -> None: ...

    def handed(self, name: str) -> dict[Any, Any]: ...

    def remember(self, values: Iterable[object]) -> None: ...

    def forget(self) -> None: ...


def _md_escape(text: object) -> str:
    """A writer's text as Markdown that shows it as written, on one line (a line break
    would end a heading): every mark that makes a link, emphasis, code or an attribute
    list escaped. For a Markdown line of a ``.md`` template: ``{{ title | md }}``."""
    return _MD_SPECIAL.sub(r"\\\1", one_line(text))


def count_of(number: int, noun: str, plural: str | None = None) -> str:
    """``3 orders``, ``1 order``: a count and its noun, in the number it takes."""
    return f"{number} {noun if number == 1 else plural or noun + 's'}"


class _Environment(Environment):
    """Jinja2's environment, but for a key of a plain dict: the templates write ``o.id``
    for an order's ``id``, and Jinja2 looks for an attribute first, whose AttributeError
    costs more than the lookup itself. The result is the same: a dict's own methods
    (``items``, ``keys``) still come first, and a missing key is still undefined."""

    def getattr(self, obj: Any, attribute: str) -> Any:
        if type(obj) is dict and attribute not in _DICT_ATTRIBUTES:
            try:
                return obj[attribute]
            except KeyError:
                pass
        return super().getattr(obj, attribute)


class Templates:
    """The templates of one build, the fragments kept from earlier builds (``store``), and
    compiled templates kept in a ``bytecode_cache`` folder (Jinja2's own cache)."""

    def __init__(
        self,
        urls: SiteUrls,
        templates_dir: str | None = None,
        fragment_cache: Callable[[Environment], FragmentStore] | None = None,
        bytecode_cache: Path | None = None,
    ) -> None:
        self.urls = urls
        own = [FileSystemLoader(templates_dir)] if templates_dir else []
        compiled = None if bytecode_cache is None else template_cache(bytecode_cache)
        self.env = _Environment(
            loader=ChoiceLoader([*own, PackageLoader("plandocs.render", "templates")]),
            autoescape=True,
            trim_blocks=True,
            lstrip_blocks=True,
            keep_trailing_newline=True,
            undefined=StrictUndefined,
            # one build: a template is loaded once, not looked up on disk at each use
            auto_reload=False,
            bytecode_cache=compiled,
        )
        self.env.filters.update(md=_md_escape, line=one_line, count=count_of)
        self.store = fragment_cache(self.env) if fragment_cache is not None else None

    def plain(self, template: str, **context: Any) -> str:
        """``template`` rendered with ``context``; a template error is one RenderError line."""
        try:
            return self.env.get_template(template).render(**context)
        except TemplateError as exc:
            where = getattr(exc, "filename", None) or template
            line = getattr(exc, "lineno", None)
            place = f"{where}:{line}" if line else where
            raise RenderError(f"template {place}: {exc.message or exc}") from None

    def render(self, template: str, page_uri: str, **context: Any) -> str:
        """``template`` for the page ``page_uri``: ``rel(url)`` is a site URL's link from it."""
        return self.plain(
            template, rel=partial(relative_url, page=self.urls.of(page_uri)), **context
        )

    def cached(self, template: str, page_uri: str, **context: Any) -> str:
        """``render`` of a template whose context is plain data, through the fragment store."""
        if self.store is None:
            return self.render(template, page_uri, **context)
        make = partial(self.render, template, page_uri, **context)
        return self.store.render(template, page_uri, context, make)
