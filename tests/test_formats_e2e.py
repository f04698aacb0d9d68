"""End to end: the mixed-formats fixture (adr-tools and MADR 4 ADRs, a Backlog.md backlog
and orders written by hand in the shapes of issue 23) built with a real
``mkdocs build --strict``: every task, order and ADR is on the site with its owner, status
and dependencies, and nothing is reported or raised. Also the Backlog.md 1.52 fixture:
its archived task, draft and hand-written task as Backlog.md wrote them.
"""

from __future__ import annotations

import html
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from .test_adrs import INVENTORY
from .test_build_e2e import ENV, TIMEOUT

FORMATS = Path(__file__).resolve().parent / "fixtures" / "formats"
MIXED = FORMATS / "mixed"

#: order or task ID -> (owner as shown, status, depends on, part of)
CARDS = {
    "ORDER-WRK-1-CP1-001": ("wrk-1", "done", [], None),
    "ORDER-WRK-2-CP2-002": ("wrk-2", "in_progress", ["ORDER-WRK-1-CP1-001"], None),
    "ORDER-WRK-3-CP2-003": ("wrk-3", "planned", ["ORDER-WRK-2-CP2-002"], None),
    "ORDER-WRK-4-CP2-004": (
        "wrk-4",
        "planned",
        ["ORDER-WRK-2-CP2-002", "ORDER-WRK-3-CP2-003"],
        None,
    ),
    "BACK-1": ("alice", "done", [], None),
    "BACK-2": ("bob", "in_progress", ["BACK-1"], None),
    "BACK-2.1": ("carol", "pending", [], "BACK-2"),
}


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, subprocess.CompletedProcess[str]]:
    project = tmp_path_factory.mktemp("mixed") / "project"
    shutil.copytree(MIXED, project, ignore=shutil.ignore_patterns(".cache", "site"))
    # MADR 4's README (copied as MADR says) links its other templates, which the fixture
    # does not hold: MkDocs' own link check, not plandocs, would fail the strict build
    with (project / "mkdocs.yml").open("a", encoding="utf-8") as config:
        config.write("\nvalidation:\n  links:\n    not_found: info\n")
    done = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "-d", "site"],
        cwd=project,
        env=ENV,
        capture_output=True,
        text=True,
        timeout=TIMEOUT,
        check=False,
    )
    return project / "site", done


def _pages(root: Path) -> dict[str, str]:
    return {str(p.relative_to(root)): p.read_text(encoding="utf-8") for p in root.rglob("*.html")}


def _card(pages: dict[str, str], order_id: str) -> str:
    """The order's card on its own page (the one whose card is no summary entry).

    The card's own ``div``: the timelines' Gantt bars carry the same ``data-order``.
    """
    marker = f'<div class="plandocs-card" data-order="{order_id}"'
    for text in pages.values():
        start = text.find(marker)
        if start >= 0 and "plandocs-card__canonical" not in text[start : text.find("</dl>", start)]:
            return text[start : text.find("</dl>", start)]
    raise AssertionError(f"no card for {order_id}")


def test_the_mixed_project_builds_strict_without_a_finding(
    site: tuple[Path, subprocess.CompletedProcess[str]],
) -> None:
    _, done = site
    assert done.returncode == 0, done.stderr
    assert "Traceback" not in done.stderr
    assert "plandocs:" not in done.stderr, done.stderr


@pytest.mark.parametrize("order_id", sorted(CARDS))
def test_every_order_and_task_has_its_card_right(
    site: tuple[Path, subprocess.CompletedProcess[str]], order_id: str
) -> None:
    owner, status, depends_on, parent = CARDS[order_id]
    card = _card(_pages(site[0]), order_id)
    fields = dict(re.findall(r"<dt>([^<]+)</dt><dd>(.*?)</dd>", card, re.DOTALL))
    assert re.search(rf">{re.escape(owner)}</a>", fields["Owner"]), fields["Owner"]
    assert f"plandocs-badge--status-{status}" in card
    linked = re.findall(r'class="plandocs-ref"[^>]*>([^<]+)</a>', fields["Depends on"])
    assert sorted(html.unescape(x) for x in linked) == sorted(depends_on)
    if parent:
        assert f">{parent}</a>" in fields["Part of"]


def test_a_parent_lists_its_subtasks(site: tuple[Path, subprocess.CompletedProcess[str]]) -> None:
    card = _card(_pages(site[0]), "BACK-2")
    assert re.search(r"<dt>Subtasks</dt><dd>.*>BACK-2\.1</a>", card)


def test_every_adr_is_on_the_adr_index(site: tuple[Path, subprocess.CompletedProcess[str]]) -> None:
    index = (site[0] / "planning" / "adrs" / "index.html").read_text(encoding="utf-8")
    adrs = [
        *INVENTORY.fixture("mixed/docs/architecture/decisions"),
        *INVENTORY.fixture("mixed/docs/decisions"),
    ]
    assert len(adrs) == 7
    for adr in adrs:
        assert f"ADR-{int(adr['key']):03d}" in index
        assert html.escape(adr["title"], quote=False) in index


def test_a_step_number_is_not_linked_as_its_phase(
    site: tuple[Path, subprocess.CompletedProcess[str]],
) -> None:
    page = (site[0] / "orders" / "ORDER_WRK_4_CP2_SEARCH" / "index.html").read_text(
        encoding="utf-8"
    )
    assert "Step CP2.3 of the plan" in page
    assert "</a>.3" not in page


@pytest.fixture(scope="module")
def backlog_site(
    tmp_path_factory: pytest.TempPathFactory,
) -> tuple[Path, subprocess.CompletedProcess[str]]:
    project = tmp_path_factory.mktemp("backlog") / "project"
    shutil.copytree(FORMATS / "backlog", project, ignore=shutil.ignore_patterns(".cache", "site"))
    done = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "-d", "site"],
        cwd=project,
        env=ENV,
        capture_output=True,
        text=True,
        timeout=TIMEOUT,
        check=False,
    )
    return project / "site", done


def test_a_backlog_builds_strict_with_its_two_notes(
    backlog_site: tuple[Path, subprocess.CompletedProcess[str]],
) -> None:
    site, done = backlog_site
    assert done.returncode == 0, done.stderr
    assert "Traceback" not in done.stderr
    notes = re.findall(r"^(\w+) +-  plandocs: .*\[(plandocs\.[a-z-]+)\]$", done.stderr, re.M)
    assert notes == [("INFO", "plandocs.duplicate-id"), ("INFO", "plandocs.yaml-quoted")]
    pages = _pages(site)
    archived = pages["backlog/archive/tasks/back-5 - Old-admin-theme/index.html"]
    assert "Archived. BACK-5 is now the ID of" in archived
    assert "plandocs-badge--archived" in archived
    assert ">gpt-5.5-xhigh</a>" in _card(pages, "BACK-3.2")
    assert "plandocs-badge--draft" in _card(pages, "DRAFT-1")
    assert re.search(r">alice</a>, bob</dd>", _card(pages, "BACK-3"))
