"""One Markdown file in, what it says about planning out: order records, an ADR, diagnostics.

A file is an *order file* (frontmatter ``id``/``order_id``, a ``**ORDER ID**:`` line, or an
order-like file name), an *ADR* (``ADR-016-....md`` or ``type: adr``), a *summary document*
(it has ``#### ORDER-...: Title`` sections, each an order of its own), or a plain page.
Nothing here looks at other files: cross-file facts are decided in ``graph.seal``.
"""

from __future__ import annotations

import posixpath
import re
import unicodedata
from dataclasses import dataclass
from datetime import date
from typing import Any, Literal

from plandocs.core import diagnostics as diag
from plandocs.core.diagnostics import Diagnostic
from plandocs.core.model import Adr, OrderRecord, SourceDoc
from plandocs.core.parse import adrs, fields
from plandocs.core.parse.blocks import HEADING, code_mask, first_heading
from plandocs.core.parse.frontmatter import REPAIR_KEY, Frontmatter, repair_off
from plandocs.core.parse.frontmatter import read as read_frontmatter
from plandocs.core.parse.trees import AsciiTree, ascii_trees
from plandocs.core.settings import Settings

DocKind = Literal["order", "summary", "adr", "page"]

# Text up to trailing blanks: a run of blanks is taken whole (possessive), and only when more
# text follows, so a long run is not scanned again from each of its characters.
_VALUE = r"(?P<value>(?:[^ \t]|[ \t]++(?=[^ \t]))*+)[ \t]*$"
_FIELD_LINE = re.compile(r"^[ \t]*\*\*(?P<key>[^*\n]+?)(?:\*\*[ \t]*:|:[ \t]*\*\*)[ \t]*" + _VALUE)
# "- **Owner**: wrk-3", "- `order_id`: X" and "- Owner: wrk-3": a list item whose key is
# bold, in a code span or plain, read only when the key is a known field (and, plain, not
# one of the words below).
_ITEM_FIELD_LINE = re.compile(
    r"^[-*+][ \t]+(?:\*\*(?P<bold>[^*\n]+?)(?:\*\*[ \t]*:|:[ \t]*\*\*)[ \t]*"
    r"|(?:`(?P<code>[^`\n]{1,40})`|(?P<plain>[A-Za-z][A-Za-z0-9 _-]{0,39}?))[ \t]*:[ \t]+)" + _VALUE
)
# Plain list keys that are as often prose ("- To: the gateway team", "- Date: Monday").
_PROSE_KEYS = frozenset({"to", "from", "date", "type", "title", "file", "cp", "id"})
# The body keys that declare an order's ID ("**ID**:" is a task's, or another page's).
_ORDER_ID_KEYS = frozenset({"order id", "orderid"})
#: The frontmatter keys that declare an order's ID: the first one given wins.
FRONTMATTER_ID_KEYS = ("order_id", "order-id", "id")
# A heading's label that is no part of the title: "# ORDER: CP2 Validation Suite".
_ORDER_LABEL = re.compile(r"^\s*(?i:order)\s*:\s*")
# The folders where other tools keep archived items: Backlog.md's archive/tasks/ and
# archive/drafts/ (a team's own "archive/dev/" of orders is no such mark).
_ARCHIVE = re.compile(r"(?:^|/)archived?/(?:tasks|drafts)/", re.IGNORECASE)
_LIST_ITEM = re.compile(r"^[ \t]*(?:[-*+]|[0-9]{1,9}[.)])[ \t]+(?P<text>.*)$")
_BOLD = re.compile(r"\*\*([^*]+)\*\*")


@dataclass(frozen=True)
class FieldValue:
    items: tuple[str, ...]  # the inline value, or the list under the bold line
    line: int
    in_list: bool = False  # written as a list item ("- **Owner**: wrk-3")
    key: str = ""  # the key as written ("ORDER ID", "order_id", "Milestone")


@dataclass(frozen=True)
class ParsedDoc:
    doc: SourceDoc
    kind: DocKind
    title: str = ""
    #: An order file that declares no ID has a record with id "": ``graph.seal`` resolves it
    #: from a summary's **File** line, or reports it.
    orders: tuple[OrderRecord, ...] = ()
    adr: Adr | None = None
    diagnostics: tuple[Diagnostic, ...] = ()
    #: ASCII dependency trees drawn in the file's plain code blocks
    trees: tuple[AsciiTree, ...] = ()
    #: (ID, title) of another tool's milestone file (Backlog.md's ``milestones/m-0 - v1.0.md``),
    #: the title of the phase its tasks name by ID
    milestone: tuple[str, str] | None = None
    #: a page in a folder of ADRs that gives a status like one but has no number
    #: (``use-redis.md``): reported by ``graph.seal`` unless its folder holds no ADR at all
    unnumbered_adr: bool = False


