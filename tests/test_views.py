"""Rendered fragments and generated pages: escaping, links, determinism."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import jinja2
import markdown as markdown_lib
import pytest

from plandocs.cache import fragments as fragment_cache
from plandocs.core.graph import seal
from plandocs.core.links import build_index, scan_page, scan_references
from plandocs.core.settings import Settings
from plandocs.core.urls import SiteUrls, relative_url
from plandocs.render.export import planning_json
from plandocs.render.jinja import count_of
from plandocs.render.pages import Renderer
from plandocs.render.repo_links import rewrite_repo_links

from .conftest import parse

HOSTILE = '<script>alert("x")</script> & {braces} \\ `code`'


def renderer(*docs: tuple[str, str], use_directory_urls: bool = True) -> Renderer:
    settings = Settings()
    graph, found = seal([parse(text, uri, settings) for uri, text in docs], settings)
    return Renderer(graph, settings, SiteUrls(use_directory_urls), diagnostics=found)


ORDER_FILE = (
    "orders/ORDER_A.md",
    f"---\nid: ORDER-A-1\ntitle: '{HOSTILE}'\nto: wrk-1 (<b>Lead</b>)\npriority: high\n"
    "status: pending\ndepends_on: [ORDER-B-2]\n---\n# The order\n\nBody.\n",
)
SUMMARY = (
    "orders/SUMMARY.md",
    "# Summary\n\n```\n#### ORDER-B-2: inside code, not an entry\n```\n\n"
    "#### ORDER-B-2: Second\n\n**Owner**: wrk-2\n\n#### ORDER-A-1: Listed here too\n",
)


def test_card_escapes_titles_and_labels() -> None:
    card = renderer(ORDER_FILE, SUMMARY).order_card("ORDER-A-1", "orders/ORDER_A.md")
    assert "<script>" not in card and "<b>Lead</b>" not in card
    assert "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt; &amp; {braces}" in card
    assert '<a class="plandocs-ref" href="../SUMMARY/#order-b-2"' in card


def test_order_page_gets_its_card_after_the_title() -> None:
    view = renderer(ORDER_FILE, SUMMARY)
    out = view.decorate(ORDER_FILE[1].split("---\n", 2)[2], "orders/ORDER_A.md")
    lines = out.split("\n")
    assert lines[0] == "# The order"
    # the card waits as a paragraph of its own until the page is written: search and the
    # page content MkDocs keeps see a comment
    assert (lines[1], lines[3], lines[4]) == ("", "", "")
    content = view.after_markdown(f"<p>{lines[2]}</p>", "orders/ORDER_A.md")
    assert content.startswith("<!--plandocsfragL") and content.endswith("x-->")
    assert view.finish(content, "orders/ORDER_A.md").startswith('<div class="plandocs-card"')
    assert out.rstrip().endswith("Body.")


def test_a_finished_page_has_its_diagram_and_its_links() -> None:
    view = renderer(ORDER_FILE, SUMMARY)
    view.diagrams = {"ORDER-A-1": "<svg>the diagram</svg>\n"}
    page = "orders/ORDER_A.md"
    body = ORDER_FILE[1].split("---\n", 2)[2] + "\nSee ORDER-B-2.\n"
    content = view.after_markdown(markdown_lib.markdown(view.decorate(body, page)), page)
    alone = view.finish(content, page)
    assert "<svg>the diagram</svg>" in alone and 'title="Second">ORDER-B-2</a>' in alone


def test_summary_entries_get_anchors_and_cards_but_code_is_untouched() -> None:
    view = renderer(ORDER_FILE, SUMMARY)
    out = view.inline(view.decorate(SUMMARY[1], "orders/SUMMARY.md"), "orders/SUMMARY.md")
    assert "#### ORDER-B-2: inside code, not an entry\n```" in out
    assert "#### ORDER-B-2: Second { #order-b-2 }" in out
    assert "#### ORDER-A-1: Listed here too { #order-a-1 }" in out
    # The entry of an order that has its own page points there.
    assert 'This entry summarises <a href="../ORDER_A/">ORDER-A-1</a>' in out
    assert out.count('<div class="plandocs-card plandocs-card--compact"') == 2


def test_links_without_directory_urls() -> None:
    card = renderer(ORDER_FILE, SUMMARY, use_directory_urls=False).order_card(
        "ORDER-A-1", "orders/ORDER_A.md"
    )
    assert 'href="SUMMARY.html#order-b-2"' in card
    assert 'href="../planning/owners/wrk-1.html"' in card


@pytest.mark.parametrize("use_directory_urls", [True, False])
def test_an_orders_row_links_right_from_every_page_it_is_on(use_directory_urls: bool) -> None:
    """A row is rendered once and its links filled for each page: from the orders page and
    from an owner's page (a folder deeper), each link is the one computed for that page."""
    view = renderer(ORDER_FILE, SUMMARY, use_directory_urls=use_directory_urls)
    urls = view.urls
    pages = {p.uri: p for p in view.pages()}
    order = view.graph.orders["ORDER-A-1"]
    for uri in ("planning/orders.md", "planning/owners/wrk-1.md", "planning/status/pending.md"):
        html = view.finish(pages[uri].markdown, uri)
        row = html[html.index('<tr data-phase="" data-owner="wrk-1"') :]
        row = row[: row.index("</tr>")]
        here = urls.of(uri)
        wanted = [
            relative_url(urls.order(order), here),
            relative_url(urls.of(urls.owner_uri("wrk-1")), here),
            relative_url(urls.order(view.graph.orders["ORDER-B-2"]), here),
        ]
        assert [f'href="{link}"' in row for link in wanted] == [True, True, True], (uri, row)
        assert "\x1e" not in html and "\x1f" not in html


