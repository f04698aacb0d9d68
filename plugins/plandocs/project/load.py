"""Collect, then seal: from a list of files to a checked planning graph. The MkDocs adapter
hands in the files MkDocs knows (plus the orders folder); the CLI finds them by walking the
same folders with ``discover``. Everything after that is shared."""

from __future__ import annotations

import os
import re
import shlex
import stat
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

import pathspec

from plandocs.core import diagnostics as diag
from plandocs.core.diagnostics import Diagnostic
from plandocs.core.encoding import Repair, repair
from plandocs.core.graph import PlanningGraph, seal
from plandocs.core.links import PageScan, References, build_index, scan_page, scan_references
from plandocs.core.model import SourceDoc
from plandocs.core.parse.documents import ParsedDoc, parse_document
from plandocs.core.parse.frontmatter import repair_wanted

# Transitional re-exports: their callers import them from plandocs.core.project soon.
from plandocs.core.project import Project as Project  # noqa: PLC0414
from plandocs.core.project import folded
from plandocs.core.project import path_clash as path_clash  # noqa: PLC0414
from plandocs.core.project import root_first as root_first  # noqa: PLC0414
from plandocs.core.settings import Settings, SettingsError
from plandocs.core.urls import SiteUrls
from plandocs.project.textio import NotTextError, decode


@dataclass(frozen=True)
class SourceEntry:
    """Where one Markdown file is: ``path`` for people (relative to the project root),
    ``uri`` for the site, ``abs_path`` for reading."""

    path: str
    uri: str
    abs_path: str
    #: "docs" or "orders": when both publish at one URI, the file in docs/ is kept
    origin: str = "docs"


def read_source(entry: SourceEntry, settings: Settings) -> SourceDoc | Diagnostic:
    """The file's text, decoded and with its mojibake repaired; or why it cannot be read."""
    data = _read_bytes(entry)
    return data if isinstance(data, Diagnostic) else source_doc(entry, data, settings)


def _read_bytes(entry: SourceEntry) -> bytes | Diagnostic:
    path = Path(entry.abs_path)
    try:
        # a named pipe opened for reading waits for a writer: for ever, in CI
        if not stat.S_ISREG(path.stat().st_mode):
            why = "not a regular file (a named pipe, a device or a socket)"
            return diag.make(
                diag.UNREADABLE_FILE,
                entry.path,
                0,
                f"cannot read file: {why}; it is left out of the site",
            )
        return path.read_bytes()
    except OSError as exc:
        return diag.make(diag.UNREADABLE_FILE, entry.path, 0, f"cannot read file: {exc.strerror}")


def source_doc(entry: SourceEntry, data: bytes, settings: Settings) -> SourceDoc | Diagnostic:
    """``read_source`` of bytes already read."""
    try:
        decoded = decode(data)
    except NotTextError as exc:
        return diag.make(
            diag.UNREADABLE_FILE, entry.path, exc.line, f"{exc}; it is left out of the site"
        )
    text, repairs = decoded.text, list[Repair]()
    if settings.encoding_repair != "off":
        text, repairs = repair_source(text)
        text = text.removeprefix("\ufeff")  # a misread BOM, repaired: a BOM, not text
    return SourceDoc(
        path=entry.path,
        uri=entry.uri,
        text=text,
        had_bom=decoded.had_bom,
        had_crlf=decoded.had_crlf,
        repairs=tuple(repairs),
    )


_LINE_END = re.compile(r"(\r\n|\r|\n)")


def repair_source(text: str) -> tuple[str, list[Repair]]:
    """A file's text with its mojibake repaired, unless its frontmatter says
    ``encoding_repair: off``, and the lines that changed (counted as the build counts them),
    for the build and ``plandocs fix-encoding``. Line endings (LF, CRLF or CR) are kept."""
    parts = _LINE_END.split(text)
    lines, endings = parts[0::2], parts[1::2]
    plain = "\n".join(lines)
    if not repair_wanted(plain):
        return text, []
    repaired, repairs = repair(plain)
    if not repairs:
        return text, []
    new_lines = repaired.split("\n")
    return "".join(line + end for line, end in zip(new_lines, [*endings, ""], strict=True)), repairs


def repair_report(doc: SourceDoc, level: str) -> Diagnostic | None:
    """One finding for a file whose mojibake was repaired, at ``level`` ("info" or "warning")."""
    if not doc.repairs:
        return None
    codecs = sorted({label for repair in doc.repairs for label in repair.codecs})
    lines = len(doc.repairs)
    return diag.make(
        diag.MOJIBAKE_REPAIRED,
        doc.path,
        doc.repairs[0].line,
        f"mojibake in {lines} line{'s' if lines != 1 else ''} (UTF-8 read as "
        f"{', '.join(codecs)}), repaired for the site; to fix the file: "
        f"plandocs fix-encoding {shlex.quote(doc.path)} --write",
        level=diag.Level(level),
    )


