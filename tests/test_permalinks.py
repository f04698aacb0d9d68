"""Permanent addresses and redirects: paths, escaping, hostile IDs and aliases, collisions,
git's renames, and a real ``mkdocs build --strict`` of a git checkout with a renamed order."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any
from urllib.parse import unquote

import pytest
from mkdocs.commands.build import build as mkdocs_build
from mkdocs.config import load_config

from plandocs.core.diagnostics import Diagnostic
from plandocs.core.graph import PlanningGraph, seal
from plandocs.core.settings import Settings
from plandocs.core.urls import SiteUrls
from plandocs.project.renames import (
    SiteFiles,
    Stat,
    old_sources,
    planning_folders,
    renames,
    trace_renames,
    write_pages,
)
from plandocs.render.export import planning_json
from plandocs.render.pages import Renderer
from plandocs.render.permalinks import (
    MARKER,
    Redirect,
    alias_path,
    page_path,
    permalink_path,
    permalink_url,
    plan_redirects,
    redirect_html,
)

from .conftest import parse

GIT = shutil.which("git")
needs_git = pytest.mark.skipif(GIT is None, reason="git is not installed")


def graph_of(*docs: tuple[str, str]) -> PlanningGraph:
    settings = Settings()
    graph, _ = seal([parse(text, uri, settings) for uri, text in docs], settings)
    return graph


def order(uri: str, order_id: str, title: str = "T", extra: str = "") -> tuple[str, str]:
    return uri, f"---\nid: {order_id}\ntitle: '{title}'\n{extra}---\n# {title}\n\nBody.\n"


# -- paths -----------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("object_id", "dirs", "path", "url"),
    [
        (
            "ORDER-WRK-3-CP2-001",
            True,
            "id/ORDER-WRK-3-CP2-001/index.html",
            "id/ORDER-WRK-3-CP2-001/",
        ),
        (
            "ORDER-WRK-3-CP2-001",
            False,
            "id/ORDER-WRK-3-CP2-001.html",
            "id/ORDER-WRK-3-CP2-001.html",
        ),
        ("ADR-006", True, "id/ADR-006/index.html", "id/ADR-006/"),
        ("CP2-LC", False, "id/CP2-LC.html", "id/CP2-LC.html"),
        # letters of any script are a name; the URL is percent-encoded, the file is not
        ("ЗАКАЗ-1", True, "id/ЗАКАЗ-1/index.html", "id/%D0%97%D0%90%D0%9A%D0%90%D0%97-1/"),
        ("task-1.2", True, "id/task-1.2/index.html", "id/task-1.2/"),
    ],
)
def test_permalink_paths(object_id: str, dirs: bool, path: str, url: str) -> None:
    assert permalink_path(object_id, dirs) == path
    assert permalink_url(object_id, dirs) == url


@pytest.mark.parametrize(
    "hostile",
    [
        "..",
        ".",
        "../../etc/passwd",
        "a/b",
        "a\\b",
        ".hidden",
        "ORDER 1",
        "ORDER-1\x00",
        "ORDER-1\n",
        "<script>",
        'a"b',
        "a?b",
        "a#b",
        "a%2e",
        "C:",
        "",
        "A" * 201,
    ],
)
def test_an_id_that_cannot_be_a_path_has_no_permalink(hostile: str) -> None:
    assert permalink_path(hostile, True) is None
    assert permalink_url(hostile, False) is None


@pytest.mark.parametrize(
    ("uri", "dirs", "path"),
    [
        ("orders/ORDER_A.md", True, "orders/ORDER_A/index.html"),
        ("orders/ORDER_A.md", False, "orders/ORDER_A.html"),
        ("orders/index.md", True, "orders/index.html"),
        ("orders/README.md", False, "orders/index.html"),
    ],
)
def test_page_path_is_where_mkdocs_writes(uri: str, dirs: bool, path: str) -> None:
    assert page_path(uri, dirs) == path


def _project_files(path: str) -> str | None:
    """The example layout: docs/ published at the root, orders/ under its own name."""
    if path.startswith("docs/"):
        return path[len("docs/") :]
    return path if path.startswith("orders/") else None


@pytest.mark.parametrize(
    ("alias", "dirs", "base", "path"),
    [
        ("ORDER-OLD-1", True, "", "id/ORDER-OLD-1/index.html"),
        ("ORDER-OLD-1", False, "", "id/ORDER-OLD-1.html"),
        ("orders/ORDER_OLD.md", True, "", "orders/ORDER_OLD/index.html"),
        ("orders/ORDER_OLD.md", False, "", "orders/ORDER_OLD.html"),
        ("docs/dev/ORDER_OLD.md", True, "", "dev/ORDER_OLD/index.html"),
        ("dev/ORDER_OLD.md", True, "", "dev/ORDER_OLD/index.html"),  # a site source itself
        ("/orders/ORDER_OLD/", True, "", "orders/ORDER_OLD/index.html"),
        ("orders/ORDER_OLD/", False, "", "orders/ORDER_OLD/index.html"),
        ("/orders/ORDER_OLD.html", False, "", "orders/ORDER_OLD.html"),
        ("/orders/ORDER_OLD", True, "", "orders/ORDER_OLD/index.html"),
        ("/orders/ORDER%20OLD/", True, "", "orders/ORDER OLD/index.html"),
        ("https://plans.example.org/team/orders/OLD/", True, "/team/", "orders/OLD/index.html"),
        ("/team/orders/OLD/#part", True, "/team", "orders/OLD/index.html"),
    ],
)
def test_alias_paths(alias: str, dirs: bool, base: str, path: str) -> None:
    assert alias_path(alias, dirs, _project_files, base) == path


@pytest.mark.parametrize(
    "hostile",
    [
        "",
        "   ",
        "../../etc/passwd.md",
        "/orders/../../x/",
        "/orders/%2e%2e/%2e%2e/x/",
        "orders/.git/config.md",
        "orders\\ORDER_OLD.md",
        "javascript:alert(1)//x.html",
        "file:///etc/passwd.html",
        "https://elsewhere.example.com/orders/OLD/",  # another site than site_url's
        "ORDER OLD 1",
        "line\nbreak",
        "<script>alert(1)</script>",
    ],
)
def test_an_alias_that_leaves_the_site_or_names_nothing_is_refused(hostile: str) -> None:
    assert alias_path(hostile, True, _project_files, "/team/") is None


# -- the redirect page -------------------------------------------------------------------------
def test_redirect_page_is_plain_html_with_relative_links() -> None:
    page = redirect_html(
        Redirect("id/ORDER-A-1/index.html", "orders/ORDER_A/", "ORDER-A-1: A", "permalink")
    )
    assert '<meta http-equiv="refresh" content="0; url=../../orders/ORDER_A/">' in page
    assert '<link rel="canonical" href="../../orders/ORDER_A/">' in page
    assert '<a href="../../orders/ORDER_A/">ORDER-A-1: A</a>' in page
    assert "<script" not in page and MARKER in page


def test_redirect_page_without_directory_urls_names_the_file() -> None:
    flat = redirect_html(
        Redirect("id/ORDER-A-1.html", "orders/SUMMARY.html#order-a-1", "ORDER-A-1: A", "alias"),
        use_directory_urls=False,
    )
    assert 'content="0; url=../orders/SUMMARY.html#order-a-1"' in flat
    folder = redirect_html(
        Redirect("orders/OLD/index.html", "orders/NEW/", "x", "alias"), use_directory_urls=False
    )
    assert 'url=../NEW/index.html"' in folder  # opened from disk, a folder is no page


def test_redirect_page_escapes_the_writers_text() -> None:
    hostile = '"><script>alert(1)</script> & <b>'
    page = redirect_html(Redirect("id/X/index.html", "orders/X/", hostile, "permalink"))
    assert "<script>" not in page and "<b>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt; &amp; &lt;b&gt;" in page


def test_a_hostile_title_reaches_the_redirect_page_as_text() -> None:
    graph = graph_of(order("orders/ORDER_A.md", "ORDER-A-1", "</title><script>x()</script>"))
    redirects, found = plan_redirects(graph, SiteUrls())
    pages = {redirect.path: redirect_html(redirect, True) for redirect in redirects}
    page = pages["id/ORDER-A-1/index.html"]
    assert "<script>" not in page and "&lt;/title&gt;&lt;script&gt;" in page
    assert found == []


# -- planning -----------------------------------------------------------------------------------
def codes(found: list[Diagnostic]) -> list[tuple[str, str, str]]:
    return [(d.code, d.level.value, d.file) for d in found]


def test_every_order_adr_and_phase_gets_a_permanent_address() -> None:
    graph = graph_of(
        order("orders/ORDER_A.md", "ORDER-WRK-1-CP2-001", extra="phase: CP2\n"),
        ("adr/ADR-006-nats.md", "# ADR-006: NATS\n\n## Status\n\nAccepted\n"),
        ("orders/SUMMARY.md", "# S\n\n#### ORDER-WRK-2-CP2-002: Entry\n\n**Owner**: wrk-2\n"),
    )
    redirects, found = plan_redirects(graph, SiteUrls())
    targets = {r.path: r.target for r in redirects}
    assert targets == {
        "id/ADR-006/index.html": "adr/ADR-006-nats/",
        "id/CP2/index.html": "planning/phases/CP2/",
        "id/ORDER-WRK-1-CP2-001/index.html": "orders/ORDER_A/",
        "id/ORDER-WRK-2-CP2-002/index.html": "orders/SUMMARY/#order-wrk-2-cp2-002",
    }
    assert found == []


def test_declared_aliases_redirect_old_files_urls_and_ids() -> None:
    aliases = "aliases: [orders/ORDER_OLD.md, /orders/older/, ORDER-OLD-9, ORDER-A-1]\n"
    graph = graph_of(order("orders/ORDER_A.md", "ORDER-A-1", extra=aliases))
    assert graph.orders["ORDER-A-1"].aliases == (
        "orders/ORDER_OLD.md",
        "/orders/older/",
        "ORDER-OLD-9",
        "ORDER-A-1",  # its own ID: nothing to send on
    )
    redirects, found = plan_redirects(graph, SiteUrls(), uri_of=_project_files)
    kinds = {r.path: (r.kind, r.target) for r in redirects}
    assert kinds == {
        "id/ORDER-A-1/index.html": ("permalink", "orders/ORDER_A/"),
        "id/ORDER-OLD-9/index.html": ("alias", "orders/ORDER_A/"),
        "orders/ORDER_OLD/index.html": ("alias", "orders/ORDER_A/"),
        "orders/older/index.html": ("alias", "orders/ORDER_A/"),
    }
    assert found == []


def test_aliases_in_bold_fields_are_read_too() -> None:
    text = "# Order\n\n**ORDER ID**: ORDER-A-1\n**Aliases**: ORDER-OLD-1, orders/ORDER_OLD.md\n"
    graph = graph_of(("orders/ORDER_A.md", text))
    assert graph.orders["ORDER-A-1"].aliases == ("ORDER-OLD-1", "orders/ORDER_OLD.md")


def test_a_bad_alias_is_one_finding_naming_the_file() -> None:
    graph = graph_of(order("orders/ORDER_A.md", "ORDER-A-1", extra="aliases: ['../../x.md']\n"))
    redirects, found = plan_redirects(graph, SiteUrls())
    assert codes(found) == [("plandocs.bad-alias", "warning", "orders/ORDER_A.md")]
    assert "'../../x.md'" in found[0].message
    assert [r.kind for r in redirects] == ["permalink"]


def test_an_old_address_that_is_a_real_page_is_kept() -> None:
    graph = graph_of(
        order("orders/ORDER_A.md", "ORDER-A-1", extra="aliases: [orders/ORDER_B.md]\n"),
        order("orders/ORDER_B.md", "ORDER-B-2"),
    )
    taken = {"orders/ORDER_A/index.html", "orders/ORDER_B/index.html"}
    redirects, found = plan_redirects(graph, SiteUrls(), taken=taken)
    assert "orders/ORDER_B/index.html" not in {r.path for r in redirects}
    assert codes(found) == [("plandocs.redirect-clash", "warning", "orders/ORDER_A.md")]
    assert "is a page of the site, which is kept" in found[0].message


@pytest.mark.parametrize(
    "alias", ["/sitemap.xml", "/sitemap.xml/", "/orders/ORDER_B/index.html/x/", "/img/a.png/"]
)
def test_an_old_address_inside_a_file_of_the_site_is_refused(alias: str) -> None:
    # the redirect made a folder where the build then writes a file: MkDocs stopped with a
    # traceback (IsADirectoryError: site/sitemap.xml)
    graph = graph_of(order("orders/ORDER_A.md", "ORDER-A-1", extra=f"aliases: [{alias}]\n"))
    taken = {"sitemap.xml", "orders/ORDER_B/index.html", "img/a.png"}
    redirects, found = plan_redirects(graph, SiteUrls(), taken=taken)
    assert [r.kind for r in redirects] == ["permalink"]
    assert codes(found) == [("plandocs.redirect-clash", "warning", "orders/ORDER_A.md")]
    assert "a file of the site" in found[0].message


def test_a_permanent_address_that_is_a_writers_page_is_kept() -> None:
    graph = graph_of(order("orders/ORDER_A.md", "ORDER-A-1"))
    redirects, found = plan_redirects(graph, SiteUrls(), taken={"id/ORDER-A-1/index.html"})
    assert redirects == []
    assert codes(found) == [("plandocs.redirect-clash", "warning", "orders/ORDER_A.md")]


def test_two_orders_claiming_one_old_address_first_wins() -> None:
    graph = graph_of(
        order("orders/ORDER_A.md", "ORDER-A-1", extra="aliases: [ORDER-OLD-1]\n"),
        order("orders/ORDER_B.md", "ORDER-B-2", extra="aliases: [ORDER-OLD-1]\n"),
    )
    redirects, found = plan_redirects(graph, SiteUrls())
    assert {r.path: r.target for r in redirects}["id/ORDER-OLD-1/index.html"] == "orders/ORDER_A/"
    assert codes(found) == [("plandocs.redirect-clash", "warning", "orders/ORDER_B.md")]
    assert "already leads to ORDER-A-1: T" in found[0].message


def test_an_alias_naming_another_live_id_does_not_take_its_address() -> None:
    graph = graph_of(
        order("orders/ORDER_A.md", "ORDER-A-1", extra="aliases: [ORDER-B-2]\n"),
        order("orders/ORDER_B.md", "ORDER-B-2"),
    )
    redirects, found = plan_redirects(graph, SiteUrls())
    assert {r.path: r.target for r in redirects}["id/ORDER-B-2/index.html"] == "orders/ORDER_B/"
    assert codes(found) == [("plandocs.redirect-clash", "warning", "orders/ORDER_A.md")]


def test_an_id_no_path_can_hold_is_reported_not_written() -> None:
    settings = Settings(order_id_pattern=r"ORDER-[A-Z0-9./]+")
    doc = parse("---\nid: ORDER-../../X\n---\n# Evil\n", "orders/ORDER_EVIL.md", settings)
    graph, _ = seal([doc], settings)
    assert list(graph.orders) == ["ORDER-../../X"]
    redirects, found = plan_redirects(graph, SiteUrls())
    assert redirects == []
    assert codes(found) == [("plandocs.permalink-skipped", "warning", "orders/ORDER_EVIL.md")]
    renderer = Renderer(graph, settings, SiteUrls())
    assert "Permalink" not in renderer.order_card("ORDER-../../X", "orders/ORDER_EVIL.md")


def test_renames_git_knows_lead_to_the_file_now() -> None:
    graph = graph_of(
        order("orders/ORDER_NEW.md", "ORDER-A-1"),
        order("orders/ORDER_C.md", "ORDER-C-3"),
    )
    history = {"orders/ORDER_OLD.md": "orders/ORDER_NEW.md", "orders/ORDER_C.md": "x.md"}
    taken = {"orders/ORDER_C/index.html"}
    redirects, found = plan_redirects(graph, SiteUrls(False), history=history, taken=taken)
    history_pages = {r.path: r.target for r in redirects if r.kind == "history"}
    assert history_pages == {"orders/ORDER_OLD.html": "orders/ORDER_NEW.html"}
    assert found == []


def test_an_old_name_now_held_by_another_page_is_an_info_finding() -> None:
    graph = graph_of(order("orders/ORDER_B.md", "ORDER-B-2"), order("orders/ORDER_A.md", "A-9"))
    history = {"orders/ORDER_A.md": "orders/ORDER_B.md"}
    redirects, found = plan_redirects(
        graph, SiteUrls(), history=history, taken={"orders/ORDER_A/index.html"}
    )
    assert "orders/ORDER_A/index.html" not in {r.path for r in redirects}
    assert codes(found) == [("plandocs.redirect-clash", "info", "orders/ORDER_B.md")]


def test_the_plan_is_the_same_whatever_the_order_of_the_files() -> None:
    docs = [
        order("orders/ORDER_A.md", "ORDER-A-1", extra="aliases: [ORDER-X-1]\n"),
        order("orders/ORDER_B.md", "ORDER-B-2", extra="aliases: [ORDER-X-1]\n"),
    ]
    one = plan_redirects(graph_of(*docs), SiteUrls())
    two = plan_redirects(graph_of(*reversed(docs)), SiteUrls())
    assert one == two


def test_cards_adr_and_phase_pages_show_the_permalink() -> None:
    graph_docs = (
        order("orders/ORDER_A.md", "ORDER-WRK-1-CP2-001", extra="phase: CP2\n"),
        ("adr/ADR-006-nats.md", "# ADR-006: NATS\n\n## Status\n\nAccepted\n"),
    )
    settings = Settings()
    graph, _ = seal([parse(text, uri, settings) for uri, text in graph_docs], settings)
    view = Renderer(graph, settings, SiteUrls())
    card = view.order_card("ORDER-WRK-1-CP2-001", "orders/ORDER_A.md")
    assert (
        '<dt>Permalink</dt><dd><a class="plandocs-permalink" href="../../id/ORDER-WRK-1-CP2-001/"'
        in card
    )
    adr = view.inline(view.decorate("# ADR-006: NATS\n\nText.\n", "adr/ADR-006-nats.md"), "")
    assert adr.startswith('# ADR-006: NATS\n\n<p class="plandocs-permalink">Permalink: <a href')
    assert 'href="../../id/ADR-006/"' in adr
    phase = view.inline(view.decorate("# CP2: x\n", "planning/phases/CP2.md"), "")
    assert 'href="../../../id/CP2/"' in phase
    flat = Renderer(graph, settings, SiteUrls(False))
    assert 'href="../id/ORDER-WRK-1-CP2-001.html"' in flat.order_card(
        "ORDER-WRK-1-CP2-001", "orders/ORDER_A.md"
    )


def test_planning_json_names_each_permalink() -> None:
    graph = graph_of(order("orders/ORDER_A.md", "ORDER-WRK-1-CP2-001", extra="phase: CP2\n"))
    data = json.loads(planning_json(graph, [], SiteUrls()))
    assert data["orders"][0]["permalink"] == "id/ORDER-WRK-1-CP2-001/"
    assert data["phases"][0]["permalink"] == "id/CP2/"


# -- git's renames ---------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("renamed", "current", "expected"),
    [
        ([], ["a.md"], {}),
        ([("a.md", "b.md")], ["b.md"], {"a.md": "b.md"}),
        # newest first: a -> b, then b -> c: both old names lead to c
        ([("b.md", "c.md"), ("a.md", "b.md")], ["c.md"], {"b.md": "c.md", "a.md": "c.md"}),
        # a file renamed away, then deleted: nothing to lead to
        ([("a.md", "b.md")], ["z.md"], {}),
        # b -> c, and long before, an unrelated file x -> b that was later deleted: b was
        # c's name, x was never
        ([("b.md", "c.md"), ("x.md", "b.md")], ["c.md"], {"b.md": "c.md", "x.md": "c.md"}),
    ],
)
def test_trace_renames(
    renamed: list[tuple[str, str]], current: list[str], expected: dict[str, str]
) -> None:
    assert trace_renames(renamed, current) == expected


def test_site_source_maps_project_paths_to_the_site(tmp_path: Path) -> None:
    source = planning_folders(tmp_path, tmp_path / "docs", tmp_path / "orders")[1]
    assert source("docs/adr/x.md") == "adr/x.md"
    assert source("orders/ORDER_A.md") == "orders/ORDER_A.md"
    assert source("elsewhere/ORDER_A.md") is None
    pages = {"orders/ORDER_B.md": "orders/ORDER_B.md"}
    renamed = [("orders/ORDER_A.md", "orders/ORDER_B.md"), ("x/ORDER_0.md", "orders/ORDER_A.md")]
    assert old_sources(renamed, pages, source) == {"orders/ORDER_A.md": "orders/ORDER_B.md"}


def git(root: Path, *args: str) -> None:
    env = {
        **os.environ,
        "GIT_AUTHOR_NAME": "t",
        "GIT_AUTHOR_EMAIL": "t@example.com",
        "GIT_COMMITTER_NAME": "t",
        "GIT_COMMITTER_EMAIL": "t@example.com",
        "GIT_CONFIG_GLOBAL": os.devnull,
        "GIT_CONFIG_NOSYSTEM": "1",
    }
    subprocess.run(["git", *args], cwd=root, env=env, check=True, capture_output=True, timeout=60)


@needs_git
def test_renames_reads_one_log_of_the_folders(tmp_path: Path) -> None:
    (tmp_path / "orders").mkdir()
    (tmp_path / "orders" / "ORDER_A.md").write_text("---\nid: ORDER-A-1\n---\n# A\n" * 5)
    (tmp_path / "notes.md").write_text("x\n")
    git(tmp_path, "init", "-q", "-b", "main")
    git(tmp_path, "add", ".")
    git(tmp_path, "commit", "-q", "-m", "one")
    git(tmp_path, "mv", "orders/ORDER_A.md", "orders/ORDER_Ä B.md")
    git(tmp_path, "mv", "notes.md", "notes2.md")
    git(tmp_path, "commit", "-q", "-m", "two")
    found = renames(tmp_path, ["orders"])
    assert found.problem is None
    assert found.renames == (("orders/ORDER_A.md", "orders/ORDER_Ä B.md"),)


def test_no_git_checkout_is_no_problem(tmp_path: Path) -> None:
    found = renames(tmp_path, ["orders"])
    assert found.renames == () and found.problem is None


@needs_git
def test_a_git_log_that_takes_too_long_is_one_problem(tmp_path: Path) -> None:
    git(tmp_path, "init", "-q")
    found = renames(tmp_path, ["orders"], timeout=1e-9)  # a hang guard, not a speed test
    assert found.renames == () and found.problem is not None
    assert "took more than" in found.problem


def test_site_files_are_kept_but_earlier_redirects_are_not(tmp_path: Path) -> None:
    (tmp_path / "orders" / "A").mkdir(parents=True)
    (tmp_path / "orders" / "A" / "index.html").write_text("<html>a page</html>")
    (tmp_path / "id" / "X").mkdir(parents=True)
    (tmp_path / "id" / "X" / "index.html").write_text(f"<!doctype html>\n{MARKER}\n")
    taken = SiteFiles(tmp_path)
    assert "orders/A/index.html" in taken
    assert "orders/A" in taken  # a folder is no place for a page either
    assert "id/X/index.html" not in taken
    assert "id/Y/index.html" not in taken


def test_a_redirect_page_as_written_is_known_without_reading_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """``write_pages`` notes each page's inode, time and size: a page found so is the one
    written (a site of a thousand orders has a thousand redirect pages, read at the end of
    every build before); one another plugin wrote over it is read, and kept."""
    page = f"<!doctype html>\n{MARKER}\n".encode()
    stats: dict[str, Stat] = {}
    write_pages(tmp_path, [("id/X/index.html", page)], stats=stats)
    assert set(stats) == {"id/X/index.html"}
    real_open = Path.open

    def no_reading(path: Path, *args: Any, **kwargs: Any) -> Any:
        if path.name == "index.html":
            raise AssertionError(f"{path} was read")
        return real_open(path, *args, **kwargs)

    monkeypatch.setattr(Path, "open", no_reading)
    assert "id/X/index.html" not in SiteFiles(tmp_path, stats=stats)
    monkeypatch.setattr(Path, "open", real_open)
    (tmp_path / "id" / "X" / "index.html").write_text("<html>another plugin's page</html>")
    assert "id/X/index.html" in SiteFiles(tmp_path, stats=stats)


def test_write_pages_stays_inside_the_site(tmp_path: Path) -> None:
    site = tmp_path / "site"
    write_pages(site, [("id/A/index.html", b"a")])
    assert (site / "id" / "A" / "index.html").read_text() == "a"
    with pytest.raises(ValueError, match="inside the site"):
        write_pages(site, [("../outside.html", b"x")])
    assert not (tmp_path / "outside.html").exists()


def test_write_pages_follows_no_link_out_of_the_site(tmp_path: Path) -> None:
    site, outside = tmp_path / "site", tmp_path / "outside"
    (site / "id" / "B").mkdir(parents=True)
    outside.mkdir()
    (site / "id" / "A").symlink_to(outside, target_is_directory=True)
    with pytest.raises(ValueError, match="outside the site"):
        write_pages(site, [("id/A/index.html", b"x")])
    (outside / "secret").write_text("kept")
    (site / "id" / "B" / "index.html").symlink_to(outside / "secret")
    write_pages(site, [("id/B/index.html", b"x")])  # a link in the page's place: replaced
    assert not (site / "id" / "B" / "index.html").is_symlink()
    assert (site / "id" / "B" / "index.html").read_bytes() == b"x"
    assert [p.name for p in outside.iterdir()] == ["secret"]
    assert (outside / "secret").read_text() == "kept"
    (site / "inside").mkdir()
    (site / "id" / "C").symlink_to(site / "inside", target_is_directory=True)
    write_pages(site, [("id/C/index.html", b"c")])  # a link that stays in the site is followed
    assert (site / "inside" / "index.html").read_text() == "c"


# -- a real build of a git checkout --------------------------------------------------------
MKDOCS_YML = """site_name: Renames
use_directory_urls: {dirs}
plugins:
  - search
  - plandocs
