"""The page cache: a rebuild converts only the pages whose Markdown changed, and a cached
build writes the very site a fresh one writes, with the same warnings."""

from __future__ import annotations

import re
import shutil
import sys
from collections.abc import Callable
from importlib import resources
from pathlib import Path
from types import SimpleNamespace

import pytest
from jinja2 import DictLoader, Environment
from markupsafe import Markup

from plandocs.cache import fragments as fragment_cache
from plandocs.cache.fragments import FragmentCache
from plandocs.core.settings import Settings
from plandocs.mkdocs.build import Build
from plandocs.mkdocs.page_cache import Numbering, file_reading_extension, stable
from plandocs.mkdocs.plugin import PlandocsPlugin
from plandocs.render.tokens import Tokens

from .test_config import build

FIXTURES = Path(__file__).parent / "fixtures"
_PAGES = re.compile(
    r"plandocs: pages: (\d+) converted, (\d+) from the cache, (\d+) not cacheable, "
    r"(\d+) old records removed"
)


def edit(path: Path, old: str, new: str) -> None:
    """Replace ``old`` (which must be there) with ``new`` in a fixture file."""
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new), encoding="utf-8")


def verbose_counts(config: Path, pattern: re.Pattern[str]) -> tuple[int, ...]:
    """The numbers of the one line ``pattern`` finds in a verbose build's log."""
    result = build(config, "--verbose")
    assert result.returncode == 0, result.stderr
    (found,) = pattern.findall(result.stderr)
    return tuple(int(number) for number in found)


def counts(config: Path) -> tuple[int, ...]:
    """(converted, from the cache, not cacheable, removed) of one verbose build."""
    return verbose_counts(config, _PAGES)


def site_files(site: Path) -> dict[str, bytes]:
    # sitemap.xml.gz holds the time it was compressed; its content is sitemap.xml
    return {
        str(path.relative_to(site)): path.read_bytes()
        for path in sorted(site.rglob("*"))
        if path.is_file() and path.name != "sitemap.xml.gz"
    }


@pytest.fixture
def good(tmp_path: Path) -> Path:
    shutil.copytree(FIXTURES / "good", tmp_path / "p")
    return tmp_path / "p" / "mkdocs.yml"


def fresh_site(config: Path, dest: Path) -> dict[str, bytes]:
    """The site as a build without the cache writes it."""
    plain = config.parent / "mkdocs-nocache.yml"
    text = config.read_text(encoding="utf-8")
    plain.write_text(text.replace("  - plandocs:\n", "  - plandocs:\n      page_cache: false\n"))
    result = build(plain)
    assert result.returncode == 0, result.stderr
    shutil.move(config.parent / "s", dest)
    return site_files(dest)


def test_a_rebuild_converts_nothing_and_writes_the_same_site(good: Path) -> None:
    converted, cached, uncacheable, _ = counts(good)
    assert converted > 10 and cached == 0 and uncacheable == 0
    first = site_files(good.parent / "s")
    assert counts(good) == (0, converted, 0, 0)
    assert site_files(good.parent / "s") == first


def test_an_edit_converts_only_the_pages_whose_markdown_changed(good: Path) -> None:
    total = counts(good)[0]
    parser = good.parent / "orders" / "ORDER_WRK_1_CP1_PARSER.md"
    edit(parser, "into one model.", "into one model. See ORDER-WRK-2-CP1-002.")
    converted, cached, _, removed = counts(good)
    # only the edited page: the renderer's "Mentioned in" list grew, but it is filled in
    # after Markdown and is no part of that page's Markdown
    assert converted == 1 and cached == total - 1
    assert removed == 1  # the record that no page asks for any more
    cached_site = site_files(good.parent / "s")
    assert cached_site == fresh_site(good, good.parent.parent / "fresh")
    renderer = cached_site["orders/ORDER_WRK_2_CP1_RENDERER/index.html"].decode()
    assert "ORDER_WRK_1_CP1_PARSER/" in renderer.split("Referenced by", 1)[1]


def test_a_diagram_added_to_one_page_converts_that_page_and_no_later_one(good: Path) -> None:
    total = counts(good)[0]
    index = good.parent / "docs" / "index.md"
    # a drawn diagram takes a token number, given out in the order pages are decorated;
    # every page after this one (order pages with cards) is numbered one on
    index.write_text(
        index.read_text(encoding="utf-8") + "\n```dot\ndigraph { a -> b }\n```\n",
        encoding="utf-8",
    )
    converted, cached, _, removed = counts(good)
    assert (converted, cached, removed) == (1, total - 1, 1)
    cached_site = site_files(good.parent / "s")
    assert cached_site == fresh_site(good, good.parent.parent / "fresh")
    assert "<svg" in cached_site["index.html"].decode()


