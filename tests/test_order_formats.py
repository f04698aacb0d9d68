"""Orders in the shapes teams write them, and other tools' work items (issue 23).

Table tests for each order shape (one file in, its order record out), Backlog.md's task
fields, ``field_aliases``, the frontmatter a tool accepts, and golden cases for the
Backlog.md and mixed fixtures of tests/fixtures/formats/ (made with the tools, see its
README), checked against inventory.py, a reader that shares no code with plandocs.
"""

from __future__ import annotations

import json
import posixpath
import re
from typing import Any

import pytest

from plandocs.core.graph import seal
from plandocs.core.links import LinkIndex, Target, link_references, scan_page
from plandocs.core.model import OrderRecord, SourceDoc
from plandocs.core.parse.documents import ParsedDoc, parse_document
from plandocs.core.parse.frontmatter import read as read_frontmatter
from plandocs.core.settings import Settings, SettingsError, settings_from_options
from plandocs.core.urls import SiteUrls
from plandocs.project.load import Project, discover, load
from plandocs.render.export import planning_json
from plandocs.render.pages import Renderer

from .test_adrs import FIXTURES, INVENTORY
from .test_golden import GOLDEN, check_against, outputs

BACKLOG_IDS = Settings(order_id_pattern=r"(?:BACK|DRAFT)-[0-9]+(?:\.[0-9]+)*")


def parse(path: str, text: str, settings: Settings | None = None) -> ParsedDoc:
    return parse_document(SourceDoc(path, path, text), settings or Settings())


def only_order(parsed: ParsedDoc) -> OrderRecord:
    assert parsed.kind == "order", parsed
    assert len(parsed.orders) == 1
    return parsed.orders[0]


# -- order shapes ----------------------------------------------------------------------


def shape(path: str, text: str, *expected: object, id: str) -> Any:
    """One case: a file, its text, and (id, title, owner, status, phases, depends_on)."""
    return pytest.param(path, text, expected, id=id)


SHAPES = [
    shape(
        "orders/notes.md",
        "# ORDER-WRK-2-CP2-002: Publish the backlog\n\n**Owner**: wrk-2 (Site)  \n"
        "**Status**: In progress  \n**Dependencies**: ORDER-WRK-1-CP1-001\n",
        "ORDER-WRK-2-CP2-002",
        "Publish the backlog",
        "wrk-2",
        "in_progress",
        ("CP2",),
        ("ORDER-WRK-1-CP1-001",),
        id="h1-title-ties-a-file-not-named-like-an-order",
    ),
    shape(
        "orders/ORDER_WRK_2.md",
        "# ORDER-WRK-2-CP2-002 — Publish the backlog\n\nText.\n",
        "ORDER-WRK-2-CP2-002",
        "Publish the backlog",
        "wrk-2",
        None,
        ("CP2",),
        None,
        id="h1-title-in-an-order-file",
    ),
    shape(
        "orders/ORDER_WRK_3_CP2_VALIDATION.md",
        "# ORDER: CP2 Validation Suite\n\n- `order_id`: ORDER-WRK-3-CP2-003\n- `owner`: wrk-3\n"
        "- `status`: planned\n- `checkpoint`: CP2-LC\n- `depends_on`: ORDER-WRK-2-CP2-002\n",
        "ORDER-WRK-3-CP2-003",
        "CP2 Validation Suite",
        "wrk-3",
        "planned",
        ("CP2-LC",),
        ("ORDER-WRK-2-CP2-002",),
        id="code-span-list-fields-and-an-ORDER-label",
    ),
    shape(
        "orders/ORDER_WRK_5.md",
        "## ORDER-WRK-5-CP3-001: Gateway\n\n- Owner: wrk-9\n- Status: done\n- Milestone: CP3\n"
        "- Depends on: ORDER-WRK-2-CP2-002\n",
        "ORDER-WRK-5-CP3-001",
        "Gateway",
        "wrk-9",
        "done",
        ("CP3",),
        ("ORDER-WRK-2-CP2-002",),
        id="plain-list-fields-and-milestone",
    ),
    shape(
        "orders/ORDER_WRK_5.md",
        "## ORDER-WRK-5-CP3-001: Gateway\n\n- **Owner**: wrk-9\n- **CP Phase**: CP4\n",
        "ORDER-WRK-5-CP3-001",
        "Gateway",
        "wrk-9",
        None,
        ("CP4",),
        None,
        id="bold-list-fields-and-CP-Phase",
    ),
    shape(
        "orders/ORDER_WRK_4.md",
        "## ORDER-WRK-4-CP2-004: Search\n\n**ORDER ID**: ORDER-WRK-4-CP2-004  \n"
        "**CP Phase**: CP2\n\n## Tasks\n\n**ID**: CP4-GW-DC-001  \nCheck the gateway.\n",
        "ORDER-WRK-4-CP2-004",
        "Search",
        "wrk-4",
        None,
        ("CP2",),
        None,
        id="task-ID-lines-are-tasks-not-the-order-ID",
    ),
    shape(
        "orders/ORDER_WRK_4.md",
        "**ID**: CP4-GW-DC-001\n\n## ORDER-WRK-4-CP2-004: Search\n",
        "ORDER-WRK-4-CP2-004",
        "Search",
        "wrk-4",
        None,
        ("CP2",),
        None,
        id="a-task-line-first-does-not-declare",
    ),
]


