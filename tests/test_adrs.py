"""ADRs as teams write them: which files are ADRs, and the number, title, status, date,
people and typed relations each format gives; then what the sealed graph makes of them
(shared numbers, links to files, supersession) and the one finding each bad input gets."""

from __future__ import annotations

import importlib.util
import posixpath
from pathlib import Path
from types import ModuleType

import pytest

from plandocs.core.diagnostics import Diagnostic
from plandocs.core.graph import PlanningGraph, seal
from plandocs.core.links import build_index
from plandocs.core.model import Adr, SourceDoc
from plandocs.core.parse import adrs
from plandocs.core.parse.adrs import folders_without_adrs
from plandocs.core.parse.documents import parse_document
from plandocs.core.settings import Settings
from plandocs.core.urls import SiteUrls
from plandocs.project.load import Project, discover, load
from plandocs.render.pages import Renderer

from .test_golden import GOLDEN, check_against, outputs

FIXTURES = Path(__file__).parent / "fixtures" / "formats"


def parse_adr(path: str, text: str, settings: Settings | None = None) -> Adr | None:
    uri = path.removeprefix("docs/")
    return parse_document(SourceDoc(path=path, uri=uri, text=text), settings or Settings()).adr


def build(
    *docs: tuple[str, str], settings: Settings | None = None
) -> tuple[PlanningGraph, list[Diagnostic]]:
    settings = settings or Settings()
    parsed = [
        parse_document(SourceDoc(path=path, uri=path.removeprefix("docs/"), text=text), settings)
        for path, text in docs
    ]
    graph, found = seal(parsed, settings)
    return graph, sorted(found + [d for p in parsed for d in p.diagnostics])


def codes(found: list[Diagnostic]) -> list[str]:
    return [d.code.removeprefix("plandocs.") for d in found]


@pytest.mark.parametrize(
    ("path", "meta", "expected"),
    [
        ("doc/adr/0001-record-architecture-decisions.md", {}, True),
        ("docs/decisions/0002-use-postgres.md", {}, True),
        ("docs/architecture/decisions/12-x.md", {}, True),
        ("docs/ADR/00001-x.md", {}, True),
        ("docs/architecture-decisions/1-x.md", {}, True),
        ("docs/decision-records/0003-x.md", {}, True),
        ("docs/adr/archive/0003-x.md", {}, True),  # a subfolder of the ADR folder
        ("docs/adr/20240131-use-log4brains.md", {}, True),
        ("docs/ADR-016-gateway.md", {}, True),  # the ADR prefix counts anywhere
        ("notes/adr-7.md", {}, True),
        ("notes/page.md", {"type": "adr"}, True),
        # not ADRs: numbered files outside ADR folders, and README, index, template files
        ("docs/guides/0001-install.md", {}, False),
        ("docs/adr/README.md", {}, False),
        ("docs/adr/index.md", {}, False),
        ("docs/adr/template.md", {}, False),
        ("docs/adr/adr-template.md", {}, False),
        ("docs/adr/0000-template.md", {}, False),
        ("docs/adr/0000-adr-template-bare.md", {}, False),
        ("docs/adr/use-postgres.md", {}, False),
    ],
)
def test_which_files_are_adrs(path: str, meta: dict[str, object], expected: bool) -> None:
    assert adrs.is_adr(path, meta, Settings()) is expected


@pytest.mark.parametrize(
    ("heading", "number", "title"),
    [
        ("1. Record architecture decisions", 1, "Record architecture decisions"),
        ("0004. Use MySQL", 4, "Use MySQL"),
        ("ADR-0005: Gateway", 5, "Gateway"),
        ("ADR 5 - Gateway", 5, "Gateway"),
        ("[ADR-12] Gateway", 12, "Gateway"),
        ("adr-016 — C gateway", 16, "C gateway"),
        ("Use Postgres", None, "Use Postgres"),
        ("2024 roadmap", None, "2024 roadmap"),
        ("3D rendering", None, "3D rendering"),
    ],
)
def test_heading_number_and_title(heading: str, number: int | None, title: str) -> None:
    assert adrs.heading_number(heading) == number
    assert adrs.strip_number(heading) == title


@pytest.mark.parametrize(
    ("text", "status"),
    [
        ("Accepted", "accepted"),
        ("**Accepted** (2025-11-20)", "accepted"),
        ("2024-01-02 proposed", "proposed"),
        ("superseded by [ADR-0019](0019-x.md)", "superseded"),
        ("Superceded by [4. Use MySQL](0004-use-mysql.md)", "superseded"),
        ("Partly superseded by ADR-5", "partly_superseded"),
        ("On hold", "on_hold"),
        ("on-hold", "on_hold"),
        ("Approved", "approved"),
        ("Draft", "draft"),
        ("Pending", "pending"),
        ("Deprecated.", "deprecated"),
        ("Rejected", "rejected"),
        ("Implemented in v2", None),
        ("Accepted [see the PR](https://example.org/pr/1)", "accepted"),
    ],
)
def test_status_words(text: str, status: str | None) -> None:
    assert adrs.status_of(text) == status


