"""Rendering DOT to inline SVG with Graphviz: batched and cached.

Starting ``dot`` costs about 13 ms a process, so every diagram a build still needs goes
to one ``dot`` process, which reads them all from its input and writes one SVG document
each (a graph with clusters, such as the index's, and a big one, such as a phase's of a
few hundred orders, get a process of their own, drawn first). SVG is
cached by a hash of the source, the Graphviz version and the style options, so an
unchanged diagram is never rendered twice."""

from __future__ import annotations

import hashlib
import re
import shutil
import subprocess
import tempfile
import threading
from collections.abc import Iterator, Mapping
from pathlib import Path

from ..textio import read_cache_file

INSTALL_HINT = (
    "Graphviz's 'dot' is not installed: install the system package 'graphviz' "
    "(apt-get install graphviz, brew install graphviz), or set the plugin option "
    "'missing_dot: source' to build with diagrams shown as their source"
)
SOURCE_NOTE = (
    "Graphviz's 'dot' is not installed, so diagrams are shown as their DOT source; "
    "install the system package 'graphviz' (apt-get install graphviz, brew install graphviz)"
)
_CLUSTER = 'subgraph "cluster_'
# ``dot`` keeps what it allocated for a graph until it exits: a batch holding the phase
# diagrams of a 1,000-order repository (67 to 84 kB of DOT each) held 19 MiB of its own
# from the first of them to its end, the batch of the 821 other diagrams 10 MiB. A graph
# this big is drawn first, in a process of its own: its peak is over in a fraction of a
# second, early, and the long batch of small ones runs at the lower figure.
_ALONE = 32 * 1024  # characters of DOT
_PROLOG = re.compile(r"<\?xml[^>]*\?>\s*(?:<!DOCTYPE[^>]*>\s*)?(?:<!--.*?-->\s*)*", re.DOTALL)


class DotMissingError(RuntimeError):
    """``dot`` cannot be run; the message says how to install Graphviz."""


class DotError(RuntimeError):
    """``dot`` refused a source; the message is its first line of complaint."""


class SvgRenderer:
    """Turns DOT sources into SVG fragments, rendering only what the cache lacks."""

    def __init__(self, cache_dir: Path | None, dot: str | None = None, style: str = "") -> None:
        self.cache_dir = cache_dir
        self.dot = dot or shutil.which("dot")
        self.style = style
        self.processes = 0  # how many times dot was started, for tests and reports
        self.rendered = 0  # how many diagrams dot drew
        self._version: str | None = None
        self._memory: dict[str, str] = {}  # SVG by key, without a cache folder

    def version(self) -> str:
        if self._version is None:
            self._version = self._run(["-V"], "").stderr.strip()
        return self._version

    def _run(self, args: list[str], source: str) -> subprocess.CompletedProcess[str]:
        if not self.dot:
            raise DotMissingError(INSTALL_HINT)
        self.processes += 1
        try:
            return subprocess.run(
                [self.dot, *args],
                input=source,
                capture_output=True,
                text=True,
                encoding="utf-8",
                check=False,
            )
        except OSError as exc:
            raise DotMissingError(f"{INSTALL_HINT} ({exc.strerror})") from None

    def _key(self, source: str) -> str:
        digest = hashlib.sha256()
        for part in (self.version(), self.style, source):
            digest.update(part.encode("utf-8"))
            digest.update(b"\0")
        return digest.hexdigest()

    def render(self, sources: list[str]) -> list[str]:
        """One inline SVG fragment per DOT source, in order; DotError when one is refused."""
        keyed = {str(index): source for index, source in enumerate(sources)}
        digests = self.digests(keyed)
        refused = self.prepare(keyed, digests)
        if refused:
            raise DotError(next(iter(refused.values())))
        return [self.drawn(digests[key]) for key in keyed]

    def prepare(
        self, sources: dict[str, str], digests: dict[str, str] | None = None
    ) -> dict[str, str]:
        """Draw, into the cache, every source it lacks; return Graphviz's complaint by key
        for the sources it refuses (the batch first; when that fails, each of its sources
        alone).
        ``digests`` are the sources' cache keys, when the caller has them (``digests``)."""
        if digests is None:
            digests = self.digests(sources)
        missing: dict[str, str] = {}  # one source per hash: a repeated diagram is drawn once
        for key, source in sources.items():
            digest = digests[key]
            if digest not in missing and not self._has(digest):
                missing[digest] = source
        # Graphviz 2.43 lays clusters out in an order that depends on the graphs it drew
        # before in the same process: a graph with clusters gets a process of its own, so
        # that two builds give the same bytes. A big graph gets one too, for memory
        # (``_ALONE``), and is drawn first, while the build that waits for it is smallest.
        groups: list[dict[str, str]] = []
        batch: dict[str, str] = {}
        for k, v in missing.items():
            if _CLUSTER in v or len(v) > _ALONE:
                groups.append({k: v})
            else:
                batch[k] = v
        if batch:
            groups.append(batch)
        complaints: dict[str, str] = {}
        for group in groups:
            try:
                self._draw(group)
            except DotError as exc:
                if len(group) == 1:
                    complaints.update(dict.fromkeys(group, str(exc)))
                    continue
                # which of the batch? each source alone; the other groups go on as they are
                for digest, source in group.items():
                    if not self._has(digest):
                        try:
                            self._draw({digest: source})
                        except DotError as alone_exc:
                            complaints[digest] = str(alone_exc)
        return {key: complaints[digest] for key, digest in digests.items() if digest in complaints}

    def digests(self, sources: dict[str, str]) -> dict[str, str]:
        """Each source's cache key."""
        return {key: self._key(source) for key, source in sources.items()}

    def svg(self, source: str) -> str:
        """The SVG of a source ``prepare`` drew."""
        return self.drawn(self._key(source))

    def drawn(self, key: str) -> str:
        """The SVG ``prepare`` drew for the source with cache key ``key``."""
        if key in self._memory:
            return self._memory[key]
        path = self._path(key)
        assert path is not None  # without a cache folder, SVG stays in memory
        return _inline(read_cache_file(path))

    def render_each(self, sources: dict[str, str]) -> tuple[dict[str, str], dict[str, str]]:
        """SVG by key for the sources Graphviz can draw, and its complaint by key for the
        others."""
        digests = self.digests(sources)
        refused = self.prepare(sources, digests)
        drawn = {key: self.drawn(digests[key]) for key in sources if key not in refused}
        return drawn, refused

    def _draw(self, sources: dict[str, str]) -> None:
        """One ``dot`` process for ``sources``, by their cache keys. dot reads the batch
        from a file and writes each SVG to a file of its own (``-O``: ``batch.dot.svg``,
        ``batch.dot.2.svg``, ...), which is renamed into the cache: the thread that waits
        for it does almost nothing in Python, so it neither holds up the build's own thread
        nor holds the output in memory."""
        if not self.dot:
            raise DotMissingError(INSTALL_HINT)
        keys = list(sources)
        self.processes += 1
        if self.cache_dir is not None:
            self.cache_dir.mkdir(parents=True, exist_ok=True)
        with (
            tempfile.TemporaryDirectory(dir=self.cache_dir, prefix="drawing-") as work,
            tempfile.TemporaryFile() as errors,
        ):
            given = Path(work) / "batch.dot"
            # a source at a time: the joined batch, and its UTF-8, were two more copies of
            # megabytes of DOT, made while the build's own thread converts pages
            with given.open("w", encoding="utf-8") as batch:
                for source in sources.values():
                    batch.write(source)
            try:
                returncode = subprocess.call(
                    [self.dot, "-Tsvg", "-O", str(given)],
                    stdin=subprocess.DEVNULL,
                    stdout=subprocess.DEVNULL,
                    stderr=errors,
                )
            except OSError as exc:
                raise DotMissingError(f"{INSTALL_HINT} ({exc.strerror})") from None
            count = 0
            while (drawn := Path(work) / _output_name(count)).is_file():
                if count < len(keys):
                    self._keep(keys[count], drawn)
                count += 1
            errors.seek(0)
            complaint = errors.read().decode("utf-8", "replace").strip()
        if returncode != 0 or count != len(sources):
            first = (complaint.splitlines() or ["no output"])[0]
            raise DotError(f"Graphviz could not draw a diagram: {first}")

    def _keep(self, key: str, drawn: Path) -> None:
        self.rendered += 1
        path = self._path(key)
        if path is None:
            self._memory[key] = _inline(drawn.read_text(encoding="utf-8"))
        else:
            drawn.replace(path)  # the same folder tree: a rename, atomic

    def _path(self, key: str) -> Path | None:
        return None if self.cache_dir is None else self.cache_dir / f"{key}.svg"

    def _has(self, key: str) -> bool:
        path = self._path(key)
        return key in self._memory or (path is not None and path.is_file())


