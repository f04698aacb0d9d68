"""The writer's loop: under ``mkdocs serve --dirty``, an edit rebuilds only the pages it
changes, and the site served is the one a clean build writes.

MkDocs' dirty build skips each page whose output is newer than its source
(``File.is_modified``, public). Before any page is read (``on_nav``), ``Loop.plan`` compares
the planning graph with the last build's (``core.affected``) and makes the output of each
page that shows a changed object older than its source, so that MkDocs rebuilds it too.
Generated pages are backed by files under ``.cache/plandocs/serve`` that are written only
when their text changes. A change that can alter every page (``mkdocs.yml``, a template, a
new or deleted file, the title of a page in the nav, a commit) empties the site folder
instead: a full rebuild, and the line says why.

Two things a dirty build leaves wrong are put right here. The pages MkDocs skips are never
read, so the sidebars of the pages it rebuilds would show them without a title: ``fill``
gives each the title and meta of its last build. Material's search plugin merges the index
of one rebuilt page into the last one (more pages leave duplicates behind): ``finish`` puts
the index back together, page by page, in the order a clean build writes it."""

from __future__ import annotations

import hashlib
import json
import os
import time
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.plugins import get_plugin_logger
from mkdocs.structure.files import File, Files
from mkdocs.structure.nav import Navigation
from mkdocs.structure.pages import Page
from mkdocs.utils import clean_directory, get_markdown_title
from mkdocs.utils.meta import get_data

from plandocs.cache.fragments import Recent
from plandocs.cache.parsed import ParseCache
from plandocs.core import affected
from plandocs.core.diagram.planning import emphasis
from plandocs.core.settings import Settings
from plandocs.mkdocs.build import Build, Said
from plandocs.mkdocs.garbage import IdleCollector
from plandocs.mkdocs.internals import SEARCH_INDEX, search_index_text
from plandocs.mkdocs.page_cache import Numbering
from plandocs.project.load import Record, SourceEntry
from plandocs.project.renames import SiteFiles, Stat, stamp
from plandocs.render.diagrams import diagram_page
from plandocs.render.pages import GeneratedPage, Renderer
from plandocs.render.tokens import Tokens

log = get_plugin_logger(__name__)

#: a rebuild of more pages runs with the garbage collector on: with it off, the pages'
#: garbage would be kept to the end
MANY_PAGES = 200
#: a file changed this recently is read again, whatever its time says (``KeptParses``)
RECENT_NS = 2_000_000_000


@dataclass
class _State:
    """What a build leaves for the next one to compare with."""

    salt: str  # mkdocs.yml, the templates, the history: a change rebuilds every page
    uris: frozenset[str]  # the site's pages
    snapshot: affected.Snapshot
    findings: dict[str, str]  # page: digest of the findings shown on it (serve only)
    #: a nav page: its title as its source gives it, and as the nav shows it
    titles: dict[str, tuple[str | None, str | None]]
    #: each page as its last build left it: the text of its content, its title and meta
    texts: dict[str, bytes] = field(default_factory=dict)  # folded (``affected.fold``)
    shown: dict[str, tuple[str | None, dict[str, Any]]] = field(default_factory=dict)
    search: dict[str, list[dict[str, Any]]] | None = None  # page URL: its index entries
    redirects: dict[str, str] = field(default_factory=dict)  # path: digest, in the site
    redirect_stats: dict[str, Stat] = field(default_factory=dict)  # path: as written
    #: each diagram of the planning graph on the site: its key, the digest of its source
    drawings: dict[str, str] = field(default_factory=dict)


@dataclass
class _Plan:
    """This build: the state it compares with and the one it makes."""

    now: _State
    full: str | None  # why every page is rebuilt; None: only those changed
    what: list[str]  # what changed: IDs, or else the files edited
    first: bool = False  # the first build of this `mkdocs serve`
    built: list[Page] = field(default_factory=list)
    started: float = field(default_factory=time.perf_counter)


