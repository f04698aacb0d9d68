"""The sealed graph: edges from either side, derived facts, and the checks."""

from __future__ import annotations

import pytest

from plandocs.core.diagnostics import Diagnostic
from plandocs.core.graph import PlanningGraph, seal
from plandocs.core.settings import Settings

from .conftest import parse


def order(order_id: str, **fields: object) -> tuple[str, str]:
    lines = [f"id: {order_id}"]
    for key, value in fields.items():
        lines.append(f"{key}: {value}")
    name = "ORDER_" + order_id.replace("-", "_")[6:] + ".md"
    return name, "---\n" + "\n".join(lines) + "\n---\n# " + order_id + "\n"


def build(*docs: tuple[str, str]) -> tuple[PlanningGraph, list[Diagnostic]]:
    settings = Settings()
    parsed = [parse(text, uri, settings) for uri, text in docs]
    graph, found = seal(parsed, settings)
    return graph, found + [d for p in parsed for d in p.diagnostics]


def codes(found: list[Diagnostic]) -> list[str]:
    return sorted(d.code.removeprefix("plandocs.") for d in found)


def test_an_edge_declared_on_either_side_shows_on_both() -> None:
    graph, found = build(
        order("ORDER-A-1", status="done"),
        order("ORDER-B-2", depends_on="[ORDER-A-1]"),
        order("ORDER-C-3", blocks="[ORDER-B-2]"),
    )
    assert found == []
    assert graph.depends_on("ORDER-B-2") == ("ORDER-A-1", "ORDER-C-3")
    assert graph.dependents("ORDER-C-3") == ("ORDER-B-2",)
    assert graph.dependents("ORDER-A-1") == ("ORDER-B-2",)
    # A is done, so only C still blocks B.
    assert graph.blocked_by("ORDER-B-2") == ("ORDER-C-3",)


def test_transitive_dependencies_and_rollups() -> None:
    graph, _ = build(
        order("ORDER-A-1", priority="high", status="pending", phase="CP2"),
        order("ORDER-B-2", depends_on="[ORDER-A-1]", priority="high", phase="CP2-LC"),
        order("ORDER-C-3", depends_on="[ORDER-B-2]", status="done", to="wrk-1"),
    )
    assert graph.transitive_dependencies("ORDER-C-3") == ("ORDER-A-1", "ORDER-B-2")
    rollup = graph.rollup(graph.orders_in_phase("CP2"))
    assert rollup.total == 2  # CP2 includes its state CP2-LC
    assert rollup.by_priority == (("high", 2),)
    assert rollup.by_status == (("pending", 1), ("unknown", 1))
    assert graph.phases["CP2-LC"].kind == "state"
    assert graph.orders_of("wrk-1") == ("ORDER-C-3",)


def test_orders_in_a_phase_are_those_in_it_or_in_one_of_its_tracks_and_states() -> None:
    graph, _ = build(
        order("ORDER-A-1", phase="CP2-LC"),
        order("ORDER-B-2", phase="[CP3, CP2]"),
        order("ORDER-C-3", phase="[CP2, CP2-LC]"),  # in CP2 twice over: listed once
        order("ORDER-D-4", phase="CP3-INGRESS"),
        order("ORDER-E-5"),
    )

    def naive(phase_id: str) -> tuple[str, ...]:  # the definition, scanning every order
        wanted = {phase_id}
        if graph.phases[phase_id].kind == "phase":
            wanted |= {p.id for p in graph.phases.values() if p.base == phase_id}
        return tuple(o.id for o in graph.orders.values() if wanted & set(o.phases))

    assert graph.orders_in_phase("CP2") == ("ORDER-A-1", "ORDER-B-2", "ORDER-C-3")
    assert graph.orders_in_phase("CP2-LC") == ("ORDER-A-1", "ORDER-C-3")
    assert graph.orders_in_phase("CP3") == ("ORDER-B-2", "ORDER-D-4")
    assert graph.orders_in_phase("CP3-INGRESS") == ("ORDER-D-4",)
    assert all(graph.orders_in_phase(p) == naive(p) for p in graph.phases)
    with pytest.raises(KeyError):  # a phase the graph has not, as before
        graph.orders_in_phase("CP9")


