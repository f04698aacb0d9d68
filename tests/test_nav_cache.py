"""The sidebar cache: pages outside the nav share one rendering of Material's sidebar, and
the site is the very site a build without the cache writes."""

from __future__ import annotations

import re
import shutil
from pathlib import Path
from types import SimpleNamespace

import pytest
from jinja2 import DictLoader, Environment
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import File
from mkdocs.structure.nav import Navigation
from mkdocs.structure.pages import Page
from mkdocs.theme import Theme

from plandocs.mkdocs.nav_cache import NavCache

from .test_config import build
from .test_page_cache import FIXTURES, site_files

_SIDEBARS = re.compile(r"plandocs: sidebars and headers: (\d+) rendered, (\d+) from the cache")

NAV = """
nav:
  - Home: index.md
  - Guide:
      - guide/intro.md
      - Upstream: https://example.org/upstream/
      - Orders on the site: orders/ORDER_WRK_1_CP1_PARSER.md
  - Decisions: adr/ADR-001-plain-markdown.md
  - Elsewhere on the server: /elsewhere/
not_in_nav: |
  /orders/
  /adr/
  /guide.md
  /deep/
  /assets/
"""


def _project(tmp_path: Path, *, directory_urls: bool) -> Path:
    """The good fixture with an explicit nav (sections, links, an order in it), a logo, and
    pages outside the nav in several folders: ``guide.md``, whose URL is a folder the nav
    links into, and ``assets/notes.md``, beside the logo."""
    root = tmp_path / "p"
    shutil.copytree(FIXTURES / "good", root)
    docs = root / "docs"
    (docs / "guide").mkdir()
    (docs / "guide" / "intro.md").write_text("# Intro\n\nSee ORDER-WRK-1-CP1-001.\n")
    (docs / "guide.md").write_text("# Guide\n\nOutside the nav, above guide/intro.\n")
    (docs / "deep" / "er").mkdir(parents=True)
    (docs / "deep" / "er" / "page.md").write_text("# Deep\n\nORDER-WRK-2-CP1-002\n")
    (docs / "deep" / "notes.md").write_text("# Deep notes\n")
    (docs / "deep" / "r-and-d.md").write_text("# R&D <notes>\n")  # a header rendered as is
    (docs / "assets").mkdir()
    (docs / "assets" / "logo.svg").write_text('<svg xmlns="http://www.w3.org/2000/svg"/>')
    # as deep as deep/notes.md, and its nav links the same: only its logo is "../logo.svg"
    (docs / "assets" / "notes.md").write_text("# Notes\n\nBeside the logo.\n")
    config = root / "mkdocs.yml"
    text = config.read_text(encoding="utf-8").replace(
        "  name: material\n",
        "  name: material\n  logo: assets/logo.svg\n  features:\n    - navigation.tabs\n",
    )
    text += NAV + f"use_directory_urls: {'true' if directory_urls else 'false'}\n"
    config.write_text(text, encoding="utf-8")
    return config


def _sidebars(config: Path) -> tuple[int, int]:
    result = build(config, "--strict", "--verbose")
    assert result.returncode == 0, result.stderr
    every = "partials/nav.html, partials/tabs.html, partials/header.html"
    assert f"cached for pages outside the nav: {every}" in result.stderr
    assert "not cached: it shows more of a page than the key" not in result.stderr
    (found,) = _SIDEBARS.findall(result.stderr)
    return int(found[0]), int(found[1])


@pytest.mark.parametrize("directory_urls", [True, False])
def test_pages_outside_the_nav_share_a_sidebar_and_the_site_is_unchanged(
    tmp_path: Path, directory_urls: bool
) -> None:
    config = _project(tmp_path, directory_urls=directory_urls)
    rendered, cached = _sidebars(config)
    assert cached > 0 and rendered > 1  # shared, and not one rendering for every folder
    with_cache = site_files(config.parent / "s")
    off = config.read_text(encoding="utf-8").replace(
        "  - plandocs:\n", "  - plandocs:\n      nav_cache: false\n"
    )
    config.write_text(off, encoding="utf-8")
    result = build(config, "--strict", "--verbose")
    assert result.returncode == 0, result.stderr
    assert not _SIDEBARS.search(result.stderr)
    assert site_files(config.parent / "s") == with_cache
    # and the pages outside the nav link their nav as their own folder sees it
    order = "orders/ORDER_WRK_2_CP1_RENDERER" + ("/index.html" if directory_urls else ".html")
    deep = "deep/er/page" + ("/index.html" if directory_urls else ".html")
    up = "../../" if directory_urls else "../"
    intro = "guide/intro/" if directory_urls else "guide/intro.html"
    assert f'href="{up}{intro}"' in with_cache[order].decode()
    assert f'href="{up}../{intro}"' in with_cache[deep].decode()


