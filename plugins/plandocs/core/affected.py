"""Which pages an edit changes: the writer's loop of ``mkdocs serve --dirty``.

A page shows an order, ADR, phase or task by naming it: its ID is in the page's text (a
cross-link, a card, a table row, a diagram node, a tree), or a link goes to its own page (a
file name, an alias). So a ``Snapshot`` keeps, for each object, a digest of everything a page
can show of it (its fields, its neighbours both ways, its place in the schedule and on the
critical chain, what refers to it, its history line) and the needles a page that shows it
holds; after an edit, the pages to rebuild are those whose last output holds a needle of an
object whose digest changed, appeared or went (``needles_of`` and ``shows``). Listing pages
gain a row without holding its ID before: ``listings`` names them by the old and the new
phase, owner and status of each changed order.

An order whose fields are the same but whose edges or place in time changed (a new
dependency, a schedule that moved) looks the same in a link, a list item or a neighbour's
card: its ID, title and status. Only a page that shows its edges or dates shows the change:
its own pages (``homes``: its file, translations and summary entries, with its card), the
generated pages (tables, timelines) and the pages whose diagrams draw it (``drawn``)."""

from __future__ import annotations

import posixpath
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, fields
from operator import attrgetter
from urllib.parse import quote

from plandocs.core.diagram.planning import Emphasis
from plandocs.core.graph import PlanningGraph
from plandocs.core.links import Mention, References
from plandocs.core.model import Order
from plandocs.core.schedule import Schedule
from plandocs.core.urls import SiteUrls

#: What an object shows, compared with ``==`` to the last build's: the values themselves
#: (tuples of strings, numbers and frozen records), not a hash of their ``repr`` (a
#: snapshot lives as long as the serve, in memory, and making the ``repr`` of every order
#: twice a rebuild cost more than the rest of the snapshot).
Shown = tuple[object, ...]


@dataclass(frozen=True)
class Snapshot:
    digests: dict[str, Shown] = field(default_factory=dict)  # object ID: what it shows
    needles: dict[str, frozenset[str]] = field(default_factory=dict)
    #: order ID: its listing keys (``phase:CP2``, ``owner:alice``, ``status:done``)
    listed: dict[str, frozenset[str]] = field(default_factory=dict)
    #: page: what that page alone shows (its objects' "Referenced by", history)
    own: dict[str, Shown] = field(default_factory=dict)
    #: order ID: its fields alone, what a link or a list shows of it
    fields: dict[str, Shown] = field(default_factory=dict)
    #: order ID: its edges and its place on the critical chain, what a diagram draws
    edges: dict[str, Shown] = field(default_factory=dict)
    #: order ID: the pages that show its card (its file, translations, summary entries)
    homes: dict[str, frozenset[str]] = field(default_factory=dict)


