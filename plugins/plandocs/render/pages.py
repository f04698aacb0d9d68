"""Pages and fragments of the published site, rendered from the sealed graph.

Every fragment comes from a Jinja2 template with autoescape on, so no title can inject
markup; a project can override any template with a file of the same name in its own
templates folder. Links are relative site URLs computed for the page they appear on, so
they work with ``use_directory_urls`` on and off.
"""

from __future__ import annotations

import hashlib
import html
import re
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from datetime import date
from functools import partial
from pathlib import Path
from typing import Any
from urllib.parse import unquote

from jinja2 import (
    ChoiceLoader,
    Environment,
    FileSystemLoader,
    PackageLoader,
    StrictUndefined,
    TemplateError,
)
from markupsafe import Markup, escape

from plandocs.cache.fragments import FragmentCache
from plandocs.core.diagnostics import Diagnostic, Level
from plandocs.core.diagram.dot import to_dot
from plandocs.core.diagram.fences import dot_blocks
from plandocs.core.diagram.legend import legend_html
from plandocs.core.diagram.model import Diagram
from plandocs.core.diagram.planning import (
    Emphasis,
    emphasis,
    has_neighbours,
    neighbourhood,
    overview_diagram,
    phase_diagram,
    tree_diagram,
)
from plandocs.core.graph import PlanningGraph
from plandocs.core.links import (
    Mention,
    References,
    Target,
    anchor_tasks,
    build_index,
    link_references,
    markdown_link,
)
from plandocs.core.model import Adr, Order
from plandocs.core.parse.adrs import SUPERSEDED_BY, SUPERSEDES
from plandocs.core.parse.blocks import code_mask
from plandocs.core.parse.documents import heading_attrs, match_summary_heading
from plandocs.core.parse.fields import FINISHED, PRIORITIES, STATUSES, field_name
from plandocs.core.parse.trees import AsciiTree, ascii_trees
from plandocs.core.schedule import Schedule, schedule
from plandocs.core.settings import Settings
from plandocs.core.urls import SiteUrls, relative_url
from plandocs.project.history import Changes, Item
from plandocs.render.gantt import Sections, gantt
from plandocs.render.permalinks import permalink_url
from plandocs.render.titles import one_line, plain_title
from plandocs.render.tokens import Tokens

# "<", ">" and "&" are left to autoescape: escaped here too, they would show a backslash.
_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+!|])")
#: a brace outside a code span of a heading, not escaped yet (``_heading_text``)
_BRACE = re.compile(r"(?<!\\)[{}]")
# A fragment's token (``tokens.Tokens``) is one word that no inline extension splits (no
# hyphen, no markup); Markdown wraps it in <p> when it stands alone and leaves it bare inside
# raw HTML. E: an early fragment, L: a late one, D: a diagram's SVG, R: a cross-link in
# running text. After Markdown, R and E tokens are filled, and L and D tokens become
# comments, which the search index skips. Each build's tokens hold a random secret, so no
# text a writer types is ever taken for one (see tokens.py).
_H1 = re.compile(r"^#[ \t]+\S")


def _swap_tokens(html: str, tokens: Tokens, swap: Callable[[str, int], str]) -> str:
    """``html`` with each token, and the paragraph or comment that holds nothing else,
    replaced by ``swap(kind, number)``."""
    if tokens.secret not in html:
        return html
    out: list[str] = []
    done = 0
    for match in tokens.pattern.finditer(html):
        start, end = match.span()
        kind = match.group("kind")
        if kind == "R":  # a link inside a sentence; in "<a TOKEN>", its attributes
            if html.startswith("<a ", start - 3) and html.startswith(">", end):
                kind = "r"
        elif html.startswith("<p>", start - 3) and html.startswith("</p>", end):
            start, end = start - 3, end + 4
        elif html.startswith("<!--", start - 4) and html.startswith("-->", end):
            start, end = start - 4, end + 3
        out.append(html[done:start])
        out.append(swap(kind, int(match.group("number"))))
        done = end
    out.append(html[done:])
    return "".join(out)


# A numbered ADR's heading ("17. Title", "ADR 6: Title"): the number the tab's ID says.
_ADR_NUMBER = re.compile(r"^\s*(?:ADR[-\s]?)?[0-9]+\s*[.:]\s*", re.IGNORECASE)


# A bold field line of a summary entry: "**Owner**: wrk-3", "**Status:** Pending".
_BOLD_FIELD = re.compile(r"^[ \t]*\*\*(?P<key>[^*\n]+?)(?:\*\*[ \t]*:|:[ \t]*\*\*)")


def _as_written(lines: list[str]) -> str:
    """A summary entry's field lines as the writer typed them, folded under its card."""
    text = "\n".join(line.rstrip() for line in lines)
    return (
        '<details class="plandocs-as-written"><summary>As written</summary>'
        f"<pre><code>{escape(text)}</code></pre></details>"
    )


def source_folded(source: str, why: str) -> str:
    """A diagram shown as its DOT source, folded, saying ``why`` it is not drawn."""
    return (
        f'<details class="plandocs-diagram-source"><summary>Diagram source ({escape(why)})'
        f"</summary><pre><code>{escape(source)}</code></pre></details>\n"
    )


def _md_escape(text: object) -> str:
    """A writer's text as Markdown that shows it as written, on one line (a line break
    would end a heading): every mark that makes a link, emphasis, code or an attribute
    list escaped. For a Markdown line of a ``.md`` template: ``{{ title | md }}``."""
    return _MD_SPECIAL.sub(r"\\\1", _one_line(text))


def _one_line(text: object) -> str:
    """A writer's text on one line: in a ``.md`` template's HTML block, a blank line would
    end the block and turn the rest into Markdown. ``{{ title | line }}``."""
    return one_line(str(text))


def phases_counted(graph: PlanningGraph, order: Order) -> list[str]:
    """The phases ``order`` counts in, as ``PlanningGraph.orders_in_phase`` counts: its own
    phases and the phases their tracks and states belong to (an order of CP2-LC counts in
    CP2 too), in the graph's order of phases. The table's phase filter, the phase pages
    and the overview all count this way, so their numbers agree."""
    own = {p for p in order.phases if p in graph.phases}
    counted = own | {graph.phases[p].base for p in own}
    return [p for p in graph.phases if p in counted]


def count_of(number: int, noun: str, plural: str | None = None) -> str:
    """``3 orders``, ``1 order``: a count and its noun, in the number it takes."""
    return f"{number} {noun if number == 1 else plural or noun + 's'}"


def _heading_text(head: str) -> str:
    """A heading's text with its braces escaped outside code spans. Python-Markdown's
    attr_list reads a heading's attributes from its first " {" to the end of the line, so a
    brace in the text ("Render {{ name }}") would take the anchor given after it along."""
    if "{" not in head and "}" not in head:
        return head
    parts = re.split(r"(`+)", head)
    runs = Counter(part for part in parts if part.startswith("`"))  # those still ahead
    out: list[str] = []
    code: str | None = None  # the backtick run that opened the code span we are in
    for part in parts:
        if part.startswith("`"):
            runs[part] -= 1
            if code is None and runs[part]:
                code = part  # a span opens only where a run of its length closes it
            elif code == part:
                code = None
            out.append(part)
        else:
            out.append(part if code else _BRACE.sub(r"\\\g<0>", part))
    return "".join(out)