def test_an_override_of_the_orders_row_shows_in_every_table(tmp_path: Path) -> None:
    (tmp_path / "orders_row.html").write_text(
        '<tr class="mine"><td><a href="{{ rel(o.url) }}">{{ o.id }}</a></td></tr>\n',
        encoding="utf-8",
    )
    settings = Settings()
    docs = (ORDER_FILE, SUMMARY)
    graph, _ = seal([parse(text, uri, settings) for uri, text in docs], settings)
    view = Renderer(graph, settings, SiteUrls(), templates_dir=str(tmp_path))
    pages = {p.uri: p for p in view.pages()}
    orders = view.finish(pages["planning/orders.md"].markdown, "planning/orders.md")
    owner = view.finish(pages["planning/owners/wrk-1.md"].markdown, "planning/owners/wrk-1.md")
    assert '<tr class="mine"><td><a href="../../orders/ORDER_A/">ORDER-A-1</a>' in orders
    assert '<tr class="mine"><td><a href="../../../orders/ORDER_A/">ORDER-A-1</a>' in owner


def test_generated_pages() -> None:
    view = renderer(ORDER_FILE, SUMMARY)
    pages = {p.uri: p for p in view.pages()}
    assert sorted(pages) == [
        "planning/adrs.md",
        "planning/index.md",
        "planning/orders.md",
        "planning/owners/wrk-1.md",
        "planning/owners/wrk-2.md",
        "planning/status/pending.md",
        "planning/status/unknown.md",
        "planning/timeline.md",
    ]
    markdown = pages["planning/orders.md"].markdown
    assert "<tr data-phase" not in markdown  # the table waits for finish
    orders = view.finish(markdown, "planning/orders.md")
    assert orders.startswith("# All orders\n")
    assert orders.count("<tr data-phase") == 2
    assert "data-plandocs-sortable" in orders
    assert "<script>" not in orders


def test_planning_json_is_json_dumps_indented_and_reuses_what_it_encoded_before() -> None:
    view = renderer(ORDER_FILE, SUMMARY)
    encoded: dict[str, str] = {}
    text = planning_json(view.graph, view.diagnostics, view.urls, encoded=encoded)
    assert text == json.dumps(json.loads(text), ensure_ascii=False, indent=2) + "\n"
    assert HOSTILE in json.loads(text)["orders"][0]["title"]
    data = json.loads(text)
    assert len(encoded) == sum(len(data[key]) for key in ("orders", "adrs", "phases")) == 2
    # the entries kept are taken as they are: a stale one would show
    stale = next(k for k in encoded if "ORDER-A-1" in k)
    encoded[stale] = encoded[stale].replace("ORDER-B-2", "ORDER-STALE")
    assert "ORDER-STALE" in planning_json(view.graph, view.diagnostics, view.urls, encoded=encoded)
    # an order that changed is encoded again, and only what this call wrote is left
    edited = renderer((ORDER_FILE[0], ORDER_FILE[1].replace("pending", "done")), SUMMARY)
    again = planning_json(edited.graph, edited.diagnostics, edited.urls, encoded=encoded)
    assert again == planning_json(edited.graph, edited.diagnostics, edited.urls)
    assert "ORDER-STALE" not in again and '"status": "done"' in again
    assert stale not in encoded