@pytest.mark.parametrize(("path", "text", "expected"), SHAPES)
def test_order_shapes(path: str, text: str, expected: tuple[object, ...]) -> None:
    parsed = parse(path, text)
    record = only_order(parsed)
    got = (record.id, record.title, record.owner, record.status, record.phases)
    assert (*got, record.depends_on) == expected
    assert parsed.diagnostics == ()


def test_an_id_line_on_a_page_that_is_no_order_is_not_read() -> None:
    parsed = parse("docs/devstate.md", "# Dev state\n\n**ID**: devstate\n**Status**: green\n")
    assert (parsed.kind, parsed.orders, parsed.diagnostics) == ("page", (), ())


def test_a_plain_list_item_on_a_page_declares_no_order() -> None:
    parsed = parse("docs/weekly.md", "# Week 3\n\n- Order ID: ORDER-WRK-1-CP1-001\n- To: all\n")
    assert parsed.kind == "page"


def test_an_h1_order_id_on_a_page_without_order_fields_is_a_mention() -> None:
    parsed = parse("docs/retro.md", "# ORDER-WRK-1-CP1-001: how it went\n\nWe learned.\n")
    assert parsed.kind == "page"


# -- another tool's work items (Backlog.md) --------------------------------------------

TASK = """---
id: BACK-3
title: Checkout API
status: {status}
assignee: {assignee}
milestone: m-0
dependencies:
  - BACK-2
parent_task_id: BACK-1
---

## Description
"""


@pytest.mark.parametrize(
    ("assignee", "owner", "owners"),
    [
        ("['@alice', '@bob']", "alice", ("alice", "bob")),
        ("[gpt-5.5-xhigh]", "gpt-5-5-xhigh", ("gpt-5.5-xhigh",)),
        ("'@bob,@carol'", "bob", ("bob", "carol")),  # Backlog.md 1.27 stores two as one
        ("'Alice Smith (QA)'", "alice-smith", ("Alice Smith",)),
    ],
)
def test_backlog_owner_is_the_first_assignee_as_written(
    assignee: str, owner: str, owners: tuple[str, ...]
) -> None:
    text = TASK.format(status="To Do", assignee=assignee)
    record = only_order(parse("backlog/tasks/back-3 - Checkout-API.md", text, BACKLOG_IDS))
    assert (record.owner, record.owners) == (owner, owners)


@pytest.mark.parametrize(
    ("status", "expected"),
    [("To Do", "pending"), ("In Progress", "in_progress"), ("Done", "done"),
     ("Won't Do", "cancelled"), ("Draft", "planned")],
)  # fmt: skip
def test_backlog_statuses(status: str, expected: str) -> None:
    parsed = parse(
        "backlog/tasks/back-3.md", TASK.format(status=status, assignee="[]"), BACKLOG_IDS
    )
    assert only_order(parsed).status == expected
    assert parsed.diagnostics == ()


def test_backlog_fields_milestone_parent_and_dependencies() -> None:
    record = only_order(
        parse("backlog/tasks/back-3.md", TASK.format(status="To Do", assignee="[]"), BACKLOG_IDS)
    )
    assert (record.phases, record.depends_on, record.parent) == (("m-0",), ("BACK-2",), "BACK-1")
    assert (record.draft, record.archived) == (False, False)


