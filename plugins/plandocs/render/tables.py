"""The orders tables of the generated pages (``orders_table.html``, ``orders_row.html``).

An order's row is on the orders page and its phase's, owner's and status' pages: it is
rendered once, with a placeholder for each link, filled for each page. With a fragment
store a row is kept on its own too, so a retitled order renders one row again, not every
table it is in.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable, Iterable
from functools import cache, partial
from typing import Any

from markupsafe import Markup, escape

from plandocs.core.urls import relative_url
from plandocs.render.jinja import Templates
from plandocs.render.tokens import Placeholders

#: a link in a rendered row, until the page it goes on is known
_PLACEHOLDER = re.compile("\x1e([^\x1e\x1f]*)\x1f")


def _placeholder(target: str) -> str:
    """A word that stands for the link to site URL ``target`` until the page is known."""
    return f"\x1e{target}\x1f"


def _filler(here: str) -> Callable[[str], str]:
    """A function from a rendered row to the row with each placeholder a link from the page
    at URL ``here``."""

    @cache  # a table's rows link the same owners and phases
    def link(target: str) -> str:
        return str(escape(relative_url(html.unescape(target), here)))

    return partial(_PLACEHOLDER.sub, lambda match: link(match.group(1)))


class Tables:
    def __init__(
        self, templates: Templates, marks: Placeholders, rows: Iterable[dict[str, Any]]
    ) -> None:
        self.templates, self.marks, self.store = templates, marks, templates.store
        rows = list(rows)
        self._rows: dict[str, tuple[dict[str, Any], str]] = {}  # ID -> (row, its HTML)
        self._kept: set[str] = set()  # the IDs whose row records this build keeps
        self._left = 0  # tables made and not yet rendered
        if self.store is not None:  # each row is in the keys of four tables or more
            self.store.remember(rows)
            # under ``mkdocs serve``, the rows of the last build, handed to the next: a row
            # that did not change is the same value (``Views``), its HTML taken as it is
            ids = {o["id"] for o in rows}
            last = self.store.handed("table rows")
            self._rows = {i: held for i, held in last.items() if i in ids}
            self.store.hand("table rows", self._rows)

    def table(self, page_uri: str, rows: list[dict[str, Any]]) -> Markup:
        """The orders table of a generated page, rendered when the page is written."""
        self._left += 1
        return Markup(f"\n\n{self.marks.late(partial(self._render, page_uri, rows))}\n\n")

    def _render(self, page_uri: str, rows: list[dict[str, Any]]) -> str:
        here = self.templates.urls.of(page_uri)
        fill = _filler(here)
        store = self.store

        def row(o: dict[str, Any]) -> Markup:
            """The row, its links from this page; under ``mkdocs serve``, the rows a table
            had the last time it was rendered (``derived``) are not filled again."""
            text = self._row(o)
            if store is None:
                return Markup(fill(text))
            return Markup(store.derived((text, here), partial(fill, text)))

        def make() -> str:
            return self.templates.render("orders_table.html", page_uri, rows=rows, row=row)

        if store is None:
            table = make()
        else:
            table = store.render("orders_table.html", page_uri, {"rows": rows}, make)
            for o in rows:  # the table may have come whole from the store: keep its rows
                if o["id"] not in self._kept:
                    self._kept.add(o["id"])
                    store.keep("orders_row.html", "", {"o": o})
        self._left -= 1
        if self._left == 0:  # the rows are not asked for again: let them go
            self._rows = {}
            if store is not None:
                store.forget()
        return table

    def _row(self, o: dict[str, Any]) -> str:
        """``orders_row.html`` for ``o``, each link a placeholder."""
        known = self._rows.get(o["id"])
        if known is None or known[0] is not o:

            def make() -> str:
                return self.templates.plain("orders_row.html", rel=_placeholder, o=o).strip()

            if self.store is None:
                known = self._rows[o["id"]] = (o, make())
            else:
                self._kept.add(o["id"])  # asking for the record keeps it
                row = self.store.render("orders_row.html", "", {"o": o}, make, counted=False)
                known = self._rows[o["id"]] = (o, row)
        return known[1]
