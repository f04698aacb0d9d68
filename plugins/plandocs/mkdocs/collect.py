"""``on_files``: collect and seal. Every order, ADR and phase is read (docs/ and the orders
folder, published under its own name), the graph sealed and the generated pages added, before
any page is rendered."""

from __future__ import annotations

from collections.abc import Callable
from importlib import resources
from pathlib import Path
from typing import Any

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.plugins import get_plugin_logger
from mkdocs.structure.files import File, Files, InclusionLevel
from mkdocs.structure.nav import Navigation, Section
from mkdocs.structure.pages import Page

from plandocs.cache.parsed import ParseCache
from plandocs.core import diagnostics as diag
from plandocs.core.schedule import build_day
from plandocs.mkdocs.build import Build, refused, rendered
from plandocs.mkdocs.drawing import Drawing
from plandocs.mkdocs.serve import Loop
from plandocs.project.history import (
    GitHistory,
    burnup,
    burnup_svg,
    changes_since,
    done_dates,
    history_lines,
    project_history,
)
from plandocs.project.load import Project, SourceEntry, exclusions, load, orders_files, path_clash
from plandocs.render.pages import GeneratedPage, Renderer, generated_uris

log = get_plugin_logger(__name__)

ASSETS = ("plandocs.css", "plandocs.js")


def collect(build: Build, files: Files, config: MkDocsConfig, loop: Loop | None = None) -> Files:
    """Read and seal the project, render the generated pages, and add them to ``files``
    (under ``mkdocs serve --dirty``, each backed by a file of ``loop``'s)."""
    project = _read(build, files, config, loop)
    build.git_history = _git_history(build, project) if build.options["history"] else None
    changes = [changes_uri(build)] if build.git_history is not None else []
    clashes = project.reserve([*generated_uris(project.graph, build.urls), *changes])
    renderer = Renderer(
        project.graph,
        build.settings,
        build.urls,
        templates_dir=build.options["templates_dir"],
        diagnostics=project.diagnostics,
        references=project.references,
        fragment_cache=build.open_fragments if build.options["page_cache"] else None,
        bytecode_cache=build.root / ".cache" / "plandocs" / "templates"
        if build.options["page_cache"]
        else None,
        rows_before=build.recent.rows if build.recent is not None else None,
    )
    if build.recent is not None:  # the next rebuild's rows are these, where unchanged
        build.recent.rows = renderer.views.rows
    # the schedule's today, and the days git saw done orders finished (``schedule``)
    renderer.today = build_day()
    if build.git_history is not None:
        renderer.done_dates = done_dates(build.git_history)
    build.drawing = Drawing.make(
        project,
        renderer,
        build.options,
        build.root,
        build.config_name,
        index=build.cache_path("diagrams", ".json"),
    )
    pages = rendered(lambda: renderer.pages(skip=clashes))
    pages.extend(_history_parts(build, renderer, set(clashes)))
    # An explicit nav gets a Planning section in on_nav; do not report the pages as missing.
    explicit_nav = build.options["nav"] and config.nav is not None
    inclusion = InclusionLevel.NOT_IN_NAV if explicit_nav else InclusionLevel.UNDEFINED
    for page in pages:
        backing = loop.backing(build, page, renderer.tokens) if loop is not None else None
        if backing is None:
            made = File.generated(config, page.uri, content=page.markdown, inclusion=inclusion)
        else:
            made = File.generated(config, page.uri, abs_src_path=backing, inclusion=inclusion)
        files.append(made)
    build.generated = pages
    build.generated_uris = frozenset(page.uri for page in pages)
    for name in ASSETS:
        content = (resources.files("plandocs.render") / "assets" / name).read_text("utf-8")
        files.append(File.generated(config, f"assets/plandocs/{name}", content=content))
    for finding in project.diagnostics:
        build.log(finding)
    if build.command == "serve":
        renderer.page_findings = project.findings_by_page()
    build.project, build.renderer = project, renderer
    # Each page's text goes to MkDocs once, in on_page_read_source; the build does not
    # keep a second copy of every file, nor the parsed records, until it ends.
    build.texts.update((uri, (doc.text, doc.path)) for uri, doc in project.docs.items())
    project.docs.clear()
    project.parsed.clear()
    build.repo_uris = {
        build.shown(f.abs_src_path): f.src_uri
        for f in files
        if f.abs_src_path and f.src_uri not in build.generated_uris
    }
    build.files = files
    if build.drawing is not None and (loop is None or not loop.draws_later()):
        build.drawing.start()
    return files


def changes_uri(build: Build) -> str:
    return f"{build.urls.output_dir}/changes.md"


