"""The writer's loop (issue 28) on edits whose pages hold none of the changed IDs: after each
edit of a ``mkdocs serve --dirty`` series (MkDocs' dirty build, in a process of its own, as
``mkdocs serve --dirty`` runs it), every page is the page a clean build writes.

Faster than ``test_writers_loop`` (no server): the dirty builds run in one process, each
clean build in a process of its own, and the pages are compared on disk."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from .test_writers_loop import CLEAN_BUILD
from .test_writers_loop import FILES as LOOP_FILES

#: the day of the builds (``schedule.build_day``): 2026-12-07
DAY = "1796601600"
ENV = {
    **os.environ,
    "NO_MKDOCS_2_WARNING": "1",
    "PYTHONIOENCODING": "utf-8",
    "SOURCE_DATE_EPOCH": DAY,
}
PORT = "8000"  # the clean build's address (test_writers_loop.CLEAN_BUILD)
URL = f"http://127.0.0.1:{PORT}/"

# The dirty builds: one process, as `mkdocs serve --dirty` keeps it (the plugin's loop).
DIRTY = r"""
import json, logging, os, subprocess, sys, time
from pathlib import Path
from mkdocs.config import load_config
from mkdocs.commands.build import build
class Lines(logging.Handler):  # the loop's line of each rebuild
    lines = []
    def emit(self, record):
        if record.getMessage().startswith("plandocs: ") and "changed" in record.getMessage():
            self.lines.append(record.getMessage())
logging.getLogger("mkdocs").addHandler(Lines())
logging.getLogger("mkdocs").setLevel(logging.INFO)
logging.getLogger("mkdocs").propagate = False
root, site = map(Path, sys.argv[1:3])
url = sys.argv[3]
edits = json.loads(Path(sys.argv[4]).read_text())
os.chdir(root)
def config(site_dir):
    c = load_config("mkdocs.yml", site_dir=str(site_dir)); c.site_url = url; return c
config(site).plugins.on_startup(command="serve", dirty=True)
build(config(site), serve_url=url, dirty=True)
def change(name, old, new):
    if name == "SOURCE_DATE_EPOCH":  # the day turns while the server runs, then a save
        os.environ[name], name, old, new = new, "docs/index.md", "The plan.", "The plan!"
    path = root / name
    text = path.read_text(encoding="utf-8")
    assert old in text, (name, old)
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
for n, edit in enumerate(edits):
    time.sleep(0.02)  # a newer file time than the last build's pages
    for one in edit if isinstance(edit[0], list) else [edit]:  # saved together
        change(*one)
    Lines.lines.clear()
    build(config(site), serve_url=url, dirty=True)
    print(json.dumps([n, Lines.lines]), flush=True)
    sys.stdin.readline()  # the test compares, then asks for the next edit
"""

MKDOCS_YML = """\
site_name: Review loop
theme:
  name: material
not_in_nav: |
  /orders/
nav:
  - Home: index.md
plugins:
  - plandocs:
      orders_dir: orders
      diagram_limit: 2
      phase_titles:
        CP1: Foundations
        CP2: Publishing
        CP3: Search
