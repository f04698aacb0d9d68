from __future__ import annotations

import pytest

from plandocs.parse.frontmatter import read


def test_key_lines_and_body_start() -> None:
    text = "---\nid: ORDER-A-1\nto: wrk-3\n---\n# Title\n"
    front = read(text)
    assert front.data == {"id": "ORDER-A-1", "to": "wrk-3"}
    assert front.key_lines == {"id": 2, "to": 3}
    assert text.split("\n")[front.body_start] == "# Title"
    assert front.error is None


def test_no_frontmatter() -> None:
    front = read("# Title\n---\n")
    assert (front.present, front.data, front.body_start) == (False, {}, 0)


@pytest.mark.parametrize(
    ("text", "code", "line", "words"),
    [
        ("---\nid: ORDER-A-1\nstatus: [open\n---\nbody\n", "yaml-error", 4, "started on line 3"),
        ("---\nid: a\n  bad: indent\n---\n", "yaml-error", 3, "does not parse"),
        ("---\nid: a\n", "yaml-error", 1, "never closed"),
        ("---\n- a\n- b\n---\n", "bad-frontmatter", 2, "not a mapping"),
    ],
)
def test_errors_name_the_line(text: str, code: str, line: int, words: str) -> None:
    front = read(text)
    assert front.error is not None
    assert (front.error[0].name, front.error[1]) == (code, line)
    assert words in front.error[2]
