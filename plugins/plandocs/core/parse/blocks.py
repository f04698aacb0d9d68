"""Markdown block structure that every line-based reader must respect: fenced code, HTML
comments, and ATX headings.

One definition, used by the parser (fields are never read from code) and by the list
preprocessor (code is never re-indented as a list).
"""

from __future__ import annotations

import re

_LANGUAGE = re.compile(r"^\{?[ \t]*\.?(?P<name>[\w+#.-]*)")
_FENCE = re.compile(r"^(?P<indent>[ \t]*)(?P<fence>`{3,}|~{3,})")
#: An ATX heading; the text without its closing hashes. Each run of blanks and hashes is
#: taken once (possessive), so a long line of them is read in linear time.
HEADING = re.compile(
    r"^(?P<hashes>#{1,6})[ \t]+(?P<text>(?:[^ \t#]|[ \t#]++(?=[^ \t#]))*+)[ \t#]*$"
)


def fence_opening(line: str) -> str | None:
    """The fence (``` or ~~~, any length) this line opens, or ``None``."""
    match = _FENCE.match(line)
    return match.group("fence") if match else None


def closes_fence(line: str, fence: str) -> bool:
    """A line of only fence characters, at least as many as opened the block, closes it."""
    stripped = line.strip()
    return stripped.startswith(fence) and not stripped.strip(fence[0])


def _fenceless(lines: list[str]) -> bool:
    """No line can open a fence: one scan of the text, where most pages have no code."""
    text = "\n".join(lines)
    return "```" not in text and "~~~" not in text


def code_mask(lines: list[str]) -> list[bool]:
    """``True`` for each line inside (or delimiting) a fenced code block."""
    return _mask(lines, comments=False)


def hidden_mask(lines: list[str]) -> list[bool]:
    """``True`` for each line inside (or delimiting) a fenced code block or an HTML comment
    that opens a line and goes on over the next (as ``fenced_blocks`` reads them: a fence in
    a comment opens no block). Nothing there is read, or edited, as the page's own: a
    ``## Status`` commented out is no status. A comment that closes on its own line hides
    nothing; the text beside it is read."""
    return _mask(lines, comments=True)


def _mask(lines: list[str], *, comments: bool) -> list[bool]:
    if _fenceless(lines) and not (comments and "<!--" in "\n".join(lines)):
        return [False] * len(lines)
    mask: list[bool] = []
    fence: str | None = None
    comment = False
    for line in lines:
        opens = comments and fence is None and not comment and line.lstrip(" ").startswith("<!--")
        if comment or opens:
            comment = "-->" not in (line.lstrip(" ")[4:] if opens else line)
            mask.append(comment or not opens)
        elif fence is None:
            fence = fence_opening(line)
            mask.append(fence is not None)
        else:
            mask.append(True)
            if closes_fence(line, fence):
                fence = None
    return mask


def fenced_blocks(lines: list[str]) -> list[tuple[int, int, str]]:
    """Every closed fenced code block outside HTML comments: the 0-based indexes of its
    opening and closing fence lines and its info string (``dot``, ``python {.x}``, or "")."""
    if _fenceless(lines):
        return []
    found = []
    rows = iter(enumerate(lines))
    for start, line in rows:
        if line.lstrip(" ").startswith("<!--"):
            # an HTML comment hides everything up to its end, fences included
            if "-->" not in line.lstrip(" ")[4:]:
                next((index for index, rest in rows if "-->" in rest), None)
            continue
        fence = fence_opening(line)
        if fence is not None:
            end = next((index for index, rest in rows if closes_fence(rest, fence)), None)
            if end is not None:
                found.append((start, end, line.lstrip(" \t")[len(fence) :].strip()))
    return found


def language(info: str) -> str:
    """The language a fence's info string names, lower case: ``{.dot}`` and ``dot x`` are
    both ``dot``."""
    match = _LANGUAGE.match(info.strip())
    return match.group("name").lower() if match else ""


def first_heading(lines: list[str], start: int, in_code: list[bool]) -> tuple[str, int] | None:
    """The text and line number of the first H1 from ``start`` on, outside code."""
    for index in range(start, len(lines)):
        if in_code[index]:
            continue
        match = HEADING.match(lines[index])
        if match and len(match.group("hashes")) == 1:
            return match.group("text"), index + 1
    return None
