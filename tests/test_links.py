"""Cross-linking IDs in prose: what becomes a link, what never does, and that the work is
linear in the page however many IDs exist."""

from __future__ import annotations

from pathlib import Path

import pytest

from plandocs.core.links import (
    LinkIndex,
    Mention,
    Target,
    anchor_tasks,
    link_references,
    scan_page,
    scan_references,
    source_link,
)
from plandocs.core.settings import Settings
from plandocs.project.load import SourceEntry, load

TARGETS = [
    Target("ORDER-WRK-3-CP2-001", "orders/ORDER_WRK_3.md", None, "Compilation fix", "done"),
    Target("ORDER-WRK-4-CP2-003", "orders/SUMMARY.md", "order-wrk-4-cp2-003", 'The "metrics"'),
    Target("ADR-016", "adr/ADR-016-gateway.md", None, "C-Gateway", "accepted"),
    Target("ADR-001", "adr/adr-001-records.md", None, "Record decisions", "accepted"),
    Target("CP2", "planning/phases/CP2.md", None, "Core"),
    Target("CP3-INGRESS", "planning/phases/CP3-INGRESS.md", None, "Ingress"),
]


def index(targets: list[Target] = TARGETS) -> LinkIndex:
    return LinkIndex(Settings(), {t.id: t for t in targets})


def link(text: str, page: str = "docs/notes.md") -> str:
    return link_references(text, page, index()).text


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "blocked by ORDER-WRK-3-CP2-001.",
            'blocked by [ORDER-WRK-3-CP2-001](../orders/ORDER_WRK_3.md "Compilation fix (done)").',
        ),
        (
            "| ORDER-WRK-4-CP2-003 | x |",
            "| [ORDER-WRK-4-CP2-003](../orders/SUMMARY.md#order-wrk-4-cp2-003 "
            '"The &#39;metrics&#39;") | x |',
        ),
        ("see ADR-16", 'see [ADR-16](../adr/ADR-016-gateway.md "C-Gateway (accepted)")'),
        ("see ADR-016", 'see [ADR-016](../adr/ADR-016-gateway.md "C-Gateway (accepted)")'),
        ("see ADR-01", 'see [ADR-01](../adr/adr-001-records.md "Record decisions (accepted)")'),
        (
            "**CP2** and CP3-INGRESS",
            '**[CP2](../planning/phases/CP2.md "Core")** and '
            '[CP3-INGRESS](../planning/phases/CP3-INGRESS.md "Ingress")',
        ),
        # inline code that is the reference and nothing else
        ("`ADR-016`", '[`ADR-016`](../adr/ADR-016-gateway.md "C-Gateway (accepted)")'),
        (
            "## Moving to ADR-016",
            '## Moving to [ADR-016](../adr/ADR-016-gateway.md "C-Gateway (accepted)")',
        ),
    ],
)
def test_references_become_links(text: str, expected: str) -> None:
    assert link(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "```\nORDER-WRK-3-CP2-001\n```",
        "~~~text\n    ADR-016\n~~~",
        "`make ORDER-WRK-3-CP2-001`",  # code with more than the reference
        "[see ORDER-WRK-3-CP2-001](elsewhere.md)",
        "[ORDER-WRK-3-CP2-001][ref]",
        "![ADR-016 diagram](adr.png)",
        "<a href='x'>ADR-016</a>",
        '<div class="card">\nORDER-WRK-3-CP2-001\n</div>',
        "[ref]: https://example.com/ADR-016",
        "https://example.com/ADR-016/CP2",
        "CP3-GW-001 and ORDER-WRK-3-CP2-0011 and XADR-016 and CP2X",  # not these shapes
    ],
)
def test_these_are_never_linked(text: str) -> None:
    assert link(text) == text


def test_a_page_does_not_link_to_itself() -> None:
    text = "ORDER-WRK-3-CP2-001 depends on ORDER-WRK-4-CP2-003"
    out = link_references(text, "orders/ORDER_WRK_3.md", index()).text
    assert out.startswith("ORDER-WRK-3-CP2-001 depends on [ORDER-WRK-4-CP2-003](SUMMARY.md#")


