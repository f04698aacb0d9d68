"""Rendering DOT to inline SVG with Graphviz: batched and cached.

Starting ``dot`` is not free, so the diagrams a build still needs go to one ``dot`` process
(a graph with clusters, and a big one, get a process of their own). SVG is cached by a hash
of the source, the Graphviz version and the style, so no diagram is rendered twice.

Bounded and never mixed up: a ``dot`` process runs at most ``timeout`` seconds, a writer's
block is drawn alone, and what dot writes is kept only when it is one SVG a source."""

from __future__ import annotations

import hashlib
import os
import re
import shutil
import subprocess
import tempfile
import threading
from collections.abc import Callable, Collection, Iterable, Iterator, Mapping
from itertools import accumulate, count, takewhile
from pathlib import Path
from subprocess import DEVNULL
from typing import Any, NamedTuple

from plandocs.project.textio import alive, read_cache_file

_INSTALL = "install the system package 'graphviz' (apt-get install graphviz, brew install graphviz)"
INSTALL_HINT = (
    f"Graphviz's 'dot' is not installed: {_INSTALL}, or set the plugin option "
    "'missing_dot: source' to build with diagrams shown as their source"
)
SOURCE_NOTE = (
    f"Graphviz's 'dot' is not installed, so diagrams are shown as their DOT source; {_INSTALL}"
)
_CLUSTER = 'subgraph "cluster_'
# ``dot`` keeps what it allocated for a graph until it exits, so a batch that holds a big
# graph keeps its memory to the end. A graph this big is drawn first, in a process of its
# own: its peak is over early, and the long batch of small ones runs at the lower figure.
_ALONE = 32 * 1024  # characters of DOT
DOT_TIMEOUT = 30.0  # seconds a ``dot`` process may run, unless the caller says (``dot_timeout``)
#: Part of every cache key: a cache written before a key changed what it stands for (SVG
#: of a batch that a block of two graphs had shifted) is not read.
_KEY_FORMAT = "3"  # 3: drawn without reading files (an SVG of 2 may show one)
_WORK = re.compile(r"drawing-([0-9]+)-")  # drawing-<pid of the build>-<random>
_PROLOG = re.compile(r"<\?xml[^>]*\?>\s*(?:<!DOCTYPE[^>]*>\s*)?(?:<!--.*?-->\s*)*", re.DOTALL)
#: Graphviz reads any file a graph names (``image=``, ``shapefile=``, ``<IMG SRC>``) to size
#: its node, and writes its path into the SVG: a writer's ``dot`` block could read files
#: outside the project and publish their paths. Graphviz's own switch for untrusted
#: graphs, ``SERVER_NAME`` set with ``GV_FILE_PATH`` unset, turns file loading off.
_NO_FILES = {"SERVER_NAME": "plandocs"}


class Batch(NamedTuple):
    """A file of DOT sources that one ``dot`` process draws: where it is, each source's
    cache key and length in characters, in the order of the file."""

    path: str
    keys: tuple[str, ...]
    sizes: tuple[int, ...]

    def sources(self) -> dict[str, str]:
        with Path(self.path).open(encoding="utf-8", newline="") as stream:
            text = stream.read()
        ends = accumulate(self.sizes)
        return {
            key: text[end - size : end]
            for key, size, end in zip(self.keys, self.sizes, ends, strict=True)
        }


def _alone(path: Path, digest: str, source: str) -> Batch:
    path.write_text(source, encoding="utf-8", newline="")
    return Batch(str(path), (digest,), (len(source),))


class DotMissingError(RuntimeError):
    """``dot`` cannot be run; the message says how to install Graphviz."""


class DotError(RuntimeError):
    """``dot`` refused a source; the message is its first line of complaint."""


class DotTimeoutError(DotError):
    """``dot`` ran longer than its time limit and was stopped."""


#: ``dot -V``'s answer by the executable file (``_executable``)
_VERSIONS: dict[tuple[str, int, int, int], str] = {}


def _executable(dot: str | None) -> tuple[str, int, int, int] | None:
    """The ``dot`` executable as a file: its path, inode, size and time of change; another
    Graphviz installed in its place is another file."""
    if not dot:
        return None
    try:
        found = os.stat(dot)  # noqa: PTH116  (a string path, as shutil.which gives)
    except OSError:
        return None
    return dot, found.st_ino, found.st_size, found.st_mtime_ns