class RenderError(Exception):
    """A template could not be rendered (usually a project's own override); one line."""


#: a link in a rendered order row, until the page it goes on is known (``_order_row``)
_PLACEHOLDER = re.compile("\x1e([^\x1e\x1f]*)\x1f")


def _placeholder(target: str) -> str:
    """A word that stands for the link to site URL ``target`` until the page is known."""
    return f"\x1e{target}\x1f"


#: what ``getattr`` finds on any plain dict: its methods, which Jinja2 gives before a key
_DICT_ATTRIBUTES = frozenset(dir(dict))


class _Environment(Environment):
    """Jinja2's environment, but for a key of a plain dict: the templates write ``o.id``
    for an order's ``id``, and Jinja2 looks for an attribute first, whose AttributeError
    costs more than the lookup itself, a hundred thousand times a build at 1,000 orders.
    The result is the same: a dict's own methods (``items``, ``keys``) still come first,
    and a missing key is still undefined."""

    def getattr(self, obj: Any, attribute: str) -> Any:
        if type(obj) is dict and attribute not in _DICT_ATTRIBUTES:
            try:
                return obj[attribute]
            except KeyError:
                pass
        return super().getattr(obj, attribute)


@dataclass(frozen=True)
class GeneratedPage:
    uri: str
    #: the text of its heading, as a title no theme can turn into markup (``plain_title``);
    #: the plugin makes every page's title so (``safe_page_title``)
    title: str
    markdown: str