def snapshot(
    graph: PlanningGraph,
    references: References,
    *,
    plan: Schedule | None,
    chain: Emphasis,
    history: Mapping[str, str],
    urls: SiteUrls,
) -> Snapshot:
    """What every object shows, as digests, and how a page names it."""
    out = Snapshot()
    own: dict[str, list[object]] = defaultdict(list)
    mentions = {key: _as_shown(found) for key, found in references.mentions.items()}
    at = {order_id: n for n, order_id in enumerate(chain.critical)}
    names = graph.owner_names
    counted = {order_id: graph.phases_counted(o) for order_id, o in graph.orders.items()}
    for order_id, order in graph.orders.items():
        # a timeline names an order's owner as its first order writes it
        own_fields = (_fields_of(order), names.get(order.owner or ""))
        out.fields[order_id] = own_fields
        edges = out.edges[order_id] = _edges(graph, order, chain, at.get(order_id))
        # a slot counts working days from the schedule's first day, which an order's
        # new ``start`` or ``created`` can move: the same numbers are other dates then
        slot = (plan.calendar.origin, plan.slots.get(order_id)) if plan is not None else None
        out.digests[order_id] = (own_fields, edges, slot)
        out.homes[order_id] = frozenset(
            (order.uri, *(v.uri for v in order.variants), *(x.uri for x in order.listings))
        )
        own[order.uri].append((order_id, mentions.get(order_id), history.get(order_id)))
        mine = graph.order_pages.get(order.uri) == order_id
        out.needles[order_id] = _needles(order_id, order.anchor, order.uri if mine else None)
        out.listed[order_id] = frozenset(
            (
                f"status:{order.status}",
                f"phase:{order.phase}",
                f"owner:{order.owner}",
                *(f"phase:{p}" for p in order.phases),
                *_stub_phases(graph, order_id, counted),
            )
        )
    citing = graph.citing  # an ADR page lists the orders citing it
    for adr_id, adr in graph.adrs.items():
        out.digests[adr_id] = (
            adr,
            graph.adr_files.get(adr_id),
            graph.adr_links.get(adr.path),  # keyed by the ADR's file: two may share a number
            graph.supersedes(adr_id),
            graph.superseded_by(adr_id),
        )
        own[adr.uri].append(
            (adr_id, mentions.get(adr_id), history.get(adr_id), sorted(citing.get(adr_id, ())))
        )
        out.needles[adr_id] = _needles(adr_id, None, adr.uri)
    for phase_id, phase in graph.phases.items():
        out.digests[phase_id] = (phase,)
        own[urls.phase_uri(phase)].append((phase_id, mentions.get(phase_id)))
        out.needles[phase_id] = _needles(phase_id, None, None)
    for task_id, (page, said) in references.tasks.items():
        out.digests.setdefault(task_id, (page, said))
        own[page].append((task_id, mentions.get(task_id)))
        out.needles.setdefault(task_id, _needles(task_id, None, None))
    out.own.update((uri, tuple(parts)) for uri, parts in own.items())
    return out


def _stub_phases(
    graph: PlanningGraph, order_id: str, counted: Mapping[str, list[str]]
) -> Iterable[str]:
    """The phase pages that draw an order as a stub (a neighbour of one of their orders):
    a summarised phase diagram counts it in its phase's box, by name nowhere on the page.
    ``counted``: each order's ``phases_counted`` (its tracks' orders are a phase's too)."""
    for other in (*graph.depends_on(order_id), *graph.dependents(order_id)):
        yield from (f"phase:{phase_id}" for phase_id in counted.get(other, ()))


def _as_shown(mentions: Iterable[Mention]) -> list[tuple[str, str, str]]:
    """Mentions as a "Referenced by" list shows them: each page's sections in the order of
    their lines, not the line numbers (a line added above a mention moves it, and the list
    is the same)."""
    return [
        (m.title, m.uri, m.section)
        for m in sorted(mentions, key=lambda m: (m.title, m.uri, m.line))
    ]


#: what an order shows in a link, a list item or a neighbour's card, with its owner's name:
#: every field but the dependencies it declares (drawn, listed in its card and its row)
_fields_of = attrgetter(
    *(f.name for f in fields(Order) if f.name not in ("declared_depends_on", "declared_blocks"))
)


def _edges(graph: PlanningGraph, order: Order, chain: Emphasis, at: int | None) -> Shown:
    """What a card or a diagram shows of an order but its fields: its neighbours both ways
    and its place (``at``) on the critical chain. A timeline shows its slot in time too."""
    order_id, critical = order.id, chain.critical
    return (
        order.declared_depends_on,
        order.declared_blocks,
        graph.depends_on(order_id),
        graph.dependents(order_id),
        graph.children(order_id),
        None if at is None else critical[max(at - 1, 0) : at + 2],
        sorted(edge for edge in chain.cycle_edges if order_id in edge),
    )


def _needles(object_id: str, anchor: str | None, uri: str | None) -> frozenset[str]:
    found = {object_id, object_id.lower()}
    # an anchor that holds the ID (``order-a-1-title``) is left out: a text that holds it
    # holds the ID, and every page's text is searched for each needle
    if anchor and object_id.lower() not in anchor:
        found.add(anchor)
    if uri:  # its page's file name without the suffix: the same in links from any page
        found.add(posixpath.splitext(posixpath.basename(uri))[0])
    return frozenset(found)


