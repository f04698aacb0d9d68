"""New orders and ADRs, written the way the project already writes them (``plandocs new``).

Pure: a loaded ``Project`` and the request in, the new file's path and text (and, for an
ADR, the edits to the ADRs it supersedes or links) out. A new order takes the shape most
order files have, a new ADR the one most ADRs of its folder have: never a shape no file has.
"""

from __future__ import annotations

import datetime
import itertools
import json
import posixpath
import re
import unicodedata
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Protocol

import yaml
from yaml.nodes import ScalarNode

from plandocs.core.diagnostics import Suggester
from plandocs.core.graph import PlanningGraph
from plandocs.core.model import Adr, Order, SourceDoc
from plandocs.core.parse import frontmatter
from plandocs.core.parse.adrs import (
    DATED_LINE,
    HEADING_STATUS,
    SUPERSEDED_BY,
    heading_number,
    is_adr,
    section_status,
    status_of,
    status_successor,
)
from plandocs.core.parse.blocks import HEADING, hidden_mask
from plandocs.core.parse.fields import FIELD_NAMES, PRIORITIES, adr_id
from plandocs.core.settings import Settings

_NUMBERED = re.compile(r"(?P<prefix>(?i:adr)[-_]?)?(?P<number>[0-9]+)(?P<sep>[-_])(?P<slug>.+)\.md")
_H1 = re.compile(r"^#[ \t]+(?P<text>.+?)[ \t#]*$", re.MULTILINE)
_BOLD_KEY = re.compile(
    r"^[ \t]*(?:[-*+][ \t]+)?\*\*(?P<key>[^*\n]{1,40}?)\*\*[ \t]*:", re.MULTILINE
)
_MADR2_STATUS = re.compile(r"^(?P<head>[ \t]*[-*+][ \t]+Status:[ \t]*)(?P<value>.*)$", re.MULTILINE)
_BOLD_STATUS = re.compile(
    r"^(?P<head>[ \t]*(?:>[ \t]?)*(?:[-*+][ \t]+)?\*\*Status\*\*[ \t]*:[ \t]*+)"
    # the value up to its trailing blanks, each run of blanks taken once (a lazy value took
    # time quadratic in a long run of them)
    r"(?P<value>(?:[^ \t\n]|[ \t]++(?=[^ \t\n]))*+)(?P<tail>[ \t]*)$",
    re.MULTILINE | re.IGNORECASE,
)
_SECTION = re.compile(r"^##[ \t]+(?P<name>[^\n#]+?)[ \t#]*$", re.MULTILINE)


class _Dumper(yaml.SafeDumper):
    """YAML as the teams write it by hand: list items indented under their key."""

    def increase_indent(self, flow: bool = False, indentless: bool = False) -> None:
        super().increase_indent(flow, False)


def _yaml(data: dict[str, object]) -> str:
    return yaml.dump(data, Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=1000)


class Project(Protocol):
    """What scaffolding reads of a loaded project (``plandocs.project.load``)."""

    settings: Settings
    graph: PlanningGraph
    docs: dict[str, SourceDoc]


class ScaffoldError(ValueError):
    """The request cannot be met; the message is one line that says why and what to do."""


@dataclass(frozen=True)
class AdrEdit:
    """A change to an existing ADR: the relation line to add (``Superseded by [..](..)``,
    ``Amended by [..](..)``), and whether its status becomes superseded."""

    path: str
    kind: str
    link: str
    supersede: bool
    #: the day of a supersession, for a dated status log (npm adr-tools: "2023-05-10 accepted")
    date: str = ""
    #: the team's own status words (``adr_statuses``), which give way as the usual ones do
    statuses: tuple[str, ...] = ()


@dataclass(frozen=True)
class NewFile:
    """A file to create (``path`` relative to the project root) and the ADRs to edit."""

    path: str
    text: str
    id: str
    edits: tuple[AdrEdit, ...] = ()