def generated_uris(graph: PlanningGraph, urls: SiteUrls) -> list[str]:
    """Where the generated pages go, without rendering them."""
    return [
        urls.overview_uri(),
        urls.orders_uri(),
        *(urls.phase_uri(p) for p in graph.phases.values()),
        *(urls.owner_uri(o) for o in graph.owners()),
        *(urls.status_uri(s) for s in graph.statuses()),
        urls.adrs_uri(),
        urls.timeline_uri(),
    ]


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
        fragment_cache: Path | None = None,
        tokens: Tokens | None = None,
    ) -> None:
        #: this build's placeholders: their secret is random unless given (tests)
        self.tokens = tokens or Tokens()
        loaders: list[Any] = [PackageLoader("plandocs.render", "templates")]
        if templates_dir:
            loaders.insert(0, FileSystemLoader(templates_dir))
        self.env = _Environment(
            loader=ChoiceLoader(loaders),
            autoescape=True,
            trim_blocks=True,
            lstrip_blocks=True,
            keep_trailing_newline=True,
            undefined=StrictUndefined,
            # a renderer lives one build: a template is loaded once, not looked up on disk
            # (two stat calls) each of the thousands of times a build renders it
            auto_reload=False,
        )
        self.env.filters["md"] = _md_escape
        self.env.filters["line"] = _one_line
        self.env.filters["count"] = count_of
        self.env.globals["late"] = lambda html: Markup(f"\n\n{self.late(html)}\n\n")
        #: cards, "Referenced by" lists and orders tables of earlier builds, by their data
        self.fragment_cache = (
            FragmentCache(fragment_cache, self.env) if fragment_cache is not None else None
        )
        #: HTML that stands in a page as a token paragraph until Markdown has run (early) or
        #: until search has read the page (late): see ``early`` and ``late``. A late
        #: fragment may be a function that renders it when the page is written.
        self.fragments: list[str | Callable[[], str]] = []
        #: cross-links in running text, by token number: see ``_link_token``
        self._refs: dict[int, tuple[Target, str, bool]] = {}
        self.graph = graph
        self.settings = settings
        self.urls = urls
        self.diagnostics = tuple(diagnostics)
        #: the findings each page shows at its top, by page URI (``mkdocs serve``: the writer
        #: sees them in the open tab, not only in the terminal)
        self.page_findings: dict[str, tuple[Diagnostic, ...]] = {}
        self._rows = {order_id: self._row(order) for order_id, order in graph.orders.items()}
        if self.fragment_cache is not None:  # each row is in the keys of four tables or more
            self.fragment_cache.remember(self._rows.values())
        # the rows of the orders tables, by order ID, with placeholders for their links
        self._row_html: dict[str, tuple[dict[str, Any], str]] = {}
        #: the page the rows last filled links for, and each placeholder's link from it
        self._links_from: tuple[str, dict[str, str]] = ("", {})
        self._rows_kept: set[str] = set()  # whose row records this build keeps
        self._tables_left = 0  # tables made and not yet rendered
        self.table_rows: dict[str, int] = {}  # page -> the rows of its orders tables
        self.references = references or References()
        self.links = build_index(graph, settings, urls, self.references.tasks)
        # page -> the order, ADR or phase it belongs to; ADR -> the orders citing it
        self._own_pages: dict[str, str] = {
            **{urls.phase_uri(p): p for p in graph.phases},
            **{adr.uri: adr.id for adr in graph.adrs.values()},
            **graph.order_pages,
        }
        #: page -> the ADR file it is, for its card
        self._adr_pages = {a.uri: a for files in graph.adr_files.values() for a in files}
        #: page -> the archived order it holds, whose ID a live order has taken
        self._archived = {order.uri: order for order in graph.archived}
        #: order ID -> the inline SVG of its neighbourhood, drawn by the adapter in one batch
        self.diagrams: Mapping[str, str] = {}
        # a drawn diagram's legend comes with its SVG (``_content``), made from what it
        # holds; templates still take a ``legend``, kept empty
        self.legend = ""
        self._slots: dict[str, int] = {}  # diagram key -> its number in slot comments
        self._slot_keys: list[str] = []  # and back
        self._tasks_on: dict[str, set[str]] = {}
        for task_id, (uri, _) in self.references.tasks.items():
            self._tasks_on.setdefault(uri, set()).add(task_id)
        #: each order's and ADR's history line and each phase's burn-up chart, by ID, set by
        #: the adapter from git's history (``git_history``); empty without it
        self.history_lines: Mapping[str, str] = {}
        #: the schedule's inputs, set by the adapter: the day of the build (the charts'
        #: "today" line, and the first day when nothing else gives one), and the day each
        #: done order was finished, from git's history (``schedule``)
        self.today = date.today()
        self.done_dates: Mapping[str, date] = {}
        self._plan: Schedule | None = None
        self.burnups: Mapping[str, str] = {}
        self._citing: dict[str, list[str]] = {}
        for order in graph.orders.values():
            for adr_id in order.adrs:
                self._citing.setdefault(adr_id, []).append(order.id)

    # -- view models ---------------------------------------------------------------
    def _ref(self, order_id: str) -> dict[str, Any]:
        order = self.graph.orders[order_id]
        return {
            "id": order_id,
            "title": order.title,
            "status": order.status,
            "url": self.urls.order(order),
        }

    def _row(self, order: Order) -> dict[str, Any]:
        graph, urls = self.graph, self.urls
        return {
            "id": order.id,
            "title": order.title,
            "url": urls.order(order),
            "owner": order.owner,
            "owner_label": order.owner_label,
            "owner_url": urls.of(urls.owner_uri(order.owner)) if order.owner else None,
            "owner_name": order.owner_name,  # as written: "gpt-5.5-xhigh", not its page's slug
            "co_owners": order.owners[1:],
            "parent": self._ref(order.parent) if order.parent in graph.orders else None,
            "children": [self._ref(c) for c in graph.children(order.id)],
            "draft": order.draft,
            "archived": order.archived,
            "issuer": order.issuer,
            "priority": order.priority,
            "priority_rank": PRIORITIES.index(order.priority)
            if order.priority
            else len(PRIORITIES),
            "status": order.status,
            "status_rank": STATUSES.index(order.status) if order.status else len(STATUSES),
            "phase": order.phase,
            "phase_url": urls.of(urls.phase_uri(order.phase)) if order.phase else None,
            "phases": [{"id": p, "url": urls.of(urls.phase_uri(p))} for p in order.phases],
            "phase_filter": " ".join(phases_counted(graph, order)),
            "timeline": order.timeline,
            "depends_on": [self._ref(d) for d in graph.depends_on(order.id)],
            # named but no order of the project: shown as such, never as "none"
            "depends_missing": self._missing(order.declared_depends_on),
            "blocks": [self._ref(d) for d in graph.dependents(order.id)],
            "blocked_by": [self._ref(d) for d in graph.blocked_by(order.id)],
            "depends_note": order.depends_note,
            "blocks_note": order.blocks_note,
            "adrs": [self._adr_ref(a) for a in order.adrs],
            "listings": [
                {
                    "uri": listing.uri,
                    "url": urls.of(listing.uri, listing.anchor),
                    "title": listing.title,
                }
                for listing in order.listings
            ],
            "variants": [{"lang": v.lang, "url": urls.of(v.uri)} for v in order.variants],
            "source": f"{order.path}:{order.line}" if order.anchor else order.path,
            **self._permalink(order.id),
        }

    def _missing(self, order_ids: Iterable[str]) -> list[dict[str, Any]]:
        """The IDs of ``order_ids`` that name no order here: another system's (``external_ids``)
        or nothing at all (reported as ``unknown-ref``)."""
        external = self.settings.external_ids_re
        return [
            {"id": i, "external": bool(external and external.fullmatch(i))}
            for i in dict.fromkeys(order_ids)
            if i not in self.graph.orders
        ]

    def _render(self, template: str, page_uri: str, **context: Any) -> str:
        here = self.urls.of(page_uri)

        def rel(target: str) -> str:
            return relative_url(target, here)

        return self._template(template, rel=rel, row=partial(self._order_row, here), **context)

    def _template(self, template: str, **context: Any) -> str:
        """``template`` rendered with ``context``; a template error is one RenderError line."""
        try:
            return self.env.get_template(template).render(**context)
        except TemplateError as exc:
            where = getattr(exc, "filename", None) or template
            line = getattr(exc, "lineno", None)
            place = f"{where}:{line}" if line else where
            raise RenderError(f"template {place}: {exc.message or exc}") from None

    def _order_row(self, here: str, o: dict[str, Any]) -> Markup:
        """An order's row in an orders table on the page at URL ``here``
        (``orders_row.html``). Each order has a row on the orders page and on its phase's,
        owner's and status' pages: it is rendered once, with a placeholder for each link
        (``_row_source``), and the placeholders are filled for each page."""
        known = self._row_html.get(o["id"])
        if known is None or known[0] is not o:
            known = self._row_html[o["id"]] = (o, self._row_source(o))

        if self._links_from[0] != here:  # a table's rows link the same owners and phases
            self._links_from = (here, {})
        links = self._links_from[1]

        def link(match: re.Match[str]) -> str:
            found = links.get(match.group(1))
            if found is None:
                target = html.unescape(match.group(1))
                found = links[match.group(1)] = str(escape(relative_url(target, here)))
            return found

        return Markup(_PLACEHOLDER.sub(link, known[1]))

    def _row_source(self, o: dict[str, Any]) -> str:
        """``orders_row.html`` for ``o``, each link a placeholder: the same on every page,
        so the fragment cache keeps it, and a retitled order renders one row again, not
        the thousand of each table it is in."""

        def make() -> str:
            return self._template("orders_row.html", rel=_placeholder, o=o).strip()

        cache = self.fragment_cache
        if cache is None:
            return make()
        self._rows_kept.add(o["id"])  # asking for the record keeps it
        return cache.render("orders_row.html", "", {"o": o}, make, counted=False)

    def _render_cached(self, template: str, page_uri: str, **context: Any) -> str:
        """``_render`` of a template whose context is plain data, through the fragment
        cache when there is one."""
        cache = self.fragment_cache
        if cache is None:
            return self._render(template, page_uri, **context)
        return cache.render(
            template, page_uri, context, lambda: self._render(template, page_uri, **context)
        )

    def _table(self, page_uri: str, rows: list[dict[str, Any]]) -> Markup:
        """The orders table of a generated page: a late fragment, rendered when the page is
        written (``orders_table.html``)."""
        self._tables_left += 1
        self.table_rows[page_uri] = self.table_rows.get(page_uri, 0) + len(rows)
        token = self.late(partial(self._render_table, page_uri, rows))
        return Markup(f"\n\n{token}\n\n")

    def _render_table(self, page_uri: str, rows: list[dict[str, Any]]) -> str:
        table = self._render_cached("orders_table.html", page_uri, rows=rows)
        cache = self.fragment_cache
        if cache is not None:  # the table may have come whole from the cache
            for o in rows:
                if o["id"] not in self._rows_kept:
                    self._rows_kept.add(o["id"])
                    cache.keep("orders_row.html", "", {"o": o})
        self._tables_left -= 1
        if self._tables_left == 0:  # the rows are not asked for again: let them go
            self._row_html.clear()
            self._links_from = ("", {})
            if cache is not None:
                cache.forget()
        return table

    def rows(self, order_ids: Iterable[str]) -> list[dict[str, Any]]:
        return [self._rows[i] for i in order_ids]

    # -- fragments -------------------------------------------------------------------
    def order_card(self, order_id: str, page_uri: str, *, compact: bool = False) -> str:
        order = self.graph.orders[order_id]
        canonical, relation = None, None
        if page_uri != order.uri:
            canonical = self.urls.order(order)
            relation = "translation" if page_uri in self.graph.variant_pages else "summary"
        row = dict(self._rows[order_id])
        row["listings"] = [item for item in row["listings"] if item["uri"] != page_uri]
        if relation == "translation":
            row["variants"] = self._other_languages(order, page_uri)
        return self._render_cached(
            "card.html",
            page_uri,
            o=row,
            compact=compact,
            canonical_url=canonical,
            relation=relation,
        )

    def adr_card(self, adr: Adr, page_uri: str) -> str:
        """An ADR page's card (``adr_card.html``): status, date, people and relations, and a
        banner above it when a later decision supersedes it."""
        graph = self.graph
        own = graph.adrs.get(adr.id) == adr  # the file the ID names, not one sharing it
        supersedes = graph.supersedes(adr.id) if own else ()
        successors = graph.superseded_by(adr.id) if own else ()
        relations = [("Supersedes", supersedes), ("Superseded by", successors)]
        # the other relations the file writes ("Amended by", "Relates to"), as typed
        others: dict[str, list[str]] = {}
        for link in graph.adr_links.get(adr.path, ()):
            if link.target and link.kind not in (SUPERSEDES, SUPERSEDED_BY):
                named = others.setdefault(link.kind[:1].upper() + link.kind[1:], [])
                if link.target not in named:
                    named.append(link.target)
        relations += [(label, tuple(ids)) for label, ids in others.items()]
        people = [("Consulted", adr.consulted), ("Informed", adr.informed)]
        card = {
            "id": adr.id,
            "title": adr.title,
            "status": adr.status,
            "date": adr.date,
            "deciders": list(adr.deciders),
            "people": [(label, list(names)) for label, names in people if names],
            "relations": [
                {"label": label, "adrs": [self._adr_ref(i) for i in ids]}
                for label, ids in relations
                if ids
            ],
            "superseded_by": [self._adr_ref(i) for i in successors],
            "source": adr.path,
        }
        return self._render_cached("adr_card.html", page_uri, a=card)

    def _adr_of_page(self, page_uri: str) -> Adr | None:
        """The ADR file this page is (also one that shares its number with another)."""
        return self._adr_pages.get(page_uri)

    def _other_languages(self, order: Order, page_uri: str) -> list[dict[str, str]]:
        """A translation's "Translations" row: the original first, then the other
        translations; never the page itself."""
        here = self.urls.of(page_uri)
        original = {"lang": "", "label": "Original", "url": self.urls.of(order.uri)}
        others = [v for v in self._rows[order.id]["variants"] if v["url"] != here]
        return [original, *others]

    def archived_card(self, order: Order, page_uri: str) -> str:
        """The card of an archived order whose ID a live one has taken: its own fields, the
        dependencies it declares, and a line that sends the reader to the live one."""
        graph = self.graph
        row = self._row(order)
        row.update(
            depends_on=[self._ref(d) for d in order.declared_depends_on if d in graph.orders],
            blocks=[],
            blocked_by=[],
            children=[],
            listings=[],
            variants=[],
            permalink=None,  # the ID's permanent address leads to the live order
            permalink_text=None,
        )
        return self._render_cached(
            "card.html",
            page_uri,
            o=row,
            compact=False,
            canonical_url=self.urls.order(graph.orders[order.id]),
            relation="archived",
        )

    def decorate(self, markdown: str, page_uri: str) -> str:
        """Add the order card to an order page, or an anchor and a card to each entry of a
        summary page; then link the order IDs, ADRs and phases the page's text names."""
        graph = self.graph
        if page_uri in graph.summary_pages:
            markdown = self._decorate_summary(markdown, page_uri)
        archived = self._archived.get(page_uri)
        if archived is not None:
            card = self.late(lambda: self.archived_card(archived, page_uri))
            markdown = _insert_after_title(markdown, card)
        adr = self._adr_of_page(page_uri)
        if adr is not None:
            markdown = _insert_after_title(
                markdown, self.late(partial(self.adr_card, adr, page_uri))
            )
        order_id = graph.order_pages.get(page_uri) or graph.variant_pages.get(page_uri)
        history = self._history_html(page_uri, order_id)
        if history:  # under the card, which goes in after it
            markdown = _insert_after_title(markdown, self.late(history))
        permanent = self._permalink_line(page_uri) if not order_id else None
        if permanent:
            markdown = _insert_after_title(markdown, self.late(permanent))
        if order_id:
            card = self.late(lambda: self.order_card(order_id, page_uri))
            svg = self.slot(order_id) if page_uri == graph.orders[order_id].uri else None
            if svg:
                diagram = f'<div class="plandocs-diagram">\n{svg}\n{self.legend}</div>'
                card += f"\n\n{self.late(diagram)}"
            markdown = _insert_after_title(markdown, card)
        findings = self.page_findings.get(page_uri)
        if findings:  # last in, so first under the title: above the card
            notice = self.late(lambda: self.findings_notice(findings, page_uri))
            markdown = _insert_after_title(markdown, notice)
        markdown = self._draw_blocks(markdown)
        markdown = self._draw_trees(markdown, page_uri)
        defined = self._tasks_on.get(page_uri)
        if defined:
            markdown = anchor_tasks(markdown, self.settings, defined)
        entries = frozenset(graph.summary_pages.get(page_uri, ()))
        markdown = link_references(
            markdown, page_uri, self.links, entries, token=self._link_token
        ).text
        target = self._target_of(page_uri)
        if target is not None:
            markdown = markdown.rstrip("\n") + "\n" + self.referenced_by(target, page_uri)
        return markdown

    def findings_notice(self, findings: Iterable[Diagnostic], page_uri: str) -> str:
        """An admonition listing a page's own findings, each with its line and its advice."""
        findings = list(findings)
        worst = "failure" if any(f.level is Level.ERROR for f in findings) else "warning"
        return self._render("page_findings.html", page_uri, findings=findings, kind=worst)

    def _link_token(self, target: Target, shown: str, local: bool) -> str | None:
        """A token for a cross-link in running text, filled with the link after Markdown:
        Python-Markdown's inline link pattern was a third of an order page's conversion.
        The token names the target and the text, not the tooltip, so a page whose links'
        titles changed is still the same Markdown to the page cache. ``None`` on the
        (unlikely) clash of two links' numbers: the caller writes a Markdown link."""
        key = (target.id, target.page, target.anchor or "", shown, "#" if local else "")
        digest = hashlib.blake2b("\0".join(key).encode("utf-8"), digest_size=6).digest()
        number = int.from_bytes(digest, "big")
        known = self._refs.setdefault(number, (target, shown, local))
        if known != (target, shown, local):
            return None
        return self.tokens.make("R", number)

    def _link_attributes(self, number: int, page_uri: str) -> str:
        target, _, local = self._refs[number]
        if local:
            href = f"#{target.anchor}"
        else:
            href = relative_url(self.urls.of(target.page, target.anchor), self.urls.of(page_uri))
        return f'href="{escape(href)}" title="{escape(target.tooltip)}"'

    def _link_html(self, number: int, page_uri: str) -> str:
        shown = self._refs[number][1]
        return f"<a {self._link_attributes(number, page_uri)}>{escape(shown)}</a>"

    def _draw_blocks(self, markdown: str) -> str:
        """Each ``dot`` block that was drawn becomes its diagram; one Graphviz could not draw
        stays as code (it was reported)."""
        lines = markdown.split("\n")
        for block in reversed(dot_blocks(lines)):
            svg = self.slot(block.key)
            if svg:
                # indented like the fence, so a block in an admonition or a list stays there
                fence = lines[block.start]
                indent = fence[: len(fence) - len(fence.lstrip(" \t"))]
                lines[block.start : block.end + 1] = [
                    "",
                    indent + self.late(f'<div class="plandocs-diagram">\n{svg}\n</div>'),
                    "",
                ]
        return "\n".join(lines)

    def slot(self, key: str) -> str:
        """Where diagram ``key`` goes in a page, or "" when there is none: a token that
        ``finish`` replaces in the finished HTML. SVG is hundreds of tags, too many
        for Python-Markdown's HTML parser and the search index to read on every page."""
        if key not in self.diagrams:
            return ""
        number = self._slots.get(key)
        if number is None:
            number = self._slots[key] = len(self._slot_keys)
            self._slot_keys.append(key)
        return self.tokens.make("D", number)

    def early(self, html: str) -> str:
        """A token that stands for ``html`` (the folded text of an ASCII tree) until Markdown
        has run: Python-Markdown reads a whole page with an HTML parser as soon as it holds
        one raw HTML block, and that was most of the cost of an order page. Search still
        reads it. The caller gives the token a paragraph of its own."""
        self.fragments.append(html.strip())
        return self.tokens.make("E", len(self.fragments) - 1)

    def late(self, html: str | Callable[[], str]) -> str:
        """A token that stands for ``html`` (a card, a big table, a diagram) until the page
        is finished: neither Markdown nor the search index reads it, and the page's content,
        which MkDocs holds for every page until the build ends, stays small. ``html`` may be
        a function that renders it then."""
        self.fragments.append(html if callable(html) else str(html).strip())
        return self.tokens.make("L", len(self.fragments) - 1)

    def after_markdown(self, html: str, page_uri: str) -> str:
        """A page's HTML once Markdown has run: early fragments in their places, late
        fragments and diagrams as comments, and each cross-link as a link whose address
        and tooltip wait for ``finish`` (``<a TOKEN>ORDER-X</a>``): search reads its text,
        and the content MkDocs keeps for every page until the build ends stays small."""

        def swap(kind: str, number: int) -> str:
            if kind == "R":
                return f"<a {self.tokens.make('R', number)}>{escape(self._refs[number][1])}</a>"
            if kind == "r":  # already waiting for finish
                return self.tokens.make("R", number)
            if kind == "E":
                return self._content(kind, number)
            return f"<!--{self.tokens.make(kind, number)}-->"

        return _swap_tokens(html, self.tokens, swap)

    def finish(
        self, html: str, page_uri: str, ready: Mapping[tuple[str, int], str] | None = None
    ) -> str:
        """The finished page: every fragment and diagram in its place (a page that skipped
        ``after_markdown``, such as a blog excerpt, gets its early fragments here).
        ``ready`` holds what ``prepare`` made of its tokens in a page worker."""

        def swap(kind: str, number: int) -> str:
            if ready is not None:
                text = ready.get((kind, number))
                if text is not None:
                    return text
            return self._swapped(kind, number, page_uri)

        return _swap_tokens(html, self.tokens, swap)

    def prepare(self, html: str, page_uri: str) -> dict[tuple[str, int], str]:
        """What ``finish`` puts in place of each token of ``html`` (a page's content), by
        kind and number: made by a page worker, so that the build finishing the page only
        puts it in. A token's text depends on its kind, number and page alone."""
        ready: dict[tuple[str, int], str] = {}

        def swap(kind: str, number: int) -> str:
            ready[kind, number] = self._swapped(kind, number, page_uri)
            return ""

        _swap_tokens(html, self.tokens, swap)
        return ready

    def _swapped(self, kind: str, number: int, page_uri: str) -> str:
        """What a token becomes in the finished page ``page_uri``."""
        if kind == "r":
            return self._link_attributes(number, page_uri)
        if kind == "R":
            return self._link_html(number, page_uri)
        content = self._content(kind, number)
        if kind != "L":
            return content
        # a late fragment may hold a diagram's token
        return _swap_tokens(content, self.tokens, lambda k, n: self._swapped(k, n, page_uri))

    def _content(self, kind: str, number: int) -> str:
        if kind == "D":
            key = self._slot_keys[number]
            drawn = self.diagrams[key].strip()
            if key.startswith("block:") or not drawn.startswith("<svg"):
                return drawn  # a writer's own diagram, or one shown as its source
            return f"{drawn}\n{legend_html(drawn, tree=key.startswith('tree:'))}"
        fragment = self.fragments[number]
        return fragment().strip() if callable(fragment) else fragment

    def inline(self, markdown: str, page_uri: str) -> str:
        """``markdown`` with every fragment written out in place of its token, and each
        cross-link as the Markdown link it stands for: what the page holds, for tests and
        golden files."""

        def expand(match: re.Match[str]) -> str:
            kind, number = match.group(1), int(match.group(2))
            if kind != "R":
                return self._content(kind, number)
            target, shown, local = self._refs[number]
            return markdown_link(target, shown, page_uri, local=local)

        return self.tokens.pattern.sub(expand, markdown)

    def show_sources(self, sources: dict[str, str]) -> None:
        """Without Graphviz: each diagram of the planning graph shown as its DOT source,
        folded (a writer's ``dot`` block and an ASCII tree are already text)."""
        self.diagrams = {
            key: source_folded(source, "Graphviz is not installed")
            for key, source in sources.items()
            if not key.startswith(("block:", "tree:"))
        }

    def _draw_trees(self, markdown: str, page_uri: str) -> str:
        """Each ASCII dependency tree becomes its diagram, with the text as written folded
        under it; a tree inside a list (an indented fence) stays as it is."""
        if page_uri not in self.graph.trees:
            return markdown
        lines = markdown.split("\n")
        for tree in reversed(ascii_trees(lines, self.settings.order_id_re)):
            svg = self.slot(tree_key(page_uri, tree.source))
            if not svg or lines[tree.start][:1].isspace():
                continue
            lines[tree.start : tree.end + 1] = [
                "",
                self.late(f'<div class="plandocs-diagram">\n{svg}\n</div>'),
                "",
                self.early(
                    '<details class="plandocs-tree-source">'
                    "<summary>The dependency tree as written</summary>"
                    f"<pre><code>{escape(tree.source)}</code></pre></details>"
                ),
                "",
            ]
        return "\n".join(lines)

    def diagram_keys(self) -> list[str]:
        """The key of every diagram of the planning graph, in order (``diagram_sources``):
        known without making any, so that pages can be decorated while a helper process
        makes them."""
        return [key for key, _ in self._diagrams()]

    def diagram_sources(self) -> dict[str, str]:
        """The DOT source of every diagram, by key: each order with a page of its own and
        an order before or after it (its ID), each phase with orders (``phase:CP2``), the
        whole graph (``orders``), and each ASCII tree (``tree_key``)."""
        return dict(self.each_diagram_source())

    def each_diagram_source(self) -> Iterator[tuple[str, str]]:
        """``diagram_sources`` one at a time, each made when asked for."""
        marks = emphasis(self.graph)
        for key, model in self._diagrams():
            yield key, to_dot(model(marks))

    def _diagrams(self) -> list[tuple[str, Callable[[Emphasis], Diagram]]]:
        """Each diagram's key, and what makes its model."""
        graph, urls, limit = self.graph, self.urls, self.settings.diagram_limit
        out: dict[str, Callable[[Emphasis], Diagram]] = {}
        for order_id in sorted(graph.order_pages.values()):
            if has_neighbours(graph, order_id):
                out[order_id] = partial(neighbourhood, graph, order_id, urls, limit=limit)
        for phase_id in sorted(graph.phases):
            if graph.orders_in_phase(phase_id):
                out[f"phase:{phase_id}"] = partial(
                    phase_diagram, graph, phase_id, urls, limit=limit
                )
        if graph.orders:
            out["orders"] = partial(overview_diagram, graph, urls, limit=limit)
        external = self.settings.external_ids_re
        for uri, trees in sorted(graph.trees.items()):
            for tree in trees:

                def drawn(marks: Emphasis, tree: AsciiTree = tree, uri: str = uri) -> Diagram:
                    here = urls.of(uri)
                    return tree_diagram(graph, tree, urls, here, marks=marks, external=external)

                out[tree_key(uri, tree.source)] = drawn
        return list(out.items())

    def _history_html(self, page_uri: str, order_id: str | None) -> str | None:
        """An order's or ADR's history line, or a phase's burn-up chart (``git_history``)."""
        target = order_id or self._target_of(page_uri)
        if target is None:
            return None
        if target in self.burnups:
            return f'<div class="plandocs-burnup-chart">{self.burnups[target]}</div>'
        line = self.history_lines.get(target)
        return f'<p class="plandocs-history">History: {escape(line)}</p>' if line else None

    def changes_page(self, uri: str, changes: Changes) -> GeneratedPage:
        """The Changes page: new orders, status changes, finished orders, new and superseded
        ADRs since ``changes.since``, each with its date and commit."""

        def rows(items: Iterable[Item], kind: str, change: Callable[[Item], str]) -> list[Any]:
            out = []
            for item in items:
                ref = (
                    self._ref(item.id) if kind == "Order" and item.id in self.graph.orders else None
                )
                if kind == "ADR":
                    ref = self._adr_ref(item.id)
                out.append(
                    {
                        "id": item.id,
                        "url": ref["url"] if ref else None,
                        "title": ref["title"] if ref else "",
                        "date": item.date,
                        "change": change(item),
                        "commit": item.commit[:7],
                    }
                )
            return out

        def word(status: str | None) -> str:
            return (status or "no status").replace("_", " ")

        def moved(item: Item) -> str:
            if item.old is None:  # written so in the file's first commit
                return f"new, {word(item.new)}"
            return f"{word(item.old)} → {word(item.new)}"

        groups = [
            ("New orders", "Order", changes.new_orders, lambda i: word(i.new)),
            ("Status changes", "Order", changes.status_changes, moved),
            ("Finished orders", "Order", changes.finished, moved),
            ("New ADRs", "ADR", changes.new_adrs, lambda i: word(i.new)),
            ("Superseded ADRs", "ADR", changes.superseded_adrs, moved),
        ]
        return GeneratedPage(
            uri,
            "Changes",
            self._render(
                "changes.md",
                uri,
                since=changes.since,
                groups=[
                    {"title": title, "kind": kind, "items": rows(items, kind, change)}
                    for title, kind, items, change in groups
                ],
            ),
        )

    def _permalink(self, object_id: str) -> dict[str, str | None]:
        """A card's permanent address: its site URL, and that URL as a reader reads it."""
        url = permalink_url(object_id, self.urls.use_directory_urls)
        return {"permalink": url, "permalink_text": unquote(url) if url else None}

    def _permalink_line(self, page_uri: str) -> str | None:
        """An ADR's or phase's permanent address, a line under its title (an order's is on
        its card)."""
        target = self._target_of(page_uri)
        url = permalink_url(target, self.urls.use_directory_urls) if target else None
        if target is None or url is None:
            return None
        href = relative_url(url, self.urls.of(page_uri))
        return (
            f'<p class="plandocs-permalink">Permalink: <a href="{escape(href)}" title="This '
            f'address keeps working when the file is renamed">{escape(unquote(url))}</a></p>'
        )

    def _target_of(self, page_uri: str) -> str | None:
        """The order, ADR or phase whose own page this is."""
        return self._own_pages.get(page_uri)

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

    def referenced_by(self, target_id: str, page_uri: str) -> str:
        """The "Referenced by" section of a target's page, grouped by relation; "" when
        nothing refers to it. Its heading is Markdown, so the page's table of contents
        lists it; its lists are a late fragment (``referenced_by.html``), which search does
        not read, so the heading is kept out of search too: without it, a search for
        "referenced" found every order page's empty section."""
        groups = self._reference_groups(target_id, page_uri)
        if not groups:
            return ""
        lists = self.late(
            partial(self._render_cached, "referenced_by.html", page_uri, groups=groups)
        )
        return f"\n## Referenced by {{ .plandocs-referenced-by data-search-exclude }}\n\n{lists}\n"

    def _reference_groups(self, target_id: str, page_uri: str) -> list[dict[str, Any]]:
        graph, targets, urls = self.graph, self.links.targets, self.urls

        def group(label: str, ids: Iterable[str]) -> dict[str, Any]:
            known = [i for i in ids if i in targets]
            items = [
                {
                    "text": f"{i}: {targets[i].title}",
                    "url": urls.of(targets[i].page, targets[i].anchor),
                    "note": "",
                    "count": 1,
                    "sections": [],
                }
                for i in known
            ]
            return {"label": label, "items": items, "ids": known}

        groups: list[dict[str, Any]] = []
        if target_id in graph.orders:
            done = graph.orders[target_id].status in FINISHED
            label = "Depends on this" if done else "Blocked by this"
            groups.append(group(label, graph.dependents(target_id)))
        if target_id in graph.adrs:
            groups.append(group("Supersedes", graph.supersedes(target_id)))
            groups.append(group("Superseded by", graph.superseded_by(target_id)))
            groups.append(group("Orders citing this", sorted(self._citing.get(target_id, []))))
        # A page listed under a relation above is not listed again as a mention.
        listed = {targets[ref].page for g in groups for ref in g["ids"] if not targets[ref].anchor}
        mentions = self.references.mentions.get(target_id, ())
        groups.append({"label": "Mentioned in", "items": self._mention_items(mentions, listed)})
        return [g for g in groups if g["items"]]

    def _mention_items(self, mentions: Iterable[Mention], listed: set[str]) -> list[dict[str, Any]]:
        """One line per page that mentions a target (not one per section): the page's
        name, the section when there is one, else how many sections mention it."""
        by_page: dict[str, list[Mention]] = {}
        for mention in mentions:
            if mention.uri not in listed:
                by_page.setdefault(mention.uri, []).append(mention)
        items = []
        for uri, found in by_page.items():
            sections = [m.section for m in sorted(found, key=lambda m: m.line) if m.section]
            items.append(
                {
                    "text": self._page_name(found[0].title, uri),
                    "url": self.urls.of(uri),
                    "note": sections[0] if len(found) == 1 and sections else "",
                    "count": len(found),
                    "sections": sections if len(found) > 1 else [],
                }
            )
        return items  # in the mentions' order: by page title

    def _page_name(self, title: str, uri: str) -> str:
        """A page's title, with the language of a translation: "Fix (RU)"."""
        order_id = self.graph.variant_pages.get(uri)
        langs = (
            [v.lang for v in self.graph.orders[order_id].variants if v.uri == uri]
            if order_id
            else []
        )
        name = title or uri
        return f"{name} ({langs[0].upper()})" if langs else name

    def _decorate_summary(self, markdown: str, page_uri: str) -> str:
        lines = markdown.split("\n")
        in_code = code_mask(lines)
        out: list[str] = []
        seen: set[str] = set()
        folded: set[int] = set()  # field lines an entry's card shows, kept folded under it
        for index, line in enumerate(lines):
            if index in folded:
                continue
            match = None if in_code[index] else match_summary_heading(line, self.settings)[0]
            # Only the page's entries: not its own title heading, not a note about another order.
            entry = (
                match is not None and (page_uri, match.group("id")) in self.graph.summary_records
            )
            if not match or not entry or match.group("id") in seen:
                out.append(line)
                continue
            order_id = match.group("id")
            seen.add(order_id)
            record = self.graph.summary_records.get((page_uri, order_id))
            anchor = record.anchor if record and record.anchor else order_id.lower()
            head, attrs, own_id = heading_attrs(line.rstrip())
            text = _heading_text(head)
            if own_id is not None and text == head:
                out.append(line)  # the writer's anchor is the order's anchor
            elif own_id is not None:
                out.append(f"{text} {{ {attrs} }}")
            else:
                out.append(f"{text} {{ #{anchor}{' ' + attrs if attrs else ''} }}")
            card = self.late(partial(self.order_card, order_id, page_uri, compact=True))
            out.extend(["", card, ""])
            fields = self._field_lines(lines, index + 1, in_code)
            if fields:
                folded.update(range(index + 1, fields[-1] + 1))
                typed = lines[fields[0] : fields[-1] + 1]  # with the blank lines between
                out.append(self.late(_as_written(typed)))
        return "\n".join(out)

    def _field_lines(self, lines: list[str], start: int, in_code: list[bool]) -> list[int]:
        """The indexes of the field lines right under a summary entry's heading
        (``**Owner**: wrk-3``, ``**Status**: Pending``): the paragraphs, from ``start``, whose
        every line is a bold field the parser reads. The entry's card shows them; the text
        after them (a task, deliverables) is the entry's own."""
        aliases = self.settings.field_aliases
        found: list[int] = []
        paragraph: list[int] = []
        for index in range(start, len(lines)):
            line = lines[index]
            if not line.strip():
                found.extend(paragraph)
                paragraph = []
                continue
            bold = None if in_code[index] else _BOLD_FIELD.match(line)
            if bold is None or field_name(bold.group("key"), aliases) is None:
                break
            paragraph.append(index)
        else:
            found.extend(paragraph)
        return found

    # -- generated pages -------------------------------------------------------------
    def pages(self, skip: Iterable[str] = ()) -> list[GeneratedPage]:
        """Render the generated pages, but those whose path is in ``skip``."""
        skipped = set(skip)
        return [p for p in self._pages() if p.uri not in skipped]

    def _pages(self) -> list[GeneratedPage]:
        graph, urls = self.graph, self.urls
        all_ids = list(graph.orders)
        all_rows = self.rows(all_ids)
        out = [
            GeneratedPage(
                urls.overview_uri(),
                "Planning overview",
                self._render("overview.md", urls.overview_uri(), **self._overview()),
            ),
            GeneratedPage(
                urls.orders_uri(),
                "All orders",
                self._render(
                    "orders.md",
                    urls.orders_uri(),
                    rows=all_rows,
                    table=self._table(urls.orders_uri(), all_rows),
                    rollup=graph.rollup(all_ids),
                    diagram=Markup(self.slot("orders")),
                    legend=Markup(self.legend),
                ),
            ),
        ]
        for phase in graph.phases.values():
            ids = graph.orders_in_phase(phase.id)
            rows = self.rows(ids)
            parent = graph.phases.get(phase.base) if phase.kind != "phase" else None
            children = [p for p in graph.phases.values() if p.base == phase.id and p.id != phase.id]
            out.append(
                GeneratedPage(
                    urls.phase_uri(phase),
                    plain_title(f"{phase.id}: {phase.title}"),
                    self._render(
                        "phase.md",
                        urls.phase_uri(phase),
                        phase=phase,
                        parent={"id": parent.id, "url": urls.of(urls.phase_uri(parent))}
                        if parent
                        else None,
                        children=[
                            {"id": c.id, "url": urls.of(urls.phase_uri(c))} for c in children
                        ],
                        rows=rows,
                        table=self._table(urls.phase_uri(phase), rows),
                        rollup=graph.rollup(ids),
                        diagram=Markup(self.slot(f"phase:{phase.id}")),
                        legend=Markup(self.legend),
                        timeline=Markup(self._phase_timeline(phase.id)),
                    ),
                )
            )
        for owner in graph.owners():
            ids = graph.orders_of(owner)
            rows = self.rows(ids)
            label = next(
                (graph.orders[i].owner_label for i in ids if graph.orders[i].owner_label), None
            )
            # the page is named by a slug; its title shows the name as written (gpt-5.5-xhigh)
            name = graph.owner_name(owner)
            out.append(
                GeneratedPage(
                    urls.owner_uri(owner),
                    plain_title(f"Owner {name} ({label})" if label else f"Owner {name}"),
                    self._render(
                        "owner.md",
                        urls.owner_uri(owner),
                        owner=name,
                        label=label,
                        rows=rows,
                        table=self._table(urls.owner_uri(owner), rows),
                        rollup=graph.rollup(ids),
                    ),
                )
            )
        for status in graph.statuses():
            ids = graph.orders_with_status(status)
            rows = self.rows(ids)
            out.append(
                GeneratedPage(
                    urls.status_uri(status),
                    plain_title(f"Status: {status.replace('_', ' ')}"),
                    self._render(
                        "status.md",
                        urls.status_uri(status),
                        status=status,
                        rows=rows,
                        table=self._table(urls.status_uri(status), rows),
                        rollup=graph.rollup(ids),
                    ),
                )
            )
        out.append(
            GeneratedPage(
                urls.adrs_uri(),
                "Architecture decisions",
                self._render("adrs.md", urls.adrs_uri(), adrs=self._adr_rows()),
            )
        )
        out.append(self._timeline_page())
        return out

    # -- the plan in time ------------------------------------------------------------
    @property
    def plan(self) -> Schedule:
        """The schedule, made once, when a page first needs it (after the adapter has set
        ``today`` and ``done_dates``)."""
        if self._plan is None:
            self._plan = schedule(
                self.graph, self.settings, today=self.today, done_dates=self.done_dates
            )
        return self._plan

    def _by_owner(self, ids: Iterable[str]) -> list[tuple[str, list[str]]]:
        groups: dict[str, list[str]] = {}
        for order_id in ids:
            groups.setdefault(self.graph.orders[order_id].owner or "", []).append(order_id)
        return [
            (f"Owner {self.graph.owner_name(owner)}" if owner else "No owner", groups[owner])
            for owner in sorted(groups)
        ]

    def _chart(self, page_uri: str, sections: Sections) -> str:
        svg = gantt(self.graph, self.plan, self.urls, page_uri, sections, today=self.today)
        # after Markdown has run, so nothing in the SVG is read as Markdown
        return f"\n\n{self.late(svg)}\n\n" if svg else ""

    def _phase_timeline(self, phase_id: str) -> str:
        """A phase page's timeline: its orders by owner."""
        uri = self.urls.phase_uri(phase_id)
        return self._chart(uri, [("", self._by_owner(self.graph.orders_in_phase(phase_id)))])

    def _timeline_page(self) -> GeneratedPage:
        """The whole plan in time, by phase, then by owner (``schedule``, ``views.gantt``)."""
        graph, uri, plan = self.graph, self.urls.timeline_uri(), self.plan
        seen: set[str] = set()  # an order shows once: under its phase, before a track's
        sections: list[tuple[str, list[tuple[str, list[str]]]]] = []
        for phase in graph.phases.values():
            ids = [o for o in graph.orders_in_phase(phase.id) if o not in seen]
            seen.update(ids)
            if ids:
                sections.append((f"{phase.id}: {phase.title}", self._by_owner(ids)))
        rest = [o for o in graph.orders if o not in seen]
        if rest:
            sections.append(("No phase", self._by_owner(rest)))
        first = plan.calendar.day(plan.begin) if plan.slots else None
        last = plan.calendar.day(plan.end - 1) if plan.slots else None
        return GeneratedPage(
            uri,
            "Timeline",
            self._render(
                "timeline.md",
                uri,
                chart=Markup(self._chart(uri, sections)),
                first=first.isoformat() if first else None,
                last=last.isoformat() if last else None,
                critical=[self._ref(o) for o in plan.critical_path],
                unscheduled=[self._ref(o) for o in plan.unscheduled],
                estimated=sum(1 for s in plan.slots.values() if s.estimated),
                total=len(plan.slots),
                holidays=len(self.settings.holidays),
            ),
        )

    def _overview(self) -> dict[str, Any]:
        """What the Planning overview shows: totals, phases (tracks and states under their
        phase), owners, statuses, and what to fix. A phase counts the orders its page lists;
        an order in two phases counts in both, and the overview says which ones do, so that
        its counts add up."""
        graph, urls = self.graph, self.urls
        all_ids = list(graph.orders)

        def phase_row(phase_id: str) -> dict[str, Any]:
            phase = graph.phases[phase_id]
            ids = graph.orders_in_phase(phase_id)
            return {
                "id": phase.id,
                "title": phase.title,
                "kind": phase.kind,
                "url": urls.of(urls.phase_uri(phase)),
                "total": len(ids),
                "open": sum(1 for i in ids if graph.orders[i].status not in FINISHED),
            }

        tops = [p.id for p in graph.phases.values() if p.base == p.id]
        phases = []
        for top in tops:
            phases.append(phase_row(top))
            phases += [
                phase_row(p.id) for p in graph.phases.values() if p.base == top and p.id != top
            ]
        # in how many phases (tracks folded into their phase) each order counts
        in_tops = {
            o.id: [p for p in phases_counted(graph, o) if p in tops] for o in graph.orders.values()
        }
        owners = []
        for owner in graph.owners():
            ids = graph.orders_of(owner)
            owners.append(
                {
                    "id": graph.owner_name(owner),
                    "url": urls.of(urls.owner_uri(owner)),
                    "total": len(ids),
                    "open": sum(1 for i in ids if graph.orders[i].status not in FINISHED),
                }
            )
        return {
            "rollup": graph.rollup(all_ids),
            "phases": phases,
            "phase_sum": sum(r["total"] for r in phases if r["kind"] == "phase"),
            "in_several": [
                {"id": i, "url": urls.order(graph.orders[i]), "phases": ps}
                for i, ps in in_tops.items()
                if len(ps) > 1
            ],
            "no_phase": sum(1 for ps in in_tops.values() if not ps),
            "owners": owners,
            "unowned": sum(1 for o in graph.orders.values() if not o.owner),
            "statuses": [
                {
                    "id": s,
                    "url": urls.of(urls.status_uri(s)),
                    "total": len(graph.orders_with_status(s)),
                }
                for s in graph.statuses()
            ],
            "adr_count": len(graph.adrs),
            "orders_url": urls.of(urls.orders_uri()),
            "adrs_url": urls.of(urls.adrs_uri()),
            "diagnostics": [d for d in self.diagnostics if d.level.value != "info"],
        }

    def _adr_ref(self, adr_id: str) -> dict[str, Any]:
        """Link data for an ADR; an ADR without a file has no URL (it was reported)."""
        adr = self.graph.adrs.get(adr_id)
        if adr is None:
            return {"id": adr_id, "title": "", "status": None, "url": None}
        return {"id": adr_id, "title": adr.title, "status": adr.status, "url": self.urls.adr(adr)}

    def _adr_rows(self) -> list[dict[str, Any]]:
        graph, urls = self.graph, self.urls
        ref = self._adr_ref

        rows = []
        # one row per ADR file: a file that shares its number gets its own, after the one
        # the number resolves to, and carries no supersession of the number's
        for adr_id, files in graph.adr_files.items():
            canonical = graph.adrs[adr_id]
            for adr in files:
                first = adr is canonical
                rows.append(
                    {
                        "id": adr.id,
                        "title": adr.title,
                        "url": urls.adr(adr),
                        "status": adr.status,
                        "date": adr.date,
                        "deciders": adr.deciders,
                        "supersedes": [ref(a) for a in graph.supersedes(adr_id)] if first else [],
                        "superseded_by": [ref(a) for a in graph.superseded_by(adr_id)]
                        if first
                        else [],
                        "chain": [ref(a) for a in graph.supersession_chain(adr_id)]
                        if first
                        else [],
                        "clashes": [
                            {"title": f"{other.title} ({other.path})", "url": urls.adr(other)}
                            for other in files
                            if other is not adr
                        ],
                        "canonical": first,
                    }
                )
        return rows


def tree_key(page_uri: str, source: str) -> str:
    """The diagram key of an ASCII tree: its page (links are relative to it) and its text."""
    return f"tree:{page_uri}:" + hashlib.sha256(source.encode("utf-8")).hexdigest()


def _insert_after_title(markdown: str, html: str) -> str:
    """Put ``html`` after the page's leading ``# Title`` (or at the top when there is none)."""
    lines = markdown.split("\n")
    first = next((i for i, line in enumerate(lines) if line.strip()), None)
    block = ["", html.strip(), ""]
    if first is not None and _H1.match(lines[first]):
        return "\n".join([*lines[: first + 1], *block, *lines[first + 1 :]])
    return "\n".join([*block, *lines])
