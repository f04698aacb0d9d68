"""A legend for one drawn diagram, made from what the diagram holds.

The keys are read from the classes Graphviz wrote on the SVG's nodes and edges (the
model's ``Node.classes`` and ``Edge.classes``), so a legend keys what is drawn and nothing
else: a status present has its key, a cycle is explained only under a diagram that has
one, "this order" only under an order's own diagram. Reading the SVG, not the model,
keeps a legend true of an SVG that came from the cache."""

from __future__ import annotations

import re
from html import escape, unescape

#: ``<g id="node3" class="node priority-high status-done">`` and the like
_GROUP = re.compile(r'<g id="[^"]*" class="(?P<kind>node|edge|cluster)(?: (?P<classes>[^"]*))?"')
#: how the site's CSS draws each status and priority, in the legend's order; any other
#: status is a plain box, listed after these
_STATUS_LOOK = {
    "blocked": "red fill",
    "in_progress": "blue fill",
    "ready": "light blue fill",
    "review": "purple fill",
    "pending": "no fill",
    "done": "green fill",
    "cancelled": "faded",
}
_PRIORITY_LOOK = {
    "critical": "red border",
    "high": "orange border",
    "medium": "yellow border",
    "low": "green border",
}


def _ranked(values: set[str], looks: dict[str, str]) -> list[str]:
    rank = list(looks)
    return sorted(values, key=lambda v: (rank.index(v) if v in rank else len(rank), v))


def legend_keys(svg: str, *, tree: bool = False) -> list[tuple[str, str]]:
    """The legend of a drawn diagram: (key, text) pairs, each key the class it explains
    (``status-done``, ``critical``, ``arrow``...), in a fixed order."""
    # the classes of the SVG's nodes, edges and clusters, by kind
    found: dict[str, set[str]] = {"node": set(), "edge": set(), "cluster": set()}
    for match in _GROUP.finditer(svg):
        kind = match.group("kind")
        found[kind].add("")  # the kind itself is present
        # Graphviz writes a hyphen as "&#45;"
        found[kind].update(unescape(match.group("classes") or "").split())
    nodes, edges = found["node"], found["edge"]
    what = "phase or owner" if "owner" in nodes else "phase"
    head = (
        (tree, "tree", "Drawn from the dependency tree below."),
        ("" in edges, "arrow", "Arrow: from an order to the orders waiting for it."),
        (
            "group" in nodes,
            "group",
            f"Box: the orders of one {what}, counted; "
            "number on an arrow: the dependencies it stands for.",
        ),
        (bool(found["cluster"]), "cluster", "Frame: a phase."),
        ("self" in nodes, "self", "Thick accent border: this order."),
    )
    tail = (
        (
            "critical" in nodes | edges,
            "critical",
            "Thick accent line: the critical path (longest chain by timeline).",
        ),
        ("cycle" in edges, "cycle", "Red line: a dependency cycle."),
        ("stub" in nodes | edges, "stub", "Dashed: another phase."),
        ("mismatch" in edges, "mismatch", "Red dashed arrow: an edge the orders do not declare."),
        ("unknown" in nodes, "unknown", "Dotted box: an order that does not exist."),
    )
    keys = [(key, text) for shown, key, text in head if shown]
    priorities = {c.removeprefix("priority-") for c in nodes if c.startswith("priority-")}
    for priority in _ranked(priorities, _PRIORITY_LOOK):
        look = _PRIORITY_LOOK.get(priority, "plain border")
        keys.append((f"priority-{priority}", f"Priority {priority}: {look}."))
    statuses = {c.removeprefix("status-") for c in nodes if c.startswith("status-")}
    for status in _ranked(statuses, _STATUS_LOOK):
        look = _STATUS_LOOK.get(status, "no fill")
        keys.append((f"status-{status}", f"{status.replace('_', ' ').capitalize()}: {look}."))
    return keys + [(key, text) for shown, key, text in tail if shown]


def legend_html(svg: str, *, tree: bool = False) -> str:
    """The legend under a drawn diagram, as HTML: a list of keys, each with a swatch
    styled like what it explains (``plandocs.css``); empty for a diagram with no keys."""
    keys = legend_keys(svg, tree=tree)
    if not keys:
        return ""
    items = "".join(
        f'<li class="plandocs-legend__key" data-key="{escape(key)}">'
        f'<span class="plandocs-swatch plandocs-swatch--{escape(key)}" aria-hidden="true">'
        f"</span>{escape(text)}</li>"
        for key, text in keys
    )
    return f'<ul class="plandocs-legend" aria-label="Legend">{items}</ul>\n'