def new_order(
    project: Project,
    title: str,
    owner: str,
    phase: str,
    *,
    depends_on: Sequence[str] = (),
    priority: str | None = None,
) -> NewFile:
    """The next order of ``owner`` in ``phase``: ``ORDER-WRK-3-CP3-NNN``, one more than the
    highest such ID the project holds, in the format and folder of its order files."""
    title = _one_line(title)
    owner_part = owner.strip().lstrip("@").upper()
    phase_id = phase.strip().upper()
    settings = project.settings
    if not re.fullmatch(r"[A-Z0-9]+(?:-[A-Z0-9]+)*", owner_part):
        raise ScaffoldError(
            f"owner '{owner}' cannot be part of an order ID; use letters, digits, -"
        )
    if not re.fullmatch(settings.phase_pattern, phase_id):
        raise ScaffoldError(
            f"'{phase}' is not a phase of this project (phase_pattern '{settings.phase_pattern}')"
        )
    if priority is not None and priority.lower() not in PRIORITIES:
        raise ScaffoldError(f"priority must be one of {', '.join(PRIORITIES)}, not '{priority}'")
    order_id = _next_order_id(project, f"ORDER-{owner_part}-{phase_id}-")
    if not re.fullmatch(settings.order_id_pattern, order_id):
        raise ScaffoldError(
            f"this project's order IDs (order_id_pattern '{settings.order_id_pattern}') have no "
            f"form like {order_id}; write this order by hand"
        )
    wanted = [_known_order(project, ref) for ref in depends_on]
    fields: dict[str, object] = {
        "id": order_id,
        "title": title,
        "owner": owner.strip().lstrip("@"),
        "priority": priority.lower() if priority else None,
        "status": "planned",
        "phase": phase_id,
        "depends_on": wanted,
    }
    folder = _order_folder(project, owner_part, phase_id)
    name = f"ORDER_{owner_part}_{phase_id}_{_slug(title, upper=True)}".replace("-", "_") + ".md"
    files = _order_files(project)
    votes = Counter(_front(text).present for text in files)
    front = votes[True] >= votes[False]
    text = (_order_frontmatter if front else _order_bold)(fields, _spellings(files, front))
    return NewFile(posixpath.join(folder, name), text, order_id)


def _next_order_id(project: Project, prefix: str) -> str:
    numbers = [
        match.group(1)
        for known in project.graph.orders
        if (match := re.fullmatch(re.escape(prefix) + r"([0-9]+)", known))
    ]
    widths = Counter(len(number) for number in numbers)
    width = widths.most_common(1)[0][0] if widths else 3
    following = max((int(number) for number in numbers), default=0) + 1
    return f"{prefix}{following:0{width}d}"


def _known_order(project: Project, ref: str) -> str:
    wanted = ref.strip().upper()
    if wanted in project.graph.orders:
        return wanted
    hint = Suggester(project.graph.orders).hint(wanted)
    raise ScaffoldError(f"--depends-on {ref}: no order has that ID{hint}")


def _order_files(project: Project) -> list[str]:
    """The texts, by path, of the files that are an order of the ``ORDER-`` kind each: the
    model a new one follows (a Backlog.md task in the same project is written by its own tool)."""
    out: dict[str, str] = {}
    for order in project.graph.orders.values():
        doc = project.docs.get(order.uri)
        if order.anchor is None and doc is not None and order.id.startswith("ORDER-"):
            out[order.path] = doc.text
    return [text for _, text in sorted(out.items())]


def _order_folder(project: Project, owner: str, phase: str) -> str:
    """Where orders of that owner and phase are, else orders of that phase, else the orders
    folder, else where most order files are."""
    files = [
        (order, posixpath.dirname(order.path))
        for order in project.graph.orders.values()
        if order.anchor is None and order.id.startswith("ORDER-") and not order.archived
    ]
    base = phase.split("-", 1)[0]
    alike: tuple[Callable[[Order], bool], ...] = (
        lambda order: order.id.startswith(f"ORDER-{owner}-{phase}-"),
        lambda order: order.phase == phase,
        lambda order: (order.phase or "").split("-", 1)[0] == base,
    )
    for test in alike:
        found = Counter(folder for order, folder in files if test(order))
        if found:
            return found.most_common(1)[0][0]
    if project.settings.orders_dir:
        return project.settings.orders_dir.strip("/")
    found = Counter(folder for _, folder in files)
    return found.most_common(1)[0][0] if found else "docs"


