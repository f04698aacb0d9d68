"""The documents users read: the README front page, the Guide on the site, ARCHITECTURE.md
and bench/README.md. The site build (``mkdocs build --strict``) checks the Guide's own links;
these tests check what the build cannot."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

from plandocs.core.diagnostics import ALL_CODES

REPO = Path(__file__).resolve().parent.parent
GUIDE = REPO / "docs" / "guide"
FRONT_PAGES = ("README.md", "ARCHITECTURE.md", "bench/README.md")


def test_every_code_is_documented_on_the_diagnostics_page() -> None:
    """The Diagnostics page's table has a row for every registered code and no other; any
    code that a document names exists. The package's own files (``plandocs.js``,
    ``plandocs.css``) look like codes in backticks and are told apart by being files."""
    page = (GUIDE / "diagnostics.md").read_text(encoding="utf-8")
    codes = {code.id for code in ALL_CODES}
    rows = re.findall(r"^\| `(plandocs\.[a-z-]+)` \|", page, flags=re.MULTILINE)
    assert len(rows) == len(set(rows)), "a code has two rows"
    assert set(rows) == codes
    files = {path.name for path in (REPO / "plugins" / "plandocs").rglob("plandocs.*")}
    documents = [REPO / name for name in FRONT_PAGES] + sorted((REPO / "docs").rglob("*.md"))
    for document in documents:
        text = document.read_text(encoding="utf-8")
        mentioned = set(re.findall(r"`(plandocs\.[a-z-]+)`", text)) - files
        assert mentioned <= codes, f"{document.name} names no code: {sorted(mentioned - codes)}"


def test_the_readme_is_a_front_page() -> None:
    """At most ~200 lines, with the install line, the minimal configuration, CI use and the
    contributors' two commands; everything else is on the site."""
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    assert len(readme.splitlines()) <= 200
    for needed in ("pip install", "plugins:", "plandocs check", "make site", "make test"):
        assert needed in readme, needed


def _nav_files(entries: object) -> set[str]:
    if isinstance(entries, str):
        return {entries}
    if isinstance(entries, list):
        return set().union(*(_nav_files(entry) for entry in entries))
    if isinstance(entries, dict):
        return set().union(*(_nav_files(value) for value in entries.values()))
    return set()


def test_every_guide_page_is_in_the_nav() -> None:
    config = yaml.safe_load((REPO / "mkdocs.yml").read_text(encoding="utf-8"))
    in_nav = _nav_files(config["nav"])
    pages = {path.relative_to(REPO / "docs").as_posix() for path in GUIDE.glob("*.md")}
    assert pages <= in_nav, f"guide pages outside the nav: {sorted(pages - in_nav)}"


@pytest.mark.parametrize("name", FRONT_PAGES)
def test_front_page_links_lead_to_files(name: str) -> None:
    """Relative links in the documents outside the site name files of the repository."""
    document = REPO / name
    text = document.read_text(encoding="utf-8")
    targets = re.findall(r"\]\((?!https?:|#|mailto:)([^)#\s]+)", text)
    missing = [t for t in targets if not (document.parent / t).exists()]
    assert not missing, f"{name} links to files that do not exist: {missing}"
