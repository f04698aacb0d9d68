"""The I/O of permanent addresses (``views.permalinks`` is their pure core): what git knows
about renamed planning files, one ``git log`` a build bounded in time, and the redirect
pages written into the built site.

``trace_renames`` is pure: it follows each file now in the tree back through its renames,
so an order moved twice keeps both old addresses.
"""

from __future__ import annotations

import subprocess
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from plandocs.core.settings import path_in_site
from plandocs.core.urls import REDIRECT_MARKER as MARKER

#: how long the one ``git log`` of a build may take; a bigger history is left unread
GIT_TIMEOUT = 10.0


@dataclass(frozen=True)
class History:
    """Renames, newest first, as (old path, new path) relative to the project root; or,
    when git could not tell, why (``None`` when the project is no git checkout at all)."""

    renames: tuple[tuple[str, str], ...] = ()
    problem: str | None = None


def renames(root: Path, folders: Sequence[str], timeout: float = GIT_TIMEOUT) -> History:
    """Every rename git recorded in ``folders`` (relative to ``root``), newest first."""
    if not folders:
        return History()
    command = [
        "git",
        "-c",
        "core.quotepath=off",
        "log",
        "--no-color",
        "--format=",
        "--name-status",
        "-M",
        "--diff-filter=R",
        "-z",
        "--relative",  # paths relative to root, where mkdocs.yml is
        "--",
        *folders,
    ]
    try:
        done = subprocess.run(
            command,
            cwd=root,
            capture_output=True,
            timeout=timeout,
            check=False,
            stdin=subprocess.DEVNULL,
        )
    except FileNotFoundError:
        if (root / ".git").exists():
            return History(problem="git is not installed")
        return History()
    except subprocess.TimeoutExpired:
        return History(problem=f"git log took more than {timeout:g} s")
    except OSError as exc:
        return History(problem=f"git could not be run ({exc.strerror or exc})")
    if done.returncode != 0:
        message = done.stderr.decode("utf-8", "replace").strip().splitlines()
        first = message[0] if message else f"exit status {done.returncode}"
        if "not a git repository" in first:
            return History()  # not a checkout: nothing to tell, nothing to report
        if "does not have any commits" in first:
            return History()
        return History(problem=f"git log failed: {first[:200]}")
    return History(renames=tuple(_parse(done.stdout)))


def _parse(output: bytes) -> Iterable[tuple[str, str]]:
    """``R100\\0old\\0new\\0`` records (``-z``) as (old, new); names that are not UTF-8
    are left out (no site page can be named by them)."""
    fields = output.split(b"\0")
    index = 0
    while index + 2 < len(fields):
        status = fields[index].strip()
        if not status.startswith(b"R"):
            index += 1
            continue
        try:
            old = fields[index + 1].decode("utf-8")
            new = fields[index + 2].decode("utf-8")
        except UnicodeDecodeError:
            index += 3
            continue
        yield old, new
        index += 3


def trace_renames(renamed: Iterable[tuple[str, str]], current: Iterable[str]) -> dict[str, str]:
    """Old path -> the path of the file now, for each file in ``current`` that was renamed.

    ``renamed`` is newest first: walking back in time, a file's name is followed from rename
    to rename; a name given up and later taken by another file is that other file's."""
    now_of = {path: path for path in current}  # the name a current file had at this point
    out: dict[str, str] = {}
    for old, new in renamed:
        file_now = now_of.pop(new, None)
        if file_now is None:
            continue
        now_of[old] = file_now
        out.setdefault(old, file_now)
    return out


def site_prefixes(root: Path, docs_dir: Path, orders: Path | None) -> list[tuple[str, str]]:
    """Each planning folder relative to ``root`` (``docs``, ``orders``) with what its files
    are published under (``""``, ``"orders/"``); a folder outside the project has none, as
    git's paths never name it."""
    folders = [(docs_dir, "")]
    if orders is not None:
        folders.append((orders, f"{orders.name}/"))
    prefixes = []
    for folder, published in folders:
        try:
            prefixes.append((folder.resolve().relative_to(root).as_posix(), published))
        except ValueError:
            continue
    return prefixes


def site_source(root: Path, docs_dir: Path, orders: Path | None) -> Callable[[str], str | None]:
    """A function from a path relative to ``root`` (``docs/adr/x.md``, ``orders/X.md``) to
    its site source (``adr/x.md``, ``orders/X.md``), or ``None`` for a file of neither."""
    prefixes = site_prefixes(root, docs_dir, orders)

    def source(path: str) -> str | None:
        for prefix, published in prefixes:
            if prefix in ("", "."):
                return published + path
            if path.startswith(prefix + "/"):
                return published + path[len(prefix) + 1 :]
        return None

    return source


class SiteFiles:
    """The files of the built site a redirect must not replace: any file there but a
    redirect page of an earlier build (``mkdocs build --dirty`` keeps it)."""

    def __init__(self, site_dir: Path) -> None:
        self.site_dir = site_dir

    def __contains__(self, path: object) -> bool:
        if not isinstance(path, str):
            return False
        target = self.site_dir / path
        if target.is_dir():
            return True
        if not target.is_file():
            return False
        with target.open("rb") as handle:
            head = handle.read(200)
        return MARKER.encode("ascii") not in head


def write_pages(site_dir: Path, pages: Mapping[str, str]) -> None:
    """Write each page at its path inside ``site_dir``; a path that would leave it (which
    ``views.permalinks`` never makes) is refused with ``ValueError``."""
    site = site_dir.resolve()
    for path, html in pages.items():
        target = (site / path_in_site("redirect", path, folder=False)).resolve()
        if not target.is_relative_to(site):
            raise ValueError(f"a redirect page would be written outside the site: {path}")
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(html, encoding="utf-8")


def old_sources(
    renamed: Iterable[tuple[str, str]],
    pages: Mapping[str, str],
    source: Callable[[str], str | None],
) -> dict[str, str]:
    """Old site source -> site source now, for each file of ``pages`` (project path -> site
    source: the orders' and ADRs' files) that git saw renamed."""
    out: dict[str, str] = {}
    for old, now in sorted(trace_renames(renamed, pages).items()):
        old_uri = source(old)
        if old_uri is not None and old_uri != pages[now]:
            out[old_uri] = pages[now]
    return out
