"""The schedule: earliest start and finish, slack and the critical path, in working days."""

from __future__ import annotations

import json
from datetime import date

import pytest

from plandocs.core.graph import PlanningGraph
from plandocs.core.schedule import Calendar, Schedule, schedule, whole_days
from plandocs.core.settings import Settings, SettingsError, settings_from_options
from plandocs.core.urls import SiteUrls
from plandocs.render.export import planning_json

from .test_graph import build, codes, order

MONDAY = date(2025, 2, 3)
TODAY = date(2030, 1, 1)


def plan(*docs: tuple[str, str], holidays: tuple[date, ...] = ()) -> tuple[Schedule, PlanningGraph]:
    graph, _ = build(*docs)
    settings = Settings(schedule_start=MONDAY, holidays=holidays)
    return schedule(graph, settings, today=TODAY), graph


def shown(result: Schedule) -> dict[str, tuple[str, str, int, bool, bool]]:
    """Each order as (first day, last day, slack, critical, estimated)."""
    return {
        o: (
            result.start_date(o).isoformat(),
            result.finish_date(o).isoformat(),
            s.slack,
            s.critical,
            s.estimated,
        )
        for o, s in result.slots.items()
    }


def test_a_chain_runs_one_after_another_over_the_weekend() -> None:
    result, _ = plan(
        order("ORDER-A-1", timeline="3 days"),
        order("ORDER-B-2", timeline="1 week", depends_on="[ORDER-A-1]"),
        order("ORDER-C-3", timeline="4 hours", depends_on="[ORDER-B-2]"),
    )
    assert shown(result) == {
        "ORDER-A-1": ("2025-02-03", "2025-02-05", 0, True, False),
        # Thursday to the next Wednesday: Saturday and Sunday are skipped
        "ORDER-B-2": ("2025-02-06", "2025-02-12", 0, True, False),
        "ORDER-C-3": ("2025-02-13", "2025-02-13", 0, True, False),  # half a day takes one
    }
    assert result.critical_path == ("ORDER-A-1", "ORDER-B-2", "ORDER-C-3")


def test_a_diamond_waits_for_its_longer_branch_and_the_shorter_has_slack() -> None:
    result, _ = plan(
        order("ORDER-A-1", timeline="1 day"),
        order("ORDER-B-2", timeline="5 days", depends_on="[ORDER-A-1]"),
        order("ORDER-C-3", timeline="2 days", depends_on="[ORDER-A-1]"),
        order("ORDER-D-4", timeline="1 day", depends_on="[ORDER-B-2, ORDER-C-3]"),
    )
    slots = result.slots
    assert [(s.start, s.finish, s.slack) for s in slots.values()] == [
        (0, 1, 0),
        (1, 6, 0),
        (1, 3, 3),
        (6, 7, 0),
    ]
    assert result.critical_path == ("ORDER-A-1", "ORDER-B-2", "ORDER-D-4")
    assert not slots["ORDER-C-3"].critical


def test_parallel_work_starts_on_the_first_day_and_the_shorter_has_slack() -> None:
    result, _ = plan(order("ORDER-A-1", timeline="2 weeks"), order("ORDER-B-2", timeline="2d"))
    assert [(s.start, s.finish, s.slack) for s in result.slots.values()] == [(0, 10, 0), (0, 2, 8)]
    assert result.critical_path == ("ORDER-A-1",)


def test_a_missing_duration_counts_one_day_and_is_estimated() -> None:
    result, _ = plan(
        order("ORDER-A-1", timeline="soon"),
        order("ORDER-B-2", depends_on="[ORDER-A-1]", timeline="2 days"),
    )
    assert shown(result)["ORDER-A-1"] == ("2025-02-03", "2025-02-03", 0, True, True)
    assert not result.slots["ORDER-B-2"].estimated
    assert result.slots["ORDER-B-2"].start == 1


