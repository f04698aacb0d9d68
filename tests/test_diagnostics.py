"""Did-you-mean hints and the registry of codes."""

from __future__ import annotations

import datetime
from pathlib import Path

import pytest

from plandocs.core.diagnostics import (
    BAD_FIELD,
    MESSAGE_LIMIT,
    MISSING_ID,
    QUOTE_LIMIT,
    UNKNOWN_REF,
    YAML_ERROR,
    Suggester,
    make,
    quote,
)
from plandocs.core.settings import Settings
from plandocs.project.load import Project, SourceEntry, folded, load, root_first

MANY = [f"ORDER-WRK-{i % 9}-CP2-{i:04d}" for i in range(500)]


@pytest.mark.parametrize("pool", [MANY[:20], MANY], ids=["small-pool", "large-pool"])
@pytest.mark.parametrize(
    ("word", "exclude", "hint"),
    [
        ("order-wrk-3-cp2-0012", (), "; did you mean ORDER-WRK-3-CP2-0012?"),  # case only
        ("ORDER-WRX-3-CP2-0012", (), "; did you mean ORDER-WRK-3-CP2-0012?"),
        ("ORDER-WRK-3-CP2-00012", (), "; did you mean ORDER-WRK-3-CP2-0012?"),
        ("ORDER-WRX-3-CP2-0012", ("ORDER-WRK-3-CP2-0012",), ""),  # never the referrer itself
        ("SOMETHING-ELSE", (), ""),
    ],
)
def test_hint(pool: list[str], word: str, exclude: tuple[str, ...], hint: str) -> None:
    assert Suggester(pool).hint(word, exclude=exclude) == hint


def test_no_hint_when_two_names_tie() -> None:
    assert Suggester(["ADR-001", "ADR-003"]).hint("ADR-009") == ""


@pytest.mark.parametrize(
    ("value", "quoted"),
    [
        ("wrk-3", "'wrk-3'"),
        ({"a": 1}, "'{a: 1}'"),
        (["ORDER-A-1", None, True], "'[ORDER-A-1, null, true]'"),
        ({"a": [1, {"b": None}]}, "'{a: [1, {b: null}]}'"),
        (None, "'null'"),
        (datetime.date(2024, 1, 5), "'2024-01-05'"),
        ("two\nlines", "'two lines'"),
        ("x" * 100_180, "'" + "x" * QUOTE_LIMIT + "\u2026'"),
        ("y" * QUOTE_LIMIT, "'" + "y" * QUOTE_LIMIT + "'"),
    ],
)
def test_quote_writes_values_as_yaml_on_one_short_line(value: object, quoted: str) -> None:
    assert quote(value) == quoted


def test_make_cuts_any_long_quote_and_keeps_one_line() -> None:
    message = make(BAD_FIELD, "a.md", 3, f"unknown status '{'z' * 5000}'; use one\nof these")
    assert message.message == f"unknown status '{'z' * QUOTE_LIMIT}\u2026'; use one of these"


def test_make_shows_a_control_character_it_quotes_as_an_escape() -> None:
    # Graphviz quotes the writer's block ("syntax error near '<ESC>'"): an ESC in the log is
    # a terminal's command (colours, its title, a hyperlink)
    finding = make(BAD_FIELD, "a.md", 3, "near '\x1b]0;title\x07\x1b[31mred\x9b' \x00")
    assert finding.message == "near '\\x1b]0;title\\x07\\x1b[31mred\\x9b' \\x00"
    # the line and paragraph separators, which some viewers break a line at
    assert make(BAD_FIELD, "a.md", 3, "a\u2028b\u2029c").message == "a\\u2028b\\u2029c"


def test_make_shows_a_bidi_override_it_quotes_as_an_escape() -> None:
    # U+202E turns the rest of a log line around on screen: "[plandocs.unknown-value]" and
    # the advice read backwards, or text placed to read as another finding
    finding = make(BAD_FIELD, "a.md", 3, "unknown priority 'hi\u202e eulav' and \u2067x\u2069")
    assert finding.message == "unknown priority 'hi\\u202e eulav' and \\u2067x\\u2069"
    assert make(BAD_FIELD, "a.md", 3, "שלום \u200f(RTL mark kept)").message.endswith(
        "\u200f(RTL mark kept)"
    )


def test_make_cuts_a_long_word_and_a_long_message_but_keeps_the_advice() -> None:
    word = "ORDER-" + "9" * 100_000
    assert make(BAD_FIELD, "a.md", 1, f"mentions {word}, which is unknown").message == (
        f"mentions {word[:QUOTE_LIMIT]}\u2026, which is unknown"
    )
    cycle = " -> ".join(f"ORDER-WRK-1-CP1-{i:03d}" for i in range(60))
    message = make(BAD_FIELD, "a.md", 1, f"dependency cycle: {cycle}; remove one").message
    assert len(message) <= MESSAGE_LIMIT
    assert message.startswith("dependency cycle: ORDER-WRK-1-CP1-000 -> ")
    assert message.endswith("\u2026; remove one")


