"""The writer's loop (issue 28): the time from saving an edit to the served page showing it,
under ``mkdocs serve``, on the synthetic planning repository.

    .venv/bin/python bench/writers_loop.py [--sizes 1000,5000] [--runs 3] [--timeout 300]
        [--servers "plandocs --dirty,plain"]

For each size N, ``bench/synthetic.py`` writes the repository of N orders into
``.cache/bench/N-loop/`` (a folder of its own, so that a ``build_speed.py`` run does not
regenerate it under a running server), committed to a new git repository, as a writer's
files are (plandocs then reads their history on each rebuild). Four servers are measured
one after the other, each started on a free port, its first build waited for, then given
the same edits:

1. ``plandocs --dirty``: ``mkdocs serve --dirty``, plandocs rebuilding the pages an edit
   changes (the feature);
2. ``plandocs``: ``mkdocs serve``, a full rebuild on every save;
3. ``plain``: ``mkdocs serve -f mkdocs-plain.yml``, the same pages without plandocs, a full
   rebuild on every save: the baseline of the ratios;
4. ``plain --dirty``: ``mkdocs serve --dirty -f mkdocs-plain.yml``, MkDocs rebuilding only
   the saved file.

Each run makes three edits to one order with frontmatter and dependencies, in the middle of
the repository (as ``build_speed.py`` picks it): a new status, a new dependency on an older
order, a new title. The clock starts when the file is written and closed, and stops when
the server's answer shows the edit; the server is asked every 20 ms with urllib (a request
made during a rebuild waits for it: MkDocs never serves a half-built site). What "shows the
edit" means:

- with plandocs: the order's card has the new status; the order's card lists the new
  dependency AND the card of the order it now depends on lists the edited order under
  "Blocks" (the slower of the two pages); the page has the new title;
- without plandocs, whose pages show no status or dependency: the server answers with a
  newer epoch in its live-reload script (a rebuild has ended: the moment a browser on the
  page reloads), and for a new title, the page has it.

MkDocs' watcher looks for changes every 0.5 s, so each time holds from 0 to 0.5 s of
waiting for it (0.25 s on average), with or without plandocs. The edits are undone between
servers, so that each sees the same files and the same edits.

The table shows, for each edit and server, the median of the runs with the fastest and
slowest, and the ratio of the median to plain MkDocs serve's; a second one the CPU time
the server spent from save to shown (its own and its waited-for children's, from
``/proc``: a view less moved by other work on the machine); then PASS or FAIL for the
targets (plandocs under ``--dirty``: under 1 s for each edit at 1,000 orders, under 2 s at
5,000), and the line plandocs printed for each rebuild. Everything is also written to
``bench/results/writers_loop.json`` with facts about the machine. The exit status stays 0.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import signal
import socket
import statistics
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import build_speed  # sibling scripts, not a package
import synthetic

ROOT = Path(__file__).resolve().parents[1]
WORK = ROOT / ".cache" / "bench"
RESULTS = ROOT / "bench" / "results" / "writers_loop.json"
ENV = build_speed.ENV

#: name -> (arguments of ``mkdocs serve``, whether plandocs renders the pages)
SERVERS: dict[str, tuple[tuple[str, ...], bool]] = {
    "plandocs --dirty": (("--dirty",), True),
    "plandocs": ((), True),
    "plain": (("-f", "mkdocs-plain.yml"), False),
    "plain --dirty": (("--dirty", "-f", "mkdocs-plain.yml"), False),
}
BASELINE = "plain"
FEATURE = "plandocs --dirty"
EDITS = ("status", "dependency", "title")
#: issue 28: plandocs under --dirty, seconds from save to the page showing it, by size
TARGETS = {1000: 1.0, 5000: 2.0}
POLL = 0.02
#: MkDocs' live-reload script carries the epoch of the build that wrote the page
EPOCH = re.compile(r"livereload\(([0-9]+), [0-9]+\);")
#: plandocs' one line a rebuild
REBUILT = re.compile(r"^INFO\s+-\s+plandocs: (.+ in [0-9.,]+ s(?:; [0-9,]+ findings?.*)?)$", re.M)


@dataclass
class Times:
    """The runs of one edit on one server: seconds, or None when the edit never showed."""

    seconds: list[float | None] = field(default_factory=list)
    #: CPU seconds the server spent meanwhile (``cpu_seconds``)
    cpu: list[float] = field(default_factory=list)
    #: what plandocs printed for each rebuild of the edit
    lines: list[list[str]] = field(default_factory=list)

    @property
    def valid(self) -> list[float]:
        return [s for s in self.seconds if s is not None]

    @property
    def median(self) -> float | None:
        return round(statistics.median(self.valid), 3) if self.valid else None

    @property
    def cpu_median(self) -> float | None:
        return round(statistics.median(self.cpu), 3) if self.cpu else None


# --- the repository and its edits ---------------------------------------------------------


def _commit(repo: Path) -> None:
    """Everything in one commit: a writer's repository is a git checkout, so plandocs reads
    its history (the Changes page, history lines) on each rebuild; the edits stay
    uncommitted, as a writer's do."""
    env = {**os.environ, "GIT_AUTHOR_NAME": "bench", "GIT_AUTHOR_EMAIL": "bench@example.org"}
    env |= {"GIT_COMMITTER_NAME": "bench", "GIT_COMMITTER_EMAIL": "bench@example.org"}
    env |= {"GIT_AUTHOR_DATE": "2025-01-06T09:00:00", "GIT_COMMITTER_DATE": "2025-01-06T09:00:00"}
    for args in (("init", "-q"), ("add", "-A"), ("commit", "-q", "-m", "plan")):
        subprocess.run(["git", *args], cwd=repo, env=env, check=True, capture_output=True)


