"""``plandocs schema``: JSON Schema of order and ADR frontmatter, checked against the parser.

Two promises: every order and ADR the examples and fixtures hold passes the schema where the
parser takes it without a finding, and what the schema rejects, ``plandocs check`` reports.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import yaml
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from plandocs.cli import common
from plandocs.cli import main as cli
from plandocs.core.model import SourceDoc
from plandocs.core.parse import adrs, fields
from plandocs.core.parse.documents import parse_document
from plandocs.core.parse.frontmatter import read as read_frontmatter
from plandocs.core.schema import frontmatter_schema
from plandocs.core.settings import Settings
from plandocs.project.load import Project, discover, load

from .conftest import ROOT

FIXTURES = ROOT / "tests" / "fixtures"
GOLDEN = ROOT / "tests" / "golden"
# the findings that mean "this frontmatter value is wrong"
FIELD_CODES = {"plandocs.bad-field", "plandocs.unknown-value", "plandocs.bad-frontmatter"}


def validator(settings: Settings, kind: str) -> jsonschema.Draft202012Validator:
    schema = frontmatter_schema(settings, kind)  # type: ignore[arg-type]
    jsonschema.Draft202012Validator.check_schema(schema)
    return jsonschema.Draft202012Validator(schema)


def as_json(data: object) -> Any:
    """Frontmatter as an editor's YAML server sees it: dates are text."""
    return json.loads(json.dumps(data, default=str))


def project_of(folder: Path) -> Project:
    if (folder / "mkdocs.yml").is_file():
        return cli.load_project(folder / "mkdocs.yml")[0]
    settings = Settings(orders_dir="")  # a golden case, as tests/test_golden.py loads it
    return load(discover(folder, "input", settings), settings)


def projects() -> list[Path]:
    found = [ROOT, *(p.parent for p in sorted(FIXTURES.rglob("mkdocs.yml")))]
    found += sorted(p.parent for p in GOLDEN.glob("*/input"))
    return found


def checked(folder: Path) -> list[tuple[str, str, list[str], set[int]]]:
    """Each order or ADR file with frontmatter: (path, kind, the schema's complaints, the
    lines of the frontmatter where the parser reported a field)."""
    project = project_of(folder)
    schemas = {kind: validator(project.settings, kind) for kind in ("order", "adr")}
    out = []
    for parsed in project.parsed.values():
        if parsed.kind not in ("order", "adr"):
            continue
        front = read_frontmatter(parsed.doc.text)
        if not front.present or front.error:
            continue
        errors = [e.message for e in schemas[parsed.kind].iter_errors(as_json(front.data))]
        lines = {
            d.line
            for d in parsed.diagnostics
            if d.code in FIELD_CODES and 1 <= d.line <= front.body_start
        }
        out.append((parsed.doc.path, parsed.kind, errors, lines))
    return out


def test_the_example_site_passes() -> None:
    """The repository's own orders and ADRs (orders/, docs/) pass: nothing to underline."""
    results = checked(ROOT)
    assert len(results) >= 3, results
    assert [(path, errors) for path, _, errors, _ in results if errors] == []


def test_good_fixtures_pass() -> None:
    for name in ("good", "edge", "plugins-mapping"):
        results = checked(FIXTURES / name)
        assert [(path, errors) for path, _, errors, _ in results if errors] == [], name


@pytest.mark.parametrize("folder", projects(), ids=lambda p: str(p.relative_to(ROOT)) or ".")
def test_what_the_schema_rejects_the_parser_reports(folder: Path) -> None:
    """Over every example and fixture: a frontmatter the schema rejects has a finding about
    one of its fields."""
    for path, kind, errors, lines in checked(folder):
        if errors:
            assert lines, f"{path} ({kind}): the schema says {errors}, the parser says nothing"


def test_the_fixtures_exercise_both_answers() -> None:
    """The sweep above covers frontmatters the schema takes and some it rejects."""
    results = [r for folder in projects() for r in checked(folder)]
    kinds = {(kind, bool(errors)) for _, kind, errors, _ in results}
    assert {("order", False), ("order", True), ("adr", False), ("adr", True)} <= kinds


# -- a table of frontmatters, through the real `plandocs check` ---------------------------
CASE = "orders/ORDER_WRK_1_CP2_001.md"
ADR_CASE = "docs/adr/ADR-017-use-nats.md"


