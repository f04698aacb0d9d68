"""The Timeline page's Gantt chart, as a person sees it in headless Chromium: bars that lead
to their orders, a chart that fits a desktop and scrolls in its own box on a phone (with
the hint showing), and bars that stand out from the page in the dark scheme."""

from __future__ import annotations

from collections.abc import Callable
from contextlib import AbstractContextManager
from typing import Any, cast

import pytest

from .conftest import in_ci
from .pages import contrast, install
from .test_journeys import dark, expect_title

try:
    from playwright.sync_api import Page, expect
except ImportError:
    if in_ci():
        raise
    pytest.skip("Playwright is not installed: pip install -e '.[test]'", allow_module_level=True)

Step = Callable[[str], AbstractContextManager[None]]
TIMELINE = "planning/timeline/"
BARS = "svg.plandocs-gantt__svg a.plandocs-gantt__order"


def bar_targets(page: Page) -> list[dict[str, str]]:
    """Each bar's order ID and the absolute URL its link goes to."""
    return cast(
        list[dict[str, str]],
        page.eval_on_selector_all(
            BARS,
            """(links) => links.map((a) => ({
              id: a.dataset.order,
              url: new URL(a.getAttribute("href"), document.baseURI).href,
            }))""",
        ),
    )


def test_each_bar_links_to_its_order(page: Page, base_url: str, step: Step) -> None:
    with step("open the Timeline page"):
        page.goto(base_url + TIMELINE)
        expect_title(page, "Timeline")
        targets = bar_targets(page)
        assert len(targets) >= 5, targets
    with step("every bar's link opens a page that shows its order"):
        for target in targets:
            assert TIMELINE not in target["url"], target  # another page: the order's
            response = page.request.get(target["url"])
            assert response.ok, target
            assert target["id"] in response.text(), target
    with step("click the first bar and land on its order"):
        first = page.locator(BARS).first
        order_id = first.get_attribute("data-order")
        assert order_id
        tooltip = first.locator("title").text_content() or ""
        assert tooltip.startswith(order_id + ":"), tooltip
        first.locator("rect").click()
        expect(page.locator("article")).to_contain_text(order_id)
        assert TIMELINE not in page.url
        assert page.url.split("#")[0] == targets[0]["url"].split("#")[0]


def sizes(page: Page) -> dict[str, Any]:
    return cast(
        dict[str, Any],
        page.evaluate(
            """() => {
              const box = document.querySelector(".plandocs-gantt__scroll");
              const svg = box.querySelector("svg").getBoundingClientRect();
              return {
                box: box.clientWidth, content: box.scrollWidth,
                svgRight: svg.right, viewport: window.innerWidth,
                page: document.scrollingElement.scrollWidth,
              };
            }"""
        ),
    )


def test_the_chart_fits_a_desktop(page: Page, base_url: str, step: Step) -> None:
    with step("open the Timeline page at 1280 px"):
        page.goto(base_url + TIMELINE)
        found = sizes(page)
    with step("the chart fits its box, or scrolls inside it; the page does not scroll"):
        assert found["page"] <= found["viewport"], found
        if found["content"] > found["box"]:
            assert page.locator(".plandocs-gantt__hint").is_visible()
        else:
            assert found["svgRight"] <= found["viewport"], found


def test_the_chart_scrolls_sideways_on_a_phone(phone_page: Page, base_url: str, step: Step) -> None:
    page = phone_page
    with step("open the Timeline page on a phone"):
        page.goto(base_url + TIMELINE)
        found = sizes(page)
    with step("the chart is wider than its box, which scrolls; the page itself does not"):
        assert found["content"] > found["box"], found
        assert found["page"] <= found["viewport"], found
        expect(page.locator(".plandocs-gantt__hint")).to_be_visible()
    with step("scroll the chart's box sideways"):
        box = page.locator(".plandocs-gantt__scroll")
        box.evaluate("(el) => { el.scrollLeft = el.scrollWidth; }")
        assert box.evaluate("(el) => el.scrollLeft") > 0


def bar_colours(page: Page) -> list[dict[str, Any]]:
    install(page)
    return cast(
        list[dict[str, Any]],
        page.eval_on_selector_all(
            "svg.plandocs-gantt__svg rect.plandocs-gantt__bar:not(.estimated)",
            """(bars) => bars.map((bar) => {
              const { paint, backgrounds } = window.__plandocsColours;
              const behind = backgrounds(bar.ownerSVGElement);
              return {
                classes: bar.getAttribute("class"),
                bar: paint([...behind, getComputedStyle(bar).fill]),
                bg: paint(behind),
              };
            })""",
        ),
    )


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_bars_stand_out_from_the_page(page: Page, base_url: str, step: Step, scheme: str) -> None:
    with step(f"open the Timeline page in the {scheme} scheme"):
        page.goto(base_url + TIMELINE)
        if scheme == "dark":
            dark(page)
    with step("each bar's fill differs from the background behind the chart"):
        bars = bar_colours(page)
        assert bars
        for bar in bars:
            # WCAG's 3:1 for the parts of a graphic that carry its meaning
            assert contrast(bar["bar"], bar["bg"]) >= 3, (scheme, bar)
