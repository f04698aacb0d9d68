"""The garbage collector under ``mkdocs serve --dirty``: off while a rebuild runs, one pass
once the served page has been shown.

A rebuild keeps most of what it makes until it ends (the graph, its views, the pages), so
each of the collector's automatic passes walks all of it again (bench/README.md). Off
during the rebuild, the collector owes one pass over what the rebuild left, which runs on a
timer, half a second after the rebuild ends: by then the open tab has reloaded. A rebuild
that starts before the timer fires (or after one whose end was never reported) makes that
pass first, so memory never holds more than one rebuild's garbage. A rebuild of many
pages turns the collector on again (``resume``): each page leaves garbage, and the
collector's passes cost little beside the pages."""

from __future__ import annotations

import gc
import threading

#: seconds from a rebuild's end to the pass it owes: the tab's reload comes first
DELAY = 0.5


class IdleCollector:
    def __init__(self, delay: float = DELAY) -> None:
        self.delay = delay
        self._lock = threading.Lock()
        self._off = False  # this object turned the collector off, and not on again yet
        self._turn = 0  # which rebuild's timer may run the pass (a later rebuild's cancels it)

    def pause(self) -> None:
        """A rebuild starts, and the collector is off until it ends (unless something else
        turned it off: it is then left alone). Still off from an earlier rebuild (its timer
        has not fired, or its end was never reported), it makes that rebuild's pass first."""
        with self._lock:
            self._turn += 1
            if self._off:
                gc.collect()
            elif gc.isenabled():
                gc.disable()
                self._off = True

    def resume(self) -> None:
        """The collector on again now, for a rebuild that makes a lot of garbage: its
        automatic passes collect it, and the rebuild's end owes none."""
        with self._lock:
            if self._off:
                gc.enable()
                self._off = False

    def resume_later(self) -> None:
        """A rebuild ended, or stopped: the pass it owes runs after ``delay``, then the
        collector is on again."""
        with self._lock:
            if not self._off:
                return
            timer = threading.Timer(self.delay, self._collect, args=(self._turn,))
        timer.daemon = True  # a server stopped does not wait for it
        timer.start()

    def _collect(self, turn: int) -> None:
        with self._lock:
            # a rebuild started since (it makes the pass), or the pass was made
            if turn != self._turn or not self._off:
                return
            gc.collect()
            gc.enable()
            self._off = False