def test_cycle_is_printed_as_the_real_loop() -> None:
    # A -> B -> C -> B: the loop is B, C; A only leads into it.
    graph, found = build(
        order("ORDER-A-1", depends_on="[ORDER-B-2]"),
        order("ORDER-B-2", depends_on="[ORDER-C-3]"),
        order("ORDER-C-3", depends_on="[ORDER-B-2]"),
    )
    assert graph.cycles == (("ORDER-B-2", "ORDER-C-3"),)
    [cycle] = [d for d in found if d.code == "plandocs.cycle"]
    assert "ORDER-B-2 -> ORDER-C-3 -> ORDER-B-2" in cycle.message


def test_done_order_with_unfinished_dependency() -> None:
    _, found = build(
        order("ORDER-A-1", status="in_progress"),
        order("ORDER-B-2", depends_on="[ORDER-A-1]", status="done"),
    )
    [finding] = found
    assert finding.code == "plandocs.done-depends-on-open"
    assert (finding.file, finding.line) == ("ORDER_B_2.md", 4)


def test_unknown_reference_suggests_the_closest_id() -> None:
    _, found = build(
        order("ORDER-WRK-3-CP2-001"), order("ORDER-B-2", depends_on="[ORDER-WRK-3-CP2-01]")
    )
    [finding] = found
    assert finding.code == "plandocs.unknown-ref"
    assert finding.message.endswith("did you mean ORDER-WRK-3-CP2-001?")


def test_self_dependency_is_reported_not_drawn() -> None:
    graph, found = build(order("ORDER-A-1", depends_on="[ORDER-A-1]"))
    assert graph.depends_on("ORDER-A-1") == ()
    assert codes(found) == ["bad-field"]


def test_summary_entry_points_to_the_file_and_conflicts_are_reported() -> None:
    summary = (
        "summary.md",
        "# S\n\n#### ORDER-A-1: From the summary\n\n**Priority**: HIGH  \n**Owner**: wrk-9\n",
    )
    graph, found = build(order("ORDER-A-1", priority="high", to="wrk-1"), summary)
    assert graph.orders["ORDER-A-1"].uri == "ORDER_A_1.md"
    assert [listing.anchor for listing in graph.orders["ORDER-A-1"].listings] == ["order-a-1"]
    [conflict] = found
    assert conflict.code == "plandocs.summary-conflict"
    assert (conflict.file, conflict.line) == ("summary.md", 6)
    assert "owner wrk-9" in conflict.message and "says wrk-1" in conflict.message


def test_summary_fills_fields_the_file_leaves_out() -> None:
    summary = ("summary.md", "#### ORDER-A-1: T\n\n**Timeline**: 2 days\n")
    graph, _ = build(order("ORDER-A-1"), summary)
    assert graph.orders["ORDER-A-1"].timeline == "2 days"


def test_adr_supersession_is_symmetric_and_chained() -> None:
    graph, found = build(
        ("ADR-001-a.md", "---\nstatus: superseded\n---\n# ADR-001: A\n"),
        ("ADR-002-b.md", "---\nstatus: superseded\nsupersedes: [ADR-001]\n---\n# ADR-002: B\n"),
        ("ADR-003-c.md", "---\nstatus: accepted\n---\n# ADR-003: C\n\n**Supersedes**: ADR-002\n"),
    )
    assert found == []
    assert graph.superseded_by("ADR-001") == ("ADR-002",)
    assert graph.supersedes("ADR-003") == ("ADR-002",)
    assert graph.supersession_chain("ADR-002") == ("ADR-001", "ADR-002", "ADR-003")


def test_language_variant_without_canonical_file_becomes_canonical() -> None:
    graph, found = build(("ORDER_A_RU.md", "---\nid: ORDER-A-1\n---\n# А\n"))
    assert graph.orders["ORDER-A-1"].uri == "ORDER_A_RU.md"
    assert found == []


