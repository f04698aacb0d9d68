"""Diagrams: the DOT writer's escaping, and rendering in one batch with a cache."""

from __future__ import annotations

import os
import re
import shutil
import struct
import subprocess
import sys
import threading
import zlib
from collections.abc import Collection, Iterable, Iterator
from pathlib import Path
from types import SimpleNamespace
from typing import Any
from xml.etree import ElementTree

import pytest

from plandocs.core.diagram.dot import quote, to_dot
from plandocs.core.diagram.fences import dot_blocks
from plandocs.core.diagram.legend import legend_html, legend_keys
from plandocs.core.diagram.model import Cluster, Diagram, Edge, Node
from plandocs.core.diagram.planning import (
    READABLE_BOXES,
    duration_days,
    emphasis,
    layout_size,
    neighbourhood,
    overview_diagram,
    phase_diagram,
    tree_diagram,
)
from plandocs.core.graph import seal
from plandocs.core.settings import Settings
from plandocs.core.urls import SiteUrls
from plandocs.graphviz.render import (
    _ALONE,
    BackgroundDrawing,
    Batch,
    DotError,
    DotMissingError,
    SvgRenderer,
    remove_stale_work,
)
from plandocs.mkdocs.drawing import Drawing
from plandocs.render.pages import Renderer

from .conftest import parse
from .test_config import build, write_project

HOSTILE = 'Say "hi" <b>&amp;</b> {x} \\N\nnext'
needs_dot = pytest.mark.skipif(shutil.which("dot") is None, reason="Graphviz is not installed")


@pytest.mark.parametrize(
    ("text", "quoted"),
    [
        ("ORDER-WRK-3-CP2-001", '"ORDER-WRK-3-CP2-001"'),
        ('a "b"', '"a \\"b\\""'),
        ("back\\slash \\N", '"back\\\\slash \\\\N"'),
        ("two\nlines\r\nthree", '"two\\nlines\\nthree"'),
        ("<b>&{}</b>", '"<b>&amp;{}</b>"'),
    ],
)
def test_quote(text: str, quoted: str) -> None:
    assert quote(text) == quoted


@needs_dot
def test_graphviz_shows_entities_as_written() -> None:
    """Graphviz reads entities in its strings: ``&lt;b&gt;`` must not come out as ``<b>``."""
    text = "&lt;b&gt; R&D &amp;"
    drawn = subprocess.run(
        ["dot", "-Tsvg"],
        input=f"digraph {{ a [label={quote(text)}, tooltip={quote(text)}] }}",
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    ).stdout
    svg = ElementTree.fromstring(drawn.encode("utf-8"))
    texts = [e.text for e in svg.iter() if e.tag.endswith("}text")]
    titles = [v for e in svg.iter() for k, v in e.attrib.items() if k.endswith("}title")]
    assert texts == [text]
    assert titles == [text]


def diagram(title: str = "Orders of CP2") -> Diagram:
    return Diagram(
        title=title,
        nodes=(
            Node("ORDER-A-1", f"ORDER-A-1\n{HOSTILE}", "../a/", HOSTILE, ("priority-high",)),
            Node("ORDER-B-2", "ORDER-B-2\nSecond", "../b/", "Second (done)", ("status-done",)),
            Node("ORDER-C-3", "ORDER-C-3", None),
        ),
        edges=(Edge("ORDER-B-2", "ORDER-A-1", ("critical",)), Edge("ORDER-C-3", "ORDER-A-1")),
        clusters=(Cluster("phase-CP2", "CP2", ("ORDER-A-1", "ORDER-B-2")),),
    )


def test_dot_source_is_deterministic_and_escaped() -> None:
    source = to_dot(diagram())
    assert source == to_dot(diagram())
    # the graph's name is the SVG's <title>: escaped like any other text
    assert to_dot(diagram(HOSTILE)).splitlines()[0] == (
        'digraph "Say \\"hi\\" <b>&amp;amp;</b> {x} \\\\N\\nnext" {'
    )
    assert source.splitlines()[4:] == [
        '  subgraph "cluster_0" {',
        '    graph [label="CP2", class="phase-CP2"];',
        '    "ORDER-A-1" [label="ORDER-A-1\\nSay \\"hi\\" <b>&amp;amp;</b> {x} \\\\N\\nnext", '
        'tooltip="Say \\"hi\\" <b>&amp;amp;</b> {x} \\\\N\\nnext", URL="../a/", '
        'class="priority-high"];',
        '    "ORDER-B-2" [label="ORDER-B-2\\nSecond", tooltip="Second (done)", URL="../b/", '
        'class="status-done"];',
        "  }",
        '  "ORDER-C-3" [label="ORDER-C-3", tooltip="ORDER-C-3"];',
        '  "ORDER-B-2" -> "ORDER-A-1" [class="critical"];',
        '  "ORDER-C-3" -> "ORDER-A-1";',
        "}",
    ]


@needs_dot
def test_svg_has_a_link_per_linked_node_and_no_script(tmp_path: Path) -> None:
    (svg,) = SvgRenderer(tmp_path).render([to_dot(diagram(HOSTILE))])
    assert svg.startswith("<svg")
    assert len(re.findall(r'<a xlink:href="\.\./[ab]/"', svg)) == 2
    assert "<script" not in svg.lower()
    assert "<b>" not in svg  # the hostile title is text, not markup
    assert "&lt;b&gt;" in svg
    assert "<title>" in svg


@needs_dot
def test_diagrams_render_in_one_process_and_come_from_the_cache_after(tmp_path: Path) -> None:
    plain = [Diagram(f"Diagram {n}", diagram().nodes, diagram().edges) for n in range(3)]
    sources = [to_dot(d) for d in plain]
    first = SvgRenderer(tmp_path)
    svgs = first.render([*sources, sources[0]])
    assert (first.rendered, first.processes) == (3, 2)  # `dot -V` once, then one batch
    assert svgs[0] == svgs[3]
    second = SvgRenderer(tmp_path)  # the next build of a `mkdocs serve`
    assert second.render(sources) == svgs[:3]
    assert (second.rendered, second.processes) == (0, 0)  # `dot -V` is asked once a process


@needs_dot
def test_dot_reads_no_image_file_a_block_names(tmp_path: Path) -> None:
    """A writer's block naming a file (``image=``, ``<IMG SRC>``) makes Graphviz read it to
    size the node: a file outside the project, whose path and size land in the site."""
    outside = tmp_path / "outside.png"
    outside.write_bytes(_png(77, 33))
    source = f'digraph g {{ a [image="{outside}", label=""]; b [shapefile="{outside}"] }}\n'
    (svg,) = SvgRenderer(tmp_path / "cache").render([source])
    assert "<image" not in svg
    assert str(outside) not in svg
    table = f'<<TABLE><TR><TD><IMG SRC="{outside}"/></TD></TR></TABLE>>'
    with pytest.raises(DotError) as refused:  # a label it cannot fill is refused, so reported
        SvgRenderer(tmp_path / "cache").render([f"digraph g {{ c [label={table}] }}\n"])
    # the error, not Graphviz's warning before it about the switch
    assert "No or improper image file" in str(refused.value)
    assert "SERVER_NAME" not in str(refused.value)


def _png(width: int, height: int) -> bytes:
    def chunk(kind: bytes, data: bytes) -> bytes:
        return (
            struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
        )

    rows = b"".join(b"\0" + b"\xff\0\0" * width for _ in range(height))
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(rows))
        + chunk(b"IEND", b"")
    )


