"""Repairing mojibake: UTF-8 text that some tool decoded with the wrong code page.

A multi-byte UTF-8 character becomes two to four characters of the wrong code page that
keep the shape of UTF-8. For each code page, one pattern finds the runs of characters whose
bytes form valid UTF-8 (a *chain*); clean text rarely holds one, mojibake is made of them.

A chain is decoded when that makes the text look more natural, by a small cost model of
character classes (a lower-case letter before an accented capital, two scripts in one word,
controls, ...): clean text that happens to form a chain ("√π", "Рі", "├┤") stays. Evidence
is weighed per line, then per document (never for maths). Text encoded twice decodes twice.
"""

from __future__ import annotations

import re
import unicodedata
from bisect import bisect_right
from collections import Counter, defaultdict
from dataclasses import dataclass
from functools import cache, lru_cache
from typing import NamedTuple

#: Code pages we undo, as (label shown to people, Python codecs). A byte a Windows code page
#: leaves undefined is read as the C1 control of the same number, as Windows does (ftfy
#: calls these codecs "sloppy").
CODECS: tuple[tuple[str, tuple[str, ...]], ...] = (
    # One pattern for both: Latin-1 differs from cp1252 only in the C1 controls it yields.
    ("cp1252", ("cp1252", "latin-1")),
    ("mac-roman", ("mac_roman",)),
    ("cp1251", ("cp1251",)),
    ("cp437", ("cp437",)),
)
#: The C1 controls that only Latin-1 yields (cp1252 leaves five bytes undefined).
_LATIN1_ONLY = frozenset(chr(b) for b in range(0x80, 0xA0)) - frozenset("\x81\x8d\x8f\x90\x9d")

#: A chain counts as clear mojibake from this score on; see ``_judge``.
STRONG = 3
#: A chain is decoded three times at most: text encoded three times over is repaired too.
MAX_DEPTH = 3
#: A document with clear mojibake of one code page in at least this many lines lowers the
#: bar for that code page on its other lines, to ``DOCUMENT_BAR``; maths ("√π" to "ù") and
#: a mere space still need evidence in their own line.
DOCUMENT_EVIDENCE_LINES = 2
DOCUMENT_BAR = 1
#: The bar when, besides, every non-ASCII character of the document is in a run of that
#: code page (the whole file went through it): a lone run ("HTTP‚ÜíNATS", "Рё") reads as well
#: before decoding as after, and the file decides it. In a file that also holds clean
#: non-ASCII text, such a run may be clean ("├┤", "е“»").
LONE_RUN_BAR = -1
#: The score of a decoding never made (controls, private use, rare scripts): below every bar.
NEVER = -10


@dataclass(frozen=True)
class Repair:
    """One repaired line: its number (1-based), the text before and after, and the code
    pages undone, each as a chain such as ``cp1252`` or ``cp1252+cp1252`` (encoded twice)."""

    line: int
    before: str
    after: str
    codecs: tuple[str, ...]


# Character classes: a/A ASCII letters, l/L other Latin, y/Y Cyrillic, g/G Greek, d digit,
# s space, n no-break space, p ASCII punctuation, q typographic punctuation, Q quotes and
# guillemets, m symbols, b box drawing, arrows and shapes, e emoji, k CJK, r a rare letter
# of a common script, M the letters Â and Ã, o other scripts and oddities, x controls,
# private use, unassigned.

