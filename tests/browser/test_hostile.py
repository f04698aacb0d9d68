"""The injection cases of the hostile corpus (tests/hostile/cases.py), opened in Chromium.

Each case's site is built (``mkdocs build`` without ``--strict``, so a case with findings
still has pages), served on 127.0.0.1, and every page that holds the payload, escaped or
not, is loaded (for ``Case.prose`` cases, with the writers' own Markdown body left out);
then the payload is searched for with Material's search box, which shows titles and text
of the index as HTML. Every payload calls ``alert()`` or sets ``window.__pwned``: the test
fails on a dialog or on the global, i.e. on a script that ran.

tests/test_hostile.py asserts the same on the built files (no event handler, script or
``javascript:`` URL from the input); this test asserts it where it matters, in a browser.
"""

from __future__ import annotations

import functools
import os
import re
import threading
from collections.abc import Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from http.server import ThreadingHTTPServer
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

import pytest

from plandocs.render.permalinks import MARKER as REDIRECT_MARK

from ..hostile.cases import INJECTION_CASES, MARK, Case
from ..hostile.harness import Result, run_case, site_files
from .conftest import _QuietHandler, in_ci, new_context

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Dialog, Page, Route

try:
    from playwright.sync_api import Error as PlaywrightError
except ImportError:
    if in_ci():
        raise  # under CI a missing Playwright fails the run
    pytest.skip("Playwright is not installed: pip install -e '.[test]'", allow_module_level=True)


@pytest.fixture(scope="module")
def built(
    tmp_path_factory: pytest.TempPathFactory, request: pytest.FixtureRequest
) -> Iterator[tuple[Path, dict[str, Result]]]:
    """The selected injection cases built (not strict), a few at a time; their folder."""
    selected = {
        item.callspec.params["case"].name
        for item in request.session.items
        if hasattr(item, "callspec") and isinstance(item.callspec.params.get("case"), Case)
    }
    root = tmp_path_factory.mktemp("hostile-browser")
    with ThreadPoolExecutor(max_workers=os.cpu_count() or 2) as pool:
        futures: dict[str, Future[Result]] = {
            case.name: pool.submit(run_case, case, root, strict=False, check=False)
            for case in INJECTION_CASES
            if case.name in selected
        }
        yield root, {name: future.result() for name, future in futures.items()}


@pytest.fixture(scope="module")
def server(built: tuple[Path, dict[str, Result]]) -> Iterator[str]:
    """All the cases' sites under one local HTTP server (the search worker needs HTTP)."""
    handler = functools.partial(_QuietHandler, directory=str(built[0]))
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}/"
    finally:
        httpd.shutdown()
        httpd.server_close()
        thread.join()


#: cases whose payload no page shows any more: the issuer is not on cards, and a status
#: Material is not given (extra.status) is dropped from the page's metadata
_SHOWN_NOWHERE = frozenset({"inject-issuer-frontmatter", "inject-adr-status"})


def _pages_with_payload(site: Path) -> list[str]:
    """The site's pages that hold the payload in any form; the home page first."""
    pages = [
        path.relative_to(site).as_posix()
        for path in site_files(site)
        if path.suffix == ".html"
        and path.name != "404.html"
        # a permanent address's redirect page leaves at once (test_hostile reads its text)
        and REDIRECT_MARK not in path.read_text("utf-8", "replace")[:100]
    ]
    held = [p for p in pages if _holds_payload((site / p).read_text("utf-8", "replace"))]
    return sorted(held, key=lambda p: (p != "index.html", p))


def _holds_payload(text: str) -> bool:
    return "pwned" in text or "alert(" in text


def _ran(page: Page) -> object:
    return page.evaluate(f"() => window.{MARK}")


# An attribute payload waits for a person: a pointer over it, a focus. Every element gets
# those events, so an injected handler (onmouseover=..., onfocus=...) runs now.
_POINT_AT_EVERYTHING = """() => {
  for (const el of document.querySelectorAll("*")) {
    for (const type of ["mouseover", "mouseenter", "focus", "click"]) {
      if (type === "click" && el.closest("a[href], button, label, input")) continue;
      el.dispatchEvent(new Event(type, { bubbles: false }));
    }
  }
}"""


