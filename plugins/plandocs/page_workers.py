"""Pages worked on by processes beside the build (part of the MkDocs adapter).

MkDocs converts and writes every page one after another in one process, so a cold build
(CI, a first ``mkdocs serve``) leaves every core but one idle. The adapter forks workers
twice a build, each time with a job that gives the same result in any process:

- after ``on_nav``, to convert pages (``PageCache.worker_record``): a worker runs the page
  hooks the build runs before conversion (``on_pre_page``, ``on_page_read_source``,
  ``on_page_markdown``), converts, and sends the key and the page cache's record. The
  build still runs every hook itself, and takes a record only when its own key for the
  page is the same, checked as the cache checks its own records.
- after ``on_env``, to make what ``on_post_page`` puts in each page (``Renderer.prepare``:
  cards, tables, diagrams and links); the build only puts it in.

The build goes through the pages in MkDocs' own order; each page is taken once, by the build
or by a worker, under one lock, and when the build comes to a page a worker took, it waits
for that page's result. Converting workers take the biggest pages first (conversion time
grows with a page's length, and ending on small pages ends the two sides together); the
pages' records are what the build keeps for every page anyway. Finishing workers stay at
most ``lead`` pages ahead of the build, because what they send is held until the build
comes to that page, and a page's cards and diagrams are what the build otherwise never
holds for more than one page at a time.

A worker says nothing (its output goes to /dev/null): a page that logged something while a
worker converted it has no record, and the build converts it again and says what it has
to say. A job that fails leaves its page to the build; a worker that dies leaves its pages
to the build. Workers start only where ``fork`` is the way to start them (Linux) and when
the build runs no other thread; converting workers also only when no other plugin has
those page hooks (what such a hook does in a worker, it would do twice).
"""

from __future__ import annotations

import contextlib
import multiprocessing
import os
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from multiprocessing.connection import Connection, wait
from typing import TYPE_CHECKING, Any

from mkdocs.structure.pages import Page

from plandocs.cache.records import RecordStore
from plandocs.graphviz.parallel import hold_collection, release_collection

if TYPE_CHECKING:
    from mkdocs.config.defaults import MkDocsConfig
    from mkdocs.structure.files import File, Files

    from plandocs.cache.fragments import Report
    from plandocs.cache.pages import PageCache
    from plandocs.render.pages import Renderer

#: what a worker sends for a page (None: the build does the page itself)
Result = Any
#: what a worker does with page ``index``
Job = Callable[[int], Result]
_NOBODY, _BUILD, _WORKER = 0, 1, 2  # who took a page: worker n (from 0) marks _WORKER + n
_WAIT = 0.002  # seconds a worker that is far enough ahead of the build waits


