"""The MkDocs adapter: each hook hands its work to the core in a line or two.

Collect and seal happen in ``on_files`` (every order, ADR and phase is read before any page
is rendered); pages are decorated in ``on_page_markdown``; ``planning.json`` is written in
``on_post_build``. Findings go through the plugin logger, so ``mkdocs build --strict`` fails.
"""

from __future__ import annotations

import datetime
import hashlib
import os
from collections.abc import Callable
from importlib import resources
from pathlib import Path
from typing import Any, TypeVar
from urllib.parse import urlsplit

from mkdocs.config import base
from mkdocs.config import config_options as c
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin, get_plugin_logger
from mkdocs.structure.files import File, Files, InclusionLevel
from mkdocs.structure.nav import Navigation, Section
from mkdocs.structure.pages import Page

from plandocs.cache.nav import NavCache
from plandocs.cache.pages import PageCache, build_salt, file_reading_extension
from plandocs.cache.parsed import ParseCache
from plandocs.core import diagnostics as diag
from plandocs.core.diagram.fences import dot_blocks
from plandocs.core.model import SourceDoc
from plandocs.core.parse.frontmatter import bounded_meta
from plandocs.core.schedule import build_day
from plandocs.core.settings import (
    DEFAULT_ADR_FILE,
    DEFAULT_LANGUAGES,
    DEFAULT_ORDER_FILE,
    DEFAULT_ORDER_ID,
    DEFAULT_PHASE,
    DEFAULT_TASK_ID,
    PARSE_WORKERS,
    WORKERS_REFUSED,
    Settings,
    SettingsError,
    path_in_site,
    settings_from_options,
)
from plandocs.core.urls import SiteUrls
from plandocs.graphviz.parallel import fork_available
from plandocs.graphviz.render import (
    DOT_TIMEOUT,
    SOURCE_NOTE,
    BackgroundDrawing,
    DotMissingError,
    SvgRenderer,
)
from plandocs.markdown_reuse import MarkdownReuse
from plandocs.page_workers import PageWorkers, converting, finishing, other_page_hook
from plandocs.project.history import (
    GitHistory,
    burnup,
    burnup_svg,
    changes_since,
    done_dates,
    history_lines,
    project_history,
)
from plandocs.project.load import (
    Project,
    SourceEntry,
    exclusions,
    load,
    orders_files,
    orders_folder,
    path_clash,
    read_source,
    shown_path,
)
from plandocs.project.renames import SiteFiles, old_sources, renames, site_source, write_pages
from plandocs.render.export import planning_json
from plandocs.render.pages import (
    GeneratedPage,
    Renderer,
    RenderError,
    generated_uris,
    source_folded,
)
from plandocs.render.permalinks import plan_redirects, redirect_pages
from plandocs.render.repo_links import rewrite_repo_links
from plandocs.render.titles import safe_meta

log = get_plugin_logger(__name__)
T = TypeVar("T")

_ASSETS = ("plandocs.css", "plandocs.js")
#: the fewest pages to convert that are worth forking workers for (some 5 ms a page)
_WORKERS_FROM = 100
#: how many pages a finishing worker may be ahead of the build: the build holds those pages'
#: cards, tables and diagrams until it writes them
_FINISHING_LEAD = 8
_LOG_LEVEL = {
    diag.Level.ERROR: log.error,
    diag.Level.WARNING: log.warning,
    diag.Level.INFO: log.info,
}