_ORDER_FIELDS = ("id", "title", "owner", "priority", "status", "phase", "depends_on")
#: A field's name when no order file spells it: the names ``parse.fields`` reads.
_FRONTMATTER_NAMES = {name: name for name in _ORDER_FIELDS}
_BOLD_NAMES = {
    "id": "ORDER ID",
    "owner": "Owner",
    "priority": "Priority",
    "status": "Status",
    "phase": "Phase",
    "depends_on": "Dependencies",
}


def _spellings(files: Iterable[str], frontmatter: bool) -> dict[str, str]:
    """For each field, the name most order files write it under (``to`` or ``owner``)."""
    seen: dict[str, Counter[str]] = {}
    for text in files:
        for key in _keys(text, frontmatter=frontmatter):
            name = FIELD_NAMES.get(
                " ".join(key.lower().replace("_", " ").replace("-", " ").split())
            )
            if name is not None:
                seen.setdefault(name, Counter())[key] += 1
    defaults = _FRONTMATTER_NAMES if frontmatter else _BOLD_NAMES
    return {
        name: seen[name].most_common(1)[0][0] if name in seen else default
        for name, default in defaults.items()
    }


def _keys(text: str, *, frontmatter: bool) -> list[str]:
    if frontmatter:
        return [str(key) for key in _front(text).data]
    return [match.group("key").strip() for match in _BOLD_KEY.finditer(text)]


def _front(text: str) -> frontmatter.Frontmatter:
    return frontmatter.read(text.removeprefix("\ufeff"))


_ORDER_SECTIONS = (
    "## Context\n\n<!-- Why this order exists. -->\n\n"
    "## Deliverables\n\n<!-- What is handed over when it is done. -->\n"
)


def _order_frontmatter(fields: dict[str, object], names: dict[str, str]) -> str:
    block = _yaml({names[name]: fields[name] for name in _ORDER_FIELDS if fields[name]})
    return f"---\n{block}---\n\n# {fields['id']}: {fields['title']}\n\n{_ORDER_SECTIONS}"


def _order_bold(fields: dict[str, object], names: dict[str, str]) -> str:
    lines = [f"# {fields['id']}: {fields['title']}", ""]
    for name in ("id", "owner", "priority", "status", "phase"):
        if fields[name]:
            lines.append(f"**{names[name]}**: {fields[name]}  ")
    depends = fields["depends_on"]
    if isinstance(depends, list) and depends:
        lines.append(f"**{names['depends_on']}**:")
        lines.extend(f"- {ref}" for ref in depends)
    return "\n".join(lines) + "\n\n" + _ORDER_SECTIONS


@dataclass(frozen=True)
class _AdrStyle:
    shape: str
    prefix: str  # of file names: "", "ADR-", "adr-"
    width: int  # of the number in file names
    sep: str