_LETTERS = frozenset("aAlLMyYgGr")
_LOWER = frozenset("alyg")
_NONASCII_UPPER = frozenset("LMYG")
_NONASCII_LETTERS = frozenset("lLMyYgG")
_SCRIPT = {"a": 0, "A": 0, "l": 0, "L": 0, "M": 0, "y": 1, "Y": 1, "r": 1, "g": 2, "G": 2}
_MATH_PAIRS = ("√π", "≈π")
# How Mac Roman shows the lead bytes of Latin-1 symbols (C2) and letters (C3): "¬∞" is °,
# "√©" is é. Before a non-ASCII character other than π or ∞ they are hardly ever maths.
_MAC_ROMAN_LEADS = frozenset("¬√")
# Neighbours that may complete a pair of _MATH_PAIRS across a chain's edge
_MATH_EDGE = frozenset("√≈π")
# Maths as Mac Roman holds it: operators and Greek letters
_MATHS = frozenset("∂∆∏∑√∞∫≈≠≤≥◊πΩµ±¬÷ƒ")
_NEVER_DECODED = frozenset("xo")
# Latin-1 symbols hardly anyone types: a decoding that yields one is likely a coincidence.
_RARE_SYMBOLS = frozenset("\u00b9\u00a4\u00a6\u00a8\u00af\u00b4\u00b8\u00ad")
_CHAR_COST = {"x": 4, "o": 3, "r": 1}
_QUOTES = frozenset("\u201c\u201d\u201e\u201a\u2018\u00ab\u00bb\u2039\u203a")
_LATIN1_PUNCT = frozenset("\u00a1\u00bf\u00b7")
# Letters of Serbian and Macedonian only: in Russian or Ukrainian text they come from
# UTF-8 read as cp1251 (the lead bytes D0 and D1 read as "Р" and "С", then one of these).
_RARE_CYRILLIC = frozenset("ЂЃЅЈЉЊЋЌЎЏђѓѕјљњћќўџ")
_GLUE = _NONASCII_LETTERS | {"r"}
_GREEK = frozenset("gG")
_CJK_PUNCT = frozenset(chr(o) for o in (*range(0x3000, 0x3040), *range(0xFF01, 0xFF66)))
_ASCII_LETTERS = frozenset("aA")
#: Characters whose class their category does not give: the letters Â and Ã, rare in clean
#: text and the lead of most UTF-8 read as cp1252; dotless i, a letter of Turkish; the
#: spacing accents, and letters and marks that code pages hold as symbols (micro, ordinals,
#: florin, dagger, double dagger, per mille, section, pilcrow).
_SPECIAL = {
    0xA0: "n",
    0xC2: "M",
    0xC3: "M",
    0x131: "l",
    **dict.fromkeys((0xB5, 0xAA, 0xBA, 0x192, 0x2020, 0x2021, 0x2030, 0xA7, 0xB6), "m"),
    **dict.fromkeys(range(0x2C6, 0x2DE), "m"),
}
#: Letters by code point: (first, last, lower and upper class); others are "o".
_LETTER_RANGES = (
    (0x0, 0x17F, "lL"),  # Latin-1, Latin Extended-A
    (0x1E00, 0x1EFF, "lL"),
    (0x386, 0x3CE, "gG"),
    (0x400, 0x45F, "yY"),
    (0x490, 0x491, "yY"),
    (0x4E00, 0x9FFF, "kk"),
    (0x3040, 0x30FF, "kk"),
    (0xAC00, 0xD7AF, "kk"),
)
# Romanian ș ț and Vietnamese ơ ư; the rest of Latin Extended-B is rare
_LATIN_EXTENDED_B_IN_USE = frozenset((0x218, 0x219, 0x21A, 0x21B, 0x1A0, 0x1A1, 0x1AF, 0x1B0))
#: Symbols past Latin-1 by code point, the first range that holds one deciding.
_SYMBOL_RANGES = (
    (0x2000, 0x200B, "s"),
    (0x202F, 0x202F, "s"),
    (0x200C, 0x200D, "e"),
    (0x2010, 0x205E, "q"),
    (0x2190, 0x21FF, "b"),
    (0x2500, 0x25FF, "b"),
    (0x231A, 0x231B, "e"),  # technical emoji
    (0x23E9, 0x23FA, "e"),
    (0x2600, 0x27BF, "e"),
    (0x2B00, 0x2BFF, "e"),
    (0x1F000, 0x1FAFF, "e"),
    (0x1FB00, 0x1FFFF, "o"),
    (0x20000, 0x10FFFF, "e"),
    (0x2310, 0x2310, "m"),  # ⌐ ⌠ ⌡ (cp437), ⌘
    (0x2318, 0x2318, "m"),
    (0x2320, 0x2321, "m"),
    (0x2300, 0x23FF, "o"),
    (0x2070, 0x22FF, "m"),  # super- and subscripts, currency, letterlike, number forms, math
    (0x2460, 0x24FF, "m"),
    (0x2E80, 0x33FF, "k"),
    (0xFE30, 0xFE4F, "k"),
    (0xFF00, 0xFFEF, "k"),
    (0xFB00, 0xFB06, "m"),
)


def _in_ranges(o: int, ranges: tuple[tuple[int, int, str], ...], default: str) -> str:
    return next((cls for first, last, cls in ranges if first <= o <= last), default)