class PlandocsConfig(base.Config):
    orders_dir = c.Type(str, default="orders")
    """Folder of order files and summary documents, relative to mkdocs.yml; published under
    its own name. Empty to read orders from docs/ only."""
    output_dir = c.Type(str, default="planning")
    """Folder of the generated pages (overview, orders, phases, owners, status, ADRs)."""
    order_id_pattern = c.Type(str, default=DEFAULT_ORDER_ID)
    """Regular expression of an order ID."""
    order_file_pattern = c.Type(str, default=DEFAULT_ORDER_FILE)
    """Regular expression of an order file's name."""
    adr_file_pattern = c.Type(str, default=DEFAULT_ADR_FILE)
    """Regular expression of an ADR file's name; group `number` is the ADR number."""
    phase_pattern = c.Type(str, default=DEFAULT_PHASE)
    """Regular expression of a checkpoint phase or track (CP2, CP3-INGRESS)."""
    task_id_pattern = c.Type(str, default=DEFAULT_TASK_ID)
    """Regular expression of a task ID inside orders (CP3-GW-001)."""
    adr_id_width = c.Type(int, default=3)
    """ADR numbers are zero-padded to this width."""
    adr_statuses = c.ListOfItems(c.Type(str), default=[])
    """ADR statuses the team uses besides the usual ones; kept as written, never reported."""
    phase_states = c.ListOfItems(c.Type(str), default=["LC"])
    """Phase suffixes that name a state of the base phase; other suffixes are tracks."""
    phase_titles = c.DictOfItems(c.Type(str), default={})
    """Titles of phases, by ID."""
    field_aliases = c.DictOfItems(c.Type(str), default={})
    """A project's own field names: alias -> field (`assigned_people: owner`), on top of the
    names plandocs knows (Backlog.md's `assignee`, `milestone`, `parent_task_id`, ...)."""
    languages = c.ListOfItems(c.Type(str), default=list(DEFAULT_LANGUAGES))
    """File-name suffixes (_RU) that mark a translation of an order's page."""
    summary_heading_level = c.Type(int, default=2)
    """Shallowest heading level of an order section in a summary document."""
    # YAML reads 2025-02-03 as a date, a quoted one as text: the core checks both
    schedule_start = c.Optional(c.Type((str, datetime.date)))
    """The schedule's first working day (YYYY-MM-DD); unset: the earliest date in the orders
    (`created`, `start`), else the day of the build."""
    holidays = c.ListOfItems(c.Type((str, datetime.date)), default=[])
    """Days the schedule skips besides weekends (YYYY-MM-DD)."""
    external_ids = c.ListOfItems(c.Type(str), default=[])
    """Regular expressions of IDs of other systems, never reported as references to nothing."""
    # Checked with the other options in the core; a bare `off` reaches us as false.
    encoding_repair = c.Type((str, bool), default="info")
    """Repair mojibake on reading and report each repaired file at this level: info,
    warning (so a strict build insists that the sources be fixed), or off."""
    templates_dir = c.Optional(c.Dir(exists=True))
    """Folder with templates that override the packaged ones, by file name."""
    export = c.Type(str, default="planning.json")
    """Where planning.json is written in the site; empty to skip it."""
    gfm_lists = c.Type(bool, default=True)
    """Render lists the way GitHub does (a list right under a paragraph is a list)."""
    diagram_limit = c.Type(int, default=400)
    """The most orders a diagram draws one by one; a bigger one shows phases or owners,
    with the number of dependencies between them."""
    dot_timeout = c.Type((int, float), default=DOT_TIMEOUT)
    """How many seconds one `dot` process may run. A diagram not drawn by then is a
    `plandocs.bad-diagram` warning: a `dot` block stays as code, a diagram of the planning
    graph is shown as its DOT source."""
    missing_dot = c.Choice(("error", "source"), default="error")
    """Without Graphviz's `dot`: stop the build with an install hint (error), or go on with
    each diagram shown as its DOT source and one warning (source)."""
    nav = c.Type(bool, default=True)
    """Add a Planning section to an explicit `nav`."""
    page_cache = c.Type(bool, default=True)
    """Keep every page's converted HTML in .cache/plandocs/pages/, so a rebuild converts
    only the pages whose Markdown changed."""
    nav_cache = c.Type(bool, default=True)
    """Render Material's sidebar and header once for all the pages outside the nav that
    show them alike (orders, ADRs), instead of once a page."""
    markdown_reuse = c.Type(bool, default=True)
    """Convert every page with one Python-Markdown instance, reset between pages, instead
    of a new one a page (only with extensions known to reset their state)."""
    workers = c.Type(int, default=0)
    """How many processes convert and finish pages beside a build that has many to do
    (Linux): time for memory, each holds much of what the build holds. 0 for none."""
    parse_workers = c.Type(int, default=PARSE_WORKERS)
    """How many processes read and parse files beside the build, when it has at least 64 to
    parse (Linux; at most one a spare core). They run early, while the build is small.
    With 1 or more, a helper process also makes the DOT sources of the diagrams."""
    history = c.Type(bool, default=True)
    """In a git checkout, read the planning files' history: a Changes page, a history line
    on each order and ADR, a burn-up chart on each phase page. Off: no git call at all."""
    changes_since = c.Type(str, default="")
    """What the Changes page lists changes since: a tag, a date (2025-02-01) or `N days`;
    empty for the latest tag, or the last 30 days in a repository without tags."""