"""


def order(number: int, phase: str, status: str, depends: str = "", owner: str = "") -> str:
    deps = f"depends_on: [{depends}]\n" if depends else ""
    return (
        f"---\nid: ORDER-WRK-{number}-{phase}-00{number}\ntitle: Work {number}\n"
        f"to: {owner or f'wrk-{number}'}\npriority: medium\nstatus: {status}\n"
        f"phase: {phase}\n{deps}---\n\n"
        f"# ORDER-WRK-{number}-{phase}-00{number}: Work {number}\n\nSome work.\n"
    )


# CP1 has two orders and, as a stub, the CP2 order that waits for one of them: more boxes
# than diagram_limit, so CP1's diagram is summarised (CP2's stub a box "1 orders, 0 done").
FILES = {
    "mkdocs.yml": MKDOCS_YML,
    "docs/index.md": "# Home\n\nThe plan.\n",
    "orders/ORDER_WRK_1_CP1.md": order(1, "CP1", "in_progress"),
    "orders/ORDER_WRK_2_CP1.md": order(2, "CP1", "pending"),
    "orders/ORDER_WRK_3_CP2.md": order(3, "CP2", "pending", "ORDER-WRK-1-CP1-001"),
    "orders/ORDER_WRK_4_CP2.md": order(4, "CP2", "pending"),
    "orders/ORDER_WRK_5_CP3.md": order(5, "CP3", "pending"),
}


def pages(site: Path) -> dict[str, bytes]:
    return {str(p.relative_to(site)): p.read_bytes() for p in sorted(site.rglob("*.html"))}


def differences(dirty: Path, clean: Path) -> list[str]:
    a, b = pages(clean), pages(dirty)
    return sorted(name for name in a.keys() | b.keys() if a.get(name) != b.get(name))


#: a file, a text in it and what replaces it; or several, saved together
Edit = tuple[str, str, str] | list[tuple[str, str, str]]


def loop(
    tmp_path: Path,
    edits: list[Edit],
    files: dict[str, str] = FILES,
    lines: list[str] | None = None,
    git: bool = False,
) -> list[str]:
    """Each edit, in order, under a dirty build: the pages that differ from a clean build
    (and the loop's line of each rebuild in ``lines``); ``git``: the files committed first."""
    root = tmp_path / "project"
    for name, text in files.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(text, encoding="utf-8")
    if git:
        for command in (["init", "-q"], ["add", "."], ["commit", "-qm", "The plan"]):
            who = ["-c", "user.name=Writer", "-c", "user.email=writer@example.com"]
            subprocess.run(["git", *who, *command], cwd=root, check=True)
    (tmp_path / "edits.json").write_text(json.dumps(edits), encoding="utf-8")
    site = tmp_path / "dirty"
    args = [sys.executable, "-c", DIRTY, root, site, URL]
    found, env = [], ENV
    with subprocess.Popen(
        [*map(str, args), str(tmp_path / "edits.json")],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
        env=ENV,
    ) as dirty:
        assert dirty.stdin is not None and dirty.stdout is not None
        for n, edit in enumerate(edits):
            done, said = json.loads(dirty.stdout.readline())
            assert done == n
            if lines is not None:
                lines += said
            clean = tmp_path / f"clean{n}"
            command = [sys.executable, "-c", CLEAN_BUILD.replace("ENGINE", "mkdocs"), clean, PORT]
            if edit[0] == "SOURCE_DATE_EPOCH":
                env = {**env, "SOURCE_DATE_EPOCH": str(edit[2])}
            subprocess.run(
                list(map(str, command)), check=True, env=env, cwd=root, capture_output=True
            )
            found += [f"{edit}: {page}" for page in differences(site, clean)]
            dirty.stdin.write("\n")
            dirty.stdin.flush()
    assert dirty.returncode == 0
    return found


def test_a_summarised_phase_diagram_follows_its_stubs(tmp_path: Path) -> None:
    """CP1's summarised diagram counts the CP2 order that waits for one of its orders (a
    stub, by phase): that order finished or moved to CP1's other phase changes the box,
    though CP1's page holds none of its IDs."""
    name = "orders/ORDER_WRK_3_CP2.md"
    edits = [(name, "phase: CP2", "phase: CP3"), (name, "status: pending", "status: done")]
    assert loop(tmp_path, edits) == []


def test_an_owner_named_anew_on_every_timeline(tmp_path: Path) -> None:
    """An owner's name as written comes from its first order: written anew there, it
    changes the timeline of every phase with an order of that owner (its section and
    load strip), though CP2's page holds no ID of the order edited."""
    files = {**FILES, "orders/ORDER_WRK_4_CP2.md": order(4, "CP2", "pending", owner="wrk-2")}
    edits = [("orders/ORDER_WRK_2_CP1.md", "to: wrk-2", "to: Wrk-2")]
    assert loop(tmp_path, edits, files) == []


def test_the_day_turns_under_the_server(tmp_path: Path) -> None:
    """Past midnight, the first save draws every timeline's "today" line anew (and the
    schedule that starts today), though no planning data changed."""
    next_day = str(int(DAY) + 86_400)
    assert loop(tmp_path, [("SOURCE_DATE_EPOCH", "", next_day)]) == []


def test_orders_moved_between_files_and_adrs_superseded(tmp_path: Path) -> None:
    """test_writers_loop's fixture: an order's section cut from one summary and pasted into
    another; an ADR superseded by an edit of an existing file, then no longer; an order
    citing an ADR (the ADR's "Orders citing this")."""
    summary, cp1 = "orders/CP2_ORDERS_SUMMARY.md", "orders/CP1_ORDERS_SUMMARY.md"
    section = LOOP_FILES[summary].split("---\n\n")[1]  # ORDER-WRK-6-CP2-006's
    files = {**LOOP_FILES, cp1: "# CP1 orders summary\n\nOrders of CP1.\n"}
    adr = "docs/adr/0001-record-architecture-decisions.md"
    superseded = "Accepted\n\nSuperseded by [2. Publish](0002-publish-with-mkdocs.md)"
    edits: list[Edit] = [
        [(summary, "\n---\n\n" + section, "\n"), (cp1, "Orders of CP1.\n", "\n" + section)],
        (adr, "Accepted", superseded),
        (adr, superseded, "Accepted"),
        (
            "orders/ORDER_WRK_2_CP1_RENDERER.md",
            "status: pending",
            "adrs: [ADR-002]\nstatus: pending",
        ),
    ]
    assert loop(tmp_path, edits, files) == []


def test_an_edit_in_a_git_checkout_rebuilds_its_pages_only(tmp_path: Path) -> None:
    """In a git checkout (a Changes page), a prose edit rebuilds one page, not the site:
    the Changes page's Markdown holds its tables' token, whose secret changes every build,
    and the loop compared it as it is."""
    lines: list[str] = []
    edits: list[Edit] = [("docs/index.md", "The plan.", "The plan, again.")]
    assert loop(tmp_path, edits, lines=lines, git=True) == []
    assert lines == [lines[0]] and "docs/index.md changed: 1 page in" in lines[0], lines
    assert (tmp_path / "clean0/planning/changes/index.html").is_file()


def test_a_new_dependency_of_an_order_whose_file_name_is_not_ascii(tmp_path: Path) -> None:
    """A neighbour's diagram draws the order with its ID as Graphviz writes it
    (``ORDER&#45;WRK...``) and its link percent-encoded, nowhere as the ID or the file name
    the loop looks for: a new dependency of the order (its fields as they were) changes that
    diagram all the same. The order's start date keeps the neighbour's dates, and the long
    C -> D keeps the critical path, as they were: only the drawing shows the edit."""
    start = "phase: CP1\nstart: 2030-02-04\n"
    x = order(1, "CP1", "pending").replace("phase: CP1\n", start)
    long = 'phase: CP1\ntimeline: "30 days"\n'
    files = {
        # every diagram drawn whole: Y's draws X's new dependency too
        "mkdocs.yml": MKDOCS_YML.replace("diagram_limit: 2", "schedule_start: 2030-01-07"),
        "docs/index.md": "# Home\n\nThe plan.\n",
        "orders/ORDER_WRK_1_ЗАДАЧА.md": x,
        "orders/ORDER_WRK_2_Y.md": order(2, "CP1", "pending", "ORDER-WRK-1-CP1-001"),
        "orders/ORDER_WRK_3_Z.md": order(3, "CP1", "pending"),
        "orders/ORDER_WRK_4_C.md": order(4, "CP1", "pending").replace("phase: CP1\n", long),
        "orders/ORDER_WRK_5_D.md": order(5, "CP1", "pending", "ORDER-WRK-4-CP1-004").replace(
            "phase: CP1\n", long
        ),
    }
    depends = "phase: CP1\ndepends_on: [ORDER-WRK-3-CP1-003]\nstart: 2030-02-04\n"
    lines: list[str] = []
    assert loop(tmp_path, [("orders/ORDER_WRK_1_ЗАДАЧА.md", start, depends)], files, lines) == []
    assert not any("full rebuild" in line for line in lines)


def test_a_first_start_date_moves_every_timeline(tmp_path: Path) -> None:
    """The schedule's first day is the earliest ``start`` or ``created`` of any order (else
    the build day), and a slot counts working days from it: an order's new start date moves
    every phase's timeline, though the other orders' slots are the same numbers."""
    edits = [("orders/ORDER_WRK_5_CP3.md", "status: pending", "status: pending\nstart: 2026-12-18")]
    assert loop(tmp_path, edits) == []


def test_a_new_id_in_an_order_page_of_the_nav(tmp_path: Path) -> None:
    """The nav names an order's page by its ID and title ("ORDER-WRK-2-CP1-012: Work 2"),
    and its source's title is the frontmatter's alone: a new ID, the title as it was,
    changes the sidebar of every page."""
    nav = "  - Home: index.md\n  - orders/ORDER_WRK_2_CP1.md\n"
    files = {**FILES, "mkdocs.yml": MKDOCS_YML.replace("  - Home: index.md\n", nav)}
    name, old, new = "orders/ORDER_WRK_2_CP1.md", "ORDER-WRK-2-CP1-002", "ORDER-WRK-2-CP1-012"
    edits: list[Edit] = [[(name, f"id: {old}", f"id: {new}"), (name, f"# {old}", f"# {new}")]]
    assert loop(tmp_path, edits, files) == []
