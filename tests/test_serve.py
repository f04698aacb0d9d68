"""`mkdocs serve` picks up edits in the top-level orders folder, outside docs/, and keeps
serving a site with ``strict: true`` whose orders have findings: each page shows its own."""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

ORDER = "---\nid: ORDER-A-1\ntitle: {title}\nstatus: pending\n---\n# {title}\n"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def fetch(url: str, deadline: float, wanted: str) -> str:
    last = ""
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                last = response.read().decode("utf-8")
            if wanted in last:
                return last
        except OSError:
            pass
        time.sleep(0.3)
    return last


def test_serve_rebuilds_when_an_order_changes(tmp_path: Path) -> None:
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "index.md").write_text("# Home\n", encoding="utf-8")
    (tmp_path / "orders").mkdir()
    order = tmp_path / "orders" / "ORDER_A.md"
    order.write_text(ORDER.format(title="First title"), encoding="utf-8")
    (tmp_path / "mkdocs.yml").write_text(
        "site_name: t\ntheme:\n  name: material\nplugins:\n  - plandocs\n", encoding="utf-8"
    )
    port = free_port()
    log = (tmp_path / "serve.log").open("wb")
    server = subprocess.Popen(
        [sys.executable, "-m", "mkdocs", "serve", "-a", f"127.0.0.1:{port}"],
        cwd=tmp_path,
        stdout=log,
        stderr=subprocess.STDOUT,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
    )
    try:
        url = f"http://127.0.0.1:{port}/orders/ORDER_A/"
        assert "First title" in fetch(url, time.monotonic() + 30, "First title")
        order.write_text(ORDER.format(title="Second title"), encoding="utf-8")
        assert "Second title" in fetch(url, time.monotonic() + 30, "Second title")
        overview = fetch(
            f"http://127.0.0.1:{port}/planning/orders/", time.monotonic() + 10, "ORDER-A-1"
        )
        assert "Second title" in overview
    finally:
        server.terminate()
        server.wait(timeout=10)
        log.close()


STRICT_SITE = (
    "site_name: t\nstrict: true\ntheme:\n  name: material\nplugins:\n  - search\n  - plandocs\n"
)
#: an order and one it depends on; ``{extra}`` is a line of the first's frontmatter
FIRST = "---\nid: ORDER-A-1\ntitle: {title}\nstatus: pending\n{extra}---\n# {title}\n\nBody.\n"
SECOND = "---\nid: ORDER-B-1\ntitle: Second\nstatus: pending\n---\n# Second\n"


def strict_project(root: Path) -> Path:
    """A small site with ``strict: true``: two orders, no findings. Returns the first order."""
    (root / "docs").mkdir()
    (root / "docs" / "index.md").write_text("# Home\n", encoding="utf-8")
    (root / "orders").mkdir()
    (root / "orders" / "ORDER_B.md").write_text(SECOND, encoding="utf-8")
    first = root / "orders" / "ORDER_A.md"
    first.write_text(FIRST.format(title="First", extra=""), encoding="utf-8")
    (root / "mkdocs.yml").write_text(STRICT_SITE, encoding="utf-8")
    return first


@contextmanager
def serving(root: Path, *options: str) -> Iterator[tuple[str, Path]]:
    """``mkdocs serve`` of ``root`` on a free port: its address and its log file."""
    port = free_port()
    log_path = root / "serve.log"
    with log_path.open("wb") as log:
        server = subprocess.Popen(
            [sys.executable, "-m", "mkdocs", "serve", *options, "-a", f"127.0.0.1:{port}"],
            cwd=root,
            stdout=log,
            stderr=subprocess.STDOUT,
            env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
        )
        try:
            yield f"http://127.0.0.1:{port}/", log_path
        finally:
            server.terminate()
            server.wait(timeout=10)


def test_serve_of_a_strict_site_goes_on_and_shows_a_finding_on_its_page(tmp_path: Path) -> None:
    first = strict_project(tmp_path)
    first.write_text(
        FIRST.format(title="First", extra="depends_on: [ORDER-X-9]\n"), encoding="utf-8"
    )
    with serving(tmp_path) as (url, log_path):
        page = fetch(url + "orders/ORDER_A/", time.monotonic() + 30, "plandocs-findings")
        assert '<span class="plandocs-findings__where">line 5</span>, warning: ORDER-A-1' in page
        assert "ORDER-X-9: not found" in page
        first.write_text(FIRST.format(title="Fixed", extra=""), encoding="utf-8")
        page = fetch(url + "orders/ORDER_A/", time.monotonic() + 30, "Fixed")
        assert "Fixed" in page and "plandocs-findings" not in page
        log = log_path.read_text(encoding="utf-8")
    # the terminal still names the finding, its level in the text; strict did not abort
    assert (
        "INFO    -  plandocs: orders/ORDER_A.md:5: warning: ORDER-A-1 depends on ORDER-X-9, "
        "which is not a known order" in log
    )
    assert "strict mode" not in log and "appear stuck" not in log


