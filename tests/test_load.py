"""Loading a project: many files, some with mojibake, one not text; and loaded again
through the parse cache, the same project."""

from __future__ import annotations

import shutil
from pathlib import Path

from plandocs.cache.parsed import ParseCache
from plandocs.core.settings import Settings
from plandocs.core.urls import SiteUrls
from plandocs.project.load import SourceEntry, load
from plandocs.render.export import planning_json

from .test_page_cache import FIXTURES


def _project(root: Path, count: int) -> list[SourceEntry]:
    """The good fixture and ``count`` more order files, some with mojibake, one not text."""
    shutil.copytree(FIXTURES / "good", root)
    orders = root / "orders"
    for n in range(count):
        depends = f"ORDER-WRK-{n % 3 + 1}-CP2-{n - 1:03d}" if n else "ORDER-WRK-1-CP1-001"
        title = "Ð¿Ñ€Ð¾Ð²ÐµÑ€ÐºÐ°" if n % 10 == 0 else f"Task {n}"  # Cyrillic as cp1252
        (orders / f"ORDER_WRK_{n % 3 + 1}_CP2_T{n:03d}.md").write_text(
            f"---\nid: ORDER-WRK-{n % 3 + 1}-CP2-{n:03d}\nto: wrk-{n % 3 + 1}\n"
            f"priority: P{n % 3}\nstatus: open\ndepends_on: [{depends}]\n---\n\n"
            f"# {title}\n\nSee ORDER-WRK-9-CP2-{n:03d} and ADR-{n % 4 + 1}.\n",
            encoding="utf-8",
        )
    (orders / "ORDER_WRK_1_CP2_BINARY.md").write_bytes(b"\x00\x01binary\x00")
    entries = []
    for folder in ("docs", "orders"):
        for path in sorted((root / folder).rglob("*.md")):
            uri = path.relative_to(root / "docs" if folder == "docs" else root).as_posix()
            entries.append(SourceEntry(path.relative_to(root).as_posix(), uri, str(path), folder))
    return entries


def test_a_project_of_many_files_reports_mojibake_and_leaves_out_what_is_not_text(
    tmp_path: Path,
) -> None:
    entries = _project(tmp_path / "p", 70)
    project = load(entries, Settings(orders_dir="orders"))
    assert any(d.code == "plandocs.mojibake-repaired" for d in project.diagnostics)
    assert project.unreadable == {"orders/ORDER_WRK_1_CP2_BINARY.md"}
    assert len(project.docs) == len(entries) - 1


def test_a_project_loaded_through_the_parse_cache_is_the_one_parsed(tmp_path: Path) -> None:
    entries = _project(tmp_path / "p", 70)
    settings = Settings(orders_dir="orders")
    alone = load(entries, settings)
    path = tmp_path / "parsed.pickle"
    first = ParseCache(path, settings)
    assert load(entries, settings, first).diagnostics == alone.diagnostics
    assert first.hits == 0 and first.misses == len(entries) - 1 and path.is_file()
    again = ParseCache(path, settings)
    cached = load(entries, settings, again)
    assert again.hits == len(entries) - 1 and again.misses == 0
    urls = SiteUrls()
    assert planning_json(cached.graph, cached.diagnostics, urls) == planning_json(
        alone.graph, alone.diagnostics, urls
    )
    assert cached.diagnostics == alone.diagnostics and cached.unreadable == alone.unreadable
    assert cached.docs == alone.docs and cached.parsed == alone.parsed