def test_a_phase_is_linked_at_its_first_mention_in_each_section() -> None:
    text = (
        "## Plan\n\nCP2 first, CP3-INGRESS next.\n\nThen CP2 again, and CP2.3 as a step.\n\n"
        "## Risks\n\nCP2 slips; CP2 and CP3-INGRESS.\n"
    )
    out = link(text)
    core = '[CP2](../planning/phases/CP2.md "Core")'
    ingress = '[CP3-INGRESS](../planning/phases/CP3-INGRESS.md "Ingress")'
    assert out == (
        f"## Plan\n\n{core} first, {ingress} next.\n\nThen CP2 again, and CP2.3 as a step.\n\n"
        f"## Risks\n\n{core} slips; CP2 and {ingress}.\n"
    )
    # every mention is still found (for "Referenced by" and the diagnostics)
    found = link_references(text, "docs/notes.md", index()).found
    assert [i for _, i in found].count("CP2") == 4


def test_a_summary_entry_heading_stays_as_written() -> None:
    text = "#### ORDER-WRK-4-CP2-003: Metrics\n\nsee ORDER-WRK-3-CP2-001"
    entries = frozenset({"ORDER-WRK-4-CP2-003"})
    out = link_references(text, "orders/OTHER.md", index(), entries).text
    assert out.startswith("#### ORDER-WRK-4-CP2-003: Metrics\n")
    assert "[ORDER-WRK-3-CP2-001](ORDER_WRK_3.md " in out


def test_unknown_references_are_kept_and_listed_with_their_line() -> None:
    result = link_references("ok ADR-016\nbut ADR-099 and ORDER-WRK-9-CP9-999", "a.md", index())
    assert result.unknown == [(2, "ADR-099"), (2, "ORDER-WRK-9-CP9-999")]
    assert result.linked == ["ADR-016"]
    assert "ADR-099 and ORDER-WRK-9-CP9-999" in result.text


def test_links_from_a_page_with_a_space_in_its_path_are_quoted() -> None:
    target = Target("ADR-016", "adr/ADR 016.md", None, "Gateway")
    out = link_references("ADR-016", "docs/a.md", index([target])).text
    assert out == '[ADR-016](../adr/ADR%20016.md "Gateway")'


class CountingTargets(dict[str, Target]):
    lookups = 0

    def get(self, key: str, default: Target | None = None) -> Target | None:  # type: ignore[override]
        CountingTargets.lookups += 1
        return super().get(key, default)


@pytest.mark.parametrize("known", [10, 10_000])
def test_linking_is_one_lookup_per_reference_however_many_ids_exist(known: int) -> None:
    targets = CountingTargets(
        (f"ORDER-WRK-1-CP2-{n:05d}", Target(f"ORDER-WRK-1-CP2-{n:05d}", f"o/{n}.md", None, "t"))
        for n in range(known)
    )
    page = "\n".join(
        f"- depends on ORDER-WRK-1-CP2-{n % known:05d} and ADR-{n}" for n in range(5_000)
    )
    CountingTargets.lookups = 0
    result = link_references(page, "p.md", LinkIndex(Settings(), targets))
    # 10,000 references on the page: one lookup each, whether 10 or 10,000 IDs are known
    assert CountingTargets.lookups == 10_000
    assert len(result.linked) == 5_000
    assert len(result.unknown) == 5_000


