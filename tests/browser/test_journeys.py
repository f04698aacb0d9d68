"""What a person does on the published example site, in headless Chromium.

Each test is a journey; each ``step`` names what the person does, so a failure says where
it broke. The journeys assert what is on the screen (visible text, the page a click lands
on, colours as painted), not the HTML the build wrote: tests/test_build_e2e.py does that.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from contextlib import AbstractContextManager
from typing import Any

import pytest

from .conftest import DESKTOP, PHONE, in_ci
from .pages import contrast, svg_node_colours, text_and_background

try:
    from playwright.sync_api import Page, expect
except ImportError:
    if in_ci():
        raise  # under CI a missing Playwright fails the run
    pytest.skip("Playwright is not installed: pip install -e '.[test]'", allow_module_level=True)

Step = Callable[[str], AbstractContextManager[None]]

PRIORITY_RANK = {"CRITICAL": 0, "HIGH": 1, "MEDIUM": 2, "LOW": 3}
WCAG_AA = 4.5


def expect_title(page: Page, title: str, *, prefix: bool = False) -> None:
    """The page's H1 reads ``title`` (or starts with it); the permalink's pilcrow aside."""
    pattern = "^" + re.escape(title) + (".*" if prefix else "¶?$")
    expect(page.locator("article h1").first).to_have_text(re.compile(pattern))


def rows(page: Page) -> Any:
    return page.locator("table.plandocs-table[data-plandocs-sortable] tbody tr:visible")


def column(page: Page, index: int) -> list[str]:
    """The visible text of one column (0-based) of the orders table, top to bottom."""
    return [t.strip() for t in rows(page).locator(f"td:nth-child({index + 1})").all_inner_texts()]


ORDER, TITLE, OWNER, PRIORITY, STATUS, PHASE = range(6)


def header(page: Page, column: str) -> Any:
    return page.locator(f"table[data-plandocs-sortable] th[data-column={column}]")


def natural(text: str) -> list[tuple[int, int | str]]:
    """Digits before letters, numbers by value: the order of the table's collator."""
    return [(0, int(p)) if p.isdigit() else (1, p) for p in re.split(r"[-_]", text)]


def search(page: Page, query: str) -> list[str]:
    """Type ``query`` into Material's search box; the paths of the results, best first."""
    box = page.locator("input.md-search__input")
    box.click()
    box.fill(query)
    box.press("End")  # Material queries on key up
    page.locator(".md-search-result__item").first.wait_for()
    expect(page.locator(".md-search-result__meta")).to_contain_text("matching")
    # The list re-renders while the search worker answers: read it until it settles.
    previous: list[str] = []
    for _ in range(20):
        hrefs = list(
            page.locator(".md-search-result__item > a").evaluate_all(
                "(links) => links.map((a) => new URL(a.href).pathname)"
            )
        )
        if hrefs == previous:
            break
        previous = hrefs
        page.wait_for_timeout(150)
    return previous


