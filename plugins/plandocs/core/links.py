"""Cross-linking: order IDs, ADR numbers and file names, order file names, task IDs and
phases written as plain text become links.

One pattern of ID *shapes* (not a list of known IDs) finds the references on a page, and a
dictionary says where each goes, so linking is linear in the size of the page however many
IDs the project holds. Code, existing links, raw HTML and references to the page itself are
left alone. The same reading, without linking, finds mentions (for "Referenced by") and
references to nothing (the diagnostics).
"""

from __future__ import annotations

import posixpath
import re
from bisect import bisect_right
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from functools import lru_cache
from urllib.parse import quote

from plandocs.core.graph import PlanningGraph
from plandocs.core.parse.blocks import code_mask
from plandocs.core.parse.fields import adr_id
from plandocs.core.parse.frontmatter import block_lines
from plandocs.core.settings import Settings
from plandocs.core.urls import SiteUrls

_ADR = r"ADR-?[0-9]{1,4}"
_ADR_FILE = r"(?i:adr)[-_]?[0-9]{1,4}(?:[-_.][A-Za-z0-9_.-]*?)?\.md"
# What a paragraph holds that is never linked into: code spans, links and images (inline
# and by reference), raw HTML (a whole <a>...</a>, or any tag), attribute lists, URLs.
# Each piece that has no end stops where the next piece of its kind starts (a tag at the
# next "<", an attribute list at the next "{"): the scan of a line of a thousand "<a>" or
# "{" without their ends is then linear in its length, not quadratic.
_PROTECTED = re.compile(
    # a code span's opening run of backticks; its end is found by ``_code_spans``
    r"(?P<ticks>(?<!`)`++)"
    r"|!?\[(?:[^\[\]]|\[[^\[\]]{0,2000}\]){0,2000}\](?:\((?:[^()]|\([^()]*+\))*+\)|\[[^\]]{0,200}\])?"
    r"|<a\b[^<>]*+>(?:[^<]++|<(?!/?a\b))*+</a>"
    r"|<[A-Za-z/!][^<>]*+>"
    r"|\{[^{}\n]*+\}"  # attribute lists: { #id .class title="..." }
    r"|(?:https?|mailto|ftp):\S+"
    r"|--8<--[^\n]*",  # a snippet include
    re.DOTALL,
)
# The start of a block-level HTML tag: Python-Markdown keeps its content raw until the tag
# closes.
_HTML_START = re.compile(
    r"^ {0,3}<(?P<tag>(?i:address|article|aside|blockquote|details|dialog|div|dl|fieldset|"
    r"figcaption|figure|footer|form|h1|h2|h3|h4|h5|h6|header|hr|iframe|main|nav|ol|p|pre|"
    r"script|section|style|table|ul))(?![\w-])"
)
# An admonition's first line: its words are a type and a title, read but never linked.
_ADMONITION = re.compile(r"^\s*(?:!!!|\?\?\?\+?)\s")
_LIST_OR_NOTE = re.compile(rf"^\s*(?:[-*+]|[0-9]+[.)])\s|{_ADMONITION.pattern}")
_IDS = re.compile(r'\bid="([^"]+)"')
_DEFINITION = re.compile(r"^ {0,3}\[[^\]]+\]:\s")


@dataclass(frozen=True, slots=True)
class Target:
    """Where a reference goes, and what its tooltip says."""

    id: str
    #: the Markdown source of the target's page (MkDocs turns links to it into URLs, with
    #: directory URLs on or off, and checks them)
    page: str
    anchor: str | None
    title: str
    status: str | None = None

    @property
    def tooltip(self) -> str:
        status = self.status.replace("_", " ") if self.status else None
        text = f"{self.title} ({status})" if status else self.title
        return text.replace('"', "'")


# A Markdown link's title as entities: a quote followed by a parenthesis, as in
# ``alert('x')``, ends the link early in Python-Markdown; as entities, quotes are text.
_TITLE_ENTITIES = str.maketrans({"'": "&#39;", '"': "&quot;"})


def markdown_link(target: Target, shown: str, page: str, *, local: bool) -> str:
    """``shown`` as a Markdown link from the source ``page`` to ``target`` (to its anchor
    on this page when ``local``), with the target's tooltip."""
    anchor = f"#{target.anchor}" if target.anchor else ""
    href = anchor if local else source_link(target.page, page) + anchor
    return f'[{shown}]({href} "{target.tooltip.translate(_TITLE_ENTITIES)}")'


