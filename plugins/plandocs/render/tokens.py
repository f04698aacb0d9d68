"""The placeholders ("tokens") that stand in a page for its cards, tables, diagrams and
cross-links until the page is finished.

A token is one word that no inline extension splits: ``plandocsfrag``, its kind (``E``,
``L``, ``D``, ``R``: see ``Renderer``), the build's secret, a number, and ``x``
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

import re
import secrets

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
