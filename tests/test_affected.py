"""Which pages an edit changes (``core.affected``): the digests move with what a page shows
of an object, and only with it; the needles are what a page that shows it holds."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from types import SimpleNamespace
from typing import Any

from plandocs.core import affected
from plandocs.core.diagram.planning import emphasis
from plandocs.core.schedule import schedule
from plandocs.core.settings import Settings
from plandocs.core.urls import SiteUrls
from plandocs.mkdocs import serve
from plandocs.project.load import SourceEntry, load


def draws(text: str, needles: frozenset[str]) -> bool:
    return affected.draws(affected.fold(text), needles)


def shows(text: str, needles: frozenset[str]) -> bool:
    return affected.shows(affected.fold(text), affected.fold_all(needles))


def also_changed(
    snapshots: tuple[affected.Snapshot, affected.Snapshot],
    texts: dict[str, str],
    generated: set[str],
    ids: list[str],
) -> Any:
    """``serve._also_changed`` for pages whose last output is ``texts`` (no renderer: a page
    that draws a changed order is rebuilt)."""
    folded = {uri: affected.fold(text) for uri, text in texts.items()}
    last, now = (serve._State("", frozenset(), s, {}, {}, texts=folded) for s in snapshots)
    build: Any = SimpleNamespace(
        urls=SiteUrls(), generated_uris=frozenset(generated), renderer=None, drawing=None
    )
    pages: Any = [SimpleNamespace(src_uri=uri) for uri in texts]
    return serve._also_changed(build, pages, set(), (last, now), ids)


A = "---\nid: ORDER-A-1\ntitle: First\nstatus: pending\nowner: wrk-1\n{extra}---\n# First\n"
B = "---\nid: ORDER-B-2\ntitle: Second\nstatus: pending\nowner: wrk-2\n---\n# Second\n"
SUMMARY = (
    "# CP2 summary\n\n#### ORDER-C-3: Third\n\n**Owner**: wrk-3\n**Status**: Pending\n"
    "**Dependencies**: ORDER-B-2\n"
)
HOME = "# Home\n\nSee ORDER-A-1.\n"


def snap(tmp_path: Path, **texts: str) -> affected.Snapshot:
    files = {"orders/ORDER_A.md": A.format(extra=""), "orders/ORDER_B.md": B}
    files |= {"orders/CP2_SUMMARY.md": SUMMARY, "index.md": HOME}
    files |= {name.replace("__", "/") + ".md": text for name, text in texts.items()}
    entries = []
    for uri, text in files.items():
        path = tmp_path / uri
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        entries.append(SourceEntry(uri, uri, str(path)))
    settings = Settings(orders_dir="")
    project = load(entries, settings)
    graph = project.graph
    plan = schedule(graph, settings, today=date(2025, 1, 6))
    return affected.snapshot(
        graph,
        project.references,
        plan=plan,
        chain=emphasis(graph),
        history={},
        urls=SiteUrls(),
    )


def test_a_status_change_changes_that_order_only(tmp_path: Path) -> None:
    before = snap(tmp_path)
    after = snap(tmp_path, orders__ORDER_A=A.format(extra="").replace("pending", "done"))
    assert affected.changed(before, after) == ["ORDER-A-1"]
    # its old and its new status page list it
    assert {"status:pending", "status:done"} <= affected.listings(before, after, ["ORDER-A-1"])


def test_a_new_dependency_changes_both_ends(tmp_path: Path) -> None:
    before = snap(tmp_path)
    after = snap(tmp_path, orders__ORDER_A=A.format(extra="depends_on: [ORDER-B-2]\n"))
    # B's card and diagram now show the order waiting for it
    assert {"ORDER-A-1", "ORDER-B-2"} <= set(affected.changed(before, after))


def test_a_new_dependency_changes_edges_only_and_the_pages_that_draw_them(
    tmp_path: Path,
) -> None:
    before = snap(tmp_path)
    after = snap(tmp_path, orders__ORDER_A=A.format(extra="depends_on: [ORDER-B-2]\n"))
    changed = affected.changed(before, after)
    # both look the same in a link or a list: ID, title, status
    assert affected.edges_only(before, after, changed) >= {"ORDER-A-1", "ORDER-B-2"}
    # their cards are on their own pages, and a summary entry's on its summary
    homes = affected.homes_of(before, after, ["ORDER-A-1", "ORDER-C-3"])
    assert homes == {"orders/ORDER_A.md", "orders/CP2_SUMMARY.md"}
    needles = affected.needles_of(before, after, ["ORDER-B-2"])
    assert draws("<svg><g><title>ORDER-B-2</title></g></svg>", needles)
    assert not draws('<p><a title="Second (pending)">ORDER-B-2</a></p>', needles)
    assert not draws("<svg><title>ORDER-A-1</title></svg><p>ORDER-B-2</p>", needles)


def test_a_drawing_holds_an_id_as_graphviz_writes_it_and_a_name_as_a_link_does() -> None:
    """Graphviz writes ``-`` as ``&#45;``; a file name with a space or a letter that is not
    ASCII is percent-encoded in a node's link; a diagram Graphviz did not draw is its DOT
    source (found by a writer who edited order files named so: a neighbour's diagram and
    a tree stayed stale)."""
    needles = frozenset({"ORDER-B-2", "order-b-2", "ORDER_B_ЗАДАЧА"})
    assert draws("<svg><g><text>ORDER&#45;B&#45;2</text></g></svg>", needles)
    href = '<svg><a xlink:href="../ORDER_B_%D0%97%D0%90%D0%94%D0%90%D0%A7%D0%90/"></a></svg>'
    assert draws(href, needles)
    source = (
        '<details class="plandocs-diagram-source"><summary>Diagram source</summary>'
        "<pre><code>&#34;ORDER-B-2&#34; -&gt; &#34;ORDER-A-1&#34;</code></pre></details>"
    )
    assert draws(source, needles)
    assert not draws(source + "<p>ORDER-C-3</p>", frozenset({"ORDER-C-3"}))


def test_a_new_title_or_status_is_no_change_of_edges_only(tmp_path: Path) -> None:
    before = snap(tmp_path)
    after = snap(tmp_path, orders__ORDER_A=A.format(extra="").replace("First", "Premier"))
    assert affected.edges_only(before, after, affected.changed(before, after)) == frozenset()
    # an order that appeared or went is no change of edges only either
    after = snap(tmp_path, orders__ORDER_D="---\nid: ORDER-D-4\ntitle: Fourth\n---\n# Fourth\n")
    assert "ORDER-D-4" not in affected.edges_only(before, after, ["ORDER-D-4"])


def test_an_added_or_removed_order_is_a_change(tmp_path: Path) -> None:
    before = snap(tmp_path)
    after = snap(tmp_path, orders__ORDER_D="---\nid: ORDER-D-4\ntitle: Fourth\n---\n# Fourth\n")
    assert "ORDER-D-4" in affected.changed(before, after)
    assert "ORDER-D-4" in affected.changed(after, before)
    # a page that named it before it existed holds its ID: rebuilt, now a link
    assert shows("<p>see ORDER-D-4</p>", affected.needles_of(before, after, ["ORDER-D-4"]))


def test_a_new_mention_changes_the_own_page_only(tmp_path: Path) -> None:
    before = snap(tmp_path)
    after = snap(tmp_path, notes="# Notes\n\nORDER-B-2 is late.\n")
    # its "Referenced by" list grows; what other pages show of it does not change
    assert affected.changed(before, after) == []
    changed = {uri for uri in after.own if after.own[uri] != before.own.get(uri)}
    assert changed == {"orders/ORDER_B.md"}


def test_needles_are_the_id_its_anchor_and_its_own_page(tmp_path: Path) -> None:
    now = snap(tmp_path)
    assert {"ORDER-A-1", "order-a-1", "ORDER_A"} <= now.needles["ORDER-A-1"]
    # an entry of a summary shares its page: its anchor names it, the page's name does not
    assert "CP2_SUMMARY" not in now.needles["ORDER-C-3"]
    assert "ORDER-C-3" in now.needles["ORDER-C-3"]


def test_a_page_shows_an_object_by_any_needle() -> None:
    needles = frozenset({"ORDER-A-1", "ORDER_A"})
    assert shows('<a href="../ORDER_A/">the first</a>', needles)
    assert not shows("<p>ORDER-B-2</p>", needles)
    assert not shows("<p>ORDER-A-1</p>", frozenset())


def test_a_line_added_above_a_mention_changes_no_referenced_by_list(tmp_path: Path) -> None:
    """A "Referenced by" list shows the page and its sections (in the order of their lines),
    not line numbers: the mentioned order's page is not rebuilt for a line above it."""
    page = "# Notes\n\n## Early\n\nORDER-A-1 first.\n\n## Late\n\nORDER-A-1 again.\n"
    before = snap(tmp_path, notes=page)
    moved = snap(tmp_path, notes=page.replace("# Notes\n", "# Notes\n\nA new line.\n"))
    assert moved.own == before.own
    swapped = page.replace("## Early", "## Tmp").replace("## Late", "## Early")
    after = snap(tmp_path, notes=swapped.replace("## Tmp", "## Late"))
    assert after.own != before.own  # the sections' order in the tooltip changed


