"""Permanent addresses on the example site, as a reader uses them: a pasted ``id/`` link
opens the order, the card's Permalink leads back to it, and a bare ID typed into the search
box with Enter opens the order's page."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager

import pytest

from .conftest import ROOT, in_ci, serve

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


#: orders of the example site that live only in a summary, and their section of it
SUMMARY_ORDERS = {
    "ORDER-WRK-4-OPENRESTY-001": "orders/CP3_ORDERS_SUMMARY/#order-wrk-4-openresty-001",
    "ORDER-WRK-4-OPENRESTY-002": "orders/CP3_ORDERS_SUMMARY/#order-wrk-4-openresty-002",
}


@pytest.mark.parametrize("typed", ["ORDER-WRK-4-OPENRESTY-001", "order-wrk-4-openresty-002 "])
def test_a_bare_id_of_a_summary_order_opens_its_section(
    page: Page, base_url: str, step: Step, typed: str
) -> None:
    """Material ranks another order's page above a summary's section for these IDs; Enter
    still opens the order, through its permanent address."""
    order_id = typed.strip().upper()
    with step("open the home page"):
        page.goto(base_url)
    with step(f"type {typed!r} into the search box"):
        box = page.locator("input.md-search__input")
        box.click()
        box.fill(typed)
        box.press("End")
        expect(page.locator(".md-search-result__meta")).to_contain_text("matching")
    with step("press Enter: the summary opens at the order's section"):
        with page.expect_navigation():
            box.press("Enter")
        page.wait_for_url(base_url + SUMMARY_ORDERS[order_id])
        expect(page.locator(f"[id='{order_id.lower()}']")).to_have_count(1)


def test_enter_on_a_word_is_materials(page: Page, base_url: str, step: Step) -> None:
    """Only an ID with a permanent address jumps: other queries keep Material's Enter."""
    with step("type a word that is no ID, and an ID that does not exist"):
        page.goto(base_url)
        box = page.locator("input.md-search__input")
        box.click()
        box.fill("ORDER-NOPE-404")
        box.press("End")
        expect(page.locator(".md-search-result__meta")).to_be_visible()
        box.press("Enter")
        expect(page).not_to_have_url(re.compile(r"/id/ORDER-NOPE-404/"))


@pytest.fixture(scope="module")
def file_urls(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The example site built with ``use_directory_urls: false`` (pages and permanent
    addresses are ``.html`` files), served."""
    project = tmp_path_factory.mktemp("file-urls") / "p"
    for part in ("docs", "orders"):
        shutil.copytree(ROOT / part, project / part)
    config = (ROOT / "mkdocs.yml").read_text(encoding="utf-8") + "\nuse_directory_urls: false\n"
    (project / "mkdocs.yml").write_text(config, encoding="utf-8")
    done = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "-q", "-d", str(project / "site")],
        cwd=project,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1", "PYTHONIOENCODING": "utf-8"},
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=180,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    yield from serve(project / "site")


def test_a_bare_id_opens_its_section_without_directory_urls(
    page: Page, file_urls: str, step: Step
) -> None:
    with step("type a summary order's ID into the search box of a site of .html pages"):
        page.goto(file_urls + "index.html")
        box = page.locator("input.md-search__input")
        box.click()
        box.fill("ORDER-WRK-4-OPENRESTY-001")
        box.press("End")
        expect(page.locator(".md-search-result__meta")).to_contain_text("matching")
    with step("press Enter: the summary opens at the order's section"):
        with page.expect_navigation():
            box.press("Enter")
        page.wait_for_url(file_urls + "orders/CP3_ORDERS_SUMMARY.html#order-wrk-4-openresty-001")
