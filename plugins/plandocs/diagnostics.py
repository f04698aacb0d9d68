"""Findings about planning data: one registry of stable codes, one record type.

The core never logs. Every function that can find a problem returns Diagnostic
objects; the MkDocs adapter logs them through the plugin logger (so
``mkdocs build --strict`` fails) and the CLI prints them.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable
from dataclasses import dataclass
from enum import Enum


class Level(str, Enum):
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


def _code(name: str, level: Level, summary: str) -> Code:
    return Code(name, level, summary)


# The registry. Codes are part of the product's interface: never rename one.
UNREADABLE_FILE = _code("unreadable-file", Level.ERROR, "a Markdown file is not text")
EMPTY_FILE = _code("empty-file", Level.WARNING, "a Markdown file is empty")
YAML_ERROR = _code("yaml-error", Level.ERROR, "frontmatter YAML does not parse")
BAD_FRONTMATTER = _code("bad-frontmatter", Level.ERROR, "frontmatter is not a mapping")
BAD_FIELD = _code("bad-field", Level.WARNING, "a field has a value of the wrong shape")
UNKNOWN_VALUE = _code("unknown-value", Level.WARNING, "a priority or status is not known")
MISSING_ID = _code("missing-id", Level.WARNING, "an order file declares no order ID")
DUPLICATE_ID = _code("duplicate-id", Level.ERROR, "two files declare the same ID")
DUPLICATE_ADR_NUMBER = _code("duplicate-adr-number", Level.WARNING, "two ADR files share a number")
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
    "supersession-mismatch", Level.WARNING, "two ADRs disagree about which supersedes which"
)
LANGUAGE_VARIANT = _code("language-variant", Level.INFO, "a translation of an order's page")
PATH_CLASH = _code("path-clash", Level.ERROR, "two files would publish at the same site path")

ALL_CODES: tuple[Code, ...] = (
    UNREADABLE_FILE,
    EMPTY_FILE,
    YAML_ERROR,
    BAD_FRONTMATTER,
    BAD_FIELD,
    UNKNOWN_VALUE,
    MISSING_ID,
    DUPLICATE_ID,
    DUPLICATE_ADR_NUMBER,
    UNKNOWN_REF,
    CYCLE,
    DONE_DEPENDS_ON_OPEN,
    SUMMARY_CONFLICT,
    SUPERSEDED_WITHOUT_SUCCESSOR,
    SUPERSESSION_MISMATCH,
    LANGUAGE_VARIANT,
    PATH_CLASH,
)


@dataclass(frozen=True, order=True)
class Diagnostic:
    """One finding. ``file`` is relative to the project root; ``line`` is 1-based, 0 for the
    whole file."""

    file: str
    line: int
    code: str
    level: Level
    message: str

    def format(self) -> str:
        where = f"{self.file}:{self.line}" if self.line else self.file
        return f"{where}: {self.message} [{self.code}]"

    def as_json(self) -> dict[str, object]:
        return {
            "code": self.code,
            "level": self.level.value,
            "file": self.file,
            "line": self.line,
            "message": self.message,
        }


def make(code: Code, file: str, line: int, message: str) -> Diagnostic:
    return Diagnostic(file=file, line=line, code=code.id, level=code.level, message=message)


def did_you_mean(word: str, candidates: Iterable[str]) -> str:
    """Return ``"; did you mean X?"`` for the one closest candidate, or ``""``.

    Case is ignored. When two candidates are equally close (ADR-009 is as near to ADR-001 as
    to ADR-003) a suggestion would be a guess, so none is made.
    """
    scored = []
    for candidate in set(candidates):
        matcher = difflib.SequenceMatcher(None, word.upper(), candidate.upper())
        if matcher.real_quick_ratio() >= 0.6 and matcher.quick_ratio() >= 0.6:
            scored.append((matcher.ratio(), candidate))
    scored.sort(reverse=True)
    if not scored or scored[0][0] < 0.6 or (len(scored) > 1 and scored[1][0] == scored[0][0]):
        return ""
    return f"; did you mean {scored[0][1]}?"


def sort_key(diagnostic: Diagnostic) -> tuple[str, int, str, str]:
    return (diagnostic.file, diagnostic.line, diagnostic.code, diagnostic.message)