class KeptParses(ParseCache):
    """The parse cache of one ``mkdocs serve``: its file is read at the first build and
    written by it; a file edited since is parsed once and kept here."""

    def __init__(self, path: Path, settings: Settings) -> None:
        super().__init__(path, settings)
        self.settings = settings
        self.fresh: dict[str, Record] = {}
        self.asked: set[str] = set()  # the keys of ``fresh`` this build asked for
        self.saved = False
        #: each file's record by the inode, time and size it had when it was read
        self.stamped: dict[SourceEntry, tuple[Stat, Record]] = {}
        self._stamp: Stat | None = None  # the file ``recall`` looked at, before it is read

    def recall(self, entry: SourceEntry) -> Record | None:
        """The record of a file whose inode, time and size are those it had when it was
        read: MkDocs' watcher sees no change in it either. A file changed in the last two
        seconds is read again (a file system's times may be as coarse as that)."""
        try:
            found = os.stat(entry.abs_path)  # noqa: PTH116  (every file, every rebuild)
        except OSError:
            self._stamp = None
            return None
        now = stamp(found)
        self._stamp = now if time.time_ns() - found.st_mtime_ns > RECENT_NS else None
        kept = self.stamped.get(entry)
        if kept is None or kept[0] != now:
            return None
        self.hits += 1
        return kept[1]

    def note(self, entry: SourceEntry, record: Record) -> None:
        if self._stamp is not None:
            self.stamped[entry] = (self._stamp, record)

    def get(self, key: str) -> Record | None:
        record = self.fresh.get(key)
        if record is None:
            return super().get(key)
        self.asked.add(key)
        self.hits += 1
        return record

    def put(self, key: str, record: Record) -> None:
        if not self.saved:
            super().put(key, record)  # the first build's parses go into the file it writes
        else:
            self.misses += 1
        self.fresh[key] = record
        self.asked.add(key)

    def save(self) -> None:
        if not self.saved:  # once: the pickle is the whole site's, rewriting it is slow
            super().save()
            self.saved = True

    def begin(self) -> KeptParses:
        """A build begins: the files parsed since the serve began that the last build did
        not ask for are let go (each save of a file parses a new version of it)."""
        self.hits = self.misses = 0
        self.fresh = {key: self.fresh[key] for key in self.asked if key in self.fresh}
        self.asked = set()
        return self