def test_a_teams_own_statuses_are_kept_as_configured() -> None:
    assert adrs.status_of("implemented (2024-05-01)", ("Implemented",)) == "Implemented"


NYGARD_OLD = """# 2. Use Postgres

Date: 2017-07-01

## Status

Superceded by [DNS Infrastructure](0004-use-mysql.md)

Amended by [3. Tune it](0003-tune-it.md)

## Context

Text that mentions ADR-0001.
"""

NPM_ADR_TOOLS = """# 3. Use Kafka

Date: 2024-01-01

Deciders: [list everyone involved in the decision] <!-- optional -->
Technical Story: [description | ticket/issue URL] <!-- optional -->

## Status

2024-01-01 proposed
2024-01-05 accepted

## Context and Problem Statement

Text.

## Links <!-- optional -->

* Refined by [ADR-0005](0005-example.md)
"""

MADR2 = """# Use MADR

* Status: superseded by [ADR-0019](0019-new-format.md)
* Deciders: Alice, Bob and Carol
* Date: 2021-03-02

Technical Story: [description | ticket/issue URL] <!-- optional -->

## Context and Problem Statement

* Good, because [argument a]
"""

MADR2_BOLD = """# Use MADR

- **Status:** accepted
- **Date:** 2021-03-02
- **Deciders:** Alice
"""

MADR4 = """---
status: "superseded by ADR-0019"
date: 2024-05-06
decision-makers: [Alice, Bob]
consulted: Carol
informed:
  - Dave
  - Eve
---

# Use a message bus

## Context and Problem Statement
"""

LOG4BRAINS = """# Use Markdown Architectural Decision Records

- Status: accepted
- Date: 2024-01-30
- Tags: doc

## Context and Problem Statement

## Links

- Relates to [Use Log4brains to manage the ADRs](20240130-use-log4brains-to-manage-the-adrs.md)
"""

TEAM_QUOTED = """# ADR-0004: Team form

> **Status**: On hold
> **Date**: 2025-11-20
"""

TEAM_BOLD = """# 5. Team bold

**Accepted** (2025-11-20)

See ADR-0004.
"""


@pytest.mark.parametrize(
    ("path", "text", "expected"),
    [
        (
            "docs/adr/0002-use-postgres.md",
            NYGARD_OLD,
            (
                "ADR-002",
                "Use Postgres",
                "superseded",
                "2017-07-01",
                (),
                (
                    ("superseded by", None, "adr/0004-use-mysql.md"),
                    ("amended by", None, "adr/0003-tune-it.md"),
                ),
            ),
        ),
        (
            "docs/adr/0003-use-kafka.md",
            NPM_ADR_TOOLS,
            (
                "ADR-003",
                "Use Kafka",
                "accepted",
                "2024-01-01",
                (),
                (("refined by", None, "adr/0005-example.md"),),
            ),
        ),
        (
            "docs/decisions/0001-use-madr.md",
            MADR2,
            (
                "ADR-001",
                "Use MADR",
                "superseded",
                "2021-03-02",
                ("Alice", "Bob", "Carol"),
                (("superseded by", None, "decisions/0019-new-format.md"),),
            ),
        ),
        (
            "docs/decisions/0001-use-madr.md",
            MADR2_BOLD,
            ("ADR-001", "Use MADR", "accepted", "2021-03-02", ("Alice",), ()),
        ),
        (
            "docs/decisions/0007-use-a-message-bus.md",
            MADR4,
            (
                "ADR-007",
                "Use a message bus",
                "superseded",
                "2024-05-06",
                ("Alice", "Bob"),
                (("superseded by", "ADR-019", None),),
            ),
        ),
        (
            "docs/adr/20240131-use-markdown-architectural-decision-records.md",
            LOG4BRAINS,
            (
                "20240131-use-markdown-architectural-decision-records",
                "Use Markdown Architectural Decision Records",
                "accepted",
                "2024-01-30",
                (),
                (
                    (
                        "relates to",
                        None,
                        "adr/20240130-use-log4brains-to-manage-the-adrs.md",
                    ),
                ),
            ),
        ),
        (
            "docs/adr/0004-team.md",
            TEAM_QUOTED,
            ("ADR-004", "Team form", "on_hold", "2025-11-20", (), ()),
        ),
        (
            "docs/adr/0005-team-bold.md",
            TEAM_BOLD,
            ("ADR-005", "Team bold", "accepted", "2025-11-20", (), ()),
        ),
    ],
    ids=[
        "nygard",
        "npm-adr-tools",
        "madr2",
        "madr2-bold",
        "madr4",
        "log4brains",
        "team-blockquote",
        "team-bold",
    ],
)
def test_each_format_gives_number_title_status_date_people_relations(
    path: str, text: str, expected: tuple[object, ...]
) -> None:
    adr = parse_adr(path, text)
    assert adr is not None
    relations = tuple((r.kind, r.target, r.file) for r in adr.relations)
    assert (adr.id, adr.title, adr.status, adr.date, adr.deciders, relations) == expected


