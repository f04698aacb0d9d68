"""Permanent addresses and redirects: ``id/ORDER-WRK-3-CP2-001/`` for every order, ADR and
phase, and an order's or ADR's old addresses (declared ``aliases``, renames git knows).

Pure: the sealed graph, the site's URL layout and what is already in the site go in; the
redirect pages (site path -> HTML) and findings come out. A redirect page is plain HTML (a
``meta refresh``, a canonical link and a visible link, no script), so it works offline and
on any static host, and every link in it is relative, so the site works under any base path.

IDs and aliases are what writers typed: a path is made of them only when each part is a
plain name (never ``..``, a separator or a control character), and everything they put in
a page is escaped.
"""

from __future__ import annotations

import html
import posixpath
import re
from collections.abc import Callable, Container, Mapping
from dataclasses import dataclass
from functools import lru_cache
from typing import Literal
from urllib.parse import quote, unquote, urlsplit

from plandocs.core import diagnostics as diag
from plandocs.core.diagnostics import Diagnostic
from plandocs.core.graph import PlanningGraph
from plandocs.core.urls import REDIRECT_MARKER as MARKER
from plandocs.core.urls import SiteUrls, relative_url

#: the site folder of the permanent addresses
FOLDER = "id"
#: an ID that is one path segment as it is: letters and digits of any script and a few marks
_ID_SAFE = re.compile(r"[\w.~+@=,-]+")
#: what no part of a path may hold: controls, separators, and what Windows refuses
_PART_UNSAFE = re.compile(r'[\x00-\x1f\x7f\\<>:"|?*]')
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
#: the longest name a file system takes is 255 bytes; room is left for ``.html``
_MAX_PART = 200

Kind = Literal["permalink", "alias", "history"]


@dataclass(frozen=True, slots=True)
class Redirect:
    """One page that sends the reader on: at site file ``path``, to site URL ``target``."""

    path: str
    target: str
    #: what it names, shown as text in the page (``ORDER-X: Title``)
    label: str
    kind: Kind
    #: the ID it leads to, the page's title (a writer's title is only in its text: a theme
    #: or tool that reads titles as plain text may print them raw)
    name: str = ""
    #: where the address comes from, for findings: a file of the project and its line
    source: str = ""
    line: int = 0


def permalink_path(object_id: str, use_directory_urls: bool) -> str | None:
    """The site file of ``object_id``'s permanent address, or ``None`` when the ID cannot be
    one path segment safely."""
    if not _ID_SAFE.fullmatch(object_id) or object_id.startswith("."):
        return None
    if len(object_id.encode("utf-8")) > _MAX_PART:
        return None
    return (
        f"{FOLDER}/{object_id}/index.html" if use_directory_urls else f"{FOLDER}/{object_id}.html"
    )


@lru_cache(maxsize=1 << 16)  # every build asks for every order's, twice (rows, planning.json)
def permalink_url(object_id: str, use_directory_urls: bool) -> str | None:
    """The site URL of ``object_id``'s permanent address (``id/ORDER-X/``), percent-encoded,
    or ``None`` (unsafe ID)."""
    path = permalink_path(object_id, use_directory_urls)
    return None if path is None else _url_of(path)


def _url_of(path: str) -> str:
    """The URL a site file is reached at: a folder's index by its folder."""
    if path == "index.html" or path.endswith("/index.html"):
        return quote(path[: -len("index.html")]) or "./"
    return quote(path)


def page_path(uri: str, use_directory_urls: bool) -> str:
    """The site file MkDocs writes a Markdown source ``uri`` to (``File.dest_uri``)."""
    parent, filename = posixpath.split(uri)
    name = posixpath.splitext(filename)[0]
    if name in ("index", "README"):
        return posixpath.join(parent, "index.html")
    if use_directory_urls:
        return posixpath.join(parent, name, "index.html")
    return posixpath.join(parent, name + ".html")


def _safe_parts(path: str) -> list[str] | None:
    """``path``'s parts when every one is a plain name (no ``..``, no hidden file)."""
    parts = [part for part in path.split("/") if part not in ("", ".")]
    for part in parts:
        if part.startswith(".") or _PART_UNSAFE.search(part):  # "..", a hidden file
            return None
        if len(part.encode("utf-8")) > _MAX_PART:
            return None
    return parts or None


