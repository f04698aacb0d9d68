"""Generated tables and the Planning overview in a browser, at a desktop's and two phones'
widths, on the example site and on a generated site of 100 orders (``bench/synthetic.py``):

- no table or card is wider than the content column unless it scrolls in its own box,
  and then a hint above it says so; the page never scrolls sideways;
- on a phone an order's row is a card: its cells stacked inside it, the sort headers kept;
- the overview has headings, and its counts add up; the phase filter of the orders table
  counts what the overview counts.
"""

from __future__ import annotations

import itertools
import re
from typing import TYPE_CHECKING, Any

import pytest

from .conftest import new_context

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Page

WIDTHS = (1280, 390, 375)
PAGES = (
    "planning/",
    "planning/orders/",
    "planning/phases/CP2/",
    "planning/status/pending/",
    "planning/adrs/",
)

# Each generated table (and card) of the article: its box against the content column's,
# whether it or a box around it scrolls sideways, and whether the hint above that box shows.
_FIT_JS = """() => {
  const column = document.querySelector("article").getBoundingClientRect();
  const shown = (el) => !!el && !el.hidden && el.getClientRects().length > 0;
  const items = document.querySelectorAll(
    "article table.plandocs-table, article table.plandocs-rollup, article .plandocs-card");
  return Array.from(items).map((el) => {
    const box = el.closest(".plandocs-scroll") || (el.tagName === "TABLE" ? el : null);
    const scrolls = !!box && getComputedStyle(box).overflowX === "auto";
    const r = (box || el).getBoundingClientRect();
    const hint = box && box.previousElementSibling;
    return {
      what: el.tagName.toLowerCase() + "." + el.className,
      left: r.left, right: r.right, column: [column.left, column.right],
      content: box ? box.scrollWidth : el.scrollWidth,
      width: box ? box.clientWidth : el.clientWidth,
      scrolls,
      hint: !!hint && hint.classList.contains("plandocs-scroll__hint") && shown(hint),
    };
  });
}"""


_SCROLLED_JS = """() => Array.from(document.querySelectorAll(
  ".plandocs-scroll > table:is(.plandocs-orders, .plandocs-phases, .plandocs-owners,"
  + " .plandocs-diagnostics)")).map((t) => t.parentElement)
  .filter((box) => box.scrollWidth > box.clientWidth + 1)
  .map((box) => `${box.firstElementChild.className}: ${box.scrollWidth} in ${box.clientWidth}`)
"""


def _problems(items: list[dict[str, Any]]) -> list[str]:
    """What sticks out of the column, or is cut off without a box that scrolls and a hint."""
    out = []
    for item in items:
        left, right = item["column"]
        if item["left"] < left - 1 or item["right"] > right + 1:
            out.append(f"{item['what']} spans {item['left']}..{item['right']} in {left}..{right}")
        if item["content"] > item["width"] + 1 and not (item["scrolls"] and item["hint"]):
            out.append(
                f"{item['what']}: {item['content']} px in {item['width']} px, "
                f"{'scrolls' if item['scrolls'] else 'clipped'} without a visible hint"
            )
    return out


def _open(browser: Browser, url: str, width: int) -> Page:
    context = new_context(browser, viewport={"width": width, "height": 900})
    page = context.new_page()
    page.goto(url)
    page.wait_for_load_state("load")
    return page


# -- a generated site of 100 orders ---------------------------------------------------
@pytest.fixture(params=["example", "synthetic"])
def site_url(request: pytest.FixtureRequest) -> str:
    name = "base_url" if request.param == "example" else "synthetic_url"
    return str(request.getfixturevalue(name))


# -- tables fit ------------------------------------------------------------------------
@pytest.mark.parametrize("width", WIDTHS)
def test_tables_fit_the_column_or_scroll_with_a_hint(
    browser: Browser, site_url: str, width: int
) -> None:
    found: dict[str, list[str]] = {}
    for path in PAGES:
        page = _open(browser, site_url + path, width)
        try:
            items = page.evaluate(_FIT_JS)
            assert items, f"no table on {path}"
            if problems := _problems(items):
                found[path] = problems
            sideways = page.evaluate("[document.documentElement.scrollWidth, innerWidth]")
            if sideways[0] > sideways[1]:
                found.setdefault(path, []).append(f"the page scrolls sideways: {sideways}")
            # the tables plandocs lays out fit whole: they need no scrolling
            scrolled = page.evaluate(_SCROLLED_JS)
            if scrolled:
                found.setdefault(path, []).append(f"scrolls: {scrolled}")
        finally:
            page.context.close()
    assert not found, found


