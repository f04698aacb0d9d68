"""The MkDocs adapter: each hook hands its work to the core, the renderer or the caches.

Collect and seal happen in ``on_files`` (every order, ADR and phase is read before any page
is rendered); pages are decorated in ``on_page_markdown`` and finished in ``on_post_page``;
``planning.json`` and the redirect pages are written in ``on_post_build``. Each build's state
is one ``Build``, made in ``on_config``. Findings go through the plugin logger, so
``mkdocs build --strict`` fails."""

from __future__ import annotations

import datetime
from typing import Any

from mkdocs.config import base
from mkdocs.config import config_options as c
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.plugins import BasePlugin, CombinedEvent, event_priority, get_plugin_logger
from mkdocs.structure.files import Files
from mkdocs.structure.nav import Navigation, Section
from mkdocs.structure.pages import Page

from plandocs.core import diagnostics as diag
from plandocs.core.parse.frontmatter import bounded_meta
from plandocs.core.settings import (
    CHOICE,
    DATE,
    DATES,
    FOLDER,
    MAPPING,
    NUMBER,
    OPTIONS,
    TEXTS,
    WHOLE,
    Option,
)
from plandocs.mkdocs import finish, redirects
from plandocs.mkdocs.build import Build, rendered
from plandocs.mkdocs.collect import ASSETS, changes_uri, collect
from plandocs.mkdocs.internals import quiet_dirty_warning
from plandocs.mkdocs.nav_cache import NavCache
from plandocs.mkdocs.page_cache import PageCache, build_salt, file_reading_extension
from plandocs.mkdocs.serve import Loop
from plandocs.render.jinja import template_cache
from plandocs.render.repo_links import rewrite_repo_links
from plandocs.render.titles import safe_meta

log = get_plugin_logger(__name__)


def _config_option(option: Option) -> base.BaseConfigOption[Any]:
    """The MkDocs config option of one of ``OPTIONS``: MkDocs checks its type, the core
    (``settings_from_options``) the rest."""
    default = option.default
    when: Any = (str, datetime.date)  # YAML reads 2025-02-03 as a date, a quoted one as text
    made: dict[str, Any] = {
        WHOLE: lambda: c.Type(int, default=default),
        NUMBER: lambda: c.Type((int, float), default=default),
        TEXTS: lambda: c.ListOfItems(c.Type(str), default=list(default)),
        MAPPING: lambda: c.DictOfItems(c.Type(str), default=dict(default)),
        DATE: lambda: c.Optional(c.Type(when)),
        DATES: lambda: c.ListOfItems(c.Type(when), default=list(default)),
        FOLDER: lambda: c.Optional(c.Dir(exists=True)),
        # the core checks a choice it reads; YAML reads a bare `off` as false
        CHOICE: lambda: (
            c.Type((str, bool), default=default)
            if option.check
            else c.Choice(option.choices, default=default)
        ),
    }
    if option.kind in made:
        return made[option.kind]()  # type: ignore[no-any-return]
    return c.Type(type(default), default=default)  # text, true/false


#: the options of ``OPTIONS``, for MkDocs to check
PlandocsConfig = type(
    "PlandocsConfig", (base.Config,), {o.name: _config_option(o) for o in OPTIONS}
)


