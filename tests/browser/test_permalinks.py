"""Permanent addresses on the example site, as a reader uses them: a pasted ``id/`` link
opens the order, the card's Permalink leads back to it, and a bare ID typed into the search
box with Enter opens the order's page."""

from __future__ import annotations

import re
from collections.abc import Callable
from contextlib import AbstractContextManager

import pytest

from .conftest import in_ci

try:
    from playwright.sync_api import Page, expect
except ImportError:
    if in_ci():
        raise  # under CI a missing Playwright fails the run
    pytest.skip("Playwright is not installed: pip install -e '.[test]'", allow_module_level=True)

Step = Callable[[str], AbstractContextManager[None]]

#: orders of the example site with a page of their own, and where that page is
ORDERS = {
    "ORDER-WRK-9-CP2-005": "orders/ORDER_WRK_9_CP2_DOCS_REFRESH/",
    "ORDER-WRK-3-CP2-001": "archive/dev/ORDER_WRK_3_CP2_COMPILATION_FIX/",
}


def expect_h1(page: Page, prefix: str) -> None:
    expect(page.locator("article h1").first).to_have_text(re.compile("^" + re.escape(prefix)))


def test_a_permanent_address_opens_the_order(page: Page, base_url: str, step: Step) -> None:
    with step("open the pasted link id/ORDER-WRK-9-CP2-005/"):
        page.goto(base_url + "id/ORDER-WRK-9-CP2-005/")
        page.wait_for_url(base_url + ORDERS["ORDER-WRK-9-CP2-005"])
        expect_h1(page, "ORDER-WRK-9-CP2-005")
    with step("the card's Permalink leads to the same page"):
        link = page.locator(".plandocs-card dt", has_text="Permalink").locator("+ dd a")
        expect(link).to_have_text("id/ORDER-WRK-9-CP2-005/")
        link.click()
        page.wait_for_url(base_url + ORDERS["ORDER-WRK-9-CP2-005"])
        expect_h1(page, "ORDER-WRK-9-CP2-005")
    with step("an ADR's permanent address, from the line under its title"):
        page.goto(base_url + "adr/ADR-006-nats-message-bus/")
        page.locator("p.plandocs-permalink a").click()
        page.wait_for_url(base_url + "adr/ADR-006-nats-message-bus/")
        expect_h1(page, "ADR-006")


@pytest.mark.parametrize("order_id", sorted(ORDERS))
def test_a_bare_id_in_the_search_box_opens_the_order(
    page: Page, base_url: str, step: Step, order_id: str
) -> None:
    with step("open the home page"):
        page.goto(base_url)
    with step(f"type {order_id} into the search box"):
        box = page.locator("input.md-search__input")
        box.click()
        box.fill(order_id)
        box.press("End")  # Material queries on key up
        expect(page.locator(".md-search-result__meta")).to_contain_text("matching")
        first = page.locator(".md-search-result__item > a").first
        expect(first).to_have_attribute("href", re.compile(re.escape(ORDERS[order_id]) + "$"))
    with step("press Enter: the order's page opens"):
        with page.expect_navigation():
            box.press("Enter")
        page.wait_for_url(base_url + ORDERS[order_id])
        expect_h1(page, order_id)