@lru_cache(maxsize=1 << 16)
def source_link(target: str, page: str) -> str:
    """The relative Markdown link from the source ``page`` to the source ``target``."""
    here = [part for part in posixpath.dirname(page).split("/") if part]
    there = target.split("/")
    common = len(posixpath.commonprefix([here, there[:-1]]))
    return quote("/".join([".."] * (len(here) - common) + there[common:]))


#: writes a cross-link in running text: (target, the text as written, to this page?) -> text
LinkToken = Callable[[Target, str, bool], "str | None"]


@dataclass
class LinkIndex:
    """Every linkable ID and the one pattern that finds references."""

    settings: Settings
    targets: dict[str, Target]
    #: an order file's name without its language suffix (``X.md`` for ``X_RU.md``), when
    #: no file has that name -> the order: the reference is stale, and reported
    renamed: dict[str, Target] = field(default_factory=dict)
    #: order ID -> the name of its file, for the message about a stale name
    files: dict[str, str] = field(default_factory=dict)
    pattern: re.Pattern[str] = field(init=False)

    def __post_init__(self) -> None:
        settings = self.settings
        self.pattern = re.compile(
            # a path starts after no "/" either: else each of its folders would start a
            # scan to the line's end (quadratic in a line like "a/a/a/...")
            rf"(?<![\w.\\-])(?:(?P<file>(?<!/)(?:[\w.-]+/)*{settings.order_file_pattern})(?!\w)"
            rf"|(?P<adrfile>(?<!/)(?:[\w.-]+/)*{_ADR_FILE})(?!\w)"
            rf"|(?P<order>{settings.order_id_pattern})(?!\w)"
            rf"|(?P<adr>{_ADR})(?!\w)"
            rf"|(?P<task>{settings.task_id_pattern})(?:\.\.[0-9]+)?(?!\w|\.[0-9A-Za-z])"
            # "CP2.3" is a step of the plan, not the phase CP2 and ".3": linked whole or not
            rf"|(?P<phase>{settings.phase_pattern})(?!\w|-[A-Za-z0-9]|\.[0-9A-Za-z]))"
        )

    def _key(self, match: re.Match[str]) -> str:
        """The ID a reference names: a file's name, an ADR number padded (``ADR-16`` and
        ``ADR-016-gateway.md`` are ``ADR-016``), a range's first task, or the text. A file
        is known by its name: paths move with the docs."""
        text = match.group(0)
        if match.group("file"):
            return posixpath.basename(text)
        if match.group("adr") or match.group("adrfile"):
            return adr_id(text, self.settings.adr_id_width) or text
        return match.group("task") or text

    def resolve(self, match: re.Match[str]) -> Target | None:
        key = self._key(match)
        if match.group("file"):
            return self.targets.get(key) or self.renamed.get(key)
        if match.group("adrfile"):
            # the file itself, also when two files share its number; else the number's ADR
            return self.targets.get(posixpath.basename(match.group(0))) or self.targets.get(key)
        return self.targets.get(key)

    def stale(self, match: re.Match[str]) -> str | None:
        """For a file name that resolved through ``renamed``: the file's name now."""
        if not match.group("file"):
            return None
        name = posixpath.basename(match.group(0))
        if name in self.targets or name not in self.renamed:
            return None
        return self.files[self.renamed[name].id]

    def normalise(self, reference: str) -> str | None:
        """The ID an order, ADR, task or file reference names (see ``_key``); ``None`` for
        a phase, which is a page only when some order is in it."""
        match = self.pattern.fullmatch(reference)
        if match is None or match.group("phase"):
            return None
        return self._key(match)