def alias_path(
    alias: str,
    use_directory_urls: bool,
    uri_of: Callable[[str], str | None],
    base_path: str = "",
) -> str | None:
    """The site file an alias's redirect goes to; ``None`` when the alias is no old ID, file
    or address, or would leave the site.

    - ``orders/ORDER_OLD.md``: a file of the project (``uri_of`` gives its site source, or
      ``None``, and then it is taken as a site source itself), published as MkDocs would;
    - ``/orders/ORDER_OLD/``, ``orders/old.html``, ``https://host/base/orders/old/``: a URL
      of the site (``base_path``, the path of ``site_url``, is dropped from it);
    - anything else without a slash: an old ID, whose permanent address it becomes."""
    text = alias.strip()
    if not text or "\\" in text or _CONTROL.search(text):
        return None
    if "/" not in text and not text.lower().endswith((".md", ".html", ".htm")):
        return permalink_path(text, use_directory_urls)
    if text.lower().endswith(".md") and "://" not in text:
        parts = _safe_parts(text)
        source = "/".join(parts) if parts else ""
        uri_parts = _safe_parts(uri_of(source) or source) if parts else None
        return page_path("/".join(uri_parts), use_directory_urls) if uri_parts else None
    return _url_alias(text, base_path)


def _url_alias(text: str, base_path: str) -> str | None:
    """The site file a URL alias names, or ``None`` when it is no URL of this site."""
    split = urlsplit(text)
    if split.scheme and split.scheme not in ("http", "https"):
        return None
    path = unquote(split.path)
    base = "/" + base_path.strip("/") + "/" if base_path.strip("/") else "/"
    if path.startswith(base):
        path = path[len(base) :]
    elif split.netloc:
        return None  # another site, or this one under another base path
    parts = _safe_parts(path)
    if parts is None:
        return None
    joined = "/".join(parts)
    if path.endswith("/") or not parts[-1].lower().endswith((".html", ".htm")):
        return posixpath.join(joined, "index.html")
    return joined


def redirect_html(redirect: Redirect, use_directory_urls: bool = True) -> str:
    """The page at ``redirect.path``: every link relative to it, every text escaped."""
    href = relative_url(redirect.target, _url_of(redirect.path))
    if not use_directory_urls and href.endswith("/"):
        href += "index.html"  # opened from disk, a folder is not its index
    attr = html.escape(href, quote=True)
    label = html.escape(redirect.label, quote=False)
    return (
        "<!doctype html>\n"
        f"{MARKER}\n"
        '<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        f"<title>{html.escape(redirect.name or redirect.path, quote=False)}</title>\n"
        f'<meta http-equiv="refresh" content="0; url={attr}">\n'
        f'<link rel="canonical" href="{attr}">\n'
        '<meta name="robots" content="noindex">\n'
        "</head>\n<body>\n"
        f'<p>This address leads to <a href="{attr}">{label}</a>.</p>\n'
        "</body>\n</html>\n"
    )


@dataclass(frozen=True)
class _Owner:
    """An order, ADR or phase an address may lead to, and where it is written."""

    id: str
    label: str
    url: str
    path: str
    line: int


_WHAT = {"permalink": "the permanent address", "alias": "the alias", "history": "the old"}


