"""Lists as GitHub renders them, for Python-Markdown.

Writers put a list straight under a paragraph or a bold line and nest list items under
the text of their parent (``1. Foo`` then ``   - bar``, three spaces). GitHub renders
both as lists; stock Python-Markdown glues the first into the paragraph and flattens the
second, because it wants a blank line before a list and four spaces per level. This
preprocessor rewrites only list layout (a blank line before a list, indentation of nested
items and their continuation lines) so the writer's Markdown renders as they wrote it.
Fenced code is never touched.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from markdown import Extension, Markdown
from markdown.preprocessors import Preprocessor

_ITEM = re.compile(r"^(?P<indent>[ ]*)(?P<marker>[-*+]|[0-9]{1,9}[.)])(?P<gap>[ ]+|$)(?P<rest>.*)$")
_FENCE = re.compile(r"^[ ]*(?P<fence>`{3,}|~{3,})")
_RULE = re.compile(r"^[ ]{0,3}([-*_])(?:[ ]*\1){2,}[ ]*$")
_TAB = 4


@dataclass
class _Item:
    content_col: int  # where the item's text starts in the source
    new_content: int  # where it starts after rewriting


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip(" "))


def normalize_lists(lines: list[str]) -> list[str]:
    """Rewrite list layout from GitHub's rules to Python-Markdown's. Pure; see module doc."""
    out: list[str] = []
    stack: list[_Item] = []
    fence: str | None = None
    prev_blank = True
    prev_text = False  # previous line was paragraph text outside any list
    for raw in lines:
        line = raw.expandtabs(_TAB) if "\t" in raw[: len(raw) - len(raw.lstrip())] else raw
        if fence is not None:
            out.append(raw)
            if line.strip().startswith(fence) and not line.strip().strip(fence[0]):
                fence = None
            continue
        fence_match = _FENCE.match(line)
        if fence_match:
            fence = fence_match.group("fence")
            out.append(raw)
            stack.clear()
            prev_blank, prev_text = False, False
            continue
        if not line.strip():
            out.append(raw)
            prev_blank, prev_text = True, False
            continue
        indent = _indent(line)
        item = _ITEM.match(line)
        if item and not _RULE.match(line) and (indent < _TAB or stack):
            while stack and indent < stack[-1].content_col:
                stack.pop()
            new_indent = stack[-1].new_content if stack else 0
            if prev_text:
                out.append("")
            marker = item.group("marker")
            gap = len(item.group("gap")) or 1
            if gap > _TAB:  # a list item that starts with indented code keeps one space
                gap = 1
            content_col = indent + len(marker) + gap
            out.append(" " * new_indent + marker + " " + item.group("rest"))
            stack.append(_Item(content_col=content_col, new_content=new_indent + _TAB))
            prev_blank, prev_text = False, False
            continue
        if stack:
            owner = next((it for it in reversed(stack) if indent >= it.content_col), None)
            if owner is not None:
                while stack[-1] is not owner:
                    stack.pop()
                out.append(
                    " " * (owner.new_content + indent - owner.content_col) + line.lstrip(" ")
                )
                prev_blank, prev_text = False, False
                continue
            if not prev_blank:
                out.append(raw)  # lazy continuation of the item's paragraph
                continue
            stack.clear()
        out.append(raw)
        stripped = line.lstrip()
        prev_text = not (
            stripped.startswith(("#", "|", ">", "<")) or _RULE.match(line) or indent >= _TAB
        )
        prev_blank = False
    return out


class _ListPreprocessor(Preprocessor):
    def run(self, lines: list[str]) -> list[str]:
        return normalize_lists(lines)


class GfmListsExtension(Extension):
    def extendMarkdown(self, md: Markdown) -> None:  # noqa: N802 - Python-Markdown's API
        # Before fenced code (priority 25) is stashed, so fences are still visible and skipped.
        md.preprocessors.register(_ListPreprocessor(md), "plandocs_gfm_lists", 27)


def makeExtension(**kwargs: Any) -> GfmListsExtension:  # noqa: N802 - Python-Markdown's API
    return GfmListsExtension(**kwargs)
