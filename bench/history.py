"""What reading the planning history from git costs a build (``plandocs.project.history``).

    .venv/bin/python bench/history.py [--size 1000] [--commits 1000] [--runs 3] [--profile]

It writes the synthetic repository (``bench/synthetic.py``) into ``.cache/bench/history-N/``
and gives it a scripted history: a first commit with every order ``pending`` (and a third of
them not written yet), then ``--commits`` commits, a few days apart, that each add an order
or move one a status further (``in_progress``, then the status it has in the generated
repository), until the last commit holds the generated files exactly; and a tag half-way.

It then builds, in processes of their own, alternately: ``mkdocs.yml`` (history on, the
default) and ``mkdocs-nohistory.yml`` (the same with ``history: false``), each cold
(``.cache/plandocs`` deleted) and warm (no file changed, no new commit); and times
``read_history`` alone (after the build's own parse, as a build calls it), without and with
its cache file, and the decoding and the parse of the file versions it reads from git;
``--profile`` profiles ``read_history`` and builds nothing. It prints medians, the ratio of
the medians and the median of each run's ratio (history on over off, the two builds next to
each other: steadier when the machine's load drifts); the target is at most +10% on a cold
build and nothing measurable on a warm one.
"""

from __future__ import annotations

import argparse
import contextlib
import cProfile
import os
import pstats
import re
import resource
import shutil
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
import synthetic

ROOT = Path(__file__).resolve().parent.parent
ENV = {
    **os.environ,
    "NO_MKDOCS_2_WARNING": "1",
    "GIT_CONFIG_NOSYSTEM": "1",
    "GIT_AUTHOR_NAME": "Bench",
    "GIT_AUTHOR_EMAIL": "bench@example.org",
    "GIT_COMMITTER_NAME": "Bench",
    "GIT_COMMITTER_EMAIL": "bench@example.org",
}
_STATUS = re.compile(r"^(status: |\*\*Status\*\*: )(.*?)(  )?$", re.MULTILINE)
DAY = 86_400
START = 1_735_689_600  # 2025-01-01


def _with_status(text: str, status: str) -> str:
    def swap(match: re.Match[str]) -> str:
        word = status if match.group(1) == "status: " else status.replace("_", " ").capitalize()
        return f"{match.group(1)}{word}{match.group(3) or ''}"

    return _STATUS.sub(swap, text, count=1)


def _git(repo: Path, *args: str, when: int | None = None, stdin: str | None = None) -> None:
    env = ENV if when is None else {**ENV, "GIT_AUTHOR_DATE": f"@{when} +0000"}
    if when is not None:
        env["GIT_COMMITTER_DATE"] = f"@{when} +0000"
    subprocess.run(
        ["git", *args], cwd=repo, env=env, check=True, capture_output=True, input=stdin, text=True
    )