def build_index(
    graph: PlanningGraph,
    settings: Settings,
    urls: SiteUrls,
    tasks: dict[str, tuple[str, str]] | None = None,
) -> LinkIndex:
    """The link targets of a sealed graph: orders, ADRs, phases, and the tasks defined on
    pages (``tasks``: ID -> page and the title of the line that defines it)."""
    targets: dict[str, Target] = {}
    for task_id, (page, title) in (tasks or {}).items():
        targets[task_id] = Target(task_id, page, task_id.lower(), title)
    renamed: dict[str, Target] = {}
    files: dict[str, str] = {}
    for order in graph.orders.values():
        target = Target(order.id, order.uri, order.anchor, order.title, order.status)
        targets[order.id] = target
        names = [posixpath.basename(v.path) for v in order.variants]
        if order.anchor is None:  # the order has a file of its own
            names.insert(0, posixpath.basename(order.path))
            files[order.id] = names[0]
        for name in names:
            targets[name] = target
            bare = settings.language_re.sub("", name[:-3]) + ".md"
            renamed.setdefault(bare, target)  # "X.md" names the translation "X_RU.md"
    for adr in graph.adrs.values():
        targets[adr.id] = Target(adr.id, adr.uri, None, adr.title, adr.status)
    for adr in (adr for files_of_number in graph.adr_files.values() for adr in files_of_number):
        targets[posixpath.basename(adr.path)] = Target(adr.id, adr.uri, None, adr.title, adr.status)
    for phase in graph.phases.values():
        targets[phase.id] = Target(phase.id, urls.phase_uri(phase), None, phase.title)
    return LinkIndex(
        settings, targets, {k: v for k, v in renamed.items() if k not in targets}, files
    )


@dataclass
class Linked:
    """A page after linking: its text, and the references found, resolved or not."""

    text: str
    linked: list[str] = field(default_factory=list)
    #: (1-based line, ID) for each reference to a known target, on this page or another
    found: list[tuple[int, str]] = field(default_factory=list)
    #: (1-based line, reference) for ID-shaped text that names nothing known
    unknown: list[tuple[int, str]] = field(default_factory=list)
    #: (1-based line, reference, the file's name now) for a file named by an old name
    stale: list[tuple[int, str, str]] = field(default_factory=list)


def skipped_lines(lines: list[str]) -> list[bool]:
    """``True`` for each line that is not Markdown text: fenced code, indented code, raw
    HTML blocks (until their tag closes) and HTML comments."""
    skip = code_mask(lines)
    tag, depth, comment = "", 0, False
    context = "start"  # what the last non-blank line was, for indented code
    code, blank_before = False, True
    for number, line in enumerate(lines):
        if skip[number]:
            context, blank_before = "code", False
            continue
        if comment or tag:
            skip[number] = True
            if comment:
                comment = "-->" not in line
            else:
                depth += len(re.findall(rf"<{tag}\b", line, re.IGNORECASE))
                depth -= len(re.findall(rf"</{tag}\s*>", line, re.IGNORECASE))
                tag = tag if depth > 0 else ""
            continue
        stripped = line.strip()
        if not stripped:
            blank_before = True
            continue
        indent = len(line) - len(line.lstrip(" \t").replace("\t", "    "))
        if code and indent >= 4:
            skip[number] = True
            continue
        code = False
        if indent >= 4 and blank_before and context in ("start", "text", "code"):
            code = skip[number] = True  # an indented code block after a paragraph
            blank_before = False
            continue
        if stripped.startswith("<!--"):
            skip[number] = True
            comment = "-->" not in stripped[4:]
        elif start := _HTML_START.match(line):
            skip[number] = True
            tag = start.group("tag").lower()
            depth = len(re.findall(rf"<{tag}\b", line, re.IGNORECASE))
            depth -= len(re.findall(rf"</{tag}\s*>", line, re.IGNORECASE))
            tag = tag if depth > 0 else ""
        context = "nested" if indent or _LIST_OR_NOTE.match(line) else "text"
        blank_before = False
    return skip


def link_references(
    markdown: str,
    page: str,
    index: LinkIndex,
    entries: frozenset[str] = frozenset(),
    *,
    linking: bool = True,
    token: LinkToken | None = None,
) -> Linked:
    """Turn the references in ``markdown`` (the source ``page``, relative to the docs) into
    relative links with the target's title and status as a tooltip. A heading that names
    one of ``entries`` (the orders a summary page lists) stays as written: it is the entry,
    and its card links the order's own page. So does the page's title. With ``linking``
    off, the references are only found.

    ``token(target, text, local)``, when given, writes a reference in running text (not in
    a heading, not a code span) in place of the Markdown link; ``local`` says the link goes
    to an anchor on the same page. A heading keeps a Markdown link: its text makes the
    heading's anchor and its table-of-contents entry."""
    lines = markdown.split("\n")
    return _link_lines(
        lines, skipped_lines(lines), page, index, entries, linking=linking, token=token
    )


