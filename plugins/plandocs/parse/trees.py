"""ASCII dependency trees: the edges a summary draws in a plain code block.

The team draws dependencies like this (an arrow from an order to the orders that wait for
it, so ``B`` depends on ``A``)::

    ORDER-A (CRITICAL) [wrk-3]
        │
        ├─→ ORDER-B (HIGH) [wrk-2]
        │       └─→ ORDER-D
        └─→ ORDER-C

A branch (``├─→``, ``└──``, ``|--``, ``+--``, ``\\--``, ``↳``) hangs its order under the
nearest order above it that starts at or left of the branch. An order under a line of only ``▼``
or ``↓`` hangs under the order above it, and ``ORDER-A → ORDER-B`` on one line is an edge
too. Only code blocks without a language (or ``text``) are read, and only those that draw
at least one edge: a block listing IDs is not a tree."""

from __future__ import annotations

import re
from dataclasses import dataclass

from .blocks import fenced_blocks, language

_TREE_LANGUAGES = {"", "text", "txt", "plain", "plaintext", "ascii", "tree"}
_BRANCH = re.compile(r"(?:[├└┣┗╠╚+`\\|][─━═-]+[→>▶►]?|[├└┣┗][→>▶►]|↳)[ \t]*")
_ARROW = re.compile(r"[ \t]*(?:[─━═-]*[→⟶▶►]|-+>|=+>)[ \t]*")
_DOWN = re.compile(r"^[ \t│|┃║]*[▼↓][ \t│|┃║]*$")


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

    @property
    def ids(self) -> tuple[str, ...]:
        return tuple(order_id for order_id, _ in self.nodes)


def ascii_trees(lines: list[str], order_id_re: re.Pattern[str]) -> list[AsciiTree]:
    """Every dependency tree drawn in ``lines`` (a whole Markdown document)."""
    found = []
    for start, end, info in fenced_blocks(lines):
        if language(info) not in _TREE_LANGUAGES:
            continue
        tree = read_tree(lines[start + 1 : end], order_id_re, first_line=start + 2)
        if tree.edges:
            source = "\n".join(lines[start + 1 : end])
            found.append(AsciiTree(start, end, tree.nodes, tree.edges, source))
    return found


def read_tree(lines: list[str], order_id_re: re.Pattern[str], *, first_line: int = 1) -> AsciiTree:
    """The nodes and edges of one tree's lines; ``first_line`` is the number of its first."""
    nodes: dict[str, int] = {}
    edges: dict[tuple[str, str], TreeEdge] = {}
    stack: list[tuple[int, str]] = []  # (column, order id) of the open branches
    last: str | None = None  # the order on the last line that drew one
    down = False  # a ▼ line since that order

    def edge(source: str, target: str, number: int) -> None:
        if source != target:
            edges.setdefault((source, target), TreeEdge(source, target, number))

    for offset, line in enumerate(lines):
        number = first_line + offset
        if _DOWN.match(line):
            down = last is not None
            continue
        ids = list(order_id_re.finditer(line))
        if not ids:
            continue
        first = ids[0]
        prefix = line[: first.start()]
        branch = _last_branch(prefix)
        if branch is None and prefix.strip(" \t│|┃║"):
            continue  # an ID in a sentence, not a node of the tree
        # A branch hangs under the nearest order whose ID starts at or left of it (`tree`
        # draws ├── right under its parent's first letter); an order without one starts a
        # new tree, or a level, at its own column.
        if branch is None:
            while stack and stack[-1][0] >= first.start():
                stack.pop()
        else:
            while stack and stack[-1][0] > branch:
                stack.pop()
        parent = stack[-1][1] if branch is not None and stack else None
        if down and last is not None:
            parent = last
        order_id = first.group(0)
        nodes.setdefault(order_id, number)
        if parent is not None:
            edge(parent, order_id, number)
        stack.append((first.start(), order_id))
        # ORDER-A → ORDER-B → ORDER-C on one line: a chain
        chain, previous = order_id, first
        for later in ids[1:]:
            if not _ARROW.fullmatch(_strip_notes(line[previous.end() : later.start()])):
                break
            nodes.setdefault(later.group(0), number)
            edge(chain, later.group(0), number)
            chain, previous = later.group(0), later
        last, down = chain, False
    return AsciiTree(0, 0, tuple(nodes.items()), tuple(edges.values()))


def _last_branch(prefix: str) -> int | None:
    """The column of the branch that leads to a node, if ``prefix`` ends with one."""
    matches = list(_BRANCH.finditer(prefix))
    if not matches or matches[-1].end() != len(prefix):
        return None
    return matches[-1].start()


_NOTE = re.compile(r"\([^()]*\)|\[[^\[\]]*\]")


def _strip_notes(text: str) -> str:
    """``(HIGH) [wrk-2] →`` is an arrow: a node's notes may stand before it."""
    return _NOTE.sub("", text).strip() or text
