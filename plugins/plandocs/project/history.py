"""The planning files' history, read from git: when each order and ADR appeared, each
change of its status (and an order's phase), with the date and commit; and what the site
makes of it (the Changes page's groups, a page's history line, a phase's burn-up points).

Git is asked a few questions a build, never one a file: ``rev-parse`` (HEAD, and whether the
clone is shallow), then, unless the cache holds this HEAD's history, one ``log --raw`` of the
planning folders and one ``cat-file --batch`` of every version they name, each parsed with
the project's own parser; and ``for-each-ref`` for the tags. ``timeline`` and what follows
it are pure: tests give them scripted commits.
"""

from __future__ import annotations

import hashlib
import json
import re
import subprocess
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import asdict, dataclass, field
from datetime import date, timedelta
from pathlib import Path
from typing import Any, cast

from plandocs.core import diagnostics as diag
from plandocs.core.model import SourceDoc
from plandocs.core.parse.documents import parse_document
from plandocs.core.parse.fields import FINISHED
from plandocs.core.settings import Settings
from plandocs.project.load import Project, SourceEntry, source_doc
from plandocs.project.renames import site_prefixes, site_source

#: how long one git command of a build may take; a bigger history is left unread
GIT_TIMEOUT = 30.0
#: bumped when what the cache file holds changes shape
_CACHE_VERSION = 2
#: what the info finding says to a CI that fetched one commit
SHALLOW_HINT = (
    "this is a shallow clone, so the planning history (Changes page, history lines, "
    "burn-up charts) is left out; fetch the whole history (`fetch-depth: 0` in "
    "actions/checkout, `GIT_DEPTH: 0` in GitLab CI) to get it"
)
NO_GIT_HINT = (
    "git is not installed, so the planning history (Changes page, history "
    "lines, burn-up charts) is left out; install git, and build in a clone with the whole "
    "history (`fetch-depth: 0` in actions/checkout) to get it"
)


@dataclass(frozen=True)
class Change:
    """One change of one field of an order or ADR. ``field`` is ``created`` (``new`` is the
    status it was created with), ``status``, ``phase`` or ``removed``."""

    date: str  # the commit's date, YYYY-MM-DD, in the committer's time zone
    field: str
    old: str | None
    new: str | None
    commit: str  # the full sha

    @property
    def short(self) -> str:
        return self.commit[:7]


@dataclass(frozen=True)
class Tag:
    name: str
    date: str  # the tagged commit's date, YYYY-MM-DD
    time: int  # and its time, for ordering
    commit: str


@dataclass(frozen=True)
class Commit:
    """One commit of the planning folders: its files as they were after it (``None``: the
    commit deleted the file)."""

    sha: str
    time: int
    date: str
    files: tuple[tuple[str, str | None], ...]


@dataclass(frozen=True)
class GitHistory:
    """What git says about the planning files; ``problem`` says why it says nothing (then
    the site has no history parts)."""

    orders: dict[str, tuple[Change, ...]] = field(default_factory=dict)
    adrs: dict[str, tuple[Change, ...]] = field(default_factory=dict)
    #: the time of each commit that changed something, by sha (the Changes page's cut-off)
    times: dict[str, int] = field(default_factory=dict)
    tags: tuple[Tag, ...] = ()  # newest first
    head: str = ""
    problem: str | None = None

    @property
    def available(self) -> bool:
        return self.problem is None and bool(self.head)


# -- the pure core ------------------------------------------------------------------------
_Fields = dict[str, str | None]
#: what a version of a file says: ("order" | "adr", ID) -> its fields
_Objects = dict[tuple[str, str], _Fields]


def objects_of(doc: SourceDoc, settings: Settings) -> _Objects:
    """The orders and ADRs one version of a file declares, with the fields history tracks.
    An order's own file wins over a summary's entry for it (as in the graph)."""
    parsed = parse_document(doc, settings)
    out: _Objects = {}
    for record in sorted(parsed.orders, key=lambda r: r.kind != "file"):
        if record.id and not record.draft and not record.archived:
            out.setdefault(("order", record.id), {"status": record.status, "phase": record.phase})
    if parsed.adr is not None and parsed.adr.id:
        out[("adr", parsed.adr.id)] = {"status": parsed.adr.status}
    return out