class Repository:
    """The generated repository, the edited order and the edits, each run a new one."""

    def __init__(self, n: int) -> None:
        self.n = n
        self.dir = WORK / f"{n}-loop"
        repo = synthetic.generate(self.dir, n)
        _commit(self.dir)
        pages = [o for o in repo.orders if o.shape != "summary" and not o.mojibake]
        edited = [o for o in pages if o.shape == "frontmatter" and self._listed(o)]
        self.order = edited[len(edited) // 2]
        self.file = self.dir / "docs" / "orders" / self.order.file_name
        self.original = self.file.read_text(encoding="utf-8")
        # older orders with a page of their own that the edited one does not depend on
        older = pages[: pages.index(self.order)]
        self.targets = [o for o in older if o.id not in self.order.depends_on][::-1]
        self.pages = {o.id: o for o in pages}

    @staticmethod
    def _listed(order: synthetic.Order) -> bool:
        """Whether the order's file lists its dependencies (a key to add one under)."""
        return any(d not in order.declared_by_blocker for d in order.depends_on)

    def url(self, order_id: str) -> str:
        return f"orders/{self.pages[order_id].file_name[:-3]}/"

    def restore(self) -> None:
        self.file.write_text(self.original, encoding="utf-8")

    def edit(self, what: str, run: int) -> tuple[str, list[tuple[str, Callable[[str], bool]]]]:
        """Make the edit ``what`` of run ``run``: the new text of the file, and for each
        page to watch, its URL and what plandocs shows there once the edit is in."""
        text = self.file.read_text(encoding="utf-8")
        me = self.order.id
        if what == "status":
            statuses = [*synthetic.OPEN_STATUSES, "done"]
            current = re.search(r"(?m)^status: (.*)$", text).group(1)  # type: ignore[union-attr]
            status = [s for s in statuses if s != current][run % (len(statuses) - 1)]
            text = re.sub(r"(?m)^status: .*$", f"status: {status}", text)
            return text, [(self.url(me), lambda page: card_badge(page, me) == status)]
        if what == "dependency":
            target = self.targets[run].id
            text = re.sub(r"(?m)^(depends_on|dependencies):\n", rf"\g<0>  - {target}\n", text)
            return text, [
                (self.url(me), lambda page: target in card_field(page, me, "Depends on")),
                (self.url(target), lambda page: me in card_field(page, target, "Blocks")),
            ]
        title = f"{self.order.title} (rev {run + 1})"
        text = re.sub(r"(?m)^title: .*$", f"title: {title}", text)
        text = re.sub(rf"(?m)^# {me}: .*$", f"# {me}: {title}", text)
        return text, [(self.url(me), lambda page: title in page)]


def _card(page: str, order_id: str) -> str:
    """The HTML of the order's card on the page, to its end, or ''."""
    start = page.find(f'<div class="plandocs-card" data-order="{order_id}">')
    return page[start : page.find("</dl>", start)] if start >= 0 else ""


def card_badge(page: str, order_id: str) -> str | None:
    found = re.search(r"plandocs-badge--status-([a-z_]+)", _card(page, order_id))
    return found.group(1) if found else None


def card_field(page: str, order_id: str, name: str) -> str:
    """The line of the card's field ``name`` (its links), or ''."""
    found = re.search(rf"<dt>{re.escape(name)}</dt><dd>(.*)", _card(page, order_id))
    return found.group(1) if found else ""


# --- a server -----------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class Server:
    def __init__(self, process: subprocess.Popen[bytes], base: str, log: Path) -> None:
        self.process, self.base, self.log = process, base, log

    def cpu_seconds(self) -> float:
        """User and system CPU of the server and of the children it waited for (``dot``):
        a second view of a machine whose speed drifts with its load. It counts the
        server's answers to the bench's requests too, a small share."""
        fields = Path(f"/proc/{self.process.pid}/stat").read_text(encoding="utf-8")
        utime, stime, cutime, cstime = fields.rsplit(")", 1)[1].split()[11:15]
        ticks = int(utime) + int(stime) + int(cutime) + int(cstime)
        return ticks / os.sysconf("SC_CLK_TCK")

    def get(self, path: str, timeout: float) -> str | None:
        try:
            with urllib.request.urlopen(self.base + path, timeout=timeout) as response:
                return bytes(response.read()).decode("utf-8")
        except (OSError, urllib.error.URLError):
            return None

    def epoch(self, path: str, timeout: float) -> int:
        page = self.get(path, timeout)
        found = EPOCH.search(page or "")
        if found is None:
            raise RuntimeError(f"{path}: no live-reload script (is the server up?)")
        return int(found.group(1))

    def wait_for_log(self, text: str, timeout: float) -> None:
        deadline = time.monotonic() + timeout
        while text not in self.log.read_text(encoding="utf-8", errors="replace"):
            if self.process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"mkdocs serve did not print {text!r}: see {self.log}")
            time.sleep(0.1)