class Loop:
    """Kept by the plugin across the rebuilds of one ``mkdocs serve --dirty``."""

    def __init__(self) -> None:
        self.last: _State | None = None
        self.plan_: _Plan | None = None
        self.started = time.perf_counter()
        self._parses: KeptParses | None = None
        self.encoded: dict[str, str] = {}  # planning.json's entries (``planning_json``)
        self.recent = Recent()  # small fragments, rows and cards (``FragmentCache``)
        self.said: Counter[Said] = Counter()  # the findings the last build said
        self.collector = IdleCollector()
        self.search_json: Encoded = {}  # the search index's pages (``_search``)

    def begin(self, build: Build) -> None:
        """A build starts (``on_config``): its time counts from here, and it gets what the
        loop keeps for it."""
        self.started = time.perf_counter()
        self.recent.turn()
        build.encoded, build.recent, build.said_before = self.encoded, self.recent, self.said
        if self.last is not None:  # a rebuild: the first build collects as usual
            self.collector.pause()  # until ``finish`` or ``failed``

    def draws_later(self) -> bool:
        """Whether the diagrams wait for ``plan`` to know which pages are rebuilt."""
        return self.last is not None

    def parses(self, path: Path, settings: Settings) -> KeptParses:
        """The parse cache, kept from the last build under the same settings."""
        kept = self._parses
        if kept is None or kept.settings != settings:
            kept = self._parses = KeptParses(path, settings)
        return kept.begin()

    def backing(self, build: Build, page: GeneratedPage, tokens: Tokens) -> str | None:
        """The file a generated page is read from: rewritten when its text changes only,
        so that its time says whether the page must be rebuilt. The text MkDocs gets is
        this build's (``Build.texts``): the file holds the page's tokens without the
        build's secret, which changes every build."""
        path = Path(build.cache_path("serve", "")) / page.uri
        text = Numbering(tokens, page.markdown).markdown
        try:
            same = path.read_text(encoding="utf-8") == text
        except (OSError, UnicodeDecodeError):
            same = False
        if not same:
            try:
                path.parent.mkdir(parents=True, exist_ok=True)
                path.write_text(text, encoding="utf-8")
            except OSError:
                return None  # a read-only checkout: the page is rebuilt every time
        build.texts[page.uri] = (page.markdown, "")
        return str(path)

    # -- on_nav: which pages to rebuild ------------------------------------------------
    def plan(self, build: Build, files: Files, nav: Navigation, config: MkDocsConfig) -> None:
        pages = files.documentation_pages(inclusion=build.included())
        edited = [f for f in pages if f.is_modified()]
        now = _state(build, files, nav, self.last, edited)
        last = self.last
        full = _why_full(last, now, edited, build)
        ids = [] if last is None else affected.changed(last.snapshot, now.snapshot)
        sources = [f for f in edited if f.src_uri not in build.generated_uris]
        what = ids or [build.shown(f.abs_src_path) or f.src_uri for f in sources]
        self.plan_ = _Plan(now, full, what, last is None, started=self.started)
        if full is not None or last is None:
            if last is not None:
                clean_directory(config.site_dir)
            self.collector.resume()  # every page: its garbage would grow with them
            _draw(build, None)
            return
        now.texts, now.shown, now.search = last.texts, last.shown, last.search
        now.drawings = last.drawings
        build.redirects = last.redirects  # in the site: written again only if they change
        build.redirect_stats = last.redirect_stats
        also = _also_changed(build, pages, {f.src_uri for f in edited}, (last, now), ids)
        for file in also:
            if os.path.isfile(file.abs_dest_path):  # noqa: PTH113  (os.utime's path)
                os.utime(file.abs_dest_path, (0, 0))  # older than any source: rebuilt
        if len(edited) + len(also) > MANY_PAGES:
            self.collector.resume()
        _draw(build, {f.src_uri for f in [*edited, *also]})

    # -- on_env: the pages MkDocs skipped, as the sidebars show them --------------------
    def fill(self, files: Files, build: Build) -> None:
        plan = self.plan_
        if plan is None or plan.full is not None or self.last is None:
            return
        for file in files.documentation_pages(inclusion=build.included()):
            page = file.page
            kept = plan.now.shown.get(file.src_uri)
            if page is not None and page.markdown is None and kept is not None:
                page.title, page.meta = kept[0], dict(kept[1])

    # -- on_post_page --------------------------------------------------------------------
    def record(self, page: Page, output: str) -> None:
        plan = self.plan_
        if plan is None:
            return
        plan.built.append(page)
        start = output.find("<article")
        end = output.rfind("</article>")
        text = output[start:end] if 0 <= start < end else output
        plan.now.texts[page.file.src_uri] = affected.fold(text)
        plan.now.shown[page.file.src_uri] = (page.title, dict(page.meta))

    # -- on_post_build, after every other plugin -----------------------------------------
    def finish(self, build: Build, config: MkDocsConfig, files: Files) -> None:
        try:
            self._finish(build, config, files)
        finally:  # the last of the build: the timer's half second starts here
            self.collector.resume_later()

    def _finish(self, build: Build, config: MkDocsConfig, files: Files) -> None:
        plan = self.plan_
        if plan is None:
            return
        self.plan_ = None
        pages = files.documentation_pages(inclusion=build.included())
        urls = [f.page.url for f in pages if f.page is not None]  # the home page's is ""
        rebuilt = {page.url for page in plan.built}
        if self.last is not None and plan.full is None:  # a clean build has none of these
            # a page another plugin wrote is kept
            site = SiteFiles(Path(config.site_dir), stats=self.last.redirect_stats)
            for path in self.last.redirects.keys() - build.redirects.keys():
                if path not in site:
                    Path(config.site_dir, path).unlink(missing_ok=True)
        plan.now.redirects, plan.now.redirect_stats = build.redirects, build.redirect_stats
        if build.drawing is not None:  # what this build drew, over what the last one did
            plan.now.drawings = {**plan.now.drawings, **build.drawing.background.digests()}
        folder = Path(config.site_dir)
        plan.now.search = _search(folder, urls, rebuilt, plan.now.search, self.search_json)
        self.last = plan.now
        said, self.said = self.said, build.said
        log.info(_line(plan) + _findings(said, self.said, plan.first))

    def failed(self) -> None:
        """A build that stopped half way: the next one rebuilds every page and says every
        finding."""
        self.last, self.plan_, self.said = None, None, Counter()
        self.collector.resume_later()