def test_numbering_is_the_page_s_own_and_goes_back_to_the_build_s() -> None:
    build, other = Tokens("qqq"), Tokens("zzz")  # two builds' secrets
    first = Numbering(build, "a plandocsfragLqqq41x b plandocsfragDqqq7x c plandocsfragLqqq41x")
    later = Numbering(other, "a plandocsfragLzzz90x b plandocsfragDzzz12x c plandocsfragLzzz90x")
    canonical = "a plandocsfragL0x b plandocsfragD1x c plandocsfragL0x"
    assert first.markdown == later.markdown == canonical
    record = first.to_page("<p>plandocsfragLqqq41x</p><svg>plandocsfragDqqq7x</svg>")
    assert record == "<p>plandocsfragL0x</p><svg>plandocsfragD1x</svg>"
    assert later.to_build(record) == "<p>plandocsfragLzzz90x</p><svg>plandocsfragDzzz12x</svg>"
    # a token the Markdown does not hold cannot be numbered back: not cached, not restored
    assert first.to_page("<p>plandocsfragLqqq5x</p>") is None
    assert later.to_build("<p>plandocsfragL2x</p>") is None
    # nor one of another build's secret
    assert first.to_page("<p>plandocsfragLzzz41x</p>") is None
    assert Numbering(None, "a tokL41x").to_page("tokL41x") == "tokL41x"
    # a token lowercased into an anchor keeps the build's number: not cached
    assert first.to_page('<h2 id="see-plandocsfraglqqq41x">plandocsfragLqqq41x</h2>') is None


def test_a_page_that_quotes_a_token_is_never_cached() -> None:
    build = Tokens("qqq")
    quoting = Numbering(build, "`plandocsfragL0x` then plandocsfragLqqq41x")
    assert not quoting.cacheable
    assert quoting.to_page("<code>plandocsfragL0x</code> plandocsfragLqqq41x") is None
    assert quoting.to_build("<code>plandocsfragL0x</code>") is None
    assert not Numbering(build, "see PLANDOCSFRAG").cacheable
    assert Numbering(build, "plandocsfragLqqq41x, plandocs frag").cacheable


def test_a_new_title_converts_no_page_and_retitles_every_link(good: Path) -> None:
    renderer_page = good.parent / "orders" / "ORDER_WRK_2_CP1_RENDERER.md"
    renderer_page.write_text(
        renderer_page.read_text(encoding="utf-8") + "\nBuilt on ORDER-WRK-1-CP1-001.\n",
        encoding="utf-8",
    )
    total = counts(good)[0]
    parser = good.parent / "orders" / "ORDER_WRK_1_CP1_PARSER.md"
    edit(parser, "title: Order file parser", "title: Order reader")
    converted, cached, _, _ = counts(good)
    # No page's Markdown changed: the order's own page shows its title in its card, and
    # the cross-links that name it are filled in after Markdown, tooltips and all.
    assert converted == 0 and cached == total
    cached_site = site_files(good.parent / "s")
    page = cached_site["orders/ORDER_WRK_2_CP1_RENDERER/index.html"].decode()
    assert 'title="Order reader (in progress)">ORDER-WRK-1-CP1-001</a>.</p>' in page
    assert "Order file parser" not in page
    assert cached_site == fresh_site(good, good.parent.parent / "fresh")


def test_a_page_that_logs_is_converted_every_time_and_says_it_again(good: Path) -> None:
    index = good.parent / "docs" / "index.md"
    index.write_text(
        index.read_text(encoding="utf-8") + "\nSee [the missing page](missing.md).\n",
        encoding="utf-8",
    )
    first = build(good, "--verbose")
    second = build(good, "--verbose")
    warning = "contains a link 'missing.md', but the target is not found"
    assert warning in first.stderr and warning in second.stderr
    assert build(good, "--strict").returncode == 1  # and strict mode still counts it
    (found,) = _PAGES.findall(second.stderr)
    assert int(found[0]) == 1 and int(found[2]) == 1  # converted again, not cacheable