def _classify(ch: str) -> str:
    o = ord(ch)
    if o < 0x80:
        return _ascii_class(ch, o)
    category = unicodedata.category(ch)
    if category in ("Cc", "Cs", "Co", "Cn"):
        return "x"
    if o in _SPECIAL:
        return _SPECIAL[o]
    if ch in _RARE_CYRILLIC:
        return "r"
    if category[0] == "L":
        pair = "lL" if o in _LATIN_EXTENDED_B_IN_USE else _in_ranges(o, _LETTER_RANGES, "oo")
        return pair[category == "Lu"]
    return _other_class(ch, o, category)


def _other_class(ch: str, o: int, category: str) -> str:
    """The class of a character past ASCII that is no letter."""
    if category in {"Mn", "Me"}:
        return "e" if o == 0x20E3 or 0xFE00 <= o <= 0xFE0F else "o"  # keycap, variation
    if ch in _QUOTES:
        return "Q"
    if o < 0x100:
        return "q" if ch in _LATIN1_PUNCT else "m"
    return _in_ranges(o, _SYMBOL_RANGES, "o")


def _ascii_class(ch: str, o: int) -> str:
    if ch.isalpha():
        return "a" if ch.islower() else "A"
    if ch.isdigit():
        return "d"
    if ch in " \t\n\r":
        return "s"
    return "x" if o < 0x20 or o == 0x7F else "p"


def _pair_cost(c1: str, c2: str) -> int:
    if c1 == "M" and c2 not in "aAdsp":
        return 3  # "Ã" and "Â" before another non-ASCII character: "Ãœ", "Ã¼", "Â°"
    if c1 in _LETTERS and c2 in _LETTERS:
        if _SCRIPT[c1] != _SCRIPT[c2]:
            # two scripts inside one word; Greek beside ASCII is maths ("ΔT", "πr")
            return 1 if {c1, c2} & _GREEK and {c1, c2} & _ASCII_LETTERS else 3
        return (3 if c2 in "LM" else 2) if c1 in _LOWER and c2 in _NONASCII_UPPER else 0
    if c1 in _NONASCII_UPPER and c2 in "mqQnxo":
        return 3 if c2 in "mn" and (c1 in "LM" or c2 == "m") else 2  # "Ã©", "Р°", "Ã\xa0"
    if c1 == "m" and c2 in _AFTER_SYMBOL:
        return _AFTER_SYMBOL[c2]
    return _symbol_pair_cost(c1, c2)


#: After a symbol: "≈Ç", "√ö" (a Greek capital after a math symbol is maths: "∂Φ"); "√©",
#: "Â©"; "√ü", "≈õ"
_AFTER_SYMBOL = {"L": 3, "M": 3, "Y": 3, "m": 2, "l": 2, "y": 2}


def _symbol_pair_cost(c1: str, c2: str) -> int:
    if (c1 in _LETTERS and c2 in "mQ") or (c2 in _LETTERS and c1 in "mQ"):
        return 1
    if "k" in (c1, c2):
        other = c2 if c1 == "k" else c1
        return 3 if other in _NONASCII_LETTERS else 1 if other in "mqQb" else 0
    if "b" in (c1, c2):
        other = c2 if c1 == "b" else c1
        if other in _LETTERS:
            return 3  # "├╝ber", "╨┤╨╜╤Å"
        return 2 if other == "m" else 1 if other in "qQ" else 0
    return 1 if c1 in "mqQ" and c2 in "mqQ" and not (c1 == "q" and c2 == "q") else 0


_CLASSES = "aAlLMyYgGrdsnpqQmbekxo"
_PAIRS = {c1 + c2: _pair_cost(c1, c2) for c1 in _CLASSES for c2 in _CLASSES}


#: Each character's class and cost on its own, filled as characters are met.
_COSTS: dict[str, tuple[str, int]] = {}


def _char(ch: str) -> tuple[str, int]:
    """The class of ``ch`` and what it costs on its own."""
    known = _COSTS.get(ch)
    if known is None:
        cls = _classify(ch)
        known = _COSTS[ch] = (cls, _CHAR_COST.get(cls, 0) + (2 if ch in _RARE_SYMBOLS else 0))
    return known


def _cls(ch: str) -> str:
    return _char(ch)[0]


