"""Architecture decision records: which files are ADRs, and what each one says.

Teams write ADRs in a handful of shapes, and each is read here without configuration:

- Nygard / adr-tools: ``# 1. Title``, a ``Date: 2017-06-30`` line, a ``## Status`` section
  whose lines are the status and typed links (``Superseded by [4. Use MySQL](0004-...)``,
  ``Amends [...]``, any type ``adr new -l`` makes), and the npm adr-tools variant whose
  status lines carry a date (``2024-01-02 accepted``, newest last);
- MADR 2 and log4brains: ``* Status: accepted`` / ``- Date: ...`` / ``* Deciders: ...``
  bullets under the title, with or without bold, and a ``## Links`` section;
- MADR 3 and 4: frontmatter ``status``, ``date``, ``decision-makers`` (or ``deciders``),
  ``consulted``, ``informed``; ``status: "superseded by ADR-0019"``;
- bold and blockquoted lines (``> **Status**: Accepted``, ``**Accepted** (2025-11-20)``).

A relation is typed by the words before its link, whatever the link text says; a link to
an ADR file names that file's ADR, which ``graph.seal`` resolves (it knows every file).
Nothing here looks at other files.
"""

from __future__ import annotations

import datetime
import posixpath
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import PurePosixPath
from urllib.parse import unquote

from plandocs.core import diagnostics as diag
from plandocs.core.diagnostics import Diagnostic
from plandocs.core.model import Adr, AdrRelation, SourceDoc
from plandocs.core.parse import fields
from plandocs.core.parse.blocks import HEADING, first_heading, hidden_mask
from plandocs.core.parse.frontmatter import Frontmatter
from plandocs.core.settings import Settings

#: Statuses an ADR may have, besides those of a project's ``adr_statuses``.
ADR_STATUSES = (
    "draft",
    "proposed",
    "pending",
    "on_hold",
    "approved",
    "accepted",
    "done",
    "rejected",
    "deprecated",
    "partly_superseded",
    "superseded",
)
#: Decisions in force: a bare number means one of these before any other file of that number.
IN_FORCE = frozenset({"accepted", "approved", "done"})
#: Statuses that already say a newer decision took this one's place, wholly or partly.
REPLACED = frozenset({"superseded", "deprecated", "partly_superseded"})

_STATUS_WORDS = {
    **{s.replace("_", " "): s for s in ADR_STATUSES},
    "on-hold": "on_hold",
    "onhold": "on_hold",
    "partly-superseded": "partly_superseded",
    "partially superseded": "partly_superseded",
    "superceded": "superseded",
    "replaced": "superseded",
    "obsolete": "deprecated",
}

SUPERSEDES = "supersedes"
SUPERSEDED_BY = "superseded by"
#: Relation types as writers spell them -> the type plandocs shows. A type not here is kept
#: as written (lower case): ``adr new -l`` makes any type a team names.
_RELATION_KINDS = fields.synonyms(
    {
        SUPERSEDES: ("supercedes", "replaces"),
        SUPERSEDED_BY: ("superceded by", "replaced by", "superseded", "superseded_by"),
        "relates to": ("related to", "related", "related adrs", "see also"),
        **dict.fromkeys(("amends", "clarifies", "refines", "extends", "depends on"), ()),
        **dict.fromkeys(("amended by", "clarified by", "refined by", "extended by"), ()),
    }
)

#: Folder names that say "decision records", compared without case.
ADR_FOLDERS = frozenset(
    {
        "adr",
        "adrs",
        "decisions",
        "architecture-decisions",
        "architecture-decision-records",
        "decision-records",
        "decision-log",
    }
)
#: Files in an ADR folder that are about the ADRs, not ADRs.
_NOT_ADR_STEMS = frozenset({"readme", "index", "toc", "template", "summary", "overview"})

