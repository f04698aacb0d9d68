"""Every page of the example site, as Chromium shows it: no mojibake, no planning ID left
as plain text where plandocs links IDs."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from plandocs.render.permalinks import MARKER as REDIRECT_MARK

from .conftest import in_ci, new_context

try:
    from playwright.sync_api import Browser, Page
except ImportError:
    if in_ci():
        raise  # under CI a missing Playwright fails the run
    pytest.skip("Playwright is not installed: pip install -e '.[test]'", allow_module_level=True)


Step = Callable[[str], AbstractContextManager[None]]

#: The home page shows mojibake on purpose (``encoding_repair: off``), in code spans only.
#: pages that quote mojibake on purpose, in code (the home page, the pre-commit and mojibake
#: guides)
SHOWS_MOJIBAKE = {"", "guide/pre-commit/", "guide/encoding/"}

# Text decoded with the wrong code page: UTF-8 read as cp1252 or Latin-1 (Ã©, â€”, ðŸ”´,
# Ð°), as Mac Roman (‚îÇ, —Ä), as cp1251 (Р°, вЂ”), as cp437 (├╝), and lost bytes (U+FFFD).
MOJIBAKE = re.compile(
    r"Ã[\u0080-\u00bf\u0152\u0153\u0160\u0161\u0178\u017d\u017e\u0192\u02c6\u02dc\u2013-\u203a\u20ac\u2122]"
    r"|Â[\u00a0-\u00bf]|â€|ðŸ|Ð[\u0080-\u00bf]|Ñ[\u0080-\u00bf\u2018-\u203a]"
    r"|‚î|—[ÄÅ]|–[µ∞]"
    r"|Р[°±µ¶·ЃЎЅ‚]|С[ЂЃ‚ѓ„…†‡€‰Љ‹ЊЌЋЏ]|вЂ"
    r"|├[╝ñ⌐]|┬[░▒]"
    r"|\ufffd"
)

# plandocs links order IDs and ADR numbers in text (plandocs/links.py); it leaves alone the
# page's title (H1), admonition titles, code, a summary's entry headings (the card below
# links the order) and the card's own head. Anything else still plain is a missed link.
_UNLINKED_JS = r"""
(pattern) => {
  const ids = new RegExp(pattern, "g");
  const root = document.querySelector("article.md-content__inner");
  if (!root) return [];
  const entries = new Set(Array.from(root.querySelectorAll(".plandocs-card[data-order]"),
                                     (card) => card.dataset.order));
  // The page's own ID (in its title) is not linked to the page itself.
  const own = (root.querySelector("h1") || {}).textContent || "";
  const exempt = (el, id) =>
    own.includes(id)
    || el.closest("a, code, pre, h1, svg, script, style, .admonition-title, .plandocs-card__head")
    || (el.closest("h2, h3, h4, h5, h6")
        && [...entries].some((e) => el.closest("h2, h3, h4, h5, h6").textContent.includes(e)));
  // "Mentioned in" names the section of the mention after a dash.
  const backlink = (el) => !!el.closest("h2.plandocs-referenced-by ~ ul li");
  const found = [];
  const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const el = node.parentElement;
    if (!node.textContent.match(ids) || !el.checkVisibility()) continue;
    for (const m of node.textContent.matchAll(ids)) {
      if (exempt(el, m[0])) continue;
      const text = el.closest("p, li, td, th, dd, h2, h3, h4, h5, h6, div") || el;
      found.push({ id: m[0], backlink: backlink(el), context: text.innerText.slice(0, 160) });
    }
  }
  return found;
}
"""
ID_PATTERN = r"(?<![\w-])(?:ORDER-[A-Z0-9]+(?:-[A-Z0-9]+)*-[0-9]+|ADR-?[0-9]{1,4})(?![\w])"


@dataclass(frozen=True)
class Shown:
    path: str  # relative to the site, "" for the home page
    text: str  # what the page shows (code left out where mojibake is on purpose)
    unlinked: list[dict[str, Any]]


def site_paths(site: Path) -> list[str]:
    """The site's pages, but for the redirect pages of permanent addresses (``id/``), which
    show nothing and leave at once (tests/test_permalinks.py reads them)."""
    pages = sorted(site.rglob("index.html")) + sorted(site.glob("404.html"))
    pages = [p for p in pages if REDIRECT_MARK not in p.read_text("utf-8", "replace")[:100]]
    return [
        "" if p == site / "index.html" else p.parent.relative_to(site).as_posix() + "/"
        for p in pages
        if p.name == "index.html"
    ] + [p.name for p in pages if p.name == "404.html"]


@pytest.fixture(scope="module")
def shown(browser: Browser, base_url: str, site_dir: Path) -> Iterator[list[Shown]]:
    """Every page of the site, read once for the tests of this file."""
    context = new_context(browser)
    # Pages are read, not searched: spare each page the search worker and its index.
    context.route(re.compile(r"/search/search_index\.json$|/workers/search"), lambda r: r.abort())
    page = context.new_page()
    out = []
    for path in site_paths(site_dir):
        page.goto(base_url + path, wait_until="domcontentloaded")
        if path in SHOWS_MOJIBAKE:
            page.evaluate(
                "() => document.querySelectorAll('article code').forEach((c) => c.remove())"
            )
        text = page.evaluate("() => document.body.innerText")
        out.append(Shown(path, text, page.evaluate(_UNLINKED_JS, ID_PATTERN)))
    context.close()
    yield out


def test_site_has_every_page(shown: list[Shown]) -> None:
    paths = {s.path for s in shown}
    assert {"", "planning/", "planning/orders/", "planning/adrs/"} <= paths
    assert len(paths) > 30


def test_no_mojibake(shown: list[Shown], page: Page, base_url: str, step: Step) -> None:
    bad = {
        s.path: sorted({m.group() for m in MOJIBAKE.finditer(s.text)})
        for s in shown
        if MOJIBAKE.search(s.text)
    }
    with step("open the summaries the build repaired"):
        page.goto(base_url + "orders/CP2_ORDERS_SUMMARY/")
        assert "🔴" in page.locator("article").inner_text()
    with step("no page shows mojibake"):
        if bad:
            page.goto(base_url + next(iter(bad)))
        assert not bad, f"mojibake on the pages: {bad}"


def test_home_page_mojibake_is_only_in_code(page: Page, base_url: str, step: Step) -> None:
    with step("open the home page: its examples of mojibake are in code spans"):
        page.goto(base_url)
        codes = page.locator("article code").all_inner_texts()
        assert any(MOJIBAKE.search(c) for c in codes), codes


def _report(unlinked: dict[str, list[dict[str, Any]]]) -> str:
    return "\n".join(
        f"  {path}: {u['id']} in {u['context']!r}" for path, us in unlinked.items() for u in us
    )


def test_no_unlinked_ids(shown: list[Shown], page: Page, base_url: str, step: Step) -> None:
    unlinked = {
        s.path: [u for u in s.unlinked if not u["backlink"]]
        for s in shown
        if any(not u["backlink"] for u in s.unlinked)
    }
    with step("every order ID and ADR number in the text is a link"):
        page.goto(base_url + next(iter(unlinked), "orders/CP2_ORDERS_SUMMARY/"))
        assert not unlinked, "IDs left as plain text:\n" + _report(unlinked)


def test_backlink_sections_link_their_ids(
    shown: list[Shown], page: Page, base_url: str, step: Step
) -> None:
    unlinked = {
        s.path: [u for u in s.unlinked if u["backlink"]]
        for s in shown
        if any(u["backlink"] for u in s.unlinked)
    }
    with step("an ID in a backlink's section title is a link"):
        page.goto(base_url + next(iter(unlinked), "planning/phases/CP2/"))
        assert not unlinked, "IDs left as plain text in backlinks:\n" + _report(unlinked)
