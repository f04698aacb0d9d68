"""The Gantt chart's SVG: well formed, every writer text escaped, bars linked to their
orders, dependency arrows, the critical path, today's line and the owners' load."""

from __future__ import annotations

import json
import os
import re
import xml.etree.ElementTree as ET
from collections.abc import Callable
from datetime import date
from pathlib import Path

import pytest

from plandocs.core.graph import PlanningGraph
from plandocs.core.schedule import Schedule, schedule
from plandocs.core.settings import Settings
from plandocs.core.urls import SiteUrls
from plandocs.render.gantt import gantt

from .test_graph import build, order

GOLDEN = Path(__file__).parent / "golden" / "gantt"
UPDATE = os.environ.get("PLANDOCS_UPDATE_GOLDEN") == "1"
MONDAY = date(2025, 2, 3)
SVG = "{http://www.w3.org/2000/svg}"
PAGE = "planning/timeline.md"


def chart(
    *docs: tuple[str, str], today: date = date(2025, 2, 5), page: str = PAGE
) -> tuple[str, PlanningGraph, Schedule]:
    graph, _ = build(*docs)
    plan = schedule(graph, Settings(schedule_start=MONDAY), today=today)
    ids = sorted(graph.orders)
    html = gantt(graph, plan, SiteUrls(), page, [("CP2: Core", [("Owner a", ids)])], today=today)
    return html, graph, plan


def svg_of(html: str) -> ET.Element:
    """The chart's SVG, parsed as XML: text that was not escaped would not parse."""
    match = re.search(r"<svg.*</svg>", html, re.DOTALL)
    assert match is not None, html
    return ET.fromstring(match.group(0))


DIAMOND = (
    order("ORDER-A-1", timeline="1 day", to="ann", status="done"),
    order("ORDER-B-2", timeline="5 days", depends_on="[ORDER-A-1]", to="ann"),
    order("ORDER-C-3", timeline="2 days", depends_on="[ORDER-A-1]", to="bob", status="blocked"),
    order("ORDER-D-4", depends_on="[ORDER-B-2, ORDER-C-3]", to="ann"),
)


def test_the_chart_matches_its_golden_file() -> None:
    html, _, _ = chart(*DIAMOND)
    golden = GOLDEN / "diamond.html"
    if UPDATE:
        golden.parent.mkdir(parents=True, exist_ok=True)
        golden.write_text(html + "\n", encoding="utf-8")
    assert html + "\n" == golden.read_text(encoding="utf-8")


def test_every_writer_text_is_escaped() -> None:
    hostile = "<script>alert(1)</script> & \"quotes\" 'single'"
    docs = (order("ORDER-A-1", title=json.dumps(hostile), to='"<b>x</b>"', timeline="2 days"),)
    graph, found = build(*docs)
    assert found == [] and graph.orders["ORDER-A-1"].title == hostile
    html, _, _ = chart(*docs)
    assert "<script" not in html and "<b>" not in html
    root = svg_of(html)
    texts = "".join(root.itertext())
    assert hostile in texts  # shown as written, as text
    assert "<b>x</b>" in texts  # the owner, in the load strip
    tooltip = root.find(f".//{SVG}a/{SVG}title")
    assert tooltip is not None and hostile in (tooltip.text or "")


def test_each_bar_links_to_its_order_relative_to_the_page() -> None:
    html, graph, _ = chart(*DIAMOND, page="planning/phases/CP2.md")
    links = {a.get("data-order"): a.get("href") for a in svg_of(html).iter(f"{SVG}a")}
    assert links == {o: f"../../../ORDER_{o.replace('-', '_')[6:]}/" for o in sorted(graph.orders)}
    for a in svg_of(html).iter(f"{SVG}a"):
        assert a.find(f"{SVG}rect") is not None and a.find(f"{SVG}title") is not None