@contextmanager
def serving(repo: Repository, name: str, timeout: float) -> Iterator[Server]:
    port = free_port()
    log = repo.dir.parent / f"{repo.n}-loop-{name.replace(' ', '').replace('-', '_')}.log"
    args = SERVERS[name][0]
    with log.open("wb") as out:
        process = subprocess.Popen(
            [build_speed.MKDOCS, "serve", *args, "-a", f"127.0.0.1:{port}"],
            cwd=repo.dir,
            stdout=out,
            stderr=subprocess.STDOUT,
            env=ENV,
            start_new_session=True,  # its dot processes are stopped with it
        )
        server = Server(process, f"http://127.0.0.1:{port}/", log)
        try:
            server.wait_for_log("Serving on http", timeout)
            yield server
        finally:
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGTERM)
            process.wait(timeout=30)


def measure(
    server: Server, repo: Repository, what: str, run: int, *, plandocs: bool, timeout: float
) -> tuple[float | None, float, list[str]]:
    """Save the edit, then ask the server until its pages show it: the seconds it took,
    the server's CPU seconds meanwhile, and the lines plandocs printed."""
    text, pages = repo.edit(what, run)
    if not plandocs:  # plain pages show no status or dependency: a newer build, a title
        pages = [(url, check if what == "title" else _any) for url, check in pages[:1]]
    before = {url: server.epoch(url, timeout) for url, _ in pages}
    offset = server.log.stat().st_size
    cpu = server.cpu_seconds()
    repo.file.write_text(text, encoding="utf-8")
    start = time.perf_counter()
    shown = poll(server, pages, before, start, timeout)
    cpu = server.cpu_seconds() - cpu
    time.sleep(1.0)  # the watcher's next poll finds nothing new: the server is idle
    lines = REBUILT.findall(server.log.read_bytes()[offset:].decode("utf-8", "replace"))
    return shown, round(cpu, 2), lines


def _any(page: str) -> bool:
    return True


def poll(
    server: Server,
    checks: list[tuple[str, Callable[[str], bool]]],
    before: dict[str, int],
    start: float,
    timeout: float,
) -> float | None:
    """Seconds from ``start`` until every page is from a newer build and passes its check;
    None after ``timeout``."""
    pending = dict(checks)
    last = 0.0
    while pending and time.perf_counter() - start < timeout:
        for url, check in list(pending.items()):
            page = server.get(url, timeout) or ""
            epoch = EPOCH.search(page)
            if epoch and int(epoch.group(1)) > before[url] and check(page):
                last = time.perf_counter() - start
                del pending[url]
        if pending:
            time.sleep(POLL)
    return None if pending else round(last, 3)


# --- the bench ----------------------------------------------------------------------------


def bench_size(
    n: int, runs: int, timeout: float, servers: list[str]
) -> dict[str, dict[str, Times]]:
    print(f"N={n}: generating into {WORK / f'{n}-loop'}", flush=True)
    repo = Repository(n)
    print(f"  the edited order: {repo.order.id} ({repo.file.name})", flush=True)
    results = {name: {what: Times() for what in EDITS} for name in SERVERS}
    for name in servers:
        plandocs = SERVERS[name][1]
        repo.restore()
        started = time.perf_counter()
        with serving(repo, name, timeout * 3) as server:
            print(f"  {name}: first build {time.perf_counter() - started:.1f} s", flush=True)
            for run in range(runs):
                for what in EDITS:
                    seconds, cpu, lines = measure(
                        server, repo, what, run, plandocs=plandocs, timeout=timeout
                    )
                    times = results[name][what]
                    times.seconds.append(seconds)
                    times.cpu.append(cpu)
                    times.lines.append(lines)
                    shown = "never (timed out)" if seconds is None else f"{seconds:.2f} s"
                    said = f"  [{'; '.join(lines)}]" if lines else ""
                    print(
                        f"  N={n} run {run + 1} {name:16} {what:10} {shown} "
                        f"({cpu:.2f} s CPU){said}",
                        flush=True,
                    )
    repo.restore()
    return results