#: what reading and parsing one file gives
Record = tuple[SourceDoc, ParsedDoc, PageScan]


class ParsedFiles(Protocol):
    """Parse results kept between builds (``plandocs.cache.parsed.ParseCache``)."""

    def key(self, path: str, uri: str, data: bytes) -> str: ...
    def get(self, key: str) -> Record | None: ...
    def put(self, key: str, record: Record) -> None: ...
    def save(self) -> None: ...

    #: the record of a file not changed since the cache saw it, without reading it
    #: (``mkdocs serve``'s, by the file's inode, time and size); ``note`` what it was
    def recall(self, entry: SourceEntry) -> Record | None: ...
    def note(self, entry: SourceEntry, record: Record) -> None: ...


def load(
    entries: Iterable[SourceEntry],
    settings: Settings,
    cache: ParsedFiles | None = None,
) -> Project:
    """Read, parse and seal every file; bad content becomes diagnostics, never an exception.
    With a ``cache``, a file read before with the same bytes is not parsed again."""
    found: list[Diagnostic] = []
    docs: dict[str, SourceDoc] = {}
    parsed: dict[str, ParsedDoc] = {}
    scans: dict[str, PageScan] = {}
    unreadable: set[str] = set()
    kept: dict[str, SourceEntry] = {}
    # Of two files at one URI the one in docs/ is kept, and the other is a finding.
    for entry in sorted(entries, key=lambda e: (e.uri, e.origin != "docs", e.path)):
        uri = entry.uri
        if uri in kept:
            found.append(path_clash(entry.path, kept[uri].path, uri))
            continue
        kept[uri] = entry
        result = _record(entry, settings, cache)
        if isinstance(result, Diagnostic):
            found.append(result)
            unreadable.add(uri)
            continue
        docs[uri], parsed[uri], scans[uri] = result
        report = repair_report(result[0], settings.encoding_repair)
        if report is not None:
            found.append(report)
    if cache is not None:
        cache.save()  # before sealing: the graph is built from these, never into them
    for item in parsed.values():
        found.extend(item.diagnostics)
    graph, sealed = seal(list(parsed.values()), settings)
    found.extend(sealed)
    pages = {uri: (scans[uri], parsed[uri].title) for uri in docs}
    references, unknown = _references(docs, pages, graph, settings, found)
    found.extend(unknown)
    return Project(
        settings=settings,
        graph=graph,
        docs=docs,
        parsed=parsed,
        diagnostics=folded(found),
        unreadable=unreadable,
        references=references,
    )


def _record(
    entry: SourceEntry, settings: Settings, cache: ParsedFiles | None
) -> Record | Diagnostic:
    """A file decoded, repaired, parsed and scanned; from the ``cache`` for the same bytes."""
    if cache is not None and (record := cache.recall(entry)) is not None:
        return record
    data = _read_bytes(entry)
    if isinstance(data, Diagnostic):
        return data
    key = cache.key(entry.path, entry.uri, data) if cache is not None else ""
    if cache is not None and (record := cache.get(key)) is not None:
        cache.note(entry, record)
        return record
    doc = source_doc(entry, data, settings)
    if isinstance(doc, Diagnostic):
        return doc
    record = doc, parse_document(doc, settings), scan_page(doc.text, settings)
    if cache is not None:
        cache.put(key, record)
        cache.note(entry, record)
    return record


def _references(
    docs: dict[str, SourceDoc],
    pages: dict[str, tuple[PageScan, str]],
    graph: PlanningGraph,
    settings: Settings,
    found: list[Diagnostic],
) -> tuple[References, list[Diagnostic]]:
    """What the pages' text names (for backlinks), and the order IDs and ADR numbers in it
    that name nothing; those the planning fields already reported are not reported twice."""
    tasks: dict[str, tuple[str, str]] = {}
    # A task defined twice goes to an order's or a summary's page before any other.
    planning = set(graph.order_pages) | set(graph.summary_pages)
    for uri in sorted(docs, key=lambda u: (u not in planning, u)):
        for task_id, (_, title) in pages[uri][0].tasks.items():
            tasks.setdefault(task_id, (uri, title))
    index = build_index(graph, settings, SiteUrls(output_dir=settings.output_dir), tasks)
    paths = {doc.path: uri for uri, doc in docs.items()}
    reported = {
        (paths.get(d.file, d.file), d.line, normal)
        for d in found
        if d.code == diag.UNKNOWN_REF.id
        for match in index.pattern.finditer(d.message)
        if (normal := index.normalise(match.group(0))) is not None
    }
    references = scan_references(pages, index, reported)
    references.tasks = tasks
    return references, list(_unresolved(references, docs, graph, settings))


