"""Findings about planning data: one registry of stable codes, one record type.

The core never logs: it returns Diagnostic objects, which the MkDocs adapter logs through
the plugin logger (so ``mkdocs build --strict`` fails) and the CLI prints.
"""

from __future__ import annotations

import datetime
import difflib
import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum
from functools import cached_property

import yaml


class Level(StrEnum):
    ERROR = "error"
    WARNING = "warning"
    INFO = "info"


@dataclass(frozen=True)
class Code:
    name: str
    level: Level
    summary: str

    @property
    def id(self) -> str:
        return f"plandocs.{self.name}"


_REGISTRY: list[Code] = []


def _code(name: str, level: Level, summary: str) -> Code:
    code = Code(name, level, summary)
    _REGISTRY.append(code)
    return code


# The registry, in the order reports list the codes. Codes are part of the product's
# interface: never rename one.
UNREADABLE_FILE = _code("unreadable-file", Level.ERROR, "a Markdown file is not text")
EMPTY_FILE = _code("empty-file", Level.WARNING, "a Markdown file is empty")
YAML_ERROR = _code("yaml-error", Level.ERROR, "frontmatter YAML does not parse")
BAD_FRONTMATTER = _code("bad-frontmatter", Level.ERROR, "frontmatter is not a mapping")
BAD_FIELD = _code("bad-field", Level.WARNING, "a field has a value of the wrong shape")
UNKNOWN_VALUE = _code("unknown-value", Level.WARNING, "a priority or status is not known")
MISSING_ID = _code("missing-id", Level.WARNING, "an order file declares no order ID")
DUPLICATE_ID = _code("duplicate-id", Level.ERROR, "two files declare the same ID")
DUPLICATE_ADR_NUMBER = _code("duplicate-adr-number", Level.WARNING, "two ADR files share a number")
ADR_NUMBER_MISMATCH = _code(
    "adr-number-mismatch", Level.WARNING, "an ADR's heading gives another number than its file name"
)
NO_ADRS_FOUND = _code(
    "no-adrs-found", Level.INFO, "a folder named like one of ADRs holds no ADR plandocs can read"
)
UNKNOWN_REF = _code(
    "unknown-ref", Level.WARNING, "a reference to an order or ADR that does not exist"
)
CYCLE = _code("cycle", Level.ERROR, "orders depend on each other in a cycle")
DONE_DEPENDS_ON_OPEN = _code(
    "done-depends-on-open", Level.WARNING, "an order marked done depends on an unfinished one"
)
SUMMARY_CONFLICT = _code(
    "summary-conflict", Level.WARNING, "a summary entry disagrees with the order's own page"
)
SUPERSEDED_WITHOUT_SUCCESSOR = _code(
    "superseded-without-successor", Level.WARNING, "an ADR is superseded but names no successor"
)
SUPERSESSION_MISMATCH = _code(
    "supersession-mismatch",
    Level.WARNING,
    "an ADR names an accepted successor yet is not superseded",
)
SUPERSESSION_CYCLE = _code(
    "supersession-cycle", Level.ERROR, "ADRs supersede each other in a circle"
)
LANGUAGE_VARIANT = _code("language-variant", Level.INFO, "a translation of an order's page")
PATH_CLASH = _code("path-clash", Level.ERROR, "two files would publish at the same site path")
MOJIBAKE_REPAIRED = _code(
    "mojibake-repaired",
    Level.INFO,
    "a file holds mis-decoded text (mojibake), repaired for the site",
)
YAML_QUOTED = _code(
    "yaml-quoted",
    Level.INFO,
    "frontmatter that is YAML only the way its writing tool reads it (an unquoted @name)",
)
STALE_FILE_REF = _code(
    "stale-file-ref", Level.WARNING, "an order file is named by a name it no longer has"
)
BAD_DIAGRAM = _code("bad-diagram", Level.WARNING, "a dot block Graphviz cannot draw")
TREE_MISMATCH = _code(
    "tree-mismatch",
    Level.WARNING,
    "an ASCII dependency tree disagrees with the orders' declared dependencies",
)
DOT_MISSING = _code(
    "dot-missing",
    Level.WARNING,
    "Graphviz is not installed; diagrams are shown as their source (missing_dot: source)",
)
FRAGMENT_LOST = _code(
    "fragment-lost", Level.WARNING, "a card, table or diagram could not be put into its page"
)
PERMALINK_SKIPPED = _code(
    "permalink-skipped", Level.WARNING, "an ID cannot be a path, so it has no permanent address"
)
BAD_ALIAS = _code("bad-alias", Level.WARNING, "an order's alias is no old ID, file or address")
REDIRECT_CLASH = _code(
    "redirect-clash", Level.WARNING, "an old address is a page of the site, or leads elsewhere"
)
NO_HISTORY = _code("no-history", Level.INFO, "git's history of renamed files could not be read")
GIT_HISTORY = _code(
    "git-history", Level.INFO, "git's history of the planning files could not be read"
)

