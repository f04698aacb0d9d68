"""When a build's processes hold their memory: one build of the synthetic repository, with
the memory of each of its processes sampled every ``--interval`` seconds, as
``bench/build_speed.py`` counts it for its "all processes" peak (the build's resident set,
and what each process under it holds of its own).

    .venv/bin/python bench/memory_timeline.py [--size 1000] [--config mkdocs.yml]
                                              [--warm] [--every 5] [--interval 0.05]

It uses the repository ``bench/build_speed.py`` writes into ``.cache/bench/N/`` (and writes
it first when it is missing), deletes ``.cache/plandocs`` there first unless ``--warm``,
prints every ``--every``-th sample (seconds since the start, the total in MiB, then each
process as ``name:MiB``) and the sample with the largest total. With ``PYTHONPATH`` set to
another checkout's ``plugins`` folder, it measures that checkout's plandocs. The bench's
targets compare the largest total with the plain build's peak; this shows which processes
make it, and when.
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import build_speed  # the bench's own measures, a sibling script
import synthetic

#: a process and what it holds in MiB (its resident set for the build, else its own pages)
Held = tuple[str, float]


def sample(pid: int) -> list[Held]:
    """Process ``pid`` and each process under it that runs in memory of its own, with
    what ``build_speed.tree_kib`` counts of it, in MiB; empty once ``pid`` is gone."""
    return [(name, kib / 1024) for name, kib in build_speed.processes_kib(pid)]


def line(seconds: float, held: list[Held]) -> str:
    parts = " ".join(f"{name}:{mib:.0f}" for name, mib in held)
    return f"{seconds:6.2f} s  total {sum(mib for _, mib in held):5.1f} MiB  {parts}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--size", type=int, default=1000)
    parser.add_argument("--config", default="mkdocs.yml", help="mkdocs-plain.yml: the baseline")
    parser.add_argument("--warm", action="store_true", help="keep .cache/plandocs")
    parser.add_argument("--every", type=int, default=5, help="print every n-th sample")
    parser.add_argument("--interval", type=float, default=0.05, help="seconds between samples")
    args = parser.parse_args()
    repo = build_speed.WORK / str(args.size)
    if not (repo / "mkdocs.yml").exists():
        synthetic.generate(repo, args.size)
    if not args.warm:
        shutil.rmtree(repo / ".cache" / "plandocs", ignore_errors=True)
    cmd = [build_speed.MKDOCS, "build", "--strict", "-q", "-f", args.config]
    start = time.perf_counter()
    quiet = subprocess.DEVNULL
    build = subprocess.Popen(cmd, cwd=repo, env=build_speed.ENV, stdout=quiet, stderr=quiet)
    peak: tuple[float, float, list[Held]] = (0.0, 0.0, [])
    count = 0
    while build.poll() is None:
        held = sample(build.pid)
        seconds = time.perf_counter() - start
        total = sum(mib for _, mib in held)
        if total > peak[1]:
            peak = (seconds, total, held)
        if held and count % args.every == 0:
            print(line(seconds, held), flush=True)
        count += 1
        time.sleep(args.interval)
    print(f"build exited with {build.returncode} after {time.perf_counter() - start:.2f} s")
    print(f"largest total: {line(peak[0], peak[2])}")


if __name__ == "__main__":
    main()
