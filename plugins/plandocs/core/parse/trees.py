"""ASCII dependency trees: the edges a summary draws in a plain code block.

The team draws dependencies like this (an arrow from an order to the orders that wait for
it, so ``B`` depends on ``A``)::

    ORDER-A (CRITICAL) [wrk-3]
        │
        ├─→ ORDER-B (HIGH) [wrk-2]
        │       └─→ ORDER-D
        └─→ ORDER-C

A branch (``├─→``, ``└──``, ``|--``, ``+--``, ``\\--``, ``↳``) hangs its order under the
nearest branch above it that starts left of it, or under the nearest order without a
branch that starts at or left of it; a short note may stand between a branch and its order
(``├─→ ✅ ORDER-B``, ``├── [x] ORDER-B``). An order under a line of only ``▼`` or ``↓``
hangs under the order above it, and ``ORDER-A → ORDER-B`` on one line is an edge too.
Tabs count to the next multiple of eight, as a browser shows them.

A code block without a language (or ``text``, ``txt``, ``plain``, ``ascii``) is a tree when
it draws at least one branch or ▼ edge; a block of ``A → B`` lines alone is a tree only
under the language ``tree`` (a rename list or a log is not a plan)."""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from plandocs.core.parse.blocks import fenced_blocks, language

_TEXT_LANGUAGES = {"", "text", "txt", "plain", "plaintext", "ascii"}
_BRANCH = re.compile(r"(?:[├└┣┗╠╚+`\\|][─━═-]+[→>▶►]?|[├└┣┗][→>▶►]|↳)")
# Windows' `tree /A` writes "+---ORDER-B": the branch needs a space before the ID
_TIGHT_BRANCH = re.compile(r"(?:[├└┣┗╠╚+`\\|][─━═-]+[→>▶►]?|↳)(?=[^\s─━═→>▶►-])")
_ARROW = re.compile(r"[ \t]*(?:[─━═-]*[→⟶▶►]|-+>|=+>)[ \t]*")
_DOWN = re.compile(r"^[ \t│|┃║]*[▼↓][ \t│|┃║]*$")
_GUIDES = " \t│|┃║"
# what may stand between a branch and its order: notes, a checkbox, an emoji, a bracket
_MARKER = re.compile(r"^(?:\[[^\[\]]*\]|\([^()]*\)|[^\w\s]{1,3}|\s)*$")
_NOTE = re.compile(r"\([^()]*\)|\[[^\[\]]*\]")


@dataclass(frozen=True)
class TreeEdge:
    source: str  # the order drawn first: the one the target waits for
    target: str  # the order that depends on ``source``
    line: int  # 1-based line of the target


@dataclass(frozen=True)
class AsciiTree:
    start: int  # 0-based index of the opening fence line
    end: int  # 0-based index of the closing fence line
    #: every order the tree draws, in order of first appearance, with its 1-based line
    nodes: tuple[tuple[str, int], ...]
    edges: tuple[TreeEdge, ...]
    source: str = ""  # the block's text, between its fences
    #: whether an edge was drawn with a branch or a ▼, not only as ``A → B`` on one line
    branched: bool = False

    @property
    def ids(self) -> tuple[str, ...]:
        return tuple(order_id for order_id, _ in self.nodes)


def ascii_trees(lines: list[str], order_id_re: re.Pattern[str]) -> list[AsciiTree]:
    """Every dependency tree drawn in ``lines`` (a whole Markdown document)."""
    found = []
    for start, end, info in fenced_blocks(lines):
        name = language(info)
        if name not in _TEXT_LANGUAGES and name != "tree":
            continue
        block = lines[start + 1 : end]
        tree = read_tree(block, order_id_re, first_line=start + 2)
        if tree.edges and (tree.branched or name == "tree"):
            found.append(replace(tree, start=start, end=end, source="\n".join(block)))
    return found


@dataclass
class _Open:
    """An order (or a line that only looks like one) that later branches may hang under."""

    column: int  # of its branch, or of its ID when it has none
    branch: bool
    order_id: str | None  # None: a branch without a readable order; its children are skipped


def read_tree(lines: list[str], order_id_re: re.Pattern[str], *, first_line: int = 1) -> AsciiTree:
    """The nodes and edges of one tree's lines; ``first_line`` is the number of its first."""
    nodes: dict[str, int] = {}
    edges: dict[tuple[str, str], TreeEdge] = {}
    stack: list[_Open] = []
    last: str | None = None  # the order on the last line that drew one
    down = False  # a ▼ line since that order
    branched = False

    for offset, raw in enumerate(lines):
        number = first_line + offset
        line = _TIGHT_BRANCH.sub(r"\g<0> ", raw.expandtabs().replace("\u00a0", " "))
        if _DOWN.match(line):
            down = last is not None
            continue
        ids = list(order_id_re.finditer(line))
        prefix = line[: ids[0].start()] if ids else line
        branches = [b for b in _BRANCH.finditer(prefix) if not prefix[: b.start()].strip(_GUIDES)]
        if branches:
            column = branches[0].start()
            _close(stack, column, branch=True)
            if not ids or not _MARKER.match(prefix[branches[0].end() :]):
                stack.append(_Open(column, True, None))  # not an order: skip what hangs under it
                continue
            parent = stack[-1].order_id if stack else None
            stack.append(_Open(column, True, ids[0].group(0)))
        elif ids and not prefix.strip(_GUIDES):
            column = ids[0].start()
            _close(stack, column, branch=False)
            parent = last if down else None
            stack.append(_Open(column, False, ids[0].group(0)))
        else:
            continue  # text, or an ID in a sentence
        nodes.setdefault(ids[0].group(0), number)
        branched = _edge(edges, parent, ids[0].group(0), number) or branched
        last, down = _chain(line, ids, number, nodes=nodes, edges=edges, stack=stack), False
    return AsciiTree(0, 0, tuple(nodes.items()), tuple(edges.values()), branched=branched)


def _edge(
    edges: dict[tuple[str, str], TreeEdge], source: str | None, target: str, number: int
) -> bool:
    if source is None or source == target:
        return False
    edges.setdefault((source, target), TreeEdge(source, target, number))
    return True


def _close(stack: list[_Open], column: int, *, branch: bool) -> None:
    """A branch closes the branches at or right of it and the orders right of it."""
    while stack and (
        stack[-1].column >= column if stack[-1].branch or not branch else stack[-1].column > column
    ):
        stack.pop()


def _chain(
    line: str,
    ids: list[re.Match[str]],
    number: int,
    *,
    nodes: dict[str, int],
    edges: dict[tuple[str, str], TreeEdge],
    stack: list[_Open],
) -> str:
    """ORDER-A → ORDER-B → ORDER-C on one line: a chain, whose last order it returns; a
    branch may hang under any of them."""
    chain, previous = ids[0].group(0), ids[0]
    for later in ids[1:]:
        between = line[previous.end() : later.start()]
        # "(HIGH) [wrk-2] →" is an arrow: a node's notes may stand before it
        if not _ARROW.fullmatch(_NOTE.sub("", between).strip() or between):
            break
        nodes.setdefault(later.group(0), number)
        _edge(edges, chain, later.group(0), number)
        chain, previous = later.group(0), later
        stack.append(_Open(later.start(), False, chain))
    return chain