def _link_lines(
    lines: list[str],
    skip: list[bool],
    page: str,
    index: LinkIndex,
    entries: frozenset[str],
    *,
    linking: bool,
    token: LinkToken | None = None,
) -> Linked:
    """``link_references`` of a page's ``lines``, whose ``skipped_lines`` are ``skip``, a
    paragraph at a time, so a link or code span that wraps onto the next line is one piece."""
    result = Linked("")
    out: list[str] = []
    block: list[int] = []
    # A phase is linked at its first mention in a section: "CP2" in every other sentence
    # of a summary made a page of links.
    phases: set[str] = set()

    def flush() -> None:
        if block:
            text = "\n".join(lines[n] for n in block)
            if index.pattern.search(text) is None:  # most paragraphs name nothing
                out.append(text)
            else:
                out.append(
                    _Block(text, block[0] + 1, page, index, result, linking, token, phases).run()
                )
            block.clear()

    for number, line in enumerate(lines):
        stripped = line.lstrip()
        heading = stripped.startswith("#") or _ADMONITION.match(line) is not None
        if skip[number] or not stripped or _DEFINITION.match(line) or heading:
            flush()
            if heading and not skip[number]:
                phases.clear()
                entry = entries and any(e in line for e in entries)
                # The page's title is read, not linked: MkDocs shows it in the nav and tab.
                keep = entry or not stripped.startswith("##")  # a title or an admonition
                heading_linking = linking and not keep
                out.append(_Block(line, number + 1, page, index, result, heading_linking).run())
            else:
                out.append(line)
            continue
        block.append(number)
    flush()
    result.text = "\n".join(out)
    return result


