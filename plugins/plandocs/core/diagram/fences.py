"""Graphviz that writers put in their pages: fenced ``dot`` (or ``graphviz``) blocks."""

from __future__ import annotations

import hashlib
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
