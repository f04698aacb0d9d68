"""Diagrams in pages: which diagrams the planning graph has (each order's neighbourhood, each
phase, the whole graph, each ASCII dependency tree), their DOT sources, and where their SVG
goes in a page (a writer's ``dot`` block, an ASCII tree)."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from functools import partial

from markupsafe import escape

from plandocs.core.diagram.fences import dot_blocks
from plandocs.core.diagram.model import Diagram
from plandocs.core.diagram.planning import (
    Emphasis,
    has_neighbours,
    neighbourhood,
    overview_diagram,
    phase_diagram,
    tree_diagram,
)
from plandocs.core.graph import PlanningGraph
from plandocs.core.parse.trees import AsciiTree, ascii_trees
from plandocs.core.settings import Settings
from plandocs.core.urls import SiteUrls
from plandocs.render.tokens import Placeholders

#: a diagram's key, and what makes its model
Models = list[tuple[str, Callable[[Emphasis], Diagram]]]


def tree_key(page_uri: str, source: str) -> str:
    """The diagram key of an ASCII tree: its page (links are relative to it) and its text."""
    return f"tree:{page_uri}:" + hashlib.sha256(source.encode("utf-8")).hexdigest()


def folded_code(kind: str, summary: str, text: str) -> str:
    """``text`` as written, in a ``<details>`` of class ``plandocs-{kind}``."""
    return (
        f'<details class="plandocs-{kind}"><summary>{escape(summary)}</summary>'
        f"<pre><code>{escape(text)}</code></pre></details>"
    )


def source_folded(source: str, why: str) -> str:
    """A diagram shown as its DOT source, folded, saying ``why`` it is not drawn."""
    return folded_code("diagram-source", f"Diagram source ({why})", source) + "\n"


def diagram_models(graph: PlanningGraph, settings: Settings, urls: SiteUrls) -> Models:
    """Every diagram of the planning graph, in order: each order with a page of its own and
    an order before or after it (key: its ID), each phase with orders (``phase:CP2``), the
    whole graph (``orders``), and each ASCII tree (``tree_key``)."""
    limit = settings.diagram_limit
    out: dict[str, Callable[[Emphasis], Diagram]] = {}
    for order_id in sorted(graph.order_pages.values()):
        if has_neighbours(graph, order_id):
            out[order_id] = partial(neighbourhood, graph, order_id, urls, limit=limit)
    for phase_id in sorted(graph.phases):
        if graph.orders_in_phase(phase_id):
            out[f"phase:{phase_id}"] = partial(phase_diagram, graph, phase_id, urls, limit=limit)
    if graph.orders:
        out["orders"] = partial(overview_diagram, graph, urls, limit=limit)
    external = settings.external_ids_re
    for uri, trees in sorted(graph.trees.items()):
        for tree in trees:

            def drawn(marks: Emphasis, tree: AsciiTree = tree, uri: str = uri) -> Diagram:
                here = urls.of(uri)
                return tree_diagram(graph, tree, urls, here, marks=marks, external=external)

            out[tree_key(uri, tree.source)] = drawn
    return list(out.items())


def diagram_page(key: str, graph: PlanningGraph, urls: SiteUrls) -> str | None:
    """The page a diagram of ``diagram_models`` is drawn on, by its key."""
    if key == "orders":
        return urls.orders_uri()
    kind, _, rest = key.partition(":")
    if kind == "phase":
        return urls.phase_uri(rest)
    if kind == "tree":
        return rest.rpartition(":")[0]
    order = graph.orders.get(key)
    return order.uri if order is not None else None


def framed(marks: Placeholders, svg: str) -> str:
    """A diagram's SVG in its frame, as a late fragment."""
    return marks.late(f'<div class="plandocs-diagram">\n{svg}\n</div>')


def draw_blocks(markdown: str, marks: Placeholders) -> str:
    """Each ``dot`` block that was drawn becomes its diagram; one Graphviz could not draw
    stays as code (it was reported)."""
    lines = markdown.split("\n")
    for block in reversed(dot_blocks(lines)):
        svg = marks.slot(block.key)
        if svg:
            # indented like the fence, so a block in an admonition or a list stays there
            fence = lines[block.start]
            indent = fence[: len(fence) - len(fence.lstrip(" \t"))]
            lines[block.start : block.end + 1] = ["", indent + framed(marks, svg), ""]
    return "\n".join(lines)


def draw_trees(markdown: str, page_uri: str, settings: Settings, marks: Placeholders) -> str:
    """Each ASCII dependency tree becomes its diagram, with the text as written folded
    under it; a tree inside a list (an indented fence) stays as it is."""
    lines = markdown.split("\n")
    for tree in reversed(ascii_trees(lines, settings.order_id_re)):
        svg = marks.slot(tree_key(page_uri, tree.source))
        if not svg or lines[tree.start][:1].isspace():
            continue
        lines[tree.start : tree.end + 1] = [
            "",
            framed(marks, svg),
            "",
            marks.early(folded_code("tree-source", "The dependency tree as written", tree.source)),
            "",
        ]
    return "\n".join(lines)
