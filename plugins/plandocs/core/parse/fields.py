"""Field names and values as writers spell them, normalised.

Pure functions over strings: each returns the canonical value, or ``None`` with the
reason left to the caller to report (see ``parse.documents``).
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable, Mapping
from datetime import date
from functools import lru_cache
from typing import TYPE_CHECKING

from plandocs.core.diagnostics import shown

if TYPE_CHECKING:  # core.settings reads this module's field table
    from plandocs.core.settings import Settings

PRIORITIES: tuple[str, ...] = ("critical", "high", "medium", "low")
STATUSES = ("planned", "pending", "ready", "in_progress", "blocked", "review", "done", "cancelled")
FINISHED = frozenset({"done", "cancelled"})


def synonyms(groups: dict[str, tuple[str, ...]]) -> dict[str, str]:
    """Each word -> the value it stands for: a value's other spellings, and the value itself."""
    return {word: value for value, words in groups.items() for word in (value, *words)}


_PRIORITY_WORDS = synonyms(
    {
        "critical": ("p0", "urgent", "blocker"),
        "high": ("p1",),
        "medium": ("p2", "normal"),
        "low": ("p3",),
    }
)

_STATUS_WORDS = synonyms(
    {
        "planned": ("draft", "proposed", "backlog"),
        "pending": ("todo", "to do", "open", "new", "not started", "assigned"),
        "ready": (),
        "in_progress": (
            "in progress",
            "in-progress",
            "inprogress",
            "wip",
            "active",
            "started",
            "ongoing",
        ),
        "blocked": ("on hold", "waiting"),
        "review": ("in review", "under review"),
        "done": ("complete", "completed", "finished", "closed", "resolved", "merged"),
        # Backlog.md's "Won't Do" (the apostrophe splits the words)
        "cancelled": (
            "canceled",
            "dropped",
            "abandoned",
            "wontfix",
            "won t do",
            "wont do",
            "won t fix",
        ),
    }
)

# Field names as writers and other tools spell them (lower-case, parenthesised remarks
# dropped; "_", "-" and blanks are one: ``depends_on`` is ``depends on``). A project adds its
# own with the ``field_aliases`` option; Backlog.md's keys are here (``assignee``,
# ``milestone``, ``parent_task_id``).
FIELD_NAMES = synonyms(
    {
        "id": ("order id", "order_id"),
        "title": (),
        "owner": ("to", "assignee", "assignees", "assigned to"),
        "issuer": ("from", "issued by"),
        "priority": (),
        "status": (),
        "phase": ("checkpoint", "cp", "cp mapping", "cp phase", "milestone"),
        "parent": ("parent task", "parent task id", "parent id"),
        "depends_on": ("dependencies", "dependency", "depends on", "depends", "blocked by"),
        "blocks": ("blocking",),
        "timeline": ("estimate", "duration", "sla"),
        # dates the schedule reads: when work may start, when it is due, and when the order
        # was written (the schedule's first day when no ``schedule_start`` is set)
        "start": ("start date", "starts"),
        "due": ("due date", "deadline"),
        "created": ("created at", "created on"),
        "file": (),
        "adrs": ("adr", "related adrs", "related_adrs"),
        "date": (),
        "supersedes": (),
        "superseded_by": ("superseded by",),
        "type": (),
        "aliases": ("alias", "redirect from"),
    }
)

_PAREN = re.compile(r"\s*\([^)]*\)")
# What plain() reads: a run of backticks, a backslash escape, a run of emphasis marks.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_MARKS = re.compile(r"[`\\*_~]")
_INLINE = re.compile(r"`+|\\[!-/:-@\[-`{-~]|\*+|_+|~+")
_WORD = re.compile(r"[A-Za-z][A-Za-z0-9_-]*")
_NONE_WORDS = frozenset({"none", "n/a", "na", "-", "\u2014", "nothing", "no", "no dependencies"})
_ADR_REF = re.compile(r"(?i)(?<![A-Za-z0-9])adr[-_ ]?0*([0-9]+)")