def write_project(tmp_path: Path, case: str, front: str) -> None:
    (tmp_path / "mkdocs.yml").write_text(
        "site_name: t\nplugins:\n  - plandocs:\n      orders_dir: orders\n"
        "      field_aliases:\n        lead: owner\n",
        encoding="utf-8",
    )
    (tmp_path / "orders").mkdir()
    (tmp_path / "docs" / "adr").mkdir(parents=True)
    (tmp_path / "docs" / "index.md").write_text("# Home\n", encoding="utf-8")
    (tmp_path / "orders" / "ORDER_WRK_1_CP2_002.md").write_text(
        "---\norder_id: ORDER-WRK-1-CP2-002\ntitle: Other\nstatus: pending\n---\n\n# Other\n",
        encoding="utf-8",
    )
    (tmp_path / "docs" / "adr" / "ADR-016-use-tcp.md").write_text(
        "---\nstatus: accepted\n---\n\n# ADR-016: Use TCP\n", encoding="utf-8"
    )
    if case == ADR_CASE:
        (tmp_path / "orders" / "ORDER_WRK_1_CP2_001.md").write_text(
            "---\norder_id: ORDER-WRK-1-CP2-001\n---\n\n# One\n", encoding="utf-8"
        )
    body = "# ADR-017: Use NATS\n" if case == ADR_CASE else "# One\n"
    (tmp_path / case).write_text(f"---\n{front}\n---\n\n{body}", encoding="utf-8")


