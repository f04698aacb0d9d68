"""``plandocs new order|adr``: the file written parses back as what was asked, in the shape
the project already uses, with relations both ways, and adds no finding.

Every case works on a copy (in tmp_path) of a format fixture or of the example site."""

from __future__ import annotations

import re
import shutil
import time
from pathlib import Path

import pytest

from plandocs.cli.main import load_project, main
from plandocs.core.scaffold import AdrEdit, ScaffoldError, adr_shape, edit_adr
from plandocs.project.load import Project

from .conftest import ROOT

FORMATS = ROOT / "tests" / "fixtures" / "formats"
_IGNORE = shutil.ignore_patterns(".cache", "site")


def copy_of(name: str, tmp_path: Path) -> Path:
    """A copy of a format fixture, or of the example site ("example"); its mkdocs.yml."""
    target = tmp_path / name
    if name == "example":
        target.mkdir()
        shutil.copy(ROOT / "mkdocs.yml", target)
        for folder in ("docs", "orders"):
            shutil.copytree(ROOT / folder, target / folder, ignore=_IGNORE)
    else:
        shutil.copytree(FORMATS / name, target, ignore=_IGNORE)
    return target / "mkdocs.yml"


def loaded(config: Path) -> Project:
    return load_project(config)[0]


def findings(project: Project) -> set[tuple[str, str, str]]:
    return {(d.code, d.file, d.message) for d in project.diagnostics}


def run(*argv: str) -> int:
    return main(list(argv))


# --- ADRs -------------------------------------------------------------------------------------

# fixture, the shape its ADRs have, the ADR superseded, the ADR linked, the new ADR's number
ADR_CASES = [
    ("adr-tools", "nygard", "1", "2", 11),
    ("adr-tools-python", "nygard", "1", "2", 7),
    ("adr-tools-npm", "nygard", "2", "1", 4),  # a dated status log: "2023-05-10 accepted"
    ("pyadr", "madr2", "1", "2", 5),
    ("madr2", "madr2", "1", "5", 7),
    ("madr3", "madr", "1", "2", 6),
    ("madr4", "madr", "1", "3", 7),
    ("mixed", "nygard", "1", "2", 8),  # two folders; adr-tools' .adr-dir names one
    ("example", "team", "6", "1", 19),
]


@pytest.mark.parametrize("case", ADR_CASES, ids=[case[0] for case in ADR_CASES])
def test_new_adr_parses_back_with_relations_both_ways(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], case: tuple[str, str, str, str, int]
) -> None:
    fixture, shape, old, linked, number = case
    config = copy_of(fixture, tmp_path)
    before = loaded(config)
    width = before.settings.adr_id_width
    old_id, linked_id, new_id = (f"ADR-{int(n):0{width}d}" for n in (old, linked, number))
    assert new_id not in before.graph.adrs

    code = run("new", "adr", "Use NATS", "-f", str(config), "--supersedes", old,
               "--link", f"{linked}:Amends:Amended by")  # fmt: skip
    assert code == 0, capsys.readouterr().err

    after = loaded(config)
    adr = after.graph.adrs[new_id]
    assert adr.title == "Use NATS"
    assert adr.status in ("proposed", "accepted")
    text = (config.parent / adr.path).read_text(encoding="utf-8")
    assert adr_shape(text) == shape
    assert old_id in after.graph.supersedes(new_id)
    assert new_id in after.graph.superseded_by(old_id)
    assert after.graph.adrs[old_id].status == "superseded"
    kinds = {(r.kind, _target(after, r.target, r.file)) for r in adr.relations}
    assert ("amends", linked_id) in kinds
    back = {
        (r.kind, _target(after, r.target, r.file)) for r in after.graph.adrs[linked_id].relations
    }
    assert ("amended by", new_id) in back
    # the old ADR's other relations are kept
    for relation in before.graph.adrs[old_id].relations:
        assert relation.kind in {r.kind for r in after.graph.adrs[old_id].relations}
    assert findings(after) <= findings(before)


def _target(project: Project, target: str | None, file: str | None) -> str | None:
    if target is not None:
        return target
    return next((a.id for a in project.graph.adrs.values() if a.uri == file), None)


def test_new_adr_in_the_example_site_is_the_teams_shape(tmp_path: Path) -> None:
    config = copy_of("example", tmp_path)
    assert run("new", "adr", "Use NATS", "-f", str(config), "--supersedes", "6") == 0
    written = config.parent / "docs/adr/ADR-019-use-nats.md"
    text = written.read_text(encoding="utf-8")
    assert text.startswith("---\ntitle: Use NATS\nstatus: proposed\ndate: ")
    assert "# ADR-019: Use NATS\n" in text
    assert "Supersedes [ADR-006: NATS as the message bus](ADR-006-nats-message-bus.md)" in text
    old = (config.parent / "docs/adr/ADR-006-nats-message-bus.md").read_text(encoding="utf-8")
    assert "status: superseded\n" in old
    assert "\nAccepted\n" not in old  # adr-tools' way: the link takes the status word's place
    assert "Superseded by [ADR-019: Use NATS](ADR-019-use-nats.md)" in old