class SvgRenderer:
    """Turns DOT sources into SVG fragments, rendering only what the cache lacks."""

    def __init__(
        self,
        cache_dir: Path | None,
        dot: str | None = None,
        style: str = "",
        timeout: float = DOT_TIMEOUT,
    ) -> None:
        self.cache_dir, self.style, self.timeout = cache_dir, style, timeout
        self.dot = dot or shutil.which("dot")
        #: the DOT source of each diagram (by cache key) that ``dot`` did not draw in time
        self.timed_out: dict[str, str] = {}
        self._swept = False  # stale work folders removed
        self.processes = 0  # how many times dot was started, for tests and reports
        self.rendered = 0  # how many diagrams dot drew
        self._version: str | None = None
        self._memory: dict[str, str] = {}  # SVG by key, without a cache folder

    def _run(self, *args: str, **options: Any) -> subprocess.CompletedProcess[Any] | None:
        """``dot`` with ``args``; ``None`` when it ran out of time (``run`` has killed it)."""
        if not self.dot:
            raise DotMissingError(INSTALL_HINT)
        self.processes += 1
        try:
            environment = {**os.environ, **_NO_FILES}
            environment.pop("GV_FILE_PATH", None)
            return subprocess.run(
                [self.dot, *args], check=False, timeout=self.timeout, env=environment, **options
            )
        except OSError as exc:
            raise DotMissingError(f"{INSTALL_HINT} ({exc.strerror})") from None
        except subprocess.TimeoutExpired:
            return None

    def version(self) -> str:
        """``dot -V``: part of every cache key; raises ``DotMissingError`` without a ``dot``.
        Asked once a process for the same executable file (``mkdocs serve`` builds again
        and again; starting ``dot`` costs more than the rest of the build's diagrams)."""
        if self._version is None:
            same = _executable(self.dot)
            self._version = _VERSIONS.get(same) if same else None
        if self._version is None:
            ran = self._run("-V", input="", capture_output=True, encoding="utf-8")
            if ran is None:
                raise DotMissingError(
                    f"Graphviz's 'dot' did not answer 'dot -V' within {self.timeout:g} s "
                    "(dot_timeout)"
                )
            self._version = ran.stderr.strip()
            if same:
                _VERSIONS[same] = self._version
        return self._version

    def key(self, source: str) -> str:
        """The cache key of ``source``'s SVG: the same for the same drawing."""
        parts = (_KEY_FORMAT, self.version(), self.style, source)
        return hashlib.sha256("".join(f"{part}\0" for part in parts).encode("utf-8")).hexdigest()

    def render(self, sources: list[str]) -> list[str]:
        """One inline SVG fragment per DOT source, in order; DotError when one is refused."""
        keyed = {str(index): source for index, source in enumerate(sources)}
        digests, refused = self.prepare(keyed)
        if refused:
            raise DotError(next(iter(refused.values())))
        return [self.drawn(digests[key]) for key in keyed]

    def prepare(
        self, sources: Mapping[str, str] | Iterable[tuple[str, str]], *, one_each: bool = False
    ) -> tuple[dict[str, str], dict[str, str]]:
        """Draw, into the cache, every source (by key) it lacks. Returns each source's cache
        key, and Graphviz's complaint by key for the sources it refuses or does not draw in
        time."""
        pairs = sources.items() if isinstance(sources, Mapping) else sources
        with self.work_folder() as work:
            digests, batches = self.write_missing(pairs, work, one_each)
            complaints = self.draw_batches(batches)
        return digests, {
            key: complaints[digest] for key, digest in digests.items() if digest in complaints
        }

    def work_folder(self) -> tempfile.TemporaryDirectory[str]:
        """A folder for batch files and what ``dot`` writes, in the cache folder (so that
        a drawn SVG is renamed into the cache). Its name holds the build's process ID: the
        first one a renderer makes removes those of builds killed before they could."""
        if self.cache_dir is not None:
            self.cache_dir.mkdir(parents=True, exist_ok=True)
            if not self._swept:
                self._swept = True
                remove_stale_work(self.cache_dir)
        return tempfile.TemporaryDirectory(dir=self.cache_dir, prefix=f"drawing-{os.getpid()}-")

    def write_missing(
        self,
        sources: Iterable[tuple[str, str]],
        folder: str,
        one_each: bool = False,
    ) -> tuple[dict[str, str], list[Batch]]:
        """Each source's cache key, and the batch files in ``folder`` of those the cache
        lacks, in drawing order. A source is written as it comes and let go of: the DOT of a
        big repository's diagrams is megabytes.

        Graphviz 2.43 lays clusters out in an order that depends on the graphs it drew
        before in the same process, so a graph with clusters gets a process of its own (two
        builds give the same bytes); a big one too, for memory. The others share a batch,
        drawn last. With ``one_each`` (writers' blocks) every source is alone: a block of two
        graphs in a batch would shift every SVG after it."""
        keys: dict[str, str] = {}
        batches: list[Batch] = []
        wanted: set[str] = set()
        shared = Path(folder) / "batch.dot"
        shared_keys: list[str] = []
        shared_sizes: list[int] = []
        with shared.open("w", encoding="utf-8", newline="") as batch:
            for key, source in sources:
                digest = keys[key] = self.key(source)
                if digest in wanted or self.has(digest):
                    continue
                wanted.add(digest)
                if one_each or _CLUSTER in source or len(source) > _ALONE:
                    batches.append(
                        _alone(Path(folder) / f"alone-{len(batches)}.dot", digest, source)
                    )
                    continue
                batch.write(source)
                shared_keys.append(digest)
                shared_sizes.append(len(source))
        if shared_keys:
            batches.append(Batch(str(shared), tuple(shared_keys), tuple(shared_sizes)))
        return keys, batches

    def draw_batches(self, batches: list[Batch]) -> dict[str, str]:
        """Draw each batch into the cache; Graphviz's complaint by cache key for what it
        refuses or does not draw in time (a batch that fails is drawn again a source at a
        time, to find which). What timed out is kept in ``timed_out``, to be shown."""
        complaints: dict[str, str] = {}
        waiting = list(batches)
        while waiting:
            batch = waiting.pop(0)
            try:
                self._draw(batch)
            except DotError as exc:
                if len(batch.keys) > 1:  # which of the batch? each source alone, first
                    path = Path(batch.path)
                    waiting[:0] = [
                        _alone(path.with_suffix(f".{number}.dot"), digest, source)
                        for number, (digest, source) in enumerate(batch.sources().items())
                    ]
                    continue
                complaints[batch.keys[0]] = str(exc)
                if isinstance(exc, DotTimeoutError):
                    self.timed_out.update(batch.sources())
        return complaints

    def svg(self, source: str) -> str:
        """The SVG of a source ``prepare`` drew."""
        return self.drawn(self.key(source))

    def drawn(self, key: str) -> str:
        """The SVG ``prepare`` drew for the source with cache key ``key``."""
        if key in self._memory:
            return self._memory[key]
        path = self._path(key)
        assert path is not None  # without a cache folder, SVG stays in memory
        return _inline(read_cache_file(path))

    def render_each(self, sources: dict[str, str]) -> tuple[dict[str, str], dict[str, str]]:
        """SVG by key for the sources Graphviz can draw, and its complaint by key for the
        others: writers' sources, each drawn alone (a block may hold several graphs)."""
        digests, refused = self.prepare(sources, one_each=True)
        drawn = {key: self.drawn(digests[key]) for key in sources if key not in refused}
        return drawn, refused

    def _draw(self, batch: Batch) -> None:
        """One ``dot`` process for a batch file. dot writes each SVG to a file of its own
        (``-O``), renamed into the cache: the waiting thread holds neither the GIL nor the
        output. The files are kept only when dot drew the whole batch, one graph a source:
        otherwise none is known to be whose."""
        with tempfile.TemporaryFile() as errors:
            ran = self._run("-Tsvg", "-O", batch.path, stdin=DEVNULL, stdout=DEVNULL, stderr=errors)
            names = (
                Path(f"{batch.path}.{n}.svg" if n > 1 else f"{batch.path}.svg") for n in count(1)
            )
            written = list(takewhile(Path.is_file, names))
            errors.seek(0)
            complaint = errors.read().decode("utf-8", "replace").strip()
        if ran is not None and ran.returncode == 0 and len(written) == len(batch.keys):
            for key, drawn in zip(batch.keys, written, strict=True):
                self._keep(key, drawn)
            return
        for drawn in written:
            drawn.unlink()
        if ran is None:
            raise DotTimeoutError(
                f"Graphviz did not finish drawing within {self.timeout:g} s (dot_timeout)"
            )
        if ran.returncode == 0 and len(batch.keys) == 1:
            raise DotError(
                f"it holds {len(written) or 'no'} graphs, and a block draws one: put each "
                "graph in a block of its own"
            )
        # dot names its work file ("Error: /tmp/.../alone-0.dot: syntax error"): an absolute
        # path of the build machine, another in each build, which the writer never saw
        lines = complaint.replace(f"{batch.path}: ", "").splitlines() or ["no output"]
        # the error, not a warning before it (with files off, "file loading is disabled")
        first = next((line for line in lines if line.startswith("Error")), lines[0])
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

    def has(self, key: str) -> bool:
        path = self._path(key)
        return key in self._memory or (path is not None and path.is_file())


