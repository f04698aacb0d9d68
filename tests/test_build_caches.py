"""The caches a build keeps beside the page cache: compiled templates, the Gantt charts as
fragments, and which SVG each diagram of the planning graph had."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

from plandocs.cache.diagrams import DiagramIndex, diagrams_made_from
from plandocs.core.model import SourceDoc
from plandocs.core.schedule import schedule
from plandocs.core.settings import Settings
from plandocs.core.urls import SiteUrls
from plandocs.graphviz.render import BackgroundDrawing, SvgRenderer
from plandocs.render.gantt import chart_facts
from plandocs.render.jinja import Templates

from .test_graph import build, order


def test_compiled_templates_are_kept_and_an_edited_override_is_compiled_again(
    tmp_path: Path,
) -> None:
    overrides, compiled = tmp_path / "overrides", tmp_path / "cache" / "templates"
    overrides.mkdir()
    (overrides / "mine.html").write_text("one {{ x }}\n", encoding="utf-8")
    first = Templates(SiteUrls(), str(overrides), bytecode_cache=compiled)
    assert first.plain("mine.html", x=1) == "one 1\n"
    assert list(compiled.iterdir())  # kept for the next build
    (overrides / "mine.html").write_text("two {{ x }}\n", encoding="utf-8")
    again = Templates(SiteUrls(), str(overrides), bytecode_cache=compiled)
    assert again.plain("mine.html", x=2) == "two 2\n"


def _facts(*docs: tuple[str, str], today: date = date(2025, 2, 5), page: str = "t.md") -> Any:
    graph, _ = build(*docs)
    plan = schedule(graph, Settings(schedule_start=date(2025, 2, 3)), today=today)
    sections = [("CP2: Core", [("Owner ann", sorted(graph.orders))])]
    return chart_facts(graph, plan, SiteUrls(), page, sections, today=today)


def test_a_gantt_charts_key_changes_with_whatever_the_chart_shows() -> None:
    first = order("ORDER-A-1", timeline="2 days", to="ann", status="done")
    second = order("ORDER-B-2", timeline="3 days", depends_on="[ORDER-A-1]", to="ann")
    facts = _facts(first, second)
    assert facts == _facts(first, second)
    shorter = order("ORDER-B-2", timeline="1 day", depends_on="[ORDER-A-1]", to="ann")
    retitled = order("ORDER-B-2", timeline="3 days", depends_on="[ORDER-A-1]", to="ann", title="X")
    unowned = order("ORDER-B-2", timeline="3 days", depends_on="[ORDER-A-1]")
    free = order("ORDER-B-2", timeline="3 days", to="ann")
    for other in (shorter, retitled, unowned, free):
        assert _facts(first, other) != facts, other
    assert _facts(first, second, today=date(2025, 2, 6)) != facts
    assert _facts(first, second, page="other/t.md") != facts


def _made_from(text: str, settings: Settings | None = None) -> str:
    doc = SourceDoc(uri="a.md", path="docs/a.md", text=text)
    return diagrams_made_from([doc], settings or Settings(), SiteUrls(), ["dot 2", ""])


def test_the_diagrams_input_is_the_files_settings_urls_and_graphviz() -> None:
    first = _made_from("# A\n")
    assert first == _made_from("# A\n")
    assert first != _made_from("# B\n")
    assert first != _made_from("# A\n", Settings(output_dir="plan"))
    doc = SourceDoc(uri="a.md", path="docs/a.md", text="# A\n")
    assert first != diagrams_made_from([doc], Settings(), SiteUrls(False), ["dot 2", ""])
    assert first != diagrams_made_from([doc], Settings(), SiteUrls(), ["dot 3", ""])


def test_the_diagram_index_is_used_only_for_the_same_input_and_cached_svg(tmp_path: Path) -> None:
    path, cached = tmp_path / "diagrams" / "site.json", {"k1", "k2"}
    index = DiagramIndex(path, "input")
    assert index.known(["a", "b"], cached.__contains__) is None  # nothing stored yet
    index.store({"a": "k1", "b": "k2"})
    assert DiagramIndex(path, "input").known(["b", "a"], cached.__contains__) == {
        "a": "k1",
        "b": "k2",
    }
    assert DiagramIndex(path, "other input").known(["a", "b"], cached.__contains__) is None
    assert DiagramIndex(path, "input").known(["a", "b", "c"], cached.__contains__) is None
    assert DiagramIndex(path, "input").known(["a", "b"], {"k1"}.__contains__) is None
    path.write_text("not JSON", encoding="utf-8")
    assert DiagramIndex(path, "input").known(["a", "b"], cached.__contains__) is None


def test_a_drawing_of_known_diagrams_makes_no_source(tmp_path: Path) -> None:
    svg = SvgRenderer(tmp_path)
    first = BackgroundDrawing(svg, ["a"], lambda: iter([("a", "digraph { x -> y }\n")]))
    drawn, digests = first["a"], first.digests()
    assert svg.has(digests["a"]) and svg.processes == 2  # dot -V, then the drawing

    def no_source() -> Any:
        raise AssertionError("no source is made")

    again = BackgroundDrawing(SvgRenderer(tmp_path), ["a"], no_source, known=digests)
    assert again["a"] == drawn and again.digests() == digests and again.wait() == {}
