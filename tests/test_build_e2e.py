"""End to end: fixture projects built with a real ``mkdocs build --strict``, and the CLI on them.

Every build runs once per session, in a subprocess, on a copy of its fixture in a temporary
folder (fixtures stay clean). All builds and CLI runs are queued when the first test needs
one and run one per CPU, so the file costs a fraction of the sum of its builds.

``tests/fixtures/<name>/expected-log.txt`` holds the exact plandocs lines of a failing
build. After a deliberate change of a message, rewrite them with
``PLANDOCS_UPDATE_EXPECTED=1 pytest tests/test_build_e2e.py`` and review the diff.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from collections.abc import Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from functools import cached_property
from html.parser import HTMLParser
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

import pytest

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures"
UPDATE_EXPECTED = os.environ.get("PLANDOCS_UPDATE_EXPECTED") == "1"
ENV = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "PYTHONIOENCODING": "utf-8"}
TIMEOUT = 180

#: Not committed: bytes that no editor should ever touch, written into the copy of `bad`.
BAD_UNREADABLE = {
    "docs/binary.md": b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\xff\xfe",
    "docs/latin1.md": "# Notes\n\nCafé crème\n".encode("latin-1"),
}
#: An order file saved on Windows; .gitattributes keeps git from normalising it.
BAD_WINDOWS_FILE = "orders/ORDER_WRK_6_CP1_WINDOWS.md"

_LOG_LINE = re.compile(r"^(?P<level>INFO|WARNING|ERROR) +-  plandocs: (?P<finding>.*)$")
_FINDING = re.compile(r"^(?P<where>.+?): (?P<message>.*) \[(?P<code>plandocs\.[a-z-]+)\]$")
_CLI_FINDING = re.compile(
    r"^(?P<where>.+?): (?P<level>error|warning|info): "
    r"(?P<message>.*) \[(?P<code>plandocs\.[a-z-]+)\]$"
)

# The documented shape of planning.json.
ORDER_KEYS = [
    "id", "title", "owner", "owner_id", "owners", "priority", "status", "phase", "depends_on",
    "blocks", "parent", "children", "draft", "archived", "canonical", "source", "url",
    "permalink",
    "start", "finish", "slack", "critical", "estimated",
]  # fmt: skip
ADR_KEYS = [
    "id",
    "number",
    "title",
    "status",
    "date",
    "deciders",
    "consulted",
    "informed",
    "canonical",
    "supersedes",
    "superseded_by",
    "relations",
    "source",
    "url",
    "permalink",
]
PHASE_KEYS = ["id", "title", "orders", "permalink"]
DIAGNOSTIC_KEYS = ["code", "level", "file", "line", "message"]


# -- running things ----------------------------------------------------------------------


def snapshot(root: Path, *names: str) -> dict[str, bytes]:
    """Every file under ``root`` (or under its entries ``names``) with its bytes."""
    tops = [root / name for name in names] if names else [root]
    files = [f for top in tops for f in ([top] if top.is_file() else sorted(top.rglob("*")))]
    return {f.relative_to(root).as_posix(): f.read_bytes() for f in files if f.is_file()}


@dataclass(frozen=True)
class Outcome:
    returncode: int
    stdout: str
    stderr: str
    #: the watched files before and after the run
    before: dict[str, bytes]
    after: dict[str, bytes]


#: What a run must leave alone: a folder, and optionally only some of its entries.
Watch = tuple[Path, tuple[str, ...]]


def run(args: list[str], cwd: Path, watch: Watch | None = None) -> Outcome:
    before = snapshot(watch[0], *watch[1]) if watch else {}
    done = subprocess.run(
        args,
        cwd=cwd,
        env=ENV,
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=TIMEOUT,
        check=False,
    )
    after = snapshot(watch[0], *watch[1]) if watch else {}
    return Outcome(done.returncode, done.stdout, done.stderr, before, after)


@dataclass
class _Ran:
    """A finished subprocess: its exit code and output."""

    outcome: Outcome

    @property
    def returncode(self) -> int:
        return self.outcome.returncode

    @property
    def stdout(self) -> str:
        return self.outcome.stdout

    @property
    def stderr(self) -> str:
        return self.outcome.stderr


@dataclass
class Build(_Ran):
    config: Path = Path()
    site: Path = Path()

    @property
    def project(self) -> Path:
        return self.config.parent

    @cached_property
    def planning_text(self) -> str:
        return (self.site / "planning.json").read_text(encoding="utf-8")

    @cached_property
    def planning(self) -> dict[str, Any]:
        data: dict[str, Any] = json.loads(self.planning_text)
        return data

    def orders(self) -> dict[str, dict[str, Any]]:
        return {order["id"]: order for order in self.planning["orders"]}

    @cached_property
    def log(self) -> list[str]:
        """The plandocs lines of the build's log, as printed, sorted."""
        return sorted(line for line in self.stderr.splitlines() if _LOG_LINE.match(line))

    def findings(self) -> set[tuple[str, str, str, str]]:
        """``(where, level, message, code)`` of every plandocs line of the log."""
        return {_build_finding(line) for line in self.log}

    def page(self, url: str) -> Path:
        return url_to_file(self.site, url)


@dataclass
class CliRun(_Ran):
    def findings(self) -> set[tuple[str, str, str, str]]:
        out = set()
        for line in self.stdout.splitlines():
            match = _CLI_FINDING.match(line)
            assert match, f"not a finding line: {line!r}"
            out.add((match["where"], match["level"], match["message"], match["code"]))
        return out


def copy_fixture(name: str, dest: Path) -> Path:
    shutil.copytree(FIXTURES / name, dest)
    (dest / "expected-log.txt").unlink(missing_ok=True)
    if name == "bad":
        for relative, data in BAD_UNREADABLE.items():
            (dest / relative).write_bytes(data)
    return dest


def flat_variant(config: Path) -> Path:
    """The same project with ``use_directory_urls: false``, as a second config file beside it."""
    flat = config.with_name("mkdocs-flat.yml")
    text = config.read_text(encoding="utf-8") + "\nuse_directory_urls: false\n"
    flat.write_text(text, encoding="utf-8")
    return flat


