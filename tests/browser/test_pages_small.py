"""The smaller things a reader sees on the example site, in headless Chromium: the ID in
the tab title, an ADR's card and its "Superseded" banner, translations linked both ways,
"Referenced by" with one line per page, and a summary entry's field lines folded under its
card. Each test asserts what is on the screen (see test_journeys.py)."""

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
SITE = "Beamline planning"


@pytest.mark.parametrize(
    ("path", "tab"),
    [
        # frontmatter has a title: the ID goes in front of it
        ("orders/ORDER_WRK_9_CP2_DOCS_REFRESH/", "ORDER-WRK-9-CP2-005: CP2 documentation refresh"),
        ("adr/ADR-006-nats-message-bus/", "ADR-006: NATS as the message bus"),
        # a numbered heading ("17. ...") gives its number as the ID
        (
            "adr/0017-rate-limit-counters-in-shared-dict/",
            "ADR-017: Rate-limit counters in an nginx shared dictionary",
        ),
        # a heading that names the ID already is left as it is
        (
            "archive/dev/ORDER_WRK_2_CP2_VALIDATION_SUITE/",
            "ORDER-WRK-2-CP2-002: CP2 Validation Suite",
        ),
    ],
)
def test_the_tab_title_carries_the_id(page: Page, base_url: str, path: str, tab: str) -> None:
    page.goto(base_url + path)
    expect(page).to_have_title(f"{tab} - {SITE}")


def test_a_superseded_adr_shows_a_banner_and_a_card(page: Page, base_url: str, step: Step) -> None:
    with step("open ADR-008, which ADR-016 supersedes"):
        page.goto(base_url + "adr/ADR-008-nestjs-gateway/")
    banner = page.locator(".admonition.plandocs-superseded")
    card = page.locator(".plandocs-adr-card")
    with step("a 'Superseded' banner above the card names the decision that replaces it"):
        expect(banner).to_be_visible()
        expect(banner).to_contain_text("Superseded")
        expect(banner).to_contain_text("superseded by ADR-016: C-Gateway")
        banner_box, card_box = banner.bounding_box(), card.bounding_box()
        assert banner_box is not None and card_box is not None
        assert banner_box["y"] < card_box["y"]
    with step("the card shows status, date, deciders and relations"):
        expect(card.locator(".plandocs-card__head")).to_contain_text("ADR-008")
        expect(card.locator(".plandocs-badge")).to_have_text("superseded")
        expect(card.locator("dt", has_text="Date").locator("+ dd")).to_have_text("2024-11-20")
        expect(card.locator("dt", has_text="Deciders")).to_be_visible()
        expect(card.locator("dt", has_text="Superseded by").locator("+ dd")).to_have_text("ADR-016")
        expect(card.locator("dt", has_text="Relates to").locator("+ dd")).to_have_text("ADR-006")
    with step("the banner's link leads to the decision in force: a card, no banner"):
        banner.get_by_role("link").click()
        expect(page).to_have_url(re.compile(r"/adr/ADR-016-c-gateway-migration/$"))
        expect(page.locator(".plandocs-adr-card .plandocs-badge")).to_have_text("accepted")
        expect(page.locator(".plandocs-superseded")).to_have_count(0)
        supersedes = page.locator(".plandocs-adr-card dt", has_text="Supersedes")
        expect(supersedes.locator("+ dd")).to_have_text("ADR-008")


def test_a_translation_and_its_original_link_each_other(
    page: Page, base_url: str, step: Step
) -> None:
    translations = page.locator(".plandocs-card dt", has_text="Translations").locator("+ dd")
    with step("open ORDER-WRK-3-CP2-001: its card links the Russian translation"):
        page.goto(base_url + "archive/dev/ORDER_WRK_3_CP2_COMPILATION_FIX/")
        expect(translations).to_have_text("RU")
    with step("the translation's card links the original, not itself"):
        translations.get_by_role("link", name="RU").click()
        expect(page).to_have_url(re.compile(r"ORDER_WRK_3_CP2_COMPILATION_FIX_RU/$"))
        expect(translations).to_have_text("Original")
    with step("and the original link leads back"):
        translations.get_by_role("link", name="Original").click()
        expect(page).to_have_url(re.compile(r"ORDER_WRK_3_CP2_COMPILATION_FIX/$"))