def _draw(build: Build, rebuilt: set[str] | None) -> None:
    """Start the diagrams: those of the ``rebuilt`` pages, or all."""
    if build.drawing is not None and build.renderer is not None:
        wanted = None if rebuilt is None else build.renderer.diagram_keys_on(rebuilt)
        build.drawing.start(wanted)


def _digest(*parts: object) -> str:
    return hashlib.blake2b(repr(parts).encode("utf-8", "surrogatepass"), digest_size=16).hexdigest()


def _state(
    build: Build, files: Files, nav: Navigation, last: _State | None, edited: Sequence[File]
) -> _State:
    renderer, project = build.renderer, build.project
    assert renderer is not None and project is not None  # made in on_files
    snapshot = affected.snapshot(
        renderer.graph,
        project.references,
        plan=renderer.plan if renderer.graph.orders else None,
        chain=emphasis(renderer.graph),
        history=renderer.history_lines,
        urls=build.urls,
    )
    changed = {f.src_uri for f in edited}
    titles = {
        f.src_uri: _nav_title(build, f)
        if last is None or f.src_uri in changed or f.src_uri not in last.titles
        else last.titles[f.src_uri][0]
        for f in (page.file for page in nav.pages)
    }
    return _State(
        salt=_salt(build, renderer),
        uris=frozenset(f.src_uri for f in files),  # a static file gone stays in a dirty site
        snapshot=snapshot,
        findings={uri: _digest(found) for uri, found in renderer.page_findings.items()},
        titles={uri: (title, _shown_title(renderer, uri, title)) for uri, title in titles.items()},
    )


def _salt(build: Build, renderer: Renderer) -> str:
    """What every page depends on: the configuration file, the template overrides, the
    burn-up charts, the Changes page (git's history) and the day (every timeline's
    "today" line, the first day of the schedule)."""
    config_file = build.config.config_file_path
    parts: list[object] = [Path(config_file).read_bytes() if config_file else b""]
    for folder in (build.options.get("templates_dir"), build.config.theme.custom_dir):
        if folder and Path(folder).is_dir():
            parts.extend(
                (str(p), p.stat().st_mtime_ns)
                for p in sorted(Path(folder).rglob("*"))
                if p.is_file()
            )
    parts.extend((sorted(renderer.burnups.items()), renderer.today))
    history = build.git_history  # the Changes page's tables, a late fragment, come from it
    if history is not None:
        parts.append((history.head, history.tags, history.problem))
    parts.extend(  # without the build's secret, which changes every build
        Numbering(renderer.tokens, page.markdown).markdown
        for page in build.generated
        if page.uri.endswith("changes.md")
    )
    return _digest(*parts)


def _nav_title(build: Build, file: File) -> str | None:
    """A nav page's title as its source gives it (frontmatter ``title``, or its first
    heading): when it changes, every page's sidebar does."""
    text = build.texts.get(file.src_uri, ("", ""))[0]
    if not text and file.abs_src_path:
        try:
            text = Path(file.abs_src_path).read_text(encoding="utf-8-sig", errors="replace")
        except OSError:
            return None
    markdown, meta = get_data(text)
    title = meta.get("title")
    return str(title) if title is not None else get_markdown_title(markdown)


