"""Pages converted by worker processes beside the build (part of the MkDocs adapter).

MkDocs converts every page's Markdown one after another in one process, so a cold build
(CI, a first ``mkdocs serve``) leaves every core but one idle, and Markdown is the biggest
part of it. After ``on_nav`` the adapter forks workers. The build takes pages in MkDocs'
own order; the workers take the biggest pages no one has taken (a page's conversion time
grows with its length, and ending on small pages ends the two sides together). Each page
is taken once, under one lock; when the build reaches a page a worker took, it waits for
that page's record.

A worker runs the page hooks the build runs before conversion (``on_pre_page``,
``on_page_read_source``, ``on_page_markdown``), converts, and sends the key and the page
cache's record of the page; it says nothing (its output goes to /dev/null) and changes
nothing the build sees. The build still runs every hook itself; it takes a worker's record
only when its own key for the page is the same, through the page cache, which checks the
record as it checks its own. So a worker can make a page cheaper and never different. A
page that logged something while a worker converted it has no record: the build converts
it again, and says what it has to say.

Workers start only where ``fork`` is the way to start them (Linux), when the build process
runs no other thread, and when no other plugin has those page hooks (what such a hook
does in a worker, it would do twice).
"""

from __future__ import annotations

import contextlib
import multiprocessing
import os
import sys
import threading
from collections.abc import Callable, Sequence
from multiprocessing.connection import Connection, wait
from typing import Any

#: what a worker sends for a page (None: the build does the page itself)
Result = Any
#: what a worker does with page ``index``
Job = Callable[[int], Result]
_NOBODY, _BUILD, _WORKER = 0, 1, 2  # who took a page


def available() -> bool:
    """Can this process fork workers now: on Linux, with no other thread running."""
    return sys.platform.startswith("linux") and threading.active_count() == 1


def default_count() -> int:
    """One less than the CPUs this process may use, at most 3: each worker holds a copy of
    what the build holds, so more would cost memory for little time."""
    try:
        cpus = len(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        cpus = os.cpu_count() or 1
    return max(0, min(cpus - 1, 3))


class PageWorkers:
    """Workers converting the pages ``uris`` (in the order the build converts them) with
    ``job``, forked when made; each calls ``setup`` first, then takes pages in the order
    ``take`` gives (indexes into ``uris``; by default from the last)."""

    def __init__(
        self,
        uris: Sequence[str],
        job: Job,
        count: int,
        *,
        take: Sequence[int] | None = None,
        setup: Callable[[], None] = lambda: None,
    ) -> None:
        context = multiprocessing.get_context("fork")
        self._index = {uri: index for index, uri in enumerate(uris)}
        order = list(range(len(uris) - 1, -1, -1) if take is None else take)
        # who took each page: nobody yet (0), the build (1), a worker (2)
        self._taken = context.RawArray("b", len(uris))
        self._lock = context.Lock()
        self._results: dict[int, Result] = {}
        self._arrived = threading.Condition()
        self._finished = False
        self.done = 0  # pages whose result the build took from a worker
        self.processes: list[Any] = []
        readers: list[Connection] = []
        for number in range(count):
            reader, writer = context.Pipe(duplex=False)
            process = context.Process(
                target=_work,
                args=(setup, job),
                kwargs={"order": order, "taken": self._taken, "lock": self._lock, "writer": writer},
                name=f"plandocs-pages-{number + 1}",
                daemon=True,  # a build that fails does not wait for them
            )
            process.start()
            writer.close()  # the worker's end: the reader sees the end of it when it exits
            self.processes.append(process)
            readers.append(reader)
        # started after the forks, so no worker inherits it
        self._reader = threading.Thread(
            target=self._receive, args=(readers,), name="plandocs-pages", daemon=True
        )
        self._reader.start()

    def _receive(self, readers: list[Connection]) -> None:
        while readers:
            for reader in wait(readers):
                assert isinstance(reader, Connection)
                try:
                    index, result = reader.recv()
                except (EOFError, OSError):  # the worker is done, or died
                    readers.remove(reader)
                    reader.close()
                    continue
                with self._arrived:
                    self._results[index] = result
                    self._arrived.notify_all()
        with self._arrived:
            self._finished = True
            self._arrived.notify_all()

    def result(self, uri: str) -> Result:
        """What a worker made of page ``uri``, waiting for it if a worker took the page;
        ``None`` when the build is to convert it (it takes the page from the front)."""
        index = self._index.get(uri)
        if index is None:
            return None
        with self._lock:
            taken = self._taken[index] == _WORKER
            if not taken:
                self._taken[index] = _BUILD
        if not taken:
            return None
        with self._arrived:
            while index not in self._results and not self._finished:
                self._arrived.wait()
            result = self._results.pop(index, None)
        if result is not None:
            self.done += 1
        return result

    def close(self) -> None:
        """Take every page not yet taken, so the workers stop after the one they convert,
        and wait for them."""
        with self._lock:
            for index, taker in enumerate(self._taken):
                if taker == _NOBODY:
                    self._taken[index] = _BUILD
        for process in self.processes:
            process.join(timeout=30)
            if process.is_alive():
                process.kill()
                process.join()
        self._reader.join(timeout=30)
        self._results.clear()


def _work(
    setup: Callable[[], None],
    job: Job,
    *,
    order: Sequence[int],
    taken: Any,
    lock: Any,
    writer: Connection,
) -> None:
    """A worker: the next page in ``order`` that no one took, until there is none."""
    devnull = os.open(os.devnull, os.O_WRONLY)
    for stream in (1, 2):  # a worker says nothing: the build says what there is to say
        os.dup2(devnull, stream)
    try:
        setup()
    except Exception:  # the build converts every page itself
        writer.close()
        return
    for index in order:
        with lock:
            if taken[index] != _NOBODY:
                continue
            taken[index] = _WORKER
        result: Result = None
        with contextlib.suppress(Exception):  # the build converts it, and reports
            result = job(index)
        try:
            writer.send((index, result))
        except (OSError, ValueError):  # the build is gone
            break
    writer.close()