def test_a_scan_lists_mentions_and_references_to_nothing() -> None:
    settings = Settings(external_ids=(r"JIRA-[0-9]+", r"ADR-9[0-9]{2}"))
    idx = LinkIndex(settings, {t.id: t for t in TARGETS})
    docs = {
        "a.md": (
            "---\ndepends_on: [ORDER-WRK-1-CP1-001]\n---\n# A\n"
            "see ORDER-WRK-1-CP1-002 and ADR-17\n## Gateway\nADR-016, again ADR-16\n",
            "Page A",
        ),
        "b.md": (
            "ADR-901 is theirs; ORDER-WRK-1-CP1-003 was reported\n`ORDER-WRK-1-CP1-004`\n"
            "```\nADR-016 in code\n```\n",
            "Page B",
        ),
        "adr/ADR-016-gateway.md": ("# Gateway\nThis is ADR-016.\n", "Gateway"),
    }
    scans = {uri: (scan_page(text, settings), title) for uri, (text, title) in docs.items()}
    found = scan_references(scans, idx, reported={("b.md", 1, "ORDER-WRK-1-CP1-003")})
    assert found.unknown == [
        ("a.md", 5, "ORDER-WRK-1-CP1-002", "ORDER-WRK-1-CP1-002"),
        ("a.md", 5, "ADR-17", "ADR-017"),
        ("b.md", 2, "ORDER-WRK-1-CP1-004", "ORDER-WRK-1-CP1-004"),
    ]
    # once per page and section; never in code; a page's own name is not a mention
    assert found.mentions == {"ADR-016": [Mention("Page A", "a.md", "Gateway", 7)]}


def test_a_project_reports_a_mention_of_nothing_with_a_suggestion(tmp_path: Path) -> None:
    order = "---\nid: ORDER-WRK-3-CP2-001\ntitle: Fix\n---\n# Fix\n"
    note = "# Notes\n\nWaiting for ORDER-WRK-3-CP2-01 and ORDER-WRK-3-CP2-001.\n"
    entries = []
    for name, text in {"ORDER_WRK_3_FIX.md": order, "notes.md": note}.items():
        (tmp_path / name).write_text(text, encoding="utf-8")
        entries.append(SourceEntry(path=name, uri=name, abs_path=str(tmp_path / name)))
    project = load(entries, Settings())
    assert [d.format() for d in project.diagnostics] == [
        "notes.md:3: mentions ORDER-WRK-3-CP2-01, which is not a known order; did you mean "
        "ORDER-WRK-3-CP2-001? [plandocs.unknown-ref]"
    ]


TASK_PAGE = (
    "# Gateway\n\n"
    "IDs `CP3-GW-001..003`, see CP3-GW-002.\n\n"
    "- `CP3-GW-001`: Skeleton\n"
    "- **CP3-GW-002**: Helpers\n"
    "| CP4-GW-DC-005 | ORDER-WRK-3-CP2-001 |\n"
    "```\n- CP3-GW-009: in code\n```\n"
)


def test_tasks_are_defined_by_list_items_and_table_rows() -> None:
    assert scan_page(TASK_PAGE, Settings()).tasks == {
        "CP3-GW-001": (5, "Skeleton"),
        "CP3-GW-002": (6, "Helpers"),
        "CP4-GW-DC-005": (7, "ORDER-WRK-3-CP2-001"),
    }
    # a list in the frontmatter is planning fields, not a task's definition
    fronted = "---\nnotes:\n- CP3-GW-007: in the frontmatter\n---\n" + TASK_PAGE
    assert list(scan_page(fronted, Settings()).tasks) == [
        "CP3-GW-001",
        "CP3-GW-002",
        "CP4-GW-DC-005",
    ]
    # the body is read as MkDocs reads it, from the line after the frontmatter: a line
    # indented four spaces there is code, and a fence in a YAML text block opens nothing
    code_first = "---\nid: x\n---\n    - CP3-GW-008: code\n"
    assert scan_page(code_first, Settings()).tasks == {}
    fenced_yaml = "---\nnote: |\n  ```\n---\n- CP3-GW-009: a task\n"
    assert list(scan_page(fenced_yaml, Settings()).tasks) == ["CP3-GW-009"]


