"""A Gantt chart of a ``Schedule`` as inline SVG text, made here (no JS library, no service).

One row per order under headings (phase, then owner): a bar from its first to its last
working day, coloured by status (``assets/plandocs.css``), critical ones outlined, estimated
ones hatched; arrows from each dependency to its dependent; a line on today; under the rows,
each owner's days of work per week. The x axis counts working days only. Every text a writer
typed is escaped; each bar links to its order relative to the page the chart is on (inline
SVG is raw HTML: MkDocs does not rewrite its links).
"""

from __future__ import annotations

import bisect
from collections.abc import Callable, Hashable, Sequence
from dataclasses import dataclass
from datetime import date
from functools import cached_property, partial
from html import escape
from itertools import pairwise
from typing import Any

from plandocs.core.graph import PlanningGraph
from plandocs.core.schedule import Schedule, Slot
from plandocs.core.urls import SiteUrls, relative_url

ROW = 22  # px a row takes
BAR = 14  # px a bar is high
LABEL = 280  # px of the label column
HEAD = 30  # px of the date axis
#: The chart's days take about this many px; a day is 6 to 24 px wide within that.
DAYS_WIDTH = 640
#: A week of more days of work than this is overbooked.
WEEK_DAYS = 5
#: Under this width the chart fits a phone, and needs no hint to scroll.
PHONE = 340

#: ``(heading, [(subheading, [order IDs])])``: what the chart shows, in order.
Sections = Sequence[tuple[str, Sequence[tuple[str, Sequence[str]]]]]
#: ``kept(key, make)``: a text made from what ``key`` holds, made once while builds ask
#: for it (``mkdocs serve``: ``FragmentCache.derived``)
Kept = Callable[[Hashable, Callable[[], str]], str]


@dataclass(frozen=True)
class _Row:
    kind: str  # "heading", "subheading", "order"
    text: str
    y: int