def test_start_and_due_dates_without_a_duration_give_its_length() -> None:
    result, _ = plan(order("ORDER-A-1", start="2025-02-05", due="2025-02-11"))
    # Wednesday to the next Tuesday: five working days
    assert shown(result)["ORDER-A-1"] == ("2025-02-05", "2025-02-11", 0, True, False)


def test_a_due_date_before_the_earliest_finish_gives_negative_slack() -> None:
    result, _ = plan(
        order("ORDER-A-1", timeline="5 days"),
        order("ORDER-B-2", timeline="2 days", depends_on="[ORDER-A-1]", due="2025-02-07"),
    )
    # B can finish on the 11th at the soonest, two working days after its due date
    assert result.slots["ORDER-B-2"].slack == -2
    assert result.slots["ORDER-A-1"].slack == -2  # it holds B up


def test_done_orders_take_their_real_day_when_history_knows_it() -> None:
    graph, _ = build(
        order("ORDER-A-1", timeline="2 days", status="done"),
        order("ORDER-B-2", timeline="2 days", status="done"),
        order("ORDER-C-3", timeline="1 day", depends_on="[ORDER-A-1, ORDER-B-2]"),
    )
    result = schedule(
        graph,
        Settings(schedule_start=MONDAY),
        today=TODAY,
        done_dates={"ORDER-A-1": date(2025, 2, 10)},
    )
    rows = shown(result)
    assert rows["ORDER-A-1"][:2] == ("2025-02-07", "2025-02-10")  # Friday and Monday
    assert rows["ORDER-A-1"][4] is False
    assert rows["ORDER-B-2"][:2] == ("2025-02-03", "2025-02-04")
    assert rows["ORDER-B-2"][4] is True  # done, but when is not known: placed early
    assert rows["ORDER-C-3"][:2] == ("2025-02-11", "2025-02-11")


def test_a_cycle_leaves_its_orders_unscheduled_with_only_the_cycle_finding() -> None:
    graph, found = build(
        order("ORDER-A-1", depends_on="[ORDER-B-2]"),
        order("ORDER-B-2", depends_on="[ORDER-A-1]"),
        order("ORDER-C-3", depends_on="[ORDER-A-1]", timeline="2 days"),
        order("ORDER-D-4", timeline="1 day"),
    )
    result = schedule(graph, Settings(schedule_start=MONDAY), today=TODAY)
    assert result.unscheduled == ("ORDER-A-1", "ORDER-B-2")
    assert sorted(result.slots) == ["ORDER-C-3", "ORDER-D-4"]
    assert result.slots["ORDER-C-3"].estimated  # what it waits for has no place in time
    assert codes(found) == ["cycle"]


@pytest.mark.parametrize(
    ("holidays", "finish"),
    [
        ((), "2025-02-07"),
        ((date(2025, 2, 4),), "2025-02-10"),
        ((date(2025, 2, 4), date(2025, 2, 8)), "2025-02-10"),  # a Saturday changes nothing
        ((date(2025, 2, 3),), "2025-02-10"),  # the first day is off: start on the 4th
    ],
)
def test_holidays_are_skipped(holidays: tuple[date, ...], finish: str) -> None:
    result, _ = plan(order("ORDER-A-1", timeline="5 days"), holidays=holidays)
    assert result.finish_date("ORDER-A-1").isoformat() == finish


def test_the_first_day_is_the_earliest_date_in_the_orders_else_today() -> None:
    graph, _ = build(
        order("ORDER-A-1", created="2025-03-04"), order("ORDER-B-2", start="2025-03-06")
    )
    result = schedule(graph, Settings(), today=TODAY)
    assert result.calendar.origin == date(2025, 3, 4)
    assert result.start_date("ORDER-B-2") == date(2025, 3, 6)
    graph, _ = build(order("ORDER-A-1"))
    assert schedule(graph, Settings(), today=TODAY).calendar.origin == TODAY


def test_the_same_plan_gives_the_same_schedule() -> None:
    docs = [order(f"ORDER-A-{n}", depends_on=f"[ORDER-A-{n - 1}]") for n in range(2, 40)]
    first, _ = plan(order("ORDER-A-1"), *docs)
    second, _ = plan(*reversed(docs), order("ORDER-A-1"))
    assert first == second


