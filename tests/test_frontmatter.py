from __future__ import annotations

import pytest
import yaml

from plandocs.core.parse.frontmatter import bounded_meta, read


def test_key_lines_and_body_start() -> None:
    text = "---\nid: ORDER-A-1\nto: wrk-3\n---\n# Title\n"
    front = read(text)
    assert front.data == {"id": "ORDER-A-1", "to": "wrk-3"}
    assert front.key_lines == {"id": 2, "to": 3}
    assert text.split("\n")[front.body_start] == "# Title"
    assert front.error is None


def test_no_frontmatter() -> None:
    front = read("# Title\n---\n")
    assert (front.present, front.data, front.body_start) == (False, {}, 0)


@pytest.mark.parametrize(
    "text",
    [
        "----\n- Status: \n- Decider: Ann Lee\n----\n\n# Use Redis\n",  # adr-writer 1.1.3
        "-----\ntitle: x\n-----\n# X\n",
    ],
)
def test_more_than_three_dashes_is_a_rule_not_frontmatter(text: str) -> None:
    """MkDocs, Jekyll and GitHub open frontmatter with ``---`` only; a ``----`` line is a
    thematic break, and what follows it is the page's text."""
    front = read(text)
    assert (front.data, front.body_start, front.error, front.present) == ({}, 0, None, False)


@pytest.mark.parametrize(
    ("text", "code", "line", "words"),
    [
        ("---\nid: ORDER-A-1\nstatus: [open\n---\nbody\n", "yaml-error", 4, "started on line 3"),
        ("---\nid: a\n  bad: indent\n---\n", "yaml-error", 3, "does not parse"),
        ("---\nid: a\n", "yaml-error", 1, "never closed"),
        ("---\n- a\n- b\n---\n", "bad-frontmatter", 2, "not a mapping"),
    ],
)
def test_errors_name_the_line(text: str, code: str, line: int, words: str) -> None:
    front = read(text)
    assert front.error is not None
    assert (front.error[0].name, front.error[1]) == (code, line)
    assert words in front.error[2]


# -- bounded: dates, tags, aliases, repeated keys -----------------------------------------

_BOMB = (
    '---\nid: ORDER-A-1\nl0: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]\n'
    + "".join(
        f"l{level}: &{chr(97 + level)} [{', '.join(['*' + chr(96 + level)] * 9)}]\n"
        for level in range(1, 8)
    )
    + "{field}: [*h, *h, *h, *h, *h, *h, *h, *h, *h]\n---\n# T\n"
)


@pytest.mark.parametrize(
    ("text", "line", "words", "data"),
    [
        pytest.param(
            "---\ndate: 2024-13-45\n---\n",
            2,
            "'date': '2024-13-45' is not a date (month must be in 1..12)",
            {"date": "2024-13-45"},
            id="month-13",
        ),
        pytest.param(
            "---\nid: X\nrelated:\n  - 2024-02-30\n---\n",
            4,
            "'related': '2024-02-30' is not a date (day is out of range",
            {"id": "X", "related": ["2024-02-30"]},
            id="a-date-in-a-list",
        ),
        pytest.param(
            "---\nid: !!python/object:os.system ls\n---\n",
            2,
            "'id': YAML tag '!!python/object:os.system' is not read",
            {"id": "ls"},
            id="python-tag",
        ),
        pytest.param(
            "---\nowner: !vault {a: 1}\n---\n",
            2,
            "'owner': YAML tag '!vault' is not read",
            {"owner": {"a": 1}},
            id="custom-tag-on-a-mapping",
        ),
        pytest.param(
            "---\ntitle: One\nid: X\ntitle: Two\n---\n",
            4,
            "key 'title' is given again (first on line 2); the last value is used (this one)",
            {"title": "Two", "id": "X"},
            id="repeated-key",
        ),
        pytest.param(
            "---\nid: X\nr: &r [a, *r]\n---\n",
            3,
            "'r' refers to itself through a YAML alias; it is ignored",
            {"id": "X"},
            id="recursive-alias",
        ),
        pytest.param(
            "---\nid: X\ndeep: " + "[" * 40 + "]" * 40 + "\n---\n",
            3,
            "'deep' nests more than 32 levels deep; it is ignored",
            {"id": "X"},
            id="deep-nesting",
        ),
        pytest.param(
            "---\nid: X\nn: " + "9" * 5000 + "\n---\n",
            0,
            "",
            {"id": "X", "n": "9" * 5000},
            id="an-integer-python-cannot-print-stays-text",
        ),
    ],
)
def test_values_that_cannot_be_used_are_findings(
    text: str, line: int, words: str, data: dict[str, object]
) -> None:
    front = read(text)
    assert front.error is None
    assert front.data == data
    if not words:
        assert front.findings == ()
        return
    assert len(front.findings) == 1
    code, found_line, message = front.findings[0]
    assert (code.name, found_line) == ("bad-field", line)
    assert words in message


@pytest.mark.parametrize("field", ["depends_on", "title"])
def test_an_alias_bomb_is_one_finding_and_never_expanded(field: str) -> None:
    front = read(_BOMB.format(field=field))
    assert front.data["id"] == "ORDER-A-1"
    assert field not in front.data
    assert len(front.findings) == 1
    code, line, message = front.findings[0]
    assert (code.name, line) == ("bad-field", 7)  # l4, the first value past the bound
    assert message.startswith("'l4', 'l5', 'l6', 'l7' and 1 more would hold more than 10,000")
    assert "values once YAML aliases (*name) are expanded; they are ignored" in message


def test_a_repeated_key_is_placed_at_the_value_that_is_used() -> None:
    front = read("---\nstatus: open\nstatus: done\nstatus: review\n---\n")
    assert front.data == {"status": "review"}
    assert front.key_lines == {"status": 4}
    assert [(line, "(this one)" in message) for _, line, message in front.findings] == [
        (3, False),
        (4, True),
    ]
    assert "the one on line 4" in front.findings[0][2]


def test_bounded_meta_drops_what_read_refuses_from_mkdocs_own_reading() -> None:
    meta = yaml.load(_BOMB.format(field="title").split("---")[1], Loader=yaml.SafeLoader)
    kept = bounded_meta(meta)
    assert "title" not in kept and kept["id"] == "ORDER-A-1"
    small = {"title": "T", "tags": ["a", "b"]}
    assert bounded_meta(small) is small
