from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

from plandocs.core.model import SourceDoc
from plandocs.core.parse.documents import ParsedDoc, parse_document
from plandocs.core.settings import Settings
from plandocs.graphviz import parallel

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "orders"


needs_fork = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="helpers fork")


@pytest.fixture
def forking(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Forks although the test session runs threads of its own (the end-to-end builds'
    pool); the pids of the helpers forked."""
    monkeypatch.setattr(parallel, "fork_available", lambda: True)
    monkeypatch.setattr(parallel, "spare_cores", lambda: 1)  # a machine of one core too
    pids: list[int] = []
    fork = os.fork

    def recorded() -> int:
        pid = fork()
        if pid:
            pids.append(pid)
        return pid

    monkeypatch.setattr(os, "fork", recorded)
    return pids


@pytest.fixture
def settings() -> Settings:
    return Settings()


def parse(text: str, uri: str = "orders/page.md", settings: Settings | None = None) -> ParsedDoc:
    """Parse a document given as text; its path for diagnostics is its URI."""
    return parse_document(SourceDoc(path=uri, uri=uri, text=text), settings or Settings())
