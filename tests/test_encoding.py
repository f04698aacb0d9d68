"""Mojibake repair: broken text comes out as written, clean text comes out byte for byte.

Tables of hand-picked cases first (each encoding, each trap for clean text), then the seeds,
then the generated corpus (tests/corpus/mojibake.py) with its list of known failures, then
property tests over text drawn from one real script at a time.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from plandocs import Repair, explain, repair, repair_text
from plandocs.core.diagnostics import Level
from plandocs.core.parse.frontmatter import repair_wanted
from plandocs.core.settings import settings_from_options
from plandocs.project.load import Project, SourceEntry, load
from tests.corpus.mojibake import Case, build_corpus, mojibake

# The two summaries the team first sent, byte for byte as they arrived (mojibake included).
SEEDS = Path(__file__).resolve().parent / "fixtures" / "seeds"
KNOWN_FAILURES = Path(__file__).resolve().parent / "corpus" / "known_failures.txt"

_CORPUS_CODECS = {
    "cp1252": "cp1252",
    "latin-1": "latin1",
    "mac-roman": "mac_roman",
    "cp1251": "cp1251",
    "cp437": "cp437",
}


def broken(text: str, *codecs: str) -> str:
    """``text`` saved as UTF-8 and read back with each code page in turn."""
    for codec in codecs:
        text = mojibake(text, _CORPUS_CODECS[codec])
    return text


FIXED = [
    # (original, code pages it went through)
    ("### 🔴 HIGH PRIORITY", ("cp1252",)),
    ("    ├─→ ORDER-WRK-2-CP2-002 (HIGH) [wrk-2]", ("cp1252",)),
    ("**Status**: ✅ Done — “quoted” and ‘single’", ("cp1252",)),
    ("Größe ändern: naïve café in São Paulo", ("cp1252",)),
    ("Статус: реализованы, задача закрыта", ("cp1252",)),
    ("Priority — high…", ("latin-1",)),
    ("Příliš žluťoučký kůň úpěl ďábelské ódy", ("latin-1",)),
    ("**Priority**: 🟡 **MEDIUM**", ("mac-roman",)),
    ("- ✅ Endpoints —реализованы", ("mac-roman",)),
    ("    │\n    └─→ ORDER-WRK-4-OPENRESTY-002", ("mac-roman",)),
    ("Dépendances : où est le problème ?", ("mac-roman",)),
    ("Реализация роутера: готово ✅", ("cp1251",)),
    ("| ORDER-WRK-3-CP2-001 | Статус | 🔴 Критично |", ("cp1251",)),
    ("Задача виконана, Україна, їжак, ґанок", ("cp1251",)),
    ("¿Qué pasa? ¡Señor!", ("cp437",)),
    ("├─→ Готово", ("cp437",)),
    ("Zażółć gęślą jaźń", ("cp1252", "cp1252")),
    ("🔴 — done", ("cp1252", "latin-1")),
    ("Überprüfung", ("mac-roman", "mac-roman")),
    # box drawing and maths that are also valid mojibake are decoded once, not twice
    ("Step 1 ─┐ and CP1 ─┤ CP2, ├┤ merge", ("cp1252",)),
    ("r = √π ≈ 1.77", ("cp1252",)),
    ("Keep the room at 25 °C, ±5 ms, © 2026, 3× faster", ("mac-roman",)),
]


@pytest.mark.parametrize(("original", "codecs"), FIXED)
def test_broken_text_is_repaired(original: str, codecs: tuple[str, ...]) -> None:
    assert repair_text(broken(original, *codecs)) == original


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # only part of the line is broken: the clean Russian stays, the broken part is fixed
        ("Статус: выполнено — Ð·Ð°Ð´Ð°Ñ‡Ð° Ð·Ð°ÐºÑ€Ñ‹Ñ‚Ð°", "Статус: выполнено — задача закрыта"),
        # a broken emoji inside correct Cyrillic, from three code pages
        ("Статус: ðŸ”´ Высокий", "Статус: 🔴 Высокий"),
        ("Статус: \uf8ffüî¥ Высокий", "Статус: 🔴 Высокий"),
        ("Статус: рџ”ґ Высокий", "Статус: 🔴 Высокий"),
        ("Готово вњ… и проверено", "Готово ✅ и проверено"),
        # fenced code and inline code whose content is itself mojibake
        ("```\nâ”œâ”€â†’ A\n```", "```\n├─→ A\n```"),
        # inline code with mojibake is decoded when the line or the file shows the same code
        # page outside code spans (alone, it is quoted on purpose: see QUOTED below)
        ("Ð—Ð°Ð´Ð°Ñ‡Ð°: use `Ð¿Ñ€Ð¸Ð¼ÐµÑ€` here", "Задача: use `пример` here"),
        (
            broken("# Задача\n## Статус", "cp1252") + "\nUse `" + broken("пример", "cp1252") + "`",
            "# Задача\n## Статус\nUse `пример`",
        ),
        # frontmatter values
        ("---\ntitle: Ð—Ð°Ð´Ð°Ñ‡Ð°\n---\n", "---\ntitle: Задача\n---\n"),
    ],
)
def test_partly_broken_text_is_repaired_where_broken(text: str, expected: str) -> None:
    assert repair_text(text) == expected


CLEAN = [
    "Жёлтый, Всё, Пётр, Сёмга, Тёма, Лёша, Фёдор, Чёрный",
    "Рішення, Він, Міністерство, п’ять, самі», КИЇВ, УКРАЇНА, ВІН, ЄВРОПА, ҐАНОК",
    "«ДА», «НЕТ»…",
    "В\u00a0Москве и\u00a0в\u00a0Киеве",
    "Рі and РіРё and Рё",
    "Ελληνικά: καλημέρα κόσμε",
    "日本語のテキスト、「引用」（括弧）：完了。",
    "中文文本，测试。状态：已完成（ＯＫ）",
    "🔴 🟡 🟢 ✅ ❌ ⚠️ 🚧 📌",
    "São Paulo, naïve, Mötley Crüe, CAFÉ”, „Ärger“, «Ça va», —über",
    "Příliš žluťoučký kůň, Zażółć gęślą jaźń, ¿Qué? ¡Hola!",
    "‘single’ “double” ‚low‘ „low“ — – … •",
    "√π ≈ 1.77, x√π, x ≈π, ≤ 5 ms, ≥ 2, 5 °C, µs, x², ½, ±0.1",
    "┌──┐\n├┤ │\n└─→ ═╗",
    "™ © ® € £ ¥ § ¶, €5",
    "SÃO PAULO",
    "plain ASCII only",
    "",
]


@pytest.mark.parametrize("text", CLEAN)
def test_clean_text_is_unchanged(text: str) -> None:
    assert repair_text(text) == text
    assert explain(text) == []


def _seed(name: str) -> str:
    return (SEEDS / name).read_text(encoding="utf-8")


@pytest.mark.parametrize(
    ("name", "codec"),
    [("CP2_ORDERS_SUMMARY.md", "cp1252"), ("CP3_ORDERS_SUMMARY.md", "mac_roman")],
)
def test_seeds_come_out_as_the_team_wrote_them(name: str, codec: str) -> None:
    seed = _seed(name)
    written = seed.encode(codec).decode("utf-8")
    assert written != seed
    assert repair_text(seed) == written
    assert repair_text(written) == written


def test_explain_names_line_before_after_and_code_pages() -> None:
    text = "# Plan\n### ðŸ”´ HIGH\nclean\n" + broken("- Zażółć", "cp1252", "cp1252") + "\n"
    assert explain(text) == [
        Repair(2, "### ðŸ”´ HIGH", "### 🔴 HIGH", ("cp1252",)),
        Repair(4, broken("- Zażółć", "cp1252", "cp1252"), "- Zażółć", ("cp1252+cp1252",)),
    ]
    repaired, repairs = repair(text)
    assert repaired == repair_text(text)
    assert repairs == explain(text)


def test_seed_explanations_count_the_broken_lines() -> None:
    repairs = explain(_seed("CP3_ORDERS_SUMMARY.md"))
    assert {r.codecs for r in repairs} == {("mac-roman",)}
    assert [r.line for r in repairs] == sorted({r.line for r in repairs})
    assert len(repairs) == 9


def test_line_endings_and_line_count_are_kept() -> None:
    text = "a\r\nðŸ”´ x\r\n\r\nâœ…\n"
    assert repair_text(text) == "a\r\n🔴 x\r\n\r\n✅\n"


# --- the generated corpus ---------------------------------------------------------------


def _known_failures() -> set[str]:
    lines = KNOWN_FAILURES.read_text(encoding="utf-8").splitlines()
    return {line.split("#")[0].strip() for line in lines if line.split("#")[0].strip()}


CORPUS = build_corpus()
KNOWN = _known_failures()


def test_corpus_is_large_and_a_third_clean() -> None:
    clean = [case for case in CORPUS if not case.broken]
    assert len(CORPUS) >= 1500
    assert len(clean) * 3 >= len(CORPUS)
    assert {case.id for case in CORPUS} >= KNOWN


def _ids(cases: list[Case]) -> list[str]:
    return [case.id for case in cases]


CLEAN_CASES = [case for case in CORPUS if not case.broken]
BROKEN_CASES = [case for case in CORPUS if case.broken]


def test_every_clean_control_is_unchanged_except_the_known_failures() -> None:
    changed = {case.id for case in CLEAN_CASES if repair_text(case.text) != case.text}
    known = KNOWN & {case.id for case in CLEAN_CASES}
    assert sorted(changed - known) == [], "new failures"
    assert sorted(known - changed) == [], "fixed now: take these out of known_failures.txt"


def test_every_broken_case_is_repaired_exactly_except_the_known_failures() -> None:
    failed = {case.id for case in BROKEN_CASES if repair_text(case.text) != case.expected}
    known = KNOWN & {case.id for case in BROKEN_CASES}
    assert sorted(failed - known) == [], "new failures"
    assert sorted(known - failed) == [], "fixed now: take these out of known_failures.txt"


def test_repair_is_idempotent_on_the_corpus() -> None:
    unstable = []
    for case in CORPUS:
        once = repair_text(case.text)
        if repair_text(once) != once:
            unstable.append(case.id)
    assert unstable == []


# --- property tests: text from one real script at a time is left alone ------------------

ASCII = " abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789.,:;-_()[]|*#`'\"!?/\n"
SCRIPTS = {
    "cyrillic": "абвгдеёжзийклмнопрстуфхцчшщъыьэюяАБВГДЕЁЖЗИЙКЛМНОПРСТУФХЦЧШЩЪЫЬЭЮЯіїєґІЇЄҐ«»—…№",
    "greek": "αβγδεζηθικλμνξοπρστυφχψωάέήίόύώΑΒΓΔΕΖΗΘΙΚΛΜΝΞΟΠΡΣΤΥΦΧΨΩ",
    "cjk": "日本語中文测试完了状态已成进行中のがでをにはアイウエオカキクケコ、。「」（）：！？ＯＫ",
    "emoji": "🔴🟡🟢🟠✅❌⚠️🚧📌🔥⏳📝🔄📋\u200d",
    # Without œ and Œ: "â" and two of "ŠŒŽšœžŸ" is how cp1252 shows a dingbat ("âœ…" is ✅),
    # a sequence no word has; see "Known limits" in the README.
    "latin": "àáâãäåæçèéêëìíîïñòóôõöøùúûüýÿßÀÁÂÃÄÅÆÇÈÉÊËÌÍÎÏÑÒÓÔÕÖØÙÚÛÜÝ",
    "central-european": "ąćęłńóśźżĄĆĘŁŃÓŚŹŻčďěňřšťůžČĎĚŇŘŠŤŮŽ",
    "typography": "‘’“”‚„«»‹›–—…•·°±×÷§¶©®™€£¥¢µ½¼¾²³¿¡",
    "box": "─│┌┐└┘├┤┬┴┼═║╔╗╚╝╠╣╦╩╬░▒▓█▄▀→←↑↓⇒",
}


# Box drawing goes with ASCII other than letters: a box character between two letters is
# what cp437 makes of an accented letter ("f├╝r" is "für"), and is repaired on purpose.
ALPHABETS = {script: chars + ASCII for script, chars in SCRIPTS.items()}
ALPHABETS["box"] = SCRIPTS["box"] + "".join(ch for ch in ASCII if not ch.isalpha())


@pytest.mark.parametrize("script", sorted(SCRIPTS))
def test_text_from_one_script_is_left_alone(script: str) -> None:
    @settings(
        max_examples=300,
        deadline=None,
        derandomize=True,
        suppress_health_check=[HealthCheck.too_slow],
    )
    @given(st.text(alphabet=ALPHABETS[script], max_size=80))
    def check(text: str) -> None:
        assert repair_text(text) == text

    check()


MATH = "√π≈≠≤≥∞∑∏∫∂∆Ω∈∉∀∃¬∧∨"


@settings(max_examples=300, deadline=None, derandomize=True)
@given(
    st.lists(
        st.tuples(st.text(alphabet=ASCII, min_size=1, max_size=6), st.sampled_from(MATH)),
        max_size=12,
    )
)
def test_maths_is_left_alone(tokens: list[tuple[str, str]]) -> None:
    # Each symbol follows some ASCII: two of Mac Roman's symbols glued together ("√©",
    # "≈∫") are how Mac Roman shows an accented letter, and are repaired on purpose.
    text = "".join(chunk + symbol for chunk, symbol in tokens)
    assert repair_text(text) == text


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Ratenbegrenzung f├╝r die API", "Ratenbegrenzung für die API"),
        ("Zaka≈∫ wydania", "Zakaź wydania"),
        ("√π ≈ 1.77 and ≈π", "√π ≈ 1.77 and ≈π"),
        ("┌─Title─┐ and A─║ stay", "┌─Title─┐ and A─║ stay"),
    ],
)
def test_symbols_inside_a_word_are_mojibake_beside_one_they_stay(text: str, expected: str) -> None:
    assert repair_text(text) == expected


# What mojibake is made of: the high halves of the code pages, with some ASCII between.
def _code_page_characters() -> str:
    found = set()
    for codec in ("cp1252", "mac_roman", "cp1251", "cp437"):
        for byte in range(0x80, 0x100):
            try:
                found.add(bytes([byte]).decode(codec))
            except UnicodeDecodeError:
                continue  # a byte the code page leaves undefined
    return "".join(sorted(found)) + " abc\n"


CODE_PAGE_TEXT = _code_page_characters()


@settings(max_examples=500, deadline=None, derandomize=True)
@given(st.text(alphabet=CODE_PAGE_TEXT, max_size=60))
def test_repair_is_idempotent_on_code_page_text(text: str) -> None:
    once = repair_text(text)
    assert repair_text(once) == once
    assert once.count("\n") == text.count("\n")


@settings(max_examples=300, deadline=None, derandomize=True)
@given(st.text(max_size=60))
def test_repair_is_idempotent_on_any_text(text: str) -> None:
    once = repair_text(text)
    assert repair_text(once) == once
    assert once.count("\n") == text.count("\n")


# --- when a project is read -------------------------------------------------------------


def _load(tmp_path: Path, files: dict[str, str], **options: object) -> Project:
    entries = []
    for name, text in files.items():
        path = tmp_path / name
        path.write_text(text, encoding="utf-8")
        entries.append(SourceEntry(path=name, uri=name, abs_path=str(path)))
    return load(entries, settings_from_options(options))


BROKEN_ORDER = broken(
    "---\nid: ORDER-WRK-5-CP2-010\ntitle: Реализация роутера\npriority: 🔴 high\n---\n"
    "# ORDER-WRK-5-CP2-010: Реализация роутера\n",
    "cp1252",
)


def test_files_are_repaired_before_they_are_parsed(tmp_path: Path) -> None:
    project = _load(tmp_path, {"ORDER_WRK_5_CP2_ROUTER.md": BROKEN_ORDER})
    order = project.graph.orders["ORDER-WRK-5-CP2-010"]
    assert (order.title, order.priority) == ("Реализация роутера", "high")
    assert [d.format() for d in project.diagnostics] == [
        "ORDER_WRK_5_CP2_ROUTER.md:3: mojibake in 3 lines (UTF-8 read as cp1252), repaired "
        "for the site; to fix the file: plandocs fix-encoding ORDER_WRK_5_CP2_ROUTER.md "
        "--write [plandocs.mojibake-repaired]"
    ]
    assert project.diagnostics[0].level is Level.INFO
    assert (tmp_path / "ORDER_WRK_5_CP2_ROUTER.md").read_text(encoding="utf-8") == BROKEN_ORDER


def test_the_report_can_be_a_warning_and_repair_can_be_off(tmp_path: Path) -> None:
    warned = _load(tmp_path, {"ORDER_WRK_5_CP2_ROUTER.md": BROKEN_ORDER}, encoding_repair="warning")
    assert [d.level for d in warned.diagnostics] == [Level.WARNING]
    assert warned.has_problems
    off = _load(tmp_path, {"ORDER_WRK_5_CP2_ROUTER.md": BROKEN_ORDER}, encoding_repair="off")
    # Unrepaired, the frontmatter holds a C1 control that YAML refuses (one finding for the
    # one problem).
    assert [d.format() for d in off.diagnostics] == [
        "ORDER_WRK_5_CP2_ROUTER.md:1: frontmatter YAML does not parse: unacceptable "
        "character #x008f: control characters are not allowed; fix the YAML syntax "
        "[plandocs.yaml-error]"
    ]
    assert off.docs["ORDER_WRK_5_CP2_ROUTER.md"].text == BROKEN_ORDER


def test_a_page_can_keep_its_mojibake_on_purpose(tmp_path: Path) -> None:
    page = "---\nencoding_repair: off\n---\nWe saw `ðŸ”´` for 🔴.\n"
    wrong = "---\nencoding_repair: loud\n---\nWe saw ðŸ”´ for 🔴.\n"
    project = _load(tmp_path, {"about.md": page, "wrong.md": wrong})
    assert project.docs["about.md"].text == page
    assert [d.format() for d in project.diagnostics] == [
        "wrong.md:2: 'encoding_repair' in a page can only be off, to keep the page's text "
        "as written [plandocs.bad-field]",
        "wrong.md:4: mojibake in 1 line (UTF-8 read as cp1252), repaired for the site; to fix "
        "the file: plandocs fix-encoding wrong.md --write [plandocs.mojibake-repaired]",
    ]


def test_one_line_with_four_code_pages_is_repaired_at_once() -> None:
    line = "ORDER-1 ─→ ORDER-2 ─→ ORDER-3 ─→ ORDER-4 — done"
    parts = line.split(" ORDER-")
    codecs = ("cp1252", "cp1251", "mac-roman", "cp437")
    text = " ORDER-".join(broken(part, codec) for part, codec in zip(parts, codecs, strict=True))
    assert repair_text(text) == line


@pytest.mark.parametrize(
    ("text", "off"),
    [
        ("---\nencoding_repair: off\n---\nx\n", True),
        ("---\nencoding_repair: False  # keep\n---\nx\n", True),
        ("---\nencoding_repair: 'off'\n---\nx\n", True),
        ("---\n" + "note: " + "a" * 5000 + "\nencoding_repair: off\n---\nx\n", True),
        # a frontmatter that does not parse before repair (a C1 control) still says off
        ("---\ntitle: â\x80\x94\nencoding_repair: off\n---\nx\n", True),
        ("---\nencoding_repair: warning\n---\nx\n", False),
        ("---\ntitle: t\n---\nencoding_repair: off\n", False),  # in the body: no
        ("encoding_repair: off\n", False),
    ],
)
def test_a_page_says_off_in_its_frontmatter(text: str, off: bool) -> None:
    assert repair_wanted(text) is not off


@pytest.mark.parametrize("value", ["0", "'no'", "on", "warning"])
def test_a_page_value_other_than_off_is_reported(tmp_path: Path, value: str) -> None:
    project = _load(tmp_path, {"page.md": f"---\nencoding_repair: {value}\n---\nx\n"})
    assert [d.code for d in project.diagnostics] == ["plandocs.bad-field"]


def test_the_suggested_command_quotes_the_path(tmp_path: Path) -> None:
    project = _load(tmp_path, {"My Page.md": "### ðŸ”´ HIGH\n"})
    assert "plandocs fix-encoding 'My Page.md' --write" in project.diagnostics[0].message


# --- mojibake quoted on purpose, a misread BOM, lone runs, real prose --------------------

QUOTED = [
    # A line whose only mojibake is inside code spans quotes it on purpose: it stays.
    "Fix encoding bug: `Ã©` should render as `é`.",
    "Grep for `â€”` and `â€™` to find broken dashes",
    "Use `Ð¿Ñ€Ð¸Ð¼ÐµÑ€` here",
    "Mac Roman shows é as `√©`; cp437 shows ü as `├╝`",
    "A span of two backticks: `` `Ã©` ``",
    # a span of code with mojibake in a file that also holds clean non-ASCII text
    "Set `--root=â€¦` to the root, café",
    # ... and a span that goes on in the next line of its paragraph
    "Set `--root=\nâ€¦` to the root, café",
    # ... also in a file whose other lines are clean
    "# Encoding\n\nCafé — déjà vu.\nGrep for `â€”`.\n",
    "# Encoding\n\nCafé — déjà vu.\nUse `tryâ€¦catch`.\n",
]


@pytest.mark.parametrize("text", QUOTED)
def test_mojibake_quoted_in_code_spans_is_kept(text: str) -> None:
    assert repair_text(text) == text
    assert explain(text) == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # a backtick that opens no span quotes nothing
        ("Grep for `â€” and more", "Grep for `— and more"),
        # a span closes only at a run of as many backticks
        ("``x` Ã©", "``x` é"),
        # a span that closes in the next line: what follows it is outside
        ("Open `System and\nSecurity` â†’ `System`", "Open `System and\nSecurity` → `System`"),
        # a backtick in a table row, a heading or a list item opens no span past its line
        ("| `-- A\nStatus: â€” done `x`", "| `-- A\nStatus: — done `x`"),
        ("# `a\nStatus: â€” done `x`", "# `a\nStatus: — done `x`"),
        ("text `a\n- Status: â€” done `x`", "text `a\n- Status: — done `x`"),
        # a span of code in a file that is mojibake through and through: code that went
        # through the wrong code page with the rest (not a quote of nothing but mojibake)
        ("It uses a `tryâ€¦catch` pattern.", "It uses a `try…catch` pattern."),
        ("Set `--root=\nâ€¦` to the root", "Set `--root=\n…` to the root"),
        ("A span of two: ``a ` â€” b``", "A span of two: ``a ` — b``"),
        # mojibake outside the span is evidence for the span as well
        ("`Ã©` and cafÃ©", "`é` and café"),
        # and so is mojibake of the same code page in another line of the file
        ("Ð—Ð°Ð´Ð°Ñ‡Ð°\n`Ã©`", "Задача\n`é`"),
    ],
)
def test_mojibake_in_code_spans_with_evidence_is_repaired(text: str, expected: str) -> None:
    assert repair_text(text) == expected


@pytest.mark.parametrize(
    ("codec", "label"),
    [("cp1252", "cp1252"), ("mac-roman", "mac-roman"), ("cp1251", "cp1251"), ("cp437", "cp437")],
)
def test_a_misread_bom_at_the_start_becomes_a_bom(codec: str, label: str) -> None:
    text = broken("\ufeff# Title\nplain", codec)
    assert not text.startswith("\ufeff")
    assert repair_text(text) == "\ufeff# Title\nplain"
    assert explain(text) == [Repair(1, text.split("\n")[0], "\ufeff# Title", (label,))]


def test_a_bom_read_twice_and_text_after_it_are_repaired() -> None:
    original = "\ufeff# Задача\nСтатус: готово"
    assert repair_text(broken(original, "cp1252", "cp1252")) == original
    assert repair_text(broken(original, "cp1251")) == original


def test_a_bom_read_as_cp437_then_cp1252_is_a_bom_whatever_the_hash_seed() -> None:
    # cp1252 and Latin-1 read the bytes of "∩╗┐" apart; the table of misread BOMs was once
    # made from a set, so which reading it knew changed with PYTHONHASHSEED.
    text = broken("\ufeffÜber alles", "cp437", "cp1252")
    script = f"from plandocs import repair_text; print(ascii(repair_text({text!r})))"
    outputs = {
        subprocess.run(
            [sys.executable, "-c", script],
            env={**os.environ, "PYTHONHASHSEED": seed},
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        for seed in ("1", "2", "3", "4")
    }
    assert outputs == {ascii("\ufeffÜber alles") + "\n"}


@pytest.mark.parametrize("text", ["x ï»¿", "# T\nï»¿ here", " Ôªø", "п»", "ï»"])
def test_bom_characters_elsewhere_are_not_a_bom(text: str) -> None:
    assert repair_text(text) == text


def test_a_misread_bom_is_not_text_for_the_site(tmp_path: Path) -> None:
    page = broken("\ufeff---\ntitle: Задача\n---\n# Задача\n", "cp1252")
    project = _load(tmp_path, {"page.md": page})
    assert project.docs["page.md"].text == "---\ntitle: Задача\n---\n# Задача\n"


LONE_RUNS = (
    "# Маршрутизация\n\nСтатус: всё проверено, задача закрыта.\n"
    "Ответственный: Пётр Иванов.\n\nHTTP→NATS\nGateway↔Router\nok→success\n"
    "Owners: wrk-3 и wrk-4\n"
)


@pytest.mark.parametrize("codec", ["cp1252", "mac-roman", "cp1251", "cp437"])
def test_lone_runs_follow_the_code_page_of_the_file(codec: str) -> None:
    assert repair_text(broken(LONE_RUNS, codec)) == LONE_RUNS


def test_lone_runs_without_evidence_in_the_file_stay() -> None:
    # the same lines alone: as natural before decoding as after, and nothing else to go by
    for text in ("HTTPâ†’NATS", "Gateway‚ÜîRouter", "Owners: wrk-3 Рё wrk-4"):
        assert repair_text(text) == text


PROSE = Path(__file__).resolve().parent / "corpus" / "prose"
PROSE_FILES = sorted(path.name for path in PROSE.glob("*.md"))


def test_the_real_prose_sample_is_there() -> None:
    assert len(PROSE_FILES) >= 3
    assert all(not (PROSE / name).read_text(encoding="utf-8").isascii() for name in PROSE_FILES)


@pytest.mark.parametrize("name", PROSE_FILES)
@pytest.mark.parametrize("codec", ["cp1252", "latin-1", "mac-roman", "cp1251", "cp437"])
def test_real_prose_mojibaked_whole_comes_back_byte_for_byte(name: str, codec: str) -> None:
    original = (PROSE / name).read_text(encoding="utf-8")
    assert repair_text(original) == original
    damaged = broken(original, codec)
    assert damaged != original
    assert repair_text(damaged) == original


@pytest.mark.parametrize("name", PROSE_FILES)
@pytest.mark.parametrize("codec", ["cp1252", "mac-roman", "cp1251"])
def test_real_prose_with_every_other_line_mojibaked_comes_back(name: str, codec: str) -> None:
    original = (PROSE / name).read_text(encoding="utf-8")
    lines, odd = original.split("\n"), False
    for number, line in enumerate(lines):
        if not line.isascii():
            lines[number] = broken(line, codec) if odd else line
            odd = not odd
    assert repair_text("\n".join(lines)) == original