def run_check(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> list[dict[str, Any]]:
    capsys.readouterr()
    cli.main(["check", "-f", str(tmp_path / "mkdocs.yml"), "--format", "json"])
    findings: list[dict[str, Any]] = json.loads(capsys.readouterr().out)
    return findings


def schema_errors(tmp_path: Path, case: str, kind: str) -> list[str]:
    settings = common.settings_from_options(
        common.plugin_options(common.read_mkdocs_config(tmp_path / "mkdocs.yml"))
    )
    data = as_json(read_frontmatter((tmp_path / case).read_text(encoding="utf-8")).data)
    return [e.message for e in validator(settings, kind).iter_errors(data)]


BAD_ORDERS = [
    "order_id: ORDER-WRK-1-CP2-001\npriority: super",
    "order_id: ORDER-WRK-1-CP2-001\npriority: 1",
    "order_id: ORDER-WRK-1-CP2-001\nPriority: meh",
    "order_id: ORDER-WRK-1-CP2-001\nstatus: finito",
    "order_id: ORDER-WRK-1-CP2-001\nstatus: yes",
    "order_id: ORDER-WRK-1-CP2-001\nstatus: [1, 2]",
    "order_id: order-wrk-1-cp2-001",
    "order_id: WRK-1-CP2-001",
    "order_id: [ORDER-WRK-1-CP2-001]",
    "id: nope",
    "order-id: 7",
    "order_id: ORDER-WRK-1-CP2-001\ntitle: [a, b]",
    "order_id: ORDER-WRK-1-CP2-001\nphase: cp2",
    "order_id: ORDER-WRK-1-CP2-001\nphase: 2",
    "order_id: ORDER-WRK-1-CP2-001\ndepends_on: the router work",
    "order_id: ORDER-WRK-1-CP2-001\ndepends_on: [ORDER-WRK-1-CP2-002, later]",
    "order_id: ORDER-WRK-1-CP2-001\nDepends-On: [3]",
    "order_id: ORDER-WRK-1-CP2-001\nblocks: {a: 1}",
    "order_id: ORDER-WRK-1-CP2-001\nparent: someone",
    "order_id: ORDER-WRK-1-CP2-001\nadrs: [16]",
    "order_id: ORDER-WRK-1-CP2-001\nowner: {name: x}",
    "order_id: ORDER-WRK-1-CP2-001\nAssigned-To: {name: x}",
    "order_id: ORDER-WRK-1-CP2-001\nlead: {name: x}",  # the project's own alias
    "order_id: ORDER-WRK-1-CP2-001\ntimeline: {weeks: 2}",
]
GOOD_ORDERS = [
    'order_id: ORDER-WRK-1-CP2-001\npriority: "\U0001f534 **CRITICAL**"\nstatus: In Progress',
    "order_id: ORDER-WRK-1-CP2-001\npriority: P1\nstatus: wip",
    'order_id: ORDER-WRK-1-CP2-001\npriority: _high_\nstatus: "Won\'t Do"',
    "order_id: ORDER-WRK-1-CP2-001\npriority: [high]\nstatus: pending (waiting for the API)",
    "order_id: ORDER-WRK-1-CP2-001\nPRIORITY: Normal\nStatus: '**Done**'",
    "order_id: ORDER-WRK-1-CP2-001\ndepends_on: none",
    "order_id: ORDER-WRK-1-CP2-001\ndepends_on: None\nblocks: [N/A]",
    "order_id: ORDER-WRK-1-CP2-001\nblocks: No  dependencies.",
    "order_id: ORDER-WRK-1-CP2-001\ndepends_on: []",
    "order_id: ORDER-WRK-1-CP2-001\ndepends_on: ORDER-WRK-1-CP2-002",
    "order_id: ORDER-WRK-1-CP2-001\nDependencies:\n  - ORDER-WRK-1-CP2-002 (the API first)",
    "order_id: ORDER-WRK-1-CP2-001\nphase: CP2\nparent: ORDER-WRK-1-CP2-002",
    "order_id: ORDER-WRK-1-CP2-001\nadrs: [ADR-016]\ntitle: 42",
    "order_id: ORDER-WRK-1-CP2-001\nid: not-read-when-order_id-is-given",
    "order_id: null\nid: ORDER-WRK-1-CP2-001",
    "id: ORDER-WRK-1-CP2-001\nowner: wrk-1 (Core)\nlead: [ann, bob]\nextra: {any: thing}",
    "order_id: ORDER-WRK-1-CP2-001\npriority:\nstatus: ''\nphase:\ndate: 2026-01-02",
]
BAD_ADRS = [
    "status: maybe",
    "status: 3",
    "State: '**Undecided**'",
    "supersedes: the old one",
    "supersedes: [16]",
    "title: {a: 1}",
]
GOOD_ADRS = [
    "status: Accepted (2024-01-02)",
    "status: '**Proposed**'",
    "Status: accepted\ndate: 2024-01-02\ndeciders: [ann, bob]",
    "status: proposed\nrelates-to: ADR-016\nsupersedes: none",
    "status: accepted\nrelated_adrs: ['[TCP](ADR-016-use-tcp.md)']",
]


@pytest.mark.parametrize("front", BAD_ORDERS)
def test_a_bad_order_the_schema_rejects_check_reports(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], front: str
) -> None:
    write_project(tmp_path, CASE, front)
    assert schema_errors(tmp_path, CASE, "order")
    findings = [f for f in run_check(tmp_path, capsys) if f["file"] == CASE]
    assert [f for f in findings if f["code"] in FIELD_CODES], findings


@pytest.mark.parametrize("front", GOOD_ORDERS)
def test_a_good_order_neither_complains(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], front: str
) -> None:
    write_project(tmp_path, CASE, front)
    assert schema_errors(tmp_path, CASE, "order") == []
    assert [f for f in run_check(tmp_path, capsys) if f["file"] == CASE] == []


@pytest.mark.parametrize("front", BAD_ADRS)
def test_a_bad_adr_the_schema_rejects_check_reports(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], front: str
) -> None:
    write_project(tmp_path, ADR_CASE, front)
    assert schema_errors(tmp_path, ADR_CASE, "adr")
    findings = [f for f in run_check(tmp_path, capsys) if f["file"] == ADR_CASE]
    assert [f for f in findings if f["code"] in FIELD_CODES], findings


@pytest.mark.parametrize("front", GOOD_ADRS)
def test_a_good_adr_neither_complains(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], front: str
) -> None:
    write_project(tmp_path, ADR_CASE, front)
    assert schema_errors(tmp_path, ADR_CASE, "adr") == []
    assert [f for f in run_check(tmp_path, capsys) if f["file"] == ADR_CASE] == []


def test_a_named_successor_frees_the_status() -> None:
    """``superseded_by`` makes an ADR superseded whatever its status says (the parser does
    not report the status then), so the schema does not check it either."""
    check = validator(Settings(), "adr")
    assert list(check.iter_errors({"status": "maybe"}))
    assert not list(check.iter_errors({"status": "maybe", "Superseded-By": "ADR-016"}))


