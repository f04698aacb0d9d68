"""Rendering DOT to inline SVG with Graphviz: batched and cached.

Starting ``dot`` costs about 13 ms a process, so every diagram a build still needs goes
to one ``dot`` process, which reads them all from its input and writes one SVG document
each (a graph with clusters, such as the index's, gets a process of its own). SVG is
cached by a hash of the source, the Graphviz version and the style options, so an
unchanged diagram is never rendered twice."""

from __future__ import annotations

import hashlib
import re
import shutil
import subprocess
from pathlib import Path

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
        """One inline SVG fragment per DOT source, in order."""
        keys = [self._key(source) for source in sources]
        found: dict[str, str] = {}
        missing: dict[str, str] = {}
        for key, source in zip(keys, sources, strict=True):
            cached = self._cached(key)
            if cached is not None:
                found[key] = cached
            else:
                missing.setdefault(key, source)
        # Graphviz 2.43 lays clusters out in an order that depends on the graphs it drew
        # before in the same process: a graph with clusters gets a process of its own, so
        # that two builds give the same bytes.
        batch = {k: v for k, v in missing.items() if _CLUSTER not in v}
        groups = [batch] if batch else []
        groups.extend({k: v} for k, v in missing.items() if _CLUSTER in v)
        for group in groups:
            found.update(self._draw(group))
        return [found[key] for key in keys]

    def render_each(self, sources: dict[str, str]) -> tuple[dict[str, str], dict[str, str]]:
        """SVG by key for the sources Graphviz can draw, and its complaint by key for the
        others: a batch first; when that fails, each source alone."""
        try:
            return dict(zip(sources, self.render(list(sources.values())), strict=True)), {}
        except DotError:
            pass
        drawn, refused = {}, {}
        for key, source in sources.items():
            try:
                drawn[key] = self.render([source])[0]
            except DotError as exc:
                refused[key] = str(exc)
        return drawn, refused

    def _draw(self, sources: dict[str, str]) -> dict[str, str]:
        result = self._run(["-Tsvg"], "".join(sources.values()))
        documents = [d for d in re.split(r"(?=<\?xml )", result.stdout) if d.strip()]
        if result.returncode != 0 or len(documents) != len(sources):
            complaint = (result.stderr.strip().splitlines() or ["no output"])[0]
            raise DotError(f"Graphviz could not draw a diagram: {complaint}")
        self.rendered += len(documents)
        drawn = {}
        for key, document in zip(sources, documents, strict=True):
            drawn[key] = _inline(document)
            self._store(key, drawn[key])
        return drawn

    def _path(self, key: str) -> Path | None:
        return None if self.cache_dir is None else self.cache_dir / f"{key}.svg"

    def _cached(self, key: str) -> str | None:
        path = self._path(key)
        if path is None or not path.is_file():
            return None
        return path.read_text(encoding="utf-8")

    def _store(self, key: str, svg: str) -> None:
        path = self._path(key)
        if path is None:
            return
        path.parent.mkdir(parents=True, exist_ok=True)
        temporary = path.with_suffix(".tmp")
        temporary.write_text(svg, encoding="utf-8")
        temporary.replace(path)


def _inline(document: str) -> str:
    """An SVG document as a fragment for a page: no prolog, doctype or comments."""
    return _PROLOG.sub("", document, count=1).strip() + "\n"