class _Plan:
    """The redirects planned so far, by path (first come, first kept), and the findings."""

    def __init__(self, taken: Container[str], dirs: bool, files: Container[str]) -> None:
        self.taken, self.dirs, self.files = taken, dirs, files
        self.redirects: dict[str, Redirect] = {}
        self.found: list[Diagnostic] = []

    def add(self, path: str, owner: _Owner, kind: Kind) -> None:
        redirect = Redirect(path, owner.url, owner.label, kind, owner.id, owner.path, owner.line)
        what = f"{_WHAT[kind]} address {path} of {owner.label}"
        first = self.redirects.get(path)
        # a folder of the path that the build writes as a file (/sitemap.xml/): the redirect's
        # folder made MkDocs stop with a traceback when it wrote that file
        folders = path.split("/")[:-1]
        inside = next(
            (f for n in range(1, len(folders) + 1) if (f := "/".join(folders[:n])) in self.files),
            None,
        )
        if inside is not None:
            advice = f"is inside {inside}, a file of the site; remove the alias"
            self._report(diag.REDIRECT_CLASH, owner, f"{what} {advice}")
        elif path in self.taken:
            # a path used again by a new file: nothing to fix
            level = diag.Level.INFO if kind == "history" else None
            advice = "is a page of the site, which is kept; remove the alias or rename the page"
            self._report(diag.REDIRECT_CLASH, owner, f"{what} {advice}", level)
        elif first is None:
            self.redirects[path] = redirect
        elif first.target != redirect.target and kind != "history":
            message = f"{what} already leads to {first.label}; remove one of the two"
            self._report(diag.REDIRECT_CLASH, owner, message)

    def _report(
        self, code: diag.Code, owner: _Owner, message: str, level: diag.Level | None = None
    ) -> None:
        self.found.append(diag.make(code, owner.path, owner.line, message, level=level))

    def permalink(self, owner: _Owner) -> None:
        path = permalink_path(owner.id, self.dirs)
        if path is not None:
            self.add(path, owner, "permalink")
            return
        self._report(
            diag.PERMALINK_SKIPPED,
            owner,
            f"{diag.quote(owner.id)} has no permanent address: an ID used in a path may "
            f"hold only letters, digits and - _ . ~ + @ = ,",
        )

    def alias(
        self, alias: str, owner: _Owner, uri_of: Callable[[str], str | None], base: str
    ) -> None:
        path = alias_path(alias, self.dirs, uri_of, base)
        if path is None:
            self._report(
                diag.BAD_ALIAS,
                owner,
                f"the alias {diag.quote(alias)} of {owner.id} is no old ID, file or address "
                f"of this site (like ORDER-WRK-3-CP2-001, orders/ORDER_OLD.md or "
                f"/orders/ORDER_OLD/)",
            )
        elif path not in (permalink_path(owner.id, self.dirs), _file_of_url(owner.url)):
            self.add(path, owner, "alias")  # not the order's own address

    def renamed(self, old: str, now: str, owner: _Owner) -> None:
        parts = _safe_parts(old)
        if parts is None:
            return  # a name git knew that no site could hold: nothing was ever there
        path = page_path("/".join(parts), self.dirs)
        if path != page_path(now, self.dirs):
            self.add(path, owner, "history")


def plan_redirects(
    graph: PlanningGraph,
    urls: SiteUrls,
    *,
    taken: Container[str] = frozenset(),
    files: Container[str] | None = None,
    history: Mapping[str, str] | None = None,
    uri_of: Callable[[str], str | None] = lambda path: None,
    base_path: str = "",
    config_name: str = "mkdocs.yml",
) -> tuple[list[Redirect], list[Diagnostic]]:
    """Every redirect of the site, and the findings about addresses that cannot be made.

    ``taken`` holds the site files that are real pages (never overwritten); ``files`` the
    files the build writes, inside which no redirect may go (``taken`` unless given);
    ``history``
    maps an old site source of a renamed file to its site source now (``redirects.py``).
    First come, first kept: permanent addresses, then declared aliases, then git's renames,
    each in sorted order, so two builds make the same pages."""
    plan = _Plan(taken, urls.use_directory_urls, taken if files is None else files)
    orders = sorted(graph.orders.values(), key=lambda o: o.id)
    of_order = {
        o.id: _Owner(o.id, f"{o.id}: {o.title}", urls.order(o), o.path, o.line) for o in orders
    }
    owners: dict[str, _Owner] = {}  # site source -> the order or ADR whose page it is
    for order in orders:
        if order.anchor is None:  # the page is the order's file, not a summary of many
            owners.setdefault(order.uri, of_order[order.id])
        plan.permalink(of_order[order.id])
    for adr in sorted(graph.adrs.values(), key=lambda a: a.id):
        owner = _Owner(adr.id, f"{adr.id}: {adr.title}", urls.adr(adr), adr.path, adr.line)
        owners.setdefault(adr.uri, owner)
        plan.permalink(owner)
    for phase in sorted(graph.phases.values(), key=lambda p: p.id):
        label = f"{phase.id}: {phase.title}" if phase.title else phase.id
        plan.permalink(_Owner(phase.id, label, urls.of(urls.phase_uri(phase)), config_name, 0))
    for order in orders:
        for alias in order.aliases:
            plan.alias(alias, of_order[order.id], uri_of, base_path)
    for old, now in sorted((history or {}).items()):
        if now in owners and old != now:
            plan.renamed(old, now, owners[now])
    return [plan.redirects[path] for path in sorted(plan.redirects)], plan.found


def _file_of_url(url: str) -> str:
    """The site file a page's URL (anchor dropped) is served from."""
    path = unquote(url.partition("#")[0])
    return path + "index.html" if path.endswith("/") or not path else path
