"""Diagrams of the planning graph, as models: what each page will draw.

Links are site URLs relative to the page the diagram is on (an SVG inline in the page is
raw HTML: MkDocs does not rewrite its links)."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from functools import cached_property

from plandocs.core.diagram.model import Cluster, Diagram, Edge, Node
from plandocs.core.graph import PlanningGraph
from plandocs.core.parse.fields import FINISHED
from plandocs.core.parse.trees import AsciiTree
from plandocs.core.urls import SiteUrls, relative_url

#: How far an order page's diagram reaches: dependencies and dependents of dependencies.
NEIGHBOURHOOD_DEPTH = 2
#: The most orders a diagram draws one by one; a bigger one is summarised (Graphviz takes
#: minutes over thousands of boxes): orders grouped by phase or owner, an edge per pair of
#: groups labelled with the number of dependencies it stands for.
DIAGRAM_LIMIT = 400
#: The most orders a phase's or the index's diagram draws one by one, whatever
#: ``diagram_limit`` says: more boxes than this make a hairball whose text, at the width of
#: a page's column, is too small to read (the page still scrolls and zooms what it draws);
#: above it, the diagram is summarised by phase, a phase's by owner.
READABLE_BOXES = 40
#: ...and the most boxes, edges and bends (``layout_size``) it lays out, per order of that
#: limit: dot's time grows with the bends too (an edge that skips k ranks is k-1 more boxes).
LAYOUT_PER_ORDER = 8

_DURATION = re.compile(
    r"(?P<low>[0-9]+(?:[.,][0-9]+)?)(?:\s*[-–]\s*(?P<high>[0-9]+(?:[.,][0-9]+)?))?\s*"
    r"(?P<unit>hours?|hrs?|h|days?|d|weeks?|wks?|w|months?)\b",
    re.IGNORECASE,
)
#: Working days per unit
_DAYS = {"h": 1 / 8, "d": 1.0, "w": 5.0, "m": 21.0}


def duration_days(timeline: str | None) -> float:
    """``timeline_days``, one day when the ``Timeline`` names no amount."""
    days = timeline_days(timeline)
    return 1.0 if days is None else days


def timeline_days(timeline: str | None) -> float | None:
    """An order's duration in working days from its ``Timeline``: the first amount in it,
    the upper end of a range ("3-4 weeks" is 20); ``None`` when it names none (the schedule
    marks such an order as estimated)."""
    match = _DURATION.search(timeline or "")
    if match is None:
        return None
    amount = float((match.group("high") or match.group("low")).replace(",", "."))
    return amount * _DAYS[match.group("unit")[0].lower()]


@dataclass(frozen=True)
class Emphasis:
    """What every diagram marks: the critical path, and the edges of dependency cycles."""

    critical: tuple[str, ...] = ()  # from the first order to do to the last
    cycle_edges: frozenset[tuple[str, str]] = frozenset()  # (blocker, waiting order)

    @cached_property
    def critical_edges(self) -> frozenset[tuple[str, str]]:
        # an edge goes from a blocker to the order waiting for it (``_edges``)
        return frozenset(zip(self.critical, self.critical[1:], strict=False))

    def node_classes(self, order_id: str) -> tuple[str, ...]:
        return ("critical",) if order_id in self.critical else ()

    def edge_classes(self, source: str, target: str) -> tuple[str, ...]:
        if (source, target) in self.cycle_edges:
            return ("cycle",)
        return ("critical",) if (source, target) in self.critical_edges else ()


def emphasis(graph: PlanningGraph) -> Emphasis:
    """The longest chain of dependencies by duration (cycles left out), and cycle edges."""
    component = {order_id: n for n, cycle in enumerate(graph.cycles) for order_id in cycle}
    cycle_edges = frozenset(  # (blocker, waiting), as edges are drawn
        (b, a)
        for a in graph.orders
        for b in graph.depends_on(a)
        if a in component and component.get(b) == component[a]
    )
    deps = {
        a: tuple(b for b in graph.depends_on(a) if (b, a) not in cycle_edges) for a in graph.orders
    }
    after = {b: [a for a in graph.dependents(b) if (b, a) not in cycle_edges] for b in graph.orders}
    order = _topological(after)
    position = {order_id: number for number, order_id in enumerate(order)}
    total: dict[str, float] = {}
    best: dict[str, str | None] = {}
    for order_id in order:
        # a blocker that comes later closes a loop that graph.cycles does not list (two
        # loops through one order): it is left out, as a cycle edge is
        done = [d for d in deps[order_id] if position[d] < position[order_id]]
        before = max(done, key=lambda d: (total[d], d), default=None)
        best[order_id] = before
        duration = duration_days(graph.orders[order_id].timeline)
        total[order_id] = duration + (total[before] if before else 0.0)
    end: str | None = max(sorted(total), key=lambda o: total[o], default=None)  # no orders
    chain = []
    while end is not None:
        chain.append(end)
        end = best[end]
    return Emphasis(tuple(reversed(chain)), cycle_edges)


def _edges(
    graph: PlanningGraph, marks: Emphasis, drawn: set[str], inside: set[str] | None = None
) -> tuple[Edge, ...]:
    """The dependencies between ``drawn`` orders, sorted, so the same graph gives the same
    source; one with an end outside ``inside`` (when given) is a stub's, and one between two
    orders outside is not drawn. Every diagram and every drawn ASCII tree reads the same way,
    as the trees a team writes do: an arrow goes from a blocker to the order waiting for it
    (``001 ├─→ 002``: 002 waits for 001)."""
    inside = drawn if inside is None else inside
    edges = (
        Edge(
            blocker,
            waiting,
            marks.edge_classes(blocker, waiting)
            + (() if {waiting, blocker} <= inside else ("stub",)),
        )
        for waiting in sorted(drawn)
        for blocker in graph.depends_on(waiting)
        if blocker in drawn and (waiting in inside or blocker in inside)
    )
    return tuple(sorted(edges, key=lambda e: (e.source, e.target)))


def _reach(start: str, step: Callable[[str], tuple[str, ...]], depth: int) -> set[str]:
    found: set[str] = set()
    frontier = {start}
    for _ in range(depth):
        frontier = {n for f in frontier for n in step(f)} - found - {start}
        found |= frontier
    return found


def order_node(graph: PlanningGraph, order_id: str, urls: SiteUrls, here: str) -> Node:
    """An order as a node: ID, short title and owner; priority and status as classes."""
    order = graph.orders[order_id]
    title = order.title if len(order.title) <= 40 else order.title[:39] + "…"
    owner = f"\n{order.owner_name}" if order.owner else ""  # as written, not the page's slug
    marks = {"priority": order.priority, "status": order.status}
    classes = tuple(f"{name}-{value}" for name, value in marks.items() if value)
    status = f" ({order.status.replace('_', ' ')})" if order.status else ""
    return Node(
        order_id,
        f"{order_id}\n{title}{owner}",
        relative_url(urls.order(order), here),
        f"{order.title}{status}",
        classes,
    )


def _styled(node: Node, marks: Emphasis, *extra: str) -> Node:
    return replace(node, classes=(*node.classes, *marks.node_classes(node.id), *extra))


def has_neighbours(graph: PlanningGraph, order_id: str) -> bool:
    """Whether an order's ``neighbourhood`` draws more than the order itself."""
    return bool(graph.depends_on(order_id) or graph.dependents(order_id))


