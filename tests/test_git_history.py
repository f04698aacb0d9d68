"""The planning history from git (``git_history``): the pure core on scripted commits, then
a throw-away repository with dated commits, a superseded ADR and a tag, built for real; a
shallow clone and a folder outside git each give one info finding and a site without the
history parts."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from dataclasses import asdict, replace
from datetime import date
from pathlib import Path

import pytest

from plandocs.core.model import SourceDoc
from plandocs.core.parse.documents import parse_document
from plandocs.core.settings import Settings
from plandocs.project.history import (
    Change,
    Commit,
    GitHistory,
    Tag,
    _data,
    _history_of,
    burnup,
    burnup_svg,
    changes_since,
    cut_off,
    done_dates,
    history_line,
    objects_of,
    read_history,
    timeline,
)
from plandocs.project.load import discover, load
from plandocs.project.renames import planning_folders, renames

needs_git = pytest.mark.skipif(shutil.which("git") is None, reason="needs git")
TIMEOUT = 180


# -- the pure core --------------------------------------------------------------------------
def _read(path: str, text: str) -> dict[tuple[str, str], dict[str, str | None]]:
    """A stand-in parser: each line ``ORDER-A status phase`` or ``ADR-001 status``."""
    out: dict[tuple[str, str], dict[str, str | None]] = {}
    for line in text.splitlines():
        words = line.split()
        if words[0].startswith("ADR"):
            out[("adr", words[0])] = {"status": words[1]}
        else:
            out[("order", words[0])] = {"status": words[1], "phase": words[2]}
    return out


def _commit(n: int, day: str, *files: tuple[str, str | None]) -> Commit:
    return Commit(f"{n:040x}", n, day, files)


SCRIPT = [
    _commit(1, "2025-01-27", ("a.md", "ORDER-A pending CP1"), ("b.md", "ORDER-B pending CP1")),
    _commit(2, "2025-02-03", ("a.md", "ORDER-A in_progress CP1")),
    # B moves to another file in one commit: the same order, no "removed"
    _commit(3, "2025-02-05", ("b.md", None), ("c.md", "ORDER-B pending CP2")),
    _commit(4, "2025-02-10", ("a.md", "ORDER-A done CP1"), ("adr1.md", "ADR-001 accepted")),
    _commit(5, "2025-02-12", ("adr1.md", "ADR-001 superseded"), ("adr2.md", "ADR-002 accepted")),
    _commit(6, "2025-02-14", ("c.md", None)),
]


def _history(tags: tuple[Tag, ...] = ()) -> GitHistory:
    found = timeline(SCRIPT, _read)
    return GitHistory(found.orders, found.adrs, found.times, tags, head="f" * 40)


def test_timeline_follows_each_field_and_a_move_between_files() -> None:
    history = _history()
    assert [(c.date, c.field, c.old, c.new) for c in history.orders["ORDER-A"]] == [
        ("2025-01-27", "created", None, "pending"),
        ("2025-02-03", "status", "pending", "in_progress"),
        ("2025-02-10", "status", "in_progress", "done"),
    ]
    assert [(c.field, c.old, c.new) for c in history.orders["ORDER-B"]] == [
        ("created", None, "pending"),
        ("phase", "CP1", "CP2"),
        ("removed", "pending", None),
    ]
    assert history.orders["ORDER-A"][1].commit == f"{2:040x}"


def test_history_line_and_done_dates() -> None:
    history = _history()
    assert (
        history_line(history.orders["ORDER-A"])
        == "pending since 2025-01-27, in progress 2025-02-03, done 2025-02-10"
    )
    assert (
        history_line(history.adrs["ADR-001"]) == "accepted since 2025-02-10, superseded 2025-02-12"
    )
    assert done_dates(history) == {"ORDER-A": date(2025, 2, 10)}


def test_burnup_counts_done_against_total_per_day() -> None:
    history = _history()
    assert burnup(history, ["ORDER-A", "ORDER-B"]) == [
        ("2025-01-27", 0, 2),
        ("2025-02-10", 1, 2),
        ("2025-02-14", 1, 1),
    ]
    assert burnup(history, ["ORDER-NONE"]) == []


@pytest.mark.parametrize(
    ("option", "label", "new_orders", "finished", "superseded"),
    [
        ("", "the tag v1 (2025-02-03)", [], ["ORDER-A"], ["ADR-001"]),
        ("v0", "the tag v0 (2025-01-01)", ["ORDER-A", "ORDER-B"], ["ORDER-A"], ["ADR-001"]),
        ("2025-02-11", "2025-02-11", [], [], ["ADR-001"]),
        (
            "30 days",
            "2025-01-16 (the last 30 days)",
            ["ORDER-A", "ORDER-B"],
            ["ORDER-A"],
            ["ADR-001"],
        ),
    ],
)
def test_changes_since_a_tag_a_date_or_days(
    option: str, label: str, new_orders: list[str], finished: list[str], superseded: list[str]
) -> None:
    tags = (Tag("v1", "2025-02-03", 2, f"{2:040x}"), Tag("v0", "2025-01-01", 0, "0" * 40))
    changes = changes_since(_history(tags), option, today=date(2025, 2, 15))
    assert changes.since == label
    assert sorted(i.id for i in changes.new_orders) == new_orders
    assert [i.id for i in changes.finished] == finished
    assert [i.id for i in changes.superseded_adrs] == superseded


def test_changes_since_without_tags_is_30_days_and_a_bad_value_is_one_line() -> None:
    assert cut_off(None, _history(), date(2025, 3, 1))[0] == "2025-01-30 (the last 30 days)"
    with pytest.raises(ValueError, match="'changes_since' is 'last week'"):
        cut_off("last week", _history(), date(2025, 3, 1))


def test_burnup_svg_escapes_its_text() -> None:
    svg = burnup_svg([("2025-01-27", 0, 2), ("2025-02-10", 1, 2)], "<b>CP1</b>")
    assert svg.startswith("<svg") and "<b>" not in svg and "&lt;b&gt;CP1" in svg
    assert "1 done of 2" in svg
    assert burnup_svg([], "CP1") == ""


def test_objects_of_reads_the_project_parser() -> None:
    text = "---\norder_id: ORDER-WRK-1-CP1-001\nstatus: in progress\nphase: CP1\n---\n# T\n"
    doc = SourceDoc("orders/ORDER_WRK_1_CP1_X.md", "orders/ORDER_WRK_1_CP1_X.md", text)
    assert objects_of(doc, Settings()) == {
        ("order", "ORDER-WRK-1-CP1-001"): {"status": "in_progress", "phase": "CP1"}
    }


def test_change_short_commit() -> None:
    assert Change("2025-01-01", "status", None, "done", "abcdef0123").short == "abcdef0"


def test_the_cache_file_holds_what_asdict_gives_and_reads_back() -> None:
    change = Change("2025-01-01", "created", None, "pending", "a" * 40)
    history = GitHistory(
        orders={"ORDER-A": (change, replace(change, field="status", old="pending", new="done"))},
        adrs={"ADR-001": (change,)},
        times={"a" * 40: 1_735_689_600},
        tags=(Tag("v1", "2025-01-01", 1_735_689_600, "a" * 40),),
        head="b" * 40,
        renames=(("orders/OLD.md", "orders/NEW.md"),),
    )
    stored = json.loads(json.dumps(_data(history)))
    assert stored == json.loads(json.dumps(asdict(history)))
    assert _history_of(stored) == history


# -- a real repository ----------------------------------------------------------------------
def _env(tmp_path: Path) -> dict[str, str]:
    return {
        **os.environ,
        "GIT_CONFIG_NOSYSTEM": "1",
        "GIT_CONFIG_GLOBAL": str(tmp_path / "gitconfig"),  # none: nothing read from $HOME
        "GIT_AUTHOR_NAME": "Planner",
        "GIT_AUTHOR_EMAIL": "planner@example.org",
        "GIT_COMMITTER_NAME": "Planner",
        "GIT_COMMITTER_EMAIL": "planner@example.org",
        "NO_MKDOCS_2_WARNING": "1",
    }


def _git(repo: Path, env: dict[str, str], *args: str, when: str | None = None) -> str:
    if when is not None:
        env = {**env, "GIT_AUTHOR_DATE": when, "GIT_COMMITTER_DATE": when}
    done = subprocess.run(
        ["git", *args], cwd=repo, env=env, capture_output=True, text=True, timeout=60, check=True
    )
    return done.stdout.strip()


def _order(number: int, status: str, title: str = "Work") -> str:
    return (
        f"---\norder_id: ORDER-WRK-1-CP1-00{number}\ntitle: {title}\nstatus: {status}\n"
        f"phase: CP1\n---\n\n# ORDER-WRK-1-CP1-00{number}: {title}\n"
    )


def _adr(number: int, title: str, status: str) -> str:
    return (
        f"# {number}. {title}\n\nDate: 2025-01-01\n\n## Status\n\n{status}\n\n## Context\n\nWhy.\n"
    )


ONE = "First <b>order</b>"
TWO = "[2. Use a database](0002-use-a-database.md)"
SUPER = "Supersedes [1. Use files](0001-use-files.md)"
ADR_TWO = _adr(2, "Use a database", f"Accepted\n\n{SUPER}")
MKDOCS_YML = (
    "site_name: History\ndocs_dir: docs\nplugins:\n  - plandocs:\n      orders_dir: orders\n"
)


def _write(repo: Path, files: dict[str, str]) -> None:
    for name, text in files.items():
        path = repo / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")


def _scripted_repo(tmp_path: Path) -> tuple[Path, dict[str, str]]:
    repo, env = tmp_path / "repo", _env(tmp_path)
    repo.mkdir()
    _git(repo, env, "init", "-q", "-b", "main")
    steps: list[tuple[str, dict[str, str]]] = [
        (
            "2025-01-27T10:00:00+00:00",
            {
                "mkdocs.yml": MKDOCS_YML,
                "docs/index.md": "# Home\n",
                "orders/ORDER_WRK_1_CP1_ONE.md": _order(1, "pending", "First <b>order</b>"),
                "orders/ORDER_WRK_1_CP1_TWO.md": _order(2, "pending"),
                "docs/adr/0001-use-files.md": _adr(1, "Use files", "Accepted"),
            },
        ),
        (
            "2025-02-03T10:00:00+00:00",
            {"orders/ORDER_WRK_1_CP1_ONE.md": _order(1, "in_progress", "First <b>order</b>")},
        ),
    ]
    for when, files in steps:
        _write(repo, files)
        _git(repo, env, "add", "-A")
        _git(repo, env, "commit", "-q", "-m", "plan", when=when)
    _git(repo, env, "tag", "-a", "v1", "-m", "release 1", when="2025-02-03T12:00:00+00:00")
    later: list[tuple[str, dict[str, str]]] = [
        ("2025-02-10T10:00:00+00:00", {"orders/ORDER_WRK_1_CP1_ONE.md": _order(1, "done", ONE)}),
        (
            "2025-02-12T10:00:00+00:00",
            {
                "docs/adr/0001-use-files.md": _adr(1, "Use files", f"Superseded by {TWO}"),
                "docs/adr/0002-use-a-database.md": ADR_TWO,
                "orders/ORDER_WRK_1_CP1_THREE.md": _order(3, "pending"),
                "orders/ORDER_WRK_1_CP1_TWO.md": _order(2, "review"),
            },
        ),
    ]  # fmt: skip
    for when, files in later:
        _write(repo, files)
        _git(repo, env, "add", "-A")
        _git(repo, env, "commit", "-q", "-m", "plan", when=when)
    return repo, env


def _build(repo: Path, env: dict[str, str]) -> tuple[str, Path]:
    site = repo / "site"
    done = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "-d", str(site)],
        cwd=repo,
        env=env,
        capture_output=True,
        text=True,
        timeout=TIMEOUT,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert "Traceback" not in done.stderr
    return done.stderr, site


def _text(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def _sha(repo: Path, env: dict[str, str], rev: str) -> str:
    return _git(repo, env, "rev-parse", "--short=7", rev)


@needs_git
def test_a_scripted_repository_gives_changes_history_lines_and_burnup(tmp_path: Path) -> None:
    repo, env = _scripted_repo(tmp_path)
    log, site = _build(repo, env)
    assert "plandocs.git-history" not in log
    changes = _text((site / "planning/changes/index.html").read_text(encoding="utf-8"))
    changes = changes[changes.index("What changed") :]  # the page, not its table of contents
    assert "since the tag v1 (2025-02-03)" in changes
    done_in, superseded_in = _sha(repo, env, "HEAD~1"), _sha(repo, env, "HEAD")
    new_orders = changes[changes.index("New orders") : changes.index("Status changes")]
    assert "ORDER-WRK-1-CP1-003" in new_orders and "ORDER-WRK-1-CP1-001" not in new_orders
    moved = changes[changes.index("Status changes") : changes.index("Finished orders")]
    assert f"2025-02-12 ORDER-WRK-1-CP1-002 Work pending → review {superseded_in}" in moved
    finished = changes[changes.index("Finished orders") : changes.index("New ADRs")]
    assert f"2025-02-10 ORDER-WRK-1-CP1-001 First <b>order</b> in progress → done {done_in}" in (
        finished.replace("&lt;", "<").replace("&gt;", ">")
    )
    assert "<b>order" not in (site / "planning/changes/index.html").read_text(encoding="utf-8")
    new_adrs = changes[changes.index("New ADRs") : changes.index("Superseded ADRs")]
    assert "ADR-002" in new_adrs and "ADR-001" not in new_adrs
    superseded = changes[changes.index("Superseded ADRs") :]
    assert f"2025-02-12 ADR-001 Use files accepted → superseded {superseded_in}" in superseded

    one = (site / "orders/ORDER_WRK_1_CP1_ONE/index.html").read_text(encoding="utf-8")
    assert "History: pending since 2025-01-27, in progress 2025-02-03, done 2025-02-10" in one
    adr = (site / "adr/0001-use-files/index.html").read_text(encoding="utf-8")
    assert "History: accepted since 2025-01-27, superseded 2025-02-12" in adr

    phase = (site / "planning/phases/CP1/index.html").read_text(encoding="utf-8")
    svg = phase[phase.index('<svg class="plandocs-burnup"') :]
    svg = svg[: svg.index("</svg>")]
    assert "CP1: 1 of 3 orders done" in svg
    # one step a day that changed: (01-27, 0/2), (02-10, 1/2), (02-12, 1/3)
    points = re.findall(r'<polyline points="([^"]+)"', svg)
    total, done = (len(p.split()) for p in points)
    assert (total, done) == (6, 6)

    export = json.loads((site / "planning.json").read_text(encoding="utf-8"))
    history = {o["id"]: o["history"] for o in export["orders"]}
    assert [
        (h["date"], h["field"], h["old"], h["new"]) for h in history["ORDER-WRK-1-CP1-001"]
    ] == [
        ("2025-01-27", "created", None, "pending"),
        ("2025-02-03", "status", "pending", "in_progress"),
        ("2025-02-10", "status", "in_progress", "done"),
    ]
    assert history["ORDER-WRK-1-CP1-001"][2]["commit"].startswith(done_in)

    # a warm build: the history comes from the cache file, keyed by HEAD
    cache = list((repo / ".cache/plandocs/history").glob("*.json"))
    assert len(cache) == 1
    cache[0].write_text(cache[0].read_text(encoding="utf-8").replace("2025-02-10", "2025-02-11"))
    _, site = _build(repo, env)
    one = (site / "orders/ORDER_WRK_1_CP1_ONE/index.html").read_text(encoding="utf-8")
    assert "done 2025-02-11" in one  # read from the cache, not from git

    # a file not committed yet: one info finding, and no history for it
    _write(repo, {"orders/ORDER_WRK_1_CP1_FOUR.md": _order(4, "pending")})
    log, site = _build(repo, env)
    finding = _one_finding(log)
    assert finding.startswith("INFO") and "orders/ORDER_WRK_1_CP1_FOUR.md" in finding
    four = (site / "orders/ORDER_WRK_1_CP1_FOUR/index.html").read_text(encoding="utf-8")
    assert "plandocs-history" not in four


@needs_git
def test_after_a_new_commit_only_new_versions_are_parsed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    repo, env = _scripted_repo(tmp_path)
    cache = tmp_path / "history.json"
    folders, source = planning_folders(repo, repo / "docs", repo / "orders")
    _git_env(env, monkeypatch)
    first = read_history(repo, folders, Settings(), source, cache=cache)
    assert first.problem is None
    # the cache's parse of the first version of ORDER-WRK-1-CP1-002 is taken as it is
    data = json.loads(cache.read_text(encoding="utf-8"))
    name = next(n for n in data["versions"] if n.startswith("orders/ORDER_WRK_1_CP1_TWO.md"))
    data["versions"][name][0][2]["status"] = "blocked"
    cache.write_text(json.dumps(data), encoding="utf-8")
    _write(repo, {"orders/ORDER_WRK_1_CP1_FOUR.md": _order(4, "pending")})
    _git(repo, env, "add", "-A")
    _git(repo, env, "commit", "-q", "-m", "four", when="2025-02-20T10:00:00+00:00")
    second = read_history(repo, folders, Settings(), source, cache=cache)
    assert second.orders["ORDER-WRK-1-CP1-002"][0].new == "blocked"  # not parsed again
    assert second.orders["ORDER-WRK-1-CP1-004"][0].date == "2025-02-20"  # parsed


def _git_env(env: dict[str, str], monkeypatch: pytest.MonkeyPatch) -> None:
    for key, value in env.items():
        if key.startswith("GIT_"):
            monkeypatch.setenv(key, value)


@needs_git
def test_a_warm_read_asks_git_one_rev_parse_and_sees_a_new_tag(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    repo, env = _scripted_repo(tmp_path)
    _git_env(env, monkeypatch)
    cache = tmp_path / "history.json"
    folders, source = planning_folders(repo, repo / "docs", repo / "orders")
    cold = read_history(repo, folders, Settings(), source, cache=cache)
    asked: list[str] = []
    run = subprocess.run

    def counted(args: list[str], **kwargs: object) -> object:
        asked.append(args[3])  # git -c core.quotepath=off <command>
        return run(args, **kwargs)  # type: ignore[call-overload]

    with monkeypatch.context() as patched:
        patched.setattr("plandocs.project.git.subprocess.run", counted)
        warm = read_history(repo, folders, Settings(), source, cache=cache)
    assert asked == ["rev-parse"]
    assert warm == cold and [t.name for t in warm.tags] == ["v1"]
    _git(repo, env, "tag", "v2")  # no new commit, but a new tag: the Changes page moves
    tagged = read_history(repo, folders, Settings(), source, cache=cache)
    assert [t.name for t in tagged.tags] == ["v2", "v1"] and tagged.orders == cold.orders
    for other in ('{"versions": 1}', "[]", "{"):  # a cache file of another shape: git again
        cache.write_text(other, encoding="utf-8")
        assert read_history(repo, folders, Settings(), source, cache=cache).orders == cold.orders


@needs_git
def test_one_log_gives_the_history_and_the_renames(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    repo, env = _scripted_repo(tmp_path)
    _git_env(env, monkeypatch)
    _git(repo, env, "mv", "orders/ORDER_WRK_1_CP1_TWO.md", "orders/ORDER_WRK_1_CP1_2.md")
    _git(repo, env, "commit", "-q", "-m", "moved", when="2025-02-20T10:00:00+00:00")
    folders, source = planning_folders(repo, repo / "docs", repo / "orders")
    found = read_history(repo, folders, Settings(), source)
    moved = ("orders/ORDER_WRK_1_CP1_TWO.md", "orders/ORDER_WRK_1_CP1_2.md")
    assert found.renames == (moved,)
    assert renames(repo, folders, history=found) == renames(repo, folders)
    # a file renamed is no change of the order it holds
    assert [c.field for c in found.orders["ORDER-WRK-1-CP1-002"]] == ["created", "status"]


@needs_git
def test_the_versions_the_build_parsed_are_not_parsed_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    repo, env = _scripted_repo(tmp_path)
    _git_env(env, monkeypatch)
    folders, source = planning_folders(repo, repo / "docs", repo / "orders")
    alone = read_history(repo, folders, Settings(), source)
    project = load(discover(repo, "docs", Settings()), Settings())
    parsed: list[str] = []

    def counted(doc: SourceDoc, settings: Settings, *, state_only: bool = False) -> object:
        parsed.append(doc.path)
        return parse_document(doc, settings, state_only=state_only)

    monkeypatch.setattr("plandocs.project.history.parse_document", counted)
    shared = read_history(repo, folders, Settings(), source, parsed=project.parsed)
    assert shared == alone
    # only the versions before HEAD: two of ORDER ONE, one of TWO, one of ADR 0001
    assert sorted(parsed) == [
        "docs/adr/0001-use-files.md",
        "orders/ORDER_WRK_1_CP1_ONE.md",
        "orders/ORDER_WRK_1_CP1_ONE.md",
        "orders/ORDER_WRK_1_CP1_TWO.md",
    ]


def _one_finding(log: str) -> str:
    found = [line for line in log.splitlines() if "plandocs.git-history" in line]
    assert len(found) == 1, log
    return found[0]


@needs_git
def test_a_shallow_clone_builds_without_history_and_says_how_to_get_it(tmp_path: Path) -> None:
    repo, env = _scripted_repo(tmp_path)
    clone = tmp_path / "clone"
    _git(tmp_path, env, "clone", "-q", "--depth", "1", f"file://{repo}", str(clone))
    log, site = _build(clone, env)
    finding = _one_finding(log)
    assert finding.startswith("INFO") and "fetch-depth: 0" in finding and "shallow" in finding
    assert not (site / "planning/changes").exists()
    one = (site / "orders/ORDER_WRK_1_CP1_ONE/index.html").read_text(encoding="utf-8")
    assert "plandocs-history" not in one
    assert "plandocs-burnup" not in (site / "planning/phases/CP1/index.html").read_text("utf-8")
    export = json.loads((site / "planning.json").read_text(encoding="utf-8"))
    assert all("history" not in o for o in export["orders"])


@needs_git
def test_a_folder_outside_git_builds_without_history_or_finding(tmp_path: Path) -> None:
    repo, env = _scripted_repo(tmp_path)
    plain = tmp_path / "plain"
    shutil.copytree(repo, plain, ignore=shutil.ignore_patterns(".git", "site", ".cache"))
    # git looks for a repository up to this folder, not above it (the tmp folder's parents)
    env = {**env, "GIT_CEILING_DIRECTORIES": str(tmp_path)}
    log, site = _build(plain, env)
    # a site built from an export has no history to show and nothing to fix: no finding
    assert "plandocs.git-history" not in log
    assert not (site / "planning/changes").exists()
    assert "plandocs-history" not in (site / "orders/ORDER_WRK_1_CP1_ONE/index.html").read_text(
        encoding="utf-8"
    )


@needs_git
def test_history_off_asks_git_nothing(tmp_path: Path) -> None:
    repo, env = _scripted_repo(tmp_path)
    (repo / "mkdocs.yml").write_text(MKDOCS_YML + "      history: false\n", encoding="utf-8")
    log, site = _build(repo, env)
    assert "plandocs.git-history" not in log
    assert not (site / "planning/changes").exists()


@needs_git
@pytest.mark.parametrize("case", ["a checkout without a commit", "git speaking German"])
def test_no_history_to_show_is_no_finding_in_a_new_checkout_or_another_language(
    tmp_path: Path, case: str
) -> None:
    repo, env = _scripted_repo(tmp_path)
    plain = tmp_path / "plain"
    shutil.copytree(repo, plain, ignore=shutil.ignore_patterns(".git", "site", ".cache"))
    env = {**env, "GIT_CEILING_DIRECTORIES": str(tmp_path)}
    if case == "a checkout without a commit":
        subprocess.run(["git", "init", "-q"], cwd=plain, env=env, check=True)
    else:
        # outside a checkout, as above, but git says so in German (when its translations are
        # installed, as Debian's git package has them)
        env = {**env, "LANGUAGE": "de", "LC_ALL": "", "LANG": "C.UTF-8"}
    log, site = _build(plain, env)
    assert "plandocs.git-history" not in log
    assert "plandocs.no-history" not in log
    assert "failed" not in log
    assert not (site / "planning/changes").exists()