def test_planning_json_is_stable_and_complete() -> None:
    first = renderer(ORDER_FILE, SUMMARY)
    second = renderer(SUMMARY, ORDER_FILE)
    text = planning_json(first.graph, first.diagnostics, first.urls)
    assert text == planning_json(second.graph, second.diagnostics, second.urls)
    data = json.loads(text)
    assert data["schema"] == 3
    assert [o["id"] for o in data["orders"]] == ["ORDER-A-1", "ORDER-B-2"]
    assert data["orders"][0]["depends_on"] == ["ORDER-B-2"]
    assert data["orders"][1]["blocks"] == ["ORDER-A-1"]
    assert data["orders"][1]["url"] == "orders/SUMMARY/#order-b-2"
    assert set(data["orders"][0]) == {
        "id",
        "title",
        "owner",
        "owner_id",
        "owners",
        "priority",
        "status",
        "phase",
        "depends_on",
        "blocks",
        "parent",
        "children",
        "draft",
        "archived",
        "canonical",
        "source",
        "url",
        "permalink",
    }


def test_an_order_file_with_sections_gets_its_card_and_entry_anchors() -> None:
    parent = (
        "orders/ORDER_P.md",
        "---\nid: ORDER-P-1\n---\n# Parent\n\n#### ORDER-C-2: Child\n\n**Owner**: wrk-1\n\n"
        "#### order-c-3: Lower\n\n**Owner**: wrk-1\n\n#### ORDER-X-9: a note, not an entry\n",
    )
    view = renderer(parent)
    out = view.inline(
        view.decorate(parent[1].split("---\n", 2)[2], "orders/ORDER_P.md"), "orders/ORDER_P.md"
    )
    assert out.split("\n")[2].startswith('<div class="plandocs-card" data-order="ORDER-P-1"')
    assert "#### ORDER-C-2: Child { #order-c-2 }" in out
    assert "#### order-c-3: Lower { #order-c-3 }" in out
    assert "#### ORDER-X-9: a note, not an entry\n" in out
    assert out.count("data-order=") == 3  # the order's own card and two entries
    assert sorted(view.graph.orders) == ["ORDER-C-2", "ORDER-C-3", "ORDER-P-1"]


REPO = {
    "docs/index.md": "index.md",
    "docs/adr/ADR-016-x.md": "adr/ADR-016-x.md",
    "docs/img/graph.png": "img/graph.png",
    "orders/ORDER_A.md": "orders/ORDER_A.md",
}