def new_adr(
    project: Project,
    title: str,
    *,
    today: str,
    supersedes: Sequence[str] = (),
    links: Sequence[str] = (),
    folder: str | None = None,
    adr_dir_file: str | None = None,
) -> NewFile:
    """The next ADR: numbered one past the highest ADR number of the project, in the folder
    of its ADRs (``folder``, else the one adr-tools' ``.adr-dir`` names, else the only one),
    in the shape most ADRs there have; with the edits that make each relation two-way.
    ``links`` are adr-tools' ``-l``: ``"TARGET:LINK:REVERSE-LINK"``."""
    title = _one_line(title)
    folder = _adr_folder(project, folder or adr_dir_file)
    here = [adr for adr in project.graph.adrs.values() if posixpath.dirname(adr.path) == folder]
    style = _adr_style(project, here)
    number = 1 + max(
        (
            adr.number
            for adr in project.graph.adrs.values()
            if adr.number is not None and adr.id.startswith("ADR-")
        ),
        default=0 if style.shape != "madr" else -1,
    )
    width = project.settings.adr_id_width
    new_id = f"ADR-{number:0{width}d}"
    path = _adr_path(project.settings, folder, style, number, _slug(title, upper=False))
    me = _link_text(style, number, title, new_id)
    relations: list[tuple[str, Adr]] = []
    edits: list[AdrEdit] = []
    for ref in supersedes:
        old = _known_adr(project, ref, "--supersedes")
        relations.append(("Supersedes", old))
        link = _link(me, path, old.path)
        statuses = project.settings.adr_statuses
        edits.append(AdrEdit(old.path, "Superseded by", link, True, today, statuses))
    for raw in links:
        target, kind, reverse = _link_option(raw)
        old = _known_adr(project, target, "--link")
        relations.append((kind, old))
        edits.append(AdrEdit(old.path, reverse, _link(me, path, old.path), False))
    # once each: "-s 6 -s 06 -s ADR-6" name one ADR, which is to say so once, not thrice
    relations = list({(kind, old.id): (kind, old) for kind, old in relations}.values())
    edits = list(dict.fromkeys(edits))
    lines = [
        f"{kind} {_link(_link_text(style, old.number or 0, old.title, old.id), old.path, path)}"
        for kind, old in relations
    ]
    text = _adr_text(
        style.shape, number=number, width=width, title=title, today=today, relations=lines
    )
    return NewFile(path, text, new_id, tuple(edits))


def _adr_path(settings: Settings, folder: str, style: _AdrStyle, number: int, slug: str) -> str:
    path = posixpath.join(folder, f"{style.prefix}{number:0{style.width}d}{style.sep}{slug}.md")
    if is_adr(path, {}, settings):
        return path
    # a folder not named like one of ADRs (docs/notes): a name that says ADR
    path = posixpath.join(folder, f"ADR-{number:0{settings.adr_id_width}d}-{slug}.md")
    if not is_adr(path, {}, settings):
        raise ScaffoldError(
            f"{path} would not be read as an ADR (adr_file_pattern); name another "
            "folder with --dir, like docs/adr"
        )
    return path


def _link_option(raw: str) -> tuple[str, str, str]:
    """adr-tools' ``-l TARGET:LINK:REVERSE-LINK``."""
    parts = raw.split(":")
    if len(parts) != 3 or not all(p.strip() for p in parts):
        raise ScaffoldError(
            f"--link '{raw}' must be TARGET:LINK:REVERSE-LINK, like '3:Amends:Amended by'"
        )
    # one line each, like a title: a line break would write a heading of its own ("## Status")
    # into both ADRs
    return parts[0], " ".join(parts[1].split()), " ".join(parts[2].split())


def _adr_folder(project: Project, named: str | None) -> str:
    if named is not None:
        return named.strip("/") or "."
    folders = Counter(
        posixpath.dirname(adr.path)
        for adr in project.graph.adrs.values()
        if adr.id.startswith("ADR-")
    )
    if len(folders) == 1:
        return next(iter(folders))
    if not folders and project.graph.adrs:
        raise ScaffoldError(
            "this project's ADRs have no numbers (log4brains names them by day); write the "
            "new one with the team's ADR tool, or name a folder for numbered ones with --dir"
        )
    if not folders:
        raise ScaffoldError("the project has no ADR yet; name the folder with --dir")
    raise ScaffoldError(
        f"ADRs are in {len(folders)} folders ({', '.join(sorted(folders))}); name one with --dir"
    )


def _adr_style(project: Project, adrs: Sequence[Adr]) -> _AdrStyle:
    shapes = Counter[str]()
    names = Counter[tuple[str, int, str]]()
    for adr in adrs:
        doc = project.docs.get(adr.uri)
        if doc is not None:
            shapes[adr_shape(doc.text)] += 1
        match = _NUMBERED.fullmatch(posixpath.basename(adr.path))
        if match:
            names[
                (match.group("prefix") or "", len(match.group("number")), match.group("sep"))
            ] += 1
    if adrs and not names:
        raise ScaffoldError(
            "the ADRs of this folder are not named by number (log4brains names them by day); "
            "write this one with the team's ADR tool"
        )
    # ties go to the shape of the newest ADR
    newest = {
        adr_shape(project.docs[adr.uri].text): adr.number or 0
        for adr in sorted(adrs, key=lambda a: a.number or 0)
        if adr.uri in project.docs
    }
    shape = max(shapes, key=lambda s: (shapes[s], newest.get(s, 0)), default="nygard")
    prefix, width, sep = names.most_common(1)[0][0] if names else ("", 4, "-")
    return _AdrStyle(shape, prefix, width, sep)