class PlandocsPlugin(BasePlugin):  # type: ignore[type-arg]  # its config class is made from OPTIONS
    config_class = PlandocsConfig

    def __init__(self) -> None:
        self.given: set[str] = set()  # the options set in mkdocs.yml
        self.command = "build"
        self.build: Build | None = None
        self.loop: Loop | None = None  # `mkdocs serve --dirty`: kept across rebuilds

    def load_config(self, options: dict[str, Any], config_file_path: str | None = None) -> Any:
        # Which options the user set: a missing orders_dir is an error only if set on purpose.
        self.given = set(options)
        return super().load_config(options, config_file_path)

    def on_startup(self, *, command: str, dirty: bool) -> None:
        self.command = command  # `serve` shows draft_docs, a build leaves them out
        if command == "serve" and dirty:
            self.loop = Loop()
            quiet_dirty_warning()  # what it warns of, the loop puts right
        elif command == "serve":
            log.info("plandocs: `mkdocs serve --dirty` rebuilds only the pages an edit changes")

    def on_config(self, config: MkDocsConfig) -> MkDocsConfig:
        # `mkdocs serve` keeps this object across rebuilds: every build starts clean.
        self.build = Build.start(config, dict(self.config), self.command, self.given)
        if self.loop is not None:
            self.loop.begin(self.build)
        wanted = ["attr_list"] + (["plandocs.render.gfm_lists"] if self.config["gfm_lists"] else [])
        config.markdown_extensions += [n for n in wanted if n not in config.markdown_extensions]
        for name, where in zip(ASSETS, (config.extra_css, config.extra_javascript), strict=True):
            if f"assets/plandocs/{name}" not in [str(item) for item in where]:
                where.append(f"assets/plandocs/{name}")  # type: ignore[arg-type]
        return config

    def on_files(self, files: Files, config: MkDocsConfig) -> Files:
        assert self.build is not None  # on_config runs first
        return collect(self.build, files, config, self.loop)

    def on_nav(self, nav: Navigation, config: MkDocsConfig, files: Files) -> Navigation:
        build = self.build
        assert build is not None
        # the site's files are final here, and no page has been converted yet
        if build.options["page_cache"]:
            build.page_cache = _page_cache(build, config, files)
        if build.options["nav"] and config.nav is not None and build.generated:
            listed = {page.file.src_uri for page in nav.pages}
            # unless the writer placed planning pages in the nav themselves
            if not any(page.uri in listed for page in build.generated):
                section = _planning_section(build, files)
                nav.items.append(section)
                children = section.children
                nav.pages.extend(p for p in children if isinstance(p, Page) and p not in nav.pages)
        if self.loop is not None:  # the nav is final: which pages this rebuild redoes
            self.loop.plan(build, files, nav, config)
        redirects.start(build, config, files)  # after the loop's plan, which may clean the site
        return nav

    def on_env(self, env: Any, config: MkDocsConfig, files: Files) -> Any:
        build = self.build
        if self.loop is not None and build is not None:
            self.loop.fill(files, build)  # the pages it skipped, as sidebars show them
        if build is not None and build.options["page_cache"]:
            # the theme's templates compiled once, not on every build (Jinja's own cache)
            env.bytecode_cache = template_cache(build.cache_path("theme", ""))
        if build is None or not build.options["nav_cache"]:
            return env
        build.nav_cache = NavCache()
        cached = build.nav_cache.install(env, config)
        log.debug(
            "cached for pages outside the nav: %s",
            ", ".join(cached) or "nothing (no template is Material's own)",
        )
        if not cached:
            build.nav_cache = None
        return env

    def on_pre_page(self, page: Page, config: MkDocsConfig, files: Files) -> Page:
        if self.build is not None and self.build.page_cache is not None:
            self.build.page_cache.wrap(page)
        return page

    def on_page_read_source(self, page: Page, config: MkDocsConfig) -> str | None:
        # The core decoded every file once (BOM, CRLF); pages render that same text.
        if self.build is None or self.build.project is None:
            return None
        return self.build.source(page.file.src_uri, page.file.abs_src_path)

    def on_page_markdown(
        self, markdown: str, page: Page, config: MkDocsConfig, files: Files
    ) -> str:
        # MkDocs prints frontmatter values whole; one an alias bomb expands never finishes
        page.meta = bounded_meta(page.meta)
        build = self.build
        if build is None or build.renderer is None:
            return markdown
        renderer, uri = build.renderer, page.file.src_uri
        if uri in renderer.graph.variant_pages:
            # a search for an order's ID finds its own page before its translations
            page.meta.setdefault("search", {}).setdefault("boost", 0.5)
        if page.file.abs_src_path and uri not in build.generated_uris:
            path, uris = build.shown(page.file.abs_src_path), build.repo_uris
            markdown = rewrite_repo_links(markdown, path, uri, uris, frozenset(uris.values()))
        return rendered(lambda: renderer.decorate(markdown, uri))

    def on_page_content(self, html: str, page: Page, config: MkDocsConfig, files: Files) -> str:
        # the theme writes a page's title raw and through striptags, which unescapes (and a
        # few other keys raw): what the writer typed must stay text (its heading is known now)
        renderer = self.build.renderer if self.build is not None else None
        if renderer is not None:  # an order's or ADR's tab names its ID
            tab = renderer.tab_title(page.file.src_uri, page.meta.get("title"), page.title)
            if tab is not None:
                page.meta["title"] = tab
        page.meta.update(safe_meta(page.meta, page.title))
        # Material shows a frontmatter `status` as an icon beside the page in the nav, while
        # a planning status (pending, done) is on the page's card: kept for Material only
        # when the site gives that status a meaning (Material's `extra.status`)
        if "status" in page.meta and page.meta["status"] not in (config.extra.get("status") or {}):
            del page.meta["status"]
        if renderer is None:
            return html
        return rendered(lambda: renderer.after_markdown(html, page.file.src_uri))

    def on_post_page(self, output: str, page: Page, config: MkDocsConfig) -> str:
        # big tables and diagrams go in last: neither Markdown nor search reads them
        build = self.build
        if build is None or build.renderer is None:
            return output
        if build.drawing is not None:
            build.drawing.wait(build.config_name, build.log)
        renderer = build.renderer
        output = rendered(lambda: renderer.finish(output, page.file.src_uri))
        if build.renderer.tokens.left_in(output):  # an extension or template broke a token
            where = build.shown(page.file.abs_src_path) or page.file.src_uri
            note = (
                "a card, table or diagram could not be put into this page: a Markdown "
                "extension or a template override changed its placeholder (plandocsfrag...)"
            )
            build.log(diag.make(diag.FRAGMENT_LOST, where, 0, note))
        if self.loop is not None:
            self.loop.record(page, output)
        return output

    @event_priority(100)  # before the other plugins' ends: one may write over a redirect
    def _written(self, config: MkDocsConfig) -> None:
        if self.build is not None:
            redirects.wait(self.build)

    def _finish(self, config: MkDocsConfig) -> None:
        if self.build is not None:
            finish.finish(self.build, config)

    @event_priority(-100)  # after the search plugin has written its index
    def _finish_loop(self, config: MkDocsConfig) -> None:
        build = self.build
        if self.loop is not None and build is not None and build.files is not None:
            self.loop.finish(build, config, build.files)

    on_post_build = CombinedEvent(_written, _finish, _finish_loop)

    @event_priority(100)  # before another plugin's, which may raise and end the chain
    def on_build_error(self, error: Exception) -> None:
        if self.loop is not None:
            self.loop.failed()
        if self.build is not None:
            redirects.wait(self.build)

    def on_shutdown(self) -> None:
        if self.loop is not None:  # a serve stopped mid-rebuild leaves no collector off
            self.loop.collector.resume()

    def on_serve(self, server: Any, config: MkDocsConfig, builder: Any) -> Any:
        folder = self.build.orders_folder() if self.build is not None else None
        if folder is not None:
            server.watch(str(folder))
        return server


def _page_cache(build: Build, config: MkDocsConfig, files: Files) -> PageCache | None:
    reader = file_reading_extension(config.markdown_extensions)
    if reader is not None:
        log.debug("pages are not cached: the extension %s reads other files", reader)
        return None
    store = build.cache_path("pages", ".sqlite")
    pages = len(files.documentation_pages(inclusion=build.included()))
    tokens = build.renderer.tokens if build.renderer is not None else None
    return PageCache(store, build_salt(config, files), pages, tokens)


def _planning_section(build: Build, files: Files) -> Section:
    def page(uri: str) -> Page:
        file = files.get_file_from_path(uri)
        assert file is not None and file.page is not None  # added in on_files
        return file.page

    # Every page renders the whole sidebar, so each entry costs once per page. Phase,
    # owner and status pages are one click away, on the overview and on every card.
    urls = build.urls
    uris = [urls.overview_uri(), urls.orders_uri(), urls.adrs_uri(), urls.timeline_uri()]
    if any(generated.uri == changes_uri(build) for generated in build.generated):
        uris.append(changes_uri(build))  # with git's history only
    children: list[Any] = [page(uri) for uri in uris]
    section = Section("Planning", children)
    for child in children:
        child.parent = section
    return section
