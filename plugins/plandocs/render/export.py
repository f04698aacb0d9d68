"""``planning.json``: the whole graph for other tools, versioned and byte-stable."""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping, Sequence

from plandocs.core.diagnostics import Diagnostic, sort_key
from plandocs.core.graph import PlanningGraph
from plandocs.core.model import Adr, Order
from plandocs.core.schedule import Schedule
from plandocs.core.urls import SiteUrls
from plandocs.project.history import Change, as_json
from plandocs.render.permalinks import permalink_url

#: raised when a key changes meaning; what each version changed: docs/guide/export.md
SCHEMA = 3


def planning_json(
    graph: PlanningGraph,
    diagnostics: Iterable[Diagnostic],
    urls: SiteUrls,
    *,
    history: Mapping[str, Sequence[Change]] | None = None,
    plan: Schedule | None = None,
    encoded: dict[str, str] | None = None,
) -> str:
    """Serialise the sealed graph. Same input, same bytes: every list is sorted.
    ``history`` (git's, by order ID) gives each order's entry a ``history`` list.

    ``encoded``, kept by the caller between calls (``mkdocs serve``), holds each entry's
    JSON by the entry's value: an entry that did not change is not encoded again (Python's
    indenting encoder is slow: 0.1 s at 1,000 orders). It is left holding this call's."""
    data = {
        "schema": SCHEMA,
        "orders": [
            {
                **_order(graph, order, urls, canonical=graph.orders.get(order.id) is order),
                **_history(order, history),
                **_scheduled(graph, order, plan),
            }
            for order in sorted(
                (*graph.orders.values(), *graph.archived), key=lambda o: (o.id, o.archived, o.path)
            )
        ],
        "adrs": [_adr(graph, adr, urls) for files in graph.adr_files.values() for adr in files],
        "phases": [
            {
                "id": phase.id,
                "title": phase.title,
                "orders": list(graph.orders_in_phase(phase.id)),
                "permalink": permalink_url(phase.id, urls.use_directory_urls),
            }
            for phase in sorted(graph.phases.values(), key=lambda p: p.id)
        ],
        "diagnostics": [d.as_json() for d in sorted(diagnostics, key=sort_key)],
    }
    if encoded is None:  # one build: nothing to keep
        return json.dumps(data, ensure_ascii=False, indent=2) + "\n"
    return _dumps(data, encoded) + "\n"


def _dumps(data: dict[str, object], encoded: dict[str, str]) -> str:
    """``json.dumps(data, ensure_ascii=False, indent=2)``, each entry of a list of ``data``
    taken from ``encoded`` when there, and ``encoded`` left holding this document's."""
    kept = dict(encoded)
    encoded.clear()

    def entry(value: object) -> str:
        key = repr(value)  # the same repr, the same JSON: values are JSON's own types
        text = kept.get(key)
        if text is None:
            text = json.dumps(value, ensure_ascii=False, indent=2).replace("\n", "\n    ")
        encoded[key] = text
        return text

    def member(name: str, value: object) -> str:
        if isinstance(value, list) and value:
            value = "[\n    " + ",\n    ".join(map(entry, value)) + "\n  ]"
        else:
            value = json.dumps(value, ensure_ascii=False, indent=2).replace("\n", "\n  ")
        return f"{json.dumps(name, ensure_ascii=False)}: {value}"

    return "{\n  " + ",\n  ".join(member(k, v) for k, v in data.items()) + "\n}"


def _history(order: Order, history: Mapping[str, Sequence[Change]] | None) -> dict[str, object]:
    """An order's changes from git (``git_history``); an archived order's file is another's."""
    if history is None:
        return {}
    return {"history": [] if order.archived else as_json(history.get(order.id, ()))}


def _scheduled(graph: PlanningGraph, order: Order, plan: Schedule | None) -> dict[str, object]:
    """An order's place in time (``schedule``); ``null`` for an order with none (on a
    dependency cycle, or an archived file that yields its ID)."""
    if plan is None:
        return {}
    slot = plan.slots.get(order.id) if graph.orders.get(order.id) is order else None
    if slot is None:
        return dict.fromkeys(("start", "finish", "slack", "critical", "estimated"))
    return {
        "start": plan.start_date(order.id).isoformat(),
        "finish": plan.finish_date(order.id).isoformat(),
        "slack": slot.slack,
        "critical": slot.critical,
        "estimated": slot.estimated,
    }


def _order(
    graph: PlanningGraph, order: Order, urls: SiteUrls, *, canonical: bool
) -> dict[str, object]:
    """One order file. An archived one that yields its ID to a live order has its own
    fields and none of the ID's edges."""
    return {
        "id": order.id,
        "title": order.title,
        "owner": order.owner_name,
        "owner_id": order.owner,
        "owners": list(order.owners),
        "priority": order.priority,
        "status": order.status,
        "phase": order.phase,
        "depends_on": list(graph.depends_on(order.id) if canonical else order.declared_depends_on),
        "blocks": list(graph.dependents(order.id)) if canonical else [],
        "parent": order.parent,
        "children": list(graph.children(order.id)) if canonical else [],
        "draft": order.draft,
        "archived": order.archived,
        "canonical": canonical,
        "source": order.path,
        "url": urls.order(order),
        "permalink": permalink_url(order.id, urls.use_directory_urls) if canonical else None,
    }


def _adr(graph: PlanningGraph, adr: Adr, urls: SiteUrls) -> dict[str, object]:
    """One ADR file. ``supersedes`` and ``superseded_by`` are the ID's, after merging both
    sides; ``relations`` are what this file writes, each with the ADR it names (``null``
    when it names none) and, for a link, the file it goes to."""
    canonical = graph.adrs.get(adr.id) is adr
    return {
        "id": adr.id,
        "number": adr.number,
        "title": adr.title,
        "status": adr.status,
        "date": adr.date,
        "deciders": list(adr.deciders),
        "consulted": list(adr.consulted),
        "informed": list(adr.informed),
        "canonical": canonical,
        "supersedes": list(graph.supersedes(adr.id)) if canonical else [],
        "superseded_by": list(graph.superseded_by(adr.id)) if canonical else [],
        "relations": [
            {"type": link.kind, "id": link.target, "source": link.file}
            for link in graph.adr_links.get(adr.path, ())
        ],
        "source": adr.path,
        "url": urls.adr(adr),
        "permalink": permalink_url(adr.id, urls.use_directory_urls) if canonical else None,
    }