def adr_shape(text: str) -> str:
    """Which shape an ADR file is written in: frontmatter and a numbered heading
    (the team's), frontmatter (MADR 3, 4), ``* Status:`` bullets (MADR 2), ``**Status**:``
    lines, or a ``## Status`` section (Nygard, adr-tools)."""
    text = text.removeprefix("\ufeff")
    front = frontmatter.read(text)
    body = _prose("\n".join(text.split("\n")[front.body_start :]))
    heading = _H1.search(body)
    numbered = heading is not None and heading_number(heading.group("text")) is not None
    sections = {m.group("name").strip().lower() for m in _SECTION.finditer(body)}
    if front.present:
        return "team" if numbered and "status" in sections else "madr"
    if "status" in sections:
        return "nygard"
    if _MADR2_STATUS.search(body):
        return "madr2"
    if _BOLD_STATUS.search(body):
        return "bold"
    return "nygard" if numbered else "madr"


def _known_adr(project: Project, ref: str, option: str) -> Adr:
    width = project.settings.adr_id_width
    raw = ref.strip()
    wanted = f"ADR-{int(raw):0{width}d}" if raw.isdigit() else adr_id(raw, width)
    if wanted is None or wanted not in project.graph.adrs:
        raise ScaffoldError(f"{option} {ref}: no ADR has that number")
    return project.graph.adrs[wanted]


def _link_text(style: _AdrStyle, number: int, title: str, adr_id: str) -> str:
    if style.shape == "nygard":
        return f"{number}. {title}"
    if style.shape in ("madr", "madr2"):
        return f"ADR-{number:0{style.width}d}"
    return f"{adr_id}: {title}"


def _link(text: str, target: str, source: str) -> str:
    """``[text](target)`` as written in ``source``: the path relative to its folder."""
    relative = posixpath.relpath(target, posixpath.dirname(source) or ".")
    shown = text.replace("\\", "\\\\").replace("[", "\\[").replace("]", "\\]")
    return f"[{shown}]({relative.replace(' ', '%20')})"


_NYGARD_BODY = (
    "## Context\n\n"
    "The issue motivating this decision, and any context that influences or constrains the "
    "decision.\n\n"
    "## Decision\n\n"
    "The change that we're proposing or have agreed to implement.\n\n"
    "## Consequences\n\n"
    "What becomes easier or more difficult to do and any risks introduced by the change that "
    "will need to be mitigated.\n"
)
_MADR_BODY = (
    "## Context and Problem Statement\n\n<!-- The problem, in two or three sentences. -->\n\n"
    "## Considered Options\n\n* <!-- option 1 -->\n\n"
    "## Decision Outcome\n\n<!-- Chosen option, because ... -->\n\n"
    "### Consequences\n\n<!-- Good, because ...; bad, because ... -->\n"
)


