"""What plandocs adds to a site's pages, for one build, from the sealed graph.

``Renderer`` is the one object the adapter talks to. It decorates a page's Markdown (cards,
anchors, diagrams, cross-links, "Referenced by") and renders the generated pages; the work
is done by the parts named for what they render: ``cards``, ``tables``, ``generated``,
``diagrams``, ``summaries``, and ``tokens`` for what stands in a page until it is finished.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable, Collection, Iterable, Iterator, Mapping
from datetime import date
from functools import partial
from pathlib import Path
from typing import Any

from jinja2 import Environment
from markupsafe import Markup, escape

from plandocs.core.diagnostics import Diagnostic, Level
from plandocs.core.diagram.dot import to_dot
from plandocs.core.diagram.planning import emphasis
from plandocs.core.graph import PlanningGraph
from plandocs.core.links import References, anchor_tasks, build_index, link_references
from plandocs.core.schedule import Schedule, schedule
from plandocs.core.settings import Settings
from plandocs.core.urls import SiteUrls
from plandocs.project.history import Changes
from plandocs.render.cards import Cards, permalink_line
from plandocs.render.diagrams import (
    diagram_models,
    diagram_page,
    draw_blocks,
    draw_trees,
    framed,
    source_folded,
)
from plandocs.render.generated import GeneratedPage, GeneratedPages, generated_uris
from plandocs.render.jinja import FragmentStore, RenderError, Templates
from plandocs.render.summaries import decorate_summary
from plandocs.render.tables import Tables
from plandocs.render.tokens import Placeholders, Tokens
from plandocs.render.views import Views

__all__ = ["GeneratedPage", "RenderError", "Renderer", "generated_uris", "source_folded"]

_H1 = re.compile(r"^#[ \t]+\S")
# A numbered ADR's heading ("17. Title", "ADR 6: Title"): the number the tab's ID says.
_ADR_NUMBER = re.compile(r"^\s*(?:ADR[-\s]?)?[0-9]+\s*[.:]\s*", re.IGNORECASE)


def _insert_after_title(markdown: str, html: str) -> str:
    """Put ``html`` after the page's leading ``# Title`` (or at the top when there is none)."""
    lines = markdown.split("\n")
    first = next((i for i, line in enumerate(lines) if line.strip()), None)
    block = ["", html.strip(), ""]
    if first is not None and _H1.match(lines[first]):
        return "\n".join([*lines[: first + 1], *block, *lines[first + 1 :]])
    return "\n".join([*block, *lines])


