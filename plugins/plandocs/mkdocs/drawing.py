"""The build's diagrams: the writers' ``dot`` blocks at once, the planning graph's in the
background while pages convert, waited for once before the first page is written."""

from __future__ import annotations

from collections.abc import Callable, Collection
from pathlib import Path

from mkdocs.exceptions import PluginError
from mkdocs.plugins import get_plugin_logger

from plandocs.cache.diagrams import DiagramIndex, diagrams_made_from
from plandocs.core import diagnostics as diag
from plandocs.core.diagram.fences import dot_blocks
from plandocs.graphviz.render import SOURCE_NOTE, BackgroundDrawing, DotMissingError, SvgRenderer
from plandocs.project.load import Project
from plandocs.render.pages import Renderer, source_folded

log = get_plugin_logger(__name__)


def _cache_unusable(exc: OSError) -> PluginError:
    """The SVG cache's folder cannot be made or written: one line, not a traceback."""
    return PluginError(f"plandocs: the diagram cache cannot be used: {exc}")


class Drawing:
    """The planning graph's diagrams, drawn by ``dot`` in the background."""

    def __init__(
        self, background: BackgroundDrawing, svg: SvgRenderer, total: int, index: DiagramIndex
    ) -> None:
        self.background, self.svg, self.total, self.index = background, svg, total, index
        self.waited = False
        self.reported: set[str] = set()  # the diagrams reported as not drawn in time

    @classmethod
    def make(
        cls,
        project: Project,
        renderer: Renderer,
        options: dict[str, object],
        root: Path,
        config_name: str,
        *,
        index: Path,
    ) -> Drawing | None:
        """Draw the writers' ``dot`` blocks (one Graphviz cannot draw is reported and stays
        as code), and make ready to draw the planning graph's (``start``); ``None`` without
        Graphviz and ``missing_dot: source`` (each diagram is then shown as its DOT source).
        ``index`` keeps which SVG each diagram had (``cache.diagrams``)."""
        blocks = {
            block.key: (doc.path, block)
            for doc in project.docs.values()
            for block in dot_blocks(doc.text.split("\n"))
        }
        timeout = options["dot_timeout"]
        if not isinstance(timeout, (int, float)) or timeout <= 0:
            raise PluginError(f"plandocs: dot_timeout must be more than 0 seconds, not {timeout}")
        svg = SvgRenderer(root / ".cache" / "plandocs", timeout=timeout)
        try:
            svg.version()  # is there a `dot` at all
            drawn, refused = svg.render_each({key: b.source for key, (_, b) in blocks.items()})
        except OSError as exc:
            raise _cache_unusable(exc) from None
        except DotMissingError as exc:
            if options["missing_dot"] != "source":
                raise PluginError(f"plandocs: {exc}") from None
            renderer.show_sources(renderer.diagram_sources())
            project.report([diag.make(diag.DOT_MISSING, config_name, 0, SOURCE_NOTE)])
            renderer.diagnostics = tuple(project.diagnostics)
            return None
        keys = renderer.diagram_keys()
        made_from = (project.docs.values(), renderer.settings, renderer.urls)
        diagrams = DiagramIndex(index, diagrams_made_from(*made_from, (svg.version(), svg.style)))
        background = BackgroundDrawing(
            svg,
            keys,
            renderer.each_diagram_source,
            ready=drawn,
            shown=lambda source: source_folded(source, "Graphviz took too long to draw it"),
            known=diagrams.known(keys, svg.has),
            some=renderer.each_diagram_source,
        )
        renderer.diagrams = background
        project.report(
            diag.make(
                diag.BAD_DIAGRAM, path, block.start + 1, f"{refused[key]}; fix the dot source"
            )
            for key, (path, block) in blocks.items()
            if key in refused
        )
        renderer.diagnostics = tuple(project.diagnostics)  # the overview lists these too
        return cls(background, svg, len(keys) + len(blocks), diagrams)

    def start(self, wanted: Collection[str] | None = None) -> None:
        """Draw while pages convert, from the moment the build has let go of what it read
        (``dot``'s biggest graph is its peak); only the ``wanted`` diagrams, when given
        (the others are made if a page asks for one)."""
        self.background.start(wanted)

    def wait(self, config_name: str, report: Callable[[diag.Diagnostic], None]) -> None:
        """Wait for the background drawing (once: every page asks); report what ``dot`` did
        not draw in time."""
        if self.waited:
            return
        self.waited = True
        try:
            refused = self.background.wait()
        except DotMissingError as exc:  # `dot` answered -V, then went away
            raise PluginError(f"plandocs: {exc}") from None
        except OSError as exc:
            raise _cache_unusable(exc) from None
        svg = self.svg
        log.debug(
            "diagrams: %d, %d drawn by Graphviz in %d processes, the others from the cache",
            *(self.total, svg.rendered, svg.processes),
        )
        late = self._report_late(config_name, report)
        refused = {key: why for key, why in refused.items() if key not in late}
        if refused:  # plandocs wrote DOT that Graphviz refuses: a bug, not the writer's
            key = sorted(refused)[0]
            raise PluginError(f"plandocs: the diagram {key}: {refused[key]}")
        if not late and not self.background.partial:
            self.index.store(self.background.digests())

    def end(self, config_name: str, report: Callable[[diag.Diagnostic], None]) -> None:
        """At the build's end: wait, if no page did, and report each diagram drawn when a page
        asked for it (``mkdocs serve --dirty`` draws so those no rebuilt page was planned to
        show) that ``dot`` did not draw in time."""
        self.wait(config_name, report)
        if self.background.partial:  # a whole drawing draws nothing on demand
            self._report_late(config_name, report)

    def _report_late(self, config_name: str, report: Callable[[diag.Diagnostic], None]) -> set[str]:
        """Report each diagram ``dot`` did not draw in time and no call reported yet; all
        such keys so far."""
        late = set(self.background.timed_out())
        for key in sorted(late - self.reported):  # shown as its source (BackgroundDrawing)
            note = (
                f"the diagram {key} is shown as its DOT source: Graphviz did not draw it within "
                f"{self.svg.timeout:g} s (raise dot_timeout, or lower diagram_limit)"
            )
            report(diag.make(diag.BAD_DIAGRAM, config_name, 0, note))
        self.reported |= late
        return late