@pytest.mark.parametrize(
    ("page_path", "page_uri", "source", "expected"),
    [
        (  # GitHub path from orders/ into docs/
            "orders/ORDER_A.md",
            "orders/ORDER_A.md",
            "See [ADR](../docs/adr/ADR-016-x.md#context) and ![g](../docs/img/graph.png).",
            "See [ADR](../adr/ADR-016-x.md#context) and ![g](../img/graph.png).",
        ),
        (  # GitHub path from docs/ into orders/
            "docs/index.md",
            "index.md",
            'The [order](../orders/ORDER_A.md "title").',
            'The [order](orders/ORDER_A.md "title").',
        ),
        (  # already a site link, an anchor, a URL, code: untouched
            "orders/ORDER_A.md",
            "orders/ORDER_A.md",
            "[a](../adr/ADR-016-x.md) [b](#x) [c](https://x.org/a.md) `[d](../docs/index.md)`",
            "[a](../adr/ADR-016-x.md) [b](#x) [c](https://x.org/a.md) `[d](../docs/index.md)`",
        ),
        (  # nothing published there: left for MkDocs to report
            "orders/ORDER_A.md",
            "orders/ORDER_A.md",
            "[gone](../docs/missing.md)",
            "[gone](../docs/missing.md)",
        ),
        (
            "orders/ORDER_A.md",
            "orders/ORDER_A.md",
            "```\n[x](../docs/index.md)\n```",
            "```\n[x](../docs/index.md)\n```",
        ),
        (  # titles in single quotes, <bracketed> targets, nested brackets, queries
            "orders/ORDER_A.md",
            "orders/ORDER_A.md",
            "[a](../docs/index.md 'T') [b](<../docs/index.md>) [c [n] d](../docs/index.md?x=1)",
            "[a](../index.md 'T') [b](<../index.md>) [c [n] d](../index.md?x=1)",
        ),
        (  # a code span that starts inside link text; a comment before a real link
            "orders/ORDER_A.md",
            "orders/ORDER_A.md",
            "[a `b](../docs/index.md)` c\n"
            "<!-- c --> [d](../docs/index.md) \\\\[e](../docs/index.md)",
            "[a `b](../docs/index.md)` c\n<!-- c --> [d](../index.md) \\\\[e](../index.md)",
        ),
        (  # a comment over several lines
            "orders/ORDER_A.md",
            "orders/ORDER_A.md",
            "<!--\n[x](../docs/index.md)\n--> [y](../docs/index.md)",
            "<!--\n[x](../docs/index.md)\n--> [y](../index.md)",
        ),
        (  # an image inside a link: both rewritten
            "orders/ORDER_A.md",
            "orders/ORDER_A.md",
            "[![b](../docs/img/graph.png)](../docs/adr/ADR-016-x.md)",
            "[![b](../img/graph.png)](../adr/ADR-016-x.md)",
        ),
        (  # a reference definition; escaped brackets, comments and ``code `spans`` stay
            "orders/ORDER_A.md",
            "orders/ORDER_A.md",
            "[ref]: ../docs/index.md\n\\[e](../docs/index.md) ``a ` [f](../docs/index.md)``\n"
            "<!-- [g](../docs/index.md) -->",
            "[ref]: ../index.md\n\\[e](../docs/index.md) ``a ` [f](../docs/index.md)``\n"
            "<!-- [g](../docs/index.md) -->",
        ),
        (  # a page whose only link is a reference definition
            "orders/ORDER_A.md",
            "orders/ORDER_A.md",
            "See [the index][ref].\n\n[ref]: ../docs/index.md",
            "See [the index][ref].\n\n[ref]: ../index.md",
        ),
    ],
)
def test_repository_links_are_rewritten_for_the_site(
    page_path: str, page_uri: str, source: str, expected: str
) -> None:
    assert rewrite_repo_links(source, page_path, page_uri, REPO) == expected
    # as the build asks, with the published URIs worked out once for every page
    published = frozenset(REPO.values())
    assert rewrite_repo_links(source, page_path, page_uri, REPO, published) == expected


def test_an_order_page_ends_with_what_refers_to_it() -> None:
    settings = Settings()
    docs = [
        ORDER_FILE,
        SUMMARY,
        (
            "orders/ORDER_C.md",
            "---\nid: ORDER-C-3\ntitle: Third\ndepends_on: [ORDER-A-1]\n---\n\nAfter ORDER-A-1.\n",
        ),
        (
            "docs/notes.md",
            "# Notes\n\n## Plans\n\nAfter ORDER-A-1, and `ORDER-A-1` again.\n\n"
            "## Risks\n\nORDER-A-1 slips.\n\n## Later\n\nORDER-A-1 done.\n",
        ),
    ]
    parsed = [parse(text, uri, settings) for uri, text in docs]
    graph, _ = seal(parsed, settings)
    index = build_index(graph, settings, SiteUrls())
    references = scan_references(
        {p.doc.uri: (scan_page(p.doc.text, settings), p.title) for p in parsed},
        index,
        reported=set(),
    )
    view = Renderer(graph, settings, SiteUrls(), references=references)
    page = view.inline(view.decorate("# The order\n\nBody.\n", "orders/ORDER_A.md"), "")
    # by relation, then by page (the summary's entry heading is the section it is in): a
    # page that mentions the order in three sections is one line with a count, and the
    # order that is blocked by it is not listed again for mentioning it; the heading is
    # Markdown, for the table of contents, and the lists are filled in late
    assert page.endswith(
        "## Referenced by { .plandocs-referenced-by data-search-exclude }\n\n"
        "<p><strong>Blocked by this</strong></p>\n"
        '<ul class="plandocs-referenced-by__list">\n'
        '<li><a href="../ORDER_C/">ORDER-C-3: Third</a></li>\n'
        "</ul>\n"
        "<p><strong>Mentioned in</strong></p>\n"
        '<ul class="plandocs-referenced-by__list">\n'
        '<li title="Plans; Risks; Later"><a href="../../docs/notes/">Notes</a> '
        '<span class="plandocs-referenced-by__count">· 3 mentions</span></li>\n'
        '<li><a href="../SUMMARY/">Summary — ORDER-A-1: Listed here too</a></li>\n'
        "</ul>\n"
    )
    # nothing refers to the notes page: no section
    notes = Renderer(graph, settings, SiteUrls(), references=references).decorate(
        "# Notes\n", "docs/notes.md"
    )
    assert "Referenced by" not in notes