def test_after_a_new_dependency_the_loop_rebuilds_homes_generated_pages_and_drawings(
    tmp_path: Path,
) -> None:
    """The pages that show an order's edges: its card's page, a generated page (a table
    row lists its dependencies), a page whose diagram draws it; not a page that names it
    in a link, which shows its title and status only."""
    before = snap(tmp_path)
    after = snap(tmp_path, orders__ORDER_A=A.format(extra="depends_on: [ORDER-B-2]\n"))
    texts = {
        "orders/ORDER_B.md": '<div class="plandocs-card" data-order="ORDER-B-2">Second</div>',
        "planning/orders.md": "<table><tr><td>ORDER-A-1</td><td>ORDER-B-2</td></tr></table>",
        "notes.md": "<p>A drawing:</p><svg><g><title>ORDER-B-2</title></g></svg>",
        "index.md": '<p>See <a title="First (pending)">ORDER-A-1</a>.</p>',
    }

    ids = affected.changed(before, after)
    rebuilt = also_changed((before, after), texts, {"planning/orders.md"}, ids)
    assert {f.src_uri for f in rebuilt} == {"orders/ORDER_B.md", "planning/orders.md", "notes.md"}


def test_an_order_whose_dates_alone_moved_is_looked_for_in_generated_pages_only(
    tmp_path: Path,
) -> None:
    """A longer blocker moves the order waiting for it in time: only a timeline shows that,
    and timelines are on generated pages. Its card and the diagrams that draw it are the
    same (found rebuilt byte for byte at 1,000 orders)."""
    before = snap(tmp_path)
    after = snap(tmp_path, orders__ORDER_B=B.replace("owner:", "timeline: 3 weeks\nowner:"))
    changed = affected.changed(before, after)
    assert "ORDER-C-3" in changed  # it starts three weeks later
    moved = affected.moved_only(before, after, changed)
    assert "ORDER-C-3" in moved and "ORDER-B-2" not in moved  # B's fields changed
    texts = {
        "orders/CP2_SUMMARY.md": '<div class="plandocs-card" data-order="ORDER-C-3">Third</div>',
        "planning/timeline.md": "<svg><a><title>ORDER-C-3: Third</title></a></svg>",
        "notes.md": "<p>A drawing:</p><svg><g><title>ORDER-C-3</title></g></svg>",
    }

    rebuilt = also_changed((before, after), texts, {"planning/timeline.md"}, changed)
    assert {f.src_uri for f in rebuilt} == {"planning/timeline.md"}