def _cost(text: str) -> int:
    """How unnatural ``text`` looks: the sum over its characters and neighbouring pairs."""
    total, previous, previous_ch = 0, "", ""
    for ch in text:
        cls, cost = _COSTS.get(ch) or _char(ch)
        total += cost
        if previous:
            total += _PAIRS[previous + cls]
            if previous_ch in _MAC_ROMAN_LEADS and ch >= "\x80" and ch not in "π∞":
                total += 2
        previous, previous_ch = cls, ch
    if "π" in text:
        # Mac Roman reads "ù" as "√π", which is also how maths is written.
        total -= sum(1 for pair in _MATH_PAIRS if pair in text)
    return total


@dataclass(frozen=True)
class _Codec:
    label: str
    chain_re: re.Pattern[str]
    to_bytes: dict[int, int]

    def decode(self, chain: str) -> str:
        return chain.translate(self.to_bytes).encode("latin-1").decode("utf-8")

    def label_of(self, chain: str) -> str:
        if self.label == "cp1252" and not _LATIN1_ONLY.isdisjoint(chain):
            return "latin-1"
        return self.label


@cache
def _high_chars(name: str) -> dict[int, str]:
    """The character each high byte is in code page ``name``."""
    chars = {}
    for byte in range(0x80, 0x100):
        try:
            chars[byte] = bytes([byte]).decode(name)
        except UnicodeDecodeError:
            chars[byte] = chr(byte)  # undefined in a Windows code page
    return chars


def _build_codec(label: str, names: tuple[str, ...]) -> _Codec:
    table: dict[int, set[str]] = defaultdict(set)  # the characters each high byte becomes
    for name in names:
        for byte, ch in _high_chars(name).items():
            table[byte].add(ch)

    def cls(low: int, high: int) -> str:
        chars = sorted({ch for byte in range(low, high + 1) for ch in table.get(byte, ())})
        return "[" + "".join(re.escape(ch) for ch in chars) + "]"

    cont = cls(0x80, 0xBF)
    sequence = "|".join(
        (
            cls(0xC2, 0xDF) + cont,
            cls(0xE0, 0xE0) + cls(0xA0, 0xBF) + cont,
            cls(0xE1, 0xEC) + cont + cont,
            cls(0xED, 0xED) + cls(0x80, 0x9F) + cont,
            cls(0xEE, 0xEF) + cont + cont,
            cls(0xF0, 0xF0) + cls(0x90, 0xBF) + cont + cont,
            cls(0xF1, 0xF3) + cont + cont + cont,
            cls(0xF4, 0xF4) + cls(0x80, 0x8F) + cont + cont,
        )
    )
    return _Codec(
        label=label,
        # The lookahead lets the scan skip everything that cannot start a chain at C speed.
        chain_re=re.compile(f"(?={cls(0xC2, 0xF4)})(?:{sequence})+"),
        to_bytes={ord(ch): byte for byte, chars in table.items() for ch in chars},
    )


@cache
def _codecs() -> tuple[_Codec, ...]:
    return tuple(_build_codec(label, names) for label, names in CODECS)


class _Chain(NamedTuple):
    start: int
    end: int
    after: str
    codecs: tuple[str, ...]
    score: int
    line: int
    span: int  # 0 outside code spans; in one that holds nothing but it (QUOTE) or code (CODE)
    quoted: bool  # taken as quoted on purpose: see _accepted


def _shape_bonus(decoded: str) -> int:
    """Evidence in the shape of the bytes: a three-byte character that is a symbol, arrow,
    box piece or emoji, or any four-byte character, is hard to meet by chance."""
    bonus = 0
    for ch in decoded:
        if ch >= "\U00010000" or ch in _CJK_PUNCT or (ch >= "\u0800" and _cls(ch) in "ebmqQps"):
            bonus += 3
    return bonus


def _undo(chain: str, codec: _Codec) -> tuple[str, tuple[str, ...]]:
    """Decode ``chain`` once, then again while the result is itself a whole chain whose
    decoding looks more natural (text encoded twice or three times)."""
    after, labels = codec.decode(chain), [codec.label_of(chain)]
    for _ in range(MAX_DEPTH - 1):
        if len(after) < 2 or after.isascii():
            break  # a chain is two characters at least
        for inner in _codecs():
            if inner.chain_re.fullmatch(after):
                again = inner.decode(after)
                if _decode_again(after, again):
                    labels.append(inner.label_of(after))
                    after = again
                    break
        else:
            break
    return after, tuple(labels)