class Renderer:
    def __init__(
        self,
        graph: PlanningGraph,
        settings: Settings,
        urls: SiteUrls,
        *,
        templates_dir: str | None = None,
        diagnostics: Iterable[Diagnostic] = (),
        references: References | None = None,
        fragment_cache: Callable[[Environment], FragmentStore] | None = None,
        bytecode_cache: Path | None = None,
        rows_before: Mapping[str, dict[str, Any]] | None = None,
    ) -> None:
        self.graph, self.settings, self.urls = graph, settings, urls
        #: this build's placeholders, with a secret of their own
        self.tokens = Tokens()
        self.templates = Templates(urls, templates_dir, fragment_cache, bytecode_cache)
        self.env = self.templates.env
        self.marks = Placeholders(self.tokens, urls)
        # a template's own fragment, put in when the page is finished: ``{{ late(html) }}``
        self.env.globals["late"] = lambda html: Markup(f"\n\n{self.marks.late(html)}\n\n")
        self.views = Views(graph, settings, urls, rows_before)
        self.references = references or References()
        self.links = build_index(graph, settings, urls, self.references.tasks)
        self.cards = Cards(
            self.views, self.templates, self.marks, self.references, self.links.targets
        )
        self.tables = Tables(self.templates, self.marks, self.views.rows.values())
        self.generated = GeneratedPages(self.views, self.templates, self.tables, self.marks)
        self.diagnostics = tuple(diagnostics)
        #: the findings each page shows at its top, by page URI (``mkdocs serve``: the writer
        #: sees them in the open tab, not only in the terminal)
        self.page_findings: dict[str, tuple[Diagnostic, ...]] = {}
        #: each order's and ADR's history line and each phase's burn-up chart, by ID, set by
        #: the adapter from git's history (``git_history``); empty without it
        self.history_lines: Mapping[str, str] = {}
        self.burnups: Mapping[str, str] = {}
        #: the schedule's inputs, set by the adapter: the day of the build (the charts'
        #: "today" line, and the first day when nothing else gives one), and the day each
        #: done order was finished, from git's history (``schedule``)
        self.today = date.today()
        self.done_dates: Mapping[str, date] = {}
        self._plan: Schedule | None = None
        self._diagram_keys: tuple[str, ...] | None = None
        #: page -> the order, ADR or phase it belongs to
        self._own_pages: dict[str, str] = {
            **{urls.phase_uri(p): p for p in graph.phases},
            **{adr.uri: adr.id for adr in graph.adrs.values()},
            **graph.order_pages,
        }
        #: page -> the ADR file it is (also one that shares its number with another)
        self._adr_pages = {a.uri: a for files in graph.adr_files.values() for a in files}
        #: page -> the archived order it holds, whose ID a live order has taken
        self._archived = {order.uri: order for order in graph.archived}
        self._tasks_on: dict[str, set[str]] = {}  # page -> the tasks defined on it
        for task_id, (uri, _) in self.references.tasks.items():
            self._tasks_on.setdefault(uri, set()).add(task_id)

    @property
    def diagrams(self) -> Mapping[str, str]:
        """Diagram key -> its inline SVG, drawn by the adapter (``diagram_sources``)."""
        return self.marks.diagrams

    @diagrams.setter
    def diagrams(self, drawn: Mapping[str, str]) -> None:
        self.marks.diagrams = drawn

    @property
    def plan(self) -> Schedule:
        """The schedule, made once, when a page first needs it (after the adapter has set
        ``today`` and ``done_dates``)."""
        if self._plan is None:
            self._plan = schedule(
                self.graph, self.settings, today=self.today, done_dates=self.done_dates
            )
        return self._plan

    # -- the pages of the site's own files --------------------------------------------
    def decorate(self, markdown: str, page_uri: str) -> str:
        """Add the order card to an order page, or an anchor and a card to each entry of a
        summary page; draw its diagrams; then link the order IDs, ADRs and phases the
        page's text names, and list what refers to the page's own target."""
        graph, marks = self.graph, self.marks
        if page_uri in graph.summary_pages:
            card = partial(self.cards.order_card, page_uri=page_uri, compact=True)
            markdown = decorate_summary(
                markdown, page_uri, graph, self.settings, late=marks.late, card=card
            )
        for header in self._headers(page_uri):  # each goes in above the one before
            markdown = _insert_after_title(markdown, header)
        markdown = draw_blocks(markdown, marks)
        if page_uri in graph.trees:
            markdown = draw_trees(markdown, page_uri, self.settings, marks)
        defined = self._tasks_on.get(page_uri)
        if defined:
            markdown = anchor_tasks(markdown, self.settings, defined)
        entries = frozenset(graph.summary_pages.get(page_uri, ()))
        markdown = link_references(markdown, page_uri, self.links, entries, token=marks.link).text
        target = self._own_pages.get(page_uri)
        if target is not None:
            markdown = markdown.rstrip("\n") + "\n" + self.cards.referenced_by(target, page_uri)
        return markdown

    def _headers(self, page_uri: str) -> Iterator[str]:
        """What goes under a page's title, as late fragments, from the bottom up: an
        archived order's or an ADR's card, the history line, the permanent address of an
        ADR or phase, an order's card and diagram, and the page's own findings on top."""
        graph, late = self.graph, self.marks.late
        archived = self._archived.get(page_uri)
        if archived is not None:
            yield late(partial(self.cards.archived_card, archived, page_uri))
        adr = self._adr_pages.get(page_uri)
        if adr is not None:
            yield late(partial(self.cards.adr_card, adr, page_uri))
        order_id = graph.order_pages.get(page_uri) or graph.variant_pages.get(page_uri)
        target = order_id or self._own_pages.get(page_uri)
        history = self._history_html(target) if target else None
        if history:
            yield late(history)
        permanent = permalink_line(target, self.urls, page_uri) if target and not order_id else None
        if permanent:
            yield late(permanent)
        if order_id:
            card = late(partial(self.cards.order_card, order_id, page_uri))
            svg = self.marks.slot(order_id) if page_uri == graph.orders[order_id].uri else None
            if svg:
                card += "\n\n" + framed(self.marks, svg)
            yield card
        findings = self.page_findings.get(page_uri)
        if findings:
            yield late(partial(self.findings_notice, findings, page_uri))

    def _history_html(self, target: str) -> str | None:
        """An order's or ADR's history line, or a phase's burn-up chart (``git_history``)."""
        if target in self.burnups:
            return f'<div class="plandocs-burnup-chart">{self.burnups[target]}</div>'
        line = self.history_lines.get(target)
        return f'<p class="plandocs-history">History: {escape(line)}</p>' if line else None

    def findings_notice(self, findings: Iterable[Diagnostic], page_uri: str) -> str:
        """An admonition listing a page's own findings, each with its line and its advice."""
        findings = list(findings)
        worst = "failure" if any(f.level is Level.ERROR for f in findings) else "warning"
        return self.templates.render("page_findings.html", page_uri, findings=findings, kind=worst)

    def order_card(self, order_id: str, page_uri: str, *, compact: bool = False) -> str:
        return self.cards.order_card(order_id, page_uri, compact=compact)

    def tab_title(self, page_uri: str, meta_title: object, title: str | None) -> str | None:
        """The title an order's or ADR's page (or a translation's) shows in the browser tab,
        with its ID in front ("ADR-006: NATS as the message bus"): a frontmatter ``title``
        or a numbered ADR heading left it out, and a tab of titles alone does not say which
        order is which. ``meta_title`` is the frontmatter's (plain text), ``title`` MkDocs'
        own (HTML text); ``None`` when the title names the ID already, or the page is no
        order's or ADR's."""
        own = self.graph.variant_pages.get(page_uri) or self._own_pages.get(page_uri)
        if own is None or own in self.graph.phases:
            return None
        text = str(meta_title) if meta_title is not None else html.unescape(title or "")
        if own in text:
            return None
        if own in self.graph.adrs:
            text = _ADR_NUMBER.sub("", text)  # "17. Rate limits": the number is the ID's
        return f"{own}: {text}" if text.strip() else own

    # -- tokens: the page once Markdown has run, and finished ------------------------
    def after_markdown(self, html: str, page_uri: str) -> str:
        return self.marks.after_markdown(html)

    def finish(self, html: str, page_uri: str) -> str:
        return self.marks.finish(html, page_uri)

    def inline(self, markdown: str, page_uri: str) -> str:
        return self.marks.inline(markdown, page_uri)

    # -- generated pages -------------------------------------------------------------
    def pages(self, skip: Iterable[str] = ()) -> list[GeneratedPage]:
        """Render the generated pages, but those whose path is in ``skip``."""
        skipped = set(skip)
        made = self.generated.pages(self.diagnostics, self.plan, self.today)
        return [p for p in made if p.uri not in skipped]

    def changes_page(self, uri: str, changes: Changes) -> GeneratedPage:
        return self.generated.changes_page(uri, changes)

    # -- diagrams --------------------------------------------------------------------
    def diagram_keys(self) -> list[str]:
        """The key of every diagram of the planning graph, in order, without making any
        (worked out once: the drawing and the writer's loop ask for them)."""
        if self._diagram_keys is None:
            models = diagram_models(self.graph, self.settings, self.urls)
            self._diagram_keys = tuple(key for key, _ in models)
        return list(self._diagram_keys)

    def diagram_keys_on(self, uris: Collection[str]) -> set[str]:
        """The keys of the planning graph's diagrams drawn on the pages ``uris``."""
        graph, urls = self.graph, self.urls
        return {key for key in self.diagram_keys() if diagram_page(key, graph, urls) in uris}

    def diagram_sources(self) -> dict[str, str]:
        """The DOT source of every diagram, by key (``diagrams.diagram_models``)."""
        return dict(self.each_diagram_source())

    def each_diagram_source(
        self, wanted: Collection[str] | None = None
    ) -> Iterator[tuple[str, str]]:
        """``diagram_sources`` one at a time, each made when asked for; only the ``wanted``
        keys, when given."""
        marks = emphasis(self.graph)
        for key, model in diagram_models(self.graph, self.settings, self.urls):
            if wanted is None or key in wanted:
                yield key, to_dot(model(marks))

    def show_sources(self, sources: dict[str, str]) -> None:
        """Without Graphviz: each diagram of the planning graph shown as its DOT source,
        folded (a writer's ``dot`` block and an ASCII tree are already text)."""
        self.diagrams = {
            key: source_folded(source, "Graphviz is not installed")
            for key, source in sources.items()
            if not key.startswith(("block:", "tree:"))
        }