class Session:
    """Every build and CLI run of this file, queued at once and run a few at a time."""

    def __init__(self, tmp: Path, pool: ThreadPoolExecutor) -> None:
        self.tmp = tmp
        self.pool = pool
        self.futures: dict[str, Future[Outcome]] = {}
        self.builds: dict[str, tuple[Path, Path]] = {}

    def build(
        self, key: str, config: Path, *, strict: bool = True, watch: Watch | None = None
    ) -> None:
        site = (self.tmp / "sites" / key).resolve()
        args = [sys.executable, "-m", "mkdocs", "build", "-f", str(config), "-d", str(site)]
        if strict:
            args.insert(4, "--strict")
        self.builds[key] = (config, site)
        self.futures[key] = self.pool.submit(run, args, config.parent, watch)

    def cli(self, key: str, *args: str) -> None:
        command = [sys.executable, "-m", "plandocs.cli.main", *args]
        self.futures[key] = self.pool.submit(run, command, self.tmp)

    def export_path(self, name: str) -> Path:
        return self.tmp / f"export-{name}.json"

    def result(self, key: str) -> Build:
        config, site = self.builds[key]
        return Build(self.futures[key].result(), config=config, site=site)

    def cli_result(self, key: str) -> CliRun:
        return CliRun(self.futures[key].result())


MAIN_SOURCES: Watch = (ROOT, ("docs", "orders", "mkdocs.yml"))


@pytest.fixture(scope="session")
def runs(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Session]:
    tmp = tmp_path_factory.mktemp("e2e")
    names = ("good", "bad", "edge", "plugins-mapping", "excluded-docs", "clash")
    projects = {name: copy_fixture(name, tmp / "projects" / name) for name in names}
    again = copy_fixture("good", tmp / "projects" / "good-again")
    flat = flat_variant(projects["good"] / "mkdocs.yml")
    with ThreadPoolExecutor(max_workers=max(2, os.cpu_count() or 2)) as pool:
        session = Session(tmp, pool)
        # Slowest first: the builds, then the CLI runs.
        session.build("main", ROOT / "mkdocs.yml", watch=MAIN_SOURCES)
        session.build("good", projects["good"] / "mkdocs.yml", watch=(projects["good"], ()))
        session.build("bad", projects["bad"] / "mkdocs.yml", watch=(projects["bad"], ()))
        session.build("bad-loose", projects["bad"] / "mkdocs.yml", strict=False)
        session.build("good-flat", flat)
        session.build("good-again", again / "mkdocs.yml")
        for name in names[2:]:
            session.build(name, projects[name] / "mkdocs.yml")
        configs = {name: project / "mkdocs.yml" for name, project in projects.items()}
        configs.update({"main": ROOT / "mkdocs.yml", "good-flat": flat})
        for name in ("good", "bad", "main", "excluded-docs", "clash"):
            session.cli(f"check:{name}", "check", "-f", str(configs[name]), "--verbose")
        session.cli("json:bad", "check", "-f", str(configs["bad"]), "--format", "json")
        for name in ("good", "good-flat", "bad", "main", "plugins-mapping", "clash"):
            output = str(session.export_path(name))
            session.cli(f"export:{name}", "export", "-f", str(configs[name]), "-o", output)
        yield session
        pool.shutdown(wait=True, cancel_futures=True)


@pytest.fixture(scope="session")
def good(runs: Session) -> Build:
    return runs.result("good")


@pytest.fixture(scope="session")
def bad(runs: Session) -> Build:
    return runs.result("bad")


@pytest.fixture(scope="session")
def bad_loose(runs: Session) -> Build:
    return runs.result("bad-loose")


@pytest.fixture(scope="session")
def main_site(runs: Session) -> Build:
    return runs.result("main")


def exported(runs: Session, name: str) -> str:
    result = runs.cli_result(f"export:{name}")
    assert result.returncode == 0, result.stderr
    return runs.export_path(name).read_text(encoding="utf-8")


# -- reading the site --------------------------------------------------------------------


def url_to_file(site: Path, url: str) -> Path:
    """The file a site URL (relative to the site root, ``#fragment`` allowed) is served from."""
    path = unquote(urlsplit(url).path)
    target = site / path
    return target / "index.html" if path.endswith("/") or not path or target.is_dir() else target


def resolve_href(page: Path, href: str) -> Path | None:
    """The file a relative link on ``page`` points to; None for absolute URLs and paths,
    ``mailto:`` and links within the page."""
    parts = urlsplit(href)
    if parts.scheme or parts.netloc or href.startswith(("#", "/")) or not parts.path:
        return None
    target = (page.parent / unquote(parts.path)).resolve()
    if parts.path.endswith("/") or target.is_dir():
        target = target / "index.html"
    return target


