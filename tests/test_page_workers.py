"""Page workers: processes beside the build that convert pages (and finish them) while the
build does its share; whatever they do, the site is the one a build without them writes."""

from __future__ import annotations

import gc
import multiprocessing
import os
import re
import shutil
import signal
import sys
import threading
import time
from pathlib import Path

import pytest

from plandocs.graphviz.parallel import fork_available as available
from plandocs.page_workers import PageWorkers

from .test_config import build
from .test_page_cache import FIXTURES, site_files

_WORKED = re.compile(r"plandocs: pages: (\d+) converted by (\d+) worker processes")
_FINISHED = re.compile(r"plandocs: pages: (\d+) finished by (\d+) worker processes")
_FORK = multiprocessing.get_context("fork")
linux = pytest.mark.skipif(not available(), reason="workers are forked on Linux only")


@linux
def test_each_page_is_done_once_by_the_build_or_by_a_worker() -> None:
    started, go = _FORK.Event(), _FORK.Event()

    def job(index: int) -> tuple[int, int]:
        if index == 3:
            started.set()
            go.wait(30)
        return index, os.getpid()

    uris = ["a.md", "b.md", "c.md", "d.md"]
    workers = PageWorkers(uris, job, 1, take=[3, 2, 1, 0])
    assert started.wait(30)  # the worker holds d.md (its first in `take`)
    # the build takes the pages it reaches and no worker holds: it converts them itself
    assert [workers.result(uri) for uri in uris[:3]] == [None, None, None]
    go.set()
    index, pid = workers.result("d.md")  # held by the worker: the build waits for it
    assert index == 3 and pid != os.getpid()
    assert workers.result("not-a-page.md") is None
    workers.close()
    assert workers.done == 1
    assert all(not process.is_alive() for process in workers.processes)


@linux
def test_a_worker_takes_the_pages_in_the_order_given() -> None:
    uris = [f"{n}.md" for n in range(6)]
    workers = PageWorkers(uris, lambda index: index * 10, 1, take=[5, 0, 3, 1, 4, 2])
    for process in workers.processes:
        process.join(30)  # it took every page: none is left for the build
    assert [workers.result(uri) for uri in uris] == [0, 10, 20, 30, 40, 50]
    workers.close()


@linux
def test_a_worker_with_a_lead_stays_that_far_ahead_of_the_build() -> None:
    done = _FORK.Array("i", 8)  # what the worker did, in order, after a count

    def job(index: int) -> int:
        with done.get_lock():
            done[0] += 1
            done[done[0]] = index
        return index

    uris = [f"{n}.md" for n in range(7)]
    workers = PageWorkers(uris, job, 1, take=[5], lead=2)
    deadline = time.monotonic() + 30
    while done[0] < 3 and time.monotonic() < deadline:
        time.sleep(0.01)
    time.sleep(0.3)  # the build has not moved: the worker waits for it
    # page 5 first (`take`), then the two pages after the build's (which is at none yet)
    assert list(done[1 : done[0] + 1]) == [5, 0, 1]
    assert workers.result("0.md") == 0 and workers.result("1.md") == 1
    # the build goes on; each page is done once, by the worker or by the build
    results = [workers.result(uri) for uri in uris[2:]]
    workers.close()
    assert results[3] == 5
    by_worker = {r for r in results if r is not None}
    assert by_worker == {i for i in list(done[1 : done[0] + 1]) if i >= 2}


@linux
def test_a_page_a_worker_fails_on_or_a_worker_that_dies_goes_back_to_the_build() -> None:
    def job(index: int) -> str:
        if index == 0:
            raise ValueError("a hook failed")
        if index == 1:
            os._exit(3)  # the worker is gone, and with it what it held
        return "done"

    workers = PageWorkers(["a.md", "b.md", "c.md"], job, 1, take=[2, 0, 1])
    for process in workers.processes:
        process.join(30)
    assert workers.result("c.md") == "done"
    assert workers.result("a.md") is None  # the build converts it, and reports
    assert workers.result("b.md") is None  # the build does not wait for a dead worker
    workers.close()


@linux
def test_the_build_does_not_wait_for_a_worker_that_died_while_another_works_on() -> None:
    def job(index: int) -> int:
        if index == 1:
            os._exit(3)  # the worker that took page 1 is gone
        return index

    uris = [f"{n}.md" for n in range(6)]
    # two workers that stay 3 pages ahead: the one left waits for the build, and does
    # not end while the build waits
    workers = PageWorkers(uris, job, 2, lead=3)

    def waited_too_long(signum: int, frame: object) -> None:
        raise TimeoutError("the build waits for a worker that died")

    before = signal.signal(signal.SIGALRM, waited_too_long)
    signal.alarm(20)
    try:
        results = [workers.result(uri) for uri in uris]
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, before)
    workers.close()
    assert results[1] is None  # the build does it
    assert all(r in (None, i) for i, r in enumerate(results))