def test_a_table_that_grows_wider_than_the_column_shows_the_hint(
    browser: Browser, base_url: str
) -> None:
    page = _open(browser, base_url + "planning/orders/", 1280)
    try:
        hidden = (
            "() => document.querySelector('table.plandocs-orders')"
            ".closest('.plandocs-scroll').previousElementSibling.hidden"
        )
        assert page.evaluate(hidden) is True
        page.evaluate("""() => {
          const cell = document.querySelector("td.plandocs-cell--title");
          const wide = document.createElement("span");
          wide.id = "wide";
          wide.style.whiteSpace = "nowrap";
          wide.textContent = "an unbreakable line ".repeat(20);
          cell.appendChild(wide);
          window.dispatchEvent(new Event("resize"));
        }""")
        page.wait_for_function(f"() => !({hidden})()")
        box = page.locator(".plandocs-scroll").filter(has=page.locator("table.plandocs-orders"))
        hint = box.locator("xpath=preceding-sibling::*[1]")
        assert hint.is_visible() and "scroll" in hint.inner_text()
        assert box.evaluate("(b) => getComputedStyle(b).overflowX") == "auto"
        assert box.evaluate("(b) => b.scrollWidth > b.clientWidth")
        page.evaluate(
            "() => { document.getElementById('wide').remove();"
            " window.dispatchEvent(new Event('resize')); }"
        )
        page.wait_for_function(hidden)
    finally:
        page.context.close()


@pytest.mark.parametrize("width", [390, 375])
def test_on_a_phone_each_order_is_a_card(browser: Browser, site_url: str, width: int) -> None:
    page = _open(browser, site_url + "planning/orders/", width)
    try:
        column = page.evaluate("document.querySelector('article').getBoundingClientRect().right")
        cards = page.evaluate("""() => Array.from(
          document.querySelectorAll("table.plandocs-orders tbody tr")).map((tr) => {
            const r = tr.getBoundingClientRect();
            const cells = Array.from(tr.cells).map((td) => td.getBoundingClientRect());
            return { display: getComputedStyle(tr).display, top: r.top, bottom: r.bottom,
                     left: r.left, right: r.right,
                     inside: cells.every((c) => c.left >= r.left - 1 && c.right <= r.right + 1
                                          && c.top >= r.top - 1 && c.bottom <= r.bottom + 1),
                     idTop: cells[0].top, titleTop: cells[1].top };
          })""")
        assert len(cards) >= 10
        for card in cards:
            assert card["display"] == "flex", card
            assert card["inside"] and card["right"] <= column + 1, card
            assert card["titleTop"] > card["idTop"], card  # the title under the ID
        # cards are stacked, not side by side
        assert all(a["bottom"] <= b["top"] for a, b in itertools.pairwise(cards))
        # the column headers stay, as buttons that sort
        header = page.locator("table.plandocs-orders th[data-column=id]")
        assert header.is_visible()
        header.click()
        assert header.get_attribute("aria-sort") == "ascending"
    finally:
        page.context.close()


# -- the overview ------------------------------------------------------------------------
def _overview(page: Page) -> dict[str, Any]:
    return page.evaluate("""() => {
      const rows = Array.from(document.querySelectorAll("table.plandocs-phases tbody tr"));
      return {
        toc: Array.from(document.querySelectorAll(".md-sidebar--secondary .md-nav__link"))
          .map((a) => a.textContent.trim()),
        headings: Array.from(document.querySelectorAll("article h2")).map(
          (h) => h.textContent.replace("\\u00b6", "").trim()),
        phases: rows.map((tr) => ({
          id: tr.cells[0].querySelector("a").textContent.trim(),
          top: tr.classList.contains("plandocs-phases__phase"),
          total: parseInt(tr.cells[2].textContent, 10),
        })),
        orders: parseInt(document.querySelector("table.plandocs-rollup td").textContent, 10),
        note: document.querySelector(".plandocs-phases__note").textContent,
      };
    }""")


@pytest.mark.parametrize("width", [1280, 390])
def test_the_overview_has_sections_and_counts_that_add_up(
    browser: Browser, site_url: str, width: int
) -> None:
    page = _open(browser, site_url + "planning/", width)
    try:
        seen = _overview(page)
    finally:
        page.context.close()
    assert seen["headings"][:4] == ["Totals", "Phases", "Owners", "Status"]
    if width == 1280:  # the table of contents beside the page
        assert seen["toc"][:4] == ["Totals", "Phases", "Owners", "Status"]
    top = [p for p in seen["phases"] if p["top"]]
    phase_sum = sum(p["total"] for p in top)
    note = re.search(r"The (\d+) phases? counts? (\d+) orders?", seen["note"])
    assert note, seen["note"]
    assert (int(note[1]), int(note[2])) == (len(top), phase_sum)
    # the sum is the orders with a phase, and one more for each extra phase of an order
    extra = sum(len(p.split(",")) - 1 for p in re.findall(r"ORDER-\S+: ([^;)]+)", seen["note"]))
    unphased = re.search(r"(\d+) orders? (?:has|have) no phase", seen["note"])
    assert phase_sum - extra == seen["orders"] - (int(unphased[1]) if unphased else 0), seen


def test_the_phase_filter_counts_what_the_overview_counts(browser: Browser, site_url: str) -> None:
    page = _open(browser, site_url + "planning/", 1280)
    try:
        overview = {p["id"]: p["total"] for p in _overview(page)["phases"] if p["total"]}
        page.goto(site_url + "planning/orders/")
        options = page.locator("select[name=phase] option").all_inner_texts()
    finally:
        page.context.close()
    in_filter = {}
    for text in options:
        if found := re.fullmatch(r"(\S+) \((\d+)\)", text.strip()):
            in_filter[found[1]] = int(found[2])
    in_filter.pop("none", None)
    assert in_filter == overview