#: Every field a name can stand for (the values of ``field_aliases``).
FIELDS = tuple(sorted(set(FIELD_NAMES.values())))
_SEPARATORS = re.compile(r"[-_\s]+")


@lru_cache(maxsize=4096)  # a project writes a few dozen keys, on every order
def field_key(raw: str) -> str:
    """A field name as it is looked up: ``"Depends_On (CP3 only)"`` -> ``"depends on"``."""
    key = _PAREN.sub("", raw).strip().rstrip(":").strip().lower()
    return _SEPARATORS.sub(" ", key).strip()


_KNOWN = {field_key(name): value for name, value in FIELD_NAMES.items()}


def field_name(raw: str, aliases: Mapping[str, str] | None = None) -> str | None:
    """``"Scope (CP3 portion only)"`` -> None, ``"CP Mapping"`` -> ``"phase"``; a project's
    ``aliases`` (``field_aliases``) come first."""
    key = field_key(raw)
    if aliases:
        for alias, name in aliases.items():
            if field_key(alias) == key:
                return name
    return _KNOWN.get(key)


def plain(text: str) -> str:
    """``text`` as Markdown shows it, on one line: code spans, emphasis and strikethrough
    marks (``**Fix**``, ``` `a*b` ```, ``~~old~~``) and backslash escapes dropped, every
    other character kept (``Fix a*b*c``, ``Use C++ * pointers``, ``snake_case``).
    One pass (a stack per mark, not Markdown's full rules), so a long field costs its length.
    """
    text = _CONTROL.sub(" ", text)  # a control character is no part of a field's text
    if not any(mark in text for mark in "`\\*_~"):
        return " ".join(text.split())
    out: list[str] = []
    openers: dict[str, list[tuple[int, int]]] = {}  # mark -> (index in out, count) open
    tokens = list(_INLINE.finditer(text))
    closing_ticks = _code_span_ends(tokens)
    done = 0
    for match in tokens:
        start, end = match.span()
        if start < done:  # inside a code span already taken
            continue
        out.append(text[done:start])
        done = end
        run = match.group()
        if run[0] == "`":
            close = closing_ticks.get((start, len(run)))
            if close is None:
                out.append(run)
            else:
                out.append(_code_text(text[end:close]))
                done = close + len(run)
        elif run[0] == "\\":
            out.append(run[1])
        elif run[0] == "~" and len(run) != 2:
            out.append(run)
        else:
            _emphasis(text, start, end, out, openers.setdefault(run[0], []))
    out.append(text[done:])
    return " ".join("".join(out).split())


def as_written(text: str) -> str:
    """Text that is not Markdown (a frontmatter ``title``, which MkDocs shows as written)
    with the marks ``plain`` reads escaped, so that ``plain`` gives it back as written:
    ``__init__`` and ``2 * 3`` stay."""
    return _MARKS.sub(r"\\\g<0>", text)


def _code_span_ends(tokens: list[re.Match[str]]) -> dict[tuple[int, int], int]:
    """Each backtick run that opens a code span, as (start, length), and where the run that
    closes it starts: the next run of the same length (CommonMark's rule). An escaped
    backtick is an escape token, not a run."""
    ends: dict[tuple[int, int], int] = {}
    waiting: dict[int, int] = {}  # length -> start of the run waiting for its close
    for start, length in ((m.start(), len(m.group())) for m in tokens if m.group()[0] == "`"):
        opened = waiting.pop(length, None)
        if opened is None:
            waiting[length] = start
        else:
            ends[(opened, length)] = start
    return ends


def _code_text(code: str) -> str:
    """A code span's text: one space each side is dropped when both are there."""
    if len(code) > 2 and code[0] == code[-1] == " " and code.strip():
        return code[1:-1]
    return code