@linux
def test_a_failed_build_abandons_its_workers_and_frees_garbage_collection() -> None:
    uris = [f"{n}.md" for n in range(20)]
    workers = PageWorkers(uris, lambda index: index, 1, lead=2)  # waits for the build
    assert gc.get_freeze_count() > 0  # the build's objects are left to the workers' pages
    workers.abandon()
    assert all(not process.is_alive() for process in workers.processes)
    assert gc.get_freeze_count() == 0


def test_workers_are_not_forked_while_another_thread_runs() -> None:
    stop = threading.Event()
    thread = threading.Thread(target=stop.wait)
    thread.start()
    try:
        assert not available()
    finally:
        stop.set()
        thread.join()


# -- in a build --------------------------------------------------------------------------
def project(tmp_path: Path, options: str = "      workers: 1\n", hooks: str = "") -> Path:
    """The good fixture with one worker, forced to work (it has fewer pages than make
    workers worth it)."""
    shutil.copytree(FIXTURES / "good", tmp_path / "p")
    config = tmp_path / "p" / "mkdocs.yml"
    text = config.read_text(encoding="utf-8").replace(
        "  - plandocs:\n", f"  - plandocs:\n{options}"
    )
    force = "import plandocs.mkdocs.plugin\n\nplandocs.mkdocs.plugin._WORKERS_FROM = 1\n"
    (tmp_path / "p" / "force_workers.py").write_text(force + hooks, encoding="utf-8")
    config.write_text(text + "hooks:\n  - force_workers.py\n", encoding="utf-8")
    return config


def built(config: Path, *flags: str) -> tuple[str, dict[str, bytes]]:
    result = build(config, "--verbose", *flags)
    assert result.returncode == 0, result.stderr
    return result.stderr, site_files(config.parent / "s")


@linux
def test_a_cold_build_with_workers_writes_the_site_a_build_without_them_writes(
    tmp_path: Path,
) -> None:
    config = project(tmp_path)
    log, site = built(config)
    ((converted, processes),) = _WORKED.findall(log)
    assert int(converted) > 0 and processes == "1"
    ((finished, processes),) = _FINISHED.findall(log)
    assert int(finished) > 0 and processes == "1"
    alone = project(tmp_path / "alone", options="      workers: 0\n")
    alone_log, alone_site = built(alone)
    assert not _WORKED.search(alone_log) and not _FINISHED.search(alone_log)
    assert site == alone_site
    # a warm build finds the pages and fragments the workers made, and forks no worker
    warm_log, warm_site = built(config)
    assert "pages: 0 converted, " in warm_log and "fragments: 0 rendered, " in warm_log
    assert not _WORKED.search(warm_log) and not _FINISHED.search(warm_log)
    assert warm_site == site


@linux
def test_a_page_that_logs_in_a_worker_says_it_once_in_the_build(tmp_path: Path) -> None:
    config = project(tmp_path)
    index = config.parent / "docs" / "index.md"
    padding = "\nA paragraph that makes this the biggest page, a worker's first.\n" * 200
    index.write_text(
        index.read_text(encoding="utf-8") + "\nSee [the missing page](missing.md).\n" + padding,
        encoding="utf-8",
    )
    result = build(config, "--verbose")
    warning = "Doc file 'index.md' contains a link 'missing.md', but the target is not found"
    assert result.stderr.count(warning) == 1, result.stderr
    assert build(config, "--strict").returncode == 1


@linux
def test_workers_are_not_forked_unless_asked_for(tmp_path: Path) -> None:
    log, _ = built(project(tmp_path, options=""))
    assert not _WORKED.search(log) and not _FINISHED.search(log)
    # it converted, in its own process: the fixture's 21 pages (its 7 files' pages, the
    # generated ones, the Timeline among them; redirect pages are written, not converted)
    assert "pages: 21 converted, " in log


_DRAWING_HOOK = """
import logging


def on_nav(nav, config, files):
    drawing = config.plugins["plandocs"]._drawing
    started = drawing is not None and drawing[0]._started
    logging.getLogger("mkdocs").info("drawing before the first page: %s", started)
"""


def test_without_workers_dot_draws_from_the_end_of_the_parse(tmp_path: Path) -> None:
    """With no worker to fork, the diagrams are drawn from the moment the planning graph is
    known, before any page: the big ones, dot's largest, while the build is smallest. With
    workers, after their fork (a thread must not run while a process forks)."""
    alone = project(tmp_path / "alone", options="      workers: 0\n", hooks=_DRAWING_HOOK)
    log, _ = built(alone)
    assert "drawing before the first page: True" in log
    if sys.platform == "linux":
        forking = project(tmp_path / "forking", hooks=_DRAWING_HOOK)
        log, _ = built(forking)
        assert "drawing before the first page: False" in log


@linux
def test_another_plugin_that_changes_pages_keeps_the_build_to_one_process(
    tmp_path: Path,
) -> None:
    hooks = "\n\ndef on_page_markdown(markdown, **kwargs):\n    return markdown\n"
    config = project(tmp_path, hooks=hooks)
    log, _ = built(config)
    assert "pages are converted in this process: the plugin " in log
    assert not _WORKED.search(log)