def test_a_theme_override_of_the_sidebar_is_rendered_for_every_page(tmp_path: Path) -> None:
    """What an override reads from the page is not known: it is never cached."""
    config = _project(tmp_path, directory_urls=True)
    overrides = config.parent / "overrides" / "partials"
    overrides.mkdir(parents=True)
    (overrides / "nav.html").write_text('<nav class="mine">{{ page.title }}</nav>\n')
    text = config.read_text(encoding="utf-8").replace(
        "  name: material\n", "  name: material\n  custom_dir: overrides\n"
    )
    config.write_text(text, encoding="utf-8")
    result = build(config, "--strict", "--verbose")
    assert result.returncode == 0, result.stderr
    assert "cached for pages outside the nav: partials/tabs.html, partials/header.html" in (
        result.stderr
    )
    site = config.parent / "s"
    for page, title in (
        ("orders/ORDER_WRK_2_CP1_RENDERER/index.html", "Page renderer"),
        ("deep/er/page/index.html", "Deep"),
    ):
        assert re.search(rf'<nav class="mine">[^<]*{title}', (site / page).read_text())


@pytest.mark.parametrize(
    "templates",
    [
        {},
        dict.fromkeys(("partials/nav.html", "partials/tabs.html"), "<nav>{{ page.title }}</nav>"),
    ],
    ids=["another theme", "templates of no file"],
)
def test_nothing_is_cached_without_material_s_own_templates(templates: dict[str, str]) -> None:
    env = Environment(loader=DictLoader(templates))
    config = SimpleNamespace(extra={}, theme={})
    assert NavCache().install(env, config) == []
    if templates:  # left as they were
        page = SimpleNamespace(title="Mine")
        assert env.get_template("partials/nav.html").render(page=page) == "<nav>Mine</nav>"


def _pages(tmp_path: Path, *titles: str) -> list[Page]:
    config = MkDocsConfig()
    config.load_dict({"site_name": "t", "docs_dir": str(tmp_path)})
    assert config.validate() == ([], [])
    config.plugins._current_plugin = None  # as while MkDocs runs no plugin's event
    return [
        Page(title, File.generated(config, f"orders/{title}.md", content=f"# {title}"), config)
        for title in titles
    ]


def test_a_sidebar_that_shows_more_of_the_page_than_its_links_turns_the_cache_off(
    tmp_path: Path,
) -> None:
    """Each rendering is checked once, by the first page that would reuse it: a theme
    release whose sidebar shows the page's title is caught there, and no page is wrong."""
    env = Environment(loader=DictLoader({"partials/nav.html": "<nav>{{ page.title }}</nav>"}))
    cache = NavCache()
    cache._wrap(env.get_template("partials/nav.html"))
    nav = Navigation([], [])
    shown = [
        env.get_template("partials/nav.html").render(page=page, nav=nav, base_url="../..")
        for page in _pages(tmp_path, "One", "Two", "Three")
    ]
    assert shown == ["<nav>One</nav>", "<nav>Two</nav>", "<nav>Three</nav>"]
    assert cache.refuted == {"partials/nav.html"} and cache.hits == 0


def test_a_sidebar_that_a_second_page_confirms_is_reused(tmp_path: Path) -> None:
    env = Environment(loader=DictLoader({"partials/nav.html": "<nav>{{ base_url }}</nav>"}))
    cache = NavCache()
    cache._wrap(env.get_template("partials/nav.html"))
    nav = Navigation([], [])
    for page in _pages(tmp_path, "One", "Two", "Three", "Four"):
        html = env.get_template("partials/nav.html").render(page=page, nav=nav, base_url="../..")
        assert html == "<nav>../..</nav>"
    assert not cache.refuted and (cache.misses, cache.hits) == (2, 2)


HEADER = (
    '<header><a href="{{ base_url }}/">home</a><div data-md-component="header-topic">'
    '<span class="md-ellipsis">\n  {{ page.title }}\n</span></div></header>'
)


def test_the_header_is_reused_with_each_page_s_own_title(tmp_path: Path) -> None:
    env = Environment(loader=DictLoader({"partials/header.html": HEADER}))
    cache = NavCache()
    cache._wrap(env.get_template("partials/header.html"))
    nav = Navigation([], [])
    titles = ["One", "Two", "R&D", "Three", "One more"]
    for page, title in zip(_pages(tmp_path, *titles), titles, strict=True):
        html = env.get_template("partials/header.html").render(page=page, nav=nav, base_url="..")
        assert html == HEADER.replace("{{ base_url }}", "..").replace("{{ page.title }}", title)
    # One rendered; Two rendered again to check it; R&D rendered as it is; two reused
    assert not cache.refuted and (cache.misses, cache.hits) == (2, 2)


def test_language_links_leave_the_header_uncached() -> None:
    """``extra.alternate`` puts addresses in the header that the key does not see."""
    env = Theme(name="material").get_env()
    every = ["partials/nav.html", "partials/tabs.html", "partials/header.html"]
    assert NavCache().install(env, SimpleNamespace(extra={}, theme={})) == every
    alternate = {"alternate": [{"name": "English", "link": "/en/", "lang": "en"}]}
    env = Theme(name="material").get_env()
    assert NavCache().install(env, SimpleNamespace(extra=alternate, theme={})) == every[:2]
