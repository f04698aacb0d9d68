"""The DOT writer: a diagram in, Graphviz source out, deterministic and safe.

Every ID and every text is written as a double-quoted DOT string. Graphviz reads a
backslash in such a string as the start of an escape (``\\n``, ``\\N``, ``\\G``...), so a
backslash is doubled, a quote escaped and a line break written as ``\\n``. Graphviz also
reads HTML entities in a string (``&lt;b&gt;`` would show as ``<b>``), so ``&`` is written
``&amp;``; ``<`` and braces need nothing (Graphviz escapes them in the SVG it writes)."""

from __future__ import annotations

import hashlib

from plandocs.core.diagram.model import Diagram, Edge, Node

#: Graphviz refuses a quoted string longer than 16,384 bytes ("longer than 16384?"): a
#: label or tooltip is cut well before, escaped and in UTF-8 (a title a paragraph long is
#: still shown, to this many characters)
TEXT_LIMIT = 1000
#: what a cut text ends with
_CUT = "\u2026"


def quote(text: str) -> str:
    """``text`` as a double-quoted DOT string that Graphviz shows as written."""
    escaped = (
        text.replace("&", "&amp;")
        .replace("\\", "\\\\")
        .replace('"', '\\"')
        .replace("\r\n", "\n")
        .replace("\r", "\n")
        .replace("\n", "\\n")
    )
    return f'"{escaped}"'


def shown(text: str) -> str:
    """``text`` as a label or tooltip: cut to ``TEXT_LIMIT`` characters."""
    return text if len(text) <= TEXT_LIMIT else text[: TEXT_LIMIT - 1] + _CUT


def _id(text: str) -> str:
    """A node's ID as written: cut like a label, with a digest of the whole so that two
    long IDs stay two nodes."""
    if len(text) <= TEXT_LIMIT:
        return quote(text)
    digest = hashlib.blake2b(text.encode("utf-8", "surrogatepass"), digest_size=8).hexdigest()
    return quote(f"{text[: TEXT_LIMIT - 20]}{_CUT}{digest}")


def _attributes(pairs: list[tuple[str, str]]) -> str:
    return "[" + ", ".join(f"{key}={quote(shown(value))}" for key, value in pairs) + "]"


def _node(node: Node) -> str:
    pairs = [("label", node.label), ("tooltip", node.tooltip or node.label)]
    if node.url:
        pairs.append(("URL", node.url))
    if node.classes:
        pairs.append(("class", " ".join(node.classes)))
    return f"  {_id(node.id)} {_attributes(pairs)};"


def _edge(edge: Edge) -> str:
    pairs = [("class", " ".join(edge.classes))] if edge.classes else []
    if edge.label:
        pairs.append(("label", edge.label))
    tail = f" {_attributes(pairs)}" if pairs else ""
    return f"  {_id(edge.source)} -> {_id(edge.target)}{tail};"


def to_dot(diagram: Diagram) -> str:
    """The DOT source of ``diagram``: nodes and clusters in the order given (callers sort),
    default styles neutral, so the site's CSS colours them."""
    lines = [
        # the graph's name is the SVG's first <title>, what a screen reader says of it
        f"digraph {quote(shown(diagram.title))} {{",
        f"  graph [tooltip={quote(shown(diagram.title))}, label={quote(shown(diagram.title))}, "
        'labelloc="t", rankdir="LR", bgcolor="transparent", fontname="sans-serif"];',
        '  node [shape="box", style="rounded", fontname="sans-serif", fontsize="11"];',
        '  edge [arrowsize="0.7"];',
    ]
    clustered = {node_id for cluster in diagram.clusters for node_id in cluster.nodes}
    nodes = {node.id: node for node in diagram.nodes}
    for number, cluster in enumerate(diagram.clusters):
        lines.append(f"  subgraph {quote(f'cluster_{number}')} {{")
        lines.append(
            f"    graph [label={quote(shown(cluster.label))}, class={quote(shown(cluster.id))}];"
        )
        lines.extend("  " + _node(nodes[node_id]) for node_id in cluster.nodes if node_id in nodes)
        lines.append("  }")
    lines.extend(_node(node) for node in diagram.nodes if node.id not in clustered)
    lines.extend(_edge(edge) for edge in diagram.edges)
    lines.append("}")
    return "\n".join(lines) + "\n"
