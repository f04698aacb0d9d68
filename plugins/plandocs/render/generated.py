"""The pages plandocs adds to a site: the planning overview, all orders, a page for each
phase, owner and status, the architecture decisions, the timeline and the changes."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from functools import partial
from typing import Any

from markupsafe import Markup

from plandocs.core.diagnostics import Diagnostic
from plandocs.core.graph import PlanningGraph
from plandocs.core.model import Phase
from plandocs.core.parse.fields import FINISHED
from plandocs.core.schedule import Schedule
from plandocs.core.urls import SiteUrls
from plandocs.project.history import Changes, Item
from plandocs.render.gantt import Sections, chart_facts, gantt, placed
from plandocs.render.jinja import Templates
from plandocs.render.tables import Tables
from plandocs.render.titles import plain_title
from plandocs.render.tokens import Placeholders
from plandocs.render.views import Views


@dataclass(frozen=True)
class GeneratedPage:
    uri: str
    title: str  # as no theme can turn into markup (``plain_title``, ``safe_page_title``)
    markdown: str


def generated_uris(graph: PlanningGraph, urls: SiteUrls) -> list[str]:
    """Where the generated pages go, without rendering them."""
    return [
        urls.overview_uri(),
        urls.orders_uri(),
        *(urls.phase_uri(p) for p in graph.phases.values()),
        *(urls.owner_uri(o) for o in graph.owners()),
        *(urls.status_uri(s) for s in graph.statuses()),
        urls.adrs_uri(),
        urls.timeline_uri(),
    ]


class GeneratedPages:
    def __init__(
        self, views: Views, templates: Templates, tables: Tables, marks: Placeholders
    ) -> None:
        self.graph, self.urls = views.graph, views.urls
        self.views, self.templates, self.tables, self.marks = views, templates, tables, marks

    def pages(
        self, diagnostics: Sequence[Diagnostic], plan: Schedule, today: date
    ) -> list[GeneratedPage]:
        graph, urls = self.graph, self.urls
        chart = partial(self._chart, plan, today)
        overview = _overview(graph, urls, diagnostics)
        diagram = Markup(self.marks.slot("orders"))
        return [
            self._page(urls.overview_uri(), "Planning overview", "overview.md", **overview),
            self._listing(
                urls.orders_uri(), "All orders", "orders.md", list(graph.orders), diagram=diagram
            ),
            *(self._phase_page(phase, chart) for phase in graph.phases.values()),
            *(self._owner_page(owner) for owner in graph.owners()),
            *(self._status_page(status) for status in graph.statuses()),
            self._page(urls.adrs_uri(), "Architecture decisions", "adrs.md", adrs=self._adr_rows()),
            self._timeline_page(plan, chart),
        ]

    def _page(self, uri: str, title: str, template: str, **context: Any) -> GeneratedPage:
        return GeneratedPage(uri, title, self.templates.render(template, uri, **context))

    def _listing(
        self, uri: str, title: str, template: str, ids: Sequence[str], **context: Any
    ) -> GeneratedPage:
        """A page that lists orders: its template has their rows, table and rollup."""
        rows = [self.views.rows[i] for i in ids]
        table = self.tables.table(uri, rows)
        rollup = self.graph.rollup(ids)
        context.setdefault("legend", Markup(""))
        return self._page(uri, title, template, rows=rows, table=table, rollup=rollup, **context)

    def _phase_page(self, phase: Phase, chart: Chart) -> GeneratedPage:
        graph, urls = self.graph, self.urls
        parent = graph.phases.get(phase.base) if phase.kind != "phase" else None
        children = [p for p in graph.phases.values() if p.base == phase.id and p.id != phase.id]
        ids = graph.orders_in_phase(phase.id)
        return self._listing(
            urls.phase_uri(phase),
            plain_title(f"{phase.id}: {phase.title}"),
            "phase.md",
            ids,
            phase=phase,
            parent={"id": parent.id, "url": urls.of(urls.phase_uri(parent))} if parent else None,
            children=[{"id": c.id, "url": urls.of(urls.phase_uri(c))} for c in children],
            diagram=Markup(self.marks.slot(f"phase:{phase.id}")),
            timeline=Markup(chart(urls.phase_uri(phase), [("", self._by_owner(ids))])),
        )

    def _owner_page(self, owner: str) -> GeneratedPage:
        graph = self.graph
        ids = graph.orders_of(owner)
        label = next(
            (graph.orders[i].owner_label for i in ids if graph.orders[i].owner_label), None
        )
        # the page is named by a slug; its title shows the name as written (gpt-5.5-xhigh)
        name = graph.owner_name(owner)
        title = f"Owner {name} ({label})" if label else f"Owner {name}"
        uri = self.urls.owner_uri(owner)
        return self._listing(uri, plain_title(title), "owner.md", ids, owner=name, label=label)

    def _status_page(self, status: str) -> GeneratedPage:
        uri, ids = self.urls.status_uri(status), self.graph.orders_with_status(status)
        title = plain_title(f"Status: {status.replace('_', ' ')}")
        return self._listing(uri, title, "status.md", ids, status=status)

    def _by_owner(self, ids: Iterable[str]) -> list[tuple[str, list[str]]]:
        groups: dict[str, list[str]] = {}
        for order_id in ids:
            groups.setdefault(self.graph.orders[order_id].owner or "", []).append(order_id)
        return [
            (f"Owner {self.graph.owner_name(owner)}" if owner else "No owner", groups[owner])
            for owner in sorted(groups)
        ]

    def _timeline_page(self, plan: Schedule, chart: Chart) -> GeneratedPage:
        """The whole plan in time, by phase, then by owner (``schedule``, ``gantt``)."""
        graph, uri, ref = self.graph, self.urls.timeline_uri(), self.views.ref
        seen: set[str] = set()  # an order shows once: under its phase, before a track's
        sections: list[tuple[str, list[tuple[str, list[str]]]]] = []
        for phase in graph.phases.values():
            ids = [o for o in graph.orders_in_phase(phase.id) if o not in seen]
            seen.update(ids)
            if ids:
                sections.append((f"{phase.id}: {phase.title}", self._by_owner(ids)))
        rest = [o for o in graph.orders if o not in seen]
        if rest:
            sections.append(("No phase", self._by_owner(rest)))
        return self._page(
            uri,
            "Timeline",
            "timeline.md",
            chart=Markup(chart(uri, sections)),
            first=plan.calendar.day(plan.begin).isoformat() if plan.slots else None,
            last=plan.calendar.day(plan.end - 1).isoformat() if plan.slots else None,
            critical=[ref(o) for o in plan.critical_path],
            unscheduled=[ref(o) for o in plan.unscheduled],
            estimated=sum(1 for s in plan.slots.values() if s.estimated),
            total=len(plan.slots),
            holidays=len(self.views.settings.holidays),
        )

    def _chart(self, plan: Schedule, today: date, page_uri: str, sections: Sections) -> str:
        if not placed(sections, plan):
            return ""
        # drawn when the page is written, after Markdown has run: nothing in the SVG is
        # read as Markdown, and the build does not hold it until then
        return f"\n\n{self.marks.late(partial(self._svg, plan, today, page_uri, sections))}\n\n"

    def _svg(self, plan: Schedule, today: date, page_uri: str, sections: Sections) -> str:
        facts = (self.graph, plan, self.urls, page_uri, sections)
        store = self.templates.store
        if store is None:
            return gantt(*facts, today=today)
        key = chart_facts(*facts, today=today)
        drawn = partial(gantt, *facts, today=today, kept=store.derived)
        return store.render("gantt", page_uri, key, drawn)

    def _adr_rows(self) -> list[dict[str, Any]]:
        """One row per ADR file: a file that shares its number gets its own, after the one
        the number resolves to, and carries no supersession of the number's."""
        graph, urls, ref = self.graph, self.urls, self.views.adr_ref
        rows = []
        for adr_id, files in graph.adr_files.items():
            chains = {
                "supersedes": [ref(a) for a in graph.supersedes(adr_id)],
                "superseded_by": [ref(a) for a in graph.superseded_by(adr_id)],
                "chain": [ref(a) for a in graph.supersession_chain(adr_id)],
            }
            for adr in files:
                first = adr is graph.adrs[adr_id]
                rows.append(
                    {
                        "id": adr.id,
                        "title": adr.title,
                        "url": urls.adr(adr),
                        "status": adr.status,
                        "date": adr.date,
                        "deciders": adr.deciders,
                        **(chains if first else {key: [] for key in chains}),
                        "clashes": [
                            {"title": f"{other.title} ({other.path})", "url": urls.adr(other)}
                            for other in files
                            if other is not adr
                        ],
                        "canonical": first,
                    }
                )
        return rows

    def changes_page(self, uri: str, changes: Changes) -> GeneratedPage:
        """The Changes page: what changed since ``changes.since``, with dates and commits."""
        groups = [
            ("New orders", "Order", changes.new_orders, False),
            ("Status changes", "Order", changes.status_changes, True),
            ("Finished orders", "Order", changes.finished, True),
            ("New ADRs", "ADR", changes.new_adrs, False),
            ("Superseded ADRs", "ADR", changes.superseded_adrs, True),
        ]
        groups_data = [
            {"title": title, "kind": kind, "items": [self._change(i, kind, moved) for i in items]}
            for title, kind, items, moved in groups
        ]
        return self._page(uri, "Changes", "changes.md", since=changes.since, groups=groups_data)

    def _change(self, item: Item, kind: str, moved: bool) -> dict[str, Any]:
        """A line of the Changes page: the status ``item`` came to, or (``moved``) from
        which to which; an item with no old status was written so in its first commit."""
        ref: dict[str, Any] | None = None
        if kind == "ADR":
            ref = self.views.adr_ref(item.id)
        elif item.id in self.graph.orders:
            ref = self.views.ref(item.id)
        new = (item.new or "no status").replace("_", " ")
        change = new
        if moved:
            old = (item.old or "no status").replace("_", " ")
            change = f"new, {new}" if item.old is None else f"{old} → {new}"
        return {
            "id": item.id,
            "url": ref["url"] if ref else None,
            "title": ref["title"] if ref else "",
            "date": item.date,
            "change": change,
            "commit": item.commit[:7],
        }