# Backlog.md's `backlog decision create` names its ADRs "decision-1 - Use-Bun.md"
_NUMBERED_NAME = re.compile(r"(?:(?i:decision)-)?(?P<number>[0-9]+)(?:[-_ .](?P<slug>.*))?\.md")
# and its ADRs name each other "decision-1" (a status "superseded by decision-1")
_DECISION_REF = re.compile(r"(?i)\bdecision-0*([0-9]+)\b")
# pyadr names a proposal XXXX-title.md until it is accepted and numbered
_UNNUMBERED_NAME = re.compile(r"[Xx]{3,}[-_ .](?P<slug>.+)\.md")
_HEADING_NUMBER = re.compile(
    r"^\s*(?:(?i:adr)[-_ ]?0*(?P<adr>[0-9]+)\s*(?:[:\u2014\u2013.-]\s*|\s+|$)"
    r"|\[?(?i:adr)[-_ ]?0*(?P<bracket>[0-9]+)\]\s*"
    r"|0*(?P<plain>[0-9]+)\s*(?:[.:\u2014\u2013]|\s-)\s+)"
)
# PyPI `adr` 0.5.0 (adrpy) gives each ADR a UUID (`id: 9ffc1a72-...`) and writes the ADRs
# one supersedes, or is superseded by, as those UUIDs
_UUID = re.compile(r"[0-9a-f]{8}-(?:[0-9a-f]{4}-){3}[0-9a-f]{12}", re.IGNORECASE)
_COMMENT = re.compile(r"<!--.*?-->", re.DOTALL)
# A link's text and target stop at a bracket (and the target at a blank): a line of "[]("
# or "[[a" that never closes is read once, not again from each "[" to its end.
_LINK = re.compile(r"!?\[(?P<text>[^\[\]]*+)\]\((?P<target>[^()\[\]\s]*+)(?:\s+\"[^\"]*\")?\)")
# "> - **Status**: Accepted", "* Deciders: a, b", "Date: 2017-06-30", "**Status:** draft"
_META_LINE = re.compile(
    r"^[ \t]{0,3}(?:>[ \t]?)*(?:[-*+][ \t]+)?"
    r"(?:(?:\*\*|__)(?P<bold>[^*_\n:]{1,40}?)(?:(?:\*\*|__)[ \t]*:|:[ \t]*(?:\*\*|__))"
    r"|(?P<key>[A-Za-z][A-Za-z _-]{0,39}?)[ \t]*:)"
    # the value up to its trailing blanks, each run of blanks taken once (as documents._VALUE)
    r"[ \t]*(?P<value>(?:[^ \t]|[ \t]++(?=[^ \t]))*+)[ \t]*$"
)
# "Superseded by [4. Use MySQL](0004-use-mysql.md)", "* Amends: [ADR-3](0003-x.md)"; each
# run of blanks taken once (possessive), or a line of blanks that never reaches "[" was split
# among them every way there is (cubic: 2 s at 400 blanks)
_LINK_LINE = re.compile(
    r"^[ \t]{0,3}(?:>[ \t]?)*(?:[-*+][ \t]+)?(?:\*\*|__)?"
    r"(?P<kind>[A-Za-z][A-Za-z_ -]{0,40}?)(?:\*\*|__)?[ \t]*+:?[ \t]*+(?:\*\*|__)?[ \t]*+"
    r"(?P<links>\[.*)$"
)
# "Supersedes ADR-0002." in prose: a known type, then the ADR it names
_REF_LINE = re.compile(
    r"^[ \t]{0,3}(?:>[ \t]?)*(?:[-*+][ \t]+)?(?P<kind>[A-Za-z][A-Za-z ]{0,30}?)(?:[ \t]*+:)?[ \t]++"
    r"(?P<links>(?i:adr)[-_ ]?[0-9]+\b.*)$"
)
# "**Accepted** (2025-11-20)" on a line of its own
_BOLD_STATUS = re.compile(r"^[ \t]{0,3}(?:>[ \t]?)*(?:\*\*|__)(?P<word>[^*_\n]{1,30})(?:\*\*|__)")
# "2023-05-03 accepted", and a status history's table row "| 2023-05-03 | Accepted |"
DATED_LINE = re.compile(
    r"^[ \t]*(?:\|[ \t]*)?[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}[ \t]*(?:\|[ \t]*)?[A-Za-z]"
)
#: "superseded by ADR-0019" in a status value: the type, then the text that names the ADR
_SUCCESSOR = re.compile(
    r"(?i)\b(superseded|superceded|replaced|amended|clarified|refined|extended)\s+by\b"
    r"[ \t:]*(.*)"
)
#: a status a heading holds, "## Status: Accepted" (matched on the heading's text)
HEADING_STATUS = re.compile(r"(?i)status\s*[:\u2014\u2013-]\s*(?P<value>\S.*)")
_TABLE_ROW = re.compile(r"[ \t]{0,3}\|")  # a table's row opens with a pipe
_DATE = re.compile(r"(?<![0-9])([0-9]{4})-([0-9]{1,2})-([0-9]{1,2})(?![0-9])")
_WORD = re.compile(r"[A-Za-z][A-Za-z0-9_-]*")
# Hand-written status lines that name a status which is not the ADR's: "- [ ] Rejected" in a
# checklist of statuses ("- [x] Accepted" is the one ticked), "~~Proposed~~ Accepted" (the
# struck word is the old one), and the key of "Status: Accepted" under a "## Status" heading
_UNTICKED = re.compile(r"^[ \t>]*(?:[-*+][ \t]+)?\[ \][ \t]")
_TICK = re.compile(r"^[ \t>]*(?:[-*+][ \t]+)?\[[xX]\][ \t]*")
_STRUCK = re.compile(r"~~[^~\n]*~~")
_STATUS_KEY = re.compile(r"(?i)^\W*status\W*:\W*")
_ARROW = re.compile(r"\s(?:->|=>|\u2192)\s")
# "[list everyone involved]", "{YYYY-MM-DD}", and log4brains' "[draft | ... | superseded by
# [xxx](yyyymmdd-xxx.md)]", which holds a link; never a link itself ("[ADR-5](0005-x.md)").
# A link's target stops at a bracket or blank, so a line of "[a](" is read once, not again
# from each of them; possessive, so "[a](b)" is never read again as "[a]" then "(b)" (a line
# of them that never closes took twice as long with each).
_PLACEHOLDER = re.compile(
    r"^\s*(?:\[(?:[^\[\]]|\[[^\[\]]*+\](?:\([^()\[\]\s]*+\))?+)*+\](?!\()|\{[^}]*\})\s*$"
)