def _referenced_by(page: Page) -> dict[str, list[str]]:
    """The "Referenced by" lists as shown: heading -> the text of each line."""
    return dict(
        page.evaluate(
            """() => {
            const out = [];
            let label = null;
            const head = document.querySelector("h2#referenced-by");
            for (let el = head.nextElementSibling; el; el = el.nextElementSibling) {
              if (el.tagName === "P") label = el.innerText.trim();
              if (el.tagName === "UL") out.push([label, Array.from(el.querySelectorAll("li"),
                (li) => li.innerText.trim())]);
            }
            return out;
        }"""
        )
    )


def _hrefs(page: Page, label: str) -> list[str]:
    group = page.locator("h2#referenced-by ~ p", has_text=label).locator("+ ul a")
    return [str(h) for h in group.evaluate_all("(links) => links.map((a) => a.href)")]


def test_mentions_are_one_line_per_page_with_a_count(page: Page, base_url: str, step: Step) -> None:
    with step("open the CP2 phase page"):
        page.goto(base_url + "planning/phases/CP2/")
    with step("each page that mentions CP2 is listed once, with its count"):
        lines = _referenced_by(page)["Mentioned in"]
        hrefs = _hrefs(page, "Mentioned in")
        assert len(hrefs) == len(set(hrefs)), hrefs
        assert "CP2 ORDERS Summary - Execution Plan · 5 mentions" in lines, lines
        assert len(lines) <= 12, lines  # 20 lines, one per section, before
    with step("an order's page lists a page under one heading only"):
        page.goto(base_url + "archive/dev/ORDER_WRK_3_CP2_COMPILATION_FIX/")
        blocked = set(_hrefs(page, "Blocked by this"))
        assert blocked, "ORDER-WRK-3-CP2-001 blocks two orders"
        assert not blocked & set(_hrefs(page, "Mentioned in"))


def test_a_summary_entry_folds_its_field_lines_under_its_card(
    page: Page, base_url: str, step: Step
) -> None:
    with step("open the CP2 summary"):
        page.goto(base_url + "orders/CP2_ORDERS_SUMMARY/")
    entry = page.locator("h4#order-wrk-3-cp2-001")
    card = entry.locator("+ .plandocs-card")
    typed = card.locator("+ details.plandocs-as-written")
    with step("the entry's card follows its heading, the typed field lines are folded"):
        expect(card).to_be_visible()
        expect(typed.locator("summary")).to_have_text("As written")
        expect(typed.locator("pre")).not_to_be_visible()
        # the entry's own text comes next, shown
        expect(typed.locator("+ p")).to_contain_text("Fix syntax error")
    with step("opened, the lines show as the writer typed them"):
        typed.locator("summary").click()
        expect(typed.locator("pre")).to_be_visible()
        expect(typed.locator("pre")).to_contain_text("**Owner**: wrk-3 (Router Core)")


@pytest.mark.parametrize(
    "path", ["adr/ADR-008-nestjs-gateway/", "adr/0017-rate-limit-counters-in-shared-dict/"]
)
def test_an_adr_card_and_banner_fit_a_phone(phone_page: Page, base_url: str, path: str) -> None:
    phone_page.goto(base_url + path)
    widths = phone_page.evaluate(
        """() => {
        const column = document.querySelector("article").getBoundingClientRect();
        return Array.from(document.querySelectorAll(".plandocs-adr-card, .plandocs-superseded"),
          (el) => ({ right: el.getBoundingClientRect().right, scroll: el.scrollWidth,
                     client: el.clientWidth, column: column.right }));
    }"""
    )
    assert len(widths) == 2
    for box in widths:
        assert box["right"] <= box["column"] + 0.5, box
        assert box["scroll"] <= box["client"], box  # nothing cut off inside