class _LinkCollector(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.links: list[str] = []
        self.ids: set[str] = set()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            if name in ("href", "src") and value:
                self.links.append(value)
            if name == "id" and value:
                self.ids.add(value)


def parse_links(page: Path) -> _LinkCollector:
    collector = _LinkCollector()
    collector.feed(page.read_text(encoding="utf-8"))
    return collector


def broken_links(site: Path) -> list[str]:
    """Every relative href/src of every page that names no file of the site."""
    site = site.resolve()
    pages = sorted(site.rglob("*.html"))
    assert pages, f"no HTML page in {site}"
    broken = []
    for page in pages:
        for href in parse_links(page).links:
            target = resolve_href(page, href)
            if target is not None and (site not in target.parents or not target.is_file()):
                broken.append(f"{page.relative_to(site)}: {href}")
    return broken


def element_ids(page: Path) -> set[str]:
    return parse_links(page).ids


@dataclass
class Card:
    order: str
    compact: bool
    badges: list[str] = field(default_factory=list)
    title: str = ""
    #: field label (Owner, Depends on, ...) -> its text
    fields: dict[str, str] = field(default_factory=dict)
    #: field label -> (href, link text) of each link in it
    links: dict[str, list[tuple[str, str]]] = field(default_factory=dict)
    canonical: list[str] = field(default_factory=list)

    def ids_in(self, label: str) -> list[str]:
        return [text for _, text in self.links.get(label, [])]


class _CardReader(HTMLParser):
    """The plandocs order cards of a page, by order ID."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.cards: dict[str, Card] = {}
        self._card: Card | None = None
        self._depth = 0
        self._label: str | None = None
        self._text: list[str] = []
        self._where = ""
        self._href: str | None = None
        self._link_start = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        classes = (values.get("class") or "").split()
        if self._card is None:
            if tag == "div" and "plandocs-card" in classes:
                order = values.get("data-order") or ""
                self._card = Card(order=order, compact="plandocs-card--compact" in classes)
                self._depth = 1
            return
        if tag == "div":
            self._depth += 1
        if "plandocs-badge" in classes:
            self._card.badges.extend(c for c in classes if c.startswith("plandocs-badge--"))
        if "plandocs-card__title" in classes:
            self._start("title")
        elif "plandocs-card__canonical" in classes:
            self._start("canonical")
        elif tag in ("dt", "dd"):
            self._start(tag)
        if tag == "a":
            self._href = values.get("href") or ""
            self._link_start = len("".join(self._text))

    def _start(self, where: str) -> None:
        self._where, self._text = where, []

    def handle_data(self, data: str) -> None:
        if self._card is not None and self._where:
            self._text.append(data)

    def handle_endtag(self, tag: str) -> None:
        card = self._card
        if card is None:
            return
        text = "".join(self._text)
        if tag == "a" and self._href is not None:
            link = (self._href, text[self._link_start :].strip())
            if self._where == "dd" and self._label:
                card.links.setdefault(self._label, []).append(link)
            elif self._where == "canonical":
                card.canonical.append(link[0])
            self._href = None
        elif tag == "dt" and self._where == "dt":
            self._label, self._where = text.strip(), ""
        elif tag == "dd" and self._where == "dd" and self._label:
            card.fields[self._label], self._where = " ".join(text.split()), ""
        elif tag == "span" and self._where == "title":
            card.title, self._where = text, ""
        elif tag == "p" and self._where == "canonical":
            self._where = ""
        elif tag == "div":
            self._depth -= 1
            if self._depth == 0:
                self.cards[card.order] = card
                self._card, self._label = None, None


def cards(page: Path) -> dict[str, Card]:
    reader = _CardReader()
    reader.feed(page.read_text(encoding="utf-8"))
    return reader.cards


# -- comparing logs ------------------------------------------------------------------------


def _build_finding(line: str) -> tuple[str, str, str, str]:
    log_match = _LOG_LINE.match(line)
    assert log_match, line
    match = _FINDING.match(log_match["finding"])
    assert match, f"plandocs line without 'where: message [code]': {line!r}"
    return match["where"], log_match["level"].lower(), match["message"], match["code"]


def expected_log(name: str, actual: list[str]) -> list[str]:
    path = FIXTURES / name / "expected-log.txt"
    if UPDATE_EXPECTED:
        path.write_text("".join(f"{line}\n" for line in actual), encoding="utf-8")
    return sorted(path.read_text(encoding="utf-8").splitlines())


def assert_no_traceback(build: Build | CliRun) -> None:
    assert "Traceback" not in build.stderr, build.stderr
    assert "Traceback" not in build.stdout, build.stdout


def assert_clean(build: Build) -> None:
    """Exit 0, and neither plandocs nor MkDocs found anything to warn about."""
    assert_no_traceback(build)
    assert build.returncode == 0, build.stderr
    problems = [line for line in build.stderr.splitlines() if line.startswith(("WARNING", "ERROR"))]
    assert problems == []
    assert build.planning["diagnostics"] == []


def assert_planning_shape(data: dict[str, Any]) -> None:
    assert list(data) == ["schema", "orders", "adrs", "phases", "diagnostics"]
    assert data["schema"] == 3
    for order in data["orders"]:
        # `history` when the site was built in a git checkout (git_history)
        assert [key for key in order if key != "history"] == ORDER_KEYS
        assert all(isinstance(order[k], str) for k in ("id", "title", "source", "url"))
        assert all(
            order[k] is None or isinstance(order[k], str)
            for k in ("owner", "priority", "status", "phase")
        )
        assert all(isinstance(i, str) for k in ("depends_on", "blocks") for i in order[k])
    for adr in data["adrs"]:
        assert list(adr) == ADR_KEYS
        assert re.fullmatch(r"ADR-[0-9]{3,}", adr["id"])
        assert all(isinstance(i, str) for k in ("supersedes", "superseded_by") for i in adr[k])
    for phase in data["phases"]:
        assert list(phase) == PHASE_KEYS
        assert all(isinstance(i, str) for i in phase["orders"])
    for finding in data["diagnostics"]:
        assert list(finding) == DIAGNOSTIC_KEYS
        assert finding["level"] in ("error", "warning", "info")
        assert isinstance(finding["line"], int) and finding["line"] >= 0
    for key in ("orders", "adrs", "phases"):
        ids = [item["id"] for item in data[key]]
        assert ids == sorted(ids), f"{key} are not sorted"
        # one entry per ADR file: two files may share a number, and the first is canonical
        unique = [(i["id"], i["source"]) for i in data[key]] if key == "adrs" else ids
        assert len(unique) == len(set(unique)), f"{key} are not unique"
    for adr_id in {adr["id"] for adr in data["adrs"]}:
        entries = [adr["canonical"] for adr in data["adrs"] if adr["id"] == adr_id]
        assert entries == [True] + [False] * (len(entries) - 1)


def test_link_crawler_finds_a_broken_link(tmp_path: Path) -> None:
    # The crawls below must be able to fail: good links of each kind, and dead ones.
    (tmp_path / "a").mkdir()
    (tmp_path / "a/index.html").write_text("<p id='x'>a</p>", encoding="utf-8")
    (tmp_path / "index.html").write_text(
        '<a href="a/">ok</a><a href="a/#x">ok</a><a href="a">ok</a><a href="#top">ok</a>'
        '<a href="https://example.org/b/">ok</a><a href="/abs/">ok</a><img src="a/index.html?v=1">'
        '<a href="b/">dead</a><a href="a/c.html#x">dead</a><script src="js/x.js"></script>'
        '<a href="../index.html">outside</a>',
        encoding="utf-8",
    )
    assert broken_links(tmp_path) == [
        "index.html: b/",
        "index.html: a/c.html#x",
        "index.html: js/x.js",
        "index.html: ../index.html",
    ]


# == good ================================================================================

GOOD_PAGES = [
    "planning/index.html",
    "planning/orders/index.html",
    "planning/adrs/index.html",
    "planning/phases/CP1/index.html",
    "planning/phases/CP2/index.html",
    "planning/owners/wrk-1/index.html",
    "planning/owners/wrk-2/index.html",
    "planning/owners/wrk-3/index.html",
    "planning/owners/wrk-4/index.html",
    "planning/status/in_progress/index.html",
    "planning/status/pending/index.html",
    "planning/status/done/index.html",
    "planning/status/planned/index.html",
    "orders/ORDER_WRK_1_CP1_PARSER/index.html",
    "orders/ORDER_WRK_2_CP1_RENDERER/index.html",
    "orders/ORDER_WRK_3_CP1_GUIDE/index.html",
    "orders/CP2_ORDERS_SUMMARY/index.html",
    "adr/ADR-001-plain-markdown/index.html",
    "adr/ADR-002-mkdocs-site/index.html",
]

GOOD_ORDERS = {
    # id: (owner, priority, status, phase, depends_on, blocks)
    "ORDER-WRK-1-CP1-001": ("wrk-1", "high", "in_progress", "CP1", [], ["ORDER-WRK-2-CP1-002"]),
    "ORDER-WRK-2-CP1-002": (
        "wrk-2", "medium", "pending", "CP1",
        ["ORDER-WRK-1-CP1-001", "ORDER-WRK-3-CP1-003"], ["ORDER-WRK-4-CP2-004"],
    ),
    "ORDER-WRK-3-CP1-003": (
        "wrk-3", "low", "done", "CP1", [], ["ORDER-WRK-2-CP1-002", "ORDER-WRK-4-CP2-004"],
    ),
    "ORDER-WRK-4-CP2-004": (
        "wrk-4", "critical", "planned", "CP2", ["ORDER-WRK-2-CP1-002", "ORDER-WRK-3-CP1-003"], [],
    ),
}  # fmt: skip


def test_good_builds_clean(good: Build) -> None:
    assert_clean(good)


CACHE = ".cache/plandocs/"  # diagrams, parsed files, converted pages: all a build adds


def test_good_build_writes_nothing_into_the_project(good: Build) -> None:
    before, after = good.outcome.before, good.outcome.after
    assert "mkdocs.yml" in before and "orders/CP2_ORDERS_SUMMARY.md" in before
    assert sorted(name for name in after if not name.startswith(CACHE)) == sorted(before)
    assert [name for name in before if after[name] != before[name]] == []
    cached = [name for name in after if name.startswith(CACHE)]
    assert any(name.endswith(".svg") for name in cached)
    assert any(name.startswith(f"{CACHE}pages/") for name in cached)
    assert any(name.startswith(f"{CACHE}parsed/") for name in cached)
    assert any(name.startswith(f"{CACHE}fragments/") for name in cached)
    assert any(name.startswith(f"{CACHE}templates/") for name in cached)
    assert any(name.startswith(f"{CACHE}diagrams/") for name in cached)
    # .json: which SVG each diagram had (cache.diagrams); .cache: compiled templates
    kinds = (".svg", ".pickle", ".sqlite", ".json", ".cache")
    assert all(name.endswith(kinds) for name in cached), cached


@pytest.mark.parametrize("page", GOOD_PAGES)
def test_good_pages_exist(good: Build, page: str) -> None:
    assert (good.site / page).is_file()


def test_good_planning_json_has_the_documented_shape(good: Build) -> None:
    assert_planning_shape(good.planning)


def test_good_planning_json_orders(good: Build) -> None:
    got = {
        o["id"]: (o["owner"], o["priority"], o["status"], o["phase"], o["depends_on"], o["blocks"])
        for o in good.planning["orders"]
    }
    assert got == GOOD_ORDERS
    titles = {o["id"]: o["title"] for o in good.planning["orders"]}
    assert titles["ORDER-WRK-3-CP1-003"] == "Writer's guide"  # from the heading, without its ID


def test_good_planning_json_adrs_and_phases(good: Build) -> None:
    adrs = {
        a["id"]: (a["status"], a["supersedes"], a["superseded_by"]) for a in good.planning["adrs"]
    }
    assert adrs == {
        "ADR-001": ("superseded", [], ["ADR-002"]),
        "ADR-002": ("accepted", ["ADR-001"], []),
    }
    phases = {p["id"]: (p["title"], p["orders"]) for p in good.planning["phases"]}
    assert phases == {
        "CP1": (
            "Foundations",
            ["ORDER-WRK-1-CP1-001", "ORDER-WRK-2-CP1-002", "ORDER-WRK-3-CP1-003"],
        ),
        "CP2": ("Publishing", ["ORDER-WRK-4-CP2-004"]),
    }


def test_good_urls_in_planning_json_name_built_pages(good: Build) -> None:
    for item in good.planning["orders"] + good.planning["adrs"]:
        page = good.page(item["url"])
        assert page.is_file(), item
        fragment = urlsplit(item["url"]).fragment
        if fragment:
            assert fragment in element_ids(page), item


def test_an_edge_declared_only_by_blocks_is_a_dependency_of_the_other_order(good: Build) -> None:
    # ORDER-WRK-3-CP1-003 says "**Blocks**: ORDER-WRK-2-CP1-002"; 002 itself lists only 001.
    source = (good.project / "orders/ORDER_WRK_2_CP1_RENDERER.md").read_text(encoding="utf-8")
    assert "ORDER-WRK-3-CP1-003" not in source
    assert "ORDER-WRK-3-CP1-003" in good.orders()["ORDER-WRK-2-CP1-002"]["depends_on"]
    page = good.site / "orders/ORDER_WRK_2_CP1_RENDERER/index.html"
    assert cards(page)["ORDER-WRK-2-CP1-002"].ids_in("Depends on") == [
        "ORDER-WRK-1-CP1-001",
        "ORDER-WRK-3-CP1-003",
    ]


@pytest.mark.parametrize("order_id", sorted(GOOD_ORDERS))
def test_good_order_card(good: Build, order_id: str) -> None:
    order = good.orders()[order_id]
    owner, priority, status, phase, depends_on, blocks = GOOD_ORDERS[order_id]
    page = good.page(order["url"])
    card = cards(page)[order_id]
    assert card.compact == ("#" in order["url"])  # entries of a summary get the compact card
    assert card.title == order["title"]
    assert f"plandocs-badge--priority-{priority}" in card.badges
    assert f"plandocs-badge--status-{status}" in card.badges
    assert card.fields["Owner"].split()[0] == owner
    assert card.ids_in("Owner") == [owner]
    assert card.ids_in("Phase") == [phase]
    assert card.ids_in("Depends on") == depends_on
    assert card.ids_in("Blocks") == blocks
    finished = {i for i, v in GOOD_ORDERS.items() if v[2] in ("done", "cancelled")}
    assert card.ids_in("Blocked by") == [d for d in depends_on if d not in finished]
    # Every link of the card leads to the page of what it names.
    targets = {o["id"]: o["url"] for o in good.planning["orders"]}
    for label in ("Depends on", "Blocks", "Blocked by"):
        for href, text in card.links.get(label, []):
            assert resolve_href(page, href) == good.page(targets[text])
            assert urlsplit(href).fragment == urlsplit(targets[text]).fragment
    owner_href = card.links["Owner"][0][0]
    assert resolve_href(page, owner_href) == good.site / f"planning/owners/{owner}/index.html"


def test_good_blocked_by_leaves_out_finished_dependencies(good: Build) -> None:
    card = cards(good.site / "orders/ORDER_WRK_2_CP1_RENDERER/index.html")["ORDER-WRK-2-CP1-002"]
    assert card.ids_in("Blocked by") == ["ORDER-WRK-1-CP1-001"]  # 003 is done


def test_good_order_without_frontmatter_reads_bold_fields(good: Build) -> None:
    card = cards(good.site / "orders/ORDER_WRK_3_CP1_GUIDE/index.html")["ORDER-WRK-3-CP1-003"]
    assert card.fields["Owner"] == "wrk-3 (Docs team)"
    assert "plandocs-badge--priority-low" in card.badges
    assert "plandocs-badge--status-done" in card.badges


def test_good_summary_page_has_an_anchor_and_a_card_per_entry(good: Build) -> None:
    page = good.site / "orders/CP2_ORDERS_SUMMARY/index.html"
    assert {"order-wrk-1-cp1-001", "order-wrk-4-cp2-004"} <= element_ids(page)
    found = cards(page)
    assert sorted(found) == ["ORDER-WRK-1-CP1-001", "ORDER-WRK-4-CP2-004"]
    assert all(card.compact for card in found.values())
    # 001 has its own page: the summary's card points there.
    (canonical,) = found["ORDER-WRK-1-CP1-001"].canonical
    assert resolve_href(page, canonical) == good.site / "orders/ORDER_WRK_1_CP1_PARSER/index.html"
    assert found["ORDER-WRK-4-CP2-004"].canonical == []


def test_good_order_page_links_back_to_the_summary_that_lists_it(good: Build) -> None:
    page = good.site / "orders/ORDER_WRK_1_CP1_PARSER/index.html"
    ((href, title),) = cards(page)["ORDER-WRK-1-CP1-001"].links["Listed in"]
    assert title == "CP2 orders summary"
    assert resolve_href(page, href) == good.site / "orders/CP2_ORDERS_SUMMARY/index.html"
    assert urlsplit(href).fragment == "order-wrk-1-cp1-001"


@pytest.mark.parametrize(
    ("page", "bold", "first_item"),
    [
        ("orders/CP2_ORDERS_SUMMARY/index.html", "Deliverables", "Search index entries for orders"),
        ("orders/CP2_ORDERS_SUMMARY/index.html", "Dependencies", "ORDER-WRK-2-CP1-002"),
        ("orders/ORDER_WRK_1_CP1_PARSER/index.html", "Deliverables", "A parser for frontmatter"),
    ],
)
def test_good_list_right_under_a_bold_line_is_a_list(
    good: Build, page: str, bold: str, first_item: str
) -> None:
    html = (good.site / page).read_text(encoding="utf-8")
    # the first item, linked or not
    pattern = rf"<strong>{bold}</strong>:</p>\s*<ul>\s*<li>(?:<a [^>]*>)?{re.escape(first_item)}"
    assert re.search(pattern, html), f"no <ul> right after **{bold}** on {page}"


def _without_breaks(page: Path) -> str:
    """The page's HTML without the ``<wbr>`` break points the tables put in IDs at hyphens."""
    return page.read_text(encoding="utf-8").replace("<wbr>", "")


def test_good_generated_pages_list_the_orders(good: Build) -> None:
    table = _without_breaks(good.site / "planning/orders/index.html")
    for order_id in GOOD_ORDERS:
        assert f"<code>{order_id}</code>" in table
    phase = _without_breaks(good.site / "planning/phases/CP2/index.html")
    assert "<code>ORDER-WRK-4-CP2-004</code>" in phase
    assert "<code>ORDER-WRK-1-CP1-001</code>" not in phase
    adrs = good.site / "planning/adrs/index.html"
    linked = {resolve_href(adrs, href) for href in parse_links(adrs).links}
    assert good.site / "adr/ADR-001-plain-markdown/index.html" in linked
    assert good.site / "adr/ADR-002-mkdocs-site/index.html" in linked


def test_good_planning_json_is_byte_identical_across_builds(runs: Session, good: Build) -> None:
    again = runs.result("good-again")
    assert again.returncode == 0, again.stderr
    assert again.planning_text == good.planning_text
    pages = sorted(p.relative_to(good.site) for p in good.site.rglob("*.html"))
    assert pages == sorted(p.relative_to(again.site) for p in again.site.rglob("*.html"))
    differ = [p for p in pages if (good.site / p).read_bytes() != (again.site / p).read_bytes()]
    assert differ == []


def test_good_links_resolve_with_directory_urls(good: Build) -> None:
    assert broken_links(good.site) == []


def test_good_links_resolve_without_directory_urls(runs: Session) -> None:
    flat = runs.result("good-flat")
    assert_clean(flat)
    assert (flat.site / "planning/orders.html").is_file()
    assert (flat.site / "planning/phases/CP1.html").is_file()
    assert not (flat.site / "planning/orders/index.html").exists()
    assert broken_links(flat.site) == []
    for order in flat.planning["orders"]:
        assert ".html" in order["url"]
        assert flat.page(order["url"]).is_file(), order


def test_cli_check_passes_on_good(runs: Session) -> None:
    check = runs.cli_result("check:good")
    assert_no_traceback(check)
    assert check.returncode == 0, check.stdout + check.stderr
    assert check.findings() == set()


@pytest.mark.parametrize("name", ["good", "good-flat"])
def test_cli_export_equals_the_build_planning_json(runs: Session, name: str) -> None:
    assert exported(runs, name) == runs.result(name).planning_text


# == bad =================================================================================

BAD_ORDERS = {
    "ORDER-WRK-1-CP1-010",  # frontmatter does not parse; the bold lines still declare it
    "ORDER-WRK-2-CP1-020",  # declared by two files
    "ORDER-WRK-3-CP1-031",
    "ORDER-WRK-3-CP1-032",
    "ORDER-WRK-3-CP1-033",
    "ORDER-WRK-4-CP1-040",
    "ORDER-WRK-5-CP1-050",
    "ORDER-WRK-5-CP1-051",
    "ORDER-WRK-6-CP1-060",
}


def test_bad_fixture_keeps_its_bom_and_crlf() -> None:
    data = (FIXTURES / "bad" / BAD_WINDOWS_FILE).read_bytes()
    assert data.startswith(b"\xef\xbb\xbf---\r\n"), "git normalised the fixture; see .gitattributes"
    assert data.count(b"\r\n") == data.count(b"\n")


def test_bad_strict_build_fails_without_traceback(bad: Build) -> None:
    assert_no_traceback(bad)
    assert bad.returncode != 0


def test_bad_strict_build_logs_exactly_the_expected_lines(bad: Build) -> None:
    assert bad.log == expected_log("bad", bad.log)


def test_bad_strict_build_counts_every_plandocs_finding(bad: Build) -> None:
    errors = sum(line.startswith("ERROR") for line in bad.log)
    warnings = sum(line.startswith("WARNING") for line in bad.log)
    assert (
        f"Aborted with {errors} errors, {warnings} warnings in strict mode!"
        in bad.stdout + bad.stderr
    )
    others = [
        line
        for line in bad.stderr.splitlines()
        if line.startswith(("WARNING", "ERROR")) and line not in bad.log
    ]
    assert others == []  # MkDocs itself found nothing: every problem is plandocs'


def test_bad_build_writes_nothing_into_the_project(bad: Build) -> None:
    before, after = bad.outcome.before, bad.outcome.after
    assert "docs/binary.md" in before and BAD_WINDOWS_FILE in before
    assert sorted(name for name in after if not name.startswith(CACHE)) == sorted(before)
    assert [name for name in before if after[name] != before[name]] == []


def test_bad_loose_build_publishes_everything(bad: Build, bad_loose: Build) -> None:
    assert_no_traceback(bad_loose)
    assert bad_loose.returncode == 0, bad_loose.stderr
    assert bad_loose.log == bad.log
    assert_planning_shape(bad_loose.planning)
    assert set(bad_loose.orders()) == BAD_ORDERS
    for order in bad_loose.planning["orders"]:
        assert bad_loose.page(order["url"]).is_file(), order
    listed = {
        (d["file"], d["line"], d["code"], d["level"], d["message"])
        for d in bad_loose.planning["diagnostics"]
    }
    logged = set()
    for where, level, message, code in bad.findings():
        file, _, line = where.partition(":")
        logged.add((file, int(line or 0), code, level, message))
    assert listed == logged


def test_bad_overview_lists_every_finding(bad_loose: Build) -> None:
    overview = (bad_loose.site / "planning/index.html").read_text(encoding="utf-8")
    for finding in bad_loose.planning["diagnostics"]:
        where = finding["file"] + (f":{finding['line']}" if finding["line"] else "")
        assert f"<code>{where}</code>" in overview
        assert f"<code>{finding['code']}</code>" in overview


def test_bad_unreadable_files_are_left_out_of_the_site(bad_loose: Build) -> None:
    assert not (bad_loose.site / "binary").exists()
    assert not (bad_loose.site / "latin1").exists()
    assert (bad_loose.site / "empty/index.html").is_file()


def test_bad_file_with_bom_and_crlf_parses(bad_loose: Build) -> None:
    order = dict(bad_loose.orders()["ORDER-WRK-6-CP1-060"])
    # its place in time counts from the day of the build: the fixture gives no dates
    place = {key: order.pop(key) for key in ("start", "finish", "slack", "critical", "estimated")}
    assert place["start"] is not None and isinstance(place["slack"], int)
    assert order == {
        "id": "ORDER-WRK-6-CP1-060",
        "title": "Windows line endings",
        "owner": "wrk-6",
        "owner_id": "wrk-6",
        "owners": ["wrk-6"],
        "priority": "critical",
        "status": "in_progress",
        "phase": "CP1",
        "depends_on": ["ORDER-WRK-2-CP1-020"],
        "blocks": [],
        "parent": None,
        "children": [],
        "draft": False,
        "archived": False,
        "canonical": True,
        "source": BAD_WINDOWS_FILE,
        "url": "orders/ORDER_WRK_6_CP1_WINDOWS/",
        "permalink": "id/ORDER-WRK-6-CP1-060/",
    }
    card = cards(bad_loose.site / "orders/ORDER_WRK_6_CP1_WINDOWS/index.html")[
        "ORDER-WRK-6-CP1-060"
    ]
    assert card.fields["Owner"] == "wrk-6 (Desktop team)"
    assert card.title == "Windows line endings"


def test_bad_duplicate_id_keeps_the_first_file(bad_loose: Build) -> None:
    order = bad_loose.orders()["ORDER-WRK-2-CP1-020"]
    assert (order["source"], order["priority"]) == ("orders/ORDER_WRK_2_CP1_FIRST.md", "medium")


def test_bad_links_resolve(bad_loose: Build) -> None:
    assert broken_links(bad_loose.site) == []


def test_cli_check_fails_on_bad_with_the_build_findings(runs: Session, bad: Build) -> None:
    check = runs.cli_result("check:bad")
    assert_no_traceback(check)
    assert check.returncode == 1
    assert check.findings() == bad.findings()


def test_cli_json_findings_equal_planning_json_diagnostics(runs: Session, bad_loose: Build) -> None:
    result = runs.cli_result("json:bad")
    assert result.returncode == 1
    assert json.loads(result.stdout) == bad_loose.planning["diagnostics"]


def test_cli_export_equals_the_build_planning_json_on_bad(runs: Session, bad_loose: Build) -> None:
    assert exported(runs, "bad") == bad_loose.planning_text


# == the project's own site =================================================================

SEED_ORDERS = {
    # id: (owner, priority, status, phase, depends_on), as the two seed summaries give them
    "ORDER-WRK-3-CP2-001": ("wrk-3", "critical", "pending", "CP2", []),
    "ORDER-WRK-2-CP2-002": ("wrk-2", "high", "pending", "CP2", ["ORDER-WRK-3-CP2-001"]),
    "ORDER-WRK-4-CP2-003": ("wrk-4", "medium", "pending", "CP2", []),
    "ORDER-WRK-3-CP2-004": ("wrk-3", "medium", "pending", "CP2", ["ORDER-WRK-3-CP2-001"]),
    "ORDER-WRK-4-OPENRESTY-001": ("wrk-4", "medium", "planned", "CP3-INGRESS", []),
    "ORDER-WRK-4-OPENRESTY-002": (
        "wrk-4", "medium", "planned", "CP4-INTEGRATION", ["ORDER-WRK-4-OPENRESTY-001"],
    ),
}  # fmt: skip


def test_main_site_builds_strict(main_site: Build) -> None:
    assert_no_traceback(main_site)
    assert main_site.returncode == 0, main_site.stderr
    assert [
        line for line in main_site.stderr.splitlines() if line.startswith(("WARNING", "ERROR"))
    ] == []
    assert_planning_shape(main_site.planning)


def test_main_site_orders_of_the_seed_summaries(main_site: Build) -> None:
    orders = main_site.orders()
    got = {
        order_id: tuple(
            orders[order_id][k] for k in ("owner", "priority", "status", "phase", "depends_on")
        )
        for order_id in SEED_ORDERS
        if order_id in orders
    }
    assert got == SEED_ORDERS


@pytest.mark.parametrize(
    ("seed", "codec", "written"),
    [
        ("CP2_ORDERS_SUMMARY", "cp1252", ("🔴 CRITICAL PRIORITY", "├─→", "✅")),
        ("CP3_ORDERS_SUMMARY", "mac-roman", ("🟡", "└─→", "реализованы")),
    ],
)
def test_main_site_shows_the_seeds_as_the_team_wrote_them(
    main_site: Build, seed: str, codec: str, written: tuple[str, ...]
) -> None:
    page = (main_site.site / "orders" / seed / "index.html").read_text(encoding="utf-8")
    for text in written:
        assert text in page
    for mojibake in ("ðŸ", "â”", "âœ", "‚îÇ", "–µ", "\uf8ff"):
        assert mojibake not in page
    reports = [line for line in main_site.stderr.splitlines() if f"orders/{seed}.md" in line]
    assert len(reports) == 1
    assert f"(UTF-8 read as {codec})" in reports[0]
    assert "[plandocs.mojibake-repaired]" in reports[0]


def test_main_site_links_resolve(main_site: Build) -> None:
    assert broken_links(main_site.site) == []
    for item in main_site.planning["orders"] + main_site.planning["adrs"]:
        page = main_site.page(item["url"])
        assert page.is_file(), item
        fragment = urlsplit(item["url"]).fragment
        assert not fragment or fragment in element_ids(page), item


def sidebar_links(page: Path) -> set[Path | None]:
    """What the primary sidebar (the site's navigation) of ``page`` links to."""
    html = page.read_text(encoding="utf-8")
    start = html.index('class="md-sidebar md-sidebar--primary"')
    end = html.index('class="md-sidebar md-sidebar--secondary"', start)
    return {resolve_href(page, href) for href in re.findall(r'href="([^"]*)"', html[start:end])}


def test_main_site_nav_has_a_planning_section(main_site: Build) -> None:
    home = main_site.site / "index.html"
    linked = sidebar_links(home)
    assert main_site.site / "planning/index.html" in linked
    assert main_site.site / "planning/adrs/index.html" in linked
    assert main_site.site / "planning/orders/index.html" in linked
    # phases, owners and statuses are reached from the overview, not the sidebar of every
    # page
    assert not any(f"planning/{kind}/" in str(path) for path in linked for kind in _LISTS)
    overview = main_site.site / "planning/index.html"
    from_overview = {resolve_href(overview, href) for href in parse_links(overview).links}
    assert main_site.site / "planning/owners/wrk-3/index.html" in from_overview
    assert main_site.site / "planning/phases/CP2/index.html" in from_overview
    assert main_site.site / "planning/status/in_progress/index.html" in from_overview


_LISTS = ("phases", "owners", "status")


def test_main_build_writes_nothing_into_the_sources(main_site: Build) -> None:
    assert main_site.outcome.before, "the snapshot saw no file"
    assert main_site.outcome.after == main_site.outcome.before


def test_cli_on_the_main_project_agrees_with_its_build(runs: Session, main_site: Build) -> None:
    check = runs.cli_result("check:main")
    assert_no_traceback(check)
    assert check.returncode == 0, check.stdout
    assert check.findings() == main_site.findings()
    # the CLI reads git's history as the build does (a git checkout): the same done dates
    # in the schedule (start, finish, slack) and the same history of each order
    built = json.loads(main_site.planning_text)
    assert any(order.get("history") for order in built["orders"])
    assert json.loads(exported(runs, "main")) == built


# == edge cases that build clean ============================================================


@pytest.fixture(scope="session")
def edge(runs: Session) -> Build:
    return runs.result("edge")


def test_edge_builds_clean(edge: Build) -> None:
    assert_clean(edge)


def test_edge_links_resolve_with_spaces_and_accents_in_paths(edge: Build) -> None:
    assert broken_links(edge.site) == []
    page = edge.page(edge.orders()["ORDER-WRK-1-CP1-001"]["url"])
    assert page == edge.site / "plans été/Über Plan/index.html"
    assert "ORDER-WRK-1-CP1-001" in cards(page)


def between(html: str, start: str, end: str) -> str:
    """The part of ``html`` from the first ``start`` to the next ``end``."""
    first = html.index(start)
    return html[first : html.index(end, first)]


def test_edge_markup_in_a_title_is_text(edge: Build) -> None:
    # The page's own <title> and Material's nav show the frontmatter title as MkDocs does;
    # what plandocs renders must escape it.
    escaped = "Über &lt;b&gt;bold&lt;/b&gt; &amp; co"
    page = edge.page(edge.orders()["ORDER-WRK-1-CP1-001"]["url"])
    assert cards(page)["ORDER-WRK-1-CP1-001"].title == "Über <b>bold</b> & co"
    card = between(page.read_text(encoding="utf-8"), '<div class="plandocs-card', "</dl>")
    table = between(
        (edge.site / "planning/orders/index.html").read_text(encoding="utf-8"),
        '<table class="plandocs-table',
        "</table>",
    )
    for fragment in (card, table):
        assert escaped in fragment
        assert "<b>" not in fragment


def test_edge_title_keeps_underscores_inside_words(edge: Build) -> None:
    assert edge.orders()["ORDER-WRK-2-CP1-002"]["title"] == "Fix router_result_consumer crash"


def test_edge_owners_with_non_latin_names_stay_apart(edge: Build) -> None:
    orders = edge.orders()
    first, second = orders["ORDER-WRK-2-CP1-002"]["owner"], orders["ORDER-WRK-3-CP1-003"]["owner"]
    assert "unnamed" not in (first, second)
    assert first != second


def test_edge_summary_heading_with_its_own_anchor_is_linkable(edge: Build) -> None:
    url = edge.orders()["ORDER-WRK-4-CP1-004"]["url"]
    assert urlsplit(url).fragment in element_ids(edge.page(url))
    assert edge.orders()["ORDER-WRK-4-CP1-004"]["title"] == "Anchored entry"


# == the CLI sees what the build sees ======================================================


def test_plugins_mapping_build_reads_the_configured_orders_folder(runs: Session) -> None:
    build = runs.result("plugins-mapping")
    assert_clean(build)
    assert list(build.orders()) == ["ORDER-WRK-1-CP1-001"]


def test_cli_reads_plugin_options_from_a_plugins_mapping(runs: Session) -> None:
    assert exported(runs, "plugins-mapping") == runs.result("plugins-mapping").planning_text


def test_excluded_docs_build_ignores_excluded_files(runs: Session) -> None:
    build = runs.result("excluded-docs")
    assert_clean(build)
    assert list(build.orders()) == ["ORDER-WRK-2-CP1-002"]
    assert not (build.site / "drafts").exists()
    assert not (build.site / "templates").exists()


def test_cli_check_skips_files_mkdocs_excludes(runs: Session) -> None:
    check = runs.cli_result("check:excluded-docs")
    assert check.findings() == set()
    assert check.returncode == 0


def test_clash_build_reports_both_clashes(runs: Session) -> None:
    build = runs.result("clash")
    assert_no_traceback(build)
    assert build.returncode != 0
    assert build.log == expected_log("clash", build.log)
    # The file in docs/ wins, and the hand-written page keeps its path.
    assert build.orders()["ORDER-WRK-1-CP1-001"]["source"] == "docs/orders/ORDER_WRK_1_CP1_TWICE.md"
    overview = (build.site / "planning/index.html").read_text(encoding="utf-8")
    assert "Our own planning page" in overview


def test_cli_check_reports_path_clashes(runs: Session) -> None:
    check = runs.cli_result("check:clash")
    assert check.findings() == runs.result("clash").findings()
    assert check.returncode == 1


def test_cli_export_keeps_the_file_the_build_keeps(runs: Session) -> None:
    assert exported(runs, "clash") == runs.result("clash").planning_text


def test_main_site_links_task_ids_to_their_defining_line(main_site: Build) -> None:
    order = (main_site.site / "orders/ORDER_WRK_4_CP3_INGRESS_RATE_LIMITING/index.html").read_text(
        encoding="utf-8"
    )
    assert re.search(
        r'<a href="\.\./CP3_ORDERS_SUMMARY/#cp3-gw-001" title="[^"]+">CP3-GW-001\.\.003</a>', order
    )
    summary = (main_site.site / "orders/CP3_ORDERS_SUMMARY/index.html").read_text(encoding="utf-8")
    assert summary.count('<a id="cp3-gw-001"></a>') == 1


def test_main_site_pages_end_with_what_refers_to_them(main_site: Build) -> None:
    adr = (main_site.site / "adr/ADR-016-c-gateway-migration/index.html").read_text(
        encoding="utf-8"
    )
    section = adr[adr.index('id="referenced-by"') :]
    assert 'href="#referenced-by"' in adr  # in the table of contents
    assert "<strong>Supersedes</strong>" in section
    assert 'href="../ADR-008-nestjs-gateway/"' in section
    assert "<strong>Mentioned in</strong>" in section


def test_main_site_order_pages_draw_their_neighbourhood(main_site: Build) -> None:
    page = (main_site.site / "archive/dev/ORDER_WRK_3_CP2_COMPILATION_FIX/index.html").read_text(
        encoding="utf-8"
    )
    diagram = page[page.index('<div class="plandocs-diagram">') :]
    diagram = diagram[: diagram.index("</svg>")]
    assert '<g id="node' in diagram and "self" in diagram
    assert 'xlink:href="../ORDER_WRK_2_CP2_VALIDATION_SUITE/"' in diagram
    assert "<script" not in diagram


@pytest.mark.parametrize("page", ["planning/phases/CP2/index.html", "planning/orders/index.html"])
def test_main_site_phase_and_index_pages_draw_their_orders(main_site: Build, page: str) -> None:
    html = (main_site.site / page).read_text(encoding="utf-8")
    diagram = html[html.index('<div class="plandocs-diagram">') :]
    diagram = diagram[: diagram.index("</svg>")]
    assert diagram.count('<g id="node') >= 5
    assert "xlink:href=" in diagram


def test_main_site_draws_the_seeds_ascii_trees_above_their_text(main_site: Build) -> None:
    page = (main_site.site / "orders/CP2_ORDERS_SUMMARY/index.html").read_text(encoding="utf-8")
    diagram = page.index("<title>Dependency tree, as drawn in this page</title>")
    folded = page.index("<summary>The dependency tree as written</summary>")
    assert diagram < folded < page.index('id="order-wrk-3-cp2-001"')
    assert "    ├─→ ORDER-WRK-2-CP2-002 (HIGH) [wrk-2]" in page[folded:]  # repaired, as written
    assert 'class="edge mismatch"' not in page  # the seed's tree agrees with its orders
    assert not [line for line in main_site.stderr.splitlines() if "tree-mismatch" in line]


def test_main_site_translations_rank_below_their_order_and_say_their_language(
    main_site: Build,
) -> None:
    index = json.loads((main_site.site / "search/search_index.json").read_text(encoding="utf-8"))
    boosted = {doc["location"]: doc["boost"] for doc in index["docs"] if "boost" in doc}
    # the "Referenced by" lists are not in search, nor their headings' empty sections
    assert not [doc for doc in index["docs"] if doc["title"] == "Referenced by"]
    assert boosted == {"archive/dev/ORDER_WRK_3_CP2_COMPILATION_FIX_RU/": 0.5}
    order = main_site.site / "archive/dev/ORDER_WRK_3_CP2_COMPILATION_FIX/index.html"
    assert "Compilation Error Resolution (RU)" in order.read_text(encoding="utf-8")