def _shown_title(renderer: Renderer, uri: str, title: str | None) -> str | None:
    """A nav page's title as the nav shows it: an order's or ADR's page puts its ID in
    front (``Renderer.tab_title``), so a new ID in the file, its title as it was, changes
    every page's sidebar too. Made each build, not kept: the page an ID calls its own
    can change with another file's edit."""
    tab = renderer.tab_title(uri, None, title)
    return title if tab is None else tab


def _why_full(last: _State | None, now: _State, edited: Sequence[File], build: Build) -> str | None:
    if last is None:
        return None
    if now.salt != last.salt:
        return f"{build.config_name}, a template, git's history or the day changed"
    added, gone = sorted(now.uris - last.uris), sorted(last.uris - now.uris)
    if added or gone:
        return f"{(added or gone)[0]} {'added' if added else 'deleted'}"
    for uri, (_, title) in now.titles.items():
        if last.titles.get(uri, (None, None))[1] != title:
            return f"the title of {uri} changed, and it is in the nav"
    return None


def _also_changed(
    build: Build,
    pages: Sequence[File],
    changed: set[str],
    states: tuple[_State, _State],
    ids: list[str],
) -> list[File]:
    """The pages MkDocs would skip (not in ``changed``) that show something that did. An
    order whose edges or dates alone changed is looked for in the generated pages and in
    drawings only, and its own pages; one whose dates alone changed, in the generated
    pages only, where the timelines are (``core.affected``)."""
    last, now = states
    edges = affected.edges_only(last.snapshot, now.snapshot, ids)
    moved = affected.moved_only(last.snapshot, now.snapshot, edges)
    shown = [i for i in ids if i not in edges]
    needles = affected.fold_all(affected.needles_of(last.snapshot, now.snapshot, shown))
    listed = affected.fold_all(affected.needles_of(last.snapshot, now.snapshot, edges))
    drawn = affected.needles_of(last.snapshot, now.snapshot, edges - moved)
    homes = affected.homes_of(last.snapshot, now.snapshot, edges - moved)
    generated = build.generated_uris
    urls = build.urls
    keyed = {"phase": urls.phase_uri, "owner": urls.owner_uri, "status": urls.status_uri}
    listing = set()
    for key in affected.listings(last.snapshot, now.snapshot, ids):
        kind, _, value = key.partition(":")
        if value and value != "None":
            listing.add(keyed[kind](value))
    out: list[File] = []
    drawing: dict[str, File] = {}
    for file in pages:
        uri = file.src_uri
        if uri in changed:
            continue
        text = last.texts.get(uri)
        if (
            text is None
            or uri in listing
            or now.snapshot.own.get(uri) != last.snapshot.own.get(uri)
            or now.findings.get(uri) != last.findings.get(uri)
            or (needles and affected.shows(text, needles))
            or uri in homes
            or (listed and uri in generated and affected.shows(text, listed))
        ):
            out.append(file)
        elif drawn and affected.draws(text, drawn):
            drawing[uri] = file
    same = _drawn_as_before(build, set(drawing), last.drawings)
    return out + [file for uri, file in drawing.items() if uri not in same]


def _drawn_as_before(build: Build, pages: set[str], before: dict[str, str]) -> set[str]:
    """Of ``pages``, whose drawings hold an order whose edges changed, those whose every
    diagram of the planning graph has the source it had (a neighbour's diagram that draws
    the order, but not the new edge): they are drawn as before. A page with no such
    diagram is not one of them (what it draws is not known here)."""
    renderer, drawing = build.renderer, build.drawing
    if renderer is None or drawing is None or not pages:
        return set()
    on: dict[str, list[str]] = {}
    for key in renderer.diagram_keys():
        page = diagram_page(key, renderer.graph, renderer.urls)
        if page in pages:
            on.setdefault(page, []).append(key)
    wanted = {key for keys in on.values() for key in keys}
    now = {key: drawing.svg.key(source) for key, source in renderer.each_diagram_source(wanted)}
    return {page for page, keys in on.items() if all(before.get(k) == now[k] for k in keys)}