def _field_match(
    line: str, aliases: dict[str, str] | None
) -> tuple[re.Match[str], str, str | None, bool] | None:
    """A field line: its match, the key as written, the field it names and whether it is a
    list item. A bold line counts whatever its key (an unknown key ends a list above it);
    a list item only with a known key: "- **Risk**: ..." and "- Note: ..." are prose."""
    match = _FIELD_LINE.match(line)
    if match is not None:
        key = match.group("key")
        return match, key, fields.field_name(key, aliases), False
    match = _ITEM_FIELD_LINE.match(line)
    if match is None:
        return None
    key = match.group("bold") or match.group("code") or match.group("plain")
    if match.group("plain") and fields.field_key(key) in _PROSE_KEYS:
        return None
    name = fields.field_name(key, aliases)
    return (match, key, name, True) if name else None


def read_fields(
    lines: list[str],
    start: int,
    stop: int,
    in_code: list[bool],
    aliases: dict[str, str] | None = None,
) -> dict[str, FieldValue]:
    """Field lines between two line indexes: bold ``**Key**: value`` lines (and lists right
    under them), and list items that name a field. The first of each field wins."""
    found: dict[str, FieldValue] = {}
    index = start
    while index < stop:
        line, code = lines[index], in_code[index]
        index += 1
        if code:
            continue
        found_field = _field_match(line, aliases)
        if found_field is None:
            continue
        match, key, name, in_list = found_field
        value = match.group("value").strip()
        items: list[str] = [value] if value else []
        line_number = index
        if not value:
            # A list under the bold line (blank lines between items allowed); its items are
            # this field's value, never fields of their own.
            probe = index
            while probe < stop and not in_code[probe]:
                item = _LIST_ITEM.match(lines[probe])
                if item:
                    items.append(item.group("text").strip())
                elif lines[probe].strip() and items and lines[probe].startswith((" ", "\t")):
                    items[-1] += " " + lines[probe].strip()
                elif lines[probe].strip() or (not items and probe > index):
                    break
                probe += 1
            if items:
                index = probe
        if name and name not in found:
            found[name] = FieldValue(tuple(items), line_number, in_list, key)
    return found