def test_the_project_settings_shape_the_schema() -> None:
    """ID and phase patterns, field aliases and ADR statuses come from mkdocs.yml."""
    settings = Settings(
        order_id_pattern=r"TASK-[0-9]+",
        phase_pattern=r"M[0-9]+",
        field_aliases={"assigned_people": "owner"},
        adr_statuses=("parked",),
    )
    order, adr = validator(settings, "order"), validator(settings, "adr")
    assert not list(order.iter_errors({"id": "TASK-12", "phase": "M3", "depends_on": "TASK-1"}))
    assert list(order.iter_errors({"id": "ORDER-WRK-1-CP2-001"}))
    assert list(order.iter_errors({"phase": "CP2"}))
    assert list(order.iter_errors({"assigned_people": {"a": 1}}))
    assert "assigned_people" in frontmatter_schema(settings)["properties"]
    assert not list(adr.iter_errors({"status": "Parked"}))


def test_both_holds_either() -> None:
    check = validator(Settings(), "both")
    assert not list(check.iter_errors({"order_id": "ORDER-WRK-1-CP2-001", "priority": "high"}))
    assert not list(check.iter_errors({"status": "accepted", "supersedes": "ADR-001"}))
    assert list(check.iter_errors({"priority": "meh", "supersedes": "the old one"}))


def test_the_cli_writes_the_schema(tmp_path: Path) -> None:
    out = tmp_path / "plandocs-order.schema.json"
    assert cli.main(["schema", "-f", str(ROOT / "mkdocs.yml"), "-o", str(out)]) == 0
    schema = json.loads(out.read_text(encoding="utf-8"))
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert {"priority", "status", "depends_on", "order_id"} <= set(schema["properties"])


CHECK_JSONSCHEMA = shutil.which("check-jsonschema", path=str(Path(sys.executable).parent))


@pytest.mark.skipif(CHECK_JSONSCHEMA is None, reason="check-jsonschema is not installed")
def test_check_jsonschema_reads_the_patterns_as_ecmascript(tmp_path: Path) -> None:
    """An editor's language server reads the patterns as ECMAScript; check-jsonschema does
    too (regress), so a pattern only Python reads would fail here."""
    schema = tmp_path / "order.json"
    assert cli.main(["schema", "-f", str(ROOT / "mkdocs.yml"), "-o", str(schema)]) == 0
    good, bad = tmp_path / "good.yaml", tmp_path / "bad.yaml"
    good.write_text(
        'order_id: ORDER-WRK-1-CP2-001\npriority: "\U0001f534 **CRITICAL**"\n'
        "status: Won't Do\nphase: CP2-LC\ndepends_on: [none]\n",
        encoding="utf-8",
    )
    bad.write_text("order_id: ORDER-WRK-1-CP2-001\npriority: meh\nphase: cp2\n", encoding="utf-8")
    args = [str(CHECK_JSONSCHEMA), "--regex-variant", "default", "--schemafile", str(schema)]
    ok = subprocess.run(
        [*args, str(good)], check=False, capture_output=True, text=True, timeout=120
    )
    assert ok.returncode == 0, ok.stdout + ok.stderr
    failed = subprocess.run(
        [*args, str(bad)], check=False, capture_output=True, text=True, timeout=120
    )
    assert failed.returncode == 1
    assert "$.priority" in failed.stdout and "$.phase" in failed.stdout


