"""What a writer sees of a finding on the page itself: the notice at the top of a page
(``mkdocs serve``) and a dependency that names nothing, on the order's card."""

from __future__ import annotations

from pathlib import Path

from plandocs.core.diagnostics import BAD_FIELD, make
from plandocs.core.graph import seal
from plandocs.core.settings import Settings
from plandocs.core.urls import SiteUrls
from plandocs.project.load import SourceEntry, load
from plandocs.render.pages import Renderer

from .conftest import parse

ORDER = "---\nid: ORDER-A-1\ntitle: First\ndepends_on: [{deps}]\n---\n# First\n\nBody.\n"


def renderer(deps: str, settings: Settings | None = None) -> Renderer:
    settings = settings or Settings()
    docs = [
        parse(ORDER.format(deps=deps), "orders/ORDER_A.md", settings),
        parse("---\nid: ORDER-B-1\ntitle: Second\n---\n# Second\n", "orders/ORDER_B.md", settings),
    ]
    graph, found = seal(docs, settings)
    return Renderer(graph, settings, SiteUrls(), diagnostics=found)


def depends_on(card: str) -> str:
    return card.split("<dt>Depends on</dt><dd>", 1)[1].split("</dd>", 1)[0]


def test_a_dependency_on_nothing_is_shown_as_not_found_never_as_none() -> None:
    card = renderer("ORDER-X-9").order_card("ORDER-A-1", "orders/ORDER_A.md")
    assert depends_on(card) == (
        '<span class="plandocs-missing" title="No order of this project has this ID">'
        "ORDER-X-9: not found</span>"
    )


def test_a_dependency_on_nothing_follows_the_known_ones() -> None:
    card = renderer("ORDER-B-1, ORDER-X-9").order_card("ORDER-A-1", "orders/ORDER_A.md")
    shown = depends_on(card)
    assert ">ORDER-B-1</a>, <span" in shown and "ORDER-X-9: not found" in shown
    assert "none" not in shown


def test_another_systems_id_is_shown_as_it_is_written() -> None:
    settings = Settings(external_ids=(r"ORDER-X-\d+",))
    card = renderer("ORDER-X-9", settings).order_card("ORDER-A-1", "orders/ORDER_A.md")
    assert "ORDER-X-9</span>" in depends_on(card) and "not found" not in card


def test_no_dependency_is_still_none() -> None:
    card = renderer("").order_card("ORDER-A-1", "orders/ORDER_A.md")
    assert depends_on(card) == '<span class="plandocs-none">none</span>'


def test_a_page_shows_its_own_findings_above_its_card(tmp_path: Path) -> None:
    files = {
        "ORDER_A.md": ORDER.format(deps="ORDER-X-9"),
        "notes.md": "# Notes\n\nSee <b>ORDER-Y-1</b>.\n",
    }
    entries = []
    for name, text in files.items():
        (tmp_path / name).write_text(text, encoding="utf-8")
        entries.append(SourceEntry(path=name, uri=name, abs_path=str(tmp_path / name)))
    project = load(entries, Settings())
    by_page = project.findings_by_page()
    assert sorted(by_page) == ["ORDER_A.md", "notes.md"]
    view = Renderer(project.graph, project.settings, SiteUrls(), diagnostics=project.diagnostics)
    view.page_findings = by_page
    page = view.decorate("# First\n\nBody.\n", "ORDER_A.md")
    html = view.finish(view.after_markdown(page, "ORDER_A.md"), "ORDER_A.md")
    notice, card = html.index("plandocs-findings"), html.index("plandocs-card")
    assert html.startswith("# First") and notice < card
    assert (
        '<span class="plandocs-findings__where">line 4</span>, warning: ORDER-A-1 depends on '
        "ORDER-X-9, which is not a known order" in html
    )
    assert "<code>plandocs.unknown-ref</code>" in html


def test_a_notice_keeps_what_the_writer_typed_as_text() -> None:
    hostile = make(BAD_FIELD, "orders/ORDER_A.md", 0, "'<script>x</script>' is not a status")
    notice = renderer("").findings_notice([hostile], "orders/ORDER_A.md")
    assert "<script>" not in notice and "&lt;script&gt;x&lt;/script&gt;" in notice
    assert "whole file</span>, warning:" in notice and "admonition warning" in notice


def test_a_page_without_findings_gets_no_notice() -> None:
    view = renderer("ORDER-B-1")
    view.page_findings = {"orders/ORDER_B.md": ()}
    assert "plandocs-findings" not in view.decorate("# First\n\nBody.\n", "orders/ORDER_A.md")