def test_madr4_people_are_read() -> None:
    adr = parse_adr("docs/decisions/0007-x.md", MADR4)
    assert adr is not None
    assert (adr.consulted, adr.informed) == (("Carol",), ("Dave", "Eve"))


def test_log4brains_day_is_the_date_when_none_is_written() -> None:
    adr = parse_adr("docs/adr/20240131-use-x.md", "# Use X\n\n- Status: proposed\n")
    assert adr is not None
    assert (adr.id, adr.date) == ("20240131-use-x", "2024-01-31")


def test_unknown_status_is_kept_as_written_and_reported_once() -> None:
    text = "# 7. Weird\n\n## Status\n\nImplemented in v2 (2024-02-02)\n"
    _, found = build(("docs/adr/0007-weird.md", text))
    [finding] = found
    assert finding.code == "plandocs.unknown-value"
    assert finding.line == 5
    assert "'Implemented in v2', kept as written" in finding.message
    adr = parse_adr("docs/adr/0007-weird.md", text)
    assert adr is not None
    assert (adr.status, adr.date) == ("Implemented in v2", "2024-02-02")
    settings = Settings(adr_statuses=("implemented",))
    assert build(("docs/adr/0007-weird.md", text), settings=settings)[1] == []


def test_a_heading_whose_number_disagrees_with_the_file_name_is_reported() -> None:
    _, found = build(("docs/adr/0004-x.md", "# 3. X\n\nStatus: accepted\n"))
    [finding] = found
    assert (finding.code, finding.line) == ("plandocs.adr-number-mismatch", 1)
    assert "the heading says 3 but the file name says 4" in finding.message


def test_the_nygard_collection_links_by_file_whatever_the_link_text() -> None:
    graph, found = build(
        ("docs/adr/0001-record.md", "# 1. Record\n\nDate: 2017-06-30\n\n## Status\n\nAccepted\n"),
        ("docs/adr/0002-use-postgres.md", NYGARD_OLD),
        (
            "docs/adr/0003-tune-it.md",
            "# 3. Tune it\n\n## Status\n\nAccepted\n\n"
            "Amends [2. Use Postgres](0002-use-postgres.md)\n",
        ),
        (
            "docs/adr/0004-use-mysql.md",
            "# 4. Use MySQL\n\n## Status\n\nAccepted\n\n"
            "Supercedes [2. Use Postgres](0002-use-postgres.md)\n",
        ),
    )
    assert found == []
    assert graph.superseded_by("ADR-002") == ("ADR-004",)
    assert graph.supersedes("ADR-004") == ("ADR-002",)
    kinds = [(link.kind, link.target) for link in graph.adr_links["docs/adr/0002-use-postgres.md"]]
    assert kinds == [("superseded by", "ADR-004"), ("amended by", "ADR-003")]


def test_superseded_with_a_successor_on_either_side_is_no_finding() -> None:
    _, found = build(
        ("docs/decisions/0001-a.md", "# A\n\n* Status: superseded\n"),
        (
            "docs/decisions/0002-b.md",
            "---\nstatus: accepted\n---\n# B\n\n## Links\n\n* Supersedes [A](0001-a.md)\n",
        ),
        ("docs/decisions/0003-c.md", MADR4.replace("ADR-0019", "ADR-0002")),
    )
    assert found == []


def test_shared_number_resolves_to_the_accepted_file_and_keeps_every_file() -> None:
    graph, found = build(
        ("docs/adr/0005-a-draft.md", "# 5. Draft idea\n\n- Status: draft\n"),
        ("docs/adr/0005-b-accepted.md", "# 5. The decision\n\n- Status: accepted\n"),
        ("docs/adr/0005-c-proposed.md", "# Proposal\n\n- Status: proposed\n"),
    )
    assert graph.adrs["ADR-005"].path == "docs/adr/0005-b-accepted.md"
    assert [a.path for a in graph.adr_files["ADR-005"]] == [
        "docs/adr/0005-b-accepted.md",
        "docs/adr/0005-a-draft.md",
        "docs/adr/0005-c-proposed.md",
    ]
    [finding] = found
    assert finding.code == "plandocs.duplicate-adr-number"
    assert "go to docs/adr/0005-b-accepted.md (accepted)" in finding.message
    assert "docs/adr/0005-a-draft.md (draft)" in finding.message
    assert "docs/adr/0005-c-proposed.md (proposed)" in finding.message


def test_shared_number_without_an_accepted_file_goes_to_the_heading_that_carries_it() -> None:
    graph, _ = build(
        ("docs/adr/0005-a.md", "# Other\n\n- Status: proposed\n"),
        ("docs/adr/0005-b.md", "# 5. Mine\n\n- Status: proposed\n"),
    )
    assert graph.adrs["ADR-005"].path == "docs/adr/0005-b.md"


def test_a_link_to_a_file_that_shares_its_number_makes_no_edge_for_the_number() -> None:
    graph, found = build(
        ("docs/adr/0002-a.md", "# 2. A\n\n## Status\n\nAccepted\n"),
        ("docs/adr/0002-b.md", "# B\n\n## Status\n\nSuperseded by [C](0003-c.md)\n"),
        ("docs/adr/0003-c.md", "# 3. C\n\n## Status\n\nAccepted\n\nSupersedes [B](0002-b.md)\n"),
    )
    assert codes(found) == ["duplicate-adr-number"]
    assert graph.superseded_by("ADR-002") == ()  # the accepted ADR-002 is not superseded


