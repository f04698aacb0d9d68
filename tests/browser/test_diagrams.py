"""Diagrams as a reader sees them, at 1280 and 390 px, on the example site and on a
generated 100-order site: text readable as displayed, a legend that keys what is drawn,
arrows that point the way the team's ASCII trees read, and focus on one order."""

from __future__ import annotations

import re
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

from .conftest import new_context

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Page

WIDTHS = {"desktop": {"width": 1280, "height": 900}, "phone": {"width": 390, "height": 844}}
#: the smallest diagram text a reader is shown, in CSS px
READABLE_PX = 10.0
#: the largest text of a box as a diagram starts
COMFORTABLE_PX = 13.5
SCREENSHOTS = Path("/tmp")

# Each SVG text's displayed font size: its font-size in SVG units times the scale the SVG
# is drawn at (its box's width over its viewBox's width), for diagrams in the page.
_TEXT_SIZES = """
(root) => Array.from(document.querySelectorAll(
  `${root} .plandocs-diagram > .plandocs-diagram__view > svg, ${root} .plandocs-diagram > svg`
)).map((svg) => {
  const scale = svg.getBoundingClientRect().width / svg.viewBox.baseVal.width;
  return Array.from(svg.querySelectorAll("text")).map((t) => ({
    text: t.textContent, px: parseFloat(t.getAttribute("font-size")) * scale,
    box: t.getBoundingClientRect().height, node: !!t.closest("g.node"),
  }));
}).flat()
"""
_PRESENT = """
(svg) => {
  const classes = new Set();
  svg.querySelectorAll("g.node, g.edge, g.cluster").forEach((g) => {
    for (const c of g.classList) classes.add(g.classList[0] + ":" + c);
  });
  return Array.from(classes);
}
"""


def _open(browser: Browser, size: str, url: str) -> Any:
    context = new_context(browser, viewport=WIDTHS[size])
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(url)
    page.wait_for_selector(".plandocs-diagram--ready")
    page.plandocs_errors = errors  # type: ignore[attr-defined]
    return page


def _close(page: Page) -> None:
    errors = page.plandocs_errors  # type: ignore[attr-defined]
    page.context.close()
    assert not errors, f"JavaScript errors: {errors}"


EXAMPLE_PAGES = [
    "planning/orders/",
    "planning/phases/CP2/",
    "orders/CP2_ORDERS_SUMMARY/",
    "orders/ORDER_WRK_2_CP2_LC_TRANSITION/",
]
BIG_PAGES = [
    "planning/orders/",
    "planning/phases/CP1/",
    "planning/phases/CP5/",
    "orders/ORDER_WRK_3_CP1_001_AUDIT_LOG/",  # the widest diagram of that site: 2,433 pt
]


def _assert_readable(page: Page, where: str) -> None:
    sizes = page.evaluate(_TEXT_SIZES, "article")
    assert sizes, f"{where}: no diagram text"
    small = [s for s in sizes if s["px"] < READABLE_PX or s["box"] < READABLE_PX]
    assert not small, f"{where}: diagram text below {READABLE_PX} px: {small[:3]}"
    # and about the same size on every diagram: boxes' text is not blown up to fill a column
    big = [s for s in sizes if s["node"] and s["px"] > COMFORTABLE_PX]
    assert not big, f"{where}: box text above {COMFORTABLE_PX} px: {big[:3]}"


@pytest.mark.parametrize("size", list(WIDTHS))
@pytest.mark.parametrize("path", EXAMPLE_PAGES)
def test_example_diagram_text_is_readable(
    browser: Browser, base_url: str, size: str, path: str
) -> None:
    page = _open(browser, size, base_url + path)
    try:
        _assert_readable(page, f"{path} at {size}")
        if path == "orders/CP2_ORDERS_SUMMARY/":
            page.locator(".plandocs-diagram").first.screenshot(
                path=SCREENSHOTS / f"plandocs-cp2-summary-diagram-{WIDTHS[size]['width']}.png"
            )
    finally:
        _close(page)


@pytest.mark.parametrize("size", list(WIDTHS))
@pytest.mark.parametrize("path", BIG_PAGES)
def test_big_site_diagram_text_is_readable(
    browser: Browser, synthetic_url: str, size: str, path: str
) -> None:
    page = _open(browser, size, synthetic_url + path)
    try:
        _assert_readable(page, f"100 orders, {path} at {size}")
    finally:
        _close(page)