def test_an_anchor_that_holds_the_id_is_no_needle_of_its_own() -> None:
    """Every page's text is searched for each needle: one that holds another adds nothing."""
    assert affected._needles("ORDER-A-1", "order-a-1-first", None) == {"ORDER-A-1", "order-a-1"}
    assert "task-7" in affected._needles("ORDER-A-1", "task-7", None)


def test_a_page_whose_diagrams_have_their_sources_of_before_is_drawn_as_before() -> None:
    """A new edge changes the drawings of the orders near it; a page whose diagram draws
    one end of it, but whose source is the same (the edge is beyond what it draws), is not
    rebuilt (found rebuilt byte for byte at 1,000 orders). A page with no diagram of the
    planning graph that holds the order in a drawing is rebuilt: what it draws is not
    known."""
    sources = {"ORDER-C-3": "digraph { C -> B }", "ORDER-D-4": "digraph { D -> B -> A }"}
    renderer = SimpleNamespace(
        graph=SimpleNamespace(
            orders={
                "ORDER-C-3": SimpleNamespace(uri="c.md"),
                "ORDER-D-4": SimpleNamespace(uri="d.md"),
            }
        ),
        urls=SiteUrls(),
        diagram_keys=lambda: list(sources),
        each_diagram_source=lambda wanted: ((k, v) for k, v in sources.items() if k in wanted),
    )
    drawing = SimpleNamespace(svg=SimpleNamespace(key=lambda source: f"svg of {source}"))
    build: Any = SimpleNamespace(renderer=renderer, drawing=drawing)
    nothing: Any = SimpleNamespace(renderer=None, drawing=None)
    before = {"ORDER-C-3": "svg of digraph { C -> B }", "ORDER-D-4": "svg of digraph { D -> B }"}
    assert serve._drawn_as_before(build, {"c.md", "d.md", "e.md"}, before) == {"c.md"}
    assert serve._drawn_as_before(nothing, {"c.md"}, {}) == set()