class _Reader:
    """Collects diagnostics for one file while its fields are normalised."""

    def __init__(self, doc: SourceDoc, settings: Settings, *, state_only: bool = False) -> None:
        self.doc = doc
        self.settings = settings
        self.state_only = state_only
        self.diagnostics: list[Diagnostic] = []
        self.lines = doc.text.split("\n")

    def report(self, code: diag.Code, line: int, message: str) -> None:
        self.diagnostics.append(diag.make(code, self.doc.path, line, message))

    def _known(self, name: str, raw: str, value: str | None, line: int) -> str | None:
        """``value``, the priority or the status ``raw`` names; text with no known word is
        reported."""
        text = fields.plain(raw) if value is None else ""
        if text:
            if name == "priority":
                vocabulary = fields.PRIORITIES
                guess = "".join(text.split()[-1:]).strip(".,;").lower()
            else:
                vocabulary = fields.STATUSES
                guess = (re.sub(r"\s*\(.*", "", text).strip().lower() or text).replace(" ", "_")
            hint = "" if fields.is_negated(raw) else diag.did_you_mean(guess, vocabulary)
            self.report(
                diag.UNKNOWN_VALUE,
                line,
                f"unknown {name} {diag.quote(text)}; use one of {', '.join(vocabulary)}{hint}",
            )
        return value

    def _date(self, name: str, value: str | None, line: int) -> date | None:
        """A date field (``start``, ``due``, ``created``); one that is no date is reported
        and read as not given, so the schedule places the order as if it were absent."""
        try:
            return fields.calendar_date(value)
        except ValueError as exc:
            self.report(
                diag.BAD_FIELD,
                line,
                f"'{name}' {diag.quote(fields.plain(value or ''))} {exc}; write it as YYYY-MM-DD",
            )
            return None

    def _ref_lines(self, refs: list[tuple[int, str]]) -> dict[str, int]:
        """The line each reference is written on, searching from its field's line."""
        lines = self.lines
        out: dict[str, int] = {}
        for start, ref in refs:
            for index in range(start - 1, min(start + 49, len(lines))):
                if ref in lines[index]:
                    out.setdefault(ref, index + 1)
                    break
        return out

    def meta_title(self, meta: dict[str, object], meta_lines: dict[str, int]) -> str:
        """The frontmatter ``title`` ("" when absent), marked so that ``fields.plain`` keeps
        it as written: it is text, not Markdown; a list or mapping is reported."""
        raw = meta.get("title")
        if isinstance(raw, (list, tuple, dict)):
            self.report(
                diag.BAD_FIELD,
                meta_lines.get("title", 1),
                f"'title' must be text, not {_shape(raw)} ({diag.quote(raw)})",
            )
        return fields.as_written(fields.as_text(raw) or "")

    def order_record(
        self,
        *,
        kind: Literal["file", "summary"],
        order_id: str,
        title: str,
        line: int,
        body: dict[str, FieldValue],
        meta: dict[str, object],
        meta_lines: dict[str, int],
        anchor: str | None = None,
        lang: str | None = None,
    ) -> OrderRecord:
        """Merge frontmatter (wins) and body fields of one order into a record; with
        ``state_only``, the fields the planning history reads (``parse_document``)."""
        given = self._given(body, meta, meta_lines, line)
        text, line_of = given.text, given.line_of
        priority, status, status_note = self._state(given)
        phases = self._phases(given, order_id)
        state: dict[str, Any] = {  # what the history reads; typed again by OrderRecord
            "id": order_id,
            "title": fields.plain(title) or order_id,
            "kind": kind,
            "path": self.doc.path,
            "uri": self.doc.uri,
            "line": line,
            "anchor": anchor,
            "lang": lang,
            "priority": priority,
            "status": status,
            "status_note": status_note,
            "phase": phases[0] if phases else None,
            "phases": tuple(phases),
            "draft": _is_draft(self.doc.path, text("status")),
            "archived": _ARCHIVE.search(self.doc.path) is not None,
        }
        if self.state_only:
            return OrderRecord(**state)
        owner, owner_label, owners = _owners(given, order_id)
        depends_on, depends_note = self._refs(given, "depends_on")
        blocks, blocks_note = self._refs(given, "blocks")
        refs = (("depends_on", depends_on), ("blocks", blocks))
        for name, named in refs:
            if named and order_id in named:
                self.report(diag.BAD_FIELD, line_of(name), f"{order_id} lists itself in '{name}'")
        adrs = self._adrs(given)
        parent = self._parent(given, order_id)
        start, due, created = (self._date(n, text(n), line_of(n)) for n in _DATE_FIELDS)
        file_ref = text("file")
        return OrderRecord(
            **state,
            owner=owner,
            owner_label=owner_label,
            owners=owners,
            issuer=fields.owner(text("issuer") or "")[0] if text("issuer") else None,
            timeline=fields.plain(text("timeline") or "") or None,
            parent=parent,
            depends_on=_without(depends_on, order_id),
            blocks=_without(blocks, order_id),
            depends_note=depends_note,
            blocks_note=blocks_note,
            adrs=adrs,
            aliases=_aliases(given.items("aliases")),
            file_ref=file_ref.strip("` ") if file_ref else None,
            field_lines={name: value[1] for name, value in given.values.items()},
            ref_lines=self._ref_lines([(line_of(n), r) for n, rs in refs for r in rs or ()]),
            start=start,
            due=due,
            created=created,
        )

    def _state(self, given: _Given) -> tuple[str | None, str | None, str | None]:
        """The priority (not read with ``state_only``), status and status note given (a word
        not known is reported)."""
        text, line_of, priority = given.text("priority"), given.line_of, None
        if text and not self.state_only:
            priority = self._known("priority", text, fields.priority(text), line_of("priority"))
        text = given.text("status")
        if not text:
            return priority, None, None
        status, note = fields.status(text)
        return priority, self._known("status", text, status, line_of("status")), note

    def _given(
        self,
        body: dict[str, FieldValue],
        meta: dict[str, object],
        meta_lines: dict[str, int],
        line: int,
    ) -> _Given:
        """The fields one order gives, frontmatter over body; a mapping is reported."""
        given = _Given(line)
        aliases = self.settings.field_aliases
        for name, value in body.items():
            given.values[name] = (list(value.items), value.line, False)
            given.keys[name] = value.key
        for key, raw in meta.items():
            meta_name = fields.field_name(key, aliases)
            if meta_name is None:
                continue
            given.keys[meta_name] = key
            if not isinstance(raw, dict):
                given.values[meta_name] = (fields.as_items(raw), meta_lines.get(key, 1), True)
            elif meta_name not in ("id", "title"):  # reported by declared_id and meta_title
                self.report(
                    diag.BAD_FIELD,
                    meta_lines.get(key, 1),
                    f"'{key}' is a mapping ({diag.quote(raw)}); give a value or a list of values",
                )
        return given

    def _phases(self, given: _Given, order_id: str) -> list[str]:
        """The phases an order names: bold parts of the body's phase field, else all of it;
        another tool's milestone as written; else the phase its ID names."""
        phases: list[str] = []
        if "phase" in given.values:
            items, _, from_meta = given.values["phase"]
            for item in items:
                bold = _BOLD.findall(item)
                source = " ".join(bold) if (bold and not from_meta) else item
                phases.extend(p for p in fields.phases_in(source, self.settings) if p not in phases)
            written = fields.plain(" ".join(items))
            # another tool's milestone ("m-0", "v1.0") is the phase, taken as written; not
            # "." or "..", which as a phase page's name are a folder of the path, so the page
            # was lost and every link to it was dead
            if (
                not phases
                and fields.field_key(given.keys.get("phase", "")) == "milestone"
                and re.fullmatch(r"[\w.-]{1,60}", written)
                and written.strip(".")
            ):
                phases.append(written)
            if not phases and written:
                self.report(
                    diag.BAD_FIELD,
                    given.line_of("phase"),
                    f"phase {diag.quote(written)} names no checkpoint "
                    f"(expected like CP2 or CP3-INGRESS)",
                )
        from_id = None if phases else fields.phase_of_id(order_id, self.settings)
        return [from_id] if from_id else phases

    def _refs(self, given: _Given, name: str) -> tuple[tuple[str, ...] | None, tuple[str, ...]]:
        """The orders ``depends_on`` or ``blocks`` names (``None``: not given), and its prose."""
        if name not in given.values:
            return None, ()
        items, line, from_meta = given.values[name]
        refs, notes = fields.order_refs(items, self.settings)
        for note in notes if from_meta else ():  # frontmatter is data: prose there is a mistake
            self.report(
                diag.BAD_FIELD,
                line,
                f"{diag.quote(note)} in '{name}' names no order; list order IDs here "
                f"(like ORDER-WRK-3-CP2-001) and put prose in the page body",
            )
        return refs, notes

    def _adrs(self, given: _Given) -> tuple[str, ...]:
        adrs: list[str] = []
        for item in given.items("adrs"):
            adr = fields.adr_id(item, self.settings.adr_id_width)
            if adr is None:
                self.report(
                    diag.BAD_FIELD,
                    given.line_of("adrs"),
                    f"{diag.quote(item)} is not an ADR reference (like ADR-016)",
                )
            elif adr not in adrs:
                adrs.append(adr)
        return tuple(adrs)

    def _parent(self, given: _Given, order_id: str) -> str | None:
        text = given.text("parent")
        if not text:
            return None
        found = self.settings.order_id_re.search(text)
        if found is None:
            self.report(
                diag.BAD_FIELD,
                given.line_of("parent"),
                f"{diag.quote(fields.plain(text))} in "
                f"{diag.quote(given.keys['parent'])} is not an order ID",
            )
            return None
        return found.group(0) if found.group(0) != order_id else None