def _decode_again(once: str, twice: str) -> bool:
    """Whether a decoded chain that is itself a chain was encoded twice. On a tie, when it
    reads as letters of one script ("–ø–æ" as "по", "–í" as "В", "Рё" as "и"), unless it
    is box drawing or maths, which were written as such ("─┐" reads as "Ŀ", "√π" as "ù")."""
    gain = _cost(once) - _cost(twice) + _shape_bonus(twice)
    if gain != 0:
        return gain > 0
    scripts = {_SCRIPT.get(_cls(ch)) for ch in twice}
    if len(scripts) != 1 or None in scripts:
        return False
    return not (_MATHS.issuperset(once) or all(_cls(ch) == "b" for ch in once))


@dataclass(frozen=True)
class _Facts:
    """What a chain decodes to and what that is worth, whatever its neighbours."""

    after: str
    codecs: tuple[str, ...]
    word: bool  # box drawing only that decodes to one word ("╨╜╨╕╨╖" is "низ")
    classes: frozenset[str]
    letters: bool  # the decoding is letters only
    box_only: bool  # the chain is box drawing only
    #: the script a line must be written in for the decoding to count as more evidence
    wanted: int | None


@lru_cache(maxsize=1 << 12)
def _facts(chain: str, codec_index: int) -> _Facts:
    after, labels = _undo(chain, _codecs()[codec_index])
    classes = frozenset(_cls(ch) for ch in after)
    letters = classes <= _LETTERS
    box_only = all(_cls(ch) == "b" for ch in chain)
    scripts = {_SCRIPT[_cls(ch)] for ch in after} if letters else set()
    word = box_only and len(after) > 1 and len(scripts) == 1
    # Cyrillic characters that decode to the letters of another script are more evidence
    # when the line is written in that script ("nicht Гјberschreiten": UTF-8 read as cp1251).
    wanted = None
    if letters:
        before_scripts = {_SCRIPT.get(_cls(ch)) for ch in chain} - {None}
        if before_scripts == {_SCRIPT["y"]} and len(scripts) == 1 and _SCRIPT["y"] not in scripts:
            wanted = next(iter(scripts))
    return _Facts(after, labels, word, classes, letters, box_only, wanted)


# A verdict depends on a neighbour only through its class, save for these characters: one
# stand-in per class lets verdicts be shared by more neighbours.
_STAND_INS = dict(zip("aAlLMyYgGrdpqQmbekno", "aAéÉÃдДαΔђ0.—“©─🔴中\xa0א", strict=True))
_KEEP = _MATH_EDGE | _MAC_ROMAN_LEADS | {"∞"}


@cache
def _stand_in(ch: str) -> str:
    """The character that judges like ``ch`` next to a chain ("" stays "")."""
    cls = _cls(ch) if ch else "s"
    return ch if ch in _KEEP or cls in "sx" else _STAND_INS[cls]


@lru_cache(maxsize=1 << 14)
def _judge(chain: str, index: int, left: str, right: str) -> int:
    """How much more natural the text gets when ``chain`` of code page ``index``, between
    its neighbours ``left`` and ``right`` (``""`` at the edge of the text), is decoded.
    Mojibake repeats ("â€”" on every line): a chain is decoded once (``_facts``), and
    judged once per pair of neighbours' stand-ins."""
    facts = _facts(chain, index)
    after = facts.after
    if facts.classes & _NEVER_DECODED:
        return NEVER  # controls, private use, rare scripts: a coincidence, not what was written
    score = _cost(left + chain + right) - _cost(left + after + right) + _shape_bonus(after)
    if facts.word and left not in _MATH_EDGE and right not in _MATH_EDGE:
        score += 1
    left_class, right_class = _cls(left) if left else "s", _cls(right) if right else "s"
    first, last = _cls(after[0]), _cls(after[-1])
    # A CJK character decoded against a Latin letter, where Chinese mojibake is long runs.
    if (first == "k" and left_class in "aA") or (last == "k" and right_class in "aA"):
        score -= 2
    # Mojibake turns every letter of a word into a chain; letters decoded from a chain that
    # sits inside a word of undecoded accented or Cyrillic letters are a coincidence
    # ("«ТОВАР»" holds "Р»", which reads as "л").
    if left_class in _GLUE and first in _GLUE:
        score -= 3
    if right_class in _GLUE and last in _GLUE:
        score -= 3
    # A letter decoded in the middle of a word ("Odpovƒõdn√° osoba"), or at its start.
    if facts.letters and left_class in _LETTERS and right_class in _LETTERS:
        score += 2
    elif facts.letters and right_class == "a":
        score += 1
    if facts.box_only and (left_class not in _LETTERS or right_class not in _LETTERS):
        # Box drawing inside a word is cp437 mojibake ("f├╝r"); at the edge of one it may
        # be a box around a label ("A─║"): on its own, never clear evidence.
        score = min(score, STRONG - 1)
    return score


