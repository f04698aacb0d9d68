"""Every private MkDocs, Material and Jinja name plandocs uses (``plandocs.mkdocs.internals``)
still exists and behaves as the adapter expects: an upgrade that changes one fails here,
loudly, rather than making a cached build differ from a fresh one."""

from __future__ import annotations

import inspect
import json
import logging
import re
import subprocess
import sys
from collections.abc import Iterator
from importlib import metadata
from pathlib import Path

import pytest
from jinja2 import DictLoader, Environment
from jinja2.runtime import Context
from mkdocs.commands import build as mkdocs_build
from mkdocs.config import load_config
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure import pages as mkdocs_pages
from mkdocs.structure.files import File, Files
from mkdocs.structure.pages import Page
from mkdocs.utils import normalize_url

from plandocs.mkdocs import SUPPORTED, check_engine, internals


def test_the_versions_checked_are_the_versions_installed() -> None:
    """An upgrade fails here first: check every name below against it, then raise CHECKED."""
    for name, version in internals.CHECKED.items():
        assert metadata.version(name) == version, f"check mkdocs/internals.py for {name}"


def _page(tmp_path: Path, markdown: str) -> tuple[Page, Files, MkDocsConfig]:
    (tmp_path / "docs").mkdir(exist_ok=True)
    config = MkDocsConfig()
    config.load_dict({"site_name": "t", "docs_dir": str(tmp_path / "docs")})
    assert config.validate() == ([], [])
    config.plugins._current_plugin = None  # as while MkDocs runs no plugin's event
    files = Files([File.generated(config, "other.md", content="# Other\n\n## Far\n")])
    file = File.generated(config, "page.md", content=markdown)
    files.append(file)
    page = Page(None, file, config)
    page.read_source(config)
    return page, files, config


def test_a_page_record_is_what_render_leaves_and_restores_it(tmp_path: Path) -> None:
    assert list(inspect.signature(Page.render).parameters) == ["self", "config", "files"]
    page, files, config = _page(tmp_path, "# The title\n\n## Part\n\n[far](other.md#far)\n")
    assert page._title_from_render is None and page.content is None
    assert internals.page_record(page) is None  # not rendered yet
    page.render(config, files)
    record = internals.page_record(page)
    assert record is not None and record["title"] == "The title" == page.title
    assert record["anchors"] == ["part", "the-title"]
    assert record["links_to_anchors"] == {"other.md": {"far": "other.md#far"}}
    fresh, _, _ = _page(tmp_path, "# something else\n")
    assert internals.restore_page(fresh, record, files)
    assert fresh.title == "The title" and fresh.content == page.content
    assert [item.title for item in fresh.toc] == [item.title for item in page.toc]
    assert fresh.present_anchor_ids == page.present_anchor_ids
    assert fresh.links_to_anchors == page.links_to_anchors
    assert not internals.restore_page(fresh, {"toc": []}, files)  # a record of another shape


def test_render_is_replaced_on_one_page_only(tmp_path: Path) -> None:
    page, files, config = _page(tmp_path, "# Title\n")
    calls: list[str] = []

    def render(convert: object, config: object, files: object) -> None:
        calls.append("cache")
        convert()  # type: ignore[operator]

    internals.wrap_render(page, render)
    page.render(config, files)
    assert calls == ["cache"] and page.content == '<h1 id="title">Title</h1>'
    assert Page.render is not page.render and "render" not in vars(Page(None, page.file, config))


def test_what_a_page_says_while_it_converts_is_heard(tmp_path: Path) -> None:
    assert mkdocs_pages.log.name == "mkdocs.structure.pages"
    assert internals.log_level() == logging.getLogger("mkdocs.structure.pages").getEffectiveLevel()
    page, files, config = _page(tmp_path, "# Title\n\n[gone](missing.md)\n")
    with internals.heard() as logged:
        page.render(config, files)
    assert logged()
    quiet, files, config = _page(tmp_path, "# Title\n")
    with internals.heard() as logged:
        quiet.render(config, files)
    assert not logged()


_INCLUDE = re.compile(r'{%-? *(?:include|import) +"([^"]+)"')
#: includes the nav cache never serves: icons are files, not templates; language links leave
#: the header uncached; the table of contents is the active page's, never cached
_NOT_SERVED = (".icons/", "partials/alternate.html", "partials/toc.html")