class PageWorkers:
    """Workers doing ``job`` for the pages ``uris`` (in the order the build goes through
    them), forked when made; each calls ``setup`` first. Workers take the pages in the
    order ``take`` gives (indexes into ``uris``; by default from the last). With ``lead``,
    they take those of ``take`` (by default none), then the first page no one took after
    the build's, at most ``lead`` ahead of it."""

    def __init__(
        self,
        uris: Sequence[str],
        job: Job,
        count: int,
        *,
        take: Sequence[int] | None = None,
        lead: int | None = None,
        setup: Callable[[], None] = lambda: None,
        stores: Sequence[RecordStore] = (),
    ) -> None:
        context = multiprocessing.get_context("fork")
        self._index = {uri: index for index, uri in enumerate(uris)}
        shared = _Shared(
            # who took each page: nobody yet, the build or a worker
            taken=context.RawArray("b", len(uris)),
            at=context.RawValue("q", -1),  # the page the build is at
            lock=context.Lock(),
            order=_order(len(uris), take, lead),
            lead=lead,
        )
        self._shared = shared
        self._results: dict[int, Result] = {}
        self._readers: dict[Connection, int] = {}  # each open pipe, and its worker's mark
        self.done = 0  # pages whose result the build took from a worker
        self.processes: list[Any] = []
        self._holding = False  # garbage collection held for the workers (hold_collection)
        # What the build holds now stays shared with the workers only while neither side
        # writes to its pages, and a garbage collection writes to every object it visits:
        # the objects of now are left out of collections until the workers are done.
        hold_collection()
        self._holding = True
        # SQLite must not see a connection cross a fork: the build's stores write what
        # they hold and close (they open again when next used), and workers open their own
        for store in stores:
            store.close()
        for number in range(count):
            reader, writer = context.Pipe(duplex=False)
            mark = _WORKER + number  # what this worker writes in `taken`
            process = context.Process(
                target=_work,
                args=(setup, job, shared, writer, mark),
                name=f"plandocs-pages-{number + 1}",
                daemon=True,  # a build that fails does not wait for them
            )
            try:
                process.start()
            except OSError:  # no process to be had now: the build does the pages
                reader.close()
                writer.close()
                break
            writer.close()  # the worker's end: the reader sees the end of it when it exits
            self.processes.append(process)
            self._readers[reader] = mark

    def _receive(self, *, block: bool) -> None:
        """Take in what the workers sent; with ``block``, wait until one sends something
        or ends. The build's own thread reads, so that what it takes in is in the memory
        it frees into (a reader thread's allocations stayed resident apart)."""
        ready = wait(list(self._readers), None if block else 0)
        while ready:
            for reader in ready:
                assert isinstance(reader, Connection)
                try:
                    index, result = reader.recv()
                except (EOFError, OSError):  # the worker is done, or died
                    del self._readers[reader]
                    reader.close()
                    continue
                self._results[index] = result
            ready = wait(list(self._readers), 0) if self._readers else []

    def result(self, uri: str) -> Result:
        """What a worker made of page ``uri``, waiting for it if a worker took the page;
        ``None`` when the build is to do the page itself (no worker took it, so the build
        has now; or the worker could not do it, or died)."""
        index = self._index.get(uri)
        if index is None:
            return None
        shared = self._shared
        with shared.lock:
            shared.at.value = index
            taker = shared.taken[index]
            if taker == _NOBODY:
                shared.taken[index] = _BUILD
        if self._readers:
            self._receive(block=False)  # a worker whose pipe is full waits for this
        if taker < _WORKER:
            return None
        # wait for the worker that took the page, as long as it is there
        while index not in self._results and taker in self._readers.values():
            self._receive(block=True)
        result = self._results.pop(index, None)
        if result is not None:
            self.done += 1
        return result

    def close(self) -> None:
        """Take every page not yet taken, so the workers stop after the one they are on,
        and wait for them."""
        shared = self._shared
        with shared.lock:
            for index, taker in enumerate(shared.taken):
                if taker == _NOBODY:
                    shared.taken[index] = _BUILD
        while self._readers:  # a worker ends once what it sends is read
            self._receive(block=True)
        self.abandon()

    def abandon(self) -> None:
        """End the workers now (a build that failed), and let go of what they sent."""
        for process in self.processes:
            # after close() read everything, a worker is ending; after a failure, not
            process.join(timeout=30 if not self._readers else 0)
            if process.is_alive():
                process.kill()
                process.join()
        for reader in self._readers:
            reader.close()
        self._readers.clear()
        self._results.clear()
        if self._holding:
            self._holding = False
            release_collection()


def _order(pages: int, take: Sequence[int] | None, lead: int | None) -> list[int]:
    """The pages workers take first: ``take``; by default, without a lead, all of them
    from the last, and with one, none."""
    if take is not None:
        return list(take)
    return [] if lead is not None else list(range(pages - 1, -1, -1))


@dataclass
class _Shared:
    """What the build and its workers share: who took each page, where the build is."""

    taken: Any
    at: Any
    lock: Any
    order: list[int]
    lead: int | None
    cursor: int = 0

    def next_page(self, mark: int) -> int | None:
        """The page a worker takes next, now taken; ``None`` when there is none left. With
        ``lead``, the pages of ``order`` first, then the first page free after the build's,
        waiting while it is too far ahead of the build."""
        # each worker has its own copy of `cursor`: the pages before it are taken
        while self.cursor < len(self.order):
            index = self.order[self.cursor]
            self.cursor += 1
            with self.lock:
                if self.taken[index] == _NOBODY:
                    self.taken[index] = mark
                    return index
        if self.lead is None:
            return None
        while True:
            with self.lock:
                at = int(self.at.value)
                first = next(
                    (i for i in range(at + 1, len(self.taken)) if self.taken[i] == _NOBODY), None
                )
                if first is None:
                    return None
                if first <= at + self.lead:
                    self.taken[first] = mark
                    return first
            time.sleep(_WAIT)