def neighbourhood(
    graph: PlanningGraph,
    order_id: str,
    urls: SiteUrls,
    marks: Emphasis = Emphasis(),
    limit: int = DIAGRAM_LIMIT,
) -> Diagram:
    """An order's dependencies and dependents to ``NEIGHBOURHOOD_DEPTH``, the order itself
    marked ``self``; sorted, so the same graph gives the same source. An order with more
    than ``limit`` neighbours draws one step; with more than that in one step, their
    phases."""
    here = urls.order(graph.orders[order_id])
    for depth in range(NEIGHBOURHOOD_DEPTH, 0, -1):  # a hub draws fewer steps
        near = (
            _reach(order_id, graph.depends_on, depth)
            | _reach(order_id, graph.dependents, depth)
            | {order_id}
        )
        if len(near) <= limit:
            nodes = [_styled(order_node(graph, o, urls, here), marks) for o in sorted(near)]
            nodes = [  # the order itself is marked, and no link to the page it is on
                replace(n, url=None, classes=(*n.classes, "self")) if n.id == order_id else n
                for n in nodes
            ]
            drawn = Diagram(f"Dependencies of {order_id}", tuple(nodes), _edges(graph, marks, near))
            if fits(drawn, limit):
                return drawn
    return _summary(
        graph,
        f"Dependencies of {order_id}, by phase",
        orders=near,
        group_of=lambda o: order_id if o == order_id else _phase_group(graph, o),
        node_of=lambda g: _group_node(graph, g, "self" if g == order_id else "phase", urls, here),
        keep=lambda a, b: order_id in (a, b),
    )


