"""A writer's preview: ``mkdocs serve`` of a site with ``strict: true`` goes on when an order
is broken, shows the finding at the top of that order's page and in the overview, and
recovers when the order is fixed. Driven in headless Chromium against a real server."""

from __future__ import annotations

import re
import time
from collections.abc import Callable
from contextlib import AbstractContextManager
from pathlib import Path

import pytest

from ..test_serve import FIRST, fetch, serving, strict_project
from .conftest import ARTIFACTS, in_ci

try:
    from playwright.sync_api import Error as PlaywrightError
    from playwright.sync_api import Page, expect
except ImportError:
    if in_ci():
        raise  # under CI a missing Playwright fails the run
    pytest.skip("Playwright is not installed: pip install -e '.[test]'", allow_module_level=True)

Step = Callable[[str], AbstractContextManager[None]]
#: how long a rebuild may take to reach the page (the server watches, rebuilds, reloads)
REBUILD = 30.0


def settled(page: Page, url: str, ready: Callable[[Page], bool]) -> None:
    """Open ``url`` until ``ready`` says the rebuild has reached it."""
    deadline = time.monotonic() + REBUILD
    while True:
        try:
            page.goto(url)
        except PlaywrightError:  # the rebuild's live reload cut this visit short
            if time.monotonic() > deadline:
                raise
            continue
        if ready(page) or time.monotonic() > deadline:
            return
        time.sleep(0.5)


def notice(page: Page) -> str:
    box = page.locator("article .plandocs-findings")
    return box.inner_text() if box.count() else ""


def first_block(page: Page) -> str:
    """The class of the first thing of the page's content: its title and Material's edit
    buttons aside."""
    return str(
        page.evaluate(
            "() => { for (const el of document.querySelector('article').children) {"
            " if (el.tagName !== 'H1' && el.tagName !== 'A') return el.className; }"
            " return ''; }"
        )
    )


def test_serve_shows_a_broken_order_on_its_page_and_recovers(
    page: Page, step: Step, tmp_path: Path
) -> None:
    first = strict_project(tmp_path)
    with serving(tmp_path) as (base, log_path):
        order_url, overview_url = base + "orders/ORDER_A/", base + "planning/"
        with step("open the order page of a site without findings"):
            fetch(order_url, time.monotonic() + REBUILD, "ORDER-A-1")  # the first build is done
            settled(page, order_url, lambda p: p.locator("article h1").count() > 0)
            expect(page.locator("article h1")).to_contain_text("First")
            assert notice(page) == ""

        with step("make it depend on an order that does not exist"):
            first.write_text(
                FIRST.format(title="First", extra="depends_on: [ORDER-X-9]\n"), encoding="utf-8"
            )
            settled(page, order_url, lambda p: "ORDER-X-9" in notice(p))
            text = notice(page)
            assert (
                "line 5, warning: ORDER-A-1 depends on ORDER-X-9, which is not a known order"
                in (text)
            )
            assert "plandocs-findings" in first_block(page)  # at the top: above the card
            ARTIFACTS.mkdir(parents=True, exist_ok=True)
            page.screenshot(path=ARTIFACTS / "serve-finding-on-its-page.png")
            expect(page.locator(".plandocs-card")).to_contain_text("ORDER-X-9: not found")

        with step("the overview lists the finding"):
            page.goto(overview_url)
            expect(page.locator("article")).to_contain_text("orders/ORDER_A.md:5")

        with step("break a YAML line of its frontmatter"):
            first.write_text(FIRST.format(title="Broken: here", extra=""), encoding="utf-8")
            settled(page, order_url, lambda p: "YAML" in notice(p))
            text = notice(page)
            assert re.search(
                r"line 3, error: frontmatter YAML does not parse: .*fix the YAML", text
            )
            assert "not a known order" not in text  # its own ID is still known
            assert "plandocs-findings" in first_block(page)
            page.goto(base + "planning/orders/")
            expect(page.locator("article")).to_contain_text("ORDER-A-1")  # still in the table
            page.goto(overview_url)
            expect(page.locator("article")).to_contain_text("orders/ORDER_A.md:3")

        with step("fix it: the page recovers"):
            first.write_text(FIRST.format(title="Fixed title", extra=""), encoding="utf-8")
            settled(
                page, order_url, lambda p: "Fixed title" in p.locator("article h1").inner_text()
            )
            expect(page.locator("article h1")).to_contain_text("Fixed title")
            assert notice(page) == ""
            page.goto(overview_url)
            expect(page.locator("article")).not_to_contain_text("orders/ORDER_A.md:")
    log = log_path.read_text(encoding="utf-8")
    assert "strict mode" not in log and "appear stuck" not in log