class _Given:
    """The fields one order gives: name -> (items, line, from the frontmatter), and the key
    each is written under; ``line`` stands for the line of a field not given."""

    def __init__(self, line: int) -> None:
        self.line = line
        self.values: dict[str, tuple[list[str], int, bool]] = {}
        self.keys: dict[str, str] = {}

    def items(self, name: str) -> list[str]:
        return self.values[name][0] if name in self.values else []

    def text(self, name: str) -> str | None:
        return fields.as_text(self.values[name][0]) if name in self.values else None

    def line_of(self, name: str) -> int:
        return self.values[name][1] if name in self.values else self.line


def _is_draft(path: str, status: str | None) -> bool:
    """Kept in a drafts folder (Backlog.md's drafts/), or of status Draft."""
    in_drafts = "drafts" in (part.lower() for part in path.split("/")[:-1])
    return in_drafts or fields.plain(status or "").lower() in ("draft", "drafts")


def _without(refs: tuple[str, ...] | None, order_id: str) -> tuple[str, ...] | None:
    return None if refs is None else tuple(ref for ref in refs if ref != order_id)


def _owners(given: _Given, order_id: str) -> tuple[str | None, str | None, tuple[str, ...]]:
    """The owner's ID, its label and every person named. The first person named is the
    owner: its page is named by a slug, the name is shown as written ("gpt-5.5-xhigh"); a
    bracketed remark is the owner's label. Without an owner field, the ID may name one."""
    if given.text("owner"):
        items = given.items("owner")
        owners = fields.owner_names(items)
        label = fields.owner(items[0])[1] if items else None
        return (fields.slug(owners[0]) if owners else None), label, tuple(owners)
    derived = re.match(r"ORDER-([A-Z]+-[0-9]+)-", order_id)
    if derived is None:
        return None, None, ()
    owner = derived.group(1).lower()
    return owner, None, (owner,)


