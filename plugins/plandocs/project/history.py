"""The planning files' history, read from git: when each order and ADR appeared, each
change of its status (and an order's phase), with the date and commit; and what the site
makes of it (the Changes page's groups, a page's history line, a phase's burn-up points).
``timeline`` and what follows it are pure: tests give them scripted commits. Reading git
(``project.git``) and the cache file comes last."""

from __future__ import annotations

import hashlib
import heapq
import json
import re
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import suppress
from dataclasses import asdict, dataclass, field, fields, replace
from datetime import date, timedelta
from pathlib import Path
from typing import Any, cast

from plandocs.core import diagnostics as diag
from plandocs.core.model import SourceDoc
from plandocs.core.parse.documents import ParsedDoc, parse_document
from plandocs.core.parse.fields import FINISHED
from plandocs.core.project import Project
from plandocs.core.settings import Settings
from plandocs.project import git
from plandocs.project.git import Commit as Commit  # noqa: PLC0414 - the tests' scripts
from plandocs.project.git import GitError, GitMissingError, NotACheckoutError
from plandocs.project.git import Tag as Tag  # noqa: PLC0414 - the Changes page's cut-off
from plandocs.project.load import SourceEntry, source_doc
from plandocs.project.renames import planning_folders
from plandocs.project.textio import write_cache_file

#: bumped when what the cache file holds changes shape
_CACHE_VERSION = 3
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


_CHANGE_FIELDS = tuple(f.name for f in fields(Change))


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
    #: the planning files' renames, newest first (``renames.old_sources``)
    renames: tuple[tuple[str, str], ...] = ()


# -- the pure core ------------------------------------------------------------------------
_Fields = dict[str, str | None]
#: what a version of a file says: ("order" | "adr", ID) -> its fields
_Objects = dict[tuple[str, str], _Fields]


def objects_of(doc: SourceDoc, settings: Settings) -> _Objects:
    """The orders and ADRs one version of a file declares, with the fields history tracks."""
    return _objects(parse_document(doc, settings, state_only=True))


def _objects(parsed: ParsedDoc) -> _Objects:
    out: _Objects = {}  # an order's own file wins over a summary's entry (as in the graph)
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
    state: dict[tuple[str, str], _Fields | None] = {}
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
            state[key] = now
    orders = {k[1]: tuple(v) for k, v in sorted(changes.items()) if k[0] == "order"}
    adrs = {k[1]: tuple(v) for k, v in sorted(changes.items()) if k[0] == "adr"}
    return GitHistory(orders=orders, adrs=adrs, times=times)


def _diff(old: _Fields | None, new: _Fields | None, commit: Commit) -> Iterator[Change]:
    if old is None or new is None:
        if old != new:
            made = "created" if old is None else "removed"
            status = (old or {}).get("status"), (new or {}).get("status")
            yield Change(commit.date, made, *status, commit.sha)
        return
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


def _states(changes: Sequence[Change]) -> Iterator[tuple[Change, bool, str | None]]:
    """Each change, with whether the order or ADR exists after it and its status."""
    exists, status = False, None
    for change in changes:
        if change.field == "created":
            exists, status = True, change.new
        elif change.field == "removed":
            exists, status = False, None
        elif change.field == "status":
            status = change.new
        yield change, exists, status


def done_dates(history: GitHistory) -> dict[str, date]:
    """When each order whose latest status is finished (done, cancelled) was last finished."""
    closed = FINISHED
    out: dict[str, date] = {}
    for order_id, changes in history.orders.items():
        status, since = None, None
        for change, _, now in _states(changes):
            if now in closed and status not in closed:
                since = change.date
            status = now
        if status in closed and since is not None:
            out[order_id] = date.fromisoformat(since)
    return out


