"""Diagrams of the planning graph, as models: what each page will draw.

Links are site URLs relative to the page the diagram is on (an SVG inline in the page is
raw HTML: MkDocs does not rewrite its links)."""

from __future__ import annotations

from ..graph import PlanningGraph
from ..views.urls import SiteUrls, relative_url
from .model import Cluster, Diagram, Edge, Node

#: How far an order page's diagram reaches: dependencies and dependents of dependencies.
NEIGHBOURHOOD_DEPTH = 2


def _reach(start: str, step: dict[str, tuple[str, ...]], depth: int) -> set[str]:
    found: set[str] = set()
    frontier = {start}
    for _ in range(depth):
        frontier = {n for f in frontier for n in step.get(f, ())} - found - {start}
        found |= frontier
    return found


def order_node(graph: PlanningGraph, order_id: str, urls: SiteUrls, here: str) -> Node:
    """An order as a node: ID, short title and owner; priority and status as classes."""
    order = graph.orders[order_id]
    title = order.title if len(order.title) <= 40 else order.title[:39] + "…"
    owner = f"\n{order.owner}" if order.owner else ""
    classes = tuple(
        c
        for c in (
            f"priority-{order.priority}" if order.priority else "",
            f"status-{order.status}" if order.status else "",
        )
        if c
    )
    status = f" ({order.status.replace('_', ' ')})" if order.status else ""
    return Node(
        order_id,
        f"{order_id}\n{title}{owner}",
        relative_url(urls.order(order), here),
        f"{order.title}{status}",
        classes,
    )


def neighbourhood(graph: PlanningGraph, order_id: str, urls: SiteUrls) -> Diagram:
    """An order's dependencies and dependents to ``NEIGHBOURHOOD_DEPTH``, the order itself
    marked ``self``; sorted, so the same graph gives the same source."""
    deps = {o: graph.depends_on(o) for o in graph.orders}
    dependents = {o: graph.dependents(o) for o in graph.orders}
    near = (
        _reach(order_id, deps, NEIGHBOURHOOD_DEPTH)
        | _reach(order_id, dependents, NEIGHBOURHOOD_DEPTH)
        | {order_id}
    )
    here = urls.order(graph.orders[order_id])
    nodes = []
    for node_id in sorted(near):
        node = order_node(graph, node_id, urls, here)
        if node_id == order_id:
            node = Node(node.id, node.label, None, node.tooltip, (*node.classes, "self"))
        nodes.append(node)
    edges = tuple(
        Edge(source, target) for source in sorted(near) for target in deps[source] if target in near
    )
    return Diagram(f"Dependencies of {order_id}", tuple(nodes), edges)


def phase_diagram(graph: PlanningGraph, phase_id: str, urls: SiteUrls) -> Diagram:
    """A phase's orders and the edges between them; an order of another phase that one of
    them depends on, or that depends on one of them, is a stub (class ``stub``)."""
    inside = set(graph.orders_in_phase(phase_id))
    here = urls.of(urls.phase_uri(phase_id))
    outside = {
        other
        for order_id in inside
        for other in (*graph.depends_on(order_id), *graph.dependents(order_id))
    } - inside
    nodes = [order_node(graph, order_id, urls, here) for order_id in sorted(inside)]
    for order_id in sorted(outside):
        node = order_node(graph, order_id, urls, here)
        nodes.append(Node(node.id, node.label, node.url, node.tooltip, (*node.classes, "stub")))
    drawn = inside | outside
    edges = tuple(
        Edge(source, target, () if {source, target} <= inside else ("stub",))
        for source in sorted(drawn)
        for target in graph.depends_on(source)
        if target in drawn and (source in inside or target in inside)
    )
    return Diagram(f"Orders of {phase_id}", tuple(nodes), edges)


def overview_diagram(graph: PlanningGraph, urls: SiteUrls) -> Diagram:
    """The whole graph, an order inside the cluster of its phase."""
    here = urls.of(urls.orders_uri())
    nodes = tuple(order_node(graph, order_id, urls, here) for order_id in sorted(graph.orders))
    by_phase: dict[str, list[str]] = {}
    for order_id in sorted(graph.orders):
        phase = graph.orders[order_id].phase
        if phase:
            by_phase.setdefault(phase, []).append(order_id)
    clusters = tuple(
        Cluster(f"phase-{phase}", phase, tuple(ids)) for phase, ids in sorted(by_phase.items())
    )
    edges = tuple(
        Edge(source, target)
        for source in sorted(graph.orders)
        for target in graph.depends_on(source)
    )
    return Diagram("All orders by phase", nodes, edges, clusters)