_DATE_FIELDS = ("start", "due", "created")


def _aliases(items: list[str]) -> tuple[str, ...]:
    """An order's old IDs, files and addresses (``views.permalinks``), as written: a list, or
    one line of them separated by commas (``**Aliases**: ORDER-OLD-1, orders/OLD.md``)."""
    parts = (fields.plain(part) for item in items for part in item.split(","))
    return tuple(dict.fromkeys(part for part in parts if part))


def _shape(value: object) -> str:
    """What a frontmatter value that should be text is: "a mapping" or "a list"."""
    return "a mapping" if isinstance(value, dict) else "a list"


_ATTR_LIST = re.compile(r"[ \t]*\{:?(?P<attrs>[^{}]*)\}[ \t]*$")
_ATTR_ID = re.compile(r"(?:^|\s)#(?P<id>[^\s}]+)")


def heading_attrs(text: str) -> tuple[str, str | None, str | None]:
    """A heading without its trailing attr list, the list and its ID: ``"T { #x .y }"`` ->
    ``("T", "#x .y", "x")``; ``"T"`` -> ``("T", None, None)``."""
    match = _ATTR_LIST.search(text)
    if not match:
        return text, None, None
    attrs = match.group("attrs").strip()
    own_id = _ATTR_ID.search(attrs)
    return text[: match.start()], attrs, own_id.group("id") if own_id else None


def parse_document(doc: SourceDoc, settings: Settings, *, state_only: bool = False) -> ParsedDoc:
    """Classify one decoded file and read what it says about planning objects. With
    ``state_only`` (the planning history's reading of old versions), an order record holds
    its ID, title, status, phases and draft and archived marks, and the file's
    ASCII trees are not read: the other fields and their findings are left out."""
    reader = _Reader(doc, settings, state_only=state_only)
    if not doc.text.strip():
        reader.report(diag.EMPTY_FILE, 0, "file is empty; write its content or delete it")
        return ParsedDoc(doc=doc, kind="page", diagnostics=tuple(reader.diagnostics))
    front, meta = _frontmatter(reader)
    lines = reader.lines
    in_code = code_mask(lines)
    in_code[: front.body_start] = [True] * front.body_start  # the frontmatter is no body text
    h1 = first_heading(lines, front.body_start, in_code)
    meta_title = reader.meta_title(meta, front.key_lines)
    kind: DocKind = "page"
    adr, records = None, []
    unnumbered = False
    if adrs.is_adr(doc.path, meta, settings):
        kind = "adr"
        adr = adrs.read_adr(
            doc, settings, reader.report, front, meta=meta, meta_title=meta_title, in_code=in_code
        )
    elif adrs.looks_like_adr(doc.path, meta, lines, in_code, settings.adr_statuses):
        # named in a way no ADR is ("ADR 0002 - Use B.md"), but it gives a status: an ADR when
        # its heading or id numbers it, else a page that graph.seal reports
        said: list[tuple[diag.Code, int, str]] = []
        adr = adrs.read_adr(
            doc,
            settings,
            lambda *finding: said.append(finding),
            front,
            meta=meta,
            meta_title=meta_title,
            in_code=in_code,
        )
        kind, unnumbered = ("adr", False) if adr else ("page", True)
        for finding in said if adr else ():
            reader.report(*finding)
    if kind == "page":
        records = _Page(reader, front, meta, in_code, h1=h1, meta_title=meta_title).records()
        if records:
            kind = "order" if records[0].kind == "file" else "summary"
    stem = posixpath.basename(doc.uri).rsplit(".", 1)[0]
    return ParsedDoc(
        doc=doc,
        kind=kind,
        title=fields.plain(meta_title or (h1[0] if h1 else stem)),
        orders=tuple(records),
        adr=adr,
        diagnostics=tuple(reader.diagnostics),
        trees=() if state_only else tuple(ascii_trees(lines, settings.order_id_re)),
        milestone=_milestone(doc.path, meta, meta_title) if kind == "page" else None,
        unnumbered_adr=unnumbered,
    )


