"""Lists render as GitHub renders them: Markdown in, HTML out."""

from __future__ import annotations

import re

import markdown
import pytest

from plandocs.mdext.gfm_lists import normalize_lists


def render(text: str) -> str:
    html = markdown.markdown(text, extensions=["tables", "fenced_code", "plandocs.mdext.gfm_lists"])
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
            "| a |\n|---|\n| - b |",
            "<table><thead><tr><th>a</th></tr></thead><tbody><tr><td>- b</td></tr></tbody></table>",
            id="table-cell-untouched",
        ),
    ],
)
def test_render(source: str, html: str) -> None:
    assert render(source) == html


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