def test_dry_run_writes_nothing_and_shows_the_change(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    config = copy_of("adr-tools", tmp_path)
    files = sorted((config.parent / "doc/adr").iterdir())
    old = (config.parent / "doc/adr/0006-log-in-json-lines.md").read_bytes()
    assert run("new", "adr", "Use NATS", "-f", str(config), "-s", "6", "--dry-run") == 0
    out = capsys.readouterr().out
    assert sorted((config.parent / "doc/adr").iterdir()) == files
    assert (config.parent / "doc/adr/0006-log-in-json-lines.md").read_bytes() == old
    assert out.startswith("would write doc/adr/0011-use-nats.md (ADR-011):\n# 11. Use NATS\n")
    assert "Supersedes [6. Log in JSON lines](0006-log-in-json-lines.md)" in out
    assert "would change doc/adr/0006-log-in-json-lines.md:" in out
    assert "+Superseded by [11. Use NATS](0011-use-nats.md)" in out
    assert "-Accepted" in out


def test_two_adr_folders_need_dir(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    config = copy_of("mixed", tmp_path)
    (config.parent / ".adr-dir").unlink()
    assert run("new", "adr", "Use NATS", "-f", str(config)) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1
    assert "ADRs are in 2 folders (docs/architecture/decisions, docs/decisions)" in err
    assert "--dir" in err
    folder = config.parent / "docs/decisions"
    assert run("new", "adr", "Use NATS", "-f", str(config), "--dir", str(folder)) == 0
    project = loaded(config)
    assert project.graph.adrs["ADR-008"].path == "docs/decisions/0008-use-nats.md"
    text = (folder / "0008-use-nats.md").read_text(encoding="utf-8")
    assert adr_shape(text) == "madr"


def test_a_folder_not_named_for_adrs_gets_adr_file_names(tmp_path: Path) -> None:
    config = copy_of("adr-tools", tmp_path)
    (config.parent / "doc" / "notes").mkdir()
    folder = str(config.parent / "doc" / "notes")
    assert run("new", "adr", "Use NATS", "-f", str(config), "--dir", folder) == 0
    adr = loaded(config).graph.adrs["ADR-011"]
    assert (adr.path, adr.title) == ("doc/notes/ADR-011-use-nats.md", "Use NATS")


def test_an_existing_file_is_never_overwritten(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    config = copy_of("example", tmp_path)
    taken = config.parent / "orders/ORDER_WRK_3_CP3_X.md"
    taken.write_text("mine\n", encoding="utf-8")  # named like an order, but holds none
    code = run("new", "order", "X", "-f", str(config), "--owner", "wrk-3", "--phase", "CP3")
    err = capsys.readouterr().err
    assert taken.read_text(encoding="utf-8") == "mine\n"
    assert "orders/ORDER_WRK_3_CP3_X.md exists already" in err
    assert code == 2
    assert err.count("\n") == 1


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["--supersedes", "99"], "--supersedes 99: no ADR has that number"),
        (["--link", "3:Amends"], "must be TARGET:LINK:REVERSE-LINK"),
        (["--link", "42:Amends:Amended by"], "--link 42: no ADR has that number"),
    ],
)
def test_adr_refusals_are_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], argv: list[str], message: str
) -> None:
    config = copy_of("adr-tools", tmp_path)
    assert run("new", "adr", "Use NATS", "-f", str(config), *argv) == 2
    err = capsys.readouterr().err
    assert message in err
    assert err.count("\n") == 1
    assert not (config.parent / "doc/adr/0011-use-nats.md").exists()


