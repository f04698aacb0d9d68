"""Golden cases: a folder of input files in, the graph and the findings out.

Each case under tests/golden/<case>/ has an ``input/`` folder (read as a docs folder) and
the expected ``graph.json`` (planning.json as the CLI exports it) and ``diagnostics.txt``;
a case with a ``pages/`` folder (``links``) also has each page as the plugin hands it to
MkDocs.
After a deliberate change, regenerate with ``PLANDOCS_UPDATE_GOLDEN=1 pytest tests/test_golden.py``
and review the diff like code.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from plandocs.core.parse.frontmatter import block_lines
from plandocs.core.settings import Settings
from plandocs.core.urls import SiteUrls
from plandocs.project.load import Project, discover, load
from plandocs.render.export import planning_json
from plandocs.render.pages import Renderer

from .conftest import ROOT

GOLDEN = Path(__file__).parent / "golden"
CASES = sorted(p.name for p in GOLDEN.iterdir() if (p / "input").is_dir())
UPDATE = os.environ.get("PLANDOCS_UPDATE_GOLDEN") == "1"


def load_case(folder: Path) -> Project:
    settings = Settings(orders_dir="")
    return load(discover(folder, "input", settings), settings)


def outputs(project: Project, *, pages: bool = False) -> dict[str, str]:
    """The graph and the findings; with ``pages``, also each page as the plugin hands it to
    MkDocs (frontmatter gone, cards, anchors, links, Referenced by), under pages/."""
    out = {
        "graph.json": planning_json(project.graph, project.diagnostics, SiteUrls()),
        "diagnostics.txt": "".join(f"{d.level.value}: {d.format()}\n" for d in project.diagnostics),
    }
    if pages:
        renderer = Renderer(
            project.graph,
            project.settings,
            SiteUrls(),
            diagnostics=project.diagnostics,
            references=project.references,
        )
        for uri, doc in sorted(project.docs.items()):
            body = (
                doc.text.split("\n", block_lines(doc.text))[-1]
                if block_lines(doc.text)
                else doc.text
            )
            out[f"pages/{uri}"] = renderer.inline(renderer.decorate(body, uri), uri)
    return out


def check_against(folder: Path, produced: dict[str, str]) -> None:
    for name, text in produced.items():
        expected = folder / name
        if UPDATE:
            expected.parent.mkdir(parents=True, exist_ok=True)
            expected.write_text(text, encoding="utf-8")
        assert expected.read_text(encoding="utf-8") == text, f"{folder.name}/{name} differs"


@pytest.mark.parametrize("case", CASES)
def test_golden_case(case: str) -> None:
    folder = GOLDEN / case
    pages = (folder / "pages").is_dir() or (UPDATE and case == "links")
    check_against(folder, outputs(load_case(folder), pages=pages))


def test_seeds_golden() -> None:
    """Both seed summaries exactly as the team has them (the copies in orders/)."""
    settings = Settings()
    project = load(
        [e for e in discover(ROOT, "no-docs", settings) if "ORDERS_SUMMARY" in e.uri], settings
    )
    check_against(GOLDEN / "seeds", outputs(project))


def test_orders_folder_holds_the_seeds_unchanged() -> None:
    seeds = ROOT / "tests" / "fixtures" / "seeds"
    assert sorted(p.name for p in seeds.glob("*.md")) == [
        "CP2_ORDERS_SUMMARY.md",
        "CP3_ORDERS_SUMMARY.md",
    ]
    for seed in sorted(seeds.glob("*.md")):
        assert (ROOT / "orders" / seed.name).read_bytes() == seed.read_bytes()