def burnup(history: GitHistory, order_ids: Iterable[str]) -> list[tuple[str, int, int]]:
    """(date, done, total) for a phase's orders, one point a day that changed either. On a
    day, an order is as its changes left it up to the first one dated later (a commit's
    date can be earlier than its parent's): each order's next change waits in a heap."""
    closed = FINISHED
    wanted = [list(_states(history.orders[i])) for i in order_ids if i in history.orders]
    waiting = [(states[0][0].date, n, 0) for n, states in enumerate(wanted) if states]
    heapq.heapify(waiting)
    done = total = 0
    points: list[tuple[str, int, int]] = []
    for day in sorted({change.date for states in wanted for change, _, _ in states}):
        while waiting and waiting[0][0] <= day:
            _, n, at = heapq.heappop(waiting)
            _, existed, was = wanted[n][at - 1] if at else (None, False, None)
            _, exists, status = wanted[n][at]
            total += exists - existed
            done += (exists and status in closed) - (existed and was in closed)
            if at + 1 < len(wanted[n]):
                heapq.heappush(waiting, (wanted[n][at + 1][0].date, n, at + 1))
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
    text = (option or "").strip() or (history.tags[0].name if history.tags else "30 days")
    tag = next((tag for tag in history.tags if tag.name == text), None)
    if tag is not None:
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


def changes_since(history: GitHistory, option: str | None, today: date) -> Changes:
    """The Changes page's groups."""
    closed = FINISHED
    label, after, day = cut_off(option, history, today)

    def counts(change: Change) -> bool:
        if after is not None:
            return history.times.get(change.commit, 0) > after
        return change.date >= day

    groups: dict[str, list[Item]] = {name: [] for name in _GROUPS}
    for kind, objects in (("order", history.orders), ("adr", history.adrs)):
        for object_id, changes in objects.items():
            for change in filter(counts, changes):
                item = Item(object_id, change.date, change.commit, change.old, change.new)
                for group in _groups_of(kind, change, closed):
                    groups[group].append(item)
    return Changes(
        label,
        **{
            k: tuple(sorted(v, key=lambda i: (i.date, i.id), reverse=True))
            for k, v in groups.items()
        },
    )


_GROUPS = ("new_orders", "status_changes", "finished", "new_adrs", "superseded_adrs")


def _groups_of(kind: str, change: Change, closed: frozenset[str]) -> list[str]:
    """The groups of the Changes page that list ``change`` (newest first in each)."""
    if kind == "order":
        if change.field == "created":
            return ["new_orders"]
        if change.field == "status":
            return ["finished" if change.new in closed else "status_changes"]
        return []
    groups = ["new_adrs"] if change.field == "created" else []
    if change.field in ("created", "status") and change.new == "superseded":
        groups.append("superseded_adrs")
    return groups


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


# -- reading it ---------------------------------------------------------------------------
def read_history(
    root: Path,
    paths: Sequence[str],
    settings: Settings,
    uri_of: Callable[[str], str | None],
    *,
    cache: Path | None = None,
    parsed: Mapping[str, ParsedDoc] | None = None,
) -> GitHistory:
    """The planning files' history (``paths``: folders relative to ``root``): from the
    cache file when neither HEAD nor a tag has moved, else from git's log, parsing only the
    versions of files neither the cache nor the build (``parsed``, by URI) has parsed.
    Never raises for git's sake: ``problem`` says why."""
    if not paths:  # `git log --` of no path would read the whole repository
        return GitHistory(problem="the planning folders are outside the project's folder")
    try:
        shallow, sha, tagged = git.head(root)
        if shallow:
            return GitHistory(problem=SHALLOW_HINT)
        key, at = _key(paths, settings), f"{sha} {tagged}"
        data = _load(cache, key)
        found = _history_of(data.get("history")) if data.get("at") == at else None
        if found is None:
            now = _parsed_now(root, parsed or {}, uri_of)
            found, versions = _read(
                root, paths, settings, uri_of, {**data.get("versions", {}), **now}
            )
            found = replace(found, tags=git.tags(root), head=sha)
            kept = {name: objects for name, objects in versions.items() if name not in now}
            if cache is not None:
                stored = {"key": key, "at": at, "history": _data(found), "versions": kept}
                with suppress(OSError):  # a read-only checkout: the next build reads git again
                    write_cache_file(cache, json.dumps(stored, separators=(",", ":")).encode())
        return found
    except GitMissingError:
        return GitHistory(problem=NO_GIT_HINT)
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
    history = read_history(
        root, folders, project.settings, source, cache=cache, parsed=project.parsed
    )
    if history.problem is None and history.head:
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


def _stored(objects: _Objects) -> _Stored:
    return [[kind, object_id, fields] for (kind, object_id), fields in objects.items()]