def test_log4brains_adrs_have_no_numbers_to_follow(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    config = copy_of("log4brains", tmp_path)
    assert run("new", "adr", "Use NATS", "-f", str(config)) == 2
    assert "log4brains names them by day" in capsys.readouterr().err


def test_bold_adrs_get_a_bold_adr(tmp_path: Path) -> None:
    folder = tmp_path / "docs" / "adr"
    folder.mkdir(parents=True)
    (tmp_path / "mkdocs.yml").write_text("site_name: x\nplugins: [plandocs]\n", encoding="utf-8")
    for number, title in ((1, "Use Erlang"), (2, "Use NATS")):
        (folder / f"ADR-{number:03d}-x.md").write_text(
            f"# ADR-{number:03d}: {title}\n\n**Status**: Accepted  \n**Date**: 2025-01-0{number}\n",
            encoding="utf-8",
        )
    assert run("new", "adr", "Use JetStream", "-f", str(tmp_path / "mkdocs.yml"), "-s", "2") == 0
    new = (folder / "ADR-003-use-jetstream.md").read_text(encoding="utf-8")
    assert adr_shape(new) == "bold"
    old = (folder / "ADR-002-x.md").read_text(encoding="utf-8")
    assert "**Status**: Superseded by [ADR-003: Use JetStream](ADR-003-use-jetstream.md)" in old
    project = loaded(tmp_path / "mkdocs.yml")
    assert project.graph.adrs["ADR-002"].status == "superseded"
    assert project.graph.superseded_by("ADR-002") == ("ADR-003",)
    assert project.graph.adrs["ADR-003"].status == "proposed"


def test_an_edit_keeps_crlf_and_bom(tmp_path: Path) -> None:
    config = copy_of("adr-tools", tmp_path)
    old = config.parent / "doc/adr/0003-deploy-with-docker.md"
    old.write_bytes(b"\xef\xbb\xbf" + old.read_bytes().replace(b"\n", b"\r\n"))
    assert run("new", "adr", "Use NATS", "-f", str(config), "-s", "3") == 0
    data = old.read_bytes()
    assert data.startswith(b"\xef\xbb\xbf# 3. Deploy with Docker\r\n")
    assert b"\r\nSuperseded by [11. Use NATS](0011-use-nats.md)\r\n" in data
    assert b"\n" not in data.replace(b"\r\n", b"")


@pytest.mark.parametrize(
    ("text", "shape"),
    [
        ("# 1. Record\n\nDate: 2020-01-01\n\n## Status\n\nAccepted\n", "nygard"),
        ("---\nstatus: accepted\n---\n\n# Use X\n", "madr"),
        ("---\ntitle: X\n---\n\n# ADR-004: X\n\n## Status\n\nAccepted\n", "team"),
        ("# Use X\n\n* Status: accepted\n* Date: 2020-01-01\n", "madr2"),
        ("# ADR-4: X\n\n> **Status**: Accepted\n", "bold"),
        ("# Use X\n\nNo fields at all.\n", "madr"),
    ],
)
def test_adr_shape(text: str, shape: str) -> None:
    assert adr_shape(text) == shape


def test_edit_of_a_status_section_keeps_a_status_with_words() -> None:
    # the words stay; the status they follow is no longer the one the ADR reads as
    text = "# 4. X\n\n## Status\n\nAccepted. Supersedes ADR-2.\n\n## Context\n\nWhy.\n"
    edit = AdrEdit("x.md", "Superseded by", "[9. Y](0009-y.md)", supersede=True)
    assert edit_adr(text, edit) == (
        "# 4. X\n\n## Status\n\nSuperseded. Supersedes ADR-2.\n\n"
        "Superseded by [9. Y](0009-y.md)\n\n## Context\n\nWhy.\n"
    )


def test_a_long_status_line_is_read_once_or_so() -> None:
    # where its status ends was looked for at each word, reading the line to it each time
    text = "# 4. X\n\n## Status\n\n" + "x -> " * 20000 + "Accepted\n\n## Context\n\nWhy.\n"
    edit = AdrEdit("x.md", "Superseded by", "[9. Y](0009-y.md)", supersede=True)
    started = time.monotonic()
    assert edit_adr(text, edit) == (
        "# 4. X\n\n## Status\n\nSuperseded by [9. Y](0009-y.md)\n\n## Context\n\nWhy.\n"
    )
    assert time.monotonic() - started < 2


@pytest.mark.parametrize(
    ("status", "after"),
    [
        ("- [x] Accepted\n- [ ] Rejected", "- [ ] Rejected"),
        ("~~Proposed~~ Accepted", ""),
        ("Status: Accepted", ""),
        ("**Status:** Accepted", ""),
        ("Proposed -> Accepted", ""),
        ("**Accepted** (2020-01-02)", "Superseded (2020-01-02)"),
        ("Accepted, supersedes ADR-1", "Superseded, supersedes ADR-1"),
        ("Accepted\n\n```\nAccepted\n```", "```\nAccepted\n```"),  # an example is kept
    ],
    ids=["ticked", "struck", "key", "bold-key", "arrow", "bold-dated", "relation", "code"],
)
def test_every_status_line_the_parser_reads_gives_way(
    tmp_path: Path, status: str, after: str
) -> None:
    second = f"# 2. Use X\n\n## Status\n\n{status}\n\n## Context\n\nWhy.\n"
    config = _two_adrs(tmp_path, second)
    assert loaded(config).graph.adrs["ADR-002"].status == "accepted"
    assert run("new", "adr", "Use Y", "-f", str(config), "-s", "2") == 0
    old = (tmp_path / "docs/adr/0002-use-x.md").read_text(encoding="utf-8")
    kept = f"{after}\n\n" if after else ""
    assert old == (
        f"# 2. Use X\n\n## Status\n\n{kept}Superseded by [3. Use Y](0003-use-y.md)\n\n"
        "## Context\n\nWhy.\n"
    )
    project = loaded(config)
    adr = project.graph.adrs["ADR-002"]
    assert adr.status == "superseded"
    assert not [d for d in project.diagnostics if d.code.endswith("supersession-mismatch")]
    if "supersedes" in status:
        assert project.graph.supersedes("ADR-002") == ("ADR-001",)


# --- orders -----------------------------------------------------------------------------------


def test_new_order_in_the_example_site(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    config = copy_of("example", tmp_path)
    before = loaded(config)
    argv = ["new", "order", "Retry budget for the ingress", "-f", str(config), "--owner", "wrk-3",
            "--phase", "CP3", "--depends-on", "ORDER-WRK-4-CP3-INGRESS-003",
            "--priority", "high"]  # fmt: skip
    assert run(*argv) == 0
    assert capsys.readouterr().out == (
        "orders/ORDER_WRK_3_CP3_RETRY_BUDGET_FOR_THE_INGRESS.md: ORDER-WRK-3-CP3-001 written\n"
    )
    after = loaded(config)
    order = after.graph.orders["ORDER-WRK-3-CP3-001"]
    assert order.path == "orders/ORDER_WRK_3_CP3_RETRY_BUDGET_FOR_THE_INGRESS.md"
    assert (order.title, order.owner, order.phase, order.priority, order.status) == (
        "Retry budget for the ingress",
        "wrk-3",
        "CP3",
        "high",
        "planned",
    )
    assert after.graph.depends_on(order.id) == ("ORDER-WRK-4-CP3-INGRESS-003",)
    assert order.id in after.graph.dependents("ORDER-WRK-4-CP3-INGRESS-003")
    text = (config.parent / order.path).read_text(encoding="utf-8")
    # the example's order files say order_id and to (two of three files): so does this one
    assert text.startswith("---\norder_id: ORDER-WRK-3-CP3-001\ntitle: ")
    assert "\nto: wrk-3\n" in text
    assert "depends_on:\n  - ORDER-WRK-4-CP3-INGRESS-003\n" in text
    assert findings(after) <= findings(before)

    # the next one of that owner and phase takes the next number, in the same folder
    assert run("new", "order", "Second", "-f", str(config), "--owner", "wrk-3",
               "--phase", "CP3") == 0  # fmt: skip
    assert "ORDER-WRK-3-CP3-002" in loaded(config).graph.orders


def test_new_order_follows_bold_fields(tmp_path: Path) -> None:
    config = copy_of("mixed", tmp_path)
    before = loaded(config)
    argv = ["new", "order", "Board filters", "-f", str(config), "--owner", "wrk-4",
            "--phase", "CP2", "--depends-on", "ORDER-WRK-2-CP2-002",
            "--depends-on", "ORDER-WRK-3-CP2-003"]  # fmt: skip
    assert run(*argv) == 0
    after = loaded(config)
    order = after.graph.orders["ORDER-WRK-4-CP2-005"]  # ORDER-WRK-4-CP2-004 is taken
    text = (config.parent / order.path).read_text(encoding="utf-8")
    assert order.path == "orders/ORDER_WRK_4_CP2_BOARD_FILTERS.md"
    assert text.startswith("# ORDER-WRK-4-CP2-005: Board filters\n\n**ORDER ID**: ORDER-WRK-4")
    assert "**Owner**: wrk-4  \n" in text
    assert (order.title, order.owner, order.phase) == ("Board filters", "wrk-4", "CP2")
    assert after.graph.depends_on(order.id) == ("ORDER-WRK-2-CP2-002", "ORDER-WRK-3-CP2-003")
    assert findings(after) <= findings(before)


@pytest.mark.parametrize(
    ("fixture", "argv", "message"),
    [
        ("example", ["--depends-on", "ORDER-WRK-4-CP3-INGRES-003"],
         "no order has that ID; did you mean ORDER-WRK-4-CP3-INGRESS-003?"),
        ("example", ["--priority", "soon"], "priority must be one of critical, high"),
        ("example", ["--phase", "Q3"], "'Q3' is not a phase of this project"),
        ("backlog-1.27", [], "have no form like ORDER-WRK-3-CP3-001; write this order by hand"),
    ],
)  # fmt: skip
def test_order_refusals_are_one_line(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    fixture: str,
    argv: list[str],
    message: str,
) -> None:
    config = copy_of(fixture, tmp_path)
    files = sorted(p for p in config.parent.rglob("*") if ".cache" not in p.parts)
    base = ["new", "order", "X", "-f", str(config), "--owner", "wrk-3", "--phase", "CP3"]
    assert run(*base, *argv) == 2
    err = capsys.readouterr().err
    assert message in err
    assert err.count("\n") == 1
    assert sorted(p for p in config.parent.rglob("*") if ".cache" not in p.parts) == files


def test_new_order_dry_run(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    config = copy_of("example", tmp_path)
    argv = ["new", "order", "X", "-f", str(config), "--owner", "wrk-9", "--phase", "CP2"]
    assert run(*argv, "--dry-run") == 0
    out = capsys.readouterr().out
    assert out.startswith("would write orders/ORDER_WRK_9_CP2_X.md (ORDER-WRK-9-CP2-006):\n---\n")
    assert not (config.parent / "orders/ORDER_WRK_9_CP2_X.md").exists()


# --- edits of ADRs that hold Markdown examples ------------------------------------------------

_EXAMPLE = "```markdown\n# 1. Record\n\n## Status\n\nAccepted\n\n* Status: proposed\n```\n"
_EXAMPLE_BOLD = "~~~\n# ADR-1: X\n\n**Status**: Proposed\n~~~\n"


def _two_adrs(tmp_path: Path, second: str) -> Path:
    """A project of two adr-tools ADRs, the second one ``second``; its mkdocs.yml."""
    folder = tmp_path / "docs" / "adr"
    folder.mkdir(parents=True)
    (tmp_path / "mkdocs.yml").write_text("site_name: x\nplugins: [plandocs]\n", encoding="utf-8")
    (folder / "0001-record.md").write_text(
        "# 1. Record\n\nDate: 2020-01-01\n\n## Status\n\nAccepted\n", encoding="utf-8"
    )
    (folder / "0002-use-x.md").write_text(second, encoding="utf-8")
    return tmp_path / "mkdocs.yml"


@pytest.mark.parametrize(
    ("second", "example", "status"),
    [
        # Nygard: the example's "## Status" comes before the ADR's own
        ("# 2. Use X\n\nDate: 2020-01-02\n\n## Context\n\nLike this:\n\n" + _EXAMPLE
         + "\n## Status\n\nAccepted\n\n## Decision\n\nX.\n", _EXAMPLE,
         "## Status\n\nSuperseded by LINK\n\n## Decision\n"),
        # MADR 2: a "## Status" in an example is no status section of this ADR
        ("# Use X\n\n* Status: accepted\n* Date: 2020-01-02\n\n## Context and Problem "
         "Statement\n\nLike this:\n\n" + _EXAMPLE, _EXAMPLE,
         "* Status: superseded by LINK\n* Date: 2020-01-02\n"),
        # MADR 2: the example's "* Status:" line comes before the ADR's own
        ("# Use X\n\nThe template:\n\n```\n* Status: proposed\n```\n\n* Status: accepted\n"
         "* Date: 2020-01-02\n", "```\n* Status: proposed\n```\n",
         "* Status: superseded by LINK\n* Date: 2020-01-02\n"),
        # bold fields: the example's "**Status**:" comes first
        ("# ADR-2: Use X\n\nThe template:\n\n" + _EXAMPLE_BOLD + "\n**Status**: Accepted  \n"
         "**Date**: 2020-01-02\n", _EXAMPLE_BOLD,
         "**Status**: Superseded by LINK  \n**Date**: 2020-01-02\n"),
    ],
    ids=["nygard", "madr2-section-in-code", "madr2-line-in-code", "bold-line-in-code"],
)  # fmt: skip
def test_a_status_in_fenced_code_is_never_edited(
    tmp_path: Path, second: str, example: str, status: str
) -> None:
    config = _two_adrs(tmp_path, second)
    assert run("new", "adr", "Use Y", "-f", str(config), "-s", "2") == 0
    old = (tmp_path / "docs/adr/0002-use-x.md").read_text(encoding="utf-8")
    assert example in old  # the example, byte for byte
    # LINK: the new ADR's link, its text in the shape the folder's ADRs have
    link = r"\[[^\]\n]+\]\(0003-use-y\.md\)"
    assert re.search(re.escape(status).replace("LINK", link), old), old
    project = loaded(config)
    assert project.graph.adrs["ADR-002"].status == "superseded"
    assert project.graph.superseded_by("ADR-002") == ("ADR-003",)


@pytest.mark.parametrize(
    "second",
    [
        "# Use X\n\nNo status at all.\n",
        "Use X\n=====\n\nStatus\n------\n\nAccepted\n",  # setext headings: read as no section
    ],
    ids=["no-status", "setext"],
)
def test_a_supersession_said_is_a_supersession_written(tmp_path: Path, second: str) -> None:
    config = _two_adrs(tmp_path, second)
    assert run("new", "adr", "Use Y", "-f", str(config), "-s", "2") == 0
    old = (tmp_path / "docs/adr/0002-use-x.md").read_text(encoding="utf-8")
    assert old.startswith(second)  # kept, with the relation added after it
    assert re.search(r"\n\n## Links\n\n\* Superseded by \[[^\]]+\]\(0003-use-y\.md\)\n\Z", old)
    assert loaded(config).graph.superseded_by("ADR-002") == ("ADR-003",)


def test_an_adr_linked_from_outside_the_project_is_not_edited(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    config = copy_of("adr-tools", tmp_path)
    folder = config.parent / "doc/adr"
    outside = tmp_path / "elsewhere.md"
    (folder / "0004-use-mysql-database.md").replace(outside)
    (folder / "0004-use-mysql-database.md").symlink_to(outside)
    before = outside.read_bytes()
    assert run("new", "adr", "Use NATS", "-f", str(config), "-s", "4") == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1
    assert "doc/adr/0004-use-mysql-database.md: a symbolic link to a file outside" in err
    assert outside.read_bytes() == before
    assert not (folder / "0011-use-nats.md").exists()  # refused before anything was written


@pytest.mark.parametrize(
    ("second", "kept"),
    [
        ("---\nstatus: superseded by [ADR-0001](0001-record.md)\n---\n\n# Use X\n",
         "status: superseded by [ADR-0001](0001-record.md)\n"),
        ("# Use X\n\n* Status: superseded by [ADR-0001](0001-record.md)\n",
         "* Status: superseded by [ADR-0001](0001-record.md)\n"),
        ("# ADR-2: Use X\n\n**Status**: Superseded by [ADR-1](0001-record.md)\n",
         "**Status**: Superseded by [ADR-1](0001-record.md)\n"),
    ],
    ids=["madr", "madr2", "bold"],
)  # fmt: skip
def test_a_second_supersession_keeps_the_first(tmp_path: Path, second: str, kept: str) -> None:
    config = _two_adrs(tmp_path, second)
    assert run("new", "adr", "Use Y", "-f", str(config), "-s", "2") == 0
    old = (tmp_path / "docs/adr/0002-use-x.md").read_text(encoding="utf-8")
    assert kept in old
    project = loaded(config)
    assert project.graph.adrs["ADR-002"].status == "superseded"
    assert set(project.graph.superseded_by("ADR-002")) == {"ADR-001", "ADR-003"}


def test_a_status_in_an_html_comment_is_never_edited(tmp_path: Path) -> None:
    hidden = "<!--\n## Status\n\nProposed\n-->\n"
    second = f"# 2. Use X\n\nDate: 2020-01-02\n\n{hidden}\n## Status\n\nAccepted\n"
    config = _two_adrs(tmp_path, second)
    assert loaded(config).graph.adrs["ADR-002"].status == "accepted"  # as the parser reads it
    assert run("new", "adr", "Use Y", "-f", str(config), "-s", "2") == 0
    old = (tmp_path / "docs/adr/0002-use-x.md").read_text(encoding="utf-8")
    assert old == (
        f"# 2. Use X\n\nDate: 2020-01-02\n\n{hidden}\n## Status\n\n"
        "Superseded by [3. Use Y](0003-use-y.md)\n"
    )
    after = loaded(config)
    assert after.graph.superseded_by("ADR-002") == ("ADR-003",)
    assert after.graph.adrs["ADR-002"].status == "superseded"
    assert not [d for d in after.diagnostics if d.code.endswith("supersession-mismatch")]


def test_an_edit_keeps_the_line_endings_of_each_line(tmp_path: Path) -> None:
    # saved by two editors: CRLF lines and LF lines in one file
    config = copy_of("adr-tools", tmp_path)
    old = config.parent / "doc/adr/0006-log-in-json-lines.md"
    lines = old.read_bytes().split(b"\n")
    mixed = b"\n".join(
        line + b"\r" if i % 3 == 0 and line else line for i, line in enumerate(lines)
    )
    old.write_bytes(mixed)
    assert run("new", "adr", "Use NATS", "-f", str(config), "-s", "6") == 0
    data = old.read_bytes()
    assert b"\nSuperseded by [11. Use NATS](0011-use-nats.md)" in data
    # the lines before and after the status section are byte for byte as they were
    for marker in (b"## Status", b"## Context"):
        assert marker in mixed
    head, tail = mixed.split(b"## Status")[0], mixed.split(b"## Context", 1)[1]
    assert data.startswith(head + b"## Status")
    assert data.endswith(b"## Context" + tail)


@pytest.mark.parametrize("named", ["../elsewhere", "/tmp"])
def test_an_adr_dir_file_out_of_the_project_is_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], named: str
) -> None:
    config = copy_of("adr-tools", tmp_path)
    (tmp_path / "elsewhere").mkdir()
    (config.parent / ".adr-dir").write_text(f"{named}\n", encoding="utf-8")
    assert run("new", "adr", "Use NATS", "-f", str(config)) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1
    assert f".adr-dir names {named}, which is not inside the project" in err
    assert not list((tmp_path / "elsewhere").iterdir())
    # --dir names the folder instead
    assert (
        run("new", "adr", "Use NATS", "-f", str(config), "--dir", str(config.parent / "doc/adr"))
        == 0
    )


def test_an_edit_that_fails_does_not_stop_the_others(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    config = copy_of("adr-tools", tmp_path)
    folder = config.parent / "doc/adr"
    stuck = folder / "0006-log-in-json-lines.md"
    stuck.chmod(0o444)
    before = stuck.read_bytes()
    code = run("new", "adr", "Use NATS", "-f", str(config), "-s", "6", "-s", "7", "-s", "8")
    err = capsys.readouterr().err
    assert code == 2
    assert stuck.read_bytes() == before
    assert err.count("\n") == 1  # one line for the one ADR left as it was
    assert "doc/adr/0006-log-in-json-lines.md was not changed" in err
    for name in (
        "0007-use-cockroachdb-for-multi-region-storage.md",
        "0008-use-http-2-grpc-for-internal-apis.md",
    ):
        assert "Superseded by [11. Use NATS]" in (folder / name).read_text(encoding="utf-8")


def test_one_adr_named_in_two_ways_is_related_once(tmp_path: Path) -> None:
    config = copy_of("adr-tools", tmp_path)
    argv = [
        "-s",
        "6",
        "-s",
        "06",
        "-s",
        "ADR-6",
        "-l",
        "7:Amends:Amended by",
        "-l",
        "07:Amends:Amended by",
    ]
    assert run("new", "adr", "Use NATS", "-f", str(config), *argv) == 0
    old = (config.parent / "doc/adr/0006-log-in-json-lines.md").read_text(encoding="utf-8")
    new = (config.parent / "doc/adr/0011-use-nats.md").read_text(encoding="utf-8")
    linked = config.parent / "doc/adr/0007-use-cockroachdb-for-multi-region-storage.md"
    assert old.count("Superseded by [11. Use NATS]") == 1
    assert new.count("Supersedes [6. Log in JSON lines]") == 1
    assert new.count("Amends [7.") == 1
    assert linked.read_text(encoding="utf-8").count("Amended by [11. Use NATS]") == 1


@pytest.mark.parametrize(
    ("second", "where"),
    [
        ("---\nstatus: accepted\n\n# Use X\n\nBody.\n", "docs/adr/0002-use-x.md:1: "),
        ("---\n- accepted\n---\n\n# Use X\n", "docs/adr/0002-use-x.md:2: "),
    ],
    ids=["never-closed", "a-list"],
)
def test_frontmatter_that_cannot_take_a_status_is_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], second: str, where: str
) -> None:
    config = _two_adrs(tmp_path, second)
    assert run("new", "adr", "Use Y", "-f", str(config), "-s", "2") == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1
    assert where in err
    assert "nothing was written" in err
    assert (tmp_path / "docs/adr/0002-use-x.md").read_text(encoding="utf-8") == second
    assert not (tmp_path / "docs/adr/0003-use-y.md").exists()


@pytest.mark.parametrize(
    ("status", "kept"),
    [
        ("status: >\n  accepted\n", ""),
        ("status:\n  - accepted\n", ""),
        ("status: accepted\n  # was: proposed\n", "  # was: proposed\n"),  # a comment stays
        # a list at the key's own indent, as YAML allows and many write it
        ("status:\n- accepted\n", ""),
        ("status:\n- proposed\n- accepted\n# by the board\n", "# by the board\n"),
        # in a block scalar, an indented "#" line is text, not a comment
        ("status: |\n  accepted\n  # not a comment\n", ""),
        ("status: >-\n  accepted\n\n  # still text\n", ""),
    ],
    ids=["folded", "list", "comment", "list-unindented", "list-then-comment", "literal", "blank"],
)
def test_a_status_over_several_lines_is_replaced_whole(
    tmp_path: Path, status: str, kept: str
) -> None:
    second = f"---\n{status}date: 2020-01-02\n---\n\n# Use X\n"
    config = _two_adrs(tmp_path, second)
    assert run("new", "adr", "Use Y", "-f", str(config), "-s", "2") == 0
    old = (tmp_path / "docs/adr/0002-use-x.md").read_text(encoding="utf-8")
    assert re.fullmatch(
        r"---\nstatus: superseded by \[[^\]]+\]\(0003-use-y\.md\)\n"
        + re.escape(kept)
        + r"date: 2020-01-02\n---\n\n# Use X\n",
        old,
    ), old
    project = loaded(config)
    assert project.graph.adrs["ADR-002"].status == "superseded"
    assert project.graph.superseded_by("ADR-002") == ("ADR-003",)


def test_a_status_edit_that_would_break_the_frontmatter_is_refused(tmp_path: Path) -> None:
    # the anchor goes with the value it names: "*s" would name nothing
    second = "---\nstatus: &s accepted\nwas: *s\n---\n\n# Use X\n"
    config = _two_adrs(tmp_path, second)
    edit = AdrEdit("docs/adr/0002-use-x.md", "Superseded by", "[3. Y](0003-y.md)", True)
    with pytest.raises(ScaffoldError, match=r"^docs/adr/0002-use-x\.md:3: .*frontmatter"):
        edit_adr(second, edit)
    assert run("new", "adr", "Use Y", "-f", str(config), "-s", "2") == 2
    assert (tmp_path / "docs/adr/0002-use-x.md").read_text(encoding="utf-8") == second
    assert not (tmp_path / "docs/adr/0003-use-y.md").exists()


@pytest.mark.parametrize(
    ("status", "comment"),
    [
        ("status: accepted  # by the board, 2020-01-02", "  # by the board, 2020-01-02"),
        ('status: "accepted" # "quoted"', ' # "quoted"'),
        ("status: accepted", ""),
    ],
    ids=["plain", "quoted", "none"],
)
def test_a_comment_on_the_status_line_is_kept(tmp_path: Path, status: str, comment: str) -> None:
    config = _two_adrs(tmp_path, f"---\n{status}\n---\n\n# Use X\n")
    assert run("new", "adr", "Use Y", "-f", str(config), "-s", "2") == 0
    old = (tmp_path / "docs/adr/0002-use-x.md").read_text(encoding="utf-8")
    line = old.split("\n")[1]
    assert re.fullmatch(
        r'status: "?superseded by \[[^\]]+\]\(0003-use-y\.md\)"?', line.removesuffix(comment)
    ), line
    assert line.endswith(comment)
    assert loaded(config).graph.adrs["ADR-002"].status == "superseded"


def test_links_to_names_with_spaces_are_read_back(tmp_path: Path) -> None:
    # written as MkDocs reads them, %20 for a space: the link must lead to the file
    folder = tmp_path / "docs" / "adr" / "vieilles décisions"
    folder.mkdir(parents=True)
    (tmp_path / "mkdocs.yml").write_text("site_name: x\nplugins: [plandocs]\n", encoding="utf-8")
    for number, name in ((1, "0001-record.md"), (2, "0002-use x é.md")):
        (folder / name).write_text(
            f"# {number}. Use X\n\nDate: 2020-01-01\n\n## Status\n\nAccepted\n", encoding="utf-8"
        )
    before = loaded(tmp_path / "mkdocs.yml")
    assert run("new", "adr", "Use Y", "-f", str(tmp_path / "mkdocs.yml"), "-s", "2") == 0
    text = (folder / "0003-use-y.md").read_text(encoding="utf-8")
    assert "Supersedes [2. Use X](0002-use%20x%20é.md)" in text
    after = loaded(tmp_path / "mkdocs.yml")
    assert findings(after) <= findings(before)
    assert [r.file for r in after.graph.adrs["ADR-003"].relations] == [
        "adr/vieilles décisions/0002-use x é.md"
    ]


@pytest.mark.parametrize("heading", ["## Status: Accepted", "## Status — Accepted"])
def test_a_status_in_the_heading_gives_way(tmp_path: Path, heading: str) -> None:
    second = f"# 2. Use X\n\nDate: 2020-01-02\n\n{heading}\n\n## Context\n\nWhy.\n"
    config = _two_adrs(tmp_path, second)
    before = loaded(config)
    assert run("new", "adr", "Use Y", "-f", str(config), "-s", "2") == 0
    old = (tmp_path / "docs/adr/0002-use-x.md").read_text(encoding="utf-8")
    assert old == second.replace(
        "Accepted\n\n", "Superseded\n\nSuperseded by [3. Use Y](0003-use-y.md)\n\n"
    )
    after = loaded(config)
    assert after.graph.adrs["ADR-002"].status == "superseded"
    assert findings(after) <= findings(before)


def test_a_link_name_is_one_line_in_both_adrs(tmp_path: Path) -> None:
    # a line break in a name started a "## Status" of the new ADR's making in the old one,
    # which then read as rejected
    config = _two_adrs(tmp_path, "# 2. Use X\n\nDate: 2020-01-01\n\n## Status\n\nAccepted\n")
    link = "2:Amends\n## Status\n\nRejected:Amended by\n## Status\n\nRejected"
    assert run("new", "adr", "Use Y", "-f", str(config), "-l", link) == 0
    old = (tmp_path / "docs/adr/0002-use-x.md").read_text(encoding="utf-8")
    new = (tmp_path / "docs/adr/0003-use-y.md").read_text(encoding="utf-8")
    assert "Amended by ## Status Rejected [3. Use Y](0003-use-y.md)" in old
    assert "Amends ## Status Rejected [2. Use X](0002-use-x.md)" in new
    assert old.count("\n## Status") == new.count("\n## Status") == 1  # headings
    assert loaded(config).graph.adrs["ADR-002"].status == "accepted"


@pytest.mark.parametrize("status", ["Frozen", "- [x] Frozen"], ids=["word", "ticked"])
def test_a_status_of_the_teams_own_gives_way_too(tmp_path: Path, status: str) -> None:
    config = _two_adrs(tmp_path, f"# 2. Use X\n\n## Status\n\n{status}\n\n## Context\n\nWhy.\n")
    config.write_text("site_name: x\nplugins:\n  - plandocs:\n      adr_statuses: [Frozen]\n")
    assert loaded(config).graph.adrs["ADR-002"].status == "Frozen"
    assert run("new", "adr", "Use Y", "-f", str(config), "-s", "2") == 0
    old = (tmp_path / "docs/adr/0002-use-x.md").read_text(encoding="utf-8")
    assert "Frozen" not in old
    project = loaded(config)
    assert project.graph.adrs["ADR-002"].status == "superseded"
    assert not [d for d in project.diagnostics if d.code.endswith("supersession-mismatch")]