def test_task_references_link_to_the_defining_line_also_on_its_own_page() -> None:
    tasks = {
        t: ("orders/CP3.md", title)
        for t, (_, title) in scan_page(TASK_PAGE, Settings()).tasks.items()
    }
    idx = LinkIndex(
        Settings(), {t: Target(t, p, t.lower(), title) for t, (p, title) in tasks.items()}
    )
    page = anchor_tasks(TASK_PAGE, Settings(), set(tasks))
    out = link_references(page, "orders/CP3.md", idx).text.split("\n")
    assert out[2] == (
        'IDs [`CP3-GW-001..003`](#cp3-gw-001 "Skeleton"), see [CP3-GW-002](#cp3-gw-002 "Helpers").'
    )
    # the defining lines carry the anchor and do not link to themselves
    assert out[4] == '- <a id="cp3-gw-001"></a>`CP3-GW-001`: Skeleton'
    assert out[5] == '- <a id="cp3-gw-002"></a>**CP3-GW-002**: Helpers'
    assert out[6].startswith('| <a id="cp4-gw-dc-005"></a>CP4-GW-DC-005 | ')
    assert "- CP3-GW-009: in code" in out
    elsewhere = link_references("after CP3-GW-001..003", "orders/ORDER_X.md", idx).text
    assert elsewhere == 'after [CP3-GW-001..003](CP3.md#cp3-gw-001 "Skeleton")'


def test_a_project_reports_a_task_that_no_page_defines(tmp_path: Path) -> None:
    (tmp_path / "a.md").write_text(
        "- `CP3-GW-001`: Skeleton\n\nThen CP3-GW-004.\n", encoding="utf-8"
    )
    project = load([SourceEntry("a.md", "a.md", str(tmp_path / "a.md"))], Settings())
    assert [d.format() for d in project.diagnostics] == [
        "a.md:3: mentions CP3-GW-004, which is not a known task; did you mean CP3-GW-001? "
        "[plandocs.unknown-ref]"
    ]


def test_order_file_names_link_and_an_old_name_is_stale() -> None:
    order = Target("ORDER-WRK-3-CP2-001", "docs/dev/ORDER_WRK_3_FIX_RU.md", None, "Fix", "done")
    idx = LinkIndex(
        Settings(),
        {order.id: order, "ORDER_WRK_3_FIX_RU.md": order},
        renamed={"ORDER_WRK_3_FIX.md": order},
        files={order.id: "ORDER_WRK_3_FIX_RU.md"},
    )
    text = (
        "**File**: `docs/dev/ORDER_WRK_3_FIX_RU.md`\n| ORDER_WRK_3_FIX.md | ORDER_WRK_9_GONE.md |\n"
    )
    result = link_references(text, "orders/SUMMARY.md", idx)
    lines = result.text.split("\n")
    link = '(../docs/dev/ORDER_WRK_3_FIX_RU.md "Fix (done)")'
    assert lines[0] == f"**File**: [`docs/dev/ORDER_WRK_3_FIX_RU.md`]{link}"
    assert lines[1].startswith(
        '| [ORDER_WRK_3_FIX.md](../docs/dev/ORDER_WRK_3_FIX_RU.md "Fix (done)") |'
    )
    assert result.stale == [(2, "ORDER_WRK_3_FIX.md", "ORDER_WRK_3_FIX_RU.md")]
    assert result.unknown == [(2, "ORDER_WRK_9_GONE.md")]


def test_adr_file_names_link_to_that_file_also_when_two_share_a_number() -> None:
    one = Target("ADR-001", "adr/adr-001-records.md", None, "Records")
    other = Target("ADR-001", "adr/ADR-01-naming.md", None, "Naming")
    gateway = Target("ADR-016", "adr/ADR-016-c-gateway-migration.md", None, "C-Gateway")
    idx = LinkIndex(
        Settings(),
        {
            "ADR-001": one,
            "adr-001-records.md": one,
            "ADR-01-naming.md": other,
            "ADR-016": gateway,
            "ADR-016-c-gateway-migration.md": gateway,
        },
    )
    text = (
        "ADR-01-naming.md, `docs/adr/ADR-016-c-gateway-migration.md`, ADR-016-old.md, ADR-099-x.md"
    )
    result = link_references(text, "docs/notes.md", idx)
    assert result.text == (
        '[ADR-01-naming.md](../adr/ADR-01-naming.md "Naming"), '
        "[`docs/adr/ADR-016-c-gateway-migration.md`](../adr/ADR-016-c-gateway-migration.md "
        '"C-Gateway"), [ADR-016-old.md](../adr/ADR-016-c-gateway-migration.md "C-Gateway"), '
        "ADR-099-x.md"
    )
    assert result.unknown == [(1, "ADR-099-x.md")]


