"""The redirect pages of permanent and old addresses (``render.permalinks`` plans them,
``project.renames`` writes them): planned once the site's files are final (``on_nav``) and
written on a thread while the pages convert, then checked in ``on_post_build``.

Why a thread: a site has about one of these pages an order, each in a folder of its own,
which MkDocs' clean has just deleted; written beside the page conversion (Python holds the
processor, the thread waits on the disk) they cost a fraction of one burst at the build's
end (bench/README.md)."""

from __future__ import annotations

from collections.abc import Collection, Container, Iterable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.plugins import get_plugin_logger
from mkdocs.structure.files import File, Files

from plandocs.core import diagnostics as diag
from plandocs.core.settings import path_in_site
from plandocs.mkdocs.build import Build, refused
from plandocs.project.renames import SiteFiles, old_sources, planning_folders, renames, write_pages
from plandocs.render.permalinks import Redirect, plan_redirects, redirect_html

log = get_plugin_logger(__name__)


@dataclass(frozen=True)
class _Taken:
    """A site file a redirect must not replace: one MkDocs writes this build (``files``),
    or one in the site already that no redirect wrote (``SiteFiles``)."""

    written: frozenset[str]
    site: Container[str]

    def __contains__(self, path: object) -> bool:
        return path in self.written or path in self.site


class _Files:
    """A file the build writes, or one in the site already: no redirect goes in a folder of
    its name (``SiteFiles`` also holds the site's folders, which a redirect may go in)."""

    def __init__(self, taken: _Taken, site_dir: str) -> None:
        self.taken, self.site_dir = taken, Path(site_dir)
        self._known: dict[str, bool] = {}  # most redirects share their folders (id/)

    def __contains__(self, path: object) -> bool:
        if not isinstance(path, str):
            return False
        known = self._known.get(path)
        if known is None:
            known = self._known[path] = path in self.taken.written or (
                (self.site_dir / path).is_file() and path in self.taken.site
            )
        return known


def start(build: Build, config: MkDocsConfig, files: Files) -> None:
    """Plan the redirect pages and start writing them (after ``Loop.plan``, which may clean
    the site). The thread makes each page's HTML as it writes it: made all at once here,
    they would sit beside the pages MkDocs converts, one more MiB at the build's peak."""
    taken = _taken(build, config, files)
    redirects, found = _plan(build, config, taken)
    # The path of a page of the site but for its case: on a case-blind disk the two are one
    # file, whose name is the first one written. Written at the end, if MkDocs' page is not
    # there (``finish``).
    folded = {path.casefold() for path in taken.written}
    later = [r for r in redirects if r.path.casefold() in folded]
    now = [r for r in redirects if r.path.casefold() not in folded]
    site, written = Path(config.site_dir), build.redirects
    pages = _pages(now, build.urls.use_directory_urls)
    pool = ThreadPoolExecutor(1, thread_name_prefix="plandocs-redirects")
    stats = build.redirect_stats
    build.redirecting = pool.submit(
        lambda: (write_pages(site, pages, written, stats), found, later)
    )
    pool.shutdown(wait=False)  # the thread ends with its one task


def wait(build: Build) -> None:
    """Let the thread end: before any other plugin's ``on_post_build`` (a page one writes
    over a redirect is then found by ``finish``), and before the next build cleans the
    site when this one failed."""
    if build.redirecting is not None:
        build.redirecting.exception()


def finish(build: Build, config: MkDocsConfig) -> None:
    """Say what the plan found; write the pages held back. A page another plugin wrote
    since over a redirect is kept, and said, as a page MkDocs wrote there would be."""
    writing, build.redirecting = build.redirecting, None
    if writing is None:
        return
    try:
        pages, found, later = writing.result()
        site = SiteFiles(Path(config.site_dir), stats=build.redirect_stats)
        replaced = frozenset(p for p in [*pages, *(r.path for r in later)] if p in site)
        if replaced:  # planned again as if these had been there from the start
            taken = _taken(build, config, build.files or [], replaced)
            kept, found = _plan(build, config, taken)
            held = {r.path for r in later}
            later = [r for r in kept if r.path in held]
            pages = {r.path: pages[r.path] for r in kept if r.path not in held}
        later_pages = _pages(later, build.urls.use_directory_urls)
        pages.update(write_pages(site.site_dir, later_pages, build.redirects, build.redirect_stats))
    except ValueError as exc:  # a page that would be written outside the site
        raise refused(exc) from None
    except OSError as exc:
        raise refused(ValueError(f"the redirect pages cannot be written: {exc}")) from None
    for finding in found:
        build.log(finding)
    build.redirects = pages  # what the site holds now (``mkdocs.serve`` keeps it)
    log.debug("permanent addresses and old ones: %d redirect pages", len(pages))


def _pages(redirects: list[Redirect], dirs: bool) -> Iterator[tuple[str, bytes]]:
    """Each redirect's page, made as it is written, and let go of."""
    redirects.reverse()
    while redirects:
        redirect = redirects.pop()
        yield redirect.path, redirect_html(redirect, dirs).encode("utf-8")


def _taken(
    build: Build, config: MkDocsConfig, files: Iterable[File], also: Collection[str] = ()
) -> _Taken:
    included = build.included()
    written = frozenset(f.dest_uri for f in files if included(f.inclusion)) | frozenset(also)
    # and the files written besides pages (an alias /sitemap.xml/ made a folder there, and
    # MkDocs stopped with a traceback): the theme's (404.html, sitemap.xml), search's index,
    # planning.json
    written |= frozenset(config.theme.static_templates) | frozenset(config.extra_templates)
    if "sitemap.xml" in config.theme.static_templates:
        written |= {"sitemap.xml.gz"}  # which MkDocs writes beside it
    if any(name.split("/")[-1] == "search" for name in config.plugins):
        written |= {"search/search_index.json"}
    if build.options["export"]:
        written |= {path_in_site("export", build.options["export"], folder=False)}
    return _Taken(written, SiteFiles(Path(config.site_dir), ours=build.redirects))


def _plan(
    build: Build, config: MkDocsConfig, taken: _Taken
) -> tuple[list[Redirect], list[diag.Diagnostic]]:
    """Every ID's permanent address, and the old addresses of renamed orders and ADRs; the
    findings."""
    assert build.project is not None
    graph = build.project.graph
    # the folders git is asked about, as the history asks (``project.history``)
    folders, source = planning_folders(build.root, Path(config.docs_dir), build.orders_folder())
    history = renames(build.root, folders, history=build.git_history)  # one git log a build
    found = []
    if history.problem:
        note = f"old addresses of renamed files are not kept: {history.problem}"
        found.append(diag.make(diag.NO_HISTORY, build.config_name, 0, note))
    pages = {order.path: order.uri for order in graph.orders.values()}
    pages.update((adr.path, adr.uri) for adr in graph.adrs.values())
    redirects, problems = plan_redirects(
        graph,
        build.urls,
        taken=taken,
        files=_Files(taken, config.site_dir),
        history=old_sources(history.renames, pages, source),
        uri_of=source,
        base_path=urlsplit(config.site_url or "").path,
        config_name=build.config_name,
    )
    return redirects, [*found, *problems]