class PlandocsPlugin(BasePlugin[PlandocsConfig]):
    def __init__(self) -> None:
        self.project: Project | None = None
        self.renderer: Renderer | None = None
        self.generated: list[GeneratedPage] = []
        self.urls = SiteUrls()
        self.options_given: set[str] = set()
        self.repo_uris: dict[str, str] = {}
        self.repo_published: frozenset[str] = frozenset()
        self.command = "build"
        self.dirty = False
        self.page_cache: PageCache | None = None
        self._drawing: tuple[BackgroundDrawing, SvgRenderer, int] | None = None
        self._finishers: PageWorkers | None = None
        self._first_page = False
        self.nav_cache: NavCache | None = None
        self.markdown_reuse: MarkdownReuse | None = None

    def load_config(self, options: dict[str, Any], config_file_path: str | None = None) -> Any:
        # Which options the user set: a missing orders_dir is an error only if set on purpose.
        self.options_given = set(options)
        return super().load_config(options, config_file_path)

    def on_startup(self, *, command: str, dirty: bool) -> None:
        self.command = command  # `serve` shows draft_docs, a build leaves them out
        self.dirty = dirty  # --dirty converts only changed pages: no workers

    def on_config(self, config: MkDocsConfig) -> MkDocsConfig:
        # `mkdocs serve` keeps this object across rebuilds: start every build clean.
        self.project, self.renderer, self.generated = None, None, []
        self._texts: dict[str, tuple[str, str]] = {}  # uri -> text and shown path, until read
        self._read: dict[str, str] = {}  # uri -> shown path, once read
        self.page_cache = None
        self._drawing = None
        self._finishers = None
        self._first_page = False
        self.nav_cache = None
        self.markdown_reuse = MarkdownReuse() if self.config.markdown_reuse else None
        self.git_history: GitHistory | None = None
        self.settings = self._settings()
        for name in ("workers", "parse_workers"):
            if self.config[name] < 0:
                raise PluginError(f"plandocs: {WORKERS_REFUSED.format(name, self.config[name])}")
        self.urls = SiteUrls(config.use_directory_urls, self.settings.output_dir)
        self.root = Path(config.config_file_path or ".").resolve().parent
        # resolved: `mkdocs build` and `python -m mkdocs build` name it differently
        self.config_path = str(Path(config.config_file_path or "mkdocs.yml").resolve())
        self._shown_paths: dict[str, str] = {}
        self._resolved_folders: dict[str, Path] = {}
        self.config_name = Path(config.config_file_path or "mkdocs.yml").name
        wanted = ["attr_list"]
        if self.config.gfm_lists:
            wanted.append("plandocs.render.gfm_lists")
        for name in wanted:
            if name not in config.markdown_extensions:
                config.markdown_extensions.append(name)
        for name, where in (
            ("plandocs.css", config.extra_css),
            ("plandocs.js", config.extra_javascript),
        ):
            path = f"assets/plandocs/{name}"
            if path not in [str(item) for item in where]:
                where.append(path)  # type: ignore[arg-type]
        return config

    def _log(self, finding: diag.Diagnostic) -> None:
        """Log a finding at its level; under ``mkdocs serve`` at INFO, its level in its text.

        MkDocs' strict mode counts the WARNING and ERROR records of the ``mkdocs`` loggers and
        aborts the build that had any: under ``serve`` the open tab then keeps the old page
        with no sign of trouble. Logging at INFO is the public way to keep a finding out of
        that count, and only under ``serve``, which shows each finding on its page instead;
        ``mkdocs build --strict`` and ``plandocs check`` still fail on it. (``config.strict``
        is read before ``on_config`` and covers MkDocs' own warnings too: not ours to turn
        off.)"""
        if self.command == "serve" and finding.level is not diag.Level.INFO:
            log.info(finding.format(with_level=True))
        else:
            _LOG_LEVEL[finding.level](finding.format())

    def _settings(self) -> Settings:
        try:
            return settings_from_options(dict(self.config))
        except SettingsError as exc:
            raise PluginError(f"plandocs: {exc}") from None

    def _orders_folder(self) -> Path | None:
        try:
            return orders_folder(
                self.root, self.settings, required="orders_dir" in self.options_given
            )
        except SettingsError as exc:
            raise PluginError(f"plandocs: {exc}") from None

    def _excluded(self, config: MkDocsConfig) -> Callable[[str], bool]:
        specs = [config.exclude_docs]
        if self.command != "serve":
            specs.append(config.draft_docs)
        default = exclusions([])
        return lambda uri: default(uri) or any(s is not None and s.match_file(uri) for s in specs)

    def on_files(self, files: Files, config: MkDocsConfig) -> Files:
        entries = [
            SourceEntry(path=self._shown(f.abs_src_path), uri=f.src_uri, abs_path=f.abs_src_path)
            for f in files.documentation_pages()
            if f.abs_src_path
        ]
        order_entries, asset_clashes = self._add_orders_folder(files, config)
        parse_cache = (
            ParseCache(self._cache_folder("parsed").with_suffix(".pickle"), self.settings)
            if self.config.page_cache
            else None
        )
        helpers = 0 if self.dirty else self.config.parse_workers
        project = load(entries + order_entries, self.settings, parse_cache, helpers=helpers)
        if parse_cache is not None:
            log.debug("files: %d parsed, %d from the cache", parse_cache.misses, parse_cache.hits)
        if project.parsed_by_helpers:
            log.debug("files: %d of them parsed by helper processes", project.parsed_by_helpers)
        project.report(asset_clashes)
        for uri in project.unreadable:
            unreadable = files.get_file_from_path(uri)
            if unreadable is not None:
                files.remove(unreadable)
        self.git_history = self._git_history(config, project) if self.config.history else None
        changes = [self._changes_uri()] if self.git_history is not None else []
        clashes = project.reserve([*generated_uris(project.graph, self.urls), *changes])
        renderer = Renderer(
            project.graph,
            self.settings,
            self.urls,
            templates_dir=self.config.templates_dir,
            diagnostics=project.diagnostics,
            references=project.references,
            fragment_cache=self._cache_folder("fragments").with_suffix(".sqlite")
            if self.config.page_cache
            else None,
        )
        # the schedule's today, and the days git saw done orders finished (``schedule``)
        renderer.today = build_day()
        if self.git_history is not None:
            renderer.done_dates = done_dates(self.git_history)
        self._draw(renderer, project)
        # An explicit nav gets a Planning section in on_nav; do not report the pages as missing.
        explicit_nav = self.config.nav and config.nav is not None
        inclusion = InclusionLevel.NOT_IN_NAV if explicit_nav else InclusionLevel.UNDEFINED
        pages = _rendered(lambda: renderer.pages(skip=clashes))
        pages.extend(self._history_parts(renderer, set(clashes)))
        for page in pages:
            files.append(
                File.generated(config, page.uri, content=page.markdown, inclusion=inclusion)
            )
            self.generated.append(page)
        for name in _ASSETS:
            asset = resources.files("plandocs.render") / "assets" / name
            content = asset.read_text(encoding="utf-8")
            files.append(File.generated(config, f"assets/plandocs/{name}", content=content))
        for finding in project.diagnostics:
            self._log(finding)
        if self.command == "serve":
            renderer.page_findings = project.findings_by_page()
        self.project, self.renderer = project, renderer
        # Each page's text goes to MkDocs once, in on_page_read_source; the build does not
        # keep a second copy of every file, nor the parsed records, until it ends.
        self._texts = {uri: (doc.text, doc.path) for uri, doc in project.docs.items()}
        project.docs.clear()
        project.parsed.clear()
        self.repo_uris = {self._shown(f.abs_src_path): f.src_uri for f in files if f.abs_src_path}
        self.repo_published = frozenset(self.repo_uris.values())
        if self._drawing is not None and self.config.parse_workers > 0 and not self.dirty:
            # a helper process makes the diagrams' sources, as one parses files; forked
            # last, so that what the build lets go of above is not copied for it
            self._drawing[0].fork_helper()
        if self._drawing is not None and not self.config.workers:
            # no page workers to fork first: draw while pages convert, from the moment the
            # parse has let go of what it read (dot's biggest graph is its peak)
            self._drawing[0].start()
        return files

    def _changes_uri(self) -> str:
        return f"{self.urls.output_dir}/changes.md"

    def _git_history(self, config: MkDocsConfig, project: Project) -> GitHistory | None:
        """The planning files' history from git (``git_history.project_history``)."""
        history = project_history(
            self.root,
            Path(config.docs_dir),
            self._orders_folder(),
            project,
            config_name=self.config_name,
            cache=self._cache_folder("history").with_suffix(".json"),
        )
        if history is None:
            log.debug("planning history: none (no git checkout, or a finding says why)")
        return history

    def _history_parts(self, renderer: Renderer, skip: set[str]) -> list[GeneratedPage]:
        """History lines and burn-up charts for the renderer; the Changes page."""
        history = self.git_history
        if history is None:
            return []
        renderer.history_lines = history_lines(history)
        graph = renderer.graph
        charts = {p: burnup_svg(burnup(history, graph.orders_in_phase(p)), p) for p in graph.phases}
        renderer.burnups = {phase: svg for phase, svg in charts.items() if svg}
        try:
            changes = changes_since(history, self.config.changes_since, build_day())
        except ValueError as exc:
            raise PluginError(f"plandocs: {exc}") from None
        uri = self._changes_uri()
        return [] if uri in skip else [_rendered(lambda: renderer.changes_page(uri, changes))]

    def _draw(self, renderer: Renderer, project: Project) -> None:
        """Every diagram of the build, from the cache where it can. The writers' ``dot``
        blocks first (one Graphviz cannot draw is reported and stays as code); then the
        planning graph's, in the background, while pages are converted."""
        blocks = {
            block.key: (doc.path, block)
            for doc in project.docs.values()
            for block in dot_blocks(doc.text.split("\n"))
        }
        timeout = self.config.dot_timeout
        if timeout <= 0:
            raise PluginError(f"plandocs: dot_timeout must be more than 0 seconds, not {timeout}")
        svg = SvgRenderer(self.root / ".cache" / "plandocs", timeout=timeout)
        try:
            svg.version()  # is there a `dot` at all
            drawn, refused = svg.render_each(
                {key: block.source for key, (_, block) in blocks.items()}
            )
        except DotMissingError as exc:
            if self.config.missing_dot != "source":
                raise PluginError(f"plandocs: {exc}") from None
            renderer.show_sources(renderer.diagram_sources())
            project.report([diag.make(diag.DOT_MISSING, self.config_name, 0, SOURCE_NOTE)])
            renderer.diagnostics = tuple(project.diagnostics)
            return
        keys = renderer.diagram_keys()
        background = BackgroundDrawing(
            svg,
            keys,
            renderer.each_diagram_source,
            ready=drawn,
            shown=lambda source: source_folded(source, "Graphviz took too long to draw it"),
        )
        self._drawing = (background, svg, len(keys) + len(blocks))
        renderer.diagrams = background
        project.report(
            diag.make(
                diag.BAD_DIAGRAM, path, block.start + 1, f"{refused[key]}; fix the dot source"
            )
            for key, (path, block) in blocks.items()
            if key in refused
        )
        renderer.diagnostics = tuple(project.diagnostics)  # the overview lists these too

    def _diagrams_drawn(self) -> None:
        """Wait for the background drawing, once a build."""
        if self._drawing is None:
            return
        background, svg, total = self._drawing
        self._drawing = None
        try:
            refused = background.wait()
        except DotMissingError as exc:  # `dot` answered -V, then went away
            raise PluginError(f"plandocs: {exc}") from None
        log.debug(
            "diagrams: %d, %d drawn by Graphviz in %d processes, the others from the cache%s",
            total,
            svg.rendered,
            svg.processes,
            "; their sources made by a helper process" if background.helped else "",
        )
        late = background.timed_out()
        for key in sorted(late):  # shown as its source (BackgroundDrawing)
            finding = diag.make(
                diag.BAD_DIAGRAM,
                self.config_name,
                0,
                f"the diagram {key} is shown as its DOT source: Graphviz did not draw it within "
                f"{svg.timeout:g} s (raise dot_timeout, or lower diagram_limit)",
            )
            self._log(finding)
        refused = {key: why for key, why in refused.items() if key not in late}
        if refused:  # plandocs wrote DOT that Graphviz refuses: a bug, not the writer's
            key = sorted(refused)[0]
            raise PluginError(f"plandocs: the diagram {key}: {refused[key]}")

    def _add_orders_folder(
        self, files: Files, config: MkDocsConfig
    ) -> tuple[list[SourceEntry], list[diag.Diagnostic]]:
        """Publish the top-level orders folder under its own name, although it is outside docs/.

        Returns its Markdown files for the core (which reports a clash with a file in docs/,
        and keeps the one in docs/), and the clashes of its other files."""
        folder = self._orders_folder()
        docs = Path(config.docs_dir).resolve()
        if folder is None or folder == docs or docs in folder.parents:
            return [], []
        entries, clashes = [], []
        for path, uri in orders_files(folder, self._excluded(config)):
            existing = files.get_file_from_path(uri)
            if path.suffix.lower() == ".md":
                entries.append(SourceEntry(self._shown(str(path)), uri, str(path), origin="orders"))
            elif existing is not None:
                clashes.append(
                    path_clash(self._shown(str(path)), self._shown(existing.abs_src_path), uri)
                )
            if existing is None:
                # MkDocs sorted docs/ files by not_in_nav already; do the same for these.
                hidden = config.not_in_nav is not None and config.not_in_nav.match_file(uri)
                inclusion = InclusionLevel.NOT_IN_NAV if hidden else InclusionLevel.UNDEFINED
                files.append(
                    File.generated(config, uri, abs_src_path=str(path), inclusion=inclusion)
                )
        return entries, clashes

    def _shown(self, abs_path: str | None) -> str:
        if not abs_path:
            return ""
        shown = self._shown_paths.get(abs_path)
        if shown is None:
            shown = self._shown_paths[abs_path] = self._shown_uncached(abs_path)
        return shown

    def _shown_uncached(self, abs_path: str) -> str:
        """``shown_path``, resolving each folder once a build: resolving a path asks the
        file system about every folder above it (12,000 calls for 900 files)."""
        path = Path(abs_path)
        if path.is_symlink():
            return shown_path(self.root, path)
        folder, name = os.path.split(abs_path)
        resolved = self._resolved_folders.get(folder)
        if resolved is None:
            resolved = self._resolved_folders[folder] = Path(folder).resolve()
        try:
            return (resolved / name).relative_to(self.root).as_posix()
        except ValueError:
            return shown_path(self.root, path)  # through a linked folder, or outside

    def on_nav(self, nav: Navigation, config: MkDocsConfig, files: Files) -> Navigation:
        # the site's files are final here, and no page has been converted yet
        if self.config.page_cache:
            self.page_cache = self._page_cache(config, files)
            if self.page_cache is not None:
                self.page_cache.markdown_reuse = self.markdown_reuse
        self._first_page = True  # workers fork there, after every plugin's on_nav
        if not self.config.nav or config.nav is None or not self.generated:
            return nav  # an implicit nav already lists the generated pages
        listed = {page.file.src_uri for page in nav.pages}
        if any(page.uri in listed for page in self.generated):
            return nav  # the writer placed planning pages in the nav themselves
        section = self._planning_section(files)
        nav.items.append(section)
        nav.pages.extend(p for p in _pages_of(section) if p not in nav.pages)
        return nav

    def _planning_section(self, files: Files) -> Section:
        def page(uri: str) -> Page:
            file = files.get_file_from_path(uri)
            assert file is not None and file.page is not None  # added in on_files
            return file.page

        # Every page renders the whole sidebar, so each entry costs once per page. Phase,
        # owner and status pages are one click away, on the overview and on every card.
        children: list[Any] = [
            page(self.urls.overview_uri()),
            page(self.urls.orders_uri()),
            page(self.urls.adrs_uri()),
            page(self.urls.timeline_uri()),
        ]
        if any(generated.uri == self._changes_uri() for generated in self.generated):
            children.append(page(self._changes_uri()))  # with git's history only
        section = Section("Planning", children)
        for child in children:
            child.parent = section
        return section

    def on_pre_page(self, page: Page, config: MkDocsConfig, files: Files) -> Page:
        if self._first_page:
            self._first_page = False
            if self.page_cache is not None:
                self.page_cache.workers = self._page_workers(config, files, self.page_cache)
            if self._drawing is not None:
                self._drawing[0].start()  # after the workers' fork: they need no thread
        # the page cache converts with what render is by then: the build's Markdown instance
        if self.markdown_reuse is not None:
            self.markdown_reuse.wrap(page)
        if self.page_cache is not None:
            self.page_cache.wrap(page)
        return page

    def _cache_folder(self, kind: str) -> Path:
        """Where a configuration keeps its ``kind`` of cache (a folder, or with a suffix a
        file), so two sites of one repository keep their own."""
        name = hashlib.sha256(str(self.config_path).encode("utf-8")).hexdigest()[:16]
        return self.root / ".cache" / "plandocs" / kind / name

    def _page_cache(self, config: MkDocsConfig, files: Files) -> PageCache | None:
        reader = file_reading_extension(config.markdown_extensions)
        if reader is not None:
            log.debug("pages are not cached: the extension %s reads other files", reader)
            return None
        store = self._cache_folder("pages").with_suffix(".sqlite")
        pages = len(files.documentation_pages(inclusion=self._included()))
        tokens = self.renderer.tokens if self.renderer is not None else None
        return PageCache(store, build_salt(config, files), pages, tokens)

    def _page_workers(
        self, config: MkDocsConfig, files: Files, cache: PageCache
    ) -> PageWorkers | None:
        """Workers converting pages beside the build, when it has at least ``_WORKERS_FROM``
        pages to convert (the store holds records for fewer than half of its pages)."""
        count = self._worker_count("converted")
        if count == 0:
            return None
        other = other_page_hook(config, self)
        if other is not None:
            log.debug("pages are converted in this process: the plugin %s changes pages", other)
            return None
        pages = files.documentation_pages(inclusion=self._included())
        stored = cache.store.count()
        if len(pages) - stored < _WORKERS_FROM or stored * 2 >= len(pages):
            return None
        sizes = {page.uri: len(page.markdown) for page in self.generated}
        sizes.update((uri, len(text)) for uri, (text, _) in self._texts.items())
        return converting(pages, config, files, cache, self.renderer, sizes=sizes, count=count)

    def _worker_count(self, doing: str) -> int:
        """How many workers to fork now, for pages to be ``doing``."""
        count = self.config.workers
        if count == 0 or self.dirty:
            return 0
        if not fork_available():
            log.debug("pages are %s in this process: workers need Linux, no threads", doing)
            return 0
        return count

    def _finishing_workers(self, files: Files) -> PageWorkers | None:
        """Workers making what ``on_post_page`` puts in each page (cards, tables, diagrams,
        links), when the fragment cache holds fewer records than half the fragments."""
        renderer = self.renderer
        if renderer is None:
            return None
        cache = renderer.fragment_cache
        stored = cache.store.count() if cache is not None else 0
        pages = files.documentation_pages(inclusion=self._included())
        if len(pages) < _WORKERS_FROM or stored * 2 >= len(renderer.fragments):
            return None
        count = self._worker_count("finished")
        return finishing(pages, renderer, lead=_FINISHING_LEAD, count=count) if count else None

    def _included(self) -> Callable[[InclusionLevel], bool]:
        """The pages this build converts: ``serve`` shows drafts too."""
        return InclusionLevel.is_in_serve if self.command == "serve" else InclusionLevel.is_included

    def on_env(self, env: Any, config: MkDocsConfig, files: Files) -> Any:
        # every page is converted: the workers are done
        cache = self.page_cache
        if cache is not None and cache.workers is not None:
            cache.workers.close()
            log.debug(
                "pages: %d converted by %d worker processes",
                cache.converted_by_workers,
                len(cache.workers.processes),
            )
            cache.workers = None
        # the finishing workers are forked with no thread running: the drawing is done
        self._diagrams_drawn()
        self._finishers = self._finishing_workers(files)
        if self.config.nav_cache:
            self.nav_cache = NavCache()
            cached = self.nav_cache.install(env, config)
            log.debug(
                "cached for pages outside the nav: %s",
                ", ".join(cached) or "nothing (no template is Material's own)",
            )
            if not cached:
                self.nav_cache = None
        return env

    def on_page_read_source(self, page: Page, config: MkDocsConfig) -> str | None:
        # The core decoded every file once (BOM, CRLF); pages render that same text.
        if self.project is None:
            return None
        uri = page.file.src_uri
        if uri in self._texts:
            text, self._read[uri] = self._texts.pop(uri)
            return text
        path = self._read.get(uri)
        if path is None or not page.file.abs_src_path:
            return None  # not a file the core read: MkDocs reads it
        # read twice in one build (a plugin may render a page again): decoded once more
        doc = read_source(SourceEntry(path, uri, page.file.abs_src_path), self.settings)
        return doc.text if isinstance(doc, SourceDoc) else None

    def on_page_markdown(
        self, markdown: str, page: Page, config: MkDocsConfig, files: Files
    ) -> str:
        # MkDocs prints frontmatter values whole; one an alias bomb expands never finishes
        page.meta = bounded_meta(page.meta)
        if self.renderer is None:
            return markdown
        renderer = self.renderer
        if page.file.src_uri in renderer.graph.variant_pages:
            # a search for an order's ID finds its own page before its translations
            page.meta.setdefault("search", {}).setdefault("boost", 0.5)
        if page.file.abs_src_path:
            markdown = rewrite_repo_links(
                markdown,
                self._shown(page.file.abs_src_path),
                page.file.src_uri,
                self.repo_uris,
                self.repo_published,
            )
        return _rendered(lambda: renderer.decorate(markdown, page.file.src_uri))

    def on_page_content(self, html: str, page: Page, config: MkDocsConfig, files: Files) -> str:
        # the theme writes a page's title raw and through striptags, which unescapes (and a
        # few other keys raw): what the writer typed must stay text (its heading is known now)
        if self.renderer is not None:  # an order's or ADR's tab names its ID
            tab = self.renderer.tab_title(page.file.src_uri, page.meta.get("title"), page.title)
            if tab is not None:
                page.meta["title"] = tab
        page.meta.update(safe_meta(page.meta, page.title))
        # Material shows a frontmatter `status` as an icon beside the page in the nav, while
        # a planning status (pending, done) is on the page's card: kept for Material only
        # when the site gives that status a meaning (Material's `extra.status`)
        if "status" in page.meta and page.meta["status"] not in (config.extra.get("status") or {}):
            del page.meta["status"]
        return (
            html if self.renderer is None else self.renderer.after_markdown(html, page.file.src_uri)
        )

    def on_post_page(self, output: str, page: Page, config: MkDocsConfig) -> str:
        # big tables and diagrams go in last: neither Markdown nor search reads them
        if self.renderer is None:
            return output
        self._diagrams_drawn()
        done = self._finishers.result(page.file.src_uri) if self._finishers else None
        ready = None
        if done is not None:
            ready, report = done
            fragments = self.renderer.fragment_cache
            if report is not None and fragments is not None:
                fragments.merge(report)
        output = self.renderer.finish(output, page.file.src_uri, ready)
        if self.renderer.tokens.left_in(output):  # an extension or template broke a token
            where = self._shown(page.file.abs_src_path) if page.file.abs_src_path else None
            finding = diag.make(
                diag.FRAGMENT_LOST,
                where or page.file.src_uri,
                0,
                "a card, table or diagram could not be put into this page: a Markdown "
                "extension or a template override changed its placeholder (plandocsfrag...)",
            )
            self._log(finding)
        return output

    def on_post_build(self, config: MkDocsConfig) -> None:
        self._diagrams_drawn()
        finishers, self._finishers = self._finishers, None
        if finishers is not None:
            finishers.close()
            log.debug(
                "pages: %d finished by %d worker processes",
                finishers.done,
                len(finishers.processes),
            )
        if self.nav_cache is not None:
            log.debug(
                "sidebars and headers: %d rendered, %d from the cache",
                self.nav_cache.misses,
                self.nav_cache.hits,
            )
        reuse = self.markdown_reuse
        if reuse is not None:
            reuse.close()
            log.debug(
                "Markdown instances: %d made, %d reused%s",
                reuse.made,
                reuse.reused,
                f" (none: {reuse.unknown} may keep state between pages)" if reuse.unknown else "",
            )
        cache = self.page_cache
        if cache is not None:
            pruned = cache.close()
            log.debug(
                "pages: %d converted, %d from the cache, %d not cacheable, %d old records removed",
                cache.misses,
                cache.hits,
                cache.uncacheable,
                pruned,
            )
        fragments = self.renderer.fragment_cache if self.renderer is not None else None
        if fragments is not None:
            # pruned after a build that wrote every page, as the page cache is
            full = cache is not None and cache.complete
            log.debug(
                "fragments: %d rendered, %d from the cache, %d old records removed "
                "(table rows: %d rendered, %d from the cache)",
                fragments.misses,
                fragments.hits,
                fragments.close(prune=full),
                fragments.part_misses,
                fragments.part_hits,
            )
        if self.project is not None:
            self._write_redirects(config)
        if self.project is None or not self.config.export:
            return
        # checked in on_config (settings_from_options): a path inside the site
        target = Path(config.site_dir, path_in_site("export", self.config.export, folder=False))
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(
            planning_json(
                self.project.graph,
                self.project.diagnostics,
                self.urls,
                history=self.git_history.orders if self.git_history is not None else None,
                plan=self.renderer.plan if self.renderer is not None else None,
            ),
            encoding="utf-8",
        )

    def _write_redirects(self, config: MkDocsConfig) -> None:
        """Every ID's permanent address, and the old addresses of renamed orders and ADRs
        (``views.permalinks``; git's part and the writing in ``redirects``)."""
        assert self.project is not None
        graph, docs, orders = self.project.graph, Path(config.docs_dir), self._orders_folder()
        folders = [_inside(folder, self.root) for folder in (docs, orders) if folder is not None]
        history = renames(self.root, [folder for folder in folders if folder is not None])
        found = []
        if history.problem:
            note = f"old addresses of renamed files are not kept: {history.problem}"
            found.append(diag.make(diag.NO_HISTORY, self.config_name, 0, note))
        pages = {order.path: order.uri for order in graph.orders.values()}
        pages.update((adr.path, adr.uri) for adr in graph.adrs.values())
        source = site_source(self.root, docs.resolve(), orders)
        redirects, problems = plan_redirects(
            graph,
            self.urls,
            taken=SiteFiles(Path(config.site_dir)),
            history=old_sources(history.renames, pages, source),
            uri_of=source,
            base_path=urlsplit(config.site_url or "").path,
            config_name=self.config_name,
        )
        for finding in (*found, *problems):
            self._log(finding)
        write_pages(Path(config.site_dir), redirect_pages(redirects, self.urls.use_directory_urls))
        log.debug("permanent addresses and old ones: %d redirect pages", len(redirects))

    def on_build_error(self, error: Exception) -> None:
        # a build that failed leaves no worker or helper behind, and garbage collection as
        # it was
        if self._drawing is not None:
            self._drawing[0].abandon()
        if self.markdown_reuse is not None:
            self.markdown_reuse.close()
        cache_workers = self.page_cache.workers if self.page_cache is not None else None
        for workers in (cache_workers, self._finishers):
            if workers is not None:
                workers.abandon()
        if self.page_cache is not None:
            self.page_cache.workers = None
        self._finishers = None

    def on_serve(self, server: Any, config: MkDocsConfig, builder: Any) -> Any:
        folder = self._orders_folder()
        if folder is not None:
            server.watch(str(folder))
        return server


def _rendered(render: Callable[[], T]) -> T:
    """Run a renderer call; a broken template override becomes a one-line build error."""
    try:
        return render()
    except RenderError as exc:
        raise PluginError(f"plandocs: {exc}") from None


def _inside(folder: Path, root: Path) -> str | None:
    """``folder`` relative to ``root``, for git; ``None`` outside it."""
    try:
        return folder.resolve().relative_to(root).as_posix()
    except ValueError:
        return None


def _pages_of(section: Section) -> list[Page]:
    out: list[Page] = []
    for child in section.children:
        if isinstance(child, Section):
            out.extend(_pages_of(child))
        elif isinstance(child, Page):
            out.append(child)
    return out