def _cell(times: Times, baseline: Times) -> str:
    if times.median is None:
        return f"{'-':>22}"
    spread = f"({min(times.valid):.2f}-{max(times.valid):.2f})"
    ratio = f"{times.median / baseline.median:.2f}x" if baseline.median else "-"
    return f"{times.median:6.2f} {spread:>13} {ratio:>6}"


def table(sizes: dict[int, dict[str, dict[str, Times]]]) -> str:
    """Seconds from save to the page showing it: median (min-max) and the median's ratio
    to plain MkDocs serve's; then the server's CPU seconds meanwhile (median)."""
    header = f"{'N':>6}  {'edit':10}" + "".join(f"  {name:>29}" for name in SERVERS)
    lines = [header]
    for n, results in sizes.items():
        for what in EDITS:
            base = results[BASELINE][what]
            cells = "".join(f"  {_cell(results[name][what], base):>29}" for name in SERVERS)
            lines.append(f"{n:>6}  {what:10}{cells}")
    lines += ["", "the server's CPU seconds from save to shown (median):", header]
    for n, results in sizes.items():
        for what in EDITS:
            cpu = (results[name][what].cpu_median for name in SERVERS)
            lines.append(f"{n:>6}  {what:10}" + "".join(f"  {_num(c):>29}" for c in cpu))
    return "\n".join(lines)


def _num(value: float | None) -> str:
    return "-" if value is None else f"{value:.2f}"


def targets(sizes: dict[int, dict[str, dict[str, Times]]]) -> list[dict[str, object]]:
    checks: list[dict[str, object]] = []
    for n, limit in TARGETS.items():
        if n not in sizes:
            continue
        for what in EDITS:
            times = sizes[n][FEATURE][what]
            if not times.seconds:
                continue  # not measured (--servers)
            # every run must show the edit: a timed-out run fails the target
            value = times.median if len(times.valid) == len(times.seconds) else None
            passed = value is not None and value < limit
            name = f"N={n} {what}: {FEATURE}, seconds (median) < {limit}"
            checks.append({"target": name, "value": value, "pass": passed})
    return checks


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", default="1000,5000", help="numbers of orders")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument(
        "--timeout", type=float, default=300, help="seconds an edit may take to show"
    )
    parser.add_argument(
        "--servers",
        default=",".join(SERVERS),
        help=f"which servers, of: {', '.join(SERVERS)} (the ratios need {BASELINE!r})",
    )
    parser.add_argument("--output", type=Path, default=RESULTS)
    args = parser.parse_args()
    servers = [name.strip() for name in args.servers.split(",") if name.strip()]
    if unknown := [name for name in servers if name not in SERVERS]:
        parser.error(f"unknown servers: {unknown}; known: {list(SERVERS)}")
    WORK.mkdir(parents=True, exist_ok=True)
    print(f"plandocs' bytecode written, as installing it does: {build_speed.compile_plandocs()}")
    print(f"load average at start: {os.getloadavg()}")
    sizes = {}
    for n in [int(s) for s in args.sizes.split(",") if s.strip()]:
        sizes[n] = bench_size(n, args.runs, args.timeout, servers)
    facts = build_speed.machine()
    print()
    print("seconds from saving an edit to the served page showing it:")
    print("median (min-max) of the runs, and the median against plain MkDocs serve's")
    print(table(sizes))
    print()
    checks = targets(sizes)
    for check in checks:
        print(f"{'PASS' if check['pass'] else 'FAIL'}  {check['target']}: {check['value']}")
    print(f"machine: {facts}")
    report = {
        "machine": facts,
        "runs": args.runs,
        "timeout_seconds": args.timeout,
        "sizes": {
            str(n): {
                name: {
                    what: {
                        "median": times.median,
                        "min": min(times.valid, default=None),
                        "max": max(times.valid, default=None),
                        "x_plain": (
                            round(times.median / results[BASELINE][what].median, 2)
                            if times.median and results[BASELINE][what].median
                            else None
                        ),
                        "cpu_median": times.cpu_median,
                        **asdict(times),
                    }
                    for what, times in by_edit.items()
                }
                for name, by_edit in results.items()
            }
            for n, results in sizes.items()
        },
        "targets": checks,
    }
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
    print(f"written to {args.output}")


if __name__ == "__main__":
    main()
