"""Collect, then seal: from a list of files to a checked planning graph.

The MkDocs adapter hands in the files MkDocs knows (plus the orders folder); the CLI finds
them by walking the same folders with ``discover``. Everything after that is shared.
"""

from __future__ import annotations

import dataclasses
import os
import re
import shlex
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

import pathspec

from plandocs.cache.parsed import ParseCache, Record
from plandocs.core import diagnostics as diag
from plandocs.core.diagnostics import Diagnostic
from plandocs.core.encoding import Repair, repair
from plandocs.core.graph import PlanningGraph, seal
from plandocs.core.links import PageScan, References, build_index, scan_page, scan_references
from plandocs.core.model import SourceDoc
from plandocs.core.parse.documents import ParsedDoc, parse_document
from plandocs.core.parse.frontmatter import repair_wanted
from plandocs.core.settings import Settings, SettingsError
from plandocs.core.urls import SiteUrls
from plandocs.graphviz.parallel import shared_map
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


def path_clash(path: str, kept: str, uri: str) -> Diagnostic:
    return diag.make(
        diag.PATH_CLASH,
        path,
        0,
        f"both this file and {kept} publish at {uri}; {kept} is kept, rename one of them",
    )


@dataclass
class Project:
    settings: Settings
    graph: PlanningGraph
    docs: dict[str, SourceDoc]
    parsed: dict[str, ParsedDoc]
    diagnostics: list[Diagnostic]
    #: URIs of files that could not be read as text; the site must leave them out
    unreadable: set[str] = field(default_factory=set)
    #: what the pages' text names, for "Referenced by"
    references: References = field(default_factory=References)
    #: how many files were parsed, and how many of them by helper processes
    parsed_here: int = 0
    parsed_by_helpers: int = 0

    @property
    def has_problems(self) -> bool:
        return any(d.level is not diag.Level.INFO for d in self.diagnostics)

    def reserve(self, uris: Iterable[str]) -> set[str]:
        """Claim site paths for generated pages; report and return those a source file holds."""
        taken = {uri: doc.path for uri, doc in self.docs.items()}
        clashes = {uri for uri in uris if uri in taken}
        found = [
            diag.make(
                diag.PATH_CLASH,
                taken[uri],
                0,
                f"this file takes the path of plandocs' generated page {uri}; "
                f"move it, or set plandocs' 'output_dir'",
            )
            for uri in sorted(clashes)
        ]
        self.report(found)
        return clashes

    def findings_by_page(self) -> dict[str, tuple[Diagnostic, ...]]:
        """The findings about each page's own file (not mere information), by page URI, in
        the order they are reported. Asked before ``docs`` is let go of."""
        uris = {doc.path: uri for uri, doc in self.docs.items()}
        out: dict[str, list[Diagnostic]] = {}
        for finding in self.diagnostics:
            uri = uris.get(finding.file)
            if uri is not None and finding.level is not diag.Level.INFO:
                out.setdefault(uri, []).append(finding)
        return {uri: tuple(found) for uri, found in out.items()}

    def report(self, found: Iterable[Diagnostic]) -> None:
        """Add findings an adapter made (kept sorted and without repeats)."""
        self.diagnostics = sorted(set(self.diagnostics) | set(found), key=root_first)


#: findings that make others: a block that does not parse loses the file's fields, its ID too
_ROOTS = frozenset({diag.YAML_ERROR.id, diag.BAD_FRONTMATTER.id})
#: what follows from a root in a file that lost its ID with it
_CONSEQUENCES = frozenset({diag.MISSING_ID.id, diag.UNKNOWN_REF.id})


def root_first(finding: Diagnostic) -> tuple[str, bool, int, str, str]:
    """Findings by file, each file's root cause first, then by line."""
    return (finding.file, finding.code not in _ROOTS, finding.line, finding.code, finding.message)