"""


def build(root: Path, site: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "-d", str(site)],
        cwd=root,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1", "PYTHONIOENCODING": "utf-8"},
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=180,
        check=False,
    )


def redirect_target(page: Path) -> Path:
    html = page.read_text(encoding="utf-8")
    found = re.search(r'<meta http-equiv="refresh" content="0; url=([^"]+)">', html)
    assert found, page
    href = unquote(found.group(1)).partition("#")[0]
    target = (page.parent / href).resolve()
    return target / "index.html" if href.endswith("/") or target.is_dir() else target


@needs_git
@pytest.mark.parametrize("dirs", [True, False])
def test_a_renamed_order_keeps_its_old_address(tmp_path: Path, dirs: bool) -> None:
    root = tmp_path / "project"
    (root / "docs").mkdir(parents=True)
    (root / "orders").mkdir()
    (root / "mkdocs.yml").write_text(MKDOCS_YML.format(dirs=str(dirs).lower()))
    (root / "docs" / "index.md").write_text("# Home\n\nSee ORDER-WRK-1-CP2-001.\n")
    body = "\n".join(f"Line {n} of the order's text, which git follows." for n in range(20))
    (root / "orders" / "ORDER_WRK_1_CP2_FIRST_NAME.md").write_text(
        f"---\nid: ORDER-WRK-1-CP2-001\ntitle: Renamed\nphase: CP2\n"
        f"aliases: [ORDER-WRK-1-CP2-000]\n---\n# Renamed\n\n{body}\n"
    )
    git(root, "init", "-q", "-b", "main")
    git(root, "add", ".")
    git(root, "commit", "-q", "-m", "first name")
    git(root, "mv", "orders/ORDER_WRK_1_CP2_FIRST_NAME.md", "orders/ORDER_WRK_1_CP2_NEW_NAME.md")
    git(root, "commit", "-q", "-m", "renamed")
    site = tmp_path / "site"
    done = build(root, site)
    assert done.returncode == 0, done.stderr
    assert "plandocs.no-history" not in done.stderr

    ext = "/index.html" if dirs else ".html"
    new_page = (site / f"orders/ORDER_WRK_1_CP2_NEW_NAME{ext}").resolve()
    old = site / f"orders/ORDER_WRK_1_CP2_FIRST_NAME{ext}"
    assert MARKER in old.read_text(encoding="utf-8")
    assert redirect_target(old) == new_page
    assert redirect_target(site / f"id/ORDER-WRK-1-CP2-001{ext}") == new_page
    assert redirect_target(site / f"id/ORDER-WRK-1-CP2-000{ext}") == new_page  # the old ID
    assert redirect_target(site / f"id/CP2{ext}").is_file()
    # every redirect page leads to a page of the site
    pages = [p for p in site.rglob("*.html") if MARKER in p.read_text(encoding="utf-8")]
    assert len(pages) == 4
    for page in pages:
        assert redirect_target(page).is_file(), page
    exported = json.loads((site / "planning.json").read_text(encoding="utf-8"))
    permalink = "id/ORDER-WRK-1-CP2-001/" if dirs else "id/ORDER-WRK-1-CP2-001.html"
    assert exported["orders"][0]["permalink"] == permalink


HOOK = """
from pathlib import Path