def _frontmatter(reader: _Reader) -> tuple[Frontmatter, dict[str, object]]:
    """The file's frontmatter and its data (salvaged from a block that does not parse)."""
    text, path = reader.doc.text, reader.doc.path
    front = read_frontmatter(text)
    for code, line, message in (*((front.error,) if front.error else ()), *front.findings):
        if not adrs.is_template(path):  # MADR 3's adr-template.md: placeholders, not YAML
            reader.report(code, line, message)
    meta = front.data
    if front.error is not None and front.present:
        meta = _salvaged(text.split("\n"), front.key_lines, broken=front.error[1])
    if REPAIR_KEY in meta and not repair_off(meta[REPAIR_KEY]):
        reader.report(
            diag.BAD_FIELD,
            front.key_lines.get(REPAIR_KEY, 1),
            f"'{REPAIR_KEY}' in a page can only be off, to keep the page's text as written",
        )
    return front, meta


class _Page:
    """The order records of a page that is no ADR: its own order (an order file) and the
    order sections of a summary."""

    def __init__(
        self,
        reader: _Reader,
        front: Frontmatter,
        meta: dict[str, object],
        in_code: list[bool],
        *,
        h1: tuple[str, int] | None,
        meta_title: str,
    ) -> None:
        self.reader, self.settings, self.report = reader, reader.settings, reader.report
        self.lines, self.in_code, self.start = reader.lines, in_code, front.body_start
        self.front, self.meta, self.h1, self.meta_title = front, meta, h1, meta_title
        name = posixpath.basename(reader.doc.uri)
        self.stem = name.rsplit(".", 1)[0]
        self.named_like_order = bool(self.settings.order_file_re.fullmatch(name))
        lines = self.lines
        self.headings = [  # (index, level)
            (index, len(match.group("hashes")))
            for index in range(self.start, len(lines))
            if not in_code[index] and (match := HEADING.match(lines[index]))
        ]
        self.sections = self._sections()
        self.own = self._own()

    def _sections(self) -> list[tuple[str, str, int, int]]:
        """``(id, title, heading index, stop index)`` of each order section."""
        sections = []
        for position, (index, level) in enumerate(self.headings):
            match, lower = match_summary_heading(self.lines[index], self.settings)
            if match is None:
                continue
            order_id = match.group("id")
            if lower:
                message = f"order IDs are upper case: write {order_id} in this heading"
                self.report(diag.BAD_FIELD, index + 1, message)
            after = self.headings[position + 1 :]
            stop = next((i for i, lvl in after if lvl <= level), len(self.lines))
            sections.append((order_id, (match.group("title") or "").strip(), index, stop))
        return sections

    def _own(self) -> tuple[str, str, int, int] | None:
        """The section that is the order file's own title (``## ORDER-X: Title`` as its first
        heading), whose fields are the file's fields; None for a summary document."""
        if not self.sections or self.sections[0][2] != self.headings[0][0]:
            return None
        first = self.sections[0]
        for key in FRONTMATTER_ID_KEYS:
            value = self.meta.get(key)
            if isinstance(value, str) and value.strip():
                return first if value.strip().upper() == first[0] else None
        for index in range(self.start, len(self.lines)):  # the first "**ORDER ID**:" line decides
            match = None if self.in_code[index] else _FIELD_LINE.match(self.lines[index])
            if match and fields.field_key(match.group("key")) in _ORDER_ID_KEYS:
                return first if first[0] in match.group("value").upper() else None
        # Named like an order and silent about its ID: the title heading names it.
        return first if self.named_like_order else None

    def records(self) -> list[OrderRecord]:
        # File-level fields end where the first order section of another order begins: a
        # section's fields belong to its own order.
        head_stop = next((sec[2] for sec in self.sections if sec is not self.own), len(self.lines))
        body = self.read_fields(self.start, head_stop)
        declared_id, id_line, id_given = self.declared_id(body)
        records: list[OrderRecord] = []
        # A file named like an order but silent about its ID is kept for ``graph.seal``, which
        # may learn the ID from a summary's **File** line; one with a bad ID was reported above.
        if declared_id is not None or (self.named_like_order and not id_given):
            records.append(self.file_record(declared_id, id_line, body))
        for section in self.sections:
            order_id, raw_title, heading_index, stop = section
            if section is self.own or order_id == declared_id:
                continue  # the order file's own heading, not an entry
            section_fields = self.read_fields(heading_index + 1, stop)
            if records and records[0].kind == "file" and not section_fields:
                continue  # in an order file, "### ORDER-X: what we need from it" is a note
            title, _, own_anchor = heading_attrs(raw_title)
            records.append(
                self.reader.order_record(
                    kind="summary",
                    order_id=order_id,
                    title=title or order_id,
                    line=heading_index + 1,
                    body=section_fields,
                    meta={},
                    meta_lines={},
                    anchor=own_anchor or order_id.lower(),
                )
            )
        return records

    def read_fields(self, start: int, stop: int) -> dict[str, FieldValue]:
        return read_fields(self.lines, start, stop, self.in_code, self.settings.field_aliases)

    def declared_id(self, body: dict[str, FieldValue]) -> tuple[str | None, int, bool]:
        """The file's order ID, its line, and whether an ID was given at all."""
        declared_id, id_line, id_given = self._written_id(body)
        if declared_id is not None or id_given:
            return declared_id, id_line, id_given
        if self.own is not None:
            return self.own[0], self.own[2] + 1, False
        # "# ORDER-X: Title": the H1 names the file's order when the file says nothing else of
        # its ID and is an order by its name or its fields
        pattern = (
            rf"(?P<id>{self.settings.order_id_pattern})(?![\w.])[ \t]*(?:[:\u2014\u2013-].*)?$"
        )
        titled = re.match(pattern, self.h1[0]) if self.h1 else None
        if titled and self.h1 and (self.named_like_order or bool(_ORDER_FIELDS & {*body})):
            return titled.group("id"), self.h1[1], False
        return None, id_line, False

    def _written_id(self, body: dict[str, FieldValue]) -> tuple[str | None, int, bool]:
        """The order ID the file writes (frontmatter, then a ``**ORDER ID**:`` line), its line,
        and whether an ID was given at all (a bad one is reported). ``order_id`` and ``**ORDER
        ID**`` always mean an order, so a value that is not an order ID is reported; ``id`` is
        also used by plain pages and is reported only in a file named like an order. An ID in
        the wrong case is kept, upper-cased, and reported."""
        meta, named_like_order = self.meta, self.named_like_order
        for key in FRONTMATTER_ID_KEYS:
            if meta.get(key) is None:
                continue
            raw, line = meta[key], self.front.key_lines.get(key, 1)
            if isinstance(raw, (list, tuple, dict)):
                self.report(
                    diag.BAD_FIELD,
                    line,
                    f"'{key}' must be one order ID, not {_shape(raw)} ({diag.quote(raw)})",
                )
                return None, line, True
            explicit = key != "id" or named_like_order
            return self._order_id(diag.shown(raw).strip(), line, explicit), line, explicit
        # Only "ORDER ID" (or order_id) declares an ID in a body: "**ID**: CP4-GW-DC-001" in an
        # order is a task, and "**ID**: devstate" on another page is no order's. "- **Order
        # ID**: X" in weekly notes declares nothing; in a file named like an order it does.
        said = body.get("id")
        if (
            said is not None
            and fields.field_key(said.key) in _ORDER_ID_KEYS
            and (named_like_order or not said.in_list)
        ):
            text = fields.plain(" ".join(said.items))
            return self._order_id(text, said.line, True), said.line, True
        return None, 1, False

    def _id_in(self, text: str) -> str | None:
        """The order ID a text holds, as written or upper-cased (as ``_order_id`` reads it)."""
        pattern = self.settings.order_id_re
        found = pattern.search(text) or pattern.search(text.upper())
        return found.group(0) if found else None

    def _order_id(self, text: str, line: int, explicit: bool) -> str | None:
        # An invisible character (zero-width space, bidi control) cut the ID before it, with
        # no finding: the site showed another ID than the one the writer sees. It is read
        # as seen, and reported in an order's ID, or where it hid one; a plain page's id
        # may spell words with them (ZWNJ in Persian, ZWJ in an emoji).
        invisible = sorted({char for char in text if unicodedata.category(char) == "Cf"})
        raw, text = text, "".join(char for char in text if char not in invisible)
        if invisible and (explicit or self._id_in(text) not in (None, self._id_in(raw))):
            names = ", ".join(f"U+{ord(char):04X}" for char in invisible)
            self.report(
                diag.BAD_FIELD,
                line,
                f"the order ID holds invisible characters ({names}); it is read without "
                "them: delete them",
            )
        found = self.settings.order_id_re.search(text)
        if found:
            return found.group(0)
        upper = self.settings.order_id_re.search(text.upper())
        if upper:
            self.report(diag.BAD_FIELD, line, f"order IDs are upper case: write {upper.group(0)}")
            return upper.group(0)
        if explicit:
            self.report(
                diag.BAD_FIELD,
                line,
                f"{diag.quote(text)} is not an order ID (expected like ORDER-WRK-3-CP2-001)",
            )
        return None

    def file_record(
        self, declared_id: str | None, id_line: int, body: dict[str, FieldValue]
    ) -> OrderRecord:
        title = self.meta_title or (heading_attrs(self.own[1])[0] if self.own else "")
        if not title and self.h1:
            title = re.sub(
                rf"^\s*(?:{self.settings.order_id_pattern})\s*[:\u2014\u2013-]?\s*",
                "",
                self.h1[0],
            )
            title = _ORDER_LABEL.sub("", heading_attrs(title)[0])
        lang_match = self.settings.language_re.search(self.stem)
        return self.reader.order_record(
            kind="file",
            order_id=declared_id or "",
            title=title or self.stem,
            line=id_line if declared_id else 1,
            body=body,
            meta=self.meta,
            meta_lines=self.front.key_lines,
            lang=lang_match.group("lang").lower() if lang_match else None,
        )


