"""Pages converted by Python-Markdown, kept between builds, so that a rebuild converts only
the pages whose Markdown changed.

``Page.render`` depends only on the page's final Markdown (after every plugin's
``on_page_markdown``), where the page lives, the site's file list, the Markdown extensions
and their settings, and the versions of the code that converts: a hash of exactly those is
the key; the record is what ``render`` leaves on the page (``internals.page_record``).
Not cached, so that a cached build says and does what a fresh one does: a page whose
conversion logged anything (it says it again on every build); every page, when an
extension reads other files (the key cannot see them); a record that does not survive JSON;
a page whose own text holds the word ``plandocsfrag``.

Cards, tables and diagrams are tokens in the Markdown, filled in after conversion, so a
cached page still shows the current card of every order it names; the key and the record
see the tokens without the build's secret and numbered within the page (``Numbering``), so
a diagram added to one page converts that page again and no other.
"""

from __future__ import annotations

import hashlib
import json
import re
import sys
from collections.abc import Callable, Iterable, Mapping
from importlib import metadata
from pathlib import Path
from typing import Any

from mkdocs.structure.files import Files
from mkdocs.structure.pages import Page

from plandocs.cache.parsed import code_digest
from plandocs.cache.records import RecordStore
from plandocs.mkdocs.internals import heard, log_level, page_record, restore_page, wrap_render
from plandocs.render.tokens import CANONICAL, Tokens, quoted

# Extensions that read files the key cannot see (a module of one of them, too): with one
# of them, nothing is cached.
FILE_READING_EXTENSIONS = ("pymdownx.snippets", "mdx_include", "markdown_include")
# Code whose version changes the HTML a page converts to.
_DISTRIBUTIONS = (
    "mkdocs",
    "properdocs",
    "markdown",
    "pymdown-extensions",
    "mkdocs-material",
    "plandocs",
)
_ADDRESS = re.compile(r" at 0x[0-9a-fA-F]+")
_FORMAT = "2"  # bump when the record's shape changes


def file_reading_extension(extensions: Iterable[Any]) -> str | None:
    """The first configured extension that reads other files, if any."""
    for extension in extensions:
        name = extension if isinstance(extension, str) else type(extension).__module__
        if any(name == known or name.startswith(known + ".") for known in FILE_READING_EXTENSIONS):
            return name
    return None


def stable(value: Any) -> Any:
    """``value`` as JSON that is the same in every process: a function by its name, an
    object by its ``repr`` without the memory address."""
    if isinstance(value, Mapping):
        return {str(k): stable(v) for k, v in sorted(value.items(), key=lambda kv: str(kv[0]))}
    if isinstance(value, (list, tuple, set, frozenset)):
        items = [stable(v) for v in value]
        return sorted(items, key=repr) if isinstance(value, (set, frozenset)) else items
    if value is None or isinstance(value, (str, int, float, bool)):
        return value
    if callable(value) and hasattr(value, "__qualname__"):
        return f"{getattr(value, '__module__', '')}.{value.__qualname__}"
    return _ADDRESS.sub("", repr(value))


def _versions() -> list[str]:
    out = [sys.version]
    for name in _DISTRIBUTIONS:
        try:
            out.append(f"{name}=={metadata.version(name)}")
        except metadata.PackageNotFoundError:
            out.append(f"{name} absent")
    # plandocs' own code (its Markdown extension reads core's fence rules): a checkout
    # changes it without a new version
    out.append(code_digest())
    return out


def build_salt(config: Mapping[str, Any], files: Files) -> str:
    """What every page's key shares: code versions, the settings that conversion reads, and
    the site's files (a link resolves, or not, against them)."""
    digest = hashlib.sha256()
    settings = {
        "extensions": config["markdown_extensions"],
        "extension_configs": config["mdx_configs"],
        "use_directory_urls": config["use_directory_urls"],
        "validation": config.get("validation"),
        "docs_dir": config["docs_dir"],
        # what a page is heard to say (MkDocs notes links to anchors only above DEBUG)
        "log_level": log_level(),
    }
    for part in (_FORMAT, json.dumps(_versions()), json.dumps(stable(settings), sort_keys=True)):
        digest.update(part.encode("utf-8"))
        digest.update(b"\0")
    for file in sorted(files, key=lambda f: f.src_uri):
        # a link to an excluded file is a finding of its own
        digest.update(
            f"{file.src_uri}\0{file.dest_uri}\0{file.url}\0{file.inclusion.name}\0".encode()
        )
    return digest.hexdigest()


