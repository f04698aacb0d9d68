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
from mkdocs.structure.nav import Navigation
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
from plandocs.mkdocs.collect import ASSETS, add_planning_section, collect
from plandocs.mkdocs.internals import quiet_dirty_warning
from plandocs.mkdocs.nav_cache import NavCache
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

    @property
    def _build(self) -> Build:
        assert self.build is not None  # made in on_config, which every build runs first
        return self.build

    def on_files(self, files: Files, config: MkDocsConfig) -> Files:
        return collect(self._build, files, config, self.loop)

    def on_nav(self, nav: Navigation, config: MkDocsConfig, files: Files) -> Navigation:
        build = self._build
        # the site's files are final here, and no page has been converted yet
        if build.options["page_cache"]:
            build.page_cache = build.open_page_cache(config, files)
        if build.options["nav"] and config.nav is not None:
            add_planning_section(build, nav, files)
        if self.loop is not None:  # the nav is final: which pages this rebuild redoes
            self.loop.plan(build, files, nav, config)
        redirects.start(build, config, files)  # after the loop's plan, which may clean the site
        return nav

    def on_env(self, env: Any, config: MkDocsConfig, files: Files) -> Any:
        build = self._build
        if self.loop is not None:
            self.loop.fill(files, build)  # the pages it skipped, as sidebars show them
        if build.options["page_cache"]:
            # the theme's templates compiled once, not on every build (Jinja's own cache)
            env.bytecode_cache = template_cache(build.cache_path("theme", ""))
        if not build.options["nav_cache"]:
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
        if self._build.page_cache is not None:
            self._build.page_cache.wrap(page)
        return page

    def on_page_read_source(self, page: Page, config: MkDocsConfig) -> str | None:
        # The core decoded every file once (BOM, CRLF); pages render that same text.
        return self._build.source(page.file.src_uri, page.file.abs_src_path)

    def on_page_markdown(
        self, markdown: str, page: Page, config: MkDocsConfig, files: Files
    ) -> str:
        # MkDocs prints frontmatter values whole; one an alias bomb expands never finishes
        page.meta = bounded_meta(page.meta)
        build, uri = self._build, page.file.src_uri
        renderer = build.renderer
        assert renderer is not None  # made in on_files
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
        renderer = self._build.renderer
        assert renderer is not None  # made in on_files
        # an order's or ADR's tab names its ID
        tab = renderer.tab_title(page.file.src_uri, page.meta.get("title"), page.title)
        if tab is not None:
            page.meta["title"] = tab
        page.meta.update(safe_meta(page.meta, page.title))
        # Material shows a frontmatter `status` as an icon beside the page in the nav, while
        # a planning status (pending, done) is on the page's card: kept for Material only
        # when the site gives that status a meaning (Material's `extra.status`)
        if "status" in page.meta and page.meta["status"] not in (config.extra.get("status") or {}):
            del page.meta["status"]
        return rendered(lambda: renderer.after_markdown(html, page.file.src_uri))

    def on_post_page(self, output: str, page: Page, config: MkDocsConfig) -> str:
        # big tables and diagrams go in last: neither Markdown nor search reads them
        build = self._build
        renderer = build.renderer
        assert renderer is not None  # made in on_files
        if build.drawing is not None:
            build.drawing.wait(build.config_name, build.log)
        output = rendered(lambda: renderer.finish(output, page.file.src_uri))
        if renderer.tokens.left_in(output):  # an extension or template broke a token
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
        redirects.wait(self._build)

    def _finish(self, config: MkDocsConfig) -> None:
        finish.finish(self._build, config)

    @event_priority(-100)  # after the search plugin has written its index
    def _finish_loop(self, config: MkDocsConfig) -> None:
        build = self._build
        if self.loop is not None and build.files is not None:
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
        folder = self._build.orders_folder()
        if folder is not None:
            server.watch(str(folder))
        return server