@pytest.mark.parametrize(
    ("docs", "code", "where"),
    [
        (  # a status link to a missing file
            (("docs/adr/0001-a.md", "# 1. A\n\n## Status\n\nSuperseded by [B](0009-b.md)\n"),),
            "unknown-ref",
            ("docs/adr/0001-a.md", 5),
        ),
        (  # a supersession cycle written as links
            (
                ("docs/adr/0001-a.md", "# 1. A\n\n## Status\n\nSuperseded by [B](0002-b.md)\n"),
                ("docs/adr/0002-b.md", "# 2. B\n\n## Status\n\nSuperseded by [A](0001-a.md)\n"),
            ),
            "supersession-cycle",
            ("docs/adr/0001-a.md", 5),
        ),
        (  # the same between two accepted ADRs (adr link): the cycle, not two mismatches
            (
                (
                    "docs/adr/0001-a.md",
                    "# 1. A\n\n## Status\n\nAccepted\n\nSuperseded by [B](0002-b.md)\n",
                ),
                (
                    "docs/adr/0002-b.md",
                    "# 2. B\n\n## Status\n\nAccepted\n\nSuperseded by [A](0001-a.md)\n",
                ),
            ),
            "supersession-cycle",
            ("docs/adr/0001-a.md", 7),
        ),
        (  # an ADR folder with only a README
            (("docs/adr/README.md", "# Decisions\n\nNone yet.\n"),),
            "no-adrs-found",
            ("docs/adr", 0),
        ),
        (  # a folder of ADRs named in another way
            (("docs/decisions/use-postgres.md", "# Use Postgres\n\nStatus: accepted\n"),),
            "no-adrs-found",
            ("docs/decisions", 0),
        ),
        (  # a superseded ADR that names no successor, and none names it
            (("docs/adr/0001-a.md", "# 1. A\n\n## Status\n\nSuperseded\n"),),
            "superseded-without-successor",
            ("docs/adr/0001-a.md", 5),
        ),
    ],
    ids=["missing-file", "cycle", "accepted-cycle", "readme-only", "other-names", "no-successor"],
)
def test_each_bad_input_gets_its_one_finding(
    docs: tuple[tuple[str, str], ...], code: str, where: tuple[str, int]
) -> None:
    _, found = build(*docs)
    assert codes(found) == [code]
    assert (found[0].file, found[0].line) == where


def test_the_no_adrs_finding_says_which_option_to_set() -> None:
    _, found = build(("docs/adr/README.md", "# Decisions\n"))
    assert "'adr_file_pattern'" in found[0].message
    assert found[0].level.value == "info"


def test_an_adr_folder_with_adrs_in_a_subfolder_is_no_finding() -> None:
    _, found = build(
        ("docs/adr/README.md", "# Decisions\n"),
        ("docs/adr/archive/0001-a.md", "# 1. A\n\n## Status\n\nAccepted\n"),
    )
    assert found == []


@pytest.mark.parametrize("mention", ["ADR-0001", "ADR-001", "ADR-1"])
def test_bare_mentions_of_any_width_name_the_adr(mention: str) -> None:
    graph, _ = build(("docs/adr/0001-record.md", "# 1. Record\n\n## Status\n\nAccepted\n"))
    index = build_index(graph, Settings(), SiteUrls())
    assert index.normalise(mention) == "ADR-001"
    assert "ADR-001" in graph.adrs