def _unresolved(
    references: References, docs: dict[str, SourceDoc], graph: PlanningGraph, settings: Settings
) -> Iterator[Diagnostic]:
    """A finding for each reference to an order file that has another name now, and to an
    order file, order, ADR or task that is not there."""
    for uri, line, reference, now in references.stale:
        message = f"names {reference}, but the order's file is {now} now; update the name"
        yield diag.make(diag.STALE_FILE_REF, docs[uri].path, line, message)
    suggest = {
        "order": diag.Suggester(graph.orders),
        "ADR": diag.Suggester(graph.adrs),
        "task": diag.Suggester(references.tasks),
    }
    for uri, line, reference, normal in references.unknown:
        if normal.endswith(".md"):
            # File names share long prefixes: a did-you-mean would mislead.
            message = f"names {reference}, but no order file has that name; add the file, or "
            yield diag.make(diag.UNKNOWN_REF, docs[uri].path, line, message + "fix the name")
            continue
        kind = "ADR" if normal.startswith("ADR-") else "order"
        if settings.task_id_re.fullmatch(normal):
            kind = "task"
        hint = suggest[kind].hint(normal)
        advice = hint or "; if it is another system's ID, add a pattern for it to 'external_ids'"
        message = f"mentions {reference}, which is not a known {kind}{advice}"
        yield diag.make(diag.UNKNOWN_REF, docs[uri].path, line, message)


def _walk(folder: Path) -> list[Path]:
    out: list[Path] = []
    for current, dirs, files in os.walk(folder):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        out.extend(Path(current) / f for f in sorted(files) if not f.startswith("."))
    return out


def discover(
    root: Path,
    docs_dir: str,
    settings: Settings,
    excluded: Callable[[str], bool] = lambda uri: False,
    *,
    orders_required: bool = False,
) -> list[SourceEntry]:
    """The Markdown files of a project as MkDocs with the plugin would see them, but for the
    site URIs MkDocs leaves out (``excluded``: its ``exclude_docs``)."""
    entries = []
    docs = (root / docs_dir).resolve()
    if docs.is_dir():
        for path in _walk(docs):
            uri = path.relative_to(docs).as_posix()
            if path.suffix.lower() == ".md" and not excluded(uri):
                # named by where it is in the project, also when docs/ is a link
                shown = shown_path(root, root / docs_dir / uri)
                entries.append(SourceEntry(shown, uri, str(path)))
    folder = orders_folder(root, settings, required=orders_required)
    if folder is not None and not folder.is_relative_to(docs):
        for path, uri in orders_files(folder, excluded):
            if path.suffix.lower() == ".md":
                shown = shown_path(root, root / settings.orders_dir / path.relative_to(folder))
                entries.append(SourceEntry(shown, uri, str(path), origin="orders"))
    return entries


def orders_folder(root: Path, settings: Settings, *, required: bool = False) -> Path | None:
    """The top-level orders folder, or None; missing, an error if ``required`` (set on purpose)."""
    if not settings.orders_dir:
        return None
    folder = (root / settings.orders_dir).resolve()
    if folder.is_dir():
        return folder
    if required:
        raise SettingsError(
            f"'orders_dir' is '{settings.orders_dir}', but there is no such folder next to "
            f"mkdocs.yml; create it, fix the path, or set it to '' to read orders from docs/ only"
        )
    return None


def orders_files(folder: Path, excluded: Callable[[str], bool]) -> list[tuple[Path, str]]:
    """Every file of the orders folder (dot files left out) with its site URI, which puts it
    under the folder's own name. The build publishes them all; only Markdown is parsed."""
    out = []
    for path in _walk(folder):
        uri = f"{folder.name}/{path.relative_to(folder).as_posix()}"
        if not excluded(uri):
            out.append((path, uri))
    return out


def exclusions(patterns: Iterable[str]) -> Callable[[str], bool]:
    """MkDocs' rule for leaving files out: dot files, ``templates/``, plus gitignore-style
    ``patterns`` (its ``exclude_docs`` and, for a build, ``draft_docs``)."""
    spec = pathspec.GitIgnoreSpec.from_lines([".*", "/templates/", *patterns])
    return spec.match_file


def shown_path(root: Path, path: Path) -> str:
    """A path as diagnostics name it: where it really is in the project; a link out of the
    project, or to nothing, where the link is, as the writer finds it; else absolute."""
    # lexical, on purpose: resolve() would follow the link
    absolute = Path(os.path.abspath(path))  # noqa: PTH100
    places = (
        (absolute.resolve(), root.resolve()),
        (absolute, Path(os.path.abspath(root))),  # noqa: PTH100 - as written, links and all
        (absolute.parent.resolve() / absolute.name, root.resolve()),  # through linked folders
    )
    for place, top in places[0 if absolute.exists() else 1 :]:
        if place.is_relative_to(top):
            return place.relative_to(top).as_posix()
    return path.as_posix()
