"""`mkdocs serve` picks up edits in the top-level orders folder, outside docs/."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
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