def test_a_quiet_build_does_not_hide_a_warning_from_the_next_build(good: Path) -> None:
    index = good.parent / "docs" / "index.md"
    index.write_text(
        index.read_text(encoding="utf-8") + "\nSee [the missing page](missing.md).\n",
        encoding="utf-8",
    )
    quiet = build(good, "--quiet")  # MkDocs logs no warning at all: none to be heard
    assert quiet.returncode == 0 and "missing.md" not in quiet.stderr
    assert build(good, "--strict").returncode == 1


def test_an_extension_that_reads_files_turns_the_cache_off(good: Path) -> None:
    text = good.read_text(encoding="utf-8")
    good.write_text(text + "markdown_extensions:\n  - pymdownx.snippets\n", encoding="utf-8")
    result = build(good, "--verbose")
    assert result.returncode == 0, result.stderr
    said = "pages are not cached: the extension pymdownx.snippets reads other files"
    assert result.stderr.count(said) == 1  # once a build, not once a page
    assert not _PAGES.findall(result.stderr)
    assert not (good.parent / ".cache" / "plandocs" / "pages").exists()


def test_page_cache_false_turns_it_off(good: Path) -> None:
    fresh_site(good, good.parent.parent / "fresh")
    assert not (good.parent / ".cache" / "plandocs" / "pages").exists()


@pytest.mark.parametrize(
    ("extensions", "reader"),
    [
        (["toc", "tables"], None),
        (["pymdownx.snippets"], "pymdownx.snippets"),
        (["pymdownx.snippetsextra"], None),  # a name that only starts like one
        (["markdown_include.include"], "markdown_include.include"),
    ],
)
def test_file_reading_extension(extensions: list[str], reader: str | None) -> None:
    assert file_reading_extension(extensions) == reader


def _formatter() -> None:
    """A function named in a configuration."""


class _Thing:
    pass


def test_stable_is_the_same_in_every_process() -> None:
    value = {"b": [1, _formatter], "a": {"x": _Thing()}, "c": {3, 1}}
    assert stable(value) == {
        "a": {"x": re.sub(r" at 0x[0-9a-fA-F]+", "", repr(_Thing()))},
        "b": [1, "tests.test_page_cache._formatter"],
        "c": [1, 3],
    }
    assert " at 0x" not in str(stable(value))


_FILES = re.compile(r"plandocs: files: (\d+) parsed, (\d+) from the cache")


def parsed(config: Path) -> tuple[int, ...]:
    """(parsed, from the cache) of one verbose build."""
    return verbose_counts(config, _FILES)


def test_a_damaged_page_store_converts_every_page_again(good: Path) -> None:
    converted, _, _, _ = counts(good)
    first = site_files(good.parent / "s")
    (store,) = (good.parent / ".cache" / "plandocs" / "pages").glob("*.sqlite")
    store.write_bytes(b"not a database " * 1000)
    assert counts(good) == (converted, 0, 0, 0)
    assert site_files(good.parent / "s") == first
    assert counts(good) == (0, converted, 0, 0)


def test_a_rebuild_parses_only_the_files_that_changed(good: Path) -> None:
    total, cached = parsed(good)
    assert total > 5 and cached == 0
    assert parsed(good) == (0, total)
    parser = good.parent / "orders" / "ORDER_WRK_1_CP1_PARSER.md"
    edit(parser, "priority: high", "priority: low")
    assert parsed(good) == (1, total - 1)
    site = site_files(good.parent / "s")
    assert (
        "plandocs-badge--priority-low" in site["orders/ORDER_WRK_1_CP1_PARSER/index.html"].decode()
    )
    assert site == fresh_site(good, good.parent.parent / "fresh")


def test_a_rebuild_from_parsed_files_finds_the_same_references(good: Path) -> None:
    """The references in each file's text are kept with its parse: a build that parses
    nothing still reports a reference to nothing, and still lists each mention."""
    notes = good.parent / "docs" / "notes.md"
    notes.write_text(
        "# Notes\n\n## Plans\n\nAfter ORDER-WRK-1-CP1-001 comes ORDER-WRK-1-CP1-999.\n",
        encoding="utf-8",
    )

    def warnings() -> list[str]:
        result = build(good)
        assert result.returncode == 0, result.stderr
        return [line for line in result.stderr.splitlines() if "unknown-ref" in line]

    first = warnings()
    assert len(first) == 1 and "notes.md:5" in first[0] and "ORDER-WRK-1-CP1-999" in first[0]
    site = site_files(good.parent / "s")
    mention = '<a href="../../notes/">Notes — Plans</a>'
    assert mention in site["orders/ORDER_WRK_1_CP1_PARSER/index.html"].decode()
    assert parsed(good)[0] == 0
    assert warnings() == first
    assert site_files(good.parent / "s") == site


