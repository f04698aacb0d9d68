"""The planning history reads old versions of files with ``parse_document(state_only=True)``:
the same orders and ADRs, with the same IDs, statuses and phases, as the full parse, on
every Markdown file of the repository (the guide, the seed orders, the golden cases, the
fixtures, the hostile input) and on the benchmark's synthetic repository."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

from plandocs.core.model import OrderRecord, SourceDoc
from plandocs.core.parse.documents import parse_document
from plandocs.core.settings import Settings
from plandocs.project.history import _objects, objects_of
from plandocs.project.load import SourceEntry, source_doc

ROOT = Path(__file__).resolve().parent.parent
#: what a state-only record holds; its other fields keep their defaults
STATE = (
    "id",
    "kind",
    "title",
    "path",
    "uri",
    "line",
    "anchor",
    "lang",
    "status",
    "status_note",
    "phase",
    "phases",
    "draft",
    "archived",
)


def _synthetic(dest: Path) -> list[Path]:
    """The pages of the benchmark's synthetic repository of 200 orders, written to ``dest``."""
    spec = importlib.util.spec_from_file_location("synthetic", ROOT / "bench" / "synthetic.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["synthetic"] = module  # its dataclasses look their module up
    try:
        spec.loader.exec_module(module)
        module.generate(dest, 200)
    finally:
        del sys.modules["synthetic"]
    return sorted(dest.rglob("*.md"))


def _docs(settings: Settings, bench: Path) -> list[SourceDoc]:
    """Every Markdown file of the repository and of the synthetic one in ``bench``, decoded
    as a build decodes it, by its path from the repository's folder."""
    ours = (p for folder in ("docs", "orders", "tests") for p in (ROOT / folder).rglob("*.md"))
    docs = []
    for path in [*_synthetic(bench), *sorted(ours)]:
        name = path.relative_to(bench if path.is_relative_to(bench) else ROOT).as_posix()
        doc = source_doc(SourceEntry(name, name, str(path)), path.read_bytes(), settings)
        if isinstance(doc, SourceDoc):
            docs.append(doc)
    return docs


def _state(record: OrderRecord) -> dict[str, object]:
    return {name: getattr(record, name) for name in STATE}


def test_state_only_reads_what_the_full_parse_reads(tmp_path: Path) -> None:
    settings = Settings()
    docs = _docs(settings, tmp_path / "bench")
    assert len(docs) > 300  # the repository's own pages and the bench's, not an empty glob
    orders = adrs = 0
    for doc in docs:
        full = parse_document(doc, settings)
        brief = parse_document(doc, settings, state_only=True)
        assert (brief.kind, brief.title, brief.adr) == (full.kind, full.title, full.adr), doc.path
        assert [_state(r) for r in brief.orders] == [_state(r) for r in full.orders], doc.path
        assert objects_of(doc, settings) == _objects(full), doc.path
        orders += len(full.orders)
        adrs += full.adr is not None
    assert orders > 250 and adrs > 20


def test_state_only_leaves_the_other_fields_and_their_findings_out() -> None:
    text = (
        "---\nid: ORDER-WRK-1-CP1-001\nstatus: in progress\npriority: urgentish\n"
        "depends_on: [ORDER-WRK-1-CP1-002]\ndue: someday\n---\n\n# Title\n\n"
        "```\nORDER-WRK-1-CP1-001\n└── ORDER-WRK-1-CP1-002\n```\n"
    )
    doc = SourceDoc("orders/ORDER_WRK_1_CP1_001.md", "orders/ORDER_WRK_1_CP1_001.md", text)
    full = parse_document(doc, Settings())
    brief = parse_document(doc, Settings(), state_only=True)
    assert _state(brief.orders[0]) == _state(full.orders[0])
    assert brief.orders[0].status == "in_progress" and brief.orders[0].phase == "CP1"
    # the full parse reads the rest, and reports the priority and the date
    assert full.orders[0].depends_on == ("ORDER-WRK-1-CP1-002",) and full.trees
    assert {d.message.split()[0] for d in full.diagnostics} == {"unknown", "'due'"}
    skipped = brief.orders[0]
    assert (skipped.depends_on, skipped.priority, skipped.due, skipped.field_lines) == (
        None,
        None,
        None,
        {},
    )
    assert brief.trees == () and brief.diagnostics == ()