def _adr_text(
    shape: str,
    *,
    number: int,
    width: int,
    title: str,
    today: str,
    relations: list[str],
) -> str:
    links = "".join(f"\n{line}\n" for line in relations)
    if shape == "nygard":  # adr-tools' template: a new decision is accepted
        head = f"# {number}. {title}\n\nDate: {today}\n\n## Status\n\nAccepted\n"
        return f"{head}{links}\n{_NYGARD_BODY}"
    if shape == "team":
        # a date, not text: written as the team writes it (2024-11-04, unquoted)
        day = datetime.date.fromisoformat(today)
        head = _yaml({"title": title, "status": "proposed", "date": day})
        return (
            f"---\n{head}---\n\n# ADR-{number:0{width}d}: {title}\n\n## Status\n\nProposed\n"
            f"{links}\n{_NYGARD_BODY}"
        )
    section = "\n## Links\n" + "".join(f"\n* {line}" for line in relations) + "\n"
    more = section if relations else ""
    if shape == "madr":
        return f"---\nstatus: proposed\ndate: {today}\n---\n\n# {title}\n\n{_MADR_BODY}{more}"
    if shape == "madr2":
        return f"# {title}\n\n* Status: proposed\n* Date: {today}\n\n{_MADR_BODY}{more}"
    return (
        f"# ADR-{number:0{width}d}: {title}\n\n**Status**: Proposed  \n**Date**: {today}\n\n"
        f"{_NYGARD_BODY}{more}"
    )


def edit_adr(text: str, edit: AdrEdit) -> str:
    """``text`` (an ADR file, LF line endings) with the relation line of ``edit`` added where
    its shape keeps relations, and, for a supersession, its status made superseded, as
    adr-tools does: a bare status word in a ``## Status`` section gives way to the link."""
    shape = adr_shape(text)
    line = f"{edit.kind} {edit.link}"
    if (
        edit.supersede
        and shape in ("madr", "madr2", "bold")
        and (status_successor(_status_value(text, shape)) or ("",))[0] == SUPERSEDED_BY
    ):
        # superseded already: its status value names the first successor, which writing
        # the new one over it would lose; the new one goes beside it, under its links
        return _into_links_section(text, f"* {line}")
    if edit.supersede:
        text = _front_status(text, "superseded" if shape == "team" else None, line, edit.path)
    if shape in ("nygard", "team"):
        return _into_status_section(
            text, line, drop_status=edit.supersede, date=edit.date, extra=edit.statuses
        )
    if edit.supersede and shape == "madr" and frontmatter.read(text).present:
        return text  # the status value holds the link
    # "madr" without frontmatter is an ADR with no status plandocs can read (none at all, a
    # setext "Status" heading): the relation goes to its links section, never nowhere
    if edit.supersede and shape == "madr2":
        return _sub_first(_MADR2_STATUS, lambda m: m.group("head") + _lower_first(line), text)
    if edit.supersede and shape == "bold":
        return _sub_first(_BOLD_STATUS, lambda m: m.group("head") + line + m.group("tail"), text)
    return _into_links_section(text, f"* {line}")


def _status_value(text: str, shape: str) -> str:
    """The status an ADR of a shape that holds relations in it (MADR, bold) says, or ""."""
    if shape == "madr":
        lines = text.split("\n")
        said = _front_status_line(lines, frontmatter.read(text).body_start)
        return lines[said[0]][said[1].end() :] if said else ""
    match = (_MADR2_STATUS if shape == "madr2" else _BOLD_STATUS).search(_prose(text))
    return match.group("value") if match else ""


def _code_lines(lines: list[str]) -> list[bool]:
    """``True`` for each line no heading is taken from: the frontmatter, fenced code and
    HTML comments. An ADR that shows an ADR in a code block (``## Status``, ``* Status:``)
    must keep that example byte for byte; its own status is outside it."""
    in_code = hidden_mask(lines)
    body_start = frontmatter.read("\n".join(lines)).body_start
    in_code[:body_start] = [True] * body_start
    return in_code


def _prose(text: str) -> str:
    """``text`` with each line of fenced code or comment blanked to as many spaces (so
    offsets hold)."""
    lines = text.split("\n")
    mask = hidden_mask(lines)
    blanked = (" " * len(line) if code else line for line, code in zip(lines, mask, strict=True))
    return "\n".join(blanked)


def _sub_first(pattern: re.Pattern[str], change: Callable[[re.Match[str]], str], text: str) -> str:
    """``text`` with the first match of ``pattern`` outside code and comments changed (on
    one line: the patterns match no newline, so the match's groups are the text's own)."""
    match = pattern.search(_prose(text))
    if match is None:
        return text
    return text[: match.start()] + change(match) + text[match.end() :]


def _lower_first(text: str) -> str:
    return text[:1].lower() + text[1:]