def scripted_history(dest: Path, n: int, commits: int) -> None:
    """The synthetic repository of ``n`` orders, with a history of about ``commits``
    commits (see the module's docstring)."""
    synthetic.generate(dest, n)
    orders = sorted((dest / "docs" / "orders").glob("ORDER_*.md"))
    final = {path: path.read_text(encoding="utf-8") for path in orders}
    late = set(orders[::3])  # added by later commits
    for path in orders:
        if path in late:
            path.unlink()
        else:
            path.write_text(_with_status(final[path], "pending"), encoding="utf-8")
    _git(dest, "init", "-q", "-b", "main")
    _git(dest, "config", "gc.auto", "0")  # no gc in the background: the one below would fail
    _git(dest, "add", "-A")
    _git(dest, "commit", "-q", "-m", "plan", when=START)
    # each step is one file: added, put in progress, or given its final status
    steps: list[tuple[Path, str]] = [(p, _with_status(final[p], "pending")) for p in sorted(late)]
    steps += [(p, _with_status(final[p], "in_progress")) for p in orders]
    steps += [(p, final[p]) for p in orders]
    now: dict[Path, str | None] = {
        p: None if p in late else _with_status(final[p], "pending") for p in orders
    }
    kept = []
    for path, text in steps:  # a step that changes nothing is no commit
        if text != now[path]:
            kept.append((path, text))
            now[path] = text
    steps = kept
    stride = max(1, -(-len(steps) // max(commits - 1, 1)))
    groups = [steps[i : i + stride] for i in range(0, len(steps), stride)]
    when = START
    for number, group in enumerate(groups, 1):
        for path, text in group:
            path.write_text(text, encoding="utf-8")
        _git(dest, "add", "-A")
        when += DAY // 4
        _git(dest, "commit", "-q", "-m", f"step {number}", when=when)
        if number == len(groups) // 2:
            _git(dest, "tag", "v1", when=when)
    _git(dest, "gc", "-q")  # packed, as a clone is: loose objects cost git log seconds
    config = (dest / "mkdocs.yml").read_text(encoding="utf-8")
    off = config.replace("  - plandocs:\n", "  - plandocs:\n      history: false\n")
    (dest / "mkdocs-nohistory.yml").write_text(off, encoding="utf-8")
    (dest / ".gitignore").write_text("site/\n.cache/\nmkdocs-nohistory.yml\n", encoding="utf-8")


def build(repo: Path, config: str, *, cold: bool) -> tuple[float, float]:
    """Seconds on the clock and of CPU (the build and what it starts: git, dot)."""
    if cold:
        shutil.rmtree(repo / ".cache", ignore_errors=True)
    start, cpu = time.perf_counter(), _cpu()
    subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "-q", "-f", config, "-d", str(repo / "site")],
        cwd=repo,
        env=ENV,
        check=True,
        timeout=1800,
    )
    return time.perf_counter() - start, _cpu() - cpu


def _cpu() -> float:
    """CPU seconds of this process and its finished children (git): less noisy than the
    clock on a busy machine."""
    own, children = (
        resource.getrusage(resource.RUSAGE_SELF),
        resource.getrusage(resource.RUSAGE_CHILDREN),
    )
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def history_alone(repo: Path, *, profile: bool = False) -> tuple[float, float, int]:
    """``read_history`` as a build calls it (after the build's own parse of the files), without
    and with its cache file: seconds, seconds, commits read. ``profile`` prints where the first
    one's time goes."""
    sys.path.insert(0, str(ROOT / "plugins"))
    from plandocs.core.settings import Settings  # noqa: PLC0415
    from plandocs.project.history import read_history  # noqa: PLC0415
    from plandocs.project.load import discover, load  # noqa: PLC0415
    from plandocs.project.renames import planning_folders  # noqa: PLC0415

    settings = Settings(orders_dir="")
    parsed = load(discover(repo, "docs", settings), settings).parsed
    cache = repo / ".cache" / "bench-history.json"
    cache.unlink(missing_ok=True)
    folders, source = planning_folders(repo, repo / "docs", None)
    profiler = cProfile.Profile() if profile else contextlib.nullcontext()
    start, cpu = time.perf_counter(), _cpu()
    with profiler:
        history = read_history(repo, folders, settings, source, cache=cache, parsed=parsed)
    cold = time.perf_counter() - start
    print(f"read_history from git: {_cpu() - cpu:.2f} s of CPU (this process and git)")
    versions, decode, parse = _parse_alone(repo, folders, settings, source)
    print(
        f"  of which the {versions} file versions not in the working tree: decoding them "
        f"(and repairing mojibake) {decode:.2f} s, parsing them {parse:.2f} s"
    )
    if isinstance(profiler, cProfile.Profile):
        pstats.Stats(profiler).sort_stats("cumulative").print_stats(25)
    start = time.perf_counter()
    read_history(repo, folders, settings, source, cache=cache, parsed=parsed)
    warm = time.perf_counter() - start
    assert history.problem is None, history.problem
    return cold, warm, len(history.times)