@dataclass
class _Block:
    """One paragraph (lines without a blank one between them) being linked. ``phases``, the
    phases already linked in this section, are not linked again (and gain those linked
    here)."""

    text: str
    first_line: int
    page: str
    index: LinkIndex
    out: Linked
    linking: bool
    token: LinkToken | None = None
    phases: set[str] | None = None
    starts: list[int] = field(init=False)
    ids: dict[int, set[str]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.starts = [0, *(m.end() for m in re.finditer("\n", self.text))]

    def run(self) -> str:
        parts: list[str] = []
        position = 0
        for start, end, inner in _protected(self.text):
            parts.append(self.prose(position, start))
            # A code span that is one reference and nothing else becomes a link around the
            # code; every other protected piece stays as it is.
            if inner is not None and self.index.pattern.fullmatch(inner.strip()):
                parts.append(self.link(inner.strip(), self.text[start:end], start, prose=False))
            else:
                parts.append(self.text[start:end])
            position = end
        parts.append(self.prose(position, len(self.text)))
        return "".join(parts)

    def ids_on(self, row: int) -> set[str]:
        if row not in self.ids:
            end = self.starts[row + 1] if row + 1 < len(self.starts) else len(self.text)
            self.ids[row] = set(_IDS.findall(self.text, self.starts[row], end))
        return self.ids[row]

    def prose(self, start: int, end: int) -> str:
        return self.index.pattern.sub(
            lambda m: self.link(m.group(0), m.group(0), start + m.start()), self.text[start:end]
        )

    def link(self, reference: str, shown: str, position: int, *, prose: bool = True) -> str:
        """``shown`` as a link to what ``reference`` names, or as it is."""
        row = bisect_right(self.starts, position) - 1
        number = self.first_line + row
        match = self.index.pattern.fullmatch(reference)
        target = self.index.resolve(match) if match else None
        if target is None or match is None:
            self.out.unknown.append((number, reference))
            return shown
        self.out.found.append((number, target.id))
        current = self.index.stale(match)
        if current is not None:
            self.out.stale.append((number, reference, current))
        local = target.page == self.page
        if not self.linking or not self._links(target, match, row, local):
            return shown
        self.out.linked.append(target.id)
        made = self.token(target, shown, local) if self.token and prose else None
        return made or markdown_link(target, shown, self.page, local=local)

    def _links(self, target: Target, match: re.Match[str], row: int, local: bool) -> bool:
        """Whether a resolved reference becomes a link: not to the page itself, nor on the
        line that defines the target, nor a phase already linked in this section."""
        if local and not (target.anchor and target.anchor not in self.ids_on(row)):
            return False
        if self.phases is not None and match.group("phase"):
            if target.id in self.phases:
                return False
            self.phases.add(target.id)
        return True


def _protected(text: str) -> list[tuple[int, int, str | None]]:
    """The pieces of ``text`` that are never linked into (``_PROTECTED``), left to right:
    (start, end, a code span's content or None). A code span ends at the next run of as
    many backticks (CommonMark), looked up in a table of the runs: a pattern that scans to
    the end for each run is quadratic in a line of backticks."""
    out: list[tuple[int, int, str | None]] = []
    runs: dict[int, list[int]] = {}  # where each run of backticks starts, by its length
    for run in re.finditer("`+", text):
        runs.setdefault(run.end() - run.start(), []).append(run.start())
    position = 0
    while (found := _PROTECTED.search(text, position)) is not None:
        ticks = found.group("ticks")
        if ticks is None:
            out.append((found.start(), found.end(), None))
            position = found.end()
            continue
        starts = runs[len(ticks)]
        after = bisect_right(starts, found.start())
        if after == len(starts):
            position = found.end()  # no run closes it: the backticks are text
            continue
        close = starts[after]
        out.append((found.start(), close + len(ticks), text[found.end() : close]))
        position = close + len(ticks)
    return out


@dataclass(frozen=True, order=True, slots=True)
class Mention:
    """A page's text names a target: where, under which heading."""

    title: str  # the page's title
    uri: str
    section: str  # the nearest heading above, "" before the first
    line: int


@dataclass
class References:
    """What the pages' text names: mentions of known targets by ID (each page once per
    target and section), and references to nothing as (uri, line, reference, ID)."""

    mentions: dict[str, list[Mention]] = field(default_factory=dict)
    unknown: list[tuple[str, int, str, str]] = field(default_factory=list)
    #: (uri, line, reference, the file's name now) for order files named by an old name
    stale: list[tuple[str, int, str, str]] = field(default_factory=list)
    #: task ID -> the page that defines it (first in path order) and what it says of it
    tasks: dict[str, tuple[str, str]] = field(default_factory=dict)


_HEADING = re.compile(r"^ {0,3}#{1,6}[ \t]+(?P<text>.*?)[ \t#]*(?:\{[^}]*\})?[ \t]*$")


@dataclass(frozen=True, slots=True)
class PageScan:
    """What one page's text names, before anything is resolved: a function of the text
    and the settings alone, so the parse cache keeps it with the file."""

    #: (1-based line, the reference as written, the nearest heading above it)
    references: tuple[tuple[int, str, str], ...]
    title: str  # the page's first H1, a title that is no section
    #: task ID -> 1-based line and what the line says of it (``_tasks_in``)
    tasks: dict[str, tuple[int, str]]


@lru_cache(maxsize=8)
def _finder(settings: Settings) -> LinkIndex:
    """An index that knows no target: linking with it finds every reference, unresolved."""
    return LinkIndex(settings, {})


def scan_page(text: str, settings: Settings) -> PageScan:
    """The references in a page's text (outside its frontmatter, which the parser reads as
    planning fields), with their sections, and the tasks it defines."""
    lines = text.split("\n")
    front = block_lines(text)
    lines[:front] = [""] * front  # the body is read as MkDocs reads it, after these
    # one reading of which lines are text serves the references, sections and tasks
    skip = skipped_lines(lines)
    found = _link_lines(lines, skip, "", _finder(settings), frozenset(), linking=False).unknown
    sections = _sections(lines, skip) if found else [""]
    return PageScan(
        tuple((line, reference, sections[line - 1]) for line, reference in found),
        sections[-1],
        _tasks_in(lines, skip, settings),
    )


def scan_references(
    scans: dict[str, tuple[PageScan, str]], index: LinkIndex, reported: set[tuple[str, int, str]]
) -> References:
    """Resolve what each page names (by source URI: its scan and its title). References in
    ``reported`` (uri, line, ID), already reported from the planning fields, and those of
    other systems (``external_ids``) are not listed as unknown."""
    external = index.settings.external_ids_re
    out = References()
    looked: dict[str, tuple[Target | None, str | None, str | None]] = {}
    for uri in sorted(scans):
        scan, title = scans[uri]
        seen: set[tuple[str, str]] = set()
        for line, reference, section in scan.references:
            # the same IDs are named on page after page: each text is looked up once
            known = looked.get(reference)
            if known is None:
                known = looked[reference] = _look_up(index, reference)
            target, current, normal = known
            if target is None:
                if normal is None or (uri, line, normal) in reported:
                    continue
                if external is not None and external.fullmatch(reference):
                    continue
                out.unknown.append((uri, line, reference, normal))
                continue
            if current is not None:
                out.stale.append((uri, line, reference, current))
            # a mention of the page itself, by the ID's own page (two ADR files may share it)
            if index.targets[target.id].page == uri or (target.id, section) in seen:
                continue
            seen.add((target.id, section))
            where = "" if section in (title, scan.title) else section
            out.mentions.setdefault(target.id, []).append(Mention(title, uri, where, line))
    for mentions in out.mentions.values():
        mentions.sort()
    return out


def _look_up(index: LinkIndex, reference: str) -> tuple[Target | None, str | None, str | None]:
    """What a reference names: its target and, for a file renamed since, the file's name
    now; or, when it names nothing, the ID it would name (``LinkIndex.normalise``)."""
    match = index.pattern.fullmatch(reference)
    target = index.resolve(match) if match else None
    if target is None or match is None:
        return None, None, index.normalise(reference)
    return target, index.stale(match), None


def _sections(lines: list[str], skip: list[bool]) -> list[str]:
    """For each line, the text of the nearest heading above it (outside code, ``skip``);
    the last item is the page's first H1, a title that is no section."""
    current, title, out = "", "", []
    for number, line in enumerate(lines):
        match = None if skip[number] else _HEADING.match(line)
        if match:
            current = match.group("text").strip()
            if not title and line.lstrip().startswith("# "):
                title = current
        out.append(current)
    return [*out, title]


def _definitions(
    lines: list[str], skip: list[bool], settings: Settings
) -> Iterator[tuple[int, re.Match[str]]]:
    """The line that defines each task, the first for each ID, outside the lines ``skip``
    marks: a list item or a table row that starts with its ID (in backticks or bold, or
    bare), then a colon or the next cell; or a task's ID line in an order
    (``**ID**: CP4-GW-DC-001``), whose paragraph is the task."""
    task = settings.task_id_pattern
    definition = re.compile(
        rf"^(?P<lead>[ \t]*(?:[-*+]|[0-9]+[.)]|\|)[ \t]+(?:\[[ xX]\][ \t]+)?)(?P<mark>`|\*\*)?"
        rf"(?P<id>{task})(?P=mark)?(?P<rest>[ \t]*(?::|\|).*)$"
    )
    id_line = re.compile(
        rf"^(?P<lead>[ \t]*)\*\*(?:Task[ \t]+)?ID\*\*[ \t]*:[ \t]*(?P<mark>`)?"
        rf"(?P<id>{task})(?P=mark)?(?P<rest>[ \t]*)$",
        re.IGNORECASE,
    )
    seen: set[str] = set()
    for number, line in enumerate(lines):
        match = None if skip[number] else definition.match(line) or id_line.match(line)
        if match and match.group("id") not in seen:
            seen.add(match.group("id"))
            yield number, match


def _tasks_in(lines: list[str], skip: list[bool], settings: Settings) -> dict[str, tuple[int, str]]:
    """Tasks a page defines: ID -> 1-based line and what the line says of it."""
    found: dict[str, tuple[int, str]] = {}
    for number, match in _definitions(lines, skip, settings):
        rest = match.group("rest").strip().lstrip(":|").strip("*_` \t")
        if not rest and number + 1 < len(lines) and not skip[number + 1]:
            rest = lines[number + 1].strip()  # "**ID**: X" then the task's text
        found[match.group("id")] = (number + 1, rest.split("|")[0].strip("*_` \t"))
    return found


def anchor_tasks(markdown: str, settings: Settings, tasks: set[str]) -> str:
    """Put an anchor before the definition of each of ``tasks`` on this page, for the links
    to it (``<a id="cp3-gw-001"></a>`` in the list item or table cell)."""
    lines = markdown.split("\n")
    for number, match in _definitions(lines, skipped_lines(lines), settings):
        if match.group("id") in tasks:
            lead = match.group("lead")
            anchor = f'<a id="{match.group("id").lower()}"></a>'
            lines[number] = lead + anchor + lines[number][len(lead) :]
    return "\n".join(lines)