def timeline(commits: Iterable[Commit], read: Callable[[str, str], _Objects]) -> GitHistory:
    """Each order's and ADR's changes, from ``commits`` oldest first. ``read(path, text)``
    gives the objects of one version of a file; an object that moves from file to file in
    one commit keeps its history."""
    at_path: dict[str, _Objects] = {}
    where: dict[tuple[str, str], set[str]] = {}  # object -> the paths that declare it
    state: dict[tuple[str, str], _Fields] = {}
    changes: dict[tuple[str, str], list[Change]] = {}
    times: dict[str, int] = {}
    for commit in commits:
        touched: set[tuple[str, str]] = set()
        for path, text in commit.files:
            before = at_path.pop(path, {})
            after = read(path, text) if text is not None else {}
            if after:
                at_path[path] = after
            for key in before:
                where.get(key, set()).discard(path)
            for key in after:
                where.setdefault(key, set()).add(path)
            touched.update(before, after)
        for key in sorted(touched):
            found = [at_path[p][key] for p in sorted(where.get(key, ()))]
            now = found[0] if found else None
            made = list(_diff(state.get(key), now, commit))
            if made:
                changes.setdefault(key, []).extend(made)
                times[commit.sha] = commit.time
            if now is None:
                state.pop(key, None)
            else:
                state[key] = now
    orders = {k[1]: tuple(v) for k, v in sorted(changes.items()) if k[0] == "order"}
    adrs = {k[1]: tuple(v) for k, v in sorted(changes.items()) if k[0] == "adr"}
    return GitHistory(orders=orders, adrs=adrs, times=times)


def _diff(old: _Fields | None, new: _Fields | None, commit: Commit) -> Iterator[Change]:
    if old == new:
        return
    if old is None and new is not None:
        yield Change(commit.date, "created", None, new.get("status"), commit.sha)
        return
    if new is None and old is not None:
        yield Change(commit.date, "removed", old.get("status"), None, commit.sha)
        return
    assert old is not None and new is not None
    for name in sorted(new):
        if old.get(name) != new.get(name):
            yield Change(commit.date, name, old.get(name), new.get(name), commit.sha)


def _word(status: str | None) -> str:
    return (status or "no status").replace("_", " ")


def history_line(changes: Sequence[Change]) -> str:
    """``pending since 2025-01-27, in progress 2025-02-03, done 2025-02-10``: the statuses
    an order or ADR went through, from the file's first commit."""
    parts: list[str] = []
    for change in changes:
        if change.field == "created":
            parts = [f"{_word(change.new)} since {change.date}"]
        elif change.field == "status":
            parts.append(f"{_word(change.new)} {change.date}")
    return ", ".join(parts)


def status_on(changes: Sequence[Change], day: str) -> tuple[bool, str | None]:
    """(whether it existed, its status) at the end of ``day``."""
    exists, status = False, None
    for change in changes:
        if change.date > day:
            break
        if change.field == "created":
            exists, status = True, change.new
        elif change.field == "removed":
            exists, status = False, None
        elif change.field == "status":
            status = change.new
    return exists, status


def done_dates(history: GitHistory, finished: Iterable[str] = FINISHED) -> dict[str, date]:
    """When each order whose latest status is finished (done, cancelled) was last finished."""
    closed = frozenset(finished)
    out: dict[str, date] = {}
    for order_id, changes in history.orders.items():
        status, since = None, None
        for change in changes:
            if change.field in ("created", "status"):
                if change.new in closed and status not in closed:
                    since = change.date
                status = change.new
            elif change.field == "removed":
                status = None
        if status in closed and since is not None:
            out[order_id] = date.fromisoformat(since)
    return out


def burnup(
    history: GitHistory, order_ids: Iterable[str], finished: Iterable[str] = FINISHED
) -> list[tuple[str, int, int]]:
    """(date, done, total) for a phase's orders, one point a day that changed either."""
    closed = frozenset(finished)
    wanted = [history.orders[i] for i in order_ids if i in history.orders]
    days = sorted({c.date for changes in wanted for c in changes})
    points: list[tuple[str, int, int]] = []
    for day in days:
        states = [status_on(changes, day) for changes in wanted]
        total = sum(1 for exists, _ in states if exists)
        done = sum(1 for exists, status in states if exists and status in closed)
        if not points or points[-1][1:] != (done, total):
            points.append((day, done, total))
    return points


@dataclass(frozen=True)
class Item:
    id: str
    date: str
    commit: str
    old: str | None = None
    new: str | None = None


