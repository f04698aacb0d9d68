"""The I/O of permanent addresses (``render.permalinks`` is their pure core): what git knows
about renamed planning files, and the redirect pages written into the built site."""

from __future__ import annotations

import hashlib
import os
from collections.abc import Callable, Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from plandocs.core.settings import path_in_site
from plandocs.core.urls import REDIRECT_MARKER as MARKER
from plandocs.project import git
from plandocs.project.git import GIT_TIMEOUT, GitError, NotACheckoutError

if TYPE_CHECKING:
    from plandocs.project.history import GitHistory


@dataclass(frozen=True)
class History:
    """Renames, newest first, as (old path, new path) relative to the project root; or,
    when git could not tell, why (``None`` when the project is no git checkout at all)."""

    renames: tuple[tuple[str, str], ...] = ()
    problem: str | None = None


def renames(
    root: Path,
    folders: Sequence[str],
    timeout: float = GIT_TIMEOUT,
    *,
    history: GitHistory | None = None,
) -> History:
    """Every rename git recorded in ``folders``, from the build's ``history`` or a ``git log``."""
    if history is not None:
        return History(renames=history.renames)
    if not folders:
        return History()
    try:
        return History(renames=git.log(root, folders, timeout).renames)
    except GitError as exc:
        return History(problem=str(exc))
    except NotACheckoutError:
        return History()  # not a checkout: nothing to tell, nothing to report


def trace_renames(renamed: Iterable[tuple[str, str]], current: Iterable[str]) -> dict[str, str]:
    """Old path -> the path of the file now, for each file in ``current`` that was renamed
    (an order moved twice keeps both old addresses). ``renamed`` is newest first: walking
    back in time, a name given up and later taken by another file is that other file's."""
    now_of = {path: path for path in current}  # the name a current file had at this point
    out: dict[str, str] = {}
    for old, new in renamed:
        file_now = now_of.pop(new, None)
        if file_now is None:
            continue
        now_of[old] = file_now
        out.setdefault(old, file_now)
    return out


def planning_folders(
    root: Path, docs_dir: Path, orders: Path | None
) -> tuple[list[str], Callable[[str], str | None]]:
    """The folders git is asked about, relative to ``root`` (none for a folder outside it),
    and a function from a path git names to the file's site source (``docs/adr/x.md`` ->
    ``adr/x.md``, ``orders/a.md`` -> ``orders/a.md``), or ``None`` for a file of neither."""
    folders = [(docs_dir, ""), *([(orders, f"{orders.name}/")] if orders is not None else [])]
    prefixes = [
        (folder.resolve().relative_to(root).as_posix(), published)
        for folder, published in folders
        if folder.resolve().is_relative_to(root)
    ]

    def source(path: str) -> str | None:
        for prefix, published in prefixes:
            if prefix in ("", "."):
                return published + path
            if path.startswith(prefix + "/"):
                return published + path[len(prefix) + 1 :]
        return None

    return sorted({prefix for prefix, _ in prefixes}), source


#: what tells a file written apart from one written over it: its inode, time and size
Stat = tuple[int, int, int]


def stamp(found: os.stat_result) -> Stat:
    """The ``Stat`` of what ``os.stat`` (or ``os.fstat``) found."""
    return found.st_ino, found.st_mtime_ns, found.st_size


def _stat(path: str) -> Stat | None:
    try:
        return stamp(os.stat(path))  # noqa: PTH116  (a thousand pages: pathlib costs here)
    except OSError:
        return None


class SiteFiles:
    """The files of the built site a redirect must not replace: any file there but a
    redirect page of an earlier build (``mkdocs build --dirty`` keeps it). ``ours``: the
    redirect pages this build knows it wrote before, not read again."""

    def __init__(
        self, site_dir: Path, ours: Collection[str] = (), stats: Mapping[str, Stat] | None = None
    ) -> None:
        self.site_dir = site_dir
        self.ours = ours
        self.stats = stats or {}  # a redirect page as written (``write_pages``): not read
        self._root = str(site_dir)

    def __contains__(self, path: object) -> bool:
        if not isinstance(path, str) or path in self.ours:
            return False
        known = self.stats.get(path)
        if known is not None and _stat(os.path.join(self._root, path)) == known:  # noqa: PTH118
            return False
        target = self.site_dir / path
        if target.is_dir():
            return True
        if not target.is_file():
            return False
        with target.open("rb") as handle:
            head = handle.read(200)
        return MARKER.encode("ascii") not in head


def write_pages(
    site_dir: Path,
    pages: Iterable[tuple[str, bytes]],
    written: Mapping[str, str] | None = None,
    stats: dict[str, Stat] | None = None,
) -> dict[str, str]:
    """Write each page at its path inside ``site_dir``, but those ``written`` there already
    (path: digest) with the same bytes; ``ValueError`` for one outside it, or under a linked
    folder that leads out of it. A link in a page's own place is replaced, not followed.
    Returns what the site holds now, path: digest; ``stats`` is given each written page's
    ``Stat`` (``SiteFiles`` then knows it without reading it).

    A few system calls a page, each folder checked once: ``mkdocs.redirects`` writes these
    on a thread, and each call hands Python's lock to the build and back."""
    site_dir.mkdir(parents=True, exist_ok=True)
    site = site_dir.resolve()
    written = written or {}
    safe: set[Path] = set()
    now = {}
    for path, data in pages:
        now[path] = digest = hashlib.blake2b(data, digest_size=12).hexdigest()
        if written.get(path) == digest:
            continue
        target = site / path_in_site("redirect", path, folder=False)
        _folder(target.parent, site, safe)
        handle = _created(target)
        try:
            left = data
            while left:
                left = left[os.write(handle, left) :]
            if stats is not None:
                stats[path] = stamp(os.fstat(handle))
        finally:
            os.close(handle)
    return now


_FLAGS = os.O_WRONLY | os.O_CREAT | os.O_TRUNC | getattr(os, "O_BINARY", 0)
_NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)  # not on Windows: looked at first there


def _created(target: Path) -> int:
    """``target`` opened to be written, a link in its place removed first."""
    if not _NOFOLLOW and target.is_symlink():
        target.unlink()
    try:
        return os.open(target, _FLAGS | _NOFOLLOW, 0o666)
    except OSError:
        if not target.is_symlink():
            raise
    target.unlink()
    return os.open(target, _FLAGS | _NOFOLLOW, 0o666)


def _folder(folder: Path, site: Path, safe: set[Path]) -> None:
    """Make ``folder`` and those above it up to ``site``; ``ValueError`` for a folder there
    already that leads out of the site (a link, a junction)."""
    if folder in safe or folder == site:
        return
    _folder(folder.parent, site, safe)
    try:
        folder.mkdir()  # made now: no link
    except FileExistsError:
        if not folder.resolve().is_relative_to(site):
            raise ValueError(
                f"a redirect page would be written outside the site: {folder}"
            ) from None
        if not folder.is_dir():
            raise
    safe.add(folder)


def old_sources(
    renamed: Iterable[tuple[str, str]],
    pages: Mapping[str, str],
    source: Callable[[str], str | None],
) -> dict[str, str]:
    """Old site source -> site source now, for each file of ``pages`` (project path -> site
    source) that git saw renamed."""
    out: dict[str, str] = {}
    for old, now in sorted(trace_renames(renamed, pages).items()):
        old_uri = source(old)
        if old_uri is not None and old_uri != pages[now]:
            out[old_uri] = pages[now]
    return out