class Numbering:
    """A page's tokens as the cache keeps them: in the ``CANONICAL`` form (no build's
    secret), numbered within the page: the ``number`` of each token, in the order the
    numbers first appear, becomes 0, 1, 2... Conversion treats a token as the word it is
    whatever its secret and digits, so a page converted under one numbering is the page
    under any other once its tokens are numbered back.

    A page whose own text holds the word ``plandocsfrag`` (a page that quotes a token) is
    not ``cacheable``: in the canonical form, the text it quotes could not be told from a
    token."""

    def __init__(self, tokens: Tokens | None, markdown: str) -> None:
        self.tokens = tokens
        self.local: dict[str, str] = {}  # the build's number -> the page's
        self.build: dict[str, str] = {}  # and back
        self.cacheable = tokens is None or not quoted(markdown, tokens)
        if tokens is None or not self.cacheable:
            self.markdown = markdown
        else:
            self.markdown = self._renumber(markdown, tokens, CANONICAL, self._give)

    def _give(self, number: str) -> str:
        local = self.local.get(number)
        if local is None:
            local = self.local[number] = str(len(self.local))
            self.build[local] = number
        return local

    @staticmethod
    def _renumber(
        text: str, source: Tokens, target: Tokens, new: Callable[[str], str | None]
    ) -> str:
        """``text`` with each token of ``source`` written as ``target``'s, numbered by
        ``new``; KeyError when ``new`` has no number for one."""
        out: list[str] = []
        done = 0
        for match in source.pattern.finditer(text):
            number = new(match.group("number"))
            if number is None:
                raise KeyError(match.group(0))
            out.append(text[done : match.start()])
            out.append(target.make(match.group("kind"), number))
            done = match.end()
        out.append(text[done:])
        return "".join(out)

    def to_page(self, text: str) -> str | None:
        """``text`` (what converting the page gave) in the cache's form; ``None`` when it
        holds a token that its Markdown does not, or anything else that reads
        ``plandocsfrag`` (a token changed in case: a heading with a link, slugified into
        an anchor), which this numbering cannot see."""
        return self._numbered(text, self.tokens, CANONICAL, self.local)

    def to_build(self, text: str) -> str | None:
        """A record's ``text`` with this build's tokens; ``None`` when it does not fit."""
        return self._numbered(text, CANONICAL, self.tokens, self.build)

    def _numbered(
        self, text: str, source: Tokens | None, target: Tokens | None, numbers: dict[str, str]
    ) -> str | None:
        if source is None or target is None:  # the build has no tokens
            return text
        if not self.cacheable or quoted(text, source):
            return None
        try:
            return self._renumber(text, source, target, numbers.get)
        except KeyError:
            return None


class PageCache:
    """Records of converted pages, JSON by key in the SQLite file ``path``. ``tokens``
    are the build's tokens in pages' Markdown (see ``Numbering``)."""

    def __init__(self, path: Path, salt: str, pages: int, tokens: Tokens | None = None) -> None:
        self.store = RecordStore(path)
        self.salt = salt
        self.pages = pages  # how many pages the build converts, when it converts them all
        self.tokens = tokens
        self.used: set[str] = set()
        self.hits = 0
        self.misses = 0
        self.uncacheable = 0

    def key(self, page: Page) -> tuple[str, Numbering]:
        numbering = Numbering(self.tokens, page.markdown or "")
        digest = hashlib.sha256(self.salt.encode("ascii"))
        for part in (page.file.src_uri, page.file.url, numbering.markdown):
            digest.update(b"\0")
            digest.update(part.encode("utf-8", "surrogatepass"))
        return digest.hexdigest(), numbering

    def wrap(self, page: Page) -> None:
        """Make ``page.render`` answer from the cache, and fill the cache on a miss."""
        wrap_render(page, lambda convert, config, files: self._render(page, convert, files))

    def _render(self, page: Page, convert: Callable[[], None], files: Files) -> None:
        key, numbering = self.key(page)
        if not numbering.cacheable:
            self.misses += 1
            self.uncacheable += 1
            convert()
            return
        self.used.add(key)
        if self._put_on(page, self.store.get(key), numbering, files):
            self.hits += 1
            return
        self.misses += 1
        text = self._convert(page, numbering, convert)
        if text is None:
            self.uncacheable += 1
        else:
            self.store.put(key, text)

    @staticmethod
    def _put_on(page: Page, text: str | None, numbering: Numbering, files: Files) -> bool:
        """Put the record ``text`` on ``page``; False when there is none or it does not fit."""
        if text is None:
            return False
        text = numbering.to_build(text)
        if text is None:
            return False
        try:
            record = json.loads(text)
        except ValueError:
            return False
        return isinstance(record, dict) and restore_page(page, record, files)

    @staticmethod
    def _convert(page: Page, numbering: Numbering, convert: Callable[[], None]) -> str | None:
        """Convert ``page``; its record's text, or ``None`` when it cannot be cached: the
        conversion logged something (it must be heard on every build), or the record does
        not survive JSON."""
        with heard() as logged:
            convert()
        record = None if logged() else page_record(page)
        if record is None:
            return None
        try:
            text = json.dumps(record, ensure_ascii=False)
        except (TypeError, ValueError):
            return None
        return numbering.to_page(text)

    def close(self) -> int:
        """Write what is left and remove the records this build did not use; returns how
        many were removed. Only a build that asked for every page (not ``--dirty``) removes
        any: a record of a page that is gone, or of a Markdown that changed, will not be
        asked for again."""
        removed = self.store.keep_only(self.used) if self.complete else 0
        self.store.close()
        return removed

    @property
    def complete(self) -> bool:
        """This build asked for every page: what it did not use is not wanted."""
        return self.hits + self.misses == self.pages
