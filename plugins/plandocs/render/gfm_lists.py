"""Lists as GitHub renders them, for Python-Markdown.

Writers put a list straight under a paragraph and nest items under their parent's text
(``1. Foo`` then ``   - bar``). GitHub renders both as lists; Python-Markdown wants a blank
line before a list and four spaces per level. This preprocessor rewrites only list layout
(blank lines, the indentation of nested items, their continuation lines and fenced code),
following GitHub where a list may not start: an ordered list interrupts a paragraph only
when it starts at 1, an empty item never does. Fenced code and raw HTML blocks outside
lists are never touched; blockquotes get the same rules inside.
"""

from __future__ import annotations

import re
from collections.abc import Generator
from dataclasses import dataclass
from typing import Any

from markdown import Extension, Markdown
from markdown.preprocessors import Preprocessor

from plandocs.core.parse.blocks import closes_fence, fence_opening

_ITEM = re.compile(
    r"^(?P<indent>[ ]*)(?P<marker>[-*+]|(?P<number>[0-9]{1,9})[.)])(?P<gap>[ ]+|$)(?P<rest>.*)$"
)
_RULE = re.compile(r"^[ ]{0,3}([-*_])(?:[ ]*\1){2,}[ ]*$")
_QUOTE = re.compile(r"^[ ]{0,3}>[ ]?")
_HTML = re.compile(r"^[ ]{0,3}<(?P<tag>[A-Za-z][A-Za-z0-9-]*|!--)")
# Tags that open a raw HTML block, whose content Python-Markdown passes through untouched.
_HTML_BLOCK_TAGS = re.compile(
    r"address|article|aside|blockquote|canvas|center|details|dialog|dir|div|dl|fieldset|"
    r"figcaption|figure|footer|form|header|h[1-6]|hgroup|iframe|main|math|menu|nav|noscript|"
    r"ol|p|pre|script|section|style|summary|table|tbody|td|textarea|tfoot|th|thead|tr|ul|video"
)
_TAB = 4


@dataclass
class _Item:
    content_col: int  # where the item's text starts in the source
    new_content: int  # where it starts after rewriting


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip(" "))


def _moved(indent: int, owner: _Item) -> int:
    """Where a line of ``owner``'s content goes.

    A line at Python-Markdown's own depth or a multiple of four beyond it is MkDocs-style
    (``    !!! note`` under ``- item``, code at eight spaces) and stays. Any other depth is
    GitHub-style, counted from the item's text (``- a`` then six spaces is code), and
    moves with its item."""
    if indent >= owner.new_content and (indent - owner.new_content) % _TAB == 0:
        return indent
    return owner.new_content + indent - owner.content_col


def _interrupts(line: str) -> bool:
    """A heading, rule, quote or HTML block ends a list it is not indented into."""
    return bool(
        re.match(r"^[ ]{0,3}#{1,6}(?:[ \t]|$)", line)
        or _RULE.match(line)
        or _QUOTE.match(line)
        or _html_end(line) is not None
    )


def _shift(line: str, delta: int) -> str:
    if not line.strip():
        return line
    return " " * delta + line if delta >= 0 else line[min(-delta, _indent(line)) :]


def _html_end(line: str) -> str | None:
    """How the raw HTML block this line opens ends: its closing tag, or ``-->``.
    ``None`` when the line opens no block Python-Markdown keeps raw."""
    match = _HTML.match(line)
    if not match:
        return None
    tag = match.group("tag").lower()
    if tag == "!--":
        return "-->"
    return f"</{tag}>" if _HTML_BLOCK_TAGS.fullmatch(tag) else None


def _html_block(lines: list[str], start: int) -> int:
    """Index after the raw HTML block starting at ``start``."""
    end = _html_end(lines[start])
    assert end is not None
    tag = end[2:-1] if end.startswith("</") else None
    depth = 0
    for index in range(start, len(lines)):
        lower = lines[index].lower()
        if tag is None:
            if end in lower:
                return index + 1
            continue
        depth += len(re.findall(rf"<{tag}(?=[\s/>]|$)", lower)) - lower.count(end)
        if depth <= 0:
            return index + 1
    return len(lines)


#: What ``_normalize`` yields to have the lines inside a blockquote normalised, and is sent.
_Quoted = Generator[list[str], list[str], list[str]]


def normalize_lists(lines: list[str]) -> list[str]:
    """Rewrite list layout from GitHub's rules to Python-Markdown's. Pure; see module doc.

    A blockquote's content gets the same rules. Quotes nest as deep as a writer types
    ``>`` (a line of ten thousand is a page), so the levels are a stack of generators this
    loop drives, never a recursion that Python's stack limit ends."""
    stack: list[_Quoted] = [_normalize(lines)]
    result: list[str] | None = None  # what the level above the top of the stack is sent
    while True:
        try:
            inner = next(stack[-1]) if result is None else stack[-1].send(result)
        except StopIteration as done:
            stack.pop()
            if not stack:
                return list(done.value)
            result = done.value
            continue
        stack.append(_normalize(inner))
        result = None