def _work(
    setup: Callable[[], None], job: Job, shared: _Shared, writer: Connection, mark: int
) -> None:
    """A worker: the next page no one took, until there is none; it marks the pages it
    takes with ``mark``."""
    devnull = os.open(os.devnull, os.O_WRONLY)
    for stream in (1, 2):  # a worker says nothing: the build says what there is to say
        os.dup2(devnull, stream)
    try:
        setup()
    except Exception:  # the build does every page itself
        writer.close()
        return
    while (index := shared.next_page(mark)) is not None:
        result: Result = None
        with contextlib.suppress(Exception):  # the build does it, and reports
            result = job(index)
        try:
            writer.send((index, result))
        except (OSError, ValueError):  # the build is gone
            break
    writer.close()


# -- the two kinds of workers of a build -----------------------------------------------------
def converting(
    pages: Sequence[File],
    config: MkDocsConfig,
    files: Files,
    cache: PageCache,
    renderer: Renderer | None,
    *,
    sizes: Mapping[str, int],
    count: int,
) -> PageWorkers:
    """Workers converting ``pages`` (MkDocs' list) into ``cache``'s records, the biggest
    pages first (``sizes``: a page's Markdown length by URI)."""

    def setup() -> None:
        cache.in_worker()
        if renderer is not None:  # a fragment needs no rendering before conversion
            _inherited.append(renderer.fragment_cache)
            renderer.fragment_cache = None

    def job(index: int) -> tuple[str, str | None]:
        file = pages[index]
        page = file.page if file.page is not None else Page(None, file, config)
        config._current_page = page  # as MkDocs' own _populate_page does
        page = config.plugins.on_pre_page(page, config=config, files=files)
        page.read_source(config)
        assert page.markdown is not None
        page.markdown = config.plugins.on_page_markdown(
            page.markdown, page=page, config=config, files=files
        )
        try:
            return cache.worker_record(page, config, files)
        finally:  # the record goes to the build: the worker keeps nothing of the page
            page.markdown = page.content = None

    uris = [file.src_uri for file in pages]
    # the biggest first, from the back of the list when sizes are equal
    take = sorted(range(len(uris)), key=lambda i: (-sizes.get(uris[i], 0), -i))
    stores = [cache.store]
    if renderer is not None and renderer.fragment_cache is not None:
        stores.append(renderer.fragment_cache.store)
    return PageWorkers(uris, job, count, take=take, setup=setup, stores=stores)


def finishing(pages: Sequence[File], renderer: Renderer, *, lead: int, count: int) -> PageWorkers:
    """Workers making what the build puts in each page once it is written (cards, tables,
    diagrams, links: ``Renderer.prepare``), at most ``lead`` pages ahead of the build; each
    result comes with what the worker's fragment cache did, for the build's to ``merge``."""
    cache = renderer.fragment_cache

    def job(index: int) -> tuple[dict[tuple[str, int], str], Report | None] | None:
        file = pages[index]
        if file.page is None or file.page.content is None:
            return None
        ready = renderer.prepare(file.page.content, file.src_uri)
        return ready, cache.report() if cache is not None else None

    setup = cache.in_worker if cache is not None else (lambda: None)
    uris = [file.src_uri for file in pages]
    # A table of most orders renders every row (the other tables reuse them): it is made
    # first, or the build, come to its page, would wait for it.
    orders = len(renderer.graph.orders)
    first = [i for i, uri in enumerate(uris) if renderer.table_rows.get(uri, 0) * 2 > orders]
    stores = [cache.store] if cache is not None else []
    return PageWorkers(uris, job, count, take=first, lead=lead, setup=setup, stores=stores)


def other_page_hook(config: MkDocsConfig, mine: object) -> str | None:
    """The first plugin but ``mine`` that a converting worker would run before conversion."""
    names: dict[int, str] = {id(plugin): name for name, plugin in config.plugins.items()}
    for event in ("pre_page", "page_read_source", "page_markdown"):
        for method in config.plugins.events[event]:
            owner = getattr(method, "__self__", None)
            if owner is not mine:
                return names.get(id(owner), str(getattr(method, "__qualname__", method)))
    return None


#: objects a worker inherited and must not free: their SQLite connections are the build's
_inherited: list[Any] = []
