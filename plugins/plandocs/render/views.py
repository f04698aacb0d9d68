"""What the templates are given of an order or an ADR: plain data (strings, numbers, lists,
dicts) with site URLs, so that a fragment is a function of its data alone and the fragment
cache can key on it."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any
from urllib.parse import unquote

from plandocs.core.graph import PlanningGraph
from plandocs.core.model import Order
from plandocs.core.parse.fields import PRIORITIES, STATUSES
from plandocs.core.settings import Settings
from plandocs.core.urls import SiteUrls
from plandocs.render.permalinks import permalink_url


class Views:
    def __init__(
        self,
        graph: PlanningGraph,
        settings: Settings,
        urls: SiteUrls,
        before: Mapping[str, dict[str, Any]] | None = None,
    ) -> None:
        self.graph, self.settings, self.urls = graph, settings, urls
        self._refs: dict[str, dict[str, Any]] = {}
        #: each order's data, by ID: its card's and its row's in the orders tables; a row
        #: equal to its row ``before`` (the last build's, ``mkdocs serve``) is that one: the
        #: fragment cache knows its digest, and the rows its tables had
        self.rows = {order_id: self.row(order) for order_id, order in graph.orders.items()}
        if before:
            self.rows = {
                i: before[i] if before.get(i) == row else row for i, row in self.rows.items()
            }

    def ref(self, order_id: str) -> dict[str, Any]:
        """An order as its neighbours' rows link it: one dict an order, however many rows
        name it (read-only, as all template data)."""
        known = self._refs.get(order_id)
        if known is None:
            order = self.graph.orders[order_id]
            url = self.urls.order(order)
            known = {"id": order_id, "title": order.title, "status": order.status, "url": url}
            self._refs[order_id] = known
        return known

    def adr_ref(self, adr_id: str) -> dict[str, Any]:
        """Link data for an ADR; an ADR without a file has no URL (it was reported)."""
        adr = self.graph.adrs.get(adr_id)
        if adr is None:
            return {"id": adr_id, "title": "", "status": None, "url": None}
        return {"id": adr_id, "title": adr.title, "status": adr.status, "url": self.urls.adr(adr)}

    def row(self, order: Order) -> dict[str, Any]:
        """An order's fields, relations and places in the site."""
        graph, urls, external = self.graph, self.urls, self.settings.external_ids_re
        permalink = permalink_url(order.id, urls.use_directory_urls)
        return {
            "id": order.id,
            "title": order.title,
            "url": urls.order(order),
            "owner": order.owner,
            "owner_label": order.owner_label,
            "owner_url": urls.of(urls.owner_uri(order.owner)) if order.owner else None,
            "owner_name": order.owner_name,  # as written: "gpt-5.5-xhigh", not its page's slug
            "co_owners": order.owners[1:],
            "parent": self.ref(order.parent) if order.parent in graph.orders else None,
            "children": [self.ref(c) for c in graph.children(order.id)],
            "draft": order.draft,
            "archived": order.archived,
            "issuer": order.issuer,
            "priority": order.priority,
            "priority_rank": PRIORITIES.index(order.priority)
            if order.priority
            else len(PRIORITIES),
            "status": order.status,
            "status_rank": STATUSES.index(order.status) if order.status else len(STATUSES),
            "phase": order.phase,
            "phase_url": urls.of(urls.phase_uri(order.phase)) if order.phase else None,
            "phases": [{"id": p, "url": urls.of(urls.phase_uri(p))} for p in order.phases],
            "phase_filter": " ".join(graph.phases_counted(order)),
            "timeline": order.timeline,
            "depends_on": [self.ref(d) for d in graph.depends_on(order.id)],
            # named but no order of the project (another system's, ``external_ids``, or an
            # ``unknown-ref``): shown as such, never as "none"
            "depends_missing": [
                {"id": i, "external": bool(external and external.fullmatch(i))}
                for i in dict.fromkeys(order.declared_depends_on)
                if i not in graph.orders
            ],
            "blocks": [self.ref(d) for d in graph.dependents(order.id)],
            "blocked_by": [self.ref(d) for d in graph.blocked_by(order.id)],
            "depends_note": order.depends_note,
            "blocks_note": order.blocks_note,
            "adrs": [self.adr_ref(a) for a in order.adrs],
            "listings": [
                {"uri": item.uri, "url": urls.of(item.uri, item.anchor), "title": item.title}
                for item in order.listings
            ],
            "variants": [{"lang": v.lang, "url": urls.of(v.uri)} for v in order.variants],
            "source": f"{order.path}:{order.line}" if order.anchor else order.path,
            "permalink": permalink,
            "permalink_text": unquote(permalink) if permalink else None,  # as a reader reads it
        }