def wait_for_lines(log_path: Path, text: str, count: int, deadline: float) -> list[str]:
    """The log's lines holding ``text``, once there are ``count`` of them (or the time is up)."""
    lines: list[str] = []
    while time.monotonic() < deadline:
        lines = [line for line in log_path.read_text(encoding="utf-8").splitlines() if text in line]
        if len(lines) >= count:
            break
        time.sleep(0.2)
    return lines


def test_serve_dirty_says_each_finding_once_and_counts_them_on_the_rebuild_line(
    tmp_path: Path,
) -> None:
    first = strict_project(tmp_path)
    unknown = FIRST.format(title="First", extra="depends_on: [ORDER-X-9]\n")
    first.write_text(unknown, encoding="utf-8")
    said = "ORDER-A-1 depends on ORDER-X-9, which is not a known order"
    with serving(tmp_path, "--dirty") as (url, log_path):
        fetch(url + "orders/ORDER_A/", time.monotonic() + 30, "plandocs-findings")
        first.write_text(unknown.replace("Body.", "Body, edited."), encoding="utf-8")
        [line] = wait_for_lines(log_path, " changed: ", 1, time.monotonic() + 30)
        assert re.search(
            r"orders/ORDER_A.md changed: 1 page in [0-9.]+ s; 1 finding as before$", line
        )
        # a second finding is said, the first is not said again
        first.write_text(unknown.replace("status:", "parent: ORDER-Y-8\nstatus:"), "utf-8")
        lines = wait_for_lines(log_path, " changed: ", 2, time.monotonic() + 30)
        # the first finding's line moved down by one: the same finding, not news
        assert "ORDER-A-1 changed: " in lines[1] and lines[1].endswith("; 2 findings, 1 new")
        first.write_text(FIRST.format(title="First", extra=""), encoding="utf-8")
        lines = wait_for_lines(log_path, " changed: ", 3, time.monotonic() + 30)
        assert lines[2].endswith("; 0 findings, 2 gone")
        log = log_path.read_text(encoding="utf-8")
    assert log.count(said) == 1
    assert log.count("ORDER-Y-8") == 1


def test_a_strict_build_of_the_same_site_still_fails(tmp_path: Path) -> None:
    first = strict_project(tmp_path)
    first.write_text(
        FIRST.format(title="First", extra="depends_on: [ORDER-X-9]\n"), encoding="utf-8"
    )
    done = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "-d", str(tmp_path / "site")],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        encoding="utf-8",
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
        timeout=120,
        check=False,
    )
    assert done.returncode == 1
    assert "WARNING -  plandocs: orders/ORDER_A.md:5: ORDER-A-1 depends on ORDER-X-9" in done.stderr
    assert "Aborted with 1 warnings in strict mode!" in done.stdout + done.stderr
    # a build shows the findings in the overview, not on the pages (that is serve's)
    assert "plandocs-findings" not in (tmp_path / "site/orders/ORDER_A/index.html").read_text(
        encoding="utf-8"
    )


def test_an_order_whose_frontmatter_does_not_parse_stays_in_the_orders_table(
    tmp_path: Path,
) -> None:
    first = strict_project(tmp_path)
    first.write_text(FIRST.format(title="Broken: here", extra=""), encoding="utf-8")
    (tmp_path / "mkdocs.yml").write_text(
        STRICT_SITE.replace("strict: true", "strict: false"), encoding="utf-8"
    )
    done = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "-d", str(tmp_path / "site")],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        encoding="utf-8",
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    findings = [line for line in done.stderr.splitlines() if line.startswith(("WARNING", "ERROR"))]
    assert findings == [
        "ERROR   -  plandocs: orders/ORDER_A.md:3: frontmatter YAML does not parse: mapping "
        "values are not allowed in this context; fix the YAML syntax [plandocs.yaml-error]"
    ]
    table = (tmp_path / "site/planning/orders/index.html").read_text(encoding="utf-8")
    assert "ORDER-A-1" in table and "Broken: here" in table
    overview = (tmp_path / "site/planning/index.html").read_text(encoding="utf-8")
    assert "frontmatter YAML does not parse" in overview