def add_planning_section(build: Build, nav: Navigation, files: Files) -> None:
    """A Planning section at the end of an explicit nav, unless the writer placed planning
    pages in it themselves."""
    listed = {page.file.src_uri for page in nav.pages}
    if not build.generated_uris or not listed.isdisjoint(build.generated_uris):
        return

    def page(uri: str) -> Page:
        file = files.get_file_from_path(uri)
        assert file is not None and file.page is not None  # added in on_files
        return file.page

    # Every page renders the whole sidebar, so each entry costs once per page. Phase,
    # owner and status pages are one click away, on the overview and on every card.
    urls = build.urls
    uris = [urls.overview_uri(), urls.orders_uri(), urls.adrs_uri(), urls.timeline_uri()]
    if changes_uri(build) in build.generated_uris:
        uris.append(changes_uri(build))  # with git's history only
    children: list[Any] = [page(uri) for uri in uris]
    section = Section("Planning", children)
    for child in children:
        child.parent = section
    nav.items.append(section)
    nav.pages.extend(child for child in children if child not in nav.pages)


def _read(build: Build, files: Files, config: MkDocsConfig, loop: Loop | None) -> Project:
    """Every Markdown file of docs/ and of the orders folder, read, parsed and sealed."""
    entries = [
        SourceEntry(path=build.shown(f.abs_src_path), uri=f.src_uri, abs_path=f.abs_src_path)
        for f in files.documentation_pages()
        if f.abs_src_path
    ]
    order_entries, asset_clashes = _add_orders_folder(build, files, config)
    parse_cache: ParseCache | None = None
    if build.options["page_cache"]:
        path, settings = build.cache_path("parsed", ".pickle"), build.settings
        parse_cache = ParseCache(path, settings) if loop is None else loop.parses(path, settings)
    project = load(entries + order_entries, build.settings, parse_cache)
    if parse_cache is not None:
        log.debug("files: %d parsed, %d from the cache", parse_cache.misses, parse_cache.hits)
    project.report(asset_clashes)
    for uri in project.unreadable:
        unreadable = files.get_file_from_path(uri)
        if unreadable is not None:
            files.remove(unreadable)
    return project


def _excluded(build: Build, config: MkDocsConfig) -> Callable[[str], bool]:
    specs = [config.exclude_docs]
    if build.command != "serve":
        specs.append(config.draft_docs)
    default = exclusions([])
    return lambda uri: default(uri) or any(s is not None and s.match_file(uri) for s in specs)


def _add_orders_folder(
    build: Build, files: Files, config: MkDocsConfig
) -> tuple[list[SourceEntry], list[diag.Diagnostic]]:
    """Publish the top-level orders folder under its own name, although it is outside docs/.

    Returns its Markdown files for the core (which reports a clash with a file in docs/,
    and keeps the one in docs/), and the clashes of its other files."""
    folder = build.orders_folder()
    docs = Path(config.docs_dir).resolve()
    if folder is None or folder == docs or docs in folder.parents:
        return [], []
    entries, clashes = [], []
    for path, uri in orders_files(folder, _excluded(build, config)):
        existing = files.get_file_from_path(uri)
        if path.suffix.lower() == ".md":
            entries.append(SourceEntry(build.shown(str(path)), uri, str(path), origin="orders"))
        elif existing is not None:
            shown = build.shown(existing.abs_src_path)
            clashes.append(path_clash(build.shown(str(path)), shown, uri))
        if existing is None:
            # MkDocs sorted docs/ files by not_in_nav already; do the same for these.
            hidden = config.not_in_nav is not None and config.not_in_nav.match_file(uri)
            inclusion = InclusionLevel.NOT_IN_NAV if hidden else InclusionLevel.UNDEFINED
            files.append(File.generated(config, uri, abs_src_path=str(path), inclusion=inclusion))
    return entries, clashes


def _git_history(build: Build, project: Project) -> GitHistory | None:
    """The planning files' history from git (``project.history.project_history``)."""
    history = project_history(
        build.root,
        Path(build.config.docs_dir),
        build.orders_folder(),
        project,
        config_name=build.config_name,
        cache=build.cache_path("history", ".json"),
    )
    if history is None:
        log.debug("planning history: none (no git checkout, or a finding says why)")
    return history


def _history_parts(build: Build, renderer: Renderer, skip: set[str]) -> list[GeneratedPage]:
    """History lines and burn-up charts for the renderer; the Changes page."""
    history = build.git_history
    if history is None:
        return []
    renderer.history_lines = history_lines(history)
    graph = renderer.graph
    charts = {p: burnup_svg(burnup(history, graph.orders_in_phase(p)), p) for p in graph.phases}
    renderer.burnups = {phase: svg for phase, svg in charts.items() if svg}
    try:
        changes = changes_since(history, build.options["changes_since"], build_day())
    except ValueError as exc:
        raise refused(exc) from None
    uri = changes_uri(build)
    return [] if uri in skip else [rendered(lambda: renderer.changes_page(uri, changes))]
