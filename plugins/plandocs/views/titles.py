"""Page titles that stay plain text wherever a theme writes them.

A page's title reaches the finished site through the theme, never through our templates:
Material writes it raw (``{{ page.meta.title }}`` in ``<title>`` and the header,
``{{ nav_item.title }}`` in the nav, ``{{ page.next_page.title }}`` in the footer), through
``striptags`` (``{{ page.title | striptags }}`` in ``<title>``), which *unescapes* entities
after removing tags, and escaped in attributes. An escaped title (``&lt;img&gt;``) becomes
markup after ``striptags``; a raw one is markup already. No text containing ``<`` can be
right in both, so a title is made of characters that mean the same in all three: ``<`` and
``>`` become their look-alikes ``‹`` and ``›``, and an ``&`` that would start an entity
becomes the full-width ``＆``. Quotes stay: they are text in element content, and every
attribute Material writes a title in escapes it (``| e``).
"""

from __future__ import annotations

import html
import re

#: what stands for a character no title may hold: shown nearly alike, never markup
LOOKALIKES = {"<": "\u2039", ">": "\u203a", "&": "\uff06"}
_ANGLES = str.maketrans({"<": LOOKALIKES["<"], ">": LOOKALIKES[">"]})
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def plain_title(text: str) -> str:
    """``text`` (plain text, as a writer means it) as a title that shows as written
    wherever a theme puts it: raw, escaped or through ``striptags``; on one line."""
    text = " ".join(_CONTROL.sub(" ", text).split()).translate(_ANGLES)
    if "&" not in text:
        return text
    head, *rest = text.split("&")
    # An entity cannot span another "&": each piece says alone whether it starts one.
    pieces = [head]
    for piece in rest:
        amp = "&" if html.unescape(f"&{piece}") == f"&{piece}" else LOOKALIKES["&"]
        pieces.append(amp + piece)
    return "".join(pieces)


def safe_page_title(meta_title: object, title: str | None) -> str | None:
    """What a page's ``meta["title"]`` must be for the theme to show its title as text, or
    ``None`` when the title is safe as it is.

    ``meta_title`` is the page's frontmatter ``title`` (``None`` when it has none): a
    writer's text, shown as written. Otherwise ``title`` is MkDocs' own (from its first
    heading, its nav entry or its file name): HTML text, its tags stripped and its
    entities kept, so it is unescaped first."""
    if meta_title is not None:
        safe = plain_title(str(meta_title))
        return None if safe == meta_title else safe
    if not title:
        return None
    safe = plain_title(html.unescape(title))
    return None if safe == title else safe