def phase_diagram(
    graph: PlanningGraph,
    phase_id: str,
    urls: SiteUrls,
    marks: Emphasis = Emphasis(),
    limit: int = DIAGRAM_LIMIT,
) -> Diagram:
    """A phase's orders and the edges between them; an order of another phase that one of
    them depends on, or that depends on one of them, is a stub (class ``stub``). Above
    ``limit`` orders: the phase's owners, and the other phases as stubs."""
    inside = set(graph.orders_in_phase(phase_id))
    here = urls.of(urls.phase_uri(phase_id))
    outside = {
        other
        for order_id in inside
        for other in (*graph.depends_on(order_id), *graph.dependents(order_id))
    } - inside
    if len(inside) + len(outside) <= min(limit, READABLE_BOXES):
        nodes = [_styled(order_node(graph, o, urls, here), marks) for o in sorted(inside)]
        stubs = [_styled(order_node(graph, o, urls, here), marks, "stub") for o in sorted(outside)]
        edges = _edges(graph, marks, inside | outside, inside)
        drawn = Diagram(f"Orders of {phase_id}", (*nodes, *stubs), edges)
        if fits(drawn, limit):
            return drawn
    return _summary(
        graph,
        f"Orders of {phase_id}, by owner ({len(inside)} orders)",
        orders=inside | outside,
        group_of=lambda o: (
            f"owner:{graph.orders[o].owner or ''}" if o in inside else _phase_group(graph, o)
        ),
        node_of=lambda g: _group_node(
            graph, g, "owner" if g.startswith("owner:") else "stub", urls, here
        ),
        keep=lambda a, b: a.startswith("owner:") or b.startswith("owner:"),
    )


def overview_diagram(
    graph: PlanningGraph, urls: SiteUrls, marks: Emphasis = Emphasis(), limit: int = DIAGRAM_LIMIT
) -> Diagram:
    """The whole graph, an order inside the cluster of its phase; above ``limit`` orders,
    the phases and how many dependencies lead from one to another."""
    here = urls.of(urls.orders_uri())
    if len(graph.orders) <= min(limit, READABLE_BOXES):
        drawn = _all_orders(graph, urls, marks, here)
        if fits(drawn, limit):
            return drawn
    return _summary(
        graph,
        f"All {len(graph.orders)} orders, by phase",
        orders=graph.orders,
        group_of=lambda o: _phase_group(graph, o),
        node_of=lambda g: _group_node(graph, g, "phase", urls, here),
        keep=lambda a, b: True,
    )


def _all_orders(graph: PlanningGraph, urls: SiteUrls, marks: Emphasis, here: str) -> Diagram:
    """Every order, each drawn inside the cluster of its phase."""
    nodes = tuple(_styled(order_node(graph, o, urls, here), marks) for o in sorted(graph.orders))
    by_phase: dict[str, list[str]] = {}
    for order_id in sorted(graph.orders):
        phase = graph.orders[order_id].phase
        if phase:
            by_phase.setdefault(phase, []).append(order_id)
    clusters = tuple(
        Cluster(f"phase-{phase}", phase, tuple(ids)) for phase, ids in sorted(by_phase.items())
    )
    return Diagram("All orders by phase", nodes, _edges(graph, marks, set(graph.orders)), clusters)


def fits(diagram: Diagram, limit: int) -> bool:
    """Whether ``diagram`` is drawn one by one under ``limit`` (``LAYOUT_PER_ORDER``). An
    edge bends at most once a rank between its ends, so most diagrams, a few boxes each,
    fit without counting."""
    budget = LAYOUT_PER_ORDER * limit
    nodes, edges = len(diagram.nodes), len(diagram.edges)
    return nodes + edges * max(nodes - 1, 1) <= budget or layout_size(diagram) <= budget


def layout_size(diagram: Diagram) -> int:
    """How much dot lays out for ``diagram``: its boxes and edges, and a bend for each rank
    an edge skips (ranks by the longest path; an edge that closes a cycle is not
    followed, as dot reverses it)."""
    rank = _ranks(diagram)
    bends = sum(max(abs(rank[e.target] - rank[e.source]) - 1, 0) for e in diagram.edges)
    return len(diagram.nodes) + len(diagram.edges) + bends


def _ranks(diagram: Diagram) -> dict[str, int]:
    """Each node's rank: the longest path to it, over edges that close no cycle."""
    after: dict[str, list[str]] = {node.id: [] for node in diagram.nodes}
    for edge in diagram.edges:
        after.setdefault(edge.source, []).append(edge.target)
        after.setdefault(edge.target, [])
    order = _topological(after)
    position = {node: number for number, node in enumerate(order)}
    rank = dict.fromkeys(order, 0)
    for node in order:
        for target in after[node]:
            if position[target] > position[node]:  # not an edge back up a cycle
                rank[target] = max(rank[target], rank[node] + 1)
    return rank


