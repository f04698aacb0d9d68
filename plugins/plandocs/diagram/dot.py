"""The DOT writer: a diagram in, Graphviz source out, deterministic and safe.

Every ID and every text is written as a double-quoted DOT string. Graphviz reads a
backslash in such a string as the start of an escape (``\\n``, ``\\N``, ``\\G``...), so a
backslash is doubled, a quote escaped and a line break written as ``\\n``; ``<``, ``&`` and
braces need nothing here (Graphviz escapes them in the SVG it writes)."""

from __future__ import annotations

from .model import Diagram, Edge, Node


def quote(text: str) -> str:
    """``text`` as a double-quoted DOT string that Graphviz shows as written."""
    escaped = (
        text.replace("\\", "\\\\")
        .replace('"', '\\"')
        .replace("\r\n", "\n")
        .replace("\r", "\n")
        .replace("\n", "\\n")
    )
    return f'"{escaped}"'


def _attributes(pairs: list[tuple[str, str]]) -> str:
    return "[" + ", ".join(f"{key}={quote(value)}" for key, value in pairs) + "]"


def _node(node: Node) -> str:
    pairs = [("label", node.label), ("tooltip", node.tooltip or node.label)]
    if node.url:
        pairs.append(("URL", node.url))
    if node.classes:
        pairs.append(("class", " ".join(node.classes)))
    return f"  {quote(node.id)} {_attributes(pairs)};"


def _edge(edge: Edge) -> str:
    pairs = [("class", " ".join(edge.classes))] if edge.classes else []
    if edge.label:
        pairs.append(("label", edge.label))
    tail = f" {_attributes(pairs)}" if pairs else ""
    return f"  {quote(edge.source)} -> {quote(edge.target)}{tail};"


def to_dot(diagram: Diagram) -> str:
    """The DOT source of ``diagram``: nodes and clusters in the order given (callers sort),
    default styles neutral, so the site's CSS colours them."""
    lines = [
        # the graph's name is the SVG's first <title>, what a screen reader says of it
        f"digraph {quote(diagram.title)} {{",
        f"  graph [tooltip={quote(diagram.title)}, label={quote(diagram.title)}, "
        'labelloc="t", rankdir="LR", bgcolor="transparent", fontname="sans-serif"];',
        '  node [shape="box", style="rounded", fontname="sans-serif", fontsize="11"];',
        '  edge [arrowsize="0.7"];',
    ]
    clustered = {node_id for cluster in diagram.clusters for node_id in cluster.nodes}
    nodes = {node.id: node for node in diagram.nodes}
    for number, cluster in enumerate(diagram.clusters):
        lines.append(f"  subgraph {quote(f'cluster_{number}')} {{")
        lines.append(f"    graph [label={quote(cluster.label)}, class={quote(cluster.id)}];")
        lines.extend("  " + _node(nodes[node_id]) for node_id in cluster.nodes if node_id in nodes)
        lines.append("  }")
    lines.extend(_node(node) for node in diagram.nodes if node.id not in clustered)
    lines.extend(_edge(edge) for edge in diagram.edges)
    lines.append("}")
    return "\n".join(lines) + "\n"
