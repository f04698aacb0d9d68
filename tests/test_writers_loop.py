"""The writer's loop (issue 28): under a real ``mkdocs serve --dirty`` (and ProperDocs'
``properdocs serve --dirty``), after each edit of a scripted series, every page the server
serves is the page a clean build of the same files writes, byte for byte, and the terminal
says in one line what changed and how long it took.

The reference is a clean, non-dirty build with serve's semantics (drafts shown, findings on
the pages rather than failing ``strict``), made from a copy of the project without its
``.cache`` in a process of its own through MkDocs' public API, as
``mkdocs/commands/serve.py`` (MkDocs 1.6.1) calls it. Its pages are fetched from the server
over HTTP, less the live-reload script the server puts before ``</body>``.

Every edit is applied, its rebuild waited for and compared, then the next one: a failure
lists every edit whose site differs (the page and its first differing line) or whose log
line is missing, not only the first.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest

from .test_engines import PROPERDOCS_PYTHON, PROPERDOCS_VENV
from .test_serve import free_port

ENV = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "PYTHONIOENCODING": "utf-8"}
#: how long one rebuild (or the first build) may take to show in the log
REBUILD_TIMEOUT = 60.0
#: MkDocs' watcher polls every 0.5 s: a file saved just after one poll is seen at the next,
#: so a log quiet for longer than that holds every rebuild the edit started
QUIET = 0.7

# --- the fixture --------------------------------------------------------------------------

MKDOCS_YML = """\
site_name: Writer's loop
strict: true
theme:
  name: material
not_in_nav: |
  /adr/
  /orders/
nav:
  - Home: index.md
  - Roadmap: roadmap.md
plugins:
  - search
  - plandocs:
      orders_dir: orders
      phase_titles:
        CP1: Foundations
        CP2: Publishing
"""

INDEX = """\
# Writer's loop

The parser (ORDER-WRK-1-CP1-001) and the renderer (ORDER-WRK-2-CP1-002) come first; the
search filter ORDER-WRK-4-CP2-004 waits for them. See the [roadmap](roadmap.md) and the
[planning overview](planning/index.md).
"""

ROADMAP = """\
# Roadmap

1. Read every order: ORDER-WRK-1-CP1-001.
2. Retire the old exporter: ORDER-WRK-5-CP2-005.
"""

PARSER = """\
---
id: ORDER-WRK-1-CP1-001
title: Order file parser
to: wrk-1 (Core team)
priority: high
status: in_progress
phase: CP1
adrs: [ADR-001]
---

# ORDER-WRK-1-CP1-001: Order file parser

Read every order file and summary document into one model.
"""

# Its list is not the frontmatter's last line: broken, the frontmatter is Markdown, and a
# list item right above the closing ``---`` becomes a heading whose id holds the build's
# random placeholder secret, so no two builds agree (a bug of its own, not the loop's).
RENDERER = """\
---
order_id: ORDER-WRK-2-CP1-002
title: Page renderer
to: wrk-2
priority: medium
depends_on:
  - ORDER-WRK-1-CP1-001
status: pending
phase: CP1
---

# ORDER-WRK-2-CP1-002: Page renderer

Render an order card on every order page.
"""

SEARCH = """\
---
id: ORDER-WRK-3-CP2-003
title: Search integration
to: wrk-3 (Search team)
priority: critical
status: planned
phase: CP2
depends_on: [ORDER-WRK-2-CP1-002]
adrs: [ADR-002]
---

# ORDER-WRK-3-CP2-003: Search integration

Index every order, so that searching its ID finds its page.
"""

OBSOLETE = """\
---
id: ORDER-WRK-5-CP2-005
title: Retire the old exporter
to: wrk-5
priority: low
status: pending
phase: CP2
depends_on: [ORDER-WRK-1-CP1-001]
---

# ORDER-WRK-5-CP2-005: Retire the old exporter

The spreadsheet exporter goes once the parser reads every order.
"""

SUMMARY = """\
# CP2 orders summary

Orders of the publishing phase that have no file of their own.

#### ORDER-WRK-4-CP2-004: Search filter by owner

**Owner**: wrk-4 (Search team)
**Priority**: HIGH
**Status**: Planned
**Dependencies**: ORDER-WRK-3-CP2-003

A filter of the search results by owner.

---

#### ORDER-WRK-6-CP2-006: Owner pages

**Owner**: wrk-6
**Priority**: MEDIUM
**Status**: Pending
**Dependencies**:
- ORDER-WRK-4-CP2-004
- ORDER-WRK-2-CP1-002

One page per owner, with their orders.
"""

# adr-tools (Nygard): number and title in the heading, the status in its own section
ADR_1 = """\
# 1. Record architecture decisions

