"""Field values as writers spell them, normalised: parametrized tables."""

from __future__ import annotations

import pytest

from plandocs.core.parse import fields
from plandocs.core.settings import Settings


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("CRITICAL", "critical"),
        ("critical", "critical"),
        ("🔴 **CRITICAL**", "critical"),
        ("ðŸ”´ **CRITICAL**", "critical"),  # mojibake around the word must not matter
        ("🟡 **MEDIUM**", "medium"),
        ("High", "high"),
        ("P0", "critical"),
        ("low priority", "low"),
        ("CRITCAL", None),
        ("Not critical", None),
        ("", None),
    ],
)
def test_priority(raw: str, expected: str | None) -> None:
    assert fields.priority(raw) == expected


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("Pending", ("pending", None)),
        ("Pending (blocked by ORDER-WRK-3-CP2-001)", ("pending", "blocked by ORDER-WRK-3-CP2-001")),
        ("Planned (CP3/CP4 split)", ("planned", "CP3/CP4 split")),
        ("In Progress", ("in_progress", None)),
        ("in-progress", ("in_progress", None)),
        ("in_progress", ("in_progress", None)),
        ("✅ Done", ("done", None)),
        ("Completed", ("done", None)),
        ("Canceled", ("cancelled", None)),
        ("**Blocked**", ("blocked", None)),
        ("Pendng", (None, None)),
        ("Not done", (None, None)),
        ("Partially done", (None, None)),
        ("not finished (waiting for review)", (None, "waiting for review")),
    ],
)
def test_status(raw: str, expected: tuple[str | None, str | None]) -> None:
    assert fields.status(raw) == expected


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("wrk-3 (Router Core)", ("wrk-3", "Router Core")),
        ("wrk-2 (Architecture/Tech Lead)", ("wrk-2", "Architecture/Tech Lead")),
        ("WRK-4", ("wrk-4", None)),
        ("**wrk-9**", ("wrk-9", None)),
        ("Project Manager", ("project-manager", None)),
    ],
)
def test_owner(raw: str, expected: tuple[str | None, str | None]) -> None:
    assert fields.owner(raw) == expected


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("@bob,@carol", ["bob", "carol"]),
        ("wrk-3 (Router Core, EU)", ["wrk-3"]),
        ("wrk-1 (Core (EU), x), wrk-2 (y)", ["wrk-1", "wrk-2"]),
        # a comma inside unclosed brackets is inside: one person, named as ``owner`` reads it
        ("wrk-1 ((,()", ["wrk-1"]),
    ],
)
def test_owner_names(raw: str, expected: list[str]) -> None:
    assert fields.owner_names([raw]) == expected
    if len(expected) == 1:  # one person: the name as written is the one of its page's slug
        assert fields.slug(expected[0]) == fields.owner(raw)[0]


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("ADR-016", "ADR-016"),
        ("ADR-16", "ADR-016"),
        ("ADR-01", "ADR-001"),
        ("adr-001-record-architecture-decisions.md", "ADR-001"),
        ("ADR-016-c-gateway-migration.md", "ADR-016"),
        ("ADR-006: NATS as the message bus", "ADR-006"),
        ("docs/adr/ADR-008-nestjs-gateway.md", "ADR-008"),
        ("ADR 7", "ADR-007"),
        ("gateway decision", None),
        ("LADDER-5", None),
    ],
)
def test_adr_id(raw: str, expected: str | None) -> None:
    assert fields.adr_id(raw, 3) == expected


@pytest.mark.parametrize(
    ("items", "expected"),
    [
        (["None"], ((), ())),
        (["None (parallel safe)"], ((), ())),
        (["None beyond migration readiness."], ((), ())),
        (["ORDER-WRK-3-CP2-001"], (("ORDER-WRK-3-CP2-001",), ())),
        (
            ["Successful completion and stabilisation of ORDER-WRK-4-OPENRESTY-001."],
            (("ORDER-WRK-4-OPENRESTY-001",), ()),
        ),
        (["All Router work, CP2.3, CP2.6"], (None, ("All Router work, CP2.3, CP2.6",))),
        (
            ["CP1-ROUTER completed.", "ORDER-A-1"],
            (("ORDER-A-1",), ("CP1-ROUTER completed.",)),
        ),
        ([], ((), ())),
        (["ORDER-X-1, ORDER-Y-2, ORDER-X-1"], (("ORDER-X-1", "ORDER-Y-2"), ())),
    ],
)
def test_order_refs(
    items: list[str], expected: tuple[tuple[str, ...] | None, tuple[str, ...]]
) -> None:
    assert fields.order_refs(items, Settings()) == expected


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("Owner", "owner"),
        ("to", "owner"),
        ("from", "issuer"),
        ("Dependencies", "depends_on"),
        ("Dependencies:", "depends_on"),
        ("CP Mapping", "phase"),
        ("Acceptance (for CP3 portion)", None),
        ("ORDER ID", "id"),
        ("Scope (CP3 portion only)", None),
        ("Timeline", "timeline"),
    ],
)
def test_field_name(raw: str, expected: str | None) -> None:
    assert fields.field_name(raw) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("CP3-INGRESS and CP4-INTEGRATION", ["CP3-INGRESS", "CP4-INTEGRATION"]),
        ("IDs `CP3-GW-001..003`", []),  # a task ID is not a phase
        ("CP2.3, CP2.6", ["CP2"]),
        ("CP3/CP4 work", ["CP3", "CP4"]),
        ("CP2-LC transition", ["CP2-LC"]),
        ("XCP2", []),
    ],
)
def test_phases_in(text: str, expected: list[str]) -> None:
    assert fields.phases_in(text, Settings()) == expected


@pytest.mark.parametrize(
    ("order_id", "expected"),
    [
        ("ORDER-WRK-3-CP2-001", "CP2"),
        ("ORDER-WRK-2-CP2-LC-001", "CP2-LC"),
        ("ORDER-WRK-4-CP3-INGRESS-003", "CP3-INGRESS"),
        ("ORDER-WRK-4-CP3-GW-001", "CP3"),  # GW is a task code, not a track
        ("ORDER-WRK-4-OPENRESTY-001", None),
    ],
)
def test_phase_of_id(order_id: str, expected: str | None) -> None:
    assert fields.phase_of_id(order_id, Settings()) == expected


@pytest.mark.parametrize(
    "raw",
    ["a" * 100_000, "ж" * 300, "wrk-1 " * 50],
)
def test_a_long_owner_slug_fits_a_file_name(raw: str) -> None:
    made = fields.slug(raw)
    assert len(made.encode("utf-8")) <= 200  # a page's folder or file name: 255 bytes at most
    assert made != fields.slug(raw + "x")  # two long names stay two pages


def test_a_short_slug_is_the_name_itself() -> None:
    assert fields.slug("Иван Петров") == "иван-петров"