@dataclass(frozen=True)
class Changes:
    """What the Changes page lists, newest first in each group."""

    since: str  # as the page says it: "v1.2 (2025-02-01)", "2025-02-01", "the last 30 days"
    new_orders: tuple[Item, ...] = ()
    status_changes: tuple[Item, ...] = ()
    finished: tuple[Item, ...] = ()
    new_adrs: tuple[Item, ...] = ()
    superseded_adrs: tuple[Item, ...] = ()


_DAYS = re.compile(r"^\s*(\d{1,5})\s*days?\s*$", re.IGNORECASE)


def cut_off(option: str | None, history: GitHistory, today: date) -> tuple[str, int | None, str]:
    """What ``changes_since`` means: (how the page says it, the time after which a change
    counts or ``None`` for a day's start, that day). A tag, a date (YYYY-MM-DD) or
    ``N days``; by default the latest tag, else 30 days. Raises ``ValueError`` for a value
    that is none of these."""
    text = (option or "").strip()
    if not text:
        if history.tags:
            tag = history.tags[0]
            return f"the tag {tag.name} ({tag.date})", tag.time, tag.date
        text = "30 days"
    for tag in history.tags:
        if tag.name == text:
            return f"the tag {tag.name} ({tag.date})", tag.time, tag.date
    days = _DAYS.match(text)
    if days:
        start = today - timedelta(days=int(days.group(1)))
        return f"{start} (the last {int(days.group(1))} days)", None, start.isoformat()
    try:
        day = date.fromisoformat(text)
    except ValueError:
        raise ValueError(
            f"'changes_since' is {text!r}: no tag of that name, not a date (YYYY-MM-DD) "
            "and not 'N days'"
        ) from None
    return day.isoformat(), None, day.isoformat()


def changes_since(
    history: GitHistory, option: str | None, today: date, finished: Iterable[str] = FINISHED
) -> Changes:
    """The Changes page's groups."""
    closed = frozenset(finished)
    label, after, day = cut_off(option, history, today)

    def counts(change: Change) -> bool:
        if after is not None:
            return history.times.get(change.commit, 0) > after
        return change.date >= day

    new_orders: list[Item] = []
    moved: list[Item] = []
    done: list[Item] = []
    new_adrs: list[Item] = []
    superseded: list[Item] = []
    for order_id, changes in history.orders.items():
        for change in filter(counts, changes):
            item = Item(order_id, change.date, change.commit, change.old, change.new)
            if change.field == "created":
                new_orders.append(item)
            elif change.field == "status":
                (done if change.new in closed else moved).append(item)
    for adr_id, changes in history.adrs.items():
        for change in filter(counts, changes):
            item = Item(adr_id, change.date, change.commit, change.old, change.new)
            if change.field == "created":
                new_adrs.append(item)
            if change.field in ("created", "status") and change.new == "superseded":
                superseded.append(item)

    def newest(items: list[Item]) -> tuple[Item, ...]:
        return tuple(sorted(items, key=lambda i: (i.date, i.id), reverse=True))

    return Changes(
        label,
        newest(new_orders),
        newest(moved),
        newest(done),
        newest(new_adrs),
        newest(superseded),
    )


# -- the burn-up chart --------------------------------------------------------------------
_W, _H, _PAD = 640, 220, 36


