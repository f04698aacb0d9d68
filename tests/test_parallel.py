"""Parsing in helper processes: shares dealt by weight, results as one process makes them,
a failing helper's share done by the build, and a project loaded alike either way; one
job in a helper (``fork_call``), and a site built alike with helpers and without."""

from __future__ import annotations

import gc
import os
import re
import shutil
import threading
import time
from pathlib import Path

import pytest

from plandocs.core.settings import settings_from_options
from plandocs.core.urls import SiteUrls
from plandocs.graphviz import parallel
from plandocs.graphviz.parallel import shared_map, shares
from plandocs.project.load import PARSE_HELPERS_FROM, SourceEntry, load
from plandocs.render.export import planning_json

from .conftest import needs_fork
from .test_config import build
from .test_page_cache import FIXTURES, site_files


def test_shares_deal_the_heaviest_first_to_the_lightest_share() -> None:
    assert shares([5, 1, 1, 1, 1, 1], 2) == [[0], [1, 2, 3, 4, 5]]
    assert shares([3, 3, 2, 2, 2], 2) == [[0, 2, 4], [1, 3]]  # 7 against 5
    assert shares([1, 1, 1], 3) == [[0], [1], [2]]
    assert shares([], 2) == [[], []]


def _square(number: int) -> tuple[int, int]:
    return number * number, os.getpid()


@needs_fork
def test_a_helper_does_a_share_and_the_results_keep_their_order(forking: list[int]) -> None:
    numbers = list(range(40))
    results, helped = shared_map(_square, numbers, helpers=1, at_least=10)
    assert [square for square, _ in results] == [n * n for n in numbers]
    assert len(helped) == 1 and 0 < len(helped[0]) < len(numbers)
    pids = {pid for _, pid in results}
    assert os.getpid() in pids and len(pids) == 2
    assert all(results[i][1] != os.getpid() for i in helped[0])


@needs_fork
def test_too_few_items_and_nothing_forks(forking: list[int]) -> None:
    results, helped = shared_map(_square, list(range(9)), helpers=1, at_least=10)
    assert helped == [] and forking == [] and {pid for _, pid in results} == {os.getpid()}
    results, helped = shared_map(_square, list(range(10)), helpers=1, at_least=10)
    assert len(helped) == len(forking) == 1