def _emphasis(
    text: str, start: int, end: int, out: list[str], openers: list[tuple[int, int]]
) -> None:
    """A run of ``*``, ``_`` or ``~~`` at ``text[start:end]``: dropped where it closes an
    open run of its mark (and that run with it), held open where it starts a word, kept
    as text otherwise."""
    before = text[start - 1] if start else " "
    after = text[end] if end < len(text) else " "
    word = "_"  # a mark beside a letter or digit is inside a word: a*b*c, snake_case
    can_close = not before.isspace() and not (after.isalnum() or after == word)
    can_open = not after.isspace() and not (before.isalnum() or before == word)
    count = end - start
    if can_close:
        while count and openers:
            index, opened = openers.pop()
            used = min(count, opened)
            count -= used
            out[index] = out[index][: opened - used]
            if opened > used:
                openers.append((index, opened - used))
    if count and can_open and count == end - start:
        openers.append((len(out), count))
    out.append(text[start] * count)


# "Not done", "partially done", "not critical" say the opposite of the word they contain.
_NEGATIONS = frozenset({"not", "no", "non", "never", "partially", "partly", "almost", "nearly"})


def is_negated(text: str) -> bool:
    return any(w.lower() in _NEGATIONS for w in _WORD.findall(plain(text)))


def _lookup(text: str, table: dict[str, str]) -> str | None:
    words = [w.lower() for w in _WORD.findall(plain(_PAREN.sub("", text)))]
    # Longest phrase first, so "in progress" wins over "in".
    for size in (3, 2, 1):
        for start in range(len(words) - size + 1):
            hit = table.get(" ".join(words[start : start + size]))
            if hit:
                return None if start and words[start - 1] in _NEGATIONS else hit
    return None


def priority(text: str) -> str | None:
    """``"🔴 **CRITICAL**"`` -> ``"critical"``; ``None`` when no known word is there."""
    return _lookup(text, _PRIORITY_WORDS)


def status(text: str) -> tuple[str | None, str | None]:
    """``"Pending (blocked by ORDER-X)"`` -> ``("pending", "blocked by ORDER-X")``."""
    note_match = re.search(r"\(([^)]*)\)", text)
    note = plain(note_match.group(1)) if note_match else None
    return _lookup(text, _STATUS_WORDS), note or None


def owner(text: str) -> tuple[str | None, str | None]:
    """``"wrk-3 (Router Core)"`` -> ``("wrk-3", "Router Core")``."""
    head, label = _remark(plain(text).lstrip("@"))
    return (slug(head) if head else None), label


def _remark(text: str) -> tuple[str, str | None]:
    """``text`` without its bracketed remark, and the remark, which runs to the last ")":
    "wrk-1 (Core (EU))" keeps its inner brackets."""
    before, _, rest = text.partition("(")
    inside, closed, after = rest.rpartition(")")
    return (f"{before} {after}".strip(), inside.strip()) if closed else (text.strip(), None)


def _outside_brackets(text: str) -> list[str]:
    """``text`` split at each comma outside brackets, brackets counted: in
    ``"wrk-1 ((,()"`` the comma is inside, so it names one person, as ``owner`` reads it
    (a lookahead for the next ")" split it there, and the page heading showed "((" twice)."""
    parts, start, depth = [], 0, 0
    for index, char in enumerate(text):
        if char == "(":
            depth += 1
        elif char == ")":
            depth = max(depth - 1, 0)
        elif char == "," and depth == 0:
            parts.append(text[start:index])
            start = index + 1
    return [*parts, text[start:]]


def owner_names(items: Iterable[str]) -> list[str]:
    """Each person a field names, as written, ``@`` dropped and a bracketed remark left
    out: ``["@alice", "@bob"]`` and ``"@bob,@carol"`` (Backlog.md 1.27 writes several
    assignees as one value) -> each name; ``"wrk-3 (Router Core, EU)"`` -> ``["wrk-3"]``."""
    names: list[str] = []
    for item in items:
        for part in _outside_brackets(plain(item)):
            name = _remark(part)[0].lstrip("@").strip()
            if name and name not in names:
                names.append(name)
    return names


#: the longest slug kept whole: a file name holds 255 bytes, and a letter up to four
_SLUG_MOST = 48