def test_the_text_between_two_short_quotes_is_not_cut_as_a_quote() -> None:
    message = (
        "Graphviz's 'dot' is not installed, so diagrams are shown as their DOT source; "
        "install the system package 'graphviz' (apt-get install graphviz, brew install graphviz)"
    )
    assert make(BAD_FIELD, "mkdocs.yml", 0, message).message == message


# -- one root cause, one finding (project.folded) -----------------------------------------


def _load(tmp_path: Path, files: dict[str, str]) -> Project:
    entries = []
    for name, text in files.items():
        (tmp_path / name).write_text(text, encoding="utf-8")
        entries.append(SourceEntry(path=name, uri=name, abs_path=str(tmp_path / name)))
    return load(entries, Settings())


BROKEN = (
    "---\nid: ORDER-C-1\ntitle: Third: broken\nstatus: pending\n---\n"
    "# Third\n\nThis is ORDER-C-1.\n"
)


def test_a_block_that_does_not_parse_keeps_its_order_id_and_gives_one_finding(
    tmp_path: Path,
) -> None:
    project = _load(
        tmp_path,
        {"ORDER_C.md": BROKEN, "ORDER_A.md": "---\nid: ORDER-A-1\ndepends_on: [ORDER-C-1]\n---\n"},
    )
    assert [d.format() for d in project.diagnostics] == [
        "ORDER_C.md:3: frontmatter YAML does not parse: mapping values are not allowed in this "
        "context; fix the YAML syntax [plandocs.yaml-error]"
    ]
    order = project.graph.orders["ORDER-C-1"]
    assert (order.title, order.status) == ("Third: broken", "pending")
    assert project.graph.depends_on("ORDER-A-1") == ("ORDER-C-1",)


def test_a_block_never_closed_keeps_its_order_id(tmp_path: Path) -> None:
    project = _load(tmp_path, {"ORDER_C.md": "---\nid: 'ORDER-C-1'\ntitle: Third\n\n# Third\n"})
    assert [d.code for d in project.diagnostics] == ["plandocs.yaml-error"]
    assert project.graph.orders["ORDER-C-1"].title == "Third"


def test_what_follows_from_a_lost_id_is_folded_into_the_root_finding(tmp_path: Path) -> None:
    # no ID line to keep: the file is an order with no ID, and its own ID looks unknown
    text = "---\ntitle: [Third\nstatus: pending\n---\n# Third\n\nThis is ORDER-C-1.\n"
    project = _load(tmp_path, {"ORDER_C.md": text})
    assert [d.format() for d in project.diagnostics] == [
        "ORDER_C.md:3: frontmatter YAML does not parse: did not find expected ',' or ']' "
        "(while parsing a flow sequence started on line 2); fix the YAML syntax "
        "(this also clears 2 findings that follow from it) [plandocs.yaml-error]"
    ]


def test_folding_keeps_other_files_and_other_codes_and_puts_the_root_first() -> None:
    root = make(YAML_ERROR, "a.md", 5, "frontmatter YAML does not parse")
    lost = make(MISSING_ID, "a.md", 1, "order file declares no order ID")
    field = make(BAD_FIELD, "a.md", 2, "a bad field")
    elsewhere = make(UNKNOWN_REF, "b.md", 3, "mentions ORDER-C-1, which is not a known order")
    found = folded([elsewhere, field, lost, root])
    assert [(d.file, d.code, d.message) for d in found] == [
        (
            "a.md",
            root.code,
            "frontmatter YAML does not parse (this also clears a finding that follows from it)",
        ),
        ("a.md", field.code, "a bad field"),
        ("b.md", elsewhere.code, elsewhere.message),
    ]
    # without a lost ID nothing follows from the root: an unknown reference is its own
    mention = make(UNKNOWN_REF, "a.md", 7, "mentions ORDER-X-1, which is not a known order")
    assert folded([mention, root]) == [root, mention]
    assert sorted([mention, field, root], key=root_first) == [root, field, mention]


def test_the_line_yaml_stopped_at_gives_no_status(tmp_path: Path) -> None:
    text = "---\nid: ORDER-C-1\npriority: hihg\nstatus: pending: since monday\n---\n# Third\n"
    project = _load(tmp_path, {"ORDER_C.md": text})
    # the priority line is read (and its typo reported as it would be), the broken one is not
    assert [(d.line, d.code) for d in project.diagnostics] == [
        (4, "plandocs.yaml-error"),
        (3, "plandocs.unknown-value"),
    ]
    assert project.graph.orders["ORDER-C-1"].status is None