def test_a_long_chain_is_placed_without_recursion() -> None:
    docs = [order(f"ORDER-A-{n}", depends_on=f"[ORDER-A-{n - 1}]") for n in range(2, 1500)]
    result, _ = plan(order("ORDER-A-1"), *docs)
    assert result.slots["ORDER-A-1499"].start == 1498
    assert len(result.critical_path) == 1499


@pytest.mark.parametrize(
    ("day", "number"),
    [
        (date(2025, 2, 3), 0),
        (date(2025, 2, 7), 4),
        (date(2025, 2, 8), 5),  # Saturday counts as the Monday after it
        (date(2025, 2, 10), 5),
        (date(2025, 1, 31), -1),
        (date(2026, 2, 2), 260),
    ],
)
def test_calendar_numbers_and_days_agree(day: date, number: int) -> None:
    calendar = Calendar(MONDAY)
    assert calendar.number(day) == number
    assert calendar.day(number) == calendar.next_working(day)


def test_calendar_skips_holidays_both_ways() -> None:
    calendar = Calendar(MONDAY, (date(2025, 2, 5), date(2025, 1, 31)))
    assert [calendar.day(n).day for n in (-1, 0, 1, 2)] == [30, 3, 4, 6]
    assert calendar.number(date(2025, 2, 6)) == 2


@pytest.mark.parametrize(
    ("timeline", "days"),
    [("4 hours SLA (0.5 day)", 1), ("2 days (1 day per task)", 2), ("3-4 weeks", 20), ("", None)],
)
def test_whole_days(timeline: str, days: int | None) -> None:
    assert whole_days(timeline) == days


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"schedule_start": "next week"}, "'schedule_start' must hold dates"),
        ({"holidays": "2025-12-25"}, "'holidays' must be a list"),
        ({"holidays": ["2025-12-32"]}, "'holidays' must hold dates"),
    ],
)
def test_bad_schedule_options_are_refused(options: dict[str, object], message: str) -> None:
    with pytest.raises(SettingsError, match=message):
        settings_from_options(options)


def test_schedule_options_read_dates_and_text() -> None:
    settings = settings_from_options(
        {"schedule_start": "2025-02-03", "holidays": [date(2025, 12, 25), "2025-12-24"]}
    )
    assert settings.schedule_start == MONDAY
    assert settings.holidays == (date(2025, 12, 24), date(2025, 12, 25))


def test_a_date_field_that_is_no_date_is_reported() -> None:
    _, found = build(order("ORDER-A-1", due="'when ready'"))
    assert codes(found) == ["bad-field"]
    assert "'due'" in found[0].message


def test_planning_json_gives_each_order_its_place_and_null_for_a_cycle() -> None:
    graph, found = build(
        order("ORDER-A-1", timeline="2 days"),
        order("ORDER-B-2", depends_on="[ORDER-A-1, ORDER-C-3]"),
        order("ORDER-C-3", depends_on="[ORDER-D-4]"),
        order("ORDER-D-4", depends_on="[ORDER-C-3]"),
    )
    plan = schedule(graph, Settings(schedule_start=MONDAY), today=TODAY)
    data = json.loads(planning_json(graph, found, SiteUrls(), plan=plan))
    places = {
        o["id"]: [o[k] for k in ("start", "finish", "slack", "critical", "estimated")]
        for o in data["orders"]
    }
    assert places == {
        "ORDER-A-1": ["2025-02-03", "2025-02-04", 0, True, False],
        "ORDER-B-2": ["2025-02-05", "2025-02-05", 0, True, True],
        "ORDER-C-3": [None] * 5,
        "ORDER-D-4": [None] * 5,
    }
    assert data["schema"] == 3
    # without a schedule (plandocs export) the keys are not there
    assert "start" not in json.loads(planning_json(graph, found, SiteUrls()))["orders"][0]
