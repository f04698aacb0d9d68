"""Plugin behaviour that only a real build shows: the nav, and files MkDocs leaves out."""

from __future__ import annotations

import json
from pathlib import Path

from .test_config import build


def project(root: Path, mkdocs_yml: str) -> Path:
    (root / "docs").mkdir()
    (root / "docs" / "index.md").write_text("# Home\n", encoding="utf-8")
    (root / "orders" / "drafts").mkdir(parents=True)
    order = "---\nid: ORDER-A-1\ntitle: {}\n---\n# {}\n"
    (root / "orders" / "ORDER_A.md").write_text(order.format("Real", "Real"), encoding="utf-8")
    (root / "orders" / "drafts" / "ORDER_A.md").write_text(
        order.format("Draft", "Draft"), encoding="utf-8"
    )
    config = root / "mkdocs.yml"
    config.write_text("site_name: t\ntheme:\n  name: material\n" + mkdocs_yml, encoding="utf-8")
    return config


def test_exclude_docs_applies_to_the_orders_folder(tmp_path: Path) -> None:
    config = project(tmp_path, "exclude_docs: orders/drafts/\nplugins:\n  - plandocs\n")
    result = build(config)
    assert result.returncode == 0, result.stderr
    data = json.loads((tmp_path / "s" / "planning.json").read_text(encoding="utf-8"))
    assert [(o["id"], o["title"]) for o in data["orders"]] == [("ORDER-A-1", "Real")]
    assert not (tmp_path / "s" / "orders" / "drafts").exists()


def test_a_nav_that_lists_planning_pages_is_left_as_written(tmp_path: Path) -> None:
    config = project(
        tmp_path,
        "exclude_docs: orders/drafts/\n"
        "nav:\n  - index.md\n  - Orders: planning/orders.md\nplugins:\n  - plandocs\n",
    )
    result = build(config)
    assert result.returncode == 0, result.stderr
    home = (tmp_path / "s" / "index.html").read_text(encoding="utf-8")
    # Once in the nav, where the writer put it; no Planning section appended.
    assert home.count('<a href="planning/orders/" class="md-nav__link">') == 1
    assert "Planning overview" not in home


def test_links_written_for_the_repository_work_in_the_site(tmp_path: Path) -> None:
    config = project(tmp_path, "exclude_docs: orders/drafts/\nplugins:\n  - plandocs\n")
    (tmp_path / "docs" / "adr").mkdir()
    (tmp_path / "docs" / "adr" / "ADR-001-x.md").write_text("# ADR-001: X\n", encoding="utf-8")
    order = tmp_path / "orders" / "ORDER_A.md"
    order.write_text(
        order.read_text(encoding="utf-8") + "\nSee [the ADR](../docs/adr/ADR-001-x.md).\n",
        encoding="utf-8",
    )
    (tmp_path / "docs" / "index.md").write_text(
        "# Home\n\nThe [order](../orders/ORDER_A.md).\n", encoding="utf-8"
    )
    result = build(config, "--strict")
    assert result.returncode == 0, result.stderr
    page = (tmp_path / "s" / "orders" / "ORDER_A" / "index.html").read_text(encoding="utf-8")
    assert '<a href="../../adr/ADR-001-x/">the ADR</a>' in page
    home = (tmp_path / "s" / "index.html").read_text(encoding="utf-8")
    assert '<a href="orders/ORDER_A/">order</a>' in home


def test_not_in_nav_applies_to_the_orders_folder(tmp_path: Path) -> None:
    config = project(
        tmp_path,
        "exclude_docs: orders/drafts/\nnot_in_nav: /orders/\n"
        "nav:\n  - index.md\nplugins:\n  - plandocs\n",
    )
    result = build(config, "--strict")
    assert result.returncode == 0, result.stderr
    assert 'not included in the "nav"' not in result.stderr
    assert (tmp_path / "s" / "orders" / "ORDER_A" / "index.html").exists()
