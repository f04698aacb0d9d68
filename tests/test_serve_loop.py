"""The pieces of the writer's loop (``mkdocs/serve.py``) that the end-to-end test
(tests/test_writers_loop.py) cannot point at: the search index put back together after
Material's merge, and the line each rebuild prints."""

from __future__ import annotations

import json
import os
import time
from collections import Counter
from pathlib import Path
from typing import Any

import pytest

from plandocs.cache.parsed import ParseCache
from plandocs.core.affected import Snapshot
from plandocs.core.diagnostics import Level
from plandocs.core.settings import Settings
from plandocs.mkdocs import serve
from plandocs.mkdocs.build import Said
from plandocs.mkdocs.internals import SEARCH_INDEX, search_index_text
from plandocs.project import load as load_module
from plandocs.project.load import SourceEntry, load


def entries(url: str, text: str, sections: int = 1) -> list[dict[str, Any]]:
    page = [{"location": url, "title": url or "Home", "text": text}]
    return page + [
        {"location": f"{url}#s{n}", "title": f"S{n}", "text": text} for n in range(sections)
    ]


def write(site: Path, docs: list[dict[str, Any]]) -> None:
    path = site / SEARCH_INDEX
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(search_index_text({"config": {"lang": ["en"]}, "docs": docs}), "utf-8")


def test_the_search_index_is_put_back_in_page_order(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    urls = ["", "a/", "b/", "c/"]
    old = {url: entries(url, "old", 2) for url in urls}
    write(tmp_path, [e for url in urls for e in old[url]])
    kept = serve._search(tmp_path, urls, set(urls), None, {})
    assert kept == old
    # Material, two pages rebuilt: the first one's old entries go, the second's stay,
    # and the new entries of both come last
    new = {url: entries(url, "new", 1) for url in ("", "b/")}
    merged = [e for url in urls[1:] for e in old[url]] + new[""] + new["b/"]
    write(tmp_path, merged)
    made: serve.Encoded = {}
    kept = serve._search(tmp_path, urls, {"", "b/"}, kept, made)
    clean = new[""] + old["a/"] + new["b/"] + old["c/"]
    written = (tmp_path / SEARCH_INDEX).read_text("utf-8")
    assert written == search_index_text({"config": {"lang": ["en"]}, "docs": clean})
    # the next rebuild encodes the entries of the page it rebuilt only
    encoded: list[object] = []
    monkeypatch.setattr(serve, "search_index_text", lambda v: encoded.append(v) or json.dumps(v))
    write(tmp_path, clean[:-1] + entries("c/", "newer", 0))
    assert serve._search(tmp_path, urls, {"c/"}, kept, made) is not None
    assert encoded == [*entries("c/", "newer", 0), {"lang": ["en"]}]


def test_no_search_index_no_repair(tmp_path: Path) -> None:
    assert serve._search(tmp_path, [""], {""}, {"": []}, {}) is None


def plan(full: str | None = None, what: tuple[str, ...] = (), first: bool = False) -> Any:
    state = serve._State("", frozenset(), Snapshot(), {}, {})
    made = serve._Plan(state, full, list(what), first, started=time.perf_counter())
    made.built.extend([object()] * 7)
    return made


def test_one_line_says_what_changed_how_many_pages_and_how_long() -> None:
    line = serve._line(plan(what=("ORDER-WRK-3-CP2-001",)))
    assert line.startswith("ORDER-WRK-3-CP2-001 changed: 7 pages in ")
    assert line.endswith(" s")
    many = serve._line(plan(what=("A", "B", "C", "D", "E")))
    assert many.startswith("A, B, C and 2 more changed: 7 pages")
    full = serve._line(plan(full="mkdocs.yml, a template or git's history changed"))
    assert full.startswith("full rebuild (mkdocs.yml, a template or git's history changed)")
    assert "an edit now rebuilds" in serve._line(plan(first=True))


def test_the_line_counts_the_findings_that_the_log_does_not_say_again() -> None:
    def said(*messages: str) -> Counter[Said]:
        return Counter(("a.md", "plandocs.x", Level.WARNING, m) for m in messages)

    three = said("one", "two", "three")
    assert serve._findings(Counter(), three, first=True) == ""  # each said above
    assert serve._findings(three, three, first=False) == "; 3 findings as before"
    assert serve._findings(three, three + said("two"), first=False) == "; 4 findings, 1 new"
    assert serve._findings(three + said("two"), three, first=False) == "; 3 findings, 1 gone"
    swapped = said("one", "five")
    assert serve._findings(three, swapped, first=False) == "; 2 findings, 1 new, 2 gone"
    assert serve._findings(said("one"), Counter(), first=False) == "; 0 findings, 1 gone"
    assert serve._findings(Counter(), Counter(), first=False) == ""


def test_a_file_not_changed_since_it_was_read_is_not_read_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Each rebuild looks at every planning file: one whose inode, time and size are those
    it had when it was read is not read again (MkDocs' watcher sees no change in it either);
    an edited one is; one changed in the last two seconds always is (a file system's times
    may be that coarse)."""
    settings = Settings()
    parses = serve.KeptParses(tmp_path / "p.pickle", settings)
    old, new = tmp_path / "old.md", tmp_path / "new.md"
    for path in (old, new):
        path.write_text("# A page\n\nORDER-A-1 is late.\n", encoding="utf-8")
    os.utime(old, (1_000_000_000, 1_000_000_000))
    entries = [SourceEntry(p.name, p.name, str(p)) for p in (old, new)]
    first = load(entries, settings, parses.begin())
    real_read = load_module._read_bytes
    read: list[str] = []
    monkeypatch.setattr(load_module, "_read_bytes", lambda e: read.append(e.path) or real_read(e))
    again = load(entries, settings, parses.begin())
    assert read == ["new.md"]  # changed in the last two seconds: read again
    assert again.docs["old.md"] == first.docs["old.md"]
    old.write_text("# A page\n\nORDER-B-2 is late.\n", encoding="utf-8")
    os.utime(old, (1_000_000_100, 1_000_000_100))
    read.clear()
    edited = load(entries, settings, parses.begin())
    assert "old.md" in read
    assert "ORDER-B-2" in edited.docs["old.md"].text


def test_the_versions_of_a_file_a_serve_parsed_are_let_go(tmp_path: Path) -> None:
    """Each save of a file parses a new version of it; the serve keeps the versions the last
    build read, not every one since it began (a day of saves would hold them all)."""
    settings = Settings()
    parses = serve.KeptParses(tmp_path / "p.pickle", settings)
    page = tmp_path / "page.md"
    entries = [SourceEntry(page.name, page.name, str(page))]
    for version in range(5):
        page.write_text(f"# Version {version}\n\nORDER-A-{version} is late.\n", encoding="utf-8")
        load(entries, settings, parses.begin())
        assert parses.misses == 1  # parsed: a new version
    parses.begin()
    assert len(parses.fresh) == 1


def test_the_first_build_of_a_serve_writes_what_it_parsed(tmp_path: Path) -> None:
    """The serve's first build writes the parse cache, with every file it parsed, so the
    next `mkdocs build` parses none of them again."""
    settings = Settings()
    page = tmp_path / "page.md"
    page.write_text("# A page\n\nORDER-A-1 is late.\n", encoding="utf-8")
    entries = [SourceEntry(page.name, page.name, str(page))]
    load(entries, settings, serve.KeptParses(tmp_path / "p.pickle", settings).begin())
    after = ParseCache(tmp_path / "p.pickle", settings)
    load(entries, settings, after)
    assert (after.hits, after.misses) == (1, 0)