def _main_script(line: str) -> int | None:
    """The script most letters of ``line`` are written in (ASCII letters count as Latin)."""
    counts = Counter(_SCRIPT.get(_cls(ch)) for ch in line)
    counts.pop(None, None)
    return max(counts, key=lambda s: counts[s]) if counts else None


def _pair_runs(runs: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """The code spans that the backtick runs ``runs`` of one paragraph make, as (start, end):
    a run opens a span, and the next run of as many backticks closes it, on the same line
    or a later one; an opener that no run closes is a plain backtick (CommonMark)."""
    by_length: dict[int, list[int]] = defaultdict(list)  # run numbers, in order
    for number, (start, end) in enumerate(runs):
        by_length[end - start].append(number)
    spans = []
    number = 0
    while number < len(runs):
        same = by_length[runs[number][1] - runs[number][0]]
        after = bisect_right(same, number)
        if after == len(same):
            number += 1
            continue
        spans.append((runs[number][0], runs[same[after]][1]))
        number = same[after] + 1
    return spans


# A line that starts a block of its own (blank, list item, heading, quote, table row, code
# fence), and one that is a block of its own: a code span goes on in the next line only
# when neither ends the paragraph.
_BLOCK_START = re.compile(
    r"^(?: {0,3}(?:[-*+](?:[ \t]|$)|\d{1,9}[.)](?:[ \t]|$)|#{1,6}(?:[ \t]|$)|[>|]|```|~~~)"
    r"|[ \t]*$)",
    re.MULTILINE,
)
_ONE_LINE_BLOCK = re.compile(
    r"^(?: {0,3}(?:#{1,6}(?:[ \t]|$)|\||```|~~~)|[ \t]*$)(?:.*)\n", re.MULTILINE
)


#: What a code span around a chain holds: nothing but mojibake, spaces and punctuation
#: (`` `Ã©` ``, a quote of it), or code (`` `try…catch` `` misread: ASCII letters or digits).
QUOTE, CODE = 1, 2
_CODE_CHARACTER = re.compile("[A-Za-z0-9]")


def _code_spans(text: str) -> tuple[list[int], list[int], list[int]]:
    """The inline code spans of ``text``: their starts, their ends, and what each holds
    (``QUOTE`` or ``CODE``), in order. A span does not go on past the end of its paragraph."""
    # where paragraphs start: the text, every block, and the line after a one-line block
    breaks = {0}
    breaks.update(m.start() for m in _BLOCK_START.finditer(text))
    breaks.update(m.end() for m in _ONE_LINE_BLOCK.finditer(text))
    starts = sorted(breaks)
    by_paragraph: dict[int, list[tuple[int, int]]] = defaultdict(list)
    for run in re.finditer("`+", text):
        by_paragraph[bisect_right(starts, run.start())].append(run.span())
    spans = sorted(span for runs in by_paragraph.values() for span in _pair_runs(runs))
    kinds = [
        CODE if _CODE_CHARACTER.search(text, start, end) is not None else QUOTE
        for start, end in spans
    ]
    return [start for start, _ in spans], [end for _, end in spans], kinds


def _accepted(text: str) -> list[_Chain]:
    """The chains to decode, in text order, none overlapping: per line, those of the code
    page whose chains make the text most natural, from a bar that depends on the evidence
    (the line's own, the document's, or none).

    Chains inside inline code spans may be quoted on purpose ("grep for `â€”`"): no evidence,
    they are decoded only when the line or the whole document shows the same code page
    outside code spans. A span of code (`` `try‚Ä¶catch` ``) in a document made of mojibake
    of one code page went through it too, and is judged as any text."""
    groups, covered = _judged_chains(text)
    non_ascii = len(text) - len(text.encode("ascii", "ignore"))
    whole = {index for index, count in covered.items() if count >= non_ascii}
    totals: dict[tuple[int, int], tuple[int, int]] = {}
    strong: set[tuple[int, int]] = set()
    for group, chains in groups.items():
        outside = inside = 0
        for number, as_found in enumerate(chains):
            chain = as_found
            if chain.span == CODE and group[1] not in whole:
                chain = chains[number] = chain._replace(quoted=True)
            if chain.score > 0 and chain.quoted:
                inside += chain.score
            elif chain.score > 0:
                outside += chain.score
                if chain.score >= STRONG:
                    strong.add(group)
        totals[group] = (outside, inside)
    return _choose(text, groups, totals, strong, whole)


def _judged_chains(
    text: str,
) -> tuple[dict[tuple[int, int], list[_Chain]], dict[int, int]]:
    """Every chain of every code page, judged, by (line, code page); and how many
    characters the chains of each code page cover."""
    line_starts = [0, *(m.end() for m in re.finditer("\n", text))]
    scripts: dict[int, int | None] = {}  # the main script of a line, when asked
    groups: dict[tuple[int, int], list[_Chain]] = defaultdict(list)
    covered: dict[int, int] = defaultdict(int)
    opened, closed, kinds = _code_spans(text) if "`" in text else ([], [], [])
    for index, codec in enumerate(_codecs()):
        for match in codec.chain_re.finditer(text):
            (start, end), chain = match.span(), match.group()
            covered[index] += end - start
            line = bisect_right(line_starts, start) - 1
            left = _stand_in(text[start - 1]) if start else ""
            score = _judge(chain, index, left, _stand_in(text[end : end + 1]))
            facts = _facts(chain, index)
            if facts.wanted is not None and line not in scripts:
                stop = text.find("\n", line_starts[line])
                scripts[line] = _main_script(text[line_starts[line] : stop if stop >= 0 else None])
            if facts.wanted is not None and scripts[line] == facts.wanted:
                score += 2
            kind = 0
            if opened:
                span = bisect_right(opened, start) - 1
                if span >= 0 and end <= closed[span]:
                    kind = kinds[span]
            groups[line, index].append(
                _Chain(start, end, facts.after, facts.codecs, score, line, kind, kind == QUOTE)
            )
    return groups, covered


def _choose(
    text: str,
    groups: dict[tuple[int, int], list[_Chain]],
    totals: dict[tuple[int, int], tuple[int, int]],
    strong: set[tuple[int, int]],
    whole: set[int],
) -> list[_Chain]:
    """Per line, the code page to undo and the chains of it to decode (see ``_accepted``): a
    line with clear mojibake of its own from bar 0; else the code page most lines clearly
    hold decides. ``whole``: the code pages whose runs hold every non-ASCII character."""
    lines_per_codec = Counter(index for _, index in strong)
    # The code page most lines of the document clearly hold; on a tie, the one listed first.
    document_codec = min(lines_per_codec, key=lambda i: (-lines_per_codec[i], i), default=None)
    best: dict[int, tuple[tuple[int, int], int]] = {}  # line -> (totals, code page)
    for (line, index), total in totals.items():
        # the highest total wins (outside code spans first); on a tie, the code page first
        if line not in best or total > best[line][0]:
            best[line] = (total, index)

    accepted: list[_Chain] = []
    for line, (_, own) in best.items():
        index = own
        line_strong = (line, index) in strong
        quoted_bar: int | None  # None: quoted chains stay
        if line_strong:
            bar = quoted_bar = 0
        else:
            if (
                document_codec is not None
                and (line, document_codec) in groups
                and lines_per_codec[own] < DOCUMENT_EVIDENCE_LINES
            ):
                index = document_codec  # a line without evidence: the document decides
            evidence, consistent = lines_per_codec[index], index in whole
            if evidence >= DOCUMENT_EVIDENCE_LINES:
                bar = LONE_RUN_BAR if consistent else DOCUMENT_BAR
            else:
                bar = STRONG
            quoted_bar = LONE_RUN_BAR if evidence and consistent else None
        # A decoding to a mere space ("В\xa0" is NBSP in cp1251, and Russian typography)
        # and one of maths ("√π", "≈≠") need the line's own evidence; quoted mojibake needs
        # the line's or the document's.
        accepted.extend(
            c
            for c in groups[line, index]
            if (
                c.score >= bar if not c.quoted else quoted_bar is not None and c.score >= quoted_bar
            )
            and (line_strong or not (c.after.isspace() or _MATHS.issuperset(text[c.start : c.end])))
        )
    accepted.sort(key=lambda c: c.start)
    return accepted


def _apply(text: str, chains: list[_Chain]) -> str:
    parts, position = [], 0
    for chain in chains:
        parts.append(text[position : chain.start])
        parts.append(chain.after)
        position = chain.end
    parts.append(text[position:])
    return "".join(parts)


#: Rounds of repair: a line can hold mojibake of several code pages, and each round decodes
#: one per line. Later rounds look only at the lines that changed; they stop when nothing
#: changes, and this many rounds is far more than real text needs.
MAX_ROUNDS = 8


@cache
def _misread_boms() -> tuple[tuple[str, str], ...]:
    """A byte order mark read with a code page, and the code pages: "ï»¿" (cp1252), "Ôªø"
    (Mac Roman), "п»ї" (cp1251), "∩╗┐" (cp437), and each of those read once more."""
    readings: dict[str, str] = {}
    for _ in range(2):
        for misread, label in list(readings.items()) or [("\ufeff", "")]:
            # Each code page of a codec on its own (cp1252 and Latin-1 read a byte apart),
            # in a fixed order: a table made from the codec's sets depended on the hash seed.
            for codec_label, names in CODECS:
                for name in names:
                    data = misread.encode("utf-8").decode("latin-1")
                    again = data.translate(_high_chars(name))
                    readings.setdefault(again, "+".join(filter(None, (codec_label, label))))
    # the longest first, so that a BOM read twice is not taken for one read once
    return tuple(sorted(readings.items(), key=lambda item: -len(item[0])))


def _repair_rounds(text: str) -> tuple[str, dict[int, list[str]]]:
    """The repaired text, and for each changed line (0-based) the code pages undone.

    A misread BOM at the start becomes a BOM again (U+FEFF): written as UTF-8 it is the
    bytes the writer saved, and readers of the text drop it as they drop any BOM. Only at
    the very start: there it can only be a BOM, whatever the rest of the file looks like."""
    bom_label = ""
    for misread, label in () if text[:1].isascii() else _misread_boms():
        if text.startswith(misread):
            bom_label, text = label, text[len(misread) :]
            break
    repaired, labels = _repair_lines(text)
    if bom_label:
        if bom_label not in labels[0]:
            labels[0].insert(0, bom_label)
        repaired = "\ufeff" + repaired
    return repaired, labels


def _repair_lines(text: str) -> tuple[str, dict[int, list[str]]]:
    labels: dict[int, list[str]] = defaultdict(list)
    lines = text.split("\n")
    todo = list(range(len(lines)))  # the lines to look at (again)
    for _ in range(MAX_ROUNDS):
        part = "\n".join(lines[number] for number in todo)
        if part.isascii():
            break
        chains = _accepted(part)
        if not chains:
            break
        for position, line in enumerate(_apply(part, chains).split("\n")):
            lines[todo[position]] = line
        for chain in chains:
            label = "+".join(chain.codecs)
            if label not in labels[todo[chain.line]]:
                labels[todo[chain.line]].append(label)
        todo = sorted({todo[chain.line] for chain in chains})
    return "\n".join(lines), labels


def repair(text: str) -> tuple[str, list[Repair]]:
    """``text`` with its mojibake decoded, and each line that changed: its number, before,
    after and the code pages undone. Clean text comes back unchanged with no repairs.
    Line structure is kept: only characters inside a line are replaced."""
    repaired, labels = _repair_rounds(text)
    if not labels:
        return text, []
    before_lines, after_lines = text.split("\n"), repaired.split("\n")
    repairs = [
        Repair(number + 1, before_lines[number], after_lines[number], tuple(labels[number]))
        for number in sorted(labels)
    ]
    return repaired, repairs


def repair_text(text: str) -> str:
    """Return ``text`` with its mojibake decoded; clean text comes back unchanged."""
    return _repair_rounds(text)[0]


def explain(text: str) -> list[Repair]:
    """Each line ``repair_text`` changes: number, before, after and the code pages undone."""
    return repair(text)[1]