def _search(
    site: Path,
    urls: list[str],
    rebuilt: set[str],
    kept: dict[str, list[dict[str, Any]]] | None,
    made: Encoded,
) -> dict[str, list[dict[str, Any]]] | None:
    """The search index's entries by page: read whole after a full build; after a partial
    one, the rebuilt pages' new entries (the last of the file, ``internals.SEARCH_INDEX``)
    with the others' kept, written back in page order."""
    path = site / SEARCH_INDEX
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        entries = data["docs"]
    except (OSError, ValueError, KeyError, TypeError):
        return None
    groups = _groups(entries)
    if kept is None:
        return dict(groups)
    fresh: dict[str, list[dict[str, Any]]] = {}
    for url, found in reversed(groups):
        if url not in rebuilt or url in fresh:
            break
        fresh[url] = found
    merged = {url: fresh.get(url, []) if url in rebuilt else kept.get(url, []) for url in urls}
    path.write_text(_index_text(data, [merged[url] for url in urls], made), encoding="utf-8")
    return merged


#: each page's search entries and their JSON, by the list's identity: a page not rebuilt
#: keeps its list (``_search``), and its JSON is not made again
Encoded = dict[int, tuple[list[dict[str, Any]], str]]


def _index_text(data: dict[str, Any], pages: list[list[dict[str, Any]]], made: Encoded) -> str:
    """``search_index_text`` of ``data`` with the entries of ``pages`` as its ``docs``,
    each page's JSON made once (the whole index is a megabyte at 1,000 orders); ``made``
    is left holding this index's."""
    texts, known = [], dict(made)
    made.clear()
    for entries in pages:
        held = known.get(id(entries))
        if held is None or held[0] is not entries:
            held = (entries, ",".join(search_index_text(entry) for entry in entries))
        made[id(entries)] = held
        texts.append(held[1])
    docs = "[" + ",".join(text for text in texts if text) + "]"
    members = (
        f"{json.dumps(key)}:{docs if key == 'docs' else search_index_text(value)}"
        for key, value in data.items()
    )
    return "{" + ",".join(members) + "}"


def _groups(entries: list[dict[str, Any]]) -> list[tuple[str, list[dict[str, Any]]]]:
    """Entries in runs, one a page: a page's entry (its address, no ``#``) and its
    sections after it."""
    groups: list[tuple[str, list[dict[str, Any]]]] = []
    for entry in entries:
        location = str(entry.get("location", ""))
        url = location.split("#", 1)[0]
        if not groups or "#" not in location or groups[-1][0] != url:
            groups.append((url, []))
        groups[-1][1].append(entry)
    return groups


def _findings(before: Counter[Said], now: Counter[Said], first: bool) -> str:
    """What the line adds of the findings: ``; 12 findings as before``, ``; 13 findings,
    1 new`` (said above it), ``; 11 findings, 1 gone``; nothing after the first build, which
    said each one, nor when there are none and were none."""
    total, new, gone = now.total(), (now - before).total(), (before - now).total()
    if first or not (total or gone):
        return ""
    count = f"{total:,} finding{'s' if total != 1 else ''}"
    if not (new or gone):
        return f"; {count} as before"
    parts = [count] + ([f"{new:,} new"] if new else []) + ([f"{gone:,} gone"] if gone else [])
    return "; " + ", ".join(parts)


def _line(plan: _Plan) -> str:
    """``ORDER-A-1 changed: 7 pages in 0.4 s`` (the logger says ``plandocs:`` first)"""
    pages = len(plan.built)
    took = (
        f"{pages:,} page{'s' if pages != 1 else ''} in {time.perf_counter() - plan.started:.1f} s"
    )
    if plan.first:
        return f"{took}; an edit now rebuilds the pages it changes only"
    if plan.full is not None:
        return f"full rebuild ({plan.full}): {took}"
    if not plan.what:
        return f"nothing changed: {took}"
    names = ", ".join(plan.what[:3]) + (
        f" and {len(plan.what) - 3} more" if len(plan.what) > 3 else ""
    )
    return f"{names} changed: {took}"
