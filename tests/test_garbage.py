"""The writer's loop turns the garbage collector off while a rebuild runs and makes the one
pass it owes afterwards, on a timer, or as the next rebuild starts."""

from __future__ import annotations

import gc
import time
from collections.abc import Iterator

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


def test_a_rebuild_that_starts_before_the_timer_makes_the_pass_and_keeps_it_off(
    collector_on: list[int],
) -> None:
    collector = IdleCollector(delay=0.2)
    collector.pause()
    collector.resume_later()
    collector.pause()  # the next rebuild, before the timer
    assert collector_on == [2]
    time.sleep(0.4)  # the first timer fires: it must not turn the collector on mid-rebuild
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
