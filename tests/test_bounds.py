"""Every input is bounded: hostile frontmatter, deep quotes and long lines give findings or
a clean build, never a traceback or a hang; messages quote little and name paths relative
to the project.

Builds and scans run in a subprocess with a generous timeout: a hang guard, not a timing.
"""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest

from plandocs.mkdocs.internals import page_record
from plandocs.project.load import shown_path

from .conftest import parse

ROOT = Path(__file__).resolve().parent.parent
ENV = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "PYTHONIOENCODING": "utf-8"}
BIN = Path(sys.executable).parent
GUARD = 120  # seconds: a hang guard for a build of three pages

MKDOCS_YML = """\
site_name: Bounds
theme:
  name: material
plugins:
  - plandocs:
      orders_dir: orders
"""

BOMB = "".join(
    [
        '  l0: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]\n',
        *(
            f"  l{level}: &{chr(97 + level)} [{', '.join(['*' + chr(96 + level)] * 9)}]\n"
            for level in range(1, 9)
        ),
    ]
)


def project(tmp_path: Path, files: dict[str, str]) -> Path:
    (tmp_path / "mkdocs.yml").write_text(MKDOCS_YML, encoding="utf-8")
    for name, text in {"docs/index.md": "# Home\n", **files}.items():
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return tmp_path


def run(root: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(BIN / args[0]), *args[1:]],
        cwd=root,
        env=ENV,
        capture_output=True,
        text=True,
        timeout=GUARD,
        check=False,
    )


HOSTILE = {
    "orders/ORDER_WRK_1_CP1_DATE.md": "---\nid: ORDER-WRK-1-CP1-001\ndate: 2024-13-45\n---\n# D\n",
    # an alias bomb: the keys that build it up, and the field that would expand it
    "orders/ORDER_WRK_1_CP1_BOMB.md": (
        "---\nid: ORDER-WRK-1-CP1-002\nx:\n" + BOMB + "depends_on: *i\ntitle: *i\n---\n# B\n"
    ),
    "orders/ORDER_WRK_1_CP1_TAG.md": (
        "---\nid: ORDER-WRK-1-CP1-003\nowner: !!python/object/apply:os.system [echo hi]\n---\n# T\n"
    ),
    "orders/ORDER_WRK_1_CP1_KEYS.md": (
        "---\nid: ORDER-WRK-1-CP1-004\nstatus: done\nstatus: review\n---\n# K\n"
    ),
    "orders/ORDER_WRK_1_CP1_MAPS.md": "---\nid: {a: 1}\ntitle: {b: [1, null]}\n---\n# M\n",
    "orders/ORDER_WRK_1_CP1_LONG.md": (
        "---\nid: ORDER-WRK-1-CP1-005\n---\n# L\n\n**Status**: " + "x" * 100_180 + "\n"
    ),
}

#: each problem once, at its line, quoting at most 80 characters
HOSTILE_FINDINGS = [
    "orders/ORDER_WRK_1_CP1_BOMB.md:3: warning: 'x', 'depends_on', 'title' would hold more than "
    "10,000 values once YAML aliases (*name) are expanded; they are ignored, write the values "
    "out [plandocs.bad-field]",
    "orders/ORDER_WRK_1_CP1_DATE.md:3: warning: 'date': '2024-13-45' is not a date (month must "
    "be in 1..12); write a date as YYYY-MM-DD, or quote the value to keep it as text "
    "[plandocs.bad-field]",
    "orders/ORDER_WRK_1_CP1_KEYS.md:4: warning: key 'status' is given again (first on line 3); "
    "the last value is used (this one), remove the others [plandocs.bad-field]",
    "orders/ORDER_WRK_1_CP1_LONG.md:6: warning: unknown status '" + "x" * 80 + "\u2026'; use one "
    "of planned, pending, ready, in_progress, blocked, review, done, cancelled "
    "[plandocs.unknown-value]",
    "orders/ORDER_WRK_1_CP1_MAPS.md:2: warning: 'id' must be one order ID, not a mapping "
    "('{a: 1}') [plandocs.bad-field]",
    "orders/ORDER_WRK_1_CP1_MAPS.md:3: warning: 'title' must be text, not a mapping "
    "('{b: [1, null]}') [plandocs.bad-field]",
    "orders/ORDER_WRK_1_CP1_TAG.md:3: warning: 'owner': YAML tag '!!python/object/apply:os.system' "
    "is not read; the value is taken as it is written, remove the tag [plandocs.bad-field]",
]


def test_check_reports_hostile_frontmatter_once_each(tmp_path: Path) -> None:
    root = project(tmp_path, HOSTILE)
    done = run(root, "plandocs", "check")
    assert "Traceback" not in done.stderr
    lines = [line for line in done.stdout.splitlines() if "[plandocs." in line]
    assert lines == HOSTILE_FINDINGS
    assert done.returncode == 1