@pytest.mark.parametrize(
    ("path", "status", "draft", "archived"),
    [
        ("backlog/drafts/draft-1 - Spike.md", "Draft", True, False),
        ("backlog/tasks/back-3.md", "Draft", True, False),
        ("backlog/archive/tasks/back-3.md", "To Do", False, True),
        ("docs/archive/dev/back-3.md", "To Do", False, False),  # a team's own archive folder
    ],
)
def test_drafts_and_archived_tasks_are_marked(
    path: str, status: str, draft: bool, archived: bool
) -> None:
    record = only_order(parse(path, TASK.format(status=status, assignee="[]"), BACKLOG_IDS))
    assert (record.draft, record.archived) == (draft, archived)


def test_an_unquoted_at_name_is_read_as_backlog_md_reads_it() -> None:
    text = "---\nid: BACK-6\ntitle: CDN\nassignee: @alice\ndependencies: [BACK-1]\n---\nBody\n"
    parsed = parse("backlog/tasks/back-6.md", text, BACKLOG_IDS)
    record = only_order(parsed)
    assert (record.owner, record.depends_on) == ("alice", ("BACK-1",))
    assert [(d.code, d.level.value, d.line) for d in parsed.diagnostics] == [
        ("plandocs.yaml-quoted", "info", 4)
    ]
    assert "'@alice'" in parsed.diagnostics[0].message


def test_yaml_that_no_tool_reads_is_still_an_error() -> None:
    parsed = parse("backlog/tasks/back-6.md", "---\nid: BACK-6\nx: [a\n---\n", BACKLOG_IDS)
    assert [d.code for d in parsed.diagnostics] == ["plandocs.yaml-error"]


def test_field_aliases_name_another_tools_keys() -> None:
    settings = settings_from_options(
        {"order_id_pattern": "T-[0-9]+", "field_aliases": {"assigned_people": "owner"}}
    )
    text = "---\nid: T-1\nassigned_people: [Dana]\nsprint_goal: CP3\n---\n"
    assert only_order(parse("work/t-1.md", text, settings)).owner == "dana"
    with pytest.raises(SettingsError, match="'field_aliases' maps 'sprint' to 'nope'"):
        settings_from_options({"field_aliases": {"sprint": "nope"}})


# -- frontmatter that is not frontmatter ------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "---\n# Runbook\n\nRestart the router.\n",
        "---\n\n# Runbook\n\nRestart the router.\n\n---\n\nMore.\n",
        "---\nRestart the router first.\n---\n",
    ],
)
def test_a_rule_that_opens_a_page_before_markdown_is_not_frontmatter(text: str) -> None:
    assert not read_frontmatter(text).present
    assert parse("docs/runbook.md", text).diagnostics == ()


def test_a_yaml_comment_before_the_keys_is_still_frontmatter() -> None:
    assert read_frontmatter("---\n# owner data\nid: X\n---\n").data == {"id": "X"}


# -- the graph: archived IDs, parents ------------------------------------------------


def _seal(*files: tuple[str, str]) -> tuple[Any, list[Any]]:
    parsed = [parse(path, text, BACKLOG_IDS) for path, text in files]
    return seal(parsed, BACKLOG_IDS)


def test_an_archived_task_yields_its_id_to_the_live_one_and_is_kept() -> None:
    live = ("backlog/tasks/back-5 - Drop-IE11.md", "---\nid: BACK-5\ntitle: Drop IE11\n---\n")
    old = ("backlog/archive/tasks/back-5 - Old.md", "---\nid: BACK-5\ntitle: Old theme\n---\n")
    graph, found = _seal(old, live)
    assert graph.orders["BACK-5"].title == "Drop IE11"
    assert [o.title for o in graph.archived] == ["Old theme"]
    assert [(d.code, d.level.value, d.file) for d in found] == [
        ("plandocs.duplicate-id", "info", old[0])
    ]
    assert live[0] in found[0].message
    data = json.loads(planning_json(graph, found, SiteUrls()))
    assert [(o["title"], o["canonical"], o["archived"]) for o in data["orders"]] == [
        ("Drop IE11", True, False),
        ("Old theme", False, True),
    ]


def test_two_live_files_with_one_id_are_still_an_error() -> None:
    _, found = _seal(
        ("backlog/tasks/a.md", "---\nid: BACK-5\n---\n"),
        ("backlog/tasks/b.md", "---\nid: BACK-5\n---\n"),
    )
    assert [(d.code, d.level.value) for d in found] == [("plandocs.duplicate-id", "error")]