#: the one-line fields read from a frontmatter block that does not parse: enough for the
#: order to keep its ID and show in the tables with its finding, not enough to guess more
_SALVAGED_KEYS = (*FRONTMATTER_ID_KEYS, "title", "status", "priority", "phase")
_SALVAGED_TEXT = frozenset({*FRONTMATTER_ID_KEYS, "title"})
_SALVAGED_VALUE = re.compile(r"^[\w-]+[ \t]*:[ \t]*(?P<value>[^#\[{&*!|>]\S*(?:[ \t]+\S+)*)[ \t]*$")


def _salvaged(lines: list[str], key_lines: dict[str, int], *, broken: int) -> dict[str, object]:
    """The ``key: text`` lines of a few keys in a frontmatter block that does not parse.
    One YAML mistake must not take the order's ID with it: without its ID an order vanishes
    from every table, and each mention of it looks like a reference to nothing. The line
    YAML stopped at (``broken``, 1-based) gives an ID or a title, which are text, but no
    status or priority: ``status: pending: since monday`` is the mistake, not a status."""
    out: dict[str, object] = {}
    key_lines = dict(key_lines)
    if not key_lines:  # a block never closed: its lines run to the first blank one
        for index, line in enumerate(lines[1:], start=1):
            if not line.strip() or line.startswith(("#", "---")):
                break
            key_lines.setdefault(line.split(":", 1)[0].strip(), index + 1)
    for key in _SALVAGED_KEYS:
        index = key_lines.get(key, 0) - 1
        if index + 1 == broken and key not in _SALVAGED_TEXT:
            continue
        match = _SALVAGED_VALUE.match(lines[index]) if 0 <= index < len(lines) else None
        if match:
            value = match.group("value")
            if len(value) > 1 and value[0] == value[-1] and value[0] in "'\"":
                value = value[1:-1]
            out[key] = value
    return out