def test_a_folded_text_holds_every_needle_its_text_holds() -> None:
    """The loop keeps each page's text case folded, in UTF-8 (half the memory, a faster
    search). ``lower`` would lose a needle: a Greek capital sigma lowers to a final sigma
    at the end of a word, and a needle can end where the text's word goes on."""
    text, needle = "<p>See ORDER-ΑΣΒ and ORDER_B_ЗАДАЧА.</p>", "ORDER-ΑΣ"
    assert needle in text and needle.lower() not in text.lower()
    assert affected.shows(affected.fold(text), affected.fold_all({needle}))
    assert affected.shows(affected.fold(text), affected.fold_all({"order_b_задача"}))
    assert not affected.shows(affected.fold(text), affected.fold_all({"ORDER-ΑΣΓ"}))
    assert len(affected.fold_all({"ORDER-A-1", "order-a-1"})) == 1  # one needle, one search


def test_an_adr_whose_link_no_longer_resolves_is_a_change(tmp_path: Path) -> None:
    # ADR 1 is the same file before and after; the file its link names is gone
    one = "# 1. One\n\n## Status\n\nAccepted\n\nAmends [2. Two](0002-two.md)\n"
    two = "# 2. Two\n\n## Status\n\nAccepted\n"
    before = snap(tmp_path, **{"adr__0001-one": one, "adr__0002-two": two})
    (tmp_path / "adr/0002-two.md").unlink()
    after = snap(tmp_path, **{"adr__0001-one": one})
    assert before.digests.keys() - after.digests.keys() == {"ADR-002"}
    # its card shows where the link goes: now nowhere
    assert "ADR-001" in affected.changed(before, after)
