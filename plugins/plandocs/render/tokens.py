"""The placeholders ("tokens") that stand in a page for its cards, tables, diagrams and
cross-links until the page is finished.

A token is one word that no inline extension splits: ``plandocsfrag``, its kind (``E``,
``L``, ``D``, ``R``: see ``Placeholders``), the build's secret, a number, and ``x``
(``plandocsfragLkqmbtwaefhjo7x``). The secret is twelve letters drawn at random when a
build starts, after every page, title and template it reads was written: text cannot
hold it except by guessing one of 25**12 (about 2**56) words. So no text a writer types,
in a code span, a heading, a title or a template, can be taken for a token, or fill in
another page's table; the literal ``plandocsfragR0x`` is text like any other.

Nothing kept between builds holds a secret: the page cache writes each token in the
``CANONICAL`` form (no secret), and does not cache a page whose text holds the literal
``plandocsfrag`` (its canonical form could not be told from a token). Output has no
token left, so two builds still give the same bytes.
"""

from __future__ import annotations

import hashlib
import re
import secrets
from collections.abc import Callable, Mapping

from markupsafe import escape

from plandocs.core.diagram.fences import without_script_links
from plandocs.core.diagram.legend import legend_html
from plandocs.core.links import Target, markdown_link
from plandocs.core.urls import SiteUrls, relative_url

PREFIX = "plandocsfrag"
# no "x", which ends the word; lower case, after the kind's capital
_ALPHABET = "abcdefghijklmnopqrstuvwyz"
_SECRET_LENGTH = 12


class Tokens:
    """The tokens of one build: ``secret`` is random unless given (tests, ``CANONICAL``)."""

    def __init__(self, secret: str | None = None) -> None:
        if secret is None:
            secret = "".join(secrets.choice(_ALPHABET) for _ in range(_SECRET_LENGTH))
        self.secret = secret
        # starts with its literal, so a page is scanned at str.find's speed
        self.pattern = re.compile(
            PREFIX + r"(?P<kind>[ELDR])" + re.escape(secret) + r"(?P<number>[0-9]+)x"
        )

    def make(self, kind: str, number: int | str) -> str:
        """The token of kind ``kind`` (E, L, D, R) and number ``number``."""
        return f"{PREFIX}{kind}{self.secret}{number}x"

    def left_in(self, text: str) -> bool:
        """Whether ``text`` still holds a token, or what an extension left of one."""
        return (self.secret or PREFIX) in text


#: tokens as the page cache keeps them: without a secret
CANONICAL = Tokens("")


def quoted(text: str, tokens: Tokens) -> bool:
    """Whether ``text`` holds the word ``plandocsfrag`` (in any case) elsewhere than in
    ``tokens``: a page that quotes a token, whose canonical form is ambiguous."""
    return text.lower().count(PREFIX) != len(tokens.pattern.findall(text))


def swap_tokens(html: str, tokens: Tokens, swap: Callable[[str, int], str]) -> str:
    """``html`` with each token, and the paragraph or comment that holds nothing else,
    replaced by ``swap(kind, number)``; an R token inside ``<a TOKEN>`` is of kind ``r``."""
    if tokens.secret not in html:
        return html
    out: list[str] = []
    done = 0
    for match in tokens.pattern.finditer(html):
        start, end = match.span()
        kind = match.group("kind")
        if kind == "R":  # a link inside a sentence; in "<a TOKEN>", its attributes
            if html.startswith("<a ", start - 3) and html.startswith(">", end):
                kind = "r"
        elif html.startswith("<p>", start - 3) and html.startswith("</p>", end):
            start, end = start - 3, end + 4
        elif html.startswith("<!--", start - 4) and html.startswith("-->", end):
            start, end = start - 4, end + 3
        out.append(html[done:start])
        out.append(swap(kind, int(match.group("number"))))
        done = end
    out.append(html[done:])
    return "".join(out)