def test_a_missing_dot_says_how_to_install_graphviz(tmp_path: Path) -> None:
    renderer = SvgRenderer(tmp_path, dot=str(tmp_path / "no-dot-here"))
    with pytest.raises(DotMissingError, match="install the system package 'graphviz'"):
        renderer.render([to_dot(diagram())])


@needs_dot
def test_a_source_dot_refuses_is_one_line(tmp_path: Path) -> None:
    with pytest.raises(DotError, match=r"^Graphviz could not draw a diagram: ") as refused:
        SvgRenderer(tmp_path).render(["digraph { a -> }\n"])
    # not the path of dot's work file: an absolute path, another in each build
    assert str(refused.value) == (
        "Graphviz could not draw a diagram: Error: syntax error in line 1 near '}'"
    )


def test_an_order_neighbourhood_reaches_two_steps_each_way() -> None:
    chain = ["A-1", "B-2", "C-3", "D-4", "E-5"]  # each depends on the one before
    docs = [
        parse(
            f"---\nid: ORDER-{x}\ntitle: T{x}\n"
            + (f"depends_on: [ORDER-{chain[i - 1]}]\n" if i else "")
            + "---\n",
            f"orders/ORDER_{x.replace('-', '_')}.md",
        )
        for i, x in enumerate(chain)
    ]
    graph, _ = seal(docs, Settings())
    found = neighbourhood(graph, "ORDER-C-3", SiteUrls())
    assert [n.id for n in found.nodes] == [f"ORDER-{x}" for x in chain]
    assert [(e.source, e.target) for e in found.edges] == [
        # from a blocker to the order waiting for it
        ("ORDER-A-1", "ORDER-B-2"),
        ("ORDER-B-2", "ORDER-C-3"),
        ("ORDER-C-3", "ORDER-D-4"),
        ("ORDER-D-4", "ORDER-E-5"),
    ]
    me = found.nodes[2]
    assert me.url is None and "self" in me.classes
    assert found.nodes[0].url == "../ORDER_A_1/"
    edge = neighbourhood(graph, "ORDER-A-1", SiteUrls())
    assert [n.id for n in edge.nodes] == ["ORDER-A-1", "ORDER-B-2", "ORDER-C-3"]


def test_a_phase_diagram_shows_other_phases_as_stubs_and_the_index_clusters() -> None:
    settings = Settings()
    docs = [
        parse("---\nid: ORDER-A-1\ntitle: A\nphase: CP1\n---\n", "orders/ORDER_A.md"),
        parse(
            "---\nid: ORDER-B-2\ntitle: B\nphase: CP2\ndepends_on: [ORDER-A-1]\n---\n",
            "orders/ORDER_B.md",
        ),
        parse(
            "---\nid: ORDER-C-3\ntitle: C\nphase: CP2\ndepends_on: [ORDER-B-2]\n---\n",
            "orders/ORDER_C.md",
        ),
    ]
    graph, _ = seal(docs, settings)
    cp2 = phase_diagram(graph, "CP2", SiteUrls())
    assert [(n.id, "stub" in n.classes) for n in cp2.nodes] == [
        ("ORDER-B-2", False),
        ("ORDER-C-3", False),
        ("ORDER-A-1", True),
    ]
    assert [(e.source, e.target, e.classes) for e in cp2.edges] == [
        ("ORDER-A-1", "ORDER-B-2", ("stub",)),
        ("ORDER-B-2", "ORDER-C-3", ()),
    ]
    assert cp2.nodes[0].url == "../../../orders/ORDER_B/"
    index = overview_diagram(graph, SiteUrls())
    assert [(c.label, c.nodes) for c in index.clusters] == [
        ("CP1", ("ORDER-A-1",)),
        ("CP2", ("ORDER-B-2", "ORDER-C-3")),
    ]


@needs_dot
def test_a_clustered_diagram_is_drawn_alone_and_the_same_each_time(tmp_path: Path) -> None:
    sources = [to_dot(diagram(f"Diagram {n}")) for n in range(3)]
    first = SvgRenderer(None)
    once = first.render(sources)
    assert first.processes == 1 + 3  # the version, then each clustered diagram alone
    assert SvgRenderer(None).render(sources) == once


@pytest.mark.parametrize(
    ("timeline", "days"),
    [
        ("4 hours SLA (0.5 day)", 0.5),
        ("2 days (1 day per task)", 2.0),
        ("3-4 weeks", 20.0),
        ("1,5 d", 1.5),
        ("2 months", 42.0),
        ("ASAP", 1.0),
        (None, 1.0),
    ],
)
def test_duration_from_timeline(timeline: str | None, days: float) -> None:
    assert duration_days(timeline) == days


def test_the_critical_path_is_the_longest_chain_and_cycles_are_marked() -> None:
    def order(order_id: str, timeline: str, deps: str = "") -> tuple[str, str]:
        depends = f"depends_on: [{deps}]\n" if deps else ""
        text = f"---\nid: {order_id}\ntitle: t\ntimeline: {timeline}\n{depends}---\n"
        return text, f"orders/{order_id.replace('-', '_')}.md"

    docs = [
        order("ORDER-A-1", "2 days"),
        order("ORDER-B-2", "1 week", "ORDER-A-1"),  # 2 + 5
        order("ORDER-C-3", "1 day", "ORDER-A-1"),  # 2 + 1
        order("ORDER-D-4", "1 day", "ORDER-B-2, ORDER-C-3"),  # 7 + 1: the end
        order("ORDER-E-5", "1 day", "ORDER-F-6"),  # a cycle of two, left out of the path
        order("ORDER-F-6", "1 day", "ORDER-E-5"),
    ]
    graph, _ = seal([parse(text, uri) for text, uri in docs], Settings())
    marks = emphasis(graph)
    assert marks.critical == ("ORDER-A-1", "ORDER-B-2", "ORDER-D-4")
    assert marks.cycle_edges == {("ORDER-E-5", "ORDER-F-6"), ("ORDER-F-6", "ORDER-E-5")}
    assert marks.edge_classes("ORDER-B-2", "ORDER-D-4") == ("critical",)
    assert marks.edge_classes("ORDER-C-3", "ORDER-D-4") == ()
    assert marks.edge_classes("ORDER-E-5", "ORDER-F-6") == ("cycle",)
    drawn = to_dot(neighbourhood(graph, "ORDER-B-2", SiteUrls(), marks))
    assert '"ORDER-B-2" -> "ORDER-D-4" [class="critical"];' in drawn


def test_two_loops_through_one_order_end_the_critical_path() -> None:
    # graph.cycles lists the shortest loop (A-B); the loop A-C is no cycle edge, and the
    # depth-first walk of the path followed it for ever
    deps = {"ORDER-A-1": "ORDER-B-2, ORDER-C-3", "ORDER-B-2": "ORDER-A-1", "ORDER-C-3": "ORDER-A-1"}
    docs = [
        parse(f"---\nid: {o}\ntitle: t\ndepends_on: [{d}]\n---\n", f"orders/{o[6:]}.md")
        for o, d in deps.items()
    ]
    graph, _ = seal(docs, Settings())
    marks = emphasis(graph)
    assert graph.cycles == (("ORDER-A-1", "ORDER-B-2"),)
    assert marks.critical == ("ORDER-A-1", "ORDER-C-3")
    assert marks.cycle_edges == {("ORDER-A-1", "ORDER-B-2"), ("ORDER-B-2", "ORDER-A-1")}


