"""Did-you-mean hints and the registry of codes."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from plandocs.diagnostics import ALL_CODES, Suggester

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
