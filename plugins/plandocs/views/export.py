"""``planning.json``: the whole graph for other tools, versioned and byte-stable."""

from __future__ import annotations

import json
from collections.abc import Iterable

from ..diagnostics import Diagnostic, sort_key
from ..graph import PlanningGraph
from .urls import SiteUrls

SCHEMA = 1


def planning_json(graph: PlanningGraph, diagnostics: Iterable[Diagnostic], urls: SiteUrls) -> str:
    """Serialise the sealed graph. Same input, same bytes: every list is sorted."""
    data = {
        "schema": SCHEMA,
        "orders": [
            {
                "id": order.id,
                "title": order.title,
                "owner": order.owner,
                "priority": order.priority,
                "status": order.status,
                "phase": order.phase,
                "depends_on": list(graph.depends_on(order.id)),
                "blocks": list(graph.dependents(order.id)),
                "source": order.path,
                "url": urls.order(order),
            }
            for order in sorted(graph.orders.values(), key=lambda o: o.id)
        ],
        "adrs": [
            {
                "id": adr.id,
                "title": adr.title,
                "status": adr.status,
                "supersedes": list(graph.supersedes(adr.id)),
                "superseded_by": list(graph.superseded_by(adr.id)),
                "source": adr.path,
                "url": urls.adr(adr),
            }
            for adr in sorted(graph.adrs.values(), key=lambda a: a.id)
        ],
        "phases": [
            {"id": phase.id, "title": phase.title, "orders": list(graph.orders_in_phase(phase.id))}
            for phase in sorted(graph.phases.values(), key=lambda p: p.id)
        ],
        "diagnostics": [d.as_json() for d in sorted(diagnostics, key=sort_key)],
    }
    return json.dumps(data, ensure_ascii=False, indent=2, sort_keys=False) + "\n"