@pytest.mark.parametrize(
    "text",
    [
        # a link, a code span and an HTML attribute that wrap onto the next line
        "The decision is in [the gateway\nADR-016 notes](adr/x.md), and in `make\n"
        'ORDER-WRK-3-CP2-001` too. <span title="about\nADR-016">hover</span>.',
        # an indented code block after a paragraph
        "Para:\n\n    ADR-016 in indented code\n    ORDER-WRK-3-CP2-001",
        # block HTML with a blank line inside, and a comment with one
        "<div>\n\nADR-016 inside a div\n\n</div>",
        "<!--\nADR-016\n\nADR-099\n-->",
        # attribute lists, snippets, mail links
        '## Gateway { #ADR-016 title="ADR-016" }',
        '--8<-- "ORDER_WRK_3.md"',
        "mailto:ADR-016@example.org",
    ],
)
def test_wrapped_or_raw_text_is_never_linked(text: str) -> None:
    result = link_references(text, "docs/notes.md", index())
    assert result.text == text
    assert result.unknown == []


def test_inline_html_at_a_line_start_is_prose_and_lists_keep_their_indented_text() -> None:
    text = "<b>Note:</b> ADR-016 applies.\n\n- item\n\n    ORDER-WRK-3-CP2-001 continues the item"
    out = link_references(text, "docs/notes.md", index()).text
    assert "[ADR-016](" in out
    assert "    [ORDER-WRK-3-CP2-001](" in out


@pytest.mark.parametrize(
    ("text", "linked"),
    [
        ("ADR-008/ADR-016 and CP2/CP3-INGRESS", ["ADR-016", "CP2", "CP3-INGRESS"]),
        ("иADR-016 and ADR-016ы and docs\\ADR-016", []),
    ],
)
def test_neighbours_of_references(text: str, linked: list[str]) -> None:
    assert link_references(text, "docs/notes.md", index()).linked == linked


def test_admonition_first_lines_and_snippets_are_read_but_not_linked() -> None:
    text = '!!! warning "ADR-016"\n    ADR-016 in the body\n\n--8<-- "a.md"\nthen ADR-016'
    out = link_references(text, "docs/notes.md", index()).text.split("\n")
    assert out[0] == '!!! warning "ADR-016"'
    assert out[1].startswith("    [ADR-016](")
    assert out[3] == '--8<-- "a.md"'
    assert out[4].startswith("then [ADR-016](")


@pytest.mark.parametrize(
    ("target", "page", "link"),
    [
        ("adr/ADR-016.md", "docs/notes.md", "../adr/ADR-016.md"),
        ("orders/A.md", "orders/B.md", "A.md"),
        ("a.md", "x/y/z.md", "../../a.md"),
        ("x/y/a.md", "a.md", "x/y/a.md"),
        ("x/y/a.md", "x/b.md", "y/a.md"),
        ("x/a b.md", "x/y/c.md", "../a%20b.md"),
        ("x/x.md", "x.md", "x/x.md"),
    ],
)
def test_source_links_are_relative_paths(target: str, page: str, link: str) -> None:
    assert source_link(target, page) == link


@pytest.mark.parametrize(
    ("text", "linked"),
    [
        ("``ADR-016 `quoted` ``", False),  # a run of two closes only at a run of two
        ("`` ` `` ADR-016", True),
        ("See ``` ADR-016", True),  # backticks nothing closes are text
        ("`a`` ADR-016 `b`", False),  # a run of two is inside the span of single ones
        ("{ ADR-016 { .x } ADR-016", True),  # an attribute list ends at its own brace
        ("<a ADR-016 <b> ADR-016", True),  # a tag without its '>' is text
        ('<a href="x">ADR-016</a> ADR-016', True),
        ("[ADR-016](x(y)z) ADR-016", True),
    ],
)
def test_protected_pieces_end_where_markdown_ends_them(text: str, linked: bool) -> None:
    out = link_references(text, "docs/notes.md", index()).text
    assert ("[ADR-016](" in out) is linked
    made = '[ADR-016](../adr/ADR-016-gateway.md "C-Gateway (accepted)")'
    assert out.replace(made, "ADR-016") == text  # nothing else changes