def test_cross_links_survive_markdown_wherever_text_goes() -> None:
    """A cross-link in running text is a token until Markdown has run: in a list, a table,
    emphasis, a quote and an admonition it comes out as the link; a heading keeps a
    Markdown link, so its anchor and its entry in the contents are the writer's words."""
    view = renderer(ORDER_FILE, SUMMARY)
    page = "docs/notes.md"
    source = (
        "# Notes\n\n"
        "## After ORDER-A-1\n\n"
        "ORDER-A-1\n\n"
        "- item ORDER-A-1\n"
        "- **ORDER-A-1**, *ORDER-A-1*\n\n"
        "| a | b |\n|---|---|\n| ORDER-A-1 | x |\n\n"
        "> quoted ORDER-A-1\n\n"
        '!!! note "About ORDER-A-1"\n    body ORDER-A-1\n'
    )
    decorated = view.decorate(source, page)
    assert "[ORDER-A-1](" in decorated.split("\n")[2]  # the heading: a Markdown link
    assert decorated.count("plandocsfragR") == 7
    html = markdown_lib.markdown(decorated, extensions=["toc", "tables", "admonition"])
    content = view.after_markdown(html, page)
    # what search reads and MkDocs keeps: the link's text; its address waits for finish
    assert content.count(">ORDER-A-1</a>") == 8 and content.count("<a plandocsfragR") == 7
    html = view.finish(content, page)
    link = '<a href="../../orders/ORDER_A/" title="{} (pending)">ORDER-A-1</a>'
    assert "plandocsfrag" not in html
    # a frontmatter title is text, kept as written: its backticks too
    tooltip = "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; {braces} \\ `code`"
    assert html.count(link.format(tooltip)) == 7
    assert "<p><a href" in html  # a paragraph that is one link keeps its paragraph
    assert '<h2 id="after-order-a-1">' in html
    assert "<strong><a href" in html and "<em><a href" in html
    assert "<td><a href" in html
    # a summary's own anchor: the link stays on its page
    summary = view.finish(
        view.after_markdown(
            markdown_lib.markdown(view.decorate("# S\n\nSee ORDER-B-2.\n", "orders/SUMMARY.md")),
            "orders/SUMMARY.md",
        ),
        "orders/SUMMARY.md",
    )
    assert '<a href="#order-b-2" title="Second">ORDER-B-2</a>' in summary


def test_templates_read_a_dict_as_jinja2_does() -> None:
    """Keys of a plain dict are read without trying an attribute first; a dict's own
    methods still come first, a missing key is still an error, other objects as before."""

    view = renderer(ORDER_FILE)
    plain = jinja2.Environment(undefined=jinja2.StrictUndefined, autoescape=True)
    text = (
        "{{ d.id }}|{{ d.items is callable }}|{{ d.get('id') }}|{{ d['items'] }}|"
        "{{ d.nested.x }}|{{ s.upper() }}|{{ n.real }}|{{ u.id }}"
    )

    class Row(dict):  # type: ignore[type-arg]
        id = "attribute"

    values = {
        "d": {"id": "X", "items": 3, "nested": {"x": "<b>"}},
        "s": "abc",
        "n": 5,
        "u": Row(id="key"),
    }
    ours = view.env.from_string(text).render(**values)
    assert ours == plain.from_string(text).render(**values)
    assert ours == "X|True|X|3|&lt;b&gt;|ABC|5|attribute"
    for env in (view.env, plain):
        with pytest.raises(jinja2.UndefinedError):
            env.from_string("{{ d.missing }}").render(d={})