def test_browse_orders(page: Page, base_url: str, step: Step) -> None:
    """Home, the orders index sorted and filtered, an order, its dependency, a node of its
    diagram, and a backlink."""
    with step("open the home page"):
        page.goto(base_url)
        expect_title(page, "Planning site")
    with step("go to the orders index from the navigation"):
        page.locator("nav.md-nav--primary").get_by_role("link", name="All orders").click()
        expect_title(page, "All orders")
        expect(rows(page)).to_have_count(10)
    with step("sort by priority: most urgent first, then reversed"):
        header(page, "priority").click()
        ranks = [PRIORITY_RANK.get(p, 9) for p in column(page, PRIORITY)]
        assert ranks == sorted(ranks), column(page, PRIORITY)
        assert column(page, PRIORITY)[0] == "CRITICAL"
        header(page, "priority").click()
        ranks = [PRIORITY_RANK.get(p, 9) for p in column(page, PRIORITY)]
        assert ranks == sorted(ranks, reverse=True), column(page, PRIORITY)
    with step("sort by order ID: natural order"):
        header(page, "id").click()
        ids = column(page, ORDER)
        assert ids == sorted(ids, key=natural), ids
    with step("filter by phase CP2: the rows of CP2 and its track CP2-LC, as its page"):
        page.locator("select[name=phase]").select_option("CP2")
        assert set(column(page, PHASE)) == {"CP2", "CP2-LC"}
        assert len(column(page, PHASE)) == 6
        assert "phase=CP2" in page.url
        expect(page.locator(".plandocs-filters__count")).to_have_text("6 of 10 orders")
    with step("the filtered view survives a reload (a shared link)"):
        page.reload()
        expect(page.locator("select[name=phase]")).to_have_value("CP2")
        assert set(column(page, PHASE)) == {"CP2", "CP2-LC"}
    with step("open order ORDER-WRK-2-CP2-002"):
        ids = rows(page).locator("td:first-child")
        ids.get_by_role("link", name="ORDER-WRK-2-CP2-002").click()
        expect_title(page, "ORDER-WRK-2-CP2-002", prefix=True)
        expect(page.locator(".plandocs-card")).to_contain_text("CP2 Validation Suite")
    with step("follow its dependency ORDER-WRK-3-CP2-001 from the card"):
        page.locator(".plandocs-card dt", has_text="Depends on").locator("+ dd a").first.click()
        expect_title(page, "ORDER-WRK-3-CP2-001: Compilation Error", prefix=True)
    with step("click node ORDER-WRK-3-CP2-004 in its diagram"):
        node = page.locator(".plandocs-diagram svg g.node", has_text="ORDER-WRK-3-CP2-004")
        node.locator("a").first.click()
        expect_title(page, "ORDER-WRK-3-CP2-004: HEIR Policy Store", prefix=True)
    with step("follow the backlink to the order it blocks"):
        backlinks = page.locator("h2#referenced-by ~ ul").first
        backlinks.get_by_role("link", name=re.compile("ORDER-WRK-2-CP2-LC-001")).click()
        expect_title(page, "ORDER-WRK-2-CP2-LC-001", prefix=True)
        expect(page.locator(".plandocs-card")).to_contain_text("ORDER-WRK-3-CP2-004")


def test_shared_filtered_link(page: Page, base_url: str, step: Step) -> None:
    """A link with filters in the query opens the filtered view; clearing restores all."""
    with step("open the orders index filtered by phase CP2 and owner wrk-3"):
        page.goto(base_url + "planning/orders/?phase=CP2&owner=wrk-3")
        expect(page.locator("select[name=phase]")).to_have_value("CP2")
        expect(page.locator("select[name=owner]")).to_have_value("wrk-3")
        assert column(page, ORDER) == ["ORDER-WRK-3-CP2-001", "ORDER-WRK-3-CP2-004"]
    with step("add status pending and priority critical"):
        page.locator("select[name=status]").select_option("pending")
        page.locator("select[name=priority]").select_option("critical")
        assert column(page, ORDER) == ["ORDER-WRK-3-CP2-001"]
        query = page.evaluate("location.search")
        assert query == "?phase=CP2&owner=wrk-3&status=pending&priority=critical"
    with step("clear the filters"):
        page.get_by_role("button", name="Clear filters").click()
        expect(rows(page)).to_have_count(10)
        assert page.evaluate("location.search") == ""
    with step("a value no order has shows no rows and says so"):
        page.goto(base_url + "planning/orders/?phase=CP9")
        expect(rows(page)).to_have_count(0)
        expect(page.locator(".plandocs-filters__count")).to_have_text(
            "No order matches these filters"
        )


def test_search_by_title_word_and_owner(page: Page, base_url: str, step: Step) -> None:
    with step("open the home page"):
        page.goto(base_url)
    with step("search a word of a title: 'Observability'"):
        hits = search(page, "Observability")
        assert hits[0] == "/archive/dev/ORDER_WRK_4_CP2_OBSERVABILITY/", hits
    with step("search an owner: 'wrk-3' finds that owner's orders first"):
        hits = search(page, "wrk-3")
        mine = {
            "/archive/dev/ORDER_WRK_3_CP2_COMPILATION_FIX/",
            "/archive/dev/ORDER_WRK_3_CP2_HEIR_INTEGRATION/",
        }
        assert hits[0] in mine, hits
        assert mine <= set(hits[:5]), hits
        assert "/planning/owners/wrk-3/" in hits, hits
    with step("open the first hit: an order owned by wrk-3"):
        with page.expect_navigation():
            page.locator(".md-search-result__item > a").first.click()
        expect(page.locator(".plandocs-card dt", has_text="Owner").locator("+ dd")).to_contain_text(
            "wrk-3"
        )