def gantt(
    graph: PlanningGraph,
    plan: Schedule,
    urls: SiteUrls,
    page_uri: str,
    sections: Sections,
    *,
    today: date,
    kept: Kept | None = None,
) -> str:
    """The chart as an HTML fragment: a scrolling container, a hint, and the SVG; empty
    when no order of ``sections`` has a place in time. With ``kept``, a bar drawn for the
    same order, place and scale before is not drawn again."""
    shown = placed(sections, plan)
    if not shown:
        return ""
    begin = min(plan.slots[o].start for o in shown)
    end = max(plan.slots[o].finish for o in shown)
    span = max(end - begin, 1)
    day = max(6, min(24, DAYS_WIDTH // span))
    rows = _rows(sections, plan)
    load_top = (rows[-1].y + ROW if rows else HEAD) + ROW
    owners = sorted({graph.orders[o].owner or "" for o in shown})
    height = load_top + ROW * (len(owners) + 1) + 4
    width = LABEL + span * day + 40  # room for the last date's label
    chart = _Chart(graph, plan, urls, urls.of(page_uri), begin, end, day, kept)
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="plandocs-gantt__svg" '
        f'width="{width}" height="{height}" viewBox="0 0 {width} {height}" role="img" '
        f'aria-label="Timeline of {len(shown)} orders">',
        '<defs><marker id="plandocs-gantt-arrow" viewBox="0 0 6 6" refX="6" refY="3" '
        'markerWidth="6" markerHeight="6" orient="auto">'
        '<path d="M0,0 L6,3 L0,6 z" class="plandocs-gantt__head"/></marker></defs>',
        *chart.axis(height),
        *chart.rows(rows),
        *chart.arrows(rows),
        *chart.today(today, load_top),
        *chart.load(owners, shown, load_top),
        "</svg>",
    ]
    hint = (
        '<p class="plandocs-gantt__hint">Scroll sideways to see the whole timeline.</p>'
        if width > PHONE
        else ""
    )
    return (
        f'<div class="plandocs-gantt">{hint}<div class="plandocs-gantt__scroll" tabindex="0">'
        + "".join(parts)
        + "</div></div>"
    )


def placed(sections: Sections, plan: Schedule) -> list[str]:
    """The orders of ``sections`` that have a place in time: those the chart shows."""
    return [o for _, groups in sections for _, ids in groups for o in ids if o in plan.slots]


def chart_facts(
    graph: PlanningGraph,
    plan: Schedule,
    urls: SiteUrls,
    page_uri: str,
    sections: Sections,
    *,
    today: date,
) -> dict[str, Any]:
    """Everything ``gantt`` draws a chart from, as plain data: its key in a cache."""
    shown = placed(sections, plan)
    orders = []
    for order_id in shown:
        order, slot = graph.orders[order_id], plan.slots[order_id]
        orders.append(
            [
                *(order_id, order.title, order.status, order.owner, order.owner_name),
                urls.order(order),
                [slot.start, slot.finish, slot.slack, slot.critical, slot.estimated],
                list(graph.depends_on(order_id)),
            ]
        )
    owners = sorted({graph.orders[o].owner or "" for o in shown})
    calendar = plan.calendar
    return {
        "here": urls.of(page_uri),
        "owners": [[owner, graph.owner_name(owner)] for owner in owners],
        "today": today.isoformat(),
        "calendar": [day.isoformat() for day in (calendar.origin, *calendar.holidays)],
        "sections": [
            [head, [[sub, list(ids)] for sub, ids in groups]] for head, groups in sections
        ],
        "orders": orders,
    }


def _rows(sections: Sections, plan: Schedule) -> list[_Row]:
    out: list[_Row] = []
    y = HEAD
    for heading, groups in sections:
        placed = [(sub, [o for o in ids if o in plan.slots]) for sub, ids in groups]
        placed = [(sub, ids) for sub, ids in placed if ids]
        if not placed:
            continue
        if heading:
            out.append(_Row("heading", heading, y))
            y += ROW
        for sub, ids in placed:
            if sub:
                out.append(_Row("subheading", sub, y))
                y += ROW
            for order_id in sorted(ids, key=lambda o: (plan.slots[o].start, o)):
                out.append(_Row("order", order_id, y))
                y += ROW
    return out


@dataclass(frozen=True)
class _Chart:
    graph: PlanningGraph
    plan: Schedule
    urls: SiteUrls
    here: str  # the URL of the page the chart is on
    begin: int  # its first day's number
    end: int  # the number of the day after its last
    day: int  # px a day takes
    kept: Kept | None = None

    def x(self, number: int) -> int:
        return LABEL + (number - self.begin) * self.day

    def axis(self, height: int) -> list[str]:
        """A tick at the first day and each Monday, labelled where there is room."""
        out = []
        room = 0
        for number in self._week_starts:
            when = self.plan.calendar.day(number)
            x = self.x(number)
            out.append(
                f'<line class="plandocs-gantt__tick" x1="{x}" y1="{HEAD - 6}" x2="{x}" '
                f'y2="{height}"/>'
            )
            if x >= room and number < self.end:
                out.append(_text("date", x + 2, HEAD - 10, f"{when:%b %d}"))
                room = x + 48
        return out

    def rows(self, rows: list[_Row]) -> list[str]:
        return [
            self.bar(row.text, row.y)
            if row.kind == "order"
            else _text(row.kind, 4 if row.kind == "heading" else 14, row.y + 15, row.text)
            for row in rows
        ]

    def bar(self, order_id: str, y: int) -> str:
        if self.kept is None:
            return self._bar(order_id, y)
        order, slot = self.graph.orders[order_id], self.plan.slots[order_id]
        shown = (order.title, order.status, order.owner_name, self.urls.order(order), slot)
        scale = (self.here, self.begin, self.day, self.plan.calendar)
        return self.kept(("gantt", order_id, y, shown, scale), partial(self._bar, order_id, y))

    def _bar(self, order_id: str, y: int) -> str:
        order = self.graph.orders[order_id]
        slot = self.plan.slots[order_id]
        status = order.status or "none"
        classes = ["plandocs-gantt__bar", f"status-{status}"]
        classes += ["critical"] if slot.critical else []
        classes += ["estimated"] if slot.estimated else []
        first = self.plan.start_date(order_id).isoformat()
        last = self.plan.finish_date(order_id).isoformat()
        words = order.status.replace("_", " ") if order.status else "no status"
        tip = (
            f"{order_id}: {order.title}\n{words}, {first} to {last}, "
            f"{slot.days} working day{'s' if slot.days != 1 else ''}"
            f"{' (estimated)' if slot.estimated else ''}, slack {slot.slack}"
            f"{', critical' if slot.critical else ''}"
            f"{f', owner {order.owner_name}' if order.owner_name else ''}"
        )
        href = escape(relative_url(self.urls.order(order), self.here))
        x, w = self.x(slot.start), max(slot.days * self.day - 2, 3)
        return (
            f'<a href="{href}" class="plandocs-gantt__order" data-order="{escape(order_id)}">'
            f"<title>{escape(tip)}</title>"
            + _text("label", 24, y + 15, f"{order_id} {order.title}", most=40)
            + f'<rect class="{" ".join(escape(c) for c in classes)}" x="{x + 1}" '
            f'y="{y + (ROW - BAR) // 2}" width="{w}" height="{BAR}" rx="3"/></a>'
        )

    def arrows(self, rows: list[_Row]) -> list[str]:
        """From the end of each dependency to the start of its dependent, both shown."""
        y_of = {row.text: row.y + ROW // 2 for row in rows if row.kind == "order"}
        out = []
        for order_id in sorted(y_of):
            slot = self.plan.slots[order_id]
            for dep in self.graph.depends_on(order_id):
                if dep not in y_of:
                    continue
                before = self.plan.slots[dep]
                x1, x2 = self.x(before.finish), self.x(slot.start)
                y1, y2 = y_of[dep], y_of[order_id]
                if x2 - 6 >= x1 + 4:  # room between the bars: one bend
                    route = f"M{x1},{y1} H{x2 - 6} V{y2} H{x2}"
                else:  # back along the gap between the rows, to come in from the left
                    gap = y2 - ROW // 2 if y2 > y1 else y2 + ROW // 2
                    route = f"M{x1},{y1} H{x1 + 4} V{gap} H{x2 - 6} V{y2} H{x2}"
                critical = before.critical and slot.critical and before.finish == slot.start
                out.append(
                    f'<path class="plandocs-gantt__arrow{" critical" if critical else ""}" '
                    f'd="{route}" '
                    f'marker-end="url(#plandocs-gantt-arrow)"><title>'
                    f"{escape(dep)} before {escape(order_id)}</title></path>"
                )
        return out

    def today(self, today: date, bottom: int) -> list[str]:
        number = self.plan.calendar.number(today)
        # a weekend's number is the Monday's after it: the Saturday before the plan is out
        if today < self.plan.calendar.day(self.begin) or number > self.end:
            return []
        x = self.x(number)
        return [
            f'<line class="plandocs-gantt__today" x1="{x}" y1="{HEAD - 6}" x2="{x}" '
            f'y2="{bottom - ROW // 2}"><title>Today, {today.isoformat()}</title></line>'
        ]

    def load(self, owners: list[str], shown: list[str], top: int) -> list[str]:
        """Each owner's days of work per week; more than ``WEEK_DAYS`` is overbooked."""
        out = [_text("heading", 4, top + 15, "Load: days of work per week")]
        weeks = self._weeks()
        slots: dict[str, list[Slot]] = {}
        for o in shown:
            slots.setdefault(self.graph.orders[o].owner or "", []).append(self.plan.slots[o])
        for n, owner in enumerate(owners, start=1):
            y = top + n * ROW
            name = self.graph.owner_name(owner) if owner else "(no owner)"
            out.append(_text("label", 24, y + 15, name))
            mine = slots.get(owner, [])
            for (first, after), days in zip(weeks, _week_days(weeks, mine), strict=True):
                if not days:
                    continue
                over = days > WEEK_DAYS
                x, w = self.x(first), (after - first) * self.day - 1
                week = self.plan.calendar.day(first).isoformat()
                kind = "plandocs-gantt__load" + (" plandocs-gantt__load--over" if over else "")
                out.append(
                    f'<g class="{kind}">'
                    f"<title>{escape(name)}: {days} days of work in the week of {week}"
                    f"{' (overbooked)' if over else ''}</title>"
                    f'<rect x="{x}" y="{y + 3}" width="{max(w, 2)}" height="{ROW - 6}"/>'
                    f'<text x="{x + 3}" y="{y + 15}">{days}</text></g>'
                )
        return out

    @cached_property
    def _week_starts(self) -> list[int]:
        """The first day and the first working day of each calendar week after it, to the
        end (asked for by the axis and the load: worked out once)."""
        day = self.plan.calendar.day
        week = [day(n).isocalendar()[:2] for n in range(self.begin, self.end + 1)]
        return [self.begin + i for i in range(len(week)) if i == 0 or week[i] != week[i - 1]]

    def _weeks(self) -> list[tuple[int, int]]:
        """The working days of each calendar week, as ``(first, after)`` day numbers."""
        end = self.end
        bounds = [n for n in self._week_starts if n < end]
        return list(pairwise([*bounds, end])) or [(self.begin, end)]


def _week_days(weeks: list[tuple[int, int]], slots: list[Slot]) -> list[int]:
    """The days of work of ``slots`` in each week, each slot added to the weeks it spans
    only (a plan of a thousand orders has a hundred weeks)."""
    starts = [first for first, _ in weeks]
    days = [0] * len(weeks)
    for slot in slots:
        at = max(bisect.bisect_right(starts, slot.start) - 1, 0)
        while at < len(weeks) and weeks[at][0] < slot.finish:
            first, after = weeks[at]
            days[at] += max(0, min(slot.finish, after) - max(slot.start, first))
            at += 1
    return days


def _text(kind: str, x: int, y: int, text: str, most: int = 34) -> str:
    """A line of text in the chart, cut to ``most`` characters to fit its column."""
    cut = text if len(text) <= most else text[: most - 1] + "…"
    return f'<text class="plandocs-gantt__{kind}" x="{x}" y="{y}">{escape(cut)}</text>'