def test_sealing_is_deterministic() -> None:
    docs = [order(f"ORDER-A-{i}", depends_on=f"[ORDER-A-{(i + 1) % 7}]") for i in range(7)]
    first = build(*docs)
    second = build(*reversed(docs))
    assert list(first[0].orders) == list(second[0].orders)
    assert sorted(first[1]) == sorted(second[1])
    assert first[0].cycles == second[0].cycles


def test_adrs_superseding_in_a_circle_are_an_error() -> None:
    _, found = build(
        ("ADR-021-a.md", "---\nstatus: superseded\nsupersedes: [ADR-023]\n---\n# ADR-021: A\n"),
        ("ADR-022-b.md", "---\nstatus: superseded\nsupersedes: [ADR-021]\n---\n# ADR-022: B\n"),
        ("ADR-023-c.md", "---\nstatus: superseded\nsupersedes: [ADR-022]\n---\n# ADR-023: C\n"),
    )
    [cycle] = [d for d in found if d.code == "plandocs.supersession-cycle"]
    assert "ADR-021 -> ADR-023 -> ADR-022 -> ADR-021" in cycle.message
    assert (cycle.file, cycle.line) == ("ADR-021-a.md", 3)


def test_adr_that_names_an_accepted_successor_must_say_superseded() -> None:
    _, found = build(
        ("ADR-008-a.md", "---\nstatus: accepted\nsuperseded_by: [ADR-016]\n---\n# ADR-008: Old\n"),
        ("ADR-016-b.md", "---\nstatus: accepted\n---\n# ADR-016: New\n"),
        # Partly superseded, said only by the newer ADR: the older one may stay accepted.
        ("ADR-004-c.md", "---\nstatus: accepted\n---\n# ADR-004: Admin API\n"),
        ("ADR-005-d.md", "---\nstatus: accepted\nsupersedes: [ADR-004]\n---\n# ADR-005: Gateway\n"),
    )
    [finding] = found
    assert finding.code == "plandocs.supersession-mismatch"
    assert (finding.file, finding.line) == ("ADR-008-a.md", 2)
    assert "set 'status: superseded'" in finding.message


def test_nygard_status_names_the_successor() -> None:
    graph, found = build(
        (
            "ADR-001-old.md",
            "# ADR-001: Old\n\n## Status\n\nSuperseded by [ADR-002](ADR-002-new.md)\n",
        ),
        ("ADR-002-new.md", "# ADR-002: New\n\n## Status\n\nAccepted\n"),
    )
    assert found == []
    assert graph.superseded_by("ADR-001") == ("ADR-002",)


def test_unknown_reference_names_the_line_it_is_written_on() -> None:
    text = "---\nid: ORDER-A-1\ndepends_on:\n  - ORDER-B-2\n  - ORDER-Z-9\n---\n# A\n"
    _, found = build(("ORDER_A.md", text), order("ORDER-B-2"))
    [finding] = found
    assert (finding.code, finding.line) == ("plandocs.unknown-ref", 5)


def test_supersession_cycle_declared_with_superseded_by_names_that_field() -> None:
    _, found = build(
        ("ADR-005-a.md", "---\nstatus: superseded\nsuperseded_by: [ADR-006]\n---\n# ADR-005: A\n"),
        ("ADR-006-b.md", "---\nstatus: superseded\nsuperseded_by: [ADR-005]\n---\n# ADR-006: B\n"),
    )
    [cycle] = [d for d in found if d.code == "plandocs.supersession-cycle"]
    assert (cycle.file, cycle.line) == ("ADR-005-a.md", 3)


def test_status_line_names_only_the_successor_after_superseded_by() -> None:
    graph, found = build(
        (
            "ADR-001-old.md",
            "# ADR-001: Old\n\n**Status**: Superseded (2024-03-01), see ADR-002; "
            "replaced by ADR-003 and ADR-099\n",
        ),
        ("ADR-002-ctx.md", "# ADR-002: Context\n\n**Status**: Accepted\n"),
        ("ADR-003-new.md", "# ADR-003: New\n\n**Status**: Accepted\n"),
    )
    assert graph.superseded_by("ADR-001") == ("ADR-003",)
    [unknown] = found
    assert (unknown.code, unknown.line) == ("plandocs.unknown-ref", 3)
