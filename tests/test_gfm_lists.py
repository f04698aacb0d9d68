"""Lists render as GitHub renders them: Markdown in, HTML out."""

from __future__ import annotations

import re

import markdown
import pytest

from plandocs.render.gfm_lists import normalize_lists


def render(text: str) -> str:
    html = markdown.markdown(
        text, extensions=["tables", "fenced_code", "plandocs.render.gfm_lists"]
    )
    return re.sub(r">\s+<", "><", re.sub(r"\s+", " ", html))


@pytest.mark.parametrize(
    ("source", "html"),
    [
        pytest.param(
            "**Deliverable**: \n- one\n- two",
            "<p><strong>Deliverable</strong>: </p><ul><li>one</li><li>two</li></ul>",
            id="list-under-bold-line",
        ),
        pytest.param(
            "Some text\n1. one\n2. two",
            "<p>Some text</p><ol><li>one</li><li>two</li></ol>",
            id="ordered-list-under-paragraph",
        ),
        pytest.param(
            "1. **Parent**\n   - child a\n   - child b\n\n2. **Next**\n   - child c",
            "<ol><li><p><strong>Parent</strong></p><ul><li>child a</li><li>child b</li></ul></li>"
            "<li><p><strong>Next</strong></p><ul><li>child c</li></ul></li></ol>",
            id="three-space-nesting-under-ordered-item",
        ),
        pytest.param(
            "- a\n  - b\n    - c",
            "<ul><li>a<ul><li>b<ul><li>c</li></ul></li></ul></li></ul>",
            id="two-space-nesting",
        ),
        pytest.param(
            "- item\n  continued\n- next",
            "<ul><li>item continued</li><li>next</li></ul>",
            id="continuation-line",
        ),
        pytest.param(
            "```\ntext\n- not a list\n```",
            "<pre><code>text - not a list </code></pre>",
            id="fenced-code-untouched",
        ),
        pytest.param(
            "text\n\n    - indented code\n",
            "<p>text</p><pre><code>- indented code </code></pre>",
            id="indented-code-is-not-a-list",
        ),
        pytest.param("a\n---\n", "<h2>a</h2>", id="setext-heading-not-a-list"),
        pytest.param("x\n\n* * *\n", "<p>x</p><hr />", id="rule-not-a-list"),
        pytest.param(
            "Released in\n2024. Then we moved on.",
            "<p>Released in 2024. Then we moved on.</p>",
            id="ordered-list-not-starting-at-1-does-not-interrupt",
        ),
        pytest.param("Steps:\n3. third", "<p>Steps: 3. third</p>", id="steps-from-3"),
        pytest.param(
            "> Note:\n> - one\n> - two",
            "<blockquote><p>Note:</p><ul><li>one</li><li>two</li></ul></blockquote>",
            id="list-in-blockquote",
        ),
        pytest.param(
            "<pre>\nlog\n- item\n   - nested\n</pre>",
            "<pre>\nlog\n- item\n   - nested\n</pre>",
            id="raw-html-untouched",
        ),
        pytest.param(
            "| a |\n|---|\n| - b |",
            "<table><thead><tr><th>a</th></tr></thead><tbody><tr><td>- b</td></tr></tbody></table>",
            id="table-cell-untouched",
        ),
    ],
)
def test_render(source: str, html: str) -> None:
    if source.startswith("<pre>"):
        assert normalize_lists(source.split("\n")) == source.split("\n")
    else:
        assert render(source) == html


def test_empty_item_does_not_interrupt_a_paragraph() -> None:
    assert normalize_lists(["Title", "-"]) == ["Title", "-"]


def test_only_layout_changes() -> None:
    lines = ["**Blocks**: x", "- a", "   - b", "```", "- c", "```"]
    out = normalize_lists(lines)
    assert [line.strip() for line in out if line.strip()] == [line.strip() for line in lines]
    assert out[3:] == ["    - b", "```", "- c", "```"]


def test_seed_risk_items_nest() -> None:
    text = (
        "1. **Compilation Error (ORDER-WRK-3-CP2-001)**\n"
        "   - **Risk**: Blocks all Router work\n"
        "   - **Mitigation**: 4-hour SLA, immediate assignment\n"
    )
    assert "<li><p><strong>Compilation Error" not in render(text)  # tight, one item
    assert render(text).count("<ul>") == 1
    assert "<ol><li><strong>Compilation Error (ORDER-WRK-3-CP2-001)</strong><ul>" in render(text)


def test_fenced_code_stays_inside_its_item() -> None:
    # As on the site: pymdownx.superfences, which allows fences inside list items.
    source = "1. Build:\n\n   ```bash\n   make\n   ```\n\n2. Run"
    html = markdown.markdown(
        source, extensions=["pymdownx.superfences", "plandocs.render.gfm_lists"]
    )
    flat = re.sub(r">\s+<", "><", html)
    assert flat.count("<ol>") == 1 and flat.count("<li>") == 2
    assert flat.index("make") < flat.index("</li>")  # the code is in the first item
    assert "<p>Run</p>" in flat


@pytest.mark.parametrize(
    "source",
    [
        pytest.param("- item\n\n    !!! note\n        body\n", id="admonition-in-item"),
        pytest.param(
            '1. Install:\n\n    === "pip"\n\n        ```\n        pip x\n        ```\n', id="tabs"
        ),
        pytest.param("* item\n\n        code\n", id="indented-code-in-item"),
    ],
)
def test_mkdocs_style_content_is_left_where_it_is(source: str) -> None:
    assert normalize_lists(source.split("\n")) == source.split("\n")


def test_a_heading_ends_the_list() -> None:
    source = "- Install the tool\n## Usage\n  - run it\n  - check it"
    assert render(source) == (
        "<ul><li>Install the tool</li></ul><h2>Usage</h2><ul><li>run it</li><li>check it</li></ul>"
    )


def test_html_after_a_list_is_untouched() -> None:
    lines = ["- item", "", "<pre>", "text", "1. foo", "</pre>"]
    assert normalize_lists(lines) == lines


def test_an_item_right_after_a_fence_stays_in_the_list() -> None:
    source = "1. a\n   - b\n\n   ```\n   x\n   ```\n   - c"
    html = markdown.markdown(
        source, extensions=["pymdownx.superfences", "plandocs.render.gfm_lists"]
    )
    assert "<li>c</li>" in re.sub(r"\s+", " ", html).replace("<li> ", "<li>").replace(
        " </li>", "</li>"
    )


def test_github_style_indented_code_in_an_item() -> None:
    # "- a" has its text at column 2, so six spaces is code; "- b" is the next item.
    assert render("- a\n\n      code\n- b\n") == (
        "<ul><li><p>a</p><pre><code>code </code></pre></li><li><p>b</p></li></ul>"
    )


def test_a_tight_list_with_code_stays_tight() -> None:
    source = "1. Build:\n   ```bash\n   make\n   ```\n2. Test\n"
    html = markdown.markdown(
        source, extensions=["pymdownx.superfences", "plandocs.render.gfm_lists"]
    )
    assert "<p>" not in html
    assert html.count("<li>") == 2


@pytest.mark.parametrize("depth", [1_000, 10_000])
def test_quotes_nest_as_deep_as_written_without_recursion(depth: int) -> None:
    """Each level of a blockquote is normalised like the page (a list under a paragraph
    gets its blank line) however deep: Python's recursion limit is 1,000."""
    marks = ">" * depth
    out = normalize_lists([f"{marks} Text", f"{marks} 1. one", "", "after"])
    prefix = "> " * depth
    assert out == [prefix + "Text", prefix.rstrip(), prefix + "1. one", "", "after"]