class BackgroundDrawing(Mapping[str, str]):
    """SVG by key, drawn by ``svg.prepare`` in a thread while the build goes on: ``dot``
    lays out on the second core while Python converts Markdown. Which keys there are is
    known at once; the first SVG read waits for the drawing to end. Each SVG is read from
    the cache when asked for, so a build never holds them all, and the DOT sources are let
    go once drawn. ``ready`` holds SVG drawn before, returned without waiting.

    The thread starts with ``start`` (or the first wait), so that the adapter can fork its
    page workers first: a process forked while another thread runs may inherit a lock
    that thread held."""

    def __init__(
        self, svg: SvgRenderer, sources: dict[str, str], ready: dict[str, str] | None = None
    ) -> None:
        self._svg = svg
        self._sources: dict[str, str] | None = sources
        self._digests: dict[str, str] = {}  # key -> cache key, once drawn
        self._ready = dict(ready or {})
        self._order = [*self._ready, *(key for key in sources if key not in self._ready)]
        self._keys = frozenset(self._order)
        self._refused: dict[str, str] = {}
        self._error: BaseException | None = None
        self._thread = threading.Thread(target=self._run, name="plandocs-dot", daemon=True)
        self._started = False

    def start(self) -> None:
        if not self._started:
            self._started = True
            self._thread.start()

    def _run(self) -> None:
        try:
            assert self._sources is not None
            self._digests = self._svg.digests(self._sources)
            self._refused = self._svg.prepare(self._sources, self._digests)
        except BaseException as exc:  # handed to the build thread by wait()
            self._error = exc
        finally:
            self._sources = None

    def wait(self) -> dict[str, str]:
        """Graphviz's complaint by key for what it refused; what drawing raised is raised
        here."""
        self.start()
        self._thread.join()
        if self._error is not None:
            raise self._error
        return self._refused

    def __getitem__(self, key: str) -> str:
        if key in self._ready:
            return self._ready[key]
        if key in self.wait() or key not in self._digests:
            raise KeyError(key)
        return self._svg.drawn(self._digests[key])

    def __contains__(self, key: object) -> bool:
        return key in self._keys

    def __iter__(self) -> Iterator[str]:
        return iter(self._order)

    def __len__(self) -> int:
        return len(self._order)


def _output_name(index: int) -> str:
    """The file ``dot -O`` writes the ``index``-th graph of ``batch.dot`` to."""
    return "batch.dot.svg" if index == 0 else f"batch.dot.{index + 1}.svg"


def _inline(document: str) -> str:
    """An SVG document as a fragment for a page: no prolog, doctype or comments."""
    return _PROLOG.sub("", document, count=1).strip() + "\n"