@needs_fork
def test_no_spare_core_and_nothing_forks(
    forking: list[int], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(parallel, "spare_cores", lambda: 0)
    results, helped = shared_map(_square, list(range(40)), helpers=3, at_least=10)
    assert helped == [] and forking == [] and {pid for _, pid in results} == {os.getpid()}


@needs_fork
def test_while_another_thread_runs_nothing_forks(monkeypatch: pytest.MonkeyPatch) -> None:
    with monkeypatch.context() as alone:  # as if the session's own threads were not there
        alone.setattr(threading, "active_count", lambda: 1)
        assert parallel.fork_available()
    stop = threading.Event()
    thread = threading.Thread(target=stop.wait)
    thread.start()
    try:
        assert not parallel.fork_available()
        results, helped = shared_map(_square, list(range(40)), helpers=1, at_least=10)
    finally:
        stop.set()
        thread.join()
    assert helped == [] and {pid for _, pid in results} == {os.getpid()}


@needs_fork
def test_a_helper_that_fails_leaves_its_share_to_the_build(forking: list[int]) -> None:
    build_pid = os.getpid()

    def fails_in_a_helper(number: int) -> int:
        if os.getpid() != build_pid:
            raise ValueError("a helper's bug")
        return number + 1

    results, helped = shared_map(fails_in_a_helper, list(range(30)), helpers=1, at_least=10)
    assert results == list(range(1, 31)) and helped == []


@needs_fork
def test_results_a_helper_cannot_send_are_made_by_the_build(forking: list[int]) -> None:
    build_pid = os.getpid()
    results, helped = shared_map(  # a helper's results are functions: no pickle for them
        lambda n: (lambda: n) if os.getpid() != build_pid else n,
        list(range(30)),
        helpers=1,
        at_least=10,
    )
    assert results == list(range(30)) and helped == []


@needs_fork
def test_no_process_to_be_had_and_the_build_does_it_all(
    forking: list[int], monkeypatch: pytest.MonkeyPatch
) -> None:
    def refused() -> int:
        raise OSError(11, "Resource temporarily unavailable")

    open_before = len(list(Path("/proc/self/fd").iterdir()))
    monkeypatch.setattr(os, "fork", refused)
    results, helped = shared_map(_square, list(range(30)), helpers=1, at_least=10)
    assert [square for square, _ in results] == [n * n for n in range(30)] and helped == []
    assert len(list(Path("/proc/self/fd").iterdir())) == open_before  # the pipe was closed


@needs_fork
def test_a_job_that_fails_raises_in_the_build_and_leaves_no_helper_behind(
    forking: list[int],
) -> None:
    def fails(number: int) -> int:
        raise ValueError(f"bad item {number}")

    with pytest.raises(ValueError, match="bad item"):
        shared_map(fails, list(range(30)), helpers=1, at_least=10)
    assert len(forking) == 1
    with pytest.raises(ChildProcessError):
        os.waitpid(forking[0], os.WNOHANG)  # ended and waited for


@needs_fork
def test_fork_call_does_a_job_in_a_helper_while_the_build_goes_on(forking: list[int]) -> None:
    pending = parallel.fork_call(os.getpid)
    assert pending is not None and len(forking) == 1
    assert pending.result() == forking[0] != os.getpid()
    assert pending.result() == forking[0]  # asked again: the result, no second wait
    with pytest.raises(ChildProcessError):
        os.waitpid(forking[0], os.WNOHANG)  # ended and waited for


@needs_fork
def test_fork_call_of_a_job_that_fails_gives_none(forking: list[int]) -> None:
    def fails() -> int:
        raise ValueError("no")

    pending = parallel.fork_call(fails)
    assert pending is not None and pending.result() is None and len(forking) == 1


@needs_fork
def test_a_cancelled_helper_is_ended(forking: list[int]) -> None:
    pending = parallel.fork_call(lambda: time.sleep(60))
    assert pending is not None
    pending.cancel()
    with pytest.raises(ChildProcessError):
        os.waitpid(forking[0], os.WNOHANG)  # killed and waited for
    assert pending.result() is None


def test_holds_of_garbage_collection_nest() -> None:
    assert gc.get_freeze_count() == 0
    parallel.hold_collection()
    kept = gc.get_freeze_count()
    assert kept > 0
    parallel.hold_collection()
    parallel.release_collection()
    assert gc.get_freeze_count() >= kept  # one hold is still in force
    parallel.release_collection()
    assert gc.get_freeze_count() == 0


@needs_fork
def test_the_build_s_objects_are_not_collected_while_a_helper_lives(
    forking: list[int],
) -> None:
    """A collection writes to every object it visits: the pages the helper shares with
    the build would be copied, one for each."""
    assert gc.get_freeze_count() == 0
    pending = parallel.fork_call(os.getpid)
    assert pending is not None and gc.get_freeze_count() > 0
    pending.result()
    assert gc.get_freeze_count() == 0
    cancelled = parallel.fork_call(lambda: time.sleep(60))
    assert cancelled is not None and gc.get_freeze_count() > 0
    cancelled.cancel()
    cancelled.result()  # nothing more to release
    assert gc.get_freeze_count() == 0


def test_fork_call_forks_nothing_without_a_spare_core_or_while_a_thread_runs(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(parallel, "fork_available", lambda: True)
    monkeypatch.setattr(parallel, "spare_cores", lambda: 0)
    assert parallel.fork_call(os.getpid) is None
    monkeypatch.setattr(parallel, "spare_cores", lambda: 1)
    monkeypatch.setattr(parallel, "fork_available", lambda: False)
    assert parallel.fork_call(os.getpid) is None


def _project(root: Path, count: int) -> list[SourceEntry]:
    """The good fixture and ``count`` more order files, some with mojibake, one not text."""
    shutil.copytree(FIXTURES / "good", root)
    orders = root / "orders"
    for n in range(count):
        depends = f"ORDER-WRK-{n % 3 + 1}-CP2-{n - 1:03d}" if n else "ORDER-WRK-1-CP1-001"
        title = "Ð¿Ñ€Ð¾Ð²ÐµÑ€ÐºÐ°" if n % 10 == 0 else f"Task {n}"  # Cyrillic as cp1252
        (orders / f"ORDER_WRK_{n % 3 + 1}_CP2_T{n:03d}.md").write_text(
            f"---\nid: ORDER-WRK-{n % 3 + 1}-CP2-{n:03d}\nto: wrk-{n % 3 + 1}\n"
            f"priority: P{n % 3}\nstatus: open\ndepends_on: [{depends}]\n---\n\n"
            f"# {title}\n\nSee ORDER-WRK-9-CP2-{n:03d} and ADR-{n % 4 + 1}.\n",
            encoding="utf-8",
        )
    (orders / "ORDER_WRK_1_CP2_BINARY.md").write_bytes(b"\x00\x01binary\x00")
    entries = []
    for folder in ("docs", "orders"):
        for path in sorted((root / folder).rglob("*.md")):
            uri = path.relative_to(root / "docs" if folder == "docs" else root).as_posix()
            entries.append(SourceEntry(path.relative_to(root).as_posix(), uri, str(path), folder))
    return entries


@needs_fork
def test_a_project_parsed_with_a_helper_is_the_one_parsed_without(
    tmp_path: Path, forking: list[int]
) -> None:
    entries = _project(tmp_path / "p", PARSE_HELPERS_FROM + 6)
    settings = settings_from_options({"orders_dir": "orders"})
    alone = load(entries, settings)
    helped = load(entries, settings, helpers=1)
    assert alone.parsed_by_helpers == 0 and helped.parsed_by_helpers > 0
    assert helped.parsed_here + helped.parsed_by_helpers == len(entries)
    urls = SiteUrls()
    assert planning_json(helped.graph, helped.diagnostics, urls) == planning_json(
        alone.graph, alone.diagnostics, urls
    )
    assert helped.diagnostics == alone.diagnostics and helped.unreadable == alone.unreadable
    assert helped.docs == alone.docs and helped.parsed == alone.parsed
    assert any(d.code == "plandocs.mojibake-repaired" for d in helped.diagnostics)
    assert helped.unreadable == {"orders/ORDER_WRK_1_CP2_BINARY.md"}


@needs_fork
@pytest.mark.skipif(parallel.spare_cores() < 1, reason="no spare core: no helper")
def test_a_build_with_helpers_writes_the_site_it_writes_without(
    tmp_path: Path,
) -> None:
    _project(tmp_path / "p", PARSE_HELPERS_FROM + 6)
    config = tmp_path / "p" / "mkdocs.yml"
    pattern = re.compile(r"plandocs: files: (\d+) of them parsed by helper")
    result = build(config, "--verbose")
    assert result.returncode == 0, result.stderr
    (by_helpers,) = pattern.findall(result.stderr)
    assert int(by_helpers) > 0
    assert "their sources made by a helper process" in result.stderr
    helped = site_files(tmp_path / "p" / "s")
    text = config.read_text(encoding="utf-8")
    config.write_text(
        text.replace("  - plandocs:\n", "  - plandocs:\n      parse_workers: 0\n"),
        encoding="utf-8",
    )
    shutil.rmtree(tmp_path / "p" / ".cache")
    result = build(config, "--verbose")
    assert result.returncode == 0, result.stderr
    assert not pattern.search(result.stderr) and "by a helper" not in result.stderr
    assert site_files(tmp_path / "p" / "s") == helped