def test_material_s_partials_include_what_the_nav_cache_knows() -> None:
    templates = internals.material_templates()
    assert templates is not None
    for name, includes in internals.MATERIAL_PARTIALS.items():
        for listed in (name, *includes):
            assert (templates / listed).is_file(), listed
        found = set()
        for template in (name, *includes):
            found.update(_INCLUDE.findall((templates / template).read_text(encoding="utf-8")))
        unknown = {n for n in found if n not in includes and not n.startswith(_NOT_SERVED)}
        assert not unknown, f"{name} includes {unknown}: list them in MATERIAL_PARTIALS"


def test_material_s_header_shows_the_title_where_it_is_cut() -> None:
    templates = internals.material_templates()
    assert templates is not None
    source = (templates / internals.HEADER).read_text(encoding="utf-8")
    assert re.search(r'data-md-component="header-topic">\s*<span class="md-ellipsis">', source)
    html = '<div data-md-component="header-topic"><span class="md-ellipsis">\n  Title\n</span>'
    assert internals.header_parts(html, "Title") == (html[: html.index("Title")], "\n</span>")
    assert internals.header_parts(html, "Other") is None


def test_a_template_renders_through_its_wrapper_where_another_includes_it() -> None:
    env = Environment(loader=DictLoader({"a.html": "[{% include 'b.html' %}]", "b.html": "b"}))

    def wrapper(render: internals.Render) -> internals.Render:
        def wrapped(context: Context) -> Iterator[str]:
            yield "<"
            yield from render(context)
            yield ">"

        return wrapped

    internals.wrap_template(env.get_template("b.html"), wrapper)
    assert env.get_template("a.html").render() == "[<b>]"


def test_normalize_url_is_the_address_a_template_writes() -> None:
    assert list(inspect.signature(normalize_url).parameters) == ["path", "page", "base"]
    assert internals.normalize_url is normalize_url


def test_mkdocs_2_stops_with_one_line() -> None:
    check_engine("1.6.1")
    with pytest.raises(SystemExit, match=r"MkDocs 2\.0\.0 is not supported"):
        check_engine("2.0.0")
    faked = "import mkdocs; mkdocs.__version__ = '2.0.0'; import plandocs.mkdocs.plugin"
    result = subprocess.run(
        [sys.executable, "-c", faked], capture_output=True, text=True, check=False
    )
    assert result.returncode == 1
    assert result.stderr.splitlines() == [
        f"plandocs: MkDocs 2.0.0 is not supported; plandocs runs on {SUPPORTED}"
    ]


def test_a_dirty_build_warns_where_the_loop_quiets_it(caplog: pytest.LogCaptureFixture) -> None:
    """``mkdocs serve --dirty`` (mkdocs/serve.py): MkDocs' build warns of a dirty build with
    this text, on this logger; once quieted, the warning is not heard, other records are."""
    assert mkdocs_build.log.name in internals.DIRTY_LOGGERS
    assert internals.DIRTY_WARNING in inspect.getsource(mkdocs_build.build)
    internals.quiet_dirty_warning()
    with caplog.at_level(logging.INFO, logger=mkdocs_build.log.name):
        mkdocs_build.log.warning(internals.DIRTY_WARNING + ", this will likely lead to ...")
        mkdocs_build.log.warning("another warning")
    assert [r.getMessage() for r in caplog.records] == ["another warning"]


def test_material_s_search_index_is_where_and_as_the_loop_writes_it(tmp_path: Path) -> None:
    """mkdocs/serve.py writes Material's search index back: same place, same bytes."""
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "index.md").write_text("# Home\n\n## Part ü\n\nText.\n", encoding="utf-8")
    (tmp_path / "mkdocs.yml").write_text(
        "site_name: t\ntheme:\n  name: material\nplugins:\n  - search\n", encoding="utf-8"
    )
    mkdocs_build.build(load_config(str(tmp_path / "mkdocs.yml"), site_dir=str(tmp_path / "site")))
    written = (tmp_path / "site" / internals.SEARCH_INDEX).read_text(encoding="utf-8")
    data = json.loads(written)
    assert [doc["location"] for doc in data["docs"]] == ["", "#part-u"]
    assert internals.search_index_text(data) == written
