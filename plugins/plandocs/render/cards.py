"""The cards under a page's title (an order's ``card.html``, an ADR's ``adr_card.html``),
the lines beside them (history, permanent address), and the "Referenced by" section at the
end of a target's page (``referenced_by.html``)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from functools import partial
from typing import Any
from urllib.parse import unquote

from markupsafe import escape

from plandocs.core.links import Mention, References, Target
from plandocs.core.model import Adr, Order
from plandocs.core.parse.adrs import SUPERSEDED_BY, SUPERSEDES
from plandocs.core.parse.fields import FINISHED
from plandocs.core.urls import SiteUrls, relative_url
from plandocs.render.jinja import Templates
from plandocs.render.permalinks import permalink_url
from plandocs.render.tokens import Placeholders
from plandocs.render.views import Views


def permalink_line(target: str, urls: SiteUrls, page_uri: str) -> str | None:
    """An ADR's or phase's permanent address, under its title (an order's is on its card)."""
    url = permalink_url(target, urls.use_directory_urls)
    if url is None:
        return None
    href = relative_url(url, urls.of(page_uri))
    return (
        f'<p class="plandocs-permalink">Permalink: <a href="{escape(href)}" title="This '
        f'address keeps working when the file is renamed">{escape(unquote(url))}</a></p>'
    )


class Cards:
    def __init__(
        self,
        views: Views,
        templates: Templates,
        marks: Placeholders,
        references: References,
        targets: Mapping[str, Target],
    ) -> None:
        self.graph, self.urls, self.views = views.graph, views.urls, views
        self.templates, self.marks, self.targets = templates, marks, targets
        self.mentions = references.mentions

    def order_card(self, order_id: str, page_uri: str, *, compact: bool = False) -> str:
        """An order's card on its page, or on a page that summarises or translates it."""
        order = self.graph.orders[order_id]
        canonical, relation = None, None
        if page_uri != order.uri:
            canonical = self.urls.order(order)
            relation = "translation" if page_uri in self.graph.variant_pages else "summary"
        row = dict(self.views.rows[order_id])
        row["listings"] = [item for item in row["listings"] if item["uri"] != page_uri]
        if relation == "translation":  # the original first, then the other translations
            here = self.urls.of(page_uri)
            original = {"lang": "", "label": "Original", "url": self.urls.of(order.uri)}
            row["variants"] = [original, *(v for v in row["variants"] if v["url"] != here)]
        return self.templates.cached(
            "card.html",
            page_uri,
            o=row,
            compact=compact,
            canonical_url=canonical,
            relation=relation,
        )

    def archived_card(self, order: Order, page_uri: str) -> str:
        """The card of an archived order whose ID a live one has taken: its own fields, the
        dependencies it declares, and a line that sends the reader to the live one."""
        graph = self.graph
        row = self.views.row(order)
        row.update(
            depends_on=[self.views.ref(d) for d in order.declared_depends_on if d in graph.orders],
            blocks=[],
            blocked_by=[],
            children=[],
            listings=[],
            variants=[],
            permalink=None,  # the ID's permanent address leads to the live order
            permalink_text=None,
        )
        return self.templates.cached(
            "card.html",
            page_uri,
            o=row,
            compact=False,
            canonical_url=self.urls.order(graph.orders[order.id]),
            relation="archived",
        )

    def adr_card(self, adr: Adr, page_uri: str) -> str:
        """An ADR page's card, with a banner when a later decision supersedes it."""
        graph, ref = self.graph, self.views.adr_ref
        own = graph.adrs.get(adr.id) == adr  # the file the ID names, not one sharing it
        successors = graph.superseded_by(adr.id) if own else ()
        relations = [
            ("Supersedes", graph.supersedes(adr.id) if own else ()),
            ("Superseded by", successors),
        ]
        # the other relations the file writes ("Amended by", "Relates to"), as typed
        others: dict[str, dict[str, None]] = {}  # label -> the ADRs named, in order, once
        for link in graph.adr_links.get(adr.path, ()):
            if link.target and link.kind not in (SUPERSEDES, SUPERSEDED_BY):
                others.setdefault(link.kind[:1].upper() + link.kind[1:], {})[link.target] = None
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
                {"label": label, "adrs": [ref(i) for i in ids]} for label, ids in relations if ids
            ],
            "superseded_by": [ref(i) for i in successors],
            "source": adr.path,
        }
        return self.templates.cached("adr_card.html", page_uri, a=card)

    def referenced_by(self, target_id: str, page_uri: str) -> str:
        """The "Referenced by" section of a target's page; "" when nothing refers to it. Its
        heading is Markdown, so the table of contents lists it; its lists are a late
        fragment, which search does not read, so the heading is kept out of search too (a
        search for "referenced" found every order page)."""
        if not self._reference_groups(target_id):
            return ""
        # made again when the page is written: a build holds no page's lists until then
        lists = self.marks.late(partial(self._referenced_by_lists, target_id, page_uri))
        return f"\n## Referenced by {{ .plandocs-referenced-by data-search-exclude }}\n\n{lists}\n"

    def _referenced_by_lists(self, target_id: str, page_uri: str) -> str:
        groups = self._reference_groups(target_id)
        return self.templates.cached("referenced_by.html", page_uri, groups=groups)

    def _reference_groups(self, target_id: str) -> list[dict[str, Any]]:
        graph, targets, urls = self.graph, self.targets, self.urls

        def group(label: str, ids: Iterable[str]) -> dict[str, Any]:
            known = [i for i in ids if i in targets]
            items = [
                _item(f"{i}: {targets[i].title}", urls.of(targets[i].page, targets[i].anchor))
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
            groups.append(group("Orders citing this", sorted(self.graph.citing.get(target_id, []))))
        # A page listed under a relation above is not listed again as a mention.
        listed = {targets[ref].page for g in groups for ref in g["ids"] if not targets[ref].anchor}
        mentions = self.mentions.get(target_id, ())
        groups.append({"label": "Mentioned in", "items": self._mention_items(mentions, listed)})
        return [g for g in groups if g["items"]]

    def _mention_items(self, mentions: Iterable[Mention], listed: set[str]) -> list[dict[str, Any]]:
        """One line per page that mentions a target (not one per section): the page's
        name, and its section or how many sections mention it; by page title."""
        by_page: dict[str, list[Mention]] = {}
        for mention in mentions:
            if mention.uri not in listed:
                by_page.setdefault(mention.uri, []).append(mention)
        items = []
        for uri, found in by_page.items():
            sections = [m.section for m in sorted(found, key=lambda m: m.line) if m.section]
            one = len(found) == 1
            note = sections[0] if one and sections else ""
            name = self._page_name(found[0].title, uri)
            items.append(_item(name, self.urls.of(uri), note, len(found), [] if one else sections))
        return items

    def _page_name(self, title: str, uri: str) -> str:
        """A page's title, with the language of a translation: "Fix (RU)"."""
        order_id = self.graph.variant_pages.get(uri)
        variants = self.graph.orders[order_id].variants if order_id else ()
        langs = [v.lang for v in variants if v.uri == uri]
        name = title or uri
        return f"{name} ({langs[0].upper()})" if langs else name


def _item(
    text: str, url: str, note: str = "", count: int = 1, sections: list[str] | None = None
) -> dict[str, Any]:
    return {"text": text, "url": url, "note": note, "count": count, "sections": sections or []}