def _search(page: Page, query: str) -> str | None:
    """Type into Material's search box and let the results render (or stay empty); what
    went wrong, if the box cannot be used (a page broken by a payload)."""
    page.keyboard.press("/")  # Material's shortcut: opens and focuses the search box
    if not page.evaluate("() => document.activeElement?.matches('input.md-search__input')"):
        return "the search box cannot be opened"
    page.keyboard.type(query)
    try:
        page.locator(".md-search-result__meta").wait_for()
    except PlaywrightError as error:
        return f"the search shows no results: {error.message.splitlines()[0]}"
    page.wait_for_timeout(300)  # the results list renders as the search worker answers
    return None


_ARTICLE = re.compile(r"<article\b[^>]*>.*?</article>", re.DOTALL)


def _without_writers_bodies(route: Route) -> None:
    """Serves a writer's page with its <article> emptied: for ``Case.prose`` cases, whose
    Markdown body keeps raw HTML as MkDocs renders it on any site; the rest of the page
    (title, header, nav, table of contents) is still the test's."""
    path = urlsplit(route.request.url).path
    if route.request.resource_type != "document" or "/site/planning/" in path:
        route.fallback()
        return
    response = route.fetch()
    route.fulfill(response=response, body=_ARTICLE.sub("<article></article>", response.text()))


@pytest.mark.parametrize("case", INJECTION_CASES, ids=[c.name for c in INJECTION_CASES])
def test_no_script_runs(
    browser: Browser, built: tuple[Path, dict[str, Result]], server: str, case: Case
) -> None:
    result = built[1][case.name]
    site = result.site
    if not (site / "index.html").is_file():
        pytest.fail(f"{case.name}: the site was not built:\n{result.build.tail()}")
    base = server + site.relative_to(built[0]).as_posix() + "/"
    pages = _pages_with_payload(site)
    if not pages:
        # shown on no page (a field no page prints, a status Material is not given): no
        # script can run; test_hostile reads every file of the site for its markup
        assert case.name in _SHOWN_NOWHERE, f"{case.name}: the payload is on no page of the site"
        return

    context = new_context(browser, viewport={"width": 1280, "height": 900})
    if case.prose:
        context.route(re.compile(r"^http://127\.0\.0\.1[:/]"), _without_writers_bodies)
    ran: list[str] = []

    def on_dialog(dialog: Dialog) -> None:
        where = dialog.page.url[len(base) :] if dialog.page else "?"
        ran.append(f"{dialog.type}({dialog.message!r}) on {where}")
        dialog.dismiss()

    context.on("dialog", on_dialog)
    page = context.new_page()
    try:
        for path in pages:
            page.goto(base + path, wait_until="load")
            page.evaluate(_POINT_AT_EVERYTHING)
            if _ran(page):
                ran.append(f"window.{MARK} = {_ran(page)!r} on {path}")
        page.goto(base, wait_until="load")
        broken = _search(page, "pwned")
        if broken:
            ran.append(f"on the home page, {broken}")
        if _ran(page):
            ran.append(f"window.{MARK} = {_ran(page)!r} after searching 'pwned'")
    finally:
        context.close()
    assert not ran, f"{case.name}: a payload ran, or broke the page:\n" + "\n".join(ran)


def test_the_listener_sees_a_script(browser: Browser, tmp_path: Path) -> None:
    """The test is not blind: a page that runs the payload is caught by both signals."""
    context = new_context(browser)
    dialogs: list[str] = []
    context.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    page = context.new_page()
    try:
        page.set_content(
            f"<title>x</title><img src=x onerror=alert(1)><script>window.{MARK}=1</script>"
        )
        page.wait_for_timeout(200)
        assert _ran(page) == 1
        assert dialogs == ["1"]
        page = context.new_page()
        page.set_content(f"<span class='a' onmouseover='window.{MARK}=2'>x</span>")
        assert not _ran(page)
        page.evaluate(_POINT_AT_EVERYTHING)
        assert _ran(page) == 2
    finally:
        context.close()
