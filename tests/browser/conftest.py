"""Browser journeys over the example site: built once, served on 127.0.0.1, driven by
headless Chromium through Playwright.

Chromium is Debian's package (``scripts/install-system-deps.sh --browser``); Playwright's
own browser download is never used. ``PLANDOCS_CHROMIUM`` names another executable. Without
a browser the journeys skip locally and fail under ``CI=true``, so CI cannot go green by
running nothing.

Each journey saves a screenshot of its last page in ``test-artifacts/browser/``; a failing
journey names the step that failed.
"""

from __future__ import annotations

import functools
import os
import re
import shutil
import subprocess
import sys
import threading
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

if TYPE_CHECKING:
    from playwright.sync_api import Browser, BrowserContext, Page

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "test-artifacts" / "browser"
DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 375, "height": 812}


def in_ci() -> bool:
    return os.environ.get("CI", "").lower() not in ("", "0", "false", "no")


def _unavailable(reason: str) -> None:
    if in_ci():
        pytest.fail(f"browser tests cannot run under CI: {reason}", pytrace=False)
    pytest.skip(reason)


def chromium_path() -> str | None:
    candidates = [
        os.environ.get("PLANDOCS_CHROMIUM"),
        "/usr/bin/chromium",
        shutil.which("chromium"),
    ]
    return next((c for c in candidates if c and Path(c).is_file()), None)


@pytest.fixture(scope="session")
def site_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The example site, built once with ``mkdocs build --strict``."""
    site = tmp_path_factory.mktemp("browser") / "site"
    done = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "-d", str(site)],
        cwd=ROOT,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1", "PYTHONIOENCODING": "utf-8"},
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=180,
        check=False,
    )
    assert done.returncode == 0, f"the example site does not build:\n{done.stderr}"
    return site


class _QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        pass


def serve(site: Path) -> Iterator[str]:
    """``site`` served over HTTP (the search worker needs it) on a free local port, until
    the generator is closed."""
    handler = functools.partial(_QuietHandler, directory=str(site))
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


@pytest.fixture(scope="session")
def base_url(site_dir: Path) -> Iterator[str]:
    """The example site, served."""
    yield from serve(site_dir)


@pytest.fixture(scope="session")
def synthetic_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A generated 100-order site (``bench/synthetic.py``), built once and served."""
    root = tmp_path_factory.mktemp("synthetic")
    subprocess.run(
        [sys.executable, str(ROOT / "bench" / "synthetic.py"), str(root / "repo"), "100"],
        check=True,
        capture_output=True,
        timeout=120,
    )
    done = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "-q", "-d", str(root / "site")],
        cwd=root / "repo",
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1", "PYTHONIOENCODING": "utf-8"},
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, f"the synthetic site does not build:\n{done.stderr}"
    yield from serve(root / "site")


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    try:
        # Imported here so that without Playwright the fixture can fail (CI) or skip.
        from playwright.sync_api import sync_playwright  # noqa: PLC0415
    except ImportError:
        _unavailable("Playwright is not installed: pip install -e '.[test]'")
    executable = chromium_path()
    if executable is None:
        _unavailable(
            "Chromium not found: run scripts/install-system-deps.sh --browser "
            "(or set PLANDOCS_CHROMIUM to a Chromium executable)"
        )
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=executable, headless=True)
        yield browser
        browser.close()


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> Any:
    report = yield
    if report.when == "call":
        item.stash[_FAILED] = report.failed
    return report


_FAILED = pytest.StashKey[bool]()


def new_context(browser: Browser, **options: Any) -> BrowserContext:
    """A context that is offline but for the local site: the site must work without a CDN
    (Material's Google Fonts fall back to the system fonts)."""
    context = browser.new_context(color_scheme="light", service_workers="block", **options)
    context.set_default_timeout(10_000)  # CI machines are slow
    context.route(
        re.compile(r"^(?!https?://127\.0\.0\.1[:/])"),
        lambda route: route.abort("internetdisconnected"),
    )
    return context


def _open_page(
    browser: Browser, request: pytest.FixtureRequest, viewport: dict[str, int]
) -> Iterator[Page]:
    context = new_context(browser, viewport=viewport)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    try:
        yield page
    finally:
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        failed = request.node.stash.get(_FAILED, False)
        for stale in ("", "-FAILED"):
            (ARTIFACTS / f"{request.node.name}{stale}.png").unlink(missing_ok=True)
        name = request.node.name + ("-FAILED" if failed else "")
        try:
            page.screenshot(path=ARTIFACTS / f"{name}.png", full_page=True)
        finally:
            context.close()
    assert not errors, f"JavaScript errors on the pages: {errors}"


@pytest.fixture
def page(browser: Browser, request: pytest.FixtureRequest) -> Iterator[Page]:
    """A fresh desktop-sized tab; its last page is saved as a screenshot."""
    yield from _open_page(browser, request, DESKTOP)


@pytest.fixture
def phone_page(browser: Browser, request: pytest.FixtureRequest) -> Iterator[Page]:
    """A fresh tab the size of a phone (375 x 812)."""
    yield from _open_page(browser, request, PHONE)


class StepError(AssertionError):
    pass


@contextmanager
def _step(name: str) -> Iterator[None]:
    try:
        yield
    except StepError:
        raise
    except Exception as error:  # every failure of a step, Playwright timeouts included
        raise StepError(f"step failed: {name}\n{type(error).__name__}: {error}") from error


@pytest.fixture
def step() -> Callable[[str], AbstractContextManager[None]]:
    """``with step("open the orders index"):`` - a failure inside names the step."""
    return _step