ALL_CODES: tuple[Code, ...] = tuple(_REGISTRY)


#: What a log line must not hold of a name: line breaks and other control characters, and
#: bidi overrides and isolates, which turn the rest of the line around on screen.
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]")
#: What a message must not hold: the same but for the tab (line breaks are spaces).
_UNSHOWN = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]")


def _escape(match: re.Match[str]) -> str:
    """A control character as Python writes it in a string: ``\\x1b``, ``\\n``."""
    return match.group().encode("unicode_escape").decode()


@dataclass(frozen=True, order=True)
class Diagnostic:
    """One finding. ``file`` is relative to the project root; ``line`` is 1-based, 0 for the
    whole file."""

    file: str
    line: int
    code: str
    level: Level
    message: str

    def format(self, *, with_level: bool = False) -> str:
        """``file:line: message [code]``, the level after the place when asked (the CLI;
        MkDocs' log shows the level itself)."""
        # a file's name is the writer's text: a line break in it would start a log line a
        # CI runner reads as a command ("::error::..."), an ESC a terminal command
        file = _CONTROL.sub(_escape, self.file)
        where = f"{file}:{self.line}" if self.line else file
        level = f"{self.level.value}: " if with_level else ""
        return f"{where}: {level}{self.message} [{self.code}]"

    def as_json(self) -> dict[str, object]:
        return {
            "code": self.code,
            "level": self.level.value,
            "file": self.file,
            "line": self.line,
            "message": self.message,
        }


def make(code: Code, file: str, line: int, message: str, level: Level | None = None) -> Diagnostic:
    """A finding of ``code``, at the code's level unless ``level`` is given. A message
    quotes what a writer typed, which may be a line of any length: it is made one line, its
    long quotes and words cut (``_short``)."""
    return Diagnostic(
        file=file, line=line, code=code.id, level=level or code.level, message=_short(message)
    )


#: The most characters of a writer's text a message quotes; an ellipsis follows the cut.
QUOTE_LIMIT = 80
#: The longest message: what is longer loses its middle (``make``).
MESSAGE_LIMIT = 320
# A quote opens after a space or bracket and closes before one: the text between two
# quotes ("'dot' is not installed ... package 'graphviz'") is no quote of its own.
_LONG_QUOTE = re.compile(rf"(?<!\w)'([^'\n]{{{QUOTE_LIMIT + 1},}})'(?!\w)")
_LONG_WORD = re.compile(rf"[^\s',;]{{{QUOTE_LIMIT + 1},}}")
_ELLIPSIS = "\u2026"


def quote(value: object) -> str:
    """A writer's value as a message quotes it: ``'text'``, a list or mapping written as
    YAML writes it in one line (``'[a, b]'``, ``'{a: 1}'``, never a Python repr), cut
    after ``QUOTE_LIMIT`` characters with an ellipsis."""
    return f"'{_clip(' '.join(shown(value).split()))}'"