def slug(text: str) -> str:
    """A file-name-safe ID in any script: ``"Иван Петров"`` -> ``"иван-петров"``. A long
    one keeps its start and a digest of the whole, so two long names stay two pages."""
    made = re.sub(r"[\W_]+", "-", text.lower()).strip("-") or "unnamed"
    if len(made) <= _SLUG_MOST:
        return made
    digest = hashlib.sha256(made.encode("utf-8")).hexdigest()[:10]
    return f"{made[: _SLUG_MOST - 11].rstrip('-')}-{digest}"


def as_items(value: object) -> list[str]:
    """A frontmatter value or field text as a list of strings; a value that is no text is
    written as YAML writes it (``true``, ``{a: 1}``), never as Python shows it."""
    if value is None:
        return []
    if isinstance(value, (list, tuple)):
        return [shown(v) for v in value if v is not None]
    return [shown(value)]


def is_none(text: str) -> bool:
    words = plain(text).strip().rstrip(".").lower()
    return words in _NONE_WORDS or words.startswith(("none ", "none(", "none,", "none."))


def order_refs(
    items: Iterable[str], settings: Settings
) -> tuple[tuple[str, ...] | None, tuple[str, ...]]:
    """Order IDs named in ``items`` and the items that name none. ``ids`` is ``None`` when
    the items neither name an order nor say "none": "All Router work" declares no edges."""
    ids: list[str] = []
    notes: list[str] = []
    said_none = False
    items = list(items)
    for item in items:
        found = [m.group(0) for m in settings.order_id_re.finditer(item)]
        if found:
            ids.extend(f for f in found if f not in ids)
        elif is_none(item):
            said_none = True
        elif plain(item):
            notes.append(plain(item))
    if ids or said_none or not items:
        return tuple(ids), tuple(notes)
    return None, tuple(notes)


def adr_id(text: str, width: int) -> str | None:
    """``"ADR-6: NATS"``, ``"adr-006-nats.md"``, ``"docs/adr/ADR-006.md"`` -> ``"ADR-006"``."""
    match = _ADR_REF.search(text.rsplit("/", 1)[-1])
    if not match:
        return None
    return f"ADR-{int(match.group(1)):0{width}d}"


def adr_ids(text: str, width: int) -> list[str]:
    """Every ADR named in a text, in order: ``"Superseded by ADR-2 and ADR-003"``."""
    return list(dict.fromkeys(f"ADR-{int(m.group(1)):0{width}d}" for m in _ADR_REF.finditer(text)))


def phases_in(text: str, settings: Settings) -> list[str]:
    return list(dict.fromkeys(m.group(0) for m in settings.phase_re.finditer(text)))


def phase_of_id(order_id: str, settings: Settings) -> str | None:
    """The phase an order ID names: ``ORDER-WRK-3-CP2-001`` -> CP2, ``...-CP2-LC-001`` -> CP2-LC.

    A suffix of one or two letters (``ORDER-WRK-4-CP3-GW-001``) is usually a task code, so it
    counts only when it is a configured state or a phase with a title."""
    match = re.search(rf"(?:^|-)({settings.phase_pattern})(?=-|$)", order_id)
    if match is None:
        return None
    phase = match.group(1)
    base, _, suffix = phase.partition("-")
    task_code = 0 < len(suffix) < 3 and suffix not in settings.phase_states
    return base if task_code and phase not in settings.phase_titles else phase


def as_text(value: object) -> str | None:
    """A frontmatter value or field items as one text (see ``as_items``)."""
    if value is None:
        return None
    if isinstance(value, (list, tuple)):
        return ", ".join(shown(v) for v in value)
    return shown(value).strip() or None


_DATE = re.compile(r"(?<![0-9])([0-9]{4})-([0-9]{2})-([0-9]{2})(?![0-9])")


def calendar_date(text: str | None) -> date | None:
    """``"2025-02-03"`` (or ``2025-02-03T10:00``, ``due 2025-02-03``) -> that date; ``None``
    for no text. ``ValueError`` for text with no valid YYYY-MM-DD date in it."""
    if not text or not plain(text):
        return None
    match = _DATE.search(text)
    if match is None:
        raise ValueError("holds no date")
    try:
        return date(*(int(part) for part in match.groups()))
    except ValueError as exc:
        raise ValueError(f"is not a date ({exc})") from None
