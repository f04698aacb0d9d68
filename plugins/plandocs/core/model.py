"""The planning objects: frozen records that know nothing about MkDocs.

``OrderRecord`` is what one place in one file says about an order (a whole order file,
or one ``#### ORDER-...`` section of a summary document). ``Order`` is the sealed,
canonical order after every record of the same ID has been merged. Relations that
need the whole corpus (dependents, blocked-by, cycles) live on ``graph.PlanningGraph``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Literal

from plandocs.core.encoding import Repair

OrderKind = Literal["file", "summary"]


@dataclass(frozen=True, slots=True)
class SourceDoc:
    """One Markdown file, decoded. ``path`` is relative to the project root (what diagnostics
    name); ``uri`` is its path in the site's source tree (what URLs are built from)."""

    path: str
    uri: str
    text: str
    had_bom: bool = False
    had_crlf: bool = False
    #: Lines whose mojibake was repaired on reading; ``text`` holds the repaired lines
    repairs: tuple[Repair, ...] = ()


@dataclass(frozen=True, kw_only=True, slots=True)
class _OrderFields:
    """What an order record and a sealed order both hold."""

    id: str
    title: str
    path: str
    uri: str
    line: int
    anchor: str | None = None
    #: the owner's ID, a slug: the owner page's name (``gpt-5-5-xhigh``)
    owner: str | None = None
    owner_label: str | None = None
    #: every person the owner field names, as written (``gpt-5.5-xhigh``, ``@`` dropped);
    #: the first is the owner
    owners: tuple[str, ...] = ()
    issuer: str | None = None
    priority: str | None = None
    status: str | None = None
    status_note: str | None = None
    phase: str | None = None
    phases: tuple[str, ...] = ()
    timeline: str | None = None
    #: dates the schedule reads (``schedule``): earliest start, due date, when written
    start: date | None = None
    due: date | None = None
    created: date | None = None
    #: the order or task this one is part of (Backlog.md's ``parent_task_id``)
    parent: str | None = None
    #: a draft (status ``Draft``, or kept in a ``drafts`` folder) or an archived task (kept
    #: in an ``archive`` folder): shown as such, and an archived one yields its ID to a live one
    draft: bool = False
    archived: bool = False
    depends_note: tuple[str, ...] = ()
    blocks_note: tuple[str, ...] = ()
    adrs: tuple[str, ...] = ()
    #: old IDs, files and addresses of the order (``aliases``), which redirect to it
    aliases: tuple[str, ...] = ()


@dataclass(frozen=True, kw_only=True, slots=True)
class OrderRecord(_OrderFields):
    kind: OrderKind
    # None means "not declared"; () means "declared as none".
    depends_on: tuple[str, ...] | None = None
    blocks: tuple[str, ...] | None = None
    file_ref: str | None = None
    lang: str | None = None
    # field name -> line where it was declared, for diagnostics
    field_lines: dict[str, int] = field(default_factory=dict, compare=False, hash=False)
    # referenced ID -> the line it is written on (a list item may sit below its field)
    ref_lines: dict[str, int] = field(default_factory=dict, compare=False, hash=False)

    def line_of(self, name: str, ref: str | None = None) -> int:
        if ref is not None and ref in self.ref_lines:
            return self.ref_lines[ref]
        return self.field_lines.get(name, self.line)


@dataclass(frozen=True, slots=True)
class Variant:
    lang: str
    path: str
    uri: str


@dataclass(frozen=True, slots=True)
class Listing:
    """A summary entry that lists an order whose canonical page is elsewhere."""

    path: str
    uri: str
    anchor: str
    line: int
    title: str


@dataclass(frozen=True, kw_only=True, slots=True)
class Order(_OrderFields):
    """The sealed order: every record of its ID merged."""

    declared_depends_on: tuple[str, ...] = ()
    declared_blocks: tuple[str, ...] = ()
    variants: tuple[Variant, ...] = ()
    listings: tuple[Listing, ...] = ()

    @property
    def owner_name(self) -> str | None:
        """The owner as written (``gpt-5.5-xhigh``); ``owner`` is its page's slug."""
        return self.owners[0] if self.owners else self.owner


@dataclass(frozen=True, slots=True)
class AdrRelation:
    """One relation an ADR file writes: ``Superseded by [4. Use MySQL](0004-use-mysql.md)``,
    ``supersedes: [ADR-002]``. ``target`` is an ADR ID written as such; ``file`` the site
    path of a linked file, which ``graph.seal`` resolves to that file's ADR."""

    kind: str  # "supersedes", "superseded by", "amended by", ... as the team types it
    target: str | None
    file: str | None
    line: int
    #: the frontmatter or field key it was written under; None for a link line
    field: str | None = None
    #: the link text or reference as written, for messages
    text: str = ""


@dataclass(frozen=True, slots=True)
class Adr:
    id: str
    #: None for an ADR named without one (a pyadr proposal, ``XXXX-title.md``)
    number: int | None
    title: str
    path: str
    uri: str
    line: int
    #: one of parse.adrs.ADR_STATUSES, a project's own (``adr_statuses``), or as written
    status: str | None = None
    date: str | None = None
    deciders: tuple[str, ...] = ()
    consulted: tuple[str, ...] = ()
    informed: tuple[str, ...] = ()
    relations: tuple[AdrRelation, ...] = ()
    #: the number the file's own heading gives (``# 4. Use MySQL``), if any
    heading_number: int | None = None
    #: the UUID its frontmatter ``id`` gives: PyPI ``adr`` 0.5.0 writes one and names other
    #: ADRs by it (``supersedes: [<uuid>]``), which ``graph.seal`` resolves
    uid: str | None = None
    field_lines: dict[str, int] = field(default_factory=dict, compare=False, hash=False)

    def line_of(self, name: str) -> int:
        return self.field_lines.get(name, self.line)


PhaseKind = Literal["phase", "track", "state"]


@dataclass(frozen=True, slots=True)
class Phase:
    id: str
    base: str
    kind: PhaseKind
    title: str