def changed(old: Snapshot, new: Snapshot) -> list[str]:
    """The IDs whose digest differs, that appeared or that went, sorted."""
    ids = old.digests.keys() | new.digests.keys()
    return sorted(i for i in ids if old.digests.get(i) != new.digests.get(i))


def _before_or_after(
    old: Mapping[str, frozenset[str]], new: Mapping[str, frozenset[str]], ids: Iterable[str]
) -> frozenset[str]:
    empty: frozenset[str] = frozenset()
    return frozenset().union(*(old.get(i, empty) | new.get(i, empty) for i in ids))


def needles_of(old: Snapshot, new: Snapshot, ids: Iterable[str]) -> frozenset[str]:
    """What a page that showed or shows any of ``ids`` holds, before or after."""
    return _before_or_after(old.needles, new.needles, ids)


def listings(old: Snapshot, new: Snapshot, ids: Iterable[str]) -> frozenset[str]:
    """The listing keys of ``ids`` before and after: the pages that list them."""
    return _before_or_after(old.listed, new.listed, ids)


def edges_only(old: Snapshot, new: Snapshot, ids: Iterable[str]) -> frozenset[str]:
    """The orders of ``ids`` whose fields did not change, but their edges or their place
    in time did: a link or a list shows them as before."""
    return frozenset(
        i for i in ids if i in old.fields and i in new.fields and old.fields[i] == new.fields[i]
    )


def moved_only(old: Snapshot, new: Snapshot, ids: Iterable[str]) -> frozenset[str]:
    """The orders of ``ids`` whose fields and edges did not change, only their slot in
    time: only a timeline shows them otherwise, and timelines are on generated pages."""
    return frozenset(
        i
        for i in edges_only(old, new, ids)
        if i in old.edges and i in new.edges and old.edges[i] == new.edges[i]
    )


def homes_of(old: Snapshot, new: Snapshot, ids: Iterable[str]) -> frozenset[str]:
    """The pages that show the cards of ``ids``, before or after."""
    return _before_or_after(old.homes, new.homes, ids)


def fold(text: str) -> bytes:
    """A page's text as the loop keeps it and looks in it: case folded and in UTF-8, about
    half the memory of the text, and searched faster. A needle in another case counts: a
    page rebuilt for nothing is only slow. (``casefold``, unlike ``lower``, maps each
    character alone, so a needle in a text is a needle in its folded text.)"""
    return text.casefold().encode("utf-8", "surrogatepass")


def fold_all(needles: Iterable[str]) -> frozenset[bytes]:
    """``needles`` as ``shows`` looks for them in a folded text (an ID and its lower case
    are one needle there)."""
    return frozenset(map(fold, needles))


#: where a page draws: Graphviz's SVG, a timeline's, and a diagram shown as its DOT source
#: (no Graphviz, or ``dot`` gave up), as a folded text holds them
_DRAWINGS = (
    (fold("<svg"), fold("</svg>")),
    (fold('<details class="plandocs-diagram-source"'), fold("</details>")),
)


def _as_drawn(needle: str) -> set[str]:
    """A needle as a drawing holds it: Graphviz writes ``-`` as ``&#45;`` in its text and
    titles, and a link's address is percent-encoded (a file name with a space, or not
    ASCII)."""
    return {needle, needle.replace("-", "&#45;"), quote(needle)}


def draws(text: bytes, needles: Iterable[str]) -> bool:
    """Whether a page's folded text holds any of ``needles`` inside a drawing (a diagram,
    a timeline), where an order's edges and dates show."""
    for drawn in {fold(form) for needle in needles for form in _as_drawn(needle)}:
        at = text.find(drawn)
        while at >= 0:
            if any(text.rfind(start, 0, at) > text.rfind(end, 0, at) for start, end in _DRAWINGS):
                return True
            at = text.find(drawn, at + len(drawn))
    return False


def shows(text: bytes, needles: frozenset[bytes]) -> bool:
    """Whether a page's folded text holds any of ``needles`` (``fold_all``); a needle inside
    a longer ID (``CP2`` in ``ORDER-WRK-3-CP2-001``) counts: a page rebuilt for nothing is
    only slow."""
    return any(needle in text for needle in needles)
