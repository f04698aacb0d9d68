"""Page titles, and the other metadata a theme prints, that stay plain text wherever a
theme writes them.

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

Material prints a few more frontmatter keys raw (checked with Material 9.8): ``subtitle``
under a nav entry, ``description`` and ``author`` in ``<meta content="...">``, and
``status`` in a nav entry's class (an order's and an ADR's ``status`` is a planning field
that Material reads as its page status). ``safe_meta`` makes each of them text there too.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable, Mapping

#: what stands for a character no title may hold: shown nearly alike, never markup
LOOKALIKES = {"<": "\u2039", ">": "\u203a", "&": "\uff06"}
_ANGLES = str.maketrans({"<": LOOKALIKES["<"], ">": LOOKALIKES[">"]})
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def one_line(text: object) -> str:
    """``text`` on one line, control characters (which no page or XML can hold) as spaces.
    A Jinja2 filter too (``{{ title | line }}``): in a ``.md`` template's HTML block, a blank
    line would end the block and turn the rest into Markdown."""
    return " ".join(_CONTROL.sub(" ", str(text)).split())


def plain_title(text: str) -> str:
    """``text`` (plain text, as a writer means it) as a title that shows as written
    wherever a theme puts it: raw, escaped or through ``striptags``; on one line."""
    text = one_line(text).translate(_ANGLES)
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


#: metadata Material writes raw inside an attribute: HTML-escaped, as the attribute needs
_IN_ATTRIBUTES = ("description", "author")
_NOT_IN_CLASS = re.compile(r"[^\w-]+")


def safe_meta(meta: Mapping[str, object], title: str | None) -> dict[str, str]:
    """What to change in a page's metadata ``meta`` (by key) for the theme to print each
    value as text (``title`` is MkDocs' own); empty when all is safe as it is."""
    out: dict[str, str] = {}
    safe_title = safe_page_title(meta.get("title"), title)
    if safe_title is not None:
        out["title"] = safe_title
    made_safe: dict[str, Callable[[str], str]] = {
        "subtitle": plain_title,
        "status": _class_word,
        **dict.fromkeys(_IN_ATTRIBUTES, html.escape),
    }
    for key, make_safe in made_safe.items():
        value = meta.get(key)
        if value in (None, ""):
            continue
        safe = make_safe(str(value))
        if safe != value:
            out[key] = safe
    return out


def _class_word(text: str) -> str:
    """``text`` as one word of a class attribute: Material's page status (``new``)."""
    return _NOT_IN_CLASS.sub("-", text).strip("-")