#: a Gantt chart of some orders for a page, as a late fragment ("" when none has a place)
Chart = Callable[[str, Sections], str]


def _overview(
    graph: PlanningGraph, urls: SiteUrls, diagnostics: Sequence[Diagnostic]
) -> dict[str, Any]:
    """What the Planning overview shows: totals, phases (tracks and states under their
    phase), owners, statuses, and what to fix. A phase counts the orders its page lists;
    an order in two phases counts in both, and the overview says which ones do, so that
    its counts add up."""
    tops = [p.id for p in graph.phases.values() if p.base == p.id]
    phases = []
    for top in tops:
        phases.append(_phase_row(graph, urls, top))
        phases += [
            _phase_row(graph, urls, p.id)
            for p in graph.phases.values()
            if p.base == top and p.id != top
        ]
    # in how many phases (tracks folded into their phase) each order counts
    in_tops = {
        o.id: [p for p in graph.phases_counted(o) if p in tops] for o in graph.orders.values()
    }
    return {
        "rollup": graph.rollup(list(graph.orders)),
        "phases": phases,
        "phase_sum": sum(r["total"] for r in phases if r["kind"] == "phase"),
        "in_several": [
            {"id": i, "url": urls.order(graph.orders[i]), "phases": ps}
            for i, ps in in_tops.items()
            if len(ps) > 1
        ],
        "no_phase": sum(1 for ps in in_tops.values() if not ps),
        "owners": [
            {
                "id": graph.owner_name(owner),
                "url": urls.of(urls.owner_uri(owner)),
                **_counts(graph, graph.orders_of(owner)),
            }
            for owner in graph.owners()
        ],
        "unowned": sum(1 for o in graph.orders.values() if not o.owner),
        "statuses": [
            {"id": s, "url": urls.of(urls.status_uri(s)), "total": len(graph.orders_with_status(s))}
            for s in graph.statuses()
        ],
        "adr_count": len(graph.adrs),
        "orders_url": urls.of(urls.orders_uri()),
        "adrs_url": urls.of(urls.adrs_uri()),
        "diagnostics": [d for d in diagnostics if d.level.value != "info"],
    }


def _counts(graph: PlanningGraph, ids: Sequence[str]) -> dict[str, int]:
    """How many orders, and how many of them are not finished."""
    return {
        "total": len(ids),
        "open": sum(1 for i in ids if graph.orders[i].status not in FINISHED),
    }


def _phase_row(graph: PlanningGraph, urls: SiteUrls, phase_id: str) -> dict[str, Any]:
    phase = graph.phases[phase_id]
    return {
        "id": phase.id,
        "title": phase.title,
        "kind": phase.kind,
        "url": urls.of(urls.phase_uri(phase)),
        **_counts(graph, graph.orders_in_phase(phase_id)),
    }