_META_KEYS = fields.synonyms(
    {
        "status": ("state",),
        "date": ("decision date", "last updated"),
        "deciders": ("decision makers", "decision-makers", "decided by", "decider"),
        "consulted": (),
        "informed": (),
    }
)


Report = Callable[[diag.Code, int, str], None]


def in_adr_folder(path: str) -> bool:
    """Whether one of the folders holding ``path`` is named like a folder of ADRs."""
    return any(part.lower() in ADR_FOLDERS for part in path.split("/")[:-1])


def is_adr(path: str, meta: dict[str, object], settings: Settings) -> bool:
    """``type: adr``, a name like ``ADR-016-x.md``, or ``0001-x.md`` in an ADR folder."""
    if str(meta.get("type", "")).strip().lower() == "adr":
        return True
    name = posixpath.basename(path)
    if settings.adr_file_re.fullmatch(name):
        return True
    return in_adr_folder(path) and (
        _numbered(name) is not None or _UNNUMBERED_NAME.fullmatch(name) is not None
    )


# "Status: Accepted", "* **Status**: draft", "## Status": a file that says its status
_STATUS_SAID = re.compile(
    r"(?i)^(?:[ \t]{0,3}(?:>[ \t]?)*(?:[-*+][ \t]+)?(?:\*\*|__)?status(?:\*\*|__)?[ \t]*:"
    r"|#{1,6}[ \t]+status\b)"
)


def looks_like_adr(
    path: str,
    meta: dict[str, object],
    lines: list[str],
    in_code: list[bool],
    extra: Sequence[str] = (),
) -> bool:
    """A file in a folder of ADRs that gives a status, whatever its name (``use-redis.md``,
    ``ADR 0002 - Use Redis.md``): an ADR named in a way plandocs does not know, which is
    read as one (numbered by its heading or ``id``, else reported) rather than published as
    a plain page without a word. The status is one ``status_of`` knows (or ``extra``, a
    project's own): a page about ADRs has a "## Status" section that describes statuses.
    README, index and template files are not."""
    stem = posixpath.basename(path).rsplit(".", 1)[0].lower()
    if not in_adr_folder(path) or stem in _NOT_ADR_STEMS or "template" in stem:
        return False
    if any(
        str(key).lower() == "status" and status_of(_meta_text(value), extra)
        for key, value in meta.items()
    ):
        return True
    section = False  # in a "## Status" section
    for line, code in zip(lines, in_code, strict=True):
        if code:
            continue
        heading = HEADING.match(line)
        if heading:
            section = _STATUS_SAID.match(line) is not None
            if section and status_of(heading.group("text"), extra):  # "## Status: Accepted"
                return True
        elif (section or _STATUS_SAID.match(line)) and status_of(line, extra):
            return True
    return False


def is_template(path: str) -> bool:
    """An ADR tool's template in an ADR folder (``adr-template.md``, ``template.md``): its
    frontmatter holds placeholders (MADR 3's ``status: {proposed | ...}`` is not YAML), so
    what is wrong with it is the tool's, not the team's."""
    return in_adr_folder(path) and "template" in posixpath.basename(path).lower()


def _numbered(name: str) -> int | None:
    """The number of ``0001-title.md`` (not of README, index or template files)."""
    match = _NUMBERED_NAME.fullmatch(name)
    if match is None:
        return None
    slug = (match.group("slug") or "").lower()
    if slug in _NOT_ADR_STEMS or "template" in slug:
        return None
    return int(match.group("number"))


def _name_date(name: str) -> str | None:
    """log4brains names ADRs by day (``20240131-title.md``, some teams ``2024-01-31-...``):
    the day, or None."""
    match = re.match(r"([0-9]{4})-?([0-9]{2})-?([0-9]{2})[-_]", name)
    if not match:
        return None
    try:
        day = datetime.date(*(int(part) for part in match.groups()))
    except ValueError:
        return None
    return day.isoformat() if 1970 <= day.year <= 2100 else None


def status_of(text: str, extra: Sequence[str] = ()) -> str | None:
    """The status a text opens with: ``"**Accepted** (2025-11-20)"`` -> ``"accepted"``,
    ``"2024-01-02 proposed"`` -> ``"proposed"``, ``"superseded by ADR-19"`` ->
    ``"superseded"``; a project's own words (``extra``) are kept as configured."""
    if _UNTICKED.match(text):
        return None
    text = _STATUS_KEY.sub("", fields.plain(_STRUCK.sub(" ", _TICK.sub("", text))))
    text = _ARROW.split(text)[-1]  # "Proposed -> Accepted": the last step is the status
    words = [w.lower() for w in _WORD.findall(_LINK.sub(" ", _DATE.sub(" ", text)))]
    custom = {" ".join(w.lower() for w in _WORD.findall(word)): word for word in extra}
    for size in (2, 1):  # "partly superseded" before "superseded"
        phrase = " ".join(words[:size])
        if len(words) >= size and (phrase in custom or phrase in _STATUS_WORDS):
            return custom[phrase] if phrase in custom else _STATUS_WORDS[phrase]
    return None