# -- the reverse promise, over values nobody thought of ------------------------------------
_TRICKY = [
    "high",
    "HIGH",
    "p1",
    "🔴 **CRITICAL**",
    "not critical",
    "_high_",
    "in\\_progress",
    "In Progress",
    "won't do",
    "Pending (blocked by ORDER-WRK-1-CP2-002)",
    "(done)",
    "done.",
    "CP2",
    "cp2",
    "CP2-LC",
    "CP3-GW-001",
    "v1.0",
    "ORDER-WRK-1-CP2-002",
    "order-wrk-1-cp2-002",
    "ORDER-WRK-1-CP2-001",
    "none",
    "None",
    "N/A",
    "-",
    "—",
    "",
    " ",
    "**",
    "ADR-016",
    "adr 16",
    "docs/adr-16.md",
    "[TCP](ADR-016-use-tcp.md)",
    "accepted",
    "Accepted (2024-01-02)",
    "superseded by ADR-016",
    "maybe",
    "wrk-1 (Core)",
    "@ann, @bob",
    "2024-01-02",
    "x" * 90,
]
_SCALARS = st.one_of(
    st.sampled_from(_TRICKY),
    # YAML breaks lines at NEL, LS and PS, which the findings' line numbers do not count
    st.text(st.characters(exclude_characters="\x85\u2028\u2029"), max_size=12),
    st.integers(-3, 20),
    st.booleans(),
    st.none(),
    st.floats(allow_nan=False, allow_infinity=False, width=16),
)
_VALUES = st.one_of(
    _SCALARS,
    st.lists(_SCALARS, max_size=3),
    st.dictionaries(st.sampled_from(["a", "high", "ORDER-WRK-1-CP2-002"]), _SCALARS, max_size=2),
)
_ORDER_KEYS = [
    "order_id",
    "order-id",
    "id",
    "title",
    "Title",
    "priority",
    "Priority",
    "status",
    "STATUS",
    "phase",
    "milestone",
    "cp",
    "parent",
    "parent_task_id",
    "depends_on",
    "Depends-On",
    "dependencies",
    "blocked by",
    "blocks",
    "adrs",
    "related_adrs",
    "owner",
    "assignee",
    "lead",
    "issuer",
    "timeline",
    "file",
    "date",
    "type",
    "supersedes",
    "notes",
]
_ADR_KEYS = [
    "title",
    "id",
    "status",
    "Status",
    "state",
    "date",
    "deciders",
    "supersedes",
    "superseded_by",
    "Superseded-By",
    "amends",
    "related_adrs",
    "relates to",
    "see also",
    "depends on",
    "notes",
]
LEAD = Settings(field_aliases={"lead": "owner"}, adr_statuses=("parked",))
LEAD_SCHEMAS = {kind: validator(LEAD, kind) for kind in ("order", "adr")}


def _findings_about_frontmatter(path: str, data: dict[str, object]) -> tuple[list[str], bool]:
    """The schema's complaints about ``data`` as the frontmatter of ``path``, and whether the
    parser reported one of its fields."""
    text = "---\n" + yaml.safe_dump(data, allow_unicode=True, sort_keys=False) + "---\n\n# T\n"
    parsed = parse_document(SourceDoc(path=path, uri=path, text=text), LEAD)
    front = read_frontmatter(text)
    check = LEAD_SCHEMAS["adr" if parsed.kind == "adr" else "order"]
    errors = [e.message for e in check.iter_errors(as_json(front.data))]
    reported = any(
        d.code in FIELD_CODES and 1 <= d.line <= front.body_start for d in parsed.diagnostics
    )
    return errors, reported


def _one_spelling_each(data: dict[str, object]) -> bool:
    """No field given under two spellings (``status`` and ``STATUS``): the parser reads the
    last and says nothing of the other, which a schema, blind to key order, cannot follow
    (a known gap, see plandocs.core.schema)."""
    named = []
    for key in data:
        name = fields.field_name(key, LEAD.field_aliases)
        adr_name = adrs._META_KEYS.get(key.lower().replace("_", " ").replace("-", " "))
        if name not in (None, "id", "title"):
            named.append(name)
        if adr_name is not None:
            named.append(f"adr-{adr_name}")
    return len(named) == len(set(named))


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.dictionaries(st.sampled_from(_ORDER_KEYS), _VALUES, min_size=1, max_size=4))
def test_any_order_frontmatter_the_schema_rejects_is_reported(data: dict[str, object]) -> None:
    assume(_one_spelling_each(data))
    errors, reported = _findings_about_frontmatter("orders/ORDER_WRK_1_CP2_001.md", data)
    assert reported or not errors, errors


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.dictionaries(st.sampled_from(_ADR_KEYS), _VALUES, min_size=1, max_size=4))
def test_any_adr_frontmatter_the_schema_rejects_is_reported(data: dict[str, object]) -> None:
    assume(_one_spelling_each(data))
    errors, reported = _findings_about_frontmatter("docs/adr/ADR-017-use-nats.md", data)
    assert reported or not errors, errors
