"""Placeholders cannot be produced by a page's text: a writer who types one sees it as
written, and no page pulls in another's card, table or diagram."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from plandocs.core.links import Target
from plandocs.core.urls import SiteUrls
from plandocs.render.tokens import CANONICAL, Placeholders, Tokens, quoted

from .test_config import build
from .test_diagram import needs_dot, write_chain

# what tokens looked like before they held a secret: each kind, the first numbers
FORGED = [f"plandocsfrag{kind}{number}x" for kind in "ELDR" for number in (0, 1, 7)]
HOME = (
    "# Home plandocsfragL0x\n\n"
    "Text plandocsfragR0x and plandocsfragE0x, plandocsfragD0x.\n\n"
    + " ".join(f"`{token}`" for token in FORGED)
    + "\n\n```text\n"
    + "\n".join(FORGED)
    + "\n```\n\n"
    "## Heading plandocsfragD0x\n\n"
    "[link plandocsfragL0x](https://example.com/plandocsfragR0x)\n\n"
    'Attributes\n{: title="plandocsfragL1x" }\n\n'
    '<div title="plandocsfragR0x">raw plandocsfragL0x</div>\n\n'
    "plandocsfragL1x\n\n"
    "plandocsfragD0x\n\n"
    "<!--plandocsfragL0x-->\n"
)


def test_a_token_holds_the_build_s_secret_and_the_cache_s_form_none() -> None:
    one, two = Tokens(), Tokens()
    assert one.secret != two.secret and len(one.secret) == 12
    assert one.pattern.fullmatch(one.make("L", 3))
    assert not two.pattern.search(one.make("L", 3))
    assert not one.pattern.search(" ".join(FORGED))
    assert CANONICAL.make("D", 4) == "plandocsfragD4x"
    assert one.left_in(one.make("L", 3).replace("x", ""))
    assert not one.left_in(" ".join(FORGED))
    assert quoted("see `plandocsfragL0x`", one) and quoted("PlandocsFrag", one)
    assert not quoted(f"a {one.make('R', 12)} b", one)


def test_placeholders_let_go_of_their_fragments_once_every_page_is_written() -> None:
    marks = Placeholders(Tokens(), SiteUrls())
    card = marks.late(lambda: "<div>card</div>\n")
    link = marks.link(Target("A-1", "orders/a.md", None, "Order A"), "A-1", local=False)
    assert link is not None
    page = marks.after_markdown(f"<p>{card}</p>\n<p>See {link}.</p>")
    assert marks.finish(page, "index.md") == (
        '<div>card</div>\n<p>See <a href="orders/a/" title="Order A">A-1</a>.</p>'
    )
    marks.release()  # the end of the build: nothing is held for its pages any more
    assert marks.fragments == []
    with pytest.raises(KeyError):  # the link's target, text and place are gone too
        marks.finish(marks.after_markdown(f"<p>See {link}.</p>"), "index.md")


@needs_dot
def test_forged_tokens_in_a_page_show_as_written_and_pull_nothing(tmp_path: Path) -> None:
    config = write_chain(tmp_path)
    config.write_text(
        config.read_text(encoding="utf-8").replace("plugins:\n", "plugins:\n  - search\n")
        + "markdown_extensions:\n  - attr_list\n  - toc:\n      permalink: true\n",
        encoding="utf-8",
    )
    (tmp_path / "docs" / "index.md").write_text(HOME, encoding="utf-8")
    # an order page that quotes tokens keeps its own card and diagram; a title that holds
    # one (in the nav, tables and cards of other pages) is text
    order = tmp_path / "orders" / "ORDER_B_1.md"
    order.write_text(
        order.read_text(encoding="utf-8").replace("title: Order B", 'title: "B plandocsfragL0x"')
        + "\nQuoted: `plandocsfragL0x`, `plandocsfragD0x`.\n\nplandocsfragL0x\n",
        encoding="utf-8",
    )
    result = build(config, "--strict")
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr and "fragment-lost" not in result.stderr
    site = tmp_path / "s"
    home = (site / "index.html").read_text(encoding="utf-8")
    for token in FORGED:  # each as written, in a code span and in the fenced block
        assert f"<code>{token}</code>" in home
        assert re.search(rf"(^|<code[^>]*>){token}$", home, re.MULTILINE)
    assert 'title="plandocsfragL1x"' in home and 'title="plandocsfragR0x"' in home
    assert "<p>plandocsfragL1x</p>" in home and "<!--plandocsfragL0x-->" in home
    assert '<a href="https://example.com/plandocsfragR0x">link plandocsfragL0x</a>' in home
    # nothing of another page: no card, no orders table, no diagram
    article = home[home.index("<article") : home.index("</article>")]
    for other in ("plandocs-card", 'class="graph"', "<table", "plandocs-diagram"):
        assert other not in article
    b_page = (site / "orders" / "ORDER_B_1" / "index.html").read_text(encoding="utf-8")
    assert b_page.count('class="plandocs-card"') == 1 and b_page.count('class="graph"') == 1
    assert "<code>plandocsfragL0x</code>" in b_page and "<p>plandocsfragL0x</p>" in b_page
    index = (site / "planning" / "orders" / "index.html").read_text(encoding="utf-8")
    assert "B plandocsfragL0x" in index and index.count('class="plandocs-card"') == 0
    search = (site / "search" / "search_index.json").read_text(encoding="utf-8")
    assert "plandocsfragR0x" in search  # the writer's text is searchable as written
    # the next build, from the page cache, gives the same bytes
    first = {p: p.read_bytes() for p in site.rglob("*.html")}
    again = build(config, "--strict")
    assert again.returncode == 0, again.stderr
    assert {p: p.read_bytes() for p in site.rglob("*.html")} == first