def relation_line(
    text: str, extra: Sequence[str] = (), *, any_kind: bool = True
) -> tuple[str, str] | None:
    """The type and the links of a relation line (``Superseded by [..](..)``), or None;
    ``any_kind`` (a status or links section) takes any words as the type, elsewhere only
    known types count."""
    match = _LINK_LINE.match(text)
    bare = match is None  # "Supersedes ADR-0002.": only a known type says that
    match = match or _REF_LINE.match(text)
    if match is None:
        return None
    kind = " ".join(match.group("kind").replace("_", " ").split()).lower()
    if kind not in _RELATION_KINDS and (
        bare or not any_kind or len(kind.split()) > 5 or status_of(kind, extra)
    ):
        return None  # "Accepted [see the PR](...)" is a status with a note
    return kind, match.group("links")


def section_status(text: str, extra: Sequence[str] = ()) -> str | None:
    """The status a line of a ``## Status`` section says, as the ADR's status is read from
    it: None for a relation line (``Superseded by [..](..)``) and a line of no known
    status."""
    text = _COMMENT.sub("", text)
    if not text.strip() or HEADING.match(text) or relation_line(text, extra):
        return None
    return status_of(text, extra)


def status_successor(text: str) -> tuple[str, str] | None:
    """``superseded by ADR-0019`` in a status value: the type, as plandocs names it
    (``superseded by``, ``amended by``), and the text after it, which names the successor;
    only what follows the type names it (``"Superseded (2024), see ADR-2; replaced by
    ADR-3"`` names ADR-3)."""
    said = _SUCCESSOR.search(text)
    return (_kind(f"{said.group(1)} by"), said.group(2)) if said else None


def written_status(text: str) -> str:
    """A status nobody defined, kept as written: its first words, without dates and notes
    (and the box of a ticked ``- [x] Frozen``)."""
    clean = _LINK.sub(" ", _DATE.sub(" ", fields.plain(_TICK.sub("", _COMMENT.sub("", text)))))
    head = re.split(r"[(;,\[]| - ", clean, maxsplit=1)[0]
    return " ".join(head.split()).strip(" .:") or fields.plain(text)


def date_in(text: str) -> str | None:
    """The first ``YYYY-MM-DD`` in a text, zero-padded."""
    match = _DATE.search(text)
    if match is None:
        return None
    year, month, day = match.groups()
    return f"{year}-{int(month):02d}-{int(day):02d}"


def names(value: object) -> tuple[str, ...]:
    """People as a list: a YAML list, or ``"Alice, Bob and Carol"``; placeholders dropped."""
    items = value if isinstance(value, (list, tuple)) else [value]
    out: list[str] = []
    for item in items:
        if item is None or isinstance(item, dict):
            continue
        text = _COMMENT.sub("", str(item))
        if _PLACEHOLDER.match(text):
            continue
        for part in re.split(r"\s*(?:[,;]|\band\b)\s*", fields.plain(text)):
            name = part.strip().lstrip("@")
            if name and name not in out:
                out.append(name)
    return tuple(out)


@dataclass
class _Found:
    """What one ADR file says, before its number and title are settled."""

    status_text: str | None = None
    status_line: int = 0
    date: str | None = None
    date_line: int = 0
    deciders: tuple[str, ...] = ()
    consulted: tuple[str, ...] = ()
    informed: tuple[str, ...] = ()


