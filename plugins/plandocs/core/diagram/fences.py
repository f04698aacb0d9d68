"""Graphviz that writers put in their pages: fenced ``dot`` (or ``graphviz``) blocks."""

from __future__ import annotations

import hashlib
import html
import re
from dataclasses import dataclass

from plandocs.core.parse.blocks import fenced_blocks, language


@dataclass(frozen=True)
class DotBlock:
    start: int  # 0-based index of the opening fence line
    end: int  # 0-based index of the closing fence line
    source: str

    @property
    def key(self) -> str:
        return "block:" + hashlib.sha256(self.source.encode("utf-8")).hexdigest()


def dot_blocks(lines: list[str]) -> list[DotBlock]:
    """Every closed ``dot`` fence of a page, outside other fenced code."""
    return [
        DotBlock(start, end, "\n".join(lines[start + 1 : end]) + "\n")
        for start, end, info in fenced_blocks(lines)
        if language(info) in ("dot", "graphviz")
    ]


_HREF = re.compile(r'\s(?:xlink:)?href="(?P<url>[^"]*)"')
#: Schemes whose link runs script in the page (``data:`` opens HTML the writer wrote).
_SCRIPT_SCHEMES = ("javascript:", "vbscript:", "data:")


def without_script_links(svg: str) -> str:
    """``svg`` drawn from a writer's block with each link that would run script dropped.
    Graphviz writes ``URL=``/``href=`` as given, so a ``dot`` block (code, which the writer
    expects shown as text) made a ``javascript:`` link in the site. A URL is read the way a
    browser reads it: entities decoded, spaces and control characters dropped, any case."""

    def checked(match: re.Match[str]) -> str:
        url = re.sub(r"[\x00-\x20]+", "", html.unescape(match.group("url"))).lower()
        return "" if url.startswith(_SCRIPT_SCHEMES) else match.group(0)

    return _HREF.sub(checked, svg)