class Placeholders:
    """What stands in one build's pages as tokens, and what each token becomes.

    Kinds: E, an early fragment (the folded text of an ASCII tree), filled once Markdown
    has run, so search reads it; L, a late fragment (a card, a table), and D, a diagram's
    SVG, which neither Markdown nor search reads: they stay comments until the page is
    finished, so the content MkDocs keeps for every page until the build ends stays small;
    R, a cross-link in running text, whose address and tooltip wait for the finished page.
    Python-Markdown reads a whole page with an HTML parser as soon as it holds one raw HTML
    block, and its inline link pattern is slow: tokens keep both off most pages."""

    def __init__(self, tokens: Tokens, urls: SiteUrls) -> None:
        self.tokens = tokens
        self.urls = urls
        #: the fragments, by number; a late one may be a function that renders it when the
        #: page is written
        self.fragments: list[str | Callable[[], str]] = []
        #: diagram key -> its inline SVG, drawn by the adapter in one batch
        self.diagrams: Mapping[str, str] = {}
        self._slots: dict[str, int] = {}  # diagram key -> its number
        self._slot_keys: list[str] = []  # and back
        self._refs: dict[int, tuple[Target, str, bool]] = {}  # cross-links by number

    def early(self, html: str) -> str:
        """A token for ``html`` until Markdown has run; the caller gives it a paragraph."""
        self.fragments.append(html.strip())
        return self.tokens.make("E", len(self.fragments) - 1)

    def late(self, html: str | Callable[[], str]) -> str:
        """A token for ``html``, or for what the function ``html`` renders, until the page
        is finished."""
        self.fragments.append(html if callable(html) else str(html).strip())
        return self.tokens.make("L", len(self.fragments) - 1)

    def slot(self, key: str) -> str:
        """A token for diagram ``key``, or "" when there is none."""
        if key not in self.diagrams:
            return ""
        number = self._slots.get(key)
        if number is None:
            number = self._slots[key] = len(self._slot_keys)
            self._slot_keys.append(key)
        return self.tokens.make("D", number)

    def link(self, target: Target, shown: str, local: bool) -> str | None:
        """A token for a cross-link in running text. It names the target and the text, not
        the tooltip, so a page whose links' titles changed is still the same Markdown to
        the page cache. ``None`` on the (unlikely) clash of two links' numbers: the caller
        writes a Markdown link."""
        key = (target.id, target.page, target.anchor or "", shown, "#" if local else "")
        digest = hashlib.blake2b("\0".join(key).encode("utf-8"), digest_size=6).digest()
        number = int.from_bytes(digest, "big")
        known = self._refs.setdefault(number, (target, shown, local))
        if known != (target, shown, local):
            return None
        return self.tokens.make("R", number)

    def release(self) -> None:
        """Let go of every fragment and cross-link: each page is written (what the end of a
        build makes, such as planning.json, then reuses their memory)."""
        self.fragments.clear()
        self._refs.clear()

    def after_markdown(self, html: str) -> str:
        """A page's HTML once Markdown has run: early fragments in their places, late
        fragments and diagrams as comments, and each cross-link as ``<a TOKEN>ID</a>``, whose
        text search reads."""

        def swap(kind: str, number: int) -> str:
            if kind == "R":
                return f"<a {self.tokens.make('R', number)}>{escape(self._refs[number][1])}</a>"
            if kind == "r":  # already waiting for finish
                return self.tokens.make("R", number)
            if kind == "E":
                return self._content(kind, number)
            return f"<!--{self.tokens.make(kind, number)}-->"

        return swap_tokens(html, self.tokens, swap)

    def finish(self, html: str, page_uri: str) -> str:
        """The finished page: every fragment, diagram and link in its place (a page that
        skipped ``after_markdown``, such as a blog excerpt, gets its early fragments here)."""
        return swap_tokens(html, self.tokens, lambda k, n: self._swapped(k, n, page_uri))

    def _swapped(self, kind: str, number: int, page_uri: str) -> str:
        if kind in "rR":
            target, shown, local = self._refs[number]
            here = self.urls.of(page_uri)
            href = (
                f"#{target.anchor}"
                if local
                else relative_url(self.urls.of(target.page, target.anchor), here)
            )
            attributes = f'href="{escape(href)}" title="{escape(target.tooltip)}"'
            return attributes if kind == "r" else f"<a {attributes}>{escape(shown)}</a>"
        content = self._content(kind, number)
        if kind != "L":
            return content
        # a late fragment may hold a diagram's token
        return swap_tokens(content, self.tokens, lambda k, n: self._swapped(k, n, page_uri))

    def _content(self, kind: str, number: int) -> str:
        if kind == "D":
            key = self._slot_keys[number]
            drawn = self.diagrams[key].strip()
            if key.startswith("block:"):  # a writer's own diagram: its links as they are safe
                # whatever it starts with: stylesheet= puts <?xml-stylesheet?> before <svg>
                return without_script_links(drawn)
            if not drawn.startswith("<svg"):
                return drawn  # shown as its source
            return f"{drawn}\n{legend_html(drawn, tree=key.startswith('tree:'))}"
        fragment = self.fragments[number]
        return fragment().strip() if callable(fragment) else fragment

    def inline(self, markdown: str, page_uri: str) -> str:
        """``markdown`` with every fragment written out in place of its token, and each
        cross-link as the Markdown link it stands for: for tests and golden files."""

        def expand(match: re.Match[str]) -> str:
            kind, number = match.group("kind"), int(match.group("number"))
            if kind != "R":
                return self._content(kind, number)
            target, shown, local = self._refs[number]
            return markdown_link(target, shown, page_uri, local=local)

        return self.tokens.pattern.sub(expand, markdown)