class _AdrReader:
    def __init__(
        self, doc: SourceDoc, settings: Settings, report: Report, lines: list[str]
    ) -> None:
        self.doc, self.settings, self.report, self.lines = doc, settings, report, lines
        self.relations: list[AdrRelation] = []

    # -- relations ------------------------------------------------------------------
    def relation(self, kind: str, target_text: str, line: int, field: str | None) -> None:
        """Every ADR a relation's text names: links (resolved by ``graph.seal``) first, then
        ``ADR-N`` words outside links."""
        width = self.settings.adr_id_width
        kind = _kind(kind)
        for link in _LINK.finditer(target_text):
            site_file = self.link_target(link.group("target"))
            if site_file is not None:
                self.add(AdrRelation(kind, None, site_file, line, field, link.group("text")))
            else:
                for ref in fields.adr_ids(link.group("text"), width):
                    self.add(AdrRelation(kind, ref, None, line, field, link.group("text")))
        rest = _LINK.sub(" ", target_text)
        for ref in fields.adr_ids(rest, width):
            self.add(AdrRelation(kind, ref, None, line, field, ref))
        for match in _DECISION_REF.finditer(rest):
            ref = f"ADR-{int(match.group(1)):0{width}d}"
            self.add(AdrRelation(kind, ref, None, line, field, match.group(0)))

    def add(self, relation: AdrRelation) -> None:
        if relation not in self.relations:
            self.relations.append(relation)

    def link_target(self, target: str) -> str | None:
        """The site path a relative link to a Markdown file points at, or None."""
        # %20 for a space, as MkDocs reads a link (and as "plandocs new adr" writes one)
        path = unquote(target.split("#", 1)[0])
        if not path.endswith(".md") or re.match(r"^[a-z][a-z0-9+.-]*:", path):
            return None
        if path.startswith("/"):
            return path.lstrip("/")
        joined = posixpath.normpath(posixpath.join(posixpath.dirname(self.doc.uri), path))
        return None if joined.startswith("../") else joined

    def link_line(self, text: str, line: int, *, any_kind: bool) -> bool:
        """Read ``Superseded by [..](..)``; ``any_kind`` (a status or links section) takes
        any words as the type, elsewhere only known types count."""
        said = relation_line(text, self.settings.adr_statuses, any_kind=any_kind)
        if said is None:
            return False
        self.relation(*said, line, None)
        return True

    # -- fields ---------------------------------------------------------------------
    def frontmatter(
        self, meta: dict[str, object], key_lines: dict[str, int], found: _Found
    ) -> None:
        for key, value in meta.items():
            normal = key.lower().replace("_", " ").replace("-", " ")
            line = key_lines.get(key, 1)
            name = _META_KEYS.get(normal)
            if name == "status" and value is not None:
                found.status_text, found.status_line = _meta_text(value), line
                self.status_relations(found.status_text, line)
            elif name == "date" and value is not None:
                found.date, found.date_line = _date_value(value), line
            elif name in ("deciders", "consulted", "informed"):
                setattr(found, name, names(value))
            elif normal in _RELATION_KINDS:
                self.frontmatter_relation(key, _RELATION_KINDS[normal], value, line)

    def frontmatter_relation(self, key: str, kind: str, value: object, line: int) -> None:
        width = self.settings.adr_id_width
        for item in _items(value):
            if fields.is_none(item):
                continue
            before = len(self.relations)
            if _LINK.search(item):
                self.relation(kind, item, line, key)
            elif _UUID.fullmatch(item.strip()):  # resolved by graph.seal, as a link is
                self.add(AdrRelation(kind, item.strip().lower(), None, line, key, item))
            elif item.strip().endswith(".md") and not fields.adr_ids(item, width):
                # a file name that says no ADR ID ("supersedes: 0002-use-kafka.md"), resolved
                # as a link to it is
                self.relation(kind, f"[{item.strip()}]({item.strip()})", line, key)
            else:
                # the first ADR the item names ("ADR-004: Erlang/OTP" is no path)
                for ref in fields.adr_ids(item, width)[:1]:
                    self.add(AdrRelation(kind, ref, None, line, key, item))
            if len(self.relations) == before:
                self.report(
                    diag.BAD_FIELD,
                    line,
                    f"'{item}' in '{key}' is not an ADR reference (like ADR-016)",
                )

    def status_relations(self, text: str, line: int) -> None:
        """``superseded by ADR-0019`` in a status value: only what follows the type names
        a successor (``"Superseded (2024), see ADR-2; replaced by ADR-3"`` names ADR-3)."""
        successor = status_successor(text)
        if successor:
            self.relation(*successor, line, None)
            return
        # "Accepted, supersedes ADR-0002", "Accepted (amends [ADR 2](0002-x.md))": a status
        # line written by hand names the older decision after its status word
        said = re.search(
            r"(?i)[,;(][ \t]*(supersedes|supercedes|replaces|amends|clarifies|refines|extends)"
            r"\b[ \t:]*(.*)",
            text,
        )
        if said:
            self.relation(said.group(1), said.group(2), line, None)

    def body(self, start: int, in_code: list[bool], found: _Found) -> None:
        """Field lines, status and links sections, and typed link lines of the body."""
        section: str | None = None
        status_lines: list[tuple[str, int]] = []
        header = True  # before the first "## " heading
        tables = _header_tables(self.lines, start, in_code)
        for index in range(start, len(self.lines)):
            if in_code[index]:
                continue
            for said in tables.get(index, ()):
                self.meta_line(said, index + 1, found)
            text = _COMMENT.sub("", self.lines[index])
            heading = HEADING.match(text)
            if heading:
                section = _section(heading, index + 1, status_lines)
                header = header and len(heading.group("hashes")) <= 1
            elif text.strip():
                self.body_line(text, index + 1, section, found, header=header, status=status_lines)
        if status_lines and found.status_text is None:
            self.status_section(status_lines, found)

    def body_line(
        self,
        text: str,
        line: int,
        section: str | None,
        found: _Found,
        *,
        header: bool,
        status: list[tuple[str, int]],
    ) -> None:
        """One line of the body: a status line of the status section, a link line, a field
        line, or a bold status before the first ``## `` heading."""
        if section == "status":
            if not self.link_line(text, line, any_kind=True):
                status.append((text, line))
        elif section in ("links", "related decisions"):
            self.link_line(text, line, any_kind=True)
        elif section == "date":  # "## Date" over the day
            if found.date is None and date_in(text):
                found.date, found.date_line = date_in(text), line
        elif self.meta_line(text, line, found) or self.link_line(text, line, any_kind=False):
            return
        elif header and found.status_text is None:
            bold = _BOLD_STATUS.match(text)
            if bold and status_of(bold.group("word"), self.settings.adr_statuses):
                found.status_text, found.status_line = text.strip(), line

    def meta_line(self, text: str, line: int, found: _Found) -> bool:
        match = _META_LINE.match(text)
        if match is None:
            return False
        key = " ".join((match.group("bold") or match.group("key") or "").split()).lower()
        value = match.group("value").strip()
        name = _META_KEYS.get(key)
        if name is None:
            kind = key.replace("_", " ").replace("-", " ")  # "Superseded-By:", as frontmatter
            if kind in _RELATION_KINDS and value:
                self.relation(kind, value, line, None)
                return True
            return False
        if not value or _PLACEHOLDER.match(value):
            return True
        if name == "status" and found.status_text is None:
            found.status_text, found.status_line = value, line
            self.status_relations(value, line)
        elif name == "date" and found.date is None:
            found.date, found.date_line = date_in(value) or fields.plain(value), line
        elif name in ("deciders", "consulted", "informed") and not getattr(found, name):
            setattr(found, name, names(value))
        return True

    def status_section(self, status_lines: list[tuple[str, int]], found: _Found) -> None:
        """``## Status``: the newest dated line of a history (npm adr-tools appends
        ``2023-06-02 superseded``), else the first line with a known status, else the first
        line as written; a ``Superseded by`` link line says superseded. An unticked box
        (``- [ ] Rejected``) names a status the ADR does not have: a checklist with nothing
        ticked gives none."""
        extra = self.settings.adr_statuses
        status_lines = [(text, line) for text, line in status_lines if not _UNTICKED.match(text)]
        if not status_lines:
            return
        dated = [(text, line) for text, line in status_lines if DATED_LINE.match(text)]
        known = [(text, line) for text, line in status_lines if status_of(text, extra)]
        # the newest date, the last line of that day (a history table may list newest first)
        newest = max(dated, key=lambda item: (date_in(item[0]) or "", item[1]), default=None)
        text, line = newest or (known[0] if known else status_lines[0])
        found.status_text, found.status_line = text.strip(), line
        self.status_relations(text, line)
        if found.date is None and date_in(text):
            found.date, found.date_line = date_in(text), line