Date: 2024-01-10

## Status

Accepted

## Context

We need to record the architectural decisions made on this project.

## Decision

We will use Architecture Decision Records, as described by Michael Nygard.
"""

# MADR: status and date in the frontmatter
ADR_2 = """\
---
status: accepted
date: 2024-03-02
deciders: Alice Smith, Bob Jones
---
# Publish the planning documents with MkDocs

## Context and Problem Statement

Markdown files alone give no overview of who does what.

## Decision Outcome

Chosen option: "MkDocs with the plandocs plugin", because it publishes the orders as pages.
"""

# adr-tools again, added by an edit: it supersedes ADR 2
ADR_3 = """\
# 3. Publish the planning documents with Material for MkDocs

Date: 2024-06-20

## Status

Accepted

Supersedes [2. Publish the planning documents with MkDocs](0002-publish-with-mkdocs.md)

## Context

The plain MkDocs theme has no search filters.

## Decision

Material for MkDocs.
"""

FILES = {
    "mkdocs.yml": MKDOCS_YML,
    "docs/index.md": INDEX,
    "docs/roadmap.md": ROADMAP,
    "docs/adr/0001-record-architecture-decisions.md": ADR_1,
    "docs/adr/0002-publish-with-mkdocs.md": ADR_2,
    "orders/ORDER_WRK_1_CP1_PARSER.md": PARSER,
    "orders/ORDER_WRK_2_CP1_RENDERER.md": RENDERER,
    "orders/ORDER_WRK_3_CP2_SEARCH.md": SEARCH,
    "orders/ORDER_WRK_5_CP2_OBSOLETE.md": OBSOLETE,
    "orders/CP2_ORDERS_SUMMARY.md": SUMMARY,
}


def write_fixture(root: Path) -> None:
    for name, text in FILES.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(text, encoding="utf-8")


# --- the edits ----------------------------------------------------------------------------

Change = Callable[[Path], None]


def sub(name: str, old: str, new: str, count: int = 1) -> Change:
    """Replace ``old`` (which must be there ``count`` times) by ``new`` in one file."""

    def change(root: Path) -> None:
        text = (root / name).read_text(encoding="utf-8")
        assert text.count(old) == count, f"the edit expects {old!r} {count} times in {name}"
        (root / name).write_text(text.replace(old, new), encoding="utf-8")

    return change


def delete(name: str) -> Change:
    return lambda root: (root / name).unlink()


def create(name: str, text: str) -> Change:
    return lambda root: (root / name).write_text(text, encoding="utf-8")


def together(*changes: Change) -> Change:
    """Several files saved one right after the other, as a search-and-replace saves them."""

    def change(root: Path) -> None:
        for one in changes:
            one(root)

    return change


@dataclass(frozen=True)
class Edit:
    name: str
    change: Change
    #: ``changed``: a rebuild of the pages that show it (``plandocs: X changed: ...``), X
    #: holding one of ``names``; ``full``: a full rebuild whose reason (in brackets) holds
    #: one of them: the file added or deleted, ``mkdocs.yml``
    kind: str
    names: tuple[str, ...]
    #: at most this many pages rebuilt (a page whose planning data did not change is not)
    most: int | None = None


EDITS = (
    Edit(
        "status change",
        sub("orders/ORDER_WRK_2_CP1_RENDERER.md", "status: pending", "status: in_progress"),
        "changed",
        ("ORDER-WRK-2-CP1-002",),
    ),
    Edit(
        "new dependency",
        sub(
            "orders/ORDER_WRK_3_CP2_SEARCH.md",
            "depends_on: [ORDER-WRK-2-CP1-002]",
            "depends_on: [ORDER-WRK-2-CP1-002, ORDER-WRK-1-CP1-001]",
        ),
        "changed",
        ("ORDER-WRK-3-CP2-003",),
    ),
    Edit(
        "retitle an order",
        sub("orders/ORDER_WRK_1_CP1_PARSER.md", "Order file parser", "Order and summary parser", 2),
        "changed",
        ("ORDER-WRK-1-CP1-001",),
    ),
    Edit(
        "a summary section's status",
        sub("orders/CP2_ORDERS_SUMMARY.md", "**Status**: Planned", "**Status**: In progress"),
        "changed",
        ("ORDER-WRK-4-CP2-004", "CP2_ORDERS_SUMMARY.md"),
    ),
    Edit(
        "rename an order's ID and its references",
        together(
            sub("orders/CP2_ORDERS_SUMMARY.md", "ORDER-WRK-4-CP2-004", "ORDER-WRK-4-CP2-007", 2),
            sub("docs/index.md", "ORDER-WRK-4-CP2-004", "ORDER-WRK-4-CP2-007"),
        ),
        "changed",
        ("ORDER-WRK-4-CP2-004", "ORDER-WRK-4-CP2-007", "CP2_ORDERS_SUMMARY.md"),
    ),
    # ORDER-WRK-5-CP2-005 is still named on the roadmap: a finding there, not a failure
    Edit(
        "delete an order file",
        delete("orders/ORDER_WRK_5_CP2_OBSOLETE.md"),
        "full",
        ("ORDER_WRK_5_CP2_OBSOLETE.md",),
    ),
    Edit(
        "add an ADR superseding another",
        create("docs/adr/0003-publish-with-material.md", ADR_3),
        "full",
        ("0003-publish-with-material.md",),
    ),
    Edit(
        "break an order's frontmatter YAML",
        sub("orders/ORDER_WRK_2_CP1_RENDERER.md", "title: Page renderer", "title: Page: renderer"),
        "changed",
        ("ORDER-WRK-2-CP1-002", "ORDER_WRK_2_CP1_RENDERER.md"),
    ),
    Edit(
        "fix the YAML",
        sub("orders/ORDER_WRK_2_CP1_RENDERER.md", "title: Page: renderer", "title: Page renderer"),
        "changed",
        ("ORDER-WRK-2-CP1-002", "ORDER_WRK_2_CP1_RENDERER.md"),
    ),
    Edit(
        "edit a plain page",
        sub(
            "docs/roadmap.md",
            "2. Retire",
            "2. Search every order: ORDER-WRK-3-CP2-003.\n3. Retire",
        ),
        "changed",
        ("roadmap.md",),
    ),
    Edit(
        "edit a plain page's prose",
        sub(
            "docs/roadmap.md",
            "exporter: ORDER-WRK-5-CP2-005.\n",
            "exporter: ORDER-WRK-5-CP2-005.\n\nThen more.\n",
        ),
        "changed",
        ("roadmap.md",),
        most=1,
    ),
    Edit(
        "edit mkdocs.yml",
        sub("mkdocs.yml", "CP2: Publishing", "CP2: Publishing and search"),
        "full",
        ("mkdocs.yml",),
    ),
)

# --- the server and its log ---------------------------------------------------------------

#: the one line of a rebuild: ``plandocs: <what> in <seconds> s``, through MkDocs' log, and
#: how many findings there are when there are some (``serve._findings``)
REBUILT = re.compile(
    r"^INFO\s+-\s+plandocs: (?P<what>.+) in (?P<seconds>[0-9.,]+) s"
    r"(?:; [0-9,]+ findings?(?: as before|(?:, [0-9,]+ (?:new|gone))+))?$",
    re.M,
)
CHANGED = re.compile(r"(?P<subject>.+) changed: (?P<pages>[0-9,]+) pages?")
FULL = re.compile(r"full rebuild \((?P<why>.+)\): (?P<pages>[0-9,]+) pages?")
#: MkDocs' own end of a rebuild (``mkdocs/livereload/__init__.py``), failed or not
BUILD_ENDED = re.compile(r"Reloading browsers|An error happened during the rebuild")


@dataclass(frozen=True)
class Server:
    process: subprocess.Popen[bytes]
    log: Path


@contextmanager
def serving(
    root: Path, port: int, flags: tuple[str, ...], engine: Engine | None = None
) -> Iterator[Server]:
    """``mkdocs serve FLAGS`` of ``root`` on ``port`` (or ProperDocs'), once its first build
    is served."""
    engine = engine or ENGINES["mkdocs"]
    log_path = root.parent / "serve.log"
    with log_path.open("wb") as log:
        process = subprocess.Popen(
            [engine.python, "-m", engine.module, "serve", *flags, "-a", f"127.0.0.1:{port}"],
            cwd=root,
            stdout=log,
            stderr=subprocess.STDOUT,
            env=ENV,
        )
        server = Server(process, log_path)
        try:
            wait_for(server, 0, re.compile("Serving on http"))
            yield server
        finally:
            process.terminate()
            process.wait(timeout=10)


def wait_for(server: Server, offset: int, pattern: re.Pattern[str]) -> str:
    """The log after ``offset``, once it holds ``pattern`` and has been quiet for ``QUIET``
    seconds since (every rebuild an edit started has ended)."""
    deadline = time.monotonic() + REBUILD_TIMEOUT
    seen, since = "", time.monotonic()
    while time.monotonic() < deadline:
        text = server.log.read_bytes()[offset:].decode("utf-8", "replace")
        if server.process.poll() is not None:
            raise AssertionError(f"mkdocs serve stopped:\n{text}")
        if text != seen:
            seen, since = text, time.monotonic()
        # the pattern after the last rebuild started: that one has ended too
        elif time.monotonic() - since >= QUIET and pattern.search(
            text.rsplit("Detected file changes", 1)[-1]
        ):
            return text
        time.sleep(0.05)
    raise AssertionError(f"no {pattern.pattern!r} in the log within {REBUILD_TIMEOUT} s:\n{seen}")


def log_problem(edit: Edit, log: str) -> str | None:
    """What is wrong with the lines the edit's rebuilds printed, or None."""
    lines = [m.group("what") for m in REBUILT.finditer(log)]
    if not lines:
        return f"after edit '{edit.name}': no 'plandocs: ... in N s' line in the log"
    for what in lines:
        form, group = (FULL, "why") if edit.kind == "full" else (CHANGED, "subject")
        if (line := form.fullmatch(what)) and any(n in line.group(group) for n in edit.names):
            pages = int(line.group("pages").replace(",", ""))
            if edit.most is not None and pages > edit.most:
                return f"after edit '{edit.name}': {pages} pages rebuilt, not at most {edit.most}"
            return None
    wanted = "a full rebuild" if edit.kind == "full" else "a 'changed' line"
    return (
        f"after edit '{edit.name}': the log has no {wanted} naming one of {edit.names}: "
        + "; ".join(lines)
    )


# --- the clean build and the comparison ---------------------------------------------------

#: a clean build as ``mkdocs serve`` makes it (mkdocs/commands/serve.py, MkDocs 1.6.1):
#: ``load_config`` with the server's address (``dev_addr`` is what ``-a`` gives it),
#: ``on_startup(command="serve")``, and ``build`` with ``serve_url`` (drafts shown) but not
#: ``dirty``, so the site folder is cleaned and every page built
CLEAN_BUILD = """\
import sys
from ENGINE.commands.build import build
from ENGINE.config import load_config

site, port = sys.argv[1], sys.argv[2]
url = f"http://127.0.0.1:{port}/"
config = load_config("mkdocs.yml", site_dir=site, site_url=url, dev_addr=f"127.0.0.1:{port}")
config.plugins.on_startup(command="serve", dirty=False)
try:
    build(config, serve_url=url)
finally:
    config.plugins.on_shutdown()
"""


@dataclass(frozen=True)
class Engine:
    python: str
    module: str  # its command: ``python -m MODULE serve``
    prelude: str = ""  # run first by the clean build


#: MkDocs (this venv) and ProperDocs (the venv ``make test`` makes): the loop under each
ENGINES = {
    "mkdocs": Engine(sys.executable, "mkdocs"),
    # as the ``properdocs`` command does: ``import mkdocs...`` gives ProperDocs' modules
    "properdocs": Engine(str(PROPERDOCS_PYTHON), "properdocs", "import properdocs.replacement\n"),
}


def clean_build(root: Path, dest: Path, port: int, engine: Engine) -> Callable[[], Path]:
    """Start a clean build of a copy of ``root`` (no ``.cache``: nothing of the server's
    runs into it) in a process of its own; the function returned waits for it and gives
    its site folder. It runs while the server rebuilds: it needs only the files."""
    source = dest / "project"
    shutil.copytree(root, source, ignore=shutil.ignore_patterns(".cache", "site"))
    site = dest / "site"
    code = engine.prelude + CLEAN_BUILD.replace("ENGINE", engine.module)
    process = subprocess.Popen(
        [engine.python, "-c", code, str(site), str(port)],
        cwd=source,
        env=ENV,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )

    def done() -> Path:
        out, _ = process.communicate(timeout=REBUILD_TIMEOUT)
        assert process.returncode == 0, "the clean build failed:\n" + out.decode("utf-8")
        return site

    return done


#: what ``LiveReloadServer._inject_js_into_html`` adds (mkdocs/livereload/__init__.py,
#: MkDocs 1.6.1): ``<script>`` + its template, with the epoch and a request ID, +
#: ``</script>``, right before the last ``</body>`` (at the end of a page without one)
LIVE_RELOAD = re.compile(
    rb"<script>\nvar livereload = function\(epoch, requestId\) \{\n.*?\n"
    rb"livereload\([0-9]+, [0-9]+\);\n</script>(?=</body>(?:(?!</body>).)*\Z|\Z)",
    re.S,
)


def fetch(url: str) -> bytes | None:
    """The body the server sends for ``url``; None for a 404."""
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return bytes(response.read())
    except urllib.error.HTTPError as error:
        if error.code == 404:
            return None
        raise


def first_difference(served: bytes, clean: bytes) -> str:
    a = served.decode("utf-8", "replace").splitlines()
    b = clean.decode("utf-8", "replace").splitlines()
    for number, (x, y) in enumerate(zip(a, b, strict=False), 1):
        if x != y:
            return f"line {number}:\n      served: {x[:300]!r}\n      clean:  {y[:300]!r}"
    return f"served {len(a)} lines, the clean build {len(b)}"


def compare_page(base: str, name: str, clean: bytes) -> str | None:
    """How the served ``name`` differs from the clean build's bytes, or None."""
    served = fetch(base + name)
    if served is None:
        return f"{name}: not served (404)"
    if name.endswith(".html"):
        scripts = len(LIVE_RELOAD.findall(served))
        if scripts != 1:
            return f"{name}: {scripts} live-reload scripts where serve puts one"
        served = LIVE_RELOAD.sub(b"", served)
    if served == clean:
        return None
    return f"{name} differs from the clean build at {first_difference(served, clean)}"


def compare_search(base: str, clean: bytes) -> str | None:
    """The search index as data. Its entries are compared IN ORDER: a clean build writes
    them in the order of its pages, and a served site must be that site; a message says
    when only the order differs."""
    name = "search/search_index.json"
    served = fetch(base + name)
    if served is None:
        return f"{name}: not served (404)"
    ours, theirs = json.loads(served), json.loads(clean)
    if ours == theirs:
        return None
    if ours.get("config") != theirs.get("config"):
        return f"{name}: its 'config' differs: {ours.get('config')} against {theirs.get('config')}"
    docs, wanted = ours.get("docs", []), theirs.get("docs", [])
    key = json.dumps
    if sorted(map(key, docs)) == sorted(map(key, wanted)):
        return f"{name}: the same {len(docs)} entries, in another order"
    for number, (x, y) in enumerate(zip(docs, wanted, strict=False)):
        if x != y:
            return f"{name}: entry {number} differs:\n      served: {x}\n      clean:  {y}"
    return f"{name}: served {len(docs)} entries, the clean build {len(wanted)}"


def compare_site(base: str, site: Path, gone: set[str]) -> list[str]:
    """Every page of the clean build against the server; ``gone`` are pages of earlier
    clean builds that this one does not have, which the server must not serve either."""
    problems = [f"{name}: served, but a clean build has no such page" for name in sorted(gone)]
    for path in [*sorted(site.rglob("*.html")), site / "planning.json"]:
        name = path.relative_to(site).as_posix()
        if problem := compare_page(base, name, path.read_bytes()):
            problems.append(problem)
    if problem := compare_search(base, (site / "search" / "search_index.json").read_bytes()):
        problems.append(problem)
    return problems


def pages(site: Path) -> set[str]:
    return {p.relative_to(site).as_posix() for p in site.rglob("*.html")}


def still_served(base: str, names: set[str]) -> set[str]:
    return {name for name in names if fetch(base + name) is not None}


def loop(tmp_path: Path, flags: tuple[str, ...], engine: Engine) -> list[str]:
    """Serve the fixture with ``flags``, apply every edit, compare: the problems found."""
    root = tmp_path / "project"
    write_fixture(root)
    port = free_port()
    base = f"http://127.0.0.1:{port}/"
    problems: list[str] = []
    seen: set[str] = set()

    def check(step: str, site: Path) -> None:
        now = pages(site)
        found = compare_site(base, site, still_served(base, seen - now))
        seen.update(now)
        shown = found[:5] + ([f"... and {len(found) - 5} more"] if len(found) > 5 else [])
        problems.extend(f"after {step}: {problem}" for problem in shown)

    with serving(root, port, flags, engine) as server:
        check("the first build", clean_build(root, tmp_path / "clean-0", port, engine)())
        for number, edit in enumerate(EDITS, 1):
            offset = server.log.stat().st_size
            edit.change(root)
            clean = clean_build(root, tmp_path / f"clean-{number}", port, engine)
            log = wait_for(server, offset, BUILD_ENDED)
            check(f"edit '{edit.name}'", clean())
            if problem := log_problem(edit, log):
                problems.append(problem)
    return problems


@pytest.mark.parametrize("name", list(ENGINES))
def test_every_served_page_is_the_clean_build_after_each_edit(tmp_path: Path, name: str) -> None:
    engine = ENGINES[name]
    if not Path(engine.python).exists():
        pytest.skip(f"no ProperDocs venv at {PROPERDOCS_VENV} (`make test` makes it)")
    problems = loop(tmp_path, ("--dirty",), engine)
    assert not problems, "\n".join(problems)