def folded(findings: Iterable[Diagnostic]) -> list[Diagnostic]:
    """One root cause, one finding: what follows from a frontmatter block that does not
    parse is counted in its finding, not reported beside it. A file that lost its ID with
    its block is an order with no ID (``missing-id``), and its own ID in its text looks
    like a reference to nothing (``unknown-ref``); both vanish when the block is fixed,
    and then any that remain are reported."""
    findings = set(findings)
    roots = {f.file: f for f in sorted(findings, key=root_first) if f.code in _ROOTS}
    lost_id = {f.file for f in findings if f.code == diag.MISSING_ID.id and f.file in roots}
    consequences: dict[str, int] = {}
    kept = []
    for finding in findings:
        if finding.file in lost_id and finding.code in _CONSEQUENCES:
            consequences[finding.file] = consequences.get(finding.file, 0) + 1
        else:
            kept.append(finding)
    for file, count in consequences.items():
        root = roots[file]
        kept.remove(root)
        more = "a finding that follows" if count == 1 else f"{count} findings that follow"
        message = f"{root.message} (this also clears {more} from it)"
        kept.append(dataclasses.replace(root, message=message))
    return sorted(kept, key=root_first)


def read_source(entry: SourceEntry, settings: Settings) -> SourceDoc | Diagnostic:
    """The file's text, decoded and with its mojibake repaired (unless the project's
    ``encoding_repair`` option or the page's frontmatter turns repair off); or why it
    cannot be read."""
    data = _read_bytes(entry)
    return data if isinstance(data, Diagnostic) else source_doc(entry, data, settings)


def _read_bytes(entry: SourceEntry) -> bytes | Diagnostic:
    try:
        return Path(entry.abs_path).read_bytes()
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
    """A file's text with its mojibake repaired, unless its frontmatter keeps it as written
    (``encoding_repair: off``), and the lines that changed. The build and ``plandocs
    fix-encoding`` both use this. Line endings (LF, CRLF or CR) stay as they were; lines are
    counted with any of them, as the build counts them."""
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
    """One finding for a file whose mojibake was repaired: where, how many lines, which
    code pages; at ``level`` ("info" or "warning", the ``encoding_repair`` option)."""
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


#: the fewest files to parse that are worth a helper process (some 1.4 ms a file)
PARSE_HELPERS_FROM = 64


def load(
    entries: Iterable[SourceEntry],
    settings: Settings,
    cache: ParseCache | None = None,
    *,
    helpers: int = 0,
) -> Project:
    """Read, parse and seal every file. Never raises for bad content: it becomes diagnostics.
    With a ``cache``, a file read before with the same bytes is not parsed again. With
    ``helpers``, up to that many forked processes parse shares of the files that are to be
    parsed, when there are at least ``PARSE_HELPERS_FROM`` of them (``parallel``)."""
    found: list[Diagnostic] = []
    docs: dict[str, SourceDoc] = {}
    parsed: dict[str, ParsedDoc] = {}
    scans: dict[str, PageScan] = {}
    unreadable: set[str] = set()
    kept: dict[str, SourceEntry] = {}
    results: dict[str, Record | Diagnostic] = {}
    todo: list[tuple[SourceEntry, bytes, str]] = []  # to parse: not in the cache
    for entry in sorted(entries, key=lambda e: (e.uri, e.origin != "docs", e.path)):
        if entry.uri in kept:
            found.append(path_clash(entry.path, kept[entry.uri].path, entry.uri))
            continue
        kept[entry.uri] = entry
        data = _read_bytes(entry)
        if isinstance(data, Diagnostic):
            results[entry.uri] = data
            continue
        key = cache.key(entry.path, entry.uri, data) if cache is not None else ""
        record = cache.get(key) if cache is not None else None
        if record is not None:
            results[entry.uri] = record
        else:
            todo.append((entry, data, key))
    done, helped = shared_map(
        lambda item: _parse(item[0], item[1], settings),
        todo,
        helpers=helpers,
        weight=lambda item: len(item[1]),
        at_least=PARSE_HELPERS_FROM,
    )
    for (entry, _, key), result in zip(todo, done, strict=True):
        results[entry.uri] = result
        if cache is not None and not isinstance(result, Diagnostic):
            cache.put(key, result)
    for uri in kept:
        result = results[uri]
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
        parsed_here=len(todo) - sum(len(share) for share in helped),
        parsed_by_helpers=sum(len(share) for share in helped),
    )