def burnup_svg(points: Sequence[tuple[str, int, int]], label: str) -> str:
    """A small inline SVG: total orders (grey) and done orders (green) over time, as steps.
    Every text in it is escaped; ``label`` names the phase for screen readers."""
    from html import escape  # noqa: PLC0415

    if not points:
        return ""
    first = date.fromisoformat(points[0][0])
    last = date.fromisoformat(points[-1][0])
    span = max((last - first).days, 1)
    top = max(1, *(total for _, _, total in points))

    def x(day: str) -> float:
        return _PAD + (date.fromisoformat(day) - first).days / span * (_W - 2 * _PAD)

    def y(count: int) -> float:
        return _H - _PAD - count / top * (_H - 2 * _PAD)

    def steps(index: int) -> str:
        counts = [point[index] for point in points]
        out: list[str] = []
        for n, point in enumerate(points):
            if n:
                out.append(f"{x(point[0]):.1f},{y(int(counts[n - 1])):.1f}")
            out.append(f"{x(point[0]):.1f},{y(int(counts[n])):.1f}")
        out.append(f"{_W - _PAD:.1f},{y(int(counts[-1])):.1f}")
        return " ".join(out)

    done, total = points[-1][1], points[-1][2]
    title = escape(f"{label}: {done} of {total} orders done")
    return (
        f'<svg class="plandocs-burnup" viewBox="0 0 {_W} {_H}" role="img" '
        f'aria-label="{title}" xmlns="http://www.w3.org/2000/svg">'
        f"<title>{title}</title>"
        f'<line x1="{_PAD}" y1="{_H - _PAD}" x2="{_W - _PAD}" y2="{_H - _PAD}" '
        'stroke="currentColor" stroke-opacity="0.4"/>'
        f'<polyline points="{steps(2)}" fill="none" stroke="#9e9e9e" stroke-width="2"/>'
        f'<polyline points="{steps(1)}" fill="none" stroke="#2e7d32" stroke-width="2.5"/>'
        f'<text x="{_PAD}" y="{_H - 12}" font-size="12" fill="currentColor">'
        f"{escape(points[0][0])}</text>"
        f'<text x="{_W - _PAD}" y="{_H - 12}" font-size="12" fill="currentColor" '
        f'text-anchor="end">{escape(points[-1][0])}</text>'
        f'<text x="{_PAD}" y="{_PAD - 10}" font-size="12" fill="currentColor">'
        f"{escape(f'{done} done of {total}')}</text>"
        "</svg>"
    )


# -- git ------------------------------------------------------------------------------------
class GitError(Exception):
    """Git could not answer; the message says why, in a line."""


class NotACheckoutError(Exception):
    """The project is in no git checkout: a site built from an export or a tarball has no
    history to show, and nothing to report."""


def _git(root: Path, args: Sequence[str], stdin: bytes | None = None) -> bytes:
    command = ["git", "-c", "core.quotepath=off", *args]
    try:
        done = subprocess.run(
            command,
            cwd=root,
            input=stdin,
            capture_output=True,
            timeout=GIT_TIMEOUT,
            check=False,
        )
    except FileNotFoundError:
        if any((folder / ".git").exists() for folder in (root, *root.parents)):
            raise GitError(NO_GIT_HINT) from None
        raise NotACheckoutError from None
    except subprocess.TimeoutExpired:
        raise GitError(f"git {args[0]} took more than {GIT_TIMEOUT:g} s") from None
    except OSError as exc:
        raise GitError(f"git could not be run ({exc.strerror or exc})") from None
    if done.returncode != 0:
        lines = done.stderr.decode("utf-8", "replace").strip().splitlines()
        first = lines[0] if lines else f"exit status {done.returncode}"
        if "not a git repository" in first:
            raise NotACheckoutError
        raise GitError(f"git {args[0]} failed: {first[:200]}")
    return done.stdout


def head(root: Path) -> str:
    """HEAD's sha; ``GitError`` in a shallow clone or outside git."""
    out = _git(root, ["rev-parse", "--is-shallow-repository", "HEAD"]).decode().split()
    if out and out[0] == "true":
        raise GitError(SHALLOW_HINT)
    if len(out) < 2:
        raise GitError("git rev-parse gave no HEAD")
    return out[-1]


def _log(root: Path, paths: Sequence[str]) -> list[tuple[str, int, str, list[tuple[str, str]]]]:
    """(sha, time, date, [(path, blob or "" when deleted)]) of every commit touching
    ``paths``, oldest first."""
    raw = _git(
        root,
        [
            "log",
            "--reverse",
            "--no-renames",
            "--no-merges",
            "--raw",
            "--no-abbrev",
            "-z",
            "--relative",
            "--format=%x01%H %ct %cs",
            "--",
            *paths,
        ],
    )
    commits: list[tuple[str, int, str, list[tuple[str, str]]]] = []
    for chunk in raw.split(b"\x01")[1:]:
        head_line, _, rest = chunk.partition(b"\x00")  # -z ends the header with NUL
        sha, time, day = head_line.decode().split()
        fields = rest.lstrip(b"\n").rstrip(b"\x00").split(b"\x00")
        files: list[tuple[str, str]] = []
        for meta, name in zip(fields[0::2], fields[1::2], strict=False):
            parts = meta.decode().split()  # ":100644 100644 old new M"
            if len(parts) < 5:
                continue
            path = name.decode("utf-8", "replace")
            if path.lower().endswith(".md"):
                files.append((path, "" if parts[4].startswith("D") else parts[3]))
        commits.append((sha, int(time), day, files))
    return commits