def shown(value: object) -> str:
    """A frontmatter value as text, the way YAML writes it: ``null``, ``true``, ``[a, b]``."""
    if isinstance(value, str):
        return value
    if isinstance(value, (datetime.date, int, float)) and not isinstance(value, bool):
        return str(value)
    try:
        dumped = yaml.safe_dump(
            value, default_flow_style=True, allow_unicode=True, width=1 << 30, sort_keys=False
        )
    except yaml.YAMLError:
        return str(value)
    return dumped.removesuffix("\n").removesuffix("\n...").strip()


def _clip(text: str, limit: int = QUOTE_LIMIT) -> str:
    """``text`` cut after ``limit`` characters, at a space when one is near the cut."""
    if len(text) <= limit:
        return text
    cut = text[:limit]
    space = cut.rfind(" ")
    return (cut[:space] if space > limit * 3 // 4 else cut).rstrip() + _ELLIPSIS


def _short(message: str) -> str:
    """``message`` on one line, its quotes and words longer than ``QUOTE_LIMIT`` cut, and
    at most about ``MESSAGE_LIMIT`` (a cycle of sixty orders) with its advice (after the
    last "; ") kept."""
    if "\n" in message or "\r" in message:
        message = " ".join(message.splitlines())
    # what a message quotes may hold an ESC (Graphviz quotes a block's text) or a bidi
    # override: shown as an escape, never sent to a terminal, which would act on it
    message = _UNSHOWN.sub(_escape, message)
    if len(message) <= QUOTE_LIMIT:
        return message
    message = _LONG_QUOTE.sub(lambda m: f"'{_clip(m.group(1))}'", message)
    message = _LONG_WORD.sub(lambda m: _clip(m.group(0)), message)
    if len(message) <= MESSAGE_LIMIT:
        return message
    head, separator, advice = message.rpartition("; ")
    if separator and len(advice) < MESSAGE_LIMIT // 2:
        return _clip(head, MESSAGE_LIMIT - len(advice) - 2) + separator + advice
    return _clip(message, MESSAGE_LIMIT)


class Suggester:
    """Did-you-mean over a fixed pool of names, case ignored. A small pool is compared whole
    (difflib); a large one is indexed by single-character deletions (SymSpell), so a lookup
    costs about the length of the word, and only names one typo away are suggested. Of two
    names equally close, none is suggested: a guess is worse than no hint."""

    _SMALL = 64

    def __init__(self, candidates: Iterable[str]) -> None:
        self._by_upper: dict[str, str] = {c.upper(): c for c in sorted(set(candidates))}

    @cached_property
    def _deletions(self) -> dict[str, set[str]] | None:
        """Made at the first hint: a build with nothing misspelt never needs it."""
        if len(self._by_upper) <= self._SMALL:
            return None
        index: dict[str, set[str]] = defaultdict(set)
        for upper in self._by_upper:
            for variant in _deletions(upper):
                index[variant].add(upper)
        return index

    def hint(self, word: str, exclude: Iterable[str] = ()) -> str:
        """``"; did you mean X?"``, or ``""``."""
        target = word.upper()
        skip = {e.upper() for e in exclude}
        if target in self._by_upper and self._by_upper[target] == word:
            skip.add(target)  # the word itself is known: nothing to suggest
        index = self._deletions
        if index is None:
            pool: Iterable[str] = self._by_upper
        else:
            pool = {c for v in _deletions(target) for c in index.get(v, ())}
        scored = sorted(
            ((difflib.SequenceMatcher(None, target, c).ratio(), c) for c in pool if c not in skip),
            reverse=True,
        )
        if not scored or scored[0][0] < 0.6 or (len(scored) > 1 and scored[1][0] == scored[0][0]):
            return ""
        return f"; did you mean {self._by_upper[scored[0][1]]}?"


def _deletions(word: str) -> set[str]:
    return {word} | {word[:i] + word[i + 1 :] for i in range(len(word))}


def did_you_mean(word: str, candidates: Iterable[str]) -> str:
    """``"; did you mean X?"`` for the one closest candidate, or ``""``."""
    return Suggester(candidates).hint(word)


def sort_key(diagnostic: Diagnostic) -> tuple[str, int, str, str]:
    return (diagnostic.file, diagnostic.line, diagnostic.code, diagnostic.message)
