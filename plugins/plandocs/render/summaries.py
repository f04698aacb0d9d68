"""Summary pages (one page, many orders): each entry's heading gets the order's anchor and a
compact card under it, and the field lines the card shows are folded under the card."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable
from functools import partial

from plandocs.core.graph import PlanningGraph
from plandocs.core.parse.blocks import code_mask
from plandocs.core.parse.documents import heading_attrs, match_summary_heading
from plandocs.core.parse.fields import field_name
from plandocs.core.settings import Settings
from plandocs.render.diagrams import folded_code

#: a brace outside a code span of a heading, not escaped yet (``heading_text``)
_BRACE = re.compile(r"(?<!\\)[{}]")
# A bold field line of a summary entry: "**Owner**: wrk-3", "**Status:** Pending".
_BOLD_FIELD = re.compile(r"^[ \t]*\*\*(?P<key>[^*\n]+?)(?:\*\*[ \t]*:|:[ \t]*\*\*)")


def heading_text(head: str) -> str:
    """A heading's text with its braces escaped outside code spans. Python-Markdown's
    attr_list reads a heading's attributes from its first " {" to the end of the line, so a
    brace in the text ("Render {{ name }}") would take the anchor given after it along."""
    if "{" not in head and "}" not in head:
        return head
    parts = re.split(r"(`+)", head)
    runs = Counter(part for part in parts if part.startswith("`"))  # those still ahead
    out: list[str] = []
    code: str | None = None  # the backtick run that opened the code span we are in
    for part in parts:
        if part.startswith("`"):
            runs[part] -= 1
            if code is None and runs[part]:
                code = part  # a span opens only where a run of its length closes it
            elif code == part:
                code = None
            out.append(part)
        else:
            out.append(part if code else _BRACE.sub(r"\\\g<0>", part))
    return "".join(out)


def decorate_summary(
    markdown: str,
    page_uri: str,
    graph: PlanningGraph,
    settings: Settings,
    *,
    late: Callable[[str | Callable[[], str]], str],
    card: Callable[[str], str],
) -> str:
    """``markdown`` of a summary page with each entry's anchor and ``card(order_id)``, each
    a ``late`` fragment. Only the page's entries: not its own title, not a note about
    another order; an entry named twice is decorated once."""
    lines = markdown.split("\n")
    in_code = code_mask(lines)
    out: list[str] = []
    seen: set[str] = set()
    folded: set[int] = set()  # field lines an entry's card shows, kept folded under it
    for index, line in enumerate(lines):
        if index in folded:
            continue
        match = None if in_code[index] else match_summary_heading(line, settings)[0]
        record = graph.summary_records.get((page_uri, match.group("id"))) if match else None
        if match is None or record is None or match.group("id") in seen:
            out.append(line)
            continue
        order_id = match.group("id")
        seen.add(order_id)
        out.append(_anchored(line, record.anchor or order_id.lower()))
        out.extend(["", late(partial(card, order_id)), ""])
        fields = _field_lines(lines, index + 1, in_code, settings)
        if fields:
            folded.update(range(index + 1, fields[-1] + 1))
            typed = "\n".join(line.rstrip() for line in lines[fields[0] : fields[-1] + 1])
            out.append(late(folded_code("as-written", "As written", typed)))
    return "\n".join(out)


def _anchored(line: str, anchor: str) -> str:
    """An entry's heading with the order's anchor, unless the writer gave one."""
    head, attrs, own_id = heading_attrs(line.rstrip())
    text = heading_text(head)
    if own_id is not None and text == head:
        return line  # the writer's anchor is the order's anchor
    if own_id is not None:
        return f"{text} {{ {attrs} }}"
    return f"{text} {{ #{anchor}{' ' + attrs if attrs else ''} }}"


def _field_lines(
    lines: list[str], start: int, in_code: list[bool], settings: Settings
) -> list[int]:
    """The indexes of the field lines under a summary entry's heading (from ``start``): the
    paragraphs whose every line is a bold field, which the entry's card shows."""
    found: list[int] = []
    paragraph: list[int] = []
    for index in range(start, len(lines)):
        line = lines[index]
        if not line.strip():
            found.extend(paragraph)
            paragraph = []
            continue
        bold = None if in_code[index] else _BOLD_FIELD.match(line)
        if bold is None or field_name(bold.group("key"), settings.field_aliases) is None:
            break
        paragraph.append(index)
    else:
        found.extend(paragraph)
    return found