def _cells(line: str) -> list[str]:
    """A table row's cells as text; a split, not a pattern, so a long row is read once."""
    row = line.strip()
    if not _TABLE_ROW.match(line):
        return []
    inner = row[1:-1] if row.endswith("|") and len(row) > 1 else row[1:]
    return [fields.plain(cell) for cell in inner.split("|")]


def _cell_key(cell: str) -> str:
    return " ".join(cell.lower().replace("_", " ").replace("-", " ").split())


def _field_name(cell: str) -> str | None:
    """The field or relation a header cell names (``Status``, ``Superseded-By``), else None;
    a status word (``Superseded``) names no relation."""
    key = _cell_key(cell)
    return _META_KEYS.get(key) or (None if key in _STATUS_WORDS else _RELATION_KINDS.get(key))


def _filled(cells: list[str]) -> list[str]:
    """A row's cells less the empty ones at its end, which are no column (``| a | b | |``)."""
    end = len(cells)
    while end and not cells[end - 1]:
        end -= 1
    return cells[:end]


def _name_value_rows(rows: list[list[str]]) -> bool:
    """Whether a table's rows are each a name and its value (``| Status | Accepted |`` over
    ``| Date | 2021-02-03 |``, under ``| | |`` or ``| Field | Value |``), not a header of
    names over rows of values (``| Status | Date |``, a status history)."""
    rows = [_filled(cells) for cells in rows]
    if len(rows) == 1 or any(len(cells) != 2 for cells in rows):
        return len(rows) == 1 or not any(_field_name(name) for name in rows[0])
    first, second = rows[0]
    if _field_name(second):  # "| Status | Date |"
        return False
    if status_of(second):  # "| Status | Accepted |": a status word is no column's name
        return True
    # "| Status | Accepted |" over "| Date | ... |", not "| Status | Owner |" over
    # "| Accepted | Ann |": a value row names a field (a status word names none)
    return not _field_name(first) or any(_META_KEYS.get(_cell_key(c[0])) for c in rows[1:])


def _rule(line: str) -> bool:
    """A table's delimiter row: ``|---|:--:|``."""
    return "-" in line and not line.strip(" \t|:-")


def _header_tables(lines: list[str], start: int, in_code: list[bool]) -> dict[int, list[str]]:
    """The field lines (``"Status: Accepted"``) that tables above the first ``## `` heading
    hold, by the index of the row that holds them: a name and its value on each row
    (``| **Status** | Accepted |``), or a header of names over rows of values
    (``| Status | Date |`` then ``| Accepted | 2021-09-01 |``), of which a history's newest
    row counts (the last of its day, as in a status section). Teams that write ADRs by hand
    put their metadata in such a table as often as in field lines."""
    out: dict[int, list[str]] = {}
    index = start
    while index < len(lines):
        heading = HEADING.match(lines[index])
        if heading and not in_code[index] and len(heading.group("hashes")) > 1:
            break
        rows = []
        while index < len(lines) and not in_code[index] and _TABLE_ROW.match(lines[index]):
            if not _rule(lines[index]):
                rows.append(index)
            index += 1
        if not rows:
            index += 1
            continue
        if _name_value_rows([_cells(lines[row]) for row in rows]):
            for row in rows:
                cells = [cell for cell in _cells(lines[row]) if cell]
                if len(cells) == 2:  # a name and its value
                    out[row] = [f"{cells[0]}: {cells[1]}"]
        else:
            names = _cells(lines[rows[0]])
            row = max(rows[1:], key=lambda i: (date_in(lines[i]) or "", i))
            values = _cells(lines[row])
            out[row] = [f"{n}: {v}" for n, v in zip(names, values, strict=False) if n and v]
    return out