def test_arrows_join_each_dependency_to_its_dependent_and_mark_the_critical_path() -> None:
    html, _, plan = chart(*DIAMOND)
    arrows = [p for p in svg_of(html).iter(f"{SVG}path") if "gantt__arrow" in p.get("class", "")]
    named = {(a.findtext(f"{SVG}title") or ""): a.get("class") for a in arrows}
    assert named == {
        "ORDER-A-1 before ORDER-B-2": "plandocs-gantt__arrow critical",
        "ORDER-A-1 before ORDER-C-3": "plandocs-gantt__arrow",
        "ORDER-B-2 before ORDER-D-4": "plandocs-gantt__arrow critical",
        "ORDER-C-3 before ORDER-D-4": "plandocs-gantt__arrow",
    }
    assert plan.critical_path == ("ORDER-A-1", "ORDER-B-2", "ORDER-D-4")
    bars = {r.get("class") for r in svg_of(html).iter(f"{SVG}rect") if "bar" in r.get("class", "")}
    assert bars == {
        "plandocs-gantt__bar status-done critical estimated",  # done on an unknown day
        "plandocs-gantt__bar status-none critical",
        "plandocs-gantt__bar status-blocked",
        "plandocs-gantt__bar status-none critical estimated",  # no duration
    }


@pytest.mark.parametrize(
    ("today", "shown"),
    [(date(2025, 2, 5), True), (date(2025, 2, 1), False), (date(2025, 3, 5), False)],
)
def test_today_is_a_line_only_inside_the_plan(today: date, shown: bool) -> None:
    html, _, _ = chart(*DIAMOND, today=today)
    lines = [e for e in svg_of(html).iter(f"{SVG}line") if "today" in e.get("class", "")]
    assert len(lines) == (1 if shown else 0)
    if shown:
        assert lines[0].findtext(f"{SVG}title") == f"Today, {today.isoformat()}"


def test_a_week_of_more_than_five_days_of_work_is_overbooked() -> None:
    html, _, _ = chart(
        order("ORDER-A-1", timeline="5 days", to="ann"),
        order("ORDER-B-2", timeline="2 days", to="ann"),
        order("ORDER-C-3", timeline="2 weeks", to="bob"),
    )
    loads = {
        (g.findtext(f"{SVG}title") or ""): g.get("class")
        for g in svg_of(html).iter(f"{SVG}g")
        if "gantt__load" in g.get("class", "")
    }
    assert loads == {
        "ann: 7 days of work in the week of 2025-02-03 (overbooked)": (
            "plandocs-gantt__load plandocs-gantt__load--over"
        ),
        "bob: 5 days of work in the week of 2025-02-03": "plandocs-gantt__load",
        "bob: 5 days of work in the week of 2025-02-10": "plandocs-gantt__load",
    }


def test_no_order_in_time_draws_nothing() -> None:
    html, _, _ = chart(
        order("ORDER-A-1", depends_on="[ORDER-B-2]"), order("ORDER-B-2", depends_on="[ORDER-A-1]")
    )
    assert html == ""


def test_the_same_plan_draws_the_same_bytes() -> None:
    assert chart(*DIAMOND)[0] == chart(*reversed(DIAMOND))[0]


def test_a_bar_drawn_before_is_kept_and_the_chart_is_the_same() -> None:
    """``mkdocs serve`` draws a timeline again when one of its orders changes: the bars of
    the others, at the same place and scale, come from ``kept``; the chart is the one
    drawn without it, byte for byte."""
    kept: dict[object, str] = {}
    made: list[object] = []

    def keep(key: object, make: Callable[[], str]) -> str:
        if key not in kept:
            made.append(key)
            kept[key] = make()
        return kept[key]

    def drawn(*docs: tuple[str, str]) -> tuple[str, str]:
        graph, _ = build(*docs)
        plan = schedule(graph, Settings(schedule_start=MONDAY), today=MONDAY)
        sections = [("CP2: Core", [("Owner a", sorted(graph.orders))])]
        plain = gantt(graph, plan, SiteUrls(), PAGE, sections, today=MONDAY)
        return plain, gantt(graph, plan, SiteUrls(), PAGE, sections, today=MONDAY, kept=keep)

    plain, with_kept = drawn(*DIAMOND)
    assert with_kept == plain and len(made) == 4
    unblocked = order("ORDER-C-3", timeline="2 days", depends_on="[ORDER-A-1]", to="bob")
    plain, with_kept = drawn(*DIAMOND[:2], unblocked, DIAMOND[3])
    assert with_kept == plain
    assert [key[1] for key in made[4:]] == ["ORDER-C-3"]  # type: ignore[index]
