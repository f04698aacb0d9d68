"""A job over many items, shared out between this process and forked helpers.

Reading and parsing a thousand planning files is most of what the collect step costs, and
each file is parsed on its own. On a machine with a second core, ``shared_map`` forks
helper processes that take a share of the items each (by weight: the biggest files are
dealt out first, each to the share that has least so far), while this process does its own
share; each helper sends its results back pickled through a pipe, and exits. ``fork_call`` does
one job in a helper the same way, while this process does something else.

A helper is forked early in a build, while the build is small, and lives for the time of
its share. What it holds of its own is what it reads and makes, and the pages of the build
that it touches; it keeps nothing when it ends.

It forks only where forking is sound: on Linux, with no other thread running (a thread
could hold a lock the helper would wait on forever). Anywhere else, and for fewer items
than are worth a fork, this process does all the items. A helper that fails (an exception
in the job, a result that cannot be pickled, a helper killed) leaves its share to this
process, which does it again and raises what there is to raise.
"""

from __future__ import annotations

import contextlib
import gc
import os
import pickle
import signal
import sys
import threading
from collections.abc import Callable, Sequence
from typing import Generic, TypeVar

T = TypeVar("T")
R = TypeVar("R")


def fork_available() -> bool:
    """Can this process fork now: on Linux, with no other thread running."""
    return sys.platform.startswith("linux") and threading.active_count() == 1


def spare_cores() -> int:
    """The cores this process may run on, but for its own."""
    try:
        return len(os.sched_getaffinity(0)) - 1
    except (AttributeError, OSError):
        return (os.cpu_count() or 1) - 1


def shares(weights: Sequence[int], count: int) -> list[list[int]]:
    """The indexes of ``weights`` dealt into ``count`` shares of about equal weight: the
    heaviest first, each to the lightest share so far. Each share in index order."""
    dealt: list[list[int]] = [[] for _ in range(count)]
    loads = [0] * count
    for index in sorted(range(len(weights)), key=lambda i: (-weights[i], i)):
        lightest = loads.index(min(loads))
        dealt[lightest].append(index)
        loads[lightest] += weights[index]
    return [sorted(share) for share in dealt]