def _parse(entry: SourceEntry, data: bytes, settings: Settings) -> Record | Diagnostic:
    """A file's bytes decoded, repaired, parsed and scanned for references."""
    doc = source_doc(entry, data, settings)
    if isinstance(doc, Diagnostic):
        return doc
    return doc, parse_document(doc, settings), scan_page(doc.text, settings)


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
    suggest = {
        "order": diag.Suggester(graph.orders),
        "ADR": diag.Suggester(graph.adrs),
        "task": diag.Suggester(tasks),
    }
    out = [
        diag.make(
            diag.STALE_FILE_REF,
            docs[uri].path,
            line,
            f"names {reference}, but the order's file is {now} now; update the name",
        )
        for uri, line, reference, now in references.stale
    ]
    for uri, line, reference, normal in references.unknown:
        if normal.endswith(".md"):
            # File names share long prefixes: a did-you-mean would mislead.
            message = f"names {reference}, but no order file has that name; add the file, or "
            out.append(diag.make(diag.UNKNOWN_REF, docs[uri].path, line, message + "fix the name"))
            continue
        if settings.task_id_re.fullmatch(normal):
            kind = "task"
        else:
            kind = "ADR" if normal.startswith("ADR-") else "order"
        hint = suggest[kind].hint(normal)
        advice = hint or "; if it is another system's ID, add a pattern for it to 'external_ids'"
        out.append(
            diag.make(
                diag.UNKNOWN_REF,
                docs[uri].path,
                line,
                f"mentions {reference}, which is not a known {kind}{advice}",
            )
        )
    return references, out


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
    """The Markdown files of a project as MkDocs with the plugin would see them.

    ``excluded`` says which site URIs MkDocs leaves out (its ``exclude_docs``)."""
    entries = []
    docs = (root / docs_dir).resolve()
    if docs.is_dir():
        for path in _walk(docs):
            uri = path.relative_to(docs).as_posix()
            if path.suffix.lower() == ".md" and not excluded(uri):
                # named by where it is in the project, also when docs/ is a link
                entries.append(_entry(root, path, uri, shown=root / docs_dir / uri))
    folder = orders_folder(root, settings, required=orders_required)
    if folder is not None and not _inside(folder, docs):
        for path, uri in orders_files(folder, excluded):
            if path.suffix.lower() == ".md":
                inside = root / settings.orders_dir / path.relative_to(folder)
                entries.append(_entry(root, path, uri, origin="orders", shown=inside))
    return entries


def orders_folder(root: Path, settings: Settings, *, required: bool = False) -> Path | None:
    """The top-level orders folder, or None. ``required`` (the option was set on purpose)
    makes a missing folder a configuration error instead of "no orders"."""
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


def _inside(path: Path, folder: Path) -> bool:
    try:
        path.relative_to(folder)
    except ValueError:
        return False
    return True


def shown_path(root: Path, path: Path) -> str:
    """A path as diagnostics name it: relative to the project root where it can be.

    A file is named where it really is in the project (a link to another file of the
    project names that file). A link to a file outside the project, or to nothing, is
    named by its own place in the project: that is where the writer can find it. Only a
    file outside the project is named by its absolute path."""
    # lexical, on purpose: resolve() would follow the link
    absolute = Path(os.path.abspath(path))  # noqa: PTH100
    places = (
        (absolute.resolve(), root.resolve()),
        (absolute, Path(os.path.abspath(root))),  # noqa: PTH100 - as written, links and all
        (absolute.parent.resolve() / absolute.name, root.resolve()),  # through linked folders
    )
    for place, top in places[0 if absolute.exists() else 1 :]:
        try:
            return place.relative_to(top).as_posix()
        except ValueError:
            continue
    return path.as_posix()


def _entry(
    root: Path, path: Path, uri: str, origin: str = "docs", shown: Path | None = None
) -> SourceEntry:
    """``path`` as the project lists it; ``shown`` is where it is in the project when
    ``path`` was reached through a linked folder."""
    return SourceEntry(
        path=shown_path(root, shown or path), uri=uri, abs_path=str(path), origin=origin
    )