def _section(heading: re.Match[str], line: int, status_lines: list[tuple[str, int]]) -> str | None:
    """The section a heading opens (status, links, related decisions, or None); a status
    it holds ("## Status: Accepted") is a status line."""
    words = fields.plain(heading.group("text")).strip(" :").lower()
    said = HEADING_STATUS.match(heading.group("text"))
    if said:
        status_lines.append((said.group("value"), line))
        return "status"
    if words in ("status", "links", "related decisions", "date"):
        return words
    return words.split()[0] if words.startswith(("status", "links")) else None


def _items(value: object) -> list[str]:
    """A frontmatter list as text items; ``- ADR-004: Erlang`` (which YAML reads as a
    mapping) is the text ``ADR-004: Erlang``, never a Python representation."""
    raw = value if isinstance(value, (list, tuple)) else [value]
    out: list[str] = []
    for item in raw:
        if isinstance(item, dict):
            out.extend(
                f"{key}: {val}" if val is not None else str(key) for key, val in item.items()
            )
        elif item is not None:
            out.append(str(item))
    return out


def _kind(raw: str) -> str:
    words = " ".join(raw.replace("_", " ").split()).lower()
    return _RELATION_KINDS.get(words, words)


def _date_value(value: object) -> str | None:
    if isinstance(value, (datetime.date, datetime.datetime)):
        return value.isoformat()[:10]
    text = _meta_text(value)
    if not text or _PLACEHOLDER.match(text) or isinstance(value, dict):
        return None
    return date_in(text) or fields.plain(text)


def _meta_text(value: object) -> str:
    """A frontmatter value as the writer typed it: a template's unfilled
    ``{proposed | accepted}``, which YAML reads as a mapping, is its words again, never a
    Python representation."""
    return ", ".join(_items(value))


def heading_number(heading: str) -> int | None:
    """``"1. Record decisions"`` -> 1, ``"ADR-0005: Foo"`` -> 5, ``"Use Postgres"`` -> None."""
    match = _HEADING_NUMBER.match(fields.plain(heading))
    if match is None:
        return None
    return int(match.group("adr") or match.group("bracket") or match.group("plain"))


def strip_number(heading: str) -> str:
    match = _HEADING_NUMBER.match(heading)
    return heading[match.end() :] if match else heading


def read_adr(
    doc: SourceDoc,
    settings: Settings,
    report: Report,
    front: Frontmatter,
    *,
    meta: dict[str, object],
    meta_title: str,
    in_code: list[bool],
) -> Adr | None:
    """One ADR file's number, title, status, date, people and relations (``None``, reported,
    when it has no number; a heading and a file name that say two numbers are reported)."""
    name = posixpath.basename(doc.path)
    lines, body_start = doc.text.split("\n"), front.body_start
    heading = first_heading(lines, body_start, in_code)
    written = heading_number(heading[0]) if heading else None
    number, adr_id = _number(doc.path, meta, settings, written)
    if adr_id is None:
        report(
            diag.MISSING_ID,
            1,
            "ADR has no number; name the file like 0017-title.md or ADR-017-title.md, "
            "or add 'id: ADR-017'",
        )
        return None
    if written not in (None, number) and _name_number(name, doc.path, settings) is not None:
        report(
            diag.ADR_NUMBER_MISMATCH,
            heading[1] if heading else 1,
            f"the heading says {written} but the file name says {number}; references to "
            f"{adr_id} go by the file name: renumber the heading or rename the file",
        )
    title = meta_title or (strip_number(heading[0]) if heading else "")
    title = fields.plain(title) or name.rsplit(".", 1)[0]

    reader = _AdrReader(doc, settings, report, lines)
    found = _Found()
    reader.frontmatter(meta, front.key_lines, found)
    # a status or a link commented out (over several lines) is not the ADR's, nor is one
    # after a fence in a comment, which opens no code block
    hidden = hidden_mask(lines)
    hidden[:body_start] = in_code[:body_start]  # the frontmatter
    reader.body(body_start, hidden, found)

    field_lines: dict[str, int] = {}
    if found.status_text is not None and fields.plain(found.status_text):
        field_lines["status"] = found.status_line
    status = _status(found, reader.relations, settings, report)
    if status is None and _name_date(name) and number is not None:
        status = "draft"  # log4brains reads an ADR named by its day that gives none as a draft
    if found.date is None and found.status_text:
        found.date, found.date_line = date_in(found.status_text), found.status_line
    date = found.date or _name_date(name)
    if found.date:
        field_lines["date"] = found.date_line
    relations = tuple(r for r in reader.relations if r.target != adr_id)
    for relation in reader.relations:
        if relation.target == adr_id:
            report(diag.BAD_FIELD, relation.line, f"{adr_id} lists itself in '{relation.kind}'")
    return Adr(
        id=adr_id,
        number=number,
        title=title,
        path=doc.path,
        uri=doc.uri,
        line=heading[1] if heading else 1,
        status=status,
        date=date,
        deciders=found.deciders,
        consulted=found.consulted,
        informed=found.informed,
        relations=relations,
        heading_number=written,
        uid=_uid(meta),
        field_lines=field_lines,
    )