ADRS = (
    (
        "adr/ADR-006-nats.md",
        "---\nstatus: superseded\ndate: 2024-01-05\ndeciders: [Ana, Bo]\n"
        "superseded_by: [ADR-019]\nrelated_adrs: [ADR-019]\n---\n\n# ADR-006: NATS\n\nText.\n",
    ),
    ("adr/ADR-019-kafka.md", "---\nstatus: accepted\n---\n\n# 19. Kafka <b>now</b>\n\nText.\n"),
)


def test_an_adr_page_gets_its_card_and_a_superseded_banner() -> None:
    view = renderer(*ADRS)
    page = view.inline(view.decorate("# ADR-006: NATS\n\nText.\n", "adr/ADR-006-nats.md"), "")
    head, card = page.split('<div class="plandocs-card plandocs-adr-card" data-adr="ADR-006">')
    # the banner comes first and names the decision that replaces this one, linked
    assert head.startswith("# ADR-006: NATS\n")
    assert '<div class="admonition warning plandocs-superseded">' in head
    assert (
        'superseded by <a href="../ADR-019-kafka/" title="Kafka &lt;b&gt;now&lt;/b&gt; '
        '(accepted)">ADR-019: Kafka &lt;b&gt;now&lt;/b&gt;</a>.' in head
    )
    assert "plandocs-badge--status-superseded" in card
    assert "<dt>Date</dt><dd>2024-01-05</dd>" in card
    assert "<dt>Deciders</dt><dd>Ana, Bo</dd>" in card
    assert '<dt>Superseded by</dt><dd><a href="../ADR-019-kafka/"' in card
    assert '<dt>Relates to</dt><dd><a href="../ADR-019-kafka/"' in card
    assert card.index("</dl>") < card.index("Text.")  # under the title, before the text
    # the decision in force: a card, no banner; what it supersedes is on its card
    kafka = view.decorate("# 19. Kafka\n\nText.\n", "adr/ADR-019-kafka.md")
    kafka = view.inline(kafka, "")
    assert 'data-adr="ADR-019"' in kafka and "plandocs-superseded" not in kafka
    assert '<dt>Supersedes</dt><dd><a href="../ADR-006-nats/"' in kafka
    assert '<dt>Deciders</dt><dd><span class="plandocs-none">not given</span></dd>' in kafka


@pytest.mark.parametrize(
    ("uri", "meta_title", "title", "tab"),
    [
        # frontmatter title: the ID goes in front
        ("orders/ORDER_A.md", "Fix it", "Fix it", "ORDER-A-1: Fix it"),
        # a heading that names the ID already: unchanged
        ("orders/ORDER_A.md", None, "ORDER-A-1: Fix it", None),
        # a translation's tab too
        ("orders/ORDER_A_RU.md", None, "Исправить", "ORDER-A-1: Исправить"),
        # a numbered ADR heading: the number is the ID's
        ("adr/ADR-019-kafka.md", None, "19. Kafka &lt;b&gt;", "ADR-019: Kafka <b>"),
        ("adr/ADR-006-nats.md", None, "ADR-006: NATS", None),
        # a phase's title has its ID, and any other page is left alone
        ("planning/phases/CP1.md", None, "CP1: Core", None),
        ("docs/notes.md", "Notes", "Notes", None),
    ],
)
def test_the_tab_title_of_an_order_or_adr_carries_its_id(
    uri: str, meta_title: str | None, title: str, tab: str | None
) -> None:
    order = ("orders/ORDER_A.md", "---\nid: ORDER-A-1\ntitle: Fix it\nphase: CP1\n---\n# Fix\n")
    translation = ("orders/ORDER_A_RU.md", "---\nid: ORDER-A-1\n---\n# Исправить\n")
    view = renderer(order, translation, *ADRS)
    assert view.tab_title(uri, meta_title, title) == tab


