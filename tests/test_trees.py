"""ASCII dependency trees: read into edges, checked against the orders, drawn above the text."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from plandocs.cli.main import load_project
from plandocs.core.diagram.planning import tree_diagram
from plandocs.core.graph import seal
from plandocs.core.parse.trees import ascii_trees, read_tree
from plandocs.core.settings import Settings
from plandocs.core.urls import SiteUrls

from .conftest import ROOT, parse
from .test_config import build, write_project

ID = Settings().order_id_re


def edges(text: str) -> list[tuple[str, str, int]]:
    tree = read_tree(text.split("\n"), ID)
    return [(e.source, e.target, e.line) for e in tree.edges]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param(  # the seeds' shape
            "ORDER-A-1 (CRITICAL) [wrk-3]\n    │\n    ├─→ ORDER-B-2 (HIGH) [wrk-2]\n"
            "    │\n    └─→ ORDER-C-3 (MEDIUM) [wrk-3]\n\nORDER-D-4 (MEDIUM) [wrk-4]\n"
            "    │ (parallel, no dependencies)",
            [("ORDER-A-1", "ORDER-B-2", 3), ("ORDER-A-1", "ORDER-C-3", 5)],
            id="seed",
        ),
        pytest.param(
            "ORDER-A-1\n├── ORDER-B-2\n│   └── ORDER-C-3\n│       └─> ORDER-D-4\n└── ORDER-E-5",
            [
                ("ORDER-A-1", "ORDER-B-2", 2),
                ("ORDER-B-2", "ORDER-C-3", 3),
                ("ORDER-C-3", "ORDER-D-4", 4),
                ("ORDER-A-1", "ORDER-E-5", 5),
            ],
            id="nested, back out to the root",
        ),
        pytest.param(
            "ORDER-A-1\n|-- ORDER-B-2\n+-- ORDER-C-3\n`-- ORDER-D-4\n\\-- ORDER-E-5\n"
            "    ↳ ORDER-F-6",
            [
                ("ORDER-A-1", "ORDER-B-2", 2),
                ("ORDER-A-1", "ORDER-C-3", 3),
                ("ORDER-A-1", "ORDER-D-4", 4),
                ("ORDER-A-1", "ORDER-E-5", 5),
                ("ORDER-E-5", "ORDER-F-6", 6),
            ],
            id="plain ASCII branches",
        ),
        pytest.param(
            "ORDER-A-1\n   │\n   ▼\nORDER-B-2\n   ↓\nORDER-C-3",
            [("ORDER-A-1", "ORDER-B-2", 4), ("ORDER-B-2", "ORDER-C-3", 6)],
            id="downwards",
        ),
        pytest.param(
            "ORDER-A-1 (HIGH) → ORDER-B-2 -> ORDER-C-3 ==> ORDER-D-4, ORDER-E-5",
            [
                ("ORDER-A-1", "ORDER-B-2", 1),
                ("ORDER-B-2", "ORDER-C-3", 1),
                ("ORDER-C-3", "ORDER-D-4", 1),
            ],
            id="a chain on one line stops at a comma",
        ),
        pytest.param(
            "ORDER-A-1\n├─> ORDER-B-2\n│  └─> ORDER-D-4\n│     └─> ORDER-E-5\n└─> ORDER-C-3",
            [
                ("ORDER-A-1", "ORDER-B-2", 2),
                ("ORDER-B-2", "ORDER-D-4", 3),
                ("ORDER-D-4", "ORDER-E-5", 4),
                ("ORDER-A-1", "ORDER-C-3", 5),
            ],
            id="a child left of its parent's ID hangs under the parent's branch",
        ),
        pytest.param(
            "ORDER-A-1\n├── [x] ORDER-B-2\n│   └── ORDER-C-3\n├─→ ✅ ORDER-D-4\n"
            "├─→ (HIGH) [ORDER-E-5]\n├── see the notes\n│   └── ORDER-F-6\n└── ORDER-G-7",
            [
                ("ORDER-A-1", "ORDER-B-2", 2),
                ("ORDER-B-2", "ORDER-C-3", 3),
                ("ORDER-A-1", "ORDER-D-4", 4),
                ("ORDER-A-1", "ORDER-E-5", 5),
                ("ORDER-A-1", "ORDER-G-7", 8),  # F-6 hangs under a line that is no order
            ],
            id="notes between a branch and its order",
        ),
        pytest.param(
            "ORDER-A-1\n\t├─→ ORDER-B-2\n\t│\t└─→ ORDER-D-4\n"
            "ORDER-X-1\n├──\u00a0ORDER-Y-2\n+---ORDER-Z-3\n\\---ORDER-W-4",
            [
                ("ORDER-A-1", "ORDER-B-2", 2),
                ("ORDER-B-2", "ORDER-D-4", 3),
                ("ORDER-X-1", "ORDER-Y-2", 5),
                ("ORDER-X-1", "ORDER-Z-3", 6),
                ("ORDER-X-1", "ORDER-W-4", 7),
            ],
            id="tabs, tree's no-break spaces, tree /A",
        ),
        pytest.param(
            "ORDER-A-1 → ORDER-B-2\n             └─→ ORDER-C-3\n    └─→ ORDER-D-4",
            [
                ("ORDER-A-1", "ORDER-B-2", 1),
                ("ORDER-B-2", "ORDER-C-3", 2),
                ("ORDER-A-1", "ORDER-D-4", 3),
            ],
            id="a branch under a chain",
        ),
        pytest.param(
            "ORDER-A-1\nsee ORDER-B-2 for why\n    ORDER-C-3\n├─→ ORDER-A-1",
            [],
            id="sentences, bare indentation and self-edges draw nothing",
        ),
    ],
)
def test_tree_edges(text: str, expected: list[tuple[str, str, int]]) -> None:
    assert edges(text) == expected


def test_only_plain_code_blocks_that_draw_an_edge_are_trees() -> None:
    lines = [
        "# Plan",  # 0
        "```",
        "ORDER-A-1",
        "└─→ ORDER-B-2",
        "```",
        "```python",  # 5
        "ORDER-A-1",
        "└─→ ORDER-B-2",
        "```",
        "```text",
        "ORDER-C-3 and ORDER-D-4",  # 10: a list of IDs is not a tree
        "```",
        "~~~{.tree}",
        "ORDER-C-3 → ORDER-D-4",
        "~~~",
        "```",  # 15: a rename list is not a plan: chains alone count only under `tree`
        "ORDER-A-1 -> ORDER-C-3   (renamed)",
        "```",
        "<!-- an old plan",
        "```",  # 19: hidden in a comment
        "ORDER-A-1",
        "└─→ ORDER-B-2",
        "```",
        "-->",
    ]
    found = ascii_trees(lines, ID)
    assert [(t.start, t.end, t.ids) for t in found] == [
        (1, 4, ("ORDER-A-1", "ORDER-B-2")),
        (12, 14, ("ORDER-C-3", "ORDER-D-4")),
    ]
    assert found[0].edges[0].line == 4  # 1-based line in the file
    assert found[0].source == "ORDER-A-1\n└─→ ORDER-B-2"


SUMMARY = """\
# Summary