def test_new_settings_or_a_damaged_cache_file_parse_everything_again(good: Path) -> None:
    total, _ = parsed(good)
    (record,) = (good.parent / ".cache" / "plandocs" / "parsed").glob("*.pickle")
    record.write_bytes(b"not a pickle")
    assert parsed(good) == (total, 0)
    text = good.read_text(encoding="utf-8")
    good.write_text(text.replace("  - plandocs:\n", "  - plandocs:\n      output_dir: plan\n"))
    assert parsed(good) == (total, 0)


_FRAGMENTS = re.compile(r"plandocs: fragments: (\d+) rendered, (\d+) from the cache")
_ROWS = re.compile(r"\(table rows: (\d+) rendered, (\d+) from the cache\)")


def fragments(config: Path) -> tuple[int, ...]:
    """(rendered, from the cache) of one verbose build."""
    return verbose_counts(config, _FRAGMENTS)


def test_cards_and_tables_are_rendered_again_only_when_their_data_or_template_changed(
    good: Path,
) -> None:
    total, cached = fragments(good)
    assert total > 10 and cached == 0
    assert fragments(good) == (0, total)
    # a new priority: the order's card and its rows in the orders tables
    parser = good.parent / "orders" / "ORDER_WRK_1_CP1_PARSER.md"
    edit(parser, "priority: high", "priority: low")
    rendered, cached = fragments(good)
    assert 0 < rendered < total / 2 and rendered + cached == total
    # a template override: every card again, and the override shows
    templates = good.parent / "overrides"
    templates.mkdir()
    card = resources.files("plandocs.render") / "templates" / "card.html"
    (templates / "card.html").write_text(
        card.read_text(encoding="utf-8").replace(
            '<dl class="plandocs-card__fields">', '<dl class="plandocs-card__fields" data-x="1">'
        ),
        encoding="utf-8",
    )
    text = good.read_text(encoding="utf-8")
    good.write_text(
        text.replace("  - plandocs:\n", "  - plandocs:\n      templates_dir: overrides\n")
    )
    rendered, _ = fragments(good)
    assert rendered >= 3
    site = site_files(good.parent / "s")
    page = site["orders/ORDER_WRK_1_CP1_PARSER/index.html"].decode()
    assert 'data-x="1"' in page and "plandocs-badge--priority-low" in page
    assert site == fresh_site(good, good.parent.parent / "fresh")


def test_a_new_title_renders_again_only_the_table_rows_that_show_it(good: Path) -> None:
    orders, cached = verbose_counts(good, _ROWS)  # each order's row, rendered once
    assert orders >= 4 and cached == 0
    assert verbose_counts(good, _ROWS) == (0, 0)  # the tables came whole from the cache
    parser = good.parent / "orders" / "ORDER_WRK_1_CP1_PARSER.md"
    edit(parser, "title: Order file parser", "title: Order file reader")
    rendered, cached = verbose_counts(good, _ROWS)
    # its own row, and the renderer's, which depends on it (the link's tooltip is the title)
    assert (rendered, cached) == (2, orders - 2)
    site = site_files(good.parent / "s")
    assert (
        'plandocs-title-link" href="../../orders/ORDER_WRK_1_CP1_PARSER/">Order file reader</a>'
        in site["planning/orders/index.html"].decode()
    )
    assert site == fresh_site(good, good.parent.parent / "fresh")