def test_a_translation_links_back_to_the_original_and_not_to_itself() -> None:
    docs = [
        ("orders/ORDER_T.md", "---\nid: ORDER-T-1\ntitle: Fix\n---\n# Fix\n"),
        ("orders/ORDER_T_RU.md", "---\nid: ORDER-T-1\n---\n# Исправить\n"),
        ("orders/ORDER_T_DE.md", "---\nid: ORDER-T-1\n---\n# Reparieren\n"),
    ]
    view = renderer(*docs)
    row = "<dt>Translations</dt><dd>{}</dd>"
    original = view.order_card("ORDER-T-1", "orders/ORDER_T.md")
    assert (
        row.format(
            '<a href="../ORDER_T_DE/" hreflang="de">DE</a>, '
            '<a href="../ORDER_T_RU/" hreflang="ru">RU</a>'
        )
        in original
    )
    russian = view.order_card("ORDER-T-1", "orders/ORDER_T_RU.md")
    assert (
        row.format(
            '<a href="../ORDER_T/">Original</a>, <a href="../ORDER_T_DE/" hreflang="de">DE</a>'
        )
        in russian
    )


def test_a_summary_entry_shows_its_card_in_place_of_its_field_lines() -> None:
    """The bold field lines under an entry's heading are what its card shows: they are
    folded under the card as typed; the entry's own text after them stays as it is."""
    text = (
        "# Summary\n\n## ORDER-B-2: Second\n\n**Owner**: wrk-2\n**Status**: Pending <b>x</b>\n\n"
        "**Priority**: high\n\n**Task**: do it\n\n**Owner**: not under the heading\n"
    )
    view = renderer(("orders/SUMMARY.md", text))
    page = view.inline(view.decorate(text, "orders/SUMMARY.md"), "")
    card_end = page.index("</dl>\n</div>")
    after = page[card_end + len("</dl>\n</div>") :]
    assert after.startswith(
        '\n\n<details class="plandocs-as-written"><summary>As written</summary><pre><code>'
        "**Owner**: wrk-2\n**Status**: Pending &lt;b&gt;x&lt;/b&gt;\n\n**Priority**: high"
        "</code></pre></details>\n\n**Task**: do it\n\n**Owner**: not under the heading\n"
    )
    assert page.count("**Owner**: wrk-2") == 1  # only in the folded text


# -- tables and the overview ---------------------------------------------------------
PHASED = (
    ("orders/A.md", "---\nid: ORDER-A-1\ntitle: Track and phase\nphase: [CP2-LC, CP3]\n---\n"),
    ("orders/B.md", "---\nid: ORDER-B-2\ntitle: Done\nto: wrk-1\nphase: CP2\nstatus: done\n---\n"),
    (
        "orders/C.md",
        "---\nid: ORDER-C-3\ntitle: Nowhere\ndepends_on: [ORDER-A-1, ORDER-B-2]\n---\n",
    ),
)


def test_count_of_gives_the_noun_its_number() -> None:
    assert [count_of(n, "order") for n in (0, 1, 2)] == ["0 orders", "1 order", "2 orders"]
    assert count_of(1, "finding") == "1 finding"
    assert count_of(3, "entry", "entries") == "3 entries"


def test_the_phase_filter_counts_an_order_where_the_phase_pages_list_it() -> None:
    """A row's data-phase holds every phase whose page lists the order (a track's order
    counts in its phase too), so the table's phase filter and the overview agree."""
    view = renderer(*PHASED)
    graph = view.graph
    for order in graph.orders.values():
        listed_in = [p for p in graph.phases if order.id in graph.orders_in_phase(p)]
        assert graph.phases_counted(order) == listed_in
    pages = {p.uri: p for p in view.pages()}
    orders = view.finish(pages["planning/orders.md"].markdown, "planning/orders.md")
    assert '<tr data-phase="CP2 CP2-LC CP3" data-owner=""' in orders
    assert '<tr data-phase="" data-owner=""' in orders  # ORDER-C-3 has no phase


def test_an_orders_row_links_its_title_and_lists_its_dependencies_under_it() -> None:
    view = renderer(*PHASED)
    pages = {p.uri: p for p in view.pages()}
    orders = view.finish(pages["planning/orders.md"].markdown, "planning/orders.md")
    row = orders[orders.index("<code>ORDER-<wbr>C-<wbr>3</code>") :]
    row = row[: row.index("</tr>")]
    assert '<a class="plandocs-title-link" href="../../orders/C/">Nowhere</a>' in row
    # what blocks it first, then what it depends on that is finished
    blocked, finished = row.index("Blocked by"), row.index("also depends on")
    assert blocked < row.index(">ORDER-<wbr>A-<wbr>1</a>") < finished
    assert finished < row.index(">ORDER-<wbr>B-<wbr>2</a>")
    # six columns: the dependencies are not columns of their own
    head = orders[orders.index("<thead>") : orders.index("</thead>")]
    assert head.count("<th ") == 6
    assert "Depends on</th>" not in head and "Blocked by</th>" not in head