```
ORDER-A-1
    ├─→ ORDER-B-2
    │      └─→ ORDER-D-4
    ├─→ ORDER-C-3
    └─→ ORDER-Z-9
ORDER-E-5
    └─→ ORDER-F-6
```

## ORDER-A-1: One

## ORDER-B-2: Two

**Dependencies**: ORDER-A-1

## ORDER-C-3: Three

**Dependencies**: None

## ORDER-D-4: Four

**Dependencies**: ORDER-A-1

## ORDER-E-5: Five

**Dependencies**: ORDER-F-6

## ORDER-F-6: Six

## ORDER-G-7: Seven

**Dependencies**: ORDER-A-1
"""


def test_tree_edges_are_checked_against_the_declared_dependencies() -> None:
    graph, found = seal([parse(SUMMARY, "orders/SUMMARY.md")], Settings())
    tree_findings = sorted(
        (d.line, d.code, d.message)
        for d in found
        if d.code in ("plandocs.tree-mismatch", "plandocs.unknown-ref")
    )
    assert tree_findings == [
        (
            6,
            "plandocs.tree-mismatch",
            "the dependency tree draws ORDER-B-2 → ORDER-D-4, but ORDER-D-4 does not depend "
            "on ORDER-B-2 (it depends on ORDER-A-1); add ORDER-B-2 to its Dependencies or "
            "fix the tree",
        ),
        (
            7,
            "plandocs.tree-mismatch",
            "the dependency tree draws ORDER-A-1 → ORDER-C-3, but ORDER-C-3 does not depend "
            "on ORDER-A-1 (it depends on nothing); add ORDER-A-1 to its Dependencies or "
            "fix the tree",
        ),
        (
            8,
            "plandocs.unknown-ref",
            "the dependency tree names ORDER-Z-9, which is not a known order",
        ),
        (
            10,  # F-6 → E-5 is declared: one finding, not a second "leaves out"
            "plandocs.tree-mismatch",
            "the dependency tree draws ORDER-E-5 → ORDER-F-6, but it is ORDER-E-5 that "
            "depends on ORDER-F-6; turn the arrow around",
        ),
    ]
    # D-4 depends on A-1, drawn through B-2: a path is enough. G-7 is not in the tree.
    model = tree_diagram(graph, graph.trees["orders/SUMMARY.md"][0], SiteUrls(), "orders/SUMMARY/")
    assert [(e.source, e.target, e.classes) for e in model.edges] == [
        ("ORDER-A-1", "ORDER-B-2", ()),  # as the tree reads: blocker -> waiting order
        ("ORDER-B-2", "ORDER-D-4", ("mismatch",)),
        ("ORDER-A-1", "ORDER-C-3", ("mismatch",)),
        ("ORDER-A-1", "ORDER-Z-9", ("mismatch",)),
        ("ORDER-E-5", "ORDER-F-6", ("mismatch",)),
    ]
    unknown = next(n for n in model.nodes if n.id == "ORDER-Z-9")
    assert (unknown.url, unknown.classes) == (None, ("unknown",))
    assert model.nodes[0].url == "./#order-a-1"  # the entry, on the page the tree is on


def test_the_seeds_trees_draw_the_edges_the_orders_declare() -> None:
    project, _ = load_project(ROOT / "mkdocs.yml")
    graph = project.graph
    drawn = {
        (edge.source, edge.target)
        for uri in ("orders/CP2_ORDERS_SUMMARY.md", "orders/CP3_ORDERS_SUMMARY.md")
        for tree in graph.trees[uri]
        for edge in tree.edges
    }
    assert drawn == {
        ("ORDER-WRK-3-CP2-001", "ORDER-WRK-2-CP2-002"),
        ("ORDER-WRK-3-CP2-001", "ORDER-WRK-3-CP2-004"),
        ("ORDER-WRK-4-OPENRESTY-001", "ORDER-WRK-4-OPENRESTY-002"),
    }
    assert all(source in graph.depends_on(target) for source, target in drawn)
    assert not [d for d in project.diagnostics if d.code == "plandocs.tree-mismatch"]


needs_dot = pytest.mark.skipif(shutil.which("dot") is None, reason="Graphviz is not installed")


def test_another_systems_ids_in_a_tree_are_not_reported() -> None:
    text = "# Plan\n\n```\nORDER-A-1\n└─→ ORDER-LEGACY-42\n└─→ ORDER-Q-7\n```\n\n## ORDER-A-1: A\n"
    settings = Settings(external_ids=("ORDER-LEGACY-[0-9]+",))
    graph, found = seal([parse(text, "orders/S.md", settings)], settings)
    assert [(d.line, d.code) for d in found] == [(6, "plandocs.unknown-ref")]  # Q-7 only
    model = tree_diagram(
        graph,
        graph.trees["orders/S.md"][0],
        SiteUrls(),
        "orders/S/",
        external=settings.external_ids_re,
    )
    assert [(n.id, n.classes) for n in model.nodes] == [
        ("ORDER-A-1", ()),
        ("ORDER-LEGACY-42", ()),
        ("ORDER-Q-7", ("unknown",)),
    ]
    assert [e.classes for e in model.edges] == [(), ("mismatch",)]


@needs_dot
def test_a_summary_shows_its_tree_drawn_with_the_text_folded_under_it(tmp_path: Path) -> None:
    config = write_project(tmp_path, "\n      orders_dir: orders\n")
    (tmp_path / "orders").mkdir()
    (tmp_path / "orders" / "SUMMARY.md").write_text(SUMMARY, encoding="utf-8")
    result = build(config)
    assert result.returncode == 0, result.stderr
    assert "SUMMARY.md:6: the dependency tree draws ORDER-B-2 → ORDER-D-4" in result.stderr
    page = (tmp_path / "s" / "orders" / "SUMMARY" / "index.html").read_text(encoding="utf-8")
    diagram, folded = page.index('<div class="plandocs-diagram">'), page.index("<details")
    assert page.index('<h1 id="summary">') < diagram < folded < page.index('id="order-a-1"')
    assert "<title>Dependency tree, as drawn in this page</title>" in page
    assert 'class="edge mismatch"' in page
    assert "<summary>The dependency tree as written</summary>" in page
    assert "    ├─→ ORDER-B-2\n    │      └─→ ORDER-D-4" in page  # as written, not linked
    assert 'xlink:href="./#order-b-2"' in page  # its node links to the entry on this page
    assert "```" not in page