class BackgroundDrawing(Mapping[str, str]):
    """SVG by key, drawn in a thread (``dot`` lays out on the second core while Python
    converts Markdown). The keys are known at once; ``make`` gives the DOT sources, in the
    thread; the first SVG read waits for the drawing, and each is read from the cache when
    asked for, so a build never holds them all. ``ready`` holds SVG drawn before.

    A diagram ``dot`` did not draw in time is ``shown(source)``, when given. ``known`` gives
    each key's cache key, from a build of the same input: nothing is made or drawn.

    ``some`` makes the sources of some keys only: started with ``wanted`` keys (the diagrams
    of the pages a ``mkdocs serve --dirty`` rebuild writes), the thread makes those, and a
    key asked for that is not among them is made and drawn when asked for."""

    def __init__(
        self,
        svg: SvgRenderer,
        keys: Iterable[str],
        make: Callable[[], Iterable[tuple[str, str]]],
        *,
        ready: dict[str, str] | None = None,
        shown: Callable[[str], str] | None = None,
        known: Mapping[str, str] | None = None,
        some: Callable[[Collection[str]], Iterable[tuple[str, str]]] | None = None,
    ) -> None:
        self._svg, self._shown, self._make, self._some = svg, shown, make, some
        self._known = dict(known) if known is not None else None
        self.partial = False  # only the wanted keys were made (``start``)
        self._digests: dict[str, str] = {}  # key -> cache key, once drawn
        self._ready = dict(ready or {})
        self._keys = dict.fromkeys([*self._ready, *keys])  # in order
        self._refused: dict[str, str] = {}
        self._error: BaseException | None = None
        self._thread = threading.Thread(target=self._run, name="plandocs-dot", daemon=True)

    def start(self, wanted: Collection[str] | None = None) -> None:
        if self._thread.ident is None:
            if wanted is not None and self._some is not None and self._known is None:
                some = self._some
                self._make, self.partial = (lambda: some(wanted)), True
            self._thread.start()

    def _run(self) -> None:
        if self._known is not None:
            self._digests = self._known
            return
        try:
            self._digests, self._refused = self._svg.prepare(self._make())
        except BaseException as exc:  # handed to the build thread by wait()
            self._error = exc

    def _made_now(self, key: str) -> str | None:
        """A key the partial drawing did not make (``some``), made and drawn now."""
        if not self.partial or key in self._digests or key not in self._keys:
            return self._digests.get(key)
        assert self._some is not None  # partial
        digests, refused = self._svg.prepare(self._some([key]))
        self._digests.update(digests)
        self._refused.update(refused)
        return self._digests.get(key)

    def wait(self) -> dict[str, str]:
        """Graphviz's complaint by key for what it refused; raises what drawing raised."""
        self.start()
        self._thread.join()
        if self._error is not None:
            raise self._error
        return self._refused

    def digests(self) -> dict[str, str]:
        """Each key's cache key, once drawn."""
        self.wait()
        return dict(self._digests)

    def timed_out(self) -> dict[str, str]:
        """The DOT source of each diagram ``dot`` did not draw in time, by key."""
        self.wait()
        late = self._svg.timed_out
        return {key: late[digest] for key, digest in self._digests.items() if digest in late}

    def __getitem__(self, key: str) -> str:
        if key in self._ready:
            return self._ready[key]
        self.wait()
        digest = self._made_now(key)
        if digest is None:
            raise KeyError(key)
        if key in self._refused:
            source = self._svg.timed_out.get(digest)
            if source is None or self._shown is None:
                raise KeyError(key)
            return self._shown(source)
        return self._svg.drawn(digest)

    def __contains__(self, key: object) -> bool:
        return key in self._keys

    def __iter__(self) -> Iterator[str]:
        return iter(self._keys)

    def __len__(self) -> int:
        return len(self._keys)


def remove_stale_work(cache_dir: Path) -> None:
    """Remove the work folders in ``cache_dir`` of builds that are gone. A running build's
    folder is left alone; one named without a process ID is from an older plandocs."""
    for folder in cache_dir.glob("drawing-*"):
        match = _WORK.match(folder.name)
        if match is None or not alive(int(match.group(1))):
            shutil.rmtree(folder, ignore_errors=True)


def _inline(document: str) -> str:
    """An SVG document as a fragment for a page: no prolog, doctype or comments."""
    return _PROLOG.sub("", document, count=1).strip() + "\n"