def _blobs(root: Path, shas: Iterable[str]) -> dict[str, bytes]:
    wanted = sorted(set(shas))
    if not wanted:
        return {}
    raw = _git(root, ["cat-file", "--batch"], stdin="\n".join(wanted).encode() + b"\n")
    out: dict[str, bytes] = {}
    at = 0
    while at < len(raw):
        end = raw.index(b"\n", at)
        header = raw[at:end].decode().split()
        if len(header) < 3 or header[1] == "missing":
            at = end + 1
            continue
        size = int(header[2])
        out[header[0]] = raw[end + 1 : end + 1 + size]
        at = end + 1 + size + 1
    return out


def _tags(root: Path) -> tuple[Tag, ...]:
    """The tags, newest first, each with its commit's time and date (an annotated tag's
    commit, not the tag object)."""
    raw = _git(
        root,
        [
            "for-each-ref",
            "--format=%(refname:short)%00%(objectname)%00%(*objectname)%00%(committerdate:unix)"
            "%00%(*committerdate:unix)%00%(committerdate:short)%00%(*committerdate:short)",
            "refs/tags",
        ],
    )
    tags: list[Tag] = []
    for line in raw.decode("utf-8", "replace").splitlines():
        name, obj, peeled, time, peeled_time, day, peeled_day = (line.split("\x00") + [""] * 7)[:7]
        stamp = peeled_time or time
        if stamp:
            tags.append(Tag(name, peeled_day or day, int(stamp), peeled or obj))
    tags.sort(key=lambda t: (-t.time, t.name))
    return tuple(tags)


def planning_folders(
    root: Path, docs_dir: Path, orders: Path | None
) -> tuple[list[str], Callable[[str], str | None]]:
    """The folders git is asked about (relative to ``root``, where mkdocs.yml is: ``docs``,
    ``orders``), and a function from a path git names to the file's site source
    (``docs/adr/x.md`` -> ``adr/x.md``; the orders folder is published under its name), or
    ``None`` for a file of neither. A folder outside the project has no history."""
    folders = sorted({prefix for prefix, _ in site_prefixes(root, docs_dir, orders)})
    return folders, site_source(root, docs_dir, orders)


def read_history(
    root: Path,
    paths: Sequence[str],
    settings: Settings,
    uri_of: Callable[[str], str | None],
    cache: Path | None = None,
) -> GitHistory:
    """The planning files' history (``paths``: folders relative to ``root``), from the
    cache file when HEAD has not moved; after a new commit, only the versions of files the
    cache does not hold are parsed. Never raises for git's sake: ``problem`` says why."""
    if not paths:  # `git log --` of no path would read the whole repository
        return GitHistory(problem="the planning folders are outside the project's folder")
    try:
        sha = head(root)
        made_by = _key("", paths, settings)  # what a parsed version depends on, HEAD aside
        data = _load(cache) if cache is not None else {}
        found = _history_of(data) if data.get("key") == _key(sha, paths, settings) else None
        if found is None:
            known = data.get("versions", {}) if data.get("made_by") == made_by else {}
            found, versions = _read(root, paths, settings, uri_of, known)
            if cache is not None:
                _store(cache, _key(sha, paths, settings), made_by, found, versions)
        return GitHistory(
            orders=found.orders, adrs=found.adrs, times=found.times, tags=_tags(root), head=sha
        )
    except GitError as exc:
        return GitHistory(problem=str(exc))
    except NotACheckoutError:
        return GitHistory()


def project_history(
    root: Path,
    docs_dir: Path,
    orders: Path | None,
    project: Project,
    *,
    config_name: str,
    cache: Path | None = None,
) -> GitHistory | None:
    """The planning files' history for a project, or ``None`` when there is none to show.
    The build and ``plandocs export`` both call it, so that their schedules (done dates) and
    planning.json agree. Findings go to ``project``: one info finding when git cannot give
    the history, one for the files git has no commit of."""
    folders, source = planning_folders(root, docs_dir, orders)
    history = read_history(root, folders, project.settings, source, cache=cache)
    if history.available:
        _report_unrecorded(project, history)
        return history
    if history.problem is not None:  # None: not a git checkout, nothing to fix
        project.report([diag.make(diag.GIT_HISTORY, config_name, 0, history.problem)])
    return None