from mkdocs.plugins import event_priority


@event_priority(50)  # before plandocs' on_post_build
def on_post_build(config):
    page = Path(config.site_dir, "id", "ORDER-WRK-1-CP2-001", "index.html")
    page.parent.mkdir(parents=True, exist_ok=True)
    page.write_text("<html>the redirects plugin's page</html>")
"""


def test_a_page_another_plugin_writes_over_an_address_is_kept_and_said(tmp_path: Path) -> None:
    # plandocs writes its redirect pages while the pages convert; a plugin that writes one
    # of their paths at the build's end, before plandocs' own end, keeps its page
    root = tmp_path / "project"
    (root / "docs").mkdir(parents=True)
    (root / "mkdocs.yml").write_text(
        "site_name: Hooked\nplugins:\n  - plandocs\nhooks:\n  - hook.py\n"
    )
    (root / "hook.py").write_text(HOOK)
    (root / "docs" / "index.md").write_text("# Home\n")
    (root / "docs" / "a.md").write_text("---\nid: ORDER-WRK-1-CP2-001\ntitle: A\n---\n# A\n")
    (root / "docs" / "b.md").write_text("---\nid: ORDER-WRK-1-CP2-002\ntitle: B\n---\n# B\n")
    site = tmp_path / "site"
    done = build(root, site)
    assert done.returncode == 1, done.stderr  # --strict: the clash is a warning
    assert "plandocs.redirect-clash" in done.stderr
    assert "ORDER-WRK-1-CP2-001" in done.stderr and "ORDER-WRK-1-CP2-002" not in done.stderr
    kept = (site / "id" / "ORDER-WRK-1-CP2-001" / "index.html").read_text()
    assert kept == "<html>the redirects plugin's page</html>"
    assert MARKER in (site / "id" / "ORDER-WRK-1-CP2-002" / "index.html").read_text()


def test_an_alias_that_is_a_page_but_for_case_never_renames_the_page(tmp_path: Path) -> None:
    # On a case-blind disk orders/Order_A/ and orders/ORDER_A/ are one folder, named by the
    # first writer: the redirect waits for MkDocs' page, and is kept out where it is there.
    root = tmp_path / "project"
    (root / "docs" / "orders").mkdir(parents=True)
    (root / "mkdocs.yml").write_text("site_name: Case\nplugins:\n  - plandocs\n")
    (root / "docs" / "index.md").write_text("# Home\n")
    (root / "docs" / "orders" / "ORDER_A.md").write_text(
        "---\nid: ORDER-A-1\ntitle: A\naliases: [/orders/Order_A/]\n---\n# A\n"
    )
    site = tmp_path / "site"
    done = build(root, site)
    probe = tmp_path / "Probe"
    probe.write_text("")
    case_blind = (tmp_path / "probe").exists()
    page = site / "orders" / "ORDER_A" / "index.html"
    assert "ORDER-A-1" in page.read_text(encoding="utf-8")
    names = sorted(p.name for p in (site / "orders").iterdir() if p.name.lower() == "order_a")
    assert names == (["ORDER_A"] if case_blind else ["ORDER_A", "Order_A"])
    if case_blind:
        assert "plandocs.redirect-clash" in done.stderr and MARKER not in page.read_text()
    else:
        assert done.returncode == 0, done.stderr
        alias = site / "orders" / "Order_A" / "index.html"
        assert redirect_target(alias) == page.resolve()


SOMETIMES = """
from pathlib import Path