def _parsed_now(
    root: Path, parsed: Mapping[str, ParsedDoc], uri_of: Callable[[str], str | None]
) -> dict[str, _Stored]:
    """The build's own parse of each file, by git's name for the file's bytes on disk
    (``path NUL blob``): a version that is also in the working tree is not parsed twice."""
    out: dict[str, _Stored] = {}
    for uri, item in parsed.items():
        path = item.doc.path
        if uri_of(path) != uri:
            continue
        try:
            data = (root / path).read_bytes()
        except OSError:
            continue
        blob = hashlib.sha1(b"blob %d\0" % len(data) + data, usedforsecurity=False)
        out[f"{path}\0{blob.hexdigest()}"] = _stored(_objects(item))
    return out


def _read(
    root: Path,
    paths: Sequence[str],
    settings: Settings,
    uri_of: Callable[[str], str | None],
    known: Mapping[str, _Stored],
) -> tuple[GitHistory, dict[str, _Stored]]:
    """The history, and each version of a file it read (``path NUL blob`` -> its objects),
    those of ``known`` taken as they are."""
    log = git.log(root, paths)
    names = {(path, blob) for commit in log.commits for path, blob in commit.files if blob}
    texts = git.blobs(
        root, {b for p, b in names if f"{p}\0{b}" not in known and uri_of(p) is not None}
    )
    versions: dict[str, _Stored] = {}

    def read(path: str, blob: str) -> _Objects:
        uri = uri_of(path)
        if uri is None:
            return {}
        name = f"{path}\0{blob}"
        stored = versions.get(name, known.get(name))
        if stored is None:
            doc = source_doc(SourceEntry(path, uri, ""), texts.get(blob, b""), settings)
            stored = _stored(objects_of(doc, settings)) if isinstance(doc, SourceDoc) else []
        versions[name] = stored
        return {(str(k), str(i)): dict(cast(_Fields, f)) for k, i, f in stored}

    return replace(timeline(log.commits, read), renames=log.renames), versions


def _key(paths: Sequence[str], settings: Settings) -> str:
    made = json.dumps([_CACHE_VERSION, list(paths), repr(settings)], sort_keys=True)
    return hashlib.sha256(made.encode("utf-8")).hexdigest()


def _load(cache: Path | None, key: str) -> dict[str, Any]:
    """What the cache file holds, if it was made with ``key`` (the folders and settings)."""
    try:
        data = json.loads(cache.read_text(encoding="utf-8")) if cache is not None else {}
    except (OSError, ValueError):
        return {}
    made = isinstance(data, dict) and data.get("key") == key
    return data if made and isinstance(data.get("versions"), dict) else {}


def _data(history: GitHistory) -> dict[str, object]:
    """``asdict(history)``, without its deep copy of every string of every change."""
    return {
        "orders": {i: as_json(changes) for i, changes in history.orders.items()},
        "adrs": {i: as_json(changes) for i, changes in history.adrs.items()},
        "times": history.times,
        "tags": [asdict(tag) for tag in history.tags],
        "head": history.head,
        "problem": history.problem,
        "renames": history.renames,
    }


def _history_of(data: Any) -> GitHistory | None:
    try:
        return GitHistory(
            orders={k: tuple(Change(**c) for c in v) for k, v in data["orders"].items()},
            adrs={k: tuple(Change(**c) for c in v) for k, v in data["adrs"].items()},
            times={k: int(v) for k, v in data["times"].items()},
            tags=tuple(Tag(**t) for t in data["tags"]),
            head=str(data["head"]),
            renames=tuple((str(old), str(new)) for old, new in data["renames"]),
        )
    except (KeyError, TypeError, AttributeError, ValueError):
        return None  # a cache of another shape: read git again


def as_json(changes: Sequence[Change]) -> list[dict[str, str | None]]:
    """An order's ``history`` in planning.json: date, field, old, new, commit (``asdict``
    without its deep copy of each string, which a thousand orders' histories feel)."""
    return [{name: getattr(change, name) for name in _CHANGE_FIELDS} for change in changes]


def history_lines(history: GitHistory) -> Mapping[str, str]:
    """Each order's and ADR's history line, by ID."""
    lines = {i: history_line(c) for i, c in history.adrs.items()}
    lines.update((i, history_line(c)) for i, c in history.orders.items())
    return {i: line for i, line in lines.items() if line}