def test_parents_and_children() -> None:
    graph, found = _seal(
        ("backlog/tasks/back-3.md", "---\nid: BACK-3\n---\n"),
        ("backlog/tasks/back-3.1.md", "---\nid: BACK-3.1\nparent_task_id: BACK-3\n---\n"),
        ("backlog/tasks/back-3.2.md", "---\nid: BACK-3.2\nparent_task_id: BACK-9\n---\n"),
    )
    assert graph.children("BACK-3") == ("BACK-3.1",)
    assert graph.orders["BACK-3.1"].parent == "BACK-3"
    assert [(d.code, d.line) for d in found] == [("plandocs.unknown-ref", 3)]
    assert "BACK-3.2 is part of BACK-9, which is not a known order" in found[0].message


# -- links --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "linked"),
    [
        ("Step CP2.3 of the plan", False),
        ("Steps CP2.3a and CP2.x", False),
        ("In CP2. Then more.", True),
        ("In CP2, then more", True),
    ],
)
def test_a_step_number_is_not_a_phase_link(text: str, linked: bool) -> None:
    index = LinkIndex(Settings(), {"CP2": Target("CP2", "planning/phases/CP2.md", None, "Core")})
    out = link_references(text, "docs/notes.md", index).text
    assert ("](../planning/phases/CP2.md" in out) == linked
    assert "CP2.3" not in out or "CP2.3" in text


def test_task_id_lines_define_tasks() -> None:
    scan = scan_page("## ORDER-X\n\n**ID**: CP2-VAL-001  \nCheck every folder.\n", Settings())
    assert scan.tasks == {"CP2-VAL-001": (3, "Check every folder.")}


# -- golden: Backlog.md as its own tool wrote it, and the mixed project --------------------

BACKLOGS = ["backlog", "backlog-1.27", "backlog-decisions"]


def load_fixture(name: str, options: dict[str, Any]) -> Project:
    settings = settings_from_options(options)
    root = FIXTURES / name
    return load(discover(root, "docs", settings), settings)


def _options(name: str) -> dict[str, Any]:
    """The plandocs options of a fixture's mkdocs.yml."""
    import yaml  # noqa: PLC0415 - only these tests read mkdocs.yml

    config = yaml.safe_load((FIXTURES / name / "mkdocs.yml").read_text(encoding="utf-8"))
    for plugin in config["plugins"]:
        if isinstance(plugin, dict) and "plandocs" in plugin:
            return dict(plugin["plandocs"])
    raise AssertionError(name)


@pytest.mark.parametrize("name", [*BACKLOGS, "mixed"])
def test_fixture_golden(name: str) -> None:
    """Files in, planning.json and the findings out."""
    check_against(GOLDEN / f"order-formats-{name}", outputs(load_fixture(name, _options(name))))


def _by_file(project: Project) -> dict[str, dict[str, Any]]:
    data = json.loads(planning_json(project.graph, project.diagnostics, SiteUrls()))
    return {posixpath.basename(o["source"]): o for o in data["orders"]}


#: Backlog.md's statuses and what plandocs makes of them
TASK_STATUS = {
    "To Do": "pending",
    "In Progress": "in_progress",
    "Done": "done",
    "Won't Do": "cancelled",
    "Draft": "planned",
}


@pytest.mark.parametrize("name", BACKLOGS)
def test_every_backlog_task_agrees_with_the_independent_inventory(name: str) -> None:
    """Per task file: owner (first assignee, ``@`` dropped, as written), status,
    dependencies, milestone, parent, draft and archived, as inventory.py reads them."""
    project = load_fixture(name, _options(name))
    found = _by_file(project)
    expected = INVENTORY.fixture(name)
    assert sorted(found) == sorted(posixpath.basename(t["file"]) for t in expected)
    for task in expected:
        got = found[posixpath.basename(task["file"])]
        names = [n.strip().lstrip("@") for a in task["assignee"] for n in a.split(",")]
        assert got["owners"] == names, task["file"]
        assert got["owner"] == (names[0] if names else None), task["file"]
        assert got["status"] == TASK_STATUS[task["status"]], task["file"]
        assert sorted(got["depends_on"]) == sorted(task["dependencies"]), task["file"]
        milestone = (task["milestone"] or "").split(" ")[0] or None
        assert got["phase"] == milestone, task["file"]
        assert got["parent"] == task["parent"], task["file"]
        assert got["draft"] == (task["where"] == "drafts" or task["status"] == "Draft")
        assert got["archived"] == task["where"].startswith("archive")
    assert not [d for d in project.diagnostics if d.level.value != "info"]