def test_dot_blocks_are_found_outside_other_code() -> None:
    lines = [
        "# Page",
        "```dot",
        "digraph { a -> b }",
        "```",
        "````markdown",
        "```dot",
        "digraph { c }",
        "```",
        "````",
        "~~~graphviz",
        "digraph { d }",
        "~~~",
        "```python",
        "x = 1",
        "```",
    ]
    found = dot_blocks(lines)
    assert [(b.start, b.end, b.source) for b in found] == [
        (1, 3, "digraph { a -> b }\n"),
        (9, 11, "digraph { d }\n"),
    ]


@needs_dot
def test_a_page_draws_its_dot_blocks_and_a_bad_one_is_reported(tmp_path: Path) -> None:
    config = write_project(tmp_path, "\n      orders_dir: ''\n")
    (tmp_path / "docs" / "index.md").write_text(
        '# Home\n\n```dot\ndigraph { "a" -> "b" }\n```\n', encoding="utf-8"
    )
    (tmp_path / "docs" / "bad.md").write_text(
        "---\ntitle: Bad\n---\n# Bad\n\n```dot\ndigraph { a -> }\n```\n", encoding="utf-8"
    )
    result = build(config)
    assert result.returncode == 0, result.stderr
    home = (tmp_path / "s" / "index.html").read_text(encoding="utf-8")
    assert '<div class="plandocs-diagram">' in home and "<svg" in home
    warnings = [line for line in result.stderr.splitlines() if "bad-diagram" in line]
    assert len(warnings) == 1
    assert warnings[0].startswith("WARNING -  plandocs: docs/bad.md:6: Graphviz could not draw")
    bad = (tmp_path / "s" / "bad" / "index.html").read_text(encoding="utf-8")
    assert "digraph { a -&gt; }" in bad  # left as code
    assert build(config, "--strict").returncode == 1
    overview = (tmp_path / "s" / "planning" / "index.html").read_text(encoding="utf-8")
    assert "docs/bad.md" in overview  # in the overview's list of what to fix


CHAIN = {  # B depends on A, C on B; D stands alone
    "A": ("CP1", ""),
    "B": ("CP1", "ORDER-A-1"),
    "C": ("CP2", "ORDER-B-1"),
    "D": ("CP2", ""),
}
_DIAGRAMS = re.compile(r"plandocs: diagrams: (\d+), (\d+) drawn by Graphviz in (\d+) processes")


def write_chain(root: Path, title_of_a: str = "First") -> Path:
    config = write_project(root, "\n      orders_dir: orders\n")
    (root / "orders").mkdir(exist_ok=True)
    for name, (phase, deps) in CHAIN.items():
        title = title_of_a if name == "A" else f"Order {name}"
        depends = f"depends_on: [{deps}]\n" if deps else ""
        (root / "orders" / f"ORDER_{name}_1.md").write_text(
            f"---\nid: ORDER-{name}-1\ntitle: {title}\nphase: {phase}\n{depends}---\n# {title}\n",
            encoding="utf-8",
        )
    return config


def drawn(config: Path) -> tuple[int, int, int]:
    result = build(config, "--verbose")
    assert result.returncode == 0, result.stderr
    (counts,) = _DIAGRAMS.findall(result.stderr)
    total, rendered, processes = map(int, counts)
    return total, rendered, processes


@needs_dot
def test_a_rebuild_draws_only_the_diagrams_an_edit_changed(tmp_path: Path) -> None:
    config = write_chain(tmp_path)
    # A, B and C have neighbourhoods (D has no edge), CP1 and CP2 have pages, the index
    # draws everything
    total, rendered, processes = drawn(config)
    assert (total, rendered) == (6, 6)
    assert processes == 1 + 1 + 1  # `dot -V`, one batch, the clustered index alone
    assert drawn(config) == (6, 0, 1)  # all from the cache: only `dot -V` ran
    write_chain(tmp_path, title_of_a="First, renamed")
    # A's title is in A's, B's and C's neighbourhoods, CP1's diagram and the index;
    # not in CP2's (B is a stub there, A is not drawn)
    total, rendered, _ = drawn(config)
    assert (total, rendered) == (6, 5)