#: a YAML value line's comment: after a blank, outside quotes ("C#" has none)
_YAML_COMMENT = re.compile(r"""(?:[^"'#]|"[^"\n]*"|'[^'\n]*')*?(?P<comment>[ \t]+#.*)$""")


def _front_status(text: str, word: str | None, line: str, path: str) -> str:
    """The frontmatter's ``status:`` line set to ``word`` (the team's shape, whose status
    section holds the link) or to the relation itself (MADR: ``superseded by [..](..)``).
    ``ScaffoldError`` for frontmatter that is no mapping or never closed: a line written
    into it would land in a list, or in the body."""
    front = frontmatter.read(text)
    if not front.present:
        return text
    if front.error is not None:
        _, at, message = front.error
        raise ScaffoldError(f"{path}:{at}: {message}")
    lines = text.split("\n")
    value = word if word is not None else _lower_first(line)
    quoted = yaml.safe_dump(value, allow_unicode=True, width=1000).removesuffix("\n...\n")
    quoted = quoted.rstrip("\n")
    found = _front_status_line(lines, front.body_start)
    if found is None:
        lines.insert(front.body_start - 1, f"status: {quoted}")
        return _still_yaml("\n".join(lines), path)
    index, match = found
    rest = lines[index][match.end() :]
    if rest.strip().startswith('"'):
        quoted = json.dumps(value, ensure_ascii=False)  # as the team quoted it
    # a comment after the value ("accepted  # by the board") is the team's: kept
    said = _YAML_COMMENT.match(rest)
    lines[index] = f"{lines[index][: match.end()]} {quoted}{said['comment'] if said else ''}"
    # a value over several lines (">", "|", a list, a folded line) is replaced whole: its
    # last lines left below the new value would join it, or break the YAML
    del lines[index + 1 : _value_end(text, index, front.body_start - 1)]
    return _still_yaml("\n".join(lines), path)


_FRONT_STATUS = re.compile(r"(?i)status[ \t]*:")


def _front_status_line(lines: list[str], body_start: int) -> tuple[int, re.Match[str]] | None:
    """The frontmatter line that gives the status (the first), and its key's match."""
    for index in range(1, body_start):
        match = _FRONT_STATUS.match(lines[index])
        if match:
            return index, match
    return None


def _value_end(text: str, index: int, closing: int) -> int:
    """The line after the value of the frontmatter key on line ``index``, as YAML reads it
    (a list at the key's own indent, a "#" line that is text of a "|" block); comment and
    blank lines after a list or mapping are no part of it, and stay."""
    root = frontmatter.mapping_node(text)
    pairs = root.value if root is not None else []
    value = next((v for k, v in pairs if k.start_mark.line == index), None)
    if value is None:
        return index + 1
    mark = value.end_mark
    end: int = min(max(mark.line + (mark.column > 0), index + 1), closing)
    if not isinstance(value, ScalarNode):  # a scalar ends where its text does
        lines = text.split("\n")
        while end > index + 1 and re.match(r"[ \t]*(?:#|$)", lines[end - 1]):
            end -= 1
    return end


def _still_yaml(text: str, path: str) -> str:
    """``text``, unless its frontmatter no longer reads as the mapping it was (a value that
    held an anchor named elsewhere): ``ScaffoldError`` then."""
    front = frontmatter.read(text)
    if front.error is not None:
        _, at, message = front.error
        raise ScaffoldError(
            f"{path}:{at}: its status cannot be changed without breaking its frontmatter "
            f"({message}); change it by hand"
        )
    return text


def _section_bounds(lines: list[str], name: str) -> tuple[int, int] | None:
    """The first line after ``## name`` and the line of the next heading (or the end)."""
    start = None
    in_code = _code_lines(lines)
    for index, line in enumerate(lines):
        heading = None if in_code[index] else HEADING.match(line)
        if heading is None:
            continue
        if start is not None:
            return start, index
        title = heading.group("text").strip().lower()
        if heading.group("hashes") == "##" and title.startswith(name):
            start = index + 1
    return (start, len(lines)) if start is not None else None