def test_every_mixed_order_agrees_with_what_its_file_says() -> None:
    project = load_fixture("mixed", _options("mixed"))
    found = _by_file(project)
    for order in INVENTORY.MIXED_ORDERS:
        got = found[order["file"]]
        for key in ("id", "title", "owner", "status", "phase"):
            assert got[key] == order[key], (order["file"], key)
        assert sorted(got["depends_on"]) == sorted(order["depends_on"]), order["file"]
    for task in INVENTORY.fixture("mixed/orders/backlog"):
        got = found[posixpath.basename(task["file"])]
        assert got["parent"] == task["parent"]
    assert project.diagnostics == []


# -- cards ----------------------------------------------------------------------------


def test_a_card_shows_names_as_written_parent_subtasks_and_marks() -> None:
    parsed = [
        parse("backlog/tasks/back-3.md", "---\nid: BACK-3\ntitle: Checkout\n---\n", BACKLOG_IDS),
        parse(
            "backlog/drafts/back-3.2.md",
            "---\nid: BACK-3.2\ntitle: Refunds\nassignee: [gpt-5.5-xhigh, '@bob']\n"
            "parent_task_id: BACK-3\n---\n",
            BACKLOG_IDS,
        ),
    ]
    graph, found = seal(parsed, BACKLOG_IDS)
    view = Renderer(graph, BACKLOG_IDS, SiteUrls(), diagnostics=found)
    card = view.order_card("BACK-3.2", "backlog/drafts/back-3.2.md")
    assert 'href="../../../planning/owners/gpt-5-5-xhigh/">gpt-5.5-xhigh</a>, bob' in card
    assert re.search(r"<dt>Part of</dt><dd><a [^>]*>BACK-3</a>", card)
    assert "plandocs-badge--draft" in card and "plandocs-badge--archived" not in card
    parent = view.order_card("BACK-3", "backlog/tasks/back-3.md")
    assert re.search(r"<dt>Subtasks</dt><dd><a [^>]*>BACK-3\.2</a>", parent)
    pages = view.pages()
    assert [p.title for p in pages if "/owners/" in p.uri] == ["Owner gpt-5.5-xhigh"]
    overview = next(p.markdown for p in pages if p.uri == "planning/index.md")
    assert 'owners/gpt-5-5-xhigh/">gpt-5.5-xhigh</a>' in overview


def test_an_archived_task_that_yields_its_id_has_its_own_card() -> None:
    live = ("backlog/tasks/back-5 - Drop-IE11.md", "---\nid: BACK-5\ntitle: Drop IE11\n---\n")
    old = (
        "backlog/archive/tasks/back-5 - Old.md",
        "---\nid: BACK-5\ntitle: Old theme\nassignee: ['@erin']\n---\n\nBody.\n",
    )
    parsed = [parse(path, text, BACKLOG_IDS) for path, text in (live, old)]
    graph, found = seal(parsed, BACKLOG_IDS)
    view = Renderer(graph, BACKLOG_IDS, SiteUrls(), diagnostics=found)
    page = view.inline(view.decorate("\nBody.\n", old[0]), old[0])
    assert "Old theme" in page and ">erin</a>" in page
    assert "plandocs-badge--archived" in page
    assert 'now the ID of <a href="../../../tasks/back-5%20-%20Drop-IE11/">another' in page


@pytest.mark.parametrize(
    ("path", "text", "reported"),
    [
        # a plain page's id in Persian (ZWNJ) or with an emoji (ZWJ) is no order's
        (
            "docs/fa.md",
            '---\nid: "\u0645\u06cc\u200c\u062e\u0648\u0627\u0647\u0645"\n---\n# Fa\n',
            False,
        ),
        (
            "docs/guide.md",
            '---\nid: "team-\u200d\U0001f469\u200d\U0001f4bb-guide"\n---\n# G\n',
            False,
        ),
        # an order ID that a plain page's id is only without its invisible character
        ("docs/x.md", "---\nid: ORDER-WRK-1-CP1-0\u200b02\n---\n# X\n", True),
        # an order's ID says it is one, whatever the character
        ("orders/ORDER_B.md", "---\norder_id: ORDER-WRK-1-CP1-00\u200d2\n---\n# B\n", True),
    ],
)
def test_an_invisible_character_is_reported_only_in_an_order_id(
    path: str, text: str, reported: bool
) -> None:
    found = [d.message for d in parse(path, text).diagnostics]
    said = [message.startswith("the order ID holds invisible characters") for message in found]
    assert said == ([True] if reported else [])