def _uid(meta: dict[str, object]) -> str | None:
    """The UUID of frontmatter ``id: 9ffc1a72-...`` (lower case), else None."""
    said = str(meta.get("id") or "").strip().lower()
    return said if _UUID.fullmatch(said) else None


def _status(
    found: _Found, relations: list[AdrRelation], settings: Settings, report: Report
) -> str | None:
    """The status an ADR file gives; a ``Superseded by`` link says superseded; a status
    nobody defined is reported and kept as written."""
    superseded = any(r.kind == SUPERSEDED_BY for r in relations)
    if found.status_text is None or not fields.plain(found.status_text):
        return "superseded" if superseded else None
    status = status_of(found.status_text, settings.adr_statuses)
    if status is not None:
        return status
    if superseded:
        return "superseded"  # "Superseded by [..](..)" is the whole status line
    status = written_status(found.status_text)
    vocabulary = (*ADR_STATUSES, *settings.adr_statuses)
    hint = diag.did_you_mean(status.lower().replace(" ", "_"), vocabulary)
    known = ", ".join(word.replace("_", " ") for word in vocabulary)
    report(
        diag.UNKNOWN_VALUE,
        found.status_line,
        f"unknown status '{status}', kept as written; add it to 'adr_statuses' "
        f"if the team uses it, or use one of {known}{hint}",
    )
    return status


def _name_number(name: str, path: str, settings: Settings) -> int | None:
    match = settings.adr_file_re.fullmatch(name)
    if match and match.groupdict().get("number"):
        return int(match.group("number"))
    return _numbered(name) if in_adr_folder(path) else None


def _number(
    path: str, meta: dict[str, object], settings: Settings, written: int | None
) -> tuple[int | None, str | None]:
    """The ADR's number and ID: from the file name, else ``id``/``adr`` in the frontmatter,
    else the heading. A log4brains file (``20240131-title.md``) is named by its day, which
    several ADRs share, and a pyadr proposal (``XXXX-title.md``) has no number yet: the ID
    of either is the file's name."""
    name, width = posixpath.basename(path), settings.adr_id_width
    number = _name_number(name, path, settings)
    stem = name.rsplit(".", 1)[0]
    if number is not None and _name_date(name) and not settings.adr_file_re.fullmatch(name):
        return number, stem
    if number is None and in_adr_folder(path) and _UNNUMBERED_NAME.fullmatch(name):
        return None, stem
    if number is None:
        said = [
            fields.adr_id(str(meta[k]), width) for k in ("id", "adr") if meta.get(k) is not None
        ]
        found = next(filter(None, said), None)
        number = int(found.split("-")[1]) if found else written
    if number is None:
        return None, None
    return number, f"ADR-{number:0{width}d}"


def folders_without_adrs(
    docs: Iterable[tuple[str, bool]], *, unnumbered: Iterable[str] = ()
) -> list[Diagnostic]:
    """One info finding for each folder named like ADRs (``docs/adr``) whose Markdown files
    (``(path, is an ADR)``) hold no ADR: say which names are read, and which option to set.
    In a folder that holds ADRs, each file that gives a status but no number
    (``unnumbered``) is a finding of its own: an ADR left out of the ADRs."""
    held: dict[str, list[str]] = {}
    with_adrs: set[str] = set()
    for path, adr in docs:
        folder = posixpath.dirname(path)
        if adr:  # an ADR in docs/adr/archive/ is one of docs/adr's too
            with_adrs.update(str(parent) for parent in PurePosixPath(path).parents)
        if posixpath.basename(folder).lower() in ADR_FOLDERS:
            held.setdefault(folder, []).append(posixpath.basename(path))
    out = [
        diag.make(
            diag.MISSING_ID,
            path,
            1,
            "this file gives a status like an ADR but has no number, so it is published as "
            "a page and is not one of the ADRs; name it like 0017-title.md or "
            "ADR-017-title.md, or add 'id: ADR-017'",
        )
        for path in sorted(unnumbered)
        if posixpath.dirname(path) in with_adrs
    ]
    for folder in sorted(set(held) - with_adrs):
        files = sorted(held[folder])
        shown = ", ".join(files[:3]) + (", ..." if len(files) > 3 else "")
        out.append(
            diag.make(
                diag.NO_ADRS_FOUND,
                folder,
                0,
                f"this folder looks like one of ADRs but none of its {len(files)} Markdown "
                f"file{'s' if len(files) != 1 else ''} ({shown}) is one; name ADRs like "
                "0001-title.md, or set plandocs' 'adr_file_pattern' to match their names, "
                "or add 'type: adr' to their frontmatter",
            )
        )
    return out