# -- golden: each format as its own tool wrote it ---------------------------------------
def _inventory() -> ModuleType:
    """tests/fixtures/formats/inventory.py: a second reader of the fixtures, sharing no code
    with plandocs, written from the formats' own rules."""
    spec = importlib.util.spec_from_file_location("inventory", FIXTURES / "inventory.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


INVENTORY = _inventory()
#: tests/fixtures/formats/<tool>/ (made with the tools, see its make/ folder) -> the
#: expected planning.json and findings in tests/golden/adr-formats-<tool>/
FORMATS = sorted(tool for tool, (fmt, _) in INVENTORY.FIXTURES.items() if fmt != "backlog")


def load_format(tool: str, table: dict[str, tuple[str, str]] | None = None) -> Project:
    """The fixture as a site whose docs folder holds its ADR folder (doc/ or docs/)."""
    docs = (table or INVENTORY.FIXTURES)[tool][1].split("/")[0]
    settings = Settings(orders_dir="")
    return load(discover(FIXTURES / tool, docs, settings), settings)


def test_every_format_has_a_golden_case() -> None:
    assert {"adr-tools", "madr2", "madr3", "madr4", "log4brains"} <= set(FORMATS)


@pytest.mark.parametrize("tool", FORMATS)
def test_format_golden(tool: str) -> None:
    """Files in, planning.json and the findings out (every ADR file, as the inventory test
    below checks one by one)."""
    check_against(GOLDEN / f"adr-formats-{tool}", outputs(load_format(tool)))


def test_a_related_adr_that_yaml_reads_as_a_mapping_is_read_as_text() -> None:
    text = (
        "---\nstatus: accepted\nrelated_adrs:\n"
        "  - ADR-004: Erlang/OTP for router\n  - a decision\n---\n# 5. X\n"
    )
    adr = parse_adr("docs/adr/0005-x.md", text)
    assert adr is not None
    assert [(r.kind, r.target) for r in adr.relations] == [("relates to", "ADR-004")]
    _, found = build(("docs/adr/0005-x.md", text))
    assert [d.message for d in found if d.code == "plandocs.bad-field"] == [
        "'a decision' in 'related_adrs' is not an ADR reference (like ADR-016)"
    ]
    assert not any("{" in d.message for d in found)


#: relation types written two ways that plandocs shows one way
_SAME_KIND = {
    "superceded by": "superseded by",
    "supercedes": "supersedes",
    "related to": "relates to",
}


@pytest.mark.parametrize("tool", FORMATS)
def test_format_agrees_with_the_independent_inventory(tool: str) -> None:
    """Per ADR file: title, status, date, deciders and typed relations (by the file each
    one names) as the inventory reads them from the files."""
    graph = load_format(tool).graph
    files = {posixpath.basename(a.path): a for group in graph.adr_files.values() for a in group}
    expected = INVENTORY.fixture(tool)
    assert sorted(files) == sorted(e["file"] for e in expected)
    for entry in expected:
        adr = files[entry["file"]]
        status = entry["status"].split(" (")[0] if entry["status"] else None
        assert (adr.title, adr.status, adr.date, list(adr.deciders)) == (
            entry["title"],
            status,
            entry["date"],
            entry["deciders"],
        ), entry["file"]
        mine = []
        for link in graph.adr_links[adr.path]:
            target = link.file or (graph.adrs[link.target].path if link.target else "")
            mine.append((link.kind, posixpath.basename(target).removesuffix(".md")))
        theirs = [
            (_SAME_KIND.get(r["type"].lower(), r["type"].lower()), r["to"])
            for r in entry["relations"]
        ]
        assert len(mine) == len(theirs), entry["file"]
        for (kind, stem), (their_kind, to) in zip(sorted(mine), sorted(theirs), strict=True):
            assert kind == their_kind and (stem == to or stem.startswith(f"{to}-")), entry["file"]


def test_an_unfilled_template_value_is_never_shown_as_python() -> None:
    text = "---\nstatus: {on the table}\ndate: {YYYY-MM-DD when decided}\n---\n# 5. X\n"
    adr = parse_adr("docs/adr/0005-x.md", text)
    assert adr is not None
    assert (adr.status, adr.date) == ("on the table", None)
    _, found = build(("docs/adr/0005-x.md", text))
    assert [d.code for d in found] == ["plandocs.unknown-value"]
    assert "'on the table', kept as written" in found[0].message


def test_the_adr_index_has_a_row_for_every_file_of_a_shared_number() -> None:
    graph, _ = build(
        ("docs/adr/0005-a-draft.md", "# 5. Draft idea\n\n- Status: draft\n"),
        (
            "docs/adr/0005-b-accepted.md",
            "# 5. The decision\n\n- Status: accepted\n- Deciders: Ann <b>, Bo\n",
        ),
    )
    view = Renderer(graph, Settings(), SiteUrls())
    index = next(p for p in view.pages() if p.uri == "planning/adrs.md").markdown
    rows = index.split("<tr>")[2:]
    assert len(rows) == 2
    assert 'href="../../adr/0005-b-accepted/"' in rows[0] and "accepted" in rows[0]
    assert "Ann &lt;b&gt;, Bo" in rows[0]  # people are text
    assert 'href="../../adr/0005-a-draft/"' in rows[1] and "draft" in rows[1]
    assert "same number; ADR-005 names" in rows[1]


def test_a_bare_number_links_to_the_accepted_file_and_a_file_name_to_its_file() -> None:
    graph, _ = build(
        ("docs/adr/ADR-005-a-draft.md", "# ADR-005: Draft idea\n\n**Status**: Draft\n"),
        ("docs/adr/ADR-005-b-decision.md", "# ADR-005: The decision\n\n**Status**: Accepted\n"),
    )
    index = build_index(graph, Settings(), SiteUrls())
    number, name = (index.pattern.fullmatch(text) for text in ("ADR-005", "ADR-005-a-draft.md"))
    assert number is not None and name is not None
    by_number, by_name = index.resolve(number), index.resolve(name)
    assert by_number is not None and by_number.page == "adr/ADR-005-b-decision.md"
    assert by_name is not None and by_name.page == "adr/ADR-005-a-draft.md"


@pytest.mark.parametrize("tool", sorted(INVENTORY.BAD))
def test_bad_input_fixture_gives_one_finding_per_problem(tool: str) -> None:
    """Made with adr-tools: a supersession cycle written as links, a link to a deleted ADR,
    a folder of decisions with only a README; every ADR file is still found."""
    project = load_format(tool, INVENTORY.BAD)
    check_against(GOLDEN / f"adr-formats-{tool}", outputs(project))
    assert sorted(d.code.removeprefix("plandocs.") for d in project.diagnostics) == [
        "no-adrs-found",
        "supersession-cycle",
        "unknown-ref",
    ]
    found = sorted(posixpath.basename(a.path) for g in project.graph.adr_files.values() for a in g)
    assert found == sorted(entry["file"] for entry in INVENTORY.fixture(tool))


@pytest.mark.parametrize(
    ("text", "status"),
    [
        ("- [x] Accepted", "accepted"),
        ("* [X] accepted", "accepted"),
        ("- [ ] Rejected", None),
        ("~~Proposed~~ Accepted", "accepted"),
        ("Status: Accepted", "accepted"),
        ("**Status:** superseded by ADR-2", "superseded"),
        ("| 2021-11-02 | Accepted |", "accepted"),
        ("Proposed -> Accepted", "accepted"),
        ("Proposed \u2192 Accepted \u2192 Superseded", "superseded"),
        ("statusquo", None),
        ("Proposed", "proposed"),
    ],
)
def test_the_status_a_hand_written_line_gives(text: str, status: str | None) -> None:
    assert adrs.status_of(text) == status


@pytest.mark.parametrize(
    ("table", "status", "date"),
    [
        ("| Status | Accepted |\n|---|---|\n| Date | 2021-02-03 |\n", "accepted", "2021-02-03"),
        ("| Status | Date |\n|---|---|\n| Accepted | 2021-02-03 |\n", "accepted", "2021-02-03"),
        ("| | |\n|---|---|\n| **Status** | Proposed |\n", "proposed", None),
        ("| Field | Value |\n|---|---|\n| Status | Accepted |\n", "accepted", None),
        ("| Status | Superseded |\n|---|---|\n| Date | 2021-02-03 |\n", "superseded", "2021-02-03"),
        # a status history under the title: a header over values, the newest row its status
        (
            "| Status | Date |\n|---|---|\n| Proposed | 2021-01-01 |\n| Accepted | 2021-02-01 |\n",
            "accepted",
            "2021-02-01",
        ),
        (
            "| Status | Date |\n|---|---|\n| Accepted | 2021-02-01 |\n| Proposed | 2021-01-01 |\n",
            "accepted",
            "2021-02-01",
        ),
        (
            "| Status | Owner |\n|---|---|\n| Proposed | Ann |\n| Accepted | Bo |\n",
            "accepted",
            None,
        ),
        # "Superseded" in a value row is a status, not the relation "superseded by"
        ("| Status | Date |\n|---|---|\n| Superseded | 2021-02-01 |\n", "superseded", "2021-02-01"),
        # a status word is no column's name, whatever the other rows name
        ("| Status | Accepted |\n|---|---|\n| Owner | Ann |\n", "accepted", None),
        # empty cells at a row's end are no column
        (
            "| Status | Accepted | |\n|---|---|---|\n| Date | 2021-02-03 | |\n",
            "accepted",
            "2021-02-03",
        ),
    ],
)
def test_a_metadata_table_of_names_and_values_or_of_a_header(
    table: str, status: str, date: str | None
) -> None:
    text = f"# 5. X\n\n{table}\n## Context\n"
    parsed = parse_document(SourceDoc("docs/adr/0005-x.md", "adr/0005-x.md", text), Settings())
    assert parsed.adr is not None
    assert (parsed.adr.status, parsed.adr.date) == (status, date)
    assert parsed.diagnostics == ()


@pytest.mark.parametrize(
    ("lines", "status", "found"),
    [
        # nothing ticked: no status is chosen ("-", an unknown status, was read)
        ("- [ ] Proposed\n- [ ] Accepted\n- [ ] Rejected\n", None, []),
        ("* [ ] Accepted\n* [ ] Proposed\n", None, []),
        # the one ticked is the status, known or not
        ("- [ ] Proposed\n- [x] Accepted\n", "accepted", []),
        ("- [ ] Proposed\n- [x] Frozen\n", "Frozen", ["unknown-value"]),
    ],
)
def test_a_checklist_of_statuses_gives_the_ticked_one(
    lines: str, status: str | None, found: list[str]
) -> None:
    text = f"# 5. X\n\n## Status\n\n{lines}\n## Context\n"
    parsed = parse_document(SourceDoc("docs/adr/0005-x.md", "adr/0005-x.md", text), Settings())
    assert parsed.adr is not None
    assert parsed.adr.status == status
    assert codes(list(parsed.diagnostics)) == found


def test_a_table_below_the_first_section_is_no_metadata() -> None:
    text = "# 5. X\n\n## Options\n\n| Option | Status |\n|---|---|\n| A | Rejected |\n"
    adr = parse_adr("docs/adr/0005-x.md", text)
    assert adr is not None
    assert adr.status is None


def test_log4brains_packages_and_unfilled_adrs_as_log4brains_reads_them() -> None:
    """log4brains 1.1.0 with two packages (``packages/NAME/adr``), each ADR as ``adr new``
    wrote it: its template's ``- Status: [draft | ... | superseded by [xxx](yyyymmdd-xxx.md)]``
    placeholder holds a link, and was read as the status superseded with a link to a file
    that is not there. log4brains reads an ADR that gives no status as a draft."""
    settings = Settings(orders_dir="packages")
    project = load(discover(FIXTURES / "log4brains-packages", "docs", settings), settings)
    found = sorted((a.path, a.status, a.title) for g in project.graph.adr_files.values() for a in g)
    assert found == sorted(
        (path, status, title) for path, _, status, title in INVENTORY.LOG4BRAINS_PACKAGES
    )
    assert project.diagnostics == []


def test_adr_writer_header_between_rules_is_read_and_a_latin_1_file_reported() -> None:
    """PyPI adr-writer 1.1.3 puts ``- Status:``, ``- Date:``, ``- Decider:`` between two
    ``----`` lines (rules: they were taken as frontmatter, a false bad-frontmatter error, and
    the fields were lost) and writes Latin-1, which is reported and left out."""
    settings = Settings(orders_dir="")
    project = load(discover(FIXTURES / "adr-writer", "docs", settings), settings)
    adr = project.graph.adrs["ADR-001"]
    assert (adr.title, adr.status, adr.date, adr.deciders) == (
        "Use Redis for caching",
        None,
        "June 03, 2024 10:00:00 (UTC)",
        ("Ann Lee",),
    )
    assert [(d.file, d.line, d.code) for d in project.diagnostics] == [
        ("docs/adr/0002-use-kafka-for-events.md", 4, "plandocs.unreadable-file")
    ]


@pytest.fixture(scope="module")
def hand_written() -> Project:
    settings = Settings(orders_dir="")
    return load(discover(FIXTURES / "hand-written", "docs", settings), settings)


@pytest.mark.parametrize(
    "entry", INVENTORY.HAND_WRITTEN_ADRS, ids=[e["file"] for e in INVENTORY.HAND_WRITTEN_ADRS]
)
def test_a_hand_written_adr_says_what_its_file_says(
    hand_written: Project, entry: dict[str, object]
) -> None:
    """ADRs written by hand in shapes found in the wild: a struck old status, a checklist of
    statuses, metadata tables, a status history table, ``Status:`` under ``## Status``, a
    BOM and CRLF. Each once gave another status (or none) without a word."""
    graph = hand_written.graph
    adr = next(a for g in graph.adr_files.values() for a in g if a.path.endswith(entry["file"]))
    assert (adr.title, adr.status, adr.date, list(adr.deciders)) == (
        entry["title"],
        entry["status"],
        entry["date"],
        entry["deciders"],
    )
    links = [(link.kind, link.target) for link in graph.adr_links[adr.path]]
    assert links == [(r["type"], f"ADR-{int(r['to']):03d}") for r in entry["relations"]]


def test_the_hand_written_adrs_give_one_finding_for_the_one_without_a_number(
    hand_written: Project,
) -> None:
    """A file in a folder of ADRs that gives a status but no number is left out of the
    ADRs: it was published as a plain page without a word."""
    found = [(posixpath.basename(d.file), d.code) for d in hand_written.diagnostics]
    assert found == [(name, "plandocs.missing-id") for name in INVENTORY.HAND_WRITTEN_UNNUMBERED]


@pytest.mark.parametrize(
    ("text", "reported"),
    [
        # a page about ADRs, its status section a description: no status a team gives
        ("# How we write ADRs\n\n## Status\n\nOne of proposed, accepted, superseded.\n", False),
        ("# Notes\n\nStatus: see the board\n", False),
        ("---\nstatus: n/a\n---\n# Notes\n", False),
        # an ADR without a number: it gives a status
        ("# Use Redis\n\n## Status\n\nProposed\n", True),
        ("# Use Redis\n\n## Status: Accepted\n", True),
        ("# Use Redis\n\n## Status\n\n- [ ] Proposed\n- [x] Accepted\n", True),
        ("---\nstatus: accepted\n---\n# Use Redis\n", True),
        ("# Use Redis\n\n* **Status**: frozen\n", True),  # a project's own status
    ],
)
def test_a_file_beside_adrs_is_an_unnumbered_adr_only_when_it_gives_a_status(
    text: str, reported: bool
) -> None:
    settings = Settings(adr_statuses=("frozen",))
    _, found = build(
        ("docs/adr/0001-use-a.md", "# 1. Use A\n\n## Status\n\nAccepted\n"),
        ("docs/adr/process.md", text),
        settings=settings,
    )
    assert [(d.file, d.code) for d in found] == (
        [("docs/adr/process.md", "plandocs.missing-id")] if reported else []
    )


def test_an_adr_named_by_its_uuid_is_resolved_and_an_unknown_uuid_reported() -> None:
    """PyPI ``adr`` 0.5.0 names each ADR by a UUID (``id:``) and writes ``supersedes`` and
    ``superseded_by`` as those UUIDs; they were 'not an ADR reference' and the supersession
    was lost. UUIDs compare without case."""
    old, new, gone = (
        "94661190-4e2a-4577-bbc3-d24f0315dc80",
        "EC992763-3623-440C-8517-A21BB3E9F9B6",
        "00000000-0000-4000-8000-000000000000",
    )
    graph, found = build(
        (
            "docs/adr/0002-use-postgresql.md",
            f"---\nid: {old}\nstatus: superseded\nsuperseded_by: {new.lower()}\n---\n# 2. PG\n",
        ),
        (
            "docs/adr/0003-use-mysql.md",
            f"---\nid: {new}\nstatus: accepted\nsupersedes:\n- {old}\n- {gone}\n---\n# 3. My\n",
        ),
    )
    links = graph.adr_links["docs/adr/0002-use-postgresql.md"]
    assert [(link.kind, link.target) for link in links] == [("superseded by", "ADR-003")]
    assert graph.adr_links["docs/adr/0003-use-mysql.md"][0].target == "ADR-002"
    assert [(d.code, d.line) for d in found] == [("plandocs.unknown-ref", 4)]
    assert f"ADR-003 lists {gone} in 'supersedes', but no ADR file has that id" in found[0].message


def test_backlog_md_decisions_are_adrs_as_the_inventory_reads_them() -> None:
    """Backlog.md 1.52's ``backlog decision create`` writes ``decision-1 - Title.md`` in
    backlog/decisions/, its status free-form: ``superseded by decision-3`` names the
    successor as Backlog.md names decisions. None of them is left out, and none reported."""
    settings = Settings(orders_dir="backlog")
    project = load(discover(FIXTURES / "backlog-decisions", "docs", settings), settings)
    graph = project.graph
    files = {posixpath.basename(a.path): a for group in graph.adr_files.values() for a in group}
    expected = INVENTORY.fixture("backlog-decisions/backlog/decisions")
    assert sorted(files) == sorted(e["file"] for e in expected)
    for entry in expected:
        adr = files[entry["file"]]
        assert (adr.id, adr.title, adr.status, adr.date) == (
            f"ADR-{entry['number']:03d}",
            entry["title"],
            entry["status"],
            entry["date"],
        ), entry["file"]
        links = [(link.kind, link.target) for link in graph.adr_links[adr.path]]
        assert links == [(r["type"], f"ADR-{int(r['to']):03d}") for r in entry["relations"]]
    assert project.diagnostics == []


def test_an_adr_tools_template_is_no_adr_and_its_placeholders_are_no_finding() -> None:
    madr3 = "---\nstatus: {proposed | superseded by [ADR-0005](0005-example.md)}\n---\n# {title}\n"
    _, found = build(
        ("docs/decisions/adr-template.md", madr3),
        ("docs/decisions/0001-a.md", "# A\n\n* Status: accepted\n"),
    )
    assert found == []
    _, elsewhere = build(("docs/guides/template.md", madr3))
    assert [d.code for d in elsewhere] == ["plandocs.yaml-error"]  # a page like any other


@pytest.mark.parametrize(
    ("body", "status", "date"),
    [
        ("## Status: Accepted\n\n## Context\n", "accepted", None),
        ("## Status\n\n**Accepted**\n", "accepted", None),
        ("## Status\n\n✅ Accepted (2024-02-03)\n", "accepted", "2024-02-03"),
        ("> **Status**: Accepted\n> **Date**: 2025-11-20\n", "accepted", "2025-11-20"),
        ("**Status:** Approved\n", "approved", None),
        ("* Status: Partly superseded by ADR-0009\n", "partly_superseded", None),
        ("## Status\n\nAccepted\n\nAmended by [4. Y](0004-y.md)\n", "accepted", None),
    ],
)
def test_status_forms(body: str, status: str, date: str | None) -> None:
    adr = parse_adr("docs/adr/0003-x.md", f"# 3. X\n\n{body}")
    assert adr is not None
    assert (adr.status, adr.date) == (status, date)


def test_folders_above_a_file_outside_the_project_end_at_the_root() -> None:
    """A file outside the project (an absolute ``docs_dir``) is shown by its absolute path:
    walking up its folders ends at ``/`` instead of looping there."""
    found = folders_without_adrs([("/elsewhere/docs/adr/README.md", False)])
    assert [f.file for f in found] == ["/elsewhere/docs/adr"]


@pytest.mark.parametrize(
    ("text", "status"),
    [
        # a status section commented out, over several lines, is not the ADR's
        ("<!--\n## Status\n\nProposed\n-->\n\n## Status\n\nAccepted\n", "accepted"),
        ("<!-- the old one:\n\n* Status: proposed\n-->\n\n## Status\n\nAccepted\n", "accepted"),
        # a fence in a comment opens no code block: the status after the comment is read
        ("<!--\n```\n-->\n\n## Status\n\nAccepted\n", "accepted"),
        # a comment on one line hides only itself
        ("## Status\n\n<!-- since May --> Accepted\n", "accepted"),
    ],
    ids=["section", "field", "fence-in-comment", "one-line"],
)
def test_a_status_in_an_html_comment_is_not_read(text: str, status: str) -> None:
    adr = parse_adr("docs/adr/0001-x.md", f"# 1. X\n\n{text}")
    assert adr is not None
    assert adr.status == status
