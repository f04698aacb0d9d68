from __future__ import annotations

from pathlib import Path

import pytest

from plandocs.core.model import SourceDoc
from plandocs.core.parse.documents import ParsedDoc, parse_document
from plandocs.core.settings import Settings
from plandocs.graphviz import render as graphviz_render


@pytest.fixture(autouse=True)
def _dot_asked_afresh(monkeypatch: pytest.MonkeyPatch) -> None:
    """Each test asks `dot -V` as a process of its own would: once (``SvgRenderer.version``
    keeps the answer for the process), so that the tests counting `dot` processes count
    the same whatever ran before them."""
    monkeypatch.setattr(graphviz_render, "_VERSIONS", {})


ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "orders"


@pytest.fixture
def settings() -> Settings:
    return Settings()


def parse(text: str, uri: str = "orders/page.md", settings: Settings | None = None) -> ParsedDoc:
    """Parse a document given as text; its path for diagnostics is its URI."""
    return parse_document(SourceDoc(path=uri, uri=uri, text=text), settings or Settings())
