"""``on_post_build``: the caches closed, the redirect pages of permanent and old addresses
waited for (``redirects``), and planning.json."""

from __future__ import annotations

from pathlib import Path

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.plugins import get_plugin_logger

from plandocs.core.settings import path_in_site
from plandocs.mkdocs import redirects
from plandocs.mkdocs.build import Build
from plandocs.render.export import planning_json

log = get_plugin_logger(__name__)


def finish(build: Build, config: MkDocsConfig) -> None:
    if build.drawing is not None:
        build.drawing.end(build.config_name, build.log)
    _close_caches(build)
    renderer, project = build.renderer, build.project
    assert renderer is not None and project is not None  # made in on_files
    renderer.marks.release()
    redirects.finish(build, config)
    if not build.options["export"]:
        return
    # checked in on_config (settings_from_options): a path inside the site
    target = Path(config.site_dir, path_in_site("export", build.options["export"], folder=False))
    target.parent.mkdir(parents=True, exist_ok=True)
    history = build.git_history
    text = planning_json(
        project.graph,
        project.diagnostics,
        build.urls,
        history=history.orders if history is not None else None,
        plan=renderer.plan,
        encoded=build.encoded,
    )
    target.write_text(text, encoding="utf-8")


def _close_caches(build: Build) -> None:
    """Write what the caches hold, and say what each did."""
    if build.nav_cache is not None:
        hits, misses = build.nav_cache.hits, build.nav_cache.misses
        log.debug("sidebars and headers: %d rendered, %d from the cache", misses, hits)
    pages = build.page_cache
    if pages is not None:
        pruned = pages.close()
        log.debug(
            "pages: %d converted, %d from the cache, %d not cacheable, %d old records removed",
            *(pages.misses, pages.hits, pages.uncacheable, pruned),
        )
    fragments = build.fragments
    if fragments is not None:
        # pruned after a build that wrote every page, as the page cache is
        pruned = fragments.close(prune=pages is not None and pages.complete)
        log.debug(
            "fragments: %d rendered, %d from the cache, %d old records removed "
            "(table rows: %d rendered, %d from the cache)",
            *(fragments.misses, fragments.hits, pruned),
            *(fragments.part_misses, fragments.part_hits),
        )
