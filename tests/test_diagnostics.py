"""Did-you-mean hints and the registry of codes."""

from __future__ import annotations

import datetime
import re
from pathlib import Path

import pytest

from plandocs.diagnostics import (
    ALL_CODES,
    BAD_FIELD,
    MESSAGE_LIMIT,
    QUOTE_LIMIT,
    Suggester,
    make,
    quote,
)

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


def test_every_code_is_documented_in_the_readme() -> None:
    readme = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")
    documented = set(re.findall(r"`(plandocs\.[a-z-]+)`", readme))
    assert {code.id for code in ALL_CODES} == documented


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