def _into_status_section(
    text: str, line: str, *, drop_status: bool, date: str = "", extra: Sequence[str] = ()
) -> str:
    lines = text.split("\n")
    bounds = _section_bounds(lines, "status")
    if bounds is None:
        return _into_links_section(text, line)
    start, end = bounds
    body = lines[start:end]
    if drop_status:
        hidden = _code_lines(lines)[start:end]
        edited = (
            item if code else _superseded(item, extra)
            for item, code in zip(body, hidden, strict=True)
        )
        body = [item for item in edited if item is not None]
        # "## Status: Accepted": the parser reads that status before the lines under it
        heading = HEADING.match(lines[start - 1])
        said = HEADING_STATUS.match(heading.group("text")) if heading else None
        if heading and said:
            value = _superseded(said.group("value"), extra, keep=True) or said.group("value")
            lines[start - 1] = (
                lines[start - 1][: heading.start("text") + said.start("value")] + value
            )
    while body and not body[-1].strip():
        body.pop()
    while body and not body[0].strip():
        body.pop(0)
    if drop_status and date and any(DATED_LINE.match(item) for item in body):
        # a dated status log, whose newest line is the status: it gets a line of its own,
        # as npm adr-tools' "adr status N superseded" writes it
        body.extend(["", f"{date} superseded"])
    kept = ["", *body] if body else []
    return "\n".join([*lines[:start], *kept, "", line, "", *lines[end:]])


#: how many words of a status line may come before the end of its status
_STATUS_WORDS_AT_MOST = 40


def _superseded(line: str, extra: Sequence[str] = (), *, keep: bool = False) -> str | None:
    """A line of a status section as it reads once superseded: a line the parser reads a
    status from (``Accepted``, ``- [x] Accepted``, ``Status: Accepted``, ``Proposed ->
    Accepted``) goes (``None``), as adr-tools removes it, unless more than the status is
    written on it (``Accepted, supersedes ADR-3``: then its status becomes ``Superseded``,
    its words stay, or ``keep``); any other line (a dated log's, a link) is kept as it is."""
    status = section_status(line, extra)
    if status is None or DATED_LINE.match(line):
        return line
    # where its status ends: the first word that ends a text of that status ("Proposed ->
    # Accepted" is accepted, "Proposed" is not), and the markup that closes it ("**"); a
    # status is in a line's first words, and each try reads the line to its word: a line
    # whose status is later (a history of 20,000 steps) is a status line, and goes whole
    words = itertools.islice(re.finditer(r"[A-Za-z][\w-]*", line), _STATUS_WORDS_AT_MOST)
    cut = next((m.end() for m in words if status_of(line[: m.end()], extra) == status), len(line))
    tail = line[cut:].lstrip("*_~").rstrip()
    if keep or re.search(r"[^\W_]", tail):
        return f"Superseded{tail}"
    return None


def _into_links_section(text: str, line: str) -> str:
    lines = text.split("\n")
    bounds = _section_bounds(lines, "links")
    if bounds is None:
        return text.rstrip("\n") + f"\n\n## Links\n\n{line}\n"
    start, end = bounds
    body = lines[start:end]
    while body and not body[-1].strip():
        body.pop()
    if not body:
        body = [""]
    return "\n".join([*lines[:start], *body, line, "", *lines[end:]])


def _one_line(title: str) -> str:
    clean = " ".join(title.split())
    if not clean:
        raise ScaffoldError("the title is empty")
    return clean


def _slug(title: str, *, upper: bool) -> str:
    """A file-name part from a title, in ASCII: ``Use NATS!`` -> ``use-nats``."""
    plain = unicodedata.normalize("NFKD", title).encode("ascii", "ignore").decode("ascii")
    words = re.findall(r"[A-Za-z0-9]+", plain)
    kept: list[str] = []
    for word in words:  # a name stays short: whole words up to about 40 characters
        if kept and len("-".join([*kept, word])) > 40:
            break
        kept.append(word)
    slug = "-".join(kept) or "untitled"
    return slug.upper() if upper else slug.lower()
