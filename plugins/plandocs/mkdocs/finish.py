"""``on_post_build``: the caches closed, the redirect pages of permanent and old addresses,
and planning.json."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urlsplit

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.plugins import get_plugin_logger

from plandocs.core import diagnostics as diag
from plandocs.core.settings import path_in_site
from plandocs.mkdocs.build import Build
from plandocs.project.renames import SiteFiles, old_sources, renames, site_source, write_pages
from plandocs.render.export import planning_json
from plandocs.render.permalinks import plan_redirects, redirect_pages

log = get_plugin_logger(__name__)


def finish(build: Build, config: MkDocsConfig) -> None:
    if build.drawing is not None:
        build.drawing.wait(build.config_name, build.log)
    _close_caches(build)
    if build.renderer is not None:
        build.renderer.marks.release()
    if build.project is None:
        return
    _write_redirects(build, config)
    if not build.options["export"]:
        return
    # checked in on_config (settings_from_options): a path inside the site
    target = Path(config.site_dir, path_in_site("export", build.options["export"], folder=False))
    target.parent.mkdir(parents=True, exist_ok=True)
    history = build.git_history
    text = planning_json(
        build.project.graph,
        build.project.diagnostics,
        build.urls,
        history=history.orders if history is not None else None,
        plan=build.renderer.plan if build.renderer is not None else None,
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


def _inside(folder: Path, root: Path) -> str | None:
    """``folder`` relative to ``root``, for git; ``None`` outside it."""
    try:
        return folder.resolve().relative_to(root).as_posix()
    except ValueError:
        return None


def _write_redirects(build: Build, config: MkDocsConfig) -> None:
    """Every ID's permanent address, and the old addresses of renamed orders and ADRs
    (``render.permalinks``; git's part and the writing in ``project.renames``)."""
    assert build.project is not None
    graph, docs, orders = build.project.graph, Path(config.docs_dir), build.orders_folder()
    folders = [_inside(folder, build.root) for folder in (docs, orders) if folder is not None]
    kept = [folder for folder in folders if folder is not None]
    history = renames(build.root, kept, history=build.git_history)  # one git log a build
    found = []
    if history.problem:
        note = f"old addresses of renamed files are not kept: {history.problem}"
        found.append(diag.make(diag.NO_HISTORY, build.config_name, 0, note))
    pages = {order.path: order.uri for order in graph.orders.values()}
    pages.update((adr.path, adr.uri) for adr in graph.adrs.values())
    source = site_source(build.root, docs.resolve(), orders)
    redirects, problems = plan_redirects(
        graph,
        build.urls,
        taken=SiteFiles(Path(config.site_dir), ours=build.redirects),
        history=old_sources(history.renames, pages, source),
        uri_of=source,
        base_path=urlsplit(config.site_url or "").path,
        config_name=build.config_name,
    )
    for finding in (*found, *problems):
        build.log(finding)
    pages = redirect_pages(redirects, build.urls.use_directory_urls)
    write_pages(Path(config.site_dir), pages, written=build.redirects)
    build.redirects = pages  # what the site holds now (``mkdocs.serve`` keeps it)
    log.debug("permanent addresses and old ones: %d redirect pages", len(redirects))