from mkdocs.plugins import event_priority


@event_priority(50)  # before plandocs' on_post_build, once it has waited for its pages
def on_post_build(config):
    if Path(config.config_file_path).with_name("write-over").exists():
        Path(config.site_dir, "id", "ORDER-WRK-1-CP2-001", "index.html").write_text("theirs")
"""


def test_serve_dirty_never_deletes_a_page_another_plugin_wrote_over_a_redirect(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root, site = tmp_path / "project", tmp_path / "site"
    (root / "docs").mkdir(parents=True)
    (root / "mkdocs.yml").write_text("site_name: S\nplugins:\n  - plandocs\nhooks:\n  - hook.py\n")
    (root / "hook.py").write_text(SOMETIMES)
    (root / "docs" / "index.md").write_text("# Home\n")
    (root / "docs" / "a.md").write_text("---\nid: ORDER-WRK-1-CP2-001\ntitle: A\n---\n# A\n")
    monkeypatch.chdir(root)
    monkeypatch.setenv("NO_MKDOCS_2_WARNING", "1")
    load_config("mkdocs.yml", site_dir=str(site)).plugins.on_startup(command="serve", dirty=True)
    mkdocs_build(load_config("mkdocs.yml", site_dir=str(site)), dirty=True)
    page = site / "id" / "ORDER-WRK-1-CP2-001" / "index.html"
    assert MARKER in page.read_text()
    (root / "write-over").write_text("")
    (root / "docs" / "index.md").write_text("# Home\n\nEdited.\n")  # a rebuild of one page
    mkdocs_build(load_config("mkdocs.yml", site_dir=str(site)), dirty=True)
    assert page.read_text() == "theirs"