def test_search_by_exact_id(page: Page, base_url: str, step: Step) -> None:
    with step("open the home page"):
        page.goto(base_url)
    with step("search ORDER-WRK-4-CP2-003: its page is the first hit"):
        hits = search(page, "ORDER-WRK-4-CP2-003")
        assert hits[0] == "/archive/dev/ORDER_WRK_4_CP2_OBSERVABILITY/", hits
    with step("search ORDER-WRK-3-CP2-001: its own page first, before its translation"):
        hits = search(page, "ORDER-WRK-3-CP2-001")
        assert hits[0] == "/archive/dev/ORDER_WRK_3_CP2_COMPILATION_FIX/", hits
    with step("open it"):
        with page.expect_navigation():
            page.locator(".md-search-result__item > a").first.click()
        expect_title(page, "ORDER-WRK-3-CP2-001", prefix=True)


def test_phase_and_owner_pages(page: Page, base_url: str, step: Step) -> None:
    with step("open the planning overview"):
        page.goto(base_url + "planning/")
        expect_title(page, "Planning overview")
    with step("open phase CP2 from the overview table"):
        page.locator("article table").get_by_role("link", name="CP2", exact=True).click()
        expect_title(page, "CP2: Messaging core")
        phases = set(column(page, PHASE))
        assert "CP2" in phases and all(re.match(r"CP2\b", p) for p in phases), phases
        expect(page.locator(".plandocs-diagram svg g.node").first).to_be_visible()
    with step("open owner wrk-3 from the phase's table"):
        rows(page).get_by_role("link", name="wrk-3", exact=True).first.click()
        expect_title(page, "Owner wrk-3 (Router Core)")
        assert set(column(page, OWNER)) == {"wrk-3"}
        assert len(column(page, OWNER)) == 2


def test_adr_supersession_chain(page: Page, base_url: str, step: Step) -> None:
    with step("open the ADR index"):
        page.goto(base_url + "planning/adrs/")
        expect_title(page, "Architecture decisions")
        row = page.locator("tbody tr", has_text="NestJS as the HTTP gateway")
        expect(row).to_contain_text("superseded")
        expect(row.locator("td").last).to_have_text("ADR-008 → ADR-016")
    with step("open the superseded ADR-008"):
        row.locator("td").first.get_by_role("link").click()
        expect_title(page, "ADR-008: NestJS as the HTTP gateway")
        expect(page.locator("article")).to_contain_text("Superseded by ADR-016")
    with step("follow 'Superseded by' to ADR-016"):
        # the banner over the card and the ADR's own Status section both link it
        page.locator("article p", has_text="Superseded by").get_by_role("link").first.click()
        expect_title(page, "ADR-016: C-Gateway", prefix=True)
    with step("ADR-016 names the decision it replaces, and the link goes back"):
        link = page.locator("article").get_by_role("link", name="ADR-008").first
        expect(link).to_be_visible()
        link.click()
        expect_title(page, "ADR-008: NestJS as the HTTP gateway")


def dark(page: Page) -> None:
    """Switch to the dark scheme with the header's toggle (Material remembers the choice)."""
    expect(page.locator("body")).to_have_attribute("data-md-color-scheme", re.compile("."))
    if page.locator("body").get_attribute("data-md-color-scheme") != "slate":
        page.locator("label.md-header__button[for=__palette_1]").click()
    expect(page.locator("body")).to_have_attribute("data-md-color-scheme", "slate")


def assert_readable(items: list[dict[str, Any]], what: str) -> None:
    poor = [
        (i.get("label") or i.get("text"), round(contrast(i["fg"], i["bg"]), 2), i) for i in items
    ]
    poor = [p for p in poor if p[1] < WCAG_AA]
    assert not poor, f"{what} below {WCAG_AA}:1: {poor}"