def _parse_alone(
    repo: Path, folders: list[str], settings: Any, uri_of: Callable[[str], str | None]
) -> tuple[int, float, float]:
    """The versions of planning files that ``read_history`` parses from git (those the
    build has not: not in the working tree), read again as it reads them: how many, and CPU
    seconds to decode them (with their mojibake repaired) and to parse them."""
    from plandocs.core.model import SourceDoc  # noqa: PLC0415
    from plandocs.project import git  # noqa: PLC0415
    from plandocs.project.history import objects_of  # noqa: PLC0415
    from plandocs.project.load import SourceEntry, source_doc  # noqa: PLC0415

    files = [c.files for c in git.log(repo, folders).commits]
    names = {(path, blob) for changed in files for path, blob in changed if blob and uri_of(path)}
    tree = git.run(repo, ["ls-files", "-s", "-z", "--", *folders]).split(b"\0")
    for line in filter(None, tree):  # "mode blob stage\tpath": the working tree's blobs
        info, path = line.decode().split("\t", 1)
        names.discard((path, info.split()[1]))
    texts = git.blobs(repo, {blob for _, blob in names})
    start = _cpu()
    docs = [source_doc(SourceEntry(p, uri_of(p) or "", ""), texts[b], settings) for p, b in names]
    decoded = _cpu()
    for doc in docs:
        if isinstance(doc, SourceDoc):
            objects_of(doc, settings)
    return len(names), decoded - start, _cpu() - decoded


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--size", type=int, default=1000)
    parser.add_argument("--commits", type=int, default=1000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--profile", action="store_true", help="profile read_history, no builds")
    args = parser.parse_args()
    repo = ROOT / ".cache" / "bench" / f"history-{args.size}"
    print("load average at the start: {:.2f} {:.2f} {:.2f}".format(*os.getloadavg()))
    made = time.perf_counter()
    scripted_history(repo, args.size, args.commits)
    count = subprocess.run(
        ["git", "rev-list", "--count", "HEAD"], cwd=repo, capture_output=True, text=True, check=True
    ).stdout.strip()
    print(f"repository: {args.size} orders, {count} commits ({time.perf_counter() - made:.0f} s)")
    cold, warm, changed = history_alone(repo, profile=args.profile)
    print(f"read_history alone: {cold:.2f} s from git ({changed} commits), {warm:.3f} s cached")
    if args.profile:
        return
    times: dict[str, list[tuple[float, float]]] = {
        k: [] for k in ("on", "off", "on warm", "off warm")
    }
    for _ in range(args.runs):
        for key, config in (("on", "mkdocs.yml"), ("off", "mkdocs-nohistory.yml")):
            times[key].append(build(repo, config, cold=True))
            times[f"{key} warm"].append(build(repo, config, cold=False))
    clock = {k: statistics.median(t for t, _ in v) for k, v in times.items()}
    cpu = {k: statistics.median(c for _, c in v) for k, v in times.items()}
    for key in ("off", "on", "off warm", "on warm"):
        runs = ", ".join(f"{t:.1f}/{c:.1f}" for t, c in times[key])
        print(
            f"build, history {key:8}: median {clock[key]:6.2f} s, CPU {cpu[key]:6.2f} s"
            f"  (clock/CPU: {runs})"
        )
    for kind in ("", " warm"):
        name = "warm" if kind else "cold"
        on, off = f"on{kind}", f"off{kind}"
        paired = [
            statistics.median(a[i] / b[i] - 1 for a, b in zip(times[on], times[off], strict=True))
            for i in (0, 1)
        ]
        print(
            f"{name}: history adds {clock[on] / clock[off] - 1:+.1%} on the clock, "
            f"{cpu[on] / cpu[off] - 1:+.1%} of CPU ({cpu[on] - cpu[off]:+.2f} s); "
            f"paired: {paired[0]:+.1%} on the clock, {paired[1]:+.1%} of CPU"
        )
    print("load average at the end: {:.2f} {:.2f} {:.2f}".format(*os.getloadavg()))


if __name__ == "__main__":
    main()