def test_a_build_survives_hostile_pages(tmp_path: Path) -> None:
    """Quotes 1,000 and 10,000 deep, a title that an alias bomb would expand in MkDocs'
    own reading of the page, elements with an empty id (page cache on: built twice), long
    lines of unclosed pieces."""
    root = project(
        tmp_path,
        {
            **HOSTILE,
            "docs/quote-1k.md": "# Q\n\n" + ">" * 1_000 + " deep\n",
            "docs/quote-10k.md": "# Q\n\n" + ">" * 10_000 + " deeper - a\n",
            "docs/noid.md": "# N\n\n<p id>x</p>\n\n<a name>y</a>\n",
            "docs/braces.md": "# B\n\n" + "{" * 100_000 + "\n",
            "docs/anchors.md": "# A\n\n" + "<a>" * 3_000 + "\n",
            "docs/ticks.md": "# T\n\n" + "`" * 10_000 + "x\n",
        },
    )
    for _ in range(2):
        done = run(root, "mkdocs", "build")
        assert "Traceback" not in done.stderr, done.stderr[-2000:]
        assert done.returncode == 0
        logged = done.stderr.splitlines()
        found = [line.split("plandocs: ", 1)[1] for line in logged if "plandocs: " in line]
        assert [f.replace(" warning:", "") for f in HOSTILE_FINDINGS] == found
    assert "deeper" in (root / "site/quote-10k/index.html").read_text(encoding="utf-8")


def test_long_lines_are_scanned_in_linear_time() -> None:
    """Lines of 200,000 characters of what opens a protected piece (or a path) and never
    closes it; each took seconds to minutes while the scan was quadratic."""
    script = textwrap.dedent(
        """
        from plandocs.core.links import LinkIndex, link_references, scan_page
        from plandocs.core.model import SourceDoc
        from plandocs.core.parse.documents import parse_document
        from plandocs.core.scaffold import AdrEdit, edit_adr
        from plandocs.core.settings import Settings

        settings = Settings()
        units = ["{", "<a>", "<a ", "<b", "`", "``x", "a/", "[](", "[[a", " ", "#", " #"]
        units += ["[a](", "|", "-", "~~"]  # an ADR's status placeholder, tables, struck words
        units += ["[a](b)"]  # links in a placeholder that never closes: once exponential
        for unit in units:
            line = (unit * (200_000 // len(unit)))
            for text in (
                f"# T\\n\\n{line}x\\n", f"## {line}x\\n", f"**Status**: a{line}x\\n",
                f"# 1. T\\n\\n* Status: [{line}]\\n", f"# 1. T\\n\\n|{line}x\\n",
                f"# 1. T\\n\\nStatus: [{line}\\n",
                f"# 1. T\\n\\n## Status\\n\\nsuperseded{line}x\\n",  # a relation's line
            ):
                scan_page(text, settings)
                link_references(text, "x.md", LinkIndex(settings, {}))
                parse_document(SourceDoc(path="x.md", uri="x.md", text=text), settings)
                adr = SourceDoc(path="docs/adr/0001-t.md", uri="adr/0001-t.md", text=text)
                parse_document(adr, settings)
                edit_adr(text, AdrEdit("docs/adr/0001-t.md", "Superseded by", "[2](2.md)", True))
        """
    )
    subprocess.run([sys.executable, "-c", script], cwd=ROOT, env=ENV, timeout=GUARD, check=True)


def test_a_page_record_keeps_anchors_without_a_name() -> None:
    """``<p id>`` puts None among a page's anchor ids; the page cache records it."""
    page: Any = SimpleNamespace(
        content="<p>x</p>",
        toc=[],
        _title_from_render="T",
        present_anchor_ids={"b", None, "a"},
        links_to_anchors=None,
    )
    record = page_record(page)
    assert record is not None
    assert record["anchors"] == ["a", "b", None]


def test_links_and_linked_folders_are_named_inside_the_project(tmp_path: Path) -> None:
    outside, root = tmp_path / "outside", tmp_path / "project"
    (outside / "folder").mkdir(parents=True)
    (outside / "x.md").write_text("# X\n", encoding="utf-8")
    (outside / "folder" / "y.md").write_text("# Y\n", encoding="utf-8")
    (root / "docs").mkdir(parents=True)
    (root / "docs" / "link.md").symlink_to(outside / "x.md")
    (root / "docs" / "dead.md").symlink_to(tmp_path / "nowhere.md")
    (root / "docs" / "linked").symlink_to(outside / "folder")
    (root / "docs" / "inside.md").write_text("# I\n", encoding="utf-8")
    (root / "docs" / "same.md").symlink_to(root / "docs" / "inside.md")
    cases = {
        root / "docs" / "link.md": "docs/link.md",
        root / "docs" / "dead.md": "docs/dead.md",
        root / "docs" / "linked" / "y.md": "docs/linked/y.md",
        root / "docs" / "sub" / ".." / "link.md": "docs/link.md",
        root / "docs" / "same.md": "docs/inside.md",  # a file of the project, by its name
        outside / "x.md": (outside / "x.md").as_posix(),  # outside the project: absolute
    }
    assert {path: shown_path(root, path) for path in cases} == cases


@pytest.mark.parametrize(
    ("front", "message"),
    [
        ("id: {a: 1}", "'id' must be one order ID, not a mapping ('{a: 1}')"),
        ("id: [ORDER-A-1, ORDER-A-2]", "'id' must be one order ID, not a list"),
        ("id: ORDER-A-1\ntitle: {a: 1}", "'title' must be text, not a mapping ('{a: 1}')"),
        ("id: ORDER-A-1\ntitle: [a, b]", "'title' must be text, not a list ('[a, b]')"),
        ("id: ORDER-A-1\ndepends_on: [{a: 1}]", "'{a: 1}' in 'depends_on' names no order"),
    ],
)
def test_a_value_of_the_wrong_shape_is_one_finding_without_a_python_repr(
    front: str, message: str
) -> None:
    parsed = parse(f"---\n{front}\n---\n# T\n", uri="orders/ORDER_A_1.md")
    found = [d.message for d in parsed.diagnostics if d.code == "plandocs.bad-field"]
    assert len(found) == 1, found
    assert found[0].startswith(message)
