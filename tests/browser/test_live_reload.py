"""The writer's loop in a browser (issue 28): an order page open in a tab under
``mkdocs serve --dirty`` reloads by itself when the order's file is saved, and shows the new
status, with no reload by hand. The fixture and the server are those of
``tests/test_writers_loop.py``."""

from __future__ import annotations

import re
import time
from collections.abc import Callable
from contextlib import AbstractContextManager
from pathlib import Path

import pytest

from ..test_serve import free_port
from ..test_writers_loop import serving, sub, write_fixture
from .conftest import in_ci

try:
    from playwright.sync_api import Page, expect
except ImportError:
    if in_ci():
        raise  # under CI a missing Playwright fails the run
    pytest.skip("Playwright is not installed: pip install -e '.[test]'", allow_module_level=True)

Step = Callable[[str], AbstractContextManager[None]]
#: from saving the file to the new status on screen: the watcher's poll (0.5 s), the
#: rebuild of a few pages, the live-reload answer and the page's reload, with room for a
#: loaded CI machine
RELOADED = 10.0
ORDER = "orders/ORDER_WRK_2_CP1_RENDERER.md"


def test_an_open_order_page_reloads_with_its_new_status(
    page: Page, step: Step, tmp_path: Path
) -> None:
    root = tmp_path / "project"
    write_fixture(root)
    port = free_port()
    url = f"http://127.0.0.1:{port}/orders/ORDER_WRK_2_CP1_RENDERER/"
    status = page.locator(
        '.plandocs-card[data-order="ORDER-WRK-2-CP1-002"] .plandocs-card__head '
        '.plandocs-badge[title^="Status"]'
    )
    with serving(root, port, ("--dirty",)):
        with step("open the order's page: the live-reload script waits for a new build"):
            with page.expect_request(re.compile(r"/livereload/[0-9]+/[0-9]+$")):
                page.goto(url)
            expect(status).to_have_text("pending")
            # gone when the document is replaced: proof that the tab reloaded
            page.evaluate("window.plandocsBeforeTheEdit = true")

        with step("save a new status in the order's file"):
            sub(ORDER, "status: pending", "status: in_progress")(root)
            saved = time.monotonic()

        with step(f"the tab reloads by itself and shows it within {RELOADED:.0f} s"):
            expect(status).to_have_text("in progress", timeout=RELOADED * 1000)
            took = time.monotonic() - saved
            assert page.evaluate("window.plandocsBeforeTheEdit === undefined"), (
                "the status changed without a reload"
            )
            assert page.url == url
            print(f"saved to shown in the open tab: {took:.2f} s")