def test_the_rollup_has_a_row_for_statuses_and_one_for_priorities() -> None:
    view = renderer(*PHASED)
    pages = {p.uri: p for p in view.pages()}
    orders = view.finish(pages["planning/orders.md"].markdown, "planning/orders.md")
    rollup = orders[orders.index('<table class="plandocs-rollup">') :]
    rollup = rollup[: rollup.index("</table>")]
    assert rollup.count("<tr>") == 3  # orders, status, priority: however many values
    assert '<th scope="row">Orders</th><td>3</td>' in rollup
    assert "done</span> 1</span>" in rollup and "no status</span> 2</span>" in rollup


def test_the_overview_has_sections_and_counts_that_add_up() -> None:
    view = renderer(*PHASED)
    overview = next(p.markdown for p in view.pages() if p.uri == "planning/index.md")
    headings = [line for line in overview.splitlines() if line.startswith("## ")]
    assert headings == ["## Totals", "## Phases", "## Owners", "## Status"]
    assert "3 orders, 2 phases, 1 owner and 0 architecture decisions." in overview
    # CP2 counts A (its track CP2-LC) and B, CP3 counts A: 3 for 2 orders with a phase
    assert (
        "The 2 phases count 3 orders, not 2: 1 order counts in more than one phase "
        '(<a href="../orders/A/">ORDER-A-1</a>: CP2, CP3); 1 order has no phase.'
    ) in overview
    assert "2 orders have no owner." in overview
    assert (
        '<tr class="plandocs-phases__state"><td><span class="plandocs-phases__indent"' in overview
    )
    assert "1 orders" not in overview and "1 phases" not in overview


def test_a_row_equal_to_the_last_builds_is_that_row() -> None:
    """``mkdocs serve`` hands each build the last build's rows: an order whose row did not
    change keeps the same value (the fragment cache knows it), an edited one is new."""
    first = renderer(ORDER_FILE, SUMMARY)
    settings = Settings()
    # B's row names A (it blocks A) by ID, title and status: not by priority
    edited = (ORDER_FILE[0], ORDER_FILE[1].replace("priority: high", "priority: low"))
    graph, _ = seal([parse(text, uri, settings) for uri, text in (edited, SUMMARY)], settings)
    again = Renderer(graph, settings, SiteUrls(), rows_before=first.views.rows)
    assert again.views.rows["ORDER-B-2"] is first.views.rows["ORDER-B-2"]
    assert again.views.rows["ORDER-A-1"] is not first.views.rows["ORDER-A-1"]
    assert again.views.rows["ORDER-A-1"]["priority"] == "low"


def test_a_table_row_the_last_build_rendered_for_the_same_row_is_taken_from_it(
    tmp_path: Path,
) -> None:
    """Under ``mkdocs serve`` a table rendered again (one of its rows changed) takes each
    other row from the last build's, by the row's value (``Views``), without working out
    the row's key in the fragment store: a table lists a thousand orders."""
    recent = fragment_cache.Recent()
    settings = Settings()

    def orders_page(order_file: tuple[str, str], before: Any) -> tuple[Renderer, str]:
        recent.turn()
        graph, _ = seal([parse(t, u, settings) for u, t in (order_file, SUMMARY)], settings)
        made = Renderer(
            graph,
            settings,
            SiteUrls(),
            fragment_cache=lambda env: fragment_cache.FragmentCache(
                tmp_path / "f.sqlite", env, recent=recent
            ),
            rows_before=before,
        )
        page = next(p for p in made.pages() if p.uri == "planning/orders.md")
        return made, made.finish(page.markdown, page.uri)

    first, _ = orders_page(ORDER_FILE, None)
    edited = (ORDER_FILE[0], ORDER_FILE[1].replace("priority: high", "priority: low"))
    again, table = orders_page(edited, first.views.rows)
    store: Any = again.templates.store
    assert (store.part_hits, store.part_misses) == (0, 1)  # B's row came from the last build
    _, clean = orders_page(edited, None)  # a build of its own makes the same table
    assert table == clean and ">Second<" in table