@pytest.mark.parametrize(
    "path",
    ["planning/orders/", "archive/dev/ORDER_WRK_3_CP2_COMPILATION_FIX/", "planning/phases/CP2/"],
    ids=["orders", "order", "phase"],
)
def test_dark_scheme_diagram(page: Page, base_url: str, step: Step, path: str) -> None:
    with step(f"open {path} and switch to the dark scheme"):
        page.goto(base_url + path)
        dark(page)
    with step("every node's label reads against its fill"):
        nodes = svg_node_colours(page, ".plandocs-diagram svg g.node")
        assert nodes, "no diagram on the page"
        assert_readable(nodes, "node labels")
    with step("the scheme sticks on the next page"):
        page.reload()
        expect(page.locator("body")).to_have_attribute("data-md-color-scheme", "slate")


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_badges_readable(page: Page, base_url: str, step: Step, scheme: str) -> None:
    badges = ".plandocs-badge"
    for path in [
        "planning/orders/",
        "planning/adrs/",
        "archive/dev/ORDER_WRK_3_CP2_COMPILATION_FIX/",
    ]:
        with step(f"open {path} in the {scheme} scheme"):
            page.goto(base_url + path)
            if scheme == "dark":
                dark(page)
        with step(f"every badge on {path} reads against its background"):
            items = text_and_background(page, badges)
            assert items
            assert_readable(items, "badges")


# Every element of the card that sticks out of it sideways, or clips its text.
_CARD_OVERFLOW_JS = """(card) => {
  const c = card.getBoundingClientRect();
  const name = (el) => el.tagName.toLowerCase() + (el.className ? "." + el.className : "");
  const out = [];
  for (const el of card.querySelectorAll("*")) {
    const r = el.getBoundingClientRect();
    if (r.width === 0 && r.height === 0) continue;
    if (r.left < c.left - 1 || r.right > c.right + 1) {
      out.push(`${name(el)} spans ${r.left}..${r.right}, the card ${c.left}..${c.right}`);
    }
    if (getComputedStyle(el).overflowX !== "visible" && el.scrollWidth > el.clientWidth + 1) {
      out.push(`${name(el)} clips its content: ${el.scrollWidth} px in ${el.clientWidth}`);
    }
  }
  return out;
}"""
#: How much taller the card may be on a phone than on a desktop. Labels beside values, the
#: card is about a third taller (values wrap in half the width); labels stacked above their
#: values would make it about twice as tall. A ratio holds whatever fonts the browser has.
PHONE_HEIGHT_RATIO = 1.6


def test_order_card_on_a_phone(phone_page: Page, base_url: str, step: Step) -> None:
    page = phone_page
    with step("open an order with many fields on a phone"):
        page.goto(base_url + "archive/dev/ORDER_WRK_3_CP2_COMPILATION_FIX/")
        card = page.locator(".plandocs-card")
        expect(card).to_be_visible()
    with step("the page does not scroll sideways"):
        widths = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
        assert widths[0] <= widths[1], widths
    with step("the card fits the width: nothing in it sticks out or is clipped"):
        box = card.bounding_box()
        assert box is not None
        assert box["x"] >= 0 and box["x"] + box["width"] <= page.viewport_size["width"], box
        assert card.evaluate(_CARD_OVERFLOW_JS) == []
    with step("the card stays compact: not much taller than on a desktop"):
        page.set_viewport_size(DESKTOP)
        desktop = card.bounding_box()
        page.set_viewport_size(PHONE)
        phone = card.bounding_box()
        assert desktop and phone
        assert phone["height"] <= PHONE_HEIGHT_RATIO * desktop["height"], (phone, desktop)
    with step("labels and values sit side by side"):
        owner = page.locator(".plandocs-card dt", has_text="Owner").bounding_box()
        value = page.locator(".plandocs-card dt", has_text="Owner").locator("+ dd").bounding_box()
        assert owner and value and abs(owner["y"] - value["y"]) < 4, (owner, value)