def _report_unrecorded(project: Project, history: GitHistory) -> None:
    """One info finding for the orders and ADRs git has no commit of (new files, or
    files git ignores): they have no history line and are not on the Changes page."""
    graph = project.graph
    missing = sorted(
        {o.path for i, o in graph.orders.items() if i not in history.orders}
        | {a.path for i, a in graph.adrs.items() if i not in history.adrs}
    )
    if missing:
        more = f" and {len(missing) - 1} more" if len(missing) > 1 else ""
        note = (
            f"git has no commit of {missing[0]}{more}: no history for them until they are committed"
        )
        project.report([diag.make(diag.GIT_HISTORY, missing[0], 0, note)])


#: a parsed version in the cache file: [kind, ID, fields] of each object it declares
_Stored = list[list[object]]


def _read(
    root: Path,
    paths: Sequence[str],
    settings: Settings,
    uri_of: Callable[[str], str | None],
    known: Mapping[str, _Stored],
) -> tuple[GitHistory, dict[str, _Stored]]:
    """The history, and each version of a file parsed (``path NUL blob`` -> its objects),
    those of ``known`` taken as they are."""
    commits = _log(root, paths)
    versions: dict[str, _Stored] = {}
    wanted = {
        blob
        for *_, files in commits
        for path, blob in files
        if blob and f"{path}\0{blob}" not in known and uri_of(path) is not None
    }
    texts = _blobs(root, wanted)

    def read(path: str, blob: str) -> _Objects:
        uri = uri_of(path)
        if uri is None:
            return {}
        name = f"{path}\0{blob}"
        stored = versions.get(name) or known.get(name)
        if stored is None:
            doc = source_doc(SourceEntry(path, uri, ""), texts.get(blob, b""), settings)
            got = objects_of(doc, settings) if isinstance(doc, SourceDoc) else {}
            stored = [[kind, object_id, fields] for (kind, object_id), fields in got.items()]
        versions[name] = stored
        return {(str(k), str(i)): dict(cast(_Fields, f)) for k, i, f in stored}

    scripted = (
        Commit(sha, time, day, tuple((p, b or None) for p, b in files))
        for sha, time, day, files in commits
    )
    return timeline(scripted, read), versions


def _key(sha: str, paths: Sequence[str], settings: Settings) -> str:
    made = json.dumps([_CACHE_VERSION, sha, list(paths), repr(settings)], sort_keys=True)
    return hashlib.sha256(made.encode("utf-8")).hexdigest()


def _load(cache: Path) -> dict[str, Any]:
    try:
        data = json.loads(cache.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def _history_of(data: Mapping[str, Any]) -> GitHistory | None:
    try:
        return GitHistory(
            orders={k: tuple(Change(**c) for c in v) for k, v in data["orders"].items()},
            adrs={k: tuple(Change(**c) for c in v) for k, v in data["adrs"].items()},
            times={k: int(v) for k, v in data["times"].items()},
        )
    except (KeyError, TypeError, AttributeError, ValueError):
        return None  # a cache of another shape: read git again


def _store(
    cache: Path, key: str, made_by: str, history: GitHistory, versions: Mapping[str, _Stored]
) -> None:
    data = {
        "key": key,
        "made_by": made_by,
        "orders": {k: [asdict(c) for c in v] for k, v in history.orders.items()},
        "adrs": {k: [asdict(c) for c in v] for k, v in history.adrs.items()},
        "times": history.times,
        "versions": versions,
    }
    try:
        cache.parent.mkdir(parents=True, exist_ok=True)
        temporary = cache.with_suffix(".tmp")
        temporary.write_text(json.dumps(data, separators=(",", ":")), encoding="utf-8")
        temporary.replace(cache)
    except OSError:
        pass  # a read-only checkout: the next build reads git again


def as_json(changes: Sequence[Change]) -> list[dict[str, str | None]]:
    """An order's ``history`` in planning.json."""
    return [
        {"date": c.date, "field": c.field, "old": c.old, "new": c.new, "commit": c.commit}
        for c in changes
    ]


def history_lines(history: GitHistory) -> Mapping[str, str]:
    """Each order's and ADR's history line, by ID."""
    lines = {i: history_line(c) for i, c in history.adrs.items()}
    lines.update((i, history_line(c)) for i, c in history.orders.items())
    return {i: line for i, line in lines.items() if line}