def test_a_page_read_twice_in_one_build_gets_the_repaired_text_again(tmp_path: Path) -> None:
    """The plugin hands each page's text to MkDocs once and lets it go; a second read (a
    plugin that renders a page again) decodes and repairs the file once more."""
    source = tmp_path / "page.md"
    source.write_bytes(
        "# Page\n\nA tree: \u2502 and \u2514\u2500\u2500\n".encode().decode("mac_roman").encode()
    )
    plugin = PlandocsPlugin()
    config = SimpleNamespace(config_file_path=str(tmp_path / "mkdocs.yml"), use_directory_urls=True)
    plugin.build = Build({}, Settings(), config, "build", False)  # type: ignore[arg-type]
    plugin.build.project = object()  # type: ignore[assignment]  # any project: read_source asks
    plugin.build.texts = {"page.md": ("# Page\n\nthe text the core read\n", "docs/page.md")}
    page = SimpleNamespace(file=SimpleNamespace(src_uri="page.md", abs_src_path=str(source)))
    first = plugin.on_page_read_source(page, config)  # type: ignore[arg-type]
    assert first == "# Page\n\nthe text the core read\n" and plugin.build.texts == {}
    again = plugin.on_page_read_source(page, config)  # type: ignore[arg-type]
    assert again == "# Page\n\nA tree: \u2502 and \u2514\u2500\u2500\n"
    other = SimpleNamespace(file=SimpleNamespace(src_uri="other.md", abs_src_path=str(source)))
    assert plugin.on_page_read_source(other, config) is None  # type: ignore[arg-type]