def _topological(after: dict[str, list[str]]) -> list[str]:
    """The nodes in an order where each comes before those ``after`` it, but where an edge
    closes a cycle: depth first, without recursion, finished last first."""
    order: list[str] = []  # depth-first, finished last first: a topological order
    seen: set[str] = set()
    for root, targets_of_root in after.items():
        if root in seen:
            continue
        seen.add(root)
        stack = [(root, iter(targets_of_root))]
        while stack:
            node, targets = stack[-1]
            for target in targets:
                if target not in seen:
                    seen.add(target)
                    stack.append((target, iter(after[target])))
                    break
            else:
                stack.pop()
                order.append(node)
    order.reverse()
    return order


def tree_diagram(
    graph: PlanningGraph,
    tree: AsciiTree,
    urls: SiteUrls,
    here: str,
    *,
    marks: Emphasis = Emphasis(),
    external: re.Pattern[str] | None = None,
) -> Diagram:
    """An ASCII dependency tree as drawn, in the site's style: an edge the orders do not
    declare is marked ``mismatch``, an order that does not exist ``unknown`` (another
    system's ID, per ``external``, is drawn plain). ``here`` is the URL of the page."""

    def foreign(order_id: str) -> bool:
        return order_id not in graph.orders and bool(external and external.fullmatch(order_id))

    def node(order_id: str) -> Node:
        if order_id in graph.orders:
            return _styled(order_node(graph, order_id, urls, here), marks)
        if foreign(order_id):
            return Node(order_id, order_id, None, "an ID of another system")
        return Node(order_id, order_id, None, "not a known order", ("unknown",))

    def classes(source: str, target: str) -> tuple[str, ...]:
        if source in graph.depends_on(target):
            return marks.edge_classes(source, target)
        return () if foreign(source) or foreign(target) else ("mismatch",)

    # as the tree reads and as in every diagram: from a blocker to the order waiting for it
    return Diagram(
        "Dependency tree, as drawn in this page",
        tuple(node(order_id) for order_id in tree.ids),
        tuple(Edge(e.source, e.target, classes(e.source, e.target)) for e in tree.edges),
    )


def _phase_group(graph: PlanningGraph, order_id: str) -> str:
    return f"phase:{graph.orders[order_id].phase or ''}"


def _group_node(graph: PlanningGraph, group: str, kind: str, urls: SiteUrls, here: str) -> Node:
    """A box for a group of orders (``phase:CP2``, ``owner:wrk-3``, or an order's ID, drawn
    as itself); its label is completed by ``_summary`` with the count."""
    if group.startswith("owner:"):
        name = group.removeprefix("owner:") or "no owner"
        url = urls.of(urls.owner_uri(name)) if group != "owner:" else None
    elif group.startswith("phase:"):
        name = group.removeprefix("phase:") or "no phase"
        phase = graph.phases.get(name)
        url = urls.of(urls.phase_uri(phase)) if phase else None
        if phase and phase.title and phase.title != name:
            name = f"{name}\n{phase.title}"
    else:
        order = graph.orders[group]
        return Node(group, f"{group}\n{order.title[:39]}", None, order.title, (kind,))
    link = relative_url(url, here) if url else None
    return Node(group, name, link, name.replace("\n", ": "), (kind,) if kind != "phase" else ())


def _summary(
    graph: PlanningGraph,
    title: str,
    *,
    orders: Iterable[str],
    group_of: Callable[[str], str],
    node_of: Callable[[str], Node],
    keep: Callable[[str, str], bool],
) -> Diagram:
    """``orders`` drawn as groups: a box per group with its count of orders and of those
    done, an edge per pair of groups that ``keep`` accepts, labelled with how many
    dependencies lead from one to the other."""
    members = sorted(orders)
    groups = Counter(group_of(o) for o in members)
    done = Counter(group_of(o) for o in members if graph.orders[o].status in FINISHED)
    nodes = []
    for group in sorted(groups):
        node = node_of(group)
        if group.startswith(("phase:", "owner:")):  # a box for many orders: the legend says so
            count = f"{groups[group]} orders, {done[group]} done"
            label, tooltip = f"{node.label}\n{count}", f"{node.tooltip} ({count})"
            node = Node(node.id, label, node.url, tooltip, (*node.classes, "group"))
        nodes.append(node)
    inside = set(members)
    # from the group of the blockers to the group of the orders waiting for them
    edges = Counter(
        (group_of(b), group_of(a)) for a in members for b in graph.depends_on(a) if b in inside
    )
    return Diagram(
        title,
        tuple(nodes),
        tuple(
            Edge(a, b, (), str(n)) for (a, b), n in sorted(edges.items()) if a != b and keep(a, b)
        ),
    )
