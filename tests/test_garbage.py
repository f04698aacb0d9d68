"""The writer's loop turns the garbage collector off while a rebuild runs and makes the one
pass it owes afterwards, on a timer, or as the next rebuild starts."""

from __future__ import annotations

import gc
import json
import os
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from plandocs.mkdocs.garbage import IdleCollector


@pytest.fixture(autouse=True)
def collector_on() -> Iterator[list[int]]:
    """The full passes made meanwhile (their generations); the collector is on after."""
    passes: list[int] = []

    def seen(phase: str, info: dict[str, int]) -> None:
        if phase == "start" and info["generation"] == 2:
            passes.append(2)

    gc.enable()
    gc.callbacks.append(seen)
    yield passes
    gc.callbacks.remove(seen)
    gc.enable()


def test_a_rebuild_runs_with_the_collector_off_and_it_is_on_after_its_pass(
    collector_on: list[int],
) -> None:
    collector = IdleCollector(delay=0.05)
    collector.pause()
    assert not gc.isenabled()
    collector.resume_later()
    assert not gc.isenabled()  # the tab reloads first
    deadline = time.monotonic() + 5
    while not gc.isenabled() and time.monotonic() < deadline:
        time.sleep(0.01)
    assert gc.isenabled()
    assert collector_on  # the pass owed was made


def _timers_done() -> None:
    for thread in threading.enumerate():
        if isinstance(thread, threading.Timer):
            thread.join(10)


def test_a_rebuild_that_starts_before_the_timer_makes_the_pass_and_keeps_it_off(
    collector_on: list[int],
) -> None:
    collector = IdleCollector(delay=0.2)
    collector.pause()
    collector.resume_later()
    collector.pause()  # the next rebuild, before the timer
    assert collector_on == [2]
    _timers_done()  # the first timer fired: it must not turn the collector on mid-rebuild
    assert not gc.isenabled()
    assert collector_on == [2]
    collector.resume_later()
    deadline = time.monotonic() + 5
    while not gc.isenabled() and time.monotonic() < deadline:
        time.sleep(0.01)
    assert gc.isenabled()


def test_a_collector_turned_off_by_someone_else_is_left_off(collector_on: list[int]) -> None:
    gc.disable()
    collector = IdleCollector(delay=0.01)
    collector.pause()
    collector.resume_later()
    time.sleep(0.1)
    assert not gc.isenabled()
    assert not collector_on


def test_a_rebuild_of_many_pages_turns_it_on_again_and_its_end_owes_no_pass(
    collector_on: list[int],
) -> None:
    collector = IdleCollector(delay=0.2)
    collector.pause()
    collector.resume_later()
    collector.pause()  # the next rebuild: it makes the pass owed
    collector.resume()  # it rebuilds every page
    assert gc.isenabled()
    time.sleep(0.4)
    collector.resume_later()  # it ends: nothing is owed, the collector is on
    time.sleep(0.4)
    assert gc.isenabled()
    assert collector_on == [2]


def test_a_rebuild_whose_end_was_never_said_is_collected_as_the_next_starts(
    collector_on: list[int],
) -> None:
    collector = IdleCollector(delay=0.01)
    collector.pause()  # ... and an error handler before plandocs' raised: no resume_later
    collector.pause()
    assert collector_on == [2]
    assert not gc.isenabled()
    collector.resume_later()
    _timers_done()
    assert gc.isenabled()


# The loop's rebuilds, in a process of their own (as `mkdocs serve --dirty` runs them): a hook
# notes whether the collector is on as each page is written, and the driver whether it is on
# right after each build and a second later.
HOOK = """
import gc, os
def on_post_page(output, page, config):
    with open("seen.log", "a") as log:
        log.write(f"{gc.isenabled()}\\n")
    if os.path.exists("fail"):
        raise RuntimeError("a hook that fails")
    return output
"""
DRIVER = r"""
import gc, json, sys, time
from pathlib import Path
from mkdocs.config import load_config
from mkdocs.commands.build import build
def config():
    return load_config("mkdocs.yml", site_dir="site")
config().plugins.on_startup(command="serve", dirty=True)
def rebuild(name):
    Path("seen.log").write_text("")
    try:
        build(config(), dirty=True)
    except Exception:
        pass
    after = gc.isenabled()
    time.sleep(1.5)
    seen = sorted({line == "True" for line in Path("seen.log").read_text().split()})
    print(json.dumps([name, seen, after, gc.isenabled()]), flush=True)
rebuild("first")
order = Path("orders/ORDER_A.md")
order.write_text(order.read_text().replace("priority: low", "priority: high"))
rebuild("edit")
Path("docs/new.md").write_text("# New\n")
rebuild("new file")
import plandocs.mkdocs.serve
# every rebuild has more pages than MANY_PAGES, for this edit only
many, plandocs.mkdocs.serve.MANY_PAGES = plandocs.mkdocs.serve.MANY_PAGES, 0
order.write_text(order.read_text().replace("priority: high", "priority: medium"))
rebuild("many pages")
plandocs.mkdocs.serve.MANY_PAGES = many
Path("fail").write_text("")
order.write_text(order.read_text().replace("priority: medium", "priority: low"))
rebuild("failed")
"""


def test_the_loop_turns_the_collector_off_for_a_small_rebuild_only(tmp_path: Path) -> None:
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "index.md").write_text("# Home\n", encoding="utf-8")
    (tmp_path / "orders").mkdir()
    order = "---\nid: ORDER-A-1\ntitle: First\npriority: low\n---\n# First\n"
    (tmp_path / "orders" / "ORDER_A.md").write_text(order, encoding="utf-8")
    (tmp_path / "mkdocs.yml").write_text(
        "site_name: t\ntheme:\n  name: material\nhooks:\n  - hook.py\nplugins:\n  - plandocs\n",
        encoding="utf-8",
    )
    (tmp_path / "hook.py").write_text(HOOK, encoding="utf-8")
    ran = subprocess.run(
        [sys.executable, "-c", DRIVER],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
        timeout=300,
        check=False,
    )
    lines = [json.loads(line) for line in ran.stdout.splitlines() if line.startswith("[")]
    assert lines == [
        ["first", [True], True, True],  # the first build: as usual
        ["edit", [False], False, True],  # off while it runs, on after the pass
        ["new file", [True], True, True],  # a full rebuild: on again
        ["many pages", [True], True, True],  # more pages than MANY_PAGES: on again
        ["failed", [False], False, True],  # a rebuild that stopped: on after the pass
    ], ran.stderr[-3000:]