def _normalize(lines: list[str]) -> _Quoted:
    """``normalize_lists`` of one level: yields the content of each blockquote and is sent
    it normalised."""
    level = _Level(lines)
    while level.index < len(lines):
        raw = lines[level.index]
        line = raw.expandtabs(_TAB) if "\t" in raw[: len(raw) - len(raw.lstrip())] else raw
        indent = _indent(line)
        owner = level.owner(line, indent)
        fence = fence_opening(line)
        if fence is not None:
            level.fence(line, fence, indent, owner)
        elif not level.stack and _html_end(line) is not None:
            stop = _html_block(lines, level.index)
            level.block(stop, lines[level.index : stop])
        elif not level.stack and _QUOTE.match(line):
            stop = level.index
            while stop < len(lines) and _QUOTE.match(lines[stop]):
                stop += 1
            inner = yield [_QUOTE.sub("", text, count=1) for text in lines[level.index : stop]]
            level.block(stop, [f"> {text}" if text else ">" for text in inner])
        else:
            level.index += 1
            level.line(raw, line, indent, owner)
    return level.out


class _Level:
    """One level of ``normalize_lists`` (a page, or a blockquote's content): its lines, what
    is written so far, the open list items, and what the line before was."""

    def __init__(self, lines: list[str]) -> None:
        self.lines, self.index = lines, 0
        self.out: list[str] = []
        self.stack: list[_Item] = []
        self.prev_blank = True
        self.prev_text = False  # paragraph text outside any list
        self.prev_code = False  # indented code inside an item

    def owner(self, line: str, indent: int) -> _Item | None:
        """The open item ``line`` belongs to; a line of none that interrupts a list ends it."""
        if not self.stack:
            return None
        owner = next((it for it in reversed(self.stack) if indent >= it.content_col), None)
        if owner is None and _interrupts(line):
            self.stack.clear()
        return owner

    def _close_after(self, owner: _Item | None) -> None:
        """Close the items nested in ``owner`` (every item, without one)."""
        del self.stack[self.stack.index(owner) + 1 if owner else 0 :]

    def block(self, stop: int, written: list[str]) -> None:
        """The lines up to ``stop`` (fenced code, raw HTML, a blockquote) as ``written``."""
        self.out.extend(written)
        self.index = stop
        self.prev_blank = self.prev_text = False

    def fence(self, line: str, fence: str, indent: int, owner: _Item | None) -> None:
        """Fenced code: copied as it is, or moved with the list item it belongs to."""
        delta = _moved(indent, owner) - indent if owner else 0
        loose = self.prev_blank
        self._close_after(owner)
        lines = self.lines
        after = range(self.index + 1, len(lines))  # the end: the closing fence or the page's
        stop = next((i + 1 for i in after if closes_fence(lines[i], fence)), len(lines))
        written = [_shift(text, delta) for text in [line, *lines[self.index + 1 : stop]]]
        if loose and stop < len(lines) and _ITEM.match(lines[stop]):
            # In a loose list Python-Markdown needs a blank line between code and the next
            # item; a tight list stays tight.
            written.append("")
        self.block(stop, written)

    def line(self, raw: str, line: str, indent: int, owner: _Item | None) -> None:
        """Any other line: blank, a list item, an item's content, or text."""
        if not line.strip():
            self.out.append(raw)
            self.prev_blank, self.prev_text, self.prev_code = True, False, False
            return
        item = _ITEM.match(line)
        if (
            item
            and self.prev_text
            and (item.group("number") not in (None, "1") or not item.group("rest").strip())
        ):
            item = None  # GitHub: such a line continues the paragraph
        if item and not _RULE.match(line) and (indent < _TAB or self.stack):
            self._item(item, indent)
        else:
            self._text(raw, line, indent, owner)

    def _item(self, item: re.Match[str], indent: int) -> None:
        stack = self.stack
        while stack and indent < stack[-1].content_col:
            stack.pop()
        new_indent = stack[-1].new_content if stack else 0
        if self.prev_text or self.prev_code:
            self.out.append("")  # a list cannot start inside a paragraph or a code block
        marker = item.group("marker")
        gap = len(item.group("gap"))
        if not 0 < gap <= _TAB:  # a list item that starts with indented code keeps one space
            gap = 1
        self.out.append(" " * new_indent + marker + " " + item.group("rest"))
        stack.append(_Item(content_col=indent + len(marker) + gap, new_content=new_indent + _TAB))
        self.prev_blank = self.prev_text = self.prev_code = False

    def _text(self, raw: str, line: str, indent: int, owner: _Item | None) -> None:
        if owner is not None:  # an item's content, moved with it
            self._close_after(owner)
            moved = _moved(indent, owner)
            self.out.append(" " * moved + line.lstrip(" "))
            self.prev_code = moved >= owner.new_content + _TAB and (
                self.prev_blank or self.prev_code
            )
            self.prev_blank = self.prev_text = False
            return
        if self.stack and not self.prev_blank:
            self.out.append(raw)  # lazy continuation of the item's paragraph
            return
        self.stack.clear()
        self.out.append(raw)
        self.prev_text = not (
            line.lstrip().startswith(("#", "|", ">", "<")) or _RULE.match(line) or indent >= _TAB
        )
        self.prev_blank = False


class _ListPreprocessor(Preprocessor):
    def run(self, lines: list[str]) -> list[str]:
        return normalize_lists(lines)


class GfmListsExtension(Extension):
    def extendMarkdown(self, md: Markdown) -> None:  # noqa: N802 - Python-Markdown's API
        # Before fenced code (priority 25) and raw HTML (20) are stashed, so both are still
        # visible here and can be left alone.
        md.preprocessors.register(_ListPreprocessor(md), "plandocs_gfm_lists", 27)


def makeExtension(**kwargs: Any) -> GfmListsExtension:  # noqa: N802 - Python-Markdown's API
    return GfmListsExtension(**kwargs)