def _milestone(path: str, meta: dict[str, object], title: str) -> tuple[str, str] | None:
    """The ID and title of a page in a ``milestones`` folder whose frontmatter gives both."""
    if "milestones" not in path.lower().split("/")[:-1]:
        return None
    raw_id = meta.get("id")
    if not isinstance(raw_id, (str, int)) or not fields.plain(title):
        return None
    return str(raw_id), fields.plain(title)


#: Fields that make a file whose H1 names an order that order's file.
_ORDER_FIELDS = frozenset({"owner", "status", "priority", "depends_on", "phase"})


def match_summary_heading(line: str, settings: Settings) -> tuple[re.Match[str] | None, bool]:
    """Match an order section heading; ``True`` when its ID is written in lower case
    ("#### order-wrk-2-cp2-003: ..."): such an order is kept (upper-cased) and reported."""
    match = settings.summary_heading_re.match(line)
    if match is not None:
        return match, False
    word = re.match(r"^(#+[ \t]+)(\S+?)(?=[:\u2014\u2013 \t]|$)", line)
    if word is None or word.group(2) != word.group(2).lower():
        return None, False  # "Order-Flow-2" is a name, not an ID in the wrong case
    # only the ID is upper-cased: the title keeps its case
    upper = word.group(1) + word.group(2).upper() + line[word.end() :]
    match = settings.summary_heading_re.match(upper)
    return match, match is not None