def shared_map(
    job: Callable[[T], R],
    items: Sequence[T],
    *,
    helpers: int,
    weight: Callable[[T], int] = lambda _: 1,
    at_least: int = 2,
) -> tuple[list[R], list[list[int]]]:
    """``[job(item) for item in items]``, with up to ``helpers`` forked processes doing
    shares of it (no more than there are spare cores), when there are at least
    ``at_least`` items. Returns the results, and the shares (indexes into ``items``) that
    helpers did, one a helper that gave its results."""
    helpers = min(helpers, spare_cores(), len(items) // max(at_least, 1))
    if helpers <= 0 or not fork_available():
        return [job(item) for item in items], []
    dealt = shares([weight(item) for item in items], helpers + 1)
    mine = list(dealt[0])
    started: list[tuple[int, int, list[int]]] = []  # pid, read end, share
    try:
        for share in dealt[1:]:
            helper = _fork(job, items, share)
            if helper is None:  # no process or pipe to be had: this process does it
                mine.extend(share)
            else:
                started.append(helper)
        results: dict[int, R] = {index: job(items[index]) for index in mine}
        given: list[list[int]] = []
        while started:
            # _collect waits for the helper and closes its pipe, whatever happens
            pid, reader, share = started.pop(0)
            theirs: list[R] | None = _collect(pid, reader, len(share))
            if theirs is None:  # the helper failed: its share is done here
                theirs = [job(items[index]) for index in share]
            else:
                given.append(share)
            results.update(zip(share, theirs, strict=True))
    finally:
        for pid, reader, _ in started:  # this process failed or was interrupted
            _end(pid, reader)
    return [results[index] for index in range(len(items))], given


class _Holds:
    """How many holds of garbage collection are in force (``hold_collection``)."""

    def __init__(self) -> None:
        self.count = 0
        self.lock = threading.Lock()


_HOLDS = _Holds()


def hold_collection() -> None:
    """Keep the objects there are now out of garbage collection (``gc.freeze``) until as
    many ``release_collection`` calls: while a forked process shares this one's memory, a
    collection here would write to every object it visits, and each page it writes
    becomes two, one for each process."""
    with _HOLDS.lock:
        _HOLDS.count += 1
        gc.freeze()


def release_collection() -> None:
    """End a ``hold_collection``; after the last, the objects are collected again."""
    with _HOLDS.lock:
        _HOLDS.count -= 1
        if _HOLDS.count == 0:
            gc.unfreeze()


class Pending(Generic[R]):
    """A job a forked helper is doing (``fork_call``); garbage collection is held while
    the helper lives (``hold_collection``)."""

    def __init__(self, pid: int, reader: int) -> None:
        self._helper: tuple[int, int] | None = (pid, reader)
        self._result: R | None = None
        self._lock = threading.Lock()

    def result(self) -> R | None:
        """What the job returned, once the helper has ended; ``None`` when it failed (the
        caller does the job itself)."""
        with self._lock:
            if self._helper is not None:
                pid, reader = self._helper
                self._helper = None
                try:
                    given: list[R] | None = _collect(pid, reader, 1)
                finally:
                    release_collection()
                self._result = given[0] if given is not None else None
            return self._result

    def cancel(self) -> None:
        """Stop the helper: its result is not wanted."""
        with self._lock:
            if self._helper is not None:
                _end(*self._helper)
                self._helper = None
                release_collection()


def fork_call(job: Callable[[], R]) -> Pending[R] | None:
    """``job()`` in a forked helper process, while this process goes on; ``None`` when
    there is no spare core, no fork to be had (``fork_available``) or no process."""
    if spare_cores() < 1 or not fork_available():
        return None
    hold_collection()
    helper = _fork(lambda _: job(), [None], [0])
    if helper is None:
        release_collection()
        return None
    return Pending(helper[0], helper[1])


def _fork(
    job: Callable[[T], R], items: Sequence[T], share: list[int]
) -> tuple[int, int, list[int]] | None:
    """A helper doing ``share``: its pid, the read end of its pipe, the share; ``None``
    when the system gives no pipe or process (too many open files, no memory)."""
    try:
        reader, writer = os.pipe()
    except OSError:
        return None
    try:
        pid = os.fork()
    except OSError:
        os.close(reader)
        os.close(writer)
        return None
    if pid == 0:  # the helper: its share, pickled into the pipe, and gone
        status = 1
        try:
            os.close(reader)
            gc.freeze()  # the build's objects: a collection would touch (and copy) them all
            data = pickle.dumps([job(items[index]) for index in share], pickle.HIGHEST_PROTOCOL)
            with os.fdopen(writer, "wb") as stream:
                stream.write(data)
            status = 0
        finally:
            os._exit(status)  # no atexit, no flush of the build's buffers
    os.close(writer)
    return pid, reader, share


def _collect(pid: int, reader: int, count: int) -> list[R] | None:
    """A helper's results, once it has ended (and been waited for, its pipe closed);
    ``None`` when it failed."""
    try:
        with os.fdopen(reader, "rb") as stream:
            data = stream.read()
    finally:
        _, status = os.waitpid(pid, 0)
    if not os.WIFEXITED(status) or os.WEXITSTATUS(status) != 0:
        return None
    try:
        results = pickle.loads(data)
    except Exception:
        return None
    return results if isinstance(results, list) and len(results) == count else None


def _end(pid: int, reader: int) -> None:
    """Stop a helper whose results are not wanted."""
    with contextlib.suppress(OSError):
        os.kill(pid, signal.SIGKILL)
        os.waitpid(pid, 0)
    with contextlib.suppress(OSError):
        os.close(reader)