def test_a_remembered_value_is_read_once_a_build_and_keys_its_fragments_the_same(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An order's row is in the keys of four tables or more: its JSON is worked out once
    while remembered, and the keys are those it would have without."""
    cache = FragmentCache(tmp_path / "f.sqlite", Environment(loader=DictLoader({})))
    row = {"id": "ORDER-WRK-1-CP1-001", "title": "Parser", "adrs": ["ADR-001"]}
    keys = [
        cache.key("orders_table.html", "planning/orders.md", {"rows": [row]}),
        cache.key("orders_row.html", "", {"o": row}),
    ]
    read: list[object] = []
    digest = fragment_cache._value_digest
    monkeypatch.setattr(fragment_cache, "_value_digest", lambda v: read.append(v) or digest(v))
    cache.remember([row])
    assert cache.key("orders_table.html", "planning/orders.md", {"rows": [row]}) == keys[0]
    assert cache.key("orders_row.html", "", {"o": row}) == keys[1]
    assert read == [row]
    twin = dict(row)  # equal, not remembered: read each time, same key
    assert cache.key("orders_row.html", "", {"o": twin}) == keys[1]
    assert cache.key("orders_row.html", "", {"o": twin}) == keys[1]
    assert len(read) == 3
    cache.forget()
    assert cache.key("orders_row.html", "", {"o": row}) == keys[1]
    assert len(read) == 4
    # a different value keys differently, in a list or alone
    other = {**row, "title": "Reader"}
    assert cache.key("orders_row.html", "", {"o": other}) != keys[1]
    assert cache.key("orders_table.html", "planning/orders.md", {"rows": [row, other]}) != keys[0]


def test_recent_fragments_are_read_from_memory_in_the_next_build_and_bounded(
    tmp_path: Path,
) -> None:
    """Under ``mkdocs serve --dirty`` small fragments stay in memory across rebuilds (a
    table rendered again reads its rows from there); a big one stays in the store only,
    and the oldest go first past the limit."""
    env = Environment(loader=DictLoader({}))
    recent = fragment_cache.Recent(limit=30)
    first = FragmentCache(tmp_path / "f.sqlite", env, recent=recent)
    made: list[str] = []

    def make(text: str) -> Callable[[], str]:
        def made_now() -> str:
            made.append(text)
            return text

        return made_now

    row = first.render("orders_row.html", "", {"o": {"id": "A"}}, make("<tr>A</tr>"))
    big = "<table>" + "x" * fragment_cache.Recent.SMALL + "</table>"
    table = first.render("orders_table.html", "p.md", {"rows": ["A"]}, make(big))
    assert (row, table, made) == ("<tr>A</tr>", big, ["<tr>A</tr>", big])
    assert list(recent.records.values()) == ["<tr>A</tr>"]
    first.close(prune=False)
    (tmp_path / "f.sqlite").unlink()  # the next build finds the row without the store
    second = FragmentCache(tmp_path / "f.sqlite", env, recent=recent)
    assert second.render("orders_row.html", "", {"o": {"id": "A"}}, make("again")) == "<tr>A</tr>"
    assert second.hits == 1 and made == ["<tr>A</tr>", big]
    # a changed row is a new key: rendered, and kept; past 30 characters the oldest goes
    for name in "BCDE":
        second.render("orders_row.html", "", {"o": {"id": name}}, make(f"<tr>{name}</tr>"))
    assert list(recent.records.values()) == ["<tr>C</tr>", "<tr>D</tr>", "<tr>E</tr>"]
    assert recent.size == 30
    second.close(prune=False)


def test_a_fragment_key_is_the_same_for_equal_data_however_it_was_made(tmp_path: Path) -> None:
    """Keys are digests of the data, not of how Python holds it: a string shared, interned
    or built anew keys the same; a ``Markup`` (which marshal refuses) keys as its text."""
    cache = FragmentCache(tmp_path / "f.sqlite", Environment(loader=DictLoader({})))
    shared = "ORDER-WRK-1-CP1-001"
    one = {"id": shared, "refs": [shared, shared], "n": 1}
    built = "".join(["ORDER-WRK-", "1-CP1-001"])
    two = {"id": sys.intern(built), "refs": [built, "-".join(["ORDER", "WRK", "1", "CP1", "001"])]}
    two["n"] = 1
    assert cache.key("t.html", "p.md", {"o": one}) == cache.key("t.html", "p.md", {"o": two})
    assert cache.key("t.html", "p.md", {"o": {**one, "n": True}}) != cache.key(
        "t.html", "p.md", {"o": one}
    )
    marked = {"svg": Markup("<svg/>")}
    assert cache.key("t.html", "p.md", marked) == cache.key("t.html", "p.md", marked)
    assert cache.key("t.html", "p.md", marked) != cache.key("t.html", "p.md", {"svg": "<svg/>"})


def test_which_files_are_excluded_is_part_of_every_page_key(tmp_path: Path) -> None:
    """MkDocs says, while converting a page, that it links to an excluded file: a file
    excluded since the last build converts every page again."""
    from mkdocs.config.defaults import MkDocsConfig  # noqa: PLC0415
    from mkdocs.structure.files import File, Files, InclusionLevel  # noqa: PLC0415

    from plandocs.mkdocs.page_cache import build_salt  # noqa: PLC0415

    config = MkDocsConfig()
    config.load_dict({"site_name": "t", "docs_dir": str(tmp_path), "site_dir": str(tmp_path / "s")})
    config.validate()

    def salt(level: InclusionLevel) -> str:
        notes = File("notes.md", str(tmp_path), str(tmp_path / "s"), False, inclusion=level)
        return build_salt(config, Files([notes]))

    assert salt(InclusionLevel.INCLUDED) != salt(InclusionLevel.EXCLUDED)
    assert salt(InclusionLevel.INCLUDED) == salt(InclusionLevel.INCLUDED)


def test_plandocs_own_code_is_part_of_every_page_key() -> None:
    """Its Markdown extension reads core's fence rules: any change of its code converts
    again, though an editable checkout keeps its version."""
    from plandocs.cache.parsed import code_digest  # noqa: PLC0415
    from plandocs.mkdocs import page_cache  # noqa: PLC0415

    assert code_digest() in page_cache._versions()


def test_a_row_keeps_its_digest_and_its_links_across_the_rebuilds_of_a_serve(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Under ``mkdocs serve --dirty`` the rows of the last build that did not change are the
    same values again (``Views``): their digests are not worked out again, and a table's
    row with its links from a page (``derived``) is made once while builds ask for it."""
    env = Environment(loader=DictLoader({}))
    recent = fragment_cache.Recent()
    same, edited = {"id": "A"}, {"id": "B"}
    digested: list[object] = []
    real = fragment_cache._value_digest
    monkeypatch.setattr(fragment_cache, "_value_digest", lambda v: digested.append(v) or real(v))
    made: list[str] = []
    for number, rows in enumerate(([same, edited], [same, {"id": "B", "title": "new"}])):
        recent.turn()
        cache = FragmentCache(tmp_path / "f.sqlite", env, recent=recent)
        cache.remember(rows)
        cache.key("orders_table.html", "p.md", {"rows": rows})
        for row in rows:
            cache.derived((row["id"], "p/"), lambda row=row: made.append(row["id"]) or row["id"])
        cache.forget()
        cache.close(prune=False)
        if number == 0:
            assert digested == [same, edited] and made == ["A", "B"]
    assert digested == [same, edited, rows[1]]  # the row that changed, only
    assert made == ["A", "B"]  # the same keys: the texts kept from the last build
    recent.turn()  # a build that asks for none of them
    recent.turn()
    assert recent.derived(("A", "p/"), lambda: "made again") == "made again"
