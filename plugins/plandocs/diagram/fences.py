"""Graphviz that writers put in their pages: fenced ``dot`` (or ``graphviz``) blocks."""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass

from ..parse.blocks import closes_fence, fence_opening

_INFO = re.compile(r"^[ \t]*(?P<fence>`{3,}|~{3,})[ \t]*\{?\.?(?:dot|graphviz)\b", re.IGNORECASE)


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
    found: list[DotBlock] = []
    number = 0
    while number < len(lines):
        fence = fence_opening(lines[number])
        if fence is None:
            number += 1
            continue
        start = number
        number += 1
        while number < len(lines) and not closes_fence(lines[number], fence):
            number += 1
        if number < len(lines) and _INFO.match(lines[start]):
            found.append(DotBlock(start, number, "\n".join(lines[start + 1 : number]) + "\n"))
        number += 1
    return found
