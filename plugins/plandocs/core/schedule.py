"""The plan in time (the critical path method): each order's earliest start and finish, its
slack, and the critical path, in working days (weekends and ``holidays`` skipped) from the
schedule's first day, day 0; an order of three days that starts on day 0 finishes at the
end of day 2.

What it reads of an order:
- its duration from ``Timeline`` (``diagram.planning.timeline_days``, which the diagrams'
  critical path uses too), rounded up to whole days; with none, one day and ``estimated``,
  or the working days from ``start`` to ``due`` when both are written;
- ``start``: it does not start before that day;
- ``due``: its latest finish, so slack may be negative (the order is late);
- done orders finish on their real day when ``done_dates`` (git history) knows it; without
  one a done order is placed as early as possible and marked ``estimated``.

Orders on a dependency cycle are left unscheduled (the cycle is reported by ``graph.seal``);
an order that depends on one is placed as if that dependency were not there, and marked
``estimated``.
"""

from __future__ import annotations

import bisect
import math
import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from graphlib import CycleError, TopologicalSorter

from plandocs.core.diagram.planning import timeline_days
from plandocs.core.graph import PlanningGraph
from plandocs.core.parse.fields import FINISHED
from plandocs.core.settings import Settings


@dataclass(frozen=True)
class Calendar:
    """Working days: weekdays that are not holidays. Day numbers count working days from
    ``origin`` (day 0, itself moved to a working day); before it they are negative."""

    origin: date
    holidays: tuple[date, ...] = ()  # sorted
    #: ``day``'s answers: a Gantt chart asks for the same few hundred days thousands of times
    _days: dict[int, date] = field(default_factory=dict, init=False, compare=False, repr=False)

    def __post_init__(self) -> None:
        # only a holiday on a weekday removes a working day
        object.__setattr__(
            self, "holidays", tuple(sorted({d for d in self.holidays if d.weekday() < 5}))
        )
        object.__setattr__(self, "origin", self.next_working(self.origin))

    def next_working(self, day: date) -> date:
        while day.weekday() >= 5 or day in self.holidays:
            day += timedelta(days=1)
        return day

    def _before(self, day: date) -> int:
        """Working days from 0001-01-01 (a Monday) up to ``day``, ``day`` not counted."""
        weeks, rest = divmod(day.toordinal() - 1, 7)
        return weeks * 5 + min(rest, 5) - bisect.bisect_left(self.holidays, day)

    def number(self, day: date) -> int:
        """The day number of ``day``; a day off counts as the working day after it."""
        return self._before(day) - self._before(self.origin)

    def day(self, number: int) -> date:
        """The date of working day ``number``."""
        if number in self._days:
            return self._days[number]
        low = self.origin.toordinal() + min(0, number * 2 - 14 - 2 * len(self.holidays))
        high = self.origin.toordinal() + max(0, number * 2 + 14 + 2 * len(self.holidays))
        target = number + self._before(self.origin)
        # the first day with ``target`` working days before it, that is itself working
        days = range(low, high)
        first = bisect.bisect_left(days, target, key=lambda o: self._before(date.fromordinal(o)))
        found = self._days[number] = self.next_working(date.fromordinal(low + first))
        return found


@dataclass(frozen=True)
class Slot:
    """One order in time. ``start`` and ``finish`` are day numbers (``finish`` is the first
    day after the work); ``slack`` is how many days it may slip without moving the end of
    the plan or missing its ``due`` date (negative: late)."""

    order_id: str
    start: int
    finish: int
    slack: int
    critical: bool
    #: its duration or dates are guesses: no duration, or done with no known day
    estimated: bool

    @property
    def days(self) -> int:
        return self.finish - self.start


@dataclass(frozen=True)
class Schedule:
    calendar: Calendar
    slots: Mapping[str, Slot]  # by order ID, sorted
    #: one chain of critical orders, from the first to do to the last
    critical_path: tuple[str, ...]
    #: orders on a dependency cycle: no place in time
    unscheduled: tuple[str, ...]

    def start_date(self, order_id: str) -> date:
        return self.calendar.day(self.slots[order_id].start)

    def finish_date(self, order_id: str) -> date:
        """The last working day of the order."""
        return self.calendar.day(self.slots[order_id].finish - 1)

    @property
    def end(self) -> int:
        return max((s.finish for s in self.slots.values()), default=0)

    @property
    def begin(self) -> int:
        return min((s.start for s in self.slots.values()), default=0)