def test_without_dot_a_build_stops_with_an_install_hint_or_shows_sources(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PATH", str(tmp_path / "bin"))  # no dot on it
    config = write_chain(tmp_path)
    result = build(config)
    assert result.returncode == 1
    assert (
        "ERROR   -  plandocs: Graphviz's 'dot' is not installed: install the system package "
        "'graphviz' (apt-get install graphviz, brew install graphviz), or set the plugin "
        "option 'missing_dot: source' to build with diagrams shown as their source"
    ) in result.stderr.splitlines()
    assert "Traceback" not in result.stderr

    config.write_text(config.read_text(encoding="utf-8") + "      missing_dot: source\n")
    result = build(config)
    assert result.returncode == 0, result.stderr
    warnings = [line for line in result.stderr.splitlines() if line.startswith("WARNING")]
    assert warnings == [
        "WARNING -  plandocs: mkdocs.yml: Graphviz's 'dot' is not installed, so diagrams are "
        "shown as their DOT source; install the system package 'graphviz' (apt-get install "
        "graphviz, brew install graphviz) [plandocs.dot-missing]"
    ]
    page = (tmp_path / "s" / "orders" / "ORDER_B_1" / "index.html").read_text(encoding="utf-8")
    assert 'class="graph"' not in page  # no Graphviz SVG
    assert '<details class="plandocs-diagram-source">' in page
    assert "Border: priority" not in page  # no legend under a source
    assert "digraph &#34;Dependencies of ORDER-B-1&#34; {" in page
    assert build(config, "--strict").returncode == 1  # a warning: strict CI insists on dot


def test_diagrams_over_the_limit_are_summarised_by_phase_and_owner() -> None:
    def order(name: str, phase: str, owner: str, deps: str = "", status: str = "pending") -> Any:
        depends = f"depends_on: [{deps}]\n" if deps else ""
        text = (
            f"---\nid: ORDER-{name}-1\ntitle: Order {name}\nphase: {phase}\nto: {owner}\n"
            f"status: {status}\n{depends}---\n"
        )
        return parse(text, f"orders/ORDER_{name}_1.md")

    docs = [
        order("A", "CP1", "wrk-1", status="done"),
        order("B", "CP1", "wrk-2", "ORDER-A-1"),
        order("C", "CP2", "wrk-1", "ORDER-A-1, ORDER-B-1"),
        order("D", "CP2", "wrk-3", "ORDER-C-1"),
        order("E", "CP2", "wrk-3", "ORDER-C-1, ORDER-A-1"),
    ]
    graph, _ = seal(docs, Settings(phase_titles={"CP1": "Router"}))
    urls = SiteUrls()
    small = overview_diagram(graph, urls, limit=5)
    assert len(small.nodes) == 5 and small.clusters  # at the limit: every order
    index = overview_diagram(graph, urls, limit=4)
    assert index.title == "All 5 orders, by phase"
    assert [(n.id, n.label, n.url) for n in index.nodes] == [
        ("phase:CP1", "CP1\nRouter\n2 orders, 1 done", "../phases/CP1/"),
        ("phase:CP2", "CP2\nCheckpoint CP2\n3 orders, 0 done", "../phases/CP2/"),
    ]
    # C, D and E depend on A or B: three dependencies from CP1 to CP2 (A-E, A-C, B-C)
    assert [(e.source, e.target, e.label) for e in index.edges] == [
        ("phase:CP1", "phase:CP2", "3"),
    ]
    cp2 = phase_diagram(graph, "CP2", urls, limit=4)  # 3 orders and 2 stubs
    assert [(n.id, n.classes) for n in cp2.nodes] == [
        ("owner:wrk-1", ("owner", "group")),
        ("owner:wrk-3", ("owner", "group")),
        ("phase:CP1", ("stub", "group")),
    ]
    assert [(e.source, e.target, e.label) for e in cp2.edges] == [
        ("owner:wrk-1", "owner:wrk-3", "2"),
        ("phase:CP1", "owner:wrk-1", "2"),
        ("phase:CP1", "owner:wrk-3", "1"),
    ]
    hub = neighbourhood(graph, "ORDER-A-1", urls, limit=4)  # 5 at depth 2, 4 at depth 1
    assert {n.id for n in hub.nodes} == {"ORDER-A-1", "ORDER-B-1", "ORDER-C-1", "ORDER-E-1"}
    by_phase = neighbourhood(graph, "ORDER-A-1", urls, limit=3)
    assert [(n.id, n.classes) for n in by_phase.nodes] == [
        ("ORDER-A-1", ("self",)),
        ("phase:CP1", ("group",)),
        ("phase:CP2", ("group",)),
    ]
    assert [(e.source, e.target, e.label) for e in by_phase.edges] == [
        ("ORDER-A-1", "phase:CP1", "1"),
        ("ORDER-A-1", "phase:CP2", "2"),
    ]
    assert 'label="3"' in to_dot(index)


@needs_dot
def test_cards_tables_and_diagrams_survive_extensions_and_raw_html(tmp_path: Path) -> None:
    config = write_chain(tmp_path)
    config.write_text(
        config.read_text(encoding="utf-8").replace("plugins:\n", "plugins:\n  - search\n")
        + "markdown_extensions:\n  - abbr\n  - admonition\n  - pymdownx.striphtml\n"
        + "  - pymdownx.superfences\n",
        encoding="utf-8",
    )
    (tmp_path / "docs" / "index.md").write_text(
        "# Home\n\n<details><summary>Graph</summary>\n\n```dot\ndigraph { a -> b }\n```\n\n"
        "</details>\n\n!!! note\n\n    ```dot\n    digraph { c -> d }\n    ```\n\n"
        "    Still in the note.\n\n*[late]: after the deadline\n*[early]: before\n",
        encoding="utf-8",
    )
    result = build(config, "--strict")
    assert result.returncode == 0, result.stderr
    site = tmp_path / "s"
    pages = [p.read_text(encoding="utf-8") for p in site.rglob("*.html")]
    assert not [p for p in pages if "plandocsfrag" in p]
    assert "plandocsfrag" not in (site / "search" / "search_index.json").read_text("utf-8")
    home = (site / "index.html").read_text(encoding="utf-8")
    assert home.count('class="graph"') == 2  # in <details> and in the admonition
    note = home[home.index('class="admonition note"') :]
    assert note.index('class="graph"') < note.index("<p>Still in the note.</p>\n</div>")
    index = (site / "planning" / "orders" / "index.html").read_text(encoding="utf-8")
    assert 'class="graph"' in index and index.count("<tr data-phase") == 4
    order = (site / "orders" / "ORDER_B_1" / "index.html").read_text(encoding="utf-8")
    assert 'class="plandocs-card"' in order and 'class="graph"' in order


def test_a_placeholder_a_template_breaks_is_a_warning(tmp_path: Path) -> None:
    overrides = tmp_path / "overrides"
    overrides.mkdir()
    (overrides / "orders.md").write_text(
        '# All orders\n\n{{ late("<table></table>") | replace("x", "") }}\n', encoding="utf-8"
    )
    config = write_chain(tmp_path)
    config.write_text(
        config.read_text(encoding="utf-8") + "      templates_dir: overrides\n",
        encoding="utf-8",
    )
    result = build(config)
    assert result.returncode == 0, result.stderr
    lost = [line for line in result.stderr.splitlines() if "fragment-lost" in line]
    assert lost == [
        "WARNING -  plandocs: planning/orders.md: a card, table or diagram could not be put "
        "into this page: a Markdown extension or a template override changed its placeholder "
        "(plandocsfrag...) [plandocs.fragment-lost]"
    ]


class _SlowRenderer(SvgRenderer):
    """Draws nothing until told to; refuses the source "bad"."""

    def __init__(self, fail: BaseException | None = None) -> None:
        super().__init__(None)
        self.go = threading.Event()
        self.fail = fail

    def write_missing(
        self,
        sources: Iterable[tuple[str, str]],
        folder: str,
        one_each: bool = False,
    ) -> tuple[dict[str, str], list[Batch]]:
        keys = dict(sources)  # a source is its own cache key here
        return keys, [Batch(folder, tuple(keys.values()), ())]

    def draw_batches(self, batches: list[Batch]) -> dict[str, str]:
        self.go.wait(timeout=10)
        if self.fail is not None:
            raise self.fail
        return {digest: "refused" for batch in batches for digest in batch.keys if digest == "bad"}

    def drawn(self, key: str) -> str:
        return f"<svg>{key}</svg>"


def test_background_drawing_knows_its_keys_at_once_and_waits_for_an_svg() -> None:
    slow = _SlowRenderer()
    threads = threading.active_count()
    drawing = BackgroundDrawing(
        slow, ["a", "b"], {"a": "A", "b": "bad"}.items, ready={"block:1": "<svg/>"}
    )
    # no thread until start()
    assert threading.active_count() == threads
    drawing.start()
    assert threading.active_count() == threads + 1
    # asked while dot still works: the keys, and what was drawn before
    assert "a" in drawing and "block:1" in drawing and "c" not in drawing
    assert list(drawing) == ["block:1", "a", "b"] and len(drawing) == 3
    assert drawing["block:1"] == "<svg/>"
    assert not slow.go.is_set()
    slow.go.set()
    assert drawing["a"] == "<svg>A</svg>"
    assert drawing.wait() == {"b": "refused"}
    with pytest.raises(KeyError):
        drawing["b"]


def test_a_partial_drawing_makes_the_wanted_sources_and_the_others_when_asked() -> None:
    sources = {"a": "A", "b": "B", "c": "C"}
    made: list[str] = []

    def some(keys: Collection[str]) -> Iterator[tuple[str, str]]:
        for key, source in sources.items():
            if key in keys:
                made.append(key)
                yield key, source

    slow = _SlowRenderer()
    slow.go.set()
    drawing = BackgroundDrawing(slow, list(sources), sources.items, some=some)
    drawing.start({"a", "b"})
    assert drawing.wait() == {} and drawing.partial
    assert made == ["a", "b"]  # the thread made the wanted ones only
    assert drawing["c"] == "<svg>C</svg>" and made == ["a", "b", "c"]  # asked for: made now
    assert drawing["a"] == "<svg>A</svg>" and made == ["a", "b", "c"]
    with pytest.raises(KeyError):
        drawing["d"]


def test_a_diagram_drawn_late_and_not_in_time_is_reported_at_the_build_end() -> None:
    """Under ``mkdocs serve --dirty`` a diagram no rebuilt page was planned to show is drawn
    when a page asks for it, after the first wait: one dot did not draw in time is still
    said, once, when the build ends (``finish`` calls ``end``)."""

    class Background:
        partial = True

        def __init__(self) -> None:
            self.late = {"phase:CP2": "digraph {}"}

        def wait(self) -> dict[str, str]:
            return {}

        def timed_out(self) -> dict[str, str]:
            return dict(self.late)

    background = Background()
    svg = SimpleNamespace(timeout=2, rendered=0, processes=0)
    drawing = Drawing(background, svg, 2, index=None)  # type: ignore[arg-type]
    said: list[str] = []
    drawing.wait("mkdocs.yml", lambda finding: said.append(finding.message))
    assert [m.split(" is shown")[0] for m in said] == ["the diagram phase:CP2"]
    background.late["ORDER-A-1"] = "digraph {}"  # drawn on demand, too late
    drawing.wait("mkdocs.yml", lambda finding: said.append(finding.message))  # the next page
    assert len(said) == 1  # not asked again on every page
    drawing.end("mkdocs.yml", lambda finding: said.append(finding.message))
    drawing.end("mkdocs.yml", lambda finding: said.append(finding.message))
    assert [m.split(" is shown")[0] for m in said] == [
        "the diagram phase:CP2",
        "the diagram ORDER-A-1",
    ]
    assert "within 2 s (raise dot_timeout" in said[1]


def test_background_drawing_raises_what_drawing_raised() -> None:
    slow = _SlowRenderer(fail=DotMissingError("no dot"))
    slow.go.set()
    drawing = BackgroundDrawing(slow, ["a"], {"a": "A"}.items)
    with pytest.raises(DotMissingError, match="no dot"):
        drawing.wait()
    with pytest.raises(DotMissingError):
        drawing["a"]


@needs_dot
def test_a_big_diagram_is_drawn_first_in_a_process_of_its_own(tmp_path: Path) -> None:
    """dot keeps a graph's memory until it exits: a big graph drawn in the batch of small
    ones raised the batch's peak; alone, it is drawn first, while the build is smallest."""
    nodes = "".join(f'  n{i} [label="{"x" * 60}"];\n  n{i} -> n{i + 1};\n' for i in range(400))
    big = f"digraph big {{\n{nodes}}}\n"
    assert len(big) > _ALONE
    small = {str(n): f"digraph g{n} {{ a{n} -> b{n} }}\n" for n in range(3)}
    renderer = SvgRenderer(tmp_path)
    drawn: list[list[str]] = []
    draw = renderer._draw

    def recording(batch: Batch) -> None:
        drawn.append(list(batch.keys))
        draw(batch)

    renderer._draw = recording  # type: ignore[method-assign]
    digests, refused = renderer.prepare({**small, "big": big})
    assert refused == {}
    assert drawn == [[digests["big"]], [digests[k] for k in small]]
    assert renderer.processes == 1 + 2 and renderer.rendered == 4  # `dot -V`, then two
    assert "<title>n399</title>" in renderer.svg(big)


@needs_dot
def test_each_writer_block_is_drawn_in_a_process_of_its_own(tmp_path: Path) -> None:
    """A writer's dot block may hold anything (two graphs, none, an error): each is drawn
    alone, so what dot writes can only be that block's; the planning graph's diagrams,
    one graph each, share a batch (``prepare``)."""
    bad = 'digraph { subgraph "cluster_a" { x -> } }\n'
    small = {str(n): f"digraph g{n} {{ a{n} -> b{n} }}\n" for n in range(5)}
    renderer = SvgRenderer(tmp_path)
    renderer.version()
    drawn, refused = renderer.render_each({"bad": bad, **small})
    assert list(refused) == ["bad"] and "syntax error" in refused["bad"]
    assert sorted(drawn) == sorted(small)
    assert renderer.processes == 1 + 6  # `dot -V`, then each block
    for n in range(5):
        assert f"<title>a{n}</title>" in drawn[str(n)]


@needs_dot
def test_render_each_reports_the_refused_source_and_draws_the_others(tmp_path: Path) -> None:
    good = to_dot(diagram())
    drawn, refused = SvgRenderer(tmp_path).render_each(
        {"good": good, "bad": "digraph { a -> }\n", "again": good}
    )
    assert set(drawn) == {"good", "again"} and drawn["good"] == drawn["again"]
    assert drawn["good"].startswith("<svg")
    assert list(refused) == ["bad"] and "syntax error" in refused["bad"]


def test_each_diagram_of_a_batch_goes_to_its_own_cache_file(tmp_path: Path) -> None:
    """One dot process draws a batch and writes each graph to a file of its own; each
    becomes the cache record of its source, and a second renderer draws nothing."""
    sources = {str(n): f"digraph g{n} {{ a{n} -> b{n} }}\n" for n in range(12)}
    first = SvgRenderer(tmp_path)
    first.version()  # one process: dot -V
    assert first.prepare(sources)[1] == {} and first.processes == 2 and first.rendered == 12
    records = sorted(tmp_path.glob("*.svg"))
    assert len(records) == 12 and not list(tmp_path.glob("drawing-*"))
    second = SvgRenderer(tmp_path)
    assert second.prepare(sources)[1] == {} and second.rendered == 0
    for n in range(12):
        svg = second.svg(sources[str(n)])
        assert svg.startswith("<svg") and f"<title>a{n}</title>" in svg


@needs_dot
def test_the_drawing_thread_makes_the_sources_and_draws_them(tmp_path: Path) -> None:
    sources = {str(n): f"digraph g{n} {{ a{n} -> b{n} }}\n" for n in range(5)}
    sources["big"] = 'digraph big { subgraph "cluster_x" { c -> d } }\n'  # a batch alone
    made: list[str] = []

    def make() -> Iterator[tuple[str, str]]:
        made.append(threading.current_thread().name)
        yield from sources.items()

    svg = SvgRenderer(tmp_path)
    svg.version()
    drawing = BackgroundDrawing(svg, list(sources), make)
    assert made == []  # nothing made before the thread starts
    assert drawing.wait() == {} and made == ["plandocs-dot"]
    assert svg.processes == 1 + 2 and svg.rendered == 6  # `dot -V`, then two batches
    for n in range(5):
        assert f"<title>a{n}</title>" in drawing[str(n)]
    assert "<title>c</title>" in drawing["big"]
    assert not list(tmp_path.glob("drawing-*"))  # the batch files are gone
    again = SvgRenderer(tmp_path)
    cached = BackgroundDrawing(again, list(sources), make)
    assert cached.wait() == {}
    assert again.rendered == 0  # all from the cache


@needs_dot
def test_a_drawing_reports_what_dot_refuses_and_leaves_no_files(tmp_path: Path) -> None:
    sources = {"a": "digraph { a -> b }\n", "bad": "digraph { a -> }\n"}
    drawing = BackgroundDrawing(SvgRenderer(tmp_path), list(sources), sources.items)
    assert list(drawing.wait()) == ["bad"]
    assert "<title>a</title>" in drawing["a"]
    assert not list(tmp_path.glob("drawing-*"))


def test_a_drawing_never_started_leaves_no_files(tmp_path: Path) -> None:
    BackgroundDrawing(SvgRenderer(tmp_path), ["a"], {"a": "digraph { a }"}.items)
    assert not list(tmp_path.glob("drawing-*"))


def test_a_batch_file_gives_back_each_of_its_sources(tmp_path: Path) -> None:
    svg = SvgRenderer(tmp_path)
    sources = {"k1": "digraph { a -> b }\n", "k2": 'digraph { "x\r\ny" -> "ü" }\n'}
    digests, (batch,) = svg.write_missing(sources.items(), str(tmp_path))
    assert batch.keys == (digests["k1"], digests["k2"])
    assert list(batch.sources().values()) == list(sources.values())


@pytest.mark.parametrize("limit", [400, 2, 1, 0])
def test_the_diagram_keys_are_those_of_the_sources_and_each_draws_more_than_one_box(
    limit: int,
) -> None:
    """Which diagrams a build has is known before any is made (a helper makes them): an
    order's when it has an order before or after it (not itself), a phase's when it has
    orders, the whole graph's, each tree's."""
    settings = Settings(diagram_limit=limit, phase_titles={"CP9": "Later"})  # no orders
    docs = [
        parse("---\nid: ORDER-A-1\ntitle: A\nphase: CP1\n---\n", "orders/ORDER_A.md"),
        parse(
            "---\nid: ORDER-B-2\ntitle: B\nphase: CP2\ndepends_on: [ORDER-A-1]\n---\n",
            "orders/ORDER_B.md",
        ),
        parse(  # depends on itself only (not an edge): a page, no diagram
            "---\nid: ORDER-C-3\ntitle: C\nphase: CP2\ndepends_on: [ORDER-C-3]\n---\n",
            "orders/ORDER_C.md",
        ),
        parse("---\nid: ORDER-D-4\ntitle: D\n---\n", "orders/ORDER_D.md"),  # alone
        parse(
            "# Plan\n\n```\nORDER-A-1\n└── ORDER-B-2\n```\n\nCP3 is next.\n",
            "plan.md",
        ),
    ]
    graph, _ = seal(docs, settings)
    view = Renderer(graph, settings, SiteUrls())
    sources = view.diagram_sources()
    keys = view.diagram_keys()
    assert keys == list(sources)
    marks = emphasis(graph)
    # the rule before the keys were known apart: an order's diagram has more than one box
    assert [k for k in keys if k in graph.orders] == [
        o
        for o in sorted(graph.order_pages.values())
        if len(neighbourhood(graph, o, SiteUrls(), marks, limit).nodes) > 1
    ]
    assert [k for k in keys if k.startswith("phase:")] == [
        f"phase:{p}"
        for p in sorted(graph.phases)
        if phase_diagram(graph, p, SiteUrls(), marks, limit).nodes
    ]
    assert "ORDER-A-1" in keys and "ORDER-C-3" not in keys and "ORDER-D-4" not in keys
    assert "CP9" in graph.phases and "phase:CP9" not in keys and "phase:CP2" in keys
    assert "orders" in keys and any(k.startswith("tree:") for k in keys)
    # each on its page: a `mkdocs serve --dirty` rebuild makes those of the pages it writes
    tree = next(k for k in keys if k.startswith("tree:"))
    assert view.diagram_keys_on(["orders/ORDER_B.md", "plan.md"]) == {"ORDER-B-2", tree}
    urls = SiteUrls()
    assert view.diagram_keys_on([urls.orders_uri()]) == {"orders"}
    assert view.diagram_keys_on([urls.phase_uri("CP2"), urls.overview_uri()]) == {"phase:CP2"}


# -- one block, one graph; bounded layout; a time limit; no stale work folders ----------
TWO_GRAPHS = "```dot\ndigraph one { a1 -> b1 }\ndigraph two { a2 -> b2 }\n```\n"
NEXT_BLOCK = "```dot\ndigraph three { a3 -> b3 }\n```\n"


def test_only_the_work_folders_of_builds_that_are_gone_are_removed(tmp_path: Path) -> None:
    script = "import os; print(os.getpid())"
    gone = subprocess.run([sys.executable, "-c", script], capture_output=True, check=True)
    names = {
        "dead": f"drawing-{int(gone.stdout)}-abc",
        "running": f"drawing-{os.getpid()}-abc",
        "older plandocs": "drawing-abc",
        "no such process could be": f"drawing-{2**80}-abc",
    }
    for name in names.values():
        (tmp_path / name).mkdir()
    remove_stale_work(tmp_path)
    left = {path.name for path in tmp_path.iterdir()}
    assert left == {names["running"], names["no such process could be"]}


def test_a_work_folder_is_never_probed_with_a_signal_outside_posix(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # on Windows os.kill(pid, 0) does not ask: it ends the process
    (tmp_path / "drawing-4242-abc").mkdir()
    signals: list[tuple[int, int]] = []
    with monkeypatch.context() as patched:  # undone before pytest, which reads os.name, reports
        patched.setattr(os, "name", "nt")
        patched.setattr(os, "kill", lambda *args: signals.append(args))
        remove_stale_work(tmp_path)
    assert signals == []
    assert (tmp_path / "drawing-4242-abc").is_dir()


@needs_dot
def test_a_block_of_two_graphs_is_reported_and_shifts_no_other_block(tmp_path: Path) -> None:
    config = write_project(tmp_path, "\n      orders_dir: ''\n")
    home = tmp_path / "docs" / "index.md"
    home.write_text(f"# Home\n\n{TWO_GRAPHS}\n{NEXT_BLOCK}", encoding="utf-8")
    result = build(config)
    assert result.returncode == 0, result.stderr
    warnings = [line for line in result.stderr.splitlines() if "bad-diagram" in line]
    assert warnings == [
        "WARNING -  plandocs: docs/index.md:3: it holds 2 graphs, and a block draws one: put "
        "each graph in a block of its own; fix the dot source [plandocs.bad-diagram]"
    ]
    page = (tmp_path / "s" / "index.html").read_text(encoding="utf-8")
    assert "digraph two { a2 -&gt; b2 }" in page  # left as code
    assert "<title>three</title>" in page and "<title>two</title>" not in page
    # fixed: each block shows its own graph, from a cache that holds no shifted SVG
    home.write_text(f"# Home\n\n{TWO_GRAPHS.replace('digraph two', '// two')}\n{NEXT_BLOCK}")
    result = build(config, "--strict")
    assert result.returncode == 0, result.stderr
    page = (tmp_path / "s" / "index.html").read_text(encoding="utf-8")
    assert page.index("<title>one</title>") < page.index("<title>three</title>")
    assert "<title>two</title>" not in page


@needs_dot
def test_a_batch_dot_does_not_draw_one_for_one_caches_nothing_of_it(tmp_path: Path) -> None:
    """Sources that give dot more (or fewer) graphs than sources, in one batch: nothing of
    the batch is cached under a wrong key; each is then drawn alone."""
    sources = {"two": "digraph one { a1 }\ndigraph two { a2 }\n", "next": "digraph three { a3 }\n"}
    svg = SvgRenderer(tmp_path)
    _, refused = svg.prepare(sources)  # one batch: both are small and have no cluster
    assert list(refused) == ["two"] and "holds 2 graphs" in refused["two"]
    assert "<title>three</title>" in svg.svg(sources["next"])
    assert len(list(tmp_path.glob("*.svg"))) == 1
    assert "holds no graphs" in svg.render_each({"empty": "// nothing\n"})[1]["empty"]


def complete_dag(n: int) -> Diagram:
    nodes = tuple(Node(f"n{i}", f"n{i}") for i in range(n))
    edges = tuple(Edge(f"n{j}", f"n{i}") for j in range(n) for i in range(j))
    return Diagram("dense", nodes, edges)


def test_layout_size_counts_boxes_edges_and_the_bends_of_long_edges() -> None:
    chain = Diagram(
        "chain",
        tuple(Node(f"n{i}", "") for i in range(5)),
        tuple(Edge(f"n{i + 1}", f"n{i}") for i in range(4)),
    )
    assert layout_size(chain) == 5 + 4
    skip = Diagram("skip", chain.nodes, (*chain.edges, Edge("n4", "n0")))
    assert layout_size(skip) == 5 + 5 + 3  # the long edge skips three ranks
    cycle = Diagram("cycle", chain.nodes, (*chain.edges, Edge("n0", "n4")))
    assert layout_size(cycle) == 5 + 5 + 3  # reversed, as dot does
    # n boxes, n(n-1)/2 edges, and an edge from i to j bends j-i-1 times
    assert layout_size(complete_dag(45)) == 45 + 990 + 14190
    assert layout_size(complete_dag(20)) == 20 + 190 + 1140


def write_dense(root: Path, n: int = 45) -> Path:
    """``n`` orders of one phase, each depending on all the orders before it."""
    config = write_project(root, "\n      orders_dir: orders\n")
    (root / "orders").mkdir()
    for i in range(n):
        depends = ", ".join(f"ORDER-D-{j}" for j in range(1, i + 1))
        (root / "orders" / f"ORDER_D_{i + 1}.md").write_text(
            f"---\nid: ORDER-D-{i + 1}\ntitle: Dense {i + 1}\nphase: CP1\nowner: wrk-{i % 3}\n"
            f"depends_on: [{depends}]\n---\n# Dense {i + 1}\n",
            encoding="utf-8",
        )
    return config


def test_a_dense_graph_is_summarised_before_dot_sees_it() -> None:
    graph, _ = seal(dense_docs(45), Settings())
    urls = SiteUrls()
    assert neighbourhood(graph, "ORDER-D-20", urls).title == "Dependencies of ORDER-D-20, by phase"
    assert phase_diagram(graph, "CP1", urls).title == "Orders of CP1, by owner (45 orders)"
    assert overview_diagram(graph, urls).title == "All 45 orders, by phase"
    small, _ = seal(dense_docs(12), Settings())
    assert phase_diagram(small, "CP1", urls).title == "Orders of CP1"  # drawn in full


def dense_docs(n: int) -> list[Any]:
    return [
        parse(
            f"---\nid: ORDER-D-{i + 1}\ntitle: Dense {i + 1}\nphase: CP1\n"
            f"depends_on: [{', '.join(f'ORDER-D-{j}' for j in range(1, i + 1))}]\n---\n",
            f"orders/ORDER_D_{i + 1}.md",
        )
        for i in range(n)
    ]


@needs_dot
def test_45_orders_that_each_depend_on_all_before_build_without_hanging(tmp_path: Path) -> None:
    config = write_dense(tmp_path)
    command = [sys.executable, "-m", "mkdocs", "build", "--strict", "-f", str(config)]
    result = subprocess.run(  # the hang guard: dot takes minutes for one such diagram
        [*command, "-d", str(tmp_path / "s")],
        capture_output=True,
        text=True,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    order = (tmp_path / "s" / "orders" / "ORDER_D_20" / "index.html").read_text("utf-8")
    assert "<title>Dependencies of ORDER&#45;D&#45;20, by phase</title>" in order
    phase = (tmp_path / "s" / "planning" / "phases" / "CP1" / "index.html").read_text("utf-8")
    assert "by owner (45 orders)" in phase


FAKE_DOT = """#!/bin/sh
if [ "$1" = "-V" ]; then echo "dot - graphviz version 0.0 (fake)" >&2; exit 0; fi
exec sleep 60
"""


def test_a_dot_that_runs_too_long_is_stopped_and_nothing_is_cached(tmp_path: Path) -> None:
    fake = tmp_path / "bin" / "dot"
    fake.parent.mkdir()
    fake.write_text(FAKE_DOT, encoding="utf-8")
    fake.chmod(0o755)
    config = write_chain(tmp_path)
    config.write_text(config.read_text(encoding="utf-8") + "      dot_timeout: 0.5\n")
    (tmp_path / "docs" / "index.md").write_text(f"# Home\n\n{NEXT_BLOCK}", encoding="utf-8")
    result = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "-f", str(config), "-d", str(tmp_path / "s")],
        capture_output=True,
        text=True,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1", "PATH": f"{fake.parent}:{os.defpath}"},
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    warnings = sorted(line for line in result.stderr.splitlines() if "bad-diagram" in line)
    assert warnings[0] == (
        "WARNING -  plandocs: docs/index.md:3: Graphviz did not finish drawing within 0.5 s "
        "(dot_timeout); fix the dot source [plandocs.bad-diagram]"
    )
    assert warnings[1:] == [
        f"WARNING -  plandocs: mkdocs.yml: the diagram {key} is shown as its DOT source: "
        "Graphviz did not draw it within 0.5 s (raise dot_timeout, or lower diagram_limit) "
        "[plandocs.bad-diagram]"
        for key in sorted(
            ["ORDER-A-1", "ORDER-B-1", "ORDER-C-1", "orders", "phase:CP1", "phase:CP2"]
        )
    ]
    order = (tmp_path / "s" / "orders" / "ORDER_B_1" / "index.html").read_text("utf-8")
    assert "Diagram source (Graphviz took too long to draw it)" in order
    assert "&#34;ORDER-A-1&#34; -&gt; &#34;ORDER-B-1&#34;" in order  # blocker -> waiting
    home = (tmp_path / "s" / "index.html").read_text(encoding="utf-8")
    assert "digraph three { a3 -&gt; b3 }" in home  # left as code
    cache = tmp_path / ".cache" / "plandocs"
    assert not list(cache.glob("*.svg")) and not list(cache.glob("drawing-*"))


def test_a_dot_that_does_not_answer_its_version_is_one_line(tmp_path: Path) -> None:
    fake = tmp_path / "dot"
    fake.write_text("#!/bin/sh\nexec sleep 60\n", encoding="utf-8")
    fake.chmod(0o755)
    with pytest.raises(DotMissingError, match=r"did not answer 'dot -V' within 0.2 s"):
        SvgRenderer(tmp_path, dot=str(fake), timeout=0.2).version()


def test_work_folders_of_builds_that_are_gone_are_removed(tmp_path: Path) -> None:
    killed = subprocess.run(  # a build killed while it drew: its folder stays behind
        [
            sys.executable,
            "-c",
            "import os, sys; from pathlib import Path; "
            "from plandocs.graphviz.render import SvgRenderer; "
            "work = SvgRenderer(Path(sys.argv[1])).work_folder(); "
            "Path(work.name, 'batch.dot').write_text('digraph {}'); print(work.name, flush=True); "
            "os.kill(os.getpid(), 9)",
            str(tmp_path),
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    left = Path(killed.stdout.strip())
    assert left.is_dir() and left.name.startswith("drawing-")
    old = tmp_path / "drawing-abc_12xy"  # an older plandocs named none by its process
    old.mkdir()
    running = tmp_path / f"drawing-{os.getpid()}-live"  # this process's: in use
    running.mkdir()
    svg = SvgRenderer(tmp_path)
    with svg.work_folder() as work:
        assert Path(work).name.startswith(f"drawing-{os.getpid()}-")
    assert sorted(tmp_path.glob("drawing-*")) == [running]


@needs_dot
def test_a_text_longer_than_graphviz_reads_is_cut_and_two_long_ids_stay_two(
    tmp_path: Path,
) -> None:
    """Graphviz refuses a quoted string over 16,384 bytes: a title of 100,000 characters
    (or a long owner, a summary's node ID) is cut, and the diagram drawn."""
    long_a, long_b = "ä" * 100_000 + "a", "ä" * 100_000 + "b"
    source = to_dot(
        Diagram(
            "T" * 100_000,
            (Node(long_a, "L" * 100_000, None, "\\" * 100_000), Node(long_b, "b")),
            (Edge(long_a, long_b, (), "x" * 100_000),),
            (Cluster("c" * 100_000, "P" * 100_000, (long_a,)),),
        )
    )
    assert max(len(line.encode("utf-8")) for line in source.splitlines()) < 16_384
    (svg,) = SvgRenderer(tmp_path).render([source])
    assert svg.count('class="node"') == 2 and "L" * 998 + "\u2026" in svg


def _svg(*groups: str) -> str:
    """An SVG as Graphviz writes it: a group per node or edge, a hyphen as ``&#45;``."""
    body = "".join(
        f'<g id="g{n}" class="{g.replace("-", "&#45;")}"><title>x</title></g>'
        for n, g in enumerate(groups)
    )
    return f'<svg width="10pt" height="10pt" viewBox="0 0 10 10">{body}</svg>'


def test_a_legend_keys_only_what_its_diagram_holds() -> None:
    plain = _svg("node status-pending", "node priority-high status-done")
    assert legend_keys(plain) == [
        ("priority-high", "Priority high: orange border."),
        ("status-pending", "Pending: no fill."),
        ("status-done", "Done: green fill."),
    ]
    full = _svg(
        "node self priority-critical status-in_progress critical",
        "node stub status-blocked",
        "edge critical",
        "edge cycle",
        "cluster phase-CP2",
    )
    assert [key for key, _ in legend_keys(full)] == [
        "arrow",
        "cluster",
        "self",
        "priority-critical",
        "status-blocked",
        "status-in_progress",
        "critical",
        "cycle",
        "stub",
    ]
    tree = _svg("node unknown", "edge mismatch")
    assert [key for key, _ in legend_keys(tree, tree=True)] == [
        "tree",
        "arrow",
        "mismatch",
        "unknown",
    ]
    summary = _svg("node owner group", "node stub group", "edge")
    assert (
        "group",
        "Box: the orders of one phase or owner, counted; number on an arrow: "
        "the dependencies it stands for.",
    ) in legend_keys(summary)
    assert legend_html(_svg()) == ""  # nothing drawn, nothing keyed
    # a writer's status is keyed as written, in plain text
    # (as Graphviz writes it: escaped)
    odd = legend_html(_svg("node status-&lt;b&gt;&quot;x&quot;&lt;/b&gt;"))
    assert "<b>" not in odd and 'data-key="status-&lt;b&gt;&quot;x&quot;&lt;/b&gt;"' in odd


@needs_dot
def test_the_legend_of_a_rendered_diagram_keys_its_classes(tmp_path: Path) -> None:
    docs = [
        parse("---\nid: ORDER-A-1\ntitle: A\nphase: CP1\nstatus: done\n---\n", "orders/A.md"),
        parse(
            "---\nid: ORDER-B-2\ntitle: B\nphase: CP2\npriority: high\n"
            "depends_on: [ORDER-A-1]\n---\n",
            "orders/B.md",
        ),
    ]
    graph, _ = seal(docs, Settings())
    svg = SvgRenderer(tmp_path).render([to_dot(neighbourhood(graph, "ORDER-B-2", SiteUrls()))])[0]
    assert [key for key, _ in legend_keys(svg)] == [
        "arrow",
        "self",
        "priority-high",
        "status-done",
    ]


def test_every_diagram_draws_from_a_blocker_to_the_order_waiting_for_it() -> None:
    docs = [
        parse("---\nid: ORDER-A-1\ntitle: A\nphase: CP1\n---\n", "orders/A.md"),
        parse(
            "---\nid: ORDER-B-2\ntitle: B\nphase: CP2\ndepends_on: [ORDER-A-1]\n---\n",
            "orders/B.md",
        ),
        parse(
            "---\nid: ORDER-C-3\ntitle: C\nphase: CP2\ndepends_on: [ORDER-B-2]\n---\n\n"
            "```\nORDER-A-1\n  └─→ ORDER-B-2\n        └─→ ORDER-C-3\n```\n",
            "orders/C.md",
        ),
    ]
    graph, _ = seal(docs, Settings())
    urls = SiteUrls()
    drawn = [
        neighbourhood(graph, "ORDER-B-2", urls),
        phase_diagram(graph, "CP2", urls),
        overview_diagram(graph, urls),
        tree_diagram(graph, graph.trees["orders/C.md"][0], urls, "orders/C/"),
    ]
    for diagram in drawn:
        pairs = {(e.source, e.target) for e in diagram.edges}
        assert pairs <= {("ORDER-A-1", "ORDER-B-2"), ("ORDER-B-2", "ORDER-C-3")}, diagram.title
        assert pairs
    by_phase = overview_diagram(graph, urls, limit=1)
    assert [(e.source, e.target) for e in by_phase.edges] == [("phase:CP1", "phase:CP2")]


def test_a_diagram_above_the_readable_size_is_summarised_whatever_the_limit() -> None:
    count = READABLE_BOXES + 1
    docs = [
        parse(
            f"---\nid: ORDER-A-{n}\ntitle: T\nphase: CP1\nowner: wrk-{n % 3}\n---\n",
            f"orders/A{n}.md",
        )
        for n in range(count)
    ]
    graph, _ = seal(docs, Settings())
    assert overview_diagram(graph, SiteUrls(), limit=1000).title == f"All {count} orders, by phase"
    assert phase_diagram(graph, "CP1", SiteUrls(), limit=1000).title == (
        f"Orders of CP1, by owner ({count} orders)"
    )
    graph, _ = seal(docs[:READABLE_BOXES], Settings())
    assert overview_diagram(graph, SiteUrls(), limit=1000).title == "All orders by phase"
    assert phase_diagram(graph, "CP1", SiteUrls(), limit=1000).title == "Orders of CP1"


def test_dot_is_asked_its_version_once_a_process_until_another_dot_takes_its_place(
    tmp_path: Path,
) -> None:
    """``mkdocs serve`` makes a renderer each build: `dot -V` is part of every cache key,
    and starting `dot` for it cost more than the rest of a rebuild's diagrams. A Graphviz
    installed over it (another file at the same path) is asked again."""
    fake = tmp_path / "dot"
    fake.write_text(FAKE_DOT, encoding="utf-8")
    fake.chmod(0o755)
    first, second = SvgRenderer(None, dot=str(fake)), SvgRenderer(None, dot=str(fake))
    assert first.version() == second.version() == "dot - graphviz version 0.0 (fake)"
    assert (first.processes, second.processes) == (1, 0)
    fake.write_text(FAKE_DOT.replace("0.0 (fake)", "14.1.2 (an upgrade)"), encoding="utf-8")
    third = SvgRenderer(None, dot=str(fake))
    assert third.version() == "dot - graphviz version 14.1.2 (an upgrade)"
    assert third.processes == 1