@pytest.mark.parametrize("path", EXAMPLE_PAGES)
def test_the_legend_keys_what_the_diagram_holds(browser: Browser, base_url: str, path: str) -> None:
    page = _open(browser, "desktop", base_url + path)
    try:
        for diagram in page.locator(".plandocs-diagram").all():
            present = set(diagram.locator("svg").first.evaluate(_PRESENT))
            keys = set(
                diagram.locator(".plandocs-legend__key").evaluate_all(
                    "(els) => els.map((e) => e.dataset.key)"
                )
            )
            node_classes = {c.split(":", 1)[1] for c in present if c.startswith("node:")}
            for kind in ("status-", "priority-"):
                drawn = {c for c in node_classes if c.startswith(kind)}
                keyed = {k for k in keys if k.startswith(kind)}
                assert drawn == keyed, f"{path}: {kind} drawn {drawn}, keyed {keyed}"
            every = {c.split(":", 1)[1] for c in present}
            for mark in ("critical", "cycle", "stub", "self", "mismatch", "unknown"):
                assert (mark in every) == (mark in keys), f"{path}: {mark} drawn/keyed differ"
            assert ("arrow" in keys) == any(c.startswith("edge:") for c in present)
    finally:
        _close(page)


_TREE_EDGE = re.compile(r"[├└]─+→\s*(?P<id>ORDER-[A-Z0-9-]+)")
_ID = re.compile(r"ORDER-[A-Z0-9-]+")


def _tree_edges(text: str) -> set[tuple[str, str]]:
    """The (blocker, waiting) pairs an ASCII tree draws: a branch hangs under the nearest
    order above it that starts left of it."""
    edges: set[tuple[str, str]] = set()
    stack: list[tuple[int, str]] = []  # (column of the order, its ID)
    for line in text.splitlines():
        found = _ID.search(line)
        if not found:
            continue
        column = found.start()
        while stack and stack[-1][0] >= column:
            stack.pop()
        if _TREE_EDGE.search(line) and stack:
            edges.add((stack[-1][1], found.group()))
        stack.append((column, found.group()))
    return edges


def test_a_drawn_tree_points_the_way_the_tree_reads(browser: Browser, base_url: str) -> None:
    page = _open(browser, "desktop", base_url + "orders/CP2_ORDERS_SUMMARY/")
    try:
        source = page.locator(".plandocs-tree-source code").first.text_content() or ""
        written = _tree_edges(source)
        assert written, "no edge read from the tree as written"
        diagram = page.locator(".plandocs-diagram", has=page.locator("[data-key=tree]")).first
        titles = diagram.locator("svg g.edge > title").all_text_contents()
        drawn = {tuple(t.split("->")) for t in titles}
        assert written <= drawn, f"tree reads {sorted(written)}, drawn {sorted(drawn)}"
    finally:
        _close(page)


@pytest.mark.parametrize("size", list(WIDTHS))
def test_focus_highlights_an_orders_neighbours(browser: Browser, base_url: str, size: str) -> None:
    page = _open(browser, size, base_url + "planning/phases/CP2/")
    try:
        diagram = page.locator(".plandocs-diagram").first
        edges = [t.split("->") for t in diagram.locator("svg g.edge > title").all_text_contents()]
        order = edges[0][0]
        diagram.get_by_role("button", name="Open the diagram full size").click()
        node = diagram.locator("svg g.node", has=page.locator(f"title:text-is('{order}')"))
        node.locator("text").first.click()
        assert "plandocs-focus" in (node.get_attribute("class") or "")
        near = diagram.locator("svg g.node.plandocs-near > title").all_text_contents()
        assert set(near) >= {b for a, b in edges if a == order}
        faded = diagram.locator("svg g.node.plandocs-faded > title").all_text_contents()
        assert not set(faded) & (set(near) | {order})
        all_nodes = diagram.locator("svg g.node > title").all_text_contents()
        assert set(faded) | set(near) | {order} == set(all_nodes)
        svg = diagram.locator("svg").first
        width = svg.bounding_box()["width"]  # type: ignore[index]
        diagram.locator(".plandocs-diagram__view").focus()
        page.keyboard.press("+")
        assert svg.bounding_box()["width"] > width * 1.2  # type: ignore[index]
        page.keyboard.press("0")
        assert abs(svg.bounding_box()["width"] - width) < 1  # type: ignore[index]
        page.keyboard.press("Escape")
        assert "plandocs-diagram--full" not in (diagram.get_attribute("class") or "")
        # typing an ID in the box focuses too
        diagram.locator(".plandocs-diagram__find").fill(order)
        assert "plandocs-focus" in (node.get_attribute("class") or "")
    finally:
        _close(page)