def build_day() -> date:
    """The day of a build or an export: today, or the day ``SOURCE_DATE_EPOCH`` names, so a
    reproducible build draws the same "today" line (https://reproducible-builds.org/)."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if epoch.isdigit():
        return datetime.fromtimestamp(int(epoch), tz=UTC).date()
    return date.today()


def whole_days(timeline: str | None) -> int | None:
    """A ``Timeline`` in whole working days (half a day takes a day); None when it names
    no amount."""
    days = timeline_days(timeline)
    return None if days is None else max(1, math.ceil(days - 1e-9))


def schedule(
    graph: PlanningGraph,
    settings: Settings,
    *,
    today: date,
    done_dates: Mapping[str, date] | None = None,
) -> Schedule:
    """Place every order of ``graph`` in time. ``done_dates``: the day each done order was
    finished, when history knows it. The first day is ``schedule_start``, else the earliest
    date the orders give, else ``today``."""
    done_dates = done_dates or {}
    known = [d for order in graph.orders.values() for d in (order.created, order.start) if d]
    known.extend(done_dates[o] for o in graph.orders if o in done_dates)
    calendar = Calendar(settings.schedule_start or min(known, default=today), settings.holidays)
    on_cycle = {order_id for cycle in graph.cycles for order_id in cycle}
    ids = sorted(o for o in graph.orders if o not in on_cycle)
    deps = {o: graph.depends_on(o) for o in ids}  # sorted, and every one an order
    try:
        order_of = list(
            TopologicalSorter({o: [d for d in deps[o] if d in deps] for o in ids}).static_order()
        )
    except CycleError:  # a cycle the graph did not report: place nothing rather than hang
        return Schedule(calendar, {}, (), tuple(sorted(graph.orders)))
    length, guessed, start = _place(
        graph, calendar, order_of, deps, on_cycle=on_cycle, done_dates=done_dates
    )
    latest = _latest_finish(graph, calendar, order_of, length, start)
    slack = {o: latest[o] - (start[o] + length[o]) for o in ids}
    slots = {
        o: Slot(o, start[o], start[o] + length[o], slack[o], slack[o] <= 0, guessed[o]) for o in ids
    }
    return Schedule(calendar, slots, _critical_chain(slots, deps), tuple(sorted(on_cycle)))


def _place(
    graph: PlanningGraph,
    calendar: Calendar,
    order_of: list[str],
    deps: Mapping[str, tuple[str, ...]],
    *,
    on_cycle: set[str],
    done_dates: Mapping[str, date],
) -> tuple[dict[str, int], dict[str, bool], dict[str, int]]:
    """Each order's length in working days, whether that is a guess, and its first day:
    after its dependencies, not before its ``start``; a done order ends when it was done."""
    length: dict[str, int] = {}
    guessed: dict[str, bool] = {}
    start: dict[str, int] = {}
    for o in order_of:
        order = graph.orders[o]
        days = whole_days(order.timeline)
        if days is None and order.start and order.due and order.due >= order.start:
            days = max(1, calendar.number(order.due) - calendar.number(order.start) + 1)
        guessed[o] = days is None or any(d in on_cycle for d in deps[o])
        length[o] = days or 1
        earliest = max((start[d] + length[d] for d in deps[o] if d in start), default=0)
        if order.start is not None:
            earliest = max(earliest, calendar.number(order.start))
        if o in done_dates and order.status in FINISHED:
            # the real day: its work ended then, whatever the plan said
            finish = calendar.number(calendar.next_working(done_dates[o])) + 1
            earliest = finish - length[o]
        elif order.status in FINISHED:
            guessed[o] = True
        start[o] = earliest
    return length, guessed, start


def _latest_finish(
    graph: PlanningGraph,
    calendar: Calendar,
    order_of: list[str],
    length: dict[str, int],
    start: dict[str, int],
) -> dict[str, int]:
    """The day each order must finish by: before its dependents must start, by its due day."""
    end = max((start[o] + length[o] for o in order_of), default=0)
    latest: dict[str, int] = {}
    for o in reversed(order_of):  # its dependents off a cycle come first
        due = graph.orders[o].due
        after = [latest[n] - length[n] for n in graph.dependents(o) if n in latest]
        limit = min(after, default=end)
        if due is not None:
            limit = min(limit, calendar.number(due) + 1)
        latest[o] = limit
    return latest


def _critical_chain(
    slots: Mapping[str, Slot], deps: Mapping[str, tuple[str, ...]]
) -> tuple[str, ...]:
    """The chain that sets the end of the plan: from the order that finishes last (least ID
    of a tie), back through the dependency that holds it up, to the first."""
    if not slots:
        return ()
    last = min(slots, key=lambda o: (-slots[o].finish, o))
    chain = [last]
    while True:
        here = slots[chain[-1]]
        before = [d for d in deps[chain[-1]] if d in slots and slots[d].finish == here.start]
        if not before:
            break
        chain.append(min(before))
    return tuple(reversed(chain))
